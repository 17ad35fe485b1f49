// The hall screen: clock, notice rotation, and cheap polling with If-None-Match (no inline script: CSP).
(function () {
  "use strict";
  var screen = document.getElementById("screen");
  if (!screen) { return; }
  // The hall's time, not the TV's: the offset from the server is taken once at load.
  var offset = Number(screen.dataset.serverMs) - Date.now();
  var tz = screen.dataset.tz || "Asia/Shanghai";
  var dateFmt = new Intl.DateTimeFormat("zh-CN", {timeZone: tz, year: "numeric", month: "long", day: "numeric", weekday: "long"});
  var timeFmt = new Intl.DateTimeFormat("zh-CN", {timeZone: tz, hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false});

  function tick() {
    var now = new Date(Date.now() + offset);
    document.getElementById("screen-date").textContent = dateFmt.format(now);
    document.getElementById("screen-clock").textContent = timeFmt.format(now);
  }

  var index = 0;
  var timer = null;
  function slides() { return document.querySelectorAll("#screen-content .slide"); }
  function show(i) {
    var all = slides();
    all.forEach(function (s, n) { s.hidden = n !== i; });
  }
  function restartRotation() {
    if (timer) { window.clearInterval(timer); }
    index = 0;
    show(0);
    var inner = document.querySelector("#screen-content .screen-inner");
    var seconds = inner ? Number(inner.dataset.rotate) || 15 : 15;
    timer = window.setInterval(function () {
      var all = slides();
      if (all.length < 2) { return; }
      index = (index + 1) % all.length;
      show(index);
    }, seconds * 1000);
  }

  function currentEtag() {
    var inner = document.querySelector("#screen-content .screen-inner");
    return inner ? inner.dataset.etag : "";
  }
  function offline(on) { document.getElementById("screen-offline").hidden = !on; }

  document.addEventListener("htmx:configRequest", function (event) {
    var etag = currentEtag();
    if (etag) { event.detail.headers["If-None-Match"] = etag; }
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target && event.detail.target.id === "screen-content") { restartRotation(); }
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var status = event.detail.xhr ? event.detail.xhr.status : 0;
    if (status === 200 || status === 304) { offline(false); }
  });
  // Server or network down: keep showing what is there, say so, and let the next poll retry.
  document.addEventListener("htmx:sendError", function () { offline(true); });
  document.addEventListener("htmx:responseError", function (event) {
    var status = event.detail.xhr ? event.detail.xhr.status : 0;
    if (status === 404) { window.location.reload(); return; }  // the screen's token was revoked
    offline(true);
  });

  tick();
  window.setInterval(tick, 1000);
  restartRotation();
})();
