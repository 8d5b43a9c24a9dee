// headlines review: the keys. Each key clicks the button that carries it in data-key, so
// the keyboard and the mouse send the same request. One request at a time: a key pressed
// while an answer is on its way is dropped, not sent for the next card.
(function () {
  "use strict";
  let busy = false;

  function helpDialog() {
    return document.getElementById("keys");
  }

  function toggleHelp() {
    const dialog = helpDialog();
    if (dialog.open) {
      dialog.close();
    } else {
      dialog.showModal();
    }
  }

  function buttonFor(key) {
    if (/^[1-9]$/.test(key)) {
      return document.querySelector('#card button[data-key="' + key + '"]');
    }
    const named = { Enter: "Enter", s: "s", S: "s", u: "u", U: "u", r: "r", R: "r" }[key];
    if (!named) {
      return null;
    }
    const where = named === "r" ? "#retrain" : "#card";
    return document.querySelector(where + ' button[data-key="' + named + '"]');
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) {
      return;
    }
    if (event.target.closest && event.target.closest("input, textarea, select")) {
      return;
    }
    if (event.key === "?") {
      event.preventDefault();
      toggleHelp();
      return;
    }
    if (helpDialog().open) {
      return;
    }
    const button = buttonFor(event.key);
    if (!button) {
      return;
    }
    event.preventDefault(); // Enter on a focused button would click it a second time
    if (!busy && !button.disabled) {
      button.click();
    }
  });

  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest('button[data-key="?"]')) {
      toggleHelp();
    }
  });

  document.addEventListener("htmx:beforeRequest", function (event) {
    if (event.detail.requestConfig && event.detail.requestConfig.verb !== "get") {
      busy = true;
    }
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail.requestConfig && event.detail.requestConfig.verb !== "get") {
      busy = false;
    }
    const error = document.getElementById("error");
    if (event.detail.failed && event.detail.xhr) {
      error.textContent = event.detail.xhr.responseText || "the server did not answer";
      error.hidden = false;
    } else if (event.detail.successful) {
      error.hidden = true;
    }
  });
  document.addEventListener("htmx:sendError", function () {
    busy = false;
    const error = document.getElementById("error");
    error.textContent = "the review server is not running; start it again to go on";
    error.hidden = false;
  });
})();
