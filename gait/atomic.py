"""Atomic file writes: write to a temp file beside the target, then rename.

Readers (batch resume, the web app, the landmark cache) must never see half a file,
even when a process is killed mid-write.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Callable


def write_via_temp(path: str | os.PathLike, write: Callable[[str], object]) -> Path:
    """Call ``write(tmp_path)`` on a temp file in the target's folder, then rename it over ``path``."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.close(fd)
    try:
        write(tmp)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return target


def write_text_atomic(path: str | os.PathLike, text: str) -> Path:
    return write_via_temp(path, lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))


def write_bytes_atomic(path: str | os.PathLike, data: bytes) -> Path:
    return write_via_temp(path, lambda tmp: Path(tmp).write_bytes(data))
