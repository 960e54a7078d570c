"""Running gait analysis from video: cadence, stride length, contralateral pelvic drop.

Python API: ``gait.analyze(path, **options) -> gait.result.Result``; ``gait.load(path)`` reads a
saved result.json back (``Result.strides_frame()`` / ``Result.frames_frame()`` give pandas tables).
"""
import os as _os

# Native libraries (FFmpeg inside OpenCV, glog inside MediaPipe) print to the process's
# stderr; users should see one clear sentence, not decoder chatter. Must precede imports.
_os.environ.setdefault("OPENCV_FFMPEG_LOGLEVEL", "-8")
_os.environ.setdefault("OPENCV_LOG_LEVEL", "ERROR")
_os.environ.setdefault("GLOG_minloglevel", "2")
_os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

from gait.pipeline import Options, analyze  # noqa: E402
from gait.result import Result  # noqa: E402



def load(path) -> Result:
    """A saved result.json as a Result; GaitError (one sentence) when the file is not one."""
    from pathlib import Path

    from gait.report.command import load_result

    return load_result(Path(path))


__all__ = ["analyze", "load", "Options", "Result"]
__version__ = "0.1.0"
