"""The rear-view toe-off model's constants (gait.events.soles, gait.events.rear) are what
scripts/fit_rear_toe_off.py fits on the shared rear phantom clips, and the model earns its place: its
leave-one-clip-out toe-off residuals are smaller than the uncorrected cue's errors."""
from __future__ import annotations

import sys

import numpy as np
import pytest
from conftest import PHANTOM, REPO

from gait.events.rear import CONTACT_BEFORE_LOW
from gait.events.soles import LIFT_ACCEL_MPS2, LIFT_DELAY_S

pytestmark = pytest.mark.slow
sys.path.insert(0, str(REPO / "scripts"))


@pytest.fixture(scope="module")
def fitted():
    from fit_rear_toe_off import fit_constants
    return fit_constants([str(PHANTOM)])


def test_the_constants_are_the_fit(fitted):
    assert fitted.delay_s == pytest.approx(LIFT_DELAY_S, abs=0.0005)
    assert fitted.accel_mps2 == pytest.approx(LIFT_ACCEL_MPS2, rel=0.02)
    assert fitted.share == pytest.approx(CONTACT_BEFORE_LOW, abs=0.002)


def test_held_out_clips_are_read_better_than_uncorrected(fitted):
    from fit_rear_toe_off import held_out
    residual, contact_err = held_out(fitted.rows)
    assert np.sqrt(np.mean(residual ** 2)) < 0.6 * np.sqrt(np.mean(fitted.rows[:, 1] ** 2))
    assert np.abs(residual).max() < 0.010  # every foot's toe-off within 10 ms of the truth, fitted without its clip
    assert np.abs(contact_err).max() < 0.020  # and its contact time within 20 ms


def test_the_delay_applied_is_reported_and_longer_from_a_low_camera(poses_of):
    from gait.events import analyze_events

    def delay(clip):
        return analyze_events(poses_of(PHANTOM / f"{clip}.mp4")).rear_toe_off_delay_ms

    low, high = delay("rear_low_L6R0_164spm_30fps"), delay("rear_drop0_169spm_60fps")
    for side in ("left", "right"):  # a 0.5 m camera against a 1 m one
        assert low[side] > high[side] + 10.0, (low, high)
    assert delay("side_right_drop4_169spm_60fps") is None
