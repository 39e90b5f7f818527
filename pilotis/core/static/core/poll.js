// A block that asks to be polled ([data-poll-url]) refreshes itself every few seconds: it is asked
// again (with HX-Request, so the server answers the block alone) and replaced; it stops once the
// server's block no longer asks to be polled (the export is ready or failed; the mailing finished
// or waits for « Reprendre l'envoi »). Without JavaScript
// the page's « Actualiser » link and its <noscript> refresh do the same. When htmx itself is on the
// page, its hx-get/hx-trigger attributes do it instead.
(function () {
  "use strict";
  if (window.htmx || !window.fetch) { return; }
  function schedule() {
    var block = document.querySelector("[data-poll-url]");
    if (!block) { return; }
    var seconds = parseInt(block.getAttribute("data-poll-seconds"), 10) || 3;
    window.setTimeout(function () {
      fetch(block.getAttribute("data-poll-url"), { headers: { "HX-Request": "true" }, credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.text() : Promise.reject(response.status); })
        .then(function (html) {
          var holder = document.createElement("div");
          holder.innerHTML = html.trim();
          var fresh = holder.firstElementChild;
          if (fresh) { block.replaceWith(fresh); }
          schedule();
        })
        .catch(function () { window.setTimeout(schedule, seconds * 1000); });
    }, seconds * 1000);
  }
  schedule();
})();
