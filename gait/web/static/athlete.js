// Trends across sessions: cadence, and pelvic drop per stance side. Plotly is served by this app (offline).
(function () {
  "use strict";
  const el = document.getElementById("trend-data");
  if (!el || !window.Plotly) return;
  const t = JSON.parse(el.textContent);
  const x = t.date;
  const text = t.view.map(function (v) { return v ? v.replace("_", " ") + " view" : ""; });
  const layout = function (title, unit, zero) {
    return {
      title: { text: title, font: { size: 15 } }, margin: { l: 55, r: 20, t: 45, b: 45 }, height: 300,
      xaxis: { type: "category" }, yaxis: { title: { text: unit }, rangemode: zero ? "tozero" : "normal" },
      legend: { orientation: "h", x: 0, y: -0.18 }, paper_bgcolor: "rgba(0,0,0,0)", plot_bgcolor: "#fafbfc"
    };
  };
  const config = { displaylogo: false, responsive: true, modeBarButtonsToRemove: ["select2d", "lasso2d"] };
  const line = function (y, name, color) {
    return { x: x, y: y, name: name, text: text, mode: "lines+markers", connectgaps: true,
             line: { color: color, width: 2 }, marker: { size: 9 },
             hovertemplate: "%{x}<br>%{y:.1f}<br>%{text}<extra>" + name + "</extra>" };
  };
  Plotly.newPlot("chart-cadence", [line(t.cadence_spm, "cadence", "#1f6feb")],
    Object.assign(layout("Cadence", "steps/min", false), { showlegend: false }), config);
  Plotly.newPlot("chart-drop", [line(t.pelvic_drop_left_deg, "left stance", "#d1242f"),
                                line(t.pelvic_drop_right_deg, "right stance", "#1a7f37")],
    layout("Pelvic drop (peak, per stance side)", "degrees", true), config);
})();
