"""Temporal metrics from foot events: per-stride times and the clip's cadence.

Definitions (see ../shared/evidence.md): cadence counts both legs (steps/min); step
time = foot strike to the next strike of the other foot; stride time = same foot to
same foot; contact = strike to toe-off; flight = toe-off to the other foot's strike;
duty factor = contact / stride time.
"""
from __future__ import annotations

import numpy as np

from gait.result import Events, Stride
from gait.vocabulary import SIDES

# A stride more than this far from the clip's median stride time means a missed or
# spurious event, not a real change of rhythm: it is kept in the table but excluded.
STRIDE_OUTLIER_FRAC = 0.25


def rounded(x: float | None, nd: int = 1) -> float | None:
    """A measurement as stored in the result: rounded, None when missing or not finite."""
    return None if x is None or not np.isfinite(x) else round(float(x), nd)


def _first_after(x: list[float] | np.ndarray, t0: float, t1: float) -> float | None:
    a = np.asarray(x, float)
    m = a[(a > t0) & (a < t1)]
    return float(m[0]) if m.size else None


def build_strides(events: Events) -> list[Stride]:
    """One Stride per foot strike that has a following strike of the same foot."""
    other = {"left": "right", "right": "left"}
    strides: list[Stride] = []
    for s in SIDES:
        fs = sorted(events.foot_strike[s])
        for a, b in zip(fs[:-1], fs[1:]):
            st = Stride(side=s, foot_strike_s=round(a, 4), next_foot_strike_s=round(b, 4),
                        stride_time_s=round(b - a, 4))
            opp = _first_after(events.foot_strike[other[s]], a, b)
            if opp is not None:
                st.step_time_s = round(opp - a, 4)
            to = _first_after(events.toe_off[s], a, b)
            if to is not None and (to - a) < 0.8 * (b - a):
                st.toe_off_s = round(to, 4)
                st.contact_time_ms = round(1000 * (to - a), 1)
                st.duty_factor_pct = round(100 * (to - a) / (b - a), 1)
                if opp is not None:
                    st.flight_time_ms = round(1000 * (opp - to), 1)
            strides.append(st)
    strides.sort(key=lambda x: x.foot_strike_s)
    med = np.median([x.stride_time_s for x in strides]) if strides else 0.0
    for x in strides:
        if med > 0 and abs(x.stride_time_s - med) > STRIDE_OUTLIER_FRAC * med:
            x.excluded = "stride time far from the clip's median (a missed or spurious foot strike)"
    return strides


def step_intervals(events: Events) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Times between consecutive strikes of alternating feet, the side each step starts
    from (as Stride.step_time_s: this foot's strike to the other's), and when each ends."""
    ev = sorted((t, s) for s in SIDES for t in events.foot_strike[s])
    dt, side, end = [], [], []
    for (t0, s0), (t1, s1) in zip(ev[:-1], ev[1:]):
        if s0 != s1:
            dt.append(t1 - t0)
            side.append(s0)
            end.append(t1)
    return np.asarray(dt), np.asarray(side), np.asarray(end)


def cadence_from_steps(steps_s: np.ndarray) -> float | None:
    """Steps/min from the median of consecutive step pairs.

    Left and right steps often differ by a few ms; the median of single steps then
    jumps between the two, while a pair always spans one left and one right step.
    """
    if steps_s.size < 2:
        return None
    pairs = steps_s[:-1] + steps_s[1:]
    med = float(np.median(pairs))
    # Drop pairs that include a missed event before the median is final.
    ok = np.abs(pairs - med) < STRIDE_OUTLIER_FRAC * med
    if ok.any():
        med = float(np.median(pairs[ok]))
    return 120.0 / med if med > 0 else None


def cv_pct(x: np.ndarray) -> float | None:
    x = x[np.isfinite(x)]
    if x.size < 3 or x.mean() <= 0:
        return None
    return float(100 * x.std(ddof=1) / x.mean())


def asymmetry_pct(left: float | None, right: float | None) -> float | None:
    """Signed (L - R) / mean(L, R) x 100: + = larger on the left."""
    if left is None or right is None or left + right <= 0:
        return None
    return float(asymmetry_pct_of(np.float64(left), np.float64(right)))


def asymmetry_pct_of(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """``asymmetry_pct`` element by element (0 where the two sum to zero or less)."""
    total = left + right
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(total > 0, 100 * (left - right) / (0.5 * total), 0.0)


def values_of(strides: list[Stride], name: str, side: str | None = None) -> np.ndarray:
    """A field's values over the strides the summaries use (not left out, measured), of one foot or both."""
    return np.array([getattr(x, name) for x in strides
                     if x.excluded is None and getattr(x, name) is not None and (side is None or x.side == side)], float)


def median_of(strides: list[Stride], name: str, side: str | None = None) -> float | None:
    v = values_of(strides, name, side)
    return float(np.median(v)) if v.size else None


# Enough strides on a side for its own median to count in a both-sides summary.
MIN_SIDE_STRIDES = 3


def both_sides_median(strides: list[Stride], name: str) -> float | None:
    """The mean of the two feet's medians: each foot counts once, however many of its strides were found. A
    side view's far leg reads its foot-strike values differently from the near one, so a median over all
    strides would swing by degrees with the split of strides between the feet."""
    left, right = values_of(strides, name, "left"), values_of(strides, name, "right")
    if min(left.size, right.size) < MIN_SIDE_STRIDES:
        return median_of(strides, name)
    return 0.5 * float(np.median(left) + np.median(right))
