"""Uncertainty gating: each judged value with its 95% interval, and the rule that uses it.

The rule (stated in knowledge/findings.yaml ``gating``): a finding fires only when the
whole interval clears the threshold; a signed left-right difference only when its whole
interval lies beyond the threshold on one side of zero; side-specific advice only when the
difference's interval excludes zero. A value without an interval is widened by its stated
resolution; with none it is not judged (``Reading.interval`` is None).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from gait.result import Summary
from gait.uncertainty import clears_above, excludes_zero

from .kb_rules import Band, Check, Resolution
from .text import num

DIFFERENCE_SIDES = {"pelvic_drop_asymmetry_deg": ("pelvic_drop_left_deg", "pelvic_drop_right_deg")}


def finite(x: Any) -> bool:
    try:
        return x is not None and not isinstance(x, bool) and math.isfinite(float(x))
    except (TypeError, ValueError):
        return False


def metric_value(summary: Summary, name: str) -> float | bool | None:
    """A Summary value, with NaN/inf treated as not measured.

    ``pelvic_drop_asymmetry_deg`` (left - right) is derived from the two sides when the
    pipeline left it empty but measured both sides.
    """
    value = getattr(summary, name, None)
    if value is None and name in DIFFERENCE_SIDES:
        left, right = (getattr(summary, m, None) for m in DIFFERENCE_SIDES[name])
        if finite(left) and finite(right):
            value = round(float(left) - float(right), 3)
    if value is None or isinstance(value, bool):
        return value
    return float(value) if finite(value) else None


def summary_interval(summary: Summary, name: str) -> tuple[float, float] | None:
    """The Summary's own 95% interval for a metric, if it is a usable [low, high]."""
    ci = summary.ci(name)
    if ci is not None and len(ci) == 2 and all(finite(v) for v in ci) and float(ci[0]) <= float(ci[1]):
        return float(ci[0]), float(ci[1])
    if name in DIFFERENCE_SIDES and getattr(summary, name, None) is None:
        return _difference_interval(summary, name)
    return None


def _difference_interval(summary: Summary, name: str) -> tuple[float, float] | None:
    """left - right from two independent per-side intervals (half-widths in quadrature)."""
    left, right = (summary_interval(summary, m) for m in DIFFERENCE_SIDES[name])
    centre = metric_value(summary, name)
    if left is None or right is None or centre is None:
        return None
    h = math.hypot((left[1] - left[0]) / 2, (right[1] - right[0]) / 2)
    return centre - h, centre + h


def resolution_half_width(summary: Summary, res: Resolution | None) -> float | None:
    """The stated resolution as a half-width in the metric's unit; None when it cannot be had."""
    if res is None:
        return None
    if res.half_width is not None:
        return float(res.half_width)
    if res.frames is None or not finite(summary.frame_interval_ms):
        return None
    h = float(res.frames) * float(summary.frame_interval_ms)
    if res.relative_to is None:
        return h
    ref = metric_value(summary, res.relative_to)
    if not finite(ref) or float(ref) <= 0:
        return None
    ref_ms = float(ref) * (1000.0 if res.relative_to.endswith("_s") else 1.0)
    return h / ref_ms * 100.0


@dataclass(frozen=True)
class Reading:
    """One judged value. ``interval`` None = measured but not judged (no uncertainty known)."""

    metric: str
    value: float
    interval: tuple[float, float] | None
    from_resolution: bool = False  # the interval is the point value widened by the stated resolution

    def words(self, unit: str) -> str:
        """'9.8 deg (95% interval 9.1 to 10.5)'."""
        u = f" {unit}" if unit and unit != "%" else unit
        if self.interval is None:
            return f"{num(self.value)}{u} (no interval)"
        how = "point value widened by the stated resolution" if self.from_resolution else "95% interval"
        return f"{num(self.value)}{u} ({how} {num(self.interval[0])} to {num(self.interval[1])})"


def reading(summary: Summary, metric: str, resolution: Resolution | None) -> Reading | None:
    """The value and interval of a metric; None when it was not measured."""
    value = metric_value(summary, metric)
    if value is None or isinstance(value, bool):
        return None
    ci = summary_interval(summary, metric)
    if ci is not None:
        return Reading(metric, value, ci)
    h = resolution_half_width(summary, resolution)
    if h is None:
        return Reading(metric, value, None)
    return Reading(metric, value, (value - h, value + h), from_resolution=True)


def check_reading(summary: Summary, check: Check) -> Reading | None:
    return reading(summary, check.metric, check.resolution)


def band_cleared(low_end: float, bands: tuple[Band, ...]) -> Band | None:
    """The highest band whose edge the interval's low end lies strictly above."""
    hit = None
    for band in bands:
        if clears_above((low_end, math.inf), band.edge):
            hit = band
    return hit


def grade(r: Reading | None, bands: tuple[Band, ...], signed: bool = False) -> tuple[Band | None, str | None]:
    """(band the whole interval clears, side for a signed difference: 'left' for +, 'right' for -)."""
    if r is None or r.interval is None:
        return None, None
    lo, hi = r.interval
    if not signed:
        return band_cleared(lo, bands), None
    if lo > 0:
        return band_cleared(lo, bands), "left"
    if hi < 0:
        return band_cleared(-hi, bands), "right"
    return None, None


def side_resolved(r: Reading | None) -> str | None:
    """'left'/'right' when a signed difference's interval excludes zero; else None."""
    if r is None or r.interval is None or not excludes_zero(r.interval):
        return None
    return "left" if r.interval[0] > 0 else "right"
