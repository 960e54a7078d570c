"""Gait rules: Summary measurements -> Findings, driven by knowledge/findings.yaml.

Each rule kind has one small evaluator. A metric that is None (not measured) or
non-finite never fires a rule and is never called normal: ``not_measured`` lists it.
Side convention (result.py): ``pelvic_drop_left_deg`` is the drop during LEFT-foot stance
(the right hip drops), which implicates the LEFT hip abductors, so its finding's side is
"left" - the stance side.
"""
from __future__ import annotations

import math
from typing import Any, Callable

from gait.result import Finding, Summary

from . import catalog

SEVERITY_RANK = {"info": 0, "mild": 1, "moderate": 2, "marked": 3}
_BANDS = ("mild", "moderate", "marked")


def metric_value(summary: Summary, name: str) -> float | bool | None:
    """A Summary value, with NaN/inf treated as not measured.

    ``pelvic_drop_asymmetry_deg`` (left - right) is derived from the two sides when the
    pipeline left it empty but measured both sides.
    """
    value = getattr(summary, name, None)
    if name == "pelvic_drop_asymmetry_deg" and value is None:
        left, right = summary.pelvic_drop_left_deg, summary.pelvic_drop_right_deg
        if _finite(left) and _finite(right):
            value = round(float(left) - float(right), 3)
    if value is None or isinstance(value, bool):
        return value
    return float(value) if _finite(value) else None


def _finite(x: Any) -> bool:
    try:
        return x is not None and not isinstance(x, bool) and math.isfinite(float(x))
    except (TypeError, ValueError):
        return False


def band_severity(value: float | None, bands: dict[str, float]) -> str | None:
    """Highest band whose edge the value strictly exceeds; None if none (or no value)."""
    if value is None:
        return None
    hit = None
    for name in _BANDS:
        if name in bands and value > bands[name]:
            hit = name
    return hit


def max_severity(severities: list[str]) -> str:
    return max(severities, key=SEVERITY_RANK.__getitem__)


def side_words(side: str | None) -> dict[str, str]:
    """Words for the {stance}/{swing}/{side}/{other} placeholders in the knowledge files."""
    if side == "left":
        return {"stance": "left", "swing": "right", "side": "left", "other": "right"}
    if side == "right":
        return {"stance": "right", "swing": "left", "side": "right", "other": "left"}
    return {"stance": "left and right", "swing": "opposite", "side": "affected", "other": "other"}


def bands_text(metric: str, bands: dict[str, float], unit: str, absolute: bool = False) -> str:
    name = f"|{metric}|" if absolute else metric
    parts = [f"> {bands[b]:g} {unit} = {b}" for b in _BANDS if b in bands]
    return f"{name}: " + ", ".join(parts)


def make_finding(rule: dict[str, Any], *, severity: str, side: str | None,
                 values: dict[str, Any], threshold: str, words_side: str | None = None) -> Finding:
    """Assemble a Finding from a rule, filling side words and joining the mechanism's sources."""
    words = side_words(words_side if words_side is not None else side)
    title = rule["title"]
    explanation = rule["explanation"]
    if side == "both":
        title = rule.get("title_both", title)
        explanation = rule.get("explanation_both", explanation)
    elif side is None and "title_no_side" in rule:
        title = rule["title_no_side"]
    chain: list[str] = []
    source_ids = list(rule.get("sources", [])) + list(rule.get("threshold_sources", []))
    if "mechanism" in rule:
        mech = catalog.mechanism(rule["mechanism"])
        chain = [step.format(**words) for step in mech["chain"]]
        explanation = f"{explanation.strip()} How sure this is: {mech['certainty'].strip()}"
        source_ids += mech["sources"]
    return Finding(
        id=rule["id"], title=title.format(**words), severity=severity, side=side,
        values=values, threshold=f"{threshold}. {rule['threshold_basis'].strip()}",
        evidence=rule["evidence"], mechanism=chain, explanation=explanation.format(**words),
        sources=catalog.cite(source_ids),
    )


# ------------------------------------------------------------------ evaluators


def eval_flag(rule: dict[str, Any], s: Summary) -> list[Finding]:
    if metric_value(s, rule["metric"]) is not True:
        return []
    return [make_finding(rule, severity=rule["severity"], side=None,
                         values={rule["metric"]: True},
                         threshold=f"{rule['metric']} is true")]


def eval_per_side(rule: dict[str, Any], s: Summary) -> list[Finding]:
    measured = {side: metric_value(s, m) for side, m in rule["metrics"].items()}
    severities = {side: band_severity(v, rule["bands"]) for side, v in measured.items()}
    fired = [side for side in ("left", "right") if severities.get(side)]
    if not fired:
        return []
    values: dict[str, Any] = {rule["metrics"][k]: v for k, v in measured.items() if v is not None}
    for k, m in rule.get("spread_metrics", {}).items():
        if (v := metric_value(s, m)) is not None:
            values[m] = v
    side = fired[0] if len(fired) == 1 else "both"
    larger = max(fired, key=lambda k: measured[k])  # stance side of the larger drop
    unit = rule["unit"]
    threshold = " / ".join(rule["metrics"].values()) + ": " + ", ".join(
        f"> {rule['bands'][b]:g} {unit} = {b}" for b in _BANDS)
    return [make_finding(rule, severity=max_severity([severities[k] for k in fired]),
                         side=side, values=values, threshold=threshold, words_side=larger)]


def eval_above_any(rule: dict[str, Any], s: Summary) -> list[Finding]:
    values: dict[str, Any] = {}
    hits: list[str] = []
    texts: list[str] = []
    for check in rule["checks"]:
        gate = check.get("only_if_missing")
        if gate and metric_value(s, gate) is not None:
            continue  # a better-normalised metric exists and is judged instead
        texts.append(bands_text(check["metric"], check["bands"], check["unit"], check.get("absolute", False)))
        v = metric_value(s, check["metric"])
        if v is None:
            continue
        values[check["metric"]] = v
        sev = band_severity(abs(v) if check.get("absolute") else v, check["bands"])
        if sev:
            hits.append(sev)
    if not hits or not _resolvable(rule, s):
        return []
    for m in rule.get("context_metrics", []):
        if (v := metric_value(s, m)) is not None:
            values.setdefault(m, v)
    side = _rule_side(rule, s)
    return [make_finding(rule, severity=max_severity(hits), side=side, values=values,
                         threshold="; ".join(texts) + " (fires when any measured one does)")]


def _resolvable(rule: dict[str, Any], s: Summary) -> bool:
    """A left/right difference smaller than the video can time (N frames) is not a finding."""
    spec = rule.get("resolvable")
    if not spec or s.frame_interval_ms is None:
        return True
    left, right = metric_value(s, spec["left"]), metric_value(s, spec["right"])
    if left is None or right is None:
        return True
    return abs(left - right) >= spec["frames"] * s.frame_interval_ms


def _rule_side(rule: dict[str, Any], s: Summary) -> str | None:
    if "side_by_sign" in rule:
        spec = rule["side_by_sign"]
        v = metric_value(s, spec["metric"])
        if v:
            return spec["positive"] if v > 0 else spec["negative"]
    if "side_by_larger" in rule:
        spec = rule["side_by_larger"]
        left, right = metric_value(s, spec["left"]), metric_value(s, spec["right"])
        if left is not None and right is not None and left != right:
            return "left" if left > right else "right"
    return None


def expected_cadence_spm(speed_mps: float, rule: dict[str, Any] | None = None) -> float:
    """Recreational cadence norm for a running speed (linear through evidence.md's points)."""
    rule = rule or catalog.rule("cadence_low_for_speed")
    (v0, c0), (v1, c1) = rule["norm_points"]
    lo, hi = rule["speed_clamp_mps"]
    v = min(max(speed_mps, lo), hi)
    return c0 + (c1 - c0) * (v - v0) / (v1 - v0)


def eval_cadence_for_speed(rule: dict[str, Any], s: Summary) -> list[Finding]:
    cadence = metric_value(s, rule["metric"])
    if cadence is None:
        return []
    speed = metric_value(s, rule["speed_metric"])
    b = rule["bands"]
    if speed is not None and speed > 0:
        expected = expected_cadence_spm(speed, rule)
        below_pct = (expected - cadence) / expected * 100.0
        severity = band_severity(below_pct, b)
        values = {"cadence_spm": cadence, "speed_mps": speed,
                  "expected_cadence_spm": round(expected, 1), "below_expected_pct": round(below_pct, 1)}
        threshold = (f"cadence more than {b['mild']:g}% (mild), {b['moderate']:g}% (moderate) or "
                     f"{b['marked']:g}% (marked) below the recreational norm for the speed: "
                     f"{expected:.0f} steps/min at {speed:.2f} m/s (169 steps/min at 2.7 m/s rising "
                     f"to 178 at 3.8 m/s, straight line, speed clamped to "
                     f"{rule['speed_clamp_mps'][0]:g}-{rule['speed_clamp_mps'][1]:g} m/s)")
    else:
        floor = rule["floor_without_speed_spm"]
        severity = "mild" if cadence < floor else None
        values = {"cadence_spm": cadence}
        threshold = (f"speed not known: only cadence_spm < {floor:g} steps/min is flagged, "
                     f"and only as mild")
    if not severity:
        return []
    return [make_finding(rule, severity=severity, side=None, values=values, threshold=threshold)]


EVALUATORS: dict[str, Callable[[dict[str, Any], Summary], list[Finding]]] = {
    "flag": eval_flag,
    "per_side": eval_per_side,
    "above_any": eval_above_any,
    "cadence_for_speed": eval_cadence_for_speed,
}


# ------------------------------------------------------------------ public


def rule_metrics(rule: dict[str, Any]) -> list[str]:
    """The Summary fields a rule judges (not its context fields)."""
    if rule["kind"] == "per_side":
        return list(rule["metrics"].values())
    if rule["kind"] == "above_any":
        return [c["metric"] for c in rule["checks"]]
    return [rule["metric"]]


def gait_findings(summary: Summary) -> list[Finding]:
    """Findings from the measurements alone; "nothing notable" when nothing fires.

    A walking clip yields only the walking info finding: running thresholds do not apply.
    """
    walking = [r for r in catalog.rules() if r["kind"] == "flag"]
    for rule in walking:
        found = eval_flag(rule, summary)
        if found and rule.get("skips_running_rules"):
            return found
    out: list[Finding] = []
    for rule in catalog.rules():
        if rule["kind"] != "flag":
            out += EVALUATORS[rule["kind"]](rule, summary)
    if not out:
        out = nothing_notable(summary)
    return sorted(out, key=lambda f: -SEVERITY_RANK[f.severity])


def judged_values(summary: Summary) -> dict[str, float]:
    """Every running metric a rule judges that was measured, by Summary name."""
    values: dict[str, float] = {}
    for rule in catalog.rules():
        if rule["kind"] == "flag":
            continue
        for m in rule_metrics(rule):
            if (v := metric_value(summary, m)) is not None:
                values[m] = v
    return values


def not_measured(summary: Summary) -> list[str]:
    """Checks that could not be made, in words (never reported as normal)."""
    out: list[str] = []
    for rule in catalog.rules():
        if rule["kind"] == "flag":
            continue
        metrics = rule_metrics(rule)
        missing = [m for m in metrics if metric_value(summary, m) is None]
        if rule["kind"] == "above_any" and len(missing) < len(metrics):
            missing = []  # the checks are alternatives: one measured one is enough to judge
        if missing:
            label = rule["label"]
            out.append(f"{label}: not measured ({', '.join(missing)} missing; needs {rule.get('needs', 'more data')})")
    return out


def nothing_notable(summary: Summary) -> list[Finding]:
    values = judged_values(summary)
    if not values:
        return []  # nothing measured: nothing to call normal either
    spec = catalog.load("findings")["nothing_notable"]
    missing = not_measured(summary)
    explanation = spec["explanation"].strip()
    if missing:
        explanation += " Not measured: " + "; ".join(missing) + "."
    return [Finding(
        id=spec["id"], title=spec["title"], severity=spec["severity"], side=None,
        values=values, threshold=spec["threshold_basis"].strip(), evidence=spec["evidence"],
        mechanism=[], explanation=explanation, sources=catalog.cite(spec["sources"]),
    )]
