"""Running gait analysis from video: cadence, stride length, contralateral pelvic drop.

Python API (gait.notebook): ``gait.analyze(path, **options)`` and ``gait.load(path)`` (a saved
result.json) give a Result whose ``strides_frame()`` / ``frames_frame()`` are pandas tables.
"""
import os as _os

# Native libraries (FFmpeg inside OpenCV, glog inside MediaPipe) print to the process's
# stderr; users should see one clear sentence, not decoder chatter. Must precede imports.
_os.environ.setdefault("OPENCV_FFMPEG_LOGLEVEL", "-8")
_os.environ.setdefault("OPENCV_LOG_LEVEL", "ERROR")
_os.environ.setdefault("GLOG_minloglevel", "2")
_os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

from gait.notebook import AnalysisResult, analyze, load  # noqa: E402
from gait.pipeline import Options  # noqa: E402
from gait.result import Result  # noqa: E402

__all__ = ["AnalysisResult", "analyze", "load", "Options", "Result"]
__version__ = "0.1.0"
