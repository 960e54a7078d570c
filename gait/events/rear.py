"""Rear/front view foot events: every stance anchored on the body's lowest point.

The body is lowest once per step, near midstance (spring-mass), so those minima mark every stance
with no help from the landmarks' depth, the least reliable axis of a monocular model. Three body
levels give the height, the hips, the shoulders and the head: each adds motion of its own (pelvic
tilt, arm swing pulling the shoulders, head nods) and error of its own (the hips and shoulders of an
oblique rear view turn), so the lows are found on their mean (``body_height_y``) and timed by the
median of their own lows (``body_lows``). The stance foot is the one on the belt, clearly lower in
the image at midstance than the swing foot lifted in heel recovery. Toe-off: rear view, from the
mask sole's lowest image point and the belt's approach in the image (gait.events.soles) or, without
soles, the toe landmark's lift; front view, the toe's most backward depth. The foot strike is
mirrored about the body's lowest point (a little less of the contact comes before it than after),
from this foot's median toe-off delay after its low, so one noisy toe-off does not move its strike.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gait.events.peaks import SIDES, alternate, crossing, low_near, pelvis_lows
from gait.events.side import DEFAULT_HALF_CONTACT
from gait.events.soles import belt_approach_px, lower_foot, rear_toe_off, toe_off_delay_frames
from gait.poses.landmarks import HEEL, HIP, NOSE, SHOULDER, TOE

# Running has a flight phase: contact is shorter than half a stride (duty factor < 50 %), and a
# running stance is near-symmetric about the body's lowest point, so a toe-off comes at most a
# quarter stride after it (and the foot strike at most a quarter stride before it).
MAX_HALF_CONTACT = 0.25
# The share of a contact before the body's lowest point: on the phantom clips the body is lowest a little
# before mid-contact (the median over the eight shared rear clips' sixteen feet, scripts/fit_rear_toe_off.py;
# feet range 0.46-0.50), so the foot strike mirrored about the low is this share of the contact before it.
CONTACT_BEFORE_LOW = 0.487
# Two toe-off estimates within this share of a stride agree and are averaged (landmark mode).
AVG_TOL = 0.1


def body_levels(xy: np.ndarray) -> np.ndarray:
    """(N, 3) image y of three body levels: the hip midpoint, the shoulder midpoint and the nose."""
    return np.stack([xy[:, [HIP["left"], HIP["right"]], 1].mean(axis=1),
                     xy[:, [SHOULDER["left"], SHOULDER["right"]], 1].mean(axis=1), xy[:, NOSE, 1]], axis=1)


def body_height_y(xy: np.ndarray) -> np.ndarray:
    """(N,) image y of the body's height: the mean of the three ``body_levels`` present in each frame (NaN
    where none is). On the phantom clips' 16 rear/front variants the hips alone put the right stances of a
    25° oblique view 13 ms late (7 % of its strikes within two frames); the three levels together put every
    strike of all 16 within two frames."""
    return _mean_present(body_levels(xy))


def _mean_present(levels: np.ndarray) -> np.ndarray:
    ok = np.isfinite(levels)
    n = ok.sum(axis=1)
    return np.where(n > 0, np.where(ok, levels, 0.0).sum(axis=1) / np.maximum(n, 1), np.nan)


def body_lows(xy: np.ndarray, stride_frames: float) -> list[float]:
    """Fractional index of the body's lowest point per step: found on the levels' mean, then timed by the
    median of the three levels' own lowest points near it. Seen obliquely the hips and shoulders turn with
    the pelvis and trunk, which moves their midpoints' image heights one way on left stances and the other
    on right ones; the median is not moved by one level off (phantom rear/front clips with their perturbed
    variants: left-right difference of the lows' timing 2.7 ms on average and at most 6.8, against 3.4 and
    10.8 for the mean's own lows; the 25° oblique clip 5 ms against 10)."""
    levels = body_levels(xy)
    out = []
    for low in pelvis_lows(_mean_present(levels), stride_frames):
        own = [t for t in (low_near(levels[:, k], low, stride_frames) for k in range(levels.shape[1])) if t is not None]
        out.append(float(np.median(own)) if own else low)
    return out


def stance_lows(lows: list[float], foot_y: dict[str, np.ndarray],
                stride_frames: float) -> list[tuple[str, float, float]]:
    """(side, fractional index, margin px) per stance at the body's lowest points ``lows``, labelled by the
    foot that is lower in the image around it (``foot_y``: image y per side, larger = lower)."""
    hw = max(1, int(round(0.1 * stride_frames)))  # +-0.1 stride around midstance
    out = []
    for low in lows:
        lab = lower_foot(foot_y, int(round(low)), hw)
        if lab is not None:
            out.append((lab[0], low, lab[1]))
    return out


def toe_lift_off(toe_y: np.ndarray, low: float, hi: float, tol_px: float) -> float | None:
    """Rear view toe-off from the toe landmark (used without mask soles): the toe's stance level is
    its lowest image point between the body's lowest point ``low`` and the latest possible toe-off
    ``hi``; the toe is off once it has risen ``tol_px`` above that level. None when that happens
    after ``hi`` or the clip ends first."""
    a, b = int(np.ceil(low)), int(np.floor(hi))
    if a < 1 or b - a < 2 or b >= len(toe_y):
        return None
    j = a + int(np.nanargmax(toe_y[a:b + 1]))
    thr = toe_y[j] - tol_px
    m = j
    while m <= b and toe_y[m] >= thr:
        m += 1
    if m > b:
        return None
    return crossing(toe_y, m, thr)


def _landmark_toe_off(toe_y, depth_to, low, hi, view, tol_px, stride_frames) -> float | None:
    """Two independent landmark estimates (image lift, depth extreme): averaged when they agree,
    else the image lift; the front view has only the depth."""
    lift = toe_lift_off(toe_y, low, hi, tol_px) if view == "rear" else None
    if lift is not None and not (low < lift <= hi):
        lift = None
    z = depth_to[(depth_to > low) & (depth_to <= hi)]
    z_to = float(z[0]) if z.size else None
    if lift is not None and z_to is not None:
        return 0.5 * (lift + z_to) if abs(lift - z_to) < AVG_TOL * stride_frames else lift
    return lift if lift is not None else z_to


@dataclass(frozen=True)
class RearFrontEvents:
    """Fractional frame indices per side (gait.events.rear.rear_front_events)."""
    foot_strike: dict[str, np.ndarray]
    toe_off: dict[str, np.ndarray]  # measured
    assumed_toe_off: dict[str, np.ndarray]  # stance windows where no toe-off could be measured
    rejected: int  # stances dropped to keep the feet alternating
    toe_off_delay_frames: dict[str, float]  # rear view, mask soles: frames added to the sole's lowest image point


def sole_toe_offs(y: np.ndarray, lows: np.ndarray, stride_frames: float, px_per_m: float,
                  fps: float) -> tuple[list[float | None], float | None]:
    """Rear view toe-off per stance from one foot's mask sole track, and the delay in frames it adds: the
    sole's lowest image point after the body's lowest point, delayed by what the belt's approach says
    (gait.events.soles). The approach is this foot's median over its stances: the camera and the belt do
    not change within a clip. No delay (None) when the approach could not be read."""
    hi = MAX_HALF_CONTACT * stride_frames
    lowest = [rear_toe_off(y, low, low + hi) for low in lows]
    rates = [r for r in (belt_approach_px(y, low, stride_frames) for low in lows) if r is not None]
    if not rates:
        return lowest, None
    delay = toe_off_delay_frames(float(np.median(rates)), px_per_m, fps)
    return [None if t is None else t + delay for t in lowest], delay


def rear_front_events(xy: np.ndarray, depth_to: dict[str, np.ndarray], view: str,
                      stride_frames: float, tol_px: float, soles: dict[str, np.ndarray] | None,
                      px_per_m: float, fps: float) -> RearFrontEvents:
    """Rear/front view foot strikes, measured toe-offs and assumed toe-offs, the stances dropped to keep
    the feet alternating, and the rear toe-off delay applied per foot. A stance whose toe-off could
    not be measured gets one half a contact after its low (this foot's median half-contact, or a typical
    running one when none of its toe-offs was measured): a stance window, not a measurement.
    ``soles``: cleaned mask sole tracks or None; ``px_per_m``: the image scale at the feet."""
    n = len(xy)
    land_y = {s: np.maximum(xy[:, HEEL[s], 1], xy[:, TOE[s], 1]) for s in SIDES}
    lows = stance_lows(body_lows(xy, stride_frames), soles if soles is not None else land_y, stride_frames)
    times = {s: np.array([lo for side, lo, _ in lows if side == s]) for s in SIDES}
    margin = {s: np.array([m for side, _, m in lows if side == s]) for s in SIDES}
    kept, rejected = alternate(times, margin)  # of two same-foot stances in a row, keep the clearer one
    hi_frac = MAX_HALF_CONTACT * stride_frames
    fs_out, to_out, assumed, delays = {}, {}, {}, {}
    for s in SIDES:
        if soles is not None and view == "rear":
            measured, delay = sole_toe_offs(soles[s], kept[s], stride_frames, px_per_m, fps)
            if delay is not None:
                delays[s] = delay
        else:
            measured = [_landmark_toe_off(xy[:, TOE[s], 1], depth_to[s], low, low + hi_frac, view, tol_px,
                                          stride_frames) for low in kept[s]]
        halves = [o - lo for lo, o in zip(kept[s], measured) if o is not None]
        half = float(np.median(halves)) if halves else DEFAULT_HALF_CONTACT * stride_frames
        inside = lambda xs: np.array(sorted(x for x in xs if 0 <= x <= n - 1))  # noqa: E731
        fs_out[s] = inside(lo - half * CONTACT_BEFORE_LOW / (1.0 - CONTACT_BEFORE_LOW) for lo in kept[s])
        to_out[s] = inside(o for o in measured if o is not None)
        assumed[s] = inside(lo + half for lo, o in zip(kept[s], measured) if o is None)
    return RearFrontEvents(fs_out, to_out, assumed, rejected, delays)
