// Job page: poll the status until the analysis ends, then reload to show the result.
// Notes forms (job and athlete pages) save without leaving the page.
(function () {
  "use strict";
  const card = document.getElementById("progress-card");
  if (card) {
    const url = card.dataset.statusUrl;
    const bar = document.getElementById("job-progress");
    const pct = document.getElementById("pct");
    const stage = document.getElementById("stage");
    let delay = 700;
    const poll = function () {
      fetch(url, { headers: { Accept: "application/json" } })
        .then(function (r) { return r.json(); })
        .then(function (s) {
          if (s.status === "done" || s.status === "failed") { window.location.reload(); return; }
          bar.value = s.progress || 0;
          pct.textContent = Math.round(100 * (s.progress || 0)) + " %";
          stage.textContent = s.stage_label + (s.queue_position ? " (position " + s.queue_position + " in the queue)" : "");
          delay = 1000;
          setTimeout(poll, delay);
        })
        .catch(function () { delay = Math.min(delay * 2, 10000); setTimeout(poll, delay); });
    };
    setTimeout(poll, delay);
  }
  document.querySelectorAll("form.notes").forEach(function (f) {
    f.addEventListener("submit", function (ev) {
      ev.preventDefault();
      const saved = f.querySelector(".saved");
      fetch(f.dataset.url, {
        method: "POST", headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ notes: f.querySelector("textarea").value })
      }).then(function (r) { saved.textContent = r.ok ? "Saved" : "Not saved"; })
        .catch(function () { saved.textContent = "Not saved"; });
    });
  });
})();
