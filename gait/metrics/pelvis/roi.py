"""Where the pelvis is in the image: a band seeded by the pose, sized by the torso.

Everything is in units of the runner's torso length T (shoulder-mid to hip-mid,
median over the clip), never in pixels, so the same numbers work for a 360p
phone clip and a 4K camera. The band runs from about the iliac crest
(waistband) down to just above the hip joints: that part of the body surface is
carried by the pelvis. Above it the shirt follows the trunk; below it the
buttocks, gluteal folds and shorts hem follow the thighs, so both are left out.
"""
from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

# MediaPipe pose landmark indices used here.
L_SHOULDER, R_SHOULDER, L_ELBOW, R_ELBOW, L_WRIST, R_WRIST = 11, 12, 13, 14, 15, 16
HAND_POINTS = (17, 18, 19, 20, 21, 22)
L_HIP, R_HIP = 23, 24


@dataclass(frozen=True)
class RoiSpec:
    top_t: float = 0.36  # band top above the hip-landmark midpoint, x T (about the iliac crest)
    bottom_t: float = 0.02  # band bottom above the hip midpoint, x T (stay clear of the buttocks/thighs)
    half_width_t: float = 0.42  # half width, x T: the whole pelvis plus its outline against the background
    margin_t: float = 0.22  # extra search margin around the band in each frame, x T
    work_torso_px: float = 200.0  # crops are resampled so that T is this many pixels (scale-free; fine enough
    # that the waistband seam survives the 5x5 Gaussian prefilter of ECC)
    arm_width_t: float = 0.13  # forearm / hand occluder thickness, x T


def torso_length_px(image_xy: np.ndarray) -> float:
    """Median shoulder-mid to hip-mid distance over the clip (NaN if never seen)."""
    sh = (image_xy[:, L_SHOULDER] + image_xy[:, R_SHOULDER]) / 2
    hp = (image_xy[:, L_HIP] + image_xy[:, R_HIP]) / 2
    d = np.linalg.norm(sh - hp, axis=1)
    d = d[np.isfinite(d)]
    return float(np.median(d)) if d.size else float("nan")


def hip_centre_track(image_xy: np.ndarray) -> np.ndarray:
    """(N,2) hip midpoint, gaps filled by interpolation and a 5-frame median against landmark jitter."""
    c = (image_xy[:, L_HIP] + image_xy[:, R_HIP]) / 2
    out = c.copy()
    idx = np.arange(len(c))
    for k in range(2):
        ok = np.isfinite(c[:, k])
        if ok.sum() == 0:
            return out
        out[:, k] = np.interp(idx, idx[ok], c[ok, k])
    if len(out) >= 5:
        from scipy.signal import medfilt

        out = np.stack([medfilt(out[:, 0], 5), medfilt(out[:, 1], 5)], axis=1)
    return out


def search_box(centre_xy: np.ndarray, torso_px: float, spec: RoiSpec) -> tuple[int, int, int, int]:
    """Frame-pixel box (x0, y0, x1, y1) of the search crop: the band plus a margin on every side."""
    cx, cy = float(centre_xy[0]), float(centre_xy[1])
    m = spec.margin_t * torso_px
    x0 = cx - spec.half_width_t * torso_px - m
    x1 = cx + spec.half_width_t * torso_px + m
    y0 = cy - spec.top_t * torso_px - m
    y1 = cy - spec.bottom_t * torso_px + m
    return int(round(x0)), int(round(y0)), int(round(x1)), int(round(y1))


def band_in_crop(torso_px: float, spec: RoiSpec) -> tuple[int, int, int, int]:
    """(x, y, w, h) of the band inside a resampled search crop (the crop is centred on the band)."""
    z = spec.work_torso_px
    m = int(round(spec.margin_t * z))
    w = int(round(2 * spec.half_width_t * z))
    h = int(round((spec.top_t - spec.bottom_t) * z))
    return m, m, w, h


def crop_resampled(frame: np.ndarray, box: tuple[int, int, int, int], out_wh: tuple[int, int]) -> np.ndarray | None:
    """Crop ``box`` (may stick out of the frame: replicated border) and resample it to exactly ``out_wh``."""
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


def occluder_mask(shape_hw: tuple[int, int], landmarks_xy: np.ndarray, box: tuple[int, int, int, int], zoom: float,
                  torso_px: float, spec: RoiSpec) -> np.ndarray:
    """uint8 mask of a crop: 0 where a forearm or hand (from the pose) may cover the pelvis, 255 elsewhere.

    Runners' hands swing past the hips every stride; without this the registration
    would follow the hand as much as the pelvis.
    """
    mask = np.full(shape_hw, 255, np.uint8)
    off = np.array(box[:2], float)
    thick = max(int(round(spec.arm_width_t * torso_px * zoom)), 3)

    def p(j):
        q = landmarks_xy[j]
        return None if not np.all(np.isfinite(q)) else tuple(int(v) for v in np.round((q - off) * zoom))

    # MediaPipe places wrists/hands loosely when they pass behind the hips (errors ~0.1 T), and the
    # hand continues the forearm past the wrist: extend the forearm by a hand length and pad generously.
    for elbow, wrist in ((L_ELBOW, L_WRIST), (R_ELBOW, R_WRIST)):
        a, b = p(elbow), p(wrist)
        if a is not None and b is not None:
            d = np.subtract(b, a, dtype=float)
            tip = tuple(int(v) for v in np.round(np.add(b, d * 0.45)))
            cv2.line(mask, a, tip, 0, thick)
            cv2.circle(mask, tip, int(thick * 1.2), 0, -1)
        if b is not None:
            cv2.circle(mask, b, int(thick * 1.5), 0, -1)
    for j in HAND_POINTS:
        q = p(j)
        if q is not None:
            cv2.circle(mask, q, int(thick * 1.2), 0, -1)
    return mask


def body_mask(crop_bgr: np.ndarray, hip_l: np.ndarray, hip_r: np.ndarray, torso_zoomed_px: float) -> np.ndarray:
    """uint8 mask of the runner's body in a crop (GrabCut seeded by the hip landmarks), dilated a little.

    Only used for templates: it keeps static background (treadmill console, wall
    edges) out of the registration while keeping the hip outline, which is the
    strongest pelvis-bound edge on plain clothing.
    """
    h, w = crop_bgr.shape[:2]
    gc = np.full((h, w), cv2.GC_PR_BGD, np.uint8)
    xl, xr = sorted([hip_l[0], hip_r[0]])
    yc = (hip_l[1] + hip_r[1]) / 2
    hw = max(xr - xl, 0.2 * torso_zoomed_px)
    T = torso_zoomed_px
    # likely body: hip width plus a hip-width on each side, waist to upper thigh
    cv2.rectangle(gc, (int(xl - 0.9 * hw), int(yc - 0.55 * T)), (int(xr + 0.9 * hw), int(yc + 0.3 * T)), cv2.GC_PR_FGD, -1)
    # surely body: between the hip landmarks, from the waist to the hip line
    cv2.rectangle(gc, (int(xl), int(yc - 0.3 * T)), (int(xr), int(yc)), cv2.GC_FGD, -1)
    try:
        cv2.setRNGSeed(0)  # GrabCut's GMM initialisation is random: keep results repeatable
        bgd, fgd = np.zeros((1, 65)), np.zeros((1, 65))
        cv2.grabCut(crop_bgr, gc, None, bgd, fgd, 4, cv2.GC_INIT_WITH_MASK)
        body = np.where((gc == cv2.GC_FGD) | (gc == cv2.GC_PR_FGD), 255, 0).astype(np.uint8)
    except cv2.error:
        body = np.where(gc != cv2.GC_PR_BGD, 255, 0).astype(np.uint8)
    k = max(int(round(0.04 * T)), 3)
    return cv2.dilate(body, np.ones((k, k), np.uint8))


def unfiltered_xy(gait_events) -> np.ndarray:
    """Per-frame landmarks as detected (not low-pass filtered), on the rows of ``gait_events.poses``.

    Hands swing fast past the hips; a smoothed wrist lags the real one and the hand
    mask would miss it. Falls back to the conditioned landmarks where raw ones are missing.
    """
    poses, raw = gait_events.poses, getattr(gait_events, "raw_poses", None)
    xy = np.array(poses.image_xy, float, copy=True)
    if raw is None or raw is poses:
        return xy
    rows = {int(f): k for k, f in enumerate(np.asarray(raw.frame_index))}
    for i, f in enumerate(np.asarray(poses.frame_index)):
        k = rows.get(int(f))
        if k is not None:
            r = raw.image_xy[k]
            ok = np.all(np.isfinite(r), axis=1)
            xy[i, ok] = r[ok]
    return xy


def person_box(xy: np.ndarray, torso_px: float, scale: float) -> tuple[int, int, int, int] | None:
    p = xy[np.all(np.isfinite(xy), axis=1)]
    if p.size == 0:
        return None
    m = 0.35 * torso_px
    return (int((p[:, 0].min() - m) * scale), int((p[:, 1].min() - m) * scale),
            int((p[:, 0].max() + m) * scale), int((p[:, 1].max() + m) * scale))
