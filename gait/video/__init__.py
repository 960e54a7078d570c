"""Stage 1: video in — probe the container, stream frames with their own timestamps."""
from gait.video.reader import VideoInfo, iter_frames, probe

__all__ = ["VideoInfo", "iter_frames", "probe"]
