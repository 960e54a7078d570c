"""Atomic file writes: write to a temp file beside the target, then rename.

Readers (batch resume, the web app, the landmark cache) must never see half a file,
even when a process is killed mid-write.

Files get the permissions of any other file the tool writes (0666 minus the umask,
usually 0644): ``tempfile.mkstemp`` would make them 0600, so result.json and
report.html beside it would differ for no reason. Privacy comes from the folder
(the web app keeps its data folder 0700), not from per-file modes.
"""
from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Callable

_FILE_MODE = 0o666  # before the umask, as open() uses
_NAME_TRIES = 16  # random temp names collide only if something else is writing the same ones


def _create_temp(folder: Path, name: str) -> Path:
    for _ in range(_NAME_TRIES):
        tmp = folder / f".{name}.{secrets.token_hex(4)}.tmp"
        try:
            os.close(os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, _FILE_MODE))
        except FileExistsError:
            continue
        return tmp
    raise FileExistsError(f"could not create a temporary file for {name} in {folder}")


def write_via_temp(path: str | os.PathLike, write: Callable[[str], object]) -> Path:
    """Call ``write(tmp_path)`` on a temp file in the target's folder, then rename it over ``path``."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = _create_temp(target.parent, target.name)
    try:
        write(str(tmp))
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return target


def write_text_atomic(path: str | os.PathLike, text: str) -> Path:
    return write_via_temp(path, lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))


def write_bytes_atomic(path: str | os.PathLike, data: bytes) -> Path:
    return write_via_temp(path, lambda tmp: Path(tmp).write_bytes(data))
