"""Plotly figures for the report, as plain JSON-ready dicts (plotly.js draws them in the page).

Each builder takes the view's ``PlotData`` (never the Result) and returns a ``Plot`` or
None when its data is absent; the page then says in one sentence what was not measured
and why. Every axis has a title with its unit, every hoverable trace a hover template
with units and its full name, and legends sit below the plot, clear of the toolbar.
"""
from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from gait.report.figure import COLOR, STANCE_FILL, Plot, finish, floats, stance_bands
from gait.report.form_plot import strike_angles
from gait.report.view.series import PlotData
from gait.report.view.source import EventTimes, Trace


def pelvic_trace(d: PlotData) -> Plot | None:
    if d.pelvis is None:
        return None
    fig = go.Figure()
    stance_bands(fig, d.pelvic_events)
    fig.add_trace(go.Scatter(x=floats(d.pelvis.t_s), y=floats(d.pelvis.values), mode="lines",
                             name="pelvic obliquity (+ = left hip higher)", line=dict(color="#222", width=1.6),
                             hovertemplate="%{x:.2f} s: pelvis %{y:.1f}° (+ = left hip higher)<extra></extra>"))
    fig.update_xaxes(title_text=f"time in {d.pelvis_clip} (s)")
    fig.update_yaxes(title_text="pelvic obliquity (°)", zeroline=True)
    return Plot("plot-pelvis-time", f"Pelvic obliquity through {d.pelvis_clip}",
                "0° is the runner's own level (taken in flight). During a left-foot stance the right hip drops, so "
                "the line rises; during a right-foot stance it falls.", finish(fig))


def cycle_curves(trace: Trace, strikes: list[float]) -> tuple[np.ndarray, int]:
    """Trace resampled to 0..100 % of each same-foot stride (rows), and how many strides were skipped."""
    t, y = np.asarray(trace.t_s, float), np.asarray(trace.values, float)
    pct = np.linspace(0, 100, 101)
    rows, skipped = [], 0
    for a, b in zip(strikes[:-1], strikes[1:]):
        inside = (t >= a) & (t <= b) & np.isfinite(y)
        if b - a <= 0 or inside.sum() < 10 or t[0] > a or t[-1] < b:
            skipped += 1
            continue
        rows.append(np.interp(a + pct / 100 * (b - a), t[inside], y[inside]))
    return np.array(rows), skipped


def _stance_pct(ev: EventTimes, side: str, left_fs: list[float]) -> list[tuple[float, float]]:
    """Median stance window of ``side`` as % of the left-to-left stride."""
    spans = []
    for a, b in zip(left_fs[:-1], left_fs[1:]):
        for s0, s1 in ev.stances(side):
            if a <= s0 < b:
                spans.append(((s0 - a) / (b - a) * 100, min((s1 - a) / (b - a) * 100, 100.0)))
    if not spans:
        return []
    return [(round(float(np.median([s[0] for s in spans])), 1), round(float(np.median([s[1] for s in spans])), 1))]


def pelvic_cycle(d: PlotData) -> Plot | None:
    """Obliquity over one gait cycle (left strike to left strike), every stride plus the mean."""
    left_fs = sorted(d.pelvic_events.foot_strike.get("left", ()))
    if d.pelvis is None or len(left_fs) < 2:
        return None
    curves, skipped = cycle_curves(d.pelvis, left_fs)
    if len(curves) == 0:
        return None
    pct = list(range(101))
    fig = go.Figure()
    for side in ("left", "right"):
        for a, b in _stance_pct(d.pelvic_events, side, left_fs):
            fig.add_vrect(x0=a, x1=b, fillcolor=STANCE_FILL[side], line_width=0, layer="below",
                          annotation_text=f"{side} foot on the ground", annotation_position="top left",
                          annotation_font_size=11)
    for i, c in enumerate(curves):
        fig.add_trace(go.Scatter(x=pct, y=floats(c), mode="lines", line=dict(color="#a0aec0", width=1),
                                 name="each left-foot stride", legendgroup="each", showlegend=i == 0,
                                 hoverinfo="skip"))
    fig.add_trace(go.Scatter(x=pct, y=floats(curves.mean(axis=0)), mode="lines", name="mean of the strides",
                             line=dict(color="#222", width=3),
                             hovertemplate="%{x}% of the gait cycle: mean pelvic obliquity %{y:.1f}°<extra></extra>"))
    fig.update_xaxes(title_text="gait cycle from left foot strike (%)", range=[0, 100])
    fig.update_yaxes(title_text="pelvic obliquity (°)")
    more = f"; {skipped} more had gaps in the trace or ran past its ends" if skipped else ""
    return Plot("plot-pelvis-cycle", "Pelvic obliquity over the gait cycle",
                f"Each grey line is one of {len(curves)} left-foot strides of {d.pelvis_clip} (left strike to the next "
                f"left strike), stretched to 0–100 %{more}; black: their mean. Shaded: when each foot is on the "
                "ground (median).", finish(fig))


def drop_bars(d: PlotData) -> Plot | None:
    if not d.drops:
        return None
    fig = go.Figure()
    for side in ("left", "right"):
        mine = [p for p in d.drops if p.side == side]
        fig.add_trace(go.Bar(x=floats(p.foot_strike_s for p in mine), y=floats(p.deg for p in mine),
                             name=f"drop during {side}-foot stance", marker_color=COLOR[side], width=0.12,
                             hovertemplate=f"{side}-foot stance from %{{x:.2f}} s: pelvic drop %{{y:.1f}}°"
                                           "<extra></extra>"))
    fig.update_xaxes(title_text=f"time of foot strike in {d.pelvis_clip} (s)")
    fig.update_yaxes(title_text="peak pelvic drop (°)")
    stances = d.counts.stances_text or f"{len(d.drops)} stances"
    return Plot("plot-drop-bars", "Pelvic drop at each stance",
                f"One bar per stance, {stances}: the largest drop of the swing-side hip while that foot is on "
                "the ground.", finish(fig, 300))


def step_times(d: PlotData) -> Plot | None:
    if len(d.steps) < 2:
        return None
    fig = go.Figure()
    for side in ("left", "right"):
        mine = [s for s in d.steps if s.side == side]
        fig.add_trace(go.Scatter(x=floats(s.t_s for s in mine), y=floats(s.step_s * 1000 for s in mine),
                                 mode="markers", name=f"step onto the {side} foot (ms)",
                                 marker=dict(color=COLOR[side], size=9),
                                 hovertemplate=f"step onto the {side} foot at %{{x:.2f}} s: %{{y:.0f}} ms"
                                               "<extra></extra>"))
    fig.add_trace(go.Scatter(x=floats(s.t_s for s in d.steps), y=floats(60.0 / s.step_s for s in d.steps),
                             mode="lines", name="cadence of each step (steps/min)", yaxis="y2",
                             line=dict(color="#555", dash="dot"),
                             hovertemplate="%{x:.2f} s: %{y:.0f} steps/min<extra></extra>"))
    fig.update_layout(yaxis=dict(title=dict(text="step time (ms)")),
                      yaxis2=dict(title=dict(text="cadence (steps/min)"), overlaying="y", side="right",
                                  showgrid=False, tickformat=".0f", tickmode="auto", nticks=5))
    fig.update_xaxes(title_text="time of foot strike (s)")
    return Plot("plot-steps", "Step time and cadence, step by step",
                "Each dot is one step (a foot strike to the other foot's strike); the dotted line is the cadence "
                "that step alone gives (60 ÷ step time).", finish(fig, right_px=62))


def event_timeline(d: PlotData) -> Plot | None:
    ev = d.events
    if not any(ev.foot_strike.get(s) for s in ("left", "right")):
        return None
    fig = go.Figure()
    for side in ("left", "right"):
        iv = ev.stances(side)
        fig.add_trace(go.Bar(y=[side] * len(iv), x=floats(b - a for a, b in iv), base=floats(a for a, _ in iv),
                             customdata=floats(b for _, b in iv), orientation="h",
                             name=f"{side} foot on the ground", marker_color=COLOR[side], opacity=0.55,
                             hovertemplate=f"{side} foot on the ground from %{{base:.2f}} to %{{customdata:.2f}} s "
                                           "(%{x:.3f} s)<extra></extra>"))
        for kind, sym, color in (("foot strike", "triangle-down", COLOR[side]), ("toe-off", "x", "#222")):
            ts = ev.foot_strike.get(side, ()) if kind == "foot strike" else ev.toe_off.get(side, ())
            fig.add_trace(go.Scatter(x=floats(ts), y=[side] * len(ts), mode="markers", name=f"{side} {kind}",
                                     marker=dict(symbol=sym, size=11 if sym != "x" else 8, color=color),
                                     showlegend=False, hovertemplate=f"{side} {kind} at %{{x:.2f}} s<extra></extra>"))
    fig.update_layout(barmode="overlay", bargap=0.45)  # one bar row per foot, not side-by-side slots
    fig.update_xaxes(title_text="time in the clip (s)")
    fig.update_yaxes(title_text="foot", type="category", categoryorder="array", categoryarray=["right", "left"])
    return Plot("plot-events", "Foot events",
                "Bars: each foot's time on the ground, from foot strike (▼) to toe-off (×).", finish(fig, 250))


def foot_heights(d: PlotData) -> Plot | None:
    """Foot height traces with the events marked on a row below them: a visual check of detection."""
    if not d.foot:
        return None
    fig = go.Figure()
    stance_bands(fig, d.events)
    low = min((np.nanmin(t.values) for t in d.foot.values() if np.isfinite(t.values).any()), default=0.0)
    rugs = {"left": float(low) - 10.0, "right": float(low) - 22.0}  # one row of event marks per foot
    for side, tr in d.foot.items():
        rug = rugs[side]
        fig.add_trace(go.Scatter(x=floats(tr.t_s), y=floats(tr.values), mode="lines", name=f"{side} foot height",
                                 line=dict(color=COLOR[side], width=1.5),
                                 hovertemplate=f"{side} foot %{{y:.0f}} px above its stance level at %{{x:.2f}} s"
                                               "<extra></extra>"))
        for kind, sym in (("foot strike", "triangle-down"), ("toe-off", "x")):
            ts = d.events.foot_strike.get(side, ()) if kind == "foot strike" else d.events.toe_off.get(side, ())
            fig.add_trace(go.Scatter(x=floats(ts), y=[rug] * len(ts), mode="markers", name=f"{side} {kind}",
                                     showlegend=False,
                                     marker=dict(symbol=sym, size=10, color=COLOR[side] if sym != "x" else "#222"),
                                     hovertemplate=f"{side} {kind} at %{{x:.2f}} s<extra></extra>"))
    fig.update_xaxes(title_text="time in the clip (s)")
    fig.update_yaxes(title_text="foot height (px)")
    behind = d.view in ("rear", "front")
    why = (" Seen from behind, a foot still moves down the picture after it lands (it comes towards the camera), "
           "so a strike sits before the line's lowest point." if behind else "")
    return Plot("plot-foot-height", "Foot height and the detected events",
                "Foot height in image pixels; shaded: each foot on the ground; the events are marked on two rows "
                f"below the lines, left foot above right (▼ foot strike, × toe-off).{why}", finish(fig, 320))


BUILDERS = (("pelvis", pelvic_cycle), ("pelvis", pelvic_trace), ("pelvis", drop_bars), ("timing", step_times),
            ("timing", event_timeline), ("timing", foot_heights), ("form", strike_angles))


def missing_note(group: str, d: PlotData) -> str:
    if group == "pelvis":
        return d.pelvis_missing
    if group == "timing":
        return "No timing plots: too few foot strikes and toe-offs were found."
    if d.view and d.view.startswith("side"):
        return "No foot-strike angles: none were found in this side view."
    return "No foot-strike angles: they need a side view."


def all_plots(d: PlotData) -> tuple[list[Plot], list[str]]:
    """(plots, one sentence per group that produced nothing)."""
    plots, groups = [], {}
    for group, build in BUILDERS:
        p = build(d)
        groups.setdefault(group, False)
        if p is not None:
            plots.append(p)
            groups[group] = True
    return plots, [n for g, ok in groups.items() if not ok and (n := missing_note(g, d))]


__all__ = ["Plot", "all_plots"]
