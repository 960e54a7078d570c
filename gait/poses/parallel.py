"""Both cores for one clip: the clip cut in chunks, each estimated (and consumed) in its own process.

The parent estimates the first chunk itself while a worker process does the next; a
later chunk starts a few frames early so MediaPipe's tracker enters it already on the
runner, and those frames are dropped. The chunks' detections are joined in frame order
and the runner is followed through the whole clip (gait.poses.estimator.assemble).

A worker is ``python -m gait.poses.worker``, not a multiprocessing child: a script or
notebook that calls ``gait.analyze`` needs no ``if __name__ == "__main__"`` guard. It
reads its job (pickled) on stdin, reports progress on stdout, leaves its chunk in a file,
dies with the parent (gait.procs) and leaves Ctrl-C to it.
"""
from __future__ import annotations

import os
import pickle
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from typing import Callable

from gait.poses.estimator import Chunk, run_chunk

WARMUP_FRAMES = 15  # frames a later chunk runs before its start, so the tracker is on the runner at the cut
MIN_CHUNK_FRAMES = 240  # a shorter chunk does not repay starting a process (~1 s to import MediaPipe)


@dataclass(frozen=True)
class ChunkJob:
    """Everything a worker needs (picklable)."""

    index: int
    path: str
    model_path: str
    num_poses: int
    start: int
    stop: int | None
    build_consumers: Callable[[int], list]  # chunk index -> its frame consumers
    soles: bool = False  # foot soles from the person masks (gait.poses.feet)


def chunk_bounds(n_frames: int, workers: int) -> list[tuple[int, int | None]]:
    """[start, stop) per chunk; the last runs to the end of the clip (the header's count may be short)."""
    k = max(1, min(workers, n_frames // MIN_CHUNK_FRAMES))
    cuts = [round(i * n_frames / k) for i in range(k + 1)]
    return [(cuts[i], cuts[i + 1] if i + 1 < k else None) for i in range(k)]


def run_job(job: ChunkJob, progress=None) -> Chunk:
    return run_chunk(job.path, job.model_path, job.num_poses, job.start, job.stop, job.build_consumers(job.index),
                     progress=progress, warmup=WARMUP_FRAMES if job.start > 0 else 0, soles=job.soles)


class Worker:
    """One ``python -m gait.poses.worker`` process; started before its job is known (MediaPipe's import
    then overlaps the parent's precheck), given one job by ``send``; ``frames`` counts its progress."""

    def __init__(self, index: int, folder: str):
        self.out_path = os.path.join(folder, f"chunk{index}.pickle")
        self.frames = 0
        self._stderr = open(os.path.join(folder, f"chunk{index}.stderr"), "w+b")  # a pipe could fill and block
        self.proc = subprocess.Popen([sys.executable, "-m", "gait.poses.worker", str(os.getpid()), self.out_path],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._stderr)
        self._reader = threading.Thread(target=self._read, daemon=True)

    def send(self, job: ChunkJob) -> None:
        self.proc.stdin.write(pickle.dumps(job))
        self.proc.stdin.close()
        self._reader.start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            if line.startswith(b"progress "):
                self.frames = int(line.split()[1])

    def result(self) -> Chunk:
        self.proc.wait()
        self._stderr.seek(0)
        err = self._stderr.read().decode(errors="replace")
        self._stderr.close()
        self._reader.join(timeout=5)
        if not os.path.exists(self.out_path):
            raise RuntimeError(f"a pose-estimation worker ended without its results: {err.strip()[-300:]}")
        with open(self.out_path, "rb") as fh:
            kind, payload = pickle.load(fh)
        if kind == "error":
            raise payload
        return payload

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        if self._reader.is_alive():
            self._reader.join(timeout=5)
        for f in (self._stderr, self.proc.stdout, self.proc.stdin):
            if f is not None and not f.closed:
                f.close()


class WorkerPool:
    """Context manager: ``size`` worker processes started now, for the chunks after the first.

    Those the clip turns out not to need (a short clip, one chunk) are killed on exit, as are all on error.
    """

    def __init__(self, size: int):
        self._dir = tempfile.TemporaryDirectory(prefix="gait-chunks-")
        self.workers = [Worker(k + 1, self._dir.name) for k in range(max(0, size))]

    def __enter__(self) -> "WorkerPool":
        return self

    def __exit__(self, *exc) -> None:
        for w in self.workers:
            w.kill()
        self._dir.cleanup()


def run_chunks(jobs: list[ChunkJob], progress: Callable[[int], None] | None = None,
               pool: WorkerPool | None = None) -> list[Chunk]:
    """Chunk 0 here, the others in worker processes (``pool``'s, whose owner closes it, or started now);
    the chunks in order. ``progress(frames done)``."""
    if len(jobs) == 1:
        return [run_job(jobs[0], progress)]
    if pool is None:
        with WorkerPool(len(jobs) - 1) as own:
            return run_chunks(jobs, progress, own)
    if len(pool.workers) < len(jobs) - 1:
        raise ValueError(f"{len(jobs) - 1} chunks for {len(pool.workers)} worker processes")
    workers = pool.workers[:len(jobs) - 1]
    for w, j in zip(workers, jobs[1:]):
        w.send(j)
    mine = (lambda n: progress(n + sum(w.frames for w in workers))) if progress else None
    first = run_job(jobs[0], mine)
    return [first] + [w.result() for w in workers]
