"""What the plots draw, as typed series (the plots never read the Result)."""
from __future__ import annotations

from dataclasses import dataclass, field

from gait.result import Result

from . import source
from .counts import Counts
from .source import EventTimes, Trace


@dataclass(frozen=True)
class DropPoint:
    side: str  # stance foot
    foot_strike_s: float
    deg: float


@dataclass(frozen=True)
class Step:
    side: str  # the foot that lands
    t_s: float  # its strike
    step_s: float  # since the other foot's strike


@dataclass(frozen=True)
class StrikeForm:
    side: str
    t_s: float
    angles: dict[str, float | None]  # Stride field -> value (shank, knee, trunk)
    overstride_cm: float | None
    overstride_leg_pct: float | None


@dataclass(frozen=True)
class PlotData:
    counts: Counts
    events: EventTimes  # the clip's (the side clip of a pair)
    pelvic_events: EventTimes  # on the pelvic trace's clock
    pelvis: Trace | None
    pelvis_clip: str  # "the clip" | "the rear clip"
    drops: tuple[DropPoint, ...]
    steps: tuple[Step, ...]
    foot: dict[str, Trace] = field(default_factory=dict)
    strikes: tuple[StrikeForm, ...] = ()
    view: str | None = None
    pelvis_missing: str = ""  # why there are no pelvis plots (a sentence), "" when there are
    form_missing: tuple[str, ...] = ()  # form measures not drawn, each a sentence


ANGLE_FIELDS = ("shank_angle_deg", "knee_flexion_fs_deg", "trunk_lean_deg")


def steps(ev: EventTimes) -> tuple[Step, ...]:
    """Consecutive opposite-foot strikes: (landing foot, its strike time, step time)."""
    strikes = sorted((t, side) for side, ts in ev.foot_strike.items() for t in ts)
    return tuple(Step(b[1], b[0], b[0] - a[0]) for a, b in zip(strikes, strikes[1:]) if b[1] != a[1] and b[0] > a[0])


def drops(r: Result) -> tuple[DropPoint, ...]:
    return tuple(DropPoint(s.side, s.foot_strike_s, s.peak_drop_deg) for s in source.pelvis_stances(r)
                 if s.excluded is None and s.peak_drop_deg is not None)


def strike_forms(r: Result) -> tuple[StrikeForm, ...]:
    return tuple(StrikeForm(s.side, s.foot_strike_s, {k: getattr(s, k) for k in ANGLE_FIELDS}, s.overstride_cm,
                            s.overstride_leg_pct) for s in r.strides if not s.excluded)


def plot_data(r: Result, c: Counts, not_measured: list[str]) -> PlotData:
    trace = source.pelvic_trace(r)
    why = ""
    if trace is None:
        reason = source.pelvis_reason(r)
        why = (f"No pelvic drop plots: {reason}." if reason else
               "No pelvic drop plots: pelvic drop needs a rear or front view (or a second, rear clip).")
    foot = {side: t for side in ("left", "right") if (t := source.foot_height(r, side)) is not None}
    form_words = ("shank", "knee", "trunk", "overstride", "heel ahead", "vertical")
    form_missing = tuple(n for n in not_measured if any(w in n.lower() for w in form_words)) \
        if r.view and r.view.startswith("side") else ()
    return PlotData(counts=c, events=source.clip_events(r), pelvic_events=source.pelvic_events(r), pelvis=trace,
                    pelvis_clip="the rear clip" if source.is_pair(r) else "the clip", drops=drops(r),
                    steps=steps(source.clip_events(r)), foot=foot, strikes=strike_forms(r), view=r.view,
                    pelvis_missing=why, form_missing=form_missing)
