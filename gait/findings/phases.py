"""A plan's own steps as Recommendations: education, rest and strength phases, the return to
running, or the referral that replaces them (all from knowledge/plans.yaml)."""
from __future__ import annotations

from dataclasses import dataclass

from gait.result import Recommendation

from .catalog import cite
from .kb import knowledge
from .kb_plans import Phase, Plan, Referral
from .text import fill, sentence_case, side_words, weeks_words
from .triage import interim_text


@dataclass(frozen=True)
class SideChoice:
    """Which side the plan starts from, and why.

    basis "pain": the runner named a painful side (it leads and sets the dose);
    "drop": no painful side, but a resolvable pelvic-drop difference (its stance side);
    "none": both sides equally. ``drop_side`` is the resolvable drop side, if any.
    """

    lead: str | None
    basis: str
    drop_side: str | None = None

    @property
    def side(self) -> str:
        return self.lead or "both"


def side_label(choice: SideChoice) -> str:
    labels = knowledge().side_labels
    template = {"pain": labels.pain, "drop": labels.drop}.get(choice.basis, labels.none)
    return fill(template, side=choice.lead or "each")


def side_rule(plan: Plan, choice: SideChoice) -> str:
    rules = plan.side_rules
    words = side_words(choice.lead)
    text = fill({"pain": rules.pain, "drop": rules.drop}.get(choice.basis, rules.none), **words)
    if choice.basis == "pain" and choice.drop_side and choice.drop_side != choice.lead:
        text += " " + fill(knowledge().side_labels.other_side_note, drop=choice.drop_side)
    return text


def education_recs(plan: Plan, because: list[str]) -> list[Recommendation]:
    out = []
    for edu_id in plan.education:
        e = knowledge().education_item(edu_id)
        out.append(Recommendation(id=f"education_{e.id}", kind="education", title=e.title, detail=e.detail,
                                  because_of=list(because), sources=cite(e.sources), start_week=1))
    return out


def phase_rec(plan: Plan, phase: Phase, choice: SideChoice, because: list[str]) -> Recommendation:
    k = knowledge()
    exercises = [k.exercise(e) for e in phase.exercises]
    how = " ".join(f"{sentence_case(e.name)} - {e.cue}" for e in exercises)
    extra = f" {phase.detail}" if phase.detail else ""
    detail = (f"{plan.title}, {weeks_words(phase.weeks)} ({phase.frequency}).{extra} How: {how} "
              f"Side: {side_rule(plan, choice)} Move on when: {fill(phase.progress_when, **side_words(choice.lead))}")
    ids = [*phase.sources, *(s for e in exercises for s in e.sources)]
    if phase.kind == "strength":
        detail += f" Dose basis: {k.dose_basis}"
        ids += [*k.dose_sources, *k.side_rule_sources]
    dose = "; ".join(f"{e.name}: {e.dose}" for e in exercises) + f" - {phase.frequency}"
    title = phase.name if phase.kind == "rest" else f"{phase.name}: {side_label(choice)}"
    return Recommendation(id=f"{phase.kind}_{phase.id}", kind=phase.kind, title=title,
                          detail=detail, side=choice.side, dose=dose, phase=phase.id, because_of=list(because),
                          sources=cite(ids), start_week=phase.weeks[0])


def return_to_run_rec(plan: Plan, because: list[str]) -> list[Recommendation]:
    if plan.return_to_run_from_week is None:
        return []
    rr = knowledge().return_to_run
    return [Recommendation(id="return_to_run", kind="return_to_run", title=rr.name, phase="return_to_run",
                           detail=f"{rr.detail} Move on when: {rr.progress_when}", because_of=list(because),
                           sources=cite(rr.sources), start_week=plan.return_to_run_from_week)]


def plan_step_recs(plan: Plan, choice: SideChoice, because: list[str]) -> list[Recommendation]:
    """Rest first, then education, the strength phases and the return to running."""
    rest = [phase_rec(plan, p, choice, because) for p in plan.phases if p.kind == "rest"]
    strength = [phase_rec(plan, p, choice, because) for p in plan.phases if p.kind != "rest"]
    return rest + education_recs(plan, because) + strength + return_to_run_rec(plan, because)


def referral_rec(plan: Plan, referral: Referral, because: list[str]) -> Recommendation:
    urgency = knowledge().urgency(referral.urgency)
    meanwhile, interim_sources = interim_text(referral.interim)
    detail = f"{referral.detail} {urgency.title}: {urgency.detail} {meanwhile}"
    return Recommendation(id=f"referral_{plan.id}", kind="see_clinician", title=referral.title, detail=detail,
                          because_of=list(because), sources=cite([*referral.sources, *urgency.sources,
                                                                  *interim_sources]),
                          urgency=urgency.id, start_week=1)
