"""Load management and the re-test, rendered from knowledge/interventions.yaml."""
from __future__ import annotations

from gait.result import Recommendation, Summary

from .catalog import cite
from .kb import knowledge
from .kb_plans import Plan
from .rules import not_measured
from .symptoms import Symptoms
from .text import fill, join_words, span, words


def load_rec(plan: Plan, symptoms: Symptoms | None, because: list[str], general: bool) -> Recommendation:
    k = knowledge()
    lm = k.load
    tolerable = span(lm.tolerable_pain)
    detail = fill(lm.detail, tolerable=tolerable, settle_hours=f"{lm.settle_hours:g}")
    ids = [*lm.sources, *plan.load_sources]
    if plan.load_note:
        detail += " " + plan.load_note
    if symptoms is not None and symptoms.training_changes:
        detail += " " + fill(lm.changes, changes=join_words([words(c) for c in symptoms.training_changes]))
    if symptoms is not None and symptoms.pain_score is not None and symptoms.pain_score > lm.tolerable_pain[1]:
        detail += " " + fill(lm.above_tolerable, score=symptoms.pain_score, tolerable=tolerable)
    if symptoms is not None and symptoms.has_pain():
        wait = k.urgency("if_not_better")
        detail += f" {wait.detail}"
        ids += wait.sources
    return Recommendation(id="load_management", kind="load", title=lm.general_title if general else lm.title,
                          detail=detail, because_of=list(because), sources=cite(ids))


def retest_rec(summary: Summary, because: list[str], pain_free: bool) -> Recommendation:
    rt = knowledge().retest
    err = knowledge().pelvic_drop_error
    weeks = span(rt.weeks)
    numbers = dict(weeks=weeks, same_day_error=span(err.same_day_deg), between_day_error=span(err.between_day_deg))
    detail = fill(rt.detail_pain_free if pain_free else rt.detail, **numbers)
    missing = not_measured(summary)
    if missing:
        detail += " Also add what this clip could not measure or judge: " + "; ".join(missing) + "."
    return Recommendation(id="retest", kind="retest", title=fill(rt.title_pain_free if pain_free else rt.title,
                                                                  **numbers),
                          detail=detail, dose=f"one clip in {weeks} weeks", because_of=list(because),
                          sources=cite([*rt.sources, *err.sources]), start_week=rt.weeks[0])
