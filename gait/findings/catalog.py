"""Load the YAML knowledge base and resolve source ids to citations.

The knowledge lives in ``gait/findings/knowledge/*.yaml`` (package data), so clinical
content can be reviewed and changed without touching code. Parsed files are cached;
callers must treat the returned dicts as read-only.
"""
from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Iterable, Iterator

import yaml

KNOWLEDGE_FILES = ("sources", "findings", "mechanisms", "conditions", "interventions")


@lru_cache(maxsize=None)
def load(name: str) -> dict[str, Any]:
    """Parsed ``knowledge/<name>.yaml`` (read via importlib.resources: works when installed)."""
    if name not in KNOWLEDGE_FILES:
        raise KeyError(f"unknown knowledge file {name!r}")
    text = resources.files(__package__).joinpath("knowledge", f"{name}.yaml").read_text("utf-8")
    return yaml.safe_load(text)


@lru_cache(maxsize=None)
def _source_index() -> dict[str, dict[str, str]]:
    data = load("sources")
    index: dict[str, dict[str, str]] = {}
    for doc in data["documents"]:
        index[doc["id"]] = {"id": doc["id"], "title": doc["title"], "publisher": doc["publisher"]}
    for study in data["studies"]:
        index[study["id"]] = {"id": study["id"], "citation": study["citation"]}
    return index


def cite(ids: Iterable[str]) -> list[dict[str, str]]:
    """Citation dicts for source ids, in order, without duplicates.

    Seeds give {id, title, publisher}; evidence.md studies give {id, citation}.
    Raises KeyError for an unknown id (check_citations() catches these in tests).
    """
    index = _source_index()
    out: list[dict[str, str]] = []
    seen: set[str] = set()
    for sid in ids:
        if sid in seen:
            continue
        seen.add(sid)
        out.append(dict(index[sid]))
    return out


def rules() -> list[dict[str, Any]]:
    return load("findings")["rules"]


def rule(rule_id: str) -> dict[str, Any]:
    for r in rules():
        if r["id"] == rule_id:
            return r
    raise KeyError(rule_id)


def mechanism(mech_id: str) -> dict[str, Any]:
    for m in load("mechanisms")["mechanisms"]:
        if m["id"] == mech_id:
            return m
    raise KeyError(mech_id)


def conditions() -> list[dict[str, Any]]:
    return load("conditions")["conditions"]


def red_flags() -> list[dict[str, Any]]:
    return load("conditions")["red_flags"]


def interventions() -> dict[str, Any]:
    return load("interventions")


# ---------------------------------------------------------------- validation


def _cited_ids(node: Any, where: str) -> Iterator[tuple[str, str]]:
    """(source id, location) for every list under a key ending in 'sources' (or 'source')."""
    if isinstance(node, dict):
        for key, value in node.items():
            here = f"{where}.{key}"
            if key.endswith("sources") or key == "source":
                items = value if isinstance(value, list) else [value]
                for sid in items:
                    yield str(sid), here
            else:
                yield from _cited_ids(value, here)
    elif isinstance(node, list):
        for i, item in enumerate(node):
            yield from _cited_ids(item, f"{where}[{i}]")


def default_seeds_dir() -> Path:
    """../shared/seeds next to the repository (gait/findings/catalog.py -> /work/shared/seeds)."""
    return Path(__file__).resolve().parents[2].parent / "shared" / "seeds"


def check_citations(seeds_dir: Path | None = None) -> list[str]:
    """Problems with the knowledge base's citations; an empty list means all is well.

    Checks: every source id used in any YAML resolves to sources.yaml; every document entry
    has a title and publisher, every study a citation; source ids are unique; mechanism,
    condition and exercise ids referenced between files exist; and, when the seeds folder
    is present, each seed file named in sources.yaml exists there.
    """
    problems: list[str] = []
    src = load("sources")
    ids = [d["id"] for d in src["documents"]] + [s["id"] for s in src["studies"]]
    dupes = {i for i in ids if ids.count(i) > 1}
    problems += [f"sources.yaml: duplicate id {i!r}" for i in sorted(dupes)]
    for doc in src["documents"]:
        for key in ("title", "publisher", "file"):
            if not str(doc.get(key) or "").strip():
                problems.append(f"sources.yaml: document {doc.get('id')!r} has no {key}")
    for study in src["studies"]:
        if not str(study.get("citation") or "").strip():
            problems.append(f"sources.yaml: study {study.get('id')!r} has no citation")

    known = set(ids)
    for name in KNOWLEDGE_FILES:
        if name == "sources":
            continue
        for sid, where in _cited_ids(load(name), name):
            if sid not in known:
                problems.append(f"{where}: unknown source id {sid!r}")
    problems += _check_cross_references()

    seeds = seeds_dir if seeds_dir is not None else default_seeds_dir()
    if seeds.is_dir():
        for doc in src["documents"]:
            if not (seeds / doc["file"]).is_file():
                problems.append(f"sources.yaml: seed file {doc['file']!r} not found in {seeds}")
    return problems


def _check_cross_references() -> list[str]:
    problems: list[str] = []
    mech_ids = {m["id"] for m in load("mechanisms")["mechanisms"]}
    cond_ids = {c["id"] for c in conditions()}
    rule_ids = {r["id"] for r in rules()}
    for r in rules():
        if "mechanism" in r and r["mechanism"] not in mech_ids:
            problems.append(f"findings.yaml: rule {r['id']!r} names unknown mechanism {r['mechanism']!r}")
    for m in load("mechanisms")["mechanisms"]:
        for c in m.get("conditions", []):
            if c not in cond_ids:
                problems.append(f"mechanisms.yaml: {m['id']!r} names unknown condition {c!r}")
    for c in conditions():
        if "mechanism" in c and c["mechanism"] not in mech_ids:
            problems.append(f"conditions.yaml: {c['id']!r} names unknown mechanism {c['mechanism']!r}")
        for fid in c.get("match", {}).get("gait_findings", []):
            if fid not in rule_ids:
                problems.append(f"conditions.yaml: {c['id']!r} names unknown finding {fid!r}")
    iv = interventions()
    ex_ids = {e["id"] for e in iv["exercises"]}
    for phase in iv["phases"]:
        for e in phase["exercises"]:
            if e not in ex_ids:
                problems.append(f"interventions.yaml: phase {phase['id']!r} names unknown exercise {e!r}")
    for fid in iv["form_cues"]:
        if fid not in rule_ids:
            problems.append(f"interventions.yaml: form cue for unknown finding {fid!r}")
    return problems
