/* Helpdesk staff pages: keyboard shortcuts and the collision notice. Plain JS, no build step. */
(function () {
  "use strict";

  function typing(target) {
    var tag = target && target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable);
  }

  // -- help overlay ------------------------------------------------------------------------
  var help = document.getElementById("shortcuts-help");
  var lastFocus = null;
  function toggleHelp(show) {
    if (!help) return;
    var open = show === undefined ? help.hidden : show;
    if (open) {
      lastFocus = document.activeElement;
      help.hidden = false;
      var close = document.getElementById("shortcuts-close");
      if (close) close.focus();
    } else {
      help.hidden = true;
      if (lastFocus && lastFocus.focus) lastFocus.focus();
    }
  }
  var closeButton = document.getElementById("shortcuts-close");
  if (closeButton) closeButton.addEventListener("click", function () { toggleHelp(false); });

  // -- the queue ---------------------------------------------------------------------------
  var table = document.getElementById("queue");
  var rows = table ? Array.prototype.slice.call(table.querySelectorAll("tbody tr")) : [];
  var current = -1;
  function setCurrent(index) {
    if (!rows.length) return;
    index = Math.max(0, Math.min(rows.length - 1, index));
    if (current >= 0 && rows[current]) rows[current].classList.remove("current");
    current = index;
    var row = rows[current];
    row.classList.add("current");
    var link = row.querySelector("a.issue-link");
    if (link) link.focus();
  }
  // The bulk panel shows only while issues are selected, with the chosen action's fields.
  var panel = document.getElementById("bulk-panel");
  function boxes() {
    return rows.map(function (row) { return row.querySelector('input[name="issues"]'); })
      .filter(Boolean);
  }
  function showBulkFields() {
    if (!panel) return;
    var action = panel.querySelector('[name="action"]').value;
    panel.querySelectorAll("[data-bulk-field]").forEach(function (field) {
      var name = field.getAttribute("data-bulk-field");
      field.hidden = name !== "action" && name !== action;
    });
  }
  function selectionChanged() {
    if (!panel) return;
    var chosen = boxes().filter(function (box) { return box.checked; }).length;
    var everyPage = document.getElementById("all-matching");
    panel.classList.toggle("active", chosen > 0 || (everyPage && everyPage.checked));
    var count = document.getElementById("selected-count");
    // The page gives the words in the reader's language (templates/web/queue.html).
    count.textContent = everyPage && everyPage.checked
      ? everyPage.parentNode.textContent.trim()
      : (count.getAttribute("data-text") || "%(count)s selected").replace("%(count)s", chosen);
    if (selectAll) selectAll.checked = chosen > 0 && chosen === boxes().length;
  }
  var selectAll = document.getElementById("select-all");
  if (selectAll) {
    selectAll.addEventListener("change", function () {
      boxes().forEach(function (box) { box.checked = selectAll.checked; });
      selectionChanged();
    });
  }
  var allMatching = document.getElementById("all-matching");
  if (allMatching) allMatching.addEventListener("change", selectionChanged);
  if (table) table.addEventListener("change", function (event) {
    if (event.target.name === "issues") selectionChanged();
  });
  if (panel) {
    panel.querySelector('[name="action"]').addEventListener("change", showBulkFields);
    showBulkFields();
    selectionChanged();  // the browser may keep boxes checked across a reload
  }
  // Wide screens have room for the filters; a phone shows them on request.
  var moreFilters = document.getElementById("more-filters");
  if (moreFilters && window.matchMedia("(min-width: 761px)").matches) moreFilters.open = true;
  // `a` sends a form of its own for the current issue alone: the bulk form may have other
  // issues ticked, or every issue matching the filter, and those stay as the user left them.
  function assignCurrentToMe() {
    var bulk = document.getElementById("bulk-form");
    if (!bulk || current < 0) return;
    var id = rows[current].getAttribute("data-issue");
    var version = rows[current].querySelector('input[name="version:' + id + '"]');
    var form = document.createElement("form");
    form.method = "post";
    form.action = bulk.getAttribute("action");
    form.hidden = true;
    [
      ["csrfmiddlewaretoken", bulk.querySelector('[name="csrfmiddlewaretoken"]').value],
      ["next", bulk.querySelector('[name="next"]').value],
      ["action", "assign"],
      ["assignee", table.getAttribute("data-me")],
      ["issues", id],
      ["version:" + id, version ? version.value : ""]
    ].forEach(function (field) {
      var input = document.createElement("input");
      input.type = "hidden";
      input.name = field[0];
      input.value = field[1];
      form.appendChild(input);
    });
    document.body.appendChild(form);
    form.submit();
  }

  // -- the issue page ----------------------------------------------------------------------
  var issue = document.getElementById("issue");
  // requestSubmit, not submit: the page's submit listeners (composer.js) hear of it.
  function send(form) {
    if (form.requestSubmit) form.requestSubmit(); else form.submit();
  }
  function assignMeOnIssue() {
    var pick = document.getElementById("pick-form");
    if (pick) { send(pick); return; }
    var assign = document.getElementById("assign-form");
    if (assign) {
      var select = assign.querySelector('[name="assignee"]');
      select.value = issue.getAttribute("data-me");
      send(assign);
    }
  }
  function reply() {
    var box = document.getElementById("composer-body");
    if (box) { box.focus(); box.scrollIntoView({block: "center"}); }
  }
  if (issue && window.location.hash === "#reply") reply();

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === "Escape" && help && !help.hidden) { toggleHelp(false); return; }
    if (typing(event.target)) return;
    if (event.key === "?") { event.preventDefault(); toggleHelp(); return; }
    if (help && !help.hidden) return;
    if (event.key === "/") {
      var search = document.getElementById("f-q");
      if (search) { event.preventDefault(); search.focus(); }
      return;
    }
    if (table) {
      if (event.key === "j") { event.preventDefault(); setCurrent(current + 1); }
      else if (event.key === "k") { event.preventDefault(); setCurrent(current < 0 ? 0 : current - 1); }
      else if ((event.key === "o" || event.key === "Enter") && current >= 0) {
        if (event.key === "o" || event.target === document.body) {
          event.preventDefault();
          window.location.href = rows[current].getAttribute("data-url");
        }
      }
      else if (event.key === "x" && current >= 0) {
        var box = rows[current].querySelector('input[name="issues"]');
        if (box) { box.checked = !box.checked; selectionChanged(); }
      }
      else if (event.key === "a" && current >= 0) { event.preventDefault(); assignCurrentToMe(); }
      else if (event.key === "r" && current >= 0) {
        event.preventDefault();
        window.location.href = rows[current].getAttribute("data-url") + "#reply";
      }
    } else if (issue) {
      if (event.key === "a") { event.preventDefault(); assignMeOnIssue(); }
      else if (event.key === "r") { event.preventDefault(); reply(); }
    }
  });

  // -- collision notice and who else is looking: poll the issue's version ---------------------
  if (issue) {
    var shown = parseInt(issue.getAttribute("data-version"), 10);
    var url = issue.getAttribute("data-version-url") + "?since=" + shown;
    var notice = document.getElementById("collision-notice");
    var looking = document.getElementById("looking");
    var interval = parseInt(issue.getAttribute("data-poll-ms") || "3000", 10);
    var showLooking = function (text) {
      if (!looking) return;
      text = text || "";
      if (looking.textContent !== text) looking.textContent = text;
      looking.hidden = !text;
    };
    var poll = function () {
      if (document.hidden) return;
      fetch(url, {headers: {"Accept": "application/json"}, credentials: "same-origin"})
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (change) {
          if (!change) return;
          showLooking(change.looking_text);
          if (change.version <= shown) return;  // a deadline flag since is no change (selectors)
          var told = (change.changes && change.changes.length)
            ? change.changes.join("; ") + ". "
            : (issue.getAttribute("data-text-changed") || "%(name)s changed this issue.")
              .replace("%(name)s", change.changed_by) + " ";
          notice.textContent = "";
          notice.appendChild(document.createTextNode(told));
          var link = document.createElement("a");
          link.href = window.location.pathname;
          link.textContent = issue.getAttribute("data-text-reload") || "Reload to see the changes";
          notice.appendChild(link);
          notice.hidden = false;
        })
        .catch(function () { /* offline for a moment: try again next time */ });
    };
    window.setInterval(poll, interval);
  }
})();
