"""Acceptance on the rendered phantom clips (exact truth): view, events, cadence, stride length."""
from __future__ import annotations

import pytest
from _truth import hit_and_spurious, strike_times, truth
from conftest import PHANTOM

from gait.events import analyze_events
from gait.metrics import compute_metrics

CLIPS = {
    "rear_drop0_169spm_60fps": "rear",
    "rear_drop8_169spm_60fps": "rear",
    "side_right_drop4_169spm_60fps": "side_right",
}


@pytest.fixture(scope="module")
def analysed(poses_of):
    out = {}
    for name in CLIPS:
        path = PHANTOM / f"{name}.mp4"
        tr = truth(path)
        ge = analyze_events(poses_of(path))
        m = compute_metrics(ge, belt_speed_mps=tr["belt_speed_mps"], height_m=tr["body_height_m"])
        out[name] = (tr, ge, m)
    return out


@pytest.mark.parametrize("name", CLIPS)
def test_view_detected(analysed, name):
    _, ge, _ = analysed[name]
    assert ge.view == CLIPS[name]
    assert ge.view_confidence > 0.8


@pytest.mark.parametrize("name", CLIPS)
@pytest.mark.parametrize("side", ["left", "right"])
def test_foot_strikes_within_two_frames(analysed, name, side):
    tr, ge, _ = analysed[name]
    hit, spurious = hit_and_spurious(ge.events.foot_strike[side], strike_times(tr, side), tr["fps"], tr["duration_s"])
    assert hit >= 0.95, f"{name} {side}: only {hit:.0%} of true strikes found within 2 frames"
    assert spurious <= 0.05, f"{name} {side}: {spurious:.0%} spurious strikes"


@pytest.mark.parametrize("name", CLIPS)
def test_cadence_within_one_spm(analysed, name):
    tr, ge, m = analysed[name]
    true_spm = tr["cadence_spm"]["set"]
    assert abs(m.summary.cadence_spm - true_spm) <= 1.0
    assert abs(m.summary.cadence_spectral_spm - true_spm) <= 1.0
    assert not any("differ by" in w for w in m.warnings)


@pytest.mark.parametrize("name", CLIPS)
def test_stride_length_within_3pct(analysed, name):
    tr, _, m = analysed[name]
    assert m.summary.stride_length_m == pytest.approx(tr["stride_length_m"], rel=0.03)


@pytest.mark.parametrize("name", CLIPS)
def test_contact_time_per_side(analysed, name):
    """Contact = two events, each allowed +-2 frames: the median per side within 2 frames."""
    tr, _, m = analysed[name]
    for side, got in (("L", m.summary.contact_time_left_ms), ("R", m.summary.contact_time_right_ms)):
        want = 1000 * tr["contact_time_s"][side]["mean"]
        assert abs(got - want) <= 2000 / tr["fps"], f"{side}: {got} vs {want} ms"
    assert m.summary.duty_factor_pct < 50 and m.summary.flight_time_ms > 0


@pytest.mark.parametrize("name", CLIPS)
def test_running_and_alternating(analysed, name):
    _, ge, m = analysed[name]
    assert not ge.is_walking and m.summary.is_walking is False
    ev = sorted((t, s) for s in ("left", "right") for t in ge.events.foot_strike[s])
    assert all(a[1] != b[1] for a, b in zip(ev, ev[1:]))
    for s in ("left", "right"):
        assert ge.events.foot_strike[s] == sorted(ge.events.foot_strike[s])


def test_side_form_metrics_present(analysed):
    _, _, m = analysed["side_right_drop4_169spm_60fps"]
    s = m.summary
    for name in ("overstride_leg_pct", "overstride_cm", "shank_angle_deg", "knee_flexion_fs_deg",
                 "knee_flexion_midstance_deg", "trunk_lean_deg", "vertical_oscillation_cm", "vertical_ratio_pct"):
        assert getattr(s, name) is not None, name
    assert 0 <= s.knee_flexion_fs_deg < s.knee_flexion_midstance_deg < 90
    assert 3 <= s.vertical_oscillation_cm <= 15  # a runner's bounce, not pixels
    assert s.vertical_ratio_pct < 15


def test_rear_has_no_side_form(analysed):
    _, _, m = analysed["rear_drop0_169spm_60fps"]
    assert m.summary.overstride_leg_pct is None and m.summary.knee_flexion_fs_deg is None
    assert "side view" in m.quality["form"]["note"]
