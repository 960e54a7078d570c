"""Per-frame data of the tracked runner, as the analysis saw it: landmarks, scale, stance, angles.

``frames_from_poses(result, poses)`` is pure (the arrays in, a ``FrameData`` out);
``load_frames(result)`` finds the landmarks again in the on-disk cache (never runs
pose estimation) and conditions them exactly as the analysis did (gap filling,
leg-swap repair, low-pass), so exported positions are the ones the metrics used.
"""
from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from gait.errors import LandmarksNotAvailable
from gait.metrics.form import from_vertical_deg, knee_flexion_deg, levelled_landmarks, trunk_lean_series
from gait.metrics.stride_length import scale_from_height
from gait.poses.landmarks import ANKLE, HIP, KNEE
from gait.poses.series import PoseSeries
from gait.result import Result, floats_or_nan


@dataclass(frozen=True)
class FrameAngles:
    """Joint and segment angles per frame, degrees; NaN where the view cannot show them.

    Side view only: knee flexion (0 = straight), shank angle (+ = ankle ahead of knee),
    trunk lean (+ = forward). Rear/front view only: pelvic obliquity (+ = left hip higher).
    """

    knee_flexion_left_deg: np.ndarray
    knee_flexion_right_deg: np.ndarray
    shank_angle_left_deg: np.ndarray
    shank_angle_right_deg: np.ndarray
    trunk_lean_deg: np.ndarray
    pelvic_obliquity_deg: np.ndarray

    def columns(self) -> dict[str, np.ndarray]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def measured(self) -> dict[str, np.ndarray]:
        """Only the angles with at least one value (what a MOT file should carry)."""
        return {k: v for k, v in self.columns().items() if np.isfinite(v).any()}


@dataclass(frozen=True)
class FrameData:
    clip: str  # video file name
    view: str | None
    t_s: np.ndarray  # (N,) presentation time of each frame from the container, s (variable frame rate safe)
    frame_index: np.ndarray  # (N,) decoder frame index, 0-based
    image_xy_px: np.ndarray  # (N, 33, 2) px, x right, y down, origin top-left of the upright frame
    image_height_px: int
    visibility: np.ndarray  # (N, 33) 0..1
    world_xyz_m: np.ndarray  # (N, 33, 3) MediaPipe world landmarks, m, hip-centred, y down
    px_per_m: float | None  # image scale from the runner's height; None = no scale known
    scale_source: str
    nominal_fps: float
    variable_frame_rate: bool
    stance_left: np.ndarray  # (N,) bool, left foot on the ground (foot strike to toe-off)
    stance_right: np.ndarray
    angles: FrameAngles
    conditioned: bool  # True: as the metrics used them (filtered); False: as the pose model gave them

    def __len__(self) -> int:
        return len(self.t_s)

    @property
    def image_xy_m(self) -> np.ndarray | None:
        """Image-plane positions in metres (same axes as px), or None without a scale."""
        return None if not self.px_per_m else self.image_xy_px / self.px_per_m


def stance_mask(t_s: np.ndarray, strikes: list[float], toe_offs: list[float]) -> np.ndarray:
    """True from each foot strike to the first toe-off after it (and before the next strike)."""
    out = np.zeros(len(t_s), bool)
    fs, to = sorted(strikes), sorted(toe_offs)
    for i, a in enumerate(fs):
        nxt = fs[i + 1] if i + 1 < len(fs) else np.inf
        b = next((t for t in to if a < t < nxt), None)
        if b is not None:
            out |= (t_s >= a) & (t_s < b)
    return out


def frame_angles(xy: np.ndarray, view: str | None, facing: int, obliquity: np.ndarray) -> FrameAngles:
    """Per-frame angles from image positions; sagittal ones only from a side view."""
    n = len(xy)
    nan = np.full(n, np.nan)
    side = bool(view and view.startswith("side"))
    if not side:
        return FrameAngles(nan, nan.copy(), nan.copy(), nan.copy(), nan.copy(), obliquity)
    knee = {s: knee_flexion_deg(xy[:, HIP[s]], xy[:, KNEE[s]], xy[:, ANKLE[s]]) for s in ("left", "right")}
    # same sign as the per-stride shank angle (gait.metrics.form): + = ankle ahead of the knee
    shank = {s: -from_vertical_deg(xy[:, KNEE[s]], xy[:, ANKLE[s]], facing) for s in ("left", "right")}
    return FrameAngles(knee["left"], knee["right"], shank["left"], shank["right"],
                       trunk_lean_series(xy, facing), obliquity)


def obliquity_on_frames(result: Result, t_s: np.ndarray) -> np.ndarray:
    """The pelvic obliquity trace on these frames' clock (NaN where it has no value).

    A side + rear pair keeps the rear clip's trace, on the rear clip's clock: it is not
    put on the side clip's frames (the two recordings are not synchronised)."""
    out = np.full(len(t_s), np.nan)
    trace = result.pelvis.trace if result.pelvis is not None else None
    if trace is None or not trace.t_s or result.pair is not None:
        return out
    tt = np.asarray(trace.t_s, float)
    vv = np.array(floats_or_nan(trace.obliquity_deg), float)
    half_frame = 0.5 * float(np.median(np.diff(t_s))) if len(t_s) > 1 else 0.01
    idx = np.clip(np.searchsorted(tt, t_s), 1, len(tt) - 1)
    nearest = np.where(np.abs(tt[idx - 1] - t_s) <= np.abs(tt[idx] - t_s), idx - 1, idx)
    ok = np.abs(tt[nearest] - t_s) <= half_frame
    out[ok] = vv[nearest[ok]]
    return out


def _scale(result: Result, poses: PoseSeries, height_m: float | None) -> tuple[float | None, str]:
    """The analysis's own scale when it had one; else one from a height given now."""
    saved = (result.quality.get("scale") or {}).get("px_per_m")
    if height_m is None and saved:
        return float(saved), str((result.quality.get("scale") or {}).get("source", "from the analysis"))
    sc = scale_from_height(poses, height_m or result.inputs.get("height_m"))
    return sc.px_per_m, sc.source


def corrected_roll_deg(result: Result) -> float:
    """The camera roll the analysis took out of the side-view angles (quality.form.level), 0 if none."""
    from gait.report.view.source import form_level

    return float((form_level(result) or {}).get("corrected_by_deg") or 0.0)


def frames_from_poses(result: Result, poses: PoseSeries, *, conditioned: PoseSeries | None = None,
                      facing: int = 0, height_m: float | None = None) -> FrameData:
    """FrameData from the raw series and, when given, its conditioned version (which is exported)."""
    use = conditioned if conditioned is not None else poses
    t = np.asarray(use.t_s, float)
    ev = result.events
    px_per_m, source = _scale(result, use, height_m)
    facing = facing or (1 if result.view == "side_right" else -1)
    return FrameData(
        clip=result.video.name,
        view=result.view, t_s=t, frame_index=np.asarray(use.frame_index, int), image_xy_px=use.image_xy,
        image_height_px=int(use.video.height), visibility=use.visibility, world_xyz_m=use.world_xyz,
        px_per_m=px_per_m, scale_source=source, nominal_fps=float(use.video.fps),
        variable_frame_rate=bool(use.video.variable_frame_rate),
        stance_left=stance_mask(t, ev.foot_strike["left"], ev.toe_off["left"]),
        stance_right=stance_mask(t, ev.foot_strike["right"], ev.toe_off["right"]),
        # the angles against the level the analysis measured them against; the positions stay the image's
        angles=frame_angles(levelled_landmarks(use, corrected_roll_deg(result)), result.view, facing,
                            obliquity_on_frames(result, t)),
        conditioned=conditioned is not None)


def load_frames(result: Result, *, raw: bool = False, height_m: float | None = None) -> FrameData:
    """The result's per-frame data from the landmark cache; LandmarksNotAvailable when it cannot be found."""
    import warnings

    from gait.events import analyze_events
    from gait.report.keyframes import cached_poses

    poses, why = cached_poses(result)
    if poses is None:
        raise LandmarksNotAvailable(f"The landmarks of this result's clip cannot be found ({why}); run gait analyze "
                                    f"on the clip again (without --no-cache) and export that result.")
    if raw:
        return frames_from_poses(result, poses, height_m=height_m)
    view = result.view if result.view in ("side_left", "side_right", "rear", "front") else "auto"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        ge = analyze_events(poses, view=view)
    return frames_from_poses(result, poses, conditioned=ge.poses, facing=ge.facing, height_m=height_m)
