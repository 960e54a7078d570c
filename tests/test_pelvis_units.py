"""Pelvis stage pieces on small arrays: conventions, the flight level, stance readout, intervals, camera, storage."""
from __future__ import annotations

import math
import warnings

import cv2
import numpy as np
import pytest

from gait import pelvis
from gait.pelvis import stances as sd
from gait.pelvis import trace as tr
from gait.pelvis.camera import estimate_roll, estimate_yaw, line_deviations_deg
from gait.pelvis.handoff import apply_pelvis
from gait.pelvis.markers import find_marker_pair
from gait.pelvis.register import combine
from gait.pelvis.measure import hip_line_obliquity
from gait.pelvis.store import CropStore
from gait.pelvis.templates import CandidatePicker, choose_by_phase
from gait.result import (
    Events,
    PelvisQuality,
    PelvisResult,
    Result,
    SideDrop,
    StanceDrop,
    Stride,
)
from gait.video.reader import VideoInfo

FPS = 60.0


def _events(n_strides=6, stride=0.7, contact=0.2):
    fs_l = [0.1 + k * stride for k in range(n_strides)]
    fs_r = [t + stride / 2 for t in fs_l]
    return Events(foot_strike={"left": fs_l, "right": fs_r},
                  toe_off={"left": [t + contact for t in fs_l], "right": [t + contact for t in fs_r]})


def _half_sines(t, ev, amp_l, amp_r):
    """Obliquity (+ = left higher): a half-sine per stance, + in left stance, - in right stance, 0 in flight."""
    obl = np.zeros_like(t)
    for side, amp, sgn in (("left", amp_l, 1.0), ("right", amp_r, -1.0)):
        for fs, to in zip(ev.foot_strike[side], ev.toe_off[side]):
            m = (t >= fs) & (t <= to)
            obl[m] += sgn * amp * np.sin(np.pi * (t[m] - fs) / (to - fs))
    return obl


def test_image_rotation_sign_by_view():
    assert tr.image_rotation_to_obliquity(np.array(5.0), "rear") == 5.0
    assert tr.image_rotation_to_obliquity(np.array(5.0), "front") == -5.0


def test_hip_line_sign_is_view_independent():
    xy = np.full((2, 33, 2), np.nan)
    xy[0, 23], xy[0, 24] = (100, 100), (150, 110)  # rear: left hip on the image left, right hip lower
    xy[1, 23], xy[1, 24] = (150, 100), (100, 110)  # front: left hip on the image right, right hip lower
    o = hip_line_obliquity(xy)
    assert o[0] > 0 and o[1] > 0 and abs(o[0] - o[1]) < 1e-9


@pytest.mark.parametrize("amp_l,amp_r", [(10.0, 3.0), (3.0, 9.0), (6.0, 0.0), (8.0, 8.0)])
def test_flight_level_is_independent_of_the_drop_pattern(amp_l, amp_r):
    """A constant offset (camera roll, a tilted template frame) is found exactly, whatever the two sides drop;
    the whole-cycle mean is pulled toward the larger side by an asymmetric drop."""
    ev = _events()
    st = tr.stances_of(ev, 0.6)
    t = np.arange(0, 4.3, 1 / FPS)
    y = 1.7 + _half_sines(t, ev, amp_l, amp_r)
    flight = tr.flight_level(t, y, st)
    assert flight is not None and flight.source == "flight" and abs(flight.deg - 1.7) < 1e-6
    cycle = tr.mean_level(t, y, st)
    expected_bias = (amp_l - amp_r) * (2 / math.pi) * 0.2 / 0.7  # mean of the two half-sines over a stride
    assert cycle.deg - 1.7 == pytest.approx(expected_bias, abs=0.05)


def test_flight_level_needs_flights_on_both_sides():
    ev = Events(foot_strike={"left": [0.1, 0.8], "right": []}, toe_off={"left": [0.3, 1.0], "right": []})
    t = np.arange(0, 1.2, 1 / FPS)
    assert tr.flight_level(t, np.zeros_like(t), tr.stances_of(ev, 0.6)) is None


def test_stance_readout_peak_midstance_sign_and_exclusions():
    ev = _events()
    st = tr.stances_of(ev, 0.6)
    t = np.arange(0, 4.3, 1 / FPS)
    obl = _half_sines(t, ev, 6.0, 4.0)
    p = pelvis.Params()
    recs = [sd.read_stance(s, t, {"left": obl, "right": -obl}, np.ones_like(t), p, sd.typical_contact_s(st))
            for s in st]
    used = [r for r in recs if r.excluded is None]
    assert len(used) >= 10
    for r in used:
        amp = 6.0 if r.side == "left" else 4.0
        assert r.peak_drop_deg == pytest.approx(amp, abs=0.05)  # the half-sine's top lies inside the window
        assert r.midstance_drop_deg == pytest.approx(amp, abs=0.05)
    odd = sd.read_stance(tr.Stance("left", 1.0, 1.5), t, {"left": obl, "right": -obl}, np.ones_like(t), p, 0.2)
    assert "far from the runner's typical" in odd.excluded
    none = sd.read_stance(tr.Stance("left", 1.0, None), t, {"left": obl, "right": -obl}, np.ones_like(t), p, 0.2)
    assert "no toe-off" in none.excluded
    poor = sd.read_stance(st[2], t, {"left": obl, "right": -obl}, np.full_like(t, 0.1), p, 0.2)
    assert poor.excluded is not None and "poorly" in poor.excluded


def _drops(side, values):
    return [StanceDrop(side, float(k), float(k) + 0.2, v, v, float(k) + 0.1, 0.9) for k, v in enumerate(values)]


def test_side_interval_covers_its_stances_and_adds_the_resolution():
    recs = _drops("left", [7.0, 7.4, 6.8, 7.2, 7.1, 6.9])
    tight = sd.summarise_side(recs, "left", 0.0)
    wide = sd.summarise_side(recs, "left", 1.5)
    assert tight.ci[0] <= 7.05 <= tight.ci[1] and tight.ci[1] - tight.ci[0] < 0.6
    assert wide.ci[0] < tight.ci[0] - 1.0 and wide.ci[1] > tight.ci[1] + 1.0 and wide.n == 6


def test_asymmetry_interval_excludes_zero_only_for_a_real_difference():
    same = _drops("left", [7.0, 7.5, 6.9, 7.2, 7.3]) + _drops("right", [7.1, 7.4, 7.0, 7.3, 6.8])
    a, ci = sd.asymmetry(same, 1.0)
    assert ci[0] < 0 < ci[1]
    diff = _drops("left", [9.8, 10.1, 9.6, 10.0, 9.9]) + _drops("right", [3.2, 2.9, 3.1, 3.0, 3.3])
    a, ci = sd.asymmetry(diff, 2.0)
    assert a == pytest.approx(6.9, abs=0.2) and ci[0] > 0


def test_despike_and_gap_fill():
    t = np.arange(0, 1, 1 / FPS)
    y = np.sin(2 * np.pi * t)
    y[20] += 5
    d = tr.despike(t, y, 0.1)
    assert np.isnan(d[20]) and np.isfinite(d[19]) and np.isfinite(d[21])
    f = tr.fill_short_gaps(t, d, 0.1)
    assert abs(f[20] - 0.5 * (y[19] + y[21])) < 0.05
    long_gap = d.copy()
    long_gap[30:40] = np.nan  # 10 frames = 0.17 s: too long to invent
    assert np.isnan(tr.fill_short_gaps(t, long_gap, 0.1)[35])


def test_camera_roll_from_background_lines():
    img = np.full((360, 640), 200, np.uint8)
    for y in (60, 250, 300):
        cv2.line(img, (0, y), (639, y), 40, 3)
    for x in (80, 560):
        cv2.line(img, (x, 0), (x, 359), 40, 3)
    R = cv2.getRotationMatrix2D((320, 180), -2.5, 1.0)  # 2.5° clockwise on screen
    rolled = cv2.warpAffine(img, R, (640, 360), borderMode=cv2.BORDER_REPLICATE)
    d, ln = line_deviations_deg(rolled, (250, 0, 390, 360))
    r = estimate_roll([d], [ln])
    assert r.roll_deg is not None and abs(r.roll_deg - 2.5) < 0.4


@pytest.mark.parametrize("yaw", [0.0, 15.0, -25.0])
@pytest.mark.parametrize("view", ["rear", "front"])
def test_yaw_from_the_world_shoulder_line(yaw, view):
    n = 40
    w = np.zeros((n, 33, 3))
    a = math.radians(yaw)
    half = np.array([0.18 * math.cos(a), 0.0, 0.18 * math.sin(a)])
    if view == "front":  # facing the camera: the runner's right shoulder is on the image left
        half = -half
    w[:, 11], w[:, 12] = -half, half
    est = estimate_yaw(w, view)
    assert est.yaw_deg == pytest.approx(yaw, abs=0.01)
    assert est.surface_gain == pytest.approx(math.cos(a))


@pytest.mark.parametrize("tilt", [-6.0, 0.0, 4.0])
def test_marker_pair_angle(tilt):
    T = 150.0
    img = np.full((200, 260), 40, np.uint8)
    cx, cy = 130.0, 120.0
    a = math.radians(tilt)
    for sx in (-1, 1):
        px, py = sx * 0.12 * T, -0.22 * T
        cv2.circle(img, (int(round(cx + math.cos(a) * px - math.sin(a) * py)),
                         int(round(cy + math.sin(a) * px + math.cos(a) * py))), 4, 240, -1, cv2.LINE_AA)
    img = np.clip(img + np.random.default_rng(0).normal(0, 3, img.shape), 0, 255).astype(np.uint8)
    pair = find_marker_pair(img, (cx, cy), T)
    assert pair is not None
    (xl, yl), (xr, yr), _ = pair
    assert abs(math.degrees(math.atan2(yr - yl, xr - xl)) - tilt) < 1.0


def test_templates_combined_by_median_after_their_own_offsets():
    """Each template reads angles relative to its own frame (a constant offset per column): a frame matched by
    one template alone reads like the others, a wild template does not move the answer, a weak match is
    ignored, and a frame no template matched is NaN, quietly."""
    truth = np.array([0.0, 2.0, 4.0, 2.0, 0.0, 1.0])
    ang = np.stack([truth + 1.0, truth - 3.0, truth + 0.5, np.full(6, 20.0)], axis=1)  # the last is wild
    ang[2] = np.nan  # nothing matched
    ang[3, [0, 2, 3]] = np.nan  # only the -3° template matched
    ang[4, [2, 3]] = np.nan
    cor = np.full(ang.shape, 0.9)
    ang[4, 0], cor[4, 0] = -40.0, 0.1  # a failed match, whatever its angle says
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        rel, spread, corr = combine(ang, cor, min_corr=0.5)
    ok = np.isfinite(rel)
    assert list(ok) == [True, True, False, True, True, True]
    # every column's median frame reads 0, so the answer is the truth less the truth's median (1°)
    assert np.allclose(rel[ok], truth[ok] - 1.0), rel
    assert np.all(np.isfinite(spread[[0, 1, 5]])) and np.isnan(spread[3])  # one template: no spread
    assert np.all(corr[ok] == pytest.approx(0.9))


def test_crop_store_round_trip_in_chunks():
    with CropStore(7, 5) as st:
        for k in range(600):
            st.append(k, k / 60, (k, 0, k + 7, 5), np.full((5, 7), k % 251, np.uint8))
        assert len(st) == 600 and st.read(300)[0, 0] == 300 % 251
        seen = [k0 + j for k0, crops in st.chunks() for j, c in enumerate(crops) if c[2, 3] == (k0 + j) % 251]
        assert seen == list(range(600))


def test_candidates_nearest_to_positions_then_spread_over_the_stride():
    picker = CandidatePicker.for_clip(n_frames=600, fps=60.0, spacing_s=0.1, window_s=1.0)
    assert len(picker.positions) == 10 and picker.positions[1] - picker.positions[0] == 6

    class C:
        def __init__(self, fi):
            self.frame_index, self.t_s = fi, fi / 60.0

    for fi in range(600):
        pos = picker.wants(fi)
        if pos is not None:
            picker.offer(pos, C(fi))
    assert [c.frame_index for c in picker.candidates()] == picker.positions
    stride = 0.7
    chosen = choose_by_phase(picker.candidates(), lambda t: (t / stride) % 1.0, 4)
    phases = sorted((c.t_s / stride) % 1.0 for c in chosen[:4])
    assert max(np.diff(np.r_[phases, phases[0] + 1])) < 0.4  # four phases spread over the stride


def _measured_pelvis():
    st = _drops("left", [7.0, 7.4]) + _drops("right", [5.0]) + [StanceDrop("right", 9.0, 9.2, None, None, None, 0.1,
                                                                           "the pelvis was tracked poorly")]
    q = PelvisQuality("band", "flight", 0.2, 0.05, 0.5, 12, 3.0, 10.0, False, 6, 6, 3, [], {"left": 0.5})
    return PelvisResult(left=SideDrop(7.2, [6.0, 8.4], 0.28, 2), right=SideDrop(5.0, [3.5, 6.5], None, 1),
                        asymmetry_deg=2.2, asymmetry_ci=[0.1, 4.3], stances=st, quality=q, warnings=["w1"],
                        trace=pelvis_trace())


def pelvis_trace():
    from gait.result import PelvicTrace

    return PelvicTrace([1.0, 1.1], [0.0, 7.0], [1.0, 1.0])


def test_handoff_fills_summary_strides_trace_and_round_trips():
    res = Result(video=VideoInfo.from_dict({"path": "x"}), model="full")
    res.strides = [Stride("left", 0.01), Stride("right", 0.02), Stride("left", 1.03)]
    apply_pelvis(res, _measured_pelvis())
    sm = res.summary
    assert (sm.pelvic_drop_left_deg, sm.pelvic_drop_right_deg, sm.pelvic_drop_asymmetry_deg) == (7.2, 5.0, 2.2)
    assert sm.pelvic_drop_left_deg_ci == [6.0, 8.4] and sm.pelvic_drop_asymmetry_deg_ci == [0.1, 4.3]
    assert res.strides[0].pelvic_drop_deg == 7.0 and res.strides[2].pelvic_drop_deg == 7.4
    assert res.traces["pelvic_obliquity"]["deg"] == [0.0, 7.0] and "w1" in res.quality["warnings"]
    back = Result.from_json(res.to_json())
    assert back.pelvis.left == res.pelvis.left and back.pelvis.quality.templates == 6
    assert back.pelvis.stances[-1].excluded == "the pelvis was tracked poorly"


def test_handoff_not_measured_keeps_the_reason():
    res = Result(video=VideoInfo.from_dict({"path": "x"}), model="full")
    apply_pelvis(res, PelvisResult.not_measured("needs a rear view"))
    assert res.pelvic_drop_deg is None and "needs a rear view" in res.quality["pelvic_drop"]["not_measured"]
    assert res.summary.pelvic_drop_left_deg is None


def test_the_printed_summary_says_why_pelvic_drop_was_not_measured():
    from gait.analyze_command import summary_text

    res = Result(video=VideoInfo.from_dict({"path": "x.mp4"}), model="full", view="rear")
    res.pelvis = PelvisResult.not_measured("the runner is too small in the frame")
    assert "pelvic drop    not measured (the runner is too small in the frame)" in summary_text(res)


def test_side_view_refused_without_decoding():
    def no_samples():
        raise AssertionError("a side view must not be decoded for the pelvis")

    r = pelvis.process(None, _events(), "side_left", model=None, raw_store=(lambda k: None, lambda k, b: None),
                       samples=no_samples)
    assert not r.measured and "rear or front view" in r.reason


def test_a_side_camera_labelled_rear_is_refused_by_its_yaw():
    from gait.pelvis.camera import Roll
    from gait.pelvis.measure import measure
    from gait.pelvis.raw import RawTrace

    n = 60
    w = np.zeros((n, 33, 3))
    w[:, 11], w[:, 12] = (-0.03, 0, -0.18), (0.03, 0, 0.18)  # shoulder line pointing at the camera: ~80°
    ps = _poses(n, world_xyz=w, video=VideoInfo("x.mp4", 30.0, n, 2.0, 640, 480, 0))
    raw = RawTrace(np.arange(n), np.arange(n) / 30, np.zeros(n), np.zeros(n), np.ones(n), None, 3, 3, 0,
                   Roll(None, 0, None), 150.0)
    r = measure(raw, ps, _events(), "rear", pelvis.Params())
    assert not r.measured and "too far to the side" in r.reason


def test_a_small_runner_widens_every_interval_and_too_small_a_one_is_not_measured():
    from gait.pelvis.camera import Roll, Yaw
    from gait.pelvis.measure import _resolution, pixel_deg, too_small
    from gait.pelvis.raw import RawTrace

    prm = pelvis.Params()
    yaw = Yaw(0.0, 10.0)
    half = {t: _resolution(8.0, 0.05, yaw, True, 1 / 60, 0.2, t, prm) for t in (300.0, 150.0, 75.0, 40.0)}
    assert half[300.0] < half[150.0] < half[75.0] < half[40.0]
    assert half[40.0] > pixel_deg(40.0, prm) > prm.systematic_deg  # resolution dominates a 40 px torso
    assert too_small(prm.min_torso_px, prm) is None and "pixels" in too_small(0.9 * prm.min_torso_px, prm)

    n = 10  # a cached trace of a tiny runner is refused before anything is read from it
    raw = RawTrace(np.arange(n), np.arange(n) / 30, np.zeros(n), np.zeros(n), np.ones(n), None, 3, 3, 0,
                   Roll(None, 0, None), 0.8 * prm.min_torso_px)
    model = type("M", (), {"sha256": "m", "path": "unused"})()
    r = pelvis.process(_poses(n), _events(), "rear", model=model,
                       raw_store=(lambda k: raw.to_npz_bytes(), lambda k, b: None), samples=lambda: None)
    assert not r.measured and "too small in the frame" in r.reason


def _poses(n: int, **arrays):
    """A PoseSeries of ``n`` frames at 30 fps, all landmarks seen at the origin unless ``arrays`` say otherwise."""
    from gait.poses.series import PoseSeries

    base = dict(t_s=np.arange(n) / 30, frame_index=np.arange(n), image_xy=np.zeros((n, 33, 2)),
                image_z=np.zeros((n, 33)), visibility=np.ones((n, 33)), presence=np.ones((n, 33)),
                world_xyz=np.zeros((n, 33, 3)), video=VideoInfo("x.mp4", 30.0, n, n / 30, 160, 120, 0), model="full")
    return PoseSeries(**{**base, **arrays})


def test_raw_trace_key_follows_the_strikes_that_picked_its_templates():
    """The raw trace's templates are picked by stride phase (left foot strikes): a trace made with other
    strikes must not be served from the cache, while a new belt speed (same strikes) still is."""
    from gait.pelvis import Params, raw_cache_key
    from gait.result import Events

    def key(left):
        return raw_cache_key("clip", "model", Params(), False,
                             Events(foot_strike={"left": left, "right": [0.5, 1.2]}, toe_off={"left": [], "right": []}))

    assert key([0.10, 0.80, 1.50]) == key([0.1001, 0.80, 1.50])  # below a millisecond: the same events
    assert key([0.10, 0.80, 1.50]) != key([0.11, 0.81, 1.51])


def test_raw_trace_key_ignores_the_readout_and_follows_the_registration():
    """A new readout (level, readout window, intervals) reuses the cached registration; a parameter the
    registration reads (templates, band) does not."""
    from dataclasses import fields, replace

    from gait.pelvis import Params, raw_cache_key
    from gait.pelvis.params import READOUT_ONLY, Band
    from gait.result import Events

    ev = Events(foot_strike={"left": [0.1, 0.8], "right": [0.5]}, toe_off={"left": [], "right": []})

    def key(p):
        return raw_cache_key("clip", "model", p, False, ev)

    assert READOUT_ONLY <= {f.name for f in fields(Params)}  # no stale names
    base = key(Params())
    assert key(replace(Params(), level="cycle_mean", readout_to=0.5, systematic_deg=2.0)) == base
    assert key(replace(Params(), n_templates=6)) != base
    assert key(replace(Params(), band=Band(top_t=0.3))) != base


def test_template_candidates_lie_in_the_frames_the_series_covers():
    """A series that starts later in its video (the second half of a clip) gets candidates among its own frames."""
    from gait.pelvis.templates import CandidatePicker

    whole = CandidatePicker.for_clip(300, 60.0, 0.1, 3.0)
    later = CandidatePicker.for_clip(300, 60.0, 0.1, 3.0, first_frame=300)
    assert later.positions == [p + 300 for p in whole.positions]
    assert 300 <= min(later.positions) and max(later.positions) < 600
