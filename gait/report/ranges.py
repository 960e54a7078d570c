"""Headline numbers, each placed against its typical range (pure functions, no HTML).

Ranges follow the project's evidence notes (../shared/evidence.md): cadence ≈150–200
steps/min and rising with speed (recreational ~169 at 2.7 m/s, ~178 at 3.8 m/s);
contact time 160–300 ms; pelvic-drop bands are heuristics with no validated cut-off.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from gait.findings.cadence import (
    expected_cadence_spm,  # one norm for the card and the finding
)
from gait.findings.kb import knowledge
from gait.result import Result

CADENCE_RANGE_SPM = (150.0, 200.0)
CONTACT_RANGE_MS = (160.0, 300.0)


def drop_bands_deg() -> dict[str, float]:
    """Heuristic pelvic-drop grades (deg): the findings rule's own, so card and finding agree."""
    return {b.severity: b.edge for b in knowledge().rule("pelvic_drop_high").left.bands}


@dataclass(frozen=True)
class Headline:
    key: str  # the result.json name the value comes from
    label: str
    value: float | None
    unit: str
    decimals: int
    range_text: str  # the typical range, in words
    status: str  # "ok" | "watch" | "high" | "low" | "none"
    status_text: str
    note: str = ""

    @property
    def text(self) -> str:
        return "—" if self.value is None else f"{self.value:.{self.decimals}f}"


def _band(value: float | None, lo: float, hi: float) -> tuple[str, str]:
    if value is None:
        return "none", "not measured"
    if value < lo:
        return "low", "below the typical range"
    if value > hi:
        return "high", "above the typical range"
    return "ok", "within the typical range"


def cadence(value: float | None, speed_mps: float | None) -> Headline:
    status, text = _band(value, *CADENCE_RANGE_SPM)
    note = "Cadence rises with speed: judge it against your speed, not against a universal 180."
    if value is not None and speed_mps:
        exp = expected_cadence_spm(speed_mps)
        note = (f"At {speed_mps:.1f} m/s ({speed_mps * 3.6:.1f} km/h) recreational runners average about "
                f"{exp:.0f} steps/min; yours is {value - exp:+.0f}.")
    return Headline("cadence_spm", "Cadence", value, "steps/min", 0, "typically 150–200 steps/min", status, text, note)


def stride_length(value: float | None, height_m: float | None) -> Headline:
    note = "No single normal range: stride length grows with speed and body height."
    if value is not None and height_m:
        note += f" Here it is {value / height_m:.2f} × your height."
    status, text = ("none", "not measured") if value is None else ("ok", "see note")
    return Headline("stride_length_m", "Stride length", value, "m", 2, "depends on speed and height", status, text,
                    note)


def contact_time(value: float | None) -> Headline:
    status, text = _band(value, *CONTACT_RANGE_MS)
    return Headline("contact_time_ms", "Contact time", value, "ms", 0, "typically 160–300 ms (elites < 200)",
                    status, text, "Contact shortens as speed rises.")


def pelvic_drop(side: str, value: float | None, why_missing: str | None, explain: bool = True) -> Headline:
    """The card grades the point value on the rule's own edges; the finding itself is judged on the interval."""
    b = drop_bands_deg()
    usual, clear = b["mild"], b["moderate"]
    words = knowledge().rule("pelvic_drop_high").text
    if value is None:
        status, text = "none", "not measured"
    elif value <= usual:
        status, text = "ok", f"≤ {usual:g}°: within the usual range"
    elif value <= clear:
        status, text = "watch", f"{words.band_word('mild')} (> {usual:g}°)"
    else:
        status, text = "high", f"{words.band_word('moderate')} (> {clear:g}°)"
    same_day = knowledge().pelvic_drop_error.same_day_deg
    note = (f"Heuristic edge: no validated cut-off exists. More drop went with injury (Bramah et al. 2018); a "
            f"repeat 2D measurement can differ by {same_day[0]:g}–{same_day[1]:g}° on the same day, and the "
            f"finding counts only when the whole 95% interval is above the edge.") if explain else \
        "Same heuristic edge."
    if value is None and why_missing:
        note = why_missing
    return Headline(f"pelvic_drop_deg.{side}", f"Pelvic drop, {side} stance", value, "°", 1,
                    f"heuristic: usual ≤ {usual:g}° · above · well above > {clear:g}°", status, text, note)


def headlines(r: Result) -> list[Headline]:
    s = r.summary
    speed = s.speed_mps or r.inputs.get("belt_speed_mps")
    drop = r.pelvic_drop_deg or {}
    q = r.quality.get("pelvic_drop")
    why = q if isinstance(q, str) else (q.get("not_measured") if isinstance(q, dict) else None)
    if drop.get("left") is None and drop.get("right") is None:  # one card says why, not two
        drops = [Headline("pelvic_drop_deg", "Pelvic drop", None, "°", 1, "left and right stance",
                          "none", "not measured", why or "Needs a rear or front view.")]
    else:
        drops = [pelvic_drop("left", drop.get("left"), why), pelvic_drop("right", drop.get("right"), why, False)]
    cards = [cadence(r.cadence_spm if r.cadence_spm is not None else s.cadence_spm, speed),
            stride_length(r.stride_length_m if r.stride_length_m is not None else s.stride_length_m,
                          r.inputs.get("height_m")),
            *drops,
            contact_time(s.contact_time_ms)]
    low = next((f for f in r.findings if f.id == "cadence_low_for_speed"), None)
    if low is not None:  # the card agrees with the finding, which judges cadence against speed
        cards = [replace(c, status="watch", status_text=f"low for your speed ({low.severity})")
                 if c.key == "cadence_spm" else c for c in cards]
    if s.is_walking:  # the ranges are running ranges
        cards = [replace(c, status="none", status_text="walking: running ranges do not apply", note="")
                 if c.value is not None and c.key in ("cadence_spm", "contact_time_ms") else c for c in cards]
    return cards
