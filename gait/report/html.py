"""report.html: one self-contained page (plotly.js inlined, key frames as base64 JPEG).

The page shows the view model (gait.report.view) and nothing else; the Jinja template in
templates/ only lays it out, with autoescaping on (clip names, findings and warnings are
data, never markup).
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import jinja2

from gait.report.plots import all_plots
from gait.report.view import ReportView, build_view
from gait.result import Result


@lru_cache(maxsize=1)
def _env() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(Path(__file__).with_name("templates")),
                              autoescape=True, trim_blocks=True, lstrip_blocks=True,
                              undefined=jinja2.StrictUndefined)


@lru_cache(maxsize=1)
def plotly_js_file() -> str:
    """plotly.js as shipped (the one loader: the web app serves it as a file, the pages inline it)."""
    from plotly.offline import get_plotlyjs

    return get_plotlyjs()


@lru_cache(maxsize=1)
def plotly_js() -> str:
    """plotly.js, safe to inline (the report, validate and compare pages use it)."""
    return plotly_js_file().replace("</script", "<\\/script")  # cannot end the inline <script> early


def render_view(v: ReportView) -> str:
    plots, plot_notes = all_plots(v.plots)
    return _env().get_template("report.html.j2").render(v=v, plots=plots, plot_notes=plot_notes,
                                                        plotly_js=plotly_js())


def render_html(r: Result, keyframes: list[dict] | None = None, notes: list[str] | None = None,
                overlay: list[dict] | None = None) -> str:
    """``overlay``: [{file, label, codec}] of annotated videos next to the page (linked, not embedded)."""
    return render_view(build_view(r, keyframes, notes, overlay))
