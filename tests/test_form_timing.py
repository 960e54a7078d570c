"""Foot-strike form values move fast at the strike: their intervals carry the strike's timing error times that
rate, measured on the clip (gait.metrics.form.StrikeRates)."""
from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from conftest import PHANTOM

from gait.events import analyze_events
from gait.metrics import compute_metrics
from gait.metrics.form import fill_form
from gait.metrics.intervals import ANGLE_RES_DEG, EVENT_BIAS_MS
from gait.result import Events

SIDE = [PHANTOM / "side_right_drop4_169spm_60fps.mp4", PHANTOM / "side_left_high_drop0_178spm_60fps.mp4"]
STRIKE_VALUES = {"shank_angle_deg": "shank_deg_s", "knee_flexion_fs_deg": "knee_deg_s",
                 "overstride_leg_pct": "overstride_leg_pct_s"}


def _late(ge, seconds: float):
    ev = ge.events
    fs = {s: [t + seconds for t in ts] for s, ts in ev.foot_strike.items()}
    return dataclasses.replace(ge, events=Events(foot_strike=fs, toe_off=ev.toe_off))


def _rates(ge):
    from gait.metrics import temporal

    strides = temporal.build_strides(ge.events)
    return strides, fill_form(strides, ge.poses, ge.facing, None)


@pytest.mark.parametrize("clip", SIDE, ids=lambda p: p.stem)
def test_the_rate_predicts_what_a_strike_placed_late_does(poses_of, clip):
    """Strikes moved one frame late change each foot-strike value per stride by about the rate times a frame."""
    ge = analyze_events(poses_of(clip))
    frame = 1.0 / ge.poses.video.fps
    strides, rates = _rates(ge)
    moved, _ = _rates(_late(ge, frame))
    assert rates.shank_deg_s > 100.0  # the phantom's shank swings back fast after contact
    for name, rate in STRIKE_VALUES.items():
        change = np.nanmedian([abs(getattr(a, name) - getattr(b, name)) for a, b in zip(strides, moved)
                               if getattr(a, name) is not None and getattr(b, name) is not None])
        predicted = getattr(rates, rate) * frame
        assert change == pytest.approx(predicted, rel=0.35), (name, change, predicted)


@pytest.mark.parametrize("clip", SIDE, ids=lambda p: p.stem)
def test_the_foot_strike_intervals_carry_the_strike_timing(poses_of, clip):
    ge = analyze_events(poses_of(clip))
    sm = compute_metrics(ge).summary
    _, rates = _rates(ge)
    strike_s = EVENT_BIAS_MS["side"] / 1000.0
    for name, rate in STRIKE_VALUES.items():
        lo, hi = getattr(sm, f"{name}_ci")
        assert 0.5 * (hi - lo) >= getattr(rates, rate) * strike_s, name
    lo, hi = sm.shank_angle_deg_ci
    assert 0.5 * (hi - lo) > ANGLE_RES_DEG + 1.0  # wider than the landmark angle error alone


def test_each_foot_counts_once_in_a_foot_form_summary():
    """Eight near-foot strides and three far-foot ones: the summary is halfway between the feet, not the near
    foot's; with fewer than three on a side it is the plain median."""
    from gait.metrics.intervals import _foot_ci
    from gait.metrics.temporal import both_sides_median, median_of
    from gait.result import Stride

    def stride(side, v, k):
        return Stride(side=side, foot_strike_s=float(k), shank_angle_deg=v)

    near = [stride("left", v, k) for k, v in enumerate([0.0, 1.0, -1.0, 0.5, -0.5, 0.2, -0.2, 0.0])]
    far = [stride("right", v, 10 + k) for k, v in enumerate([10.0, 11.0, 9.0])]
    assert median_of(near + far, "shank_angle_deg") == pytest.approx(0.2)
    assert both_sides_median(near + far, "shank_angle_deg") == pytest.approx(5.0)
    ci = _foot_ci(near + far, "shank_angle_deg", 5.0, 0.0)
    assert ci[0] < 5.0 < ci[1] and ci[1] - ci[0] < 3.0
    assert both_sides_median(near + far[:2], "shank_angle_deg") == median_of(near + far[:2], "shank_angle_deg")
