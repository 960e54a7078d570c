"""Export formats on a small synthetic series: TRC/MOT parse back, the table has its documented columns, C3D reads."""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from opensim_files import read_mot, read_trc

from gait.errors import UsageError
from gait.export import export, parse_formats
from gait.export.frames import FrameAngles, FrameData, stance_mask
from gait.export.markers import marker_set
from gait.export.opensim import mot_text, trc_text
from gait.export.table import COLUMNS, frames_dataframe
from gait.poses.landmarks import NAMES
from gait.result import Result
from gait.video.reader import VideoInfo

REPO = Path(__file__).resolve().parents[1]
N, H = 12, 720


def synthetic(px_per_m: float | None = 400.0, vfr: bool = False) -> FrameData:
    rng = np.random.default_rng(1)
    t = np.cumsum(np.r_[0.0, rng.uniform(0.015, 0.019, N - 1)]) + 0.5  # uneven, not from zero: container times
    xy = rng.uniform(100, 600, (N, len(NAMES), 2))
    xy[3, 5] = np.nan  # one landmark unseen in one frame
    world = rng.normal(0, 0.5, (N, len(NAMES), 3))
    ang = FrameAngles(*(rng.uniform(-30, 60, N) for _ in range(5)), np.full(N, np.nan))
    return FrameData(clip="c.mp4", view="side_right", t_s=t, frame_index=np.arange(N) + 40, image_xy_px=xy,
                     image_height_px=H, visibility=rng.uniform(0, 1, (N, len(NAMES))), world_xyz_m=world,
                     px_per_m=px_per_m, scale_source="test", nominal_fps=60.0, variable_frame_rate=vfr,
                     stance_left=t < 0.6, stance_right=t > 0.6, angles=ang, conditioned=True)


def test_trc_parses_back_with_marker_names_units_and_container_times():
    fd = synthetic()
    trc = read_trc(trc_text(fd, marker_set(fd), "x.trc"))
    assert trc.markers == list(NAMES) and trc.header["NumMarkers"] == "33"
    assert trc.header["Units"] == "mm" and int(trc.header["NumFrames"]) == N
    np.testing.assert_allclose(trc.time_s, fd.t_s, atol=1e-6)  # the container's times, not i / fps
    assert list(trc.frame) == list(fd.frame_index + 1)
    # image plane in mm, Y up from the bottom edge of the frame, Z = 0
    np.testing.assert_allclose(trc.xyz[:, 0, 0], fd.image_xy_px[:, 0, 0] / 400 * 1000, atol=0.01)
    np.testing.assert_allclose(trc.xyz[:, 0, 1], (H - fd.image_xy_px[:, 0, 1]) / 400 * 1000, atol=0.01)
    assert np.all(np.isnan(trc.xyz[3, 5])) and np.nansum(np.abs(trc.xyz[..., 2])) == 0


def test_trc_without_scale_is_in_pixels_and_refuses_metres():
    fd = synthetic(px_per_m=None)
    trc = read_trc(trc_text(fd, marker_set(fd), "x.trc"))
    assert trc.header["Units"] == "px"
    np.testing.assert_allclose(trc.xyz[:, 7, 0], fd.image_xy_px[:, 7, 0], atol=0.01)
    with pytest.raises(UsageError, match="height"):
        marker_set(fd, "image", "m")


def test_world_markers_are_right_handed_y_up():
    fd = synthetic()
    m = marker_set(fd, "world", "m")
    np.testing.assert_allclose(m.xyz[..., 0], fd.world_xyz_m[..., 0])
    np.testing.assert_allclose(m.xyz[..., 1], -fd.world_xyz_m[..., 1])  # MediaPipe's y points down
    np.testing.assert_allclose(m.xyz[..., 2], -fd.world_xyz_m[..., 2])
    with pytest.raises(UsageError):
        marker_set(fd, "world", "px")


def test_mot_has_endheader_time_and_measured_angles_in_degrees():
    fd = synthetic()
    mot = read_mot(mot_text(fd, "angles"))
    assert mot.header["inDegrees"] == "yes"
    assert mot.columns == ["time", *fd.angles.measured()]  # pelvic obliquity is all NaN here: left out
    assert "pelvic_obliquity_deg" not in mot.columns
    np.testing.assert_allclose(mot.data[:, 0], fd.t_s, atol=1e-6)
    np.testing.assert_allclose(mot.data[:, 1], fd.angles.knee_flexion_left_deg, atol=1e-5)


def test_table_columns_types_and_documentation(tmp_path):
    fd = synthetic()
    df = frames_dataframe(fd)
    assert list(df.columns) == list(COLUMNS) and len(df) == N
    assert df["stance_left"].dtype == bool and df["nose_x_px"].dtype == float
    np.testing.assert_allclose(df["left_hip_x_m"], fd.image_xy_px[:, NAMES.index("left_hip"), 0] / 400)
    res = Result(video=VideoInfo.from_dict({"path": "c.mp4"}), model="full")
    out = export(res, ["csv", "parquet"], tmp_path, frames=fd)
    back = pd.read_csv(out.paths["csv"])
    assert list(back.columns) == list(COLUMNS)
    np.testing.assert_allclose(back["time_s"], fd.t_s, rtol=1e-5)
    assert list(pd.read_parquet(out.paths["parquet"]).columns) == list(COLUMNS)
    doc = (REPO / "docs" / "exports.md").read_text(encoding="utf-8")
    longest_first = sorted(NAMES, key=len, reverse=True)
    generic = {re.sub(r"^(" + "|".join(longest_first) + ")_", "<landmark>_", c) for c in COLUMNS}
    missing = [c for c in sorted(generic) if f"`{c}`" not in doc]
    assert not missing, f"docs/exports.md does not document {missing}"


def test_c3d_reads_back_with_ezc3d(tmp_path):
    ezc3d = pytest.importorskip("ezc3d")
    fd = synthetic()
    path = export(Result(video=VideoInfo.from_dict({"path": "c.mp4"}), model="full"), ["c3d"], tmp_path, frames=fd).paths["c3d"]
    c = ezc3d.c3d(str(path))
    assert c["parameters"]["POINT"]["LABELS"]["value"] == list(NAMES)
    assert c["parameters"]["POINT"]["UNITS"]["value"] == ["mm"]
    assert c["parameters"]["POINT"]["RATE"]["value"][0] == 60.0
    pts = c["data"]["points"]
    assert pts.shape == (4, 33, N)
    np.testing.assert_allclose(pts[0, 0], fd.image_xy_px[:, 0, 0] / 400 * 1000, rtol=1e-5)


def test_variable_frame_rate_c3d_says_where_exact_times_are(tmp_path):
    done = export(Result(video=VideoInfo.from_dict({"path": "c.mp4"}), model="full"), ["c3d", "trc"], tmp_path, frames=synthetic(vfr=True))
    assert any("variable frame rate" in n for n in done.notes)


def test_stance_mask_runs_from_strike_to_toe_off():
    t = np.arange(0, 1, 0.1)
    m = stance_mask(t, [0.1, 0.6], [0.35, 0.85])
    assert list(np.flatnonzero(m)) == [1, 2, 3, 6, 7, 8]


def test_parse_formats():
    assert parse_formats("trc, MOT,trc") == ["trc", "mot"]
    with pytest.raises(UsageError, match="Unknown export format 'xls'"):
        parse_formats("trc,xls")
