"""Background analyses: a job table, worker processes, progress through a file.

Each job lives in ``<data>/jobs/<id>/`` (generated id; the client's file name is
never a path): ``input.<ext>``, ``job.json`` (state, written by the server),
``progress.json`` (written by the worker) and ``out/`` (result.json, report,
overlay). Each dispatcher thread owns a one-process pool, so a decoder crash on
one upload only fails that job; the pool is rebuilt for the next one.
"""
from __future__ import annotations

import json
import logging
import multiprocessing
import os
import queue
import re
import threading
import uuid
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any, Callable

from gait.web.db import Database, utc_now
from gait.web.worker import (
    OUTCOME,
    Outcome,
    WorkerSpec,
    read_outcome,
    run_job,
    worker_init,
    write_json,
)

log = logging.getLogger("gait.web")

JOB_ID = re.compile(r"^[0-9a-f]{32}$")
STAGE_LABELS = {"queued": "Waiting for a free worker", "poses": "Finding the runner's pose in each frame",
                "events": "Detecting foot strikes and toe-offs", "metrics": "Measuring cadence and stride",
                "pelvis": "Measuring pelvic drop", "findings": "Checking findings", "done": "Writing the report",
                "report": "Writing the report and overlay video",
                "interrupted": "Interrupted when the server stopped; it starts again when the server does"}
# A clip that brings the server down every time (e.g. out of memory) is not retried for ever.
MAX_ATTEMPTS = 3
UNFINISHED = ("queued", "running", "interrupted")


@dataclass
class Job:
    id: str
    created_at: str
    display_name: str  # client's file name, sanitised, for display only
    input_name: str  # generated file name inside the job folder
    options: dict[str, Any] = field(default_factory=dict)  # gait.pipeline.analyze keyword options (JSON-able)
    symptoms: dict[str, Any] | None = None  # gait.findings.symptoms.Symptoms fields
    athlete_id: int | None = None
    session_date: str = ""
    notes: str = ""
    status: str = "queued"  # queued | running | interrupted (the server stopped; queued again on start) | done | failed
    stage: str = "queued"
    progress: float = 0.0
    error: str | None = None  # one sentence, shown on the job's page
    warnings: list[str] = field(default_factory=list)
    files: dict[str, str] = field(default_factory=dict)  # kind -> path relative to out/
    headline: dict[str, Any] = field(default_factory=dict)
    assessment_id: int | None = None
    started_at: str | None = None
    finished_at: str | None = None
    attempts: int = 0  # analyses started; more than one when a server stop cut earlier ones off

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Job":
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in d.items() if k in names})


class QueueFull(Exception):
    pass


class JobManager:
    def __init__(self, root: Path, db: Database, *, analyze_fn: Callable | None = None,
                 report_fn: Callable | None = None, workers: int = 1, use_processes: bool = True,
                 max_queued: int = 20, job_timeout_s: float = 1800.0, overlay: bool = True):
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        self.db, self.analyze_fn, self.report_fn = db, analyze_fn, report_fn
        self.workers, self.use_processes, self.max_queued = max(1, workers), use_processes, max_queued
        self.job_timeout_s, self.overlay = job_timeout_s, overlay
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()
        self._queue: queue.Queue[str | None] = queue.Queue()
        self._threads: list[threading.Thread] = []
        self._pools: dict[int, ProcessPoolExecutor] = {}
        self._stopping = False
        self._recover()

    # table ------------------------------------------------------------------
    def new_job_dir(self) -> tuple[str, Path]:
        job_id = uuid.uuid4().hex
        d = self.root / job_id
        d.mkdir(parents=True)
        return job_id, d

    def job_dir(self, job_id: str) -> Path:
        if not JOB_ID.match(job_id):
            raise KeyError(job_id)
        return self.root / job_id

    def get(self, job_id: str) -> Job | None:
        if not JOB_ID.match(job_id or ""):
            return None
        with self._lock:
            if job_id in self._jobs:
                return self._jobs[job_id]
        p = self.root / job_id / "job.json"
        if not p.is_file():
            return None
        job = Job.from_dict(json.loads(p.read_text(encoding="utf-8")))
        with self._lock:
            return self._jobs.setdefault(job_id, job)

    def status(self, job_id: str) -> dict[str, Any] | None:
        job = self.get(job_id)
        if job is None:
            return None
        d = asdict(job)
        if job.status == "running":  # the worker's own file is fresher than our table
            try:
                d.update(json.loads((self.root / job_id / "progress.json").read_text(encoding="utf-8")))
            except (OSError, ValueError):
                pass
        if job.status == "done":
            d["progress"] = 1.0
        d["stage_label"] = {"done": "Finished", "failed": "Failed"}.get(job.status) or STAGE_LABELS.get(
            d["stage"], d["stage"])
        d["queue_position"] = self._position(job_id) if job.status == "queued" else None
        return d

    def _position(self, job_id: str) -> int:
        with self._lock:
            queued = sorted((j for j in self._jobs.values() if j.status == "queued"), key=lambda j: j.created_at)
        return next((i + 1 for i, j in enumerate(queued) if j.id == job_id), 0)

    def _save(self, job: Job) -> None:
        with self._lock:
            self._jobs[job.id] = job
            write_json(self.root / job.id / "job.json", asdict(job))

    def fail(self, job: Job, message: str) -> Job:
        """Record a job that cannot run (e.g. not a video) so its page explains why."""
        job.status, job.stage, job.error, job.finished_at = "failed", "failed", message, utc_now()
        self._save(job)
        return job

    def check_room(self) -> None:
        """Raise QueueFull when ``max_queued`` analyses are already waiting or running."""
        with self._lock:
            waiting = sum(1 for j in self._jobs.values() if j.status in UNFINISHED)
        if waiting >= self.max_queued:
            raise QueueFull(f"{waiting} analyses are already waiting; please try again in a few minutes.")

    def submit(self, job: Job) -> Job:
        self.check_room()
        job.status, job.stage = "queued", "queued"
        self._save(job)
        self._start()
        self._queue.put(job.id)
        return job

    def _recover(self) -> None:
        """Pick up what a stopped or killed server left: record finished work, queue the rest again."""
        again = []
        for p in self.root.glob("*/job.json"):
            try:
                job = Job.from_dict(json.loads(p.read_text(encoding="utf-8")))
            except (OSError, ValueError, TypeError):
                continue
            if job.status not in UNFINISHED:
                continue
            outcome = read_outcome(p.parent) if job.status != "queued" else None
            if outcome is not None:  # the worker finished; only the server's bookkeeping was cut off
                self._finish(job, outcome)
            elif not job.input_name or not (p.parent / job.input_name).is_file():
                self.fail(job, "The server restarted before this analysis finished and the upload is gone; "
                               "please upload the clip again.")
            elif job.attempts >= MAX_ATTEMPTS:
                self.fail(job, f"The server stopped {job.attempts} times while analysing this clip, so it was not "
                               f"tried again; try a shorter clip (10–30 s is enough).")
            else:
                again.append(job)
        for job in sorted(again, key=lambda j: j.created_at):  # upload order, as before the stop
            job.status, job.stage, job.progress = "queued", "queued", 0.0
            self._save(job)
            self._queue.put(job.id)
        if again:
            self._start()

    # workers ----------------------------------------------------------------
    def _start(self) -> None:
        with self._lock:
            if self._threads:
                return
            for i in range(self.workers):
                t = threading.Thread(target=self._loop, args=(i,), name=f"gait-job-{i}", daemon=True)
                t.start()
                self._threads.append(t)

    def _loop(self, slot: int) -> None:
        while (job_id := self._queue.get()) is not None and not self._stopping:
            job = self.get(job_id)
            if job is None or job.status != "queued":
                continue
            try:
                self._execute(slot, job)
            except Exception:  # the table must never die with one job
                log.exception("job %s", job_id)
                self.fail(job, "The analysis failed unexpectedly; see the server log.")

    def _execute(self, slot: int, job: Job) -> None:
        (self.root / job.id / OUTCOME).unlink(missing_ok=True)  # an earlier attempt's must not pass for this one
        job.status, job.stage, job.started_at = "running", "poses", utc_now()
        job.attempts += 1
        self._save(job)
        spec = WorkerSpec(job_dir=str(self.root / job.id), input_name=job.input_name,
                          display_name=job.display_name, options=job.options, symptoms=job.symptoms,
                          analyze_fn=self.analyze_fn, report_fn=self.report_fn, overlay=self.overlay)
        if not self.use_processes:
            outcome = run_job(spec)
        else:
            outcome = self._run_in_pool(slot, spec)
        if outcome is not None:
            self._finish(job, outcome)

    def _run_in_pool(self, slot: int, spec: WorkerSpec) -> Outcome | None:
        """The worker's outcome; None when the server is stopping (the job is recorded as interrupted)."""
        pool = self._pools.get(slot)
        if pool is None:
            # spawn, not fork: the server has threads, and forking them is unsafe. This thread feeds the
            # pool for its whole life, as the parent-death signal (gait.procs) needs.
            pool = self._pools[slot] = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"),
                                                           initializer=worker_init, initargs=(os.getpid(),))
        try:
            return pool.submit(run_job, spec).result(timeout=self.job_timeout_s)
        except BrokenProcessPool:
            self._drop_pool(slot)
            if self._stopping:  # shutdown() stopped the worker, not a damaged file
                return None
            return Outcome(False, f"The analysis process crashed on {spec.display_name} (the file may be damaged "
                                  "or use a codec this build cannot decode); other uploads are unaffected.")
        except FutureTimeout:
            self._drop_pool(slot, kill=True)
            return Outcome(False, f"The analysis took longer than {self.job_timeout_s / 60:g} minutes and was "
                                  "stopped; try a shorter clip (10–30 s is enough).")

    def _drop_pool(self, slot: int, kill: bool = False) -> None:
        pool = self._pools.pop(slot, None)
        if pool is None:
            return
        if kill:  # no public API stops a running task; kill its process so the slot is free again
            for proc in list(getattr(pool, "_processes", {}).values()):
                proc.kill()
        pool.shutdown(wait=False, cancel_futures=True)

    def _finish(self, job: Job, outcome: Outcome) -> None:
        if self._stopping:  # shutdown() recorded it as interrupted; the next start reads the worker's outcome.json
            return
        job.finished_at = utc_now()
        job.warnings = list(outcome.warnings)
        if not outcome.ok:
            job.status, job.stage, job.error = "failed", "failed", outcome.error
            self._save(job)
            return
        job.files, job.headline = dict(outcome.files), dict(outcome.headline)
        # Already there when a kill came between recording it and saving job.json.
        assessment = self.db.assessment_for_job(job.id) or self.db.add_assessment(
            job_id=job.id, athlete_id=job.athlete_id, session_date=job.session_date,
            result_path=str(self.root / job.id / "out" / "result.json"), video_name=job.display_name,
            view=job.headline.get("view"), metrics=job.headline, notes=job.notes)
        job.assessment_id = assessment.id
        job.status, job.stage, job.progress = "done", "done", 1.0
        self._save(job)

    def shutdown(self) -> int:
        """Stop the workers; running jobs are recorded as interrupted (queued again on the next start) -> how many."""
        with self._lock:
            self._stopping = True
            running = [j for j in self._jobs.values() if j.status == "running"]
        for job in running:
            job.status, job.stage = "interrupted", "interrupted"
            self._save(job)
        for _ in self._threads:
            self._queue.put(None)
        for slot in list(self._pools):
            self._drop_pool(slot, kill=True)
        self._threads.clear()
        return len(running)
