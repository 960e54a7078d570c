"""From the raw rotation trace to pelvic drop per stance and per side, with intervals and quality notes."""
from __future__ import annotations

import math
import warnings
from dataclasses import replace

import numpy as np

from gait.pelvis import stances as sd
from gait.pelvis import trace as tr
from gait.pelvis.camera import Yaw, estimate_yaw
from gait.pelvis.params import Params
from gait.pelvis.raw import RawTrace
from gait.poses.landmarks import HIP
from gait.poses.series import PoseSeries
from gait.result import Events, ExcludedStance, PelvicTrace, PelvisQuality, PelvisResult

CORR_FALLOFF = 0.2  # a frame's match this far below the clip's typical one gets no weight
CLIP_CORR_FLOOR = 0.3  # a clip whose typical match is this low (ECC of unrelated textures) is not trusted
AGREEMENT_SCALE_DEG = 1.5  # templates disagreeing by this (standard error) halve a frame's weight ~0.6x
HIP_VISIBILITY_FULL = 0.8
BAND_METHOD = "pelvis-band ECC registration (multi-template, rigid)"
MARKER_METHOD = "PSIS skin markers"
MAX_CONTACT_S = 0.6  # a running contact is far shorter: a longer "stance" pairs the wrong events


def frame_confidence(raw: RawTrace, hip_vis: np.ndarray) -> np.ndarray:
    """0..1 per frame: match quality against the clip's own typical match x template agreement x hip visibility."""
    ok = np.isfinite(raw.corr)
    if not ok.any():
        return np.zeros(len(raw.corr))
    typical = float(np.median(raw.corr[ok]))
    rel = np.clip(1.0 - np.maximum(typical - np.nan_to_num(raw.corr, nan=-1.0), 0.0) / CORR_FALLOFF, 0, 1)
    clip_q = float(np.clip((typical - CLIP_CORR_FLOOR) / CLIP_CORR_FLOOR, 0, 1))
    se = 1.25 * np.nan_to_num(raw.spread_deg) / math.sqrt(max(raw.templates, 1))
    agree = np.where(np.isfinite(raw.spread_deg), np.exp(-0.5 * (se / AGREEMENT_SCALE_DEG) ** 2), 0.7)
    return rel * clip_q * agree * np.clip(np.nan_to_num(hip_vis) / HIP_VISIBILITY_FULL, 0, 1)


def cleaned_obliquity(raw: RawTrace, view: str, conf: np.ndarray, params: Params, markers: bool) -> np.ndarray:
    rot = raw.marker_rotation_deg if markers else raw.rotation_deg
    obl = tr.image_rotation_to_obliquity(rot, view)
    if not markers:
        obl = np.where(conf > params.min_frame_confidence, obl, np.nan)
    obl = tr.despike(raw.t_s, obl, params.despike_window_s)
    obl = tr.fill_short_gaps(raw.t_s, obl, params.max_gap_s)
    return tr.smooth(raw.t_s, obl, params.smooth_window_s)


def hip_line_obliquity(xy: np.ndarray) -> np.ndarray:
    """The naive measure: the line through MediaPipe's two hip landmarks, + = left hip higher (any view)."""
    left, right = xy[:, HIP["left"]], xy[:, HIP["right"]]
    return np.degrees(np.arctan2(right[:, 1] - left[:, 1], np.abs(right[:, 0] - left[:, 0])))


def _level(t_s, obl, stances, how: str = "flight") -> tr.Level:
    flight = tr.flight_level(t_s, obl, stances) if how == "flight" else None
    return flight or tr.mean_level(t_s, obl, stances)


def _yaw_gain(yaw: Yaw, params: Params) -> tuple[float, bool]:
    """Correction for an oblique camera: the band's image rotation is the pelvic roll times cos(yaw).

    The band is the pelvis's back (or front) surface; a rotation about the runner's
    front-back axis, seen along a direction ``yaw`` off that axis, shows only its
    component along the line of sight. (The hip-joint line, a segment, would instead
    look steeper, x 1/cos(yaw): the phantom's 25° clip reads 9.9° in the image for 8°,
    while the band reads 7.5°, and 7.5 / cos 25° = 8.3°.)
    """
    if yaw.yaw_deg is None or abs(yaw.yaw_deg) > params.correct_yaw_up_to_deg:
        return 1.0, False
    return 1.0 / math.cos(math.radians(yaw.yaw_deg)), True


def pixel_deg(torso_px: float, params: Params) -> float:
    """95 % half-width the image's resolution adds to a pelvic drop, for a torso of ``torso_px`` pixels."""
    return params.pixel_error_deg_px / max(torso_px, 1e-6)


def too_small(torso_px: float, params: Params) -> str | None:
    """Why the pelvis cannot be measured at this image scale, or None."""
    if torso_px >= params.min_torso_px:
        return None
    return (f"the runner is too small in the frame (the torso spans {torso_px:.0f} pixels) to read the pelvis's angle; "
            "film closer or at a higher resolution")


def _resolution(value: float | None, level_se: float | None, yaw: Yaw, corrected: bool, frame_s: float,
                contact_s: float | None, torso_px: float, params: Params) -> float:
    """Half-width the stances cannot average away: level, method, image resolution, yaw correction and
    peak sampling."""
    v = abs(value or 0.0)
    yaw_term = v * math.tan(math.radians(abs(yaw.yaw_deg))) * math.radians(yaw.uncertainty_deg) if corrected else 0.0
    sampling = 0.5 * v * (1 - math.cos(math.pi * frame_s / contact_s)) if contact_s else 0.0
    return math.sqrt((level_se or 0.0) ** 2 + params.systematic_deg ** 2 + pixel_deg(torso_px, params) ** 2
                     + yaw_term ** 2 + sampling ** 2)


def _read_all(t_s, obl, conf, stances, params) -> list[sd.StanceDrop]:
    drops = {"left": obl, "right": -obl}
    typ = sd.typical_contact_s(stances)
    return [sd.read_stance(s, t_s, drops, conf, params, typ) for s in stances]


def naive_hip_line(poses: PoseSeries, raw: RawTrace, stances, params) -> dict[str, float | None]:
    """Per-side drop read off the hip-landmark line through the same level and readout, for comparison."""
    rows = {int(f): k for k, f in enumerate(np.asarray(poses.frame_index))}
    idx = [rows.get(int(f), -1) for f in raw.frame_index]
    xy = np.where(np.array(idx)[:, None, None] >= 0, poses.image_xy[np.maximum(idx, 0)], np.nan)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        naive = tr.smooth(raw.t_s, hip_line_obliquity(xy), params.smooth_window_s)
    lv = _level(raw.t_s, naive, stances, params.level)
    recs = _read_all(raw.t_s, naive - lv.deg, np.ones(len(naive)), stances, params)
    out = {}
    for side in ("left", "right"):
        v = sd.used_values(recs, side)
        out[side] = float(np.median(v)) if v.size else None
    return out


def on_clock_of(raw: RawTrace, poses: PoseSeries) -> RawTrace:
    """The raw trace timed by the poses' clock (the runner's, for a re-timed slow-motion clip), by frame."""
    rows = {int(f): k for k, f in enumerate(np.asarray(poses.frame_index))}
    t = np.array([poses.t_s[rows[int(f)]] if int(f) in rows else np.nan for f in raw.frame_index], float)
    keep = np.isfinite(t)
    if keep.all():
        return replace(raw, t_s=t)
    return replace(raw, frame_index=raw.frame_index[keep], t_s=t[keep], rotation_deg=raw.rotation_deg[keep],
                   spread_deg=raw.spread_deg[keep], corr=raw.corr[keep],
                   marker_rotation_deg=None if raw.marker_rotation_deg is None else raw.marker_rotation_deg[keep])


def measure(raw: RawTrace, poses: PoseSeries, events: Events, view: str, params: Params,
            markers: bool = False) -> PelvisResult:
    """Pelvic drop per stance and side from the registered trace, the clip's events and its raw poses."""
    raw = on_clock_of(raw, poses)
    yaw = estimate_yaw(poses.world_xyz, view)
    if yaw.yaw_deg is not None and abs(yaw.yaw_deg) >= params.max_yaw_deg:
        return PelvisResult.not_measured(f"the camera looks at the runner from about {abs(yaw.yaw_deg):.0f}° off a "
                                         "rear or front view, too far to the side to see the frontal plane")
    rows = {int(f): k for k, f in enumerate(np.asarray(poses.frame_index))}
    hip_vis = np.array([min(poses.visibility[rows[f], HIP["left"]], poses.visibility[rows[f], HIP["right"]])
                        if f in rows else 0.0 for f in raw.frame_index.tolist()])
    conf = frame_confidence(raw, hip_vis)
    gain, corrected = _yaw_gain(yaw, params)
    obl = cleaned_obliquity(raw, view, conf, params, markers) * gain
    stances = tr.stances_of(events, MAX_CONTACT_S)
    lv = _level(raw.t_s, obl, stances, params.level)
    obl = obl - lv.deg
    recs = _read_all(raw.t_s, obl, conf, stances, params)
    res = _summaries(recs, lv, yaw, corrected, raw, params)
    res.trace = PelvicTrace([float(x) for x in raw.t_s], [float(x) if np.isfinite(x) else None for x in obl],
                            [round(float(c), 3) for c in np.nan_to_num(conf)])
    res.quality = _quality(raw, lv, yaw, corrected, recs, markers, naive_hip_line(poses, raw, stances, params))
    res.warnings = _warnings(res, yaw, corrected, params)
    return res


def _summaries(recs, lv, yaw, corrected, raw, params) -> PelvisResult:
    frame_s = tr.frame_interval_s(raw.t_s)
    contact = sd.typical_contact_s([tr.Stance(r.side, r.foot_strike_s, r.toe_off_s) for r in recs])
    sides = {}
    for side in ("left", "right"):
        first = sd.summarise_side(recs, side, 0.0)
        res_deg = _resolution(first.deg, lv.se_deg, yaw, corrected, frame_s, contact, raw.torso_px, params)
        sides[side] = sd.summarise_side(recs, side, res_deg)
    a_res = math.hypot(2 * (lv.se_deg or 0.0), params.systematic_asymmetry_deg, pixel_deg(raw.torso_px, params))
    a, a_ci = sd.asymmetry(recs, a_res)
    return PelvisResult(left=sides["left"], right=sides["right"], asymmetry_deg=a, asymmetry_ci=a_ci, stances=recs)


def _quality(raw, lv, yaw, corrected, recs, markers, naive) -> PelvisQuality:
    return PelvisQuality(
        method=MARKER_METHOD if markers else BAND_METHOD, level_source=lv.source, level_deg=lv.deg,
        level_se_deg=lv.se_deg, camera_roll_deg=raw.roll.roll_deg, camera_roll_lines=raw.roll.n_lines,
        camera_yaw_deg=yaw.yaw_deg, camera_yaw_uncertainty_deg=yaw.uncertainty_deg, yaw_corrected=corrected,
        templates=raw.templates, templates_segmented=raw.templates_segmented,
        stances_used=sum(1 for r in recs if r.excluded is None),
        excluded=[ExcludedStance(r.side, r.foot_strike_s, r.excluded) for r in recs if r.excluded],
        naive_hip_line_deg=naive, torso_px=round(float(raw.torso_px), 1))


def _warnings(res: PelvisResult, yaw: Yaw, corrected: bool, params: Params) -> list[str]:
    out = []
    q = res.quality
    if yaw.yaw_deg is not None and abs(yaw.yaw_deg) > params.warn_yaw_deg:
        how = "corrected for the foreshortening" if corrected else "not corrected (too oblique)"
        out.append(f"The camera looks at the runner about {abs(yaw.yaw_deg):.0f}° off straight behind or in front; "
                   f"pelvic drop was {how}, and forward tilt of the pelvis leaks in: film from straight behind.")
    if q.torso_px is not None and pixel_deg(q.torso_px, params) > params.systematic_deg:
        out.append(f"The runner's torso spans only {q.torso_px:.0f} pixels of the frame, so the image's resolution "
                   f"alone leaves pelvic drop uncertain by about ±{pixel_deg(q.torso_px, params):.1f}°; film closer "
                   "or at a higher resolution for a finer reading.")
    if q.camera_roll_deg is not None and abs(q.camera_roll_deg) > params.roll_warn_deg:
        out.append(f"The camera is rolled by {q.camera_roll_deg:.1f}°; the drop is measured relative to the runner's "
                   "own level, so it is not affected, but level the camera for other angles.")
    if q.level_source != "flight" and params.level == "flight":
        out.append("No flight phase was found on both sides, so the pelvis level is the mean over the clip; an "
                   "uneven drop then reads smaller on its larger side.")
    if q.stances_excluded:
        out.append(f"{q.stances_excluded} of {len(res.stances)} stances were left out of the pelvic drop "
                   "(poor tracking or an incomplete stance).")
    for side, s in (("left", res.left), ("right", res.right)):
        if s.n == 0:
            out.append(f"No {side} stance could be measured for pelvic drop.")
    return out
