// HallDesk's own script: no inline scripts anywhere (the CSP forbids them).
(function () {
  "use strict";

  function showStatus(text) {
    var box = document.getElementById("net-status");
    if (!box) { return; }
    box.textContent = text;
    box.hidden = !text;
  }

  document.addEventListener("htmx:sendError", function () {
    showStatus("网络连接中断，正在重试…");
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail.successful || (event.detail.xhr && event.detail.xhr.status === 422)) {
      showStatus("");
    }
  });
  document.addEventListener("htmx:responseError", function (event) {
    var status = event.detail.xhr ? event.detail.xhr.status : 0;
    if (status === 403) { showStatus("没有权限执行这个操作。"); }
    else if (status === 400) { showStatus("页面已过期，请刷新页面后重试。"); }
    else if (status === 413) { showStatus("文件太大，请压缩后再试。"); }
    else if (status >= 500) { showStatus("系统出错，请稍后再试。"); }
    else { showStatus("操作没有成功（" + status + "），请刷新页面后重试。"); }
  });
  // A polling element that knows the version it shows (data-etag) asks for it conditionally: the
  // server answers 304 (no swap) while nothing changed.
  document.addEventListener("htmx:configRequest", function (event) {
    var elt = event.detail.elt;
    if (elt && elt.dataset && elt.dataset.etag) { event.detail.headers["If-None-Match"] = elt.dataset.etag; }
  });
  // A submit button is disabled while its request runs, so a double tap books once.
  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = event.target.closest("form");
    if (form) { form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; }); }
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.target.closest && event.target.closest("form");
    if (form) { form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = false; }); }
  });
  // Plain form posts: disable the button after the first tap.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.hasAttribute("hx-post")) { return; }
    window.setTimeout(function () {
      form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
    }, 0);
  });
  // File inputs: the browser draws its own button in its own language. A Chinese button and the chosen
  // file names stand in for it; the input itself stays in the form, so a plain post works as before.
  function pickerLabel(input) {
    if (input.hasAttribute("capture")) { return "拍照或选择照片"; }
    return input.multiple ? "选择文件（可多选）" : "选择文件";
  }
  function enhanceFiles(root) {
    if (!root.querySelectorAll) { return; }
    root.querySelectorAll("input[type=file]:not([data-picker])").forEach(function (input) {
      input.setAttribute("data-picker", "1");
      var pick = document.createElement("button");
      pick.type = "button";
      pick.className = "btn file-pick";
      pick.textContent = pickerLabel(input);
      var names = document.createElement("span");
      names.className = "file-names";
      names.setAttribute("aria-live", "polite");
      names.textContent = "未选择文件";
      pick.addEventListener("click", function () { input.click(); });
      input.addEventListener("change", function () {
        var chosen = Array.prototype.map.call(input.files || [], function (f) { return f.name; });
        names.textContent = chosen.length ? "已选择：" + chosen.join("、") : "未选择文件";
      });
      input.classList.add("file-native");
      input.tabIndex = -1;
      input.insertAdjacentElement("afterend", names);
      input.insertAdjacentElement("afterend", pick);
    });
  }
  document.addEventListener("DOMContentLoaded", function () { enhanceFiles(document); });
  document.addEventListener("htmx:load", function (event) { enhanceFiles(event.target); });
})();
