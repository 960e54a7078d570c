"""Signal conditioning of a PoseSeries: gap filling, leg-swap repair, zero-phase low-pass.

Order matters: gaps are filled first (the filter cannot take NaN), swaps are
repaired on the unfiltered positions (a filter would smear a swap into a
plausible-looking but wrong trajectory), and the low-pass comes last.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.signal import butter, sosfiltfilt

from gait.poses.landmarks import ANKLE, HEEL, HIP, KNEE, TOE
from gait.poses.series import PoseSeries

# Points below this visibility are treated as missing. Low on purpose: MediaPipe
# gives the occluded far leg ~0.3-0.6 in side views and its position is still useful.
MIN_VISIBILITY = 0.1
# Leg parts that pose models swap between left and right. The foot (ankle, heel, toe)
# often swaps without the knee, so the two are repaired independently. Hips stay:
# they rarely swap and their image distance is tiny in side views.
SWAP_GROUPS = ({side: [ANKLE[side], HEEL[side], TOE[side]] for side in ("left", "right")},
               {side: [KNEE[side]] for side in ("left", "right")})


@dataclass
class Conditioning:
    poses: PoseSeries  # conditioned series
    filled: np.ndarray  # (N, 33) bool, True where a value was interpolated
    swapped: np.ndarray  # (N,) bool, True where some leg labels were exchanged
    cutoff_hz: float


def fill_gaps(xy: np.ndarray, ok: np.ndarray) -> np.ndarray:
    """Linear interpolation over frames where ``ok`` is False, per landmark and axis.

    Ends are held at the nearest valid value. A landmark never seen stays NaN.
    """
    out = xy.copy()
    n = xy.shape[0]
    idx = np.arange(n)
    for j in range(xy.shape[1]):
        good = ok[:, j] & np.all(np.isfinite(xy[:, j].reshape(n, -1)), axis=1)
        if good.all() or not good.any():
            continue
        for k in range(xy.shape[2]) if xy.ndim == 3 else [None]:
            col = xy[:, j] if k is None else xy[:, j, k]
            filled = np.interp(idx, idx[good], col[good])
            if k is None:
                out[:, j] = filled
            else:
                out[:, j, k] = filled
    return out


def repair_leg_swaps(t_s: np.ndarray, xy: np.ndarray, stride_s: float, group: dict[str, list[int]],
                     hip_xy: np.ndarray, rounds: int = 2) -> np.ndarray:
    """Per frame, whether the left/right labels of ``group`` should be exchanged (bool (N,)).

    Running is periodic: a foot's position relative to the pelvis at t looks like
    the same foot's position one and two strides earlier and later. Each frame is
    compared with that template (median over +-1 and +-2 strides, so a swap in a
    neighbouring cycle is outvoted) under both labellings; it is relabelled when the
    exchanged labels fit clearly better. A glitch where both feet sit on the same spot
    fits both labellings equally and is left alone (no identity signal there).
    The model's own labelling is the reference, so a clip is never globally relabelled.
    """
    n = xy.shape[0]
    swapped = np.zeros(n, bool)
    if n < 8 or not stride_s or not np.isfinite(xy[:, group["left"] + group["right"]]).all():
        return swapped
    rel = {s: xy[:, group[s]] - hip_xy[:, None, :] for s in ("left", "right")}  # (N, k, 2)
    for _ in range(rounds):
        cur = {s: np.where(swapped[:, None, None], rel[o], rel[s]) for s, o in (("left", "right"), ("right", "left"))}
        tmpl = {s: _periodic_template(t_s, cur[s], stride_s) for s in cur}
        def dist(a, b):
            return np.nansum(np.linalg.norm(a - b, axis=-1), axis=-1)
        keep = dist(cur["left"], tmpl["left"]) + dist(cur["right"], tmpl["right"])
        swap = dist(cur["left"], tmpl["right"]) + dist(cur["right"], tmpl["left"])
        flip = swap < 0.5 * keep  # clearly better, not a coin toss at leg crossing
        if not flip.any():
            break
        swapped ^= flip
    if swapped.mean() > 0.5:
        swapped = ~swapped
    return swapped


def _periodic_template(t_s: np.ndarray, x: np.ndarray, period_s: float) -> np.ndarray:
    """Median of ``x`` (N, ...) at t +- 1 and +- 2 periods, interpolated in time; NaN off the ends."""
    flat = x.reshape(len(t_s), -1)
    shifted = []
    for j in (-2, -1, 1, 2):
        tq = t_s + j * period_s
        inside = (tq >= t_s[0]) & (tq <= t_s[-1])
        cols = np.stack([np.interp(tq, t_s, flat[:, c]) for c in range(flat.shape[1])], 1)
        cols[~inside] = np.nan
        shifted.append(cols)
    with np.errstate(all="ignore"):
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            med = np.nanmedian(np.stack(shifted, 0), axis=0)
    return med.reshape(x.shape)


def apply_swaps(arr: np.ndarray, swapped: np.ndarray, group: dict[str, list[int]]) -> np.ndarray:
    """Exchange the left/right landmarks of ``group`` in ``arr`` ([frame, landmark, ...]) where swapped."""
    out = arr.copy()
    li, ri = group["left"], group["right"]
    out[np.ix_(swapped, li)] = arr[np.ix_(swapped, ri)]
    out[np.ix_(swapped, ri)] = arr[np.ix_(swapped, li)]
    return out


def cutoff_for(fps: float, step_hz: float | None) -> float:
    """Low-pass cutoff: 4 harmonics of the step frequency keep foot-strike timing
    sharp to about a frame, capped at 0.8 x Nyquist so the filter stays well posed.
    Without a cadence estimate fall back to a 170 steps/min runner.
    """
    f = 4.0 * (step_hz if step_hz and step_hz > 0 else 170.0 / 60.0)
    return float(min(f, 0.4 * fps))


def lowpass(x: np.ndarray, fps: float, cutoff_hz: float) -> np.ndarray:
    """Zero-phase 2nd-order Butterworth along axis 0 (filtfilt => 4th order, no lag)."""
    if cutoff_hz >= 0.5 * fps or x.shape[0] < 16:
        return x.copy()
    sos = butter(2, cutoff_hz / (0.5 * fps), output="sos")
    good = np.isfinite(x)
    y = np.where(good, x, 0.0)
    out = sosfiltfilt(sos, y, axis=0, padlen=min(x.shape[0] - 1, 3 * int(fps / cutoff_hz) + 3))
    return np.where(good, out, np.nan)


def body_scale_px(xy: np.ndarray) -> float:
    """Median hip-to-ankle length in pixels, a scale for pixel thresholds."""
    from gait.poses.landmarks import ANKLE as A
    from gait.poses.landmarks import HIP as H

    d = [np.linalg.norm(xy[:, H[s]] - xy[:, A[s]], axis=1) for s in ("left", "right")]
    v = np.nanmedian(np.concatenate(d))
    return float(v) if np.isfinite(v) and v > 0 else 100.0


def condition(poses: PoseSeries, step_hz: float | None) -> Conditioning:
    """Gap-filled, leg-swap-repaired, low-pass filtered copy of ``poses``."""
    fps = float(poses.video.fps) if poses.video.fps else float(1.0 / np.median(np.diff(poses.t_s)))
    ok = (poses.visibility >= MIN_VISIBILITY) & np.isfinite(poses.image_xy[..., 0])
    xy = fill_gaps(poses.image_xy, ok)
    z = fill_gaps(poses.image_z[..., None], ok)[..., 0]
    world = fill_gaps(poses.world_xyz, ok)
    vis, pres, filled = poses.visibility, poses.presence, ~ok
    swapped = np.zeros(len(poses), bool)
    hip = np.mean(xy[:, [HIP["left"], HIP["right"]]], axis=1)
    stride_s = 2.0 / step_hz if step_hz else 0.0
    soles = poses.sole_xy
    for group in SWAP_GROUPS:
        sw = repair_leg_swaps(poses.t_s, xy, stride_s, group, hip)
        xy, z, world = (apply_swaps(a, sw, group) for a in (xy, z, world))
        vis, pres, filled = (apply_swaps(a, sw, group) for a in (vis, pres, filled))
        if soles is not None and group is SWAP_GROUPS[0]:  # a sole belongs to the foot its pixels were given to
            soles = apply_swaps(soles, sw, {"left": [0], "right": [1]})
        swapped |= sw
    cutoff = cutoff_for(fps, step_hz)
    xy = lowpass(xy, fps, cutoff)
    z = lowpass(z, fps, cutoff)
    world = lowpass(world, fps, cutoff)
    out = poses.with_arrays(image_xy=xy, image_z=z, world_xyz=world, visibility=vis, presence=pres, sole_xy=soles)
    return Conditioning(poses=out, filled=filled, swapped=swapped, cutoff_hz=cutoff)
