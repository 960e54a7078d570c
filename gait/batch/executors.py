"""Run ClipTasks on a local process pool or on a Dask cluster; report each outcome as it lands.

Both call ``on_done(ClipOutcome)`` in the parent, in completion order (the tables
do not depend on that order). Neither raises for a failing clip: ``run_clip``
turns errors into outcomes, and a worker process that dies (native crash, out of
memory) is retried alone, so the culprit is pinned and the rest carry on.
"""
from __future__ import annotations

import multiprocessing
import os
import signal
from collections import deque
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Callable, Sequence

from gait.batch.worker import (
    CRASH_EXIT_CODE,
    AnalyzeFn,
    ClipOutcome,
    ClipTask,
    run_clip,
    write_error,
)
from gait.errors import UsageError

OnDone = Callable[[ClipOutcome], None]


def _worker_init(parent_pid: int, workers_dir: str | None) -> None:
    from gait.procs import die_with_parent

    die_with_parent(parent_pid)  # a SIGKILLed batch must not leave workers finishing clips nobody records
    # Ctrl-C goes to the whole process group; only the parent should handle it (it stops the workers).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if workers_dir:
        from gait.batch.lock import register_worker

        register_worker(workers_dir)


def _crashed(task: ClipTask, why: str) -> ClipOutcome:
    msg = f"The worker process analysing this clip died ({why}); it may have run out of memory."
    write_error(task, msg, CRASH_EXIT_CODE)
    return ClipOutcome(task.clip_id, "failed", 0.0, msg, CRASH_EXIT_CODE)


def run_local(tasks: Sequence[ClipTask], workers: int, analyze_fn: AnalyzeFn | None, on_done: OnDone,
              workers_dir: str | os.PathLike | None = None) -> None:
    """``workers_dir``: where each worker process registers itself (gait.batch.lock), if anywhere."""
    rest = list(tasks)
    init = (os.getpid(), str(workers_dir) if workers_dir else None)
    while rest:
        hit, rest = _pool_pass(rest, workers, analyze_fn, on_done, init)
        for task in hit:  # which of the in-flight clips killed the pool is unknown: retry each alone
            again, _ = _pool_pass([task], 1, analyze_fn, on_done, init)
            if again:
                on_done(_crashed(task, "twice, the second time alone"))


def _pool_pass(tasks: list[ClipTask], workers: int, analyze_fn: AnalyzeFn | None, on_done: OnDone,
               init: tuple) -> tuple[list[ClipTask], list[ClipTask]]:
    """Run tasks with at most ``workers`` in flight -> (tasks in flight when the pool broke, tasks not started).

    Submitting only as many as there are workers keeps a crash's blast radius to
    the clips actually running, and makes Ctrl-C stop within one clip.
    """
    queue = deque(tasks)
    running: dict = {}
    # spawn, not fork: the parent holds threads (tqdm, Dask) and forking those is unsafe; MediaPipe too.
    ex = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                             initializer=_worker_init, initargs=init)
    try:
        while queue or running:
            while queue and len(running) < workers:
                task = queue.popleft()
                running[ex.submit(run_clip, task, analyze_fn)] = task
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            broken = False
            for fut in done:
                task = running.pop(fut)
                try:
                    on_done(fut.result())
                except BrokenProcessPool:
                    broken = True
                    running[fut] = task  # keep it with the other in-flight clips
                except Exception as err:  # e.g. its error.json could not be written either: still only this clip
                    on_done(ClipOutcome(task.clip_id, "failed", 0.0, f"{type(err).__name__}: {err}",
                                        CRASH_EXIT_CODE))
            if broken:
                return list(running.values()), list(queue)
        return [], []
    except BaseException:  # KeyboardInterrupt or a bug in on_done: stop the workers we started, now
        _terminate(ex)
        raise
    finally:
        ex.shutdown(wait=True, cancel_futures=True)


def _terminate(ex: ProcessPoolExecutor) -> None:
    procs = list((getattr(ex, "_processes", None) or {}).values())  # no public API before Python 3.14
    for p in procs:
        if p.is_alive():
            p.terminate()
    for p in procs:
        p.join(timeout=5)


def run_dask(tasks: Sequence[ClipTask], address: str, analyze_fn: AnalyzeFn | None, on_done: OnDone) -> None:
    """Same tasks on an existing Dask cluster; its workers must see the input and output folders."""
    try:
        from dask.distributed import Client, as_completed
    except ImportError:
        raise UsageError("--scheduler needs Dask: pip install 'dask[distributed]'.") from None
    try:
        client = Client(address, timeout="15s")
    except (OSError, TimeoutError, ValueError) as err:
        raise UsageError(f"Could not connect to the Dask scheduler at {address} ({err}).") from None
    futures = []
    try:
        futures = client.map(run_clip, list(tasks), analyze_fn=analyze_fn, pure=False)
        by_key = {f.key: t for f, t in zip(futures, tasks)}
        for fut in as_completed(futures):
            try:
                on_done(fut.result())
            except Exception as err:  # KilledWorker, a lost worker: the clip failed, the batch goes on
                on_done(_crashed(by_key[fut.key], f"{type(err).__name__}: {err}"))
    except BaseException:
        client.cancel(futures)
        raise
    finally:
        client.close()
