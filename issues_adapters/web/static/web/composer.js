/* The issue page's composer. Files over the message's limit are refused here, before sending:
   such a body is refused unread by the server, which then cannot keep what was typed. */
(function () {
  "use strict";

  var composer = document.getElementById("composer-form");
  if (!composer) return;

  // -- the files' total, checked before sending -------------------------------------------
  var files = composer.querySelector('input[type="file"]');
  var tooLarge = document.getElementById("composer-too-large");
  var limit = parseInt(composer.getAttribute("data-max-message-bytes") || "0", 10);
  function total() {
    return Array.prototype.reduce.call(files.files || [], function (sum, file) {
      return sum + file.size;
    }, 0);
  }
  function checkFiles() {
    var over = limit > 0 && total() > limit;
    tooLarge.hidden = !over;
    if (over) {
      tooLarge.setAttribute("role", "alert");
      files.setAttribute("aria-invalid", "true");
    } else {
      tooLarge.removeAttribute("role");
      files.removeAttribute("aria-invalid");
    }
    return !over;
  }
  if (files && tooLarge) {
    files.addEventListener("change", checkFiles);
    composer.addEventListener("submit", function (event) {
      if (checkFiles()) return;
      event.preventDefault();
      files.focus();
    });
  }
})();
