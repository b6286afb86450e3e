// The ledger dashboard's charts (Chart.js, served by the portal: no CDN on the intranet).
// The numbers come from the page itself (json_script), so the charts show exactly what the
// ledgers count for the acting agency.
(function () {
  "use strict";
  const source = document.getElementById("ledger-charts-data");
  if (!source || typeof Chart === "undefined") { return; }
  const data = JSON.parse(source.textContent);
  const colours = {blue: "#0d6efd", green: "#198754", red: "#dc3545", grey: "#6c757d"};

  new Chart(document.getElementById("chart-months"), {
    type: "line",
    data: {
      labels: data.months,
      datasets: [
        {label: data.labels.pushed, data: data.pushed, borderColor: colours.blue, backgroundColor: colours.blue},
        {label: data.labels.closed, data: data.closed, borderColor: colours.green, backgroundColor: colours.green},
        {label: data.labels.overdue, data: data.overdue, borderColor: colours.red, backgroundColor: colours.red},
      ],
    },
    options: {scales: {y: {beginAtZero: true, ticks: {precision: 0}}}},
  });

  new Chart(document.getElementById("chart-classes"), {
    type: "bar",
    data: {
      labels: data.classes,
      datasets: [
        {label: data.labels.pushed, data: data.class_totals, backgroundColor: colours.blue},
        {label: data.labels.overdue, data: data.class_overdue, backgroundColor: colours.red},
      ],
    },
    options: {indexAxis: "y", scales: {x: {beginAtZero: true, ticks: {precision: 0}}}},
  });

  new Chart(document.getElementById("chart-overdue"), {
    type: "bar",
    data: {
      labels: data.departments,
      datasets: [{label: data.labels.overdue_assignments, data: data.department_overdue, backgroundColor: colours.red}],
    },
    options: {indexAxis: "y", scales: {x: {beginAtZero: true, ticks: {precision: 0}}}},
  });
})();
