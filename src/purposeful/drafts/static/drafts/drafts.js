// Keeps a form's words on the server while the member types, so that a session
// or a form token that goes stale loses nothing; warns a few minutes before the
// session ends and offers to stay signed in.
(function () {
  "use strict";

  var SAVE_AFTER_MS = 1500;
  var WARN_BEFORE_SECONDS = 5 * 60;
  // setTimeout cannot wait longer than about 24 days
  var LONGEST_WAIT_MS = 2147483647;

  function clock(iso) {
    var when = new Date(iso);
    return isNaN(when) ? "" : when.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  }

  function setup(form) {
    var saveUrl = form.dataset.draftUrl + "?key=" + encodeURIComponent(form.dataset.draftKey);
    var status = document.createElement("p");
    status.className = "meta draft-status";
    status.setAttribute("aria-live", "polite");
    var warning = document.createElement("div");
    warning.className = "callout session-warning";
    warning.setAttribute("role", "alert");
    warning.hidden = true;
    var actions = form.querySelector(".actions");
    form.insertBefore(warning, actions);
    form.insertBefore(status, actions);

    var timer = null;
    var inFlight = null;
    var warnTimer = null;
    var sent = false;

    function token() {
      var input = form.querySelector("input[name=csrfmiddlewaretoken]");
      return input ? input.value : "";
    }

    function post(url, body) {
      var controller = new AbortController();
      return {
        controller: controller,
        answer: fetch(url, {
          method: "POST",
          body: body,
          credentials: "same-origin",
          headers: { "X-CSRFToken": token(), "Accept": "application/json" },
          signal: controller.signal,
        }).then(function (response) {
          return response.json().then(function (data) {
            return { ok: response.ok, data: data };
          });
        }),
      };
    }

    function save() {
      timer = null;
      if (sent) return;
      var body = new FormData(form);
      // uploads stay in the page; a draft is words
      Array.from(body.keys()).forEach(function (name) {
        if (body.getAll(name).some(function (value) { return typeof value !== "string"; })) body.delete(name);
      });
      if (inFlight) inFlight.abort();
      var request = post(saveUrl, body);
      inFlight = request.controller;
      request.answer.then(function (result) {
        if (result.ok) {
          status.textContent = result.data.saved_at
            ? "Your words are kept as a draft (" + clock(result.data.saved_at) + ")."
            : "";
          schedule(result.data.session_expires_in);
        } else {
          status.textContent = result.data.detail || "Your words could not be kept on the server; they are still here.";
        }
      }).catch(function (error) {
        if (error.name === "AbortError") return;
        status.textContent = "Your words could not be kept on the server just now; they are still here.";
      });
    }

    function later() {
      if (sent) return;
      if (timer) clearTimeout(timer);
      timer = setTimeout(save, SAVE_AFTER_MS);
    }

    function stay(button) {
      button.disabled = true;
      post(form.dataset.keepSignedInUrl, new FormData()).answer.then(function (result) {
        if (result.ok) {
          warning.hidden = true;
          schedule(result.data.session_expires_in);
        } else {
          warning.querySelector("p").textContent = result.data.detail;
        }
      }).catch(function () {
        button.disabled = false;
      });
    }

    function warn(secondsLeft) {
      var minutes = Math.max(1, Math.round(secondsLeft / 60));
      var text = document.createElement("p");
      text.textContent = "You will be signed out in about " + minutes + (minutes === 1 ? " minute" : " minutes") +
        ". Your words are kept as a draft either way, and are back here after you sign in again.";
      var button = document.createElement("button");
      button.type = "button";
      button.className = "secondary";
      button.textContent = "Stay signed in";
      button.addEventListener("click", function () { stay(button); });
      warning.replaceChildren(text, button);
      warning.hidden = false;
    }

    function schedule(secondsLeft) {
      var left = Number(secondsLeft);
      if (!isFinite(left) || left <= 0) return;
      if (warnTimer) clearTimeout(warnTimer);
      var startedAt = Date.now();
      var waitMs = Math.min(LONGEST_WAIT_MS, Math.max(0, left - WARN_BEFORE_SECONDS) * 1000);
      warnTimer = setTimeout(function () {
        warn(left - (Date.now() - startedAt) / 1000);
      }, waitMs);
    }

    form.addEventListener("input", later);
    form.addEventListener("change", later);
    form.addEventListener("submit", function () {
      // the form carries the words now; a late draft would bring them back
      sent = true;
      if (timer) clearTimeout(timer);
      if (inFlight) inFlight.abort();
    });
    schedule(form.dataset.sessionSecondsLeft);
  }

  document.querySelectorAll("form[data-draft-key]").forEach(setup);
})();
