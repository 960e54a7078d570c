// The compare view's gait-cycle chart: figure built on the server (gait.compare.plot), drawn by the app's own Plotly.
(function () {
  "use strict";
  const el = document.getElementById("cycle-data");
  if (!el || !window.Plotly) return;
  const f = JSON.parse(el.textContent);
  Plotly.newPlot("chart-cycle", f.data, f.layout, { displaylogo: false, responsive: true });
})();
