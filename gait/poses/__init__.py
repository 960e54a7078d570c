"""Stage 2: poses — MediaPipe landmarks of the runner, in one decode pass that also feeds the frame consumers.

``estimate_clip`` measures the runner's size on a few frames first (precheck), cuts the clip in
chunks for the cores it may use (parallel), runs every frame through the
landmarker and the consumers (estimator) and follows the runner (tracking).
Landmarks are cached on disk by content hash and model (cache).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from gait.poses import cache
from gait.poses.estimator import assemble
from gait.poses.feet import SOLE_MODELS
from gait.poses.models import ModelInfo, list_models, resolve_model
from gait.poses.parallel import ChunkJob, WorkerPool, chunk_bounds, run_chunks
from gait.poses.precheck import Precheck, precheck
from gait.poses.series import PoseSeries
from gait.video.reader import VideoInfo


def _no_consumers(_chunk: int) -> list:
    return []


@dataclass
class Estimate:
    poses: PoseSeries
    from_cache: bool
    consumed: list[list] = field(default_factory=list)  # per chunk, each consumer's finish() result
    precheck: Precheck | None = None


def estimate_clip(video: VideoInfo, model: ModelInfo, *, num_poses: int = 2, workers: int = 1,
                  build_consumers: Callable[[int], list] | None = None, precheck_result: Precheck | None = None,
                  progress: Callable[[float], None] | None = None, pool: WorkerPool | None = None) -> Estimate:
    """Landmarks of the runner in every frame, and what the frame consumers kept (no cache here).

    ``pool``: worker processes already started for the chunks after the first (gait.poses.parallel).
    """
    pre = precheck_result or precheck(video, model.path)
    soles = model.name in SOLE_MODELS
    jobs = [ChunkJob(k, video.path, model.path, num_poses, a, b, build_consumers or _no_consumers, soles)
            for k, (a, b) in enumerate(chunk_bounds(video.frames, workers))]
    total = max(video.frames, 1)
    chunks = run_chunks(jobs, (lambda done: progress(min(1.0, done / total))) if progress else None, pool)
    series, _ = assemble(chunks, video, model.name)
    return Estimate(series, False, [c.consumed for c in chunks], pre)


def load_or_estimate(video: VideoInfo, model: ModelInfo, *, num_poses: int = 2, use_cache: bool = True,
                     progress=None, workers: int = 1) -> tuple[PoseSeries, bool]:
    """(series, from_cache). Pose estimation runs only on a cache miss."""
    key = cache.cache_key(video, model.sha256, num_poses)
    if use_cache:
        hit = cache.load(key, video)
        if hit is not None:
            return hit, True
    series = estimate_clip(video, model, num_poses=num_poses, workers=workers, progress=progress).poses
    if use_cache:
        cache.save_quietly(key, series)
    return series, False


def estimate_poses(video: VideoInfo, model: ModelInfo, *, num_poses: int = 2,
                   progress=None) -> PoseSeries:
    return estimate_clip(video, model, num_poses=num_poses, progress=progress).poses


__all__ = ["Estimate", "ModelInfo", "PoseSeries", "WorkerPool", "chunk_bounds", "estimate_clip", "estimate_poses",
           "list_models", "load_or_estimate", "resolve_model"]
