"""Run the real ``gait`` command in a subprocess, with this checkout's code (not an installed copy)."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from gait.procs import is_running

REPO = Path(__file__).resolve().parents[1]
NOBODY = 65534


def cli_env(**extra: str) -> dict[str, str]:
    env = {**os.environ, **extra}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH", "")) if p)
    return env


def default_sigint() -> None:
    """preexec_fn: Ctrl-C kills the child as it would from a terminal, even when the suite itself runs in
    the background of a non-interactive shell (which starts it with SIGINT ignored, inherited by children)."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_DFL)


def gait_argv(*argv) -> list[str]:
    return [sys.executable, "-m", "gait.cli", *map(str, argv)]


def run_cli(*argv, prefix: tuple[str, ...] = (), env: dict | None = None, cwd: Path | None = None,
            timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run([*prefix, *gait_argv(*argv)], capture_output=True, text=True, timeout=timeout,
                          env=env or cli_env(), cwd=cwd)


def one_sentence(stderr: str) -> str:
    """The only stderr line, checked to be one sentence with no traceback."""
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in stderr, stderr
    assert lines[0].startswith("gait") and lines[0].endswith("."), lines[0]
    return lines[0]


def as_nobody_prefix() -> tuple[str, ...] | None:
    """A prefix that runs the command as an unprivileged user (root writes anywhere), or None if impossible."""
    if os.geteuid() != 0:
        return ()
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        return None
    prefix = (setpriv, f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups")
    probe = subprocess.run([*prefix, sys.executable, "-c", "import gait.cli"], env=cli_env(), capture_output=True,
                           timeout=60)
    return prefix if probe.returncode == 0 else None  # e.g. the checkout is under /root (0700)


def read_only_mount_prefix(folder: Path) -> tuple[str, ...] | None:
    """A prefix that runs the command with ``folder`` as an empty read-only filesystem (private mount
    namespace), or None where that is not allowed (not root, no unshare)."""
    unshare = shutil.which("unshare")
    if unshare is None or os.geteuid() != 0:
        return None
    folder.mkdir(parents=True, exist_ok=True)
    prefix = (unshare, "-m", "sh", "-c", 'mount -t tmpfs -o ro,size=1m tmpfs "$0" && exec "$@"', str(folder))
    probe = subprocess.run([*prefix, "true"], capture_output=True, timeout=30)
    return prefix if probe.returncode == 0 else None


def children_of(pid: int) -> set[int]:
    """Processes whose parent is ``pid`` (Linux /proc)."""
    kids = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        if int(text[text.rfind(")") + 2:].split()[1]) == pid:
            kids.add(int(stat.parent.name))
    return kids


def wait_gone(pids: dict[int, str | None], timeout_s: float = 30.0) -> set[int]:
    """Poll until none of these processes (pid -> start time) runs -> the ones still running at the deadline."""
    deadline = time.monotonic() + timeout_s
    alive = set(pids)
    while alive and time.monotonic() < deadline:
        alive = {p for p in alive if is_running(p, pids[p])}
        time.sleep(0.1)
    return alive
