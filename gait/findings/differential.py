"""Symptoms (+ gait findings) -> "patterns the documents associate with ...".

Never a diagnosis: a match only says which of the documents' described patterns the
answers resemble, with how far that can be trusted. Rules live in knowledge/conditions.yaml;
warning signs in triage.py.
"""
from __future__ import annotations

from gait.result import Finding

from .catalog import cite
from .kb import knowledge
from .kb_plans import Condition
from .symptoms import Symptoms
from .text import fill, join_words, side_words, words

# match-group name -> Symptoms field it is compared with
GROUP_FIELDS = {
    "locations": "pain_locations",
    "also_locations": "pain_locations",
    "timings": "pain_timing",
    "patterns": "pain_pattern",
    "training_changes": "training_changes",
}


def _group_hits(cond: Condition, group: str, wanted: tuple[str, ...], s: Symptoms) -> list[str]:
    if group == "flags":
        return [name for name in wanted if getattr(s, name) is True]
    if group not in GROUP_FIELDS:
        raise ValueError(f"condition {cond.id!r}: unknown match group {group!r}")
    return [v for v in getattr(s, GROUP_FIELDS[group]) if v in wanted
            and not (group == "also_locations" and v in cond.match.locations)]


def match_condition(cond: Condition, s: Symptoms) -> dict[str, list[str]]:
    """Matched answers per group; empty unless the location, every required answer and one more group match."""
    m = cond.match
    located = [v for v in s.pain_locations if v in m.locations]
    if not located or not all(getattr(s, name) is True for name in m.requires):
        return {}
    groups: dict[str, list[str]] = {"locations": located}
    if m.requires:
        groups["flags"] = list(m.requires)
    for group, wanted in m.groups:
        got = [g for g in _group_hits(cond, group, wanted, s) if g not in groups.get(group, [])]
        if got:
            groups[group] = groups.get(group, []) + got
    return groups if len(groups) >= 2 else {}


def pattern_findings(s: Symptoms | None, gait: list[Finding]) -> list[Finding]:
    """One info finding per condition pattern the answers match."""
    if s is None:
        return []
    fired = {f.id: f for f in gait}
    out: list[Finding] = []
    for cond in knowledge().conditions:
        groups = match_condition(cond, s)
        if groups:
            out.append(_pattern_finding(cond, groups, s, fired))
    return out


def _pattern_finding(cond: Condition, groups: dict[str, list[str]], s: Symptoms,
                     fired: dict[str, Finding]) -> Finding:
    gait_ids = [g for g in cond.match.gait_findings if g in fired]
    values: dict[str, list[str] | str] = {}
    for g, v in groups.items():  # locations and also_locations share one Symptoms field
        key = GROUP_FIELDS.get(g, "yes_answers")
        values[key] = [*values.get(key, []), *v]  # type: ignore[list-item]
    if s.pain_side:
        values["pain_side"] = s.pain_side
    text = (f"The answers ({_describe(groups)}) fit the pattern the documents associate with {cond.name}: "
            f"{cond.pattern} How far this can be trusted: {cond.certainty} This is a pattern to discuss with a "
            f"clinician, not a diagnosis.")
    chain: list[str] = []
    ids = list(cond.sources)
    if gait_ids:
        values["gait_findings"] = gait_ids
        text += " " + _gait_link(gait_ids, s, fired)
        if cond.mechanism:
            mech = knowledge().mechanism(cond.mechanism)
            side = next((fired[g].side for g in gait_ids if fired[g].side in ("left", "right")), None)
            chain = [fill(step, **side_words(side)) for step in mech.chain]
            text += f" How sure that mechanism is: {mech.grade}."
            ids += mech.sources
    match = cond.match
    needs = join_words([words(g) for g, _ in match.groups])
    required = f", every one of: {join_words([words(r) for r in match.requires])}" if match.requires else ""
    return Finding(
        id=f"pattern_{cond.id}", title=f"Symptoms fit a pattern the documents associate with {cond.name}",
        severity="info", side=s.pain_side, values=values,
        threshold=(f"pain location one of {join_words([words(x) for x in match.locations])}{required}, plus at "
                   f"least one other matching answer ({needs}); gait findings only add support"),
        evidence="heuristic", mechanism=chain, explanation=text, sources=cite(ids))


def _describe(groups: dict[str, list[str]]) -> str:
    return "; ".join(f"{words(g)}: {', '.join(words(x) for x in v)}" for g, v in groups.items())


def _gait_link(gait_ids: list[str], s: Symptoms, fired: dict[str, Finding]) -> str:
    sides = {fired[g].side for g in gait_ids}
    measured = join_words([fired[g].title[:1].lower() + fired[g].title[1:] for g in gait_ids])
    text = (f"The video also showed {measured}, which is part of the mechanism the documents link to this "
            f"pattern.")
    if s.pain_side in ("left", "right") and sides <= {"left", "right"} and s.pain_side not in sides:
        text += (f" Note that the pain is on the {s.pain_side} but the larger drop was during the other leg's "
                 f"stance: that is reported as a finding for a clinician to weigh, and the plan still starts from "
                 f"the painful side.")
    return text
