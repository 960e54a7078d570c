"""Stand-ins for gait.pipeline.analyze used by the batch tests (no tests here).

They are module-level functions so the spawn process pool and Dask can pickle them
by reference; the batch workers import this module from tests/ (on sys.path).
Each call appends the clip's path to $GAIT_TEST_CALL_LOG, so a test can count
exactly which clips were (re)computed, across processes.
"""
from __future__ import annotations

import os
import signal
import time
from pathlib import Path

from gait.errors import NotAVideo


def _log_call(path: str) -> int:
    log = os.environ.get("GAIT_TEST_CALL_LOG")
    if not log:
        return 0
    with open(log, "a", encoding="utf-8") as fh:  # O_APPEND: whole short lines even from parallel workers
        fh.write(f"{path}\t{os.getpid()}\n")
    return len(Path(log).read_text(encoding="utf-8").splitlines())


def calls(log: Path) -> list[str]:
    """Paths analysed, in call order."""
    return [line.split("\t")[0] for line in log.read_text(encoding="utf-8").splitlines()] if log.exists() else []


def caller_pids(log: Path) -> set[int]:
    return {int(line.split("\t")[1]) for line in log.read_text(encoding="utf-8").splitlines()}


def fake_analyze(path: str, **options):
    """A realistic Result for any mp4 (numbers depend on the options), NotAVideo for anything else."""
    _log_call(path)
    return _fake(path, options)


def _fake(path: str, options: dict):
    from report_fixtures import make_result

    time.sleep(float(os.environ.get("GAIT_TEST_FAKE_SLEEP", "0")))
    with open(path, "rb") as fh:
        head = fh.read(12)
    if head[4:8] != b"ftyp":
        raise NotAVideo(f"{Path(path).name} could not be opened as a video (unknown or unsupported format).")
    view = "rear" if "rear" in Path(path).name else "side_right"
    r = make_result(view=view, video_path=str(path), belt_mps=options.get("belt_speed_mps") or 3.3)
    r.inputs.update({k: v for k, v in options.items() if k in ("view", "height_m", "model")})
    return r


def buggy_analyze(path: str, **options):
    """An internal error (not a GaitError) on clips whose name contains 'drop8'."""
    if "drop8" in Path(path).name:
        raise ZeroDivisionError("float division by zero")
    return fake_analyze(path, **options)


def killing_analyze(path: str, **options):
    """Like fake_analyze, but the (N+1)th call SIGKILLs the batch process, then dies: a hard kill mid-batch."""
    n = _log_call(path)
    if n > int(os.environ["GAIT_TEST_KILL_AFTER"]):
        os.kill(os.getppid(), signal.SIGKILL)
        os._exit(9)
    return _fake(path, options)


def interrupting_analyze(path: str, **options):
    """Ctrl-C from inside the Nth clip (KeyboardInterrupt travels back to the parent)."""
    n = _log_call(path)
    if n > int(os.environ["GAIT_TEST_KILL_AFTER"]):
        raise KeyboardInterrupt
    return _fake(path, options)


def crashing_analyze(path: str, **options):
    """The worker process dies outright (as on a native crash or the OOM killer) on clips named '*drop8*'."""
    if "drop8" in Path(path).name:
        os._exit(11)
    return fake_analyze(path, **options)


BATCH_CLIPS = ("rear_drop0_169spm_60fps", "rear_drop8_169spm_60fps", "side_right_drop4_169spm_60fps")


def make_clip_folder(root: Path, *, bad: bool = True) -> Path:
    """Three named 10 s phantom clips (symlinked, landmarks cached) and, optionally, a text file named .mp4.

    Named, not globbed: the shared phantom folder grows, and these tests count clips.
    """
    from conftest import PHANTOM

    d = root / "clips"
    d.mkdir(parents=True)
    for name in BATCH_CLIPS:
        (d / f"{name}.mp4").symlink_to(PHANTOM / f"{name}.mp4")
    if bad:
        (d / "notes.mp4").write_text("not a video, just notes\n", encoding="utf-8")
    return d


def rng_analyze(path: str, **options):
    """Draws from OpenCV's global RNG (as cv2.grabCut does): the numbers must not depend on which clips ran
    earlier in the same worker process."""
    import cv2
    import numpy as np

    r = fake_analyze(path, **options)
    draw = np.zeros((1, 1), np.float64)
    cv2.randu(draw, 0.0, 1.0)
    r.summary.cadence_spm = 160.0 + float(draw[0, 0])
    return r
