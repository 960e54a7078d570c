"""Warning signs in the symptoms: which fire, how urgent, and what to do meanwhile.

Any red flag withholds the plan (knowledge/triage.yaml); the plan becomes one
``see_clinician`` recommendation carrying the most urgent flag's urgency and the interim
advice of the flags at that urgency.
"""
from __future__ import annotations

from typing import Any, Iterable

from gait.result import Finding, Recommendation

from .catalog import cite
from .kb import knowledge
from .kb_plans import Interim, RedFlag, Urgency
from .symptoms import Symptoms
from .text import join_words


def red_flag_hits(symptoms: Symptoms | None) -> list[RedFlag]:
    """The red flags of triage.yaml that the answers trigger, most urgent first."""
    if symptoms is None:
        return []
    hits = [flag for flag in knowledge().red_flags if flag_hit(flag, symptoms)]
    order = [u.id for u in knowledge().urgencies]
    return sorted(hits, key=lambda f: order.index(f.urgency))


def flag_hit(flag: RedFlag, s: Symptoms) -> bool:
    value = getattr(s, flag.field)
    if flag.any_of:
        return any(v in value for v in flag.any_of)
    if flag.is_true:
        return value is True
    if flag.at_least is not None:
        return value is not None and value >= flag.at_least
    raise ValueError(f"red flag {flag.id!r} has no test")


def top_urgency(urgency_ids: Iterable[str]) -> Urgency:
    wanted = set(urgency_ids)
    return next(u for u in knowledge().urgencies if u.id in wanted)


def interim_for(interim_ids: Iterable[str]) -> list[Interim]:
    seen: list[str] = []
    for i in interim_ids:
        if i not in seen:
            seen.append(i)
    return [knowledge().interim_advice(i) for i in seen]


def _answer(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def red_flag_finding(hits: list[RedFlag], s: Symptoms) -> Finding:
    k = knowledge()
    values = {flag.field: _answer(getattr(s, flag.field)) for flag in hits}
    reasons = " ".join(f"{flag.reason} ({k.urgency(flag.urgency).title.lower()})" for flag in hits)
    labels = join_words([f.label for f in k.red_flags])
    return Finding(
        id="red_flags", title="Warning signs in the symptoms: see a clinician first", severity="marked",
        side=s.pain_side, values=values,
        threshold=(f"any one of: {labels}. These are warning signs from the documents and standard clinical "
                   f"screening questions (clinical guidance, not a validated cut-off)"),
        evidence="heuristic", mechanism=[], explanation=reasons,
        sources=cite([sid for flag in hits for sid in flag.sources]),
    )


def see_clinician_rec(hits: list[RedFlag]) -> Recommendation:
    """The whole plan when a red flag is present: who to see, how soon, and what meanwhile."""
    urgency = top_urgency(f.urgency for f in hits)
    interim = interim_for(i for f in hits if f.urgency == urgency.id for i in f.interim)
    detail = (f"Your answers include {join_words([f.label for f in hits])}. {urgency.detail} The documents treat "
              f"these as warning signs of problems that need an examination and sometimes imaging. The exercise "
              f"plan and the cadence cue are withheld for that reason: no gait advice replaces that assessment. "
              f"Meanwhile: " + " ".join(i.text for i in interim))
    ids = [*urgency.sources, *(s for f in hits for s in f.sources), *(s for i in interim for s in i.sources)]
    return Recommendation(id="see_clinician", kind="see_clinician", title=urgency.title, detail=detail,
                          because_of=["red_flags"], sources=cite(ids), urgency=urgency.id, start_week=1)


def interim_text(interim_ids: Iterable[str]) -> tuple[str, list[str]]:
    """('Meanwhile: ...', their source ids) for a referral's interim advice."""
    items = interim_for(interim_ids)
    return "Meanwhile: " + " ".join(i.text for i in items), [s for i in items for s in i.sources]
