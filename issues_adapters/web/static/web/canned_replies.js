// The canned-reply picker: a combobox over a listbox. Type to filter, ArrowDown/ArrowUp to
// choose, Enter (or a click) to insert the reply, already filled with the values, into
// the textarea named by data-target, at the cursor. Escape closes the list.
(function () {
  "use strict";

  function setUp(picker) {
    var input = picker.querySelector('[role="combobox"]');
    var list = picker.querySelector('[role="listbox"]');
    var status = picker.querySelector('[role="status"]');
    var target = document.getElementById(picker.getAttribute("data-target"));
    var options = Array.prototype.slice.call(list.querySelectorAll('[role="option"]'));
    var active = -1;
    if (!input || !target) return;

    function visible() {
      return options.filter(function (option) { return !option.hidden; });
    }

    function open() {
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      options.forEach(function (option) { option.setAttribute("aria-selected", "false"); });
      active = -1;
    }

    function choose(index) {
      var shown = visible();
      if (!shown.length) return;
      active = (index + shown.length) % shown.length;
      options.forEach(function (option) { option.setAttribute("aria-selected", "false"); });
      shown[active].setAttribute("aria-selected", "true");
      input.setAttribute("aria-activedescendant", shown[active].id);
      shown[active].scrollIntoView({ block: "nearest" });
    }

    function filter() {
      var typed = input.value.trim().toLowerCase();
      options.forEach(function (option) {
        option.hidden = typed !== "" && option.textContent.toLowerCase().indexOf(typed) === -1;
      });
      open();
      choose(0);
    }

    function insert(option) {
      var text = option.getAttribute("data-body");
      var start = target.selectionStart || 0;
      var end = target.selectionEnd || 0;
      target.value = target.value.slice(0, start) + text + target.value.slice(end);
      target.focus();
      target.setSelectionRange(start + text.length, start + text.length);
      target.dispatchEvent(new Event("input", { bubbles: true }));
      input.value = "";
      options.forEach(function (each) { each.hidden = false; });
      close();
      if (status) status.textContent = picker.getAttribute("data-inserted") + " " + option.textContent.trim();
    }

    input.addEventListener("focus", function () { open(); });
    input.addEventListener("input", filter);
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        if (list.hidden) open();
        choose(active + (event.key === "ArrowDown" ? 1 : -1));
      } else if (event.key === "Enter") {
        event.preventDefault();  // never sends the comment form
        var shown = visible();
        if (!list.hidden && active >= 0 && shown[active]) insert(shown[active]);
      } else if (event.key === "Escape") {
        close();
      }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
    options.forEach(function (option) {
      option.addEventListener("mousedown", function (event) {
        event.preventDefault();
        insert(option);
      });
    });
  }

  document.querySelectorAll("[data-canned-picker]").forEach(setUp);
})();
