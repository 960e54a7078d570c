"""Camera geometry checks for a frontal-plane angle: roll of the camera and an oblique (yawed) view.

Roll: the background's straight lines (treadmill and floor edges, wall/floor
junction, door frames, treadmill uprights) are level or plumb in the world, so
their median deviation from the image axes is the camera roll. The runner is
masked out (his outline is not a world line).

Yaw: from squarely behind, the left and right hips (and shoulders) are at the
same depth; MediaPipe's relative depth z (image-x scale) of the two sides then
averages to the same value. A persistent depth difference dz across a width dx
means the camera looks at the runner from the side by atan(dz/dx).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

from gait.metrics.pelvis.roi import L_HIP, L_SHOULDER, R_HIP, R_SHOULDER


def line_deviations_deg(gray: np.ndarray, person_box: tuple[int, int, int, int] | None,
                        max_dev_deg: float = 8.0) -> tuple[np.ndarray, np.ndarray]:
    """(deviations, lengths) of near-horizontal / near-vertical background segments; + = rotated clockwise."""
    h, w = gray.shape[:2]
    edges = cv2.Canny(cv2.GaussianBlur(gray, (5, 5), 0), 50, 150)
    if person_box is not None:
        x0, y0, x1, y1 = person_box
        edges[max(y0, 0):max(min(y1, h), 0), max(x0, 0):max(min(x1, w), 0)] = 0
    segs = cv2.HoughLinesP(edges, 1, np.pi / 720, threshold=max(30, int(0.06 * w)),
                           minLineLength=int(0.12 * min(h, w)), maxLineGap=int(0.01 * w) + 2)
    if segs is None:
        return np.zeros(0), np.zeros(0)
    s = np.asarray(segs, float).reshape(-1, 4)
    dx, dy = s[:, 2] - s[:, 0], s[:, 3] - s[:, 1]
    ang = np.degrees(np.arctan2(dy, dx))  # image angle, y down: + = clockwise on screen
    ang = (ang + 90) % 180 - 90  # direction-free, in [-90, 90)
    length = np.hypot(dx, dy)
    dev_h = ang  # horizontal lines: deviation is the angle itself
    dev_v = np.where(ang > 0, ang - 90, ang + 90)  # vertical lines: clockwise rotation also turns them +
    is_h = np.abs(dev_h) <= max_dev_deg
    is_v = np.abs(dev_v) <= max_dev_deg
    dev = np.r_[dev_h[is_h], dev_v[is_v]]
    ln = np.r_[length[is_h], length[is_v]]
    return dev, ln


def weighted_median(x: np.ndarray, w: np.ndarray) -> float:
    o = np.argsort(x)
    c = np.cumsum(w[o])
    return float(x[o][np.searchsorted(c, 0.5 * c[-1])])


@dataclass
class RollEstimate:
    roll_deg: float | None  # + = camera rolled so that level lines appear turned clockwise
    n_lines: int
    note: str


def estimate_roll(devs: list[np.ndarray], lens: list[np.ndarray], min_lines: int = 4) -> RollEstimate:
    """Length-weighted median deviation of level/plumb background lines over a few sampled frames."""
    d = np.concatenate(devs) if devs else np.zeros(0)
    l_ = np.concatenate(lens) if lens else np.zeros(0)
    if d.size < min_lines:
        return RollEstimate(None, int(d.size), "too few straight background lines to estimate the camera roll")
    r = weighted_median(d, l_)
    spread = weighted_median(np.abs(d - r), l_)
    note = f"from {d.size} level/plumb background line segments (spread {spread:.1f}°)"
    return RollEstimate(r, int(d.size), note)


@dataclass
class YawEstimate:
    yaw_deg: float | None  # + = the camera sits towards the runner's right... sign only informative
    shoulder_width_ratio: float | None  # shoulder landmark width / torso length (square rear view of adults ~0.6-0.8)
    frontal_gain: float | None  # projected / true frontal-plane angle, = 1/cos(yaw)
    note: str


def estimate_yaw(image_xy: np.ndarray, image_z: np.ndarray, visibility: np.ndarray) -> YawEstimate:
    """Camera yaw from the persistent left/right depth difference of hips and shoulders."""
    def pair(a, b):
        ok = (visibility[:, a] > 0.5) & (visibility[:, b] > 0.5) & np.isfinite(image_z[:, a]) & np.isfinite(image_z[:, b])
        if ok.sum() < 10:
            return None
        dz = np.median(image_z[ok, a] - image_z[ok, b])
        dx = np.median(np.abs(image_xy[ok, a, 0] - image_xy[ok, b, 0]))
        return math.degrees(math.atan2(dz, max(dx, 1e-6)))

    # Shoulders only: they are twice as wide as the hip landmarks, and MediaPipe's hip depth carries a
    # large stride-related bias (it reads ~25° on a square rear view of the phantom; shoulders ~1-10°).
    ys = [y for y in (pair(L_SHOULDER, R_SHOULDER),) if y is not None]
    sh = (image_xy[:, L_SHOULDER] + image_xy[:, R_SHOULDER]) / 2
    hp = (image_xy[:, L_HIP] + image_xy[:, R_HIP]) / 2
    T = np.linalg.norm(sh - hp, axis=1)
    W = np.abs(image_xy[:, L_SHOULDER, 0] - image_xy[:, R_SHOULDER, 0])
    ok = np.isfinite(T) & np.isfinite(W) & (T > 0)
    ratio = float(np.median(W[ok] / T[ok])) if ok.sum() >= 10 else None
    if not ys:
        return YawEstimate(None, ratio, None, "landmark depth not available: camera yaw not estimated")
    yaw = float(np.mean(ys))
    gain = 1.0 / max(math.cos(math.radians(yaw)), 0.2)
    return YawEstimate(yaw, ratio, gain, "from the median left/right shoulder depth difference (MediaPipe z)")


def yaw_bias_note(yaw: YawEstimate, limit_deg: float = 15.0) -> tuple[str, bool]:
    """(note, worth a warning)."""
    if yaw.yaw_deg is None:
        return yaw.note, False
    a = abs(yaw.yaw_deg)
    pct = (yaw.frontal_gain - 1.0) * 100.0
    note = (f"camera about {a:.0f}° off square (estimate); a frontal-plane pelvic angle then appears about "
            f"{pct:.0f}% larger (x 1/cos(yaw)) and forward/backward pelvic tilt leaks in by about "
            f"sin(yaw) = {math.sin(math.radians(a)):.2f} of the tilt")
    return note, a > limit_deg
