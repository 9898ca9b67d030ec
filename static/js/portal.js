/* Loaded on every page. No framework: this runs on phones in factories with poor signal.
   - Enterprise name suggestions for every enterprise field (apps.enterprises.forms.EnterpriseNameField):
     the input's data-enterprise-search attribute holds the registry's name-search URL.
   - A form is sent once: its submit buttons are disabled while it is being sent (a double tap on
     a slow network would otherwise send it twice; the server's one-time key is the real guard). */
(function () {
  "use strict";

  function enterpriseSearch(input) {
    var url = input.getAttribute("data-enterprise-search");
    var listId = input.getAttribute("list");
    if (!url || !listId) return;
    var list = document.getElementById(listId);
    if (!list) {
      list = document.createElement("datalist");
      list.id = listId;
      document.body.appendChild(list);
    }
    var timer = null;
    var last = "";
    input.addEventListener("input", function () {
      var term = input.value.trim();
      if (timer) clearTimeout(timer);
      if (!term || term === last) return;
      timer = setTimeout(function () {
        last = term;
        fetch(url + "?q=" + encodeURIComponent(term), { credentials: "same-origin" })
          .then(function (response) { return response.ok ? response.json() : { results: [] }; })
          .then(function (data) {
            list.replaceChildren();
            data.results.forEach(function (name) {
              var option = document.createElement("option");
              option.value = name;
              list.appendChild(option);
            });
          })
          .catch(function () { /* offline: the user can still type the full name */ });
      }, 200);
    });
  }

  function sendOnce(form) {
    form.addEventListener("submit", function (event) {
      if (form.method.toLowerCase() !== "post") return;
      if (form.dataset.sending === "1") {
        event.preventDefault();
        return;
      }
      form.dataset.sending = "1";
      form.querySelectorAll("button[type=submit], input[type=submit]").forEach(function (button) {
        // Disabled after this tick, so that the clicked button's name/value is still sent.
        setTimeout(function () { button.disabled = true; }, 0);
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    // The login page reached from a form whose session had expired (static/js/services.js)
    // says that what was typed is kept.
    var pending = document.querySelector("[data-draft-pending]");
    try {
      if (pending && sessionStorage.getItem("zp-draft-pending")) pending.classList.remove("d-none");
    } catch (e) { /* storage disabled */ }
    document.querySelectorAll("input[data-enterprise-search]").forEach(enterpriseSearch);
    document.querySelectorAll("form").forEach(sendOnce);
  });
  // A page shown again from the back-forward cache gets its buttons back.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-sending]").forEach(function (form) {
      delete form.dataset.sending;
      form.querySelectorAll("button[type=submit], input[type=submit]").forEach(function (b) {
        b.disabled = false;
      });
    });
  });
})();

// Behaviour every page shares, kept out of the markup so that the Content-Security-Policy
// can forbid inline script: a select that submits its form on change (the language switch),
// and a "cancel" link that goes back when there is somewhere to go back to.
(function () {
  "use strict";

  document.addEventListener("change", function (event) {
    var select = event.target.closest("[data-autosubmit]");
    if (select && select.form) {
      select.form.submit();
    }
  });

  document.addEventListener("click", function (event) {
    var link = event.target.closest("[data-history-back]");
    if (link && window.history.length > 1) {
      event.preventDefault();
      window.history.back();
    }
  });
})();

// A button with data-print prints the page (print layouts of reports; no inline handlers).
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});
