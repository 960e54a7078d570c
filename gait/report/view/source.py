"""The one place the report reads the untyped parts of a ``Result`` (``traces``, ``quality``, ``inputs``).

Everything else in the report reads typed view objects built from these functions, so when
the contract types more of these parts (typed ``quality`` and ``traces``), only this module
has to follow.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from gait.result import Result, StanceDrop, Stride, floats_or_nan
from gait.video.reader import VideoInfo
from gait.vocabulary import FRONTAL_VIEWS, SIDES


@dataclass(frozen=True)
class EventTimes:
    """Foot strikes and toe-offs (s) per foot, on one clip's clock."""

    foot_strike: dict[str, tuple[float, ...]]
    toe_off: dict[str, tuple[float, ...]]

    def stances(self, side: str) -> list[tuple[float, float]]:
        """(foot strike, toe-off) of one foot: each strike with the first toe-off before the next strike."""
        fs, to = sorted(self.foot_strike.get(side, ())), sorted(self.toe_off.get(side, ()))
        out = []
        for i, a in enumerate(fs):
            nxt = fs[i + 1] if i + 1 < len(fs) else math.inf
            b = next((t for t in to if a < t < nxt), None)
            if b is not None:
                out.append((a, b))
        return out


def _times(d: dict | None) -> dict[str, tuple[float, ...]]:
    d = d or {}
    return {side: tuple(float(t) for t in d.get(side, []) if t is not None) for side in SIDES}


def is_pair(r: Result) -> bool:
    """A side+rear assessment: the pelvis comes from a second (rear) clip."""
    return r.pair is not None


def clip_events(r: Result) -> EventTimes:
    return EventTimes(_times(r.events.foot_strike), _times(r.events.toe_off))


def pelvic_events(r: Result) -> EventTimes:
    """Events on the pelvic trace's clock: the rear clip's for a side+rear pair, else the result's."""
    ev = r.pair.events if r.pair is not None else r.events
    return EventTimes(_times(ev.foot_strike), _times(ev.toe_off))


def clip_video(r: Result, clip: str) -> VideoInfo | None:
    """The video of ``clip``: "video" (the result's own) or "rear_video" (a pair's rear clip; None otherwise)."""
    if clip == "video":
        return r.video
    return r.pair.video if clip == "rear_video" and r.pair is not None else None


@dataclass(frozen=True)
class Trace:
    t_s: list[float]
    values: list[float]  # NaN = no value at that time


def gapless(tr: Trace | None) -> tuple[np.ndarray, np.ndarray] | None:
    """(times, values) of a trace without its gaps; None if it has < 2 points."""
    if tr is None or not tr.t_s:
        return None
    t, deg = np.asarray(tr.t_s, float), np.asarray(tr.values, float)
    ok = np.isfinite(deg)
    return (t[ok], deg[ok]) if ok.sum() > 1 else None


def value_at(trace: tuple[np.ndarray, np.ndarray] | None, t_s: float) -> float | None:
    """A (times, values) trace's value at t_s (None outside it)."""
    if trace is None or not trace[0][0] <= t_s <= trace[0][-1]:
        return None
    return float(np.interp(t_s, *trace))


def pelvic_trace(r: Result) -> Trace | None:
    if r.pelvis is not None and r.pelvis.trace is not None and r.pelvis.trace.t_s:
        return Trace(list(r.pelvis.trace.t_s), floats_or_nan(r.pelvis.trace.obliquity_deg))
    tr = r.traces.get("pelvic_obliquity") or {}
    if not tr.get("t_s"):
        return None
    return Trace([float(t) for t in tr["t_s"]], floats_or_nan(tr.get("deg")))


def foot_height(r: Result, side: str) -> Trace | None:
    """Foot height above its stance level (image px), from the events stage."""
    t, h = r.traces.get("t_s"), r.traces.get(f"foot_height_{side}_px")
    if not t or not h or len(h) != len(t):
        return None
    return Trace([float(x) for x in t], floats_or_nan(h))


def pelvis_stances(r: Result) -> list[StanceDrop]:
    """Per-stance pelvic drop: the pelvis stage's own; for results without it, rebuilt from the strides."""
    if r.pelvis is not None and r.pelvis.stances:
        return list(r.pelvis.stances)
    rows = [s for s in r.strides if s.pelvic_drop_deg is not None] or \
        [s for s in rear_strides(r) if s.pelvic_drop_deg is not None]
    return [StanceDrop(s.side, s.foot_strike_s, s.toe_off_s, s.pelvic_drop_deg, s.pelvic_drop_midstance_deg,
                       s.pelvic_drop_peak_s, s.pelvic_confidence or 0.0, s.excluded) for s in rows]


def pelvis_reason(r: Result) -> str | None:
    """Why pelvic drop was not measured (plain words), None when it was or nothing says."""
    if r.pelvis is not None and r.pelvis.reason:
        return r.pelvis.reason
    q = r.quality.get("pelvic_drop")
    if isinstance(q, str):  # result.json before schema 3 wrote the reason as "not measured: ..."
        return q.removeprefix("not measured: ") or None
    return (q or {}).get("not_measured") or None


def pelvis_view(r: Result) -> str | None:
    """'rear' / 'front' for the clip the pelvis was measured on; None when there is none."""
    if r.pair is not None:
        return "front" if r.pair.view == "front" else "rear"
    return r.view if r.view in FRONTAL_VIEWS else None


def clip_name(r: Result) -> str:
    return r.video.name or "clip"


def rear_clip_name(r: Result) -> str:
    return r.pair.video.name if r.pair is not None else ""


def fps(r: Result) -> float | None:
    return float(r.video.fps) if r.video.fps else None


def height_m(r: Result) -> float | None:
    v = r.inputs.get("height_m")
    return float(v) if v else None


def belt_speed_mps(r: Result) -> float | None:
    v = r.summary.speed_mps or r.inputs.get("belt_speed_mps")
    return float(v) if v else None


def has_scale(r: Result) -> bool:
    """A metres-per-pixel scale was found (needed for centimetres)."""
    sc = r.quality.get("scale")
    return bool(isinstance(sc, dict) and sc.get("px_per_m"))


def form_level(r: Result) -> dict | None:
    """What the side-view angles were measured against (quality.form.level), None before it existed."""
    level = (r.quality.get("form") or {}).get("level")
    return level if isinstance(level, dict) else None


def warnings(r: Result) -> list[str]:
    """Stage warnings (already sentences), each once."""
    return list(dict.fromkeys(str(w) for w in r.quality.get("warnings", [])))


def tracking_note(r: Result) -> str | None:
    note = r.quality.get("tracking")
    return note if isinstance(note, str) and note else None


def leg_swaps(r: Result) -> int:
    ev = r.quality.get("events")
    return int(ev.get("leg_swap_frames_repaired") or 0) if isinstance(ev, dict) else 0


def pair_checks(r: Result) -> dict[str, dict]:
    """{Summary name: {side, rear, diff_pct, agree}} of a side+rear pair; {} otherwise."""
    pair = r.quality.get("pair") or {}
    return dict(pair.get("cross_check") or {})


def pair_tolerance_pct(r: Result) -> float | None:
    v = (r.quality.get("pair") or {}).get("tolerance_pct")
    return float(v) if v is not None else None


def research_blocks(r: Result) -> list[tuple[str, Any]]:
    """Every quality block as stored (name, value), for the researchers' data section."""
    return [(k, v) for k, v in r.quality.items() if k != "warnings" and v not in (None, "", [], {})]


def rear_strides_present(r: Result) -> bool:
    return bool(rear_strides(r))


def rear_strides(r: Result) -> list[Stride]:
    return list(r.pair.strides) if r.pair is not None else []
