"""Headline cards: each number with its ±, placed against a named band or range, graded as the findings grade it.

Bands, their edges and evidence grades come from the knowledge files (gait.findings.kb);
the grade uses the findings' own gating (the whole 95 % interval must clear an edge), so a
card never disagrees with a finding.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from gait.findings.cadence import expected_cadence_spm
from gait.findings.gating import band_cleared, check_reading, grade
from gait.findings.kb import knowledge
from gait.result import Result

from . import source
from .numbers import Number, number, summary_number

CADENCE_RANGE_SPM = (150.0, 200.0)  # running cadence in general (evidence.md); judged against speed when known
CONTACT_LOW_MS = 160.0  # contact time's typical lower end (evidence.md); the upper end is the findings' edge
BAND_NAMES = {None: "typical", "mild": "raised", "moderate": "high", "marked": "very high"}
BAND_STATUS = {None: "ok", "mild": "watch", "moderate": "high", "marked": "high"}


@dataclass(frozen=True)
class NamedBand:
    name: str  # typical / raised / high / very high
    meaning: str  # what it means for the runner (the knowledge files' words)
    low: float | None  # the band starts above this (None: from zero)
    high: float | None  # and ends at this (None: open)

    def span(self, unit: str) -> str:
        if self.low is None:
            return f"≤ {self.high:g}{unit}"
        return f"> {self.low:g}{unit}" if self.high is None else f"{self.low:g}–{self.high:g}{unit}"


@dataclass(frozen=True)
class BandScale:
    bands: tuple[NamedBand, ...]
    unit: str
    evidence: str  # the knowledge files' grade: "heuristic" | "evidence-based"

    @property
    def legend(self) -> str:
        return " · ".join(f"{b.name} {b.span(self.unit)}" for b in self.bands)


@dataclass(frozen=True)
class Card:
    key: str  # the result.json value it shows (data-key): "cadence_spm", "pelvic_drop_deg.left" ...
    label: str
    number: Number
    status: str  # "ok" | "watch" | "high" | "low" | "unclear" (measured, not graded) | "info" (no range to grade against) | "none" (not measured)
    status_text: str
    range_text: str
    note: str = ""
    scale: BandScale | None = None


def drop_scale() -> BandScale:
    rule = knowledge().rule("pelvic_drop_high")
    edges = rule.left.bands
    named = [NamedBand(BAND_NAMES[None], "within the usual range", None, edges[0].edge)]
    for i, b in enumerate(edges):
        nxt = edges[i + 1].edge if i + 1 < len(edges) else None
        named.append(NamedBand(BAND_NAMES[b.severity], rule.text.band_word(b.severity), b.edge, nxt))
    return BandScale(tuple(named), "°", rule.text.evidence)


def _band_name(severity: str | None) -> str:
    return BAND_NAMES[severity]


def pelvic_drop(r: Result, side: str) -> Card:
    rule = knowledge().rule("pelvic_drop_high")
    check = rule.left if side == "left" else rule.right
    reading = check_reading(r.summary, check)
    n = number(getattr(r.summary, check.metric), "°", 1, r.summary.ci(check.metric))
    scale = drop_scale()
    label = f"Pelvic drop, {side}-foot stance"
    if n.value is None:
        return Card(f"pelvic_drop_deg.{side}", label, n, "none", "not measured", scale.legend, "", scale)
    band, _ = grade(reading, check.bands)
    sev = band.severity if band else None
    point = band_cleared(n.value, check.bands)
    meaning = next(b.meaning for b in scale.bands if b.name == _band_name(sev))
    status_text = f"{_band_name(sev)}: {meaning}"
    note = f"The {'right' if side == 'left' else 'left'} hip drops while the {side} foot is on the ground."
    if point is not None and (band is None or point.severity != band.severity) and reading.interval is not None:
        low = reading.interval[0]
        note += (f" {n.text}° alone would read {_band_name(point.severity)}, but its 95% interval reaches down to "
                 f"{low:.1f}°, so it is graded {_band_name(sev)}.")
    return Card(f"pelvic_drop_deg.{side}", label, n, BAND_STATUS[sev], status_text, scale.legend, note, scale)


def drop_cards(r: Result) -> list[Card]:
    if r.summary.pelvic_drop_left_deg is None and r.summary.pelvic_drop_right_deg is None:
        why = source.pelvis_reason(r) or "pelvic drop needs a rear or front view"
        return [Card("pelvic_drop_deg", "Pelvic drop", number(None, "°"), "none", "not measured", "left and right stance",
                     f"Not measured: {why}.")]
    cards = [pelvic_drop(r, "left"), pelvic_drop(r, "right")]
    diff = number(r.summary.pelvic_drop_asymmetry_deg, "°", 1, r.summary.pelvic_drop_asymmetry_deg_ci)
    if diff.value is not None:
        cards[1] = replace(cards[1], note=cards[1].note + f" Left minus right: {diff.full}.")
    return cards


def cadence(r: Result) -> Card:
    n = summary_number(r.summary, "cadence_spm", 0)
    speed = source.belt_speed_mps(r)
    lo, hi = CADENCE_RANGE_SPM
    rng = f"typically {lo:g}–{hi:g} steps/min, higher at higher speed"
    if n.value is None:
        return Card("cadence_spm", "Cadence", n, "none", "not measured", rng)
    if not speed:
        status = "ok" if lo <= n.value <= hi else ("low" if n.value < lo else "high")
        words = {"ok": "within the typical range", "low": "below the typical range", "high": "above the typical range"}
        return Card("cadence_spm", "Cadence", n, status, words[status], rng,
                    "Cadence rises with speed: give the belt speed to compare it with runners at your speed.")
    norm = expected_cadence_spm(speed)
    gap = n.value - norm
    where = f"{abs(gap):.0f} steps/min {'below' if gap < 0 else 'above'} that" if round(gap) else "right on it"
    note = (f"At {speed:.2f} m/s ({speed * 3.6:.1f} km/h) recreational runners average about {norm:.0f} "
            f"steps/min; yours is {where}.")
    return Card("cadence_spm", "Cadence", n, *_cadence_status(r, n.value, norm), rng, note)


def _cadence_status(r: Result, value: float, norm: float) -> tuple[str, str]:
    low = next((f for f in r.findings if f.id == "cadence_low_for_speed"), None)
    if low is not None:
        return "watch", f"low for your speed ({low.severity})"
    mild = knowledge().cadence_rule().check.bands[0].edge
    below_pct = (norm - value) / norm * 100.0
    if below_pct <= 0:
        return "ok", "at or above the usual for your speed"
    if below_pct <= mild:
        return "ok", "close to the usual for your speed"
    return "unclear", "a little low for your speed, but within the measurement's uncertainty"


def stride_length(r: Result) -> Card:
    n = summary_number(r.summary, "stride_length_m", 2)
    note = "No single normal range: stride length grows with speed and body height."
    h = source.height_m(r)
    if n.value is not None and h:
        note += f" Here it is {n.value / h:.2f} × your height."
    status, text = ("none", "not measured") if n.value is None else ("info", "no single normal range")  # not a grade
    return Card("stride_length_m", "Stride length", n, status, text, "depends on speed and height", note)


def contact_time(r: Result) -> Card:
    n = summary_number(r.summary, "contact_time_ms", 0)
    high = knowledge().rule("contact_time_long").checks[0].bands[0].edge
    rng = f"typically {CONTACT_LOW_MS:g}–{high:g} ms"
    if n.value is None:
        return Card("contact_time_ms", "Contact time", n, "none", "not measured", rng)
    status = "low" if n.value < CONTACT_LOW_MS else ("high" if n.value > high else "ok")
    words = {"ok": "within the typical range", "low": "below the typical range", "high": "above the typical range"}
    return Card("contact_time_ms", "Contact time", n, status, words[status], rng,
                "Time each foot spends on the ground; it shortens as speed rises.")


def headline_cards(r: Result) -> list[Card]:
    cards = [cadence(r), stride_length(r), *drop_cards(r), contact_time(r)]
    if r.summary.is_walking:  # the ranges are running ranges
        cards = [replace(c, status="unclear", status_text="walking: running ranges do not apply", note="")
                 if c.number.value is not None and c.key in ("cadence_spm", "contact_time_ms") else c for c in cards]
    return cards
