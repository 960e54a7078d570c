"""gait compare: a change is 'changed' only when its interval excludes zero; the two acceptance cases on phantom clips."""
from __future__ import annotations

import math

import pytest
from cli_support import one_sentence, run_cli
from conftest import PHANTOM

from gait.compare import change_interval, compare
from gait.compare.text import comparison_text
from gait.result import Events, PelvicTrace, PelvisResult, Result, Summary
from gait.video.reader import VideoInfo


def session(drop_l: float, drop_l_ci: list[float] | None, cadence: float = 170.0, cadence_ci=None,
            model: str = "full") -> Result:
    fs = [0.1 + 0.7 * i for i in range(8)]
    ev = Events(foot_strike={"left": fs, "right": [t + 0.35 for t in fs]},
                toe_off={"left": [t + 0.2 for t in fs], "right": [t + 0.57 for t in fs]})
    t = [i / 60 for i in range(int(5.8 * 60))]
    obl = [drop_l * math.sin(2 * math.pi * x / 0.7) for x in t]
    r = Result(video=VideoInfo.from_dict({"path": "clip.mp4"}), model=model, view="rear", events=ev,
               summary=Summary(cadence_spm=cadence, cadence_spm_ci=cadence_ci, pelvic_drop_left_deg=drop_l,
                               pelvic_drop_left_deg_ci=drop_l_ci, contact_time_left_ms=200.0,
                               contact_time_right_ms=220.0),
               pelvis=PelvisResult(trace=PelvicTrace(t, obl, [1.0] * len(t))))
    r.traces["pelvic_obliquity"] = {"t_s": t, "deg": obl}
    return r


def test_change_interval_adds_half_widths_in_quadrature():
    lo, hi = change_interval(1.0, [0.0, 2.0], 5.0, [3.5, 6.5])
    assert lo == pytest.approx(4.0 - math.hypot(1.5, 1.0)) and hi == pytest.approx(4.0 + math.hypot(1.5, 1.0))
    lo, hi = change_interval(0.0, [-1.0, 3.0], 0.0, [-0.5, 0.5])  # a skewed interval keeps its skew
    assert lo == pytest.approx(-math.hypot(0.5, 3.0)) and hi == pytest.approx(math.hypot(0.5, 1.0))
    assert change_interval(1.0, None, 2.0, [1.5, 2.5]) is None


def test_changed_only_beyond_the_uncertainty_and_not_judged_without_one():
    c = compare(session(2.0, [1.0, 3.0]), session(5.0, [4.0, 6.0], cadence=171.0))
    drop = c.row("pelvic_drop_left_deg")
    assert drop.verdict == "changed" and drop.change == pytest.approx(3.0)
    assert drop.within_between_day_error  # 3° < the 9–14° between-day error
    assert c.row("cadence_spm").verdict == "not judged"  # no cadence interval in either session
    c2 = compare(session(2.0, [0.0, 4.0]), session(3.0, [1.0, 5.0]))
    assert c2.row("pelvic_drop_left_deg").verdict == "no change"
    text = comparison_text(c)
    assert "between days" in text and "9–14°" in text
    assert [ln for ln in text.splitlines() if ln.endswith("changed *")] == \
        [ln for ln in text.splitlines() if ln.startswith("Pelvic drop, left stance")]


def test_compare_page_and_cycle_plot(tmp_path):
    from gait.compare.page import render

    a, b = session(2.0, [1.0, 3.0]), session(6.0, [5.0, 7.0])
    html = render(compare(a, b), a, b)
    assert "Plotly.newPlot" in html and "pelvic obliquity" in html and "contact 200 ms" in html


def test_web_athlete_page_compares_two_assessments(tmp_path):
    from fastapi.testclient import TestClient

    from gait.web import create_app

    app = create_app(tmp_path / "d", analyze_fn=lambda *a, **k: None, report_fn=lambda *a, **k: {})
    db = app.state.db
    athlete = db.add_athlete("Ana")
    ids = []
    for k, (drop, ci) in enumerate(((1.0, [0.0, 2.0]), (7.0, [6.0, 8.0]))):
        p = tmp_path / f"r{k}.json"
        p.write_text(session(drop, ci).to_json())
        ids.append(db.add_assessment(job_id=f"j{k}", athlete_id=athlete.id, session_date=f"2025-0{k + 1}-01",
                                     result_path=str(p)).id)
    with TestClient(app, base_url="http://127.0.0.1:8000") as c:
        page = c.get(f"/athletes/{athlete.id}")
        assert f'action="/athletes/{athlete.id}/compare"' in page.text
        r = c.get(f"/athletes/{athlete.id}/compare", params={"before": ids[0], "after": ids[1]})
        assert r.status_code == 200
        assert "Pelvic drop, left stance" in r.text and "changed" in r.text and "cycle-data" in r.text
        other = db.add_athlete("Bo")
        assert c.get(f"/athletes/{other.id}/compare", params={"before": ids[0], "after": ids[1]}).status_code == 404


# --- the two acceptance cases on phantom clips --------------------------------------------------------------


@pytest.fixture(scope="module")
def rear_results(tmp_path_factory):
    d = tmp_path_factory.mktemp("rear")
    for clip in ("rear_drop0_169spm_60fps", "rear_drop8_169spm_60fps"):
        r = run_cli("analyze", PHANTOM / f"{clip}.mp4", "--belt-speed", "3.5mps", "--out", d / clip, "--no-report",
                    "--quiet")
        assert r.returncode == 0, r.stderr
    return d


@pytest.mark.slow
def test_zero_vs_eight_degrees_reports_the_drop_change_with_its_interval(rear_results, tmp_path):
    d = rear_results
    r = run_cli("compare", d / "rear_drop0_169spm_60fps" / "result.json", d / "rear_drop8_169spm_60fps" / "result.json",
                "--out", tmp_path / "c.html")
    assert r.returncode == 0, r.stderr
    import gait

    c = compare(gait.load(d / "rear_drop0_169spm_60fps" / "result.json"),
                gait.load(d / "rear_drop8_169spm_60fps" / "result.json"))
    for side in ("left", "right"):
        row = c.row(f"pelvic_drop_{side}_deg")
        assert row.verdict == "changed" and 6.0 < row.change < 10.0, row
        assert row.change_ci[0] < 8.0 < row.change_ci[1] or abs(row.change - 8.0) < 1.5, row
        line = next(ln for ln in r.stdout.splitlines() if ln.startswith(f"Pelvic drop, {side} stance"))
        assert f"{row.change:+.1f} ({row.change_ci[0]:+.1f} to {row.change_ci[1]:+.1f})" in line and "changed" in line
    assert c.row("pelvic_drop_asymmetry_deg").verdict != "changed"  # both sides changed alike
    assert "between days" in r.stdout
    assert (tmp_path / "c.html").is_file()


@pytest.mark.slow
def test_two_halves_of_one_clip_report_no_change(poses_of):
    """Same runner, same camera, same model, different strides: the first and second 5 s of the 8° rear clip.
    (A clip compared with itself is identical by construction and would prove nothing.)"""
    from gait.events import slice_poses
    from gait.pipeline import Decoded, Options, measure
    from gait.poses import resolve_model

    clip = PHANTOM / "rear_drop8_169spm_60fps.mp4"
    poses = poses_of(clip)
    model = resolve_model("full", None)
    halves = []
    for sl in (slice(0, len(poses) // 2), slice(len(poses) // 2, len(poses))):
        r = Result(video=poses.video, model=model.name, inputs={"model": "full", "num_poses": 2})
        half = Decoded(slice_poses(poses, sl), from_cache=True)  # the pelvis samples its own frames
        halves.append(measure(r, half.poses, half, Options(belt_speed_mps=3.5), lambda s, f: None, model))
    c = compare(*halves)
    assert c.row("pelvic_drop_left_deg").verdict == "no change"
    assert c.row("pelvic_drop_right_deg").verdict == "no change"
    assert not c.changed, [(r.metric, r.change, r.change_ci) for r in c.changed]


def test_compare_bad_input_is_one_sentence(tmp_path):
    (tmp_path / "a.json").write_text("[1, 2]")
    r = run_cli("compare", tmp_path / "a.json", tmp_path / "missing.json")
    assert r.returncode == 2 and "not a gait result" in one_sentence(r.stderr)
    r = run_cli("compare", tmp_path / "missing.json", tmp_path / "a.json")
    assert r.returncode == 3 and one_sentence(r.stderr)
