"""Nothing lost when `gait serve` stops: kill -9 mid-job (the worker dies with it; running and queued jobs
run again on restart), Ctrl-C (the running job is recorded as interrupted, then run again), and work that
finished just before a kill is recorded and served. All against a real server and real signals."""
from __future__ import annotations

import json
import os
import signal
import uuid
from pathlib import Path

import httpx
import pytest
from cli_support import children_of, wait_gone
from web_support import job, start_server, upload, wait_final, wait_for

from gait.procs import start_time
from tests.media import noise_clip

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
NO_PERSON = "No person was found"
UPLOAD_AGAIN = "please upload the clip again"


def _running(url: str, job_id: str) -> bool:
    s = job(url, job_id)
    return s["status"] == "running" and s["progress"] > 0


def _workers(server) -> dict[int, str | None]:
    """The server's child processes (analysis workers and the multiprocessing resource tracker)."""
    kids = {pid: start_time(pid) for pid in children_of(server.proc.pid)}
    assert any(b"spawn_main" in Path(f"/proc/{p}/cmdline").read_bytes() for p in kids), kids
    return kids


def _on_disk(data: Path, job_id: str) -> dict:
    return json.loads((data / "jobs" / job_id / "job.json").read_text())


@pytest.mark.slow
def test_kill_9_mid_job_takes_the_worker_along_and_a_restart_runs_running_and_queued_jobs_again(tmp_path):
    data = tmp_path / "data"
    srv = start_server(data)
    try:
        long = upload(srv.url, noise_clip(tmp_path / "long.mp4", 12, 1).read_bytes(), "long.mp4").json()["job_id"]
        queued = upload(srv.url, noise_clip(tmp_path / "q.mp4", 4, 2).read_bytes(), "q.mp4").json()["job_id"]
        wait_for(lambda: _running(srv.url, long), what="the long job to run")
        workers = _workers(srv)
        os.kill(srv.proc.pid, signal.SIGKILL)
        srv.proc.wait(30)
    finally:
        srv.stop(signal.SIGKILL)
    assert wait_gone(workers) == set(), "an analysis worker outlived the killed server"
    assert (_on_disk(data, long)["status"], _on_disk(data, queued)["status"]) == ("running", "queued")
    srv = start_server(data)
    try:
        a, b = wait_final(srv.url, long), wait_final(srv.url, queued)
    finally:
        srv.stop()
    assert a["status"] == "failed" and a["error"].startswith(NO_PERSON) and a["attempts"] == 2, a
    assert b["status"] == "failed" and b["error"].startswith(NO_PERSON) and b["attempts"] == 1, b


@pytest.mark.slow
def test_ctrl_c_records_the_running_job_as_interrupted_and_the_next_start_runs_it_again(tmp_path):
    data = tmp_path / "data"
    srv = start_server(data)
    try:
        long = upload(srv.url, noise_clip(tmp_path / "long.mp4", 12, 3).read_bytes(), "long.mp4").json()["job_id"]
        wait_for(lambda: _running(srv.url, long), what="the job to run")
        workers = _workers(srv)
        code = srv.stop(signal.SIGINT)  # to the process group, as a terminal's Ctrl-C
    finally:
        srv.stop(signal.SIGKILL)
    assert code == 130, srv.stderr()
    lines = srv.stderr().strip().splitlines()
    assert lines[0].startswith("gait: serving on http://127.0.0.1:")
    assert lines[1:] == ["gait: stopped; 1 interrupted analysis will start again when the server does."], lines
    assert _on_disk(data, long)["status"] == "interrupted"
    assert wait_gone(workers) == set()
    srv = start_server(data)
    try:
        s = wait_final(srv.url, long)
    finally:
        srv.stop()
    assert s["status"] == "failed" and s["error"].startswith(NO_PERSON) and s["attempts"] == 2, s
    assert "damaged" not in s["error"]


def _job_folder(data: Path, status: str, input_bytes: bytes | None, created: str, **extra) -> str:
    """A job folder as a server killed at some instant leaves it."""
    job_id = uuid.uuid4().hex
    d = data / "jobs" / job_id
    d.mkdir(parents=True)
    if input_bytes is not None:
        (d / "input.mp4").write_bytes(input_bytes)
    (d / "job.json").write_text(json.dumps({"id": job_id, "created_at": created,
                                            "display_name": f"{status}.mp4", "input_name": "input.mp4",
                                            "status": status, "session_date": "2026-01-01", **extra}))
    return job_id


def test_work_finished_before_a_kill_is_recorded_and_served_and_queued_uploads_run(tmp_path):
    data = tmp_path / "data"
    srv = start_server(data)
    athlete = httpx.post(srv.url + "/api/athletes", json={"name": "Ada"}, timeout=30).json()
    srv.stop()
    clip = noise_clip(tmp_path / "c.mp4", 2).read_bytes()  # too short: fails fast in the real worker
    finished = _job_folder(data, "running", clip, "2026-01-01T09:00:00+00:00", attempts=1, athlete_id=athlete["id"])
    out = data / "jobs" / finished / "out"
    out.mkdir()
    (out / "result.json").write_text(json.dumps({"schema_version": 2}))
    (out / "report.html").write_text("<html><body><h1>Gait report</h1></body></html>")
    headline = {"view": "rear", "cadence_spm": 171.0, "pelvic_drop_left_deg": 6.5, "pelvic_drop_right_deg": 6.1}
    (data / "jobs" / finished / "outcome.json").write_text(json.dumps(
        {"ok": True, "error": None, "files": {"result_json": "result.json", "report_html": "report.html"},
         "headline": headline, "warnings": []}))
    queued = _job_folder(data, "queued", clip, "2026-01-01T09:01:00+00:00")
    lost = _job_folder(data, "queued", None, "2026-01-01T09:02:00+00:00")
    srv = start_server(data)
    try:
        s = job(srv.url, finished)
        assert s["status"] == "done" and s["attempts"] == 1 and s["assessment_id"], s  # recorded, not re-run
        assert httpx.get(srv.url + s["files"]["report_html"], timeout=30).text.startswith("<html>")
        trend = httpx.get(f"{srv.url}/api/athletes/{athlete['id']}/trend", timeout=30).json()
        assert trend["cadence_spm"] == [171.0] and trend["job_id"] == [finished]
        q = wait_final(srv.url, queued)
        assert q["status"] == "failed" and "at least 3.5 s" in q["error"] and q["attempts"] == 1, q
        assert job(srv.url, lost)["error"].endswith(UPLOAD_AGAIN + ".")  # only when the upload is gone
    finally:
        srv.stop()
