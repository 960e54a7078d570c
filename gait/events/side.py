"""Side-view running events: one stance per pelvis minimum, the feet strictly alternating.

Stances: the pelvis is lowest once per step at midstance; each minimum is given to the foot
whose Zeni strike (most forward heel) opened it. A minimum no Zeni strike claims (the far foot's
heel hidden behind the near leg, a missed peak) goes to the foot the alternation calls for, so a
far-leg strike is not lost. Contact: the mask sole's height above the belt line
(gait.events.soles), or without soles the lower of the heel and toe landmarks. Each stance's events
are cross-checked against its symmetry about the pelvis minimum: noisy landmarks make the stance
level ragged while the pelvis bounce stays smooth, so a large disagreement goes to the pelvis.
"""
from __future__ import annotations

import numpy as np

from gait.events.peaks import SIDES, crossing, pelvis_lows
from gait.events.soles import side_contact

# A Zeni strike opens the stance whose pelvis minimum follows it within this share of a stride
# (contact is at most half a stride, the minimum near its middle).
ZENI_TO_LOW_MAX = 0.35
# Minima further apart than this many steps leave a gap (runner out of view): alternation restarts.
RUN_GAP_STEPS = 1.5
# Filtered ankle jitter moves it by under ~1 % of a leg per frame at 60 fps (0.6 leg/s); faster
# forward motion is a real glide (a swinging foot moves forward at 2-4 leg/s).
FORWARD_NOISE_LEG_S = 0.6
# Strike/toe-off within this share of a stride of the pelvis-symmetric estimate are kept.
SYMMETRY_TOL = 0.1
# Typical running duty factor ~28 %: half-contact when no stance in the clip could be measured.
DEFAULT_HALF_CONTACT = 0.14


def _claim(lo: float, zeni: dict[str, np.ndarray], stride_frames: float) -> tuple[str | None, dict[str, float]]:
    """The foot whose Zeni strike most closely precedes the minimum, and each foot's preceding strike."""
    before = {s: z[(z < lo) & (z > lo - ZENI_TO_LOW_MAX * stride_frames)] for s, z in zeni.items()}
    last = {s: float(b.max()) for s, b in before.items() if b.size}
    return (max(last, key=last.get) if last else None), last


def label_lows(lows: list[float], zeni: dict[str, np.ndarray], stride_frames: float) -> list[tuple[str, float, float | None]]:
    """(side, low, that foot's Zeni strike or None) per pelvis minimum, strictly alternating within each
    run of minima about a step apart. Each run's parity (which foot its first minimum belongs to) is
    the majority of the Zeni claims in it; a run with no claim is dropped (no way to tell the feet apart)."""
    claims, strikes = [], []
    for lo in lows:
        c, last = _claim(lo, zeni, stride_frames)
        claims.append(c)
        strikes.append(last)
    out: list[tuple[str, float, float | None]] = []
    start = 0
    for end in range(1, len(lows) + 1):
        if end < len(lows) and lows[end] - lows[end - 1] < RUN_GAP_STEPS * 0.5 * stride_frames:
            continue
        votes = [(i - start) % 2 == 0 if c == "left" else (i - start) % 2 == 1
                 for i, c in enumerate(claims[start:end], start) if c is not None]
        if votes:
            first_left = sum(votes) >= len(votes) / 2
            for i in range(start, end):
                side = "left" if ((i - start) % 2 == 0) == first_left else "right"
                out.append((side, lows[i], strikes[i].get(side)))
        start = end
    return out


def contact_by_height(foot_low_y: np.ndarray, toe_y: np.ndarray, start: float, stride_frames: float,
                      tol_px: float) -> tuple[float | None, float | None]:
    """Landmark fallback: the belt is a fixed line in the image, so contact is when the foot is within
    ``tol_px`` of the lowest level it reaches in this stance. Foot strike: the lowest foot point
    first comes within tol after ``start``; toe-off: the toe first rises tol above its stance level.
    """
    a, b = int(np.floor(start)), int(min(len(foot_low_y) - 1, start + 0.75 * stride_frames))
    if a < 0 or b - a < 3:
        return None, None
    win = foot_low_y[a:b + 1]
    # ground level: a high percentile, not the max, which noise biases low in the foot
    g = np.nanpercentile(win[: max(3, int(0.5 * stride_frames))], 80)
    thr = g - tol_px
    j = a + int(np.argmax(win >= thr))
    fs = crossing(foot_low_y, j, thr) if j > a else float(a)
    k = a + int(np.nanargmax(toe_y[a:b + 1]))
    thr_t = np.nanpercentile(toe_y[a:b + 1], 80) - tol_px
    m = k
    while m < b and toe_y[m] >= thr_t:
        m += 1
    to = crossing(toe_y, m, thr_t) if m < b else None
    return fs, to


def symmetric_fallback(checks: list[tuple[float, float | None, float | None]], stride_frames: float,
                       soles: bool) -> tuple[list, list]:
    """Keep each stance's (low, fs, to) where it agrees with this foot's typical stance about the pelvis
    minimum within SYMMETRY_TOL of a stride, else use that typical stance.

    With mask soles both events are measured on the foot itself, so the typical stance is learnt
    from them: the median offset of the stance's middle from the minimum (a camera angle or an
    uneven bounce shifts the minimum by a constant amount per foot) and the median half-contact.
    With landmarks the far foot's hidden heel makes strikes late by whole frames, so the stance is
    taken as symmetric about the minimum with the half-contact of the toe-offs (the toe leaves in view).
    """
    full = [(lo, f, o) for lo, f, o in checks if f is not None and o is not None and f < lo < o]
    offs = [o - lo for lo, _, o in checks if o is not None and o > lo]
    if soles and full:
        shift = float(np.median([0.5 * (f + o) - lo for lo, f, o in full]))
        half = float(np.median([0.5 * (o - f) for _, f, o in full]))
    else:
        shift = 0.0
        half = float(np.median(offs)) if offs else DEFAULT_HALF_CONTACT * stride_frames
    tol = SYMMETRY_TOL * stride_frames
    fs_out, to_out = [], []
    for lo, fs, to in checks:
        mid = lo + shift
        fs_out.append(fs if fs is not None and abs(fs - (mid - half)) <= tol else mid - half)
        to_out.append(to if to is not None and abs(to - (mid + half)) <= tol else mid + half)
    return fs_out, to_out


def planted_from(fwd_vel: np.ndarray, centre: float, earliest: float) -> float | None:
    """Earliest fractional frame before ``centre`` from which the foot no longer glides forward
    (ankle velocity in the running direction, leg lengths/s, at most FORWARD_NOISE_LEG_S): a planted
    foot moves with the ground (backward on a treadmill, not at all overground), so a foot still
    gliding forward low over the belt has not landed. None when it never did in the window (the
    usual case: the swing leg retracts before touchdown), searching back to ``earliest``."""
    c = int(np.floor(centre))
    lo = max(0, int(np.ceil(earliest)))
    m = c
    while m > lo and np.isfinite(fwd_vel[m]) and fwd_vel[m] <= FORWARD_NOISE_LEG_S:
        m -= 1
    if m == c or m <= lo or not np.isfinite(fwd_vel[m]):
        return None
    return crossing(fwd_vel, m + 1, FORWARD_NOISE_LEG_S)


def no_double_support(stances: list[tuple[str, float, float | None, float | None]]) -> list[tuple]:
    """Running has no double support: a foot strike before the other foot's previous toe-off is
    dropped for the symmetric fallback. The strike, not the toe-off, is the suspect: a foot skimming
    the belt before it lands blurs the strike, while the toe leaves the belt steeply."""
    out = [list(x) for x in stances]
    for k in range(1, len(out)):
        prev_to = stances[k - 1][3]
        if out[k][2] is not None and prev_to is not None and out[k][2] < prev_to:
            out[k][2] = None
    return [tuple(x) for x in out]


def side_events(hip_y: np.ndarray, zeni: dict[str, np.ndarray], land: dict[str, tuple[np.ndarray, np.ndarray]],
                fwd_vel: dict[str, np.ndarray], soles: dict[str, np.ndarray] | None, stride_frames: float,
                sole_tol_px: float, land_tol_px: float, near: str) -> tuple[dict, dict]:
    """Fractional-frame foot strikes and toe-offs per side. ``land``: per side (lowest foot landmark y,
    toe y) for the landmark fallback; ``fwd_vel``: ankle image velocity in the running direction,
    leg lengths per second; ``soles``: cleaned mask sole tracks or None; the tolerances are each cue's contact height
    in pixels."""
    n = len(hip_y)
    measured = []
    for s, lo, z in label_lows(pelvis_lows(hip_y, stride_frames), zeni, stride_frames):
        fs, to = side_contact(soles[s], lo, stride_frames, sole_tol_px, s == near) if soles is not None else (None, None)
        planted = planted_from(fwd_vel[s], lo, lo - ZENI_TO_LOW_MAX * stride_frames)
        # a sole skimming the belt is not yet a strike (real clips at 30 fps); forward motion long
        # after the sole landed is the ankle landmark jumping where the legs cross, not a glide
        if fs is not None and planted is not None and fs < planted < fs + SYMMETRY_TOL * stride_frames:
            fs = planted
        if fs is None and to is None:
            start = z if z is not None else lo - ZENI_TO_LOW_MAX * stride_frames
            fs, to = contact_by_height(*land[s], start, stride_frames, land_tol_px)
        measured.append((s, lo, fs, to))
    measured = no_double_support(measured)
    fs_out, to_out = {}, {}
    for s in SIDES:
        f2, t2 = symmetric_fallback([(lo, fs, to) for side, lo, fs, to in measured if side == s], stride_frames,
                                    soles is not None)
        fs_out[s] = np.array(sorted(x for x in f2 if 0 <= x <= n - 1))
        to_out[s] = np.array(sorted(x for x in t2 if 0 <= x <= n - 1))
    return fs_out, to_out
