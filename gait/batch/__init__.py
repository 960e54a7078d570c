"""Batch processing for researchers: many clips -> a folder per clip + summary/strides tables.

    from gait.batch import run_batch
    report = run_batch("clips/manifest.csv", "out/", workers=2)
    print(report.closing_line())

Resumable (finished clips are skipped), parallel (local processes or a Dask
cluster), deterministic tables (same inputs -> same summary.csv bytes).
"""
from gait.batch.inputs import ClipSpec, collect_clips
from gait.batch.runner import BatchReport, run_batch

__all__ = ["BatchReport", "ClipSpec", "collect_clips", "run_batch"]
