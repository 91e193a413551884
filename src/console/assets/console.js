// Onyx Partner Portal: progressive enhancement only. Every page works without this file.
// 1. Times are rendered in UTC by the server; show them in the viewer's locale and zone
//    (the UTC time stays in the title, shown on hover).
// 2. Buttons with data-confirm ask before submitting their form.
(function () {
  "use strict";
  function localTimes() {
    var fmt;
    try {
      fmt = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
    } catch (e) {
      return;
    }
    document.querySelectorAll("time[datetime]").forEach(function (el) {
      var d = new Date(el.getAttribute("datetime"));
      if (!isNaN(d.getTime())) {
        el.textContent = fmt.format(d);
      }
    });
  }
  function confirmations() {
    document.querySelectorAll("[data-confirm]").forEach(function (el) {
      el.addEventListener("click", function (ev) {
        if (!window.confirm(el.getAttribute("data-confirm"))) {
          ev.preventDefault();
        }
      });
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    localTimes();
    confirmations();
  });
})();
