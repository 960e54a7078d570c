"""The whole knowledge base as one typed, read-only object: ``knowledge()``.

Parsed once from knowledge/*.yaml (cached; every part is a frozen dataclass or a tuple).
Lookups by id raise KeyError for an unknown id; check_citations() finds those in tests.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, TypeVar

from . import catalog
from .kb_plans import (
    CadenceCue,
    Condition,
    Education,
    Exercise,
    Feedback,
    FormCue,
    Interim,
    LoadAdvice,
    Plan,
    RedFlag,
    Retest,
    ReturnToRun,
    RunningChanges,
    SideLabels,
    Urgency,
    parse_exercise,
    parse_interventions,
    parse_triage,
)
from .kb_rules import (
    CadenceRule,
    Mechanism,
    NothingNotable,
    PelvicDropError,
    Rule,
    pair,
    parse_rule,
    strs,
)

T = TypeVar("T")


def _by_id(items: Iterable[T], wanted: str, what: str) -> T:
    for item in items:
        if getattr(item, "id", getattr(item, "finding_id", None)) == wanted or \
                getattr(getattr(item, "text", None), "id", None) == wanted:
            return item
    raise KeyError(f"unknown {what} {wanted!r}")


@dataclass(frozen=True)
class Knowledge:
    gating_statement: str
    gating_sources: tuple[str, ...]
    metric_labels: tuple[tuple[str, str], ...]
    pelvic_drop_error: PelvicDropError
    rules: tuple[Rule, ...]
    nothing_notable: NothingNotable
    mechanisms: tuple[Mechanism, ...]
    conditions: tuple[Condition, ...]
    urgencies: tuple[Urgency, ...]  # most urgent first
    interim: tuple[Interim, ...]
    red_flags: tuple[RedFlag, ...]
    exercises: tuple[Exercise, ...]
    plans: tuple[Plan, ...]
    plan_priority: tuple[str, ...]
    drop_findings: tuple[str, ...]
    side_labels: SideLabels
    education: tuple[Education, ...]
    return_to_run: ReturnToRun
    dose_basis: str
    dose_sources: tuple[str, ...]
    side_rule_sources: tuple[str, ...]
    cadence_cue: CadenceCue
    feedback: Feedback
    form_cues: tuple[FormCue, ...]
    load: LoadAdvice
    retest: Retest
    running_changes: RunningChanges

    def label(self, metric: str) -> str:
        """A judged measurement in words (falls back to the field name in plain words)."""
        return dict(self.metric_labels).get(metric, metric.replace("_", " "))

    def rule(self, rule_id: str) -> Rule:
        return _by_id(self.rules, rule_id, "rule")

    def cadence_rule(self) -> CadenceRule:
        return next(r for r in self.rules if isinstance(r, CadenceRule))

    def mechanism(self, mech_id: str) -> Mechanism:
        return _by_id(self.mechanisms, mech_id, "mechanism")

    def condition(self, cond_id: str) -> Condition:
        return _by_id(self.conditions, cond_id, "condition")

    def plan(self, plan_id: str) -> Plan:
        return _by_id(self.plans, plan_id, "plan")

    def exercise(self, ex_id: str) -> Exercise:
        return _by_id(self.exercises, ex_id, "exercise")

    def urgency(self, urgency_id: str) -> Urgency:
        return _by_id(self.urgencies, urgency_id, "urgency")

    def interim_advice(self, interim_id: str) -> Interim:
        return _by_id(self.interim, interim_id, "interim advice")

    def education_item(self, edu_id: str) -> Education:
        return _by_id(self.education, edu_id, "education")

    def form_cue(self, finding_id: str) -> FormCue | None:
        return next((c for c in self.form_cues if c.finding_id == finding_id), None)


@lru_cache(maxsize=None)
def knowledge() -> Knowledge:
    f, p = catalog.load("findings"), catalog.load("plans")
    err = f["pelvic_drop_error"]
    nn = f["nothing_notable"]
    urgencies, interim, flags = parse_triage(catalog.load("triage"))
    cue, feedback, cues, load, retest, changes = parse_interventions(catalog.load("interventions"))
    rr = p["return_to_run"]
    return Knowledge(
        gating_statement=" ".join(f["gating"]["statement"].split()), gating_sources=strs(f["gating"]["sources"]),
        metric_labels=tuple((k, str(v)) for k, v in f["metric_labels"].items()),
        pelvic_drop_error=PelvicDropError(pair(err["same_day_deg"]), pair(err["between_day_deg"]),
                                          strs(err["sources"])),
        rules=tuple(parse_rule(r) for r in f["rules"]),
        nothing_notable=NothingNotable(nn["id"], nn["title"], nn["severity"], nn["evidence"],
                                       " ".join(nn["threshold_basis"].split()), " ".join(nn["explanation"].split()),
                                       strs(nn["sources"])),
        mechanisms=tuple(Mechanism.parse(m) for m in catalog.load("mechanisms")["mechanisms"]),
        conditions=tuple(Condition.parse(c) for c in catalog.load("conditions")["conditions"]),
        urgencies=urgencies, interim=interim, red_flags=flags,
        exercises=tuple(parse_exercise(e) for e in catalog.load("exercises")["exercises"]),
        plans=tuple(Plan.parse(x) for x in p["plans"]), plan_priority=strs(p["priority"]),
        drop_findings=strs(p["drop_findings"]),
        side_labels=SideLabels(p["side_labels"]["pain"], p["side_labels"]["drop"], p["side_labels"]["none"],
                               " ".join(p["other_side_note"].split())),
        education=tuple(Education(e["id"], e["title"], " ".join(e["detail"].split()), strs(e["sources"]))
                        for e in p["education"]),
        return_to_run=ReturnToRun(rr["name"], " ".join(rr["detail"].split()), " ".join(rr["progress_when"].split()),
                                  strs(rr["sources"])),
        dose_basis=" ".join(p["dose_basis"].split()), dose_sources=strs(p["dose_sources"]),
        side_rule_sources=strs(p["side_rule_sources"]),
        cadence_cue=cue, feedback=feedback, form_cues=cues, load=load, retest=retest, running_changes=changes,
    )
