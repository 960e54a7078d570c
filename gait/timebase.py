"""Analysis on the runner's clock for slow-motion clips, results on the video's clock.

With a capture rate (``--capture-fps`` / ``--slowmo`` / container metadata) every duration must be
real: the landmark series is re-timed (t x scale) before events and metrics. Instants in the
result (events, stride boundaries, trace time axes) are then put back on the video's own clock,
so reports and overlays still find their frames; durations (contact, step, stride times, cadence)
stay real.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Any

from gait.poses.series import PoseSeries
from gait.result import Result

STRIDE_INSTANTS = ("foot_strike_s", "toe_off_s", "next_foot_strike_s", "pelvic_drop_peak_s")


def retime_poses(poses: PoseSeries, scale: float) -> PoseSeries:
    """The series on the runner's clock: times x ``scale``, frame rate / ``scale``."""
    if scale == 1.0:
        return poses
    video = replace(poses.video, fps=poses.video.fps / scale, duration_s=poses.video.duration_s * scale)
    return poses.with_arrays(t_s=poses.t_s * scale, video=video)


def _times(x: Any, k: float) -> Any:
    if isinstance(x, list):
        return [_times(v, k) for v in x]
    return round(x * k, 4) if isinstance(x, (int, float)) and not isinstance(x, bool) else x


def _trace_times(tr: Any, k: float) -> Any:
    """Every ``t_s`` axis in the traces, and the strike instant of ``stride_times`` pairs, times k."""
    if isinstance(tr, dict):
        out = {}
        for key, v in tr.items():
            if key == "t_s":
                out[key] = _times(v, k)
            elif key == "stride_times" and isinstance(v, dict):
                out[key] = {s: [[_times(p[0], k), p[1]] for p in pairs] for s, pairs in v.items()}
            else:
                out[key] = _trace_times(v, k)
        return out
    return tr


def result_to_video_clock(result: Result, scale: float) -> None:
    """Put a result computed on the runner's clock back on the video's clock (instants / ``scale``)."""
    if scale == 1.0:
        return
    k = 1.0 / scale
    ev = result.events
    ev.foot_strike = {s: _times(v, k) for s, v in ev.foot_strike.items()}
    ev.toe_off = {s: _times(v, k) for s, v in ev.toe_off.items()}
    for st in result.strides:
        for name in STRIDE_INSTANTS:
            if getattr(st, name) is not None:
                setattr(st, name, round(getattr(st, name) * k, 4))
    result.traces = _trace_times(result.traces, k)
