"""overlay.mp4: the clip with skeleton, pelvis line and its live angle, foot strikes and running cadence.

Frames are streamed (never the whole clip in memory). Landmarks come from the cache
(or are handed in); the pelvis angle is the pelvis stage's trace when it runs on this
clip's clock, else the raw hip-line tilt in the image, labelled as such.
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from gait.report import draw
from gait.report.encode import even, open_writer
from gait.report.view import source
from gait.result import Result
from gait.video.reader import locate

MAX_LONG_SIDE_PX = 1280  # encode time on a 2-core box; plenty to see the lines
STRIKE_FLASH_S = 0.15  # how long a foot-strike ring stays on screen
CADENCE_STEPS = 4  # running cadence over the last few steps


@dataclass
class OverlayOutcome:
    path: Path | None
    codec: str
    frames: int
    notes: list[str]


def running_cadence(strikes_s: list[float], t_s: float, n_steps: int = CADENCE_STEPS) -> float | None:
    """Steps/min over the last ``n_steps`` steps before t (both feet's strikes, sorted)."""
    k = bisect_right(strikes_s, t_s)
    recent = strikes_s[max(0, k - n_steps - 1):k]
    if len(recent) < 3:
        return None
    return 60.0 * (len(recent) - 1) / (recent[-1] - recent[0])


@dataclass(frozen=True)
class ClipPlan:
    """What to draw on one clip: its file, its events, the pelvic trace on its clock, if any."""

    clip: str  # "video" or "rear_video" (pair)
    path: Path
    fps: float
    foot_strike: dict
    trace: tuple[np.ndarray, np.ndarray] | None
    view: str | None  # "rear" / "front": the measured pelvis line is drawn; a side view has none
    stem: str  # output file stem


def plan(result: Result, clip: str = "video") -> ClipPlan:
    """The main clip, or a pair's rear clip (its events and the pelvic trace run on its own clock)."""
    pair = source.is_pair(result)
    trace = draw.trace_of(source.pelvic_trace(result))
    if clip == "rear_video":
        vd = source.clip_video(result, clip)
        return ClipPlan(clip, Path(locate(vd)), float(vd.fps or 30.0),
                        {k: list(v) for k, v in source.pelvic_events(result).foot_strike.items()}, trace,
                        source.pelvis_view(result), "overlay_rear")
    return ClipPlan(clip, Path(locate(result.video)), float(result.video.fps or 30.0),
                    result.events.foot_strike, None if pair else trace,
                    result.view if result.view in ("rear", "front") else None, "overlay")


def annotate(img: np.ndarray, p: ClipPlan, t_s: float, xy, vis, strikes: list[float]) -> None:
    if xy is not None:
        draw.skeleton(img, xy, vis)
        if p.view:  # hips overlap in a side view: no pelvis line there
            draw.pelvis_line(img, xy, vis, draw.trace_at(p.trace, t_s), p.view)
    for side in ("left", "right"):
        if any(0 <= t_s - t < STRIKE_FLASH_S for t in p.foot_strike.get(side, [])):
            if xy is not None:
                draw.foot_marker(img, xy, side)
            draw.text(img, f"{side} foot strike", (8, 68), draw.BGR[side])
    cad = running_cadence(strikes, t_s)
    draw.text(img, f"t {t_s:5.2f} s   cadence {cad:.0f} spm" if cad else f"t {t_s:5.2f} s", (8, 28))


def _row_lookup(poses) -> dict[int, int]:
    return {int(f): i for i, f in enumerate(poses.frame_index)}


def write_overlay(result: Result, out_dir: Path, poses=None, prefer: tuple[str, ...] | None = None,
                  clip: str = "video") -> OverlayOutcome:
    """Write out_dir/overlay.mp4 (or .webm; overlay_rear.* for a pair's rear clip).

    ``poses`` defaults to the cached landmarks of that clip.
    """
    from gait.report.keyframes import cached_poses
    from gait.video import iter_frames

    p = plan(result, clip)
    if not p.path.is_file():
        return OverlayOutcome(None, "", 0, [f"No overlay: the video {p.path} is not there any more."])
    notes = []
    if poses is None:
        poses, why = cached_poses(result, clip)
        if poses is None:
            notes.append(f"The overlay of {p.path.name} has no skeleton: {why}.")
    rows = _row_lookup(poses) if poses is not None else {}
    strikes = sorted(t for s in ("left", "right") for t in p.foot_strike.get(s, []))
    writer, size = None, None
    for i, t_s, bgr in iter_frames(p.path):
        if writer is None:
            h, w = bgr.shape[:2]
            f = min(1.0, MAX_LONG_SIDE_PX / max(h, w))
            size = (even(int(w * f)), even(int(h * f)))
            writer = open_writer(Path(out_dir) / p.stem, p.fps, *size, prefer=prefer)
        row = rows.get(i)
        xy = vis = None
        if row is not None:
            xy, vis = poses.image_xy[row], poses.visibility[row]
        annotate(bgr, p, t_s, xy, vis, strikes)
        if bgr.shape[1] != size[0] or bgr.shape[0] != size[1]:
            import cv2

            bgr = cv2.resize(bgr, size, interpolation=cv2.INTER_AREA)
        writer.write(bgr)
    if writer is None:
        return OverlayOutcome(None, "", 0, notes + [f"No overlay: no frame of {p.path.name} could be decoded."])
    writer.close()
    if not writer.browser_playable:
        notes.append(f"The overlay is {writer.codec}: desktop players show it, most browsers will not "
                     "(this build has no H.264 or VP8/VP9 encoder).")
    return OverlayOutcome(writer.path, writer.codec, writer.frames, notes)
