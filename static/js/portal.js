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
  /* Forms marked data-confirm ask first, naming the bureau. A choice field named by
     data-confirm-field picks the message data-confirm-<its value> where there is one. */
  function confirmMessage(form, submitter) {
    var field = form.dataset.confirmField;
    if (field) {
      var chosen = submitter && submitter.name === field ? submitter
        : form.querySelector("input[name='" + field + "']:checked, select[name='" + field + "']");
      var own = chosen && form.getAttribute("data-confirm-" + chosen.value.replace(/_/g, "-"));
      if (own) { return own; }
    }
    return form.dataset.confirm;
  }
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var dialog = document.getElementById("confirm-dialog");
    if (!form.matches || !form.matches("form[data-confirm]") || !dialog || !dialog.showModal) { return; }
    if (form.dataset.confirmed === "1") { delete form.dataset.confirmed; return; }
    event.preventDefault();
    var submitter = event.submitter || null;
    document.getElementById("confirm-dialog-text").textContent = confirmMessage(form, submitter);
    dialog.returnValue = "";
    dialog.addEventListener("close", function onClose() {
      dialog.removeEventListener("close", onClose);
      if (dialog.returnValue === "confirm") {
        form.dataset.confirmed = "1";
        if (form.requestSubmit) { form.requestSubmit(submitter); } else { form.submit(); }
      }
    });
    dialog.showModal();
    document.getElementById("confirm-dialog-ok").focus();
  }, true);
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
