"""Contralateral pelvic drop measured on the pelvis itself (rear or front view).

MediaPipe's hip landmarks barely move with pelvic roll (0-1° on an 8° drop), so
the angle is not read off the landmark line. The pose only *seeds* a band of the
body from the waistband (iliac crest) down to just above the hip joints, sized
by the torso length; that band of skin/clothing (and its outline against the
background) is carried by the pelvis, unlike the shirt above (trunk) and the
buttock folds / shorts hem below (thighs). Per frame, the band's image rotation
is found by rigid ECC registration (rotation + shift, brightness-invariant, on a
locally contrast-equalised image) against 5 template frames spread over the
clip; templates are cut to the person (MediaPipe segmentation) and forearms /
hands are masked from the pose; a second fit drops pixels that do not follow the
rigid motion. The median over templates is despiked, lightly smoothed, levelled
by its mean over whole gait cycles and read out per stance (peak, midstance).
See ``measure_pelvic_drop``; ``apply_pelvic_drop`` fills a gait.result.Result.
"""
from __future__ import annotations

import math
import time
import warnings
from dataclasses import dataclass, field

import cv2
import numpy as np

from gait.metrics.pelvis import camera, obliquity, registration, stance
from gait.metrics.pelvis.apply import apply_pelvic_drop
from gait.metrics.pelvis.roi import (L_HIP, R_HIP, RoiSpec, band_in_crop, crop_resampled, hip_centre_track,
                                     occluder_mask, person_box, search_box, torso_length_px, unfiltered_xy)
from gait.metrics.pelvis.stance import SideSummary, StanceDrop

METHOD = "pelvis-band ECC registration (multi-template, rigid)"
MARKER_METHOD = "PSIS skin markers"

__all__ = ["PelvisResult", "StanceDrop", "SideSummary", "measure_pelvic_drop", "apply_pelvic_drop", "METHOD"]


@dataclass(frozen=True)
class Params:
    n_templates: int = 5  # reference frames spread over the clip
    band_offsets_t: tuple[float, ...] = (0.0,)  # vertical band offsets (x T) per template frame (more = slower;
    # (-0.04, 0, 0.04) helped little on the test clips for 3x the time)
    template_corr_drop: float = 0.08  # a template whose median match is this far below the best one is dropped
    smooth_window_s: float = 0.08  # Savitzky-Golay window on the obliquity trace
    prep: str = "clahe"  # image the registration sees: "gray" | "clahe"
    segment: bool = True  # person mask for the templates from MediaPipe (else GrabCut)
    outline: bool = True  # let the body outline against the background take part in the registration
    robust: bool = True  # second fit without the template pixels that fit badly (hands missed by the pose)
    motion: str = "euclidean"  # warp model of the registration: "euclidean" | "affine" (rotation part read out)


@dataclass
class PelvisResult:
    method: str | None  # None = not measured (see reason)
    reason: str | None = None
    stances: list[StanceDrop] = field(default_factory=list)
    left: SideSummary = field(default_factory=lambda: SideSummary(None, None, 0))  # LEFT stance (right hip drops)
    right: SideSummary = field(default_factory=lambda: SideSummary(None, None, 0))
    trace_t_s: list[float] = field(default_factory=list)
    trace_obliquity_deg: list[float | None] = field(default_factory=list)  # levelled, + = left hip higher
    trace_confidence: list[float] = field(default_factory=list)
    camera_roll_deg: float | None = None
    camera_roll_note: str = ""
    oblique_yaw_deg_estimate: float | None = None
    oblique_bias_note: str = ""
    level_deg: float | None = None  # constant removed from the raw relative trace
    level_note: str = ""
    static_obliquity_deg: float | None = None  # hip-landmark line, roll corrected: a rough absolute level
    naive_hip_line: dict[str, float | None] = field(default_factory=dict)  # per-side medians of the landmark line
    warnings: list[str] = field(default_factory=list)
    n_excluded: int = 0
    n_templates: int = 0
    runtime_s: float = 0.0

    @property
    def n_used(self) -> int:
        return sum(1 for s in self.stances if s.excluded is None)


class _NoSegmenter:
    available = False

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return None


def _not_measured(reason: str) -> PelvisResult:
    return PelvisResult(method=None, reason=reason)


def measure_pelvic_drop(video_path: str, gait_events, *, markers: bool = False, progress=None,
                        spec: RoiSpec | None = None, params: Params | None = None) -> PelvisResult:
    """Contralateral pelvic drop per stance from a rear or front clip (None with a reason from a side view)."""
    t_start = time.perf_counter()
    report = progress or (lambda f: None)
    view = getattr(gait_events, "view", None)
    if view not in ("rear", "front"):
        return _not_measured(f"pelvic drop is a frontal-plane angle and needs a rear or front view; this clip is "
                             f"{'a side view' if view and str(view).startswith('side') else f'view {view!r}'}")
    spec = spec or RoiSpec()
    params = params or Params()
    poses = gait_events.poses
    xy, vis = unfiltered_xy(gait_events), poses.visibility
    n = len(poses.t_s)
    T = torso_length_px(xy)
    if not np.isfinite(T) or T < 20:
        return _not_measured("the runner's hips and shoulders were not found reliably enough to locate the pelvis")
    yaw = camera.estimate_yaw(xy, poses.image_z, vis)
    if yaw.yaw_deg is not None and abs(yaw.yaw_deg) > 45.0:  # a mislabelled side view: no frontal plane to see
        return _not_measured(f"the camera looks at the runner from the side (about {abs(yaw.yaw_deg):.0f}° off a "
                             f"rear/front view); pelvic drop needs a rear or front view")
    bx, by, bw, bh = band_in_crop(T, spec)
    out_wh = (bw + 2 * bx, bh + 2 * by)
    centre = hip_centre_track(xy)
    hip_vis = np.minimum(vis[:, L_HIP], vis[:, R_HIP])
    good = (hip_vis > 0.7) & np.all(np.isfinite(xy[:, [L_HIP, R_HIP]]), axis=(1, 2))
    # templates from frames spread over the clip, hence over all phases of the stride: each template's
    # phase-dependent appearance error differs, and the median over templates averages them down
    # (tried: templates all at mid-flight, or averaged into one stride-mean template: both worse)
    cands = registration.template_candidates(n, good, k=params.n_templates)
    cand_set = {i for c in cands for i in c}
    roll_frames = set(np.linspace(0, max(n - 1, 0), 6).astype(int).tolist())

    crops: list[np.ndarray | None] = [None] * n
    boxes: list[tuple[int, int, int, int] | None] = [None] * n
    colour: dict[int, np.ndarray] = {}
    frames_small: dict[int, tuple[float, np.ndarray]] = {}
    devs, lens = [], []
    from gait.video import iter_frames

    # poses may cover only part of the clip (the runner's tracked span): map decoder frames to pose rows
    row_of = {int(f): k for k, f in enumerate(np.asarray(poses.frame_index))}
    last_frame = max(row_of) if row_of else -1
    for fi, _t, bgr in iter_frames(video_path):
        if fi > last_frame:
            break
        i = row_of.get(fi)
        if i is None:
            continue
        if i in roll_frames:  # camera roll from the background lines of a few frames
            s = min(1.0, 640.0 / bgr.shape[1])
            g = cv2.cvtColor(cv2.resize(bgr, None, fx=s, fy=s, interpolation=cv2.INTER_AREA), cv2.COLOR_BGR2GRAY)
            d, l_ = camera.line_deviations_deg(g, person_box(xy[i], T, s))
            devs.append(d)
            lens.append(l_)
        if not np.all(np.isfinite(centre[i])):
            continue
        box = search_box(centre[i], T, spec)
        c = crop_resampled(bgr, box, out_wh)
        if c is None:
            continue
        boxes[i] = box
        crops[i] = registration.prepare(c, params.prep)
        if i in cand_set:
            colour[i] = c
            s = min(1.0, 640.0 / max(bgr.shape[:2]))  # whole frame, small: the segmenter needs the whole person
            frames_small[i] = (s, cv2.resize(bgr, None, fx=s, fy=s, interpolation=cv2.INTER_AREA))
        if i % 20 == 0:
            report(0.6 * i / max(n, 1))

    res = PelvisResult(method=METHOD)
    roll = camera.estimate_roll(devs, lens)
    res.camera_roll_deg, res.camera_roll_note = roll.roll_deg, roll.note
    res.oblique_yaw_deg_estimate = yaw.yaw_deg
    res.oblique_bias_note, yaw_warn = camera.yaw_bias_note(yaw)
    if yaw_warn:
        res.warnings.append("The camera does not look squarely at the runner's back/front: " + res.oblique_bias_note
                            + ". Pelvic drop values are biased; film from straight behind.")

    def zoom_of(i):
        b = boxes[i]
        return out_wh[0] / (b[2] - b[0])

    def occl(i):
        return occluder_mask((out_wh[1], out_wh[0]), xy[i], boxes[i], zoom_of(i), T, spec)

    templates = []
    from gait.metrics.pelvis.segment import PersonSegmenter, mask_to_crop

    with PersonSegmenter() if params.segment else _NoSegmenter() as seg:
        for group in cands:
            for i in group:
                if i not in colour:
                    continue
                z = zoom_of(i)
                hl = (xy[i, L_HIP] - boxes[i][:2]) * z
                hr = (xy[i, R_HIP] - boxes[i][:2]) * z
                person = None
                if seg.available and i in frames_small:
                    s_, small = frames_small[i]
                    m = seg(small)
                    if m is not None:
                        person = mask_to_crop(m, s_, boxes[i], out_wh)
                made = [registration.make_template(i, colour[i], occl(i), hl, hr, spec, person, params.prep,
                                                   params.outline, dy) for dy in params.band_offsets_t]
                made = [t for t in made if t is not None]
                if made:
                    templates.extend(made)
                    break
        seg_ok = seg.available
    if params.segment and not seg_ok:
        res.warnings.append("Person segmentation unavailable; pelvis templates were cut out with GrabCut.")
    frames_small.clear()
    colour.clear()
    res.n_templates = len(templates)
    if not templates:
        res.method, res.reason = None, "no usable view of the pelvis (hidden, too dark or featureless)"
        return res

    # rigid registration of every frame against every template
    K = len(templates)
    ang = np.full((n, K), np.nan)
    cor = np.full((n, K), np.nan)
    masks_cache: dict[int, np.ndarray] = {}
    for k, tpl in enumerate(templates):
        prev_a, prev_s = 0.0, (0.0, 0.0)
        for i in range(n):
            if crops[i] is None:
                continue
            mask_i = masks_cache.get(i)
            if mask_i is None:
                mask_i = occl(i)
                if n <= 4000:  # ~40 kB each: cache for the next template unless the clip is very long
                    masks_cache[i] = mask_i
            r = registration.register(tpl, crops[i], mask_i, prev_a, prev_s, params.motion, params.robust)
            ang[i, k], cor[i, k] = r.angle_deg, r.corr
            if np.isfinite(r.angle_deg) and r.corr > 0.5:
                prev_a, prev_s = r.angle_deg, (0.5 * r.dx_px, 0.5 * r.dy_px)
            else:
                prev_a, prev_s = 0.0, (0.0, 0.0)
            if i % 50 == 0:
                report(0.6 + 0.35 * (k + i / n) / K)
    # a template that rarely matches well (bad frame, hand in it) is dropped as a whole
    # (relative to the best template: noise lowers every template's correlation alike)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        med_c = np.array([np.nanmedian(cor[:, k]) if np.isfinite(cor[:, k]).any() else 0.0 for k in range(K)])
    good_k = [k for k in range(K) if med_c[k] >= med_c.max() - params.template_corr_drop
              and np.mean(np.isfinite(ang[:, k])) > 0.7]
    if len(good_k) < K and good_k:
        res.warnings.append(f"{K - len(good_k)} of {K} pelvis templates dropped for poor matching.")
        ang, cor = ang[:, good_k], cor[:, good_k]
        res.n_templates = len(good_k)
    rel, spread, corr = registration.combine(ang, cor)

    t_s = np.asarray(poses.t_s, float)
    obl = obliquity.image_rotation_to_obliquity(rel, view)
    frame_conf = _frame_confidence(corr, spread, hip_vis, ang.shape[1])
    obl = np.where(frame_conf > 0.05, obl, np.nan)
    obl = obliquity.despike(t_s, obl)
    obl = obliquity.fill_gaps(t_s, obl, 0.1)
    obl = obliquity.smooth(t_s, obl, params.smooth_window_s)
    span = obliquity.whole_cycle_span(gait_events.events.foot_strike)
    obl_l, lvl, how = obliquity.level(t_s, obl, span)
    res.level_deg, res.level_note = lvl, how

    if markers:
        from gait.metrics.pelvis import markers as mk

        m_obl, m_note = mk.marker_obliquity(crops, boxes, xy, T, spec, view)
        if m_obl is not None:
            m_obl = obliquity.smooth(t_s, obliquity.fill_gaps(t_s, m_obl, 0.1))
            obl_l, lvl, how = obliquity.level(t_s, m_obl, span)
            frame_conf = np.where(np.isfinite(m_obl), np.maximum(frame_conf, 0.8), 0.0)
            res.method, res.level_deg, res.level_note = MARKER_METHOD, lvl, how
        else:
            res.warnings.append(f"Marker mode: {m_note}; measured from the pelvis image instead.")

    _fill_stances(res, gait_events.events, t_s, obl_l, frame_conf)
    # the naive landmark line, through the same stance logic, for comparison only
    naive = obliquity.smooth(t_s, obliquity.hip_line_obliquity(xy))
    naive_l, _, _ = obliquity.level(t_s, naive, span)
    nv = [stance.measure_stance(s, fs, to, t_s, naive_l, np.ones(n)) for s, fs, to in stance.stance_intervals(gait_events.events)]
    res.naive_hip_line = {side: stance.summarise(nv, side).median_deg for side in ("left", "right")}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        stat = float(np.nanmedian(obliquity.hip_line_obliquity(xy)))
    if np.isfinite(stat):  # roll turns the whole image clockwise: for a rear view that reads as left-higher
        sgn = 1.0 if view == "rear" else -1.0
        res.static_obliquity_deg = stat - sgn * (res.camera_roll_deg or 0.0)

    res.trace_t_s = [float(x) for x in t_s]
    res.trace_obliquity_deg = [float(x) if np.isfinite(x) else None for x in obl_l]
    res.trace_confidence = [float(x) for x in np.nan_to_num(frame_conf)]
    if res.camera_roll_deg is not None and abs(res.camera_roll_deg) > 3.0:
        res.warnings.append(f"The camera is rolled by {res.camera_roll_deg:.1f}°; the drop is measured relative to "
                            f"the runner's own level so it is not affected, but level the camera for absolute angles.")
    res.runtime_s = time.perf_counter() - t_start
    report(1.0)
    return res


def _frame_confidence(corr: np.ndarray, spread: np.ndarray, hip_vis: np.ndarray, n_templates: int) -> np.ndarray:
    """0..1 per frame: match quality x template agreement x landmark visibility.

    The correlation is judged against the clip's own typical value (texture, noise
    and resolution set its absolute level), plus a clip-wide factor that only
    drops when the band matches poorly throughout.
    """
    c_ok = np.isfinite(corr)
    if not c_ok.any():
        return np.zeros_like(corr, dtype=float)
    typical = float(np.median(corr[c_ok]))
    rel = np.clip(1.0 - np.maximum(typical - np.nan_to_num(corr, nan=-1.0), 0.0) / 0.2, 0, 1)
    clip_q = float(np.clip((typical - 0.3) / 0.3, 0, 1))
    # agreement: the standard error of the median of the templates' angles, ~1.25 sd / sqrt(K)
    se = 1.25 * np.nan_to_num(spread) / math.sqrt(max(n_templates, 1))
    a = np.where(np.isfinite(spread), np.exp(-0.5 * (se / 1.5) ** 2), 0.7)
    v = np.clip(np.nan_to_num(hip_vis) / 0.8, 0, 1)
    return rel * clip_q * a * v


def _fill_stances(res: PelvisResult, events, t_s, obl_l, frame_conf) -> None:
    iv = stance.stance_intervals(events)
    typ = stance.typical_stance_s(iv)
    recs = [stance.measure_stance(s, fs, to, t_s, obl_l, frame_conf, typical_stance_s=typ) for s, fs, to in iv]
    res.stances = recs
    res.left, res.right = stance.summarise(recs, "left"), stance.summarise(recs, "right")
    res.n_excluded = sum(1 for r in recs if r.excluded is not None)
    if recs and res.n_excluded:
        res.warnings.append(f"{res.n_excluded} of {len(recs)} stances left out of the pelvic drop (poor tracking "
                            f"or incomplete stance).")
    for side, sm in (("left", res.left), ("right", res.right)):
        if sm.n == 0:
            res.warnings.append(f"No valid {side} stance for pelvic drop.")
