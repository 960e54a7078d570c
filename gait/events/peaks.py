"""Small signal helpers shared by the event detectors: sub-frame peaks, threshold crossings,
prominent extrema, the pelvis' lowest point, and left/right alternation."""
from __future__ import annotations

import numpy as np
from scipy.signal import find_peaks

from gait.vocabulary import SIDES

# A peak counts when it stands out by a quarter of the signal's 5-95 % range (smaller wiggles are jitter).
PROMINENCE_FRAC = 0.25


def subframe_peak(x: np.ndarray, i: int) -> float:
    """Fractional index of the peak at i from a parabola through its neighbours."""
    if 0 < i < len(x) - 1:
        a, b, c = x[i - 1], x[i], x[i + 1]
        den = a - 2 * b + c
        if np.isfinite(den) and den < 0:
            return i + float(np.clip(0.5 * (a - c) / den, -0.5, 0.5))
    return float(i)


def index_to_time(t_s: np.ndarray, idx: np.ndarray) -> np.ndarray:
    return np.interp(idx, np.arange(len(t_s)), t_s)


def find_extrema(x: np.ndarray, min_distance: int) -> np.ndarray:
    """Fractional indices of prominent maxima of x."""
    ok = np.isfinite(x)
    if ok.sum() < 5:
        return np.zeros(0)
    y = np.where(ok, x, np.nanmin(x))
    lo, hi = np.nanpercentile(x, [5, 95])
    pk, _ = find_peaks(y, distance=max(1, min_distance), prominence=PROMINENCE_FRAC * (hi - lo))
    return np.array([subframe_peak(y, int(i)) for i in pk])


def crossing(y: np.ndarray, j: int, thr: float) -> float:
    """Fractional index between j-1 and j where y passes thr (linear interpolation)."""
    if j <= 0 or y[j] == y[j - 1]:
        return float(j)
    return j - 1 + float(np.clip((thr - y[j - 1]) / (y[j] - y[j - 1]), 0.0, 1.0))


def alternate(strikes: dict[str, np.ndarray], strength: dict[str, np.ndarray]) -> tuple[dict, int]:
    """Keep left/right strikes alternating: of two same-foot strikes in a row, drop the weaker."""
    ev = sorted([(t, s, w) for s in SIDES for t, w in zip(strikes[s], strength[s])])
    out: list[tuple[float, str, float]] = []
    dropped = 0
    for e in ev:
        if out and out[-1][1] == e[1]:
            dropped += 1
            if e[2] > out[-1][2]:
                out[-1] = e
            continue
        out.append(e)
    return {s: np.array([t for t, side, _ in out if side == s]) for s in SIDES}, dropped


def pelvis_low_index(hip_y: np.ndarray, a: float, b: float, half_width: float) -> float | None:
    """Fractional index of the pelvis' lowest point (max image y) inside (a, b).

    The vertex of a least-squares parabola over +-half_width frames around the lowest
    sample: far less sensitive to landmark jitter than the single lowest sample.
    """
    i0, i1 = int(np.ceil(a)), int(np.floor(b))
    if i1 - i0 < 2 or i0 < 0 or i1 >= len(hip_y):
        return None
    seg = hip_y[i0:i1 + 1]
    if not np.isfinite(seg).any():
        return None
    j = i0 + int(np.nanargmax(seg))
    if j == i0 or j == i1:  # at the window's edge: not a real minimum of height
        return None
    h = max(2, int(round(half_width)))
    k0, k1 = max(0, j - h), min(len(hip_y), j + h + 1)
    x = np.arange(k0, k1) - j
    y = hip_y[k0:k1]
    ok = np.isfinite(y)
    if ok.sum() < 4:
        return float(j)
    c2, c1, _ = np.polyfit(x[ok], y[ok], 2)
    if c2 >= 0:  # not a maximum of y
        return float(j)
    return j + float(np.clip(-c1 / (2 * c2), -h, h))


def pelvis_lows(hip_y: np.ndarray, stride_frames: float) -> list[float]:
    """Fractional indices of the lowest point of a body-height signal (image y: the pelvis, or the body's
    mean level) once per step (spring-mass: the body is lowest near midstance), after removing drift
    with a running mean over one stride."""
    step = 0.5 * stride_frames
    w = max(3, int(stride_frames)) | 1
    ok = np.isfinite(hip_y)
    k = np.ones(w)
    trend = np.convolve(np.where(ok, hip_y, 0.0), k, mode="same") / np.maximum(np.convolve(ok, k, mode="same"), 1)
    cand = find_extrema(np.where(ok, hip_y - trend, np.nan), max(1, int(0.6 * step)))
    lows = [low_near(hip_y, c, stride_frames) for c in cand]
    return [x for x in lows if x is not None]


def low_near(y: np.ndarray, c: float, stride_frames: float) -> float | None:
    """The lowest point of a body-height signal within a quarter stride of frame c (``pelvis_low_index``)."""
    return pelvis_low_index(y, c - 0.25 * stride_frames, c + 0.25 * stride_frames, 0.15 * stride_frames)
