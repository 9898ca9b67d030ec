// A background job's page (/jobs/<id>/): polls its JSON status and updates the progress bar,
// then shows the download or the result link. No inline script (Content-Security-Policy).
(function () {
  "use strict";
  var box = document.getElementById("job");
  if (!box) {
    return;
  }
  var url = box.getAttribute("data-status-url");
  function part(name) {
    return box.querySelector('[data-job="' + name + '"]');
  }
  function show(link, href) {
    if (href) {
      link.setAttribute("href", href);
      link.classList.remove("d-none");
    }
  }
  function render(data) {
    part("status_label").textContent = data.status_label;
    part("counts").textContent = data.total ? data.done + " / " + data.total : "";
    var bar = part("bar");
    bar.style.width = data.percent + "%";
    bar.textContent = data.percent + "%";
    bar.parentNode.setAttribute("aria-valuenow", String(data.percent));
    part("message").textContent = data.message || "";
    if (data.finished) {
      bar.classList.remove("progress-bar-striped", "progress-bar-animated");
      if (data.status === "failed") {
        bar.classList.add("bg-danger");
        part("message").classList.add("text-danger");
      }
      show(part("download"), data.download_url);
      show(part("result"), data.result_url);
    }
  }
  var delay = 1000;
  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.json();
      })
      .then(function (data) {
        render(data);
        if (!data.finished) {
          window.setTimeout(poll, delay);
        }
      })
      .catch(function () {
        // The network or the server is briefly away: try again, less often.
        delay = Math.min(delay * 2, 15000);
        window.setTimeout(poll, delay);
      });
  }
  if (part("bar") && !box.querySelector(".progress-bar:not(.progress-bar-animated)")) {
    window.setTimeout(poll, 500);
  }
})();
