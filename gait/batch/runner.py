"""``run_batch``: many clips -> one folder per clip + summary/strides tables, resumably.

Plan (parent process): collect clips -> per-clip options and their fingerprint ->
skip clips whose result is already on disk for the same input bytes and options ->
run the rest (local process pool or Dask) with a progress bar -> rebuild the tables
from disk -> append this run's timings to run_log.json.
"""
from __future__ import annotations

import json
import os
import platform
import sys
import time
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path

from gait.batch.executors import run_dask, run_local
from gait.batch.inputs import ClipSpec, Inputs, collect_clips
from gait.batch.lock import BatchClaim, batch_lock
from gait.batch.tables import (
    STATUS,
    STRIDE_FIELDS,
    SUMMARY_FIELDS,
    Tables,
    write_tables,
)
from gait.batch.worker import (
    AnalyzeFn,
    ClipOutcome,
    ClipTask,
    input_sha256,
    is_done,
    options_key,
    read_json,
)
from gait.errors import UsageError
from gait.outdir import check_writable, write_failed

RUN_LOG = "run_log.json"


@dataclass(frozen=True)
class BatchReport:
    """What a batch did. ``ok``/``failed`` count clips analysed in this run; ``skipped`` were done before."""

    out_dir: Path
    total: int
    ok: int
    failed: int
    skipped: int
    seconds: float
    summary_csv: Path
    strides_csv: Path
    summary_parquet: Path | None
    strides_parquet: Path | None
    run_log: Path
    failed_ids: list[str] = field(default_factory=list)  # every clip whose row says failed, sorted

    def closing_line(self) -> str:
        return (f"{self.total} clip{'s' if self.total != 1 else ''}: {self.ok} ok, {self.failed} failed, "
                f"{self.skipped} skipped (done in an earlier run).")


def run_batch(inputs: Inputs, out_dir: str | os.PathLike, *, workers: int | None = None,
              scheduler: str | None = None, options: dict | None = None, analyze_fn: AnalyzeFn | None = None,
              progress: bool = True, write_report: bool = True) -> BatchReport:
    """Analyse every clip in ``inputs`` (folder, glob, manifest CSV or list of files) into ``out_dir``.

    ``options`` are ``gait.pipeline.analyze`` options for every clip (a manifest row may
    override view, belt speed and height). ``analyze_fn(path, **options) -> Result``
    replaces gait.pipeline.analyze (tests, custom pipelines); it must be picklable (a
    module-level function) for the process pool and Dask. Raises a GaitError for
    bad inputs or options before any clip runs; a failing clip never raises.

    The local pool starts workers with "spawn" (safe with MediaPipe and threads), so
    a script calling run_batch needs the usual ``if __name__ == "__main__":`` guard.
    On Ctrl-C the workers are stopped, the tables are written with the unfinished
    clips as "pending", and KeyboardInterrupt is re-raised; re-running resumes.
    """
    t0 = time.perf_counter()
    started = datetime.now(timezone.utc)
    if workers is not None and workers < 1:
        raise UsageError(f"--workers must be at least 1, not {workers}.")
    if workers is not None and scheduler:
        raise UsageError("--workers sets the local pool; with --scheduler the Dask cluster's workers run the clips.")
    out = Path(out_dir).expanduser().resolve()
    specs, passthrough = collect_clips(inputs, exclude=out)
    _check_passthrough(passthrough)
    base = dict(options or {})
    model_sha = _preflight_model(base) if analyze_fn is None else None
    tasks = {s.clip_id: make_task(s, base, out, model_sha, write_report) for s in specs}
    check_writable(out)
    plan = _Plan(out, specs, tasks, passthrough, base, workers, scheduler, analyze_fn, progress, t0, started)
    try:
        with batch_lock(out) as claim:
            return _execute(plan, claim)
    except OSError as err:  # e.g. the disk filled up while writing the tables
        raise write_failed(out, err, "every clip folder finished so far is kept there; run the same command again "
                                     "to resume") from None


@dataclass(frozen=True)
class _Plan:
    """A checked batch, ready to run (inputs collected, options validated, output folder made)."""

    out: Path
    specs: list[ClipSpec]
    tasks: dict[str, ClipTask]
    passthrough: list[str]
    options: dict
    workers: int | None
    scheduler: str | None
    analyze_fn: AnalyzeFn | None
    progress: bool
    t0: float
    started: datetime


def _execute(plan: _Plan, claim: BatchClaim) -> BatchReport:
    out, specs, tasks, t0 = plan.out, plan.specs, plan.tasks, plan.t0
    shas = {cid: input_sha256(t.path) for cid, t in tasks.items() if (Path(t.clip_dir) / "result.json").exists()}
    skipped = {cid for cid, sha in shas.items() if is_done(tasks[cid], sha)}
    todo = [t for cid, t in tasks.items() if cid not in skipped]
    outcomes: dict[str, ClipOutcome] = {}
    n_workers = min(plan.workers or usable_cores(), max(len(todo), 1))
    todo = [_with_inner_workers(t, n_workers, bool(plan.scheduler)) for t in todo]
    bar = _progress_bar(len(specs), len(skipped), enabled=plan.progress)
    counts = {"ok": 0, "failed": 0}

    def on_done(o: ClipOutcome) -> None:
        outcomes[o.clip_id] = o
        counts[o.status] += 1
        bar.update(1)
        bar.set_postfix(counts, refresh=False)

    def finish(interrupted: bool) -> tuple[Tables, Path]:
        bar.close()
        tables = write_tables(out, specs, tasks, shas, set(outcomes), plan.passthrough)
        return tables, _append_run_log(out, _run_entry(plan, skipped, outcomes, n_workers, interrupted, tables))

    try:
        if todo and plan.scheduler:
            run_dask(todo, plan.scheduler, plan.analyze_fn, on_done)
        elif todo:
            run_local(todo, n_workers, plan.analyze_fn, on_done, claim.workers_dir)
    except KeyboardInterrupt:
        # The tables still show what is finished (the rest as pending); the log says it was interrupted.
        finish(interrupted=True)
        if plan.progress:
            print(f"Stopped: {counts['ok'] + len(skipped)} finished clip(s) are kept in {out}; run the same "
                  f"command again to resume.", file=sys.stderr)
        raise
    finally:
        bar.close()
    tables, log = finish(interrupted=False)
    failed_ids = sorted(cid for cid, o in outcomes.items() if o.status == "failed")
    return BatchReport(out, len(specs), sum(o.status == "ok" for o in outcomes.values()), len(failed_ids),
                       len(skipped), round(time.perf_counter() - t0, 3), tables.summary_csv, tables.strides_csv,
                       tables.summary_parquet, tables.strides_parquet, log, failed_ids)


def usable_cores() -> int:
    """Cores this process may run on (CPU affinity / container limits), not the machine's total."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # macOS, Windows
        return os.cpu_count() or 1


def make_task(spec: ClipSpec, base: dict, out: Path, model_sha: str | None, write_report: bool) -> ClipTask:
    """The clip's full options (batch options, then its manifest overrides), checked before anything runs."""
    opts = {**base, **spec.options}
    try:
        from gait.pipeline import Options

        Options(**opts).validate()
    except TypeError as err:
        raise UsageError(f"Unknown analysis option for {spec.clip_id}: {err}.") from None
    except UsageError as err:
        if not spec.options:
            raise
        raise UsageError(f"{spec.source}: {err}") from None
    return ClipTask(spec.clip_id, spec.path, str(out / spec.clip_id), opts, options_key(opts, model_sha),
                    write_report)


def _preflight_model(options: dict) -> str | None:
    """Resolve the pose model once: a missing model is one error (exit 8), not N failed clips, and its
    sha256 joins the fingerprint, so swapping the model file redoes the batch."""
    from gait.poses.models import resolve_model

    return resolve_model(options.get("model", "full"), options.get("model_path")).sha256


def _check_passthrough(columns: list[str]) -> None:
    taken = set(STATUS) | set(SUMMARY_FIELDS) | set(STRIDE_FIELDS) | {"clip_id", "stride"}
    clash = [c for c in columns if c in taken]
    if clash:
        raise UsageError(f"Manifest column(s) {', '.join(clash)} would overwrite output columns of the same name; "
                         f"rename them (e.g. injured_side for side).")


class _NoBar:
    def update(self, n: int = 1) -> None: ...
    def set_postfix(self, *a, **kw) -> None: ...
    def close(self) -> None: ...


def _progress_bar(total: int, done: int, *, enabled: bool):
    if not enabled:
        return _NoBar()
    from tqdm import tqdm

    # initial=done: the ETA is computed from this run's pace only, not the skipped clips.
    return tqdm(total=total, initial=done, unit="clip", desc="gait batch", file=sys.stderr, dynamic_ncols=True,
                mininterval=0.5 if sys.stderr.isatty() else 30.0)


def _with_inner_workers(task: ClipTask, clip_workers: int, cluster: bool) -> ClipTask:
    """Clips side by side already use the cores: each clip's own pose estimation then stays in one process."""
    inner = 1 if cluster or clip_workers > 1 else None  # None: one per core
    return replace(task, options={**task.options, "pose_workers": inner})


def _run_entry(plan: _Plan, skipped: set[str], outcomes: dict[str, ClipOutcome], workers: int, interrupted: bool,
               tables: Tables) -> dict:
    from gait import __version__

    t0, scheduler = plan.t0, plan.scheduler
    clips = {cid: {"status": o.status, "seconds": round(o.seconds, 3), **({"note": o.note} if o.note else {})}
             for cid, o in sorted(outcomes.items())}
    return {"started_utc": plan.started.isoformat(timespec="seconds"),
            "finished_utc": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "seconds": round(time.perf_counter() - t0, 3), "interrupted": interrupted,
            "executor": f"dask {scheduler}" if scheduler else f"local processes x{workers}",
            "clips": len(plan.specs), "ok": sum(o.status == "ok" for o in outcomes.values()),
            "failed": sum(o.status == "failed" for o in outcomes.values()), "skipped": len(skipped),
            "pending": tables.counts["pending"],
            "clips_per_minute": round(60 * len(outcomes) / max(time.perf_counter() - t0, 1e-9), 3),
            "options": {k: v for k, v in plan.options.items() if k != "symptoms"}, "gait_version": __version__,
            "python": platform.python_version(), "per_clip": clips}


def _append_run_log(out: Path, entry: dict) -> Path:
    """run_log.json keeps every run of this output folder (a resumed batch shows each attempt)."""
    from gait.atomic import write_text_atomic as write_json_atomic

    path = out / RUN_LOG
    runs = (read_json(path) or {}).get("runs", [])
    write_json_atomic(path, json.dumps({"runs": [*runs, entry]}, indent=1, default=str))
    return path
