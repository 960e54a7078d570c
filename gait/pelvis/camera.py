"""Camera geometry for a frontal-plane angle: the camera's roll, and how far it looks at the runner obliquely.

Roll: the background's straight lines (belt and floor edges, the wall/floor
junction, door frames, treadmill uprights) are level or plumb in the world, so
their length-weighted median deviation from the image axes is the camera roll.
The runner is masked out (his outline is not a world line).

Yaw: MediaPipe's world landmarks are metric and camera-aligned; the horizontal
direction of the shoulder line against the image x axis is the body's yaw
against the camera. The shoulders are used, not the hips: the hip landmarks'
depth carries a stride-related bias (about 10° on a square rear view of the
phantom, 22° from a low camera), the shoulders' about 1-10° depending on the model.
"""
from __future__ import annotations

import io
import json
import math
from dataclasses import asdict, dataclass

import cv2
import numpy as np

from gait.poses.landmarks import SHOULDER

MAX_LINE_DEV_DEG = 8.0  # background lines within this of level/plumb count (steeper ones are perspective)
MIN_LINES = 4
MAD_TO_SD = 1.4826  # a normal spread's standard deviation from its median absolute deviation
Z95 = 1.96
YAW_UNCERTAINTY_DEG = 10.0  # the shoulder-line yaw differs between pose models by up to ~10° on one clip


def line_deviations_deg(gray: np.ndarray, person: tuple[int, int, int, int] | None) -> tuple[np.ndarray, np.ndarray]:
    """(deviations, lengths) of near-level / near-plumb background segments; + = turned clockwise."""
    h, w = gray.shape[:2]
    edges = cv2.Canny(cv2.GaussianBlur(gray, (5, 5), 0), 50, 150)
    if person is not None:
        x0, y0, x1, y1 = person
        edges[max(y0, 0):max(min(y1, h), 0), max(x0, 0):max(min(x1, w), 0)] = 0
    segs = cv2.HoughLinesP(edges, 1, np.pi / 720, threshold=max(30, int(0.06 * w)),
                           minLineLength=int(0.12 * min(h, w)), maxLineGap=int(0.01 * w) + 2)
    if segs is None:
        return np.zeros(0), np.zeros(0)
    s = np.asarray(segs, float).reshape(-1, 4)
    dx, dy = s[:, 2] - s[:, 0], s[:, 3] - s[:, 1]
    ang = (np.degrees(np.arctan2(dy, dx)) + 90) % 180 - 90  # direction-free, y down: + = clockwise
    length = np.hypot(dx, dy)
    dev_v = np.where(ang > 0, ang - 90, ang + 90)  # a clockwise turn also turns plumb lines +
    is_h, is_v = np.abs(ang) <= MAX_LINE_DEV_DEG, np.abs(dev_v) <= MAX_LINE_DEV_DEG
    return np.r_[ang[is_h], dev_v[is_v]], np.r_[length[is_h], length[is_v]]


def weighted_median(x: np.ndarray, w: np.ndarray) -> float:
    o = np.argsort(x)
    c = np.cumsum(w[o])
    return float(x[o][np.searchsorted(c, 0.5 * c[-1])])


@dataclass(frozen=True)
class Roll:
    roll_deg: float | None  # + = level lines appear turned clockwise
    n_lines: int
    spread_deg: float | None
    # standard error of roll_deg; None in pelvis traces cached before it existed
    se_deg: float | None = None

    @property
    def ci_deg(self) -> tuple[float, float] | None:
        if self.roll_deg is None or self.se_deg is None:
            return None
        return self.roll_deg - Z95 * self.se_deg, self.roll_deg + Z95 * self.se_deg

    @property
    def resolvable(self) -> bool:
        """Off level beyond its own 95 % interval."""
        ci = self.ci_deg
        return ci is not None and not ci[0] <= 0.0 <= ci[1]

    @property
    def resolved_deg(self) -> float | None:
        """The roll when it is resolvable, else None (what the side-view ground line is levelled by)."""
        return float(self.roll_deg) if self.resolvable else None

    # Persistence (cached beside the landmarks): one small .npz, the fields as JSON inside.
    def to_npz_bytes(self) -> bytes:
        buf = io.BytesIO()
        np.savez(buf, meta=np.frombuffer(json.dumps(asdict(self)).encode(), dtype=np.uint8))
        return buf.getvalue()

    @classmethod
    def from_npz_bytes(cls, data: bytes) -> "Roll":
        return cls(**json.loads(bytes(np.load(io.BytesIO(data))["meta"]).decode()))


def estimate_roll(devs: list[np.ndarray], lens: list[np.ndarray]) -> Roll:
    """The roll from the lines of several frames (one array per frame). Its standard error is a median's
    (1.25 sigma / sqrt n, sigma from the median absolute deviation) over the distinct lines: a camera on a
    tripod sees the same background in every sampled frame, so the frames' lines count once."""
    d = np.concatenate(devs) if devs else np.zeros(0)
    ln = np.concatenate(lens) if lens else np.zeros(0)
    if d.size < MIN_LINES:
        return Roll(None, int(d.size), None)
    r = weighted_median(d, ln)
    spread = weighted_median(np.abs(d - r), ln)
    distinct = max(d.size / max(sum(1 for x in devs if x.size), 1), 1.0)
    return Roll(r, int(d.size), spread, 1.2533 * MAD_TO_SD * spread / math.sqrt(distinct))


@dataclass(frozen=True)
class Yaw:
    yaw_deg: float | None  # signed; 0 = squarely behind or in front
    uncertainty_deg: float

    @property
    def surface_gain(self) -> float | None:
        """How much of a pelvic roll the pelvis's back surface shows in the image: cos(yaw)."""
        return None if self.yaw_deg is None else math.cos(math.radians(self.yaw_deg))


def estimate_yaw(world_xyz: np.ndarray, view: str) -> Yaw:
    """Camera yaw from the horizontal direction of the shoulder line in MediaPipe's world landmarks."""
    d = world_xyz[:, SHOULDER["right"]] - world_xyz[:, SHOULDER["left"]]
    ok = np.all(np.isfinite(d), axis=1)
    if ok.sum() < 10:
        return Yaw(None, YAW_UNCERTAINTY_DEG)
    ang = np.degrees(np.arctan2(d[ok, 2], d[ok, 0]))  # 0 = right shoulder straight to image right
    if view == "front":  # facing the camera: the right shoulder is on the image left
        ang = (ang + 360.0) % 360.0 - 180.0
    return Yaw(float(np.median(ang)), YAW_UNCERTAINTY_DEG)
