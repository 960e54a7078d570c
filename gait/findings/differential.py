"""Symptoms (+ gait findings) -> red flags and "patterns the documents associate with ...".

Never a diagnosis: a match only says which of the documents' described patterns the
answers resemble. Rules live in knowledge/conditions.yaml.
"""
from __future__ import annotations

from typing import Any

from gait.result import Finding

from . import catalog
from .rules import side_words
from .symptoms import Symptoms

# match-group name -> Symptoms field it is compared with
_GROUP_FIELDS = {
    "locations": "pain_locations",
    "also_locations": "pain_locations",
    "timings": "pain_timing",
    "patterns": "pain_pattern",
    "training_changes": "training_changes",
}


def red_flag_hits(symptoms: Symptoms | None) -> list[dict[str, Any]]:
    """The red-flag entries of conditions.yaml that the answers trigger."""
    if symptoms is None:
        return []
    return [flag for flag in catalog.red_flags() if _flag_hit(flag, symptoms)]


def _flag_hit(flag: dict[str, Any], s: Symptoms) -> bool:
    value = getattr(s, flag["field"])
    if "any_of" in flag:
        return any(v in value for v in flag["any_of"])
    if "is_true" in flag:
        return value is True
    if "at_least" in flag:
        return value is not None and value >= flag["at_least"]
    raise ValueError(f"red flag {flag['id']!r} has no test")


def red_flag_finding(hits: list[dict[str, Any]], s: Symptoms) -> Finding:
    values = {flag["field"]: _answer(getattr(s, flag["field"])) for flag in hits}
    ids: list[str] = [sid for flag in hits for sid in flag["sources"]]
    return Finding(
        id="red_flags",
        title="Warning signs in the symptoms: see a clinician first",
        severity="marked",
        side=s.pain_side,
        values=values,
        threshold=("any one of: pain that worsens as the run goes on; pain in the groin or front of "
                   "the hip; pain at rest or at night; limping; clicking or locking in the hip; "
                   f"pain score >= {_pain_limit()}/10. These are warning signs from the documents "
                   "(clinical guidance, not a validated cut-off)"),
        evidence="heuristic",
        mechanism=[],
        explanation=" ".join(flag["reason"].strip() for flag in hits),
        sources=catalog.cite(ids),
    )


def _pain_limit() -> int:
    return next(f["at_least"] for f in catalog.red_flags() if "at_least" in f)


def _answer(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def match_condition(cond: dict[str, Any], s: Symptoms, fired: set[str]) -> dict[str, list[str]]:
    """Matched answers per group; empty unless the location matches plus one other group."""
    groups: dict[str, list[str]] = {}
    for group, wanted in cond["match"].items():
        if group in _GROUP_FIELDS:
            got = [v for v in getattr(s, _GROUP_FIELDS[group]) if v in wanted
                   and not (group == "also_locations" and v in cond["match"]["locations"])]
        elif group == "flags":
            got = [name for name in wanted if getattr(s, name) is True]
        elif group == "gait_findings":
            got = [fid for fid in wanted if fid in fired]
        else:
            raise ValueError(f"condition {cond['id']!r}: unknown match group {group!r}")
        if got:
            groups[group] = got
    symptom_groups = [g for g in groups if g != "gait_findings"]
    if "locations" not in groups or len(symptom_groups) < 2:
        return {}  # gait findings support a pattern but never make one on their own
    return groups


def pattern_findings(s: Symptoms | None, gait: list[Finding]) -> list[Finding]:
    """One info finding per condition pattern the answers match."""
    if s is None:
        return []
    fired = {f.id: f for f in gait}
    out: list[Finding] = []
    for cond in catalog.conditions():
        groups = match_condition(cond, s, set(fired))
        if groups:
            out.append(_pattern_finding(cond, groups, s, fired))
    return out


def _pattern_finding(cond: dict[str, Any], groups: dict[str, list[str]], s: Symptoms,
                     fired: dict[str, Finding]) -> Finding:
    gait_ids = groups.pop("gait_findings", [])
    values: dict[str, Any] = {}
    for g, v in groups.items():  # locations and also_locations share one Symptoms field
        values.setdefault(_GROUP_FIELDS.get(g, g), []).extend(v)
    if s.pain_side:
        values["pain_side"] = s.pain_side
    text = (f"The answers ({_describe(groups)}) fit the pattern the documents associate with "
            f"{cond['name']}: {cond['pattern'].strip()} This is a pattern to discuss with a "
            f"clinician, not a diagnosis.")
    chain: list[str] = []
    ids = list(cond["sources"])
    if gait_ids:
        values["gait_findings"] = gait_ids
        text += " " + _gait_link(gait_ids, s, fired)
        if "mechanism" in cond:
            mech = catalog.mechanism(cond["mechanism"])
            side = next((fired[g].side for g in gait_ids if fired[g].side in ("left", "right")), None)
            chain = [step.format(**side_words(side)) for step in mech["chain"]]
            ids += mech["sources"]
    return Finding(
        id=f"pattern_{cond['id']}",
        title=f"Symptoms fit a pattern the documents associate with {cond['name']}",
        severity="info",
        side=s.pain_side,
        values=values,
        threshold=(f"pain location one of {', '.join(cond['match']['locations'])} plus at least one "
                   f"other matching symptom answer "
                   f"({', '.join(g for g in cond['match'] if g not in ('locations', 'gait_findings'))}); "
                   f"gait findings only add support"),
        evidence="heuristic",
        mechanism=chain,
        explanation=text,
        sources=catalog.cite(ids),
    )


def _describe(groups: dict[str, list[str]]) -> str:
    return "; ".join(f"{g.replace('_', ' ')}: {', '.join(v).replace('_', ' ')}" for g, v in groups.items())


def _gait_link(gait_ids: list[str], s: Symptoms, fired: dict[str, Finding]) -> str:
    sides = {fired[g].side for g in gait_ids}
    measured = ", ".join(fired[g].title.lower() for g in gait_ids)
    text = (f"The video also showed {measured}, which is part of the mechanism the documents "
            f"link to this pattern.")
    if s.pain_side in ("left", "right") and sides <= {"left", "right"} and s.pain_side not in sides:
        text += (f" Note the pain is on the {s.pain_side} but the larger drop was during the other "
                 f"leg's stance; a clinician can sort out how the two relate.")
    return text
