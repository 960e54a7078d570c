"""Optional marker mode: two skin markers on the PSIS dimples; their line is the pelvis line.

Markers are small high-contrast dots (light or dark) about 1.5-3 cm across, i.e.
roughly 0.02-0.06 x torso length. They are found as difference-of-Gaussians
extrema in the pelvis search crop, paired by plausible spacing (0.12-0.45 T) and a
near-horizontal line, and refined to a sub-pixel centroid.
"""
from __future__ import annotations

import math

import cv2
import numpy as np

from gait.pelvis.geometry import CropGeometry

MIN_FOUND = 0.6  # markers must be found in this share of frames to replace the band method


def find_marker_pair(gray: np.ndarray, centre_xy: tuple[float, float], torso_px: float,
                     max_tilt_deg: float = 25.0) -> tuple[np.ndarray, np.ndarray, float] | None:
    """((xl, yl), (xr, yr), strength) of the best marker pair in a crop (pixels of that crop), or None."""
    g = gray.astype(np.float32)
    s = max(0.02 * torso_px, 1.0)
    dog = cv2.GaussianBlur(g, (0, 0), s) - cv2.GaussianBlur(g, (0, 0), 3 * s)
    resp = np.abs(dog)
    noise = 1.4826 * np.median(np.abs(dog - np.median(dog))) + 1e-3
    k = int(2 * round(2 * s) + 1)
    peaks = (resp == cv2.dilate(resp, np.ones((k, k), np.uint8))) & (resp > 2.5 * noise)
    cx, cy = centre_xy
    h, w = g.shape
    yy, xx = np.nonzero(peaks)
    sel = (np.abs(xx - cx) < 0.35 * torso_px) & (yy > cy - 0.5 * torso_px) & (yy < cy + 0.05 * torso_px)
    yy, xx = yy[sel], xx[sel]
    if len(xx) < 2:
        return None
    order = np.argsort(-resp[yy, xx])[:12]
    pts = [(float(xx[i]), float(yy[i]), float(resp[yy[i], xx[i]]), float(np.sign(dog[yy[i], xx[i]]))) for i in order]
    best, best_score = None, 0.0
    for a in range(len(pts)):
        for b in range(a + 1, len(pts)):
            p, q = sorted((pts[a], pts[b]))
            dx, dy = q[0] - p[0], q[1] - p[1]
            sep = math.hypot(dx, dy) / torso_px
            if p[3] != q[3] or not (0.12 <= sep <= 0.45) or abs(math.degrees(math.atan2(dy, dx))) > max_tilt_deg:
                continue
            sym = 1.0 - min(abs(0.5 * (p[0] + q[0]) - cx) / (0.2 * torso_px), 1.0)  # straddle the midline
            score = min(p[2], q[2]) * (0.5 + 0.5 * sym)
            if score > best_score:
                best, best_score = (p, q), score
    if best is None:
        return None
    refined = []
    r = max(int(round(1.5 * s)), 2)
    for x, y, _, sign in best:
        x0, x1, y0, y1 = int(max(x - r, 0)), int(min(x + r + 1, w)), int(max(y - r, 0)), int(min(y + r + 1, h))
        wgt = np.clip(sign * dog[y0:y1, x0:x1], 0, None)
        if wgt.sum() <= 0:
            refined.append(np.array([x, y]))
            continue
        gy, gx = np.mgrid[y0:y1, x0:x1]
        refined.append(np.array([(gx * wgt).sum() / wgt.sum(), (gy * wgt).sum() / wgt.sum()]))
    return refined[0], refined[1], best_score / noise


def marker_angle_deg(crop: np.ndarray, geom: CropGeometry, work_torso_px: float) -> float:
    """Image angle of the marker line in one prepared crop (+ = clockwise on screen), NaN if no pair."""
    pair = find_marker_pair(crop, (geom.width / 2, geom.hip_y), work_torso_px)
    if pair is None:
        return float("nan")
    (xl, yl), (xr, yr), _ = pair
    return math.degrees(math.atan2(yr - yl, xr - xl))
