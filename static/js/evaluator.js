// The evaluator at the window: cheap polling with If-None-Match, and back to idle after thanks (CSP: no inline).
(function () {
  "use strict";
  var device = document.getElementById("evaluator");
  if (!device) { return; }
  var holdUntil = 0;
  function inner() { return document.querySelector("#evaluator-panel .evaluator-inner"); }
  function offline(on) { document.getElementById("evaluator-offline").hidden = !on; }

  document.addEventListener("htmx:configRequest", function (event) {
    var shown = inner();
    if (event.detail.elt === device && shown && shown.dataset.etag) {
      event.detail.headers["If-None-Match"] = shown.dataset.etag;
    }
  });
  // Thanks or a refusal stays on screen for a few seconds before the next poll brings back idle.
  document.addEventListener("htmx:beforeRequest", function (event) {
    if (event.detail.elt === device && Date.now() < holdUntil) { event.preventDefault(); }
  });
  document.addEventListener("htmx:afterSwap", function () {
    var shown = inner();
    var seconds = shown ? Number(shown.dataset.return) || 0 : 0;
    holdUntil = seconds ? Date.now() + seconds * 1000 : 0;
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var status = event.detail.xhr ? event.detail.xhr.status : 0;
    if (status && status < 500) { offline(false); }
  });
  document.addEventListener("htmx:sendError", function () { offline(true); });
  document.addEventListener("htmx:responseError", function (event) {
    var status = event.detail.xhr ? event.detail.xhr.status : 0;
    if (status === 404) { window.location.reload(); return; }  // the device's token was revoked
    offline(true);
  });
})();
