"""validation.html: the accuracy table as one self-contained page (plotly.js inlined as the report does)."""
from __future__ import annotations

import json
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path

import jinja2
import plotly.graph_objects as go

from gait.validate.table import (
    PELVIS_HEADERS,
    TIMING_HEADERS,
    ValidationRow,
    pelvis_cells,
    timing_cells,
)

COLOR = {"left": "#2b6cb0", "right": "#dd6b20"}


@lru_cache(maxsize=1)
def _env() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(Path(__file__).with_name("templates")),
                              autoescape=True, trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined)


def drop_figure(rows: list[ValidationRow]) -> dict | None:
    """Measured against true pelvic drop, one point per clip, model and side, with the line of identity."""
    fig = go.Figure()
    top = 0.0
    for side in ("left", "right"):
        pts = [(getattr(r.score, side).pelvic_drop_true_deg, getattr(r.score, side).pelvic_drop_deg,
                f"{r.clip} ({r.model})") for r in rows
               if r.score is not None and getattr(r.score, side).pelvic_drop_true_deg is not None
               and getattr(r.score, side).pelvic_drop_deg is not None]
        if not pts:
            continue
        x, y, text = (list(v) for v in zip(*pts))
        top = max(top, *x, *y)
        fig.add_trace(go.Scatter(x=x, y=y, text=text, mode="markers", name=f"{side} stance",
                                 marker=dict(color=COLOR[side], size=9),
                                 hovertemplate="%{text}<br>true %{x:.1f}°, measured %{y:.1f}°<extra></extra>"))
    if not fig.data:
        return None
    fig.add_trace(go.Scatter(x=[0, top + 1], y=[0, top + 1], mode="lines", name="measured = true",
                             line=dict(color="#888", dash="dot")))
    fig.update_layout(template="plotly_white", height=380, margin=dict(l=60, r=20, t=10, b=50),
                      xaxis_title="true pelvic drop (°)", yaxis_title="measured pelvic drop (°)")
    return json.loads(fig.to_json())


def render(rows: list[ValidationRow], folder: str) -> str:
    from gait.report.html import plotly_js

    pel = [c for c in (pelvis_cells(r) for r in rows) if c is not None]
    return _env().get_template("validation.html.j2").render(
        folder=folder, made=datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        timing_headers=TIMING_HEADERS, timing=[timing_cells(r) for r in rows], pelvis_headers=PELVIS_HEADERS,
        pelvis=pel, figure=drop_figure(rows), plotly_js=plotly_js(), failed=sum(r.score is None for r in rows))


def write_html(rows: list[ValidationRow], folder: str, path: Path) -> Path:
    from gait.atomic import write_text_atomic

    return write_text_atomic(path, render(rows, folder))
