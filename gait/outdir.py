"""Output folders: prove one can be written before any work starts, and say what is kept when writing fails.

Both turn an ``OSError`` into ``OutputNotWritable`` (exit 11): one sentence naming
the folder and the reason, never a traceback.
"""
from __future__ import annotations

import errno
import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from gait.atomic import write_bytes_atomic
from gait.errors import OutputNotWritable

_REASONS = {errno.EACCES: "permission denied", errno.EPERM: "permission denied",
            errno.EROFS: "it is on a read-only filesystem", errno.ENOSPC: "the disk is full",
            errno.EDQUOT: "the disk quota is used up", errno.ENOTDIR: "part of that path is a file, not a folder",
            errno.EEXIST: "a file of that name is in the way", errno.EISDIR: "a folder of that name is in the way",
            errno.ENAMETOOLONG: "the path is too long"}
_PROBE = ".gait-write-check"  # written and removed at once: mkdir alone succeeds on an existing read-only folder


def reason(err: OSError) -> str:
    """A few words for why a write failed, without the errno noise."""
    return _REASONS.get(err.errno or 0) or (err.strerror or type(err).__name__).lower()


def check_writable(folder: str | os.PathLike, *, option: str = "--out", mode: int = 0o777) -> Path:
    """Create ``folder`` (and parents; ``mode`` for the folder itself, before the umask) and write a probe
    file in it; raise OutputNotWritable if that fails."""
    path = Path(folder)
    try:
        if path.exists() and not path.is_dir():
            raise OutputNotWritable(f"Cannot write to {path}: it is a file, not a folder; choose another {option} "
                                    f"folder.")
        try:
            path.mkdir(parents=True, mode=mode)
        except FileExistsError:
            if not path.is_dir():
                raise
        probe = write_bytes_atomic(path / _PROBE, b"")
        probe.unlink()
    except OSError as err:
        raise OutputNotWritable(f"Cannot write to {path}: {reason(err)}; choose another {option} folder.") from None
    return path


@contextmanager
def output_folder(folder: str | os.PathLike, *, option: str = "--out") -> Iterator[Path]:
    """``check_writable``, and if the work inside fails before writing anything, remove the folders it made:
    a refused input (not a video, too short) must not leave an empty ``<clip>_gait/`` behind."""
    path = Path(folder)
    made = [p for p in (path, *path.parents) if not p.exists()]  # deepest first
    check_writable(path, option=option)
    try:
        yield path
    except BaseException:
        for d in made:
            try:
                d.rmdir()  # only if empty: anything written (a partial result.json) stays
            except OSError:
                break
        raise


def write_failed(folder: str | os.PathLike, err: OSError, kept: str) -> OutputNotWritable:
    """The error for a write that failed after the work was done; ``kept`` says where that work still is."""
    return OutputNotWritable(f"Could not write the results to {folder} ({reason(err)}); {kept}.")
