"""Typed gait rules and mechanisms, parsed from knowledge/findings.yaml and mechanisms.yaml.

One dataclass per rule kind (flag, rhythm, per_side, above_any, cadence_for_speed); all
share a ``RuleText`` with the words, evidence grade and sources. Read-only.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Union

BAND_ORDER = ("mild", "moderate", "marked")


def strs(value: Any) -> tuple[str, ...]:
    """A YAML list (or None) as a tuple of strings."""
    return tuple(str(v) for v in (value or ()))


def pair(value: Any) -> tuple[float, float]:
    lo, hi = value
    return float(lo), float(hi)


@dataclass(frozen=True)
class Band:
    severity: str  # "mild" | "moderate" | "marked"
    edge: float  # the band starts strictly above this value


def parse_bands(d: dict[str, Any]) -> tuple[Band, ...]:
    return tuple(Band(name, float(d[name])) for name in BAND_ORDER if name in d)


@dataclass(frozen=True)
class Resolution:
    """How far to widen a point value that has no interval (see findings.yaml ``gating``)."""

    half_width: float | None = None  # in the metric's own unit
    frames: float | None = None  # this many frame intervals
    relative_to: str | None = None  # ... as a percentage of this Summary metric

    @classmethod
    def parse(cls, d: dict[str, Any] | None) -> "Resolution | None":
        if not d:
            return None
        return cls(half_width=d.get("half_width"), frames=d.get("frames"), relative_to=d.get("relative_to"))

    def words(self) -> str:
        if self.half_width is not None:
            return f"{self.half_width:g}"
        return f"{self.frames:g}" if self.frames is not None else "no"


@dataclass(frozen=True)
class Check:
    metric: str
    unit: str
    bands: tuple[Band, ...]
    signed: bool = False  # a signed left-right difference (+ = left)
    only_if_missing: str | None = None  # judged only when this better-normalised metric is None
    resolution: Resolution | None = None

    @classmethod
    def parse(cls, d: dict[str, Any], *, unit: str = "", bands: dict | None = None,
              resolution: dict | None = None) -> "Check":
        return cls(metric=d["metric"], unit=d.get("unit", unit), bands=parse_bands(d.get("bands", bands or {})),
                   signed=bool(d.get("signed", False)), only_if_missing=d.get("only_if_missing"),
                   resolution=Resolution.parse(d.get("no_interval", resolution)))


@dataclass(frozen=True)
class RuleText:
    id: str
    label: str
    title: str
    evidence: str  # "evidence-based" | "heuristic"
    threshold_basis: str
    explanation: str
    sources: tuple[str, ...]
    threshold_sources: tuple[str, ...] = ()
    needs: str = "more data"
    mechanism: str | None = None
    title_both: str | None = None
    title_unresolved: str | None = None
    explanation_both: str | None = None
    explanation_unresolved: str | None = None
    band_words: tuple[tuple[str, str], ...] = ()

    @classmethod
    def parse(cls, d: dict[str, Any]) -> "RuleText":
        return cls(id=d["id"], label=d.get("label", d["id"]), title=d["title"].strip(), evidence=d["evidence"],
                   threshold_basis=d["threshold_basis"].strip(), explanation=d["explanation"].strip(),
                   sources=strs(d.get("sources")), threshold_sources=strs(d.get("threshold_sources")),
                   needs=d.get("needs", "more data"), mechanism=d.get("mechanism"),
                   title_both=_stripped(d.get("title_both")), title_unresolved=_stripped(d.get("title_unresolved")),
                   explanation_both=_stripped(d.get("explanation_both")),
                   explanation_unresolved=_stripped(d.get("explanation_unresolved")),
                   band_words=tuple((k, str(v)) for k, v in (d.get("band_words") or {}).items()))

    def band_word(self, severity: str) -> str:
        return dict(self.band_words).get(severity, severity)


def _stripped(text: str | None) -> str | None:
    return None if text is None else " ".join(str(text).split())


@dataclass(frozen=True)
class FlagRule:
    text: RuleText
    metric: str
    severity: str
    skips_running_rules: bool = False


@dataclass(frozen=True)
class RhythmRule:
    text: RuleText
    slow_motion_metric: str
    metric: str  # cadence
    plausible_spm: tuple[float, float]
    severity: str


@dataclass(frozen=True)
class PerSideRule:
    text: RuleText
    left: Check
    right: Check
    difference_metric: str  # left - right
    spread_metrics: tuple[str, ...] = ()
    cadence_cue_from: str | None = None  # lowest severity that may trigger the cadence cue


@dataclass(frozen=True)
class AboveAnyRule:
    text: RuleText
    checks: tuple[Check, ...]
    context_metrics: tuple[str, ...] = ()
    timing: bool = False  # absolute time: not judged when the rhythm is implausible


@dataclass(frozen=True)
class CadenceRule:
    text: RuleText
    check: Check  # bands in % below the speed norm; resolution in steps/min
    speed_metric: str
    norm_points: tuple[tuple[float, float], tuple[float, float]]
    speed_clamp_mps: tuple[float, float]
    floor_without_speed_spm: float
    timing: bool = True


Rule = Union[FlagRule, RhythmRule, PerSideRule, AboveAnyRule, CadenceRule]


def parse_rule(d: dict[str, Any]) -> Rule:
    text = RuleText.parse(d)
    kind = d["kind"]
    if kind == "flag":
        return FlagRule(text, d["metric"], d["severity"], bool(d.get("skips_running_rules", False)))
    if kind == "rhythm":
        return RhythmRule(text, d["slow_motion_metric"], d["metric"], pair(d["plausible_spm"]), d["severity"])
    if kind == "per_side":
        side = {s: Check.parse({"metric": m}, unit=d["unit"], bands=d["bands"], resolution=d.get("no_interval"))
                for s, m in d["metrics"].items()}
        return PerSideRule(text, side["left"], side["right"], d["difference_metric"],
                           strs((d.get("spread_metrics") or {}).values()), d.get("cadence_cue_from"))
    if kind == "above_any":
        return AboveAnyRule(text, tuple(Check.parse(c) for c in d["checks"]), strs(d.get("context_metrics")),
                            bool(d.get("timing", False)))
    if kind == "cadence_for_speed":
        check = Check.parse({"metric": d["metric"]}, unit="%", bands=d["bands"], resolution=d.get("no_interval"))
        (v0, c0), (v1, c1) = d["norm_points"]
        return CadenceRule(text, check, d["speed_metric"], ((float(v0), float(c0)), (float(v1), float(c1))),
                           pair(d["speed_clamp_mps"]), float(d["floor_without_speed_spm"]), bool(d.get("timing", True)))
    raise ValueError(f"findings.yaml: rule {d.get('id')!r} has unknown kind {kind!r}")


def rule_metrics(rule: Rule) -> tuple[str, ...]:
    """The Summary fields a rule judges (not its context fields)."""
    if isinstance(rule, PerSideRule):
        return rule.left.metric, rule.right.metric
    if isinstance(rule, AboveAnyRule):
        return tuple(c.metric for c in rule.checks)
    if isinstance(rule, CadenceRule):
        return (rule.check.metric,)
    return (rule.metric,)


@dataclass(frozen=True)
class Mechanism:
    id: str
    grade: str  # how sure, in a few words
    chain: tuple[str, ...]
    certainty: str
    conditions: tuple[str, ...]
    sources: tuple[str, ...]

    @classmethod
    def parse(cls, d: dict[str, Any]) -> "Mechanism":
        return cls(d["id"], d["grade"], strs(d["chain"]), " ".join(d["certainty"].split()),
                   strs(d.get("conditions")), strs(d["sources"]))


@dataclass(frozen=True)
class PelvicDropError:
    """95% prediction interval of a repeat 2D pelvic-drop measurement (deg)."""

    same_day_deg: tuple[float, float]
    between_day_deg: tuple[float, float]
    sources: tuple[str, ...]


@dataclass(frozen=True)
class NothingNotable:
    id: str
    title: str
    severity: str
    evidence: str
    threshold_basis: str
    explanation: str
    sources: tuple[str, ...]
