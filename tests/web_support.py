"""A real `gait serve` in a subprocess (its own process group, like a terminal's job) and small HTTP helpers."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
from cli_support import cli_env, default_sigint, gait_argv

START_TIMEOUT_S = 90  # imports + first request on a loaded 2-core machine
JOB_TIMEOUT_S = 240


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    proc: subprocess.Popen
    url: str
    data: Path
    log: Path

    def stderr(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def stop(self, sig: int = signal.SIGTERM, timeout_s: float = 60) -> int:
        """Signal the whole process group (as a terminal does) and wait for the server to exit."""
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, sig)
            try:
                self.proc.wait(timeout_s)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(10)
        return self.proc.returncode


def start_server(data: Path, *extra: str, port: int | None = None) -> Server:
    port = port or free_port()
    log = data.parent / f"{data.name}-server-{port}.log"
    fh = log.open("a")  # a file, not a pipe: a stuck child holding a pipe must not hang the test
    proc = subprocess.Popen(gait_argv("serve", "--port", port, "--data", data, *extra), env=cli_env(),
                            stdout=fh, stderr=subprocess.STDOUT, start_new_session=True,
                            preexec_fn=default_sigint)
    fh.close()
    server = Server(proc, f"http://127.0.0.1:{port}", data, log)
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        try:
            if httpx.get(server.url + "/api/athletes", timeout=5).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        if proc.poll() is not None:
            break
        time.sleep(0.2)
    server.stop(signal.SIGKILL)
    raise RuntimeError("gait serve did not start:\n" + server.stderr())


def upload(url: str, content: bytes, filename: str = "run.mp4", **fields: str) -> httpx.Response:
    return httpx.post(url + "/api/jobs", files={"video": (filename, content, "video/mp4")}, data=fields,
                      headers={"Accept": "application/json"}, timeout=60)


def job(url: str, job_id: str) -> dict:
    return httpx.get(f"{url}/api/jobs/{job_id}", timeout=30).json()


def wait_for(predicate, timeout_s: float = JOB_TIMEOUT_S, what: str = "condition"):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        got = predicate()
        if got:
            return got
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout_s:g} s waiting for {what}")


def wait_final(url: str, job_id: str, timeout_s: float = JOB_TIMEOUT_S) -> dict:
    return wait_for(lambda: (s := job(url, job_id))["status"] in ("done", "failed") and s, timeout_s,
                    f"job {job_id} to finish")
