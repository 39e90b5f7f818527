// Autosave feedback for htmx forms: a failed save must be visible, never silent.
document.addEventListener("htmx:sendError", function (event) {
  markFailed(event.detail.elt, "Échec de l’enregistrement : connexion perdue. Votre choix n’est pas enregistré ; réessayez.");
});
document.addEventListener("htmx:responseError", function (event) {
  markFailed(event.detail.elt, "Échec de l’enregistrement (erreur " + event.detail.xhr.status + "). Réessayez.");
});
document.addEventListener("htmx:beforeRequest", function (event) {
  var state = event.detail.elt.querySelector(".pilotis-save-state");
  if (state) { state.textContent = "Enregistrement…"; state.classList.remove("pilotis-save-state--error"); }
});
function markFailed(form, text) {
  var state = form && form.querySelector(".pilotis-save-state");
  if (state) { state.textContent = text; state.classList.add("pilotis-save-state--error"); }
}
