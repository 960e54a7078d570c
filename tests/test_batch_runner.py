"""run_batch with a stand-in analyze: outputs, failures, resume, determinism, crashes, Ctrl-C."""
from __future__ import annotations

import csv
import json
import os
import shutil
import socket
from functools import partial

import pytest
from test_batch_support import (
    buggy_analyze,
    calls,
    crashing_analyze,
    fake_analyze,
    interrupting_analyze,
    make_clip_folder,
)

from gait.batch import run_batch
from gait.batch.lock import LOCK
from gait.errors import UsageError

# Per-clip HTML reports are checked once (first test); elsewhere they would only cost time.
run = partial(run_batch, progress=False, write_report=False)
VIDEOS = ["rear_drop0_169spm_60fps", "rear_drop8_169spm_60fps", "side_right_drop4_169spm_60fps"]


@pytest.fixture
def clips(tmp_path):
    return make_clip_folder(tmp_path)


@pytest.fixture
def call_log(tmp_path, monkeypatch):
    log = tmp_path / "calls.log"
    monkeypatch.setenv("GAIT_TEST_CALL_LOG", str(log))  # inherited by the spawned workers
    return log


def _rows(path):
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _called(log):
    return sorted(os.path.basename(p).removesuffix(".mp4") for p in calls(log))


def _mtimes(out, ids):
    return {i: (out / i / "result.json").stat().st_mtime_ns for i in ids}


def test_batch_with_a_bad_file_mixed_in(clips, tmp_path, call_log):
    out = tmp_path / "out"
    rep = run_batch(clips, out, workers=2, analyze_fn=fake_analyze, progress=False, options={"view": "auto"})
    assert (rep.total, rep.ok, rep.failed, rep.skipped, rep.failed_ids) == (4, 3, 1, 0, ["notes"])
    rows = _rows(out / "summary.csv")
    assert [r["clip_id"] for r in rows] == ["notes", *VIDEOS]  # sorted by clip id
    bad = rows[0]
    assert (bad["status"], bad["exit_code"], bad["cadence_spm"]) == ("failed", "4", "")
    assert "could not be opened as a video" in bad["error"]
    err = json.loads((out / "notes" / "error.json").read_text())
    assert err["exit_code"] == 4 and err["error"] == bad["error"] and not (out / "notes" / "result.json").exists()
    for r in rows[1:]:
        assert r["status"] == "ok" and r["error"] == "" and float(r["cadence_spm"]) > 150
        assert int(r["warnings_count"]) == 2 and r["view"] in ("rear", "side_right")
        assert (out / r["clip_id"] / "result.json").is_file()
        assert len(list((out / r["clip_id"]).iterdir())) > 2  # batch.json + the report's files
    strides = _rows(out / "strides.csv")
    assert {s["clip_id"] for s in strides} == set(VIDEOS)
    assert sum(int(r["strides"]) for r in rows[1:]) == len(strides)
    assert [s["stride"] for s in strides if s["clip_id"] == VIDEOS[0]][:3] == ["1", "2", "3"]
    pd = pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    table = pd.read_parquet(out / "summary.parquet")
    assert list(table["clip_id"]) == [r["clip_id"] for r in rows]
    assert table["cadence_spm"].dtype == "float64" and table["exit_code"].iloc[0] == 4
    assert len(pd.read_parquet(out / "strides.parquet")) == len(strides)
    log = json.loads((out / "run_log.json").read_text())["runs"]
    assert len(log) == 1 and log[0]["ok"] == 3 and set(log[0]["per_clip"]) == {"notes", *VIDEOS}


def test_resume_skips_finished_clips_and_retries_failed_ones(clips, tmp_path, call_log):
    out = tmp_path / "out"
    run(clips, out, workers=2, analyze_fn=fake_analyze)
    before, first = _mtimes(out, VIDEOS), (out / "summary.csv").read_bytes()
    call_log.unlink()
    rep = run(clips, out, workers=2, analyze_fn=fake_analyze)
    assert _called(call_log) == ["notes"]  # the failed clip is retried, nothing finished is redone
    assert (rep.ok, rep.failed, rep.skipped) == (0, 1, 3)
    assert _mtimes(out, VIDEOS) == before
    assert (out / "summary.csv").read_bytes() == first
    assert len(json.loads((out / "run_log.json").read_text())["runs"]) == 2


def test_changed_options_or_input_bytes_are_recomputed(tmp_path, call_log):
    clips = make_clip_folder(tmp_path, bad=False)
    out = tmp_path / "out"
    run(clips, out, workers=1, analyze_fn=fake_analyze, options={"belt_speed_mps": 3.3})
    call_log.unlink()
    run(clips, out, workers=1, analyze_fn=fake_analyze, options={"belt_speed_mps": 3.0})
    assert _called(call_log) == VIDEOS
    assert {r["speed_mps"] for r in _rows(out / "summary.csv")} == {"3.0"}
    call_log.unlink()
    edited = clips / f"{VIDEOS[1]}.mp4"  # same name, other bytes: a re-exported clip
    data = edited.read_bytes()
    edited.unlink()
    edited.write_bytes(data + b"\0")
    run(clips, out, workers=1, analyze_fn=fake_analyze, options={"belt_speed_mps": 3.0})
    assert _called(call_log) == [VIDEOS[1]]


def test_half_written_clip_folders_are_not_taken_as_done(tmp_path, call_log):
    clips = make_clip_folder(tmp_path, bad=False)
    out = tmp_path / "out"
    run(clips, out, workers=1, analyze_fn=fake_analyze)
    (out / VIDEOS[0] / "batch.json").unlink()  # killed between the report and the record
    res = out / VIDEOS[1] / "result.json"
    res.write_text(res.read_text()[:100])  # a torn file (e.g. copied by hand)
    call_log.unlink()
    run(clips, out, workers=1, analyze_fn=fake_analyze)
    assert _called(call_log) == VIDEOS[:2]


def test_one_and_two_workers_give_identical_tables(clips, tmp_path, call_log, monkeypatch):
    monkeypatch.setenv("GAIT_TEST_FAKE_SLEEP", "0.2")  # let two workers finish out of order
    run(clips, tmp_path / "w1", workers=1, analyze_fn=fake_analyze)
    run(clips, tmp_path / "w2", workers=2, analyze_fn=fake_analyze)
    for name in ("summary.csv", "strides.csv"):
        assert (tmp_path / "w1" / name).read_bytes() == (tmp_path / "w2" / name).read_bytes()


def test_an_internal_error_is_recorded_with_its_traceback(tmp_path, call_log):
    clips = make_clip_folder(tmp_path, bad=False)
    out = tmp_path / "out"
    rep = run(clips, out, workers=2, analyze_fn=buggy_analyze)
    assert rep.failed_ids == [VIDEOS[1]] and rep.ok == 2
    err = json.loads((out / VIDEOS[1] / "error.json").read_text())
    assert err["exit_code"] == 1 and "ZeroDivisionError" in err["error"] and "Traceback" in err["traceback"]


def test_a_dying_worker_process_fails_only_its_clip(tmp_path, call_log):
    clips = make_clip_folder(tmp_path, bad=False)
    out = tmp_path / "out"
    rep = run(clips, out, workers=2, analyze_fn=crashing_analyze)
    assert rep.failed_ids == [VIDEOS[1]] and rep.ok == 2
    rows = {r["clip_id"]: r for r in _rows(out / "summary.csv")}
    assert "worker process" in rows[VIDEOS[1]]["error"] and rows[VIDEOS[1]]["exit_code"] == "1"
    assert rows[VIDEOS[0]]["status"] == rows[VIDEOS[2]]["status"] == "ok"


def test_ctrl_c_stops_writes_partial_tables_and_resume_finishes(clips, tmp_path, call_log, monkeypatch):
    monkeypatch.setenv("GAIT_TEST_KILL_AFTER", "2")
    out = tmp_path / "out"
    with pytest.raises(KeyboardInterrupt):
        run(clips, out, workers=1, analyze_fn=interrupting_analyze)
    rows = {r["clip_id"]: r["status"] for r in _rows(out / "summary.csv")}
    assert rows == {"notes": "failed", VIDEOS[0]: "ok", VIDEOS[1]: "pending", VIDEOS[2]: "pending"}
    assert json.loads((out / "run_log.json").read_text())["runs"][0]["interrupted"] is True
    done = _mtimes(out, [VIDEOS[0]])
    call_log.unlink()
    rep = run(clips, out, workers=2, analyze_fn=fake_analyze)
    assert _called(call_log) == ["notes", VIDEOS[1], VIDEOS[2]] and rep.skipped == 1
    assert _mtimes(out, [VIDEOS[0]]) == done
    ref = tmp_path / "ref"
    run(clips, ref, workers=1, analyze_fn=fake_analyze)
    assert (out / "summary.csv").read_bytes() == (ref / "summary.csv").read_bytes()


def test_manifest_rows_set_options_and_carry_columns_through(tmp_path, call_log):
    make_clip_folder(tmp_path, bad=False)  # tmp_path/clips, named by the manifest below
    m = tmp_path / "manifest.csv"
    m.write_text("path,belt_speed,height_cm,subject_id,session,shoe\n"
                 f"clips/{VIDEOS[0]}.mp4,12,180,S01,pre,A\n"
                 f"clips/{VIDEOS[2]}.mp4,,,S02,pre,B\n"
                 "clips/gone.mp4,,,S03,post,C\n", encoding="utf-8")
    out = tmp_path / "out"
    rep = run(m, out, workers=2, analyze_fn=fake_analyze, options={"belt_speed_mps": 3.0})
    rows = _rows(out / "summary.csv")
    assert [r["clip_id"] for r in rows] == ["S01_pre_" + VIDEOS[0], "S02_pre_" + VIDEOS[2], "S03_post_gone"]
    assert list(rows[0])[:6] == ["clip_id", "path", "subject_id", "session", "shoe", "status"]
    assert [r["belt_speed_mps"] for r in rows] == [repr(round(12 / 3.6, 6)), "3.0", "3.0"]
    assert rows[0]["height_m"] == "1.8" and rows[1]["height_m"] == ""
    assert rows[2]["status"] == "failed" and rep.failed_ids == ["S03_post_gone"]
    strides = _rows(out / "strides.csv")
    assert list(strides[0])[:5] == ["clip_id", "subject_id", "session", "shoe", "stride"]
    assert {s["shoe"] for s in strides} == {"A", "B"}


def test_manifest_value_out_of_range_fails_before_any_clip_runs(tmp_path, call_log):
    m = tmp_path / "m.csv"
    m.write_text("path,belt_speed\nclips/a.mp4,99\n", encoding="utf-8")
    with pytest.raises(UsageError, match="clips/a.mp4: Belt speed 27.5 m/s is outside"):
        run(m, tmp_path / "out", analyze_fn=fake_analyze)
    assert not calls(call_log)


def test_without_pyarrow_only_csv_is_written(clips, tmp_path, call_log, monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_pyarrow(name, *a, **kw):
        if name.startswith("pyarrow"):
            raise ImportError(name)
        return real_import(name, *a, **kw)

    monkeypatch.setattr(builtins, "__import__", no_pyarrow)
    rep = run(clips, tmp_path / "out", workers=1, analyze_fn=fake_analyze)
    assert rep.summary_parquet is None and rep.summary_csv.is_file()
    assert not (tmp_path / "out" / "summary.parquet").exists()
    shutil.rmtree(tmp_path / "out")


def test_a_second_batch_on_the_same_folder_is_refused_and_a_stale_lock_taken_over(clips, tmp_path, call_log):
    out = tmp_path / "out"
    out.mkdir()
    (out / LOCK).write_text(json.dumps({"pid": os.getpid(), "host": socket.gethostname()}))
    with pytest.raises(UsageError, match="Another gait batch"):
        run(clips, out, workers=1, analyze_fn=fake_analyze)
    (out / LOCK).write_text(json.dumps({"pid": 2 ** 22 + 7, "host": socket.gethostname()}))  # dead
    assert run(clips, out, workers=1, analyze_fn=fake_analyze).ok == 3
    assert not (out / LOCK).exists()


def test_a_manifest_column_named_like_an_output_column_is_refused(tmp_path, call_log):
    m = tmp_path / "m.csv"
    m.write_text("path,side\nclips/a.mp4,left\n", encoding="utf-8")
    with pytest.raises(UsageError, match="column.s. side would overwrite"):
        run(m, tmp_path / "out", analyze_fn=fake_analyze)


def test_results_do_not_depend_on_what_a_worker_ran_before(clips, tmp_path, call_log):
    from test_batch_support import rng_analyze

    run(clips, tmp_path / "w1", workers=1, analyze_fn=rng_analyze)  # one process runs all clips in turn
    run(clips, tmp_path / "w2", workers=2, analyze_fn=rng_analyze)
    rows = _rows(tmp_path / "w1" / "summary.csv")
    assert len({r["cadence_spm"] for r in rows if r["status"] == "ok"}) == 1  # every clip starts from the same state
    assert (tmp_path / "w1" / "summary.csv").read_bytes() == (tmp_path / "w2" / "summary.csv").read_bytes()


def test_a_report_run_after_a_no_report_run_redoes_the_clips_for_their_reports(tmp_path, call_log):
    clips = make_clip_folder(tmp_path, bad=False)
    out = tmp_path / "out"
    run(clips, out, workers=1, analyze_fn=fake_analyze)  # write_report=False
    call_log.unlink()
    run(clips, out, workers=1, analyze_fn=fake_analyze, write_report=True)
    assert _called(call_log) == VIDEOS and json.loads((out / VIDEOS[0] / "batch.json").read_text())["report"]
    call_log.unlink()
    run(clips, out, workers=1, analyze_fn=fake_analyze)  # reports exist: nothing to redo without one
    assert _called(call_log) == []
