"""Side-view running form at foot strike and in stance (Souza 2016 2D protocol, Wille 2014).

All angles come from image coordinates (y down) and are signed by the direction the
runner faces, so + always means "forward". Pixel distances become centimetres only
with a scale (runner's height); overstride is also given as % of leg length, which
needs no scale.

The vertical is the world's, not the picture's: a camera rolled by r degrees tilts every
segment in the image by r, so trunk lean and shank angle would be off by as much (a tripod
3-4° off level is common). The landmarks are turned back by the camera's roll, read off the
background's level and plumb lines (gait.pelvis.camera), before any angle is taken.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gait.metrics.temporal import rounded
from gait.poses.landmarks import ANKLE, HEEL, HIP, KNEE, SHOULDER
from gait.poses.series import PoseSeries
from gait.result import Stride


# A roll this small moves the angles by less than they are rounded to be told: no note about it.
ROLL_NOTE_DEG = 1.0


@dataclass(frozen=True)
class Level:
    """What the side-view angles are measured against."""

    roll_deg: float  # the camera roll taken out of the landmarks (0: the picture's own axes)
    source: str  # where the level came from, in plain words
    lines: int = 0  # background lines the camera's roll was read from (0: none found)
    measured_deg: float | None = None  # the camera's roll as read, corrected by or not
    measured_ci_deg: tuple[float, float] | None = None
    off_level_deg: float = 0.0  # how far off the world's vertical the angles may still be read

    @property
    def corrected(self) -> bool:
        return self.roll_deg != 0.0

    def off_level_with(self, ground_tilt_deg: float | None) -> float:
        """How far off level the angles may be: with no background lines, a tilted ground says by as much."""
        return self.off_level_deg if self.lines else abs(ground_tilt_deg or 0.0)


def level_of(camera_roll) -> Level:
    """The level from the camera roll (gait.pelvis.camera.Roll, or None when the clip gave none): taken out
    when it is resolvably off level; otherwise the picture's vertical, off by at most the roll's interval."""
    if camera_roll is None or camera_roll.roll_deg is None:
        return Level(0.0, "the picture's own vertical: no level or plumb lines were found in the background")
    r, ci = float(camera_roll.roll_deg), camera_roll.ci_deg
    if camera_roll.resolvable:
        return Level(r, "the level and plumb lines in the background", camera_roll.n_lines, r, ci,
                     0.5 * (ci[1] - ci[0]))
    off = max(abs(ci[0]), abs(ci[1])) if ci is not None else abs(r)
    return Level(0.0, "the picture's own vertical: the background's lines do not resolve the camera's roll",
                 camera_roll.n_lines, r, ci, off)


def levelled(xy: np.ndarray, roll_deg: float, centre: tuple[float, float]) -> np.ndarray:
    """Image points (..., 2) as a level camera would show them: turned back by the roll about ``centre``.
    Roll + = level lines appear turned clockwise (y down), so the points turn anticlockwise by it."""
    if not roll_deg:
        return xy
    c, s = np.cos(np.radians(roll_deg)), np.sin(np.radians(roll_deg))
    d = xy - np.asarray(centre, float)
    out = np.stack([c * d[..., 0] + s * d[..., 1], -s * d[..., 0] + c * d[..., 1]], axis=-1)
    return out + np.asarray(centre, float)


def levelled_landmarks(poses: PoseSeries, roll_deg: float) -> np.ndarray:
    """The series' image landmarks turned back by the camera roll about the picture's centre."""
    return levelled(poses.image_xy, roll_deg, (poses.video.width / 2, poses.video.height / 2))


def _at(t_s: np.ndarray, x: np.ndarray, t: float) -> np.ndarray:
    """Value(s) of x (N, ...) at time t by linear interpolation."""
    flat = x.reshape(len(t_s), -1)
    return np.array([np.interp(t, t_s, flat[:, c]) for c in range(flat.shape[1])]).reshape(x.shape[1:])


def knee_flexion_deg(hip: np.ndarray, knee: np.ndarray, ankle: np.ndarray) -> np.ndarray:
    """180 - the hip-knee-ankle angle: 0 = straight leg."""
    a, b = hip - knee, ankle - knee
    cos = np.sum(a * b, axis=-1) / (np.linalg.norm(a, axis=-1) * np.linalg.norm(b, axis=-1))
    return 180.0 - np.degrees(np.arccos(np.clip(cos, -1, 1)))


def from_vertical_deg(top: np.ndarray, bottom: np.ndarray, facing: int) -> np.ndarray:
    """Angle of the segment bottom->top from vertical, + when top is ahead of bottom."""
    d = top - bottom
    return np.degrees(np.arctan2(facing * d[..., 0], -d[..., 1]))


def leg_length_px(xy: np.ndarray, side: str) -> float:
    """Median hip-knee + knee-ankle length of one leg (px)."""
    v = (np.linalg.norm(xy[:, HIP[side]] - xy[:, KNEE[side]], axis=1)
         + np.linalg.norm(xy[:, KNEE[side]] - xy[:, ANKLE[side]], axis=1))
    return float(np.nanmedian(v))


def trunk_lean_series(xy: np.ndarray, facing: int) -> np.ndarray:
    sh = xy[:, [SHOULDER["left"], SHOULDER["right"]]].mean(axis=1)
    hip = xy[:, [HIP["left"], HIP["right"]]].mean(axis=1)
    return from_vertical_deg(sh, hip, facing)


@dataclass(frozen=True)
class StrikeRates:
    """How fast the foot-strike metrics change at the strike (median over strides of |d/dt|, per second). The
    shank swings back at several hundred degrees a second just after contact, so a strike placed a few
    milliseconds off moves the shank angle by degrees: the intervals add the rate times the strike's error."""

    shank_deg_s: float = 0.0
    knee_deg_s: float = 0.0
    overstride_leg_pct_s: float = 0.0
    overstride_cm_s: float = 0.0


@dataclass(frozen=True)
class _Body:
    """One clip's levelled landmarks and what every stride's strike values are read from."""

    t: np.ndarray
    xy: np.ndarray
    hip_mid: np.ndarray
    legs: dict
    facing: int
    px_per_m: float | None

    def at_strike(self, s: str, t0: float) -> np.ndarray:
        """(overstride % leg, overstride cm, shank angle, knee flexion) of foot ``s`` at time ``t0``."""
        t, xy = self.t, self.xy
        hip_c, heel = _at(t, self.hip_mid, t0), _at(t, xy[:, HEEL[s]], t0)
        hip_s, knee, ankle = _at(t, xy[:, HIP[s]], t0), _at(t, xy[:, KNEE[s]], t0), _at(t, xy[:, ANKLE[s]], t0)
        ahead_px = self.facing * (heel[0] - hip_c[0])
        pct = 100 * ahead_px / self.legs[s] if self.legs[s] > 0 else np.nan
        cm = 100 * ahead_px / self.px_per_m if self.px_per_m else np.nan
        shank = -from_vertical_deg(knee, ankle, self.facing)  # + = ankle ahead of knee
        return np.array([pct, cm, shank, knee_flexion_deg(hip_s, knee, ankle)], float)


def _fill_strike(st: Stride, v: np.ndarray) -> None:
    if np.isfinite(v[0]):
        st.overstride_leg_pct = round(float(v[0]), 1)
    if np.isfinite(v[1]):
        st.overstride_cm = round(float(v[1]), 1)
    st.shank_angle_deg, st.knee_flexion_fs_deg = rounded(v[2]), rounded(v[3])


def fill_form(strides: list[Stride], poses: PoseSeries, facing: int, px_per_m: float | None,
              level: Level = Level(0.0, "")) -> StrikeRates:
    """Overstride, shank angle, knee flexion, trunk lean and vertical oscillation per stride, against ``level``;
    returns how fast the foot-strike ones change at the strike."""
    t = poses.t_s
    xy = levelled_landmarks(poses, level.roll_deg)
    hip_mid = xy[:, [HIP["left"], HIP["right"]]].mean(axis=1)
    lean = trunk_lean_series(xy, facing)
    body = _Body(t, xy, hip_mid, {s: leg_length_px(xy, s) for s in ("left", "right")}, facing, px_per_m)
    dt = float(np.median(np.diff(t))) if len(t) > 1 else 0.0
    rates = []
    for st in strides:
        s, t0 = st.side, st.foot_strike_s
        _fill_strike(st, body.at_strike(s, t0))
        if dt > 0:  # over one frame either side: the landmarks are low-passed, so this is the motion's own
            rates.append(np.abs(body.at_strike(s, t0 + dt) - body.at_strike(s, t0 - dt)) / (2 * dt))
        end = st.toe_off_s if st.toe_off_s is not None else None
        in_stance = (t >= t0) & (t <= end) if end is not None else np.zeros(len(t), bool)
        if in_stance.sum() >= 2:
            kf = knee_flexion_deg(xy[in_stance, HIP[s]], xy[in_stance, KNEE[s]], xy[in_stance, ANKLE[s]])
            st.knee_flexion_midstance_deg = rounded(np.nanmax(kf))  # peak stance flexion ~ midstance
        if st.next_foot_strike_s is not None:
            span = (t >= t0) & (t <= st.next_foot_strike_s)
            if span.sum() >= 3:
                st.trunk_lean_deg = rounded(np.nanmedian(lean[span]))
                if px_per_m:
                    y = hip_mid[span, 1]
                    # both steps of the stride bounce; their mean amplitude is the oscillation
                    st.vertical_oscillation_cm = round(float(100 * (np.nanmax(y) - np.nanmin(y)) / px_per_m), 1)
    cols = np.array(rates).reshape(-1, 4).T
    pct_s, cm_s, shank_s, knee_s = (float(np.median(c[np.isfinite(c)])) if np.isfinite(c).any() else 0.0 for c in cols)
    return StrikeRates(shank_s, knee_s, pct_s, cm_s)
