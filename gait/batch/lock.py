"""One batch at a time per output folder, and no worker of a killed batch left writing into it.

A second ``gait batch`` on the same DIR would redo and overwrite the first one's clips.
The lock names the batch process (pid + start time, so a reused pid is not taken
for it) and each worker registers itself in a folder beside it. A lock whose batch
is gone is taken over; any of its workers still running (they should have died
with it, see gait.procs) are killed first, so the re-run never races them on a clip.
"""
from __future__ import annotations

import json
import os
import shutil
import socket
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from gait.atomic import write_text_atomic
from gait.errors import UsageError
from gait.procs import is_running, kill_and_wait, start_time

LOCK = ".gait-batch.lock"
WORKERS = ".gait-batch.workers"  # one <pid>.json per worker process of the batch holding the lock


@dataclass(frozen=True)
class BatchClaim:
    """What the lock holder hands its workers: where each registers itself."""

    workers_dir: Path


def _holder(path: Path) -> dict | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _holder_alive(other: dict, host: str) -> bool:
    if other.get("host") != host:
        return True  # another machine's process cannot be checked: assume it is running
    return is_running(int(other.get("pid", 0) or 0), other.get("started"))


def register_worker(workers_dir: str | os.PathLike) -> None:
    """Called in each worker process: record pid + start time, so a re-run can find it if it outlives the batch."""
    pid = os.getpid()
    write_text_atomic(Path(workers_dir) / f"{pid}.json", json.dumps({"pid": pid, "started": start_time(pid)}))


def stop_stale_workers(workers_dir: Path) -> None:
    """Kill the workers a dead batch left behind (only the very processes recorded)."""
    for rec_path in sorted(workers_dir.glob("*.json")):
        rec = _holder(rec_path) or {}
        pid = int(rec.get("pid", 0) or 0)
        if pid and not kill_and_wait(pid, rec.get("started")):
            raise UsageError(f"A worker (pid {pid}) of an earlier gait batch is still writing to "
                             f"{workers_dir.parent} and could not be stopped; stop it or use another --out folder.")
        rec_path.unlink(missing_ok=True)


@contextmanager
def batch_lock(out: Path) -> Iterator[BatchClaim]:
    path, workers = out / LOCK, out / WORKERS
    me = {"pid": os.getpid(), "host": socket.gethostname(), "started": start_time(os.getpid())}
    for _ in range(2):
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            other = _holder(path)
            if other and _holder_alive(other, me["host"]):
                raise UsageError(f"Another gait batch (pid {other.get('pid')} on {other.get('host')}) is writing "
                                 f"to {out}; wait for it or use another --out folder.") from None
            stop_stale_workers(workers)  # the batch was killed: its workers must not race ours
            path.unlink(missing_ok=True)
            continue
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(me, fh)
        break
    else:
        raise UsageError(f"Could not lock {out} for this batch; remove {path} if no batch is running.")
    try:
        stop_stale_workers(workers)  # a lock removed by hand may have left workers too
        workers.mkdir(exist_ok=True)
        yield BatchClaim(workers)
    finally:
        shutil.rmtree(workers, ignore_errors=True)
        path.unlink(missing_ok=True)
