"""The capture frame rate of a slow-motion clip, from the container's metadata where the phone wrote it.

Android's camera stores the rate it filmed at in the MP4's ``com.android.capture.fps`` tag when
a slow-motion (or time-lapse) clip is exported at a normal playback rate; other writers use keys
ending in ``capture.fps`` / ``capture_fps``. A capture rate clearly above the playback rate means
the clip's clock runs slower than the runner's.
"""
from __future__ import annotations

from pathlib import Path

CAPTURE_KEYS = ("com.android.capture.fps",)
CAPTURE_KEY_SUFFIXES = ("capture.fps", "capture_fps", "capturefps")
# A capture rate within 10 % of the playback rate is the same clock (rounding, variable frame rate).
SAME_CLOCK_RATIO = 1.1


def metadata_capture_fps(path: str | Path) -> tuple[float | None, str | None]:
    """(capture fps, the metadata key it came from), or (None, None) when the container has none."""
    try:
        import av

        with av.open(str(path)) as c:
            tags = {**dict(c.metadata), **{k: v for s in c.streams.video for k, v in dict(s.metadata).items()}}
    except Exception:  # unreadable metadata is simply absent; the reader reports broken files itself
        return None, None
    for key, value in tags.items():
        k = key.lower()
        if k in CAPTURE_KEYS or k.endswith(CAPTURE_KEY_SUFFIXES):
            try:
                fps = float(str(value).strip())
            except ValueError:
                continue
            if 0 < fps < 10000:
                return fps, key
    return None, None


def time_scale(playback_fps: float, capture_fps: float | None) -> float:
    """Real seconds per second of the clip's clock (1 = real time; 0.25 = filmed at 4x the playback rate)."""
    if not capture_fps or not playback_fps or capture_fps <= SAME_CLOCK_RATIO * playback_fps:
        return 1.0
    return playback_fps / capture_fps
