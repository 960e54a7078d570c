"""One batch at a time per output folder: a second ``gait batch`` on the same DIR would redo and
overwrite the first one's clips. A lock left by a killed batch (its process is gone) is taken over."""
from __future__ import annotations

import json
import os
import socket
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from gait.errors import UsageError

LOCK = ".gait-batch.lock"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # signal 0: existence check only
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return True


def _holder(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


@contextmanager
def batch_lock(out: Path) -> Iterator[None]:
    path = out / LOCK
    me = {"pid": os.getpid(), "host": socket.gethostname()}
    for _ in range(2):
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            other = _holder(path)
            if other and (other.get("host") != me["host"] or _alive(int(other.get("pid", 0)))):
                raise UsageError(f"Another gait batch (pid {other.get('pid')} on {other.get('host')}) is writing "
                                 f"to {out}; wait for it or use another --out folder.") from None
            path.unlink(missing_ok=True)  # stale: its batch was killed
            continue
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(me, fh)
        break
    else:
        raise UsageError(f"Could not lock {out} for this batch; remove {path} if no batch is running.")
    try:
        yield
    finally:
        path.unlink(missing_ok=True)
