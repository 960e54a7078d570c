"""Follow one runner when several people are in view.

Detections are linked frame to frame into tracks by bounding-box overlap
(Hungarian assignment); the runner is the track with the largest summed score of
size x centrality over the clip, so size, centrality and persistence all count.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

MIN_IOU = 0.2  # below this two boxes in consecutive frames are not the same person
# A track stays open this many frames without a detection (a quarter to half a second). MediaPipe loses a
# blurred or occluded runner for a few frames, and in several-poses mode it now and then returns a second,
# partial pose of the runner whose box the runner's next box overlaps a little more than its own. Without
# the wait either ended the runner's track, and the shorter part of the clip was dropped (a far rear
# camera: the first 58 of 270 frames).
MAX_MISSED_FRAMES = 15


def bbox_of(xy: np.ndarray) -> np.ndarray:
    """(K,33,2) landmarks -> (K,4) boxes x0,y0,x1,y1 over the finite points."""
    return np.stack([np.nanmin(xy[..., 0], -1), np.nanmin(xy[..., 1], -1),
                     np.nanmax(xy[..., 0], -1), np.nanmax(xy[..., 1], -1)], -1)


def iou(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Pairwise IoU of (A,4) and (B,4) boxes."""
    x0 = np.maximum(a[:, None, 0], b[None, :, 0])
    y0 = np.maximum(a[:, None, 1], b[None, :, 1])
    x1 = np.minimum(a[:, None, 2], b[None, :, 2])
    y1 = np.minimum(a[:, None, 3], b[None, :, 3])
    inter = np.clip(x1 - x0, 0, None) * np.clip(y1 - y0, 0, None)
    area = lambda r: (r[:, 2] - r[:, 0]) * (r[:, 3] - r[:, 1])  # noqa: E731
    return inter / np.maximum(area(a)[:, None] + area(b)[None, :] - inter, 1e-9)


@dataclass
class Track:
    frames: list[int] = field(default_factory=list)
    det: list[int] = field(default_factory=list)  # detection index within its frame
    last_box: np.ndarray | None = None
    score: float = 0.0


def choose_runner(boxes: list[np.ndarray], width: int, height: int) -> tuple[list[int], int, str]:
    """Pick one detection per frame (-1 = none) for the followed person.

    ``boxes[f]`` is a (K_f,4) array of the people found in frame f.
    Returns (choice per frame, number of tracks, a note for the result).
    """
    from scipy.optimize import linear_sum_assignment  # here: scipy.optimize is slow to import for `import gait`

    tracks: list[Track] = []
    active: list[int] = []
    diag = float(np.hypot(width, height))
    for f, b in enumerate(boxes):
        matched_dets: set[int] = set()
        if len(b) and active:
            prev = np.stack([tracks[t].last_box for t in active])
            cost = 1.0 - iou(prev, b)
            rows, cols = linear_sum_assignment(cost)
            for r, c in zip(rows, cols):
                if cost[r, c] <= 1.0 - MIN_IOU:
                    t = tracks[active[r]]
                    t.frames.append(f); t.det.append(int(c)); t.last_box = b[c]
                    matched_dets.add(int(c))
        born = len(tracks)
        for c in range(len(b)):
            if c not in matched_dets:
                tracks.append(Track([f], [c], b[c]))
        active = [t for t in active + list(range(born, len(tracks))) if f - tracks[t].frames[-1] <= MAX_MISSED_FRAMES]
        for c in range(len(b)):
            box = b[c]
            size = np.sqrt(max((box[2] - box[0]) * (box[3] - box[1]), 0.0)) / diag
            cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
            off = np.hypot(cx - width / 2, cy - height / 2) / (diag / 2)
            for t in active:
                if tracks[t].frames[-1] == f and tracks[t].det[-1] == c:
                    tracks[t].score += size * (1.0 - 0.5 * off)
    choice = [-1] * len(boxes)
    if not tracks:
        return choice, 0, ""
    best = max(range(len(tracks)), key=lambda i: tracks[i].score)
    for f, c in zip(tracks[best].frames, tracks[best].det):
        choice[f] = c
    people_max = max((len(b) for b in boxes), default=0)
    note = ""
    if people_max > 1:
        cover = len(tracks[best].frames) / max(len(boxes), 1)
        note = (f"{people_max} people were in view; followed the largest, most central and most persistent "
                f"one (in view in {cover:.0%} of frames).")
    return choice, len(tracks), note
