"""Entry point of a pose-estimation worker process: ``python -m gait.poses.worker PARENT_PID OUT_FILE``.

Started before its job is known, it imports MediaPipe, then reads a pickled
gait.poses.parallel.ChunkJob on stdin, prints ``progress N`` lines on
stdout, and leaves ``("done", Chunk)`` or ``("error", exception)`` pickled in OUT_FILE.
"""
from __future__ import annotations

import os
import pickle
import signal
import sys


def main() -> int:
    from gait.procs import die_with_parent

    parent_pid, out_path = int(sys.argv[1]), sys.argv[2]
    die_with_parent(parent_pid)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    from gait.poses.parallel import run_job
    from gait.quiet import native_stderr_silenced

    with native_stderr_silenced():
        from mediapipe.tasks.python import vision  # noqa: F401 - imported while the parent's precheck runs
    job = pickle.loads(sys.stdin.buffer.read())

    def progress(n: int) -> None:
        sys.stdout.write(f"progress {n}\n")
        sys.stdout.flush()

    try:
        outcome = ("done", run_job(job, progress))
    except Exception as err:  # noqa: BLE001 - handed to the parent, which raises it
        outcome = ("error", err)
    tmp = out_path + ".tmp"
    with open(tmp, "wb") as fh:
        pickle.dump(outcome, fh)
    os.replace(tmp, out_path)  # the parent never reads half a chunk
    return 0


if __name__ == "__main__":
    sys.exit(main())
