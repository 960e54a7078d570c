"""Running changes (cadence cue, mirror cue, form cues), introduced one at a time.

The cadence cue is capped at the speed-based norm, withheld when the cadence is already at
or near it, when the clip's rhythm is implausible, and when its only trigger is a pelvic
drop inside the same-day measurement error.
"""
from __future__ import annotations

import math

from gait.result import Finding, Recommendation, Summary

from .cadence import cadence_cap, cadence_room, cadence_targets
from .catalog import cite
from .gating import metric_value
from .kb import knowledge
from .kb_plans import Plan
from .kb_rules import PerSideRule
from .phases import SideChoice
from .rules import SEVERITY_RANK, rhythm_findings
from .text import fill, span


def cadence_triggers(findings: list[Finding]) -> list[str]:
    """Finding ids that call for the cadence cue (each rule's minimum severity respected)."""
    k = knowledge()
    out = []
    for f in findings:
        if f.id not in k.cadence_cue.triggers:
            continue
        rule = k.rule(f.id)
        least = rule.cadence_cue_from if isinstance(rule, PerSideRule) else None
        if least is None or SEVERITY_RANK[f.severity] >= SEVERITY_RANK[least]:
            out.append(f.id)
    return out


def _pct(target: int, cadence: float) -> str:
    return f"{(target - cadence) / cadence * 100:+.0f}%"


def cadence_rec(summary: Summary, because: list[str]) -> Recommendation | None:
    cadence = metric_value(summary, "cadence_spm")
    if cadence is None or isinstance(cadence, bool) or rhythm_findings(summary):
        return None  # nothing to cue from, or a rhythm running does not allow
    cap = cadence_cap(summary)
    targets = cadence_targets(cadence, cap.spm) if cadence_room(summary, cap) else ()
    if not targets:
        return None
    cue = knowledge().cadence_cue
    first, second = targets[0], (targets[1] if len(targets) > 1 else None)
    weeks = span(cue.first_weeks)
    then = fill(cue.then, first=first, second=second, second_pct=_pct(second, cadence)) + " " if second else ""
    cap_note = fill(cue.cap_note, cap=math.floor(cap.spm), at_speed=cap.at_speed)
    detail = fill(cue.detail, measured=round(cadence), first=first, first_pct=_pct(first, cadence),
                  first_weeks=weeks, then=then, cap_note=cap_note)
    dose = fill(cue.dose_then if second else cue.dose, first=first, second=second, first_weeks=weeks)
    title = f"{cue.title}: {first} then {second} steps/min" if second else f"{cue.title}: {first} steps/min"
    return Recommendation(id="cadence_cue", kind="cadence", title=title, detail=detail, dose=dose,
                          target_spm=float(first), because_of=list(because), sources=cite(cue.sources))


def feedback_side(choice: SideChoice) -> str | None:
    """A cue for one knee only for a resolvable drop that is not on the pain-free side."""
    if choice.drop_side and (choice.basis == "drop" or choice.drop_side == choice.lead):
        return choice.drop_side
    return None


def feedback_rec(choice: SideChoice, because: list[str]) -> Recommendation:
    fb = knowledge().feedback
    side = feedback_side(choice)
    cue = fill(fb.cue_one_side, side=side) if side else fb.cue_both
    return Recommendation(id="movement_feedback", kind="form", title=fb.title,
                          detail=fill(fb.detail, sessions=fb.sessions, cue=cue), side=side or "both",
                          dose=fill(fb.dose, sessions=fb.sessions), because_of=list(because),
                          sources=cite(fb.sources))


def form_rec(f: Finding) -> Recommendation | None:
    cue = knowledge().form_cue(f.id)
    if cue is None:
        return None
    words = {"side": f.side or "one", "other": {"left": "right", "right": "left"}.get(f.side or "", "other")}
    return Recommendation(id=f"form_{f.id}", kind="form", title=cue.title, detail=fill(cue.detail, **words),
                          side=f.side, because_of=[f.id], sources=cite(cue.sources))


def _schedule(recs: list[tuple[str, Recommendation]], first_week: int) -> list[Recommendation]:
    """Start weeks one change at a time, in the knowledge's order."""
    k = knowledge()
    order = list(k.running_changes.order)
    ranked = sorted(recs, key=lambda kr: order.index(kr[0]) if kr[0] in order else len(order))
    out = []
    for n, (_, rec) in enumerate(ranked):
        week = first_week + n * k.running_changes.weeks_between
        note = fill(k.running_changes.note, weeks_between=k.running_changes.weeks_between)
        rec.start_week = week
        rec.detail = f"{rec.detail} Start in week {week}. {note}"
        rec.sources = cite([s["id"] for s in rec.sources] + list(k.running_changes.sources))
        out.append(rec)
    return out


def running_change_recs(plan: Plan, summary: Summary, findings: list[Finding], choice: SideChoice,
                        with_pain: bool) -> list[Recommendation]:
    """The running changes for this plan (none for a referral), scheduled; then checks and notes."""
    if plan.referral is not None:
        return []
    k = knowledge()
    problems = [f for f in findings if f.severity != "info"]
    changes: list[tuple[str, Recommendation]] = []
    triggers = cadence_triggers(problems)
    cadence = cadence_rec(summary, triggers) if triggers else None
    if cadence is not None:
        changes.append(("cadence_cue", cadence))
    drops = [f.id for f in problems if f.id in k.drop_findings]
    if plan.movement_feedback and with_pain and drops:
        changes.append(("movement_feedback", feedback_rec(choice, drops)))
    checks: list[Recommendation] = []
    for f in problems:
        cue = k.form_cue(f.id)
        if cue is None or (cue.covered_by_cadence and cadence is not None) or (rec := form_rec(f)) is None:
            continue
        if cue.running_change:
            changes.append((f.id, rec))
        else:
            rec.start_week = 1
            checks.append(rec)
    return _schedule(changes, plan.running_changes_from_week) + checks
