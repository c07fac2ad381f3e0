// Progressive disclosure: a field with data-toon-bij="<name of a select>" and
// data-toon-waarden="a b c" shows only while that select has one of those values (the key's
// kind, the amount's source in the variant editor). A field with an error always shows.
// Without JavaScript every field shows; hidden fields keep their values and are still sent.
(function () {
  "use strict";
  var dependents = document.querySelectorAll("[data-toon-bij]");
  if (!dependents.length) { return; }

  function update() {
    dependents.forEach(function (input) {
      var controller = input.form && input.form.elements[input.getAttribute("data-toon-bij")];
      var group = input.closest(".utrecht-form-field");
      if (!controller || !group) { return; }
      var values = input.getAttribute("data-toon-waarden").split(" ");
      var invalid = group.classList.contains("utrecht-form-field--invalid");
      group.hidden = !invalid && values.indexOf(controller.value) === -1;
    });
    // a group of fields (with its heading) goes when none of its fields shows
    document.querySelectorAll(".step-group").forEach(function (block) {
      var fields = block.querySelectorAll(".utrecht-form-field");
      var shown = Array.prototype.some.call(fields, function (f) { return !f.hidden; });
      block.hidden = fields.length > 0 && !shown;
    });
  }

  document.addEventListener("change", function (event) {
    if (event.target.matches && event.target.matches("select")) { update(); }
  });
  update();
})();
