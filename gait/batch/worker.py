"""One clip, run in a worker process (local pool or Dask): analyse, write its folder, never raise.

Commit protocol of a clip folder, so a kill at any instant leaves no clip that
looks finished but is not:
  1. delete result.json, batch.json, error.json left by an earlier run;
  2. analyse; write the report files (optional);
  3. write batch.json (input sha256 + options key), then result.json LAST (temp + rename).
A clip is done only when result.json parses and batch.json matches this run's input
and options (``is_done``). A failure writes error.json instead and is retried on resume.
"""
from __future__ import annotations

import hashlib
import json
import time
import traceback
import warnings
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Callable

from gait.errors import GaitError

RESULT, RECORD, ERROR = "result.json", "batch.json", "error.json"
CRASH_EXIT_CODE = 1  # "unexpected internal error": the worker process itself died

AnalyzeFn = Callable[..., Any]  # analyze(path, **options) -> gait.result.Result


@dataclass(frozen=True)
class ClipTask:
    """Everything a worker needs; picklable so it travels to a process or a Dask worker."""

    clip_id: str
    path: str
    clip_dir: str
    options: dict  # full analyze() options for this clip
    options_key: str  # fingerprint of options + model + code version (see options_key)
    write_report: bool = True


@dataclass(frozen=True)
class ClipOutcome:
    clip_id: str
    status: str  # "ok" | "failed"
    seconds: float
    error: str | None = None
    exit_code: int | None = None
    note: str | None = None  # e.g. the report could not be written (the result still was)


def options_key(options: dict, model_sha256: str | None) -> str:
    """Fingerprint of everything that changes a result; use_cache and pose_workers do not, so they are left out."""
    from gait import __version__
    from gait.result import SCHEMA_VERSION

    payload = {"options": {k: v for k, v in options.items() if k not in ("use_cache", "pose_workers")},
               "model_sha256": model_sha256,
               "gait": __version__, "schema": SCHEMA_VERSION}
    text = json.dumps(payload, sort_keys=True, default=_jsonable)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _jsonable(o: Any) -> Any:
    return asdict(o) if hasattr(o, "__dataclass_fields__") else repr(o)


def input_sha256(path: str) -> str | None:
    from gait.video.reader import file_sha256

    try:
        return file_sha256(path)
    except OSError:
        return None


def read_json(path: Path) -> dict | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def record_matches(rec: dict | None, task: ClipTask, sha: str | None) -> bool:
    return bool(rec) and rec.get("options_key") == task.options_key and sha is not None \
        and rec.get("input_sha256") == sha


def load_done(task: ClipTask, sha: str | None):
    """The clip's Result if result.json parses and was made from this very content with these options."""
    from gait.result import Result

    d = Path(task.clip_dir)
    rec = read_json(d / RECORD)
    if not record_matches(rec, task, sha):
        return None
    if task.write_report and rec.get("report") is False:  # done with --no-report; now a report is wanted
        return None
    try:
        return Result.from_json((d / RESULT).read_text(encoding="utf-8"))
    except Exception:  # missing, half-written by a foreign tool, or an older schema: redo it
        return None


def is_done(task: ClipTask, sha: str | None) -> bool:
    return load_done(task, sha) is not None


def _write_json(path: Path, data: dict) -> None:
    from gait.atomic import write_text_atomic as write_json_atomic

    write_json_atomic(path, json.dumps(data, indent=1, sort_keys=True, default=_jsonable))


def _record(task: ClipTask, sha: str | None) -> dict:
    return {"clip_id": task.clip_id, "path": task.path, "input_sha256": sha, "options_key": task.options_key,
            "options": task.options}


def write_error(task: ClipTask, message: str, exit_code: int, detail: str | None = None,
                sha: str | None = None) -> None:
    """error.json: the one-sentence message and documented exit code (+ traceback for internal errors)."""
    data = {**_record(task, sha or input_sha256(task.path)), "error": message, "exit_code": exit_code}
    if detail:
        data["traceback"] = detail
    _write_json(Path(task.clip_dir) / ERROR, data)


def _default_analyze(path: str, **options):
    from gait.pipeline import analyze

    return analyze(path, **options)


def reset_global_rng() -> None:
    """Give every clip the random state of a fresh process.

    OpenCV's global RNG (used e.g. by cv2.grabCut and k-means) keeps advancing across
    clips analysed in one worker process, so without this a clip's numbers would
    depend on which clips that worker ran before it, i.e. on the worker count.
    Seed 0 is OpenCV's start-up state, so batch results equal ``gait analyze`` ones.
    """
    try:
        import cv2
    except ImportError:  # pragma: no cover - cv2 comes with mediapipe
        return
    cv2.setRNGSeed(0)


def run_clip(task: ClipTask, analyze_fn: AnalyzeFn | None = None) -> ClipOutcome:
    """Analyse one clip and write its folder. Errors become error.json, never an exception.

    KeyboardInterrupt/SystemExit are not caught: an interrupted batch is not a failed clip.
    """
    t0 = time.perf_counter()
    d = Path(task.clip_dir)
    d.mkdir(parents=True, exist_ok=True)
    for name in (RESULT, RECORD, ERROR):  # step 1: nothing stale may pass for this run's output
        (d / name).unlink(missing_ok=True)
    sha = input_sha256(task.path)  # hashed before analysing: the record names the content that was read
    reset_global_rng()
    try:
        # Library warnings (numpy "mean of empty slice"...) from N workers would shred the progress bar;
        # they are kept in batch.json instead.
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("default")
            result = (analyze_fn or _default_analyze)(task.path, **task.options)
            text = result.to_json()
    except GaitError as err:
        return _failed(task, t0, str(err), err.exit_code, sha=sha)
    except Exception as err:  # a bug, not the user's input: keep the traceback for the bug report
        return _failed(task, t0, f"Unexpected internal error ({type(err).__name__}: {err}); please report it.",
                       CRASH_EXIT_CODE, traceback.format_exc(), sha)
    note = _write_report(result, d) if task.write_report else None
    rec = {**_record(task, sha), "report": task.write_report, **({"report_error": note} if note else {})}
    if caught:
        rec["python_warnings"] = sorted({f"{w.category.__name__}: {w.message} ({Path(w.filename).name}:{w.lineno})"
                                         for w in caught})
    try:
        _write_json(d / RECORD, rec)
        from gait.atomic import write_text_atomic as write_json_atomic

        write_json_atomic(d / RESULT, text)  # last: its presence (with batch.json) marks the clip done
    except OSError as err:  # disk full, permissions: this clip failed, the batch goes on
        (d / RECORD).unlink(missing_ok=True)
        return _failed(task, t0, f"Could not write the results to {d} ({err}).", CRASH_EXIT_CODE, sha=sha)
    return ClipOutcome(task.clip_id, "ok", time.perf_counter() - t0, note=note)


def _failed(task: ClipTask, t0: float, message: str, exit_code: int, detail: str | None = None,
            sha: str | None = None) -> ClipOutcome:
    write_error(task, message, exit_code, detail, sha)
    return ClipOutcome(task.clip_id, "failed", time.perf_counter() - t0, message, exit_code)


def _write_report(result, clip_dir: Path) -> str | None:
    """HTML/CSV report when gait.report offers one; a report bug must not lose the measured result."""
    try:
        from gait.report import write_outputs
    except ImportError:
        return None
    try:
        write_outputs(result, clip_dir, overlay=False)
    except Exception as err:
        return f"report not written ({type(err).__name__}: {err})"
    return None
