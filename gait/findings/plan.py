"""Findings (+ symptoms) -> a cited plan of Recommendations, from knowledge/interventions.yaml.

Order of the plan: see_clinician (alone, when a red flag is present) | strength phases ->
movement feedback -> cadence -> other form cues -> load management -> re-test.
"""
from __future__ import annotations

from typing import Any

from gait.result import Finding, Recommendation, Summary

from . import catalog
from .rules import metric_value, not_measured, side_words
from .symptoms import Symptoms

PELVIC_FINDINGS = ("pelvic_drop_high", "pelvic_drop_asymmetric")
# Symptom patterns of lateral-hip overload: strengthening is the first-line plan in the
# documents and in Mellor 2018, even when pelvic drop could not be measured.
LATERAL_HIP_PATTERNS = ("pattern_gluteal_tendinopathy", "pattern_trochanteric_bursitis", "pattern_itbs")
# Findings a higher step rate addresses (Heiderscheit 2011, Lenhart 2014, Willy 2016).
CADENCE_TRIGGERS = ("cadence_low_for_speed", "overstride", "vertical_oscillation_high",
                    "pelvic_drop_high", "pelvic_drop_asymmetric")


def cadence_targets(cadence_spm: float) -> tuple[int, int]:
    """(start, progress) targets: +5% and +10% of the measured step rate, whole steps/min."""
    iv = catalog.interventions()["cadence_cue"]
    return (round(cadence_spm * (1 + iv["start_pct"] / 100.0)),
            round(cadence_spm * (1 + iv["progress_pct"] / 100.0)))


def strength_side(findings: list[Finding], summary: Summary) -> tuple[str | None, str | None, list[str]]:
    """(side to train, side to prioritise, finding ids behind it).

    The side is the STANCE side of the larger drop: pelvic_drop_left_deg high -> "left"
    (left hip abductors). When both sides are high, both are trained and the larger one leads.
    """
    by_id = {f.id: f for f in findings}
    high, asym = by_id.get("pelvic_drop_high"), by_id.get("pelvic_drop_asymmetric")
    because = [f.id for f in (high, asym) if f is not None]
    if high is not None and high.side in ("left", "right"):
        return high.side, high.side, because
    if high is not None:  # both sides high
        left = metric_value(summary, "pelvic_drop_left_deg")
        right = metric_value(summary, "pelvic_drop_right_deg")
        lead = None if left == right else ("left" if left > right else "right")
        return "both", lead, because
    if asym is not None:
        return asym.side, asym.side, because
    patterns = [f for f in findings if f.id in LATERAL_HIP_PATTERNS]
    if patterns:
        side = patterns[0].side if patterns[0].side in ("left", "right") else "both"
        return side, (side if side != "both" else None), [f.id for f in patterns]
    return None, None, []


def _side_label(side: str, lead: str | None) -> str:
    if side == "both":
        return "Hip abductors, both sides" + (f" ({lead} first)" if lead else "")
    return f"{side.capitalize()} hip abductors (gluteus medius and minimus)"


def _sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:]


def strength_recs(side: str, lead: str | None, because: list[str]) -> list[Recommendation]:
    iv = catalog.interventions()
    exercises = {e["id"]: e for e in iv["exercises"]}
    words = side_words(lead)
    recs: list[Recommendation] = []
    for phase in iv["phases"]:
        exs = [exercises[e] for e in phase["exercises"]]
        dose = "; ".join(f"{e['name']}: {e['dose']}" for e in exs) + f" - {phase['frequency']}"
        side_rule = iv["side_rule"].format(**words) if lead else "Train both sides equally."
        detail = (f"{phase['weeks'].capitalize()}. How: "
                  + " ".join(f"{_sentence_case(e['name'])} - {e['cue']}" for e in exs)
                  + f" Side: {side_rule} Move on when: {phase['progress_when'].strip().format(**words)}"
                  + f" Dose basis: {iv['dose_basis'].strip()}")
        ids = list(phase["sources"]) + [s for e in exs for s in e["sources"]] + list(iv["dose_sources"])
        recs.append(Recommendation(
            id=f"strength_{phase['id']}", kind="strength",
            title=f"{_side_label(side, lead)} - {phase['name']}", detail=detail, side=side,
            dose=dose, phase=phase["id"], because_of=list(because), sources=catalog.cite(ids)))
    return recs


def feedback_rec(side: str, lead: str | None, because: list[str]) -> Recommendation:
    spec = catalog.interventions()["movement_feedback"]
    words = side_words(lead) if lead else {**side_words(None), "side": "stance"}
    return Recommendation(
        id="movement_feedback", kind="form", title=spec["title"],
        detail=spec["detail"].strip().format(**words), side=side,
        dose="8 running sessions with mirror or video feedback, faded by the last session",
        because_of=list(because), sources=catalog.cite(spec["sources"]))


def cadence_rec(cadence_spm: float, because: list[str]) -> Recommendation:
    spec = catalog.interventions()["cadence_cue"]
    start, progress = cadence_targets(cadence_spm)
    detail = spec["detail"].strip().format(measured_spm=round(cadence_spm), start_spm=start,
                                           progress_spm=progress)
    return Recommendation(
        id="cadence_cue", kind="cadence", title=f"{spec['title']}: {start} then {progress} steps/min",
        detail=detail, dose=f"{start} steps/min (+5%) for 2-3 weeks of easy runs, then {progress} "
                            f"steps/min (+10%)", target_spm=float(start),
        because_of=list(because), sources=catalog.cite(spec["sources"]))


def form_recs(findings: list[Finding]) -> list[Recommendation]:
    cues = catalog.interventions()["form_cues"]
    recs = []
    for f in findings:
        if f.id in cues:
            spec = cues[f.id]
            recs.append(Recommendation(
                id=f"form_{f.id}", kind="form", title=spec["title"],
                detail=spec["detail"].strip().format(**side_words(f.side)), side=f.side,
                because_of=[f.id], sources=catalog.cite(spec["sources"])))
    return recs


def load_rec(symptoms: Symptoms | None, because: list[str], general: bool) -> Recommendation:
    spec = catalog.interventions()["load_management"]
    detail = spec["detail"].strip()
    ids = list(spec["sources"])
    if symptoms is not None and symptoms.training_changes:
        changes = ", ".join(c.replace("_", " ") for c in symptoms.training_changes)
        detail += (f" You reported recent changes ({changes}): step back to the load you tolerated "
                   f"before them and reintroduce one change at a time.")
    if symptoms is not None and symptoms.pain_score is not None and symptoms.pain_score > 5:
        detail += (f" Your pain score of {symptoms.pain_score}/10 is above the 4-5/10 the "
                   f"documents treat as tolerable: reduce running until it stays at or below that.")
    if symptoms is not None and not symptoms.is_empty():
        detail += (" If the pain is not clearly improving within 1-2 weeks, see a physiotherapist "
                   "or doctor.")
        ids.append("verywell_hip_pain")
    title = spec["title"] + (" (general advice)" if general else "")
    return Recommendation(id="load_management", kind="load", title=title, detail=detail,
                          because_of=list(because), sources=catalog.cite(ids))


def retest_rec(summary: Summary, because: list[str]) -> Recommendation:
    spec = catalog.interventions()["retest"]
    detail = spec["detail"].strip()
    missing = not_measured(summary)
    if missing:
        detail += " Also add what this clip could not measure: " + "; ".join(missing) + "."
    return Recommendation(id="retest", kind="retest", title=spec["title"], detail=detail,
                          dose=f"one clip in {spec['weeks']} weeks", because_of=list(because),
                          sources=catalog.cite(spec["sources"]))


def see_clinician_rec(hits: list[dict[str, Any]]) -> Recommendation:
    spec = catalog.interventions()["see_clinician"]
    labels = [h["label"] for h in hits]
    flags = labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]
    ids = list(spec["sources"]) + [s for h in hits for s in h["sources"]]
    return Recommendation(id="see_clinician", kind="see_clinician", title=spec["title"],
                          detail=spec["detail"].strip().format(flags=flags),
                          because_of=["red_flags"], sources=catalog.cite(ids))


def general_rec() -> Recommendation:
    spec = catalog.interventions()["general_maintenance"]
    return Recommendation(id="general_maintenance", kind="strength", title=spec["title"],
                          detail=spec["detail"].strip(), dose="2-3 sessions a week",
                          sources=catalog.cite(spec["sources"]))


def build_plan(findings: list[Finding], summary: Summary, symptoms: Symptoms | None,
               red_hits: list[dict[str, Any]]) -> list[Recommendation]:
    """The plan. With any red flag: only see_clinician (exercise plan and cadence cue withheld)."""
    if red_hits:
        return [see_clinician_rec(red_hits)]
    problems = [f for f in findings if f.severity != "info"]
    side, lead, because = strength_side(findings, summary)
    recs: list[Recommendation] = []
    if side:
        recs += strength_recs(side, lead, because)
        if any(b in PELVIC_FINDINGS for b in because):
            recs.append(feedback_rec(side, lead, because))
    cadence = metric_value(summary, "cadence_spm")
    triggers = [f.id for f in findings if f.id in CADENCE_TRIGGERS]
    if triggers and cadence is not None:
        recs.append(cadence_rec(cadence, triggers))
    recs += form_recs(problems)
    if not recs:
        recs.append(general_rec())
    recs.append(load_rec(symptoms, [f.id for f in problems], general=not problems and not side))
    if problems or side:
        recs.append(retest_rec(summary, [f.id for f in problems] or because))
    return recs
