// The ledger dashboard's charts (Chart.js, served by the portal: no CDN on the intranet).
// The numbers come from the page itself (json_script), so the charts show exactly what the
// ledgers count for the acting agency.
(function () {
  "use strict";
  const source = document.getElementById("ledger-charts-data");
  if (!source || typeof Chart === "undefined") { return; }
  const data = JSON.parse(source.textContent);
  const colours = {blue: "#0d6efd", green: "#198754", red: "#dc3545", grey: "#6c757d"};
  // Each chart fills the height its box is given (portal.css), rather than keeping the width's
  // proportions, which leave a line chart a sliver high on a phone.
  Chart.defaults.maintainAspectRatio = false;
  // Long agency names on two lines or more, of even length, instead of cut off at the left edge.
  const wrap = (label) => {
    const lines = Math.ceil(label.length / 10);
    return lines > 1 ? label.match(new RegExp(`.{1,${Math.ceil(label.length / lines)}}`, "gu")) : label;
  };
  // Every bar keeps its name: no skipping of every other label when the chart is short.
  const names = {ticks: {autoSkip: false}};

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
      labels: data.classes.map(wrap),
      datasets: [
        {label: data.labels.pushed, data: data.class_totals, backgroundColor: colours.blue},
        {label: data.labels.overdue, data: data.class_overdue, backgroundColor: colours.red},
      ],
    },
    options: {indexAxis: "y", scales: {x: {beginAtZero: true, ticks: {precision: 0}}, y: names}},
  });

  new Chart(document.getElementById("chart-overdue"), {
    type: "bar",
    data: {
      labels: data.departments.map(wrap),
      datasets: [{label: data.labels.overdue_assignments, data: data.department_overdue, backgroundColor: colours.red}],
    },
    options: {indexAxis: "y", scales: {x: {beginAtZero: true, ticks: {precision: 0}}, y: names}},
  });
})();
