"""One plan per pattern, and each plan's content is safe for the pattern it is given to."""
from __future__ import annotations

import pytest

from gait.findings import Symptoms, evaluate
from gait.findings.kb import knowledge
from gait.result import Summary
from tests.findings_fixtures import ci, drop_summary, exercise_ids_in, tags_in

GLUTEAL = Symptoms(pain_locations=["outside_hip"], pain_side="left", pain_pattern=["eases_after_warmup"],
                   pain_timing=["start_of_run", "next_morning"])
BURSITIS_NIGHT = Symptoms(pain_locations=["outside_hip"], pain_side="right", pain_timing=["night_lying_on_side"])
STRAIN = Symptoms(pain_locations=["outside_hip"], pain_side="right", sudden_onset=True, pain_score=5)
HAMSTRING = Symptoms(pain_locations=["back_hip"], pain_pattern=["eases_after_warmup", "deep_bending_hurts"],
                     training_changes=["speed_work", "hills"], pain_score=3)
BACK = Symptoms(pain_locations=["low_back", "outside_hip"], pain_pattern=["stops_when_running_stops"], pain_score=3)
ITBS = Symptoms(pain_locations=["outside_hip", "knee"], training_changes=["old_or_tight_shoes"])

# a clip that would otherwise call for every running change
BUSY_CLIP = drop_summary(10.5, 4.0, cadence_spm=156.0, cadence_spm_ci=ci(156, 1), speed_mps=3.2,
                         shank_angle_deg=12.0, shank_angle_deg_ci=ci(12, 1))


def plan(symptoms, summary=BUSY_CLIP):
    return evaluate(summary, symptoms)


def phase(recs, phase_id):
    return next(r for r in recs if r.phase == phase_id)


@pytest.mark.parametrize("symptoms", [GLUTEAL, BURSITIS_NIGHT])
def test_tendon_pattern_phase_1_has_no_side_lying_or_dropped_pelvis_loading(symptoms):
    findings, recs = plan(symptoms)
    assert {"pattern_gluteal_tendinopathy", "pattern_trochanteric_bursitis"} & {f.id for f in findings}
    first = phase(recs, "activation")
    assert not tags_in(first) & {"side_lying", "loaded_adduction"}
    assert "isometric_abduction" in exercise_ids_in(first)
    text = (first.dose + first.detail).lower()
    assert "side-lying" not in text and "lower the free side" not in text and "clamshell" not in text
    assert "never below it" in text  # the hip hitch from level only
    assert not tags_in(phase(recs, "strengthening")) & {"side_lying", "loaded_adduction"}


@pytest.mark.parametrize("symptoms", [GLUTEAL, BURSITIS_NIGHT])
def test_tendon_pattern_has_the_posture_education(symptoms):
    _, recs = plan(symptoms)
    edu = next(r for r in recs if r.kind == "education")
    assert edu.id == "education_compressive_postures" and edu.start_week == 1
    for posture in ("lying on the sore side", "legs crossed", "hung on one hip"):
        assert posture in edu.detail
    assert "mellor2018" in {s["id"] for s in edu.sources}
    assert [r.kind for r in recs].index("education") < [r.kind for r in recs].index("strength")


def test_night_pain_lying_on_the_side_is_a_bursitis_sign_not_a_red_flag():
    findings, recs = plan(BURSITIS_NIGHT, Summary())
    assert "red_flags" not in {f.id for f in findings}
    assert "pattern_trochanteric_bursitis" in {f.id for f in findings}
    assert recs[0].kind != "see_clinician"
    # constant rest or night pain, whatever the position, still is
    findings, recs = plan(Symptoms(pain_locations=["outside_hip"], pain_timing=["night_or_rest"]), Summary())
    assert findings[0].id == "red_flags" and [r.kind for r in recs] == ["see_clinician"]


def test_strain_pattern_starts_with_rest_then_loads_gradually():
    findings, recs = plan(STRAIN)
    assert "pattern_muscle_strain" in {f.id for f in findings}
    assert recs[0].kind == "rest" and recs[0].start_week == 1
    assert "few days" in recs[0].detail and "72 hours" in recs[0].detail
    assert not tags_in(recs[0]) & {"stretch", "deep_flexion", "impact"}
    loading = [r for r in recs if r.kind == "strength"]
    assert [r.phase for r in loading] == ["activation", "strengthening", "functional"]
    assert not tags_in(loading[0]) & {"deep_flexion", "impact"}
    assert "single_leg_deadlift" not in exercise_ids_in(loading[0]) | exercise_ids_in(loading[1])
    rtr = next(r for r in recs if r.kind == "return_to_run")
    cadence = next(r for r in recs if r.kind == "cadence")
    assert rtr.start_week > recs[0].start_week and cadence.start_week > rtr.start_week  # running changes last


def test_strain_needs_a_sudden_onset():
    findings, _ = plan(Symptoms(pain_locations=["back_hip"], training_changes=["speed_work"]), Summary())
    assert "pattern_muscle_strain" not in {f.id for f in findings}


def test_hamstring_pattern_has_no_early_loaded_deep_flexion():
    findings, recs = plan(HAMSTRING)
    assert "pattern_high_hamstring_tendinopathy" in {f.id for f in findings}
    for early in ("activation", "strengthening"):
        assert "deep_flexion" not in tags_in(phase(recs, early))
        assert not exercise_ids_in(phase(recs, early)) & {"single_leg_deadlift", "lateral_lunge"}
    assert "bridge_hold_low_flexion" in exercise_ids_in(phase(recs, "activation"))
    edu = next(r for r in recs if r.kind == "education")
    assert "touch your toes" in edu.detail and "deep squats" in edu.detail
    load = next(r for r in recs if r.kind == "load")
    assert "speed work and hill sessions first" in load.detail
    assert not any(r.id == "movement_feedback" for r in recs)


def test_back_pattern_refers_for_assessment_instead_of_the_hip_plan():
    findings, recs = plan(BACK)
    assert "pattern_referred_low_back" in {f.id for f in findings}
    assert recs[0].kind == "see_clinician" and recs[0].urgency == "this_week"
    assert "low back" in recs[0].title.lower() and "Meanwhile:" in recs[0].detail
    assert [r.kind for r in recs] == ["see_clinician", "load"]  # no abductor plan, mirror cue or cadence cue


def test_itbs_matches_old_or_tight_shoes_not_new_ones():
    findings, recs = plan(ITBS)
    assert "pattern_itbs" in {f.id for f in findings}
    assert phase(recs, "activation").title.startswith("Phase 1 - activation")
    findings, _ = plan(Symptoms(pain_locations=["outside_hip"], training_changes=["new_shoes"]), Summary())
    assert "pattern_itbs" not in {f.id for f in findings}


def test_itbs_text_keeps_its_evidence_grade():
    findings, _ = plan(ITBS)
    f = next(f for f in findings if f.id == "pattern_itbs")
    assert "plausible, not proven" in f.explanation
    assert "grau2008" in {s["id"] for s in f.sources}


@pytest.mark.parametrize("symptoms", [GLUTEAL, BURSITIS_NIGHT, STRAIN, HAMSTRING, BACK, ITBS])
def test_a_matched_pattern_is_never_labelled_no_specific_finding(symptoms):
    findings, recs = plan(symptoms, Summary())
    assert [f for f in findings if f.id.startswith("pattern_")]
    assert not any("no specific finding" in (r.title + r.detail).lower() for r in recs)
    pattern_plans = {knowledge().condition(f.id.removeprefix("pattern_")).plan for f in findings
                     if f.id.startswith("pattern_")}
    assert not pattern_plans & {"maintenance", "gentle_general"}


@pytest.mark.parametrize("symptoms", [GLUTEAL, BURSITIS_NIGHT, STRAIN, HAMSTRING, ITBS])
def test_pattern_findings_carry_how_far_they_can_be_trusted(symptoms):
    findings, _ = plan(symptoms)
    for f in findings:
        if f.id.startswith("pattern_"):
            assert "How far this can be trusted:" in f.explanation and "not a diagnosis" in f.explanation


def test_cadence_mechanism_claims_only_lab_loads_per_step():
    f = next(f for f in evaluate(BUSY_CLIP)[0] if f.id == "cadence_low_for_speed")
    text = " ".join(f.mechanism).lower() + f.explanation.lower()
    assert "summed over a run" not in text and "likely" not in text
    assert "laboratory" in text and "none of them measured hip pain" in text


def test_every_plan_keeps_its_own_phase_exclusions():
    k = knowledge()
    for p in k.plans:
        for ph in p.phases:
            for ex in ph.exercises:
                assert not set(k.exercise(ex).tags) & set(ph.excludes), (p.id, ph.id, ex)
    assert {c.plan for c in k.conditions} <= {p.id for p in k.plans}


def test_tendon_plan_never_piles_extra_sets_on_a_sore_tendon():
    # pain on both sides, larger resolvable drop on the left: the left leads, same dose
    _, recs = evaluate(drop_summary(9.8, 3.2), Symptoms(pain_locations=["outside_hip"], pain_side="both",
                                                        pain_pattern=["eases_after_warmup"]))
    strength = [r for r in recs if r.kind == "strength"]
    assert strength and all(r.side == "left" for r in strength)
    assert all("extra set" not in r.detail and "same dose on both sides" in r.detail for r in strength)
