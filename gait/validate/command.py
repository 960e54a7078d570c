"""``gait validate DIR [--model lite,full] [--out DIR]``: the accuracy table, made by a command anyone can run.

Analyses every clip in DIR that carries a truth file in the phantom format (belt speed
and height from the truth), scores it with ``gait.validate.score`` and prints the table;
``--out`` also writes validation.csv and validation.html. A clip whose analysis fails is
a row with its error; the command still exits 0 (like ``gait batch``).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from gait.errors import InputNotFound, UsageError
from gait.vocabulary import MODEL_NAMES as MODELS


def parse_models(values: list[str] | None) -> list[str]:
    names = [m.strip().lower() for v in (values or ["full"]) for m in v.split(",") if m.strip()]
    bad = [m for m in names if m not in MODELS]
    if bad or not names:
        raise UsageError(f"Unknown model '{bad[0] if bad else ''}'; use lite, full or heavy (repeat --model or "
                         "give a comma list).")
    return list(dict.fromkeys(names))


def add_parser(subparsers) -> None:
    p = subparsers.add_parser("validate", help="accuracy table against truth files (phantom format) in a folder",
                              description="Analyse every clip in DIR that has a truth file (<clip>.json in the "
                                          "phantom format) and print the accuracy table.")
    p.add_argument("folder", metavar="DIR", help="folder of clips with truth files")
    p.add_argument("--model", action="append", metavar="MODEL",
                   help="lite, full or heavy; repeat or give a comma list (default full)")
    p.add_argument("--out", help="folder for validation.csv and validation.html")
    p.add_argument("--quiet", action="store_true", help="no progress lines")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from gait.outdir import check_writable
    from gait.validate import clips_with_truth, validate_folder
    from gait.validate.table import printed

    models = parse_models(args.model)
    folder = Path(args.folder)
    if not folder.is_dir():
        raise InputNotFound(f"No such folder: {folder}.")
    if not clips_with_truth(folder):
        raise InputNotFound(f"No clip in {folder} has a truth file (<clip>.json in the phantom format beside "
                            f"<clip>.mp4).")
    out = check_writable(args.out) if args.out else None  # before any work
    show = (lambda text: print(f"analysing {text}", file=sys.stderr, flush=True)) if not args.quiet else (
        lambda text: None)
    rows = validate_folder(folder, models, show)
    print(printed(rows))
    if out is not None:
        from gait.validate.page import write_html
        from gait.validate.table import write_csv

        written = [write_csv(rows, out / "validation.csv"), write_html(rows, str(folder), out / "validation.html")]
        print("Wrote: " + ", ".join(str(p) for p in written))
    return 0
