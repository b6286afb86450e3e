// The warning statistics' charts (Chart.js, served by the portal: no CDN on the intranet), drawn
// from the numbers on the page itself (json_script), as the ledger dashboard's are.
(function () {
  "use strict";
  const source = document.getElementById("warning-charts-data");
  if (!source || typeof Chart === "undefined") { return; }
  const data = JSON.parse(source.textContent);
  const colours = ["#0d6efd", "#6f42c1", "#fd7e14", "#198754"];
  Chart.defaults.maintainAspectRatio = false;
  const names = {ticks: {autoSkip: false}};
  const count = {beginAtZero: true, ticks: {precision: 0}};

  // One bar group per scenario: warnings, clues, issues, closed issues, each narrower than the last.
  new Chart(document.getElementById("chart-funnel"), {
    type: "bar",
    data: {
      labels: data.scenarios,
      datasets: data.labels.funnel.map(function (label, step) {
        return {label: label, data: data.funnel.map(function (row) { return row[step]; }), backgroundColor: colours[step]};
      }),
    },
    options: {indexAxis: "y", scales: {x: count, y: names}},
  });

  new Chart(document.getElementById("chart-models"), {
    type: "bar",
    data: {
      labels: data.models,
      datasets: [
        {label: data.labels.open, data: data.open, backgroundColor: "#6c757d"},
        {label: data.labels.disposed, data: data.disposed, backgroundColor: "#fd7e14"},
        {label: data.labels.confirmed, data: data.confirmed, backgroundColor: "#198754"},
      ],
    },
    options: {indexAxis: "y", scales: {x: count, y: names}},
  });
})();
