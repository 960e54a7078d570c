"""Checks of the knowledge base: citations resolve, references between files exist, plans
keep their own safety rules, and each claim's key term is in the source it cites.

``check_citations()`` is what the tests (and a reviewer) run; an empty list means all is well.
"""
from __future__ import annotations

import re
from dataclasses import fields
from pathlib import Path
from typing import Any, Iterator

from . import catalog
from .intake import YES_NO_FIELDS
from .kb import knowledge
from .kb_rules import PerSideRule
from .symptoms import Symptoms

RUNNING_CHANGE_NAMES = ("cadence_cue", "movement_feedback")


def cited_nodes(node: Any, where: str) -> Iterator[tuple[dict[str, Any], str]]:
    """(entry, location) for every mapping in the YAML that cites sources."""
    if isinstance(node, dict):
        if any(k.endswith("sources") for k in node):
            yield node, where
        for key, value in node.items():
            yield from cited_nodes(value, f"{where}.{node.get('id', key) if key == 'id' else key}")
    elif isinstance(node, list):
        for i, item in enumerate(node):
            label = item.get("id", i) if isinstance(item, dict) else i
            yield from cited_nodes(item, f"{where}[{label}]")


def node_sources(node: dict[str, Any]) -> list[str]:
    return [str(s) for k, v in node.items() if k.endswith("sources") for s in (v or [])]


def node_key_terms(node: dict[str, Any]) -> dict[str, str]:
    terms: dict[str, str] = {}
    for k, v in node.items():
        if k.endswith("key_terms") and isinstance(v, dict):
            terms.update({str(s): str(t) for s, t in v.items()})
    return terms


def _source_file_problems(seeds: Path) -> list[str]:
    problems: list[str] = []
    src = catalog.load("sources")
    ids = [e["id"] for e in catalog.cited_entries()]
    problems += [f"sources.yaml: duplicate id {i!r}" for i in sorted({i for i in ids if ids.count(i) > 1})]
    for doc in src["documents"]:
        for key in ("title", "publisher", "file"):
            if not str(doc.get(key) or "").strip():
                problems.append(f"sources.yaml: document {doc.get('id')!r} has no {key}")
        if seeds.is_dir() and not (seeds / doc["file"]).is_file():
            problems.append(f"sources.yaml: seed file {doc['file']!r} not found in {seeds}")
    for entry in [*src["studies"], *src.get("project_notes", [])]:
        if not str(entry.get("citation") or "").strip():
            problems.append(f"sources.yaml: {entry.get('id')!r} has no citation")
    for note in src.get("project_notes", []):
        if "not a published source" not in " ".join(note["citation"].split()).lower():
            problems.append(f"sources.yaml: project note {note['id']!r} must say it is not a published source")
    return problems


def _citation_problems() -> list[str]:
    problems: list[str] = []
    known = catalog.known_source_ids()
    for name in catalog.KNOWLEDGE_FILES[1:]:
        for node, where in cited_nodes(catalog.load(name), name):
            terms = node_key_terms(node)
            for sid in node_sources(node):
                if sid not in known:
                    problems.append(f"{where}: unknown source id {sid!r}")
                elif sid not in terms:
                    problems.append(f"{where}: no key term for source {sid!r}")
    return problems


def _rule_problems() -> list[str]:
    k = knowledge()
    problems: list[str] = []
    rule_ids = {r.text.id for r in k.rules}
    mech_ids = {m.id for m in k.mechanisms}
    for r in k.rules:
        if r.text.mechanism and r.text.mechanism not in mech_ids:
            problems.append(f"findings.yaml: rule {r.text.id!r} names unknown mechanism {r.text.mechanism!r}")
    per_side = [r for r in k.rules if isinstance(r, PerSideRule)]
    for r in per_side:  # the second grade is the usual range plus the smallest same-day error
        edges = {b.severity: b.edge for b in r.left.bands}
        if edges.get("moderate") != edges.get("mild", 0) + k.pelvic_drop_error.same_day_deg[0]:
            problems.append(f"findings.yaml: {r.text.id!r} moderate edge is not mild + the smallest same-day error")
    for fid in [*k.drop_findings, *k.cadence_cue.triggers, *(c.finding_id for c in k.form_cues)]:
        if fid not in rule_ids:
            problems.append(f"knowledge: unknown finding {fid!r}")
    for name in k.running_changes.order:
        if name not in rule_ids and name not in RUNNING_CHANGE_NAMES:
            problems.append(f"interventions.yaml: running change {name!r} is not a finding or a cue")
    for m in k.mechanisms:
        problems += [f"mechanisms.yaml: {m.id!r} names unknown condition {c!r}"
                     for c in m.conditions if c not in {x.id for x in k.conditions}]
    return problems


def _condition_problems() -> list[str]:
    k = knowledge()
    problems: list[str] = []
    plan_ids = {p.id for p in k.plans}
    rule_ids = {r.text.id for r in k.rules}
    yes = set(YES_NO_FIELDS)
    for c in k.conditions:
        if c.plan not in plan_ids:
            problems.append(f"conditions.yaml: {c.id!r} names unknown plan {c.plan!r}")
        if c.mechanism and c.mechanism not in {m.id for m in k.mechanisms}:
            problems.append(f"conditions.yaml: {c.id!r} names unknown mechanism {c.mechanism!r}")
        problems += [f"conditions.yaml: {c.id!r} names unknown finding {f!r}"
                     for f in c.match.gait_findings if f not in rule_ids]
        flags = [*c.match.requires, *(v for g, vs in c.match.groups if g == "flags" for v in vs)]
        problems += [f"conditions.yaml: {c.id!r} names unknown yes/no answer {f!r}" for f in flags if f not in yes]
    symptom_fields = {f.name for f in fields(Symptoms)}
    urgency_ids = {u.id for u in k.urgencies}
    interim_ids = {i.id for i in k.interim}
    for flag in k.red_flags:
        if flag.field not in symptom_fields:
            problems.append(f"triage.yaml: {flag.id!r} reads unknown Symptoms field {flag.field!r}")
        if flag.urgency not in urgency_ids:
            problems.append(f"triage.yaml: {flag.id!r} has unknown urgency {flag.urgency!r}")
        problems += [f"triage.yaml: {flag.id!r} names unknown interim advice {i!r}"
                     for i in flag.interim if i not in interim_ids]
    return problems


def _plan_problems() -> list[str]:
    k = knowledge()
    problems: list[str] = []
    exercises = {e.id: e for e in k.exercises}
    if sorted(k.plan_priority) != sorted(p.id for p in k.plans):
        problems.append("plans.yaml: priority must list every plan once")
    for plan in k.plans:
        problems += [f"plans.yaml: {plan.id!r} names unknown education {e!r}"
                     for e in plan.education if e not in {x.id for x in k.education}]
        if plan.referral is not None:
            if plan.referral.urgency not in {u.id for u in k.urgencies}:
                problems.append(f"plans.yaml: {plan.id!r} referral has unknown urgency")
            problems += [f"plans.yaml: {plan.id!r} referral names unknown interim {i!r}"
                         for i in plan.referral.interim if i not in {x.id for x in k.interim}]
        for phase in plan.phases:
            for ex_id in phase.exercises:
                if ex_id not in exercises:
                    problems.append(f"plans.yaml: {plan.id}.{phase.id} names unknown exercise {ex_id!r}")
                elif bad := set(exercises[ex_id].tags) & set(phase.excludes):
                    problems.append(f"plans.yaml: {plan.id}.{phase.id} has {ex_id!r}, tagged {sorted(bad)}, "
                                    f"which the phase excludes")
    return problems


def check_citations(seeds_dir: Path | None = None) -> list[str]:
    """Problems with the knowledge base; an empty list means all is well.

    Checks: every source id used in any YAML resolves to sources.yaml and has a key term;
    document entries have a title, publisher and file (and, when the seeds folder is
    present, the file exists); ids referenced between files exist; plans do not contain an
    exercise whose tags their phase excludes.
    """
    seeds = seeds_dir if seeds_dir is not None else catalog.default_seeds_dir()
    return (_source_file_problems(seeds) + _citation_problems() + _rule_problems() + _condition_problems()
            + _plan_problems())


# ------------------------------------------------------------------ key terms


def normalise(text: str) -> str:
    text = text.lower().replace("\u2019", "'").replace("'", "")
    return " ".join(re.findall(r"[a-z0-9.]+", text.replace(". ", " ")))


def evidence_passage(evidence: str, key: str) -> str:
    """The evidence.md bullet (or, for a heading, the section) that contains ``key``."""
    blocks = re.split(r"\n(?=- |## )", evidence)
    for i, block in enumerate(blocks):
        if key in block and block.startswith("## ") and block.splitlines()[0].strip("# ").strip() == key:
            end = next((j for j in range(i + 1, len(blocks)) if blocks[j].startswith("## ")), len(blocks))
            return "\n".join(blocks[i:end])
        if key in block:
            return block
    return ""


def source_texts(seeds: Path, evidence_path: Path) -> dict[str, str]:
    """Normalised text each source id is checked against."""
    src = catalog.load("sources")
    evidence = evidence_path.read_text(encoding="utf-8")
    texts = {d["id"]: normalise((seeds / d["file"]).read_text(encoding="utf-8")) for d in src["documents"]}
    texts.update({s["id"]: normalise(evidence_passage(evidence, s["evidence_key"])) for s in src["studies"]})
    texts.update({n["id"]: normalise(n["covers"]) for n in src.get("project_notes", [])})
    return texts


def key_term_problems(seeds: Path, evidence_path: Path) -> list[str]:
    """Claims whose cited source does not contain the key term the claim names for it."""
    texts = source_texts(seeds, evidence_path)
    problems = [f"sources.yaml: study {sid!r} has no passage in evidence.md" for sid, t in texts.items() if not t]
    for name in catalog.KNOWLEDGE_FILES[1:]:
        for node, where in cited_nodes(catalog.load(name), name):
            for sid, term in node_key_terms(node).items():
                if sid in texts and normalise(term) not in texts[sid]:
                    problems.append(f"{where}: key term {term!r} not found in {sid!r}")
                if sid not in node_sources(node):
                    problems.append(f"{where}: key term for {sid!r}, which it does not cite")
    return problems
