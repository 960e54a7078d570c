"""The analysis core: ``analyze(path, **options) -> Result``, the stages in order around one decode pass.

    probe -> poses (+ the pelvis sampler on the same frames) -> events -> metrics -> pelvis -> findings

This module owns the frame iterator: the pose stage's decode pass hands every frame to
the frame consumers (the pelvis sampler), so no stage decodes the clip again. A cached
re-analysis (new belt speed, new symptoms) decodes nothing when the landmarks and the
pelvis registration are cached. The CLI, the batch runner and the web app call only
``analyze``; nothing here prints or writes files except the caches.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from gait.errors import GaitError, UsageError
from gait.procs import release_freed_memory
from gait.result import Result
from gait.timebase import result_to_video_clock, retime_poses
from gait.vocabulary import MODEL_NAMES, REQUESTABLE_VIEWS

Progress = Callable[[str, float], None]  # (stage name, 0..1 within the stage)
MIN_HEIGHT_M, MAX_HEIGHT_M = 0.9, 2.5
MIN_BELT_MPS, MAX_BELT_MPS = 0.3, 12.0
# Phones film at 24-960 frames/s; slow motion plays at most ~32 times slower than real time.
MIN_CAPTURE_FPS, MAX_CAPTURE_FPS, MAX_SLOWMO = 10.0, 1000.0, 32.0


@dataclass(frozen=True)
class Options:
    view: str = "auto"  # "auto" | "side" | one of gait.vocabulary.VIEWS
    belt_speed_mps: float | None = None  # treadmill belt speed, m/s
    height_m: float | None = None  # runner's standing height, m (scale for overground / form metrics)
    model: str = "full"
    model_path: str | None = None
    # People MediaPipe looks for. 2, not the naive loop's 1: MediaPipe's several-poses mode detects afresh in
    # every frame (beside it a one-pose mask model gives the soles), and a second person in view is told apart
    # by the tracker. 1 is one model per frame (one tracked pose, its smoothing defeated, its own mask giving
    # the soles; gait.poses.estimator): about twice as fast (29-34 against 14 frames/s on one core), but the
    # tracked pose's landmarks sit differently on the body. Measured 2026-12-06 on the phantoms with truth:
    # rear contact-time asymmetry went past its 5-point bar on 6 of the 8 rear clips (the rear events are
    # timed by the body's lowest point), and side views read trunk lean 1.8-2.4° under the rendered
    # skeleton's, against 1.2-1.4° with 2 (side events were the same within 5 ms). So 1 only when asked for.
    num_poses: int = 2
    use_cache: bool = True
    symptoms: object | None = None  # gait.findings.symptoms.Symptoms
    pelvis_markers: bool = False  # look for two skin markers on the PSIS dimples
    # Cores one clip may use: processes for its pose estimation, threads for its pelvis registration;
    # None = one per core (max 2). A batch running clips side by side sets 1.
    pose_workers: int | None = None
    capture_fps: float | None = None  # frames/s the clip was filmed at (slow motion exported at a lower rate)
    slowmo: float | None = None  # or: how many times slower than real time the clip plays

    def validate(self) -> "Options":
        if self.view not in REQUESTABLE_VIEWS:
            raise UsageError(f"Unknown view '{self.view}'; use {', '.join(REQUESTABLE_VIEWS)}.")
        if self.num_poses not in (1, 2):
            raise UsageError(f"Search for 1 or 2 people, not {self.num_poses}.")
        if self.model not in MODEL_NAMES:
            raise UsageError(f"Unknown model '{self.model}'; choose one of {', '.join(MODEL_NAMES)}.")
        if self.belt_speed_mps is not None and not MIN_BELT_MPS <= self.belt_speed_mps <= MAX_BELT_MPS:
            raise UsageError(f"Belt speed {self.belt_speed_mps:g} m/s is outside {MIN_BELT_MPS:g}–{MAX_BELT_MPS:g} m/s.")
        if self.height_m is not None and not MIN_HEIGHT_M <= self.height_m <= MAX_HEIGHT_M:
            raise UsageError(f"Height {self.height_m * 100:g} cm is outside {MIN_HEIGHT_M * 100:g}–"
                             f"{MAX_HEIGHT_M * 100:g} cm.")
        self._validate_time_base()
        return self

    @property
    def cores(self) -> int:
        """Cores this clip may use (``pose_workers``, else one per core, at most two)."""
        return self.pose_workers or default_pose_workers()

    def _validate_time_base(self) -> None:
        if self.capture_fps is not None and self.slowmo is not None:
            raise UsageError("Give either the capture rate (--capture-fps) or the slow-motion factor (--slowmo), "
                             "not both.")
        if self.capture_fps is not None and not MIN_CAPTURE_FPS <= self.capture_fps <= MAX_CAPTURE_FPS:
            raise UsageError(f"A capture rate of {self.capture_fps:g} frames/s is outside "
                             f"{MIN_CAPTURE_FPS:g}–{MAX_CAPTURE_FPS:g} frames/s.")
        if self.slowmo is not None and not 1.0 <= self.slowmo <= MAX_SLOWMO:
            raise UsageError(f"A slow-motion factor of {self.slowmo:g} is outside 1–{MAX_SLOWMO:g} "
                             "(1 = real time, 8 = a 240 fps clip played at 30 fps).")


def time_base(opts: Options, video) -> tuple[float, dict]:
    """(real seconds per clip second, quality record): from --slowmo, --capture-fps or the container."""
    from gait.video.capture import metadata_capture_fps, time_scale

    if opts.slowmo is not None:
        k, src = 1.0 / opts.slowmo, f"given: played {opts.slowmo:g} times slower than real time"
    elif opts.capture_fps is not None:
        k, src = time_scale(video.fps, opts.capture_fps), f"given: filmed at {opts.capture_fps:g} frames/s"
    else:
        fps, key = metadata_capture_fps(video.path)
        k = time_scale(video.fps, fps)
        src = f"container metadata ({key} = {fps:g} frames/s)" if k != 1.0 else "the clip's own clock"
    return k, {"time_scale": round(k, 6), "capture_fps": round(video.fps / k, 3) if video.fps else None,
               "playback_fps": video.fps, "source": src}


def default_pose_workers() -> int:
    return max(1, min(2, os.cpu_count() or 1))


@dataclass
class Decoded:
    """The pose stage's outcome: the runner's landmarks and, if the clip was decoded, the pelvis samples."""

    poses: object  # gait.poses.PoseSeries
    from_cache: bool
    samples: object | None = None  # gait.pelvis.PelvisSamples
    tmp_dirs: list[str] = field(default_factory=list)
    key: str = ""  # the landmarks' cache key ("" when the cache is off)
    roll: object | None = None  # gait.pelvis.Roll, once asked for

    def camera_roll(self, video_path: str):
        """The camera's roll from the background (gait.pelvis.Roll): the decode pass's, else the cached one,
        else read off the few frames the decode pass samples for it (landmarks cached without it)."""
        if self.roll is None:
            self.roll = self.samples.roll if self.samples is not None else self._stored_roll(video_path)
        return self.roll

    def _stored_roll(self, video_path: str):
        from gait import pelvis
        from gait.poses import cache

        blob = cache.load_blob(pelvis.roll_cache_key(self.key)) if self.key else None
        try:
            if blob is not None:
                return pelvis.Roll.from_npz_bytes(blob)
        except Exception:  # a damaged entry is a miss
            pass
        roll = pelvis.clip_roll(video_path, self.poses, pelvis.Params())
        if self.key:
            cache.save_blob(pelvis.roll_cache_key(self.key), roll.to_npz_bytes())
        return roll

    def sampled(self, video_path: str, poses, params):
        """The decode pass's pelvis samples, or (landmarks were cached) a decode for the pelvis alone."""
        if self.samples is None:
            from gait import pelvis

            self.samples = pelvis.sample_clip(video_path, poses, params)
        return self.samples

    def close(self) -> None:
        if self.samples is not None:
            self.samples.close()
        for d in self.tmp_dirs:
            shutil.rmtree(d, ignore_errors=True)


@dataclass(frozen=True)
class PelvisConsumers:
    """Builds each chunk's frame consumers (picklable: chunks may run in other processes)."""

    n_frames: int
    fps: float
    params: object  # gait.pelvis.Params
    torso_px: float | None
    folder: str | None

    def __call__(self, chunk: int) -> list:
        from gait.pelvis import FrameSampler

        return [FrameSampler(self.n_frames, self.fps, self.params, self.torso_px, self.folder)]


def decode(video, model, opts: Options, report: Progress) -> Decoded:
    """Landmarks from the cache, or one decode pass for the poses and the pelvis samples together."""
    from gait import pelvis
    from gait.poses import WorkerPool, cache, chunk_bounds, estimate_clip, precheck

    key = cache.cache_key(video, model.sha256, opts.num_poses)
    hit = cache.load(key, video) if opts.use_cache else None
    if hit is not None:
        return Decoded(hit, True, key=key)
    workers = len(chunk_bounds(video.frames, opts.cores))
    with WorkerPool(workers - 1) as pool:  # started first: MediaPipe imports there while the precheck runs
        pre = precheck(video, model.path)
        if pre.torso_px is None:
            workers = 1  # the chunks could not agree on the pelvis crops' scale
        tmp = tempfile.mkdtemp(prefix="gait-frames-") if workers > 1 else None
        consumers = PelvisConsumers(video.frames, video.fps, pelvis.Params(), pre.torso_px, tmp)
        est = estimate_clip(video, model, num_poses=opts.num_poses, workers=workers, build_consumers=consumers,
                            precheck_result=pre, progress=lambda f: report("poses", f), pool=pool)
    release_freed_memory()  # the models are closed: the later stages start from a smaller heap
    if opts.use_cache:
        cache.save_quietly(key, est.poses)
    samples = pelvis.PelvisSamples.join([c[0] for c in est.consumed], pelvis.Params())
    if opts.use_cache and samples is not None:  # a cached re-analysis of a side view then decodes nothing
        cache.save_blob(pelvis.roll_cache_key(key), samples.roll.to_npz_bytes())
    return Decoded(est.poses, False, samples, [tmp] if tmp else [], key if opts.use_cache else "")


def analyze(path: str | Path, *, progress: Progress | None = None, **options) -> Result:
    """Analyse one clip of a runner. Raises a ``GaitError`` subclass on bad input."""
    from gait.poses import resolve_model
    from gait.video import probe

    opts = Options(**options).validate()
    report = progress or (lambda stage, frac: None)
    video = probe(path)
    model = resolve_model(opts.model, opts.model_path)
    report("poses", 0.0)
    dec = decode(video, model, opts, report)
    try:
        report("poses", 1.0)
        result = _new_result(video, model, opts, dec)
        scale, tb = time_base(opts, video)
        result.quality["time_base"] = tb
        if scale != 1.0:
            result.warn(f"The clip plays {1 / scale:.3g} times slower than real time ({tb['source']}); every "
                        "duration was rescaled to the runner's real time.")
        try:
            measure(result, retime_poses(dec.poses, scale), dec, opts, report, model)
        except GaitError as err:
            # Keep what was computed (video facts, landmarks are cached, any events): the shells
            # write it with the error so nothing is lost.
            result.quality["error"] = str(err)
            err.partial_result = result
            raise
        finally:
            result_to_video_clock(result, scale)
        return result
    finally:
        dec.close()


def _new_result(video, model, opts: Options, dec: Decoded) -> Result:
    poses = dec.poses
    result = Result(video=video, model=model.name,
                    inputs={"view": opts.view, "belt_speed_mps": opts.belt_speed_mps, "height_m": opts.height_m,
                            "model": opts.model, "num_poses": opts.num_poses, "landmarks_from_cache": dec.from_cache,
                            "pelvis_markers": opts.pelvis_markers, "capture_fps": opts.capture_fps,
                            "slowmo": opts.slowmo,
                            "symptoms": opts.symptoms.to_dict() if opts.symptoms is not None else None})
    if poses.tracking_note:
        result.quality["tracking"] = poses.tracking_note
    if not model.verified:
        result.warn("The pose model's sha256 is not in the manifest (GAIT_TRUST_MODEL=1): results are unverified.")
    return result


def _measure_pelvis(result: Result, gait_events, opts: Options, model, dec: Decoded) -> None:
    from gait import pelvis
    from gait.pelvis.handoff import apply_pelvis
    from gait.poses import cache

    raw_poses = gait_events.raw_poses
    params = pelvis.Params()
    store = (cache.load_blob, cache.save_blob) if opts.use_cache else (lambda k: None, lambda k, b: None)
    res = pelvis.process(raw_poses, gait_events.stance_events, gait_events.view, model=model, raw_store=store,
                         samples=lambda: dec.sampled(raw_poses.video.path, raw_poses, params),
                         params=params, markers=opts.pelvis_markers,
                         threads=opts.cores)
    apply_pelvis(result, res)


def measure(result: Result, poses, dec: Decoded, opts: Options, report: Progress, model) -> Result:
    """Everything after pose estimation. ``poses``: the runner's landmarks on the runner's clock."""
    from gait import events as ev
    from gait import findings, metrics

    report("events", 0.0)
    path = poses.video.path
    gait_events = ev.analyze_events(poses, view=opts.view, camera_roll=lambda: dec.camera_roll(path).resolved_deg)
    result.view, result.view_confidence = gait_events.view, gait_events.view_confidence
    result.events = gait_events.events
    for w in gait_events.warnings:
        result.warn(w)
    report("metrics", 0.0)
    side_form = gait_events.view.startswith("side") and not gait_events.is_walking
    roll = dec.camera_roll(path) if side_form else None
    m = metrics.compute_metrics(gait_events, belt_speed_mps=opts.belt_speed_mps, height_m=opts.height_m,
                                camera_roll=roll)
    result.strides, result.summary, result.traces = m.strides, m.summary, m.traces
    result.quality.update(m.quality)
    for w in m.warnings:
        result.warn(w)
    if result.view in ("rear", "front") and not result.summary.is_walking:
        report("pelvis", 0.0)
        _measure_pelvis(result, gait_events, opts, model, dec)
    elif result.view and result.view.startswith("side"):
        result.quality["pelvic_drop"] = {"not_measured": "pelvic drop is a frontal-plane angle and needs a "
                                                         "rear or front view; this clip is a side view"}
    report("findings", 0.0)
    result.findings, result.recommendations = findings.evaluate(result.summary, opts.symptoms)
    result.disclaimer = findings.DISCLAIMER
    report("done", 1.0)
    return result
