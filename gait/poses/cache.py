"""On-disk landmark cache keyed by the video's content hash and the model.

Re-analysing a clip (new belt speed, new thresholds) then skips pose estimation.
Location: ``$GAIT_CACHE_DIR`` or ``~/.cache/gait/landmarks``.
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

from gait.atomic import write_bytes_atomic
from gait.paths import user_cache_dir
from gait.poses.series import PoseSeries
from gait.video.reader import VideoInfo

# Bump when estimator output changes meaning, so stale caches are not reused.
# 3: foot soles from the same pass's person masks (gait.poses.feet) are part of every entry.
# 4: the runner followed through short detection gaps and duplicate poses (gait.poses.tracking).
CACHE_FORMAT = 4


def cache_dir() -> Path:
    if os.environ.get("GAIT_CACHE_DIR"):
        return Path(os.environ["GAIT_CACHE_DIR"])
    return user_cache_dir("landmarks")


def cache_key(video: VideoInfo, model_sha256: str, num_poses: int) -> str:
    # "1u": one tracked pose, unsmoothed, with its own masks for the soles (gait.poses.estimator); entries of
    # the smoothed one-pose pass that num_poses=1 meant before are not reused
    people = "1u" if num_poses == 1 else str(num_poses)
    raw = f"{CACHE_FORMAT}|{video.content_sha256}|{model_sha256}|{people}"
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def load(key: str, video: VideoInfo) -> PoseSeries | None:
    p = cache_dir() / f"{key}.npz"
    if not p.is_file():
        return None
    try:
        series = PoseSeries.from_npz_bytes(p.read_bytes())
    except Exception:  # a damaged cache entry is just a miss
        return None
    # The same content may sit at another path: keep the caller's VideoInfo.
    return series.with_arrays(video=video)


def save(key: str, series: PoseSeries) -> Path:
    return write_bytes_atomic(cache_dir() / f"{key}.npz", series.to_npz_bytes())  # no half entry on a kill


def save_quietly(key: str, series: PoseSeries) -> None:
    """Save, treating a cache folder that cannot be written (read-only home, disk full) as a miss next time."""
    try:
        save(key, series)
    except OSError:
        pass


def load_blob(key: str) -> bytes | None:
    """Another stage's cached bytes under ``key`` (e.g. the pelvis registration), None on a miss."""
    p = cache_dir() / f"{key}.npz"
    try:
        return p.read_bytes() if p.is_file() else None
    except OSError:
        return None


def save_blob(key: str, data: bytes) -> None:
    try:
        write_bytes_atomic(cache_dir() / f"{key}.npz", data)
    except OSError:  # an unwritable cache is a cache miss next time, not an error
        pass
