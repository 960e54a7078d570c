"""Batch tables stay tidy when summaries carry 95 % intervals: one value per cell, Parquet-typed."""
from __future__ import annotations

import pytest
from report_fixtures import make_result

from gait.batch.tables import SUMMARY_FIELDS, flat_summary, write_parquet


def test_an_interval_becomes_a_low_and_a_high_column():
    sm = make_result(intervals=True).summary
    row = flat_summary(sm)
    assert "pelvic_drop_left_deg_ci" not in row and "pelvic_drop_left_deg_ci" not in SUMMARY_FIELDS
    assert [row["pelvic_drop_left_deg_ci_low"], row["pelvic_drop_left_deg_ci_high"]] == sm.pelvic_drop_left_deg_ci
    assert row["cadence_spm_ci_low"] is None or row["cadence_spm_ci_low"] <= sm.cadence_spm
    assert set(row) <= set(SUMMARY_FIELDS)


def test_parquet_takes_summaries_with_intervals(tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    rows = [{"clip_id": "a", **flat_summary(make_result(intervals=True).summary)},
            {"clip_id": "b", **flat_summary(make_result().summary)}]
    cols = ["clip_id"] + SUMMARY_FIELDS
    out = write_parquet(tmp_path / "s.parquet", rows, cols, [])
    t = pq.read_table(out).to_pandas()
    assert t["pelvic_drop_left_deg_ci_low"].notna().tolist() == [True, False]
    assert str(t["pelvic_drop_left_deg_ci_high"].dtype) == "float64"
