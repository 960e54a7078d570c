"""Template frames: candidates kept while the clip streams past, chosen and built once events are known.

Candidates are the frames nearest to positions every ``candidate_spacing_s`` over a
few strides in the middle of the clip (both hips clearly seen), each with a small
copy of the person for the segmentation: a template must hold the body and its
outline but not the static background behind it. Once the foot strikes are known,
``n_templates`` candidates are chosen evenly over the phases of the stride.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import cv2
import numpy as np

from gait.pelvis.geometry import Box, CropGeometry
from gait.pelvis.register import Template, make_template

PERSON_SIDE_PX = 256  # the segmenter sees the person's box at this size: fine enough for a mask
GRABCUT_ITERATIONS = 4


@dataclass
class Candidate:
    frame_index: int
    t_s: float
    store_k: int  # row in the CropStore
    colour_crop: np.ndarray  # search crop, BGR
    person_img: np.ndarray  # the person's box, BGR, longest side PERSON_SIDE_PX
    person_origin: tuple[float, float]  # frame pixels of person_img's top-left corner
    person_scale: float  # person_img pixels per frame pixel
    box: Box
    hips_crop: np.ndarray  # (2, 2) hip landmarks in crop pixels


@dataclass
class CandidatePicker:
    """Keeps the frame nearest to each candidate position (within half a spacing)."""

    positions: list[int]
    half_window: int
    kept: dict[int, tuple[int, Candidate]] = field(default_factory=dict)  # position -> (distance, candidate)

    @classmethod
    def for_clip(cls, n_frames: int, fps: float, spacing_s: float, window_s: float,
                 first_frame: int = 0) -> "CandidatePicker":
        """Positions in the middle of frames [first_frame, first_frame + n_frames)."""
        step = max(spacing_s * fps, 1.0)
        n = max(int(window_s / spacing_s), 1)
        first = max(0.5 * (n_frames - 1) - 0.5 * (n - 1) * step, 0.0)
        pos = sorted({first_frame + int(round(first + j * step)) for j in range(n) if first + j * step <= n_frames - 1})
        return cls(pos, max(int(0.5 * step), 1))

    def wants(self, frame_index: int) -> int | None:
        """The position this frame would serve better than what it holds, if any."""
        for p in self.positions:
            d = abs(frame_index - p)
            if d <= self.half_window and (p not in self.kept or d < self.kept[p][0]):
                return p
        return None

    def offer(self, position: int, cand: Candidate) -> None:
        self.kept[position] = (abs(cand.frame_index - position), cand)

    def candidates(self) -> list[Candidate]:
        return [c for _, (_, c) in sorted(self.kept.items())]


def choose_by_phase(cands: list[Candidate], phase_of: Callable[[float], float | None], k: int) -> list[Candidate]:
    """Up to ``k`` candidates nearest to evenly spaced stride phases (j / k), each used once; the rest follow
    as spares in order of how well they fill the phases."""
    phased = [(phase_of(c.t_s), c) for c in cands]
    phased = [(p, c) for p, c in phased if p is not None]
    if not phased:
        return cands
    chosen, left = [], list(phased)
    for j in range(k):
        if not left:
            break
        target = j / k
        i = min(range(len(left)), key=lambda n: min(abs(left[n][0] - target), 1 - abs(left[n][0] - target)))
        chosen.append(left.pop(i)[1])
    return chosen + [c for _, c in left]


def mask_to_crop(mask: np.ndarray, origin: tuple[float, float], scale: float, box: Box,
                 crop_wh: tuple[int, int]) -> np.ndarray:
    """A mask of the person image resampled into a search crop's pixels (uint8 0/255)."""
    x0, y0, x1, _ = box
    z = crop_wh[0] / (x1 - x0)  # crop px per frame px
    # crop (u, v) -> frame (x0 + u/z, y0 + v/z) -> person image ((x - ox) * s, (y - oy) * s)
    M = np.array([[scale / z, 0, scale * (x0 - origin[0])], [0, scale / z, scale * (y0 - origin[1])]], np.float32)
    m = cv2.warpAffine(mask.astype(np.float32), M, crop_wh, flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP,
                       borderMode=cv2.BORDER_CONSTANT, borderValue=0)
    return np.where(m > 0.5, 255, 0).astype(np.uint8)


def grabcut_body(crop_bgr: np.ndarray, hips: np.ndarray, work_torso_px: float) -> np.ndarray:
    """Body mask of a crop by GrabCut seeded from the hip landmarks (when the segmenter gives none)."""
    h, w = crop_bgr.shape[:2]
    gc = np.full((h, w), cv2.GC_PR_BGD, np.uint8)
    xl, xr = sorted([hips[0, 0], hips[1, 0]])
    yc = float(hips[:, 1].mean())
    hw, T = max(xr - xl, 0.2 * work_torso_px), work_torso_px
    # likely body: hip width plus a hip width each side, waist to upper thigh; surely body: between the hips
    cv2.rectangle(gc, (int(xl - 0.9 * hw), int(yc - 0.55 * T)), (int(xr + 0.9 * hw), int(yc + 0.3 * T)),
                  cv2.GC_PR_FGD, -1)
    cv2.rectangle(gc, (int(xl), int(yc - 0.3 * T)), (int(xr), int(yc)), cv2.GC_FGD, -1)
    try:
        cv2.setRNGSeed(0)  # GrabCut's initialisation is random: keep results repeatable
        cv2.grabCut(crop_bgr, gc, None, np.zeros((1, 65)), np.zeros((1, 65)), GRABCUT_ITERATIONS,
                    cv2.GC_INIT_WITH_MASK)
        return np.where((gc == cv2.GC_FGD) | (gc == cv2.GC_PR_FGD), 255, 0).astype(np.uint8)
    except cv2.error:
        return np.where(gc != cv2.GC_PR_BGD, 255, 0).astype(np.uint8)


def body_mask(cand: Candidate, segment, geom: CropGeometry, work_torso_px: float) -> tuple[np.ndarray, bool]:
    """(uint8 body mask of the candidate's crop, whether the segmenter made it), dilated to keep the outline."""
    person, segmented = None, False
    m = segment(cand.person_img) if segment is not None else None
    if m is not None:
        person = mask_to_crop(m, cand.person_origin, cand.person_scale, cand.box, (geom.width, geom.height))
        band = person[geom.band_y:geom.band_y + geom.band_h, geom.band_x:geom.band_x + geom.band_w]
        segmented = np.count_nonzero(band) >= 0.2 * band.size
    if not segmented:  # no segmenter, or it missed the runner here
        person = grabcut_body(cand.colour_crop, cand.hips_crop, work_torso_px)
    k = max(int(round(0.05 * work_torso_px)), 3)
    return cv2.dilate(person, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k))), segmented


def build_templates(cands: list[Candidate], k: int, read_prepared, occluders_of, segment, geom: CropGeometry,
                    work_torso_px: float) -> tuple[list[Template], int]:
    """The first ``k`` usable templates from candidates in order of preference; also how many were segmented."""
    out, n_seg = [], 0
    for cand in cands:
        if len(out) == k:
            break
        body, seg = body_mask(cand, segment, geom, work_torso_px)
        t = make_template(cand.frame_index, read_prepared(cand.store_k), body, occluders_of(cand.store_k), geom)
        if t is not None:
            out.append(t)
            n_seg += int(seg)
    return out, n_seg
