"""report.html: parses, is self-contained, holds every headline number and the plots' data, escapes text."""
from __future__ import annotations

import json
from html.parser import HTMLParser

import pytest
from report_fixtures import HOSTILE_TITLE, make_result

from gait.report import write_outputs
from gait.report.html import render_html
from gait.result import Result
from gait.video.reader import VideoInfo


class Page(HTMLParser):
    """Collects what the tests look at: text, JSON script blocks by id, headline cards, script srcs."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text, self.json_blocks, self.cards, self.script_src, self.ids = [], {}, {}, [], set()
        self._json_id = self._card = None
        self._stack = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "script":
            if a.get("src"):
                self.script_src.append(a["src"])
            if a.get("type") == "application/json":
                self._json_id = a["id"]
                self.json_blocks[self._json_id] = ""
        if tag == "div" and "data-key" in a:
            self._card = a["data-key"]
            self.cards[self._card] = ""
        if self._card and tag == "span" and a.get("class") == "num":
            self._stack.append("num")

    def handle_endtag(self, tag):
        if tag == "script":
            self._json_id = None
        if tag == "span" and self._stack:
            self._stack.pop()
            self._card = None

    def handle_data(self, data):
        if self._json_id:
            self.json_blocks[self._json_id] += data
        elif self._stack and self._card:
            self.cards[self._card] += data.strip()
        self.text.append(data)


def parse(html: str) -> Page:
    p = Page()
    p.feed(html)
    p.close()
    return p


@pytest.fixture(params=["rear", "side_right"])
def rendered(request, tmp_path):
    r = make_result(request.param)
    out = write_outputs(r, tmp_path)
    saved = json.loads((tmp_path / "result.json").read_text())
    return saved, parse(out["report.html"].read_text(encoding="utf-8")), out["report.html"].read_text()


def test_every_headline_number_of_result_json_is_shown(rendered):
    saved, page, _ = rendered
    assert page.cards["cadence_spm"] == f"{saved['cadence_spm']:.0f}"
    assert page.cards["stride_length_m"] == f"{saved['stride_length_m']:.2f}"
    assert page.cards["contact_time_ms"] == f"{saved['summary']['contact_time_ms']:.0f}"
    if saved["pelvic_drop_deg"]:
        for side in ("left", "right"):
            assert page.cards[f"pelvic_drop_deg.{side}"] == f"{saved['pelvic_drop_deg'][side]:.1f}"
    else:
        assert page.cards["pelvic_drop_deg"] == "—"
    for name, v in saved["summary"].items():  # the "all numbers" table names every measured field
        if v is not None and not isinstance(v, bool):
            assert f'data-name="{name}"' in rendered[2]


def test_ranges_are_stated(rendered):
    text = " ".join(rendered[1].text)
    assert "150–200" in text and "160–300 ms" in text
    if rendered[0]["pelvic_drop_deg"]:
        assert "heuristic" in text.lower()


def test_plots_hold_the_data(rendered):
    saved, page, _ = rendered
    figs = {k[:-5]: json.loads(v) for k, v in page.json_blocks.items()}
    assert all(k in page.ids for k in figs)  # each data block has its plot div
    events = figs["plot-events"]["data"]
    fs_left = next(t for t in events if t.get("name") == "left foot strike")
    assert fs_left["x"] == pytest.approx(saved["events"]["foot_strike"]["left"])
    steps = figs["plot-steps"]["data"]
    assert sum(len(t["x"]) for t in steps if t["name"].startswith("step onto the")) == \
        len(saved["events"]["foot_strike"]["left"]) + len(saved["events"]["foot_strike"]["right"]) - 1
    if saved["view"] == "rear":
        trace = next(t for t in figs["plot-pelvis-time"]["data"] if t.get("name", "").startswith("pelvic obliquity"))
        assert trace["y"] == pytest.approx(saved["traces"]["pelvic_obliquity"]["deg"])
        bars = {t["name"]: t["y"] for t in figs["plot-drop-bars"]["data"]}
        for side in ("left", "right"):
            want = [s["peak_drop_deg"] for s in saved["pelvis"]["stances"]  # one bar per stance the pelvis stage read
                    if s["side"] == side and not s.get("excluded")]
            assert bars[f"drop during {side}-foot stance"] == pytest.approx(want, abs=1e-4)
        assert "plot-pelvis-cycle" in figs
    else:
        angles = figs["plot-angles"]["data"]
        shank = [t for t in angles if t["name"].startswith("shank")]  # left foot's line, then the right's
        assert len(shank) == 2
        for side, trace in zip(("left", "right"), shank):
            assert trace["y"] == pytest.approx([s["shank_angle_deg"] for s in saved["strides"]
                                                if not s.get("excluded") and s["side"] == side])
        assert "plot-pelvis-time" not in figs


def test_findings_plan_sources_warnings_disclaimer(rendered):
    saved, page, html = rendered
    text = " ".join(page.text)
    for f in saved["findings"]:
        assert f["title"] in text
        for s in f["sources"]:
            assert (s.get("citation") or s["title"]) in text
    for rec in saved["recommendations"]:
        assert rec["title"] in text and rec["dose"] in text if rec.get("dose") else rec["title"] in text
    for w in saved["quality"]["warnings"]:
        assert w in text
    assert saved["disclaimer"] in text


def test_text_is_escaped(rendered):
    html = rendered[2]
    assert '<script>alert("x")</script>' not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html or "&lt;script&gt;" in html
    assert HOSTILE_TITLE in " ".join(rendered[1].text)  # shown as text, intact
    assert "<fixed>" not in html  # warning text escaped too


def test_self_contained(rendered):
    _, page, html = rendered
    assert page.script_src == []  # plotly.js inlined, nothing fetched
    assert "http://" not in html.split("<script>", 1)[0] and 'src="http' not in html
    assert len(html) > 3_000_000  # plotly.js is in there
    assert 'name="viewport"' in html


def test_tolerates_a_bare_result():
    r = Result(video=VideoInfo.from_dict({"path": "/nowhere/clip.mp4"}), model="full")
    page = parse(render_html(r))
    assert page.cards["cadence_spm"] == "—"
    assert "too few foot strikes and toe-offs were found" in " ".join(page.text)


def test_traces_missing_keys_and_nones_are_tolerated():
    r = make_result("rear")
    r.traces["pelvic_obliquity"]["deg"][5:40] = [None] * 35
    r.traces["other_stage_trace"] = {"t_s": [0, 1], "whatever": [1, 2]}
    page = parse(render_html(r))
    assert "plot-pelvis-time-data" in page.json_blocks


def test_cadence_card_agrees_with_the_speed_based_finding():
    from gait.findings import evaluate
    from gait.report.view.cards import headline_cards
    from tests.report_fixtures import make_result

    r = make_result(view="rear")
    r.summary.cadence_spm, r.summary.speed_mps = 160.0, 4.2  # ~181 expected at 4.2 m/s
    r.findings, r.recommendations = evaluate(r.summary)
    card = next(c for c in headline_cards(r) if c.key == "cadence_spm")
    assert any(f.id == "cadence_low_for_speed" for f in r.findings)
    assert card.status == "watch" and "low for your speed" in card.status_text


def test_metronomes_are_the_plans_targets_and_old_ones_go(tmp_path):
    from gait.findings import evaluate

    r = make_result("rear", intervals=True)
    r.summary.cadence_spm, r.summary.cadence_spm_ci, r.summary.speed_mps = 160.0, [158.0, 162.0], 4.2
    r.findings, r.recommendations = evaluate(r.summary)
    (tmp_path / "metronome_186spm.wav").write_bytes(b"RIFF")  # an earlier run's target, past the norm
    out = write_outputs(r, tmp_path)
    files = sorted(p.name for p in tmp_path.glob("metronome_*"))
    cue = next(x for x in r.recommendations if x.kind == "cadence")
    assert files[0] == f"metronome_{round(cue.target_spm)}spm.flac" and all(f.endswith(".flac") for f in files)
    assert all(name in out for name in files)
    html = out["report.html"].read_text(encoding="utf-8")
    assert all(f'src="{name}"' in html for name in files)
