/* Enterprise service pages: adding demand rows to the visit form,
   and a draft kept in the browser so that a dropped connection or a closed tab loses nothing.
   No framework: this runs on phones in factories with poor signal. */
(function () {
  "use strict";

  var DRAFT_PREFIX = "zp-draft:";

  // --- Demand rows ---------------------------------------------------------------------------
  function addDemandRow(form) {
    var total = form.querySelector("input[name$='-TOTAL_FORMS']");
    var template = document.getElementById("demand-row-template");
    if (!total || !template) return null;
    var index = parseInt(total.value, 10);
    var html = template.innerHTML.replace(/__prefix__/g, String(index));
    var holder = document.createElement("div");
    holder.innerHTML = html.trim();
    var row = holder.firstElementChild;
    form.querySelector("[data-demand-rows]").appendChild(row);
    total.value = String(index + 1);
    return row;
  }

  // --- Drafts ----------------------------------------------------------------------------------
  // A visit opened from a "log a visit" link (?enterprise=…) keeps its own draft, so it
  // neither overwrites nor is overwritten by the draft of another enterprise's visit.
  function draftKey(form) {
    return DRAFT_PREFIX + form.dataset.draft + window.location.search;
  }

  function fields(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      // The CSRF token and the one-time submission key belong to this page, never to a draft.
      return el.name && el.name !== "csrfmiddlewaretoken" && el.name !== "_submission" &&
        el.type !== "submit" && el.type !== "button";
    });
  }

  function saveDraft(form) {
    var data = {};
    fields(form).forEach(function (el) {
      if (el.type === "checkbox" || el.type === "radio") {
        if (el.checked) (data[el.name] = data[el.name] || []).push(el.value);
      } else {
        data[el.name] = el.value;
      }
    });
    try {
      localStorage.setItem(draftKey(form), JSON.stringify({ savedAt: Date.now(), data: data }));
    } catch (e) { /* storage full or disabled: the server still re-renders on error */ }
  }

  function restoreDraft(form) {
    var raw;
    try { raw = localStorage.getItem(draftKey(form)); } catch (e) { return false; }
    if (!raw) return false;
    var data;
    try { data = JSON.parse(raw).data; } catch (e) { return false; }
    var total = form.querySelector("input[name$='-TOTAL_FORMS']");
    if (total && data[total.name]) {
      var wanted = parseInt(data[total.name], 10);
      while (parseInt(total.value, 10) < wanted) addDemandRow(form);
    }
    var typed = false;
    fields(form).forEach(function (el) {
      if (!(el.name in data) && el.type !== "checkbox" && el.type !== "radio") return;
      if (el.type === "checkbox" || el.type === "radio") {
        el.checked = (data[el.name] || []).indexOf(el.value) !== -1;
      } else if (!/-(TOTAL|INITIAL)_FORMS$/.test(el.name)) {
        // (the row count was restored above by adding rows)
        if (el.value !== data[el.name]) typed = typed || data[el.name] !== "";
        el.value = data[el.name];
      }
    });
    return typed;
  }

  function clearDraft(name) {
    try {
      Object.keys(localStorage).forEach(function (key) {
        if (key.indexOf(DRAFT_PREFIX + name) === 0) localStorage.removeItem(key);
      });
    } catch (e) { /* storage disabled */ }
  }

  document.addEventListener("DOMContentLoaded", function () {
    // A page reached after a successful save clears that form's draft.
    document.querySelectorAll("[data-draft-clear]").forEach(function (el) {
      clearDraft(el.dataset.draftClear);
    });


    document.querySelectorAll("form[data-draft]").forEach(function (form) {
      // After a rejected submission the server shows what was typed; the draft is older.
      if (!form.hasAttribute("data-bound") && restoreDraft(form)) {
        var notice = document.querySelector("[data-draft-notice]");
        if (notice) notice.classList.remove("d-none");
      }
      var pending = null;
      var save = function () {
        if (pending) clearTimeout(pending);
        pending = setTimeout(function () { saveDraft(form); }, 300);
      };
      form.addEventListener("input", save);
      form.addEventListener("change", save);
      form.addEventListener("submit", function () { saveDraft(form); });
      var add = form.querySelector("[data-add-demand]");
      if (add) {
        add.addEventListener("click", function () {
          var row = addDemandRow(form);
          if (row) {
            var first = row.querySelector("select, textarea");
            if (first) first.focus();
          }
          saveDraft(form);
        });
      }
    });

    var discard = document.querySelector("[data-draft-discard]");
    if (discard) {
      discard.addEventListener("click", function () {
        var form = document.querySelector("form[data-draft]");
        try { localStorage.removeItem(draftKey(form)); } catch (e) { /* storage disabled */ }
        window.location.reload();
      });
    }
  });
})();
