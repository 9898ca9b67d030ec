// The bell's unread count, fetched once the page has loaded so that no page waits on it.
(function () {
  const bell = document.getElementById("notification-bell");
  if (!bell) return;
  const badge = bell.querySelector("[data-testid=unread-count]");
  fetch(bell.dataset.unreadUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then((response) => (response.ok ? response.json() : null))
    .then((data) => {
      if (!data || !data.unread) return;
      badge.textContent = data.unread > 99 ? "99+" : String(data.unread);
      badge.classList.remove("d-none");
    })
    .catch(() => {});
})();
