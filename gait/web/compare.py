"""The athlete page's compare view: two of the athlete's assessments through gait.compare."""
from __future__ import annotations

from pathlib import Path

from fastapi import HTTPException

from gait.web.db import Database


def _result(db: Database, athlete_id: int, assessment_id: int):
    from gait.errors import GaitError
    from gait.report.command import load_result

    a = db.get_assessment(assessment_id)
    if a is None or a.athlete_id != athlete_id:
        raise HTTPException(404, "No such assessment for this athlete.")
    try:
        return a, load_result(Path(a.result_path))
    except GaitError as err:
        raise HTTPException(404, f"The result of the session of {a.session_date} cannot be read ({err})") from None


def compare_context(db: Database, athlete_id: int, before_id: int, after_id: int) -> dict:
    from gait.compare import compare
    from gait.compare.page import table_context
    from gait.compare.plot import cycle_figure

    (a, ra), (b, rb) = _result(db, athlete_id, before_id), _result(db, athlete_id, after_id)
    ctx = table_context(compare(ra, rb))
    return {**ctx, "before_session": a, "after_session": b, "figure": cycle_figure(ra, rb)}
