"""Key frames, the overlay video, `gait report` and the side+rear pair, on a tiny synthetic clip.

No pose estimation: landmarks are synthetic, handed in or planted in the landmark cache.
"""
from __future__ import annotations

import json
from dataclasses import replace

import av
import pytest
from report_fixtures import make_clip_and_poses, make_result

from gait.cli import main
from gait.pair import AGREE_PCT, analyze_pair, merge_pair
from gait.report import write_outputs
from gait.report.overlay import running_cadence, write_overlay


@pytest.fixture()
def clip(tmp_path):
    info, poses = make_clip_and_poses(tmp_path / "clip.mp4")
    r = make_result("rear", video_path=info.path, duration_s=4.0, fps=30.0, n_strides=4, t0_s=0.3,
                    width=info.width, height=info.height)
    r.video = replace(r.video, content_sha256=info.content_sha256)
    return r, poses


def decoded(path) -> tuple[str, int]:
    with av.open(str(path)) as c:
        return c.streams.video[0].codec_context.name, sum(1 for _ in c.decode(video=0))


def plant_in_cache(r, poses) -> None:
    """Save the synthetic landmarks under the key the report will look up (as analyze would have)."""
    from gait.poses import cache
    from gait.poses.models import resolve_model
    cache.save(cache.cache_key(r.video, resolve_model("full").sha256, 2), poses)


def test_overlay_is_h264_with_every_frame(clip, tmp_path):
    r, poses = clip
    out = write_outputs(r, tmp_path / "out", overlay=True, poses=poses)
    codec, n = decoded(out["overlay"])
    assert out["overlay"].name == "overlay.mp4" and codec == "h264"
    assert n == len(poses)
    assert 'src="overlay.mp4"' in out["report.html"].read_text()


def test_overlay_fallbacks_are_stated(clip, tmp_path):
    r, poses = clip
    webm = write_overlay(r, tmp_path, poses=poses, prefer=("libvpx-vp9",))
    assert webm.path.suffix == ".webm" and decoded(webm.path) == ("vp9", len(poses)) and not webm.notes
    mp4v = write_overlay(r, tmp_path, poses=poses, prefer=())
    assert decoded(mp4v.path) == ("mpeg4", len(poses))
    assert any("browsers" in n for n in mp4v.notes)


def test_running_cadence():
    strikes = [0.0, 0.35, 0.70, 1.05, 1.40]
    assert running_cadence(strikes, 0.5) is None
    assert running_cadence(strikes, 1.5) == pytest.approx(60 / 0.35)


def test_keyframes_from_the_cache_and_reused_without_the_video(clip, tmp_path, monkeypatch):
    r, poses = clip
    monkeypatch.setenv("GAIT_CACHE_DIR", str(tmp_path / "cache"))  # never plant fakes in the shared cache
    plant_in_cache(r, poses)
    out_dir = tmp_path / "out"
    out = write_outputs(r, out_dir)  # no poses handed in: read from the cache
    index = json.loads((out_dir / "keyframes" / "index.json").read_text())
    names = {k["file"] for k in index}
    assert {"foot_strike_left.jpg", "foot_strike_right.jpg", "peak_drop_left.jpg", "peak_drop_right.jpg"} <= names
    html = out["report.html"].read_text()
    assert html.count("data:image/jpeg;base64,") == len(index)
    (out_dir / "result.json").write_text(r.to_json())
    (tmp_path / "clip.mp4").unlink()  # video gone: `gait report` re-embeds the saved stills
    (out_dir / "report.html").unlink()
    assert main(["report", str(out_dir / "result.json"), "--quiet"]) == 0
    assert (out_dir / "report.html").read_text().count("data:image/jpeg;base64,") == len(index)


def test_no_landmarks_means_no_keyframes_with_a_note(clip, tmp_path, monkeypatch):
    r, _ = clip
    monkeypatch.setenv("GAIT_CACHE_DIR", str(tmp_path / "empty-cache"))
    out = write_outputs(r, tmp_path / "out")
    assert "keyframes" not in out and any("not in the cache" in n for n in out.notes)
    assert "not in the cache" in out["report.html"].read_text()


def test_report_command_rerenders_into_another_folder(tmp_path, capsys):
    src = tmp_path / "a"
    write_outputs(make_result("rear"), src)
    assert main(["report", str(src / "result.json"), "--out", str(tmp_path / "b")]) == 0
    for name in ("report.html", "strides.csv", "result.json"):
        assert (tmp_path / "b" / name).is_file()
    assert "Wrote:" in capsys.readouterr().out


def test_report_command_errors_are_one_sentence(tmp_path, capsys):
    assert main(["report", str(tmp_path / "missing.json")]) == 3
    (tmp_path / "x.json").write_text("not json")
    assert main(["report", str(tmp_path / "x.json")]) == 2
    (tmp_path / "y.json").write_text('{"schema_version": 99}')
    assert main(["report", str(tmp_path / "y.json")]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and err.count("gait: error:") == 3


def test_report_overlay_without_the_video_says_so(tmp_path, capsys):
    write_outputs(make_result("rear", video_path=str(tmp_path / "gone.mp4")), tmp_path)
    assert main(["report", str(tmp_path / "result.json"), "--overlay", "--quiet"]) == 3
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "no longer exists" in err[0] and "gone.mp4" in err[0]
    assert (tmp_path / "report.html").is_file()


def test_pair_merge_cross_checks_and_keeps_both_clips():
    side = make_result("side_right", video_path="/x/side.mp4")
    rear = make_result("rear", video_path="/x/rear.mp4", intervals=True)  # findings are gated by the intervals
    m = merge_pair(side, rear)
    assert m.video.path == "/x/side.mp4" and m.pair.video.path == "/x/rear.mp4" and m.pair.view == "rear"
    assert m.cadence_spm == side.cadence_spm
    assert m.summary.shank_angle_deg == side.summary.shank_angle_deg
    assert m.pelvic_drop_deg == rear.pelvic_drop_deg
    assert m.summary.pelvic_drop_left_deg == rear.summary.pelvic_drop_left_deg
    cc = m.quality["pair"]["cross_check"]
    assert cc["cadence_spm"]["side"] == side.summary.cadence_spm and cc["cadence_spm"]["rear"] == rear.summary.cadence_spm
    assert all(c["agree"] for c in cc.values())
    assert not any("disagree" in w for w in m.quality["warnings"])
    assert "pelvic_drop" not in m.quality or "side view" not in m.quality["pelvic_drop"].get("not_measured", "")
    assert m.traces["pelvic_obliquity"]["clip"] == "rear" and m.pair.strides == rear.strides
    assert [s.side for s in m.strides] == [s.side for s in side.strides]
    assert m.summary.pelvic_drop_left_deg_ci == rear.summary.pelvic_drop_left_deg_ci  # intervals travel too
    assert any(f.id.startswith("pelvic_drop") for f in m.findings)  # findings re-judged on the merged summary


def test_pair_warns_when_the_clips_disagree():
    m = merge_pair(make_result("side_right"), make_result("rear", stride_s=0.71 * (1 + 1.5 * AGREE_PCT / 100)))
    assert m.quality["pair"]["cross_check"]["cadence_spm"]["agree"] is False
    assert sum("disagree" in w for w in m.quality["warnings"]) == 1


def test_analyze_pair_forces_the_views(monkeypatch):
    calls = []

    def fake_analyze(path, progress=None, **opts):
        calls.append((path, opts["view"]))
        return make_result("rear" if opts["view"] == "rear" else "side_right", video_path=str(path))

    monkeypatch.setattr("gait.pipeline.analyze", fake_analyze)
    m = analyze_pair(side="s.mp4", rear="r.mp4", view="auto", belt_speed_mps=3.3)
    assert calls == [("s.mp4", "side"), ("r.mp4", "rear")]
    assert m.inputs["view"] == "side+rear"
    only = analyze_pair(rear="r.mp4", view="side_left")
    assert calls[-1] == ("r.mp4", "rear") and "only a rear clip" in only.quality["pair"]["note"]


def test_pair_overlays_and_keyframes_come_from_both_clips(tmp_path, monkeypatch):
    monkeypatch.setenv("GAIT_CACHE_DIR", str(tmp_path / "cache"))
    sinfo, sposes = make_clip_and_poses(tmp_path / "side.mp4", seconds=4.0)
    rinfo, rposes = make_clip_and_poses(tmp_path / "rear.mp4", seconds=4.2)
    rinfo = type(rinfo)(**{**rinfo.to_dict(), "content_sha256": "e" * 64})
    rposes = rposes.with_arrays(video=rinfo)
    common = dict(duration_s=4.0, fps=30.0, n_strides=4, t0_s=0.3, width=320, height=240)
    side = make_result("side_right", video_path=sinfo.path, **common)
    rear = make_result("rear", video_path=rinfo.path, **common)
    side.video = replace(side.video, content_sha256=sinfo.content_sha256)
    rear.video = replace(rear.video, content_sha256=rinfo.content_sha256)
    m = merge_pair(side, rear)
    plant_in_cache(side, sposes)
    plant_in_cache(rear, rposes)
    out = write_outputs(m, tmp_path / "out", overlay=True)
    assert decoded(out["overlay"])[1] == len(sposes) and decoded(out["overlay_rear"])[1] == len(rposes)
    index = json.loads((tmp_path / "out" / "keyframes" / "index.json").read_text())
    assert {k["clip"] for k in index} == {"video", "rear_video"}
    html = out["report.html"].read_text()
    assert 'src="overlay.mp4"' in html and 'src="overlay_rear.mp4"' in html


@pytest.mark.slow
def test_end_to_end_on_the_phantom_rear_clip(tmp_path):
    """analyze (landmarks from the cache when warm) -> report with key frames and an H.264 overlay of every frame."""
    from conftest import PHANTOM

    from gait.pipeline import analyze

    clip = PHANTOM / "rear_drop8_169spm_60fps.mp4"
    if not clip.exists():
        pytest.skip("phantom clip not available")
    r = analyze(clip, belt_speed_mps=4.18)
    out = write_outputs(r, tmp_path, overlay=True)
    assert decoded(out["overlay"]) == ("h264", r.video.frames or 600)
    assert len(json.loads((tmp_path / "keyframes" / "index.json").read_text())) == 4
    html = out["report.html"].read_text()
    assert f"{r.pelvic_drop_deg['left']:.1f}" in html and f"{r.cadence_spm:.0f}" in html


def test_pair_keeps_the_rear_clips_pelvis_quality_block():
    rear = make_result("rear")
    rear.quality["pelvic_drop"] = {"method": "hip landmarks", "stances_used": 20, "level": "mean over cycles"}
    m = merge_pair(make_result("side_right"), rear)
    assert m.quality["pelvic_drop"]["method"] == "hip landmarks" and "pelvic_drop" not in m.quality["rear"]
