"""One assessment from two clips of the same run: a side view and a rear view.

The side clip gives cadence, stride length, contact time and form; the rear clip gives
pelvic drop. Where both measure the same thing (cadence, stride and step time) they
are cross-checked and the comparison is kept in ``quality["pair"]``.

Strides: ``result.strides`` are the side clip's. The two clips are separate recordings
(not synchronised), so the rear clip's strides are NOT matched one-to-one to them;
they are kept whole in ``result.pair`` (a ``PairInfo``: the rear clip's video, view, events
and strides, on its own clock), and ``result.pelvis`` with its trace is the rear clip's.
The report writes the rear strides to rear_strides.csv.
"""
from __future__ import annotations

import copy
from pathlib import Path

from gait.errors import UsageError
from gait.result import PairInfo, Result

AGREE_PCT = 3.0  # side vs rear disagreement worth a warning (cadence counting errors are larger than this)
CROSS_CHECKED = ("cadence_spm", "stride_time_s", "step_time_s")
LABEL = {"cadence_spm": "cadence (steps/min)", "stride_time_s": "stride time (s)", "step_time_s": "step time (s)"}
PELVIC_SUMMARY = ("pelvic_drop_left_deg", "pelvic_drop_right_deg", "pelvic_drop_left_sd_deg",
                  "pelvic_drop_right_sd_deg", "pelvic_drop_asymmetry_deg",
                  # their 95 % intervals travel with them: the findings are gated by them
                  "pelvic_drop_left_deg_ci", "pelvic_drop_right_deg_ci", "pelvic_drop_asymmetry_deg_ci")


def _view(requested: str | None, which: str) -> str:
    """Force the view per clip, keeping a user's more specific choice (side_left / front)."""
    if which == "side":
        return requested if requested in ("side_left", "side_right") else "side"
    return "front" if requested == "front" else "rear"


def cross_check(side: Result, rear: Result, tolerance_pct: float = AGREE_PCT) -> dict:
    """{name: {side, rear, diff_pct, agree}} for the measures both clips give."""
    out = {}
    for name in CROSS_CHECKED:
        a, b = getattr(side.summary, name), getattr(rear.summary, name)
        if a is None or b is None:
            out[name] = {"side": a, "rear": b, "diff_pct": None, "agree": None}
            continue
        diff = abs(a - b) / ((a + b) / 2) * 100 if (a + b) else 0.0
        out[name] = {"side": a, "rear": b, "diff_pct": round(diff, 2), "agree": diff <= tolerance_pct}
    return out


def _findings(result: Result, symptoms):
    from gait.findings import DISCLAIMER, evaluate

    findings, recs = evaluate(result.summary, symptoms)
    return findings, recs, DISCLAIMER


def merge_pair(side: Result, rear: Result, symptoms=None) -> Result:
    """One Result: the side clip's, plus pelvic drop and its trace from the rear clip."""
    r = copy.deepcopy(side)
    r.quality["warnings"] = [f"side clip: {w}" for w in side.quality.get("warnings", [])]
    r.quality["warnings"] += [f"rear clip: {w}" for w in rear.quality.get("warnings", [])]
    r.quality.pop("pelvic_drop", None)  # the side clip's "needs a rear view" no longer applies
    if rear.quality.get("pelvic_drop") is not None:  # how the rear clip measured it (or why it could not)
        r.quality["pelvic_drop"] = copy.deepcopy(rear.quality["pelvic_drop"])
    r.quality["rear"] = {k: v for k, v in rear.quality.items() if k not in ("warnings", "pelvic_drop")}
    r.pelvis = copy.deepcopy(rear.pelvis)
    for name in PELVIC_SUMMARY:
        setattr(r.summary, name, copy.deepcopy(getattr(rear.summary, name)))
    if r.summary.cadence_spm is None and rear.summary.cadence_spm is not None:
        r.summary.cadence_spm = rear.summary.cadence_spm
        r.warn("Cadence comes from the rear clip: the side clip gave none.")
    if rear.traces.get("pelvic_obliquity"):
        r.traces["pelvic_obliquity"] = {**rear.traces["pelvic_obliquity"], "clip": "rear"}
    else:
        r.traces.pop("pelvic_obliquity", None)
    r.pair = PairInfo(rear.video, rear.view or "rear", copy.deepcopy(rear.events), copy.deepcopy(rear.strides))
    checks = cross_check(side, rear)
    r.quality["pair"] = {"side_video": side.video.path, "rear_video": rear.video.path,
                         "side_view": side.view, "rear_view": rear.view, "tolerance_pct": AGREE_PCT,
                         "cross_check": checks,
                         "strides": "side clip's strides; the rear clip's are in pair.strides (not matched)"}
    off = [f"{LABEL[n]} {c['diff_pct']:.1f} % (side {c['side']:.3g}, rear {c['rear']:.3g})"
           for n, c in checks.items() if c["agree"] is False]
    if off:  # one warning, not one per measure: they usually disagree together
        r.warn(f"The side and rear clips disagree by more than {AGREE_PCT:g} %: {'; '.join(off)}; "
               "were they filmed at the same speed?")
    r.inputs = {**side.inputs, "view": "side+rear", "rear_inputs": copy.deepcopy(rear.inputs)}
    r.findings, r.recommendations, r.disclaimer = _findings(r, symptoms)
    return r


def analyze_pair(side: str | Path | None = None, rear: str | Path | None = None, *, progress=None,
                 **options) -> Result:
    """Analyse a side and a rear clip of the same run into one Result (either alone also works)."""
    from gait.pipeline import analyze

    if not side and not rear:
        raise UsageError("Give a --side clip, a --rear clip, or both.")
    requested = options.pop("view", None)
    if side and rear and Path(side).resolve() == Path(rear).resolve():
        raise UsageError("--side and --rear name the same file; give two clips of the same run.")
    side_r = analyze(side, progress=progress, view=_view(requested, "side"), **options) if side else None
    rear_r = analyze(rear, progress=progress, view=_view(requested, "rear"), **options) if rear else None
    if side_r is None or rear_r is None:
        only = side_r or rear_r
        only.quality["pair"] = {"note": f"only a {'side' if side_r else 'rear'} clip was given"}
        return only
    return merge_pair(side_r, rear_r, options.get("symptoms"))
