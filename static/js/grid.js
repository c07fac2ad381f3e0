// Money grid: live totals while typing, and "Regel toevoegen". Without JavaScript the grid still
// works (two empty rows, totals after saving); the server parses and checks every value again.
(function () {
  "use strict";
  var grid = document.querySelector("[data-grid]");
  if (!grid) { return; }
  var body = grid.querySelector("[data-grid-body]");
  var totalForms = document.getElementById("id_regel-TOTAL_FORMS");

  // The same reading rules as dashboard/formatting.py parse_decimal (documented there).
  function parse(text) {
    var t = (text || "").replace(/[\s\u00a0\u202f\u2009€]/g, "").replace(/,-{1,2}$/, "");
    var lower = t.toLowerCase();
    if (t === "" || t === "…" || t === "..." || t === "-" || lower.indexOf("n.v.t") === 0 || lower === "nvt") {
      return null;
    }
    var negative = false;
    if (/^(-\/-|-|−|–)/.test(t)) { negative = true; t = t.replace(/^(-\/-|-|−|–)/, ""); }
    if (!/^[0-9.,]+$/.test(t) || (t.match(/,/g) || []).length > 1) { return NaN; }
    var parts = t.split(","), integer = parts[0], fraction = parts[1];
    if (fraction !== undefined && fraction.indexOf(".") >= 0) { return NaN; }
    if (integer.indexOf(".") >= 0) {
      var groups = integer.split(".");
      var thousands = groups.slice(1).every(function (g) { return g.length === 3; }) &&
        groups[0].length >= 1 && groups[0].length <= 3;
      if (thousands) { integer = groups.join(""); }
      else if (groups.length === 2 && fraction === undefined) { integer = groups[0] || "0"; fraction = groups[1]; }
      else { return NaN; }
    }
    var value = parseFloat((integer || "0") + (fraction !== undefined ? "." + fraction : ""));
    return negative ? -value : value;
  }

  function euro(value) {
    var cents = Math.round(Math.abs(value) * 100);
    var whole = Math.floor(cents / 100), rest = cents % 100;
    var text = String(whole).replace(/\B(?=(\d{3})+(?!\d))/g, ".");
    if (rest) { text += "," + (rest < 10 ? "0" : "") + rest; }
    return "€ " + (value < 0 ? "−" : "") + text;
  }

  function update() {
    for (var col = 0; col < 3; col++) {
      var sum = 0, any = false, bad = false;
      body.querySelectorAll("tr").forEach(function (row) {
        var del = row.querySelector("input[type=checkbox]");
        if (del && del.checked) { return; }
        var cell = row.querySelectorAll("input.grid-cell")[col];
        if (!cell) { return; }
        var value = parse(cell.value);
        if (value === null) { return; }
        if (isNaN(value)) { bad = true; return; }
        sum += value; any = true;
      });
      var out = grid.querySelector('[data-total="' + col + '"]');
      out.textContent = bad ? "controleer invoer" : (any ? euro(sum) : "");
    }
  }

  grid.addEventListener("input", update);
  grid.addEventListener("change", update);
  var add = document.querySelector("[data-add-row]");
  var template = document.getElementById("grid-row-template");
  if (add && template && totalForms) {
    add.hidden = false;
    add.addEventListener("click", function () {
      var index = parseInt(totalForms.value, 10);
      var html = template.innerHTML.replace(/__prefix__/g, String(index));
      var holder = document.createElement("tbody");
      holder.innerHTML = html;
      var row = holder.querySelector("tr");
      body.appendChild(row);
      totalForms.value = String(index + 1);
      row.querySelector("input").focus();
    });
  }
  update();
})();
