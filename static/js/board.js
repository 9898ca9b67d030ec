// The pipeline board (项目看板) on a desktop: drag a card to another stage's column. The drop
// asks the server for the transition that leads there (GET <project>/move-to/<stage>/) and shows
// its form, the project page's, in a dialog; the form posts to <project>/move/<action>/. A
// refused move (no such step, not this user, a guard or bad input) puts the card back where it
// was and shows the reason; a done one reloads the board. Without a pointer (keyboard, phone)
// the cards stay links to the project page, where the same buttons are.
(function () {
  "use strict";
  var board = document.querySelector("[data-testid=board][data-movable]");
  var dialogBox = document.getElementById("board-move");
  if (!board || !dialogBox || typeof bootstrap === "undefined") return;
  var dialog = bootstrap.Modal.getOrCreateInstance(dialogBox);
  var body = dialogBox.querySelector("[data-board-body]");
  var failed = board.getAttribute("data-failed");
  var card = null;
  var home = null;
  var homeNext = null;
  var done = false;

  function snapBack() {
    if (card && home && card.parentNode !== home) home.insertBefore(card, homeNext);
  }

  function show(html) {
    body.innerHTML = html;
    dialog.show();
  }

  function showFailure() {
    var alert = document.createElement("div");
    alert.className = "alert alert-warning mb-0";
    alert.setAttribute("role", "alert");
    alert.setAttribute("data-testid", "refusal");
    alert.textContent = failed;
    body.replaceChildren(alert);
    dialog.show();
  }

  // The server's fragment (200 a form; 400/403 a refusal) or, for anything else, a plain failure.
  function answer(response) {
    var type = response.headers.get("Content-Type") || "";
    if ((response.ok || response.status === 400 || response.status === 403) &&
        type.indexOf("text/html") === 0) {
      return response.text().then(function (html) {
        if (!response.ok) snapBack();
        show(html);
      });
    }
    snapBack();
    showFailure();
    return null;
  }

  board.addEventListener("dragstart", function (event) {
    var dragged = event.target.closest && event.target.closest("[data-move-to]");
    if (!dragged) return;
    card = dragged;
    home = card.parentNode;
    homeNext = card.nextSibling;
    done = false;
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.getAttribute("data-project"));
    card.classList.add("opacity-50");
  });

  board.addEventListener("dragend", function () {
    if (card) card.classList.remove("opacity-50");
  });

  board.addEventListener("dragover", function (event) {
    var column = event.target.closest && event.target.closest("[data-stage]");
    if (card && column && column.getAttribute("data-stage") !== card.getAttribute("data-status")) {
      event.preventDefault();
      event.dataTransfer.dropEffect = "move";
    }
  });

  board.addEventListener("drop", function (event) {
    var column = event.target.closest && event.target.closest("[data-stage]");
    if (!card || !column) return;
    var stage = column.getAttribute("data-stage");
    if (stage === card.getAttribute("data-status")) return;
    event.preventDefault();
    card.classList.remove("opacity-50");
    // Shown in the new column while the move is asked for; put back if it is refused.
    var heading = column.querySelector("h2");
    column.insertBefore(card, heading ? heading.nextSibling : column.firstChild);
    fetch(card.getAttribute("data-move-to") + encodeURIComponent(stage) + "/", {
      credentials: "same-origin",
      headers: { Accept: "text/html", "X-Requested-With": "zp-board" },
    }).then(answer).catch(function () {
      snapBack();
      showFailure();
    });
  });

  body.addEventListener("submit", function (event) {
    var form = event.target.closest && event.target.closest("form[data-board-move]");
    if (!form) return;
    event.preventDefault();
    var button = form.querySelector("[type=submit]");
    if (button) button.disabled = true;
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { Accept: "text/html", "X-Requested-With": "zp-board" },
    }).then(function (response) {
      if (response.status === 204) {
        done = true;
        window.location.reload();
        return null;
      }
      return answer(response);
    }).catch(function () {
      snapBack();
      showFailure();
    });
  });

  dialogBox.addEventListener("hidden.bs.modal", function () {
    if (!done) snapBack();
    body.replaceChildren();
  });
})();
