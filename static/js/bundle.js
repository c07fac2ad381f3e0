// Follow a bundle being built: poll its status every two seconds until it is done.
(function () {
  "use strict";
  var box = document.querySelector("[data-bundle-status]");
  if (!box) { return; }
  var url = box.getAttribute("data-bundle-status");
  function poll() {
    fetch(url, { headers: { "Accept": "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        box.querySelector("progress").value = data.progress;
        box.querySelector("[data-status-label]").textContent = data.status_label;
        box.querySelector("[data-progress-label]").textContent = data.label;
        if (data.download) { box.querySelector("[data-download]").hidden = false; return; }
        if (data.status !== "mislukt") { window.setTimeout(poll, 2000); }
      });
  }
  if (box.querySelector("[data-download]").hidden) { window.setTimeout(poll, 2000); }
})();
