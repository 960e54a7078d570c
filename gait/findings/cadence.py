"""Cadence against the speed-based norm: the finding's test, the cue's cap and its targets."""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from gait.result import Summary
from gait.uncertainty import clears_below

from .gating import band_cleared, check_reading, metric_value
from .kb import knowledge
from .kb_rules import CadenceRule


def expected_cadence_spm(speed_mps: float, rule: CadenceRule | None = None) -> float:
    """Recreational cadence norm for a running speed (linear through evidence.md's points)."""
    rule = rule or knowledge().cadence_rule()
    (v0, c0), (v1, c1) = rule.norm_points
    lo, hi = rule.speed_clamp_mps
    v = min(max(speed_mps, lo), hi)
    return c0 + (c1 - c0) * (v - v0) / (v1 - v0)


def norm_words(rule: CadenceRule) -> str:
    (v0, c0), (v1, c1) = rule.norm_points
    lo, hi = rule.speed_clamp_mps
    return (f"about {c0:g} steps/min at {v0:g} m/s rising to about {c1:g} at {v1:g} m/s (a straight line, "
            f"with the speed held within {lo:g}-{hi:g} m/s)")


def eval_cadence_for_speed(rule: CadenceRule, s: Summary) -> list[dict[str, Any]]:
    """Keyword arguments for the cadence finding (make_finding), or [] when it does not fire.

    With a speed: the percentage below the norm, judged on the cadence interval's upper end
    (the whole interval must be below the norm by more than the band). Without a speed: the
    whole interval must lie below the floor, and it is at most mild.
    """
    r = check_reading(s, rule.check)
    if r is None or r.interval is None:
        return []
    speed = metric_value(s, rule.speed_metric)
    if speed is not None and not isinstance(speed, bool) and speed > 0:
        expected = expected_cadence_spm(speed, rule)
        below_least = (expected - r.interval[1]) / expected * 100.0
        band = band_cleared(below_least, rule.check.bands)
        if band is None:
            return []
        below = (expected - r.value) / expected * 100.0
        values = {"cadence_spm": r.value, "speed_mps": speed, "expected_cadence_spm": round(expected, 1),
                  "below_expected_pct": round(below, 1)}
        edges = ", ".join(f"{b.edge:g}% ({b.severity})" for b in rule.check.bands)
        threshold = (f"cadence {r.words('steps/min')} against the recreational norm of {expected:.0f} steps/min at "
                     f"{speed:.2f} m/s; fires when the whole interval is more than this far below the norm: {edges}")
        return [dict(severity=band.severity, side=None, values=values, threshold=threshold)]
    if not clears_below(r.interval, rule.floor_without_speed_spm):
        return []
    threshold = (f"speed not known: cadence {r.words('steps/min')}; only a whole interval below "
                 f"{rule.floor_without_speed_spm:g} steps/min is flagged, and only as mild")
    return [dict(severity="mild", side=None, values={"cadence_spm": r.value}, threshold=threshold)]


@dataclass(frozen=True)
class CadenceCap:
    spm: float  # the recreational norm the targets may not pass
    at_speed: str  # in words: "at 3.00 m/s" / "at 2.7 m/s, the slowest speed the norm data give"


def cadence_cap(summary: Summary) -> CadenceCap:
    speed = metric_value(summary, "speed_mps")
    if speed is not None and not isinstance(speed, bool) and speed > 0:
        return CadenceCap(expected_cadence_spm(speed), f"at {speed:.2f} m/s")
    v = knowledge().cadence_cue.cap_without_speed_mps
    return CadenceCap(expected_cadence_spm(v), f"at {v:g} m/s (no speed was given, so the slowest speed of the norm)")


def cadence_targets(cadence_spm: float, cap_spm: float) -> tuple[int, ...]:
    """Whole-number targets: +start% then +progress% of the measured cadence, never above the cap.

    Empty when the cadence is already at or above the cap; one target when both steps
    would reach it.
    """
    cue = knowledge().cadence_cue
    ceiling = math.floor(cap_spm)
    wanted = (round(cadence_spm * (1 + cue.start_pct / 100.0)), round(cadence_spm * (1 + cue.progress_pct / 100.0)))
    out: list[int] = []
    for t in wanted:
        t = min(t, ceiling)
        if t > cadence_spm and t not in out:
            out.append(t)
    return tuple(out)


def cadence_room(summary: Summary, cap: CadenceCap) -> bool:
    """True when the cadence is clearly below the cap (its whole interval, or widened point value)."""
    r = check_reading(summary, knowledge().cadence_rule().check)
    return r is not None and r.interval is not None and clears_below(r.interval, cap.spm)
