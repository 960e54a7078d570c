"""Hand a PelvisResult over to the analysis Result (summary, strides, traces, quality, warnings)."""
from __future__ import annotations

import numpy as np


def apply_pelvic_drop(result, pelvis) -> None:
    """Copy a PelvisResult into a gait.result.Result (summary, strides, traces, quality, warnings)."""
    if pelvis.method is None:
        result.pelvic_drop_deg = None
        result.quality["pelvic_drop"] = f"not measured: {pelvis.reason}"
        return
    L, R = pelvis.left.median_deg, pelvis.right.median_deg
    q = {
        "method": pelvis.method,
        "stances_used": pelvis.n_used,
        "stances_excluded": pelvis.n_excluded,
        "excluded": [{"side": s.side, "foot_strike_s": s.foot_strike_s, "reason": s.excluded}
                     for s in pelvis.stances if s.excluded],
        "camera_roll_deg": pelvis.camera_roll_deg,
        "camera_roll_note": pelvis.camera_roll_note,
        "oblique_yaw_deg_estimate": pelvis.oblique_yaw_deg_estimate,
        "oblique_bias_note": pelvis.oblique_bias_note,
        "level_deg": pelvis.level_deg,
        "level": pelvis.level_note,
        "static_obliquity_deg": pelvis.static_obliquity_deg,
        "templates": pelvis.n_templates,
        "naive_hip_landmark_line_deg": pelvis.naive_hip_line,
        "convention": "left = peak drop of the RIGHT hip during LEFT-foot stance; + = swing-side hip lower",
    }
    if L is None or R is None:
        result.pelvic_drop_deg = None
        q["not_measured"] = "no valid stance on the " + " and ".join(s for s, v in (("left", L), ("right", R)) if v is None) + " side"
    else:
        result.pelvic_drop_deg = {"left": L, "right": R}
    result.quality["pelvic_drop"] = q
    sm = result.summary
    sm.pelvic_drop_left_deg, sm.pelvic_drop_right_deg = L, R
    sm.pelvic_drop_left_sd_deg, sm.pelvic_drop_right_sd_deg = pelvis.left.sd_deg, pelvis.right.sd_deg
    sm.pelvic_drop_asymmetry_deg = (L - R) if L is not None and R is not None else None
    # strides: match by side and foot strike within half a step
    fs_all = sorted(s.foot_strike_s for s in pelvis.stances)
    half_step = 0.5 * float(np.median(np.diff(fs_all))) if len(fs_all) > 2 else 0.15
    for st in result.strides:
        best = None
        for s in pelvis.stances:
            if s.side == st.side and abs(s.foot_strike_s - st.foot_strike_s) <= half_step:
                if best is None or abs(s.foot_strike_s - st.foot_strike_s) < abs(best.foot_strike_s - st.foot_strike_s):
                    best = s
        if best is None or best.excluded is not None:
            continue
        st.pelvic_drop_deg = best.peak_drop_deg
        st.pelvic_drop_midstance_deg = best.midstance_drop_deg
        st.pelvic_drop_peak_s = best.peak_s
        st.pelvic_confidence = round(best.confidence, 3)
    result.traces["pelvic_obliquity"] = {"t_s": pelvis.trace_t_s, "deg": pelvis.trace_obliquity_deg,
                                         "confidence": pelvis.trace_confidence,
                                         "convention": "+ = left hip higher, levelled to the runner's mean"}
    for w in pelvis.warnings:
        result.warn(w)
