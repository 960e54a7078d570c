"""Per-stance contralateral pelvic drop from a levelled obliquity trace.

During LEFT stance the right (swing-side) hip drops: drop = +obliquity (left
higher). During RIGHT stance drop = -obliquity. Positive = swing side lower.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class StanceDrop:
    side: str  # stance foot: "left" | "right"
    foot_strike_s: float
    toe_off_s: float | None
    peak_drop_deg: float | None  # max swing-side drop over the stance
    midstance_drop_deg: float | None  # drop at the middle of the stance
    peak_s: float | None  # time of the peak (sub-frame, parabolic)
    confidence: float  # 0..1
    excluded: str | None = None  # reason, or None if used


@dataclass
class SideSummary:
    median_deg: float | None
    sd_deg: float | None
    n: int


def stance_intervals(events, max_stance_s: float = 0.6) -> list[tuple[str, float, float | None]]:
    """(side, foot strike, toe-off or None) for every foot strike, in time order."""
    out = []
    for side in ("left", "right"):
        fs = sorted(events.foot_strike.get(side, []))
        to = sorted(events.toe_off.get(side, []))
        for k, t in enumerate(fs):
            nxt = fs[k + 1] if k + 1 < len(fs) else float("inf")
            cand = [x for x in to if t < x < nxt and x - t <= max_stance_s]
            out.append((side, float(t), float(cand[0]) if cand else None))
    out.sort(key=lambda s: s[1])
    return out


def typical_stance_s(intervals: list[tuple[str, float, float | None]]) -> float | None:
    d = [to - fs for _, fs, to in intervals if to is not None]
    return float(np.median(d)) if len(d) >= 3 else None


def _interp(t_s, y, t):
    ok = np.isfinite(y)
    if ok.sum() < 2 or t < t_s[ok][0] or t > t_s[ok][-1]:
        return None
    return float(np.interp(t, t_s[ok], y[ok]))


def measure_stance(side: str, fs: float, to: float | None, t_s: np.ndarray, obl_levelled: np.ndarray,
                   frame_conf: np.ndarray, *, min_conf: float = 0.4, max_missing: float = 0.25,
                   edge_trim_frac: float = 0.15, typical_stance_s: float | None = None) -> StanceDrop:
    """Peak and midstance drop for one stance, with its confidence and an exclusion reason if any.

    The peak is searched in the stance without its first and last ``edge_trim_frac``:
    foot-strike and toe-off times are uncertain by ~1-2 frames, and the impact
    transient there is not the sustained contralateral drop of the loading phase.
    """
    rec = StanceDrop(side, fs, to, None, None, None, 0.0)
    if to is None:
        rec.excluded = "no toe-off found for this stance"
        return rec
    if typical_stance_s and not (0.5 <= (to - fs) / typical_stance_s <= 1.6):
        # a contact far longer/shorter than the runner's usual one means a missed or mislabelled event
        rec.excluded = f"implausible contact time {to - fs:.2f} s (typical {typical_stance_s:.2f} s): check the events"
        return rec
    trim = edge_trim_frac * (to - fs)
    sel = (t_s >= fs + trim) & (t_s <= to - trim)
    if sel.sum() < 2:
        sel = (t_s >= fs) & (t_s <= to)
    if sel.sum() < 2:
        rec.excluded = "stance too short for the frame rate" if t_s[0] <= fs and to <= t_s[-1] else "stance outside the clip"
        return rec
    sign = 1.0 if side == "left" else -1.0
    drop = sign * obl_levelled[sel]
    tt = t_s[sel]
    conf_f = np.where(np.isfinite(drop), np.nan_to_num(frame_conf[sel]), 0.0)
    rec.confidence = float(np.clip(np.mean(conf_f), 0, 1))
    missing = float(np.mean(~np.isfinite(drop)))
    if missing > max_missing:
        rec.excluded = f"pelvis not tracked in {missing:.0%} of the stance"
        return rec
    k = int(np.nanargmax(drop))
    peak, tpk = float(drop[k]), float(tt[k])
    if 0 < k < len(drop) - 1 and np.all(np.isfinite(drop[k - 1:k + 2])):  # parabolic sub-frame peak
        y0, y1, y2 = drop[k - 1:k + 2]
        den = y0 - 2 * y1 + y2
        if den < 0:
            d = 0.5 * (y0 - y2) / den
            peak = float(y1 - 0.25 * (y0 - y2) * d)
            tpk = float(tt[k] + d * (tt[k + 1] - tt[k]))
    rec.peak_drop_deg, rec.peak_s = peak, tpk
    mid = _interp(t_s, sign * obl_levelled, 0.5 * (fs + to))
    rec.midstance_drop_deg = mid
    if rec.confidence < min_conf:
        rec.excluded = f"low tracking confidence ({rec.confidence:.2f} < {min_conf})"
    return rec


def summarise(stances: list[StanceDrop], side: str) -> SideSummary:
    v = np.array([s.peak_drop_deg for s in stances if s.side == side and s.excluded is None
                  and s.peak_drop_deg is not None], float)
    if v.size == 0:
        return SideSummary(None, None, 0)
    return SideSummary(float(np.median(v)), float(np.std(v, ddof=1)) if v.size > 1 else None, int(v.size))
