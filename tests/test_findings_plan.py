"""The plan: side-specific strengthening, cadence targets, red flags withhold the plan."""
from __future__ import annotations

import pytest

from gait.findings import DISCLAIMER, Symptoms, cadence_targets, evaluate
from gait.result import Summary

SIDE_VIEW_LOW_CADENCE = dict(cadence_spm=156.0, speed_mps=3.2, shank_angle_deg=11.0, contact_time_ms=280.0)


def recs_by_kind(recs, kind):
    return [r for r in recs if r.kind == kind]


@pytest.mark.parametrize("left, right, side", [(9.0, 4.0, "left"), (3.5, 8.5, "right")])
def test_strength_is_for_stance_side_of_larger_drop(left, right, side):
    _, recs = evaluate(Summary(pelvic_drop_left_deg=left, pelvic_drop_right_deg=right))
    strength = recs_by_kind(recs, "strength")
    assert [r.phase for r in strength] == ["activation", "strengthening", "functional"]
    other = "right" if side == "left" else "left"
    for r in strength:
        assert r.side == side
        assert r.title.lower().startswith(f"{side} hip abductors")
        assert f"extra set on the {side} side" in r.detail
        assert "pelvic_drop_high" in r.because_of
        assert r.dose and " x " in r.dose  # sets x reps
    assert f"until the {side} side matches the {other} side" in strength[0].detail


@pytest.mark.parametrize("left, right, lead", [(7.0, 11.0, "right"), (12.0, 7.0, "left")])
def test_both_sides_high_trains_both_and_leads_with_larger(left, right, lead):
    _, recs = evaluate(Summary(pelvic_drop_left_deg=left, pelvic_drop_right_deg=right))
    strength = recs_by_kind(recs, "strength")
    assert strength and all(r.side == "both" for r in strength)
    assert f"({lead} first)" in strength[0].title


def test_asymmetry_alone_targets_side_of_larger_drop():
    _, recs = evaluate(Summary(pelvic_drop_left_deg=1.5, pelvic_drop_right_deg=5.5))
    strength = recs_by_kind(recs, "strength")
    assert strength and all(r.side == "right" for r in strength)


def test_strength_paired_with_movement_feedback():
    _, recs = evaluate(Summary(pelvic_drop_left_deg=9.0))
    fb = [r for r in recs if r.id == "movement_feedback"]
    assert len(fb) == 1 and fb[0].side == "left"
    assert {s["id"] for s in fb[0].sources} >= {"willy_davis2011", "willy_scholz_davis2012"}
    assert "left leg" in fb[0].detail


def test_strength_doses_and_progression():
    _, recs = evaluate(Summary(pelvic_drop_left_deg=9.0))
    strength = recs_by_kind(recs, "strength")
    joined = " ".join(r.dose + r.detail for r in strength).lower()
    for exercise in ("clamshells", "side-lying hip abduction", "lateral band walks", "single-leg squat",
                     "single-leg bridge", "single-leg (romanian) deadlift", "hip hitches", "step-ups",
                     "crab walks", "fire hydrants", "side plank"):
        assert exercise in joined, exercise
    assert "2-3 sessions a week" in strength[1].dose
    assert all("move on when" in r.detail.lower() for r in strength)


@pytest.mark.parametrize("cadence", [150.0, 156.0, 163.4, 171.0])
def test_cadence_target_is_5_to_10_percent(cadence):
    start, progress = cadence_targets(cadence)
    assert isinstance(start, int) and isinstance(progress, int)
    assert start == round(cadence * 1.05) and progress == round(cadence * 1.10)
    _, recs = evaluate(Summary(**{**SIDE_VIEW_LOW_CADENCE, "cadence_spm": cadence}))
    cue = recs_by_kind(recs, "cadence")
    assert len(cue) == 1
    assert cue[0].target_spm == start
    assert 1.045 <= cue[0].target_spm / cadence <= 1.105
    assert f"{progress} steps/min" in cue[0].detail
    assert {"heiderscheit2011", "willy2016", "lenhart2014"} <= {s["id"] for s in cue[0].sources}


def test_no_cadence_cue_without_measured_cadence():
    _, recs = evaluate(Summary(shank_angle_deg=12.0))
    assert not recs_by_kind(recs, "cadence")
    assert any(r.id == "form_overstride" for r in recs)


def test_normal_runner_gets_general_advice_only():
    findings, recs = evaluate(Summary(cadence_spm=172.0, speed_mps=3.0, pelvic_drop_left_deg=4.0,
                                      pelvic_drop_right_deg=4.0, shank_angle_deg=3.0))
    assert [f.id for f in findings] == ["nothing_notable"]
    assert [r.id for r in recs] == ["general_maintenance", "load_management"]
    assert all("general" in r.title.lower() for r in recs)
    assert "2-3" in recs[0].dose
    assert not recs_by_kind(recs, "cadence")


def test_plan_ends_with_retest_in_6_to_8_weeks():
    _, recs = evaluate(Summary(**SIDE_VIEW_LOW_CADENCE))
    assert recs[-1].kind == "retest"
    assert "6-8 weeks" in recs[-1].title
    assert "rear" in recs[-1].detail  # tells what this clip could not measure


@pytest.mark.parametrize("symptoms", [
    Symptoms(pain_pattern=["worsens_during_run"]),
    Symptoms(pain_locations=["groin"]),
    Symptoms(pain_locations=["front_hip"]),
    Symptoms(pain_timing=["night_or_rest"]),
    Symptoms(limping=True),
    Symptoms(clicking_or_locking=True),
    Symptoms(pain_score=7),
])
def test_red_flags_withhold_the_plan(symptoms):
    s = Summary(pelvic_drop_left_deg=10.5, **SIDE_VIEW_LOW_CADENCE)
    findings, recs = evaluate(s, symptoms)
    assert findings[0].id == "red_flags" and findings[0].severity == "marked"
    assert [r.kind for r in recs] == ["see_clinician"]
    assert "withheld" in recs[0].detail
    # the measurements are still reported
    assert any(f.id == "pelvic_drop_high" for f in findings)


def test_pain_score_below_red_flag_keeps_plan():
    _, recs = evaluate(Summary(pelvic_drop_left_deg=9.0, cadence_spm=160.0),
                       Symptoms(pain_locations=["outside_hip"], pain_score=6))
    assert recs_by_kind(recs, "strength") and recs_by_kind(recs, "cadence")
    load = recs_by_kind(recs, "load")[0]
    assert "6/10" in load.detail and "tolerable" in load.detail


def test_every_recommendation_cites_sources_and_findings_exist():
    findings, recs = evaluate(Summary(pelvic_drop_left_deg=9.0, vertical_ratio_pct=9.0, trunk_lean_deg=18.0,
                                      contact_time_asymmetry_pct=9.0, contact_time_ms=320.0,
                                      **{k: v for k, v in SIDE_VIEW_LOW_CADENCE.items() if k != "contact_time_ms"}))
    fids = {f.id for f in findings}
    for r in recs:
        assert r.sources, r.id
        assert set(r.because_of) <= fids, r.id
    kinds = [r.kind for r in recs]
    assert kinds.index("strength") < kinds.index("cadence") < kinds.index("load") < kinds.index("retest")


def test_disclaimer_is_plain_and_non_diagnostic():
    assert "not a diagnosis" in DISCLAIMER
    assert len(DISCLAIMER) < 700
