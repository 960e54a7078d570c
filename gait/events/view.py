"""Camera view from the landmarks: side_left / side_right / rear / front, with a confidence.

Cues, each a per-frame vote so the confidence says how consistent the clip is:
- body yaw: the shoulder and hip lines are seen end-on from the side (large depth
  difference between the left and right landmark, small image-x difference) and
  face-on from the rear/front;
- side: the direction the runner faces in the image (toes ahead of heels, nose ahead
  of the ears). Facing image-left shows the runner's left side to the camera
  (side_left), facing image-right shows the right side. This is pure geometry and
  does not trust the model's left/right labels;
- rear vs front: the nose is farther from the camera than the ears in a rear view
  (MediaPipe depth), and the runner's left shoulder/hip appear on the image left.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gait.poses.landmarks import HEEL, HIP, IDX, NOSE, SHOULDER, TOE
from gait.poses.series import PoseSeries

VIEWS = ("side_left", "side_right", "rear", "front")


@dataclass
class ViewEstimate:
    view: str
    confidence: float  # 0..1
    yaw_deg: float  # median body yaw: 0 = face-on (rear/front), 90 = side-on
    facing: int  # +1 runner faces image right, -1 image left, 0 unknown


def _share(votes: np.ndarray) -> float:
    """Fraction of finite votes that are positive."""
    v = votes[np.isfinite(votes)]
    return float((v > 0).mean()) if v.size else 0.5


def body_yaw_deg(poses: PoseSeries) -> np.ndarray:
    """Per-frame yaw of the shoulder and hip lines (0 = face-on, 90 = side-on)."""
    xy, z = poses.image_xy, poses.image_z
    yaws = []
    for part in (SHOULDER, HIP):
        dx = np.abs(xy[:, part["left"], 0] - xy[:, part["right"], 0])
        dz = np.abs(z[:, part["left"]] - z[:, part["right"]])
        yaws.append(np.degrees(np.arctan2(dz, dx)))
    return np.nanmean(np.stack(yaws, 1), axis=1)


def facing_votes(poses: PoseSeries) -> np.ndarray:
    """+ when the runner faces image right: toes ahead of heels, nose ahead of ears."""
    xy = poses.image_xy
    toe = np.nanmean([xy[:, TOE[s], 0] - xy[:, HEEL[s], 0] for s in ("left", "right")], axis=0)
    ears = np.nanmean(xy[:, [IDX["left_ear"], IDX["right_ear"]], 0], axis=1)
    nose = xy[:, NOSE, 0] - ears
    return np.sign(toe) + np.sign(nose)


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
    yaw = body_yaw_deg(poses)
    yaw_med = float(np.nanmedian(yaw)) if np.isfinite(yaw).any() else 45.0
    fv = facing_votes(poses)
    right_share = _share(fv)
    facing = 1 if right_share > 0.5 else -1
    if override in VIEWS:
        return ViewEstimate(override, 1.0, yaw_med, facing)
    side_share = _share(yaw - 45.0)
    if override == "side" or side_share >= 0.5:
        view = "side_right" if facing > 0 else "side_left"
        facing_conf = abs(2 * right_share - 1)
        conf = 1.0 * facing_conf if override == "side" else min(abs(2 * side_share - 1), facing_conf)
        return ViewEstimate(view, round(float(conf), 3), yaw_med, facing)
    rs = _share(rear_votes(poses))
    view = "rear" if rs >= 0.5 else "front"
    conf = min(abs(2 * side_share - 1), abs(2 * rs - 1))
    return ViewEstimate(view, round(float(conf), 3), yaw_med, 0)
