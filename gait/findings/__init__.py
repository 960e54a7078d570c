"""Findings and recommendations: measurements -> mechanisms -> a cited plan.

    findings, recommendations = evaluate(result.summary, symptoms)

All clinical content (thresholds, gating rule, mechanisms, conditions, red flags with their
urgency and interim advice, exercises, plans per pattern, cues, sources) lives in
``knowledge/*.yaml``; this package only applies it. Every Finding and Recommendation
carries its sources: {id, title, publisher} for the five hip-pain documents, {id, citation}
for the studies in evidence.md and for the project's clinical-review note.
"""
from __future__ import annotations

from gait.result import Finding, Recommendation, Summary

from .cadence import cadence_targets, expected_cadence_spm
from .catalog import cite
from .checks import check_citations
from .differential import pattern_findings
from .metronome import write_metronome, write_metronome_wav
from .plan import build_plan
from .rules import gait_findings, not_measured
from .symptoms import (
    Symptoms,
    SymptomsError,
    load_symptoms,
    symptoms_from_args,
    symptoms_from_cli_args,
    symptoms_from_form,
    symptoms_from_mapping,
)
from .triage import red_flag_finding, red_flag_hits

__all__ = [
    "DISCLAIMER", "evaluate", "Symptoms", "SymptomsError", "load_symptoms", "symptoms_from_args",
    "symptoms_from_cli_args", "symptoms_from_form", "symptoms_from_mapping", "check_citations", "cite",
    "not_measured", "expected_cadence_spm", "cadence_targets", "write_metronome", "write_metronome_wav",
]

DISCLAIMER = (
    "This is not a diagnosis or medical advice. The tool measures running mechanics from "
    "video with limited accuracy and compares them with published findings and with "
    "guidance from physiotherapy articles; several thresholds are rules of thumb. It "
    "cannot examine you. If you have pain that worsens as you run, pain in the groin or "
    "front of the hip, constant pain or pain at rest, a limp, swelling, clicking, locking or "
    "giving way, or pain that is not settling, stop running on it and see a physiotherapist "
    "or doctor."
)


def evaluate(summary: Summary, symptoms: Symptoms | None = None) -> tuple[list[Finding], list[Recommendation]]:
    """Findings (most important first) and a plan for one clip's Summary and optional symptoms.

    - A finding fires only when its measurement's interval clears the threshold (the gating
      rule in knowledge/findings.yaml); metrics that are None never produce a finding and are
      never called normal (``not_measured(summary)`` lists them).
    - Red flags in the symptoms put a ``red_flags`` finding first and make the plan a single
      ``see_clinician`` recommendation with its urgency and interim advice: no exercise plan
      and no cadence cue.
    """
    gait = gait_findings(summary)
    patterns = pattern_findings(symptoms, gait)
    hits = red_flag_hits(symptoms)
    flags = [red_flag_finding(hits, symptoms)] if hits and symptoms is not None else []
    findings = flags + gait + patterns
    return findings, build_plan(findings, summary, symptoms, hits)
