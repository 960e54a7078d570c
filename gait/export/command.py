"""``gait export RESULT.json --format trc|mot|csv|parquet|c3d [--out FILE]``: standard files from a saved result.

No pose estimation: the landmarks come from the cache the analysis filled.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from gait.errors import OutputNotWritable
from gait.export import FORMATS, ExportOptions, export, format_list


def add_parser(subparsers) -> None:
    p = subparsers.add_parser("export", help="write per-frame landmarks and angles as TRC, MOT, C3D, CSV or Parquet",
                              description="Write the per-frame landmarks and angles of a saved analysis in standard "
                                          "formats (docs/exports.md): TRC markers and MOT angles for OpenSim, C3D, "
                                          "and a per-frame table as CSV or Parquet.")
    p.add_argument("result", metavar="RESULT.json", help="a result.json written by 'gait analyze'")
    p.add_argument("--format", required=True, type=format_list, metavar="FORMAT",
                   help=f"one of {', '.join(FORMATS)}, or a comma list (e.g. trc,mot)")
    p.add_argument("--out", help="output file (one format); default: beside RESULT.json, named after the clip")
    p.add_argument("--space", default="image", choices=["image", "world"],
                   help="markers in the image plane (default) or MediaPipe's 3D world landmarks")
    p.add_argument("--units", choices=["px", "m", "mm"],
                   help="marker units (default: mm when the runner's height gives a scale, else px)")
    p.add_argument("--height-cm", type=float, metavar="CM", help="runner's height, for a scale the analysis lacked")
    p.add_argument("--raw", action="store_true", help="landmarks as the pose model gave them (not filtered/repaired)")
    p.add_argument("--quiet", action="store_true", help="print nothing on success")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from gait.outdir import check_writable
    from gait.report.command import load_result

    path = Path(args.result)
    result = load_result(path)
    out = Path(args.out) if args.out else None
    check_writable(out.parent if out is not None else path.parent)
    opts = ExportOptions(space=args.space, units=args.units, raw=args.raw,
                         height_m=args.height_cm / 100.0 if args.height_cm else None)
    try:
        done = export(result, args.format, path.parent, opts, out=out)
    except OSError as err:
        raise OutputNotWritable(f"Cannot write the export: {err.strerror or err}.") from None
    if not args.quiet:
        for note in done.notes:
            print(f"gait: note: {note}", file=sys.stderr)
        print("Wrote: " + ", ".join(str(p) for p in done.paths.values()))
    return 0
