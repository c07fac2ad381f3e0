// Tables in a form (formsets, [data-formset]): the button "… toevoegen" adds an empty row from
// the <template>, numbered like the others ("Stap 3"), and puts the focus in it. Without
// JavaScript the table always ends in one empty row; a row goes with its "verwijderen" box.
(function () {
  "use strict";
  document.querySelectorAll("[data-formset]").forEach(function (box) {
    var prefix = box.getAttribute("data-formset");
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var body = box.querySelector("[data-formset-body]");
    var template = box.querySelector("template[data-formset-template]");
    var add = box.querySelector("[data-formset-add]");
    if (!total || !body || !template || !add) { return; }
    add.hidden = false;
    add.addEventListener("click", function () {
      var index = parseInt(total.value, 10);
      var holder = document.createElement("tbody");
      holder.innerHTML = template.innerHTML
        .replace(/__prefix__/g, String(index))
        .replace(/__nummer__/g, String(index + 1));
      var row = holder.querySelector("tr");
      body.appendChild(row);
      total.value = String(index + 1);
      var first = row.querySelector("select, textarea, input:not([type=hidden])");
      if (first) { first.focus(); }
    });
  });
})();
