// headlines review: the keys. Each key clicks the button that carries it in data-key, so
// the keyboard and the mouse send the same request. Keys are typed ahead: a key pressed while
// an answer is on its way waits in `typed` and is sent once the next card is in place (htmx
// has swapped and processed it: the settle delay is 0, so that is done when the request
// ends), for that card. So a fast typist's answers reach the cards they follow, in order,
// each once; the server refuses an answer to a card that is not the one shown (409). When an
// answer fails or is refused, the keys typed after it are dropped: they were meant for cards
// that will not come in the order the typist saw.
(function () {
  "use strict";
  const typed = []; // keys pressed and not yet sent
  let inFlight = null; // the XMLHttpRequest of the key being answered
  let clicking = false; // a key's button is being clicked: its request is the one to wait for
  let started = null;

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
    if (event.repeat) {
      return; // a key held down answers once, not every card that comes
    }
    typed.push(event.key);
    sendTyped();
  });

  function sendTyped() {
    while (inFlight === null && typed.length > 0) {
      const button = buttonFor(typed.shift());
      if (!button || button.disabled) {
        continue; // nothing carries that key now (R while retraining): it does nothing
      }
      started = null;
      clicking = true;
      try {
        button.click(); // htmx sends the request within the click
      } finally {
        clicking = false;
      }
      inFlight = started;
    }
  }

  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest('button[data-key="?"]')) {
      toggleHelp();
    }
  });

  document.addEventListener("htmx:beforeRequest", function (event) {
    if (clicking) {
      started = event.detail.xhr;
    }
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    if (inFlight !== null && event.detail.xhr === inFlight) {
      inFlight = null;
      if (event.detail.failed || event.detail.xhr.status === 409) {
        typed.length = 0;
      }
      window.setTimeout(sendTyped, 0); // after htmx has finished with this response
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
    typed.length = 0;
    const error = document.getElementById("error");
    error.textContent = "the review server is not running; start it again to go on";
    error.hidden = false;
  });
})();
