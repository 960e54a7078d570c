"""Perturb landmark series the way real footage does, to test that events stay right.

Each function returns a new PoseSeries; nothing is modified in place. All take a
numpy Generator so tests are reproducible.
"""
from __future__ import annotations

from dataclasses import replace

import numpy as np

from gait.poses.landmarks import ANKLE, HEEL, KNEE, TOE
from gait.poses.series import PoseSeries

LEG = {s: [KNEE[s], ANKLE[s], HEEL[s], TOE[s]] for s in ("left", "right")}


def add_noise(p: PoseSeries, sigma_px: float, rng: np.random.Generator) -> PoseSeries:
    """Independent Gaussian jitter on every image coordinate (phone-grade landmark noise)."""
    xy = p.image_xy + rng.normal(0.0, sigma_px, p.image_xy.shape)
    # world coordinates get the same relative jitter (metres per pixel ~ 1/400 at 720p)
    w = p.world_xyz + rng.normal(0.0, sigma_px / 400.0, p.world_xyz.shape)
    soles = None if p.sole_xy is None else p.sole_xy + rng.normal(0.0, sigma_px, p.sole_xy.shape)
    return p.with_arrays(image_xy=xy, world_xyz=w, sole_xy=soles)


def drop_frames(p: PoseSeries, frac: float, max_run: int, rng: np.random.Generator) -> PoseSeries:
    """Blank runs of 1..max_run whole frames (NaN, visibility 0) until ~frac of frames are gone."""
    n = len(p)
    gone = np.zeros(n, bool)
    while gone.mean() < frac:
        a = int(rng.integers(0, n))
        gone[a:a + int(rng.integers(1, max_run + 1))] = True
    xy, z, w = p.image_xy.copy(), p.image_z.copy(), p.world_xyz.copy()
    vis, pres = p.visibility.copy(), p.presence.copy()
    xy[gone], z[gone], w[gone] = np.nan, np.nan, np.nan
    vis[gone], pres[gone] = 0.0, 0.0
    soles = None if p.sole_xy is None else p.sole_xy.copy()
    if soles is not None:
        soles[gone] = np.nan  # no person found: no mask either
    return p.with_arrays(image_xy=xy, image_z=z, world_xyz=w, visibility=vis, presence=pres, sole_xy=soles)


def swap_legs(p: PoseSeries, episodes: int, length: int, rng: np.random.Generator) -> tuple[PoseSeries, np.ndarray]:
    """Exchange the left/right leg landmarks for ``episodes`` runs of ``length`` frames (pose-model swaps)."""
    n = len(p)
    mask = np.zeros(n, bool)
    starts = rng.choice(np.arange(10, n - length - 10), size=episodes, replace=False)
    for a in starts:
        mask[a:a + length] = True
    li, ri = LEG["left"], LEG["right"]
    arrays = {}
    for name in ("image_xy", "image_z", "world_xyz", "visibility", "presence"):
        a = getattr(p, name).copy()
        a[np.ix_(mask, li)], a[np.ix_(mask, ri)] = getattr(p, name)[np.ix_(mask, ri)], getattr(p, name)[np.ix_(mask, li)]
        arrays[name] = a
    if p.sole_xy is not None:  # mask pixels go to the foot the (swapped) landmarks say they are
        soles = p.sole_xy.copy()
        soles[mask] = p.sole_xy[mask][:, ::-1]
        arrays["sole_xy"] = soles
    return p.with_arrays(**arrays), mask


def decimate(p: PoseSeries, k: int) -> PoseSeries:
    """Keep every k-th frame: a 60 fps clip becomes 30 fps (k=2) on the same clock."""
    sl = slice(None, None, k)
    arrays = {name: getattr(p, name)[sl] for name in ("t_s", "frame_index", "image_xy", "image_z", "visibility",
                                                      "presence", "world_xyz")}
    if len(p.person_bbox) == len(p.t_s):
        arrays["person_bbox"] = p.person_bbox[sl]
    if p.sole_xy is not None:
        arrays["sole_xy"] = p.sole_xy[sl]
    return p.with_arrays(video=replace(p.video, fps=p.video.fps / k, frames=len(arrays["t_s"])), **arrays)
