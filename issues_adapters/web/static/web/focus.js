/* After a refused form, focus what needs attention: the first field with an error, else the
   page's alert. Otherwise focus stays on the page, and a keyboard or screen reader user is
   not told that anything went wrong. */
(function () {
  "use strict";
  var target = document.querySelector('main [aria-invalid="true"]') ||
    document.querySelector('main [role="alert"]');
  if (!target) return;
  if (!target.matches("input, select, textarea, button, a[href]")) {
    target.setAttribute("tabindex", "-1");
  }
  target.focus();
})();
