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
