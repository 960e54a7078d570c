"""Foot soles from the person mask: the lowest image point of each foot's silhouette, per frame.

The heel and toe landmarks are placed from the foot's appearance, and drift when a dark shoe
stands on a dark belt (the toe landmark then rises mid-stance while the shoe is still down).
The person segmentation of the same MediaPipe model outlines the shoe itself, shadows excluded,
whatever its colour, so the lowest point of each foot's silhouette is the sole as the camera
sees it. Mask pixels belong to the foot whose leg (knee-ankle, ankle-heel, ankle-toe,
heel-toe segments of the landmarks) is nearest; the sole point is the mean of the three lowest
columns' 50 % mask boundaries (sub-pixel).

Computed in the pose stage's one decode pass by a second landmarker on the same frames, with one
pose and person masks (``SoleTracker``): in MediaPipe's several-poses mode, which the landmarks
come from (one pose is tracked and smoothed, and its hips lag the truth by 1.4-1.8 frames), the
mask of a dark shoe is often cut off at the sock (phantom: rear strikes 25-33 ms late with those
masks, 2-4 ms with the one-pose masks). A sole is kept only for the person it lies on.
"""
from __future__ import annotations

import numpy as np

from gait.poses.landmarks import ANKLE, HEEL, HIP, KNEE, SIDES, TOE

# The mask is a per-pixel person probability: its 0.5 boundary is the silhouette's edge.
MASK_LEVEL = 0.5
# A shoe reaches at most ~a quarter of a hip-ankle length beyond its heel/toe/ankle landmarks
# (foot length ~0.15 of stature, hip-ankle ~0.45): mask further away is another body part.
ROI_LEG = 0.25
# Mean of the lowest few columns: one column alone follows single-pixel mask noise.
LOWEST_COLUMNS = 3
# Two passes of the same model on the same frame agree to a few pixels; a bystander is a body away.
SAME_PERSON_LEG = 0.3
# Models whose person mask keeps the sole's edge: the lite model's mask loses it in late stance and
# on the far foot (phantom clips: toe-offs 4 frames early, a far-foot stance scattered by 39 px), so
# lite keeps the landmark cues.
SOLE_MODELS = ("full", "heavy")


def _leg_segments(xy: np.ndarray, side: str) -> list[tuple[np.ndarray, np.ndarray]]:
    return [(xy[KNEE[side]], xy[ANKLE[side]]), (xy[ANKLE[side]], xy[HEEL[side]]),
            (xy[ANKLE[side]], xy[TOE[side]]), (xy[HEEL[side]], xy[TOE[side]])]


def _segment_distance(px: np.ndarray, py: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    ab = b - a
    t = np.clip(((px - a[0]) * ab[0] + (py - a[1]) * ab[1]) / max(float(ab @ ab), 1e-6), 0.0, 1.0)
    return np.hypot(px - (a[0] + t * ab[0]), py - (a[1] + t * ab[1]))


def _lowest_boundary(prob: np.ndarray, on: np.ndarray, x0: int, y0: int) -> np.ndarray:
    """(x, y) of the silhouette's lowest edge: per column the last ``on`` row, refined to where the
    probability crosses MASK_LEVEL towards the next row; mean of the LOWEST_COLUMNS lowest columns."""
    cols = np.flatnonzero(on.any(axis=0))
    if cols.size == 0:
        return np.array([np.nan, np.nan])
    h = on.shape[0]
    rows = h - 1 - np.argmax(on[::-1, cols], axis=0)
    nxt = np.minimum(rows + 1, h - 1)
    a, b = prob[rows, cols], prob[nxt, cols]
    frac = np.where((nxt > rows) & (a > b), (a - MASK_LEVEL) / np.maximum(a - b, 1e-6), 0.0)
    bottom = rows + np.clip(frac, 0.0, 1.0)
    k = np.argsort(bottom)[-LOWEST_COLUMNS:]
    return np.array([x0 + cols[k].mean(), y0 + bottom[k].mean()])


def sole_points(prob: np.ndarray, xy: np.ndarray) -> np.ndarray:
    """(2, 2) sole point (x, y) of the left and right foot in one frame; NaN when unseen.

    ``prob``: (H, W) person probability; ``xy``: (33, 2) that person's landmarks (px).
    """
    out = np.full((2, 2), np.nan)
    feet = np.array([xy[L[s]] for s in SIDES for L in (HEEL, TOE, ANKLE)])
    if not np.isfinite(feet).all():
        return out
    seen = feet_in_frame(xy, prob.shape[1], prob.shape[0])
    leg = np.nanmax([np.linalg.norm(xy[HIP[s]] - xy[ANKLE[s]]) for s in SIDES])
    if not np.isfinite(leg) or leg <= 0:
        return out
    m = ROI_LEG * leg
    hgt, wid = prob.shape
    x0, x1 = int(max(0, feet[:, 0].min() - m)), int(min(wid, feet[:, 0].max() + m + 1))
    y0, y1 = int(max(0, feet[:, 1].min() - m)), int(min(hgt, feet[:, 1].max() + 1.5 * m + 1))
    if x1 - x0 < 2 or y1 - y0 < 2:
        return out
    sub = prob[y0:y1, x0:x1]
    rows, cols = np.nonzero(sub >= MASK_LEVEL)  # distances only where the mask is: a few % of the box
    xx, yy = (cols + x0).astype(np.float32), (rows + y0).astype(np.float32)
    dist = {s: np.min([_segment_distance(xx, yy, a, b) for a, b in _leg_segments(xy, s)], axis=0) for s in SIDES}
    for i, (s, o) in enumerate((("left", "right"), ("right", "left"))):
        if seen[i]:
            on = np.zeros(sub.shape, bool)
            mine = (dist[s] < dist[o]) & (dist[s] < m)
            on[rows[mine], cols[mine]] = True
            out[i] = _lowest_boundary(sub, on, x0, y0)
    return out


def feet_in_frame(xy: np.ndarray, width: int, height: int) -> np.ndarray:
    """(..., 2) True where all of a foot's heel, toe and ankle landmarks lie inside the frame: a foot
    cut off by the frame's edge has no sole to see (its landmarks are the model's guess)."""
    out = []
    for s in SIDES:
        pts = np.stack([xy[..., L[s], :] for L in (HEEL, TOE, ANKLE)], axis=-2)
        inside = (pts[..., 0] >= 0) & (pts[..., 0] < width) & (pts[..., 1] >= 0) & (pts[..., 1] < height)
        out.append(inside.all(axis=-1))
    return np.stack(out, axis=-1)


def valid_soles(sole_xy: np.ndarray, image_xy: np.ndarray, width: int, height: int) -> np.ndarray:
    """``sole_xy`` with NaN where the foot is cut off by the frame's edge or the sole point lies
    further from its foot's landmarks than a foot can reach (a neighbouring body part's pixels)."""
    out = sole_xy.copy()
    leg = np.nanmax(np.stack([np.linalg.norm(image_xy[:, HIP[s]] - image_xy[:, ANKLE[s]], axis=1) for s in SIDES]), axis=0)
    ok = feet_in_frame(image_xy, width, height)
    for i, s in enumerate(SIDES):
        feet = np.stack([image_xy[:, L[s]] for L in (HEEL, TOE, ANKLE)], axis=1)
        d = np.nanmin(np.linalg.norm(feet - sole_xy[:, i, None, :], axis=2), axis=1)
        ok[:, i] &= d < 2 * ROI_LEG * leg
    out[~ok] = np.nan
    return out


def same_person(candidate: np.ndarray, target: np.ndarray) -> bool:
    """True when the (33, 2) ``candidate`` landmarks lie on the runner's ``target`` landmarks (median
    distance under SAME_PERSON_LEG hip-ankle lengths)."""
    leg = np.nanmax([np.linalg.norm(target[HIP[s]] - target[ANKLE[s]]) for s in SIDES])
    d = np.nanmedian(np.linalg.norm(candidate - target, axis=1))
    return bool(np.isfinite(d) and np.isfinite(leg) and d < SAME_PERSON_LEG * leg)


def own_soles(people) -> np.ndarray:
    """(K, 2, 2) sole points of each person from the same landmarker's own masks (one model per frame)."""
    out = np.full((len(people), 2, 2), np.nan, np.float32)
    for k in range(len(people)):
        out[k] = sole_points(people.masks[k], people.xy[k].astype(float))
    return out


class SoleTracker:
    """Context manager: ``soles(bgr, t_s, people) -> (K, 2, 2)`` sole points for the people of a frame.

    Runs its own one-pose landmarker with masks (VIDEO mode) on the same frames as the pose pass.
    """

    def __init__(self, model_path: str):
        from gait.poses.landmarker import Landmarker

        self._lm = Landmarker(model_path, num_poses=1, masks=True)

    def __enter__(self) -> "SoleTracker":
        self._lm.__enter__()
        return self

    def __call__(self, bgr: np.ndarray, t_s: float, people) -> np.ndarray:
        out = np.full((len(people), 2, 2), np.nan, np.float32)
        seen = self._lm(bgr, t_s)
        if len(seen) == 0 or seen.masks is None:
            return out
        cand = seen.xy[0].astype(float)
        for k in range(len(people)):
            if same_person(cand, people.xy[k].astype(float)):
                out[k] = sole_points(seen.masks[0], cand)
                break
        return out

    def __exit__(self, *exc) -> None:
        self._lm.__exit__(*exc)
