/* The export page's "select all" box (instead of the library's inline onchange handler). */
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var toggle = event.target;
    if (!toggle.matches || !toggle.matches("input.select-toggle")) { return; }
    document.querySelectorAll('.selectable-field-export-row input[type="checkbox"]').forEach(function (box) {
      box.checked = toggle.checked;
    });
  });
})();
