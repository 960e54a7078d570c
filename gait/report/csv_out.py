"""strides.csv: one row per stride, the units in the column names (``pd.read_csv`` in one line).

Columns are the ``Stride`` field names of result.json (they already carry their unit:
``contact_time_ms``, ``stride_length_m`` ...), preceded by a 1-based ``stride`` number,
so the CSV and ``result.json["strides"]`` agree column for column.
"""
from __future__ import annotations

import csv
from dataclasses import asdict, fields
from pathlib import Path

from gait.result import Result, Stride

COLUMNS = ["stride"] + [f.name for f in fields(Stride)]


def stride_rows(strides: list) -> list[dict]:
    """Rows for the CSV from Stride objects or plain dicts (e.g. the rear clip's strides of a pair)."""
    rows = []
    for i, s in enumerate(strides, start=1):
        d = asdict(s) if isinstance(s, Stride) else dict(s)
        rows.append({"stride": i, **{k: d.get(k) for k in COLUMNS[1:]}})
    return rows


def cell(v) -> str:
    """One CSV cell, as every table of the project writes it (strides.csv, the batch's tables)."""
    if v is None:
        return ""  # empty -> NaN in pandas / NA in R, never the text "None"
    if isinstance(v, float):
        return repr(round(v, 6))  # the rounding of result.json; repr is exact and platform-independent
    return str(v)


def write_rows(rows: list[dict], path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(COLUMNS)
        for r in rows:
            w.writerow([cell(r.get(c)) for c in COLUMNS])
    return path


def write_strides_csv(result: Result, path: Path) -> Path:
    return write_rows(stride_rows(result.strides), path)
