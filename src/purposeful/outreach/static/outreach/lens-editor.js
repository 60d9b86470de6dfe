// The live lens beside a message's text: keeps the highlight layer under the
// textarea in step with what is typed, explains the finding at the caret, and
// lets each finding in the list select its words.
(function () {
  "use strict";

  function textarea() {
    return document.getElementById("id_body");
  }

  function mirror(box) {
    var backdrop = document.getElementById("lens-backdrop");
    if (!backdrop) return;
    // Until the lens answers, show the plain text so the marks never point at
    // the wrong words and the layer keeps the textarea's height.
    backdrop.textContent = box.value;
    backdrop.appendChild(document.createElement("br"));
  }

  function explainAtCaret() {
    var box = textarea();
    var panel = document.getElementById("lens-at-caret");
    if (!box || !panel) return;
    var caret = box.selectionStart;
    var current = null;
    document.querySelectorAll(".lens-finding").forEach(function (item) {
      item.classList.remove("is-current");
      var button = item.querySelector(".lens-select");
      if (!current && button && caret >= Number(button.dataset.start) && caret <= Number(button.dataset.end)) {
        current = item;
      }
    });
    if (!current) {
      panel.hidden = true;
      panel.replaceChildren();
      return;
    }
    current.classList.add("is-current");
    var parts = current.querySelectorAll(".finding-head, .finding-why, .finding-hint");
    panel.replaceChildren.apply(panel, Array.prototype.map.call(parts, function (part) {
      return part.cloneNode(true);
    }));
    panel.hidden = false;
  }

  document.addEventListener("input", function (event) {
    if (event.target === textarea()) mirror(event.target);
  });

  ["keyup", "click", "select", "focus"].forEach(function (name) {
    document.addEventListener(name, function (event) {
      if (event.target === textarea()) explainAtCaret();
    }, true);
  });

  document.addEventListener("htmx:oobAfterSwap", function () {
    var box = textarea();
    var backdrop = document.getElementById("lens-backdrop");
    // An answer for older words than those in the box now is dropped.
    if (box && backdrop && backdrop.textContent !== box.value) mirror(box);
  });

  document.addEventListener("htmx:afterSettle", explainAtCaret);

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest(".lens-select") : null;
    if (!button) return;
    var box = textarea();
    if (!box) return;
    box.focus();
    box.setSelectionRange(Number(button.dataset.start), Number(button.dataset.end));
    explainAtCaret();
  });
})();
