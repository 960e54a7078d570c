"""Gait rules: each fires on the right inputs, not on the wrong ones, at the interval edges."""
from __future__ import annotations

import math
from dataclasses import fields

import pytest

from gait.findings import evaluate, expected_cadence_spm, not_measured
from gait.findings.gating import band_cleared
from gait.findings.kb_rules import Band
from gait.findings.rules import gait_findings
from gait.result import Summary
from tests.findings_fixtures import ci, drop_summary

# A runner whose every measurement sits inside the bands, each with an interval.
NORMAL = dict(
    cadence_spm=172.0, cadence_spm_ci=ci(172.0, 1.5), speed_mps=3.0, contact_time_ms=250.0,
    contact_time_ms_ci=ci(250, 8), contact_time_left_ms=248.0, contact_time_right_ms=252.0,
    contact_time_asymmetry_pct=-1.6, contact_time_asymmetry_pct_ci=ci(-1.6, 2.0),
    step_time_asymmetry_pct=1.0, step_time_asymmetry_pct_ci=ci(1.0, 2.0), step_time_s=0.35,
    pelvic_drop_left_deg=4.0, pelvic_drop_left_deg_ci=ci(4.0, 0.7), pelvic_drop_right_deg=4.5,
    pelvic_drop_right_deg_ci=ci(4.5, 0.7), pelvic_drop_asymmetry_deg=-0.5, pelvic_drop_asymmetry_deg_ci=ci(-0.5, 1.0),
    overstride_cm=20.0, overstride_leg_pct=22.0, overstride_leg_pct_ci=ci(22, 2), shank_angle_deg=4.0,
    shank_angle_deg_ci=ci(4, 1), knee_flexion_fs_deg=20.0, trunk_lean_deg=8.0, trunk_lean_deg_ci=ci(8, 1),
    vertical_oscillation_cm=8.5, vertical_ratio_pct=7.0, vertical_ratio_pct_ci=ci(7, 0.4), duty_factor_pct=35.0,
    is_walking=False, frame_interval_ms=16.7,
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


def test_band_edges_are_strict_on_the_interval_low_end():
    bands = (Band("mild", 6.0), Band("moderate", 9.0))
    assert band_cleared(6.0, bands) is None
    assert band_cleared(6.01, bands).severity == "mild"
    assert band_cleared(9.0, bands).severity == "mild"
    assert band_cleared(9.01, bands).severity == "moderate"


@pytest.mark.parametrize("value, half, severity", [
    (6.6, 0.7, None),        # point above 6 but the interval reaches below it
    (6.8, 0.7, "mild"),      # whole interval above the usual range
    (9.6, 0.7, "mild"),      # above, but not clear of 9 (usual range + smallest same-day error)
    (9.8, 0.7, "moderate"),  # whole interval above 9
    (14.0, 0.7, "moderate"),  # one band above the usual range and one beyond the error: no "marked"
])
def test_pelvic_drop_grades_follow_the_interval(value, half, severity):
    s = drop_summary(value, value - 0.4, half=half)
    if severity is None:
        assert "pelvic_drop_high" not in ids(s)
        return
    f = only(s, "pelvic_drop_high")
    assert f.severity == severity and f.evidence == "heuristic"
    assert "no validated" in f.threshold.lower() and "95% interval" in f.threshold
    assert "3-8 deg on the same day" in f.threshold  # the error, rendered from the data


def test_pelvic_drop_side_is_the_stance_side_left():
    f = only(drop_summary(9.0, 4.0), "pelvic_drop_high")
    assert f.side == "left"
    assert "left hip abductors" in f.mechanism[0].lower()
    assert "right side of the pelvis drops" in f.mechanism[1].lower()
    assert f.values["pelvic_drop_left_deg"] == 9.0


def test_pelvic_drop_side_is_the_stance_side_right():
    f = only(drop_summary(3.0, 9.0), "pelvic_drop_high")
    assert f.side == "right"
    assert "right hip abductors" in f.mechanism[0].lower()


def test_pelvic_drop_both_sides():
    f = only(drop_summary(7.0, 11.0), "pelvic_drop_high")
    assert f.side == "both"
    assert f.severity == "moderate"  # the larger side sets the severity
    assert "both left- and right-foot stance" in f.title


def test_one_side_above_but_difference_inside_its_interval_names_no_side():
    # left clears 6, right does not, but left - right (0.5 +- 1.0) is not resolvable
    s = drop_summary(6.9, 6.4, half=0.6, diff_half=1.0)
    f = only(s, "pelvic_drop_high")
    assert f.side is None
    assert "at least one side" in f.title and "left-foot" not in f.title and "right-foot" not in f.title
    assert "left" not in " ".join(f.mechanism) and "right" not in " ".join(f.mechanism)


def test_pelvic_mechanism_says_plausible_not_proven():
    f = only(drop_summary(9.0, 8.0), "pelvic_drop_high")
    assert "plausible, not proven" in f.explanation.lower()
    assert any(src["id"] == "grau2008" for src in f.sources)


def test_pelvic_drop_without_interval_is_widened_by_the_stated_resolution():
    # No interval (too few stances): the point value +- 3 deg (the smallest same-day error).
    assert "pelvic_drop_high" not in ids(Summary(pelvic_drop_left_deg=8.9, pelvic_drop_right_deg=8.5))
    f = only(Summary(pelvic_drop_left_deg=9.2, pelvic_drop_right_deg=9.3), "pelvic_drop_high")
    assert f.side == "both" and f.severity == "mild"
    assert "widened by the stated resolution" in f.threshold
    # one side clears, and the 0.4 deg difference (+- 3) names no side
    assert only(Summary(pelvic_drop_left_deg=9.2, pelvic_drop_right_deg=8.8), "pelvic_drop_high").side is None


@pytest.mark.parametrize("diff, half, fires, side", [
    (3.5, 0.8, False, None),   # interval reaches below 3
    (-3.5, 0.8, False, None),
    (4.0, 0.8, True, "left"),
    (-4.0, 0.8, True, "right"),
    (6.0, 2.5, True, "left"),  # 3.5..8.5
    (6.0, 3.5, False, None),   # 2.5..9.5
])
def test_pelvic_drop_asymmetry_gated_by_its_interval(diff, half, fires, side):
    s = Summary(pelvic_drop_asymmetry_deg=diff, pelvic_drop_asymmetry_deg_ci=ci(diff, half))
    assert ("pelvic_drop_asymmetric" in ids(s)) is fires
    if fires:
        assert only(s, "pelvic_drop_asymmetric").side == side


def test_pelvic_asymmetry_derived_from_sides_when_missing():
    s = Summary(pelvic_drop_left_deg=2.0, pelvic_drop_left_deg_ci=ci(2.0, 0.5), pelvic_drop_right_deg=6.0,
                pelvic_drop_right_deg_ci=ci(6.0, 0.5))
    f = only(s, "pelvic_drop_asymmetric")
    assert f.side == "right"
    assert f.values["pelvic_drop_asymmetry_deg"] == pytest.approx(-4.0)


def test_expected_cadence_follows_speed_norms():
    assert expected_cadence_spm(2.7) == pytest.approx(169.0)
    assert expected_cadence_spm(3.8) == pytest.approx(178.0)
    assert expected_cadence_spm(10.0) == expected_cadence_spm(5.0)  # clamped, no wild extrapolation
    assert expected_cadence_spm(1.0) == expected_cadence_spm(2.2)


def test_cadence_judged_against_speed_not_180():
    assert "cadence_low_for_speed" not in ids(normal(cadence_spm=170.0, cadence_spm_ci=ci(170, 1), speed_mps=2.7))
    assert "cadence_low_for_speed" not in ids(normal(cadence_spm=172.0, cadence_spm_ci=ci(172, 1), speed_mps=3.8))


def test_cadence_bands_on_the_interval():
    expected = expected_cadence_spm(3.0)
    point = expected * 0.94  # 6% below the norm
    assert only(normal(cadence_spm=point, cadence_spm_ci=ci(point, 1.0), speed_mps=3.0),
                "cadence_low_for_speed").severity == "mild"
    # the same point with a wide interval reaches within 5% of the norm: no finding
    assert "cadence_low_for_speed" not in ids(normal(cadence_spm=point, cadence_spm_ci=ci(point, 3.0), speed_mps=3.0))
    low = expected * 0.84
    f = only(normal(cadence_spm=low, cadence_spm_ci=ci(low, 0.5), speed_mps=3.0), "cadence_low_for_speed")
    assert f.severity == "marked" and f.values["speed_mps"] == 3.0 and "steps/min" in f.threshold


def test_cadence_without_speed_only_clearly_low_and_mild():
    assert "cadence_low_for_speed" not in ids(normal(cadence_spm=153.0, cadence_spm_ci=ci(153, 3), speed_mps=None))
    f = only(normal(cadence_spm=145.0, cadence_spm_ci=ci(145, 2), speed_mps=None), "cadence_low_for_speed")
    assert f.severity == "mild" and "speed not known" in f.threshold


@pytest.mark.parametrize("summary", [
    Summary(cadence_spm=95.0, cadence_spm_ci=ci(95, 1), contact_time_ms=420.0, contact_time_ms_ci=ci(420, 10)),
    Summary(cadence_spm=168.0, cadence_spm_ci=ci(168, 1), contact_time_ms=420.0, contact_time_ms_ci=ci(420, 10),
            probable_slow_motion=True),
])
def test_implausible_rhythm_withholds_timing_findings(summary):
    found = ids(summary)
    assert "rhythm_implausible" in found
    assert not found & {"cadence_low_for_speed", "contact_time_long"}
    assert any("rhythm" in line for line in not_measured(summary))


@pytest.mark.parametrize("changes, severity", [
    (dict(shank_angle_deg=7.5, shank_angle_deg_ci=ci(7.5, 0.4)), "mild"),
    (dict(shank_angle_deg=7.5, shank_angle_deg_ci=ci(7.5, 0.6)), None),
    (dict(shank_angle_deg=12.0, shank_angle_deg_ci=ci(12, 1)), "moderate"),
    (dict(shank_angle_deg=17.0, shank_angle_deg_ci=ci(17, 1)), "marked"),
    (dict(overstride_leg_pct=36.0, overstride_leg_pct_ci=ci(36, 0.5)), "moderate"),
    # no interval and no stated resolution for the leg-length measure: not judged
    (dict(overstride_leg_pct=45.0, overstride_leg_pct_ci=None), None),
    # the cm measure is only judged when the leg-length-normalised value is missing
    (dict(overstride_cm=50.0), None),
    (dict(shank_angle_deg=None, shank_angle_deg_ci=None, overstride_leg_pct=None, overstride_leg_pct_ci=None,
          overstride_cm=34.0), "mild"),  # 34 +- 4.9 cm (stated resolution) clears 28
])
def test_overstride(changes, severity):
    s = normal(**changes)
    if severity is None:
        assert "overstride" not in ids(s)
    else:
        assert only(s, "overstride").severity == severity


@pytest.mark.parametrize("ms, half, severity", [(300.0, 5, None), (310.0, 5, "mild"), (350.0, 5, "moderate"),
                                                (395.0, 10, "marked"), (310.0, 15, None)])
def test_contact_time_long(ms, half, severity):
    s = normal(contact_time_ms=ms, contact_time_ms_ci=ci(ms, half))
    if severity is None:
        assert "contact_time_long" not in ids(s)
    else:
        assert only(s, "contact_time_long").severity == severity


@pytest.mark.parametrize("pct, half, severity, side", [
    (4.5, 1.0, None, None),        # 3.5..5.5 reaches inside 4%
    (-6.0, 1.0, "mild", "right"),  # signed: - = longer on the right
    (9.0, 0.8, "moderate", "left"),
    (13.0, 0.5, "marked", "left"),
])
def test_contact_time_asymmetry(pct, half, severity, side):
    s = normal(contact_time_asymmetry_pct=pct, contact_time_asymmetry_pct_ci=ci(pct, half))
    if severity is None:
        assert "contact_time_asymmetric" not in ids(s)
        return
    f = only(s, "contact_time_asymmetric")
    assert (f.severity, f.side) == (severity, side)
    assert f"longer on the {side}" in f.title


def test_contact_asymmetry_without_interval_uses_the_frame_interval():
    # 7.6 % of 222 ms is 17 ms, one frame at 60 fps: +- 2 frames (15 %) hides it.
    base = dict(contact_time_left_ms=214.0, contact_time_right_ms=231.0, contact_time_asymmetry_pct=-7.6,
                contact_time_ms=222.0)
    assert "contact_time_asymmetric" not in ids(Summary(**base, frame_interval_ms=16.7))
    # The same difference at 240 fps (4.2 ms frames): +- 3.8 %, so the whole interval is beyond 4 %? No:
    # -7.6 +- 3.76 reaches -3.8, inside 4 %: still not a finding. At 480 fps it is.
    assert "contact_time_asymmetric" not in ids(Summary(**base, frame_interval_ms=4.17))
    assert only(Summary(**base, frame_interval_ms=2.08), "contact_time_asymmetric").side == "right"
    # neither an interval nor a frame interval: not judged, and said so
    s = Summary(**base)
    assert "contact_time_asymmetric" not in ids(s)
    assert any(line.startswith("Left/right contact-time difference: measured but not judged")
               for line in not_measured(s))


@pytest.mark.parametrize("pct, half, fires", [(5.0, 0.5, True), (5.0, 1.5, False), (-2.0, 0.5, False)])
def test_step_time_asymmetry(pct, half, fires):
    s = normal(step_time_asymmetry_pct=pct, step_time_asymmetry_pct_ci=ci(pct, half))
    assert ("step_time_asymmetric" in ids(s)) is fires


@pytest.mark.parametrize("changes, fires", [
    (dict(vertical_ratio_pct=8.5, vertical_ratio_pct_ci=ci(8.5, 0.3)), True),
    (dict(vertical_ratio_pct=8.5, vertical_ratio_pct_ci=ci(8.5, 0.6)), False),
    (dict(vertical_ratio_pct=None, vertical_ratio_pct_ci=None, vertical_oscillation_cm=12.0,
          vertical_oscillation_cm_ci=ci(12, 0.5)), True),
    (dict(vertical_ratio_pct=7.0, vertical_oscillation_cm=14.0, vertical_oscillation_cm_ci=ci(14, 0.5)), False),
])
def test_vertical_oscillation(changes, fires):
    assert ("vertical_oscillation_high" in ids(normal(**changes))) is fires


@pytest.mark.parametrize("deg, half, fires", [(15.5, 0.4, True), (15.5, 1.0, False), (-20.0, 1.0, False)])
def test_trunk_lean(deg, half, fires):
    assert ("trunk_lean_forward" in ids(normal(trunk_lean_deg=deg, trunk_lean_deg_ci=ci(deg, half)))) is fires


def test_walking_clip_skips_running_rules():
    s = normal(is_walking=True, cadence_spm=110.0, contact_time_ms=650.0, pelvic_drop_left_deg=12.0)
    findings = gait_findings(s)
    assert [f.id for f in findings] == ["walking_not_running"]
    assert findings[0].severity == "info"


def test_all_none_produces_no_finding():
    findings, recs = evaluate(Summary())
    assert findings == []  # nothing measured: nothing flagged, nothing called normal
    assert [r.kind for r in recs] == ["strength", "load"]
    assert "general" in recs[-1].title.lower()


@pytest.mark.parametrize("name", [f.name for f in fields(Summary) if not f.name.endswith("_ci")])
def test_none_metrics_never_produce_findings(name):
    """Even with every other metric abnormal, a None metric is never in any finding's values."""
    abnormal = dict(cadence_spm=150.0, speed_mps=3.5, contact_time_ms=390.0, contact_time_left_ms=300.0,
                    contact_time_right_ms=260.0, contact_time_asymmetry_pct=14.0, frame_interval_ms=2.0,
                    pelvic_drop_left_deg=12.0, pelvic_drop_right_deg=5.0, pelvic_drop_asymmetry_deg=7.0,
                    overstride_cm=40.0, overstride_leg_pct=45.0, shank_angle_deg=18.0, step_time_s=0.35,
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
    for f in gait_findings(drop_summary(9.0, 4.0)):
        assert f.values and all(v is not None for v in f.values.values())


def test_nan_is_treated_as_not_measured():
    s = normal(pelvic_drop_left_deg=math.nan, pelvic_drop_right_deg=math.inf, pelvic_drop_asymmetry_deg=None,
               pelvic_drop_asymmetry_deg_ci=None)
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
    assert not any("_deg" in m or "_pct" in m for m in missing)  # words, not field names


def test_findings_sorted_by_severity():
    s = normal(pelvic_drop_left_deg=11.0, pelvic_drop_left_deg_ci=ci(11, 0.5), pelvic_drop_asymmetry_deg=6.5,
               pelvic_drop_asymmetry_deg_ci=ci(6.5, 1.0), trunk_lean_deg=16.0, trunk_lean_deg_ci=ci(16, 0.5))
    ranks = {"info": 0, "mild": 1, "moderate": 2, "marked": 3}
    sev = [ranks[f.severity] for f in gait_findings(s)]
    assert sev == sorted(sev, reverse=True)
