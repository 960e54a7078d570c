"""Plotly view of two sessions over the gait cycle: pelvic obliquity and each foot's stance (contact time).

The cycle runs from a left foot strike (0 %) to the next left foot strike (100 %). The
obliquity is the mean over cycles, resampled to 0–100 %; the stance bars run from each
foot's strike to its toe-off, as median percentages of the cycle, labelled with the
session's contact time per side.
"""
from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from gait.result import Result

CYCLE_PCT = np.linspace(0.0, 100.0, 101)
SESSION_COLOR = ("#6e7781", "#1f6feb")  # before, after
SESSION_NAME = ("before", "after")


@dataclass(frozen=True)
class Stance:
    side: str
    start_pct: float  # foot strike, % of the cycle
    end_pct: float  # toe-off
    contact_time_ms: float | None


def _cycles(strikes_left: list[float]) -> list[tuple[float, float]]:
    fs = sorted(strikes_left)
    return [(a, b) for a, b in zip(fs, fs[1:]) if b > a]


def mean_obliquity_cycle(r: Result) -> np.ndarray | None:
    """Mean obliquity (deg) at CYCLE_PCT over the clip's left-strike cycles, None without a trace."""
    from gait.report.view.source import pelvic_events, pelvic_trace

    tr = pelvic_trace(r)
    if tr is None:
        return None
    t, y = np.asarray(tr.t_s, float), np.asarray(tr.values, float)
    ok = np.isfinite(y)
    curves = []
    for a, b in _cycles(list(pelvic_events(r).foot_strike["left"])):
        inside = ok & (t >= a) & (t <= b)
        if inside.sum() >= 10:
            curves.append(np.interp(a + CYCLE_PCT / 100.0 * (b - a), t[inside], y[inside]))
    return np.mean(curves, axis=0) if curves else None


def stances(r: Result) -> list[Stance]:
    """Median stance of each foot within the left-strike cycle."""
    ev = r.events
    phases = {"left": [], "right": []}
    for a, b in _cycles(ev.foot_strike["left"]):
        span = b - a
        for side in ("left", "right"):
            start = a if side == "left" else next((t for t in ev.foot_strike["right"] if a < t < b), None)
            end = next((t for t in ev.toe_off[side] if start is not None and start < t < start + span), None)
            if start is not None and end is not None:
                phases[side].append((100 * (start - a) / span, 100 * (end - a) / span))
    ct = {"left": r.summary.contact_time_left_ms, "right": r.summary.contact_time_right_ms}
    return [Stance(s, float(np.median([p[0] for p in v])), float(np.median([p[1] for p in v])), ct[s])
            for s, v in phases.items() if v]


def cycle_figure(before: Result, after: Result) -> dict | None:
    """Two panels (obliquity, stance bars), or None when neither session has events to draw."""
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.62, 0.38], vertical_spacing=0.08)
    drawn = False
    for k, r in enumerate((before, after)):
        curve = mean_obliquity_cycle(r)
        if curve is not None:
            fig.add_trace(go.Scatter(x=CYCLE_PCT.tolist(), y=[round(float(v), 3) for v in curve], mode="lines",
                                     name=f"{SESSION_NAME[k]}: pelvic obliquity",
                                     line=dict(color=SESSION_COLOR[k], width=2)), row=1, col=1)
            drawn = True
        for st in stances(r):
            label = f"{SESSION_NAME[k]}, {st.side} foot"
            ct = "—" if st.contact_time_ms is None else f"{st.contact_time_ms:.0f} ms"
            fig.add_trace(go.Bar(x=[st.end_pct - st.start_pct], base=[st.start_pct], y=[label], orientation="h",
                                 marker_color=SESSION_COLOR[k], showlegend=False, text=[f"contact {ct}"],
                                 textposition="inside", hovertemplate=f"{label}: stance %{{base:.0f}}–"
                                 f"{st.end_pct:.0f} % of the cycle, contact {ct}<extra></extra>"), row=2, col=1)
            drawn = True
    if not drawn:
        return None
    fig.update_yaxes(title_text="obliquity (°)", row=1, col=1, zeroline=True)
    fig.update_xaxes(title_text="gait cycle (% from left foot strike to the next)", range=[0, 100], row=2, col=1)
    fig.update_layout(template="plotly_white", height=480, margin=dict(l=120, r=20, t=10, b=50), barmode="overlay",
                      legend=dict(orientation="h", y=1.04, yanchor="bottom", x=0))
    return json.loads(fig.to_json())
