"""History for physios: athletes and their assessments in SQLite (stdlib sqlite3).

One short-lived connection per call, so request threads and the job-finishing
thread never share a connection (sqlite3 objects are not thread-safe). WAL lets
pages read while a finished job writes.
"""
from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS athletes (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    created_at TEXT NOT NULL,
    notes TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS assessments (
    id INTEGER PRIMARY KEY,
    athlete_id INTEGER REFERENCES athletes(id) ON DELETE SET NULL,
    job_id TEXT NOT NULL UNIQUE,
    session_date TEXT NOT NULL,          -- YYYY-MM-DD the clip was filmed (default: upload day)
    created_at TEXT NOT NULL,            -- UTC ISO time the analysis finished
    video_name TEXT NOT NULL DEFAULT '', -- client's file name, display only
    view TEXT,
    cadence_spm REAL,
    pelvic_drop_left_deg REAL,
    pelvic_drop_right_deg REAL,
    stride_length_m REAL,
    contact_time_ms REAL,
    result_path TEXT NOT NULL,
    notes TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS ix_assessments_athlete ON assessments(athlete_id, session_date);
"""

# The headline metrics stored per assessment, by gait.result.Summary name.
METRICS = ("cadence_spm", "pelvic_drop_left_deg", "pelvic_drop_right_deg", "stride_length_m", "contact_time_ms")


@dataclass(frozen=True)
class Athlete:
    id: int
    name: str
    created_at: str
    notes: str = ""
    sessions: int = 0
    last_session: str | None = None


@dataclass(frozen=True)
class Assessment:
    id: int
    athlete_id: int | None
    job_id: str
    session_date: str
    created_at: str
    video_name: str
    view: str | None
    cadence_spm: float | None
    pelvic_drop_left_deg: float | None
    pelvic_drop_right_deg: float | None
    stride_length_m: float | None
    contact_time_ms: float | None
    result_path: str
    notes: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def normalize_athlete_name(name: str) -> str:
    """The name as stored (inner whitespace collapsed); ValueError with one sentence when it cannot be one."""
    name = " ".join(name.split())
    if not name:
        raise ValueError("An athlete needs a name.")
    if len(name) > 100:
        raise ValueError("An athlete's name must be at most 100 characters.")
    return name


def utc_now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


class Database:
    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with closing(self._connect()) as con, con:
            con.execute("PRAGMA journal_mode=WAL")
            con.executescript(_SCHEMA)
            con.execute(f"PRAGMA user_version={SCHEMA_VERSION}")

    def _connect(self) -> sqlite3.Connection:
        con = sqlite3.connect(self.path, timeout=10)
        con.row_factory = sqlite3.Row
        con.execute("PRAGMA foreign_keys=ON")
        return con

    # athletes -------------------------------------------------------------
    def add_athlete(self, name: str, notes: str = "") -> Athlete:
        """Create an athlete, or return the existing one with that name (case-insensitive)."""
        name = normalize_athlete_name(name)
        with closing(self._connect()) as con, con:
            con.execute("INSERT OR IGNORE INTO athletes(name, created_at, notes) VALUES (?, ?, ?)",
                        (name, utc_now(), notes))
            row = con.execute("SELECT id FROM athletes WHERE name = ?", (name,)).fetchone()
        athlete = self.get_athlete(int(row["id"]))
        assert athlete is not None
        return athlete

    def get_athlete(self, athlete_id: int) -> Athlete | None:
        rows = self._athletes("WHERE a.id = ?", (athlete_id,))
        return rows[0] if rows else None

    def list_athletes(self) -> list[Athlete]:
        return self._athletes("", ())

    def _athletes(self, where: str, params: tuple) -> list[Athlete]:
        sql = ("SELECT a.id, a.name, a.created_at, a.notes, COUNT(s.id) AS sessions, "
               "MAX(s.session_date) AS last_session FROM athletes a "
               f"LEFT JOIN assessments s ON s.athlete_id = a.id {where} "
               "GROUP BY a.id ORDER BY a.name COLLATE NOCASE")
        with closing(self._connect()) as con:
            return [Athlete(**dict(r)) for r in con.execute(sql, params).fetchall()]

    # assessments ----------------------------------------------------------
    def add_assessment(self, *, job_id: str, athlete_id: int | None, session_date: str, result_path: str,
                       video_name: str = "", view: str | None = None, metrics: dict[str, Any] | None = None,
                       notes: str = "") -> Assessment:
        m = {k: _num((metrics or {}).get(k)) for k in METRICS}
        with closing(self._connect()) as con, con:
            cur = con.execute(
                "INSERT INTO assessments(athlete_id, job_id, session_date, created_at, video_name, view, "
                f"{', '.join(METRICS)}, result_path, notes) VALUES (?, ?, ?, ?, ?, ?, "
                f"{', '.join('?' * len(METRICS))}, ?, ?)",
                (athlete_id, job_id, session_date, utc_now(), video_name, view, *m.values(), result_path, notes))
            new_id = int(cur.lastrowid)
        a = self.get_assessment(new_id)
        assert a is not None
        return a

    def get_assessment(self, assessment_id: int) -> Assessment | None:
        with closing(self._connect()) as con:
            r = con.execute("SELECT * FROM assessments WHERE id = ?", (assessment_id,)).fetchone()
        return Assessment(**dict(r)) if r else None

    def assessment_for_job(self, job_id: str) -> Assessment | None:
        with closing(self._connect()) as con:
            r = con.execute("SELECT * FROM assessments WHERE job_id = ?", (job_id,)).fetchone()
        return Assessment(**dict(r)) if r else None

    def assessments_for(self, athlete_id: int) -> list[Assessment]:
        """Oldest first, so the list is already the trend's x order."""
        with closing(self._connect()) as con:
            rows = con.execute("SELECT * FROM assessments WHERE athlete_id = ? ORDER BY session_date, created_at, id",
                               (athlete_id,)).fetchall()
        return [Assessment(**dict(r)) for r in rows]

    def set_notes(self, assessment_id: int, notes: str) -> bool:
        with closing(self._connect()) as con, con:
            cur = con.execute("UPDATE assessments SET notes = ? WHERE id = ?", (notes, assessment_id))
        return cur.rowcount == 1

    def trend(self, athlete_id: int) -> dict[str, list]:
        """Column-wise series for plotting: dates, labels and each headline metric (None = not measured)."""
        rows = self.assessments_for(athlete_id)
        out: dict[str, list] = {"date": [r.session_date for r in rows], "assessment_id": [r.id for r in rows],
                                "job_id": [r.job_id for r in rows], "view": [r.view for r in rows]}
        for k in METRICS:
            out[k] = [getattr(r, k) for r in rows]
        return out


def _num(v: Any) -> float | None:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return f if f == f and abs(f) != float("inf") else None
