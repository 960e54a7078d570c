"""The report's view model: counts, ± intervals, named bands, quality sentences, cadence plan, plain words."""
from __future__ import annotations

import dataclasses
import re

import pytest
from report_fixtures import make_result

from gait.findings import evaluate
from gait.findings.cadence import expected_cadence_spm
from gait.findings.kb import knowledge
from gait.report.view import build_view
from gait.report.view.cards import headline_cards
from gait.report.view.counts import counts

FIELD_NAME = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")
PY_LITERAL = re.compile(r"\b(?:True|False)\b|\bNone\b(?! of)|_deg\b|_pct\b|_ms\b|\+-|\b(?:spm|pct|mps)\b")


def runner_strings(obj, skip=("data", "field", "raw", "data_uri", "figure", "plots", "anchor", "kind", "severity",
                              "key", "id", "file", "status", "clip", "rear_clip")):
    """Every string a reader sees in the view (not the researchers' data, not ids or css classes)."""
    if isinstance(obj, str):
        yield obj
    elif dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        for f in dataclasses.fields(obj):
            if f.name not in skip:
                yield from runner_strings(getattr(obj, f.name), skip)
        for name in ("text", "full", "legend", "label"):  # computed words
            if isinstance(getattr(type(obj), name, None), property):
                yield getattr(obj, name)
    elif isinstance(obj, (list, tuple)):
        for x in obj:
            yield from runner_strings(x, skip)
    elif isinstance(obj, dict):
        for x in obj.values():
            yield from runner_strings(x, skip)


@pytest.mark.parametrize("view", ["rear", "side_right"])
@pytest.mark.parametrize("intervals", [False, True])
def test_no_field_names_or_python_values_in_runner_text(view, intervals):
    v = build_view(make_result(view, intervals=intervals))
    for text in runner_strings(v):
        assert not FIELD_NAME.search(text), text
        assert not PY_LITERAL.search(text), text


def test_counts_are_defined_once_and_add_up():
    r = make_result("rear")
    c = counts(r)
    used = [s for s in r.strides if not s.excluded]
    assert c.strides.total == len(used) and c.strides.left == sum(s.side == "left" for s in used)
    assert c.strides_excluded == 1  # the fixture leaves the last stride out
    assert c.strides_text == f"{len(used)} strides ({c.strides.left} left and {c.strides.right} right stances)"
    assert c.stances.total == len([s for s in r.pelvis.stances if s.excluded is None])
    header = build_view(r).header.counts
    assert header.startswith(c.strides_text) and c.stances_text in header


def test_plus_minus_only_where_an_interval_exists():
    bare = {c.key: c for c in headline_cards(make_result("rear"))}
    full = {c.key: c for c in headline_cards(make_result("rear", intervals=True))}
    assert bare["cadence_spm"].number.pm_text == ""  # no interval: nothing is said, nothing wrong
    assert bare["pelvic_drop_deg.left"].number.pm_text == ""
    r = make_result("rear", intervals=True)
    lo, hi = r.summary.cadence_spm_ci
    assert full["cadence_spm"].number.pm == pytest.approx((hi - lo) / 2)
    assert full["cadence_spm"].number.pm_text.startswith("± ")
    lo, hi = r.summary.pelvic_drop_left_deg_ci
    assert full["pelvic_drop_deg.left"].number.full == f"{r.summary.pelvic_drop_left_deg:.1f} ± {(hi - lo) / 2:.1f}°"


def test_drop_bands_are_named_from_the_knowledge_files_and_grade_like_the_finding():
    rule = knowledge().rule("pelvic_drop_high")
    edges = [b.edge for b in rule.left.bands]
    r = make_result("rear", drop_deg={"left": 12.0, "right": 4.0}, intervals=True)
    r.findings, r.recommendations = evaluate(r.summary)
    card = next(c for c in headline_cards(r) if c.key == "pelvic_drop_deg.left")
    assert [b.name for b in card.scale.bands] == ["typical", "raised", "high"][:len(edges) + 1]
    assert [b.low for b in card.scale.bands[1:]] == edges
    assert card.scale.evidence == rule.text.evidence
    assert card.scale.bands[1].meaning == rule.text.band_word("mild")
    finding = next(f for f in r.findings if f.id == "pelvic_drop_high")
    named = {"mild": "raised", "moderate": "high", "marked": "very high"}[finding.severity]
    assert card.status_text.startswith(named)


def test_point_value_above_an_edge_but_interval_below_it_is_explained():
    r = make_result("rear", drop_deg={"left": 9.6, "right": 3.0})
    r.summary.pelvic_drop_left_deg, r.summary.pelvic_drop_left_deg_ci = 9.5, [8.0, 11.0]
    card = next(c for c in headline_cards(r) if c.key == "pelvic_drop_deg.left")
    assert card.status_text.startswith("raised")
    assert "9.5° alone would read high" in card.note and "8.0°" in card.note


def test_pelvis_quality_notes_are_sentences_with_their_numbers():
    v = build_view(make_result("rear"))
    notes = next(g for g in v.notes if g.title == "Pelvic drop").notes
    q = make_result("rear").pelvis.quality
    roll = next(n for n in notes if n.startswith("Camera roll"))
    assert f"{q.camera_roll_deg:.1f}°" in roll and f"{q.camera_roll_lines} level or plumb lines" in roll
    level = next(n for n in notes if "own pelvis level" in n)
    assert f"{q.level_deg:+.2f}°" in level and "flight" in level
    assert all(n.endswith(".") and n[0].isupper() for n in notes)


def test_not_measured_says_why_in_words():
    side = build_view(make_result("side_right"))
    text = " ".join(side.not_measured)
    assert "Pelvic drop was not measured" in text
    r = make_result("side_right")
    r.summary.vertical_oscillation_cm = r.summary.vertical_ratio_pct = r.summary.overstride_cm = None
    lines = build_view(r).not_measured
    assert any(line.startswith("Heel ahead of the hip at foot strike in centimetres, vertical oscillation")
               and "give the runner's height" in line for line in lines)
    assert not any("side view is needed" in line for line in lines)  # it is a side view
    rear = " ".join(build_view(make_result("rear")).not_measured)
    assert "a side view is needed" in rear


def test_cadence_plan_stops_at_the_norm_the_card_states():
    r = make_result("rear", intervals=True)
    r.summary.cadence_spm, r.summary.speed_mps = 160.0, 4.2
    r.summary.cadence_spm_ci = [158.0, 162.0]
    r.findings, r.recommendations = evaluate(r.summary)
    v = build_view(r)
    plan = next(p.cadence for p in v.plan if p.cadence is not None)
    norm = expected_cadence_spm(4.2)
    assert plan.norm_spm == pytest.approx(norm) and max(plan.targets) <= norm
    assert plan.targets[0] == round(next(x for x in r.recommendations if x.kind == "cadence").target_spm)
    card = next(c for c in v.cards if c.key == "cadence_spm")
    assert f"about {norm:.0f} steps/min" in card.note and f"about {norm:.0f} steps/min" in plan.text
    assert [m.spm for m in v.metronomes] == list(plan.targets)


def test_what_to_do_next_is_the_plan_head():
    v = build_view(make_result("rear"))
    assert 1 <= len(v.actions) <= 3
    assert [a.title for a in v.actions] == [p.title for p in v.plan][:len(v.actions)]
    assert all(a.anchor == p.anchor for a, p in zip(v.actions, v.plan))
