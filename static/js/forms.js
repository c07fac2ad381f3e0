// Edit forms (every form with data-warn-unsaved, and every page with an error summary).
// 1. The error summary gets the focus when the page opens, so that a screen reader reads it
//    first and a keyboard user starts there; its links lead to the fields.
// 2. Leaving a form with changes that are not saved asks first (the browser's own question):
//    only when a field changed, or when the form came back with errors (its input is not saved
//    yet); never while the form is being submitted.
(function () {
  "use strict";
  var summary = document.getElementById("foutmeldingen");
  if (summary) { summary.focus(); }

  function state(form) {
    var parts = [];
    new FormData(form).forEach(function (value, name) {
      if (typeof value !== "string" || value === "") { return; }
      if (name === "csrfmiddlewaretoken" || /-(TOTAL|INITIAL)_FORMS$/.test(name)) { return; }
      parts.push(name + "=" + value);
    });
    return parts.sort().join("&");
  }

  document.querySelectorAll("form[data-warn-unsaved]").forEach(function (form) {
    var refused = summary !== null;
    var initial = state(form);
    var submitting = false;
    form.addEventListener("submit", function () { submitting = true; });
    window.addEventListener("pageshow", function () { submitting = false; });
    window.addEventListener("beforeunload", function (event) {
      if (submitting || (!refused && state(form) === initial)) { return; }
      event.preventDefault();
      event.returnValue = "";
    });
  });
})();
