"""Stage 2: poses — MediaPipe landmarks of the runner, cached on disk."""
from __future__ import annotations

from gait.poses import cache
from gait.poses.estimator import estimate_poses
from gait.poses.feet import SOLE_MODELS, estimate_soles
from gait.poses.models import ModelInfo, list_models, resolve_model
from gait.poses.series import PoseSeries
from gait.video.reader import VideoInfo


def load_or_estimate(video: VideoInfo, model: ModelInfo, *, num_poses: int = 2, use_cache: bool = True,
                     progress=None, soles: bool = True) -> tuple[PoseSeries, bool]:
    """(series, landmarks from cache). Pose estimation runs only on a cache miss. ``soles`` adds the
    feet's mask soles (gait.poses.feet, a second pass), also for landmarks cached before soles existed;
    the entry is written back with them."""
    key = cache.cache_key(video, model.sha256, num_poses)
    series = cache.load(key, video) if use_cache else None
    cached = series is not None
    if series is None:
        series = estimate_poses(video, model, num_poses=num_poses, progress=_part(progress, 0.0, SOLE_PASS_START))
        _save(key, series, use_cache)
    if soles and series.sole_xy is None and model.name in SOLE_MODELS:
        sole_xy = estimate_soles(video, model, series, progress=_part(progress, SOLE_PASS_START, 1.0))
        series = series.with_arrays(sole_xy=sole_xy)
        _save(key, series, use_cache)
    return series, cached


def _save(key: str, series: PoseSeries, use_cache: bool) -> None:
    if not use_cache:
        return
    try:
        cache.save(key, series)
    except OSError:  # a cache folder that cannot be written (read-only home, disk full) is only a miss
        pass


# Share of the pose stage's progress bar taken by the landmark pass (the mask pass for the soles follows).
SOLE_PASS_START = 0.6


def _part(progress, lo: float, hi: float):
    """A progress callback mapping 0..1 onto lo..hi of ``progress``."""
    if progress is None:
        return None
    return lambda f: progress(lo + (hi - lo) * f)


__all__ = ["PoseSeries", "ModelInfo", "estimate_poses", "load_or_estimate", "list_models", "resolve_model"]
