"""compare.html: the comparison table, notes and the gait-cycle plot as one self-contained page."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import jinja2

from gait.compare import Comparison
from gait.compare.plot import cycle_figure
from gait.compare.text import HEADERS, cells
from gait.result import Result


@lru_cache(maxsize=1)
def _env() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(Path(__file__).with_name("templates")),
                              autoescape=True, trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined)


def table_context(c: Comparison) -> dict:
    """What a page needs to show the table (also used by the web app's compare view)."""
    return {"c": c, "headers": HEADERS, "rows": [(r, cells(r)) for r in c.rows],
            "starred": any(r.within_between_day_error for r in c.rows)}


def render(c: Comparison, before: Result, after: Result) -> str:
    from gait.report.html import plotly_js

    return _env().get_template("compare.html.j2").render(**table_context(c), figure=cycle_figure(before, after),
                                                         plotly_js=plotly_js())
