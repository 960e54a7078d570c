"""Spectral cadence: the step frequency from the periodicity of the whole body.

Used twice: before event detection (to set filter cutoffs and the minimum spacing
of events from the data, not from constants) and afterwards as an independent
cross-check of the event-based cadence.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gait.poses.landmarks import ANKLE, HIP

# Stride (same-foot) frequencies searched: 240 steps/min covers sprinting; the lower end, 20 steps/min,
# is a 160 steps/min runner filmed at 240 fps and played at 30 (slow motion is flagged later,
# gait.metrics.rhythm), far below any real walk (~90) or run.
STRIDE_HZ_BAND = (20.0 / 120.0, 240.0 / 120.0)


@dataclass
class SpectralCadence:
    cadence_spm: float | None  # both legs
    step_hz: float | None
    peak_prominence: float  # 0..1, share of the two spectra's energy at the chosen harmonics


def uniform(t_s: np.ndarray, x: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """Resample onto a uniform grid at the median frame interval (variable-frame-rate phones)."""
    dt = float(np.median(np.diff(t_s)))
    tu = np.arange(t_s[0], t_s[-1] + 1e-9, dt)
    good = np.isfinite(x)
    if good.sum() < 2:
        return tu, np.full(tu.shape, np.nan), 1.0 / dt
    return tu, np.interp(tu, t_s[good], x[good]), 1.0 / dt


def power_spectrum(x: np.ndarray, fs_hz: float, pad_to: int = 16384) -> tuple[np.ndarray, np.ndarray]:
    """Hann-windowed periodogram of a detrended signal, zero-padded so the peak can be
    read to a fraction of the 1/T bin (the clip is only a few seconds long)."""
    x = np.asarray(x, float)
    x = x[np.isfinite(x)]
    if x.size < 8:
        return np.zeros(1), np.zeros(1)
    k = np.arange(x.size)
    x = x - np.polyval(np.polyfit(k, x, 1), k)  # treadmill drift / walking across frame
    w = np.hanning(x.size)
    n = max(pad_to, 1 << int(np.ceil(np.log2(x.size * 8))))
    p = np.abs(np.fft.rfft(x * w, n)) ** 2
    return np.fft.rfftfreq(n, 1.0 / fs_hz), p


def _at(f: np.ndarray, p: np.ndarray, q: np.ndarray) -> np.ndarray:
    return np.interp(q, f, p, left=0.0, right=0.0)


def spectral_cadence(t_s: np.ndarray, xy: np.ndarray) -> SpectralCadence:
    """Step frequency from two complementary body signals, combined as harmonics:

    - the vertical bounce of the mid-hip, which repeats every step (at 2 x stride Hz);
    - the left-minus-right ankle position, which repeats every stride (at stride Hz)
      and has no energy at even harmonics, so it resolves step-vs-stride ambiguity.
    The stride frequency maximising the normalised sum of both wins.
    """
    hip_y = np.nanmean(xy[:, [HIP["left"], HIP["right"]], 1], axis=1)
    dx = xy[:, ANKLE["left"], 0] - xy[:, ANKLE["right"], 0]
    dy = xy[:, ANKLE["left"], 1] - xy[:, ANKLE["right"], 1]
    if np.isfinite(hip_y).sum() < 16 or len(t_s) < 16:
        return SpectralCadence(None, None, 0.0)
    _, hu, fs = uniform(t_s, hip_y)
    f, ph = power_spectrum(hu, fs)
    _, ax, _ = uniform(t_s, dx)
    _, ay, _ = uniform(t_s, dy)
    _, pdx = power_spectrum(ax, fs)
    _, pdy = power_spectrum(ay, fs)
    pd = pdx + pdy
    band = (f >= STRIDE_HZ_BAND[0]) & (f <= STRIDE_HZ_BAND[1])
    if not band.any():
        return SpectralCadence(None, None, 0.0)
    cand = f[band]
    hip_at = _at(f, ph, 2 * cand)
    diff_at = _at(f, pd, cand)
    hn = hip_at / (hip_at.max() or 1.0)
    dn = diff_at / (diff_at.max() or 1.0)
    score = hn + dn
    i = int(np.argmax(score))
    stride_hz = float(cand[i])
    # Refine on the hip bounce alone when it has a clear local peak near 2 x stride Hz:
    # its fundamental is the step frequency itself, so it reads the cadence most finely.
    near = np.flatnonzero((f > 2 * stride_hz * 0.93) & (f < 2 * stride_hz * 1.07))
    step_hz = 2 * stride_hz
    if near.size > 2:
        j = int(np.argmax(ph[near]))
        if 0 < j < near.size - 1:  # a true local peak, not the window's edge
            step_hz = float(f[near[j]])
    # Prominence: share of the hip-bounce power (0.5-6 Hz) within +-5 % of the step frequency.
    wide = (f > 0.5) & (f < 6.0)
    peak = wide & (np.abs(f - step_hz) < 0.05 * step_hz)
    share = float(ph[peak].sum() / (ph[wide].sum() or 1.0))
    return SpectralCadence(cadence_spm=60.0 * step_hz, step_hz=step_hz, peak_prominence=min(1.0, share))
