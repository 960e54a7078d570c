"""Per-stance contralateral pelvic drop from a levelled obliquity trace, and each side's summary.

During LEFT stance the right (swing-side) hip drops: drop = +obliquity (left
higher). During RIGHT stance drop = -obliquity. Positive = swing side lower.
"""
from __future__ import annotations

import numpy as np

from gait.pelvis.params import Params
from gait.pelvis.trace import Stance
from gait.result import SideDrop, StanceDrop
from gait.uncertainty import bootstrap_ci, paired_median_bootstrap_ci, widen


def _peak(tt: np.ndarray, d: np.ndarray) -> tuple[float, float]:
    """Largest value and its time, refined to a sub-frame parabola vertex when the peak is inside."""
    k = int(np.nanargmax(d))
    peak, t_pk = float(d[k]), float(tt[k])
    if 0 < k < len(d) - 1 and np.all(np.isfinite(d[k - 1:k + 2])):
        y0, y1, y2 = d[k - 1:k + 2]
        den = y0 - 2 * y1 + y2
        if den < 0:
            off = 0.5 * (y0 - y2) / den
            peak, t_pk = float(y1 - 0.25 * (y0 - y2) * off), float(tt[k] + off * (tt[k + 1] - tt[k]))
    return peak, t_pk


def typical_contact_s(stances: list[Stance]) -> float | None:
    d = [s.toe_off_s - s.foot_strike_s for s in stances if s.toe_off_s is not None]
    return float(np.median(d)) if len(d) >= 3 else None


def read_stance(st: Stance, t_s: np.ndarray, drop_trace: dict[str, np.ndarray], conf: np.ndarray,
                params: Params, typical_s: float | None) -> StanceDrop:
    """Peak and midstance drop of one stance, with its confidence and an exclusion reason if any."""
    rec = dict(side=st.side, foot_strike_s=st.foot_strike_s, toe_off_s=st.toe_off_s, peak_drop_deg=None,
               midstance_drop_deg=None, peak_s=None, confidence=0.0)
    if st.toe_off_s is None:
        return StanceDrop(**rec, excluded="no toe-off was found for this stance")
    dur = st.toe_off_s - st.foot_strike_s
    lo, hi = params.contact_ratio_range
    if typical_s and not lo <= dur / typical_s <= hi:
        return StanceDrop(**rec, excluded=f"its contact time ({1000 * dur:.0f} ms) is far from the runner's typical "
                                          f"{1000 * typical_s:.0f} ms, so one of its events is probably wrong")
    if st.foot_strike_s < t_s[0] or st.toe_off_s > t_s[-1]:
        return StanceDrop(**rec, excluded="the stance runs past the start or end of the clip")
    d = drop_trace[st.side]
    sel = (t_s >= st.foot_strike_s + params.readout_from * dur) & (t_s <= st.foot_strike_s + params.readout_to * dur)
    if sel.sum() < 2:
        sel = (t_s >= st.foot_strike_s) & (t_s <= st.toe_off_s)
    if sel.sum() < 2:
        return StanceDrop(**rec, excluded="the stance is too short for the frame rate")
    missing = float(np.mean(~np.isfinite(d[sel])))
    rec["confidence"] = float(np.clip(np.mean(np.where(np.isfinite(d[sel]), np.nan_to_num(conf[sel]), 0.0)), 0, 1))
    if missing > params.max_missing_in_stance:
        return StanceDrop(**rec, excluded=f"the pelvis was not tracked in {missing:.0%} of the stance")
    rec["peak_drop_deg"], rec["peak_s"] = _peak(t_s[sel], d[sel])
    ok = np.isfinite(d)
    mid = st.foot_strike_s + 0.5 * dur
    rec["midstance_drop_deg"] = float(np.interp(mid, t_s[ok], d[ok]))
    if rec["confidence"] < params.min_stance_confidence:
        return StanceDrop(**rec, excluded=f"the pelvis was tracked poorly in this stance (confidence "
                                          f"{rec['confidence']:.2f})")
    return StanceDrop(**rec)


def used_values(stances: list[StanceDrop], side: str) -> np.ndarray:
    return np.array([s.peak_drop_deg for s in stances if s.side == side and s.excluded is None
                     and s.peak_drop_deg is not None], float)


def summarise_side(stances: list[StanceDrop], side: str, resolution_deg: float) -> SideDrop:
    v = used_values(stances, side)
    if v.size == 0:
        return SideDrop(None, None, None, 0)
    med = float(np.median(v))
    return SideDrop(med, widen(bootstrap_ci(v), med, resolution_deg),
                    float(np.std(v, ddof=1)) if v.size > 1 else None, int(v.size))


def asymmetry(stances: list[StanceDrop], resolution_deg: float) -> tuple[float | None, list[float] | None]:
    """Left minus right, with its interval (the sides resampled independently)."""
    left, right = used_values(stances, "left"), used_values(stances, "right")
    if left.size == 0 or right.size == 0:
        return None, None
    a = float(np.median(left) - np.median(right))
    ci = paired_median_bootstrap_ci(left, right, np.subtract)
    return a, widen(ci, a, resolution_deg)
