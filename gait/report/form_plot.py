"""The side-view plot: angles and overstride at each foot strike, one row per measured kind, no empty rows."""
from __future__ import annotations

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from gait.report.figure import COLOR, Plot, finish, floats
from gait.report.view.numbers import label_of
from gait.report.view.series import ANGLE_FIELDS, PlotData, StrikeForm

PALETTE = ("#2f855a", "#805ad5", "#4a5568")
SYMBOL = {"left": "circle", "right": "diamond"}
DASH = {"left": "solid", "right": "dot"}


def _distance(strikes: tuple[StrikeForm, ...]) -> tuple[str, str, str, list[StrikeForm]] | None:
    """(attribute, axis title, hover words) of the overstride measure there is: cm, else % of leg length."""
    cm = [s for s in strikes if s.overstride_cm is not None]
    if cm:
        return "overstride_cm", "heel ahead of the hip (cm)", "cm", cm
    pct = [s for s in strikes if s.overstride_leg_pct is not None]
    if pct:
        return "overstride_leg_pct", "heel ahead of the hip (% of leg length)", "% of leg length", pct
    return None


def _angle_traces(fig: go.Figure, strikes: tuple[StrikeForm, ...], names: list[str]) -> None:
    for name, color in zip(names, PALETTE):
        words = label_of(name)
        for side in ("left", "right"):  # one line per foot: near and far leg differ, a zigzag would hide it
            pts = [s for s in strikes if s.angles.get(name) is not None and s.side == side]
            fig.add_trace(go.Scatter(x=floats(s.t_s for s in pts), y=floats(s.angles[name] for s in pts),
                                     mode="lines+markers", name=f"{words} (°)", legendgroup=name,
                                     showlegend=side == "left", line=dict(color=color, width=1, dash=DASH[side]),
                                     marker=dict(symbol=SYMBOL[side], size=8, color=color),
                                     hovertemplate=f"{side} foot strike at %{{x:.2f}} s: {words} %{{y:.1f}}°"
                                                   "<extra></extra>"), 1, 1)


def strike_angles(d: PlotData) -> Plot | None:
    names = [k for k in ANGLE_FIELDS if any(s.angles.get(k) is not None for s in d.strikes)]
    dist = _distance(d.strikes)
    if not names and dist is None:
        return None
    rows = (1 if names else 0) + (1 if dist else 0)
    fig = make_subplots(rows=rows, cols=1, shared_xaxes=True, vertical_spacing=0.16,
                        row_heights=[0.6, 0.4] if rows == 2 else None)
    if names:
        _angle_traces(fig, d.strikes, names)
        fig.update_yaxes(title_text="angle (°)", row=1, col=1)
    if dist:
        attr, title, unit, pts = dist
        fig.add_trace(go.Bar(x=floats(s.t_s for s in pts), y=floats(getattr(s, attr) for s in pts),
                             name=title, marker_color=[COLOR[s.side] for s in pts], width=0.12,
                             customdata=[s.side for s in pts],
                             hovertemplate=f"%{{customdata}} foot strike at %{{x:.2f}} s: heel %{{y:.1f}} {unit} "
                                           "ahead of the hip<extra></extra>"), rows, 1)
        fig.update_yaxes(title_text=title.replace("the hip (", "hip<br>("), row=rows, col=1)  # fits a phone
    for row in range(1, rows + 1):  # every row keeps its own labelled time axis
        fig.update_xaxes(showticklabels=True, title_text="time of foot strike (s)", row=row, col=1)
    parts = []
    if names:
        parts.append("lines: " + ", ".join(label_of(k) for k in names) + " (● solid: left foot, ◆ dotted: right foot)")
    if dist:
        parts.append(f"bars: {dist[1]} (blue left, orange right)")
    missing = " ".join(d.form_missing)
    return Plot("plot-angles", "Side-view angles at foot strike",
                f"At each foot strike: {'; '.join(parts)}. {missing}".strip(), finish(fig, 300 + 110 * rows))
