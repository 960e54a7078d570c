"""Score one analysis Result against its truth: the rows of the accuracy table.

Definitions (the README's accuracy table and the tests use these, nothing else):
- a true foot strike is *hit* when a detected strike of the same foot lies within
  ``TOL_FRAMES`` frames; strikes within ``EDGE_S`` of the clip's ends are not scored
  (no method can see the stance or swing that runs off the clip);
- timing bias = median signed error (detected - true) of the hit strikes, ms;
- pelvic drop per stance is matched by side and foot strike within half a step.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from gait.validate.truth import Truth
from gait.vocabulary import SIDES

TOL_FRAMES = 2.0
EDGE_S = 0.3


@dataclass(frozen=True)
class SideScore:
    strikes_true: int
    strike_hit_pct: float | None  # share of inner true strikes found within TOL_FRAMES
    strike_spurious_pct: float | None  # share of detections with no true strike within TOL_FRAMES
    strike_bias_ms: float | None  # median signed timing error of the hits
    toe_off_bias_ms: float | None
    contact_time_ms: float | None
    contact_time_true_ms: float
    pelvic_drop_deg: float | None
    pelvic_drop_true_deg: float | None
    stances_matched: int
    stance_mae_deg: float | None


@dataclass(frozen=True)
class ClipScore:
    clip: str
    model: str
    view: str | None
    view_true: str
    view_ok: bool
    camera_yaw_true_deg: float
    cadence_spm: float | None
    cadence_true_spm: float
    stride_length_m: float | None
    stride_length_true_m: float | None
    contact_asymmetry_pct: float | None  # (L - R) / mean x 100, signed
    contact_asymmetry_true_pct: float
    pelvic_drop_asymmetry_deg: float | None  # L - R
    pelvic_drop_asymmetry_true_deg: float | None
    stance_r: float | None  # Pearson r of per-stance drop vs truth, both sides together
    left: SideScore
    right: SideScore

    @property
    def cadence_error_spm(self) -> float | None:
        return None if self.cadence_spm is None else self.cadence_spm - self.cadence_true_spm

    def flat(self) -> dict:
        """One flat row (for CSV / pandas): side fields prefixed ``left_`` / ``right_``."""
        d = {k: v for k, v in asdict(self).items() if k not in SIDES}
        for s in SIDES:
            d.update({f"{s}_{k}": v for k, v in asdict(getattr(self, s)).items()})
        d["cadence_error_spm"] = self.cadence_error_spm
        return d


def _events_score(det: list[float], tru: np.ndarray, fps: float, duration_s: float):
    det = np.sort(np.asarray(det, float))
    tol = TOL_FRAMES / fps
    inner = tru[(tru > EDGE_S) & (tru < duration_s - EDGE_S)]
    if inner.size == 0:
        return None, None, None
    if det.size == 0:
        return 0.0, None, None
    err = np.array([det[np.argmin(np.abs(det - t))] - t for t in inner])
    hit = np.abs(err) <= tol
    det_inner = det[(det > EDGE_S - tol) & (det < duration_s - EDGE_S + tol)]
    spur = float(np.mean([np.min(np.abs(tru - d)) > tol for d in det_inner])) if det_inner.size else 0.0
    bias = float(np.median(err[hit]) * 1000) if hit.any() else None
    return 100.0 * float(hit.mean()), 100.0 * spur, bias


def stance_drops(result) -> list[tuple[str, float, float]]:
    """(side, foot strike s, measured peak drop deg) for every measured stance of a Result."""
    return [(st.side, st.foot_strike_s, st.pelvic_drop_deg) for st in result.strides
            if st.pelvic_drop_deg is not None]


def _match_stances(measured, truth: Truth, half_step_s: float):
    pairs = {s: [] for s in SIDES}
    for side, fs, v in measured:
        cand = [t for t in truth.stances if t.side == side]
        if not cand:
            continue
        best = min(cand, key=lambda t: abs(t.foot_strike_s - fs))
        if abs(best.foot_strike_s - fs) <= half_step_s:
            pairs[side].append((v, best.pelvic_drop_deg))
    return {s: np.array(p, float).reshape(-1, 2) for s, p in pairs.items()}


def _asym_pct(left, right):
    if left is None or right is None or left + right <= 0:
        return None
    return 100.0 * (left - right) / (0.5 * (left + right))


def score(result, truth: Truth) -> ClipScore:
    sm = result.summary
    half_step = 30.0 / truth.cadence_spm
    pairs = _match_stances(stance_drops(result), truth, half_step) if truth.has_pelvic_drop else {s: np.zeros((0, 2)) for s in SIDES}
    drop = {"left": sm.pelvic_drop_left_deg, "right": sm.pelvic_drop_right_deg}
    ct = {"left": sm.contact_time_left_ms, "right": sm.contact_time_right_ms}
    sides = {}
    for s in SIDES:
        hit, spur, bias = _events_score(result.events.foot_strike[s], truth.foot_strike_s[s], truth.fps, truth.duration_s)
        _, _, to_bias = _events_score(result.events.toe_off[s], truth.toe_off_s[s], truth.fps, truth.duration_s)
        p = pairs[s]
        sides[s] = SideScore(
            strikes_true=int(truth.foot_strike_s[s].size), strike_hit_pct=hit, strike_spurious_pct=spur,
            strike_bias_ms=bias, toe_off_bias_ms=to_bias, contact_time_ms=ct[s],
            contact_time_true_ms=truth.contact_time_ms[s], pelvic_drop_deg=drop[s],
            pelvic_drop_true_deg=truth.pelvic_drop_deg(s) if truth.has_pelvic_drop else None,
            stances_matched=len(p), stance_mae_deg=float(np.mean(np.abs(p[:, 0] - p[:, 1]))) if len(p) else None)
    both = np.vstack([pairs[s] for s in SIDES])
    r = float(np.corrcoef(both[:, 0], both[:, 1])[0, 1]) if len(both) > 2 and np.std(both[:, 1]) > 0 else None
    view_ok = result.view == truth.view or (truth.view == "side" and str(result.view).startswith("side"))
    tl, tr_ = truth.pelvic_drop_deg("left"), truth.pelvic_drop_deg("right")
    return ClipScore(
        clip=truth.clip, model=str(result.model), view=result.view, view_true=truth.view, view_ok=view_ok,
        camera_yaw_true_deg=truth.camera_yaw_deg, cadence_spm=sm.cadence_spm, cadence_true_spm=truth.cadence_spm,
        stride_length_m=sm.stride_length_m, stride_length_true_m=truth.stride_length_m,
        contact_asymmetry_pct=_asym_pct(ct["left"], ct["right"]),
        contact_asymmetry_true_pct=_asym_pct(truth.contact_time_ms["left"], truth.contact_time_ms["right"]),
        pelvic_drop_asymmetry_deg=(drop["left"] - drop["right"]) if None not in drop.values() else None,
        pelvic_drop_asymmetry_true_deg=(tl - tr_) if truth.has_pelvic_drop and None not in (tl, tr_) else None,
        stance_r=r, left=sides["left"], right=sides["right"])
