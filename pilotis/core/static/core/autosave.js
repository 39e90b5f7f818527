// The self-assessment's autosave (the domain page's form[data-autosave]). Each indicator
// ([data-save-url]) saves itself: a click on an answer at once; an answer reached with the arrow
// keys after a pause or when focus leaves the answers (one change, the one settled on); a
// comment about a second after the last keystroke, and when it loses focus. Nothing typed is
// lost: the server's answer replaces the save bar only (never the inputs), a value typed while a
// save was on its way is saved next, a locked database (503) or a lost connection is retried,
// and leaving the page with anything not yet saved asks first. Without JavaScript the form posts
// the whole page (its « Enregistrer » buttons, hidden here).
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave]");
  if (!form || !window.fetch) { return; }
  form.classList.add("pilotis-autosave-on");

  var COMMENT_PAUSE = 1000;  // ms after the last keystroke
  var KEYBOARD_PAUSE = 1500;  // ms after the last arrow key on the answers
  var RETRY_FIRST = 2000, RETRY_MAX = 30000;
  var TEXT = {
    pending: "Modifié — enregistrement dans un instant…",
    saving: "Enregistrement…",
    retrying: "Non enregistré — nouvel essai…",
    offline: "Non enregistré — connexion perdue, nouvel essai…",
    failed: "Non enregistré (erreur %s). Rechargez la page ; votre saisie reste affichée.",
  };
  var NAV_KEYS = ["ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight", "Home", "End"];
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]");
  var submitting = false;
  var states = {};

  function stateOf(box) {
    var code = box.getAttribute("data-code");
    if (!states[code]) {
      states[code] = { box: box, code: code, timer: null, retry: null, delay: RETRY_FIRST,
                       busy: false, keyboard: false, failed: false, sent: null, before: null };
    }
    return states[code];
  }

  function values(s) {
    var checked = s.box.querySelector("input[type=radio]:checked");
    var comment = s.box.querySelector("textarea");
    return { status: checked ? checked.value : "", comment: comment ? comment.value : "" };
  }

  // What the server holds for this indicator, as far as this page knows.
  function savedValues(s) {
    if (s.sent === null) {
      var checked = s.box.querySelector("input[type=radio][checked]");
      var comment = s.box.querySelector("textarea");
      s.sent = { status: checked ? checked.value : "", comment: comment ? comment.defaultValue : "" };
    }
    return s.sent;
  }

  function dirty(s) {
    var now = values(s), saved = savedValues(s);
    return now.status !== saved.status || now.comment.trim() !== saved.comment.trim();
  }

  function say(s, text, error) {
    var state = s.box.querySelector(".pilotis-save-state");
    if (!state) { return; }
    state.textContent = text;
    state.classList.toggle("pilotis-save-state--error", !!error);
  }

  // A change waits (a comment being typed, an answer reached with the keyboard): say so once,
  // so that « Enregistré » never stands beside something not saved yet.
  function wait(s, delay) {
    if (!s.timer && !s.busy && !s.retry) {
      var state = s.box.querySelector(".pilotis-save-state");
      if (s.before === null && state) { s.before = state.textContent; }
      say(s, TEXT.pending);
    }
    schedule(s, delay);
  }

  function schedule(s, delay) {
    clearTimeout(s.timer);
    s.timer = setTimeout(function () { save(s); }, delay);
  }

  function save(s) {
    clearTimeout(s.timer); s.timer = null;
    clearTimeout(s.retry); s.retry = null;
    if (s.busy) { return; }  // a save on its way sends what follows when it ends
    if (!dirty(s)) {  // changed back to what is saved: nothing to send
      if (s.before !== null && !s.failed) { say(s, s.before); }
      s.before = null;
      return;
    }
    s.before = null;
    var now = values(s);
    var seen = s.box.querySelector("input[name$='-seen_revision']");
    var body = new FormData();
    body.append("csrfmiddlewaretoken", csrf ? csrf.value : "");
    body.append("status", now.status);
    body.append("comment", now.comment);
    body.append("seen_revision", seen ? seen.value : "");
    s.busy = true;
    say(s, TEXT.saving);
    // keepalive: a save on its way when the page is left still reaches the server.
    fetch(s.box.getAttribute("data-save-url"), {
      method: "POST", body: body, credentials: "same-origin", keepalive: true,
      headers: { "HX-Request": "true" },
    }).then(function (response) {
      return response.text().then(function (html) { answered(s, now, response, html); });
    }, function () {
      s.busy = false;
      retry(s, TEXT.offline, null);
    });
  }

  function answered(s, sent, response, html) {
    s.busy = false;
    if (response.status === 503) {
      var after = parseInt(response.headers.get("Retry-After"), 10);
      retry(s, TEXT.retrying, isNaN(after) ? null : Math.min(after * 1000, RETRY_MAX));
      return;
    }
    var swapped = swap(s, html);
    if (response.ok) {
      s.sent = sent; s.failed = false; s.delay = RETRY_FIRST;
      if (dirty(s)) { schedule(s, 0); }  // typed while the save was on its way
      return;
    }
    s.failed = true;  // refused (validated meanwhile, campaign closed, invalid): said in the bar
    if (!swapped) { say(s, TEXT.failed.replace("%s", response.status), true); }
  }

  function retry(s, text, delay) {
    s.failed = true;
    say(s, text, true);
    s.retry = setTimeout(function () { save(s); }, delay || s.delay);
    s.delay = Math.min(s.delay * 2, RETRY_MAX);
  }

  // The server's answer: elements with an id, each replacing the page's element of that id. The
  // save bar's live region stays in place (its text changes), so that screen readers announce it.
  function swap(s, html) {
    var doc = new DOMParser().parseFromString("<body>" + html + "</body>", "text/html");
    var swapped = false;
    Array.prototype.forEach.call(doc.body.children, function (fresh) {
      var old = fresh.id && document.getElementById(fresh.id);
      if (!old) { return; }
      fresh.removeAttribute("hx-swap-oob");
      var oldState = old.querySelector(".pilotis-save-state");
      var newState = fresh.querySelector(".pilotis-save-state");
      if (oldState && newState) {
        var before = true;
        Array.prototype.slice.call(old.childNodes).forEach(function (n) { if (n !== oldState) { old.removeChild(n); } });
        Array.prototype.slice.call(fresh.childNodes).forEach(function (n) {
          if (n === newState) { before = false; return; }
          if (before) { old.insertBefore(n, oldState); } else { old.appendChild(n); }
        });
        oldState.className = newState.className;
        oldState.textContent = newState.textContent.trim();
      } else {
        old.replaceWith(document.importNode(fresh, true));
      }
      swapped = true;
    });
    return swapped;
  }

  function boxOf(element) {
    var box = element.closest && element.closest("[data-save-url]");
    return box ? stateOf(box) : null;
  }

  // Arrow keys move the checked radio: remember that the change comes from the keyboard.
  form.addEventListener("keydown", function (event) {
    if (event.target.type !== "radio") { return; }
    var s = boxOf(event.target);
    if (s) { s.keyboard = NAV_KEYS.indexOf(event.key) !== -1; }
  });
  form.addEventListener("pointerdown", function (event) {
    var s = boxOf(event.target);
    if (s) { s.keyboard = false; }
  });
  form.addEventListener("change", function (event) {
    if (event.target.type !== "radio") { return; }
    var s = boxOf(event.target);
    if (!s) { return; }
    if (s.keyboard) { wait(s, KEYBOARD_PAUSE); } else { save(s); }
  });
  form.addEventListener("input", function (event) {
    if (event.target.tagName !== "TEXTAREA") { return; }
    var s = boxOf(event.target);
    if (s) { wait(s, COMMENT_PAUSE); }
  });
  // Focus leaving the answers or the comment saves what waits (not when moving between radios).
  form.addEventListener("focusout", function (event) {
    var s = boxOf(event.target);
    if (!s || !s.timer) { return; }
    var next = event.relatedTarget;
    if (event.target.type === "radio" && next && next.type === "radio" && s.box.contains(next)) { return; }
    save(s);
  });
  // The page's own post carries every value: nothing to warn about.
  form.addEventListener("submit", function () { submitting = true; });

  function unsaved() {
    return Object.keys(states).filter(function (code) {
      var s = states[code];
      return s.busy || s.failed || dirty(s);
    });
  }

  window.addEventListener("beforeunload", function (event) {
    if (submitting) { return; }
    var waiting = unsaved();
    if (!waiting.length) { return; }
    waiting.forEach(function (code) { save(states[code]); });  // sent anyway (keepalive)
    event.preventDefault();
    event.returnValue = "";  // the browser asks whether to leave: something is not saved yet
  });
  // Closing the tab or leaving through history: what waits is still sent.
  window.addEventListener("pagehide", function () {
    unsaved().forEach(function (code) { save(states[code]); });
  });
  // States for every indicator from the start, so that `unsaved` sees a change made before any event.
  Array.prototype.forEach.call(form.querySelectorAll("[data-save-url]"), stateOf);
}());
