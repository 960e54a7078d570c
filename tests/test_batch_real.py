"""`gait batch` end to end through the real gait.pipeline.analyze (cached landmarks of a phantom clip)."""
from __future__ import annotations

import csv
import json

import pytest
from conftest import PHANTOM

from gait.cli import main

CLIP = "side_right_drop4_169spm_60fps"


def _pipeline_ready() -> bool:
    try:
        from gait import events, metrics

        return callable(events.analyze_events) and callable(metrics.compute_metrics)
    except (ImportError, AttributeError):
        return False


pytestmark = pytest.mark.skipif(not _pipeline_ready(), reason="events/metrics stages not written yet")


def test_cli_batch_with_real_analyze_then_resume(tmp_path, capsys):
    clips = tmp_path / "clips"
    clips.mkdir()
    (clips / f"{CLIP}.mp4").symlink_to(PHANTOM / f"{CLIP}.mp4")
    (clips / "notes.mp4").write_text("not a video\n", encoding="utf-8")
    truth = json.loads((PHANTOM / f"{CLIP}.json").read_text())
    out = tmp_path / "out"
    argv = ["batch", str(clips), "--out", str(out), "--workers", "2", "--belt-speed", f"{truth['belt_speed_mps']}mps",
            "--no-report", "--quiet"]
    assert main(argv) == 0
    assert "2 clips: 1 ok, 1 failed, 0 skipped" in capsys.readouterr().out
    with open(out / "summary.csv", newline="", encoding="utf-8") as fh:
        rows = {r["clip_id"]: r for r in csv.DictReader(fh)}
    assert (rows["notes"]["status"], rows["notes"]["exit_code"]) == ("failed", "4")
    ok = rows[CLIP]
    assert ok["status"] == "ok" and ok["view"].startswith("side"), ok
    assert abs(float(ok["cadence_spm"]) - truth["cadence_spm"]["set"]) < 3.0
    assert json.loads((out / CLIP / "result.json").read_text())["summary"]["cadence_spm"] == float(ok["cadence_spm"])
    before = (out / CLIP / "result.json").stat().st_mtime_ns
    assert main(argv) == 0
    assert "2 clips: 0 ok, 1 failed, 1 skipped" in capsys.readouterr().out
    assert (out / CLIP / "result.json").stat().st_mtime_ns == before


@pytest.mark.slow  # the pelvis stage decodes both 10 s clips twice (~45 s on 2 busy cores)
def test_real_rear_clips_give_the_same_tables_with_one_or_two_workers(tmp_path):
    """One worker analyses both rear clips in turn (the pelvis stage uses OpenCV's global RNG); two workers
    analyse one each: the tables must still match byte for byte."""
    from gait.batch import run_batch

    clips = [PHANTOM / "rear_drop0_169spm_60fps.mp4", PHANTOM / "rear_drop8_169spm_60fps.mp4"]
    for w in (1, 2):
        run_batch(clips, tmp_path / f"w{w}", workers=w, progress=False, write_report=False)
    for name in ("summary.csv", "strides.csv"):
        assert (tmp_path / "w1" / name).read_bytes() == (tmp_path / "w2" / name).read_bytes()
