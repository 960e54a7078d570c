"""Plotly figures for the report, as plain JSON-ready dicts (plotly.js draws them in the page).

Each builder takes the Result and returns a ``Plot`` or None when the data it needs is
absent (a side view has no pelvic trace, a rear view no foot-strike angles): the report
then shows one line saying why instead of an empty chart.
"""
from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

from gait.result import Result

COLOR = {"left": "#2b6cb0", "right": "#dd6b20"}
STANCE_FILL = {"left": "rgba(43,108,176,0.13)", "right": "rgba(221,107,32,0.13)"}


@dataclass(frozen=True)
class Plot:
    id: str
    title: str
    caption: str
    figure: dict  # {"data": [...], "layout": {...}} for Plotly.newPlot


def _finish(fig: go.Figure, height_px: int = 320, right_px: int = 20) -> dict:
    fig.update_layout(template="plotly_white", height=height_px, margin=dict(l=62, r=right_px, t=10, b=45),
                      legend=dict(orientation="h", y=1.02, yanchor="bottom", x=0), font=dict(size=12),
                      hovermode="closest")
    return json.loads(fig.to_json())  # plain lists (data passed in as lists, never numpy -> no binary blobs)


def _floats(xs) -> list[float]:
    return [round(float(x), 4) for x in xs]


def pelvic_events(r: Result) -> dict:
    """Events on the pelvic trace's clock: the rear clip's for a side+rear pair, else the result's."""
    rear = r.traces.get("rear_events")
    if rear:
        return rear
    return {"foot_strike": r.events.foot_strike, "toe_off": r.events.toe_off}


def stance_intervals(events: dict, side: str) -> list[tuple[float, float]]:
    """(foot strike, toe-off) pairs of one foot: each strike with the first toe-off after it, before the next."""
    fs = sorted(events.get("foot_strike", {}).get(side, []))
    to = sorted(events.get("toe_off", {}).get(side, []))
    out = []
    for i, a in enumerate(fs):
        nxt = fs[i + 1] if i + 1 < len(fs) else float("inf")
        b = next((t for t in to if a < t < nxt), None)
        if b is not None:
            out.append((a, b))
    return out


def pelvic_trace(r: Result) -> Plot | None:
    tr = r.traces.get("pelvic_obliquity") or {}
    if not tr.get("t_s"):
        return None
    ev = pelvic_events(r)
    fig = go.Figure()
    for side in ("left", "right"):
        for a, b in stance_intervals(ev, side):
            fig.add_vrect(x0=a, x1=b, fillcolor=STANCE_FILL[side], line_width=0, layer="below")
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=f"{side} stance",
                                 marker=dict(symbol="square", size=12, color=STANCE_FILL[side].replace("0.13", "0.5"))))
    fig.add_trace(go.Scatter(x=_floats(tr["t_s"]), y=[None if v is None else float(v) for v in tr["deg"]],
                             mode="lines", name="pelvic obliquity", line=dict(color="#222", width=1.6)))
    fig.update_xaxes(title_text="time in clip (s)")
    fig.update_yaxes(title_text="obliquity (°)", zeroline=True)
    conv = tr.get("convention") or "0° = the runner's own level"
    where = "the rear clip" if r.traces.get("rear_events") else "the clip"
    return Plot("plot-pelvis-time", f"Pelvic obliquity through {where}", f"Shaded bands: stance phases "
                f"(blue left foot, orange right foot). {conv}.", _finish(fig))


def _cycle_curves(t: np.ndarray, deg: np.ndarray, strikes: list[float]) -> np.ndarray:
    """Trace resampled to 0..100 % of each same-foot stride (rows = strides)."""
    pct = np.linspace(0, 100, 101)
    rows = []
    for a, b in zip(strikes[:-1], strikes[1:]):
        inside = (t >= a) & (t <= b) & np.isfinite(deg)
        if b - a <= 0 or inside.sum() < 10 or t[0] > a or t[-1] < b:
            continue
        rows.append(np.interp(a + pct / 100 * (b - a), t[inside], deg[inside]))
    return np.array(rows)


def pelvic_cycle(r: Result) -> Plot | None:
    """Obliquity over one gait cycle (left strike to left strike), every stride plus the mean."""
    tr = r.traces.get("pelvic_obliquity") or {}
    ev = pelvic_events(r)
    left_fs = sorted(ev.get("foot_strike", {}).get("left", []))
    if not tr.get("t_s") or len(left_fs) < 2:
        return None
    t = np.asarray(tr["t_s"], float)
    deg = np.asarray([np.nan if v is None else v for v in tr["deg"]], float)
    curves = _cycle_curves(t, deg, left_fs)
    if len(curves) == 0:
        return None
    pct = list(range(101))
    fig = go.Figure()
    for side in ("left", "right"):
        for a, b in _stance_pct(ev, side, left_fs):
            fig.add_vrect(x0=a, x1=b, fillcolor=STANCE_FILL[side], line_width=0, layer="below",
                          annotation_text=f"{side} stance", annotation_position="top left",
                          annotation_font_size=11)
    for i, c in enumerate(curves):
        fig.add_trace(go.Scatter(x=pct, y=_floats(c), mode="lines", line=dict(color="#a0aec0", width=1),
                                 name="each stride", legendgroup="each", showlegend=i == 0, hoverinfo="skip"))
    fig.add_trace(go.Scatter(x=pct, y=_floats(curves.mean(axis=0)), mode="lines", name="mean",
                             line=dict(color="#222", width=3)))
    fig.update_xaxes(title_text="% of gait cycle (from left foot strike)", range=[0, 100])
    fig.update_yaxes(title_text="obliquity (°)")
    return Plot("plot-pelvis-cycle", "Pelvic obliquity over the gait cycle",
                f"{len(curves)} strides normalised to 0–100 % and overlaid; shaded: mean stance phases.",
                _finish(fig))


def _stance_pct(ev: dict, side: str, left_fs: list[float]) -> list[tuple[float, float]]:
    """Mean stance window of ``side`` as % of the left-to-left stride."""
    spans = []
    for a, b in zip(left_fs[:-1], left_fs[1:]):
        for s0, s1 in stance_intervals(ev, side):
            if a <= s0 < b:
                spans.append(((s0 - a) / (b - a) * 100, min((s1 - a) / (b - a) * 100, 100.0)))
    if not spans:
        return []
    return [(round(float(np.median([s[0] for s in spans])), 1), round(float(np.median([s[1] for s in spans])), 1))]


def pelvic_per_stance(r: Result) -> list[dict]:
    """Per-stance drop rows {side, foot_strike_s, pelvic_drop_deg}: the strides, else a pair's rear strides."""
    rows = [{"side": s.side, "foot_strike_s": s.foot_strike_s, "pelvic_drop_deg": s.pelvic_drop_deg}
            for s in r.strides if s.pelvic_drop_deg is not None and not s.excluded]
    if not rows:
        rows = [d for d in r.traces.get("rear_strides", []) if d.get("pelvic_drop_deg") is not None
                and not d.get("excluded")]
    return rows


def drop_bars(r: Result) -> Plot | None:
    rows = pelvic_per_stance(r)
    if not rows:
        return None
    fig = go.Figure()
    for side in ("left", "right"):
        mine = [d for d in rows if d["side"] == side]
        fig.add_trace(go.Bar(x=[i + 1 for i in range(len(mine))], y=_floats(d["pelvic_drop_deg"] for d in mine),
                             name=f"{side} stance", marker_color=COLOR[side],
                             customdata=_floats(d["foot_strike_s"] for d in mine),
                             hovertemplate="stance %{x}: %{y:.1f}° (strike at %{customdata:.2f} s)<extra></extra>"))
    fig.update_layout(barmode="group")
    fig.update_xaxes(title_text="stance number", dtick=1)
    fig.update_yaxes(title_text="peak drop (°)")
    return Plot("plot-drop-bars", "Pelvic drop per stance, left vs right",
                "Peak contralateral drop while each foot is on the ground.", _finish(fig, 280))


def steps(r: Result) -> list[tuple[str, float, float]]:
    """(side of the landing foot, strike time s, step time s) from consecutive opposite-foot strikes."""
    strikes = sorted([(t, side) for side in ("left", "right") for t in r.events.foot_strike.get(side, [])])
    return [(b[1], b[0], b[0] - a[0]) for a, b in zip(strikes, strikes[1:]) if b[1] != a[1] and b[0] > a[0]]


def step_times(r: Result) -> Plot | None:
    st = steps(r)
    if len(st) < 2:
        return None
    fig = go.Figure()
    for side in ("left", "right"):
        mine = [s for s in st if s[0] == side]
        fig.add_trace(go.Scatter(x=_floats(s[1] for s in mine), y=_floats(s[2] * 1000 for s in mine),
                                 mode="markers", name=f"step onto {side} (ms)",
                                 marker=dict(color=COLOR[side], size=9)))
    fig.add_trace(go.Scatter(x=_floats(s[1] for s in st), y=_floats(60.0 / s[2] for s in st), mode="lines",
                             name="cadence per step (steps/min)", yaxis="y2", line=dict(color="#555", dash="dot")))
    fig.update_layout(yaxis=dict(title="step time (ms)"),
                      yaxis2=dict(title="cadence (steps/min)", overlaying="y", side="right", showgrid=False,
                                  tickformat=".0f", tickmode="auto", nticks=5))
    fig.update_xaxes(title_text="time of foot strike (s)")
    return Plot("plot-steps", "Step time and cadence, step by step",
                "Each dot is one step (strike to the other foot's strike); the line is 60 / step time.",
                _finish(fig, right_px=62))


def event_timeline(r: Result) -> Plot | None:
    ev = {"foot_strike": r.events.foot_strike, "toe_off": r.events.toe_off}
    if not any(r.events.foot_strike.get(s) for s in ("left", "right")):
        return None
    fig = go.Figure()
    for side in ("left", "right"):
        iv = stance_intervals(ev, side)
        fig.add_trace(go.Bar(y=[side] * len(iv), x=_floats(b - a for a, b in iv), base=_floats(a for a, _ in iv),
                             orientation="h", name=f"{side} stance", marker_color=COLOR[side], opacity=0.55,
                             hovertemplate="stance %{base:.2f}–%{x:.2f} s<extra></extra>"))
        fs = r.events.foot_strike.get(side, [])
        to = r.events.toe_off.get(side, [])
        fig.add_trace(go.Scatter(x=_floats(fs), y=[side] * len(fs), mode="markers", name=f"{side} foot strike",
                                 marker=dict(symbol="triangle-down", size=11, color=COLOR[side]), showlegend=False))
        fig.add_trace(go.Scatter(x=_floats(to), y=[side] * len(to), mode="markers", name=f"{side} toe-off",
                                 marker=dict(symbol="x", size=8, color="#222"), showlegend=False))
    fig.update_layout(barmode="overlay", bargap=0.45)  # one bar row per foot, not side-by-side slots
    fig.update_xaxes(title_text="time in clip (s)")
    fig.update_yaxes(categoryorder="array", categoryarray=["right", "left"])
    return Plot("plot-events", "Foot events", "Bars: stance (foot strike ▼ to toe-off ×) for each foot.",
                _finish(fig, 220))


def foot_heights(r: Result) -> Plot | None:
    """Foot height traces (events/metrics stage) with the detected events on them: a visual check of detection."""
    t = r.traces.get("t_s")
    if not t or not any(r.traces.get(f"foot_height_{s}_px") for s in ("left", "right")):
        return None
    tt = np.asarray(t, float)
    fig = go.Figure()
    for side in ("left", "right"):
        h = r.traces.get(f"foot_height_{side}_px")
        if not h or len(h) != len(tt):
            continue
        hh = np.asarray([np.nan if v is None else v for v in h], float)
        ok = np.isfinite(hh)
        fig.add_trace(go.Scatter(x=_floats(tt), y=[None if not o else round(float(v), 1) for v, o in zip(hh, ok)],
                                 mode="lines", name=f"{side} foot", line=dict(color=COLOR[side], width=1.5)))
        for kind, sym in (("foot_strike", "triangle-down"), ("toe_off", "x")):
            ev = [e for e in getattr(r.events, kind).get(side, []) if tt[0] <= e <= tt[-1]]
            if ok.sum() > 1 and ev:
                fig.add_trace(go.Scatter(x=_floats(ev), y=_floats(np.interp(ev, tt[ok], hh[ok])), mode="markers",
                                         name=f"{side} {kind.replace('_', ' ')}", showlegend=False,
                                         marker=dict(symbol=sym, size=10, color=COLOR[side] if sym != "x" else "#222")))
    if not fig.data:
        return None
    fig.update_xaxes(title_text="time in clip (s)")
    fig.update_yaxes(title_text="foot height (px)")
    return Plot("plot-foot-height", "Foot height and the detected events",
                "Foot above its stance level, in image pixels; ▼ foot strike, × toe-off. Events should sit where "
                "the foot lands and lifts.", _finish(fig, 280))


ANGLES = (("shank_angle_deg", "shank angle"), ("knee_flexion_fs_deg", "knee flexion"),
          ("trunk_lean_deg", "trunk lean"))
SYMBOL = {"left": "circle", "right": "diamond"}


def strike_angles(r: Result) -> Plot | None:
    """Angles (top) and overstride (bottom, cm: another unit) at each foot strike; symbol = foot."""
    from plotly.subplots import make_subplots

    used = [s for s in r.strides if not s.excluded]
    series = [(k, label) for k, label in ANGLES if any(getattr(s, k) is not None for s in used)]
    over = [s for s in used if s.overstride_cm is not None]
    if not series and not over:
        return None
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.62, 0.38], vertical_spacing=0.06)
    palette = ("#2f855a", "#805ad5", "#4a5568")
    for (k, label), color in zip(series, palette):
        for side in ("left", "right"):  # one line per foot: near and far leg differ, a zigzag would hide it
            pts = [s for s in used if getattr(s, k) is not None and s.side == side]
            fig.add_trace(go.Scatter(x=_floats(s.foot_strike_s for s in pts), y=_floats(getattr(s, k) for s in pts),
                                     mode="lines+markers", name=f"{label} (°)", legendgroup=k,
                                     showlegend=side == "left",
                                     line=dict(color=color, width=1, dash="solid" if side == "left" else "dot"),
                                     marker=dict(symbol=SYMBOL[side], size=8, color=color),
                                     hovertemplate=f"{side} strike at %{{x:.2f}} s: %{{y:.1f}}°<extra></extra>"),
                          1, 1)
    if over:
        fig.add_trace(go.Bar(x=_floats(s.foot_strike_s for s in over), y=_floats(s.overstride_cm for s in over),
                             name="overstride (cm)", marker_color=[COLOR[s.side] for s in over], width=0.12,
                             text=[s.side for s in over],
                             hovertemplate="%{text} strike at %{x:.2f} s: heel %{y:.1f} cm ahead of the hip"
                                           "<extra></extra>"), 2, 1)
    fig.update_yaxes(title_text="angle (°)", row=1, col=1)
    fig.update_yaxes(title_text="overstride (cm)", row=2, col=1)
    fig.update_xaxes(title_text="time of foot strike (s)", row=2, col=1)
    return Plot("plot-angles", "Side-view angles at foot strike",
                "Per stride (● solid: left foot, ◆ dotted: right foot): shank from vertical, knee flexion, trunk lean; "
                "bars: heel ahead of the hip (blue left, orange right).", _finish(fig, 380))


BUILDERS = (("pelvis", pelvic_cycle), ("pelvis", pelvic_trace), ("pelvis", drop_bars), ("timing", step_times),
            ("timing", event_timeline), ("timing", foot_heights), ("form", strike_angles))
MISSING = {"pelvis": "Pelvic drop plots need a rear or front view (or a --rear clip).",
           "timing": "Too few foot events were found for timing plots.",
           "form": "No foot-strike angles were measured (they need a side view)."}


def all_plots(r: Result) -> tuple[list[Plot], list[str]]:
    """(plots, one note per group that produced nothing)."""
    plots, groups = [], {}
    for group, build in BUILDERS:
        p = build(r)
        groups.setdefault(group, False)
        if p is not None:
            plots.append(p)
            groups[group] = True
    return plots, [MISSING[g] for g, ok in groups.items() if not ok]
