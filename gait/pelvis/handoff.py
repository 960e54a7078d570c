"""Hand a PelvisResult to the analysis Result: summary numbers, per-stride values, the trace for plots."""
from __future__ import annotations

from dataclasses import asdict

import numpy as np

from gait.result import PelvisResult

CONVENTION = "left = peak drop of the RIGHT hip during LEFT-foot stance; + = swing-side hip lower"


def _match_strides(result, pelvis: PelvisResult) -> None:
    """Each stride opens with a stance of its foot: copy that stance's drop (within half a step)."""
    fs_all = sorted(s.foot_strike_s for s in pelvis.stances)
    half_step = 0.5 * float(np.median(np.diff(fs_all))) if len(fs_all) > 2 else 0.15
    by_side = {side: [s for s in pelvis.stances if s.side == side and s.excluded is None] for side in ("left", "right")}
    for st in result.strides:
        near = [s for s in by_side[st.side] if abs(s.foot_strike_s - st.foot_strike_s) <= half_step]
        if not near:
            continue
        best = min(near, key=lambda s: abs(s.foot_strike_s - st.foot_strike_s))
        st.pelvic_drop_deg = best.peak_drop_deg
        st.pelvic_drop_midstance_deg = best.midstance_drop_deg
        st.pelvic_drop_peak_s = best.peak_s
        st.pelvic_confidence = round(best.confidence, 3)


def apply_pelvis(result, pelvis: PelvisResult) -> None:
    result.pelvis = pelvis
    if not pelvis.measured:
        result.quality["pelvic_drop"] = {"not_measured": pelvis.reason}  # one shape: always a dict
        return
    L, R = pelvis.left, pelvis.right
    sm = result.summary
    sm.pelvic_drop_left_deg, sm.pelvic_drop_right_deg = L.deg, R.deg
    sm.pelvic_drop_left_deg_ci, sm.pelvic_drop_right_deg_ci = L.ci, R.ci
    sm.pelvic_drop_left_sd_deg, sm.pelvic_drop_right_sd_deg = L.sd_deg, R.sd_deg
    sm.pelvic_drop_asymmetry_deg, sm.pelvic_drop_asymmetry_deg_ci = pelvis.asymmetry_deg, pelvis.asymmetry_ci
    q = asdict(pelvis.quality)
    q.update(stances_excluded=pelvis.quality.stances_excluded, convention=CONVENTION)
    result.quality["pelvic_drop"] = q
    _match_strides(result, pelvis)
    tr = pelvis.trace
    result.traces["pelvic_obliquity"] = {"t_s": tr.t_s, "deg": tr.obliquity_deg, "confidence": tr.confidence,
                                         "convention": "+ = left hip higher, relative to the pelvis level in flight"}
    for w in pelvis.warnings:
        result.warn(w)
