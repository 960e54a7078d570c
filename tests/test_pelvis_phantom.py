"""Pelvic drop on every rendered rear/front phantom clip with exact truth, with lite, full and heavy landmarks.

Acceptance (issue #11, never loosened): per side the median drop within 1.0° of the truth, the left-right
asymmetry within 1.0°, the mean per-stance error within 1.5°, the three pose models within 1.0° of each
other, a level pelvis read within 0.5°. Every reported 95 % interval must hold the truth. Where the method
does not reach a bar yet, the test is a strict xfail that states the measured numbers: it fails the day the
method improves, so the list stays true.
"""
from __future__ import annotations

import numpy as np
import pytest
from pelvis_truth import FRONTAL_CLIPS, assert_meets_bars, compare, run

pytestmark = pytest.mark.slow
MODELS = ("lite", "full", "heavy")
# Every clip with the full model (the default); lite and heavy on a level and an asymmetric runner in
# different outfits (all clips x all models: `gait validate --model lite,full,heavy`, quoted in the README;
# estimating more clips with the heavy model would take the suite past its time budget).
OTHER_MODEL_CLIPS = ("rear_asymL10R3_176spm_60fps", "rear_drop0_169spm_60fps")


def _models_for(name: str) -> tuple[str, ...]:
    return MODELS if name in OTHER_MODEL_CLIPS else ("full",)

# measured on this version (truth events); (clip, model) -> why it misses the acceptance bars
BELOW_ACCEPTANCE = {
    ("rear_low_L6R0_164spm_30fps", "full"): "the level right side reads 1.85° (30 fps, camera 0.5 m high)",
    ("rear_phone_L9R9_168spm_30fps", "full"): "left stance reads 7.7° for 9°, asymmetry 1.1° off (hand shake, "
                                               "noise, re-encode)",
}
INTERVAL_MISSES = {("rear_low_L6R0_164spm_30fps", "full"): "the level right side's interval stops short of 0"}

_store: dict = {}
_memo: dict = {}


def _result(poses_of, name, model):
    if (name, model) not in _memo:
        _memo[(name, model)] = run(name, model, poses_of, _store)
    return _memo[(name, model)]


def _cases(known: dict):
    def marks(key):
        return pytest.mark.xfail(strict=True, reason=known[key]) if key in known else ()
    return [pytest.param(n, m, marks=marks((n, m))) for n in FRONTAL_CLIPS for m in _models_for(n)]


@pytest.mark.parametrize("name,model", _cases(BELOW_ACCEPTANCE))
def test_accuracy_against_truth(poses_of, name, model):
    r = _result(poses_of, name, model)
    assert r.measured, r.reason
    assert_meets_bars(compare(name, r))


@pytest.mark.parametrize("name,model", _cases(INTERVAL_MISSES))
def test_intervals_hold_the_truth(poses_of, name, model):
    r = _result(poses_of, name, model)
    assert all(compare(name, r).covered), (r.left.ci, r.right.ci, r.asymmetry_ci, compare(name, r).truth)


@pytest.mark.parametrize("name", OTHER_MODEL_CLIPS)
def test_pose_models_agree_within_a_degree(poses_of, name):
    rs = [_result(poses_of, name, m) for m in MODELS]
    for side in ("left", "right"):
        v = [getattr(r, side).deg for r in rs]
        assert max(v) - min(v) <= 1.0, (side, v)


@pytest.mark.xfail(strict=True, reason="a level pelvis reads 0.6-0.9° on the right side (lite 0.58, "
                                       "full 0.68, heavy 0.92: the level phantom's own buttock-fold swing)")
@pytest.mark.parametrize("model", MODELS)
def test_zero_is_zero(poses_of, model):
    r = _result(poses_of, "rear_drop0_169spm_60fps", model)
    assert abs(r.left.deg) <= 0.5 and abs(r.right.deg) <= 0.5, (r.left.deg, r.right.deg)


def test_level_in_flight_keeps_the_asymmetry_the_cycle_mean_lost(poses_of):
    """The same registered traces read with the old whole-cycle-mean level and with the flight level."""
    asym = [n for n in FRONTAL_CLIPS if "asym" in n or "L6R0" in n or "L2R7" in n or "L8R4" in n]
    old, new = [], []
    for name in asym:
        new.append(abs(compare(name, _result(poses_of, name, "full")).asym_err))
        old.append(abs(compare(name, run(name, "full", poses_of, _store, level="cycle_mean")).asym_err))
    print("asymmetry error, whole-cycle mean vs flight level:", dict(zip(asym, zip(np.round(old, 2), np.round(new, 2)))))
    assert np.mean(new) < 0.5 * np.mean(old), (old, new)
    assert sum(n < o for n, o in zip(new, old)) >= len(asym) - 1


def test_the_naive_hip_line_misses_what_the_band_measures(poses_of):
    r = _result(poses_of, "rear_drop8_169spm_60fps", "full")
    naive = r.quality.naive_hip_line_deg
    for side in ("left", "right"):
        assert abs(getattr(r, side).deg - 8.0) < 1.0
        assert naive[side] < 3.0, naive  # MediaPipe's hip landmarks hardly follow an 8° drop


def test_an_oblique_camera_is_measured_reported_and_corrected(poses_of):
    r = _result(poses_of, "rear_yaw25_L8R4_172spm_60fps", "full")
    q = r.quality
    assert q.camera_yaw_deg is not None and 12 <= abs(q.camera_yaw_deg) <= 40
    assert q.yaw_corrected == (abs(q.camera_yaw_deg) <= 30)  # corrected where the yaw is trusted enough
    assert any("off straight behind" in w for w in r.warnings)
    assert all(compare("rear_yaw25_L8R4_172spm_60fps", r).covered)


def test_a_square_level_camera_reads_no_roll_and_little_yaw(poses_of):
    q = _result(poses_of, "rear_drop8_169spm_60fps", "full").quality
    assert q.camera_roll_deg is not None and abs(q.camera_roll_deg) < 1.0
    assert abs(q.camera_yaw_deg) < 10.0 and q.level_source == "flight"
