"""What every report figure shares: the Plot record, colours, the layout finish, the one number cleaner."""
from __future__ import annotations

import json
import math
from dataclasses import dataclass

import plotly.graph_objects as go

from gait.report.view.source import EventTimes

COLOR = {"left": "#2b6cb0", "right": "#dd6b20"}
STANCE_FILL = {"left": "rgba(43,108,176,0.13)", "right": "rgba(221,107,32,0.13)"}
LEGEND_PX = 46  # room under the x-axis title for a legend of one or two rows


@dataclass(frozen=True)
class Plot:
    id: str
    title: str
    caption: str
    figure: dict  # {"data": [...], "layout": {...}} for Plotly.newPlot


def finish(fig: go.Figure, height_px: int = 340, right_px: int = 20) -> dict:
    fig.update_layout(template="plotly_white", height=height_px,
                      margin=dict(l=62, r=right_px, t=30, b=48 + LEGEND_PX), font=dict(size=12),
                      legend=dict(orientation="h", xref="container", yref="container", x=0.01, y=0.0,
                                  xanchor="left", yanchor="bottom"),
                      hovermode="closest", hoverlabel=dict(namelength=-1))
    return json.loads(fig.to_json())  # plain lists (data passed in as lists, never numpy -> no binary blobs)


def floats(xs) -> list[float | None]:
    return [None if x is None or not math.isfinite(x) else round(float(x), 4) for x in xs]


def _axis_refs(fig: go.Figure, row: int | None) -> tuple[str, str]:
    """(xref, yref) of a full-height band in subplot ``row`` (column 1), or in a figure without subplots."""
    if not row:
        return "x", "y domain"
    sp = fig.get_subplot(row, 1)
    return sp.xaxis.plotly_name.replace("axis", ""), sp.yaxis.plotly_name.replace("axis", "") + " domain"


def stance_bands(fig: go.Figure, ev: EventTimes, row: int | None = None) -> None:
    """Stance phases as shaded bands, with one legend entry per foot."""
    xref, yref = _axis_refs(fig, row)
    bands = []
    for side in ("left", "right"):
        # the bands as one list: add_vrect re-validates every shape already there (quadratic, ~1 s a clip)
        bands += [dict(type="rect", xref=xref, yref=yref, x0=a, x1=b, y0=0, y1=1, fillcolor=STANCE_FILL[side],
                       line=dict(width=0), layer="below") for a, b in ev.stances(side)]
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=f"{side} foot on the ground",
                                 marker=dict(symbol="square", size=12, color=STANCE_FILL[side].replace("0.13", "0.5")),
                                 hoverinfo="skip"))
    fig.update_layout(shapes=list(fig.layout.shapes) + bands)
