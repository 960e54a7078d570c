"""Findings and the plan as the page shows them, and the 1-3 actions that open the page.

Cadence targets and the norm they stop at come from the findings engine
(gait.findings.cadence), the same functions the plan was made with.
"""
from __future__ import annotations

from dataclasses import dataclass

from gait.findings.cadence import cadence_cap, cadence_targets
from gait.result import Finding, Recommendation, Result

from .numbers import label_of, number, sentence_case, unit_of

SEVERITY_WORDS = {"info": "note", "mild": "mild", "moderate": "moderate", "marked": "marked"}
KIND_WORDS = {"see_clinician": "see a clinician", "rest": "rest", "education": "understand it", "strength": "strength",
              "return_to_run": "return to running", "cadence": "cadence", "form": "running form", "load": "load",
              "retest": "film again"}
URGENCY_WORDS = {"today": "today", "this_week": "this week", "if_not_better": "if it is not getting better"}
SIDE_WORDS = {"left": "left side", "right": "right side", "both": "both sides"}
MAX_ACTIONS = 3


def source_text(src: dict) -> str:
    if src.get("citation"):
        return src["citation"]
    return " — ".join(x for x in (src.get("title"), src.get("publisher")) if x) or src.get("id", "")


@dataclass(frozen=True)
class FindingView:
    id: str
    title: str
    severity: str  # css class
    severity_text: str
    side_text: str
    explanation: str
    chain: tuple[str, ...]
    rule: str
    evidence: str
    values: tuple[str, ...]  # "Pelvic drop during left-foot stance: 9.5°"
    sources: tuple[str, ...]


def value_text(name: str, value) -> str:
    if isinstance(value, bool):
        return f"{sentence_case(label_of(name))}: {'yes' if value else 'no'}"
    if isinstance(value, (int, float)):
        return f"{sentence_case(label_of(name))}: {number(value, unit_of(name)).full}"
    return f"{sentence_case(label_of(name))}: {value}"


def finding_view(f: Finding) -> FindingView:
    return FindingView(f.id, f.title, f.severity, SEVERITY_WORDS.get(f.severity, f.severity),
                       SIDE_WORDS.get(f.side or "", ""), f.explanation, tuple(f.mechanism), f.threshold, f.evidence,
                       tuple(value_text(k, v) for k, v in f.values.items()), tuple(source_text(s) for s in f.sources))


@dataclass(frozen=True)
class Metronome:
    spm: int
    file: str

    @property
    def label(self) -> str:
        return f"Metronome at {self.spm} beats per minute (60 s, loops)"


@dataclass(frozen=True)
class CadencePlan:
    measured_spm: float
    targets: tuple[int, ...]
    norm_spm: float
    at_speed: str  # "at 4.18 m/s"
    metronomes: tuple[Metronome, ...]

    @property
    def text(self) -> str:
        steps = " then ".join(str(t) for t in self.targets)
        over = [t for t in self.targets if t > self.norm_spm]
        why = (f" {over[0]} is above that norm: the plan asks for it, so read its detail before you use it."
               if over else "")
        return (f"From {self.measured_spm:.0f} steps/min to {steps} steps/min. The targets stop at the norm for "
                f"your speed: recreational runners average about {self.norm_spm:.0f} steps/min {self.at_speed}.{why}")


def metronome_file(spm: int) -> str:
    return f"metronome_{spm}spm.flac"


def cadence_plan(r: Result, rec: Recommendation) -> CadencePlan | None:
    """The targets of a cadence cue: the engine's capped steps (the recommendation's own first target leads)."""
    measured = r.summary.cadence_spm
    if rec.target_spm is None or measured is None:
        return None
    cap = cadence_cap(r.summary)
    targets = cadence_targets(measured, cap.spm)
    first = round(rec.target_spm)
    steps = targets if targets and targets[0] == first else (first,)  # a plan from elsewhere: its own target only
    return CadencePlan(measured, steps, cap.spm, cap.at_speed, tuple(Metronome(t, metronome_file(t)) for t in steps))


@dataclass(frozen=True)
class PlanItem:
    id: str
    anchor: str
    kind: str  # css class
    kind_text: str
    title: str
    side_text: str
    when_text: str  # "now", "from week 4", "today"
    phase_text: str
    dose: str
    detail: str
    because: tuple[str, ...]
    sources: tuple[str, ...]
    cadence: CadencePlan | None


def _when(rec: Recommendation) -> str:
    if rec.urgency:
        return URGENCY_WORDS.get(rec.urgency, rec.urgency.replace("_", " "))
    if rec.start_week is None:
        return "throughout"
    return "now" if rec.start_week <= 1 else f"from week {rec.start_week}"


def plan_item(r: Result, rec: Recommendation, titles: dict[str, str], i: int) -> PlanItem:
    return PlanItem(rec.id, f"plan-{i + 1}", rec.kind, KIND_WORDS.get(rec.kind, rec.kind.replace("_", " ")), rec.title,
                    SIDE_WORDS.get(rec.side or "", ""), _when(rec), (rec.phase or "").replace("_", " "),
                    rec.dose or "", rec.detail, tuple(titles.get(f, "") for f in rec.because_of if f in titles),
                    tuple(source_text(s) for s in rec.sources),
                    cadence_plan(r, rec) if rec.kind == "cadence" else None)


def plan_items(r: Result) -> list[PlanItem]:
    titles = {f.id: f.title for f in r.findings}
    return [plan_item(r, rec, titles, i) for i, rec in enumerate(r.recommendations)]


@dataclass(frozen=True)
class Action:
    title: str
    when_text: str
    anchor: str
    why: str  # the finding that calls for it, or ""


def actions(items: list[PlanItem]) -> list[Action]:
    """The first 1-3 steps of the plan, in the plan's own order of priority."""
    out: list[Action] = []
    for it in items[:MAX_ACTIONS]:
        why = it.because[0] if it.because else ""
        said = any(a.why == why for a in out)  # each reason once, on the first action it calls for
        out.append(Action(it.title, it.when_text, it.anchor, "" if said else why))
    return out


def metronomes(items: list[PlanItem]) -> list[Metronome]:
    seen: dict[int, Metronome] = {}
    for it in items:
        for m in (it.cadence.metronomes if it.cadence else ()):
            seen.setdefault(m.spm, m)
    return [seen[k] for k in sorted(seen)]
