"""Sole-based contact, stance labelling and the plausibility priors on synthetic signals."""
from __future__ import annotations

import numpy as np
import pytest

from gait.events.side import (
    label_lows,
    no_double_support,
    planted_from,
    symmetric_fallback,
)
from gait.events.soles import (
    LIFT_ACCEL_MPS2,
    LIFT_DELAY_S,
    clean_track,
    contact_tol_px,
    rear_toe_off,
    side_contact,
    toe_off_delay_frames,
)
from gait.poses.feet import sole_points


def _side_track(n=240, stride=42.0, fs=(10, 52, 94, 136, 178), contact=12.0, ground=600.0, lift_px=60.0):
    """Sole y (image, down = larger): on the ground line during contact, a smooth arch in swing."""
    y = np.full(n, ground - lift_px)
    t = np.arange(n, dtype=float)
    for f in fs:
        for i in range(n):
            if f <= t[i] <= f + contact:
                y[i] = ground
    # a smooth descent into and rise out of each contact (parabolic, 6 frames)
    for f in fs:
        for d in range(1, 7):
            if 0 <= f - d < n:
                y[f - d] = ground - lift_px * (d / 6.0) ** 2 if y[f - d] != ground else ground
            if 0 <= f + contact + d < n:
                y[int(f + contact + d)] = ground - lift_px * (d / 6.0) ** 2
    return y


def test_side_contact_finds_the_contact_height_crossings():
    y = _side_track()
    tol = contact_tol_px(200.0)  # 2.5 cm at a 200 px hip-ankle length
    fs, to = side_contact(y, 94 + 6, 42.0, tol)
    # the sole is within tol of the ground from d = 6 sqrt(tol/60) frames before/after contact
    d = 6.0 * np.sqrt(tol / 60.0)
    assert fs == pytest.approx(94 - d, abs=0.35)
    assert to == pytest.approx(94 + 12 + d, abs=0.35)


def test_side_contact_declines_a_missing_track():
    y = _side_track()
    y[80:110] = np.nan
    assert side_contact(y, 100, 42.0, 6.0) == (None, None)


def test_clean_track_bridges_a_two_frame_sole_loss():
    """Where the legs cross, a foot can lose its sole for a frame or two; the track must not."""
    y = _side_track()
    bad = y.copy()
    bad[99:101] -= 35.0  # the sole jumps up by 35 px mid-stance
    out = clean_track(bad, 60.0, tol_px=6.0)
    assert np.nanmax(np.abs(out[96:104] - 600.0)) < 1.0


def test_rear_toe_off_is_the_soles_lowest_image_point():
    t = np.arange(120, dtype=float)
    y = 500 + 4.0 * t  # carried towards the camera on the belt ...
    y[60:] = y[60] - 0.6 * (t[60:] - 60) ** 2  # ... until the foot rises after frame 60
    assert rear_toe_off(y, 50.0, 70.0) == pytest.approx(60.0, abs=1.0)
    assert rear_toe_off(y, 40.0, 55.0) is None  # still descending at the window's end: not found


def _rear_sole(approach_px: float, lift_from: float, fps: float = 60.0, px_per_m: float = 300.0, n: int = 120):
    """Rear view sole track: a point on the belt carried down the image at ``approach_px`` per frame, lifted from
    frame ``lift_from`` with the uniform acceleration of gait.events.soles' toe-off model."""
    t = np.arange(n, dtype=float)
    lift_m = 0.5 * LIFT_ACCEL_MPS2 * (np.clip(t - lift_from, 0.0, None) / fps) ** 2
    return 500.0 + approach_px * t - px_per_m * lift_m


def test_rear_toe_off_is_the_same_from_a_low_and_a_high_camera():
    """The same foot lift seen with the belt approaching slowly (a low camera) or fast (a high one): the sole's
    lowest image point comes at different times, the toe-off read from it at the same one."""
    from gait.events.rear import sole_toe_offs

    stride, lows, lift_from = 42.0, np.array([50.0]), 55.0
    true_to = lift_from + LIFT_DELAY_S * 60.0
    lowest, toe_off = {}, {}
    for camera, approach in (("low", 3.0), ("high", 9.0)):  # 0.6 and 1.8 m/s at 300 px/m, 60 fps
        y = _rear_sole(approach, lift_from)
        lowest[camera] = rear_toe_off(y, 50.0, 60.0)
        toe_off[camera] = sole_toe_offs(y, lows, stride, 300.0, 60.0)[0][0]
        assert toe_off[camera] == pytest.approx(true_to, abs=0.3), camera
    assert lowest["high"] - lowest["low"] > 1.0  # the uncorrected cue would differ by more than a frame


def test_the_toe_off_delay_shrinks_as_the_belt_approaches_faster_and_stays_bounded():
    delays = [toe_off_delay_frames(a, 300.0, 60.0) for a in (0.0, 2.5, 5.0, 10.0, 40.0)]
    assert all(a > b for a, b in zip(delays[1:-2], delays[2:-1]))
    assert delays[0] == delays[1]  # below the model's range: taken at its edge
    assert abs(delays[-1]) < 0.1 * 42  # a runaway approach cannot move a toe-off by a tenth of a stride


def test_lows_alternate_and_fill_a_far_foot_the_zeni_peaks_missed():
    lows = [30.0, 51.0, 72.0, 93.0, 114.0, 135.0]
    zeni = {"left": np.array([25.0, 67.0, 109.0]), "right": np.array([46.0, 130.0])}  # right missed at ~88
    lab = label_lows(lows, zeni, 42.0)
    assert [s for s, _, _ in lab] == ["left", "right"] * 3
    assert lab[3][2] is None  # the filled stance has no Zeni strike of its own


def test_no_double_support_in_running():
    st = [("left", 30.0, 24.0, 36.0), ("right", 51.0, 33.0, 57.0), ("left", 72.0, 66.0, 78.0)]
    out = no_double_support(st)
    assert out[1][2] is None  # the right strike before the left toe-off cannot be a running strike
    assert out[0] == st[0] and out[2] == st[2]


def test_forward_gliding_foot_has_not_landed():
    v = np.full(60, -2.0)
    v[20:27] = 2.5  # still gliding forward (leg lengths/s)
    assert planted_from(v, 35.0, 15.0) == pytest.approx(27.0, abs=0.7)
    assert planted_from(np.full(60, -2.0), 35.0, 15.0) is None


def test_symmetric_fallback_learns_the_feet_offset_from_soles():
    """With soles, a pelvis minimum sitting 3 frames early in every stance does not move the events."""
    checks = [(lo, lo - 3.0, lo + 9.0) for lo in (30.0, 72.0, 114.0)] + [(156.0, 140.0, 165.0)]
    fs, to = symmetric_fallback(checks, 42.0, soles=True)
    assert fs[:3] == [27.0, 69.0, 111.0] and to[:3] == [39.0, 81.0, 123.0]
    assert fs[3] == pytest.approx(156 + 3 - 6) and to[3] == 165.0  # the outlying strike replaced


def test_sole_points_split_two_feet_and_skip_a_foot_off_the_frame():
    from gait.poses.landmarks import ANKLE, HEEL, HIP, KNEE, N_LANDMARKS, TOE

    prob = np.zeros((200, 200), np.float32)
    prob[120:150, 40:70] = 1.0  # left foot blob, bottom at row 150
    prob[110:140, 120:150] = 1.0  # right foot blob, bottom at row 140
    xy = np.full((N_LANDMARKS, 2), 100.0)
    for s, x in (("left", 55.0), ("right", 135.0)):
        xy[HIP[s]] = (x, 20.0)
        xy[KNEE[s]] = (x, 80.0)
        xy[ANKLE[s]] = (x, 118.0 if s == "left" else 108.0)
        xy[HEEL[s]] = (x - 8, 140.0 if s == "left" else 130.0)
        xy[TOE[s]] = (x + 8, 142.0 if s == "left" else 132.0)
    pts = sole_points(prob, xy)
    assert pts[0, 1] == pytest.approx(150.0, abs=1.0) and pts[1, 1] == pytest.approx(140.0, abs=1.0)
    xy[TOE["right"]] = (230.0, 132.0)  # outside the 200 px frame
    assert np.isnan(sole_points(prob, xy)[1]).all()


def _bouncing_body(n: int, stride: float, hip_lag: float = 0.0) -> np.ndarray:
    """(n, 33, 2) landmarks whose hips, shoulders and nose bounce once per step, lowest (max image y) at
    k * stride / 2 (the hips ``hip_lag`` frames later); every other landmark at 0."""
    from gait.poses.landmarks import HIP, N_LANDMARKS, NOSE, SHOULDER

    t = np.arange(n, dtype=float)
    bounce = lambda lag: 10 * np.cos(2 * np.pi * (t - lag) * 2 / stride)  # noqa: E731
    xy = np.zeros((n, N_LANDMARKS, 2))
    for s in ("left", "right"):
        xy[:, HIP[s], 1], xy[:, SHOULDER[s], 1] = 500 + bounce(hip_lag), 300 + bounce(0.0)
    xy[:, NOSE, 1] = 220 + bounce(0.0)
    return xy


def test_body_height_is_the_mean_of_the_levels_present():
    from gait.events.rear import body_height_y
    from gait.poses.landmarks import HIP, N_LANDMARKS, NOSE, SHOULDER

    xy = np.full((3, N_LANDMARKS, 2), np.nan)
    for s in ("left", "right"):
        xy[:, HIP[s], 1], xy[:, SHOULDER[s], 1] = 500.0, 300.0
    xy[:, NOSE, 1] = 220.0
    xy[1, NOSE] = np.nan  # the head lost in one frame: the other two levels carry it
    xy[2] = np.nan  # nobody in the last frame
    y = body_height_y(xy)
    assert y[0] == pytest.approx((500 + 300 + 220) / 3)
    assert y[1] == pytest.approx(400.0)
    assert np.isnan(y[2])


def test_one_late_level_moves_the_levels_mean_by_a_third_and_the_body_low_not_at_all():
    """The hips lowest 3 frames late, shoulders and head on time: the levels' mean is lowest 1 frame late, the
    median of the levels' own lows (the body low the events use) on time."""
    from gait.events.peaks import pelvis_lows
    from gait.events.rear import body_height_y, body_lows

    stride = 42.0
    xy = _bouncing_body(300, stride, hip_lag=3.0)
    for lows, late in ((np.array(pelvis_lows(body_height_y(xy), stride)), 1.0), (np.array(body_lows(xy, stride)), 0.0)):
        phase = (lows - late) % (stride / 2)
        assert np.all(np.minimum(phase, stride / 2 - phase) < 0.3), lows


def test_toe_offs_that_could_not_be_measured_come_back_as_assumed():
    """Front view, the toe's depth never turning within a running contact: the strikes are still placed (a
    typical contact before each low), and the toe-offs come back as assumed ones, not as measured ones."""
    from gait.events.rear import rear_front_events
    from gait.poses.landmarks import HEEL, TOE

    stride, n = 42.0, 300
    t = np.arange(n, dtype=float)
    xy = _bouncing_body(n, stride)
    left_down = np.cos(2 * np.pi * t / stride) > 0  # the left foot on the belt around lows at 0, 42, 84...
    for s, down in (("left", left_down), ("right", ~left_down)):
        xy[:, HEEL[s], 1] = xy[:, TOE[s], 1] = np.where(down, 900.0, 800.0)
    never = {s: np.zeros(0) for s in ("left", "right")}
    ev = rear_front_events(xy, never, "front", stride, 5.0, None, 300.0, 60.0)
    fs, to, assumed = ev.foot_strike, ev.toe_off, ev.assumed_toe_off
    assert len(to["left"]) == len(to["right"]) == 0  # nothing measured is reported as measured
    assert len(fs["left"]) >= 5 and len(assumed["left"]) == len(fs["left"])  # windows kept for the pelvis
