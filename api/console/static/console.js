// Progressive enhancement only: every page works without it.
// A judgement button asks for the reason before sending, instead of a round trip for the error.
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (form.id !== "judgement-form") { return; }
  var reason = form.querySelector("#reason");
  if (reason && reason.value.trim() === "") {
    event.preventDefault();
    reason.focus();
  }
});
