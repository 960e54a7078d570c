"""Where the pelvis is in the image: the band seeded by the pose, its search crop and the hand mask.

Everything is in units of the runner's torso length T (shoulder-mid to hip-mid).
A search crop is resampled so that T is ``Band.work_torso_px`` pixels; the band sits
at a fixed place inside it, centred on the hip-landmark midpoint.
"""
from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from gait.pelvis.params import Band
from gait.poses.landmarks import ELBOW, HAND_POINTS, HIP, WRIST

Box = tuple[int, int, int, int]  # x0, y0, x1, y1 in frame pixels


@dataclass(frozen=True)
class CropGeometry:
    """Pixel layout of a resampled search crop (the same for every frame of a clip)."""

    width: int
    height: int
    band_x: int
    band_y: int
    band_w: int
    band_h: int
    hip_y: float  # the hip-landmark midpoint's row in the crop

    @classmethod
    def of(cls, band: Band) -> "CropGeometry":
        z = band.work_torso_px
        m = int(round(band.margin_t * z))
        w = int(round(2 * band.half_width_t * z))
        h = int(round((band.top_t - band.bottom_t) * z))
        return cls(width=w + 2 * m, height=h + 2 * m, band_x=m, band_y=m, band_w=w, band_h=h,
                   hip_y=m + band.top_t * z)


def hip_centre(xy: np.ndarray) -> np.ndarray:
    """Hip-landmark midpoint (..., 2)."""
    return (xy[..., HIP["left"], :] + xy[..., HIP["right"], :]) / 2


def search_box(centre_xy: np.ndarray, torso: float, band: Band) -> Box:
    """Frame-pixel box of the search crop: the band plus its margin, on the hip centre."""
    cx, cy = float(centre_xy[0]), float(centre_xy[1])
    m = band.margin_t * torso
    return (int(round(cx - band.half_width_t * torso - m)), int(round(cy - band.top_t * torso - m)),
            int(round(cx + band.half_width_t * torso + m)), int(round(cy - band.bottom_t * torso + m)))


def crop_resampled(frame: np.ndarray, box: Box, out_wh: tuple[int, int]) -> np.ndarray | None:
    """``box`` of ``frame`` (replicated border where it sticks out) resampled to exactly ``out_wh``."""
    x0, y0, x1, y1 = box
    H, W = frame.shape[:2]
    sub = frame[max(y0, 0):min(y1, H), max(x0, 0):min(x1, W)]
    if sub.size == 0 or x1 <= x0 or y1 <= y0:
        return None
    pad = (max(0, -y0), max(0, y1 - H), max(0, -x0), max(0, x1 - W))
    if any(pad):
        sub = cv2.copyMakeBorder(sub, *pad, cv2.BORDER_REPLICATE)
    shrink = out_wh[0] < sub.shape[1]
    return cv2.resize(sub, out_wh, interpolation=cv2.INTER_AREA if shrink else cv2.INTER_LINEAR)


def box_zoom(geom: CropGeometry, box: Box) -> float:
    """Crop pixels per frame pixel for a search box (boxes are rounded, so each has its own)."""
    return geom.width / max(box[2] - box[0], 1)


def to_crop(points_xy: np.ndarray, box: Box, zoom: float) -> np.ndarray:
    """Frame pixels -> crop pixels."""
    return (np.asarray(points_xy, float) - np.array(box[:2], float)) * zoom


def occluder_mask(geom: CropGeometry, landmarks_xy: np.ndarray, box: Box, zoom: float, torso: float,
                  band: Band) -> np.ndarray:
    """uint8 mask of a crop: 0 where a forearm or hand (from the pose) may cover the pelvis, 255 elsewhere.

    Runners' hands swing past the hips every stride; unmasked, the registration
    follows the hand as much as the pelvis. MediaPipe places wrists loosely when
    they pass behind the hips and the hand continues the forearm past the wrist,
    so the forearm is extended by a hand length and padded generously.
    """
    mask = np.full((geom.height, geom.width), 255, np.uint8)
    thick = max(int(round(band.arm_width_t * torso * zoom)), 3)
    pts = to_crop(landmarks_xy, box, zoom)

    def p(j):
        q = pts[j]
        return None if not np.all(np.isfinite(q)) else (int(round(q[0])), int(round(q[1])))

    for side in ("left", "right"):
        a, b = p(ELBOW[side]), p(WRIST[side])
        if a is not None and b is not None:
            tip = (int(round(b[0] + 0.45 * (b[0] - a[0]))), int(round(b[1] + 0.45 * (b[1] - a[1]))))
            cv2.line(mask, a, tip, 0, thick)
            cv2.circle(mask, tip, int(thick * 1.2), 0, -1)
        if b is not None:
            cv2.circle(mask, b, int(thick * 1.5), 0, -1)
    for j in HAND_POINTS:
        q = p(j)
        if q is not None:
            cv2.circle(mask, q, int(thick * 1.2), 0, -1)
    return mask


def person_box(xy: np.ndarray, torso: float, scale: float, pad_t: float = 0.35) -> Box | None:
    """Box around the runner's landmarks (padded by ``pad_t`` x T), in a frame scaled by ``scale``."""
    p = xy[np.all(np.isfinite(xy), axis=1)]
    if p.size == 0:
        return None
    m = pad_t * torso
    return (int((p[:, 0].min() - m) * scale), int((p[:, 1].min() - m) * scale),
            int((p[:, 0].max() + m) * scale), int((p[:, 1].max() + m) * scale))
