"""Local web app for runners and physios: upload a clip, read the report, follow athletes over time."""
from __future__ import annotations

__all__ = ["create_app"]


def __getattr__(name: str):
    # Imported on first use: `gait serve`'s argument parser is built by every `gait` command, and the
    # web framework takes longer to import than a cached re-analysis takes to run.
    if name == "create_app":
        from gait.web.app import create_app

        return create_app
    raise AttributeError(name)
