"""Batch inputs: folder / glob / manifest discovery, per-row options, stable unique clip ids."""
from __future__ import annotations

from pathlib import Path

import pytest

from gait.batch.inputs import collect_clips, safe_id
from gait.errors import InputNotFound, UsageError


def _touch(p: Path, data: bytes = b"x") -> Path:
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_bytes(data)
    return p


def test_folder_is_searched_recursively_for_videos_only(tmp_path):
    _touch(tmp_path / "in" / "a.mp4"); _touch(tmp_path / "in" / "S01" / "b.MOV")
    _touch(tmp_path / "in" / "notes.txt"); _touch(tmp_path / "in" / ".hidden" / "c.mp4")
    _touch(tmp_path / "in" / "out" / "a" / "overlay.mp4")  # the batch's own output inside the input
    specs, cols = collect_clips(tmp_path / "in", exclude=tmp_path / "in" / "out")
    assert [(s.clip_id, s.source) for s in specs] == [("a", "a.mp4"), ("b", "S01/b.MOV")]
    assert cols == [] and all(Path(s.path).is_absolute() for s in specs)


def test_glob_and_explicit_file_list(tmp_path):
    a, b = _touch(tmp_path / "x" / "a.mp4"), _touch(tmp_path / "y" / "b.mp4")
    specs, _ = collect_clips(str(tmp_path / "*" / "*.mp4"))
    assert [s.clip_id for s in specs] == ["a", "b"]
    specs, _ = collect_clips([b, a])
    assert [s.path for s in specs] == [str(a), str(b)]


def test_missing_inputs_are_one_clear_error(tmp_path):
    with pytest.raises(InputNotFound, match="No such file or folder"):
        collect_clips(tmp_path / "nope")
    with pytest.raises(InputNotFound, match="No files match"):
        collect_clips(str(tmp_path / "*.mp4"))
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputNotFound, match="No video files"):
        collect_clips(tmp_path / "empty")


def test_manifest_options_passthrough_and_relative_paths(tmp_path):
    _touch(tmp_path / "clips" / "run1.mp4")
    m = tmp_path / "meta" / "manifest.csv"
    m.parent.mkdir()
    m.write_text("\ufeffPath,View,belt_speed,height_cm,subject_id,session,shoe\n"  # Excel BOM, capitalised header
                 "../clips/run1.mp4,rear,12,178,S01,pre,Pegasus\n"
                 "/abs/missing.mp4,,3.5mps,,S02,post,\n"
                 "\n", encoding="utf-8")
    specs, cols = collect_clips(m)
    assert cols == ["subject_id", "session", "shoe"]
    a, b = specs
    assert a.clip_id == "S01_pre_run1" and a.path == str(tmp_path / "clips" / "run1.mp4")
    assert a.options == {"view": "rear", "belt_speed_mps": pytest.approx(12 / 3.6), "height_m": 1.78}
    assert a.passthrough == {"subject_id": "S01", "session": "pre", "shoe": "Pegasus"}
    assert b.clip_id == "S02_post_missing" and b.options == {"belt_speed_mps": 3.5}  # missing file: a per-clip failure later


def test_manifest_semicolons_and_mps_column(tmp_path):
    m = tmp_path / "m.csv"
    m.write_text("path;belt_speed_mps\nx.mp4;3.2\n", encoding="utf-8")
    (spec,), _ = collect_clips(m)
    assert spec.options == {"belt_speed_mps": 3.2} and spec.source == "x.mp4"


@pytest.mark.parametrize("body, message", [
    ("file,view\nx.mp4,rear\n", "no 'path' column"),
    ("path,view\nx.mp4,sideways\n", "line 2: view 'sideways'"),
    ("path,belt_speed\nx.mp4,fast\n", "line 2: belt speed 'fast' is not a speed"),
    ("path,belt_speed,belt_speed_mps\nx.mp4,12,3.3\n", "both belt_speed and belt_speed_mps"),
    ("path,height_cm\nx.mp4,tall\n", "height_cm 'tall'"),
    ("path,view\n,rear\n", "line 2 has an empty path"),
    ("path\n", "lists no clips"),
    ("path,a,a\nx.mp4,1,2\n", "repeats the column"),
    ("path\nx.mp4\nx.mp4\n", "twice with the same options"),
])
def test_manifest_mistakes_name_the_line(tmp_path, body, message):
    m = tmp_path / "m.csv"
    m.write_text(body, encoding="utf-8")
    with pytest.raises(UsageError, match=message):
        collect_clips(m)


def test_ids_are_safe_and_collisions_get_order_independent_hashes(tmp_path):
    assert safe_id("Läufer 1 (links)") == "Laufer_1_links"  # accents folded, not dropped
    assert safe_id("../../etc/passwd") == "etc_passwd" and safe_id("日本") == "clip"
    a, b = _touch(tmp_path / "A" / "run.mp4"), _touch(tmp_path / "B" / "Run.mp4")  # same id on macOS/Windows
    c = _touch(tmp_path / "summary.csv.mp4")  # would shadow an output table
    ids = {s.source: s.clip_id for s in collect_clips(tmp_path)[0]}
    assert len(set(ids.values())) == 3
    assert ids["A/run.mp4"].startswith("run_") and ids["B/Run.mp4"].startswith("Run_")
    assert ids["summary.csv.mp4"].startswith("summary.csv_")
    assert ids == {s.source: s.clip_id for s in collect_clips(tmp_path)[0]}  # stable run to run
    listed = lambda order: {s.path: s.clip_id for s in collect_clips(order)[0]}  # noqa: E731
    assert listed([a, b, c]) == listed([c, b, a])  # and independent of input order


def test_same_file_twice_with_different_options_gets_two_ids(tmp_path):
    _touch(tmp_path / "x.mp4")
    m = tmp_path / "m.csv"
    m.write_text("path,belt_speed\nx.mp4,10\nx.mp4,12\n", encoding="utf-8")
    specs, _ = collect_clips(m)
    assert len({s.clip_id for s in specs}) == 2 and all(s.clip_id.startswith("x_") for s in specs)


def test_a_glob_never_picks_up_the_batch_output(tmp_path):
    _touch(tmp_path / "clips" / "a.mp4")
    _touch(tmp_path / "clips" / "out" / "a" / "overlay.mp4")
    specs, _ = collect_clips(str(tmp_path / "clips" / "**" / "*.mp4"), exclude=tmp_path / "clips" / "out")
    assert [s.clip_id for s in specs] == ["a"]


def test_a_manifest_may_name_its_own_clip_ids(tmp_path):
    m = tmp_path / "m.csv"
    m.write_text("clip_id,path,subject_id\nP01 baseline,a.mp4,S1\nP01-week6,b.mp4,S1\n", encoding="utf-8")
    specs, cols = collect_clips(m)
    assert [s.clip_id for s in specs] == ["P01-week6", "P01_baseline"] and cols == ["subject_id"]
    m.write_text("clip_id,path\nsame,a.mp4\nsame,b.mp4\n", encoding="utf-8")
    with pytest.raises(UsageError, match="clip_id 'same' is not unique"):
        collect_clips(m)
