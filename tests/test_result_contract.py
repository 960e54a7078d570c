"""result.json: typed video and pair blocks, derived headline numbers, version 2 files still read."""
from __future__ import annotations

import copy
import json
from dataclasses import replace

import pytest
from report_fixtures import make_result

from gait.pair import merge_pair
from gait.result import SCHEMA_VERSION, Result
from gait.video.reader import VideoInfo


def _pair() -> Result:
    return merge_pair(make_result("side_right", video_path="/x/side.mp4"), make_result("rear", video_path="/x/rear.mp4"))


def as_v2(d: dict) -> dict:
    """A version 3 dict in the shape version 2 wrote (the rear clip in traces and inputs)."""
    d = copy.deepcopy(d)
    d["schema_version"] = 2
    pair = d.pop("pair")
    if pair is not None:
        d["traces"].update(rear_events=pair["events"], rear_strides=pair["strides"])
        d["inputs"]["rear_video"] = pair["video"]
    return d


def test_pair_is_written_under_its_own_key_and_read_back():
    d = json.loads(_pair().to_json())
    assert d["schema_version"] == SCHEMA_VERSION == 3
    assert d["pair"]["video"]["path"] == "/x/rear.mp4" and d["pair"]["view"] == "rear"
    assert d["pair"]["events"]["foot_strike"]["left"] and d["pair"]["offset_s"] is None
    assert not {"rear_events", "rear_strides"} & set(d["traces"]) and "rear_video" not in d["inputs"]
    back = Result.from_dict(d)
    assert back.pair is not None and back.pair.video.path == "/x/rear.mp4"
    assert back.to_dict() == d


@pytest.mark.parametrize("pair", [True, False])
def test_a_version_2_file_is_converted_on_load(pair):
    r = _pair() if pair else make_result("rear")
    d = json.loads(r.to_json())
    back = Result.from_dict(as_v2(d))
    assert (back.pair is not None) is pair
    assert back.to_dict() == d


def test_headline_numbers_are_derived_from_the_summary():
    r = make_result("rear")
    d = json.loads(r.to_json())
    assert d["cadence_spm"] == d["summary"]["cadence_spm"] and d["stride_length_m"] == d["summary"]["stride_length_m"]
    assert d["pelvic_drop_deg"] == {"left": d["summary"]["pelvic_drop_left_deg"],
                                    "right": d["summary"]["pelvic_drop_right_deg"]}
    d["cadence_spm"] = 1.0  # stored copies are ignored on load: the summary is the one source
    assert Result.from_dict(d).cadence_spm == r.summary.cadence_spm
    assert json.loads(make_result("side_right").to_json())["pelvic_drop_deg"] is None


def test_video_keys_stay_as_they_were():
    r = make_result("rear", video_path="/x/rear.mp4")
    keys = set(json.loads(r.to_json())["video"])
    assert keys == {"path", "fps", "frames", "duration_s", "width", "height", "rotation", "variable_frame_rate",
                    "content_sha256", "absolute_path"}  # display_name only when there is one (web uploads)
    r.video = replace(r.video, display_name="Monday run.mov")
    back = Result.from_json(r.to_json())
    assert back.video.display_name == "Monday run.mov" and back.video.name == "Monday run.mov"
    assert VideoInfo.from_dict({"path": "a/b.mp4", "unknown_key": 1}).name == "b.mp4"
