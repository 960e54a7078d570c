"""``gait batch INPUT --out DIR``: the command-line shell over ``gait.batch.run_batch``."""
from __future__ import annotations

import argparse
import sys

from gait.errors import UsageError

DESCRIPTION = """Analyse many clips in parallel into DIR: a folder per clip (result.json, report), summary.csv
(a row per clip) and strides.csv (a row per stride), plus Parquet copies when pyarrow is installed.
Re-running the same command resumes: clips already finished with the same input and options are skipped,
failed ones are retried. A failing clip is recorded in DIR/<clip_id>/error.json and summary.csv and
never stops the batch.

INPUT is a folder (videos found recursively), a quoted glob ('clips/**/*.mp4'), one or more files, or a
manifest CSV with a 'path' column and optional view, belt_speed (km/h; or belt_speed_mps), height_cm,
subject_id, session; other columns are copied to the tables. Relative paths resolve against the
manifest's folder; a non-empty cell overrides the command-line option for that clip."""


def _positive_int(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"needs at least 1 worker, not {n}")
    return n


def add_parser(subparsers) -> argparse.ArgumentParser:
    from gait.cli_options import add_analysis_options

    p = subparsers.add_parser("batch", help="analyse many clips (folder, glob or manifest CSV) in parallel, "
                              "resumably, into summary/strides tables", description=DESCRIPTION,
                              formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="folder, glob, video files or manifest .csv")
    p.add_argument("--out", required=True, metavar="DIR", help="output folder (re-use it to resume)")
    p.add_argument("--workers", type=_positive_int, metavar="N",
                   help="parallel local processes (default: the CPU cores available)")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="run on an existing Dask cluster, e.g. tcp://10.0.0.5:8786 (its workers need gait "
                        "installed and must see INPUT and DIR at the same paths)")
    p.add_argument("--no-report", action="store_true", help="write result.json only, no per-clip report")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    add_analysis_options(p)
    p.set_defaults(func=run)
    return p


def run(args: argparse.Namespace) -> int:
    from gait.batch.runner import run_batch
    from gait.cli_options import options_from_args

    if args.scheduler is not None and not args.scheduler.strip():
        raise UsageError("--scheduler needs an address such as tcp://host:8786.")
    report = run_batch(args.inputs[0] if len(args.inputs) == 1 else args.inputs, args.out, workers=args.workers,
                       scheduler=args.scheduler, options=options_from_args(args), progress=not args.quiet,
                       write_report=not args.no_report)
    print(report.closing_line())
    if report.failed_ids:
        shown = ", ".join(report.failed_ids[:5]) + (" …" if len(report.failed_ids) > 5 else "")
        print(f"Failed: {shown} (see the error column of summary.csv).", file=sys.stderr)
    written = [report.summary_csv, report.strides_csv, report.summary_parquet, report.strides_parquet]
    print("Wrote: " + ", ".join(str(p) for p in written if p), file=sys.stderr)
    return 0
