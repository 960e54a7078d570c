"""report.html in headless Chromium at 1280 and 390 px: what a reader sees.

Every sample report: no console errors; nothing wider than the screen; no internal field
name or Python literal in the visible text (the researchers' data section aside); one
count of strides and stances across the page; every plot with axis titles and units,
hover templates, and a legend the toolbar does not cover; key frames open in a lightbox;
the metronome plays in the browser.

Screenshots go to tmp (or $GAIT_REPORT_SCREENSHOT_DIR, to look at them).
"""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from report_fixtures import make_clip_and_poses, make_result

from gait.findings import evaluate
from gait.pair import merge_pair
from gait.report import write_outputs

CHROMIUM = "/usr/bin/chromium"
pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs /usr/bin/chromium")]
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--autoplay-policy=no-user-gesture-required"]
WIDTHS = (1280, 390)
FIELD_NAME = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")
PY_LITERAL = re.compile(r"\b(?:True|False)\b|\bNone\b(?! of)|_deg\b|_pct\b|_ms\b|\+-|\b(?:spm|pct|mps)\b")
UNIT = re.compile(r"\((?:s|ms|°|%|px|m|cm|steps/min|% of leg length)\)")  # an axis title's unit
HOVER_UNIT = re.compile(r"\}\s?(?:s|ms|°|%|px|cm|m|steps/min|% of leg length)(?![A-Za-z])")  # a value's unit
REPO = Path(__file__).resolve().parents[1]
PHANTOM = REPO.parent / "shared" / "sample_videos" / "phantom"
REAL = REPO.parent / "shared" / "sample_videos" / "real"
BELT_MPS = 4.1837

VISIBLE_TEXT_JS = """() => {
  document.querySelectorAll('details').forEach(d => d.open = true);
  const data = document.getElementById('data'); data.style.display = 'none';
  const clips = [...document.querySelectorAll('.clip')].map(c => [c, c.textContent]);
  clips.forEach(([c]) => c.textContent = 'CLIP');
  const text = document.body.innerText;
  clips.forEach(([c, t]) => c.textContent = t); data.style.display = '';
  return text;
}"""
PLOTS_JS = """() => [...document.querySelectorAll('div.plot')].map(gd => ({
  id: gd.id,
  axes: Object.keys(gd._fullLayout).filter(k => /^[xy]axis\\d*$/.test(k)).map(k => ({
     name: k, title: (gd._fullLayout[k].title || {}).text || '', type: gd._fullLayout[k].type,
     visible: gd._fullLayout[k].visible})),
  traces: gd._fullData.filter(t => t.visible === true).map(t => ({
     name: t.name, hovertemplate: t.hovertemplate || '', hoverinfo: t.hoverinfo || ''})),
}))"""


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def fixture_reports(root: Path) -> dict[str, Path]:
    info, poses = make_clip_and_poses(root / "clip.mp4")
    rear = make_result("rear", video_path=info.path, duration_s=4.0, fps=30.0, n_strides=4, t0_s=0.3,
                       width=info.width, height=info.height)
    plan = make_result("rear", intervals=True)  # findings, a capped cadence plan and intervals
    plan.summary.cadence_spm, plan.summary.cadence_spm_ci, plan.summary.speed_mps = 160.0, [158.0, 162.0], 4.2
    plan.findings, plan.recommendations = evaluate(plan.summary)
    return {"fixture_rear": write_outputs(rear, root / "rear", poses=poses)["report.html"],
            "fixture_side": write_outputs(make_result("side_right", intervals=True), root / "side")["report.html"],
            "fixture_pair": write_outputs(merge_pair(make_result("side_right"), make_result("rear", stride_s=0.75)),
                                          root / "pair")["report.html"],
            "fixture_plan": write_outputs(plan, root / "plan")["report.html"]}


@pytest.fixture(scope="module")
def fixtures(tmp_path_factory):
    return fixture_reports(tmp_path_factory.mktemp("reports"))


@pytest.fixture(scope="module")
def real(tmp_path_factory):
    """Real analyses of sample clips (landmarks from the cache when it has them)."""
    from gait.pair import analyze_pair
    from gait.pipeline import analyze

    clips = {"rear": PHANTOM / "rear_asymL10R3_176spm_60fps.mp4", "side": PHANTOM / "side_right_drop4_169spm_60fps.mp4",
             "pair_rear": PHANTOM / "rear_drop8_169spm_60fps.mp4",
             "walking": REAL / "sports2d_rev4573cde_demo4_walking_side.mp4"}
    if not all(p.is_file() for p in clips.values()):
        pytest.skip("sample clips not available")
    root = tmp_path_factory.mktemp("real")
    made = {"rear": analyze(clips["rear"], belt_speed_mps=BELT_MPS), "side": analyze(clips["side"], belt_speed_mps=BELT_MPS),
            "pair": analyze_pair(clips["side"], clips["pair_rear"], belt_speed_mps=BELT_MPS),
            "walking": analyze(clips["walking"])}
    return {name: write_outputs(r, root / name)["report.html"] for name, r in made.items()}


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


FILE_NAME = re.compile(r"\S+\.(?:mp4|mov|webm|avi|mkv|json|csv|flac|jpg)\b")  # the user's files: their names, not ours


def check_plain_words(text: str, name: str) -> None:
    text = FILE_NAME.sub("FILE", text)
    for rx in (FIELD_NAME, PY_LITERAL):
        hit = rx.search(text)
        assert hit is None, (name, text[max(0, hit.start() - 80):hit.end() + 80])


def check_counts(page, text: str, name: str) -> None:
    """Every 'N strides', 'M left and K right stances' and 'N stances' agrees with the header's."""
    header = page.inner_text("#counts")
    strides = set(re.findall(r"(\d+) strides? \((\d+) left and (\d+) right stances\)", header))
    assert len(strides) == 1, header
    n, left, right = (int(x) for x in strides.pop())
    assert left + right == n
    assert {int(x) for x in re.findall(r"(\d+) strides\b", text)} <= {n}, name
    assert set(re.findall(r"(\d+) left and (\d+) right stances\)", text)) == {(str(left), str(right))}, name
    stances = {int(x) for x in re.findall(r"(\d+) stances \(\d+ left", header)}
    assert {int(x) for x in re.findall(r"(\d+) stances\b", text)} <= stances, name
    if page.query_selector("#plot-drop-bars") and stances:  # one bar per stated stance
        bars = page.evaluate("() => document.getElementById('plot-drop-bars').data"
                             ".reduce((n, t) => n + t.y.length, 0)")
        assert bars == max(stances), name


def check_plots(page, name: str) -> None:
    for p in page.evaluate(PLOTS_JS):
        for ax in p["axes"]:
            if ax["visible"] is False:
                continue
            assert ax["title"], (name, p["id"], ax)
            assert ax["type"] == "category" or UNIT.search(ax["title"]), (name, p["id"], ax)
        for t in p["traces"]:
            assert t["hoverinfo"] == "skip" or t["hovertemplate"], (name, p["id"], t)
            if t["hovertemplate"]:
                assert HOVER_UNIT.search(t["hovertemplate"]), (name, p["id"], t)
                assert "<extra></extra>" in t["hovertemplate"] or t["name"] in t["hovertemplate"], (name, p["id"], t)


def check_legends_clear(page, name: str) -> None:
    """Hover each plot (the toolbar shows): its legend touches neither the toolbar nor the x-axis title."""
    for pid in page.eval_on_selector_all("div.plot", "ds => ds.map(d => d.id)"):
        page.hover(f"#{pid}")
        boxes = page.evaluate("""id => {
          const gd = document.getElementById(id), r = e => e ? e.getBoundingClientRect() : null;
          return {legend: r(gd.querySelector('.legend')), bar: r(gd.querySelector('.modebar')),
                  xtitle: r(gd.querySelector('.g-xtitle'))};
        }""", pid)
        lg = boxes["legend"]
        for other in ("bar", "xtitle"):
            o = boxes[other]
            if lg and o and o["width"] > 0:
                apart = lg["right"] <= o["left"] or o["right"] <= lg["left"] or lg["bottom"] <= o["top"] or \
                    o["bottom"] <= lg["top"]
                assert apart, (name, pid, other, lg, o)


def check_page(browser, html: Path, width_px: int, name: str, tmp_path: Path) -> None:
    page, errors = open_report(browser, html, width_px)
    assert errors == [], (name, errors)
    assert page.evaluate("document.documentElement.scrollWidth") <= width_px + 1, name
    text = page.evaluate(VISIBLE_TEXT_JS)
    check_plain_words(text, name)
    check_counts(page, text, name)
    check_plots(page, name)
    check_legends_clear(page, name)
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(shot_path(tmp_path, f"report_{name}_{width_px}_top.png")))
    page.screenshot(path=str(shot_path(tmp_path, f"report_{name}_{width_px}.png")), full_page=True)
    page.close()


@pytest.mark.parametrize("width_px", WIDTHS)
def test_fixture_reports_read_plainly(browser, fixtures, tmp_path, width_px):
    for name, html in fixtures.items():
        check_page(browser, html, width_px, name, tmp_path)


@pytest.mark.slow
@pytest.mark.parametrize("width_px", WIDTHS)
def test_real_reports_read_plainly(browser, real, tmp_path, width_px):
    for name, html in real.items():
        check_page(browser, html, width_px, name, tmp_path)


def test_key_frames_open_in_a_lightbox_readable_on_a_phone(browser, fixtures):
    page, errors = open_report(browser, fixtures["fixture_rear"], 390)
    n = page.eval_on_selector_all("#keyframes img", "is => is.filter(i => i.complete && i.naturalWidth > 0).length")
    assert n >= 2
    width = page.eval_on_selector("#keyframes img", "i => i.getBoundingClientRect().width")
    assert width >= 0.8 * 390  # one frame per row on a phone, not thumbnails
    page.click("#keyframes button.frame")
    assert page.eval_on_selector("#lightbox", "d => d.open")
    big = page.eval_on_selector("#lightbox img", "i => [i.getBoundingClientRect().width, i.src.length]")
    assert big[0] >= 0.95 * 390 and big[1] > 1000
    assert page.inner_text("#lightbox .lb-caption").startswith(("Left foot strike", "Right foot strike"))
    page.keyboard.press("Escape")
    assert not page.eval_on_selector("#lightbox", "d => d.open")
    assert errors == []
    page.close()


def test_metronome_plays_in_the_browser_and_matches_the_plan(browser, fixtures):
    html = fixtures["fixture_plan"]
    page, errors = open_report(browser, html, 1280)
    plan = page.query_selector(".cadence-plan")
    targets = [int(t) for t in plan.get_attribute("data-targets").split(",")]
    norm = float(plan.get_attribute("data-norm"))
    assert targets and max(targets) <= norm  # the plan stops at the norm ...
    card = page.inner_text('[data-key="cadence_spm"]')
    assert f"about {norm:.0f} steps/min" in card  # ... the cadence card states
    for t in targets:
        f = html.parent / f"metronome_{t}spm.flac"
        assert f.is_file() and f.stat().st_size <= 300_000
    duration = page.evaluate("""() => new Promise((ok, fail) => {
        const a = document.querySelector('.metronome audio');
        a.preload = 'metadata'; a.onloadedmetadata = () => ok(a.duration); a.onerror = () => fail(a.error.code);
        a.load(); })""")
    assert duration == pytest.approx(60.0, abs=0.05)
    assert errors == []
    page.close()
