"""Cadence without a pose model: a check on the pose-based events.

The legs of a runner swing once per step, so the amount of image change in the
region where the legs move rises and falls at the step frequency. Frames are
decoded downscaled to grey; the moving region is found from the clip's own motion
(no detector); its lower half (the legs) gives a frame-difference energy signal,
and its moving-pixel centroid height gives the body bounce. The step frequency is
the dominant peak of their combined spectra in the running/walking band.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from gait.events.spectral import power_spectrum, uniform
from gait.video import iter_frames

STEP_HZ_BAND = (70.0 / 60.0, 240.0 / 60.0)  # 70-240 steps/min


@dataclass
class PoseFreeCadence:
    cadence_spm: float | None
    step_hz: float | None
    prominence: float  # share of band power within +-5 % of the peak
    frames: int


def _frames(path: str | Path, width: int, max_s: float | None) -> tuple[np.ndarray, np.ndarray]:
    ts, imgs = [], []
    for _, t, bgr in iter_frames(path):
        if max_s is not None and t > max_s:
            break
        h, w = bgr.shape[:2]
        small = cv2.resize(bgr, (width, max(8, int(round(h * width / w)))), interpolation=cv2.INTER_AREA)
        imgs.append(cv2.cvtColor(small, cv2.COLOR_BGR2GRAY).astype(np.float32))
        ts.append(t)
    return np.asarray(ts), np.stack(imgs) if imgs else np.zeros((0, 1, 1), np.float32)


def motion_box(diff: np.ndarray) -> tuple[int, int, int, int]:
    """Rows/cols holding most of the clip's motion (y0, y1, x0, x1): the person on a static camera."""
    m = diff.mean(axis=0)
    m = cv2.GaussianBlur(m, (0, 0), 2)
    mask = m > (m.mean() + 1.0 * m.std())
    if not mask.any():
        return 0, m.shape[0], 0, m.shape[1]
    rows = np.flatnonzero(mask.any(axis=1))
    cols = np.flatnonzero(mask.any(axis=0))
    ry = np.percentile(np.nonzero(mask)[0], [2, 98]).astype(int)
    rx = np.percentile(np.nonzero(mask)[1], [2, 98]).astype(int)
    y0, y1 = max(rows[0], ry[0]), min(rows[-1], ry[1]) + 1
    x0, x1 = max(cols[0], rx[0]), min(cols[-1], rx[1]) + 1
    return int(y0), int(y1), int(x0), int(x1)


def signals(frames: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(leg motion energy, vertical centroid of motion) per frame difference."""
    diff = np.abs(np.diff(frames, axis=0))
    y0, y1, x0, x1 = motion_box(diff)
    mid = (y0 + y1) // 2
    legs = diff[:, mid:y1, x0:x1]
    energy = legs.reshape(len(diff), -1).mean(axis=1)
    box = diff[:, y0:y1, x0:x1]
    w = box.sum(axis=2)  # (T, rows)
    rows = np.arange(y0, y1)
    centroid = (w * rows).sum(axis=1) / np.maximum(w.sum(axis=1), 1e-6)
    return energy, centroid


def pose_free_cadence(path: str | Path, width: int = 160, max_s: float | None = 20.0) -> PoseFreeCadence:
    """Step frequency of the clip from image motion alone (no landmarks)."""
    t, frames = _frames(path, width, max_s)
    if len(t) < 16:
        return PoseFreeCadence(None, None, 0.0, len(t))
    energy, centroid = signals(frames)
    tm = 0.5 * (t[1:] + t[:-1])
    _, e, fs = uniform(tm, energy)
    _, c, _ = uniform(tm, centroid)
    f, pe = power_spectrum(e, fs)
    _, pc = power_spectrum(c, fs)
    band = (f >= STEP_HZ_BAND[0]) & (f <= STEP_HZ_BAND[1])
    if not band.any():
        return PoseFreeCadence(None, None, 0.0, len(t))
    # Both signals repeat every step; normalise so neither dominates by scale.
    p = pe / (pe[band].max() or 1.0) + pc / (pc[band].max() or 1.0)
    i = int(np.argmax(np.where(band, p, 0)))
    step_hz = float(f[i])
    peak = band & (np.abs(f - step_hz) < 0.05 * step_hz)
    prom = float(p[peak].sum() / (p[band].sum() or 1.0))
    return PoseFreeCadence(60.0 * step_hz, step_hz, prom, len(t))
