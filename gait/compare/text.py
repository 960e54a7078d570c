"""The comparison as plain text a person reads: values with their 95 % intervals, units in the labels."""
from __future__ import annotations

from gait.compare import Comparison, MetricChange

MARK = {"changed": "changed", "no change": "no change", "not judged": "not judged (no uncertainty)",
        "not measured": "not measured in both"}


def _v(v: float | None, nd: int, signed: bool = False) -> str:
    if v is None:
        return "—"
    v = 0.0 if round(v, nd) == 0 else v
    return f"{v:+.{nd}f}" if signed else f"{v:.{nd}f}"


def with_interval(v: float | None, ci: list[float] | None, nd: int, signed: bool = False) -> str:
    if v is None:
        return "—"
    if not ci:
        return _v(v, nd, signed)
    return f"{_v(v, nd, signed)} ({_v(ci[0], nd, signed)} to {_v(ci[1], nd, signed)})"


def cells(r: MetricChange) -> list[str]:
    nd = r.decimals
    verdict = MARK[r.verdict] + (" *" if r.within_between_day_error else "")
    return [f"{r.label} ({r.unit})", with_interval(r.before, r.before_ci, nd), with_interval(r.after, r.after_ci, nd),
            with_interval(r.change, r.change_ci, nd, signed=True) + ("" if r.change_ci or r.change is None
                                                                     else " (no interval)"), verdict]


HEADERS = ("metric", "before (95 % interval)", "after (95 % interval)", "change (95 % interval)", "verdict")


def comparison_text(c: Comparison) -> str:
    rows = [cells(r) for r in c.rows]
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(HEADERS)]
    def line(cs):
        return "  ".join(x.ljust(w) for x, w in zip(cs, widths)).rstrip()
    out = [f"Before: {c.before}", f"After:  {c.after}", "", line(HEADERS), "  ".join("-" * w for w in widths)]
    out += [line(r) for r in rows]
    out += ["", "'changed' = the change's 95 % interval excludes zero (the two sessions' own uncertainties "
                "combined)."]
    if any(r.within_between_day_error for r in c.rows):
        out.append("* more than the within-clip uncertainty, but less than the between-day error of 2D pelvic drop.")
    out += c.notes
    return "\n".join(out)
