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

    def validate(self) -> "Options":
        if self.view not in ("auto", "side", *VIEWS):
            raise UsageError(f"Unknown view '{self.view}'; use auto, side, side_left, side_right, rear or front.")
        if self.belt_speed_mps is not None and not (0.3 <= self.belt_speed_mps <= 12.0):
            raise UsageError(f"Belt speed {self.belt_speed_mps:g} m/s is outside 0.3–12 m/s.")
        if self.height_m is not None and not (0.9 <= self.height_m <= 2.5):
            raise UsageError(f"Height {self.height_m * 100:g} cm is outside 90–250 cm.")
        return self


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
                            "pelvis_markers": opts.pelvis_markers,
                            "symptoms": opts.symptoms.to_dict() if opts.symptoms is not None else None})
    if poses.tracking_note:
        result.quality["tracking"] = poses.tracking_note
    if not model.verified:
        result.warn("The pose model's sha256 is not in the manifest (GAIT_TRUST_MODEL=1): results are unverified.")
    try:
        return measure(result, poses, opts, report, model)
    except GaitError as err:
        # Keep what was computed (video facts, landmarks are cached, any events): the shells
        # write it with the error so nothing is lost.
        result.quality["error"] = str(err)
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
