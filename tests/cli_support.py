"""Run the real ``gait`` command in a subprocess, with this checkout's code (not an installed copy)."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
NOBODY = 65534


def cli_env(**extra: str) -> dict[str, str]:
    env = {**os.environ, **extra}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH", "")) if p)
    return env


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
