"""The analysis core: ``analyze(path, **options) -> Result``.

video -> poses -> events -> metrics (incl. pelvis) -> findings. The CLI, batch
runner and web app all call this; nothing here prints or writes files.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from gait.errors import GaitError, UsageError
from gait.result import VIEWS, Result
from gait.timebase import result_to_video_clock, retime_poses

Progress = Callable[[str, float], None]  # (stage name, 0..1 within the stage)


@dataclass(frozen=True)
class Options:
    view: str = "auto"  # "auto" | "side" | "side_left" | "side_right" | "rear" | "front"
    belt_speed_mps: float | None = None  # treadmill belt speed, m/s
    height_m: float | None = None  # runner's standing height, m (scale for overground / form metrics)
    model: str = "full"
    model_path: str | None = None
    num_poses: int = 2  # >1 lets bystanders be told apart from the runner
    use_cache: bool = True
    symptoms: object | None = None  # gait.findings.symptoms.Symptoms
    pelvis_markers: bool = False  # look for two skin markers on the PSIS dimples
    capture_fps: float | None = None  # frames/s the clip was filmed at (slow motion exported at a lower rate)
    slowmo: float | None = None  # or: how many times slower than real time the clip plays

    def validate(self) -> "Options":
        if self.view not in ("auto", "side", *VIEWS):
            raise UsageError(f"Unknown view '{self.view}'; use auto, side, side_left, side_right, rear or front.")
        if self.belt_speed_mps is not None and not (0.3 <= self.belt_speed_mps <= 12.0):
            raise UsageError(f"Belt speed {self.belt_speed_mps:g} m/s is outside 0.3–12 m/s.")
        if self.height_m is not None and not (0.9 <= self.height_m <= 2.5):
            raise UsageError(f"Height {self.height_m * 100:g} cm is outside 90–250 cm.")
        if self.capture_fps is not None and self.slowmo is not None:
            raise UsageError("Give either the capture rate (--capture-fps) or the slow-motion factor (--slowmo), not both.")
        if self.capture_fps is not None and not (MIN_CAPTURE_FPS <= self.capture_fps <= MAX_CAPTURE_FPS):
            raise UsageError(f"A capture rate of {self.capture_fps:g} frames/s is outside "
                             f"{MIN_CAPTURE_FPS:g}–{MAX_CAPTURE_FPS:g} frames/s.")
        if self.slowmo is not None and not (1.0 <= self.slowmo <= MAX_SLOWMO):
            raise UsageError(f"A slow-motion factor of {self.slowmo:g} is outside 1–{MAX_SLOWMO:g} "
                             "(1 = real time, 8 = a 240 fps clip played at 30 fps).")
        return self


# Phones film at 24-960 frames/s; slow motion plays at most ~32 times slower than real time.
MIN_CAPTURE_FPS, MAX_CAPTURE_FPS, MAX_SLOWMO = 10.0, 1000.0, 32.0


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


def analyze(path: str | Path, *, progress: Progress | None = None, **options) -> Result:
    """Analyse one clip of a runner. Raises a ``GaitError`` subclass on bad input."""
    from gait.poses import load_or_estimate, resolve_model
    from gait.video import probe

    opts = Options(**options).validate()
    report = progress or (lambda stage, frac: None)
    video = probe(path)
    model = resolve_model(opts.model, opts.model_path)
    report("poses", 0.0)
    poses, cached = load_or_estimate(video, model, num_poses=opts.num_poses, use_cache=opts.use_cache,
                                     progress=lambda f: report("poses", f))
    report("poses", 1.0)
    result = Result(video=video.to_dict(), model=model.name,
                    inputs={"view": opts.view, "belt_speed_mps": opts.belt_speed_mps, "height_m": opts.height_m,
                            "model": opts.model, "num_poses": opts.num_poses, "landmarks_from_cache": cached,
                            "pelvis_markers": opts.pelvis_markers, "capture_fps": opts.capture_fps,
                            "slowmo": opts.slowmo,
                            "symptoms": opts.symptoms.to_dict() if opts.symptoms is not None else None})
    scale, tb = time_base(opts, video)
    result.quality["time_base"] = tb
    if scale != 1.0:
        result.warn(f"The clip plays {1 / scale:.3g} times slower than real time ({tb['source']}); every "
                    "duration was rescaled to the runner's real time.")
    if poses.tracking_note:
        result.quality["tracking"] = poses.tracking_note
    if not model.verified:
        result.warn("The pose model's sha256 is not in the manifest (GAIT_TRUST_MODEL=1): results are unverified.")
    try:
        measure(result, retime_poses(poses, scale), opts, report, model)
        result_to_video_clock(result, scale)
        return result
    except GaitError as err:
        # Keep what was computed (video facts, landmarks are cached, any events): the shells
        # write it with the error so nothing is lost.
        result.quality["error"] = str(err)
        result_to_video_clock(result, scale)
        err.partial_result = result
        raise


def _measure_pelvis(result: Result, gait_events, opts: Options, model) -> None:
    from gait import pelvis
    from gait.pelvis.handoff import apply_pelvis
    from gait.poses import cache, resolve_model

    model = model or resolve_model(opts.model, opts.model_path)
    raw_poses = gait_events.raw_poses
    params = pelvis.Params()
    res = pelvis.process(raw_poses, gait_events.events, gait_events.view, model=model,
                         raw_store=(cache.load_blob, cache.save_blob) if opts.use_cache else (lambda k: None,
                                                                                              lambda k, b: None),
                         samples=lambda: pelvis.sample_clip(raw_poses.video.path, raw_poses, params), params=params,
                         markers=opts.pelvis_markers)
    apply_pelvis(result, res)


def measure(result: Result, poses, opts: Options, report: Progress, model=None) -> Result:
    """Everything after pose estimation; also used to re-analyse cached landmarks."""
    from gait import events as ev
    from gait import findings
    from gait import metrics

    report("events", 0.0)
    gait_events = ev.analyze_events(poses, view=opts.view)
    result.view, result.view_confidence = gait_events.view, gait_events.view_confidence
    result.events = gait_events.events
    for w in gait_events.warnings:
        result.warn(w)
    report("metrics", 0.0)
    m = metrics.compute_metrics(gait_events, belt_speed_mps=opts.belt_speed_mps, height_m=opts.height_m)
    result.strides, result.summary, result.traces = m.strides, m.summary, m.traces
    result.quality.update(m.quality)
    for w in m.warnings:
        result.warn(w)
    if result.view in ("rear", "front") and not result.summary.is_walking:
        report("pelvis", 0.0)
        _measure_pelvis(result, gait_events, opts, model)
    elif result.view and result.view.startswith("side"):
        result.quality["pelvic_drop"] = ("not measured: pelvic drop is a frontal-plane angle and needs a rear or "
                                         "front view; this clip is a side view")
    result.cadence_spm = result.summary.cadence_spm
    result.stride_length_m = result.summary.stride_length_m
    report("findings", 0.0)
    result.findings, result.recommendations = findings.evaluate(result.summary, opts.symptoms)
    result.disclaimer = findings.DISCLAIMER
    report("done", 1.0)
    return result
