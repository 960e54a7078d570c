"""Events stay right when the phantom landmarks are degraded like real footage."""
from __future__ import annotations

import numpy as np
import perturb as P
import pytest
from _truth import hit_and_spurious, strike_times, truth
from conftest import PHANTOM

from gait.events import analyze_events
from gait.events.conditioning import SWAP_GROUPS

CLIPS = ["rear_drop8_169spm_60fps", "side_right_drop4_169spm_60fps"]

PERTURBATIONS = {
    "noise_3px": lambda p, r: P.add_noise(p, 3.0, r),
    "gaps_5pct": lambda p, r: P.drop_frames(p, 0.05, 4, r),
    "leg_swaps": lambda p, r: P.swap_legs(p, 8, 4, r)[0],
    "30fps": lambda p, r: P.decimate(p, 2),
}


def _check(ge, tr, fps, min_hit):
    for side in ("left", "right"):
        hit, spurious = hit_and_spurious(ge.events.foot_strike[side], strike_times(tr, side), fps, tr["duration_s"])
        assert hit >= min_hit, f"{side}: {hit:.0%} found"
        assert spurious <= 0.05, f"{side}: {spurious:.0%} spurious"


@pytest.mark.parametrize("name", CLIPS)
@pytest.mark.parametrize("kind", PERTURBATIONS)
def test_single_perturbation(poses_of, name, kind):
    path = PHANTOM / f"{name}.mp4"
    tr = truth(path)
    for seed in (0, 1):
        p = PERTURBATIONS[kind](poses_of(path), np.random.default_rng(seed))
        ge = analyze_events(p)
        _check(ge, tr, p.video.fps, 0.95)  # +-2 frames of the perturbed clip's own rate
        assert abs(ge.cadence_spectral_spm - tr["cadence_spm"]["set"]) <= 1.0


@pytest.mark.parametrize("name", CLIPS)
def test_everything_at_once_30fps(poses_of, name):
    """Phone-like: 30 fps, 3 px jitter, dropped frames and leg swaps together. Strikes
    hidden in a dropped run are left out rather than guessed, so 90 % must be found."""
    path = PHANTOM / f"{name}.mp4"
    tr = truth(path)
    r = np.random.default_rng(7)
    p = P.decimate(poses_of(path), 2)
    p = P.add_noise(p, 3.0, r)
    p = P.drop_frames(p, 0.05, 3, r)
    p, _ = P.swap_legs(p, 6, 3, r)
    _check(analyze_events(p), tr, p.video.fps, 0.90)


def test_leg_swaps_are_repaired(poses_of):
    """Injected swaps are found: the repaired series matches the clean one there."""
    path = PHANTOM / "side_right_drop4_169spm_60fps.mp4"
    clean = poses_of(path)
    bad, mask = P.swap_legs(clean, 8, 4, np.random.default_rng(3))
    ge_clean, ge_bad = analyze_events(clean), analyze_events(bad)
    feet = SWAP_GROUPS[0]["left"] + SWAP_GROUPS[0]["right"]
    err = np.abs(ge_bad.poses.image_xy[:, feet] - ge_clean.poses.image_xy[:, feet]).max(axis=(1, 2))
    assert np.median(err[mask]) < 5.0  # px: swapped frames were put back
    assert ge_bad.swapped_frames >= 0.8 * mask.sum()
