"""Pelvic obliquity traces: sign conventions, the naive hip-line reference, smoothing and levelling.

Obliquity here is the runner's anatomical convention: + = LEFT hip higher than
the right, in degrees. In a rear view the runner's left is on the image left; in
a front view on the image right. Image y points down.
"""
from __future__ import annotations

import warnings

import numpy as np

from gait.metrics.pelvis.roi import L_HIP, R_HIP


def image_rotation_to_obliquity(rot_cw_deg: np.ndarray, view: str) -> np.ndarray:
    """Band rotation (+ = clockwise on screen) -> obliquity (+ = left hip higher).

    Clockwise on screen lowers the image-right end: the runner's right hip in a
    rear view (left higher, +), the runner's left hip in a front view (-).
    """
    sign = 1.0 if view == "rear" else -1.0
    return sign * np.asarray(rot_cw_deg, float)


def hip_line_obliquity(image_xy: np.ndarray) -> np.ndarray:
    """The naive method: angle of the line through MediaPipe's two hip landmarks, + = left hip higher.

    atan2(y_right - y_left, |x_right - x_left|) is independent of the view because
    it only asks which hip is lower in the image (y down).
    """
    l, r = image_xy[:, L_HIP], image_xy[:, R_HIP]
    return np.degrees(np.arctan2(r[:, 1] - l[:, 1], np.abs(r[:, 0] - l[:, 0])))


def fill_gaps(t_s: np.ndarray, y: np.ndarray, max_gap_s: float) -> np.ndarray:
    """Linear interpolation over NaN gaps no longer than max_gap_s; longer gaps stay NaN."""
    y = np.asarray(y, float).copy()
    ok = np.isfinite(y)
    if ok.sum() < 2:
        return y
    filled = np.interp(t_s, t_s[ok], y[ok])
    i = 0
    n = len(y)
    while i < n:
        if not ok[i]:
            j = i
            while j < n and not ok[j]:
                j += 1
            inside = i > 0 and j < n
            if inside and t_s[j] - t_s[i - 1] <= max_gap_s:
                y[i:j] = filled[i:j]
            i = j
        else:
            i += 1
    return y


def smooth(t_s: np.ndarray, y: np.ndarray, window_s: float = 0.05) -> np.ndarray:
    """Light Savitzky-Golay smoothing (quadratic, ~50 ms): takes frame noise off the peak without flattening it."""
    from scipy.signal import savgol_filter

    dt = float(np.median(np.diff(t_s))) if len(t_s) > 1 else 1 / 30
    win = int(round(window_s / dt)) | 1
    if win < 5 or len(y) < win:
        return y
    out = np.full_like(y, np.nan)
    ok = np.isfinite(y)
    # smooth each finite run separately so NaN gaps do not spread
    idx = np.flatnonzero(np.diff(np.r_[0, ok.astype(int), 0]))
    for a, b in zip(idx[::2], idx[1::2]):
        seg = y[a:b]
        out[a:b] = savgol_filter(seg, win, 2) if len(seg) >= win else seg
    return out


def whole_cycle_span(foot_strikes: dict[str, list[float]]) -> tuple[float, float] | None:
    """(t0, t1) covering a whole number of gait cycles: first to last strike of the same foot (longest side)."""
    best = None
    for side in ("left", "right"):
        fs = sorted(foot_strikes.get(side, []))
        if len(fs) >= 2 and (best is None or fs[-1] - fs[0] > best[1] - best[0]):
            best = (fs[0], fs[-1])
    return best


def level(t_s: np.ndarray, obliquity: np.ndarray, span: tuple[float, float] | None) -> tuple[np.ndarray, float, str]:
    """Subtract the runner's own level: the time-mean obliquity over whole gait cycles.

    A mean over whole cycles cancels the stride-periodic drop itself, leaving the
    constant part (camera roll, a tilted template frame, a standing asymmetry).
    Returns (levelled trace, level removed, how it was taken).
    """
    ok = np.isfinite(obliquity)
    how = "mean over whole gait cycles"
    if span is not None:
        sel = ok & (t_s >= span[0]) & (t_s <= span[1])
        if sel.sum() >= 5:
            tt, yy = t_s[sel], obliquity[sel]
            lvl = float(np.trapezoid(yy, tt) / (tt[-1] - tt[0])) if tt[-1] > tt[0] else float(np.mean(yy))
            return obliquity - lvl, lvl, how
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        lvl = float(np.nanmean(obliquity)) if ok.any() else 0.0
    return obliquity - lvl, lvl, "mean over the whole clip (no whole gait cycle found)"


def despike(t_s: np.ndarray, y: np.ndarray, window_s: float = 0.1, n_sigmas: float = 3.0,
            floor_deg: float = 0.5) -> np.ndarray:
    """Hampel filter: a frame far from its neighbours' median becomes NaN (filled later if the gap is short).

    A real pelvic drop builds over a good part of a ~0.2 s stance; a 1-2 frame jump is
    a mis-registration (hand passing, motion blur), not anatomy.
    """
    y = np.asarray(y, float)
    dt = float(np.median(np.diff(t_s))) if len(t_s) > 1 else 1 / 30
    h = max(int(round(0.5 * window_s / dt)), 2)
    out = y.copy()
    n = len(y)
    for i in range(n):
        w = y[max(0, i - h):min(n, i + h + 1)]
        w = w[np.isfinite(w)]
        if w.size < 3 or not np.isfinite(y[i]):
            continue
        med = np.median(w)
        mad = 1.4826 * np.median(np.abs(w - med))
        if abs(y[i] - med) > max(n_sigmas * mad, floor_deg):
            out[i] = np.nan
    return out
