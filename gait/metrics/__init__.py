"""Stage 4: metrics — per-stride table, clip summary, quality notes and plot traces.

``compute_metrics(gait_events, belt_speed_mps=None, height_m=None, camera_roll=None) -> Metrics``.
Pelvic drop is its own stage (gait.pelvis), run after this one.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from gait.errors import NotEnoughGait
from gait.metrics import form, intervals, plausibility, rhythm, stride_length, temporal
from gait.metrics.temporal import rounded
from gait.poses.landmarks import HEEL, HIP, TOE
from gait.result import Stride, Summary
from gait.vocabulary import MIN_STRIDES

CADENCE_DISAGREE_PCT = 3.0
# Form values of one foot (at its strike, or in its stance): summarised with each foot counting once.
FOOT_FORM = ("overstride_cm", "overstride_leg_pct", "shank_angle_deg", "knee_flexion_fs_deg", "knee_flexion_midstance_deg")
TRACE_MAX_POINTS = 600


@dataclass
class Metrics:
    strides: list[Stride]
    summary: Summary
    traces: dict[str, Any] = field(default_factory=dict)
    quality: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def _moves_across(poses, side_view: bool) -> bool:
    """Overground if the pelvis travels more than a leg length across the image."""
    if not side_view:
        return False
    x = np.nanmean(poses.image_xy[:, [HIP["left"], HIP["right"]], 0], axis=1)
    leg = form.leg_length_px(poses.image_xy, "left")
    return bool(np.isfinite(x).any() and (np.nanpercentile(x, 95) - np.nanpercentile(x, 5)) > leg)


def compute_metrics(ge, belt_speed_mps: float | None = None, height_m: float | None = None,
                    camera_roll=None) -> Metrics:
    """Everything measurable from the events of one clip (``ge``: gait.events.GaitEvents). ``camera_roll``
    (gait.pelvis.camera.Roll, side views): the side-view angles are measured against its level."""
    import warnings as _w

    with _w.catch_warnings():  # NaN frames outside the tracked span are expected
        _w.simplefilter("ignore", RuntimeWarning)
        return _compute(ge, belt_speed_mps, height_m, form.level_of(camera_roll))


def _compute(ge, belt_speed_mps: float | None, height_m: float | None, level: form.Level) -> Metrics:
    poses, ev = ge.poses, ge.events
    side_view = ge.view.startswith("side")
    fps = float(poses.video.fps or 1.0 / np.median(np.diff(poses.t_s)))
    frame_ms = 1000.0 / fps
    warnings: list[str] = []
    quality: dict[str, Any] = {}

    strides = temporal.build_strides(ev)
    quality["plausibility"] = {"notes": plausibility.check_strides(strides, ge.is_walking),
                               "strides_flagged": sum(1 for s in strides if s.flags)}
    warnings += quality["plausibility"]["notes"]
    used = [s for s in strides if s.excluded is None]
    # A walking clip is still reported (as walking) however few strides survive: that is the answer.
    if len(used) < MIN_STRIDES and not ge.is_walking:
        raise NotEnoughGait(f"Only {len(used)} usable strides were found (at least {MIN_STRIDES} are needed); "
                            "film at least 10 s of steady running with the whole body in view.")

    # Stride length
    scale = stride_length.scale_from_height(poses, height_m)
    sl_note: str
    if belt_speed_mps:
        stride_length.treadmill_stride_lengths(strides, belt_speed_mps)
        sl_note = f"treadmill: belt speed {belt_speed_mps:g} m/s x stride time"
    elif _moves_across(poses, side_view) and scale.px_per_m:
        stride_length.overground_stride_lengths(strides, poses, scale, side_view)
        sl_note = "overground estimate: heel displacement between strikes, scaled by the runner's height"
        warnings.append("Stride length is an estimate from the runner's height and body proportions "
                        "(typically within 5-10 %).")
    elif side_view and not _moves_across(poses, side_view):
        sl_note = "not measured: the runner stays in place (treadmill?); give the belt speed"
    elif not side_view:
        sl_note = "not measured: needs the belt speed (treadmill) or a side view with the runner's height"
    else:
        sl_note = "not measured: needs the belt speed (treadmill) or the runner's height (overground)"

    # Form (side view, running only)
    rates = _fill_form(strides, ge, scale.px_per_m, level)

    summary = _summary(strides, ge, belt_speed_mps, warnings)
    summary.frame_interval_ms = rounded(frame_ms, 2)
    steps, step_side, _ = temporal.step_intervals(ge.events)
    intervals.timing_intervals(summary, strides, steps, step_side, ge.view, frame_ms)
    intervals.form_intervals(summary, strides, belt_speed_mps, frame_ms, level.off_level_with(ge.ground_tilt_deg),
                             rates, ge.view)
    slow = rhythm.slow_motion(summary, ge.is_walking)
    summary.probable_slow_motion = slow.probable if not ge.is_walking else None
    if slow.message:
        warnings.append(slow.message)
    if len(used) < MIN_STRIDES:  # walking with too few clean strides: say walking, claim no numbers
        summary = Summary(is_walking=True)
        warnings.append(f"Only {len(used)} clean strides were found, too few to measure cadence or timing.")
    quality.update(_quality(ge, strides, summary, frame_ms, fps, scale, sl_note, side_view))
    if side_view and not ge.is_walking:
        quality["form"]["level"] = _level_record(level)
        warnings += _level_notes(level, ge.ground_tilt_deg)
    quality["rhythm"] = slow.quality
    traces = _traces(ge, strides)
    return Metrics(strides=strides, summary=summary, traces=traces, quality=quality, warnings=warnings)


def _fill_form(strides: list[Stride], ge, px_per_m: float | None, level: form.Level) -> form.StrikeRates:
    """Form metrics, side view and running only (else nothing filled, and no strike rates)."""
    if not ge.view.startswith("side") or ge.is_walking:
        return form.StrikeRates()
    return form.fill_form(strides, ge.poses, ge.facing or (1 if ge.view == "side_right" else -1), px_per_m, level)


def _level_record(level: form.Level) -> dict[str, Any]:
    ci = level.measured_ci_deg
    return {"camera_roll_deg": rounded(level.measured_deg, 2), "camera_roll_ci": [rounded(c, 2) for c in ci] if ci else None,
            "corrected_by_deg": rounded(level.roll_deg, 2), "source": level.source, "background_lines": level.lines}


def _level_notes(level: form.Level, ground_tilt_deg: float | None) -> list[str]:
    if level.corrected and abs(level.roll_deg) >= form.ROLL_NOTE_DEG:
        turn = "clockwise" if level.roll_deg > 0 else "anticlockwise"
        return [f"The camera is rolled {abs(level.roll_deg):.1f}° {turn} (read from {level.lines} level or plumb lines "
                "in the background); trunk lean, shank angle and overstride were measured against the background's "
                "level, not the picture's edges."]
    if not level.corrected and level.off_level_deg >= form.ROLL_NOTE_DEG:
        return [f"Trunk lean and shank angle are read against the picture's vertical: the background's lines put the "
                f"camera's roll within {level.off_level_deg:.1f}° of level but cannot say how much, so their "
                "intervals allow for it; a level camera removes the doubt."]
    if not level.lines and ground_tilt_deg is not None:
        return ["Trunk lean and shank angle are read against the picture's vertical: the background shows no level "
                "or plumb lines to correct by, so with the ground tilted they may be off by about as much; "
                "level the camera."]
    return []


def _summary(strides: list[Stride], ge, belt: float | None, warnings: list[str]) -> Summary:
    m = temporal.median_of
    steps, step_side, _ = temporal.step_intervals(ge.events)
    cad = temporal.cadence_from_steps(steps)
    sm = Summary(cadence_spm=rounded(cad), cadence_spectral_spm=rounded(ge.cadence_spectral_spm), is_walking=ge.is_walking)
    if cad and ge.cadence_spectral_spm:
        diff = 100 * abs(cad - ge.cadence_spectral_spm) / cad
        if diff > CADENCE_DISAGREE_PCT:
            warnings.append(f"Cadence from foot strikes ({cad:.0f} steps/min) and from the body's rhythm "
                            f"({ge.cadence_spectral_spm:.0f}) differ by {diff:.0f} %; events may be missed or spurious.")
    if steps.size:
        med = np.median(steps)
        ok = np.abs(steps - med) < 0.5 * med
        sm.step_time_s = rounded(np.median(steps[ok]), 4)
        sm.step_time_cv_pct = rounded(temporal.cv_pct(steps[ok]))
        lt = np.median(steps[ok & (step_side == "left")]) if (ok & (step_side == "left")).any() else None
        rt = np.median(steps[ok & (step_side == "right")]) if (ok & (step_side == "right")).any() else None
        sm.step_time_asymmetry_pct = rounded(temporal.asymmetry_pct(lt, rt))
    sm.stride_time_s = rounded(m(strides, "stride_time_s"), 4)
    sm.contact_time_ms = rounded(m(strides, "contact_time_ms"))
    sm.contact_time_left_ms = rounded(m(strides, "contact_time_ms", "left"))
    sm.contact_time_right_ms = rounded(m(strides, "contact_time_ms", "right"))
    sm.contact_time_asymmetry_pct = rounded(temporal.asymmetry_pct(sm.contact_time_left_ms, sm.contact_time_right_ms))
    sm.duty_factor_pct = rounded(m(strides, "duty_factor_pct"))
    if not ge.is_walking:
        flight = m(strides, "flight_time_ms")
        sm.flight_time_ms = rounded(max(0.0, flight)) if flight is not None else None
    sm.stride_length_m = rounded(m(strides, "stride_length_m"), 3)
    sm.speed_mps = belt
    for name in FOOT_FORM:
        setattr(sm, name, rounded(temporal.both_sides_median(strides, name)))
    for name in ("trunk_lean_deg", "vertical_oscillation_cm"):  # the body's, over whole strides
        setattr(sm, name, rounded(m(strides, name)))
    if sm.vertical_oscillation_cm is not None and sm.stride_length_m:
        # Garmin's vertical ratio divides by the distance of one step (what Garmin calls "stride").
        sm.vertical_ratio_pct = rounded(100 * sm.vertical_oscillation_cm / (100 * sm.stride_length_m / 2))
    return sm


def _quality(ge, strides, sm: Summary, frame_ms: float, fps: float, scale, sl_note: str, side_view: bool) -> dict:
    used = [s for s in strides if s.excluded is None]
    n_ct = sum(1 for s in used if s.contact_time_ms is not None)
    vis = ge.raw_poses.visibility
    foot_vis = {s: rounded(float(np.nanmedian(vis[:, [HEEL[s], TOE[s]]])), 2) for s in ("left", "right")}
    far = {"side_right": "left", "side_left": "right"}.get(ge.view)
    form_note = ("side view only; overstride % of leg length, shank angle, knee flexion and trunk lean need no "
                 "scale; overstride in cm and vertical oscillation/ratio need the runner's height")
    if not side_view:
        form_note = "not measured: form metrics (overstride, knee, trunk, oscillation) need a side view"
    elif ge.is_walking:
        form_note = "not measured: running-form metrics are not computed for walking"
    return {
        "events": {
            "view": ge.view, "view_confidence": ge.view_confidence, "camera_yaw_deg": ge.camera_yaw_deg,
            "contact_cue": ge.contact_cue, "ground_tilt_deg": ge.ground_tilt_deg,
            "rear_toe_off_delay_ms": ge.rear_toe_off_delay_ms, "fps": rounded(fps, 2),
            "timing_resolution_ms": rounded(frame_ms), "filter_cutoff_hz": rounded(ge.cutoff_hz, 2),
            "leg_swap_frames_repaired": ge.swapped_frames, "events_rejected": ge.rejected_events,
            "foot_visibility_median": foot_vis, "is_walking": ge.is_walking,
            "walking_cues": {"foot_lift_leg": rounded(ge.foot_lift, 2), "pelvis_phase": rounded(ge.walking_score, 2)},
        },
        "strides": {"found": len(strides), "used": len(used), "excluded": len(strides) - len(used)},
        "cadence": {"strides_used": len(used), "method": "median of consecutive step pairs",
                    "spectral_spm": sm.cadence_spectral_spm, "spectral_prominence": rounded(ge.spectral_prominence, 2)},
        "contact_time": {"strides_used": n_ct, "uncertainty_ms": rounded(frame_ms),
                         "note": f"+-1 frame = +-{frame_ms:.0f} ms at {fps:.0f} fps per event"
                                 + (f"; the {far} foot is the far, partly hidden one: its per-side values are less "
                                    "reliable" if far else "")},
        "asymmetry": {"note": "left/right differences below ~2 frames "
                              f"({2 * frame_ms:.0f} ms) are within the timing resolution"},
        "flight_time": {"uncertainty_ms": rounded(2 * frame_ms), "note": "two events, +-1 frame each"},
        "stride_length": {"note": sl_note, "strides_used": sum(1 for s in used if s.stride_length_m is not None)},
        "scale": {"px_per_m": rounded(scale.px_per_m, 2), "source": scale.source},
        "form": {"note": form_note, "needs_scale": ["overstride_cm", "vertical_oscillation_cm", "vertical_ratio_pct"],
                 "scale_free": ["overstride_leg_pct", "shank_angle_deg", "knee_flexion_fs_deg",
                                "knee_flexion_midstance_deg", "trunk_lean_deg"],
                 "vertical_ratio": "oscillation / distance per step (Garmin convention)"},
    }


def _traces(ge, strides: list[Stride]) -> dict[str, Any]:
    """Compact time series for the report: foot height above its stance level, pelvis height, step times."""
    p = ge.poses
    t = p.t_s
    step = max(1, int(np.ceil(len(t) / TRACE_MAX_POINTS)))
    sel = slice(None, None, step)
    out: dict[str, Any] = {"t_s": [round(float(x), 3) for x in t[sel]]}
    for s in ("left", "right"):
        low = np.fmax(p.image_xy[:, HEEL[s], 1], p.image_xy[:, TOE[s], 1])
        ground = np.nanpercentile(low, 95) if np.isfinite(low).any() else np.nan
        out[f"foot_height_{s}_px"] = [None if not np.isfinite(v) else round(float(v), 1) for v in (ground - low)[sel]]
    hip = np.nanmean(p.image_xy[:, [HIP["left"], HIP["right"]], 1], axis=1)
    out["pelvis_height_px"] = [None if not np.isfinite(v) else round(float(v), 1)
                               for v in (np.nanmean(hip) - hip)[sel]]
    steps, side, ends = temporal.step_intervals(ge.events)
    out["step_times"] = {"t_s": [round(float(x), 3) for x in ends], "step_time_s": [round(float(x), 4) for x in steps],
                         "side": [str(x) for x in side]}
    out["stride_times"] = {s: [[st.foot_strike_s, st.stride_time_s] for st in strides if st.side == s]
                           for s in ("left", "right")}
    return out


__all__ = ["Metrics", "compute_metrics"]
