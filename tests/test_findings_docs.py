"""docs/symptoms.md stays in step with the knowledge: every intake field, warning sign and urgency."""
from __future__ import annotations

import re
from dataclasses import fields
from pathlib import Path

from gait.findings import Symptoms
from gait.findings.intake import YES_NO
from gait.findings.kb import knowledge
from gait.findings.tables import plan_table, red_flag_table

DOC = (Path(__file__).resolve().parents[1] / "docs" / "symptoms.md").read_text(encoding="utf-8")


def between(marker: str) -> str:
    m = re.search(rf"<!-- tables:{marker} -->\n(.*?)\n<!-- /tables:{marker} -->", DOC, re.S)
    assert m, marker
    return m.group(1)


def test_tables_are_the_rendered_knowledge():
    # regenerate with: python -m gait.findings.tables
    assert between("red-flags") == red_flag_table()
    assert between("plans") == plan_table()


def test_every_intake_field_and_flag_is_documented():
    for f in fields(Symptoms):
        assert f"`{f.name}`" in DOC, f.name
    for q in YES_NO:
        assert f"`--{q.name.replace('_', '-')}`" in DOC
    for flag in knowledge().red_flags:
        assert flag.label in DOC and knowledge().urgency(flag.urgency).title in DOC
