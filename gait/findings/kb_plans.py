"""Typed conditions, triage, exercises, plans and running changes (knowledge/*.yaml). Read-only."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .kb_rules import pair, strs


def _text(value: Any) -> str:
    return " ".join(str(value or "").split())


def _weeks(value: Any) -> tuple[int, int]:
    lo, hi = value
    return int(lo), int(hi)


@dataclass(frozen=True)
class ConditionMatch:
    locations: tuple[str, ...]
    requires: tuple[str, ...] = ()  # yes/no answers that must all be yes
    groups: tuple[tuple[str, tuple[str, ...]], ...] = ()  # supporting groups, e.g. ("timings", (...))
    gait_findings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Condition:
    id: str
    name: str
    pattern: str
    certainty: str
    plan: str
    match: ConditionMatch
    sources: tuple[str, ...]
    mechanism: str | None = None

    @classmethod
    def parse(cls, d: dict[str, Any]) -> "Condition":
        m = d["match"]
        groups = tuple((g, strs(v)) for g, v in m.items() if g not in ("locations", "requires", "gait_findings"))
        match = ConditionMatch(strs(m["locations"]), strs(m.get("requires")), groups, strs(m.get("gait_findings")))
        return cls(d["id"], d["name"], _text(d["pattern"]), _text(d["certainty"]), d["plan"], match,
                   strs(d["sources"]), d.get("mechanism"))


@dataclass(frozen=True)
class Urgency:
    id: str
    title: str
    detail: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Interim:
    id: str
    text: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class RedFlag:
    id: str
    label: str
    field: str  # Symptoms field
    urgency: str
    interim: tuple[str, ...]
    reason: str
    sources: tuple[str, ...]
    any_of: tuple[str, ...] = ()
    is_true: bool = False
    at_least: float | None = None

    @classmethod
    def parse(cls, d: dict[str, Any]) -> "RedFlag":
        label = d["label"].format(at_least=f"{d['at_least']:g}") if "at_least" in d else d["label"]
        return cls(d["id"], label, d["field"], d["urgency"], strs(d["interim"]), _text(d["reason"]),
                   strs(d["sources"]), strs(d.get("any_of")), bool(d.get("is_true", False)), d.get("at_least"))


@dataclass(frozen=True)
class Exercise:
    id: str
    name: str
    dose: str
    cue: str
    tags: tuple[str, ...]
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Phase:
    id: str  # rest | activation | strengthening | functional | maintenance
    kind: str  # rest | strength
    name: str
    weeks: tuple[int, int]
    frequency: str
    exercises: tuple[str, ...]
    excludes: tuple[str, ...]
    progress_when: str
    sources: tuple[str, ...]
    detail: str = ""

    @classmethod
    def parse(cls, d: dict[str, Any]) -> "Phase":
        return cls(d["id"], d["kind"], d["name"], _weeks(d["weeks"]), d["frequency"], strs(d["exercises"]),
                   strs(d.get("excludes")), _text(d["progress_when"]), strs(d["sources"]), _text(d.get("detail")))


@dataclass(frozen=True)
class Referral:
    urgency: str
    title: str
    detail: str
    interim: tuple[str, ...]
    sources: tuple[str, ...]


@dataclass(frozen=True)
class SideRules:
    pain: str  # a painful side is known: it leads and sets the dose
    drop: str  # no painful side, but a resolvable pelvic-drop difference
    none: str  # neither: both sides equally


@dataclass(frozen=True)
class Plan:
    id: str
    title: str
    rehab: bool
    movement_feedback: bool
    running_changes_from_week: int
    side_rules: SideRules
    phases: tuple[Phase, ...]
    sources: tuple[str, ...]
    education: tuple[str, ...] = ()
    return_to_run_from_week: int | None = None
    load_note: str = ""
    load_sources: tuple[str, ...] = ()
    referral: Referral | None = None

    @classmethod
    def parse(cls, d: dict[str, Any]) -> "Plan":
        r = d.get("referral")
        referral = (Referral(r["urgency"], r["title"], _text(r["detail"]), strs(r["interim"]), strs(r["sources"]))
                    if r else None)
        rules = d["side_rules"]
        return cls(d["id"], d["title"], bool(d["rehab"]), bool(d["movement_feedback"]),
                   int(d["running_changes_from_week"]),
                   SideRules(_text(rules["pain"]), _text(rules["drop"]), _text(rules["none"])),
                   tuple(Phase.parse(p) for p in d["phases"]), strs(d["sources"]), strs(d.get("education")),
                   d.get("return_to_run_from_week"), _text(d.get("load_note")), strs(d.get("load_sources")),
                   referral)


@dataclass(frozen=True)
class Education:
    id: str
    title: str
    detail: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class ReturnToRun:
    name: str
    detail: str
    progress_when: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class CadenceCue:
    triggers: tuple[str, ...]
    start_pct: float
    progress_pct: float
    first_weeks: tuple[int, int]
    cap_without_speed_mps: float
    title: str
    detail: str
    then: str
    cap_note: str
    dose: str
    dose_then: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Feedback:
    sessions: int
    title: str
    detail: str
    cue_one_side: str
    cue_both: str
    dose: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class FormCue:
    finding_id: str
    running_change: bool
    title: str
    detail: str
    sources: tuple[str, ...]
    covered_by_cadence: bool = False


@dataclass(frozen=True)
class LoadAdvice:
    tolerable_pain: tuple[float, float]
    settle_hours: float
    title: str
    general_title: str
    detail: str
    changes: str
    above_tolerable: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Retest:
    weeks: tuple[int, int]
    title: str
    title_pain_free: str
    detail: str
    detail_pain_free: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class RunningChanges:
    order: tuple[str, ...]
    weeks_between: int
    note: str
    sources: tuple[str, ...]


def parse_interventions(d: dict[str, Any]) -> tuple[CadenceCue, Feedback, tuple[FormCue, ...], LoadAdvice,
                                                   Retest, RunningChanges]:
    c, f, lm, rt, rc = (d["cadence_cue"], d["movement_feedback"], d["load_management"], d["retest"],
                        d["running_changes"])
    cue = CadenceCue(strs(c["triggers"]), float(c["start_pct"]), float(c["progress_pct"]), _weeks(c["first_weeks"]),
                     float(c["cap_without_speed_mps"]), c["title"], _text(c["detail"]), _text(c["then"]) + " ",
                     _text(c["cap_note"]), c["dose"], c["dose_then"], strs(c["sources"]))
    feedback = Feedback(int(f["sessions"]), f["title"], _text(f["detail"]), f["cue_one_side"], f["cue_both"],
                        f["dose"], strs(f["sources"]))
    cues = tuple(FormCue(fid, bool(v["running_change"]), v["title"], _text(v["detail"]), strs(v["sources"]),
                         bool(v.get("covered_by_cadence", False))) for fid, v in d["form_cues"].items())
    load = LoadAdvice(pair(lm["tolerable_pain"]), float(lm["settle_hours"]), lm["title"], lm["general_title"],
                      _text(lm["detail"]), _text(lm["changes"]), _text(lm["above_tolerable"]), strs(lm["sources"]))
    retest = Retest(_weeks(rt["weeks"]), rt["title"], rt["title_pain_free"], _text(rt["detail"]),
                    _text(rt["detail_pain_free"]), strs(rt["sources"]))
    changes = RunningChanges(strs(rc["order"]), int(rc["weeks_between"]), _text(rc["note"]), strs(rc["sources"]))
    return cue, feedback, cues, load, retest, changes


def parse_triage(d: dict[str, Any]) -> tuple[tuple[Urgency, ...], tuple[Interim, ...], tuple[RedFlag, ...]]:
    urgencies = tuple(Urgency(u["id"], u["title"], _text(u["detail"]), strs(u["sources"])) for u in d["urgencies"])
    interim = tuple(Interim(i["id"], _text(i["text"]), strs(i["sources"])) for i in d["interim"])
    return urgencies, interim, tuple(RedFlag.parse(f) for f in d["red_flags"])


def parse_exercise(d: dict[str, Any]) -> Exercise:
    return Exercise(d["id"], d["name"], d["dose"], _text(d["cue"]), strs(d.get("tags")), strs(d["sources"]))


@dataclass(frozen=True)
class SideLabels:
    pain: str
    drop: str
    none: str
    other_side_note: str

