"""Gait rules: Summary measurements -> Findings, gated by each measurement's uncertainty.

Each rule kind has one small evaluator. A metric that is None (not measured) or non-finite
never fires a rule and is never called normal: ``not_measured`` lists it, and so does a
measurement that has neither an interval nor a stated resolution (not judged).
Side convention (result.py): ``pelvic_drop_left_deg`` is the drop during LEFT-foot stance
(the right hip drops), which implicates the LEFT hip abductors, so its finding's side is
"left" - the stance side. A side is named only when the left-right difference is
resolvable (gating.py).
"""
from __future__ import annotations

from typing import Any

from gait.result import Finding, Summary

from .cadence import eval_cadence_for_speed, norm_words
from .catalog import cite
from .gating import Reading, check_reading, grade, metric_value, reading, side_resolved
from .kb import knowledge
from .kb_rules import (
    AboveAnyRule,
    CadenceRule,
    Check,
    FlagRule,
    PerSideRule,
    RhythmRule,
    Rule,
    rule_metrics,
)
from .text import fill, side_words, span

SEVERITY_RANK = {"info": 0, "mild": 1, "moderate": 2, "marked": 3}


def max_severity(severities: list[str]) -> str:
    return max(severities, key=SEVERITY_RANK.__getitem__)


def _primary_check(rule: Rule) -> Check | None:
    if isinstance(rule, PerSideRule):
        return rule.left
    if isinstance(rule, AboveAnyRule):
        return rule.checks[0]
    return rule.check if isinstance(rule, CadenceRule) else None


def rule_numbers(rule: Rule) -> dict[str, str]:
    """The numbers a rule's prose may name, rendered from the data (never typed into it)."""
    err = knowledge().pelvic_drop_error
    out = {"same_day_error": span(err.same_day_deg), "between_day_error": span(err.between_day_deg)}
    check = _primary_check(rule)
    if check is not None:
        out.update({b.severity: f"{b.edge:g}" for b in check.bands})
        if check.resolution is not None:
            out["no_interval"] = check.resolution.words()
            out["frames"] = f"{check.resolution.frames or 0:g}"
    if isinstance(rule, CadenceRule):
        out.update(norm=norm_words(rule), floor=f"{rule.floor_without_speed_spm:g}")
    if isinstance(rule, RhythmRule):
        out["plausible"] = f"{span(rule.plausible_spm)} steps/min"
    return out


def _variant(rule: Rule, variant: str) -> tuple[str, str]:
    t = rule.text
    if variant == "both":
        return t.title_both or t.title, t.explanation_both or t.explanation
    if variant == "unresolved":
        return t.title_unresolved or t.title, t.explanation_unresolved or t.explanation
    return t.title, t.explanation


def make_finding(rule: Rule, *, severity: str, side: str | None, values: dict[str, Any], threshold: str,
                 words_side: str | None = None, variant: str = "one", band: str | None = None) -> Finding:
    """Assemble a Finding from a rule, filling side words and joining the mechanism's sources."""
    t = rule.text
    title, explanation = _variant(rule, variant)
    words = {**side_words(words_side if words_side is not None else side), "band": t.band_word(band or severity)}
    chain: list[str] = []
    source_ids = [*t.sources, *t.threshold_sources]
    if t.mechanism:
        mech = knowledge().mechanism(t.mechanism)
        chain = [fill(step, **words) for step in mech.chain]
        explanation = f"{explanation} How sure this is: {mech.grade}. {mech.certainty}"
        source_ids += mech.sources
    return Finding(id=t.id, title=fill(title, **words), severity=severity, side=side, values=values,
                   threshold=f"{threshold}. {fill(t.threshold_basis, **rule_numbers(rule))}", evidence=t.evidence,
                   mechanism=chain, explanation=fill(explanation, **words), sources=cite(source_ids))


def check_words(check: Check, r: Reading | None) -> str:
    """One check in words: the reading, its interval and the band edges it is judged against."""
    label = knowledge().label(check.metric)
    if r is None:
        return f"{label}: not measured"
    if r.interval is None:
        return f"{label}: {r.words(check.unit)}, not judged (no interval and no stated resolution)"
    unit = "%" if check.unit == "%" else f" {check.unit}"
    edges = ", ".join(f"{b.edge:g}{unit} ({b.severity})" for b in check.bands)
    how = "more than this far from zero" if check.signed else "above"
    return f"{label}: {r.words(check.unit)}; fires when the whole interval is {how}: {edges}"


# ------------------------------------------------------------------ evaluators


def eval_flag(rule: FlagRule, s: Summary) -> list[Finding]:
    if metric_value(s, rule.metric) is not True:
        return []
    return [make_finding(rule, severity=rule.severity, side=None, values={rule.metric: True},
                         threshold="the pipeline marked the clip this way")]


def eval_rhythm(rule: RhythmRule, s: Summary) -> list[Finding]:
    slow = metric_value(s, rule.slow_motion_metric) is True
    cadence = metric_value(s, rule.metric)
    lo, hi = rule.plausible_spm
    odd = cadence is not None and not lo <= float(cadence) <= hi
    if not slow and not odd:
        return []
    values: dict[str, Any] = {rule.slow_motion_metric: True} if slow else {}
    reasons = ["the clip looks slowed down"] if slow else []
    if cadence is not None:
        values[rule.metric] = cadence
    if odd:
        reasons.append(f"cadence {cadence:.0f} steps/min is outside {span(rule.plausible_spm)} steps/min")
    return [make_finding(rule, severity=rule.severity, side=None, values=values, threshold="; ".join(reasons))]


def eval_per_side(rule: PerSideRule, s: Summary) -> list[Finding]:
    readings = {"left": check_reading(s, rule.left), "right": check_reading(s, rule.right)}
    grades = {side: grade(r, rule.left.bands)[0] for side, r in readings.items()}
    fired = [side for side in ("left", "right") if grades[side] is not None]
    if not fired:
        return []
    larger = side_resolved(reading(s, rule.difference_metric, rule.left.resolution))
    if len(fired) == 2:
        side, variant, words_side = "both", "both", larger
    elif larger == fired[0]:
        side, variant, words_side = fired[0], "one", fired[0]
    else:
        side, variant, words_side = None, "unresolved", None
    severities = [grades[x].severity for x in fired]
    values: dict[str, Any] = {r.metric: r.value for r in readings.values() if r is not None}
    for m in rule.spread_metrics:
        if (v := metric_value(s, m)) is not None:
            values[m] = v
    parts = [check_words(c, readings[x]) for x, c in (("left", rule.left), ("right", rule.right))]
    band = min(severities, key=SEVERITY_RANK.__getitem__)
    text = rule.text
    grades_words = "; ".join(f"above {b.edge:g} deg: {text.band_word(b.severity)}" for b in rule.left.bands)
    return [make_finding(rule, severity=max_severity(severities), side=side, values=values, variant=variant,
                         words_side=words_side, band=band, threshold="; ".join(parts) + f" ({grades_words})")]


def eval_above_any(rule: AboveAnyRule, s: Summary) -> list[Finding]:
    values: dict[str, Any] = {}
    hits: list[str] = []
    sides: list[str] = []
    texts: list[str] = []
    for check in rule.checks:
        if check.only_if_missing and metric_value(s, check.only_if_missing) is not None:
            continue  # a better-normalised metric exists and is judged instead
        r = check_reading(s, check)
        texts.append(check_words(check, r))
        if r is None:
            continue
        values[check.metric] = r.value
        band, side = grade(r, check.bands, check.signed)
        if band is not None:
            hits.append(band.severity)
            sides += [side] if side else []
    if not hits:
        return []
    for m in rule.context_metrics:
        if (v := metric_value(s, m)) is not None and not isinstance(v, bool):
            values.setdefault(m, v)
    return [make_finding(rule, severity=max_severity(hits), side=sides[0] if sides else None, values=values,
                         threshold="; ".join(texts) + " (fires when any judged one does)")]


def evaluate_rule(rule: Rule, s: Summary) -> list[Finding]:
    if isinstance(rule, PerSideRule):
        return eval_per_side(rule, s)
    if isinstance(rule, AboveAnyRule):
        return eval_above_any(rule, s)
    if isinstance(rule, CadenceRule):
        return [make_finding(rule, **kw) for kw in eval_cadence_for_speed(rule, s)]
    if isinstance(rule, RhythmRule):
        return eval_rhythm(rule, s)
    return eval_flag(rule, s)


def is_timing(rule: Rule) -> bool:
    return isinstance(rule, (AboveAnyRule, CadenceRule)) and rule.timing


def rhythm_findings(summary: Summary) -> list[Finding]:
    return [f for r in knowledge().rules if isinstance(r, RhythmRule) for f in eval_rhythm(r, summary)]


# ------------------------------------------------------------------ public


def gait_findings(summary: Summary) -> list[Finding]:
    """Findings from the measurements alone; "nothing notable" when nothing fires.

    A walking clip yields only the walking info finding: running thresholds do not apply.
    A clip whose rhythm running does not allow yields that info finding, and its absolute
    timing (cadence, contact time) is not judged.
    """
    rules = knowledge().rules
    for rule in rules:
        if isinstance(rule, FlagRule) and (found := eval_flag(rule, summary)) and rule.skips_running_rules:
            return found
    rhythm = rhythm_findings(summary)
    out: list[Finding] = []
    for rule in rules:
        if isinstance(rule, (FlagRule, RhythmRule)) or (rhythm and is_timing(rule)):
            continue
        out += evaluate_rule(rule, summary)
    if not out:
        out = nothing_notable(summary)
    return sorted(rhythm + out, key=lambda f: -SEVERITY_RANK[f.severity])


def judged_rules() -> list[Rule]:
    return [r for r in knowledge().rules if not isinstance(r, (FlagRule, RhythmRule))]


def judged_values(summary: Summary) -> dict[str, float]:
    """Every running metric a rule judged that was measured, by Summary name."""
    values: dict[str, float] = {}
    rhythm = bool(rhythm_findings(summary))
    for rule in judged_rules():
        if rhythm and is_timing(rule):
            continue  # not judged on this clip
        for m in rule_metrics(rule):
            if (v := metric_value(summary, m)) is not None and not isinstance(v, bool):
                values[m] = v
    return values


def _checks(rule: Rule) -> list[Check]:
    if isinstance(rule, PerSideRule):
        return [rule.left, rule.right]
    if isinstance(rule, AboveAnyRule):
        return list(rule.checks)
    return [rule.check] if isinstance(rule, CadenceRule) else []


def not_measured(summary: Summary) -> list[str]:
    """Checks that could not be made or judged, in words (never reported as normal)."""
    out: list[str] = []
    rhythm = bool(rhythm_findings(summary))
    for rule in judged_rules():
        label, checks = rule.text.label, _checks(rule)
        readings = [check_reading(summary, c) for c in checks]
        measured = [r for r in readings if r is not None]
        alternatives = isinstance(rule, AboveAnyRule)
        if not measured or (not alternatives and len(measured) < len(readings)):
            out.append(f"{label}: not measured (needs {rule.text.needs})")
        elif rhythm and is_timing(rule):
            out.append(f"{label}: not judged (the clip's rhythm is not one running allows)")
        elif all(r.interval is None for r in measured):
            out.append(f"{label}: measured but not judged (no interval and no stated resolution)")
    return out


def nothing_notable(summary: Summary) -> list[Finding]:
    values = judged_values(summary)
    if not values:
        return []  # nothing measured: nothing to call normal either
    spec = knowledge().nothing_notable
    missing = not_measured(summary)
    explanation = spec.explanation
    if missing:
        explanation += " Not measured or not judged: " + "; ".join(missing) + "."
    return [Finding(id=spec.id, title=spec.title, severity=spec.severity, side=None, values=values,
                    threshold=spec.threshold_basis, evidence=spec.evidence, mechanism=[], explanation=explanation,
                    sources=cite(spec.sources))]
