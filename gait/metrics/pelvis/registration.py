"""Rigid (Euclidean) registration of the pelvis band against reference templates.

Each template is the pelvis band of one reference frame, masked to the body
(no static background) and clear of the hands. Every other frame's search crop
is aligned to it with ECC (enhanced correlation coefficient: invariant to
brightness gain and offset, so lighting changes do not matter) under a
rotation + translation model. The rotation of the best warp is how much the
pelvis turned in the image relative to the template frame.

Several templates taken at different phases of the stride are used and their
(mean-removed) answers combined with a median: one template's peculiar pose or
landmark jitter then cannot bias the trace, and their disagreement is a direct
measure of confidence.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

from gait.metrics.pelvis.roi import RoiSpec, band_in_crop, body_mask

_CRITERIA = (cv2.TERM_CRITERIA_EPS | cv2.TERM_CRITERIA_COUNT, 60, 1e-6)


@dataclass
class Template:
    frame_index: int
    image: np.ndarray  # (h, w) float32 gray band
    mask: np.ndarray  # (h, w) uint8, 255 = use (body, not hand)
    band_xywh: tuple[int, int, int, int]  # where the band sits in a search crop
    usable_frac: float  # share of the band the mask keeps


@dataclass
class Registration:
    angle_deg: float  # image rotation of the band vs the template, + = clockwise on screen (y down)
    corr: float  # ECC correlation coefficient 0..1 (NaN when it failed)
    dx_px: float  # residual shift in crop pixels (diagnostic)
    dy_px: float
    warp: np.ndarray | None = None  # 2x3, template coordinates -> crop coordinates


def to_gray(crop_bgr: np.ndarray) -> np.ndarray:
    return cv2.cvtColor(crop_bgr, cv2.COLOR_BGR2GRAY) if crop_bgr.ndim == 3 else crop_bgr


def prepare(crop_bgr: np.ndarray, mode: str = "gray") -> np.ndarray:
    """The image the registration sees (uint8).

    "clahe": local contrast equalisation, so a faint dark-on-dark waistband seam
    weighs about as much as the bright body outline (which bends with the legs).
    """
    g = to_gray(crop_bgr)
    if mode == "clahe":
        tiles = max(2, int(round(g.shape[1] / 48)))
        return cv2.createCLAHE(clipLimit=3.0, tileGridSize=(tiles, tiles)).apply(g)
    return g


def make_template(frame_index: int, crop_bgr: np.ndarray, occluders: np.ndarray, hip_l_crop: np.ndarray,
                  hip_r_crop: np.ndarray, spec: RoiSpec, person: np.ndarray | None = None,
                  prep: str = "gray", outline: bool = True, dy_t: float = 0.0) -> Template | None:
    """Template from one frame's search crop, or None if too little pelvis is visible.

    ``person``: uint8 person mask of the crop (segmentation); GrabCut from the landmarks if None.
    """
    x, y, w, h = band_in_crop(0.0, spec)
    y += int(round(dy_t * spec.work_torso_px))  # optional vertical offset of the band (x T)
    if person is not None and np.count_nonzero(person[y:y + h, x:x + w]) > 0.2 * w * h:
        k = max(int(round(0.05 * spec.work_torso_px)), 3)
        se = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k))
        # outline=True keeps the body's edge against the background; False keeps only the interior
        body = cv2.dilate(person, se) if outline else cv2.erode(person, se)
    else:
        body = body_mask(crop_bgr, hip_l_crop, hip_r_crop, spec.work_torso_px)
    mask = (body & occluders)[y:y + h, x:x + w].copy()
    usable = float(np.count_nonzero(mask)) / mask.size
    if usable < 0.3:
        return None
    img = prepare(crop_bgr, prep)[y:y + h, x:x + w].astype(np.float32)
    if float(img[mask > 0].std()) < 2.0:  # a flat band has nothing to register
        return None
    return Template(frame_index, img, mask, (x, y, w, h), usable)



def register(tpl: Template, crop_gray: np.ndarray, occluders: np.ndarray, init_angle_deg: float = 0.0,
             init_shift_px: tuple[float, float] = (0.0, 0.0), motion: str = "euclidean",
             robust: bool = False) -> Registration:
    """Align the template to a frame's search crop; the crop is anchored on that frame's hip landmarks.

    robust: after a first fit, template pixels whose normalised residual is large
    (a hand the pose missed, a fold that moved) are masked out and the fit is redone.
    """
    x, y, _, _ = tpl.band_xywh
    a = math.radians(init_angle_deg)
    W = np.array([[math.cos(a), -math.sin(a), x + init_shift_px[0]],
                  [math.sin(a), math.cos(a), y + init_shift_px[1]]], np.float32)
    mt = cv2.MOTION_AFFINE if motion == "affine" else cv2.MOTION_EUCLIDEAN
    img = crop_gray.astype(np.float32)
    try:
        corr, W = cv2.findTransformECCWithMask(tpl.image, img, tpl.mask, occluders, W, mt, _CRITERIA, 5)
        if robust:
            h, w = tpl.image.shape
            warped = cv2.warpAffine(img, W, (w, h), flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP,
                                    borderMode=cv2.BORDER_REPLICATE)
            m = tpl.mask > 0
            t_n = (tpl.image - tpl.image[m].mean()) / (tpl.image[m].std() + 1e-6)
            i_n = (warped - warped[m].mean()) / (warped[m].std() + 1e-6)
            res = np.abs(cv2.GaussianBlur(t_n - i_n, (5, 5), 0))
            bad = (res > 3.0 * 1.4826 * np.median(res[m]) + 0.3) & m
            if 0 < bad.mean() < 0.4:
                keep = cv2.erode((~bad).astype(np.uint8) * 255, np.ones((5, 5), np.uint8)) & tpl.mask
                corr, W = cv2.findTransformECCWithMask(tpl.image, img, keep, occluders, W, mt, _CRITERIA, 5)
    except cv2.error:  # did not converge (e.g. the band is hidden)
        return Registration(float("nan"), float("nan"), float("nan"), float("nan"))
    # rotation part of the warp (for an affine warp: its polar decomposition; stretch and shear,
    # e.g. the waist narrowing as the trunk bends, are left out of the angle)
    ang = math.degrees(math.atan2(float(W[1, 0] - W[0, 1]), float(W[0, 0] + W[1, 1])))
    if abs(ang) > 25.0:  # beyond any plausible pelvic roll: a false match
        return Registration(float("nan"), float(corr), float("nan"), float("nan"))
    return Registration(ang, float(corr), float(W[0, 2] - x), float(W[1, 2] - y), W)


def combine(angles: np.ndarray, corrs: np.ndarray, min_corr: float = 0.5) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(N,K) per-template angles -> (rel_angle (N,), spread (N,), corr (N,)).

    Each template's angles are relative to its own frame, so each column is first
    centred on its median; the row median is then robust to one bad template.
    """
    A = np.where(corrs >= min_corr, angles, np.nan)
    with np.errstate(all="ignore"):
        A = A - np.nanmedian(A, axis=0, keepdims=True)
        n_ok = np.sum(np.isfinite(A), axis=1)
        med = np.where(n_ok > 0, np.nanmedian(np.where(np.isfinite(A), A, np.nan), axis=1), np.nan)
        spread = np.where(n_ok > 1, np.nanmedian(np.abs(A - med[:, None]), axis=1) * 1.4826, np.nan)
        corr = np.where(n_ok > 0, np.nanmedian(np.where(np.isfinite(A), corrs, np.nan), axis=1), np.nan)
    return med, spread, corr


def template_candidates(n: int, good: np.ndarray, k: int = 5, per: int = 4) -> list[list[int]]:
    """For each of k spread-out positions, a few nearby frames with good hip landmarks to try in turn."""
    idx = np.flatnonzero(good)
    if idx.size == 0:
        return []
    out = []
    for q in np.linspace(0.1, 0.9, k):
        c = idx[int(q * (idx.size - 1))]
        near = idx[np.argsort(np.abs(idx - c))][:per]
        out.append(sorted(int(i) for i in near))
    return out
