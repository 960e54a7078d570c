"""Stage 3: gait events — condition the landmarks, detect the view, find foot strikes and toe-offs.

``analyze_events(poses, view="auto") -> GaitEvents``; see gait/pipeline.py for how it is called.
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from gait.errors import NotEnoughGait
from gait.events.conditioning import condition
from gait.events.detect import SIDES, FootEvents, detect_events
from gait.events.spectral import spectral_cadence
from gait.events.view import ViewEstimate, detect_view
from gait.poses.landmarks import ANKLE, HEEL, TOE
from gait.poses.series import PoseSeries
from gait.result import Events
from gait.vocabulary import MIN_STRIDES

# Calling a clip walking needs fewer strides than measuring a run: it is a classification,
# and the answer ("film running") is the same however many strides there are.
MIN_WALKING_STRIDES = 2
LOW_VIEW_CONFIDENCE = 0.5
# A foot unseen for more than this share of a step around an event hides the event.
GAP_STEP_FRAC = 0.5


@dataclass
class GaitEvents:
    poses: PoseSeries  # conditioned: gap-filled, leg swaps repaired, low-pass filtered
    raw_poses: PoseSeries
    view: str  # "side_left" | "side_right" | "rear" | "front"
    view_confidence: float
    events: Events  # seconds on the video's clock, sorted
    is_walking: bool
    warnings: list[str] = field(default_factory=list)
    # diagnostics for metrics / quality
    cadence_spectral_spm: float | None = None
    spectral_prominence: float = 0.0
    cutoff_hz: float = 0.0
    swapped_frames: int = 0
    filled: np.ndarray | None = None  # (N, 33) True where a landmark was interpolated
    facing: int = 0  # +1 runner faces image right, -1 left, 0 rear/front
    # camera yaw estimate, deg: 0 = on the runner's axis (rear/front), + = camera towards the runner's
    # right (the runner's forward direction points to the image right), +-90 = side view; +-10 deg
    camera_yaw_deg: float | None = None
    contact_cue: str = "landmarks"  # what running contacts were measured on: "mask soles" | "landmarks"
    # Toe-offs that could not be measured (rear/front views; all of them in a front view), placed half a
    # contact after the stance's low: stance windows for the pelvis, never reported as events or contact times.
    assumed_toe_off: dict[str, list[float]] = field(default_factory=dict)
    foot_lift: float = 0.0
    walking_score: float = 0.0
    rejected_events: int = 0
    # side view: the ground's angle in the image (+ = clockwise) when it is resolvably off level, so that
    # contacts were measured along it; None when level (or not a side view)
    ground_tilt_deg: float | None = None
    # rear view, mask soles: ms added per foot to the sole's lowest image point to reach the toe-off
    # (gait.events.soles.toe_off_delay_frames; longer the lower the camera); None otherwise
    rear_toe_off_delay_ms: dict[str, float] | None = None

    @property
    def stance_events(self) -> Events:
        """The events with the assumed toe-offs filled in: the stance and flight windows the pelvis reads."""
        to = {s: sorted(self.events.toe_off[s] + self.assumed_toe_off.get(s, [])) for s in SIDES}
        return Events(foot_strike=self.events.foot_strike, toe_off=to)


def _long_gaps(t_s: np.ndarray, missing: np.ndarray, max_gap_s: float) -> np.ndarray:
    """True on frames inside runs of missing values longer than ``max_gap_s``."""
    out = np.zeros(len(missing), bool)
    edges = np.flatnonzero(np.diff(np.r_[0, missing.astype(int), 0]))
    for a, b in zip(edges[::2], edges[1::2]):
        t0, t1 = t_s[max(a - 1, 0)], t_s[min(b, len(t_s) - 1)]
        if t1 - t0 > max_gap_s:
            out[a:b] = True
    return out


def _in_gap(t_s: np.ndarray, filled: np.ndarray, side: str, times: np.ndarray, max_gap_s: float) -> np.ndarray:
    """True for events whose foot was not seen around the event for longer than ``max_gap_s``
    (short gaps are bridged well by the interpolation and the low-pass)."""
    foot_missing = filled[:, [ANKLE[side], HEEL[side], TOE[side]]].mean(axis=1) > 0.5
    bad = _long_gaps(t_s, foot_missing, max_gap_s)
    idx = np.clip(np.searchsorted(t_s, times), 0, len(t_s) - 1)
    return np.array([bad[max(0, i - 2):i + 3].mean() > 0.5 for i in idx], bool)


def tracked_span(detected: np.ndarray, t_s: np.ndarray, max_gap_s: float = 1.0) -> slice:
    """Longest run of frames with the runner in view, bridging gaps shorter than ``max_gap_s``
    (a walker crossing the frame, a runner stepping out of view)."""
    idx = np.flatnonzero(detected)
    if idx.size == 0:
        return slice(0, 0)
    breaks = np.flatnonzero(np.diff(t_s[idx]) > max_gap_s)
    starts = np.r_[idx[0], idx[breaks + 1]]
    ends = np.r_[idx[breaks], idx[-1]]
    k = int(np.argmax(ends - starts))
    return slice(int(starts[k]), int(ends[k]) + 1)


def slice_poses(p: PoseSeries, sl: slice) -> PoseSeries:
    arrays = {name: getattr(p, name)[sl] for name in ("t_s", "frame_index", "image_xy", "image_z", "visibility",
                                                      "presence", "world_xyz")}
    if len(p.person_bbox) == len(p.t_s):
        arrays["person_bbox"] = p.person_bbox[sl]
    if p.sole_xy is not None:
        arrays["sole_xy"] = p.sole_xy[sl]
    return p.with_arrays(**arrays)


def unslice_poses(part: PoseSeries, full: PoseSeries, sl: slice) -> PoseSeries:
    """``part`` written back into arrays as long as ``full`` (NaN / 0 outside the span)."""
    arrays = {}
    for name in ("image_xy", "image_z", "world_xyz", "visibility", "presence"):
        a = getattr(full, name)
        out = np.zeros_like(a, dtype=float) if name in ("visibility", "presence") else np.full(a.shape, np.nan)
        out[sl] = getattr(part, name)
        arrays[name] = out
    if part.sole_xy is not None and full.sole_xy is not None:
        soles = np.full(full.sole_xy.shape, np.nan)
        soles[sl] = part.sole_xy
        arrays["sole_xy"] = soles
    return full.with_arrays(**arrays)


def count_strides(foot_strike: dict[str, list[float]]) -> int:
    return sum(max(0, len(v) - 1) for v in foot_strike.values())


def analyze_events(poses: PoseSeries, view: str = "auto",
                   camera_roll: Callable[[], float | None] | None = None) -> GaitEvents:
    """Conditioned landmarks, camera view and foot events of one clip. ``camera_roll``: asked only for a
    side view, the camera's roll from the background in degrees, None when not resolvable.

    Raises NotEnoughGait when fewer than four strides can be found.
    """
    with warnings.catch_warnings():  # all-NaN frames outside the tracked span are expected
        warnings.simplefilter("ignore", RuntimeWarning)
        return _analyze(poses, view, camera_roll)


def _assumed_note(sides: list[str]) -> str:
    one = len(sides) == 1
    feet = f"the {sides[0]} foot" if one else "either foot"
    it, its = ("it", "its") if one else ("them", "their")
    return (f"No toe-off of {feet} could be measured from this view, so contact time, flight time and duty "
            f"factor are not reported for {it}; {its} foot strikes assume a typical running contact, and so do "
            "the stance windows the pelvic drop is read in.")


def _ground_note(ground) -> str:
    why = ("the camera is rolled, by the background's level lines" if ground.from_background else
           "the camera is not level, or the treadmill is inclined")
    return (f"The ground runs {abs(ground.tilt_deg):.1f}° off the picture's horizontal ({why}); foot contacts were "
            "measured along the ground.")


def _analyze(poses: PoseSeries, view: str, camera_roll: Callable[[], float | None] | None) -> GaitEvents:
    notes: list[str] = []
    sl = tracked_span(poses.detected, poses.t_s)
    part = slice_poses(poses, sl)
    if len(part) < 16:
        raise NotEnoughGait("The runner is in view for too few frames to find any strides.")
    if len(part) < 0.8 * len(poses):
        notes.append(f"The runner is tracked only from {poses.t_s[sl.start]:.1f} s to "
                        f"{poses.t_s[sl.stop - 1]:.1f} s; only that part was analysed.")
    spec = spectral_cadence(part.t_s, part.image_xy)  # data-driven cutoff and event spacing
    cond = condition(part, spec.step_hz)
    v: ViewEstimate = detect_view(cond.poses, view)
    fe: FootEvents = detect_events(cond.poses, v.view, v.facing, spec.step_hz, camera_roll)

    t = cond.poses.t_s
    fs, to = {}, {}
    dropped = fe.rejected
    for s in SIDES:
        f = np.asarray(fe.foot_strike_s[s], float)
        o = np.asarray(fe.toe_off_s[s], float)
        # a gap longer than half a step hides the event itself; shorter ones interpolate well
        max_gap = GAP_STEP_FRAC / spec.step_hz if spec.step_hz else 0.2
        keep_f, keep_o = ~_in_gap(t, cond.filled, s, f, max_gap), ~_in_gap(t, cond.filled, s, o, max_gap)
        dropped += int((~keep_f).sum())
        fs[s] = [round(float(x), 4) for x in np.sort(f[keep_f])]
        to[s] = [round(float(x), 4) for x in np.sort(o[keep_o])]
    events = Events(foot_strike=fs, toe_off=to)
    assumed = {s: [round(float(x), 4) for x in a] for s, a in fe.assumed_toe_off_s.items() if len(a)}
    unmeasured = [s for s in SIDES if s in assumed and not to[s]]
    if unmeasured:
        notes.append(_assumed_note(unmeasured))

    if view in ("auto", "side") and v.confidence < LOW_VIEW_CONFIDENCE:
        notes.append(f"The camera view is uncertain (looks like {v.view.replace('_', ' ')}, confidence "
                        f"{v.confidence:.2f}); pass the view explicitly if this is wrong.")
    if fe.is_walking:
        notes.append("This clip looks like walking, not running (the swing foot barely lifts and the body is "
                        "highest in mid-stance); running metrics are not reported as a slow run.")
    if fe.ground is not None:
        notes.append(_ground_note(fe.ground))
    n_sw = int(cond.swapped.sum())
    if n_sw > 0.05 * len(t):
        notes.append(f"The pose model swapped the left and right legs in {n_sw} of {len(t)} frames; these were "
                        "repaired, but per-side values may be less reliable.")
    n = count_strides(fs)
    if n < (MIN_WALKING_STRIDES if fe.is_walking else MIN_STRIDES):
        what = "the person seems to be walking, and " if fe.is_walking else ""
        raise NotEnoughGait(f"Only {n} complete strides could be detected ({what}at least {MIN_STRIDES} are "
                            "needed); film at least 10 s of steady running with the whole body in view.")
    filled = np.ones(poses.visibility.shape, bool)
    filled[sl] = cond.filled
    return GaitEvents(
        poses=unslice_poses(cond.poses, poses, sl), raw_poses=poses, view=v.view, view_confidence=v.confidence, events=events,
        is_walking=fe.is_walking, warnings=notes,
        cadence_spectral_spm=spec.cadence_spm, spectral_prominence=spec.peak_prominence,
        cutoff_hz=cond.cutoff_hz, swapped_frames=n_sw, filled=filled, facing=v.facing,
        foot_lift=fe.foot_lift, walking_score=fe.walking_score, rejected_events=dropped,
        camera_yaw_deg=round(v.yaw_deg, 1) if np.isfinite(v.yaw_deg) else None,
        contact_cue="mask soles" if fe.used_soles else "landmarks", assumed_toe_off=assumed,
        ground_tilt_deg=round(fe.ground.tilt_deg, 1) if fe.ground is not None else None,
        rear_toe_off_delay_ms={s: round(1000.0 * d, 1) for s, d in fe.toe_off_delay_s.items()} or None,
    )


__all__ = ["GaitEvents", "analyze_events", "count_strides"]
