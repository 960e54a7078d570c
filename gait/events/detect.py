"""Foot strike and toe-off detection from conditioned landmarks.

1. Pelvis-relative foot position along the direction of travel (Zeni et al. 2008):
   the heel's most forward position marks a foot strike, the toe's most backward
   position marks a toe-off. Side views use the image x axis; rear/front views use
   MediaPipe's metric world depth (z), the axis the runner travels along there.
2. Running refinement: in running the foot is most forward a little before it lands
   (swing-leg retraction), so the Zeni foot strike is early. A running stance is close
   to symmetric about the lowest point of the pelvis (spring-mass model), so the foot
   strike is placed as far before the pelvis' lowest point as the toe-off is after it.
   Rear/front views anchor every stance on a pelvis minimum and take its foot from the
   image (the stance foot is the lower one), not from depth: the feet's monocular depth
   differs between pose models (heavy, lite) by up to half a stride. Depth extremes only
   refine a toe-off inside the physical window (contact < half a stride).
   Walking keeps the Zeni foot strike, which is accurate for walking (Zeni's own case).
3. Spurious peaks: a minimum spacing of 0.6 stride (from the cadence estimate) and a
   prominence floor; then left/right strikes are forced to alternate.
Times are sub-frame (parabolic peak interpolation) on the video's own clock.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.signal import find_peaks

from gait.events.conditioning import body_scale_px
from gait.poses.landmarks import ANKLE, HEEL, HIP, TOE
from gait.poses.series import PoseSeries

SIDES = ("left", "right")
# Side-view contact tolerance: the foot counts as on the belt within 5 % of the
# hip-ankle length (~4 cm) of its lowest stance level; pose jitter is ~1-2 % of it.
CONTACT_TOL_LEG = 0.05
# Swing-foot lift (in hip-ankle lengths) below which the gait looks like walking.
WALK_LIFT_MAX = 0.3
AVG_TOL = 0.1
# Running has a flight phase: contact is shorter than half a stride (duty factor < 50 %), and a
# running stance is near-symmetric about the pelvis' lowest point, so a toe-off comes at most a
# quarter stride after it (and the foot strike at most a quarter stride before it).
MAX_HALF_CONTACT = 0.25
# Typical running duty factor ~28 %: half-contact when no toe-off could be measured.
DEFAULT_HALF_CONTACT = 0.14


@dataclass
class FootEvents:
    foot_strike_s: dict[str, np.ndarray]
    toe_off_s: dict[str, np.ndarray]
    zeni_strike_s: dict[str, np.ndarray]  # before the running refinement (diagnostics)
    is_walking: bool
    walking_score: float  # + = pelvis highest in midstance (walking), - = lowest (running)
    foot_lift: float = 0.0  # swing-foot lift, hip-ankle lengths
    rejected: int = 0  # candidate strikes dropped as spurious
    notes: list[str] = field(default_factory=list)


def forward_signals(poses: PoseSeries, view: str, facing: int) -> tuple[dict, dict]:
    """Heel and toe position relative to the mid-hip along the direction of travel, per side."""
    if view.startswith("side"):
        pos = poses.image_xy[..., 0]
        sign = 1.0 if view == "side_right" else -1.0  # side_right = runner faces image right
    else:
        pos = poses.world_xyz[..., 2]  # metres, + away from the camera
        sign = 1.0 if view == "rear" else -1.0
    hip = np.nanmean(pos[:, [HIP["left"], HIP["right"]]], axis=1)
    heel = {s: sign * (pos[:, HEEL[s]] - hip) for s in SIDES}
    toe = {s: sign * (pos[:, TOE[s]] - hip) for s in SIDES}
    return heel, toe


def subframe_peak(x: np.ndarray, i: int) -> float:
    """Fractional index of the peak at i from a parabola through its neighbours."""
    if 0 < i < len(x) - 1:
        a, b, c = x[i - 1], x[i], x[i + 1]
        den = a - 2 * b + c
        if np.isfinite(den) and den < 0:
            return i + float(np.clip(0.5 * (a - c) / den, -0.5, 0.5))
    return float(i)


def index_to_time(t_s: np.ndarray, idx: np.ndarray) -> np.ndarray:
    return np.interp(idx, np.arange(len(t_s)), t_s)


def find_extrema(x: np.ndarray, min_distance: int) -> np.ndarray:
    """Fractional indices of prominent maxima of x."""
    ok = np.isfinite(x)
    if ok.sum() < 5:
        return np.zeros(0)
    y = np.where(ok, x, np.nanmin(x))
    lo, hi = np.nanpercentile(x, [5, 95])
    pk, _ = find_peaks(y, distance=max(1, min_distance), prominence=0.25 * (hi - lo))
    return np.array([subframe_peak(y, int(i)) for i in pk])


def alternate(strikes: dict[str, np.ndarray], strength: dict[str, np.ndarray]) -> tuple[dict, int]:
    """Keep left/right strikes alternating: of two same-foot strikes in a row, drop the weaker."""
    ev = sorted([(t, s, w) for s in SIDES for t, w in zip(strikes[s], strength[s])])
    out: list[tuple[float, str, float]] = []
    dropped = 0
    for e in ev:
        if out and out[-1][1] == e[1]:
            dropped += 1
            if e[2] > out[-1][2]:
                out[-1] = e
            continue
        out.append(e)
    return {s: np.array([t for t, side, _ in out if side == s]) for s in SIDES}, dropped


def pelvis_low_index(hip_y: np.ndarray, a: float, b: float, half_width: float) -> float | None:
    """Fractional index of the pelvis' lowest point (max image y) inside (a, b).

    The vertex of a least-squares parabola over +-half_width frames around the lowest
    sample: far less sensitive to landmark jitter than the single lowest sample.
    """
    i0, i1 = int(np.ceil(a)), int(np.floor(b))
    if i1 - i0 < 2 or i0 < 0 or i1 >= len(hip_y):
        return None
    seg = hip_y[i0:i1 + 1]
    j = i0 + int(np.nanargmax(seg))
    if j == i0 or j == i1:  # at the window's edge: not a real minimum of height
        return None
    h = max(2, int(round(half_width)))
    k0, k1 = max(0, j - h), min(len(hip_y), j + h + 1)
    x = np.arange(k0, k1) - j
    y = hip_y[k0:k1]
    ok = np.isfinite(y)
    if ok.sum() < 4:
        return float(j)
    c2, c1, _ = np.polyfit(x[ok], y[ok], 2)
    if c2 >= 0:  # not a maximum of y
        return float(j)
    return j + float(np.clip(-c1 / (2 * c2), -h, h))


def crossing(y: np.ndarray, j: int, thr: float) -> float:
    """Fractional index between j-1 and j where y passes thr (linear interpolation)."""
    if j <= 0 or y[j] == y[j - 1]:
        return float(j)
    return j - 1 + float(np.clip((thr - y[j - 1]) / (y[j] - y[j - 1]), 0.0, 1.0))


def contact_by_height(foot_low_y: np.ndarray, toe_y: np.ndarray, start: float, stride_frames: float,
                      tol_px: float) -> tuple[float | None, float | None]:
    """Side view: the belt is a fixed line in the image, so contact is when the foot is within
    ``tol_px`` of the lowest level it reaches in this stance. Foot strike: the lowest foot point
    first comes within tol after the Zeni peak; toe-off: the toe first rises tol above its
    stance level. Returns fractional indices (None when the window leaves the clip).
    """
    a, b = int(np.floor(start)), int(min(len(foot_low_y) - 1, start + 0.75 * stride_frames))
    if b - a < 3:
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


def toe_lift_off(toe_y: np.ndarray, low: float, hi: float, tol_px: float) -> float | None:
    """Rear view toe-off: the toe's stance level is its lowest image point (largest y) between
    the pelvis minimum ``low`` and the latest possible toe-off ``hi`` (on the belt the toe moves
    toward the camera, i.e. down in the image, until it leaves); the toe is off once it has risen
    ``tol_px`` above that level, the side view's contact tolerance (CONTACT_TOL_LEG). A
    displacement threshold, unlike one relative to the peak rise speed, does not depend on how
    fast the swing foot later travels (which differs between models and runners).
    None when that happens after ``hi`` or the clip ends first.
    """
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


def stance_lows(hip_y: np.ndarray, foot_y: dict[str, np.ndarray], stride_frames: float) -> list[tuple[str, float]]:
    """Rear/front view: one (side, fractional index) per stance, at the pelvis' lowest point.

    The pelvis is lowest once per step (spring-mass), so its minima of height mark every
    stance with no help from the landmarks' depth, the least reliable axis of a monocular
    model. The stance foot is the one on the belt: at midstance it is clearly lower in the
    image than the swing foot, which is lifted in heel recovery. That needs no depth either.
    """
    step = 0.5 * stride_frames
    w = max(3, int(stride_frames)) | 1
    ok = np.isfinite(hip_y)
    k = np.ones(w)
    # running mean over a stride (edge-normalised) removes drift toward / away from the camera
    trend = np.convolve(np.where(ok, hip_y, 0.0), k, mode="same") / np.maximum(np.convolve(ok, k, mode="same"), 1)
    cand = find_extrema(np.where(ok, hip_y - trend, np.nan), max(1, int(0.6 * step)))
    out: list[tuple[str, float]] = []
    hw = max(1, int(round(0.1 * stride_frames)))  # +-0.1 stride around midstance
    for c in cand:
        low = pelvis_low_index(hip_y, c - 0.5 * step, c + 0.5 * step, 0.15 * stride_frames)
        if low is None:
            continue
        i = int(round(low))
        seg = slice(max(0, i - hw), min(len(hip_y), i + hw + 1))
        lower = {s: float(np.nanmean(foot_y[s][seg])) for s in SIDES}  # image y: larger = lower
        if not all(np.isfinite(v) for v in lower.values()):
            continue
        out.append(("left" if lower["left"] > lower["right"] else "right", low))
    return out


def walking_score(hip_y: np.ndarray, heel: dict[str, np.ndarray], stride_frames: float) -> float:
    """Pelvis height when the legs pass each other, in units of its bounce.

    The feet are closest along the direction of travel at midstance (the swing foot
    passes the stance foot under the pelvis). Running (spring-mass): the pelvis is
    lowest there -> negative score. Walking (inverted pendulum): highest -> positive.
    Needs no event times, so it can choose how events are then refined.
    """
    w = max(3, int(stride_frames)) | 1
    trend = np.convolve(hip_y, np.ones(w) / w, mode="same")  # remove drift, keep the bounce
    bounce = trend - hip_y  # + = pelvis higher than its running mean
    lo, hi = w // 2, len(hip_y) - w // 2
    if hi - lo < 4:
        return 0.0
    amp = np.nanpercentile(bounce[lo:hi], 95) - np.nanpercentile(bounce[lo:hi], 5)
    if not np.isfinite(amp) or amp <= 0:
        return 0.0
    spread = np.abs(heel["left"] - heel["right"])
    together = find_extrema(-spread, max(1, int(0.3 * stride_frames)))
    vals = [bounce[int(round(i))] for i in together if lo <= round(i) < hi]
    return float(np.median(vals) / amp) if vals else 0.0


def cross_check_side(checks: list, stride_frames: float, tol_stride: float = 0.1) -> tuple[list, list]:
    """Side view: keep the foot-height events where they agree with stance symmetry about
    the pelvis' lowest point (within ``tol_stride``); otherwise use the symmetric estimate.
    Noisy phone landmarks make the stance level of the foot ragged, while the pelvis
    bounce stays smooth, so a disagreement is resolved in favour of the pelvis.
    """
    halves = [o - lo for _, lo, _, o in checks if o is not None and o > lo]
    half = float(np.median(halves)) if halves else 0.14 * stride_frames
    tol = tol_stride * stride_frames
    fs_out, to_out = [], []
    for z, lo, fs, to in checks:
        fs_m, to_m = max(z, lo - half), lo + half
        fs_out.append(fs if fs is not None and abs(fs - fs_m) <= tol else fs_m)
        to_out.append(to if to is not None and abs(to - to_m) <= tol else to_m)
    return fs_out, to_out


def foot_lift(xy: np.ndarray) -> float:
    """How high the swing foot rises above the stance foot: 95th percentile of the
    vertical ankle separation, in hip-ankle lengths. Running heel recovery lifts the
    swing foot 0.4-0.6 leg; walking clears the ground by a few cm (<0.2)."""
    d = np.abs(xy[:, ANKLE["left"], 1] - xy[:, ANKLE["right"], 1])
    return float(np.nanpercentile(d, 95) / body_scale_px(xy)) if np.isfinite(d).any() else 0.0


def rear_front_events(xy: np.ndarray, hip_y: np.ndarray, depth_to: dict[str, np.ndarray], view: str,
                      stride_frames: float, tol_px: float) -> tuple[dict, dict, int]:
    """Rear/front view foot strikes and toe-offs (fractional frame indices per side, and the
    number of stances dropped to keep the feet alternating).

    Every stance is anchored on its pelvis minimum, labelled by the foot that is on the belt
    (``stance_lows``), so neither the stance nor its foot depends on the landmarks' depth.
    Toe-off: the toe's lift off its stance level in the image (rear view, ``toe_lift_off``),
    averaged with the toe's most backward depth when the two agree; only candidates inside the
    physical window
    (low, low + MAX_HALF_CONTACT stride] count, so a depth extreme in early swing (some models'
    depth of the swing foot keeps moving back after toe-off) cannot stretch a contact. The
    stance is near-symmetric about the pelvis minimum, so the foot strike is half a contact
    before it, with this foot's median half-contact (one noisy toe-off does not move its strike).
    """
    n = len(hip_y)
    foot_y = {s: np.maximum(xy[:, HEEL[s], 1], xy[:, TOE[s], 1]) for s in SIDES}
    lows = stance_lows(hip_y, foot_y, stride_frames)
    # keep the feet alternating: of two same-foot stances in a row, keep the clearer one
    margin = {s: [] for s in SIDES}
    times = {s: [] for s in SIDES}
    for side, low in lows:
        other = "right" if side == "left" else "left"
        i = int(round(low))
        times[side].append(low)
        margin[side].append(float(foot_y[side][i] - foot_y[other][i]))
    kept, rejected = alternate({s: np.array(times[s]) for s in SIDES}, {s: np.array(margin[s]) for s in SIDES})
    hi_frac = MAX_HALF_CONTACT * stride_frames
    fs_out, to_out = {}, {}
    for s in SIDES:
        toe_y = xy[:, TOE[s], 1]
        measured: list[float | None] = []
        for low in kept[s]:
            hi = low + hi_frac
            # two independent toe-off estimates (image lift, depth extreme): average them when
            # they agree, else trust the image; the front view has only the depth
            lift = toe_lift_off(toe_y, low, hi, tol_px) if view == "rear" else None
            if lift is not None and not (low < lift <= hi):
                lift = None
            z = depth_to[s][(depth_to[s] > low) & (depth_to[s] <= hi)]
            z_to = float(z[0]) if z.size else None
            if lift is not None and z_to is not None:
                to = 0.5 * (lift + z_to) if abs(lift - z_to) < AVG_TOL * stride_frames else lift
            else:
                to = lift if lift is not None else z_to
            measured.append(to)
        halves = [o - lo for lo, o in zip(kept[s], measured) if o is not None]
        half = float(np.median(halves)) if halves else DEFAULT_HALF_CONTACT * stride_frames
        fs = [lo - half for lo in kept[s]]
        to = [o if o is not None else lo + half for lo, o in zip(kept[s], measured)]
        fs_out[s] = np.array(sorted(x for x in fs if 0 <= x <= n - 1))
        to_out[s] = np.array(sorted(x for x in to if 0 <= x <= n - 1))
    return fs_out, to_out, rejected


def detect_events(poses: PoseSeries, view: str, facing: int, step_hz: float | None) -> FootEvents:
    t = poses.t_s
    fps = 1.0 / float(np.median(np.diff(t)))
    stride_frames = fps * 2.0 / step_hz if step_hz else fps * 0.7
    min_dist = int(0.6 * stride_frames)
    heel, toe = forward_signals(poses, view, facing)
    xy = poses.image_xy
    hip_y = np.nanmean(xy[:, [HIP["left"], HIP["right"]], 1], axis=1)
    zeni_fs, zeni_to, strength = {}, {}, {}
    for s in SIDES:
        zeni_fs[s] = find_extrema(heel[s], min_dist)
        zeni_to[s] = find_extrema(-toe[s], min_dist)
        strength[s] = np.array([heel[s][int(round(i))] for i in zeni_fs[s]])
    zeni_fs, rejected = alternate(zeni_fs, strength)
    tol_px = CONTACT_TOL_LEG * body_scale_px(xy)
    pairs = {}
    for s in SIDES:
        pairs[s] = []
        for f in zeni_fs[s]:
            nxt = zeni_to[s][(zeni_to[s] > f) & (zeni_to[s] < f + stride_frames)]
            pairs[s].append((f, float(nxt[0]) if nxt.size else None))
    score = walking_score(hip_y, heel, stride_frames)
    lift = foot_lift(xy)
    # Evidence for walking, two independent cues in comparable units: the swing foot's lift
    # (threshold 0.3 leg) and, in side views where depth is not needed, the pelvis phase.
    evidence = (WALK_LIFT_MAX - lift) / 0.1 + (score / 0.2 if view.startswith("side") else 0.0)
    is_walking = evidence > 0

    fs_out, to_out = {}, {}
    for s in SIDES:
        fs_list, to_list = [], []
        low_y = np.maximum(xy[:, HEEL[s], 1], xy[:, TOE[s], 1])
        toe_y = xy[:, TOE[s], 1]
        checks: list[tuple[float, float, float | None, float | None]] = []  # side: (zeni, low, fs, to)
        for f, z_to in pairs[s]:
            if is_walking:
                fs, to = f, z_to
            elif view.startswith("side"):
                fs, to = contact_by_height(low_y, toe_y, f, stride_frames, tol_px)
                low = pelvis_low_index(hip_y, f, f + 0.6 * stride_frames, 0.15 * stride_frames)
                if low is not None:
                    checks.append((f, low, fs, to))
                    fs, to = None, None  # decided below, against the pelvis-symmetry estimate
            else:
                continue  # rear / front: decided per pelvis minimum below (rear_front_events)
            if fs is not None:
                fs_list.append(fs)
            if to is not None:
                to_list.append(to)
        if checks:
            f2, t2 = cross_check_side(checks, stride_frames)
            fs_list, to_list = fs_list + f2, to_list + t2
        fs_out[s] = index_to_time(t, np.array(sorted(fs_list)))
        to_out[s] = index_to_time(t, np.array(sorted(to_list)))
    if not is_walking and not view.startswith("side"):
        fs_idx, to_idx, rejected = rear_front_events(xy, hip_y, zeni_to, view, stride_frames, tol_px)
        fs_out = {s: index_to_time(t, fs_idx[s]) for s in SIDES}
        to_out = {s: index_to_time(t, to_idx[s]) for s in SIDES}
    return FootEvents(
        foot_strike_s=fs_out, toe_off_s=to_out,
        zeni_strike_s={s: index_to_time(t, zeni_fs[s]) for s in SIDES},
        is_walking=is_walking, walking_score=score, foot_lift=lift, rejected=rejected,
    )
