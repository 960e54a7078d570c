"""Ground contact from the feet's mask soles (gait.poses.feet): colour-blind, model-independent.

The sole point is the lowest image point of each foot's silhouette in MediaPipe's person mask,
which outlines a black shoe on a black belt as well as a white one (the heel/toe landmarks do not).
- Side view: the belt is a fixed line in the image, so the foot is on the ground while its sole
  is within the contact height of that line. The camera sees the near foot's outer edge: flat on
  the belt, its wide forefoot edge reaches nearer the camera, i.e. lower in the image, than the
  heel did at landing, so the near foot's strike is measured against the level of the stance's
  first third. The far foot shows its inner edge, raised by the arch, so its flat-foot level is
  its landing level: its strike is measured against midstance. Toe-offs against the stance's
  last third (phantom validation: near/far strike bias from +17/-11 ms to +6/0 ms).
- Rear view: on a treadmill the planted foot is carried towards the camera, down the image, and
  stops descending in the image when its lift outruns the belt's approach; the toe-off follows that
  lowest image point after the pelvis' lowest point by a delay that depends on how fast the belt
  approaches in the image (``toe_off_delay_frames``). The foot strike is then mirrored about the
  pelvis' lowest point (gait.events.rear): depth and height are not separable from one rear camera,
  so the foot strike is not read from the soles there.
"""
from __future__ import annotations

import numpy as np
from scipy.signal import medfilt

from gait.events.peaks import crossing, subframe_peak
from gait.poses.feet import SOLE_MODELS, valid_soles
from gait.vocabulary import SIDES

# Contact convention: the sole within 2.5 cm of the ground (the threshold of the phantom truth;
# force plates' 10-20 N thresholds are reached within about a centimetre of touchdown).
CONTACT_HEIGHT_M = 0.025
# Typical adult hip-ankle landmark distance (~0.45 of a 1.75 m stature): pixels per metre at the feet
# without knowing the runner's height.
HIP_ANKLE_M = 0.80
# Median window for the sole track: removes one-frame mask glitches, short against a 200 ms contact.
SOLE_MEDIAN_S = 0.05
# Where the legs cross, the two feet's silhouettes merge and a foot can lose its sole for a frame or
# two (its pixels given to the other leg): samples further than SPIKE_TOL_FACTOR contact heights
# from the median over SPIKE_WINDOW_S are dropped and bridged.
SPIKE_WINDOW_S = 0.1
SPIKE_TOL_FACTOR = 3.0
# Gaps in the sole track up to this long are interpolated; longer ones leave the stance to the landmarks.
SOLE_MAX_GAP_S = 0.1
# A sole track with fewer valid frames than this is not used at all.
SOLE_MIN_VALID = 0.8
# Rear view toe-off. The sole's lowest image point comes where the foot's lift, seen from behind, first
# outruns the belt carrying it towards the camera: where the forefoot rises at u = (the belt's approach
# in the image) / (pixels per metre) = belt speed x camera height / camera distance. That comes before
# the toe-off, the earlier the lower the camera (phantom: 17-23 ms before it from a 0.5 m camera, from
# 9 ms before to 7 ms after it from 0.9-1.2 m cameras). With the lift uniformly accelerated the toe-off
# follows by LIFT_DELAY_S - u / LIFT_ACCEL_MPS2, fitted on the eight shared rear phantom clips, both feet
# (scripts/fit_rear_toe_off.py prints the fit and its leave-one-clip-out residuals).
LIFT_DELAY_S = 0.0391
LIFT_ACCEL_MPS2 = 47.7
# u is taken within this range (the fit saw 0.8-2.0 m/s): a stalled or runaway approach estimate would
# otherwise move a toe-off by more than the model knows.
LIFT_SPEED_MPS = (0.5, 2.5)
# The belt's approach is the sole track's slope over this share of a stride before the body's lowest
# point, while the foot is flat on the belt (the heel rises after it).
APPROACH_WINDOW = 0.08
# Broad contact run around midstance: within twice the contact height of the midstance level.
RUN_TOL_FACTOR = 2.0


def contact_tol_px(leg_px: float) -> float:
    """The contact height in pixels at the feet, from the hip-ankle length in pixels."""
    return CONTACT_HEIGHT_M * leg_px / HIP_ANKLE_M


def _odd(n: float) -> int:
    """Odd window length nearest n; 1 (no filtering) below two frames, where a median would flatten a
    whole contact's peak."""
    k = int(n + 1e-9)
    if k < 2:
        return 1
    return k if k % 2 else k + 1


def clean_track(y: np.ndarray, fps: float, tol_px: float) -> np.ndarray | None:
    """Despiked, median-filtered sole height track with short gaps interpolated (NaN in long gaps);
    None when too little of the clip has a sole."""
    ok = np.isfinite(y)
    if ok.mean() < SOLE_MIN_VALID or ok.sum() < 8:
        return None
    idx = np.arange(len(y))
    filled = np.interp(idx, idx[ok], y[ok])
    wide = medfilt(filled, max(3, _odd(SPIKE_WINDOW_S * fps)))
    ok &= np.abs(filled - wide) <= SPIKE_TOL_FACTOR * tol_px
    filled = np.interp(idx, idx[ok], y[ok])
    out = medfilt(filled, _odd(SOLE_MEDIAN_S * fps))
    gap = _long_gaps(ok, int(round(SOLE_MAX_GAP_S * fps)))
    out[gap] = np.nan
    return out


def _long_gaps(ok: np.ndarray, max_len: int) -> np.ndarray:
    bad = np.zeros(len(ok), bool)
    edges = np.flatnonzero(np.diff(np.r_[1, ok.astype(int), 1]))
    for a, b in zip(edges[::2], edges[1::2]):
        if b - a > max_len:
            bad[a:b] = True
    return bad


def usable_soles(poses) -> np.ndarray | None:
    """(N, 2, 2) sole points of a PoseSeries that can be trusted (NaN elsewhere), or None when its model's
    masks give none."""
    if poses.sole_xy is None or poses.model not in SOLE_MODELS:
        return None
    return valid_soles(poses.sole_xy, poses.image_xy, poses.video.width, poses.video.height)


def sole_tracks(soles: np.ndarray | None, fps: float, tol_px: float, ground=None) -> dict[str, np.ndarray] | None:
    """Cleaned image-y sole track per side from ``usable_soles``, or None without usable soles; measured from
    ``ground`` (a gait.events.ground.GroundLine) when given, else from the image's horizontal."""
    if soles is None:
        return None
    ys = [soles[:, i, 1] if ground is None else ground.levelled(soles[:, i, 0], soles[:, i, 1]) for i in range(2)]
    tracks = {s: clean_track(ys[i], fps, tol_px) for i, s in enumerate(SIDES)}
    return tracks if all(v is not None for v in tracks.values()) else None


def _run(y: np.ndarray, c: int, a: int, b: int, level: float) -> tuple[int, int]:
    """First and last frame of the contiguous run around c where y >= level, inside [a, b]."""
    m0 = c
    while m0 > a and y[m0 - 1] >= level:
        m0 -= 1
    m1 = c
    while m1 < b and y[m1 + 1] >= level:
        m1 += 1
    return m0, m1


def side_contact(y: np.ndarray, centre: float, stride_frames: float, tol_px: float,
                 near: bool = True) -> tuple[float | None, float | None]:
    """Side view: (foot strike, toe-off) as fractional frames of the stance around ``centre``
    (the pelvis' lowest point) of the ``near`` or far foot; None where the sole track is missing or
    the crossing leaves the stance."""
    n = len(y)
    c = int(round(centre))
    a, b = max(1, int(centre - 0.45 * stride_frames)), min(n - 2, int(centre + 0.45 * stride_frames))
    h = max(1, int(round(0.05 * stride_frames)))
    if not (a < c < b) or not np.isfinite(y[a:b + 2]).all():
        return None, None
    g = float(np.median(y[c - h:c + h + 1]))
    m0, m1 = _run(y, c, a, b, g - RUN_TOL_FACTOR * tol_px)
    third = max(1, (m1 - m0 + 1) // 3)
    g_strike = float(np.median(y[m0:m0 + third])) if near else g
    g_off = float(np.median(y[m1 - third + 1:m1 + 1]))
    s0, _ = _run(y, c, a, b, g_strike - tol_px)
    _, s1 = _run(y, c, a, b, g_off - tol_px)
    fs = crossing(y, s0, g_strike - tol_px) if s0 > a else None
    to = crossing(y, s1 + 1, g_off - tol_px) if s1 < b else None
    return fs, to


def rear_toe_off(y: np.ndarray, low: float, hi: float) -> float | None:
    """Rear view: the sole's lowest image point (largest y) in (low, hi], sub-frame; None when that is
    the window's edge (the foot was still being carried towards the camera) or the track is missing."""
    a, b = int(np.ceil(low)), int(np.floor(hi))
    if a < 1 or b >= len(y) - 1 or b - a < 2 or not np.isfinite(y[a - 1:b + 2]).all():
        return None
    j = a + int(np.argmax(y[a:b + 1]))
    if j >= b:
        return None
    return subframe_peak(y, j)


def belt_approach_px(y: np.ndarray, low: float, stride_frames: float) -> float | None:
    """Rear view: image pixels per frame by which the planted foot's sole moves down the image (carried
    towards the camera) before the body's lowest point ``low``; None where the track is missing."""
    a = int(np.ceil(low))
    lo = max(0, int(round(low - APPROACH_WINDOW * stride_frames)))
    if a >= len(y) or a - lo < 2 or not np.isfinite(y[lo:a + 1]).all():
        return None
    return float(np.polyfit(np.arange(lo, a + 1), y[lo:a + 1], 1)[0])


def toe_off_delay_frames(approach_px: float, px_per_m: float, fps: float) -> float:
    """Frames from the sole's lowest image point to the toe-off, from the belt's image approach
    (pixels per frame) and the scale at the feet (pixels per metre)."""
    u = float(np.clip(approach_px * fps / px_per_m, *LIFT_SPEED_MPS))
    return (LIFT_DELAY_S - u / LIFT_ACCEL_MPS2) * fps


def lower_foot(tracks: dict[str, np.ndarray], i: int, hw: int) -> tuple[str, float] | None:
    """Rear/front view: which foot's sole is lower in the image around frame i (the stance foot),
    and by how many pixels; None when a track is missing there."""
    seg = slice(max(0, i - hw), i + hw + 1)
    lv = {s: float(np.nanmean(tracks[s][seg])) for s in SIDES}
    if not all(np.isfinite(v) for v in lv.values()):
        return None
    side = "left" if lv["left"] > lv["right"] else "right"
    return side, abs(lv["left"] - lv["right"])
