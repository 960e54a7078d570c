"""Two sessions side by side: the change in each headline metric against its own uncertainty.

``compare(before, after) -> Comparison`` is pure. The change's 95 % interval combines the
two sessions' intervals by the MOVER method (Zou & Donner 2008: the difference of two
independent estimates; each bound adds the relevant half-widths in quadrature, so a
skewed interval keeps its shape). A metric is "changed" only when that interval excludes
zero. When either session has no interval for a metric the change is shown but not
judged (it is never called a change without an uncertainty to weigh it against).

Pelvic drop filmed on different days varies far more than within one clip: the 95 %
prediction interval of 2D pelvic drop between days is 9–14° (Damsted, Kinovea; in the
project's evidence notes). A drop change smaller than that is flagged: it may be the
filming (camera height, distance, clothing), not the runner.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

from gait.result import Result, Summary

# Summary fields compared, in display order, with their plain-words label and unit.
METRICS: tuple[tuple[str, str, str], ...] = (
    ("cadence_spm", "Cadence", "steps/min"),
    ("stride_length_m", "Stride length", "m"),
    ("contact_time_ms", "Contact time", "ms"),
    ("contact_time_left_ms", "Contact time, left foot", "ms"),
    ("contact_time_right_ms", "Contact time, right foot", "ms"),
    ("flight_time_ms", "Flight time", "ms"),
    ("duty_factor_pct", "Duty factor", "%"),
    ("pelvic_drop_left_deg", "Pelvic drop, left stance", "°"),
    ("pelvic_drop_right_deg", "Pelvic drop, right stance", "°"),
    ("pelvic_drop_asymmetry_deg", "Pelvic drop asymmetry, left minus right", "°"),
    ("overstride_cm", "Overstride", "cm"),
    ("overstride_leg_pct", "Overstride, % of leg length", "%"),
    ("shank_angle_deg", "Shank angle at foot strike", "°"),
    ("knee_flexion_fs_deg", "Knee flexion at foot strike", "°"),
    ("knee_flexion_midstance_deg", "Knee flexion in stance", "°"),
    ("trunk_lean_deg", "Trunk lean", "°"),
    ("vertical_oscillation_cm", "Vertical oscillation", "cm"),
)
DECIMALS = {"steps/min": 1, "m": 2, "ms": 0, "%": 1, "°": 1, "cm": 1}
BETWEEN_DAY_DROP_DEG = (9.0, 14.0)  # 95 % prediction interval of 2D pelvic drop between days
DROP_METRICS = ("pelvic_drop_left_deg", "pelvic_drop_right_deg", "pelvic_drop_asymmetry_deg")
VERDICTS = ("changed", "no change", "not judged", "not measured")


@dataclass(frozen=True)
class MetricChange:
    metric: str  # Summary field name
    label: str
    unit: str
    before: float | None
    before_ci: list[float] | None
    after: float | None
    after_ci: list[float] | None
    change: float | None  # after - before
    change_ci: list[float] | None  # 95 % interval of the change (MOVER)
    verdict: str  # one of VERDICTS
    within_between_day_error: bool = False  # a drop change smaller than the between-day error

    @property
    def decimals(self) -> int:
        return DECIMALS.get(self.unit, 2)


@dataclass(frozen=True)
class Comparison:
    before: str  # what each session is, in words (clip name and model)
    after: str
    rows: list[MetricChange]
    notes: list[str] = field(default_factory=list)

    def row(self, metric: str) -> MetricChange | None:
        return next((r for r in self.rows if r.metric == metric), None)

    @property
    def changed(self) -> list[MetricChange]:
        return [r for r in self.rows if r.verdict == "changed"]


def change_interval(a: float, a_ci: list[float] | None, b: float, b_ci: list[float] | None) -> list[float] | None:
    """95 % interval of b - a from the two sessions' own intervals (MOVER), None when either has none."""
    if not a_ci or not b_ci or len(a_ci) != 2 or len(b_ci) != 2:
        return None
    d = b - a
    low = d - math.hypot(b - b_ci[0], a_ci[1] - a)
    high = d + math.hypot(b_ci[1] - b, a - a_ci[0])
    return [low, high]


def metric_change(metric: str, label: str, unit: str, sa: Summary, sb: Summary) -> MetricChange:
    a, b = getattr(sa, metric), getattr(sb, metric)
    a_ci, b_ci = sa.ci(metric), sb.ci(metric)
    if a is None or b is None:
        return MetricChange(metric, label, unit, a, a_ci, b, b_ci, None, None, "not measured")
    ci = change_interval(a, a_ci, b, b_ci)
    if ci is None:
        verdict = "not judged"
    else:
        verdict = "changed" if ci[0] > 0 or ci[1] < 0 else "no change"
    small = metric in DROP_METRICS and verdict == "changed" and abs(b - a) < BETWEEN_DAY_DROP_DEG[0]
    return MetricChange(metric, label, unit, a, a_ci, b, b_ci, b - a, ci, verdict, small)


def describe(r: Result) -> str:
    name = r.video.name or "clip"
    return f"{name} ({(r.view or 'unknown view').replace('_', ' ')}, model {r.model})"


def session_notes(rows: list[MetricChange], a: Result, b: Result) -> list[str]:
    notes = []
    if any(r.within_between_day_error for r in rows):
        lo, hi = BETWEEN_DAY_DROP_DEG
        notes.append(f"Pelvic drop measured from 2D video varies between days by up to {lo:g}–{hi:g}° "
                     "(95 % prediction interval, Damsted et al.): a drop change smaller than that may come from "
                     "the filming (camera height, distance, clothing), not the runner, even when it exceeds the "
                     "within-clip uncertainty.")
    if any(r.verdict == "not judged" for r in rows):
        notes.append("Metrics marked 'not judged' have no uncertainty in one of the sessions (an older result or "
                     "too few strides), so their change is shown but not called a change.")
    if a.view and b.view and a.view != b.view:
        notes.append(f"The two sessions were filmed from different views ({a.view.replace('_', ' ')} and "
                     f"{b.view.replace('_', ' ')}): only metrics both views measure are compared.")
    if a.model != b.model:
        notes.append(f"The two sessions used different pose models ({a.model} and {b.model}); part of a change "
                     "may come from the model.")
    return notes


def compare(before: Result, after: Result) -> Comparison:
    rows = [metric_change(m, label, unit, before.summary, after.summary) for m, label, unit in METRICS]
    rows = [r for r in rows if r.before is not None or r.after is not None]
    return Comparison(describe(before), describe(after), rows, session_notes(rows, before, after))


__all__ = ["Comparison", "MetricChange", "METRICS", "change_interval", "compare"]
