/* Logging out drops the composer's drafts (composer.js) from this tab: a shared desk's next
   user never finds them, and they do not wait there for the next issue page to remove them. */
(function () {
  "use strict";

  var form = document.getElementById("logout-form");
  if (!form) return;
  form.addEventListener("submit", function (event) {
    if (event.defaultPrevented) return;
    try {
      var store = window.sessionStorage;
      Object.keys(store).forEach(function (name) {
        if (name.indexOf("helpdesk.composer-draft:") === 0) store.removeItem(name);
      });
    } catch (error) { /* storage refused: no drafts were kept */ }
  });
})();
