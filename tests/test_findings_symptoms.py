"""Symptom intake and the documents' differential (patterns, never diagnoses)."""
from __future__ import annotations

import json

import pytest

from gait.errors import InputNotFound
from gait.findings import (
    Symptoms,
    SymptomsError,
    evaluate,
    load_symptoms,
    symptoms_from_cli_args,
)
from gait.findings.symptoms import symptoms_from_args, symptoms_from_mapping
from gait.findings.triage import red_flag_hits
from gait.result import Summary
from tests.findings_fixtures import drop_summary


def pattern_ids(findings):
    return {f.id for f in findings if f.id.startswith("pattern_")}


def test_load_json_and_yaml(tmp_path):
    data = {"pain_locations": ["outside_hip"], "pain_side": "left", "pain_timing": ["start_of_run"],
            "pain_pattern": ["eases_after_warmup"], "training_changes": ["volume_increase"], "pain_score": 3}
    j = tmp_path / "s.json"
    j.write_text(json.dumps(data))
    y = tmp_path / "s.yaml"
    y.write_text("pain_locations: [outside hip]\npain_side: left\npain_timing: start\n"
                 "pain_pattern: [eases after warm-up]\ntraining_changes: more mileage\npain_score: 3\n")
    assert load_symptoms(j) == load_symptoms(y)
    s = load_symptoms(j)
    assert s.pain_locations == ("outside_hip",) and s.pain_score == 3 and s.pain_side == "left"


def test_load_errors(tmp_path):
    with pytest.raises(InputNotFound):
        load_symptoms(tmp_path / "missing.json")
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"pain_location": ["outside_hip"]}))  # misspelt field
    with pytest.raises(SymptomsError, match="Unknown symptom field 'pain_location' \\(did you mean 'pain_locations'"):
        load_symptoms(bad)
    bad.write_text("{not json")
    with pytest.raises(SymptomsError):
        load_symptoms(bad)


@pytest.mark.parametrize("kwargs", [dict(pain_locations=["elbow"]), dict(pain_side="middle"),
                                    dict(pain_score=11), dict(pain_score="a lot"), dict(limping="maybe")])
def test_vocabulary_is_enforced(kwargs):
    with pytest.raises(SymptomsError):
        Symptoms(**kwargs)


def test_symptoms_error_is_a_usage_error():
    from gait.errors import UsageError
    assert issubclass(SymptomsError, UsageError) and SymptomsError.exit_code == 2


def test_cli_helper():
    s = symptoms_from_cli_args(pain_location="outside-hip,knee", pain_side="Right",
                               pain_pattern=["lasts hours"], limping=False, pain_score="4", swelling="yes")
    assert s == Symptoms(pain_locations=("outside_hip", "knee"), pain_side="right",
                         pain_pattern=("lasts_hours_after",), pain_score=4, swelling=True)
    assert symptoms_from_cli_args() is None
    with pytest.raises(SymptomsError, match="Unknown symptom field 'fevr'"):
        symptoms_from_cli_args(fevr=True)


def test_warm_up_pattern_outside_hip_is_tendinopathy_pattern():
    findings, _ = evaluate(Summary(cadence_spm=172.0),
                           Symptoms(pain_locations=["outside_hip"], pain_pattern=["eases_after_warmup"]))
    assert pattern_ids(findings) == {"pattern_gluteal_tendinopathy"}
    f = next(f for f in findings if f.id == "pattern_gluteal_tendinopathy")
    assert "not a diagnosis" in f.explanation
    assert "associate" in f.title and f.severity == "info"


def test_lasting_hours_is_bursitis_pattern():
    findings, _ = evaluate(Summary(), Symptoms(pain_locations=["outside_hip"], pain_pattern=["lasts_hours_after"]))
    assert "pattern_trochanteric_bursitis" in pattern_ids(findings)
    assert "pattern_gluteal_tendinopathy" not in pattern_ids(findings)


def test_stops_when_running_stops_with_back_pain_is_referred_pattern():
    findings, _ = evaluate(Summary(), Symptoms(pain_locations=["low_back", "back_hip"],
                                               pain_pattern=["stops_when_running_stops"]))
    assert pattern_ids(findings) == {"pattern_referred_low_back"}
    f = next(f for f in findings if f.id == "pattern_referred_low_back")
    assert f.values["pain_locations"] == ["low_back", "back_hip"]


def test_location_alone_or_gait_alone_does_not_make_a_pattern():
    findings, _ = evaluate(drop_summary(9.0, 4.0), Symptoms(pain_locations=["outside_hip"]))
    assert pattern_ids(findings) == set()


def test_gait_finding_supports_matching_pattern():
    findings, recs = evaluate(drop_summary(9.0, 6.5),  # left above the usual range; 2.5 deg difference
                              Symptoms(pain_locations=["outside_hip"], pain_side="left",
                                       pain_timing=["next_morning"], pain_pattern=["eases_after_warmup"]))
    f = next(f for f in findings if f.id == "pattern_gluteal_tendinopathy")
    assert f.values["gait_findings"] == ["pelvic_drop_high"]
    assert f.mechanism and "left hip abductors" in f.mechanism[0]
    assert all(r.side == "left" for r in recs if r.kind == "strength")


def test_lateral_hip_pattern_without_pelvic_measurement_gets_strength_for_painful_side():
    _, recs = evaluate(Summary(cadence_spm=172.0),
                       Symptoms(pain_locations=["outside_hip"], pain_side="right",
                                pain_pattern=["eases_after_warmup"]))
    strength = [r for r in recs if r.kind == "strength"]
    assert strength and all(r.side == "right" for r in strength)
    assert strength[0].because_of == ["pattern_gluteal_tendinopathy"]
    assert "Tendon-friendly" in strength[0].detail


@pytest.mark.parametrize("symptoms, flag", [
    (Symptoms(pain_pattern=["worsens_during_run"]), "worsens_during_run"),
    (Symptoms(pain_locations=["groin"]), "groin_or_front_hip"),
    (Symptoms(pain_timing=["night_or_rest"]), "rest_or_night_pain"),
    (Symptoms(pain_timing=["at night"]), "rest_or_night_pain"),  # an ambiguous wording reads as the warning sign
    (Symptoms(limping=True), "limping"),
    (Symptoms(clicking_or_locking=True), "clicking_or_locking"),
    (Symptoms(pain_score=8), "high_pain_score"),
])
def test_each_red_flag(symptoms, flag):
    assert [h.id for h in red_flag_hits(symptoms)] == [flag]


@pytest.mark.parametrize("symptoms", [
    None, Symptoms(), Symptoms(pain_locations=["outside_hip"], pain_score=6,
                               pain_pattern=["eases_after_warmup"], pain_timing=["start_of_run"]),
    Symptoms(pain_locations=["outside_hip"], pain_timing=["night_lying_on_side"]), Symptoms(sudden_onset=True),
])
def test_no_red_flag(symptoms):
    assert red_flag_hits(symptoms) == []


def test_red_flag_finding_names_the_reasons():
    findings, recs = evaluate(Summary(), Symptoms(pain_locations=["groin"], limping=True, pain_side="left"))
    rf = findings[0]
    assert rf.id == "red_flags" and rf.side == "left"
    assert rf.values == {"pain_locations": ["groin"], "limping": True}
    assert "pain in the groin or at the front of the hip and limping" in recs[0].detail
    assert "this week" in rf.explanation


def test_symptoms_from_args_merges_file_and_cli(tmp_path):
    f = tmp_path / "s.yaml"
    f.write_text("pain_locations: [outside_hip]\npain_score: 3\npain_side: left\n")
    s = symptoms_from_args(path=f, locations=["knee"], timing=["at_rest_or_night"],
                           patterns=["lasts_hours"], pain_score=5.0, yes=["swelling"])
    assert s.pain_locations == ("outside_hip", "knee")
    assert s.pain_timing == ("night_or_rest",) and s.pain_pattern == ("lasts_hours_after",)
    assert s.pain_score == 5 and s.pain_side == "left" and s.swelling is True
    assert symptoms_from_args(path=None, locations=[], timing=[], patterns=[], pain_score=None) is None
    assert symptoms_from_args(yes=["limping"]).limping is True


def test_mapping_round_trip():
    s = Symptoms(pain_locations=["outside_hip"], pain_side="right", pain_score=2, sudden_onset=True)
    assert symptoms_from_mapping(s.to_dict()) == s


def test_half_point_pain_score_rounds_up_to_the_safer_side():
    assert Symptoms(pain_score=6.5).pain_score == 7
    assert [h.id for h in red_flag_hits(Symptoms(pain_score=6.5))] == ["high_pain_score"]


def test_yes_no_questions_are_the_symptoms_fields_in_one_place():
    from dataclasses import fields

    from gait.findings.intake import YES_NO_FIELDS
    bools = [f.name for f in fields(Symptoms) if f.type in ("bool", bool)]
    assert bools == list(YES_NO_FIELDS)


def test_has_pain():
    assert not Symptoms(training_changes=["hills"]).has_pain()
    assert not Symptoms(pain_score=0).has_pain()
    assert Symptoms(pain_locations=["knee"]).has_pain() and Symptoms(pain_score=2).has_pain()

