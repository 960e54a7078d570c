"""Camera view from the landmarks: side_left / side_right / rear / front, a signed camera yaw and a confidence.

Cues (all in the image plane: MediaPipe's depth is biased differently by every model):
- camera yaw: seen from the side, a running ankle sweeps about a leg length fore-aft across the
  image; seen from behind or in front it hardly moves sideways, and the shoulders and hips look
  wide. The yaw is the angle whose sine the sweep and whose cosine the widths measure
  (``camera_yaw_deg``); 0 = on the runner's axis, +-90 = a side view. A rear or front camera
  turned 10-30 deg off the axis is still a rear or front view;
- side: the direction the runner faces in the image (toes ahead of heels, nose ahead of the
  ears). Facing image-left shows the runner's left side to the camera (side_left), facing
  image-right shows the right side. Pure geometry: the model's left/right labels are not trusted;
- rear vs front: the nose is farther from the camera than the ears in a rear view
  (MediaPipe depth, only its sign), and the runner's left shoulder/hip appear on the image left.
Sign of the yaw: + = the camera is turned towards the runner's right (the runner's forward
direction then points to the image right, for a rear and a front camera alike).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from gait.events.conditioning import body_scale_px
from gait.poses.landmarks import ANKLE, HEEL, HIP, IDX, NOSE, SHOULDER, SIDES, TOE
from gait.poses.series import PoseSeries

VIEWS = ("side_left", "side_right", "rear", "front")
# A running ankle sweeps about 1.2 hip-ankle lengths fore-aft relative to the pelvis over a stride
# (ahead at foot strike, behind after toe-off); slower runners sweep less, sprinters more.
FORE_AFT_SWEEP_LEG = 1.2
# Seen square from behind, one ankle still sweeps ~0.14 leg sideways relative to the pelvis centre
# (swing path and landmark jitter): that part of the image sweep is not yaw.
LATERAL_SWEEP_LEG = 0.14
# Shoulder plus hip landmark widths seen square from behind, in hip-ankle lengths (adult
# biacromial ~0.26 and hip-joint width ~0.11 of stature, over a hip-ankle length of ~0.45).
FRONTAL_WIDTH_LEG = 0.72
# Beyond 45 deg the camera sees more of the runner's side than of the back or front.
SIDE_YAW_DEG = 45.0
# Confidence reaches 1 this far (deg) from the side/rear boundary.
YAW_MARGIN_DEG = 20.0


@dataclass
class ViewEstimate:
    view: str
    confidence: float  # 0..1
    yaw_deg: float  # camera yaw, + = towards the runner's right; 0 = rear/front on the axis, +-90 = side
    facing: int  # +1 runner faces image right, -1 image left, 0 rear/front


def _share(votes: np.ndarray) -> float:
    """Fraction of finite votes that are positive."""
    v = votes[np.isfinite(votes)]
    return float((v > 0).mean()) if v.size else 0.5


def ankle_sweep_leg(xy: np.ndarray) -> float:
    """Image-x sweep (5-95 % range) of each ankle relative to the mid-hip, mean of both, in hip-ankle lengths."""
    hip_x = np.nanmean(xy[:, [HIP["left"], HIP["right"]], 0], axis=1)
    sweeps = [np.subtract(*np.nanpercentile(xy[:, ANKLE[s], 0] - hip_x, [95, 5])) for s in SIDES]
    return float(np.nanmean(sweeps) / body_scale_px(xy))


def frontal_width_leg(xy: np.ndarray) -> float:
    """Median image-x width of the shoulders plus that of the hips, in hip-ankle lengths."""
    w = [np.nanmedian(np.abs(xy[:, part["left"], 0] - xy[:, part["right"], 0])) for part in (SHOULDER, HIP)]
    return float(np.nansum(w) / body_scale_px(xy))


def facing_votes(poses: PoseSeries) -> np.ndarray:
    """+ when the runner faces image right: toes ahead of heels, nose ahead of ears."""
    xy = poses.image_xy
    toe = np.nanmean([xy[:, TOE[s], 0] - xy[:, HEEL[s], 0] for s in SIDES], axis=0)
    ears = np.nanmean(xy[:, [IDX["left_ear"], IDX["right_ear"]], 0], axis=1)
    nose = xy[:, NOSE, 0] - ears
    return np.sign(toe) + np.sign(nose)


def camera_yaw_deg(poses: PoseSeries) -> float:
    """Signed camera yaw from the ankles' sideways sweep (sine) and the body's frontal width (cosine)."""
    xy = poses.image_xy
    sweep = ankle_sweep_leg(xy)
    fore_aft = math.sqrt(max(sweep ** 2 - LATERAL_SWEEP_LEG ** 2, 0.0)) / FORE_AFT_SWEEP_LEG
    width = frontal_width_leg(xy) / FRONTAL_WIDTH_LEG
    if not (math.isfinite(fore_aft) and math.isfinite(width)):
        return float("nan")
    sign = 1.0 if _share(facing_votes(poses)) >= 0.5 else -1.0
    return sign * math.degrees(math.atan2(fore_aft, max(width, 0.0)))


def rear_votes(poses: PoseSeries) -> np.ndarray:
    """+ for rear view, - for front view."""
    xy, z = poses.image_xy, poses.image_z
    ears_z = np.nanmean(z[:, [IDX["left_ear"], IDX["right_ear"]]], axis=1)
    nose_behind = np.sign(z[:, NOSE] - ears_z)
    left_on_left = np.sign(xy[:, SHOULDER["right"], 0] - xy[:, SHOULDER["left"], 0]) + \
        np.sign(xy[:, HIP["right"], 0] - xy[:, HIP["left"], 0])
    return 2 * nose_behind + left_on_left


def detect_view(poses: PoseSeries, override: str = "auto") -> ViewEstimate:
    """Detect the view; an explicit view is taken as given (confidence 1), "side" picks the side."""
    yaw = camera_yaw_deg(poses)
    right_share = _share(facing_votes(poses))
    facing = 1 if right_share > 0.5 else -1
    if override in VIEWS:
        return ViewEstimate(override, 1.0, yaw, facing if override.startswith("side") else 0)
    yaw_conf = min(1.0, abs(abs(yaw) - SIDE_YAW_DEG) / YAW_MARGIN_DEG) if math.isfinite(yaw) else 0.0
    if override == "side" or (math.isfinite(yaw) and abs(yaw) >= SIDE_YAW_DEG):
        view = "side_right" if facing > 0 else "side_left"
        facing_conf = abs(2 * right_share - 1)
        conf = facing_conf if override == "side" else min(yaw_conf, facing_conf)
        return ViewEstimate(view, round(float(conf), 3), yaw, facing)
    rs = _share(rear_votes(poses))
    view = "rear" if rs >= 0.5 else "front"
    conf = min(yaw_conf, abs(2 * rs - 1))
    return ViewEstimate(view, round(float(conf), 3), yaw, 0)
