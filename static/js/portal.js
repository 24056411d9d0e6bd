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
  /* A form asks first only once what it requires is there: the fields named by
     data-confirm-requires, and those named by data-confirm-requires-<chosen value>. Otherwise
     it goes straight to the server, which answers with its errors (nothing is done). */
  function filled(form, name) {
    var fields = form.querySelectorAll("[name='" + name + "']");
    for (var i = 0; i < fields.length; i++) {
      var field = fields[i];
      if (field.type === "radio" || field.type === "checkbox") {
        if (field.checked) { return true; }
      } else if (field.value.trim() !== "") {
        return true;
      }
    }
    return false;
  }
  function readyToConfirm(form, submitter) {
    var names = (form.dataset.confirmRequires || "").split(" ");
    var field = form.dataset.confirmField;
    var chosen = field && (submitter && submitter.name === field ? submitter
      : form.querySelector("input[name='" + field + "']:checked, select[name='" + field + "']"));
    if (chosen) {
      var more = form.getAttribute("data-confirm-requires-" + chosen.value.replace(/_/g, "-"));
      names = names.concat((more || "").split(" "));
    }
    return names.every(function (name) { return !name || filled(form, name); });
  }
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var dialog = document.getElementById("confirm-dialog");
    if (!form.matches || !form.matches("form[data-confirm]") || !dialog || !dialog.showModal) { return; }
    if (form.dataset.confirmed === "1") { delete form.dataset.confirmed; return; }
    if (!readyToConfirm(form, event.submitter || null)) { return; }
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
  /* A page drawn again with a form's errors: the focus goes to the summary at the top of the
     form (partials/error_summary.html), and each of its links to its field. */
  function focusErrorSummary() {
    var summary = document.querySelector("[data-error-summary]");
    if (summary) { summary.focus(); }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", focusErrorSummary);
  } else {
    focusErrorSummary();
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-error-summary] a[href^='#']");
    if (!link) { return; }
    var target = document.getElementById(link.getAttribute("href").slice(1));
    if (!target) { return; }
    var input = target.matches("input, select, textarea") ? target : target.querySelector("input, select, textarea");
    event.preventDefault();
    target.scrollIntoView({block: "center"});
    (input || target).focus();
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
