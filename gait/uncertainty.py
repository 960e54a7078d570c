"""Uncertainty of summary numbers: one definition, used by every stage.

Every summary metric carries a 95 % interval ``[low, high]`` (``<metric>_ci`` in the
Summary and result.json). Two parts are combined:
- sampling: a percentile bootstrap over the strides/stances the metric summarises
  (fixed seed, so the same clip always gives the same interval);
- resolution: what no number of strides removes, e.g. the video's frame interval
  for event timing, or a measurement's known systematic error. It is added in
  quadrature as a half-width.
A finding fires only when its interval clears its threshold (gait.findings).
"""
from __future__ import annotations

import math
from typing import Callable, Sequence

import numpy as np

LEVEL = 0.95
N_BOOT = 2000
SEED = 0

Interval = list[float]  # [low, high]


def bootstrap_ci(values: Sequence[float] | np.ndarray, stat: Callable[..., np.ndarray] = np.median, *,
                 level: float = LEVEL, n_boot: int = N_BOOT, seed: int = SEED) -> tuple[float, float] | None:
    """Percentile bootstrap interval of ``stat`` over ``values`` (None with fewer than 3 finite values).

    ``stat(samples, axis=1)`` reduces each resample (a row) to one number, as numpy's reductions do."""
    v = np.asarray(values, float)
    v = v[np.isfinite(v)]
    if v.size < 3:
        return None
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, v.size, size=(n_boot, v.size))
    samples = v[idx]
    boots = stat(samples, axis=1)  # one call over all resamples instead of n_boot
    a = 0.5 * (1.0 - level)
    lo, hi = np.quantile(boots, [a, 1.0 - a])
    return float(lo), float(hi)


def paired_median_bootstrap_ci(a: Sequence[float], b: Sequence[float],
                               of_medians: Callable[[np.ndarray, np.ndarray], np.ndarray], *, level: float = LEVEL,
                               n_boot: int = N_BOOT, seed: int = SEED) -> tuple[float, float] | None:
    """Bootstrap interval of a statistic of two independent samples' medians (e.g. left vs right), the
    samples resampled separately. ``of_medians`` maps the two arrays of resampled medians to the
    statistic's array (vectorised: one call instead of n_boot); non-finite values are left out."""
    x, y = np.asarray(a, float), np.asarray(b, float)
    x, y = x[np.isfinite(x)], y[np.isfinite(y)]
    if x.size < 3 or y.size < 3:
        return None
    rng = np.random.default_rng(seed)
    ix = rng.integers(0, x.size, size=(n_boot, x.size))
    iy = rng.integers(0, y.size, size=(n_boot, y.size))
    boots = np.asarray(of_medians(np.median(x[ix], axis=1), np.median(y[iy], axis=1)), float)
    q = 0.5 * (1.0 - level)
    lo, hi = np.quantile(boots[np.isfinite(boots)], [q, 1.0 - q])
    return float(lo), float(hi)


def widen(ci: tuple[float, float] | None, centre: float | None, resolution: float = 0.0) -> Interval | None:
    """``ci`` widened by a resolution half-width in quadrature, kept around ``centre``; rounded for output.

    With no sampling interval (too few values) the resolution alone is used, if any.
    """
    if centre is None or not math.isfinite(centre):
        return None
    if ci is None:
        if resolution <= 0:
            return None
        lo_h = hi_h = 0.0
    else:
        lo_h, hi_h = max(centre - ci[0], 0.0), max(ci[1] - centre, 0.0)
    lo = centre - math.hypot(lo_h, resolution)
    hi = centre + math.hypot(hi_h, resolution)
    return [round(lo, 4), round(hi, 4)]


def half_width(ci: Sequence[float] | None) -> float | None:
    """Half the interval's width (the ± shown to users)."""
    return None if ci is None else 0.5 * (ci[1] - ci[0])


def clears_above(ci: Sequence[float] | None, threshold: float) -> bool:
    """True when the whole interval lies above ``threshold`` (the value is surely above it)."""
    return ci is not None and ci[0] > threshold


def clears_below(ci: Sequence[float] | None, threshold: float) -> bool:
    return ci is not None and ci[1] < threshold


def excludes_zero(ci: Sequence[float] | None) -> bool:
    """A signed difference (left - right) is resolvable when its interval does not contain 0."""
    return ci is not None and (ci[0] > 0 or ci[1] < 0)
