"""gait validate: its printed table and CSV hold exactly what score() gives on the same analyses."""
from __future__ import annotations

import math

import pandas as pd
import pytest
from cli_support import one_sentence, run_cli
from conftest import PHANTOM

pytestmark = pytest.mark.slow
CLIPS = ("rear_asymL10R3_176spm_60fps", "side_right_drop4_169spm_60fps")


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """Two phantom clips with their truth, plus one broken clip whose truth file is fine."""
    d = tmp_path_factory.mktemp("phantom_subset")
    for c in CLIPS:
        for ext in (".mp4", ".json"):
            (d / f"{c}{ext}").symlink_to(PHANTOM / f"{c}{ext}")
    (d / "broken.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64)
    (d / "broken.json").symlink_to(PHANTOM / f"{CLIPS[0]}.json")
    return d


@pytest.fixture(scope="module")
def ran(folder, tmp_path_factory):
    out = tmp_path_factory.mktemp("validation")
    r = run_cli("validate", folder, "--out", out, "--quiet")
    return r, out


@pytest.fixture(scope="module")
def scores():
    from gait.validate import validate_clip

    return {c: validate_clip(PHANTOM / f"{c}.mp4", model="full") for c in CLIPS}


def _same(a, b) -> bool:
    if a is None or (isinstance(a, float) and math.isnan(a)):
        return b is None or (isinstance(b, float) and math.isnan(b))
    if isinstance(b, bool) or isinstance(a, bool):
        return bool(a) == bool(b)
    if isinstance(b, (int, float)):
        return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-9)
    return str(a) == str(b)


def test_csv_rows_equal_score_on_the_same_results(ran, scores):
    r, out = ran
    assert r.returncode == 0, r.stderr
    table = pd.read_csv(out / "validation.csv")
    assert sorted(table["clip"]) == sorted([*CLIPS, "broken"])
    for clip, s in scores.items():
        row = table[table["clip"] == clip].iloc[0].to_dict()
        want = s.flat()
        bad = {k: (row[k], v) for k, v in want.items() if not _same(row[k], v)}
        assert not bad, bad
        assert pd.isna(row["error"])


def test_printed_table_shows_the_scored_numbers(ran, scores):
    from gait.validate.table import ValidationRow, pelvis_cells, timing_cells

    r, _ = ran
    lines = r.stdout.splitlines()
    for clip, s in scores.items():
        row = ValidationRow(clip, "full", s)
        timing = next(ln for ln in lines if ln.startswith(clip))  # the timing table comes first
        for cell in timing_cells(row)[3:]:
            assert cell in timing, (cell, timing)
        pel = pelvis_cells(row)
        if pel is not None:  # the rear clip: its pelvic-drop row is the second line naming it
            pel_line = [ln for ln in lines if ln.startswith(clip)][1]
            for cell in pel[2:]:
                assert cell in pel_line, (cell, pel_line)
    assert "(ms)" in r.stdout and "(°)" in r.stdout and "(steps/min)" in r.stdout  # units in the headers


def test_failed_clip_is_a_row_with_its_error(ran):
    r, out = ran
    broken = pd.read_csv(out / "validation.csv").set_index("clip").loc["broken"]
    assert isinstance(broken["error"], str) and broken["error"]
    assert pd.isna(broken["cadence_spm"])
    assert any(ln.startswith("broken") and "failed" in ln for ln in r.stdout.splitlines())
    html = (out / "validation.html").read_text(encoding="utf-8")
    assert "Plotly.newPlot" in html and "rear_asymL10R3_176spm_60fps" in html and "<script src=" not in html


def test_no_truth_and_bad_model_are_one_sentence(tmp_path):
    r = run_cli("validate", tmp_path)
    assert r.returncode == 3 and "truth file" in one_sentence(r.stderr)
    r = run_cli("validate", tmp_path, "--model", "full,huge")
    assert r.returncode == 2 and "huge" in one_sentence(r.stderr)
