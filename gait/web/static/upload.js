// Upload with XHR (for upload progress), then go to the job page, which polls the analysis.
(function () {
  "use strict";
  const form = document.getElementById("upload-form");
  if (!form) return;
  const maxMb = parseFloat(form.dataset.maxMb);
  const bar = document.getElementById("upload-progress");
  const status = document.getElementById("upload-status");
  const errorBox = document.getElementById("upload-error");
  const button = document.getElementById("submit");

  function showError(message) {
    errorBox.textContent = message;
    errorBox.hidden = false;
    bar.hidden = true;
    status.textContent = "";
    button.disabled = false;
  }

  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    errorBox.hidden = true;
    const file = document.getElementById("video").files[0];
    if (!file) return showError("Choose a video file to upload.");
    // Same limit as the server, checked here so a huge file is not sent only to be refused.
    if (file.size > maxMb * 1048576) {
      return showError("The video is " + Math.round(file.size / 1048576) + " MB, larger than the " + maxMb +
        " MB upload limit; trim it to 10–30 s of running.");
    }
    const xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.responseType = "json";
    xhr.upload.onprogress = function (e) {
      if (e.lengthComputable) { bar.value = e.loaded / e.total; }
      status.textContent = "Uploading… " + Math.round(100 * e.loaded / (e.total || 1)) + " %";
    };
    xhr.onload = function () {
      const body = xhr.response || {};
      if (xhr.status === 202 && body.page_url) { window.location.href = body.page_url; return; }
      showError(body.error || ("The upload failed (HTTP " + xhr.status + ")."));
    };
    xhr.onerror = function () { showError("The upload was interrupted; check the server is running and try again."); };
    button.disabled = true;
    bar.hidden = false;
    bar.value = 0;
    status.textContent = "Uploading…";
    xhr.send(new FormData(form));
  });
})();
