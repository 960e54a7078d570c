"""report.html in headless Chromium: no console errors, every plot drawn, fits a phone screen.

Screenshots go to tmp (or $GAIT_REPORT_SCREENSHOT_DIR, to look at them).
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from report_fixtures import make_clip_and_poses, make_result

from gait.pair import merge_pair
from gait.report import write_outputs

CHROMIUM = "/usr/bin/chromium"
pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs /usr/bin/chromium")]
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def open_report(browser, html: Path, width_px: int):
    page = browser.new_page(viewport={"width": width_px, "height": 900})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.route("http*://**", lambda route: (errors.append(f"network: {route.request.url}"), route.abort()))
    page.goto(html.as_uri())
    page.wait_for_function("[...document.querySelectorAll('div.plot')].every(d => d.querySelector('.main-svg'))")
    return page, errors


def shot_path(tmp_path: Path, name: str) -> Path:
    d = Path(os.environ.get("GAIT_REPORT_SCREENSHOT_DIR") or tmp_path)
    d.mkdir(parents=True, exist_ok=True)
    return d / name


def reports(tmp_path: Path) -> dict[str, Path]:
    info, poses = make_clip_and_poses(tmp_path / "clip.mp4")
    rear = make_result("rear", video_path=info.path, duration_s=4.0, fps=30.0, n_strides=4, t0_s=0.3,
                       width=info.width, height=info.height)
    out = {"rear": write_outputs(rear, tmp_path / "rear", poses=poses)["report.html"],
           "side": write_outputs(make_result("side_right"), tmp_path / "side")["report.html"],
           "pair": write_outputs(merge_pair(make_result("side_right"), make_result("rear", stride_s=0.75)),
                                 tmp_path / "pair")["report.html"]}
    return out


@pytest.mark.parametrize("width_px", [1200, 390])
def test_renders_without_errors(browser, tmp_path, width_px):
    for name, html in reports(tmp_path).items():
        page, errors = open_report(browser, html, width_px)
        assert errors == [], (name, errors)
        n_plots = page.eval_on_selector_all("div.plot", "ds => ds.length")
        assert n_plots >= 3 and page.eval_on_selector_all("div.plot .main-svg", "s => s.length") >= n_plots
        # nothing wider than the screen (phone) and every key frame decoded
        assert page.evaluate("document.documentElement.scrollWidth") <= width_px + 1, name
        assert page.eval_on_selector_all("#keyframes img", "is => is.every(i => i.complete && i.naturalWidth > 0)")
        if name == "rear":  # tap a key frame: it fills the screen, tap again: back
            page.click("#keyframes img")
            assert page.eval_on_selector("#keyframes img", "i => i.classList.contains('zoomed')")
            page.click("#keyframes img.zoomed")
        png = shot_path(tmp_path, f"report_{name}_{width_px}.png")
        page.screenshot(path=str(png), full_page=True)
        assert png.stat().st_size > 20_000
        page.close()
