"""`gait batch` on the command line: usage errors are one sentence and a documented exit code."""
from __future__ import annotations

import pytest

from gait.cli import main


def test_batch_is_a_subcommand_with_help(capsys):
    assert main(["batch", "--help"]) == 0
    out = capsys.readouterr().out
    for flag in ("--out", "--workers", "--scheduler", "--no-report", "--belt-speed", "--view", "manifest"):
        assert flag in out


@pytest.mark.parametrize("argv, code, message", [
    (["batch", "clips"], 2, "--out"),
    (["batch", "clips", "--out", "o", "--workers", "0"], 2, "at least 1 worker"),
    (["batch", "clips", "--out", "o", "--workers", "two"], 2, "not a whole number"),
    (["batch", "{tmp}/nope", "--out", "{tmp}/o"], 3, "No such file or folder"),
    (["batch", "{tmp}", "--out", "{tmp}/o", "--workers", "2", "--scheduler", "tcp://h:8786"], 2, "--workers"),
    (["batch", "{tmp}/m.csv", "--out", "{tmp}/o"], 2, "m.csv line 2: view 'up'"),
])
def test_usage_errors_are_one_line_with_exit_code(tmp_path, capsys, argv, code, message):
    (tmp_path / "m.csv").write_text("path,view\nx.mp4,up\n", encoding="utf-8")
    assert main([a.format(tmp=tmp_path) for a in argv]) == code
    err = capsys.readouterr().err.strip()
    assert message in err.splitlines()[-1] and "Traceback" not in err  # argparse adds its usage lines above
