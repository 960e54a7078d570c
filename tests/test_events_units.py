"""Conditioning, view and spectral cadence on synthetic signals."""
from __future__ import annotations

import numpy as np
import pytest

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


@pytest.mark.parametrize("tilt_deg", [-4.0, 0.0, 3.0])
def test_the_ground_line_is_read_off_the_feet_and_a_level_one_left_alone(tilt_deg):
    """Two feet on a treadmill seen from the side: each stance carries the foot back along the ground at a
    slant of ``tilt_deg`` (the far foot's line higher in the picture), each swing arcs forward above it;
    the body is lowest at midstance."""
    from gait.events.ground import ground_line

    rng = np.random.default_rng(1)
    slope = np.tan(np.radians(tilt_deg))
    t = np.arange(600) / 60.0
    feet = []
    for k, base in enumerate((600.0, 585.0)):
        ph = (t / 0.7 + 0.5 * k) % 1.0  # stride phase; stance is the first 30 %
        stance = ph < 0.3
        x = np.where(stance, 760 - 800 * ph, 520 + 340 * (ph - 0.3))
        lift = np.where(stance, 0.0, 60 * np.sin(np.pi * (ph - 0.3) / 0.7))
        y = base + slope * (x - 640) - lift + rng.normal(0, 0.7, t.size)
        feet.append((x, y))
    stride_frames = 0.7 * 60
    lows = sorted(f for k in (0, 1) for f in (np.arange(15) + 0.15 - 0.5 * k) * stride_frames if 0 < f < 599)
    g = ground_line(feet, lows, stride_frames)
    assert abs(g.tilt_deg - tilt_deg) < 0.5, g
    assert g.resolvable == (tilt_deg != 0.0)
    x, y = feet[0]
    flat = g.levelled(x, y)[(t / 0.7) % 1.0 < 0.3]
    assert np.ptp(flat) < 6.0  # a stance no longer sinks or rises along a slanted ground
