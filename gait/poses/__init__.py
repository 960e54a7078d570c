"""Stage 2: poses — MediaPipe landmarks of the runner, cached on disk."""
from __future__ import annotations

from gait.poses import cache
from gait.poses.estimator import estimate_poses
from gait.poses.models import ModelInfo, list_models, resolve_model
from gait.poses.series import PoseSeries
from gait.video.reader import VideoInfo


def load_or_estimate(video: VideoInfo, model: ModelInfo, *, num_poses: int = 2, use_cache: bool = True,
                     progress=None) -> tuple[PoseSeries, bool]:
    """(series, from_cache). Pose estimation runs only on a cache miss."""
    key = cache.cache_key(video, model.sha256, num_poses)
    if use_cache:
        hit = cache.load(key, video)
        if hit is not None:
            return hit, True
    series = estimate_poses(video, model, num_poses=num_poses, progress=progress)
    if use_cache:
        try:
            cache.save(key, series)
        except OSError:  # a cache folder that cannot be written (read-only home, disk full) is only a miss
            pass
    return series, False


__all__ = ["PoseSeries", "ModelInfo", "estimate_poses", "load_or_estimate", "list_models", "resolve_model"]
