"""``gait`` command line: a thin shell over the Python API.

Subcommands live next to what they drive (gait.report.command, gait.batch.command,
gait.web.command); each module offers ``add_parser(subparsers)`` and ``run(args) -> int``.
Errors become one sentence on stderr and a documented exit code (gait.errors.EXIT_CODES).
"""
from __future__ import annotations

import argparse
import importlib
import re
import sys
from pathlib import Path

from gait.errors import EXIT_CODES, GaitError, UsageError
from gait.vocabulary import MODEL_NAMES, REQUESTABLE_VIEWS

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


def parse_speed(text: str) -> float:
    """Belt speed to m/s: '12' or '12kmh' = km/h (the treadmill display unit); '3.5mps' or '3.5m/s' = m/s."""
    m = re.fullmatch(r"\s*([0-9]*\.?[0-9]+)\s*(km/?h|kph|mps|m/s)?\s*", text.lower())
    if not m:
        raise argparse.ArgumentTypeError(f"'{text}' is not a speed; write e.g. 12 (km/h), 12kmh or 3.5mps")
    value, unit = float(m.group(1)), m.group(2) or "kmh"
    return value if unit in ("mps", "m/s") else value / 3.6


def add_analysis_options(p: argparse.ArgumentParser) -> None:
    """Options shared by analyze, batch and serve defaults."""
    p.add_argument("--view", default="auto", choices=REQUESTABLE_VIEWS,
                   help="camera view (default: detect)")
    p.add_argument("--belt-speed", type=parse_speed, metavar="SPEED",
                   help="treadmill belt speed: km/h (12, 12kmh) or m/s with unit (3.5mps)")
    p.add_argument("--height-cm", type=float, metavar="CM", help="runner's height in cm (scale for overground clips)")
    p.add_argument("--model", default="full", choices=MODEL_NAMES, help="pose model (default full)")
    p.add_argument("--model-path", help="explicit path to a pose_landmarker_*.task bundle")
    p.add_argument("--no-cache", action="store_true", help="re-run pose estimation even if landmarks are cached")
    slow = p.add_mutually_exclusive_group()
    slow.add_argument("--capture-fps", type=float, metavar="N",
                      help="frames/s the clip was filmed at, for slow motion exported at a lower rate (e.g. 240)")
    slow.add_argument("--slowmo", type=float, metavar="FACTOR",
                      help="how many times slower than real time the clip plays (e.g. 8 for 240 fps shown at 30)")


def options_from_args(args: argparse.Namespace) -> dict:
    return {"view": args.view, "belt_speed_mps": args.belt_speed,
            "height_m": args.height_cm / 100.0 if args.height_cm is not None else None, "model": args.model,
            "model_path": args.model_path, "use_cache": not args.no_cache,
            "capture_fps": getattr(args, "capture_fps", None), "slowmo": getattr(args, "slowmo", None)}


def _cmd_analyze(args: argparse.Namespace) -> int:
    from gait.app import run_analyze

    return run_analyze(args)


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
    a = sub.add_parser("analyze", help="analyse one clip (or a side + rear pair) and write result.json + report")
    a.add_argument("video", nargs="?", help="video file (.mp4/.mov)")
    add_analysis_options(a)
    a.add_argument("--out", help="output folder (default: <video stem>_gait beside the video)")
    a.set_defaults(func=_cmd_analyze)
    from gait.app import add_analyze_extras

    add_analyze_extras(a)
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
