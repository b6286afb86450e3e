/*
 * Live progress of background work (exports, batch searches, uploads): one poller for all.
 *
 * Contract. Any element with a data-job-url attribute and an id is a job's panel:
 *
 *   <div id="export-42" data-job-url="/records/exports/42/status/" data-job-state="running">
 *     <div class="progress" role="progressbar" aria-valuemin="0" aria-valuemax="100"
 *          aria-valuenow="0" aria-label="…">
 *       <div class="progress-bar progress-bar-striped progress-bar-animated" style="width: 0%"></div>
 *     </div>
 *     <div data-job-label>…</div>
 *   </div>
 *
 * data-job-url answers JSON: {"state": "queued"|"running"|"done"|"failed", "done": n,
 * "total": n or null, "percent": p or null, "label": "text for people"}. Every second the
 * poller asks it, moves the bar inside the panel (an unknown total shows a full striped bar),
 * writes the label into [data-job-label] and sets data-job-state on the panel. When the state
 * is "done" or "failed" it stops, fetches the page again and replaces the panel with the
 * element of the same id in the fresh page (the finished HTML: a download link, the matrix, the
 * error); if the fresh page has no such element it reloads the page. A panel whose
 * data-job-state is already done or failed is not polled. Panels added later are not seen: the
 * page is expected to render them. No library, no CDN.
 */
(function () {
  "use strict";

  var FINISHED = { done: true, failed: true };
  var INTERVAL = 1000;

  function update(panel, status) {
    panel.setAttribute("data-job-state", status.state);
    var bar = panel.querySelector(".progress-bar");
    var holder = panel.querySelector(".progress");
    if (bar) {
      var percent = status.percent === null || status.percent === undefined ? 100 : status.percent;
      bar.style.width = percent + "%";
      if (holder) holder.setAttribute("aria-valuenow", String(percent));
      if (status.percent !== null && status.percent !== undefined) bar.textContent = percent + "%";
    }
    var label = panel.querySelector("[data-job-label]");
    if (label && status.label) label.textContent = status.label;
  }

  function swapIn(panel) {
    fetch(window.location.href, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.text();
      })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById(panel.id);
        if (!fresh) {
          window.location.reload();
          return;
        }
        panel.replaceWith(document.importNode(fresh, true));
      })
      .catch(function () {
        window.location.reload();
      });
  }

  function poll(panel) {
    fetch(panel.getAttribute("data-job-url"), {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (status) {
        update(panel, status);
        if (FINISHED[status.state]) swapIn(panel);
        else window.setTimeout(function () { poll(panel); }, INTERVAL);
      })
      .catch(function () {
        // A lost connection or a restarting server: try again, a little later.
        window.setTimeout(function () { poll(panel); }, INTERVAL * 3);
      });
  }

  function start() {
    var panels = document.querySelectorAll("[data-job-url][id]");
    for (var i = 0; i < panels.length; i++) {
      if (!FINISHED[panels[i].getAttribute("data-job-state")]) poll(panels[i]);
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
