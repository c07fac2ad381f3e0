// Live character counter for fields with data-max-length (the 500-character Kern).
// The server refuses a longer text anyway; this only tells the user while typing.
(function () {
  "use strict";
  function attach(field) {
    var max = parseInt(field.getAttribute("data-max-length"), 10);
    var counter = document.createElement("p");
    counter.className = "char-counter utrecht-paragraph";
    counter.id = field.id + "_teller";
    counter.setAttribute("aria-live", "polite");
    field.insertAdjacentElement("afterend", counter);
    var described = field.getAttribute("aria-describedby");
    field.setAttribute("aria-describedby", (described ? described + " " : "") + counter.id);
    function update() {
      var length = field.value.length;
      var over = length - max;
      counter.textContent = over > 0
        ? length + " van " + max + " tekens: " + over + " te veel"
        : length + " van " + max + " tekens";
      counter.classList.toggle("char-counter--over", over > 0);
    }
    field.addEventListener("input", update);
    update();
  }
  document.querySelectorAll("[data-max-length]").forEach(attach);
  var summary = document.getElementById("foutmeldingen");
  if (summary) { summary.focus(); }
})();
