"""summary.csv / strides.csv (+ Parquet) rebuilt from the clip folders on disk.

Rebuilding from disk, not from what this run computed, is what makes a resumed
batch's tables identical to an uninterrupted one. Rows are sorted by clip id and
hold no timings, so the bytes do not depend on worker count or completion order.
Column names are the ``Summary`` / ``Stride`` field names of result.json: they
carry their unit (``cadence_spm`` steps/min, ``contact_time_ms``, ``stride_length_m``,
``pelvic_drop_left_deg``, ``*_pct``, ``*_s``), as in the single-clip strides.csv.
"""
from __future__ import annotations

import csv
import io
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

from gait.atomic import write_via_temp
from gait.batch.inputs import ClipSpec
from gait.batch.worker import (
    ERROR,
    RECORD,
    ClipTask,
    load_done,
    read_json,
    record_matches,
)
from gait.report.csv_out import cell
from gait.result import Result, Stride, Summary


def _ci_split(name: str) -> list[str]:
    """A tidy table has one value per cell: an interval [low, high] becomes two columns."""
    return [f"{name}_low", f"{name}_high"] if name.endswith("_ci") else [name]


SUMMARY_FIELDS = [c for f in fields(Summary) for c in _ci_split(f.name)]
STRIDE_FIELDS = [f.name for f in fields(Stride)]
# Before the passthrough columns: who the clip is; after: what happened and what was asked.
HEAD = ["clip_id", "path"]
STATUS = ["status", "exit_code", "error", "input_sha256", "view_requested", "belt_speed_mps", "height_m", "model",
          "view", "view_confidence", "strides", "strides_used", "warnings_count"]
_INT = {"exit_code", "strides", "strides_used", "warnings_count", "stride"}
_BOOL = {"is_walking", "probable_slow_motion"}
_TEXT = {"clip_id", "path", "status", "error", "input_sha256", "view_requested", "model", "view", "side", "excluded",
         "flags"}


@dataclass
class ClipState:
    """What the clip folder holds for the current task: ok (+ result), failed (+ error) or pending."""

    status: str
    result: Result | None = None
    error: dict | None = None
    sha: str | None = None


def load_state(task: ClipTask, sha: str | None, ran: bool) -> ClipState:
    """``sha``: the input's hash checked by the parent; for a clip run in this session (``ran``)
    the worker's own record is trusted instead, so no file is hashed twice."""
    d = Path(task.clip_dir)
    if ran:
        rec = read_json(d / RECORD) or read_json(d / ERROR) or {}
        sha = rec.get("input_sha256")
    result = load_done(task, sha)
    if result is not None:
        return ClipState("ok", result, sha=sha)
    err = read_json(d / ERROR)
    if record_matches(err, task, sha) or (err and sha is None and err.get("options_key") == task.options_key):
        return ClipState("failed", error=err, sha=sha)  # (sha None: the file is missing, the error says so)
    return ClipState("pending", sha=sha)


def summary_row(spec: ClipSpec, task: ClipTask, st: ClipState) -> dict[str, Any]:
    row: dict[str, Any] = {"clip_id": spec.clip_id, "path": spec.path, **spec.passthrough, "status": st.status,
                           "input_sha256": st.sha, "view_requested": task.options.get("view"),
                           "belt_speed_mps": task.options.get("belt_speed_mps"),
                           "height_m": task.options.get("height_m"), "model": task.options.get("model")}
    if st.error:
        row.update(error=st.error.get("error"), exit_code=st.error.get("exit_code"))
    r = st.result
    if r is not None:
        row.update(model=r.model or row["model"], view=r.view, view_confidence=r.view_confidence, strides=len(r.strides),
                   strides_used=sum(1 for s in r.strides if not s.excluded),
                   warnings_count=len(r.quality.get("warnings", [])), **flat_summary(r.summary))
    return row


def flat_summary(summary: Summary) -> dict[str, Any]:
    """Summary fields with each ``<metric>_ci`` split into ``<metric>_ci_low`` / ``<metric>_ci_high``."""
    out: dict[str, Any] = {}
    for k, v in asdict(summary).items():
        if k.endswith("_ci"):
            out[f"{k}_low"], out[f"{k}_high"] = (v[0], v[1]) if v else (None, None)
        else:
            out[k] = v
    return out


def stride_rows(spec: ClipSpec, st: ClipState) -> list[dict[str, Any]]:
    if st.result is None:
        return []
    return [{"clip_id": spec.clip_id, **spec.passthrough, "stride": i, **asdict(s)}
            for i, s in enumerate(st.result.strides, start=1)]  # 1-based, as the per-clip strides.csv


def summary_columns(passthrough: list[str]) -> list[str]:
    return HEAD + passthrough + STATUS + SUMMARY_FIELDS


def stride_columns(passthrough: list[str]) -> list[str]:
    return ["clip_id"] + passthrough + ["stride"] + STRIDE_FIELDS


def csv_text(rows: list[dict[str, Any]], columns: list[str]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(columns)
    for r in rows:
        w.writerow([cell(r.get(c)) for c in columns])
    return buf.getvalue()


def write_csv(path: Path, rows: list[dict[str, Any]], columns: list[str]) -> Path:
    text = csv_text(rows, columns)
    write_via_temp(path, lambda tmp: Path(tmp).write_text(text, encoding="utf-8", newline=""))
    return path


def write_parquet(path: Path, rows: list[dict[str, Any]], columns: list[str], passthrough: list[str]) -> Path | None:
    """Typed columns (float/int/bool/string), so an all-empty metric is still float; None without pyarrow."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        return None

    def typ(c: str):
        if c in _TEXT or c in passthrough:
            return pa.string()
        return pa.int64() if c in _INT else pa.bool_() if c in _BOOL else pa.float64()

    table = pa.table({c: pa.array([_typed(r.get(c), c in _TEXT or c in passthrough) for r in rows], type=typ(c))
                      for c in columns})
    write_via_temp(path, lambda tmp: pq.write_table(table, tmp))
    return path


def _typed(v: Any, text: bool) -> Any:
    if v is None:
        return None
    return str(v) if text else v


@dataclass(frozen=True)
class Tables:
    summary_csv: Path
    strides_csv: Path
    summary_parquet: Path | None
    strides_parquet: Path | None
    counts: dict[str, int]  # status -> clips


def write_tables(out_dir: Path, specs: list[ClipSpec], tasks: dict[str, ClipTask], shas: dict[str, str | None],
                 ran: set[str], passthrough: list[str]) -> Tables:
    summary, strides, counts = [], [], {"ok": 0, "failed": 0, "pending": 0}
    for spec in sorted(specs, key=lambda s: s.clip_id):
        st = load_state(tasks[spec.clip_id], shas.get(spec.clip_id), spec.clip_id in ran)
        counts[st.status] += 1
        summary.append(summary_row(spec, tasks[spec.clip_id], st))
        strides += stride_rows(spec, st)
    scols, tcols = summary_columns(passthrough), stride_columns(passthrough)
    return Tables(write_csv(out_dir / "summary.csv", summary, scols), write_csv(out_dir / "strides.csv", strides, tcols),
                  write_parquet(out_dir / "summary.parquet", summary, scols, passthrough),
                  write_parquet(out_dir / "strides.parquet", strides, tcols, passthrough), counts)
