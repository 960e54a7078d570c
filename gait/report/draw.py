"""Drawing helpers shared by key frames and the overlay video (OpenCV, BGR images, in place)."""
from __future__ import annotations

import math

import cv2
import numpy as np

from gait.poses.landmarks import HIP, IDX
from gait.report.view.source import gapless as trace_of  # noqa: F401  (re-exported for the drawers)
from gait.report.view.source import value_at as trace_at  # noqa: F401

# Limbs as landmark-name pairs; left side blue, right side orange (BGR), as in the plots.
_PAIRS = [("left_shoulder", "right_shoulder"), ("left_hip", "right_hip"),
          ("left_shoulder", "left_hip"), ("right_shoulder", "right_hip")]
for _s in ("left", "right"):
    _PAIRS += [(f"{_s}_shoulder", f"{_s}_elbow"), (f"{_s}_elbow", f"{_s}_wrist"), (f"{_s}_hip", f"{_s}_knee"),
               (f"{_s}_knee", f"{_s}_ankle"), (f"{_s}_ankle", f"{_s}_heel"), (f"{_s}_heel", f"{_s}_foot_index"),
               (f"{_s}_ankle", f"{_s}_foot_index")]
BONES = [(IDX[a], IDX[b]) for a, b in _PAIRS]
BGR = {"left": (176, 108, 43), "right": (32, 107, 221), "mid": (220, 220, 220), "pelvis": (0, 230, 255)}
MIN_VIS = 0.3  # below this MediaPipe's point is a guess; don't draw it


def scale(img: np.ndarray) -> int:
    """Line thickness that reads the same on a 360p and a 4K frame."""
    return max(2, round(min(img.shape[:2]) / 260))


def _pt(xy: np.ndarray) -> tuple[int, int]:
    return int(round(float(xy[0]))), int(round(float(xy[1])))


def _ok(xy: np.ndarray, vis: np.ndarray, i: int) -> bool:
    return bool(np.isfinite(xy[i]).all() and vis[i] >= MIN_VIS)


def skeleton(img: np.ndarray, xy: np.ndarray, vis: np.ndarray) -> None:
    th = scale(img)
    for a, b in BONES:
        if _ok(xy, vis, a) and _ok(xy, vis, b):
            na = "left" if a % 2 == 1 and a > 10 else "right"
            nb = "left" if b % 2 == 1 and b > 10 else "right"
            color = BGR[na] if na == nb else BGR["mid"]
            cv2.line(img, _pt(xy[a]), _pt(xy[b]), color, th, cv2.LINE_AA)
    for i in range(11, 33):
        if _ok(xy, vis, i):
            cv2.circle(img, _pt(xy[i]), th + 1, (255, 255, 255), -1, cv2.LINE_AA)


def pelvis_line(img: np.ndarray, xy: np.ndarray, vis: np.ndarray, obliquity_deg: float | None, view: str,
                text_size: float | None = None) -> None:
    """The measured pelvis line through the hip centre, at the measured obliquity, with a level reference.

    ``obliquity_deg``: the pelvic obliquity this frame (+ = left hip higher, relative to the runner's
    level), from the pelvis stage. MediaPipe's hip line is not drawn: it hardly follows a pelvic drop.
    Rear view: the left hip is on the image left, so left-higher turns the line clockwise on screen
    (y down); a front view mirrors that.
    """
    l, r = HIP["left"], HIP["right"]
    if obliquity_deg is None or not (_ok(xy, vis, l) and _ok(xy, vis, r)):
        return
    th = scale(img)
    mid = (xy[l].astype(float) + xy[r].astype(float)) / 2
    half = 1.5 * abs(float(xy[r][0] - xy[l][0])) + 4 * th  # three hip widths: a few degrees become visible
    cw = math.radians(obliquity_deg if view == "rear" else -obliquity_deg)
    d = np.array([math.cos(cw), math.sin(cw)]) * half
    cv2.line(img, _pt((mid[0] - half, mid[1])), _pt((mid[0] + half, mid[1])), (200, 200, 200), 1, cv2.LINE_AA)
    cv2.line(img, _pt(mid - d), _pt(mid + d), BGR["pelvis"], th + 1, cv2.LINE_AA)
    text(img, f"pelvis {obliquity_deg + 0.0:+.1f} deg", (int(mid[0] + half) + 4 * th, int(mid[1] + 4 * th)),
         BGR["pelvis"], text_size)  # + 0.0: no "-0.0"


def text(img: np.ndarray, s: str, org: tuple[int, int], color=(255, 255, 255), size: float | None = None) -> None:
    """Text with a dark outline so it reads on any background."""
    fs = size or max(0.5, min(img.shape[:2]) / 700)
    th = max(1, round(fs * 2))
    (w_px, _), _ = cv2.getTextSize(s, cv2.FONT_HERSHEY_SIMPLEX, fs, th)
    x = min(max(org[0], 2), max(2, img.shape[1] - w_px - 4))  # keep the whole label inside the frame
    y = min(max(org[1], int(30 * fs)), img.shape[0] - 4)  # baseline low enough that capitals are not cut
    cv2.putText(img, s, (x, y), cv2.FONT_HERSHEY_SIMPLEX, fs, (0, 0, 0), th + 3, cv2.LINE_AA)
    cv2.putText(img, s, (x, y), cv2.FONT_HERSHEY_SIMPLEX, fs, color, th, cv2.LINE_AA)


def foot_marker(img: np.ndarray, xy: np.ndarray, side: str) -> None:
    """Ring around the heel of the foot that has just struck."""
    from gait.poses.landmarks import HEEL

    p = xy[HEEL[side]]
    if np.isfinite(p).all():
        cv2.circle(img, _pt(p), 6 * scale(img), BGR[side], scale(img) + 1, cv2.LINE_AA)


def fit(img: np.ndarray, max_w: int, max_h: int) -> np.ndarray:
    h, w = img.shape[:2]
    f = min(1.0, max_w / w, max_h / h)
    return img if f >= 1.0 else cv2.resize(img, (int(w * f), int(h * f)), interpolation=cv2.INTER_AREA)
