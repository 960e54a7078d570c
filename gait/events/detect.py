"""Foot strike and toe-off detection from conditioned landmarks and the feet's mask soles.

1. Pelvis-relative foot position along the direction of travel (Zeni et al. 2008):
   the heel's most forward position marks a foot strike, the toe's most backward
   position marks a toe-off. Side views use the image x axis; rear/front views use
   MediaPipe's metric world depth (z). Walking keeps these events (Zeni's own case).
2. Running: every stance is anchored on the body's lowest point (spring-mass: the body is lowest
   near midstance; side views follow the pelvis, rear/front views the mean height of the hips,
   shoulders and head, gait.events.rear), the feet strictly alternating, and its contact is measured on the feet's
   silhouette soles from the person mask (gait.events.soles), colour-blind: side views by the
   sole's height above the belt (gait.events.side), rear views by the end of the sole's
   approach to the camera (gait.events.rear). Without soles the heel/toe landmarks are used.
3. Spurious peaks: a minimum spacing of 0.6 stride (from the cadence estimate) and a
   prominence floor; then left/right strikes are forced to alternate.
Times are sub-frame on the video's own clock.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from gait.events.conditioning import body_scale_px
from gait.events.ground import GroundLine, ground_line
from gait.events.peaks import SIDES, alternate, find_extrema, index_to_time, pelvis_lows
from gait.events.rear import rear_front_events
from gait.events.side import side_events
from gait.events.soles import HIP_ANKLE_M, contact_tol_px, sole_tracks, usable_soles
from gait.poses.landmarks import ANKLE, HEEL, HIP, TOE
from gait.poses.series import PoseSeries

# Side-view contact tolerance: the foot counts as on the belt within 5 % of the
# hip-ankle length (~4 cm) of its lowest stance level; pose jitter is ~1-2 % of it.
CONTACT_TOL_LEG = 0.05
# Swing-foot lift (in hip-ankle lengths) below which the gait looks like walking.
WALK_LIFT_MAX = 0.3


@dataclass
class FootEvents:
    foot_strike_s: dict[str, np.ndarray]
    toe_off_s: dict[str, np.ndarray]
    is_walking: bool
    walking_score: float  # + = pelvis highest in midstance (walking), - = lowest (running)
    foot_lift: float = 0.0  # swing-foot lift, hip-ankle lengths
    rejected: int = 0  # candidate strikes dropped as spurious
    used_soles: bool = False  # running contacts measured on the mask soles (else landmarks)
    # toe-offs that could not be measured, placed half a contact after the stance's low (rear/front views):
    # stance windows for the pelvis, never reported
    assumed_toe_off_s: dict[str, np.ndarray] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    ground: GroundLine | None = None  # side view: the ground line contacts were measured from
    toe_off_delay_s: dict[str, float] = field(default_factory=dict)  # rear view, mask soles (gait.events.rear)


def forward_signals(poses: PoseSeries, view: str, facing: int) -> tuple[dict, dict]:
    """Heel and toe position relative to the mid-hip along the direction of travel, per side."""
    if view.startswith("side"):
        pos = poses.image_xy[..., 0]
        sign = 1.0 if view == "side_right" else -1.0  # side_right = runner faces image right
    else:
        pos = poses.world_xyz[..., 2]  # metres, + away from the camera
        sign = 1.0 if view == "rear" else -1.0
    hip = np.nanmean(pos[:, [HIP["left"], HIP["right"]]], axis=1)
    heel = {s: sign * (pos[:, HEEL[s]] - hip) for s in SIDES}
    toe = {s: sign * (pos[:, TOE[s]] - hip) for s in SIDES}
    return heel, toe


def walking_score(hip_y: np.ndarray, heel: dict[str, np.ndarray], stride_frames: float) -> float:
    """Pelvis height when the legs pass each other, in units of its bounce.

    The feet are closest along the direction of travel at midstance (the swing foot
    passes the stance foot under the pelvis). Running (spring-mass): the pelvis is
    lowest there -> negative score. Walking (inverted pendulum): highest -> positive.
    Needs no event times, so it can choose how events are then refined.
    """
    w = max(3, int(stride_frames)) | 1
    trend = np.convolve(hip_y, np.ones(w) / w, mode="same")  # remove drift, keep the bounce
    bounce = trend - hip_y  # + = pelvis higher than its running mean
    lo, hi = w // 2, len(hip_y) - w // 2
    if hi - lo < 4:
        return 0.0
    amp = np.nanpercentile(bounce[lo:hi], 95) - np.nanpercentile(bounce[lo:hi], 5)
    if not np.isfinite(amp) or amp <= 0:
        return 0.0
    spread = np.abs(heel["left"] - heel["right"])
    together = find_extrema(-spread, max(1, int(0.3 * stride_frames)))
    vals = [bounce[int(round(i))] for i in together if lo <= round(i) < hi]
    return float(np.median(vals) / amp) if vals else 0.0


def foot_lift(xy: np.ndarray) -> float:
    """How high the swing foot rises above the stance foot: 95th percentile of the
    vertical ankle separation, in hip-ankle lengths. Running heel recovery lifts the
    swing foot 0.4-0.6 leg; walking clears the ground by a few cm (<0.2)."""
    d = np.abs(xy[:, ANKLE["left"], 1] - xy[:, ANKLE["right"], 1])
    return float(np.nanpercentile(d, 95) / body_scale_px(xy)) if np.isfinite(d).any() else 0.0


def feet_tracks(xy: np.ndarray, soles: np.ndarray | None) -> list[tuple[np.ndarray, np.ndarray]]:
    """Image (x, y) tracks of what stands on the ground: the mask soles, else the heel and toe landmarks."""
    if soles is not None:
        return [(soles[:, i, 0], soles[:, i, 1]) for i in range(len(SIDES))]
    return [(xy[:, L[s], 0], xy[:, L[s], 1]) for s in SIDES for L in (HEEL, TOE)]


def side_ground(xy: np.ndarray, soles: np.ndarray | None, hip_y: np.ndarray, stride_frames: float,
                camera_roll_deg: float | None = None) -> GroundLine | None:
    """The ground line heights are measured from, when its tilt is resolvable (else None: the image's level):
    the camera's roll from the background (``camera_roll_deg``, when resolvable) unless the feet's own line
    says the belt is inclined against it (gait.events.ground)."""
    g = ground_line(feet_tracks(xy, soles), pelvis_lows(hip_y, stride_frames), stride_frames)
    if camera_roll_deg is not None and (g is None or g.agrees_with(camera_roll_deg)):
        x_ref = g.x_ref if g is not None else float(np.nanmedian(xy[:, HIP["left"], 0]))
        return GroundLine.from_roll(camera_roll_deg, x_ref) if np.isfinite(x_ref) else None
    return g if g is not None and g.resolvable else None


def detect_events(poses: PoseSeries, view: str, facing: int, step_hz: float | None,
                  camera_roll: Callable[[], float | None] | None = None) -> FootEvents:
    """``camera_roll``: asked in side views only, the camera's resolvable roll from the background (degrees)."""
    t = poses.t_s
    fps = 1.0 / float(np.median(np.diff(t)))
    stride_frames = fps * 2.0 / step_hz if step_hz else fps * 0.7
    min_dist = int(0.6 * stride_frames)
    heel, toe = forward_signals(poses, view, facing)
    xy = poses.image_xy
    hip_y = np.nanmean(xy[:, [HIP["left"], HIP["right"]], 1], axis=1)
    zeni_fs, zeni_to, strength = {}, {}, {}
    for s in SIDES:
        zeni_fs[s] = find_extrema(heel[s], min_dist)
        zeni_to[s] = find_extrema(-toe[s], min_dist)
        strength[s] = np.array([heel[s][int(round(i))] for i in zeni_fs[s]])
    zeni_fs, rejected = alternate(zeni_fs, strength)
    leg_px = body_scale_px(xy)
    tol_px = CONTACT_TOL_LEG * leg_px
    score = walking_score(hip_y, heel, stride_frames)
    lift = foot_lift(xy)
    # Evidence for walking, two independent cues in comparable units: the swing foot's lift
    # (threshold 0.3 leg) and, in side views where depth is not needed, the pelvis phase.
    evidence = (WALK_LIFT_MAX - lift) / 0.1 + (score / 0.2 if view.startswith("side") else 0.0)
    is_walking = evidence > 0
    sole_xy = usable_soles(poses)
    ground = None
    if view.startswith("side") and not is_walking:
        ground = side_ground(xy, sole_xy, hip_y, stride_frames, camera_roll() if camera_roll else None)
    soles = sole_tracks(sole_xy, fps, contact_tol_px(leg_px), ground)
    assumed: dict[str, np.ndarray] = {}
    toe_off_delay: dict[str, float] = {}
    if is_walking:
        fs_idx = zeni_fs
        to_idx = {s: np.array([z[(z > f) & (z < f + stride_frames)][0] for f in zeni_fs[s]
                               if ((z > f) & (z < f + stride_frames)).any()]) for s, z in zeni_to.items()}
    elif view.startswith("side"):
        y = {j: (xy[:, j, 1] if ground is None else ground.levelled(xy[:, j, 0], xy[:, j, 1])) for j in
             [HEEL[s] for s in SIDES] + [TOE[s] for s in SIDES]}
        land = {s: (np.maximum(y[HEEL[s]], y[TOE[s]]), y[TOE[s]]) for s in SIDES}
        sign = 1.0 if view == "side_right" else -1.0  # side_right = runner faces image right
        fwd = {s: sign * np.gradient(xy[:, ANKLE[s], 0]) * fps / leg_px for s in SIDES}  # leg lengths/s
        near = "right" if view == "side_right" else "left"  # side_right: the runner's right faces the camera
        fs_idx, to_idx = side_events(hip_y, zeni_fs, land, fwd, soles, stride_frames, contact_tol_px(leg_px), tol_px,
                                     near)
    else:
        rf = rear_front_events(xy, zeni_to, view, stride_frames, tol_px, soles, leg_px / HIP_ANKLE_M, fps)
        fs_idx, to_idx, assumed, rejected = rf.foot_strike, rf.toe_off, rf.assumed_toe_off, rf.rejected
        toe_off_delay = rf.toe_off_delay_frames
    return FootEvents(
        foot_strike_s={s: index_to_time(t, np.sort(fs_idx[s])) for s in SIDES},
        toe_off_s={s: index_to_time(t, np.sort(to_idx[s])) for s in SIDES},
        is_walking=is_walking, walking_score=score, foot_lift=lift, rejected=rejected,
        used_soles=soles is not None and not is_walking,
        assumed_toe_off_s={s: index_to_time(t, np.sort(a)) for s, a in assumed.items()}, ground=ground,
        toe_off_delay_s={s: d / fps for s, d in toe_off_delay.items()},
    )
