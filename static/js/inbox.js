// The top bar's inbox count. The page itself is rendered without it (no query added to any page):
// the bar shows the last answer this tab saw and asks with its ETag, so an unchanged inbox costs a
// 304 from one query. Any successful write through htmx asks again at once.
(function () {
  "use strict";
  var KEY = "halldesk-inbox-bar";

  function restore() {
    var bar = document.getElementById("inbox-bar");
    var saved;
    try { saved = JSON.parse(window.sessionStorage.getItem(KEY) || "null"); } catch (e) { saved = null; }
    if (!bar || !saved || saved.user !== bar.dataset.user || !saved.html) { return; }
    var holder = document.createElement("div");
    holder.innerHTML = saved.html;
    var old = holder.firstElementChild;
    if (!old || old.id !== "inbox-bar") { return; }
    old.setAttribute("hx-trigger", "load, " + old.getAttribute("hx-trigger"));
    bar.replaceWith(old);
  }

  function save(bar) {
    try {
      window.sessionStorage.setItem(KEY, JSON.stringify({user: bar.dataset.user, html: bar.outerHTML}));
    } catch (e) { /* storage full or refused: the next page asks afresh */ }
  }

  restore();
  document.addEventListener("htmx:afterSettle", function (event) {
    var bar = document.getElementById("inbox-bar");
    if (bar && event.detail.elt === bar) { save(bar); }
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var verb = event.detail.requestConfig ? event.detail.requestConfig.verb : "get";
    if (event.detail.successful && verb !== "get") { document.body.dispatchEvent(new Event("inbox-refresh")); }
  });
  document.addEventListener("submit", function (event) {
    if (event.target.action && /\/logout$/.test(event.target.action)) { window.sessionStorage.removeItem(KEY); }
  });
})();
