"""Findings (+ symptoms) -> a cited plan of Recommendations, chosen per pattern.

Order of the plan:
  red flag present -> one see_clinician recommendation (urgency + interim advice), nothing else;
  referral pattern -> the referral, then load management;
  otherwise        -> rest (strain) -> education -> strength phases -> return to running ->
                      running changes one at a time (cadence cue, then the form cue) ->
                      checks -> load management -> re-test.
The plan follows the matched pattern (knowledge/plans.yaml ``priority``); without one, a
runner with pain and a measured drop gets the hip_abductor plan, other runners with pain a
gentle general plan, and pain-free runners maintenance and a re-film.
"""
from __future__ import annotations

from gait.result import Finding, Recommendation, Summary

from .advice import load_rec, retest_rec
from .gating import reading, side_resolved
from .kb import knowledge
from .kb_plans import Plan, RedFlag
from .kb_rules import PerSideRule
from .phases import SideChoice, plan_step_recs, referral_rec
from .running import running_change_recs
from .symptoms import Symptoms
from .triage import see_clinician_rec


def with_pain(symptoms: Symptoms | None) -> bool:
    return symptoms is not None and symptoms.has_pain()


def choose_plan(findings: list[Finding], symptoms: Symptoms | None) -> tuple[Plan, list[str]]:
    """The plan and the finding ids behind it."""
    k = knowledge()
    by_plan: dict[str, list[str]] = {}
    for f in findings:
        if f.id.startswith("pattern_"):
            by_plan.setdefault(k.condition(f.id.removeprefix("pattern_")).plan, []).append(f.id)
    drops = [f.id for f in findings if f.id in k.drop_findings and f.severity != "info"]
    for plan_id in k.plan_priority:
        if plan_id in by_plan:
            return k.plan(plan_id), by_plan[plan_id] + drops
    if with_pain(symptoms):
        return k.plan("hip_abductor" if drops else "gentle_general"), drops
    return k.plan("maintenance"), drops


def resolvable_drop_side(summary: Summary, findings: list[Finding]) -> str | None:
    """Stance side of the larger drop, only when a drop finding fired and the difference is resolvable."""
    k = knowledge()
    fired = {f.id: f for f in findings if f.id in k.drop_findings}
    if not fired:
        return None
    asym = fired.get("pelvic_drop_asymmetric")
    if asym is not None and asym.side in ("left", "right"):
        return asym.side  # its whole interval clears the threshold: resolvable by construction
    rule = next(r for r in k.rules if isinstance(r, PerSideRule))
    return side_resolved(reading(summary, rule.difference_metric, rule.left.resolution))


def choose_side(summary: Summary, findings: list[Finding], symptoms: Symptoms | None) -> SideChoice:
    """A painful side leads; else a resolvable drop side; else both sides equally."""
    drop = resolvable_drop_side(summary, findings)
    pain = symptoms.pain_side if symptoms is not None else None
    if pain in ("left", "right"):
        return SideChoice(pain, "pain", drop)
    if drop is not None:
        return SideChoice(drop, "drop", drop)
    return SideChoice(None, "none", None)


def build_plan(findings: list[Finding], summary: Summary, symptoms: Symptoms | None,
               red_hits: list[RedFlag]) -> list[Recommendation]:
    """The plan. With any red flag: only see_clinician (exercise plan and cadence cue withheld)."""
    if red_hits:
        return [see_clinician_rec(red_hits)]
    plan, because = choose_plan(findings, symptoms)
    problems = [f.id for f in findings if f.severity != "info"]
    pain = with_pain(symptoms)
    if plan.referral is not None:
        return [referral_rec(plan, plan.referral, because), load_rec(plan, symptoms, because, general=False)]
    choice = choose_side(summary, findings, symptoms)
    recs = plan_step_recs(plan, choice, because)
    recs += running_change_recs(plan, summary, findings, choice, pain)
    recs.append(load_rec(plan, symptoms, problems or because, general=not problems and not pain))
    if problems or plan.rehab:
        recs.append(retest_rec(summary, problems or because, pain_free=not pain))
    return recs
