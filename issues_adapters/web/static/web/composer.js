/* The issue page's composer. What is typed in it survives the side panel's forms (each one
   loads the page anew): it is kept as a draft in this tab's sessionStorage, for this issue and
   this staff member, put back when the page comes again with an empty composer, and dropped
   only when the page after the composer's own send says that send was saved (its
   data-sent-draft names the send): a refused, failed or lost send keeps it, whatever else
   changed on the issue meanwhile. Files over the message's limit are refused here,
   before sending: such a body is refused unread by the server, which then keeps nothing. */
(function () {
  "use strict";

  var issue = document.getElementById("issue");
  var composer = document.getElementById("composer-form");
  if (!issue) return;

  // -- the draft --------------------------------------------------------------------------
  var PREFIX = "helpdesk.composer-draft:";
  var me = issue.getAttribute("data-me") || "";
  var key = PREFIX + encodeURIComponent(me) + ":" + window.location.pathname;
  var saved = issue.getAttribute("data-sent-draft") || "";  // the send the server just saved
  var store = null;
  try {
    store = window.sessionStorage;
    // Another staff member's drafts go: whoever signs in next in this tab never sees them.
    Object.keys(store).forEach(function (name) {
      var mine = PREFIX + encodeURIComponent(me) + ":";
      if (name.indexOf(PREFIX) === 0 && name.indexOf(mine) !== 0) store.removeItem(name);
    });
  } catch (error) {
    store = null;  // storage refused (private mode, a policy): no drafts, the page still works
  }
  function read() {
    try { return JSON.parse(store.getItem(key)); } catch (error) { return null; }
  }
  if (store && !composer) store.removeItem(key);  // closed: nothing can be sent any more

  if (composer) {
    var body = document.getElementById("composer-body");
    var sending = null;  // this send's own name, once the composer is sent
    var leaving = false;  // one of the page's own forms, or a link back to this page
    var visibility = function () {
      var chosen = composer.querySelector('input[name="visibility"]:checked');
      return chosen ? chosen.value : "";
    };
    // Names this send in the form, for the server to name it back once it is saved.
    var named = function (form) {
      var name = Date.now().toString(36) + Math.random().toString(36).slice(2, 10);
      var field = form.querySelector('input[name="draft"]');
      if (!field) {
        field = document.createElement("input");
        field.type = "hidden";
        field.name = "draft";
        form.appendChild(field);
      }
      field.value = name;
      return name;
    };
    var save = function () {
      if (!store) return;
      try {
        if (body.value.trim() || sending !== null) {
          store.setItem(key, JSON.stringify(
            {body: body.value, visibility: visibility(), sentAs: sending}));
        } else {
          store.removeItem(key);
        }
      } catch (error) { /* full: the draft is not kept */ }
    };
    var draft = store ? read() : null;
    if (draft && draft.sentAs && draft.sentAs === saved) {
      draft = null;  // the server says this very send was saved
    } else if (draft && !body.value.trim()) {
      body.value = draft.body || "";
      var chosen = draft.visibility === "internal" ? "internal" : "public";
      var radio = composer.querySelector('input[name="visibility"][value="' + chosen + '"]');
      if (radio) radio.checked = true;
    }
    save();  // a refused send's text that the server put back is the draft now
    composer.addEventListener("input", save);
    composer.addEventListener("change", save);
    window.addEventListener("pagehide", save);
    // After the form's own handlers: a send they stopped (files too large) is no send.
    document.addEventListener("submit", function (event) {
      if (event.defaultPrevented) return;
      leaving = true;
      if (event.target.id === "logout-form") {
        store = null;  // logout.js dropped the drafts: leaving the page must not keep this one
        return;
      }
      if (event.target === composer) sending = named(composer);
      save();
    });
    document.addEventListener("click", function (event) {
      var link = event.target.closest && event.target.closest("a[href]");
      if (link && link.origin === window.location.origin &&
          link.pathname === window.location.pathname) {
        leaving = true;  // this page again (the collision notice's reload): the draft comes back
      }
    });
    window.addEventListener("beforeunload", function (event) {
      if (leaving || !body.value.trim()) return;
      event.preventDefault();
      event.returnValue = "";
    });
  }

  // -- the files' total, checked before sending -------------------------------------------
  var files = composer && composer.querySelector('input[type="file"]');
  var tooLarge = document.getElementById("composer-too-large");
  var limit = composer ? parseInt(composer.getAttribute("data-max-message-bytes") || "0", 10) : 0;
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
