"""strides.csv agrees with result.json, and both load in one pandas line."""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from report_fixtures import make_result

from gait.pair import merge_pair
from gait.report import write_outputs


@pytest.mark.parametrize("view", ["rear", "side_right"])
def test_csv_agrees_with_result_json(view, tmp_path):
    write_outputs(make_result(view), tmp_path)
    csv = pd.read_csv(tmp_path / "strides.csv")
    js = pd.json_normalize(json.load(open(tmp_path / "result.json"))["strides"])  # the documented one-liner
    assert len(csv) == len(js) and list(csv["stride"]) == list(range(1, len(js) + 1))
    assert "contact_time_ms" in csv.columns and "stride_length_m" in csv.columns and "pelvic_drop_deg" in csv.columns
    for col in js.columns:
        a, b = csv[col], js[col]
        if pd.api.types.is_numeric_dtype(b) and pd.api.types.is_numeric_dtype(a):
            assert np.allclose(a.astype(float), b.astype(float), equal_nan=True, atol=1e-6), col
        else:
            blank = lambda x: list(x.astype(object).where(x.notna(), "").astype(str))  # NaN/None -> ""
            assert blank(a) == blank(b), col


def test_unmeasured_values_are_empty_cells(tmp_path):
    write_outputs(make_result("rear"), tmp_path)
    csv = pd.read_csv(tmp_path / "strides.csv")
    assert csv["overstride_cm"].isna().all()  # not "None" strings
    assert csv["excluded"].notna().sum() == 1


def test_pair_writes_rear_strides_csv(tmp_path):
    m = merge_pair(make_result("side_right", video_path="/x/side.mp4"), make_result("rear"))
    out = write_outputs(m, tmp_path)
    rear = pd.read_csv(out["rear_strides.csv"])
    assert list(rear["pelvic_drop_deg"]) == pytest.approx([s.pelvic_drop_deg for s in m.pair.strides])
    side = pd.read_csv(out["strides.csv"])
    assert side["pelvic_drop_deg"].isna().all() and side["shank_angle_deg"].notna().all()
