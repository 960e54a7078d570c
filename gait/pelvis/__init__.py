"""Stage: contralateral pelvic drop, measured on the pelvis itself (rear or front view).

MediaPipe's hip landmarks barely move with pelvic roll (0-1° on an 8° drop), so
the angle is not read off the landmark line. The pose only seeds a band of the
body between the waist and the hip joints (see params.Band); each frame's band is
registered rigidly against a few template frames (register), the rotations are
combined, cleaned and levelled against the pelvis angle in flight (trace), and
read out per stance (stances) with 95 % intervals (measure).

Where things happen:
- sampler: what is kept from each decoded frame during the one decode pass;
- raw: registration of every kept frame (cached with the landmarks);
- measure: events + raw trace -> PelvisResult.
"""
from __future__ import annotations

import hashlib
from typing import Callable

import numpy as np

from gait.pelvis.camera import Roll, estimate_roll
from gait.pelvis.measure import measure, too_small
from gait.pelvis.params import Params
from gait.pelvis.raw import RawTrace, register_clip
from gait.pelvis.sampler import FrameSampler, PelvisSamples, SamplesPart, background_lines, roll_frames
from gait.pelvis.segment import PersonSegmenter
from gait.poses.landmarker import FramePeople
from gait.poses.landmarks import torso_px
from gait.poses.models import ModelInfo
from gait.poses.series import PoseSeries
from gait.result import Events, PelvisResult
from gait.vocabulary import FRONTAL_VIEWS

RAW_FORMAT = 1  # bump when the raw trace changes meaning
ROLL_FORMAT = 2  # bump when the camera roll's estimate changes meaning (2: its standard error)

__all__ = ["FRONTAL_VIEWS", "FrameSampler", "Params", "PelvisResult", "PelvisSamples", "Roll", "SamplesPart",
           "clip_roll", "process", "raw_cache_key", "roll_cache_key", "sample_clip"]


def raw_cache_key(content_sha256: str, model_sha256: str, params: Params, markers: bool, events: Events) -> str:
    """The raw trace's cache key. The templates are picked by stride phase, from the left foot strikes, so
    those strikes (to the millisecond) are part of it: other events must not reuse a trace picked by these.
    Of the parameters only the registration's count (a new readout reuses the trace)."""
    strikes = ",".join(f"{t:.3f}" for t in sorted(events.foot_strike.get("left", [])))
    text = f"pelvis|{RAW_FORMAT}|{content_sha256}|{model_sha256}|{params.registration_fields()}|{markers}|{strikes}"
    return "pelvis-" + hashlib.sha256(text.encode()).hexdigest()[:32]


def roll_cache_key(landmark_key: str) -> str:
    """The camera roll's cache key: beside the landmarks it was sampled with (same video, model, people)."""
    return f"roll{ROLL_FORMAT}-{landmark_key}"


def people_of(poses: PoseSeries, row: int) -> FramePeople:
    """The tracked runner of one frame of a cached series, as the decode pass hands people to consumers."""
    if not np.isfinite(poses.image_xy[row, :, 0]).any():
        return FramePeople.none()
    one = lambda a: a[row][None].astype(np.float32)  # noqa: E731
    return FramePeople(one(poses.image_xy), one(poses.image_z), one(poses.visibility), one(poses.presence),
                       one(poses.world_xyz))


def sample_clip(video_path: str, poses: PoseSeries, params: Params) -> PelvisSamples | None:
    """A decode pass without pose estimation (the landmarks were cached), for the pelvis alone."""
    from gait.video import iter_frames

    rows = {int(f): k for k, f in enumerate(np.asarray(poses.frame_index))}
    first = min(rows) if rows else 0
    sampler = FrameSampler(n_frames=len(poses), fps=float(poses.video.fps), params=params, first_frame=first)
    for fi, t_s, bgr in iter_frames(video_path, start_frame=first):
        if fi in rows:
            sampler.add(fi, t_s, bgr, people_of(poses, rows[fi]))
    return PelvisSamples.join([sampler.finish()], params)


def clip_roll(video_path: str, poses: PoseSeries, params: Params) -> Roll:
    """The camera roll from the frames the decode pass samples for it, when the landmarks were cached
    without it: one forward pass that stops after the last of those frames."""
    from gait.errors import GaitError
    from gait.video.reader import read_frames

    seen = np.flatnonzero(np.isfinite(poses.image_xy[:, 0, 0]))
    if seen.size == 0:
        return estimate_roll([], [])
    # each sampled position's nearest frame with the runner (the sampler takes the next one it sees)
    rows = sorted({int(seen[np.argmin(np.abs(seen - r))]) for r in roll_frames(0, len(poses), params.roll_frames)})
    try:
        frames = read_frames(video_path, {int(poses.frame_index[r]) for r in rows})
    except (GaitError, OSError):  # the clip moved or changed since: no roll, the picture's own level
        return estimate_roll([], [])
    torso = float(np.nanmedian(torso_px(poses.image_xy)))
    lines = [background_lines(frames[int(poses.frame_index[r])], poses.image_xy[r].astype(float), torso)
             for r in rows if int(poses.frame_index[r]) in frames]
    return estimate_roll([d for d, _ in lines], [ln for _, ln in lines])


def stride_phase(events: Events):
    """phase_of(t_s) -> 0..1 within the stride (from one left foot strike to the next), None outside."""
    fs = np.array(sorted(events.foot_strike.get("left", [])), float)

    def phase_of(t: float) -> float | None:
        k = int(np.searchsorted(fs, t)) - 1
        if k < 0 or k + 1 >= len(fs):
            return None
        return float((t - fs[k]) / (fs[k + 1] - fs[k]))
    return phase_of


def register_samples(samples: PelvisSamples, poses: PoseSeries, events: Events, model_path: str, params: Params,
                     markers: bool, threads: int = 1) -> RawTrace | None:
    runner = {int(f): poses.image_xy[k] for k, f in enumerate(np.asarray(poses.frame_index))
              if np.isfinite(poses.image_xy[k, 0, 0])}
    with PersonSegmenter(model_path) as seg:
        return register_clip(samples, runner, params, seg, stride_phase(events), with_markers=markers,
                             threads=threads)


def process(poses: PoseSeries, events: Events, view: str, *, model: ModelInfo, raw_store,
            samples: Callable[[], PelvisSamples | None], params: Params = Params(),
            markers: bool = False, threads: int = 1) -> PelvisResult:
    """Pelvic drop of one clip. ``poses``: the runner's landmarks as detected (not filtered).

    ``raw_store``: (load(key) -> bytes | None, save(key, bytes)) for the cached raw trace;
    ``samples``: gives the frames' samples when the raw trace must be made (the caller owns and closes them);
    ``threads``: for the registration (the same numbers with any count).
    """
    if view not in FRONTAL_VIEWS:
        return PelvisResult.not_measured("pelvic drop is a frontal-plane angle and needs a rear or front view")
    load, save = raw_store
    key = raw_cache_key(poses.video.content_sha256, model.sha256, params, markers, events)
    data = load(key)
    raw = RawTrace.from_npz_bytes(data) if data else None
    if raw is None:
        smp = samples()
        if smp is None:
            return PelvisResult.not_measured("the runner's hips were not seen well enough to place the pelvis")
        if why := too_small(smp.torso_px, params):
            return PelvisResult.not_measured(why)  # before the registration, which could not be trusted
        raw = register_samples(smp, poses, events, model.path, params, markers, threads)  # caller closes ``smp``
        if raw is None:
            return PelvisResult.not_measured("no usable view of the pelvis (hidden, too dark or featureless)")
        save(key, raw.to_npz_bytes())
    elif why := too_small(raw.torso_px, params):
        return PelvisResult.not_measured(why)
    if markers and (raw.marker_rotation_deg is None or np.mean(np.isfinite(raw.marker_rotation_deg)) < 0.6):
        res = measure(raw, poses, events, view, params, markers=False)
        res.warnings.append("Two skin markers were not found in most frames; pelvic drop was measured from the "
                            "pelvis image instead.")
        return res
    return measure(raw, poses, events, view, params, markers=markers)
