/* Enterprise service pages: adding and removing demand rows on the visit form, a draft kept in
   the browser so that a dropped connection or a closed tab loses nothing, and a form with a draft
   sent by fetch, so that saving offline (or on a connection that drops) says so and keeps the
   draft instead of showing the browser's offline page, and saving after the session expired goes
   through the login page back to the form with the draft.
   No framework: this runs on phones in factories with poor signal. */
(function () {
  "use strict";

  var DRAFT_PREFIX = "zp-draft:";
  // Set when a form with a draft met the login page: the login page says the draft is kept.
  var PENDING_KEY = "zp-draft-pending";

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
    renumberDemandRows(form);
    return row;
  }

  // Django's formset reads rows 0..TOTAL_FORMS-1: after a row is taken out, the rows after it
  // move up one place (names, ids and labels) and the count goes down.
  function renumberDemandRows(form) {
    var total = form.querySelector("input[name$='-TOTAL_FORMS']");
    if (!total) return;
    var prefix = total.name.replace(/-TOTAL_FORMS$/, "");
    var pattern = new RegExp("^(id_)?" + prefix + "-\\d+-");
    var rows = form.querySelectorAll("[data-demand-rows] [data-demand-row]");
    rows.forEach(function (row, index) {
      row.querySelectorAll("[name], [id], [for], [aria-describedby]").forEach(function (el) {
        ["name", "id", "for", "aria-describedby"].forEach(function (attr) {
          var value = el.getAttribute(attr);
          if (value && pattern.test(value)) {
            el.setAttribute(attr, value.replace(pattern, "$1" + prefix + "-" + index + "-"));
          }
        });
      });
      var number = row.querySelector("[data-demand-number]");
      if (number) number.textContent = String(index + 1);
    });
    total.value = String(rows.length);
  }

  function removeDemandRow(form, row) {
    row.remove();
    renumberDemandRows(form);
  }

  // --- Sending a form with a draft ---------------------------------------------------------------
  function showOffline(form) {
    var notice = form.querySelector("[data-offline-notice]");
    if (notice) {
      notice.classList.remove("d-none");
      notice.scrollIntoView({ block: "center" });
    }
  }

  // The form may be sent again (portal.js disabled its buttons for the send that failed).
  function release(form) {
    delete form.dataset.sending;
    setTimeout(function () {
      form.querySelectorAll("button[type=submit], input[type=submit]").forEach(function (b) {
        b.disabled = false;
      });
    }, 0);
  }

  function isLoginPage(form, url) {
    return new URL(url).pathname === form.dataset.loginUrl;
  }

  function sendWithDraft(form, event) {
    saveDraft(form);
    if (event.defaultPrevented) return; // already being sent (a double tap)
    event.preventDefault();
    var notice = form.querySelector("[data-offline-notice]");
    if (notice) notice.classList.add("d-none");
    if (navigator.onLine === false) {
      showOffline(form);
      release(form);
      return;
    }
    fetch(form.action || window.location.href, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      redirect: "follow",
    })
      .then(function (response) {
        var loginPage = response.redirected && isLoginPage(form, response.url);
        return response.text().then(function (html) {
          if (loginPage) {
            try { sessionStorage.setItem(PENDING_KEY, "1"); } catch (e) { /* disabled */ }
          }
          // Show the answer as a normal post would, without asking for it a second time (which
          // would also spend its one-time message): the saved visit's page (it clears the draft),
          // the login page after the session expired (it leads back here, where the draft is
          // restored), or this form again with the reasons it was refused.
          if (response.redirected) window.history.replaceState(null, "", response.url);
          document.open();
          document.write(html);
          document.close();
        });
      })
      .catch(function () {
        showOffline(form);
        release(form);
      });
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
      try { sessionStorage.removeItem(PENDING_KEY); } catch (e) { /* storage disabled */ }
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
      form.addEventListener("submit", function (event) { sendWithDraft(form, event); });
      form.addEventListener("click", function (event) {
        var remove = event.target.closest("[data-remove-demand]");
        if (!remove) return;
        removeDemandRow(form, remove.closest("[data-demand-row]"));
        saveDraft(form);
      });
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
