"""Where gait keeps its own files outside the project: the per-user cache (XDG base directory spec)."""
from __future__ import annotations

import os
from pathlib import Path


def user_cache_dir(name: str) -> Path:
    """``$XDG_CACHE_HOME/gait/<name>`` (``~/.cache/gait/<name>`` when it is not set)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "gait" / name
