"""kill -9 of `gait batch`: its worker processes and the multiprocessing resource tracker die with it, and
an immediate re-run neither collides with a stale worker nor loses a clip."""
from __future__ import annotations

import csv
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from cli_support import (
    children_of,
    cli_env,
    default_sigint,
    gait_argv,
    run_cli,
    wait_gone,
)
from test_batch_support import fake_analyze, make_clip_folder

from gait.batch import run_batch
from gait.batch.lock import LOCK, WORKERS
from gait.procs import kill_and_wait, start_time
from tests.media import noise_clip

TIMEOUT_S = 120  # generous: a loaded 2-core machine


def _poll(predicate, timeout_s: float = TIMEOUT_S, what: str = "condition"):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        got = predicate()
        if got:
            return got
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.mark.slow
def test_sigkill_of_gait_batch_takes_its_workers_and_tracker_and_a_rerun_finishes_every_clip(tmp_path):
    clips = tmp_path / "clips"
    clips.mkdir()
    for i in range(4):
        noise_clip(clips / f"nobody_{i}.mp4", 8, seed=i)
    out = tmp_path / "out"
    argv = gait_argv("batch", clips, "--out", out, "--workers", "2", "--no-report", "--quiet")
    log = (tmp_path / "batch.log").open("w")  # a file, not a pipe: orphans holding a pipe would hang the test
    proc = subprocess.Popen(argv, env=cli_env(), stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                            preexec_fn=default_sigint)
    kids: dict[int, str | None] = {}
    try:
        _poll(lambda: len(list((out / WORKERS).glob("*.json"))) >= 2 or proc.poll() is not None,
              what="two registered workers")
        assert proc.poll() is None, (tmp_path / "batch.log").read_text()
        kids = {pid: start_time(pid) for pid in children_of(proc.pid)}
        cmdlines = {pid: Path(f"/proc/{pid}/cmdline").read_bytes() for pid in kids}
        assert sum(b"spawn_main" in c for c in cmdlines.values()) == 2, cmdlines
        assert any(b"resource_tracker" in c for c in cmdlines.values()), cmdlines
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(30)
        left = wait_gone(kids)
        assert left == set(), "workers or the resource tracker outlived the killed batch"
    finally:
        for pid, started in kids.items():  # on failure, leave no orphan behind either
            kill_and_wait(pid, started)
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        log.close()
    rerun = run_cli("batch", clips, "--out", out, "--workers", "2", "--no-report", "--quiet", timeout=600)
    assert rerun.returncode == 0, rerun.stderr
    assert "Another gait batch" not in rerun.stderr
    rows = list(csv.DictReader((out / "summary.csv").open()))
    assert [r["clip_id"] for r in rows] == [f"nobody_{i}" for i in range(4)]
    assert {(r["status"], r["exit_code"]) for r in rows} == {("failed", "7")}  # each clip ran and was recorded
    assert not (out / LOCK).exists() and not (out / WORKERS).exists()


def test_a_rerun_stops_a_stale_worker_of_a_killed_batch_and_spares_a_reused_pid(tmp_path, monkeypatch):
    """The batch is gone but one of its workers is not (no parent-death signal on this OS, say): the re-run
    must kill it before touching the clips, and must not kill an unrelated process that got a recorded pid."""
    monkeypatch.setenv("GAIT_TEST_CALL_LOG", str(tmp_path / "calls.log"))
    clips, out = make_clip_folder(tmp_path, bad=False), tmp_path / "out"
    (out / WORKERS).mkdir(parents=True)
    stale = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(300)"])
    try:
        _poll(lambda: start_time(stale.pid), what="the stale worker to start")
        (out / LOCK).write_text(json.dumps({"pid": 2 ** 22 + 7, "host": socket.gethostname(), "started": "1"}))
        (out / WORKERS / f"{stale.pid}.json").write_text(json.dumps({"pid": stale.pid,
                                                                     "started": start_time(stale.pid)}))
        me = os.getpid()  # a recorded pid now used by another process (this test): other start time
        (out / WORKERS / f"{me}.json").write_text(json.dumps({"pid": me, "started": "1"}))
        rep = run_batch(clips, out, workers=1, analyze_fn=fake_analyze, progress=False, write_report=False)
        assert rep.ok == 3
        assert stale.wait(30) == -signal.SIGKILL
    finally:
        if stale.poll() is None:
            stale.kill()
            stale.wait()
    assert not (out / LOCK).exists() and not (out / WORKERS).exists()
