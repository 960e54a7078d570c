"""``gait compare A.json B.json [--out compare.html]``: what changed between two sessions, against its uncertainty."""
from __future__ import annotations

import argparse
from pathlib import Path


def add_parser(subparsers) -> None:
    p = subparsers.add_parser("compare", help="change in each headline metric between two saved results",
                              description="Compare two sessions (result.json files): the change in each headline "
                                          "metric with its 95 % interval; 'changed' only when the change exceeds "
                                          "its uncertainty.")
    p.add_argument("before", metavar="A.json", help="the earlier session's result.json")
    p.add_argument("after", metavar="B.json", help="the later session's result.json")
    p.add_argument("--out", metavar="FILE.html", help="also write a page with the table and a gait-cycle plot")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from gait.atomic import write_text_atomic
    from gait.compare import compare
    from gait.compare.text import comparison_text
    from gait.errors import OutputNotWritable
    from gait.report.command import load_result

    before, after = load_result(Path(args.before)), load_result(Path(args.after))
    c = compare(before, after)
    print(comparison_text(c))
    if args.out:
        from gait.compare.page import render

        out = Path(args.out)
        try:
            write_text_atomic(out, render(c, before, after))
        except OSError as err:
            raise OutputNotWritable(f"Cannot write {out}: {err.strerror or err}.") from None
        print(f"Wrote: {out}")
    return 0
