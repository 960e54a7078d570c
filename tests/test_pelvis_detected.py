"""Pelvic drop on every rear/front phantom clip the way a user gets it: view, foot strikes and toe-offs
detected by the events stage (tests/test_pelvis_phantom.py reads the same clips with the truth's events).

The same bars (issue #11): per side within 1.0° of the truth, the asymmetry within 1.0°, the mean
per-stance error within 1.5°. The templates are picked by stride phase from the detected strikes and the
stances are read in the detected windows, so this path carries the events' errors too. Where it misses,
the test is a strict xfail stating the measured numbers.
"""
from __future__ import annotations

import pytest
from pelvis_truth import FRONTAL_CLIPS, assert_meets_bars, compare, run_detected

pytestmark = pytest.mark.slow

# measured on this version, full model. Two effects lower a stance's peak, seen against the per-frame truth:
# the band reads a stance-phase ramp of its own (the buttocks and shorts follow the stance thigh: on the
# level phantom, -1° at foot strike to +2° at toe-off), and the templates are picked by stride phase from the
# detected strikes: a few ms of strike shift picks other frames, and one set of 6 templates against another
# moved a side by up to 0.6° (12 templates, the default, cut that spread by about a third).
BELOW_ACCEPTANCE = {
    "front_L2R7_170spm_60fps": "right stance reads 5.98° for 7° (bar 1.0°; the hands cross the front of the pelvis)",
    "rear_low_L6R0_164spm_30fps": "the level right side reads 1.87° (30 fps, camera 0.5 m high)",
    "rear_phone_L9R9_168spm_30fps": "left stance reads 7.73° for 9° (bar 1.0°)",
}
INTERVAL_MISSES = {"rear_low_L6R0_164spm_30fps": "the level right side's interval (0.2-3.5°) stops short of 0"}

_store: dict = {}
_memo: dict = {}


def _case(name: str, known: dict):
    if name in known:
        return pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=known[name]))
    return name


def _result(poses_of, name):
    if name not in _memo:
        _memo[name] = run_detected(name, "full", poses_of, _store)
    return _memo[name]


@pytest.mark.parametrize("name", [_case(n, BELOW_ACCEPTANCE) for n in FRONTAL_CLIPS])
def test_accuracy_with_detected_events(poses_of, name):
    r = _result(poses_of, name)
    assert r.measured, r.reason
    c = compare(name, r)
    print(name, f"left {r.left.deg:.2f} right {r.right.deg:.2f}", c)
    assert_meets_bars(c)


@pytest.mark.parametrize("name", [_case(n, INTERVAL_MISSES) for n in FRONTAL_CLIPS])
def test_intervals_hold_the_truth_with_detected_events(poses_of, name):
    r = _result(poses_of, name)
    assert all(compare(name, r).covered), (r.left.ci, r.right.ci, r.asymmetry_ci, compare(name, r).truth)
