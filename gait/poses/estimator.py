"""Pose estimation over a clip, one decode pass: every frame goes to the landmarker and to the frame consumers.

A clip may be cut into chunks estimated in separate processes (gait.poses.parallel);
``assemble`` joins the chunks' detections and follows one runner through them.
A frame consumer is any object with ``add(frame_index, t_s, bgr, people)`` and
``finish()``: the pelvis stage's sampler is one, so no stage decodes the clip again.
"""
from __future__ import annotations

import os
from contextlib import nullcontext
from dataclasses import dataclass, field, replace
from typing import Callable, Protocol

import numpy as np

from gait.errors import NoPersonFound
from gait.poses.feet import SoleTracker, own_soles
from gait.poses.landmarker import FramePeople, Landmarker
from gait.poses.landmarks import N_LANDMARKS
from gait.poses.series import PoseSeries
from gait.poses.tracking import bbox_of, choose_runner
from gait.video.reader import VideoInfo, iter_frames

Progress = Callable[[int], None]  # frames done so far (in this chunk)


class FrameConsumer(Protocol):
    def add(self, frame_index: int, t_s: float, bgr: np.ndarray, people: FramePeople) -> None: ...

    def finish(self): ...


@dataclass
class Chunk:
    """One chunk's detections, in frame order, and what its consumers kept."""

    frame_index: list[int] = field(default_factory=list)
    t_s: list[float] = field(default_factory=list)
    people: list[FramePeople] = field(default_factory=list)
    consumed: list = field(default_factory=list)  # consumer.finish() results, in consumer order


def run_chunk(path: str, model_path: str, num_poses: int, start: int, stop: int | None,
              consumers: list[FrameConsumer], progress: Progress | None = None, warmup: int = 0,
              soles: bool = False) -> Chunk:
    """Frames [start, stop) through the landmarker and the consumers.

    ``warmup`` frames before ``start`` are run through the landmarker only (its tracker
    then enters the chunk on the runner), and are not returned.
    """
    out = Chunk()
    first = max(start - warmup, 0)
    one = num_poses == 1  # one model per frame: its own mask gives the soles
    tracker = SoleTracker(model_path) if soles and not one else nullcontext()
    with Landmarker(model_path, num_poses, masks=soles and one, smoothed=not one) as lm, tracker as feet:
        for fi, t_s, bgr in iter_frames(path, start_frame=first):
            if stop is not None and fi >= stop:
                break
            people = lm(bgr, t_s)
            if feet is not None:
                people = replace(people, soles=feet(bgr, t_s, people))
            elif people.masks is not None:
                people = replace(people, soles=own_soles(people), masks=None)
            if fi < start:
                continue
            out.frame_index.append(fi)
            out.t_s.append(t_s)
            out.people.append(people)
            for c in consumers:
                c.add(fi, t_s, bgr, people)
            if progress is not None and len(out.t_s) % 10 == 0:
                progress(len(out.t_s))
    out.consumed = [c.finish() for c in consumers]
    return out


def _runner_arrays(people: list[FramePeople], choice: list[int]) -> dict[str, np.ndarray]:
    n = len(people)
    xy = np.full((n, N_LANDMARKS, 2), np.nan)
    z = np.full((n, N_LANDMARKS), np.nan)
    vis, pres = np.zeros((n, N_LANDMARKS)), np.zeros((n, N_LANDMARKS))
    world, box = np.full((n, N_LANDMARKS, 3), np.nan), np.full((n, 4), np.nan)
    with_soles = any(p.soles is not None for p in people)
    soles = np.full((n, 2, 2), np.nan)
    for f, c in enumerate(choice):
        if c >= 0:
            p = people[f]
            xy[f], z[f], vis[f], pres[f], world[f] = p.xy[c], p.z[c], p.visibility[c], p.presence[c], p.world[c]
            box[f] = bbox_of(p.xy[c:c + 1])[0]
            if p.soles is not None:
                soles[f] = p.soles[c]
    return dict(image_xy=xy, image_z=z, visibility=vis, presence=pres, world_xyz=world, person_bbox=box,
                sole_xy=soles if with_soles else None)


def assemble(chunks: list[Chunk], video: VideoInfo, model_name: str) -> tuple[PoseSeries, list[int]]:
    """One PoseSeries of the runner over all chunks (in order), and the chosen detection per frame."""
    people = [p for c in chunks for p in c.people]
    boxes = [bbox_of(p.xy) if len(p) else np.zeros((0, 4)) for p in people]
    choice, _, note = choose_runner(boxes, video.width, video.height)
    arrays = _runner_arrays(people, choice)
    if not np.isfinite(arrays["image_xy"][:, 0, 0]).any():
        raise NoPersonFound(f"No person was found in any of the {len(people)} frames of "
                            f"{os.path.basename(video.path)}.")
    series = PoseSeries(t_s=np.array([t for c in chunks for t in c.t_s], float),
                        frame_index=np.array([f for c in chunks for f in c.frame_index], int), video=video,
                        model=model_name, people_max=max((len(p) for p in people), default=0),
                        tracking_note=note, **arrays)
    return series, choice
