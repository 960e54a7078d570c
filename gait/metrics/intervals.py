"""95 % intervals of the temporal and form summary metrics (the ``<metric>_ci`` fields).

Each interval is a bootstrap over the strides the median summarises (gait.uncertainty), widened in
quadrature by what more strides cannot remove:
- event timing: the frame interval (sub-frame interpolation leaves about frame/sqrt(12) per event,
  averaging down over strides) and the method's systematic per-side error, validated on the
  phantom clips with truth (../shared/evidence.md lists the published anchors): a foot strike or
  toe-off is within about 15 ms per side from a side view (the far foot lands early), 15 ms from
  behind (mirrored strike),
  25 ms from the front. Contact and flight join two event kinds, so both errors count; step and
  stride times join strikes, whose common error cancels.
- form: 2-D landmark angles are within about 5 deg of motion capture (Stenum 2021: 4-7 deg), the
  height-based pixel scale within about 5 % (gait.metrics.stride_length), a landmark position
  within about 2 % of the leg. The foot-strike values (shank angle, knee flexion, overstride) also
  carry the strike's own timing error times how fast they change at the strike, measured on the
  clip (gait.metrics.form.StrikeRates): on the phantoms the shank swings back about 400 deg/s just
  after contact, so 15 ms is 6 deg.
"""
from __future__ import annotations

import math

import numpy as np

from gait.metrics import temporal
from gait.metrics.temporal import values_of
from gait.metrics.form import StrikeRates
from gait.result import Stride, Summary
from gait.uncertainty import bootstrap_ci, paired_median_bootstrap_ci, widen

# Systematic error of one event (foot strike or toe-off) per side, ms, by view (phantom validation).
EVENT_BIAS_MS = {"side": 15.0, "rear": 15.0, "front": 25.0}
ANGLE_RES_DEG = 5.0  # 2-D joint and segment angles vs motion capture (Stenum 2021)
SCALE_REL = 0.05  # height-based pixels-per-metre scale
LANDMARK_LEG_PCT = 2.0  # heel/hip landmark placement, % of leg length
OSCILLATION_CM = 0.5  # pelvis landmark bounce beyond the scale error
# Uniform rounding of an event to sub-frame precision: frame/sqrt(12) (standard deviation of a uniform).
QUANT_PER_FRAME = 1.0 / math.sqrt(12.0)


def _view_key(view: str | None) -> str:
    return "side" if not view or view.startswith("side") else view


def _ci(values: np.ndarray, centre: float | None, res: float) -> list[float] | None:
    return widen(bootstrap_ci(values), centre, res) if centre is not None else None


def _foot_ci(strides: list[Stride], name: str, centre: float | None, res: float) -> list[float] | None:
    """Interval of a both-feet summary (temporal.both_sides_median): the feet resampled separately."""
    left, right = values_of(strides, name, "left"), values_of(strides, name, "right")
    if min(left.size, right.size) < temporal.MIN_SIDE_STRIDES:
        return _ci(values_of(strides, name), centre, res)
    if centre is None:
        return None
    return widen(paired_median_bootstrap_ci(left, right, lambda a, b: 0.5 * (a + b)), centre, res)


def event_res_ms(view: str | None, frame_ms: float, n: int, kinds: int) -> float:
    """Timing resolution of a median duration that joins ``kinds`` (1 or 2) different event kinds."""
    quant = QUANT_PER_FRAME * frame_ms * math.sqrt(2.0) / math.sqrt(max(n, 1))
    bias = EVENT_BIAS_MS[_view_key(view)] * (math.sqrt(2.0) if kinds == 2 else 0.0)
    return math.hypot(quant, bias)


def _cadence_spm_of_strides(stride_s: np.ndarray, axis: int = -1) -> np.ndarray:
    """Steps/min from the median of two-step (stride) durations, s."""
    return 120.0 / np.median(stride_s, axis=axis)


def asym_ci(left: np.ndarray, right: np.ndarray, centre: float | None, res_pp: float) -> list[float] | None:
    """Interval of the signed (L - R) / mean x 100 of two sides' medians."""
    if centre is None:
        return None
    return widen(paired_median_bootstrap_ci(left, right, temporal.asymmetry_pct_of), centre, res_pp)


def timing_intervals(sm: Summary, strides: list[Stride], steps: np.ndarray, step_side: np.ndarray,
                     view: str | None, frame_ms: float) -> None:
    """Intervals of cadence, step/stride time, contact per side and overall, flight, duty factor and
    the two asymmetries."""
    ok = np.abs(steps - np.median(steps)) < 0.5 * np.median(steps) if steps.size else np.zeros(0, bool)
    pairs = steps[:-1] + steps[1:] if steps.size > 1 else np.zeros(0)
    span_s = float(np.sum(steps[ok])) if ok.any() else 0.0
    if sm.cadence_spm and span_s > 0:
        res = sm.cadence_spm * (frame_ms / 1000.0) / span_s  # one frame over the measured span
        sm.cadence_spm_ci = widen(bootstrap_ci(pairs, _cadence_spm_of_strides), sm.cadence_spm, res)
    n_steps = int(ok.sum())
    strike_res_s = event_res_ms(view, frame_ms, n_steps, 1) / 1000.0
    sm.step_time_s_ci = _ci(steps[ok], sm.step_time_s, strike_res_s)
    st = values_of(strides, "stride_time_s")
    sm.stride_time_s_ci = _ci(st, sm.stride_time_s, event_res_ms(view, frame_ms, st.size, 1) / 1000.0)
    ct = {s: values_of(strides, "contact_time_ms", s) for s in ("left", "right")}
    per_side = {s: event_res_ms(view, frame_ms, ct[s].size, 2) for s in ct}
    sm.contact_time_left_ms_ci = _ci(ct["left"], sm.contact_time_left_ms, per_side["left"])
    sm.contact_time_right_ms_ci = _ci(ct["right"], sm.contact_time_right_ms, per_side["right"])
    both = values_of(strides, "contact_time_ms")
    both_res = event_res_ms(view, frame_ms, both.size, 2)
    sm.contact_time_ms_ci = _ci(both, sm.contact_time_ms, both_res)
    sm.flight_time_ms_ci = _ci(values_of(strides, "flight_time_ms"), sm.flight_time_ms, both_res)
    if sm.stride_time_s:
        sm.duty_factor_pct_ci = _ci(values_of(strides, "duty_factor_pct"), sm.duty_factor_pct,
                                    100.0 * both_res / (1000.0 * sm.stride_time_s))
    if sm.contact_time_ms:
        # each side's systematic error is its own: the difference carries both
        res_pp = 100.0 * math.hypot(per_side["left"], per_side["right"]) / sm.contact_time_ms
        sm.contact_time_asymmetry_pct_ci = asym_ci(ct["left"], ct["right"], sm.contact_time_asymmetry_pct, res_pp)
    if sm.step_time_s:
        # a per-side strike error lengthens one foot's steps and shortens the other's by as much
        res_pp = 100.0 * 2.0 * math.sqrt(2.0) * EVENT_BIAS_MS[_view_key(view)] / (1000.0 * sm.step_time_s)
        left, right = steps[ok & (step_side == "left")], steps[ok & (step_side == "right")]
        sm.step_time_asymmetry_pct_ci = asym_ci(left, right, sm.step_time_asymmetry_pct, res_pp)


def form_intervals(sm: Summary, strides: list[Stride], belt_mps: float | None, frame_ms: float,
                   unlevelled_deg: float = 0.0, rates: StrikeRates = StrikeRates(), view: str | None = None) -> None:
    """Intervals of stride length and the side-view form metrics. ``unlevelled_deg``: how far off level the
    segment angles may be read (a tilted camera with no background level to correct by); ``rates``: how fast
    the foot-strike values change at the strike, times the strike's own systematic error."""
    sl = values_of(strides, "stride_length_m")
    if sm.stride_length_m is not None:
        res = (belt_mps * QUANT_PER_FRAME * frame_ms / 1000.0) if belt_mps else SCALE_REL * sm.stride_length_m
        sm.stride_length_m_ci = _ci(sl, sm.stride_length_m, res)
    strike_s = EVENT_BIAS_MS[_view_key(view)] / 1000.0
    sm.shank_angle_deg_ci = _foot_ci(strides, "shank_angle_deg", sm.shank_angle_deg,
                                     math.hypot(ANGLE_RES_DEG, unlevelled_deg, rates.shank_deg_s * strike_s))
    sm.trunk_lean_deg_ci = _ci(values_of(strides, "trunk_lean_deg"), sm.trunk_lean_deg,  # against the vertical
                               math.hypot(ANGLE_RES_DEG, unlevelled_deg))
    sm.knee_flexion_fs_deg_ci = _foot_ci(strides, "knee_flexion_fs_deg", sm.knee_flexion_fs_deg,
                                         math.hypot(ANGLE_RES_DEG, rates.knee_deg_s * strike_s))
    sm.knee_flexion_midstance_deg_ci = _foot_ci(strides, "knee_flexion_midstance_deg", sm.knee_flexion_midstance_deg,
                                                ANGLE_RES_DEG)  # a peak: no instant in it
    sm.overstride_leg_pct_ci = _foot_ci(strides, "overstride_leg_pct", sm.overstride_leg_pct,
                                        math.hypot(LANDMARK_LEG_PCT, rates.overstride_leg_pct_s * strike_s))
    if sm.overstride_cm is not None:
        sm.overstride_cm_ci = _foot_ci(strides, "overstride_cm", sm.overstride_cm,
                                       math.hypot(SCALE_REL * abs(sm.overstride_cm), rates.overstride_cm_s * strike_s))
    if sm.vertical_oscillation_cm is not None:
        sm.vertical_oscillation_cm_ci = _ci(values_of(strides, "vertical_oscillation_cm"), sm.vertical_oscillation_cm,
                                            math.hypot(SCALE_REL * sm.vertical_oscillation_cm, OSCILLATION_CM))
    if sm.vertical_ratio_pct is not None and sm.vertical_oscillation_cm_ci and sm.stride_length_m_ci:
        sm.vertical_ratio_pct_ci = _ratio_ci(sm)


def _ratio_ci(sm: Summary) -> list[float]:
    """Vertical ratio's interval from its two factors' relative half-widths (independent errors)."""
    def rel(ci, v):
        return 0.5 * (ci[1] - ci[0]) / abs(v) if v else 0.0
    r = math.hypot(rel(sm.vertical_oscillation_cm_ci, sm.vertical_oscillation_cm),
                   rel(sm.stride_length_m_ci, sm.stride_length_m))
    v = sm.vertical_ratio_pct
    return [round(v * (1 - r), 4), round(v * (1 + r), 4)]
