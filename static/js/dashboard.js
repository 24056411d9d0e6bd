/* Draws the office dashboard's charts from the JSON the page embeds (no inline script). */
(function () {
  "use strict";
  function draw() {
    var source = document.getElementById("dashboard-data");
    if (!source || typeof Chart === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    var colours = ["#6c757d", "#0a58ca", "#6f42c1", "#b35c00", "#997404", "#146c43", "#842029"];
    new Chart(document.getElementById("chart-stages"), {
      type: "bar",
      data: {
        labels: data.cities,
        datasets: data.stages.map(function (stage, i) {
          return { label: stage.label, data: stage.data, backgroundColor: colours[i % colours.length] };
        })
      },
      options: { responsive: true, animation: false, scales: { x: { stacked: true }, y: { stacked: true, ticks: { precision: 0 } } } }
    });
    new Chart(document.getElementById("chart-designations"), {
      type: "bar",
      data: { labels: data.cities, datasets: [{ label: data.designated.label, data: data.designated.data, backgroundColor: "#a61b1b" }] },
      options: { indexAxis: "y", responsive: true, animation: false, scales: { x: { ticks: { precision: 0 } } } }
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
