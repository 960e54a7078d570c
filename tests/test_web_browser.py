"""End to end in headless Chromium: `gait serve` on loopback, upload a clip, wait for the report, look at it.

Runs the real pipeline (landmarks come from the cache when GAIT_TEST_CACHE_DIR
points at a warm one). Set GAIT_WEB_SCREENSHOTS=DIR to keep the screenshots.
"""
from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
SAMPLE = Path(__file__).resolve().parents[1].parent / "shared" / "sample_videos" / "phantom" / "rear_drop8_169spm_60fps.mp4"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
ANALYSIS_TIMEOUT_MS = 420_000  # pose landmarks cached: a minute or two on a busy 2-core machine

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian chromium at /usr/bin/chromium")]
playwright_api = pytest.importorskip("playwright.sync_api")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`gait serve` as a user starts it, on 127.0.0.1 and a free port."""
    import httpx

    port = _free_port()
    data = tmp_path_factory.mktemp("web-data")
    log = open(data / "server.log", "w")
    proc = subprocess.Popen([sys.executable, "-m", "gait.cli", "serve", "--host", "127.0.0.1", "--port", str(port),
                             "--data", str(data), "--max-upload-mb", "50"],
                            stdout=log, stderr=subprocess.STDOUT, env=os.environ.copy())
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(url + "/", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("gait serve did not start:\n" + (data / "server.log").read_text())
            time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)
        log.close()


@pytest.fixture
def page():
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            pg = browser.new_page(viewport={"width": 1280, "height": 900})
            pg.set_default_timeout(30_000)
            yield pg
        finally:
            browser.close()


def _shot(pg, tmp_path: Path, name: str, full_page: bool = True) -> Path:
    """Full-page shots leave sandboxed (out-of-process) iframes blank in headless Chromium: use the viewport there."""
    path = tmp_path / name
    pg.screenshot(path=str(path), full_page=full_page)
    keep = os.environ.get("GAIT_WEB_SCREENSHOTS")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(keep) / name)
    return path


def test_not_a_video_shows_one_sentence(server, page, tmp_path):
    fake = tmp_path / "holiday.mp4"
    fake.write_text("just some text, not a video\n" * 20)
    page.goto(server + "/")
    page.set_input_files("#video", str(fake))
    page.click("#submit")
    err = page.locator("#upload-error")
    err.wait_for(state="visible")
    assert err.inner_text().startswith("holiday.mp4 is not a video file")
    _shot(page, tmp_path, "web_upload_error.png")


def test_upload_clip_and_read_report(server, page, tmp_path):
    assert SAMPLE.exists(), f"sample clip missing: {SAMPLE}"
    page.goto(server + "/")
    assert page.title().startswith("New analysis")
    page.set_input_files("#video", str(SAMPLE))
    page.select_option("#view", "rear")
    page.fill("#belt_speed_kmh", "15.06")
    page.fill("#height_cm", "178")
    page.fill("#athlete_name", "Phantom Runner")
    page.click("details.symptoms summary")  # the same intake as the CLI's --pain / --pain-score
    page.check("input[name=pain_locations][value=outside_hip]")
    page.select_option("select[name=pain_side]", "right")
    page.fill("input[name=pain_score]", "3")
    _shot(page, tmp_path, "web_upload.png")
    page.click("#submit")
    page.wait_for_url(re.compile(r"/jobs/[0-9a-f]{32}$"), timeout=60_000)
    job_url = page.url
    page.wait_for_selector("#headline, #job-error", timeout=ANALYSIS_TIMEOUT_MS)
    if page.locator("#job-error").count():
        _shot(page, tmp_path, "web_result_failed.png")
        pytest.fail("analysis failed: " + page.locator("#job-error").inner_text())
    headline = page.locator("#headline").inner_text()
    cadence = float(re.search(r"Cadence\s+([\d.]+)", headline).group(1))
    assert 160 <= cadence <= 178, headline
    # the report renders inside the page
    report = page.frame_locator("#report")
    report.locator("body").wait_for()
    assert len(report.locator("body").inner_text()) > 200
    # the overlay video is playable by this browser (decodes its first frame)
    page.wait_for_function("() => { const v = document.getElementById('overlay'); "
                           "return v && v.readyState >= 2 && v.videoWidth > 0; }", timeout=30_000)
    # downloads
    job_id = job_url.rsplit("/", 1)[1]
    res = page.request.get(f"{server}/jobs/{job_id}/files/result.json?download=1")
    assert res.ok and res.json()["schema_version"] >= 1
    assert res.json()["inputs"]["view"] == "rear"
    assert "attachment" in res.headers["content-disposition"]
    page.evaluate("window.scrollTo(0, 0)")
    page.wait_for_timeout(500)
    _shot(page, tmp_path, "web_result.png", full_page=False)
    page.locator("#overlay").scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    _shot(page, tmp_path, "web_overlay.png", full_page=False)
    # the athlete's history shows this session with plotted trends
    page.click("text=Phantom Runner's history")
    page.wait_for_selector("#chart-cadence .main-svg")
    page.wait_for_selector("#chart-drop .main-svg")
    assert "rear" in page.locator("table.data").inner_text()
    _shot(page, tmp_path, "web_athlete.png")
