"""Load the YAML knowledge base and resolve source ids to citations.

The knowledge lives in ``gait/findings/knowledge/*.yaml`` (package data), so clinical
content can be reviewed and changed without touching code. ``kb.knowledge()`` turns it
into typed objects; this module only reads the files and cites sources.
"""
from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Iterable

import yaml

# libyaml's safe loader when PyYAML was built with it: the pure-Python one takes ~0.6 s for the
# knowledge files, a quarter of a cached re-analysis; both build the same data (tests/test_findings_*).
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

KNOWLEDGE_FILES = ("sources", "findings", "mechanisms", "conditions", "triage", "exercises", "plans",
                   "interventions")


@lru_cache(maxsize=None)
def load(name: str) -> dict[str, Any]:
    """Parsed ``knowledge/<name>.yaml`` (read via importlib.resources: works when installed).

    Cached: callers must treat the result as read-only (kb.knowledge() copies it into
    frozen dataclasses).
    """
    if name not in KNOWLEDGE_FILES:
        raise KeyError(f"unknown knowledge file {name!r}")
    text = resources.files(__package__).joinpath("knowledge", f"{name}.yaml").read_text("utf-8")
    return yaml.load(text, Loader=SAFE_LOADER)


def cited_entries() -> list[dict[str, Any]]:
    """Every citable entry of sources.yaml: documents, then studies, then project notes."""
    data = load("sources")
    return list(data["documents"]) + list(data["studies"]) + list(data.get("project_notes", []))


@lru_cache(maxsize=None)
def _source_index() -> dict[str, tuple[tuple[str, str], ...]]:
    index: dict[str, tuple[tuple[str, str], ...]] = {}
    for entry in cited_entries():
        if "publisher" in entry:
            index[entry["id"]] = (("id", entry["id"]), ("title", entry["title"]), ("publisher", entry["publisher"]))
        else:
            index[entry["id"]] = (("id", entry["id"]), ("citation", " ".join(entry["citation"].split())))
    return index


def cite(ids: Iterable[str]) -> list[dict[str, str]]:
    """Citation dicts for source ids, in order, without duplicates.

    Seeds give {id, title, publisher}; evidence.md studies and project notes give
    {id, citation}. Raises KeyError for an unknown id (check_citations() catches these).
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


def known_source_ids() -> set[str]:
    return set(_source_index())


def default_seeds_dir() -> Path:
    """../shared/seeds next to the repository (gait/findings/catalog.py -> /work/shared/seeds)."""
    return Path(__file__).resolve().parents[2].parent / "shared" / "seeds"


def default_evidence_path() -> Path:
    """../shared/evidence.md next to the repository."""
    return default_seeds_dir().parent / "evidence.md"
