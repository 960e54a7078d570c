"""The pelvic obliquity trace: sign conventions, cleaning, and the runner's level.

Obliquity is in the runner's anatomical convention: + = LEFT hip higher, degrees.
In a rear view the runner's left is on the image left; in a front view on the
image right. Image y points down.

The level. A relative measurement (the band's rotation against template frames)
needs a reference for "level". The mean over whole gait cycles is no such
reference: it cancels the stride-periodic drop only when both sides drop alike,
and for an asymmetric runner it moves part of the asymmetry into the level (a
10°/3° runner read 8.1°/5.9° that way). The level here is the pelvis angle
between stances, in flight, when neither leg loads the hip abductors: the median
angle in the flights after left stances and after right stances, averaged with
equal weight, so an artefact that alternates with the legs cancels in it.
(No standing calibration is read yet: a clip without flights on both sides falls back to the cycle mean.)
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from gait.result import Events


def image_rotation_to_obliquity(rot_cw_deg: np.ndarray, view: str) -> np.ndarray:
    """Band rotation (+ = clockwise on screen) -> obliquity (+ = left hip higher).

    Clockwise on screen lowers the image-right end: the runner's right hip in a
    rear view (left higher, +), the runner's left hip in a front view (-).
    """
    return (1.0 if view == "rear" else -1.0) * np.asarray(rot_cw_deg, float)


def frame_interval_s(t_s: np.ndarray) -> float:
    return float(np.median(np.diff(t_s))) if len(t_s) > 1 else 1 / 30


def despike(t_s: np.ndarray, y: np.ndarray, window_s: float, n_sigmas: float = 3.0,
            floor_deg: float = 0.5) -> np.ndarray:
    """Hampel filter: a frame far from its neighbours' median becomes NaN (filled later if the gap is short)."""
    y = np.asarray(y, float)
    h = max(int(round(0.5 * window_s / frame_interval_s(t_s))), 2)
    n = len(y)
    pad = np.r_[np.full(h, np.nan), y, np.full(h, np.nan)]
    win = np.lib.stride_tricks.sliding_window_view(pad, 2 * h + 1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        med = np.nanmedian(win, axis=1)
        mad = 1.4826 * np.nanmedian(np.abs(win - med[:, None]), axis=1)
    enough = np.sum(np.isfinite(win), axis=1) >= 3
    bad = enough & np.isfinite(y) & (np.abs(y - med) > np.maximum(n_sigmas * mad, floor_deg))
    out = y.copy()
    out[bad[:n]] = np.nan
    return out


def fill_short_gaps(t_s: np.ndarray, y: np.ndarray, max_gap_s: float) -> np.ndarray:
    """Linear interpolation across NaN runs no longer than ``max_gap_s``; longer runs and the ends stay NaN."""
    y = np.asarray(y, float).copy()
    ok = np.isfinite(y)
    if ok.sum() < 2:
        return y
    filled = np.interp(t_s, t_s[ok], y[ok])
    edges = np.flatnonzero(np.diff(np.r_[0, (~ok).astype(int), 0]))
    for a, b in zip(edges[::2], edges[1::2]):
        if a > 0 and b < len(y) and t_s[b] - t_s[a - 1] <= max_gap_s:
            y[a:b] = filled[a:b]
    return y


def smooth(t_s: np.ndarray, y: np.ndarray, window_s: float) -> np.ndarray:
    """Quadratic Savitzky-Golay over each finite run (NaN gaps do not spread)."""
    from scipy.signal import savgol_filter

    win = int(round(window_s / frame_interval_s(t_s))) | 1
    if win < 5:
        return y
    out = np.full_like(y, np.nan)
    idx = np.flatnonzero(np.diff(np.r_[0, np.isfinite(y).astype(int), 0]))
    for a, b in zip(idx[::2], idx[1::2]):
        out[a:b] = savgol_filter(y[a:b], win, 2) if b - a >= win else y[a:b]
    return out


@dataclass(frozen=True)
class Stance:
    side: str  # stance foot
    foot_strike_s: float
    toe_off_s: float | None


def stances_of(events: Events, max_contact_s: float) -> list[Stance]:
    """Every foot strike with its toe-off (the first one before the same foot's next strike), in time order."""
    out = []
    for side in ("left", "right"):
        fs = sorted(events.foot_strike.get(side, []))
        to = sorted(events.toe_off.get(side, []))
        for k, t in enumerate(fs):
            nxt = fs[k + 1] if k + 1 < len(fs) else float("inf")
            cand = [x for x in to if t < x < nxt and x - t <= max_contact_s]
            out.append(Stance(side, float(t), float(cand[0]) if cand else None))
    return sorted(out, key=lambda s: s.foot_strike_s)


def flights(stances: list[Stance]) -> list[tuple[str, float, float]]:
    """(side of the stance before, toe-off, the other foot's next strike) for every flight phase."""
    out = []
    for k, s in enumerate(stances):
        if s.toe_off_s is None:
            continue
        nxt = next((x for x in stances[k + 1:] if x.side != s.side), None)
        if nxt is not None and nxt.foot_strike_s > s.toe_off_s:
            out.append((s.side, s.toe_off_s, nxt.foot_strike_s))
    return out


@dataclass(frozen=True)
class Level:
    deg: float  # constant removed from the raw relative trace
    se_deg: float | None  # its standard error
    source: str  # "flight" | "whole-cycle mean"
    n: int  # flights (or frames, for the cycle mean) it rests on


def flight_level(t_s: np.ndarray, y: np.ndarray, stances: list[Stance]) -> Level | None:
    """Median obliquity in the flights after left and after right stances, averaged with equal weight."""
    per = {"left": [], "right": []}
    for side, a, b in flights(stances):
        m = (t_s >= a) & (t_s <= b) & np.isfinite(y)
        if m.any():
            per[side].append(float(np.median(y[m])))
    if not per["left"] or not per["right"]:
        return None
    halves = [float(np.median(per[s])) for s in ("left", "right")]
    n = len(per["left"]) + len(per["right"])
    se = [np.std(per[s], ddof=1) / np.sqrt(len(per[s])) for s in ("left", "right") if len(per[s]) > 1]
    return Level(0.5 * sum(halves), 0.5 * float(np.hypot(*se)) if len(se) == 2 else None, "flight", n)


def mean_level(t_s: np.ndarray, y: np.ndarray, stances: list[Stance]) -> Level:
    """The mean over whole gait cycles (first to last strike of one foot), or over the clip without one.

    A fallback when no flight is seen on both sides, and the old method: it is biased for asymmetric runners.
    """
    fs = [s.foot_strike_s for s in stances if s.side == "left"]
    ok = np.isfinite(y)
    sel = ok & (t_s >= fs[0]) & (t_s <= fs[-1]) if len(fs) >= 2 else ok
    if sel.sum() >= 5 and t_s[sel][-1] > t_s[sel][0]:
        return Level(float(np.trapezoid(y[sel], t_s[sel]) / (t_s[sel][-1] - t_s[sel][0])), None, "whole-cycle mean",
                     int(sel.sum()))
    return Level(float(np.mean(y[ok])) if ok.any() else 0.0, None, "whole-cycle mean", int(ok.sum()))
