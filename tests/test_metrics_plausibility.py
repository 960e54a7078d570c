"""Impossible strides are flagged and left out; every temporal metric has an interval; slowed clips are flagged."""
from __future__ import annotations

import numpy as np
import pytest

from gait.metrics import intervals, plausibility, rhythm, temporal
from gait.result import Events, Stride, Summary


def _events(n=10, step_l=0.35, step_r=0.36, contact_l=0.20, contact_r=0.20, jitter=0.004, seed=0):
    rng = np.random.default_rng(seed)
    fs, to = {"left": [], "right": []}, {"left": [], "right": []}
    t = 0.5
    for _ in range(n):
        for side, step, ct in (("left", step_l, contact_l), ("right", step_r, contact_r)):
            fs[side].append(t + rng.normal(0, jitter))
            to[side].append(t + ct + rng.normal(0, jitter))
            t += step
    return Events(foot_strike=fs, toe_off=to)


def test_negative_flight_is_cleared_with_a_reason():
    st = Stride(side="left", foot_strike_s=1.0, toe_off_s=1.42, next_foot_strike_s=1.7, stride_time_s=0.7,
                step_time_s=0.35, contact_time_ms=420.0, flight_time_ms=-70.0, duty_factor_pct=60.0)
    plausibility.check_stride(st, is_walking=False, median_step_s=0.35)
    assert st.contact_time_ms is None and st.flight_time_ms is None and st.duty_factor_pct is None
    assert "-70 ms" in st.flags and "; " not in st.flags  # one reason, once


def test_duty_factor_above_half_is_cleared_with_a_reason():
    st = Stride(side="left", foot_strike_s=1.0, stride_time_s=0.7, step_time_s=0.35, contact_time_ms=392.0,
                flight_time_ms=10.0, duty_factor_pct=56.0)
    plausibility.check_stride(st, is_walking=False, median_step_s=0.35)
    assert st.contact_time_ms is None and "56 %" in st.flags and "; " not in st.flags


def test_walking_keeps_double_support():
    st = Stride(side="left", foot_strike_s=1.0, stride_time_s=1.1, step_time_s=0.55, contact_time_ms=680.0,
                flight_time_ms=-120.0, duty_factor_pct=62.0)
    plausibility.check_stride(st, is_walking=True, median_step_s=0.55)
    assert st.contact_time_ms == 680.0 and st.flags is None


def test_stance_longer_than_stride_and_odd_steps():
    st = Stride(side="right", foot_strike_s=2.0, stride_time_s=0.7, step_time_s=0.9, contact_time_ms=750.0)
    plausibility.check_stride(st, is_walking=False, median_step_s=0.35)
    assert st.contact_time_ms is None and st.step_time_s is None
    assert "longer than its stride" in st.flags and "2.6 times" in st.flags


def test_quality_notes_are_sentences_with_counts():
    strides = temporal.build_strides(_events())
    strides[2].flight_time_ms = -20.0
    notes = plausibility.check_strides(strides, is_walking=False)
    assert notes == ["A negative flight time: 1 stride, left out of the summaries."]


def _summary_with_intervals(ev, view="side_right", frame_ms=1000 / 60):
    strides = temporal.build_strides(ev)
    steps, side, _ = temporal.step_intervals(ev)
    sm = Summary(cadence_spm=temporal.cadence_from_steps(steps))
    ok = np.abs(steps - np.median(steps)) < 0.5 * np.median(steps)
    sm.step_time_s = float(np.median(steps[ok]))
    sm.stride_time_s = temporal.median_of(strides, "stride_time_s")
    for name, s in (("contact_time_left_ms", "left"), ("contact_time_right_ms", "right")):
        setattr(sm, name, temporal.median_of(strides, "contact_time_ms", s))
    sm.contact_time_ms = temporal.median_of(strides, "contact_time_ms")
    sm.flight_time_ms = temporal.median_of(strides, "flight_time_ms")
    sm.duty_factor_pct = temporal.median_of(strides, "duty_factor_pct")
    sm.contact_time_asymmetry_pct = temporal.asymmetry_pct(sm.contact_time_left_ms, sm.contact_time_right_ms)
    lt, rt = np.median(steps[ok & (side == "left")]), np.median(steps[ok & (side == "right")])
    sm.step_time_asymmetry_pct = temporal.asymmetry_pct(lt, rt)
    intervals.timing_intervals(sm, strides, steps, side, view, frame_ms)
    return sm


def test_every_timing_metric_has_an_interval_around_its_value():
    sm = _summary_with_intervals(_events())
    for name in ("cadence_spm", "step_time_s", "stride_time_s", "contact_time_ms", "contact_time_left_ms",
                 "contact_time_right_ms", "flight_time_ms", "duty_factor_pct", "contact_time_asymmetry_pct",
                 "step_time_asymmetry_pct"):
        ci, v = sm.ci(name), getattr(sm, name)
        assert ci is not None and ci[0] <= v <= ci[1], name


def test_asymmetry_interval_excludes_zero_only_when_the_difference_is_real():
    from gait.uncertainty import excludes_zero

    same = _summary_with_intervals(_events(contact_l=0.20, contact_r=0.21))  # 5 %: inside the method's error
    assert not excludes_zero(same.contact_time_asymmetry_pct_ci)
    real = _summary_with_intervals(_events(contact_l=0.20, contact_r=0.27, step_l=0.38, step_r=0.38))  # 30 %
    assert excludes_zero(real.contact_time_asymmetry_pct_ci) and real.contact_time_asymmetry_pct_ci[1] < 0


def test_front_view_intervals_are_wider_than_side_view_ones():
    side = _summary_with_intervals(_events(), view="side_left")
    front = _summary_with_intervals(_events(), view="front")
    w = lambda ci: ci[1] - ci[0]  # noqa: E731
    assert w(front.contact_time_left_ms_ci) > w(side.contact_time_left_ms_ci)


@pytest.mark.parametrize("cadence,contact,flag", [(170.0, 220.0, False), (85.0, 440.0, True), (42.0, 880.0, True),
                                                  (150.0, 470.0, True)])
def test_slow_motion_flag(cadence, contact, flag):
    s = rhythm.slow_motion(Summary(cadence_spm=cadence, contact_time_ms=contact), is_walking=False)
    assert s.probable is flag
    if flag:
        assert "capture rate" in s.message and "--capture-fps" in s.message


def test_walking_is_never_slow_motion():
    assert not rhythm.slow_motion(Summary(cadence_spm=100.0, contact_time_ms=650.0), is_walking=True).probable


def test_likely_factor_brings_the_cadence_to_a_running_one():
    assert rhythm.likely_factor(85.0) == 2 and rhythm.likely_factor(42.0) == 4 and rhythm.likely_factor(21.0) == 8
