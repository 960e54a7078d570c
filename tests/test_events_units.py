"""Conditioning, view and spectral cadence on synthetic signals."""
from __future__ import annotations

import numpy as np

from gait.events.conditioning import cutoff_for, fill_gaps, lowpass
from gait.events.pose_free import motion_box
from gait.events.spectral import power_spectrum


def test_cutoff_follows_cadence_and_frame_rate():
    assert cutoff_for(60, 170 / 60) == pytest_approx(4 * 170 / 60)
    assert cutoff_for(30, 3.3) == 12.0  # capped at 0.8 x Nyquist
    assert cutoff_for(30, 100 / 60) < cutoff_for(30, 170 / 60)  # walking filtered harder


def pytest_approx(x):
    import pytest

    return pytest.approx(x, rel=1e-6)


def test_lowpass_is_zero_phase():
    t = np.arange(0, 5, 1 / 60)
    x = np.sin(2 * np.pi * 2.8 * t)[:, None]
    y = lowpass(x + 0.05 * np.random.default_rng(0).normal(size=x.shape), 60, 11)
    # a peak stays where it was (no lag)
    i = np.argmax(x[60:120, 0]) + 60
    j = np.argmax(y[60:120, 0]) + 60
    assert abs(i - j) <= 1


def test_fill_gaps_interpolates_and_holds_ends():
    xy = np.arange(10, dtype=float).reshape(10, 1, 1).repeat(2, axis=2)
    ok = np.ones((10, 1), bool)
    ok[3:6] = False
    ok[0] = False
    xy[3:6] = np.nan
    out = fill_gaps(xy, ok)
    assert np.allclose(out[3:6, 0, 0], [3, 4, 5])
    assert out[0, 0, 0] == 1


def test_spectrum_reads_the_step_frequency_finely():
    fs = 30.0
    t = np.arange(0, 6, 1 / fs)
    f, p = power_spectrum(np.sin(2 * np.pi * 2.75 * t), fs)
    assert abs(f[np.argmax(p)] - 2.75) < 0.01  # < 1 step/min on a 6 s clip


def test_motion_box_finds_the_moving_region():
    d = np.zeros((20, 50, 40))
    d[:, 10:30, 5:15] = 5.0
    y0, y1, x0, x1 = motion_box(d)
    assert 8 <= y0 <= 12 and 28 <= y1 <= 32 and 3 <= x0 <= 7 and 13 <= x1 <= 17
