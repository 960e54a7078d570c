"""gait export on real analyses of phantom clips: files parse back, and hold what the metrics used."""
from __future__ import annotations

import json
import shutil

import numpy as np
import pandas as pd
import pytest
from cli_support import one_sentence, run_cli
from conftest import PHANTOM
from opensim_files import read_mot, read_trc

pytestmark = pytest.mark.slow
SIDE, REAR = "side_right_drop4_169spm_60fps", "rear_drop8_169spm_60fps"


@pytest.fixture(scope="module")
def analysed(tmp_path_factory):
    """{clip: folder with result.json and every export}, analysed and exported once through the CLI."""
    out = {}
    for clip in (SIDE, REAR):
        d = tmp_path_factory.mktemp(clip)
        r = run_cli("analyze", PHANTOM / f"{clip}.mp4", "--belt-speed", "3.5mps", "--height-cm", "178", "--out", d,
                    "--no-report", "--quiet", "--export", "trc,mot,csv")
        assert r.returncode == 0, r.stderr
        r = run_cli("export", d / "result.json", "--format", "parquet", "--quiet")
        assert r.returncode == 0, r.stderr
        out[clip] = d
    return out


def _result(d):
    import gait

    return gait.load(d / "result.json")


def test_trc_has_33_markers_in_mm_at_the_container_times(analysed, poses_of):
    d = analysed[SIDE]
    trc = read_trc((d / f"{SIDE}_markers.trc").read_text())
    poses = poses_of(PHANTOM / f"{SIDE}.mp4")
    assert len(trc.markers) == 33 and trc.header["Units"] == "mm"
    assert int(trc.header["NumFrames"]) == len(poses.t_s) == len(trc.time_s)
    np.testing.assert_allclose(trc.time_s, poses.t_s, atol=1e-6)
    # a 1.78 m runner: nose to heel spans most of the height, in millimetres
    span = np.nanmedian(trc.xyz[:, 0, 1] - np.fmin(trc.xyz[:, 29, 1], trc.xyz[:, 30, 1]))
    assert 1300 < span < 1900, span


def test_side_view_angles_are_the_metrics_angles(analysed):
    d = analysed[SIDE]
    mot = read_mot((d / f"{SIDE}_angles.mot").read_text())
    assert mot.columns == ["time", "knee_flexion_left_deg", "knee_flexion_right_deg", "shank_angle_left_deg",
                           "shank_angle_right_deg", "trunk_lean_deg"]
    r = _result(d)
    t = mot.data[:, 0]
    for st in [s for s in r.strides if s.knee_flexion_fs_deg is not None][:10]:
        col = mot.columns.index(f"knee_flexion_{st.side}_deg")
        at_strike = np.interp(st.foot_strike_s, t, mot.data[:, col])
        assert abs(at_strike - st.knee_flexion_fs_deg) < 1.5, (st.foot_strike_s, at_strike, st.knee_flexion_fs_deg)
        col = mot.columns.index(f"shank_angle_{st.side}_deg")
        assert abs(np.interp(st.foot_strike_s, t, mot.data[:, col]) - st.shank_angle_deg) < 1.5


def test_rear_view_mot_is_the_pelvic_obliquity_trace(analysed):
    d = analysed[REAR]
    mot = read_mot((d / f"{REAR}_angles.mot").read_text())
    assert mot.columns == ["time", "pelvic_obliquity_deg"]
    trace = _result(d).pelvis.trace
    want = np.array([np.nan if v is None else v for v in trace.obliquity_deg])
    np.testing.assert_allclose(mot.data[:, 1], want, atol=1e-5)


def test_table_loads_in_pandas_with_stance_matching_events(analysed):
    from gait.export.table import COLUMNS

    d = analysed[SIDE]
    csv = pd.read_csv(d / f"{SIDE}_frames.csv")
    pq = pd.read_parquet(d / f"{SIDE}_frames.parquet")
    assert list(csv.columns) == list(pq.columns) == list(COLUMNS)
    np.testing.assert_allclose(csv["left_knee_x_px"], pq["left_knee_x_px"], rtol=1e-5)
    r = _result(d)
    duty = 100 * csv["stance_left"].mean()
    assert abs(duty - r.summary.duty_factor_pct) < 4, (duty, r.summary.duty_factor_pct)
    frame = r.frames_frame()
    assert list(frame.columns) == list(COLUMNS) and len(frame) == len(csv)
    assert len(r.strides_frame()) == len(r.strides)


def test_missing_landmarks_and_bad_input_are_one_sentence(analysed, tmp_path):
    data = json.loads((analysed[REAR] / "result.json").read_text())
    data["video"]["path"] = data["video"]["absolute_path"] = str(tmp_path / "gone.mp4")
    (tmp_path / "result.json").write_text(json.dumps(data))
    r = run_cli("export", tmp_path / "result.json", "--format", "trc")
    assert r.returncode == 13 and "landmarks" in one_sentence(r.stderr)
    (tmp_path / "notes.json").write_text('{"hello": 1}')
    r = run_cli("export", tmp_path / "notes.json", "--format", "trc")
    assert r.returncode == 2 and "not a gait result" in one_sentence(r.stderr)
    data["schema_version"] = 99
    (tmp_path / "old.json").write_text(json.dumps(data))
    r = run_cli("export", tmp_path / "old.json", "--format", "mot")
    assert r.returncode == 2 and "schema_version" in one_sentence(r.stderr)
    r = run_cli("export", analysed[REAR] / "result.json", "--format", "xls")
    assert r.returncode == 2 and "xls" in r.stderr and "Traceback" not in r.stderr
    shutil.copy(analysed[REAR] / "result.json", tmp_path / "r.json")
    r = run_cli("export", tmp_path / "r.json", "--format", "trc,mot", "--out", tmp_path / "one.trc")
    assert r.returncode == 2 and "one file" in one_sentence(r.stderr)
