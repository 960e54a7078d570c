"""``gait report RESULT.json [--out DIR] [--overlay]``: re-render the report from a saved result.

No pose estimation: key frames are remade from the landmark cache when the video is
still there, else the ones saved beside the result are reused.
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

from gait.errors import InputNotFound, UsageError
from gait.result import Result


def add_parser(subparsers) -> None:
    p = subparsers.add_parser("report", help="re-render report.html / strides.csv from a saved result.json",
                              description="Re-render the report from a saved result.json, without pose estimation.")
    p.add_argument("result", metavar="RESULT.json", help="a result.json written by 'gait analyze'")
    p.add_argument("--out", help="output folder (default: the folder holding RESULT.json)")
    p.add_argument("--overlay", action="store_true", help="also write the annotated video (needs the original clip)")
    p.add_argument("--quiet", action="store_true", help="print nothing on success")
    p.set_defaults(func=run)


def load_result(path: Path) -> Result:
    if not path.is_file():
        raise InputNotFound(f"No such file: {path}.")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise UsageError(f"{path.name} is not a JSON file ({err.__class__.__name__} at {getattr(err, 'pos', 0)}).")
    if not isinstance(data, dict) or "schema_version" not in data:
        raise UsageError(f"{path.name} is not a gait result (no schema_version); give the result.json of an analysis.")
    try:
        return Result.from_dict(data)
    except (ValueError, TypeError, KeyError) as err:
        raise UsageError(f"{path.name} cannot be read as a gait result: {err}.")


def _carry_over(src: Path, out: Path) -> None:
    """Copy saved key frames and overlay videos into a new --out folder so the page finds them there."""
    if src.resolve() == out.resolve():
        return
    out.mkdir(parents=True, exist_ok=True)
    if (src / "keyframes").is_dir() and not (out / "keyframes").exists():
        shutil.copytree(src / "keyframes", out / "keyframes")
    for video in [*src.glob("overlay*.mp4"), *src.glob("overlay*.webm")]:
        if not (out / video.name).exists():
            shutil.copy2(video, out / video.name)


def run(args: argparse.Namespace) -> int:
    from gait.atomic import write_text_atomic as write_json_atomic
    from gait.outdir import check_writable
    from gait.report import write_outputs

    path = Path(args.result)
    result = load_result(path)
    out = Path(args.out) if args.out else path.parent
    check_writable(out)
    _carry_over(path.parent, out)
    copied = out.resolve() != path.parent.resolve()
    if copied:
        write_json_atomic(out / "result.json", result.to_json())
    from gait.video.reader import locate

    video = Path(locate(result.video))  # absolute path first: right when run from another folder
    overlay = bool(args.overlay and video.is_file())
    written = write_outputs(result, out, overlay=overlay)
    if not args.quiet:
        for note in written.notes:
            print(f"gait: note: {note}", file=sys.stderr)
        files = ([out / "result.json"] if copied else []) + [p for k, p in written.items() if k != "result.json"]
        print("Wrote: " + ", ".join(str(p) for p in files))
    if args.overlay and not overlay:
        raise InputNotFound(f"The overlay needs the original video, but {video} no longer exists "
                            f"(the report was re-rendered without it).")
    return 0
