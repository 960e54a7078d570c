"""Helpers to score detected events against the phantom clips' truth JSON."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np

# Truth strikes this close to the clip's ends cannot be refined by any method (the
# stance or the swing before it runs off the clip), so hit rates are taken inside.
EDGE_S = 0.3
TOL_FRAMES = 2.0


def truth(path: Path) -> dict:
    return json.loads(path.with_suffix(".json").read_text())


def strike_times(tr: dict, side: str) -> np.ndarray:
    return np.array([e["t_s"] for e in tr["foot_strikes"][side[0].upper()]])


def hit_and_spurious(det: list[float], tru: np.ndarray, fps: float, duration_s: float) -> tuple[float, float]:
    """(share of inner true strikes with a detection within +-2 frames,
        share of detections with no true strike within +-2 frames)."""
    det = np.asarray(det, float)
    tol = TOL_FRAMES / fps
    inner = tru[(tru > EDGE_S) & (tru < duration_s - EDGE_S)]
    if det.size == 0:
        return 0.0, 1.0
    hit = float(np.mean([np.min(np.abs(det - t)) <= tol for t in inner]))
    spurious = float(np.mean([np.min(np.abs(tru - d)) > tol for d in det]))
    return hit, spurious
