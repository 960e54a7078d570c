"""Summaries and symptom intakes shared by the findings tests (realistic values and 95% intervals)."""
from __future__ import annotations

from gait.findings.kb import knowledge
from gait.result import Summary


def ci(value: float, half: float) -> list[float]:
    return [round(value - half, 4), round(value + half, 4)]


def drop_summary(left: float, right: float, half: float = 0.7, diff_half: float | None = None, **extra) -> Summary:
    """A rear-view clip: per-side drops with intervals, and the left - right difference with its own."""
    diff = round(left - right, 3)
    dh = diff_half if diff_half is not None else round((2 * half * half) ** 0.5, 3)
    return Summary(pelvic_drop_left_deg=left, pelvic_drop_left_deg_ci=ci(left, half),
                   pelvic_drop_right_deg=right, pelvic_drop_right_deg_ci=ci(right, half),
                   pelvic_drop_asymmetry_deg=diff, pelvic_drop_asymmetry_deg_ci=ci(diff, dh), **extra)


# The shared phantom clips as the pipeline reads them (values from the pelvis issue's notes).
SYMMETRIC_8_8 = dict(left=7.44, right=7.68, half=0.7)  # asymmetry interval contains 0
ASYM_10_3 = dict(left=9.8, right=3.2, half=0.7)  # asymmetry interval clear of 0


def rear_8_8(**extra) -> Summary:
    return drop_summary(**SYMMETRIC_8_8, cadence_spm=169.4, cadence_spm_ci=ci(169.4, 1.0), speed_mps=4.18, **extra)


def rear_10_3(**extra) -> Summary:
    return drop_summary(**ASYM_10_3, cadence_spm=176.0, cadence_spm_ci=ci(176.0, 1.0), speed_mps=4.18, **extra)


def exercise_ids_in(rec) -> set[str]:
    """The exercises a phase recommendation prescribes (its dose reads "name: dose; name: dose - frequency")."""
    if not rec.dose:
        return set()
    names = {part.split(": ", 1)[0] for part in rec.dose.rsplit(" - ", 1)[0].split("; ")}
    by_name = {e.name: e.id for e in knowledge().exercises}
    assert names <= set(by_name), names - set(by_name)
    return {by_name[n] for n in names}


def tags_in(rec) -> set[str]:
    """Every exercise tag in a phase recommendation."""
    return {t for ex in exercise_ids_in(rec) for t in knowledge().exercise(ex).tags}
