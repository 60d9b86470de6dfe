// The live lens beside a message's text: keeps the highlight layer under the
// textarea in step with what is typed, and lets a finding select its words.
(function () {
  "use strict";

  function mirror(textarea) {
    var backdrop = document.getElementById("lens-backdrop");
    if (!backdrop) return;
    // Until the lens answers, show the plain text so the marks never point at
    // the wrong words and the layer keeps the textarea's height.
    backdrop.textContent = textarea.value;
    backdrop.appendChild(document.createElement("br"));
  }

  document.addEventListener("input", function (event) {
    if (event.target && event.target.id === "id_body") mirror(event.target);
  });

  document.addEventListener("htmx:oobAfterSwap", function () {
    var textarea = document.getElementById("id_body");
    var backdrop = document.getElementById("lens-backdrop");
    // An answer for older words than those in the box now is dropped.
    if (textarea && backdrop && backdrop.textContent !== textarea.value) mirror(textarea);
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest(".lens-select") : null;
    if (!button) return;
    var textarea = document.getElementById("id_body");
    if (!textarea) return;
    textarea.focus();
    textarea.setSelectionRange(Number(button.dataset.start), Number(button.dataset.end));
  });
})();
