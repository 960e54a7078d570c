"""Pelvis module pieces on small arrays: sign conventions, levelling, stances, camera roll, markers, result hand-off."""
from __future__ import annotations

import math

import cv2
import numpy as np
import pytest

from gait.metrics.pelvis import PelvisResult, apply_pelvic_drop, obliquity, stance
from gait.metrics.pelvis.camera import estimate_roll, line_deviations_deg
from gait.metrics.pelvis.markers import find_marker_pair
from gait.metrics.pelvis.stance import SideSummary, StanceDrop
from gait.result import Events, Result, Stride


def test_hip_line_sign_is_view_independent():
    xy = np.full((2, 33, 2), np.nan)
    xy[0, 23], xy[0, 24] = (100, 100), (150, 110)  # rear: left hip on image left, right hip lower
    xy[1, 23], xy[1, 24] = (150, 100), (100, 110)  # front: left hip on image right, right hip lower
    o = obliquity.hip_line_obliquity(xy)
    assert o[0] > 0 and o[1] > 0 and abs(o[0] - o[1]) < 1e-9  # left higher = + in both views


def test_image_rotation_sign_by_view():
    assert obliquity.image_rotation_to_obliquity(np.array(5.0), "rear") == 5.0
    assert obliquity.image_rotation_to_obliquity(np.array(5.0), "front") == -5.0


def _events():
    fs_l = [0.0, 0.7, 1.4, 2.1]
    fs_r = [0.35, 1.05, 1.75]
    return Events(foot_strike={"left": fs_l, "right": fs_r},
                  toe_off={"left": [t + 0.2 for t in fs_l], "right": [t + 0.2 for t in fs_r]})


def test_stance_peak_midstance_and_sign():
    ev = _events()
    t = np.arange(0, 2.4, 1 / 60)
    obl = np.zeros_like(t)
    for fs in ev.foot_strike["left"]:
        m = (t >= fs) & (t <= fs + 0.2)
        obl[m] += 6 * np.sin(np.pi * (t[m] - fs) / 0.2)  # right hip drops: left higher
    for fs in ev.foot_strike["right"]:
        m = (t >= fs) & (t <= fs + 0.2)
        obl[m] -= 4 * np.sin(np.pi * (t[m] - fs) / 0.2)
    lv, lvl, _ = obliquity.level(t, obl, obliquity.whole_cycle_span(ev.foot_strike))
    recs = [stance.measure_stance(s, fs, to, t, lv, np.ones_like(t)) for s, fs, to in stance.stance_intervals(ev)]
    left = [r for r in recs if r.side == "left" and r.excluded is None]
    right = [r for r in recs if r.side == "right" and r.excluded is None]
    assert left and right
    for r in left:
        assert abs(r.peak_drop_deg - (6 - lvl)) < 0.1 and abs(r.peak_s - (r.foot_strike_s + 0.1)) < 0.01
        assert abs(r.midstance_drop_deg - (6 - lvl)) < 0.1
    for r in right:
        assert abs(r.peak_drop_deg - (4 + lvl)) < 0.1
    assert lvl > 0  # the asymmetric drop moves the cycle mean towards the larger side


def test_level_removes_constant_roll():
    t = np.arange(0, 2.1, 1 / 60)
    obl = 3.0 + np.sin(2 * np.pi * t / 0.7)
    lv, lvl, how = obliquity.level(t, obl, (0.0, 2.1))
    assert abs(lvl - 3.0) < 0.05 and "whole gait cycles" in how


def test_despike_and_gap_fill():
    t = np.arange(0, 1, 1 / 60)
    y = np.sin(2 * np.pi * t)
    y[20] += 5
    d = obliquity.despike(t, y)
    assert np.isnan(d[20]) and np.isfinite(d[19])
    f = obliquity.fill_gaps(t, d, 0.1)
    assert abs(f[20] - y[19] / 2 - y[21] / 2) < 0.05


def test_camera_roll_from_background_lines():
    img = np.full((360, 640), 200, np.uint8)
    for y in (60, 250, 300):
        cv2.line(img, (0, y), (639, y), 40, 3)
    for x in (80, 560):
        cv2.line(img, (x, 0), (x, 359), 40, 3)
    R = cv2.getRotationMatrix2D((320, 180), -2.5, 1.0)  # 2.5° clockwise on screen
    rolled = cv2.warpAffine(img, R, (640, 360), borderMode=cv2.BORDER_REPLICATE)
    d, l_ = line_deviations_deg(rolled, (250, 0, 390, 360))
    r = estimate_roll([d], [l_])
    assert r.roll_deg is not None and abs(r.roll_deg - 2.5) < 0.4


@pytest.mark.parametrize("tilt", [-6.0, 0.0, 4.0])
def test_marker_pair_angle(tilt):
    T = 150.0
    img = np.full((200, 260), 40, np.uint8)
    cx, cy = 130.0, 120.0
    a = math.radians(tilt)
    for sx in (-1, 1):
        px, py = sx * 0.12 * T, -0.22 * T
        cv2.circle(img, (int(round(cx + math.cos(a) * px - math.sin(a) * py)), int(round(cy + math.sin(a) * px + math.cos(a) * py))),
                   4, 240, -1, cv2.LINE_AA)
    img = np.clip(img + np.random.default_rng(0).normal(0, 3, img.shape), 0, 255).astype(np.uint8)
    pair = find_marker_pair(img, (cx, cy), T)
    assert pair is not None
    (xl, yl), (xr, yr), _ = pair
    assert abs(math.degrees(math.atan2(yr - yl, xr - xl)) - tilt) < 1.0


def _pelvis_result():
    st = [StanceDrop("left", 1.0, 1.2, 7.0, 6.0, 1.08, 0.9), StanceDrop("right", 1.35, 1.55, 5.0, 4.0, 1.43, 0.8),
          StanceDrop("left", 1.7, 1.9, 7.4, 6.2, 1.78, 0.9), StanceDrop("right", 2.05, 2.25, None, None, None, 0.1, "low tracking confidence")]
    return PelvisResult(method="test", stances=st, left=SideSummary(7.2, 0.28, 2), right=SideSummary(5.0, None, 1),
                        trace_t_s=[1.0, 1.1], trace_obliquity_deg=[0.0, 7.0], trace_confidence=[1.0, 1.0],
                        camera_roll_deg=0.5, n_excluded=1, warnings=["w1"])


def test_apply_fills_result():
    res = Result(video={"path": "x"}, model="full")
    res.strides = [Stride("left", 1.01), Stride("right", 1.36), Stride("left", 1.72), Stride("right", 2.04)]
    apply_pelvic_drop(res, _pelvis_result())
    assert res.pelvic_drop_deg == {"left": 7.2, "right": 5.0}
    assert res.summary.pelvic_drop_left_deg == 7.2 and res.summary.pelvic_drop_asymmetry_deg == pytest.approx(2.2)
    assert res.strides[0].pelvic_drop_deg == 7.0 and res.strides[0].pelvic_drop_midstance_deg == 6.0
    assert res.strides[1].pelvic_drop_peak_s == 1.43 and res.strides[1].pelvic_confidence == 0.8
    assert res.strides[3].pelvic_drop_deg is None  # excluded stance
    q = res.quality["pelvic_drop"]
    assert q["method"] == "test" and q["stances_used"] == 3 and q["stances_excluded"] == 1 and q["camera_roll_deg"] == 0.5
    assert res.traces["pelvic_obliquity"]["deg"] == [0.0, 7.0]
    assert "w1" in res.quality["warnings"]
    res.to_json()  # JSON-safe


def test_apply_not_measured_and_one_side_missing():
    res = Result(video={"path": "x"}, model="full")
    apply_pelvic_drop(res, PelvisResult(method=None, reason="side view"))
    assert res.pelvic_drop_deg is None and "side view" in res.quality["pelvic_drop"]
    p = _pelvis_result()
    p.right = SideSummary(None, None, 0)
    res2 = Result(video={"path": "x"}, model="full")
    apply_pelvic_drop(res2, p)
    assert res2.pelvic_drop_deg is None and "right" in res2.quality["pelvic_drop"]["not_measured"]


def test_side_view_refused_without_decoding():
    from gait.metrics.pelvis import measure_pelvic_drop

    class GE:
        view = "side_left"

    r = measure_pelvic_drop("/nonexistent.mp4", GE())
    assert r.method is None and "side view" in r.reason


def _square_poses(n=60, yaw_deg=0.0):
    """Shoulders 90 px apart, hips 45 px, torso 150 px; shoulder depth difference set by the camera yaw."""
    xy = np.full((n, 33, 2), np.nan)
    z = np.zeros((n, 33))
    xy[:, 11], xy[:, 12] = (275, 200), (365, 200)
    xy[:, 23], xy[:, 24] = (297, 350), (343, 350)
    w = 90 * math.cos(math.radians(yaw_deg))
    xy[:, 11, 0], xy[:, 12, 0] = 320 - w / 2, 320 + w / 2
    z[:, 11] = 90 * math.sin(math.radians(yaw_deg))  # left shoulder further from the camera
    return xy, z, np.ones((n, 33))


@pytest.mark.parametrize("yaw", [0.0, 20.0])
def test_yaw_estimate_and_bias_note(yaw):
    from gait.metrics.pelvis.camera import estimate_yaw, yaw_bias_note

    xy, z, vis = _square_poses(yaw_deg=yaw)
    est = estimate_yaw(xy, z, vis)
    assert abs(est.yaw_deg - yaw) < 1.0
    note, warn = yaw_bias_note(est)
    assert warn == (yaw > 15) and "1/cos(yaw)" in note


def test_side_camera_refused_by_yaw_even_if_labelled_rear():
    from gait.metrics.pelvis import measure_pelvic_drop
    from gait.poses.series import PoseSeries
    from gait.video.reader import VideoInfo

    xy, z, vis = _square_poses(yaw_deg=80.0)
    n = len(xy)
    ps = PoseSeries(t_s=np.arange(n) / 30, frame_index=np.arange(n), image_xy=xy, image_z=z, visibility=vis,
                    presence=vis, world_xyz=np.zeros((n, 33, 3)), video=VideoInfo("x.mp4", 30.0, n, 2.0, 640, 480, 0),
                    model="full")

    class GE:
        view, poses, raw_poses, events = "rear", ps, ps, _events()

    r = measure_pelvic_drop("/nonexistent.mp4", GE())
    assert r.method is None and "from the side" in r.reason
