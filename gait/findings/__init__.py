"""Findings and recommendations: measurements -> mechanisms -> a cited plan.

    findings, recommendations = evaluate(result.summary, symptoms)

All clinical content (thresholds, mechanisms, conditions, exercises, sources) lives in
``knowledge/*.yaml``; this package only applies it. Every Finding and Recommendation
carries its sources: {id, title, publisher} for the five hip-pain documents, {id, citation}
for the studies in evidence.md.
"""
from __future__ import annotations

from gait.result import Finding, Recommendation, Summary

from .catalog import check_citations, cite
from .differential import pattern_findings, red_flag_finding, red_flag_hits
from .metronome import write_metronome_wav
from .plan import build_plan, cadence_targets
from .rules import expected_cadence_spm, gait_findings, not_measured
from .symptoms import (Symptoms, SymptomsError, load_symptoms, symptoms_from_args,
                       symptoms_from_cli_args, symptoms_from_mapping)

__all__ = [
    "DISCLAIMER", "evaluate", "Symptoms", "SymptomsError", "load_symptoms", "symptoms_from_args",
    "symptoms_from_cli_args", "symptoms_from_mapping", "check_citations", "cite", "not_measured",
    "expected_cadence_spm", "cadence_targets", "write_metronome_wav",
]

DISCLAIMER = (
    "This is not a diagnosis or medical advice. The tool measures running mechanics from "
    "video with limited accuracy and compares them with published findings and with "
    "guidance from physiotherapy articles; several thresholds are rules of thumb. It "
    "cannot examine you. If you have pain that worsens as you run, pain in the groin or "
    "front of the hip, pain at rest or at night, a limp, clicking or locking, or pain that "
    "is not settling, stop running on it and see a physiotherapist or doctor."
)


def evaluate(summary: Summary, symptoms: Symptoms | None = None) -> tuple[list[Finding], list[Recommendation]]:
    """Findings (most important first) and a plan for one clip's Summary and optional symptoms.

    - Metrics that are None never produce a finding and are never called normal
      (``not_measured(summary)`` lists them; the nothing-notable finding and the re-test
      recommendation name them too).
    - Red flags in the symptoms put a ``red_flags`` finding first and make the plan a single
      ``see_clinician`` recommendation: no exercise plan and no cadence cue.
    """
    gait = gait_findings(summary)
    patterns = pattern_findings(symptoms, gait)
    hits = red_flag_hits(symptoms)
    flags = [red_flag_finding(hits, symptoms)] if hits and symptoms is not None else []
    findings = flags + gait + patterns
    return findings, build_plan(findings, summary, symptoms, hits)
