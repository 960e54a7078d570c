"""The Python API for scripts and notebooks: results that also come as pandas tables.

``analyze`` and ``load`` give an ``AnalysisResult``: the typed ``gait.result.Result``
(the contract between stages, which imports no stage) plus two table views that read
the report's and the exports' code. Kept here, above every stage, so no stage imports
back up into them.
"""
from __future__ import annotations

from dataclasses import fields
from pathlib import Path

from gait.result import Result


class AnalysisResult(Result):
    """A Result with ``strides_frame()`` and ``frames_frame()`` (pandas)."""

    @classmethod
    def of(cls, r: Result) -> "AnalysisResult":
        return cls(**{f.name: getattr(r, f.name) for f in fields(Result)})

    def strides_frame(self):
        """One row per stride as a pandas DataFrame: the columns of strides.csv (docs/result-schema.md)."""
        import pandas as pd

        from gait.report.csv_out import COLUMNS, stride_rows

        return pd.DataFrame(stride_rows(self.strides), columns=COLUMNS)

    def frames_frame(self, *, raw: bool = False, height_m: float | None = None):
        """One row per video frame (landmarks, stance, angles) as a pandas DataFrame (docs/exports.md).

        Reads the landmarks from the cache the analysis filled; raises LandmarksNotAvailable if they are gone."""
        from gait.export.frames import load_frames
        from gait.export.table import frames_dataframe

        return frames_dataframe(load_frames(self, raw=raw, height_m=height_m))


def analyze(path: str | Path, *, progress=None, **options) -> AnalysisResult:
    """Analyse one clip of a runner (gait.pipeline.analyze). Raises a ``GaitError`` subclass on bad input."""
    from gait.pipeline import analyze as run

    return AnalysisResult.of(run(path, progress=progress, **options))


def load(path: str | Path) -> AnalysisResult:
    """A saved result.json; GaitError (one sentence) when the file is not one."""
    from gait.report.command import load_result

    return AnalysisResult.of(load_result(Path(path)))
