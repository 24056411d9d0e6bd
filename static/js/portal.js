/* Portal behaviour on top of htmx: no inline scripts in templates. */
(function () {
  "use strict";
  function showAlert(text) {
    var box = document.getElementById("connection-alert");
    if (!box) { return; }
    box.textContent = text;
    box.classList.remove("d-none");
  }
  function hideAlert() {
    var box = document.getElementById("connection-alert");
    if (box) { box.classList.add("d-none"); }
  }
  document.addEventListener("htmx:responseError", function (event) {
    var box = document.getElementById("connection-alert");
    var status = event.detail.xhr.status;
    if (status === 401) {
      showAlert(box.dataset.sessionExpired);
    } else {
      showAlert(box.dataset.saveFailed);
    }
  });
  document.addEventListener("htmx:sendError", function () {
    var box = document.getElementById("connection-alert");
    showAlert(box.dataset.offline);
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail.successful) { hideAlert(); }
  });
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (input.matches && input.matches("input[type=file][data-max-bytes]") && input.files.length) {
      var max = parseInt(input.dataset.maxBytes, 10);
      if (input.files[0].size > max) {
        alert(input.dataset.tooLarge);
        input.value = "";
      }
    }
  });
})();
