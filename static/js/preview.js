// See before you save: a form with data-preview is recomputed while the user types. The
// form's own data goes to the same address with "_preview" (nothing is saved) and the header
// X-Preview; the answer is the preview fragment, which replaces #voorbeeld. Without
// JavaScript the "Bereken" button does the same with a page load.
(function () {
  "use strict";
  var form = document.querySelector("form[data-preview]");
  if (!form || !window.fetch) { return; }
  var timer = null;
  var latest = 0;

  function recompute() {
    var data = new FormData(form);
    data.set("_preview", "1");
    var request = ++latest;
    var target = document.getElementById("voorbeeld");
    if (target) { target.setAttribute("aria-busy", "true"); }
    fetch(form.getAttribute("action") || window.location.pathname, {
      method: "POST",
      body: data,
      headers: { "X-Preview": "1" },
      credentials: "same-origin"
    }).then(function (response) {
      return response.text();
    }).then(function (html) {
      if (request !== latest) { return; } // an older answer after a newer one
      var holder = document.createElement("div");
      holder.innerHTML = html;
      var fresh = holder.querySelector("#voorbeeld");
      var current = document.getElementById("voorbeeld");
      if (fresh && current) { current.replaceWith(fresh); }
    }).catch(function () {
      var current = document.getElementById("voorbeeld");
      if (current) { current.setAttribute("aria-busy", "false"); }
    });
  }

  form.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(recompute, 350);
  });
})();
