"""A batch killed hard (SIGKILL, as by a scheduler or a closed laptop) resumes without losing or redoing work."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from cli_support import default_sigint
from test_batch_support import calls, fake_analyze, make_clip_folder

from gait.batch import run_batch

TESTS = Path(__file__).resolve().parent

SCRIPT = """
import sys
sys.path.insert(0, {tests!r})
from gait.batch import run_batch
from test_batch_support import killing_analyze
run_batch({clips!r}, {out!r}, workers=1, analyze_fn=killing_analyze, progress=False)
"""


def _done(out: Path) -> dict[str, int]:
    """Clip folders holding a parseable result.json + batch.json: what a kill must never lose."""
    found = {}
    for d in out.iterdir():
        try:
            json.loads((d / "result.json").read_text()); json.loads((d / "batch.json").read_text())
        except (OSError, ValueError):
            continue
        found[d.name] = (d / "result.json").stat().st_mtime_ns
    return found


def test_sigkill_mid_batch_then_resume_recomputes_only_unfinished(tmp_path, monkeypatch):
    clips, out, log = make_clip_folder(tmp_path), tmp_path / "out", tmp_path / "calls.log"
    env = {**os.environ, "GAIT_TEST_CALL_LOG": str(log), "GAIT_TEST_KILL_AFTER": "2"}
    code = SCRIPT.format(tests=str(TESTS), clips=str(clips), out=str(out))
    proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == -9, proc.stderr  # the batch process itself was killed, mid-clip 3 of 4
    assert len(calls(log)) == 3
    finished = _done(out)
    assert list(finished) == ["rear_drop0_169spm_60fps"]  # clip 1 (notes) failed, clip 2 finished
    assert not (out / "summary.csv").exists()  # a SIGKILL leaves no chance to write tables: resume does
    log.unlink()
    monkeypatch.setenv("GAIT_TEST_CALL_LOG", str(log))
    rep = run_batch(clips, out, workers=2, analyze_fn=fake_analyze, progress=False, write_report=False)
    redone = sorted(Path(p).stem for p in calls(log))
    assert redone == ["notes", "rear_drop8_169spm_60fps", "side_right_drop4_169spm_60fps"]
    assert {k: v for k, v in _done(out).items() if k in finished} == finished  # untouched
    assert (rep.ok, rep.failed, rep.skipped) == (2, 1, 1)
    ref = tmp_path / "ref"
    run_batch(clips, ref, workers=1, analyze_fn=fake_analyze, progress=False, write_report=False)
    assert (out / "summary.csv").read_bytes() == (ref / "summary.csv").read_bytes()
    assert (out / "strides.csv").read_bytes() == (ref / "strides.csv").read_bytes()


INTERRUPT_SCRIPT = """
import sys
sys.path.insert(0, {tests!r})
from gait.batch import run_batch
from test_batch_support import fake_analyze
try:
    run_batch({clips!r}, {out!r}, workers=2, analyze_fn=fake_analyze, progress=True, write_report=False)
except KeyboardInterrupt:
    sys.exit(130)
"""


def test_ctrl_c_in_the_terminal_stops_workers_keeps_finished_clips(tmp_path):
    """SIGINT to the whole process group, as a terminal sends it: the parent stops the pool, no tracebacks."""
    import signal
    import time

    from test_batch_support import caller_pids

    clips, out, log = make_clip_folder(tmp_path), tmp_path / "out", tmp_path / "calls.log"
    env = {**os.environ, "GAIT_TEST_CALL_LOG": str(log), "GAIT_TEST_FAKE_SLEEP": "1.5"}
    code = INTERRUPT_SCRIPT.format(tests=str(TESTS), clips=str(clips), out=str(out))
    proc = subprocess.Popen([sys.executable, "-c", code], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True, preexec_fn=default_sigint)
    deadline = time.monotonic() + 60
    while len(calls(log)) < 3 and time.monotonic() < deadline:  # clips 1-2 done or running, 3 started
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "Traceback" not in err and "run the same command again to resume" in err
    for pid in caller_pids(log):  # the workers were stopped, not orphaned
        assert not Path(f"/proc/{pid}").exists() or "zombie" in Path(f"/proc/{pid}/status").read_text().lower()
    statuses = [line.split(",")[2] for line in (out / "summary.csv").read_text().splitlines()[1:]]
    assert "pending" in statuses and {"ok", "failed"} & set(statuses)  # finished clips kept, the rest pending
