"""``gait`` command line: a thin shell over the Python API.

Subcommands live next to what they drive (gait.analyze_command, gait.report.command,
gait.batch.command, gait.web.command, ...); each module offers ``add_parser(subparsers)``.
Options shared by several subcommands are in gait.cli_options.
Errors become one sentence on stderr and a documented exit code (gait.errors.EXIT_CODES).
"""
from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

from gait.errors import EXIT_CODES, GaitError

SUBCOMMAND_MODULES = ("gait.report.command", "gait.batch.command", "gait.web.command", "gait.export.command",
                      "gait.validate.command", "gait.compare.command")


class OneLineParser(argparse.ArgumentParser):
    """argparse whose usage errors are one sentence and a pointer to --help, not the 10-line usage block."""

    def error(self, message: str):  # argparse's hook; it must not return
        hint = _leading_dash_hint(message)
        self.exit(2, f"{self.prog}: error: {message}{hint}; see {self.prog} --help.\n")


def _leading_dash_hint(message: str) -> str:
    """A file named '-clip.mp4' reads as an option: say how to pass it when such a file exists."""
    if not message.startswith("unrecognized arguments:"):
        return ""
    names = [a for a in message.split(":", 1)[1].split() if a.startswith("-") and Path(a).is_file()]
    return f" (for a file named {names[0]}, write ./{names[0]} or put it after --)" if names else ""


def _cmd_models(args: argparse.Namespace) -> int:
    from gait.poses import list_models

    rows = list_models()
    for r in rows:
        if r["status"] == "ok":
            print(f"{r['name']:6} ok        sha256 {'verified' if r['sha256_ok'] else 'UNVERIFIED'}  "
                  f"{r['path']}  (from {r['found_in']})")
        else:
            print(f"{r['name']:6} missing   {r['status']}")
    return 0 if any(r["status"] == "ok" for r in rows) else 8


def build_parser() -> argparse.ArgumentParser:
    ap = OneLineParser(prog="gait", description="Running gait analysis from video (cadence, stride "
                                 "length, pelvic drop) with cited advice.",
                                 epilog="Exit codes: " + "; ".join(f"{k} {v}" for k, v in EXIT_CODES.items()))
    sub = ap.add_subparsers(dest="command", required=True)
    importlib.import_module("gait.analyze_command").add_parser(sub)
    m = sub.add_parser("models", help="list pose models, where each was found, and verify sha256")
    m.set_defaults(func=_cmd_models)
    for name in SUBCOMMAND_MODULES:
        importlib.import_module(name).add_parser(sub)
    return ap


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as e:  # argparse already printed its one-line usage error
        return int(e.code or 0)
    try:
        return int(args.func(args) or 0)
    except GaitError as err:
        print(f"gait: error: {err}", file=sys.stderr)
        return err.exit_code
    except KeyboardInterrupt:
        print("gait: interrupted.", file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into e.g. `head`, which stopped reading: not an error
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as err:  # a bug: one sentence here, the traceback in a file for the bug report
        print(f"gait: error: unexpected internal error ({type(err).__name__}: {err}); please report it with "
              f"{_save_traceback()}.", file=sys.stderr)
        return 1


def _save_traceback() -> str:
    import tempfile
    import traceback

    try:
        fd, path = tempfile.mkstemp(prefix="gait-error-", suffix=".txt")
        with open(fd, "w", encoding="utf-8") as fh:
            fh.write(traceback.format_exc())
    except OSError:
        return "the command you ran"
    return f"the details saved in {path}"


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
