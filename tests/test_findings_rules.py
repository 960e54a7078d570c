"""Gait rules: each fires on the right inputs, not on the wrong ones, at the band edges."""
from __future__ import annotations

import math
from dataclasses import fields

import pytest

from gait.findings import evaluate, expected_cadence_spm, not_measured
from gait.findings.rules import band_severity, gait_findings
from gait.result import Summary

# A runner whose every measurement sits inside the bands.
NORMAL = dict(
    cadence_spm=172.0, speed_mps=3.0, contact_time_ms=250.0, contact_time_left_ms=248.0,
    contact_time_right_ms=252.0, contact_time_asymmetry_pct=1.6, step_time_asymmetry_pct=1.0,
    pelvic_drop_left_deg=4.0, pelvic_drop_right_deg=4.5, pelvic_drop_asymmetry_deg=-0.5,
    overstride_cm=20.0, overstride_leg_pct=22.0, shank_angle_deg=4.0, knee_flexion_fs_deg=20.0,
    trunk_lean_deg=8.0, vertical_oscillation_cm=8.5, vertical_ratio_pct=7.0, duty_factor_pct=35.0,
    is_walking=False,
)


def ids(summary: Summary) -> set[str]:
    return {f.id for f in gait_findings(summary)}


def only(summary: Summary, finding_id: str):
    found = [f for f in gait_findings(summary) if f.id == finding_id]
    assert len(found) == 1, [f.id for f in gait_findings(summary)]
    return found[0]


def normal(**changes) -> Summary:
    return Summary(**{**NORMAL, **changes})


def test_normal_runner_gets_single_nothing_notable():
    findings, _ = evaluate(normal())
    assert [f.id for f in findings] == ["nothing_notable"]
    assert findings[0].severity == "info"
    assert findings[0].values["cadence_spm"] == 172.0  # the measurements behind "nothing notable"


def test_band_severity_edges_are_strict():
    bands = {"mild": 6.0, "moderate": 8.0, "marked": 10.0}
    assert band_severity(6.0, bands) is None
    assert band_severity(6.01, bands) == "mild"
    assert band_severity(8.0, bands) == "mild"
    assert band_severity(8.5, bands) == "moderate"
    assert band_severity(10.0, bands) == "moderate"
    assert band_severity(10.5, bands) == "marked"
    assert band_severity(None, bands) is None


@pytest.mark.parametrize("value, severity", [(6.0, None), (6.1, "mild"), (8.1, "moderate"), (10.1, "marked")])
def test_pelvic_drop_bands(value, severity):
    s = normal(pelvic_drop_left_deg=value, pelvic_drop_asymmetry_deg=None, pelvic_drop_right_deg=value - 0.5)
    if severity is None:
        assert "pelvic_drop_high" not in ids(s)
    else:
        f = only(s, "pelvic_drop_high")
        assert f.severity == severity
        assert f.evidence == "heuristic"
        assert "no validated" in f.threshold.lower()
        assert "deg" in f.threshold


def test_pelvic_drop_side_is_the_stance_side_left():
    f = only(normal(pelvic_drop_left_deg=9.0, pelvic_drop_right_deg=4.0, pelvic_drop_asymmetry_deg=5.0),
             "pelvic_drop_high")
    assert f.side == "left"
    assert "left hip abductors" in f.mechanism[0].lower()
    assert "right side of the pelvis drops" in f.mechanism[1].lower()
    assert f.values["pelvic_drop_left_deg"] == 9.0


def test_pelvic_drop_side_is_the_stance_side_right():
    f = only(normal(pelvic_drop_left_deg=3.0, pelvic_drop_right_deg=9.0, pelvic_drop_asymmetry_deg=-6.0),
             "pelvic_drop_high")
    assert f.side == "right"
    assert "right hip abductors" in f.mechanism[0].lower()


def test_pelvic_drop_both_sides():
    f = only(normal(pelvic_drop_left_deg=7.0, pelvic_drop_right_deg=11.0, pelvic_drop_asymmetry_deg=-4.0),
             "pelvic_drop_high")
    assert f.side == "both"
    assert f.severity == "marked"  # the larger side sets the severity


def test_pelvic_mechanism_says_plausible_not_proven():
    f = only(normal(pelvic_drop_left_deg=9.0), "pelvic_drop_high")
    assert "plausible, not proven" in f.explanation.lower()
    assert any(src["id"] == "grau2008" for src in f.sources)


@pytest.mark.parametrize("asym, fires, side", [(3.0, False, None), (-3.0, False, None), (3.2, True, "left"),
                                              (-3.2, True, "right"), (5.5, True, "left")])
def test_pelvic_drop_asymmetry(asym, fires, side):
    s = normal(pelvic_drop_left_deg=None, pelvic_drop_right_deg=None, pelvic_drop_asymmetry_deg=asym)
    assert ("pelvic_drop_asymmetric" in ids(s)) is fires
    if fires:
        assert only(s, "pelvic_drop_asymmetric").side == side


def test_pelvic_asymmetry_derived_from_sides_when_missing():
    f = only(normal(pelvic_drop_left_deg=2.0, pelvic_drop_right_deg=5.5, pelvic_drop_asymmetry_deg=None),
             "pelvic_drop_asymmetric")
    assert f.side == "right"
    assert f.values["pelvic_drop_asymmetry_deg"] == pytest.approx(-3.5)


def test_expected_cadence_follows_speed_norms():
    assert expected_cadence_spm(2.7) == pytest.approx(169.0)
    assert expected_cadence_spm(3.8) == pytest.approx(178.0)
    assert expected_cadence_spm(10.0) == expected_cadence_spm(5.0)  # clamped, no wild extrapolation
    assert expected_cadence_spm(1.0) == expected_cadence_spm(2.2)


def test_cadence_judged_against_speed_not_180():
    # 170 spm is fine at 2.7 m/s ...
    assert "cadence_low_for_speed" not in ids(normal(cadence_spm=170.0, speed_mps=2.7))
    # ... and 172 is not "low" just for being under 180
    assert "cadence_low_for_speed" not in ids(normal(cadence_spm=172.0, speed_mps=3.8))


def test_cadence_bands_at_edges():
    expected = expected_cadence_spm(3.0)
    just_inside = expected * 0.95 + 0.01  # 5% below is still not flagged
    assert "cadence_low_for_speed" not in ids(normal(cadence_spm=just_inside, speed_mps=3.0))
    f = only(normal(cadence_spm=expected * 0.94, speed_mps=3.0), "cadence_low_for_speed")
    assert f.severity == "mild"
    assert f.values["speed_mps"] == 3.0 and "steps/min" in f.threshold
    assert only(normal(cadence_spm=expected * 0.89, speed_mps=3.0), "cadence_low_for_speed").severity == "moderate"
    assert only(normal(cadence_spm=expected * 0.84, speed_mps=3.0), "cadence_low_for_speed").severity == "marked"


def test_cadence_without_speed_only_clearly_low_and_mild():
    assert "cadence_low_for_speed" not in ids(normal(cadence_spm=155.0, speed_mps=None))
    f = only(normal(cadence_spm=140.0, speed_mps=None), "cadence_low_for_speed")
    assert f.severity == "mild"
    assert "speed not known" in f.threshold


@pytest.mark.parametrize("changes, severity", [
    (dict(shank_angle_deg=7.0), None),
    (dict(shank_angle_deg=7.5), "mild"),
    (dict(shank_angle_deg=12.0), "moderate"),
    (dict(shank_angle_deg=16.0), "marked"),
    (dict(overstride_leg_pct=30.0), None),
    (dict(overstride_leg_pct=36.0), "moderate"),
    (dict(shank_angle_deg=None, overstride_leg_pct=None, overstride_cm=29.0), "mild"),
    # cm is only judged when the leg-length-normalised value is missing
    (dict(overstride_cm=50.0), None),
])
def test_overstride(changes, severity):
    s = normal(**changes)
    if severity is None:
        assert "overstride" not in ids(s)
    else:
        assert only(s, "overstride").severity == severity


@pytest.mark.parametrize("ms, severity", [(300.0, None), (301.0, "mild"), (345.0, "moderate"), (390.0, "marked")])
def test_contact_time_long(ms, severity):
    s = normal(contact_time_ms=ms)
    if severity is None:
        assert "contact_time_long" not in ids(s)
    else:
        assert only(s, "contact_time_long").severity == severity


@pytest.mark.parametrize("pct, left, right, severity, side", [
    (4.0, 245.0, 255.0, None, None),
    (4.5, 244.0, 255.0, "mild", "right"),
    (9.0, 270.0, 246.0, "moderate", "left"),
    (13.0, None, None, "marked", None),
])
def test_contact_time_asymmetry(pct, left, right, severity, side):
    s = normal(contact_time_asymmetry_pct=pct, contact_time_left_ms=left, contact_time_right_ms=right)
    if severity is None:
        assert "contact_time_asymmetric" not in ids(s)
        return
    f = only(s, "contact_time_asymmetric")
    assert (f.severity, f.side) == (severity, side)
    if side:
        assert f"longer on the {side}" in f.title


@pytest.mark.parametrize("changes, fires", [
    (dict(vertical_ratio_pct=8.0), False),
    (dict(vertical_ratio_pct=8.2), True),
    (dict(vertical_ratio_pct=None, vertical_oscillation_cm=11.5), True),
    (dict(vertical_ratio_pct=None, vertical_oscillation_cm=11.0), False),
    (dict(vertical_ratio_pct=7.0, vertical_oscillation_cm=14.0), False),  # ratio preferred
])
def test_vertical_oscillation(changes, fires):
    assert ("vertical_oscillation_high" in ids(normal(**changes))) is fires


@pytest.mark.parametrize("deg, fires", [(15.0, False), (15.5, True), (-20.0, False)])
def test_trunk_lean(deg, fires):
    assert ("trunk_lean_forward" in ids(normal(trunk_lean_deg=deg))) is fires


def test_walking_clip_skips_running_rules():
    s = normal(is_walking=True, cadence_spm=110.0, contact_time_ms=650.0, pelvic_drop_left_deg=12.0)
    findings = gait_findings(s)
    assert [f.id for f in findings] == ["walking_not_running"]
    assert findings[0].severity == "info"


def test_all_none_produces_no_finding():
    findings, recs = evaluate(Summary())
    assert findings == []  # nothing measured: nothing flagged, nothing called normal
    assert recs and all(r.kind in ("strength", "load") for r in recs)
    assert "general" in recs[0].title.lower()


@pytest.mark.parametrize("name", [f.name for f in fields(Summary)])
def test_none_metrics_never_produce_findings(name):
    """Even with every other metric abnormal, a None metric is never in any finding's values."""
    abnormal = dict(cadence_spm=140.0, speed_mps=3.5, contact_time_ms=390.0, contact_time_left_ms=300.0,
                    contact_time_right_ms=260.0, contact_time_asymmetry_pct=14.0,
                    pelvic_drop_left_deg=12.0, pelvic_drop_right_deg=5.0, pelvic_drop_asymmetry_deg=7.0,
                    overstride_cm=40.0, overstride_leg_pct=45.0, shank_angle_deg=18.0,
                    trunk_lean_deg=26.0, vertical_oscillation_cm=16.0, vertical_ratio_pct=13.0)
    abnormal[name] = None
    s = Summary(**abnormal)
    for f in gait_findings(s):
        if name == "pelvic_drop_asymmetry_deg" and name in f.values:
            # derived from the two measured sides (left - right), not invented
            assert f.values[name] == pytest.approx(12.0 - 5.0)
            continue
        assert name not in f.values, (f.id, name)
        assert all(v is not None for v in f.values.values())


def test_findings_always_have_a_measurement_behind_them():
    s = Summary(pelvic_drop_left_deg=9.0)
    for f in gait_findings(s):
        assert f.values and all(v is not None for v in f.values.values())


def test_nan_is_treated_as_not_measured():
    s = normal(pelvic_drop_left_deg=math.nan, pelvic_drop_right_deg=math.inf, pelvic_drop_asymmetry_deg=None)
    assert not ids(s) & {"pelvic_drop_high", "pelvic_drop_asymmetric"}
    assert any(line.startswith("Pelvic drop") for line in not_measured(s))


def test_side_view_lists_pelvic_drop_as_not_measured_not_normal():
    s = normal(pelvic_drop_left_deg=None, pelvic_drop_right_deg=None, pelvic_drop_asymmetry_deg=None)
    findings, _ = evaluate(s)
    assert [f.id for f in findings] == ["nothing_notable"]
    nn = findings[0]
    assert "pelvic_drop_left_deg" not in nn.values
    assert "Not measured" in nn.explanation and "rear" in nn.explanation
    missing = not_measured(s)
    assert any("Pelvic drop (left and right stance)" in m for m in missing)
    assert not any(m.startswith("Cadence") for m in missing)


def test_findings_sorted_by_severity():
    s = normal(pelvic_drop_left_deg=11.0, trunk_lean_deg=16.0)
    ranks = {"info": 0, "mild": 1, "moderate": 2, "marked": 3}
    sev = [ranks[f.severity] for f in gait_findings(s)]
    assert sev == sorted(sev, reverse=True)


def test_contact_asymmetry_below_the_timing_resolution_is_not_a_finding():
    from gait.findings import evaluate
    from gait.result import Summary

    # 214 vs 231 ms is 7.6 % but only one frame at 60 fps (16.7 ms): not resolvable.
    base = dict(contact_time_left_ms=214.0, contact_time_right_ms=231.0, contact_time_asymmetry_pct=7.6,
                contact_time_ms=222.0)
    ids = {f.id for f in evaluate(Summary(**base, frame_interval_ms=16.7))[0]}
    assert "contact_time_asymmetric" not in ids
    # The same difference filmed at 240 fps (4.2 ms frames) is four frames: it is a finding.
    ids = {f.id for f in evaluate(Summary(**base, frame_interval_ms=4.17))[0]}
    assert "contact_time_asymmetric" in ids
