"""Data-quality notes as full sentences with their numbers, and what was not measured and why.

Pelvis notes are built from the typed ``PelvisResult``; the rest from the video facts,
the Summary and the few stage facts ``source`` reads.
"""
from __future__ import annotations

from dataclasses import dataclass

from gait.result import PelvisQuality, Result
from gait.vocabulary import OTHER_SIDE

from . import source
from .counts import Counts
from .numbers import label_of, sentence_case

LEVEL_WORDS = {"flight": "the flight phases, when both feet are off the ground",
               "whole-cycle mean": "the mean over whole gait cycles (no flight phase was seen on both sides)"}


@dataclass(frozen=True)
class NoteGroup:
    title: str
    notes: tuple[str, ...]


def timing_notes(r: Result) -> list[str]:
    frame = r.summary.frame_interval_ms
    fps = source.fps(r)
    if not frame:
        return []
    out = [f"Timing: one video frame is {frame:.1f} ms" + (f" at {fps:g} frames per second" if fps else "") +
           f", so each foot strike and toe-off is placed to within about ±{frame:.0f} ms, and flight time, "
           f"timed from two events, to within about ±{2 * frame:.0f} ms.",
           f"Left-right timing differences smaller than about {2 * frame:.0f} ms (two frames) are within that "
           f"resolution."]
    if r.view and r.view.startswith("side_"):
        near = r.view.split("_", 1)[1]
        out.append(f"Filmed from the runner's {near}, the {OTHER_SIDE[near]} foot is the far one and partly hidden: "
                   f"its own contact times are less reliable than the {near} foot's.")
    return out


def distance_notes(r: Result) -> list[str]:
    speed = source.belt_speed_mps(r)
    out = []
    if speed and r.summary.stride_length_m is not None:
        out.append(f"Stride length is the belt speed ({speed:.2f} m/s) times the stride time, as on a treadmill.")
    h = source.height_m(r)
    if h and source.has_scale(r):
        out.append(f"Distances in centimetres are scaled from the runner's height ({h:.2f} m) and typical body "
                   "proportions.")
    return out


def angle_notes(r: Result) -> list[str]:
    """Against what vertical trunk lean and shank angle were measured (side views)."""
    level = source.form_level(r)
    if level is None or r.summary.trunk_lean_deg is None:
        return []
    what = "Trunk lean and shank angle are measured from the vertical"
    ci = level.get("camera_roll_ci")
    if level.get("corrected_by_deg"):
        half = f" (±{0.5 * (ci[1] - ci[0]):.1f}°)" if ci else ""
        return [f"{what} of the background's level and plumb lines: the camera's roll of "
                f"{abs(level['corrected_by_deg']):.1f}°{half} was taken out."]
    if level.get("background_lines"):
        off = max(abs(ci[0]), abs(ci[1])) if ci else None
        within = f" to within {off:.1f}°" if off is not None and off >= 0.05 else ""
        return [f"{what} of the picture; the background's lines show the camera level{within}."]
    return [f"{what} of the picture; the background has no level or plumb lines to check the camera against."]


def stride_notes(r: Result) -> list[str]:
    left_out = [s for s in r.strides if s.excluded]
    if not left_out:
        return []
    which = "; ".join(f"the {s.side} stride from {s.foot_strike_s:.2f} s ({s.excluded})" for s in left_out)
    return [f"Left out of the summaries: {which}."]


def tracking_notes(r: Result) -> list[str]:
    out = stride_notes(r)
    note = source.tracking_note(r)
    if note:
        out.append(sentence_case(note.rstrip(".")) + ".")
    swaps = source.leg_swaps(r)
    if swaps:
        out.append(f"The pose model swapped the left and right legs in {swaps} frames; they were put back.")
    return out


def _roll(q: PelvisQuality) -> str:
    if q.camera_roll_deg is None:
        return ("Camera roll could not be measured (no level or plumb lines in the background); the drop is "
                "measured against the runner's own level, so roll does not change it.")
    return (f"Camera roll {q.camera_roll_deg:.1f}° (from {q.camera_roll_lines} level or plumb lines in the "
            f"background); the drop is measured against the runner's own level, so roll does not change it.")


def _level(q: PelvisQuality) -> str:
    se = f" ± {q.level_se_deg:.2f}°" if q.level_se_deg is not None else ""
    return (f"The runner's own pelvis level comes from {LEVEL_WORDS.get(q.level_source, q.level_source)}: "
            f"{q.level_deg:+.2f}°{se} was taken off the whole trace.")


def _yaw(q: PelvisQuality, view: str) -> str | None:
    if q.camera_yaw_deg is None:
        return None
    where = "straight in front" if view == "front" else "straight behind"
    fix = ("the drop was divided by the cosine of that angle to undo the foreshortening" if q.yaw_corrected
           else "the drop was not corrected for it")
    return (f"The camera looks {abs(q.camera_yaw_deg):.1f}° (± {q.camera_yaw_uncertainty_deg:.0f}°) off {where}; "
            f"{fix}.")


def _stances(r: Result, c: Counts) -> str:
    q = r.pelvis.quality
    base = f"Pelvic drop is read on {c.stances_text}" if c.stances else "No stance gave a pelvic drop"
    if not q.excluded:
        return base + "; none was left out."
    left_out = "; ".join(f"{e.side} stance at {e.foot_strike_s:.2f} s ({e.reason})" for e in q.excluded)
    return f"{base}; {len(q.excluded)} left out: {left_out}."


def pelvis_notes(r: Result, c: Counts) -> list[str]:
    if r.pelvis is None or r.pelvis.quality is None or not r.pelvis.measured:
        return []
    q = r.pelvis.quality
    notes = [_stances(r, c), _level(q), _roll(q), _yaw(q, source.pelvis_view(r) or "rear")]
    return [n for n in notes if n]


def note_groups(r: Result, c: Counts, report_notes: list[str]) -> list[NoteGroup]:
    groups = [NoteGroup("Warnings", tuple(source.warnings(r))),
              NoteGroup("Pelvic drop", tuple(pelvis_notes(r, c))),
              NoteGroup("Timing and distances", tuple(timing_notes(r) + distance_notes(r))),
              NoteGroup("Angles", tuple(angle_notes(r))),
              NoteGroup("Tracking", tuple(tracking_notes(r))),
              NoteGroup("This report", tuple(report_notes))]
    return [g for g in groups if g.notes]


# ------------------------------------------------------------------ not measured, and why

FORM = ("shank_angle_deg", "overstride_leg_pct", "knee_flexion_fs_deg", "knee_flexion_midstance_deg", "trunk_lean_deg")
NEEDS_SCALE = ("overstride_cm", "vertical_oscillation_cm", "vertical_ratio_pct")
TIMING = ("cadence_spm", "contact_time_ms", "flight_time_ms")


def _why(r: Result, field: str) -> str | None:
    """Why a measure is missing, as a clause that needs no subject."""
    side = bool(r.view and r.view.startswith("side"))
    if field in ("pelvic_drop_left_deg", "pelvic_drop_right_deg"):
        return source.pelvis_reason(r) or "a rear or front view is needed"
    if field in FORM:
        return "not found in this side view" if side else "a side view is needed"
    if field in NEEDS_SCALE:
        if not side:
            return "a side view and the runner's height are needed"
        return None if source.has_scale(r) else "a distance scale is needed: give the runner's height"
    if field == "stride_length_m":
        return "the belt speed (on a treadmill) or the runner's height is needed"
    if field in TIMING:
        return "too few foot strikes and toe-offs were found"
    return None


def _name(field: str) -> str:
    unit = "in centimetres" if field.endswith("_cm") else ""
    return f"{label_of(field)} {unit}".strip()


def not_measured(r: Result) -> list[str]:
    """One sentence per reason: 'Vertical oscillation and vertical ratio were not measured: they need ...'."""
    fields = [*TIMING, "stride_length_m", "pelvic_drop_left_deg", "pelvic_drop_right_deg", *FORM, *NEEDS_SCALE]
    both_drops = r.summary.pelvic_drop_left_deg is None and r.summary.pelvic_drop_right_deg is None
    by_reason: dict[str, list[str]] = {}
    for f in fields:
        why = None if getattr(r.summary, f) is not None else _why(r, f)
        if why is None or (both_drops and f == "pelvic_drop_right_deg"):
            continue
        by_reason.setdefault(why, []).append("pelvic drop" if both_drops and f == "pelvic_drop_left_deg" else _name(f))
    out = []
    for why, names in by_reason.items():
        listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        verb = "was" if len(names) == 1 else "were"
        out.append(f"{sentence_case(listed)} {verb} not measured: {why}.")
    return out
