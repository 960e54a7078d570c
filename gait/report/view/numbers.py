"""Numbers as a reader sees them: plain names, units, and the ± of their 95 % interval.

One formatter for every number on the page (``Number.text`` / ``Number.full``); field names
only ever reach the researchers' data section (``Row.field``).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, fields

from gait.findings.kb import knowledge
from gait.result import Summary
from gait.uncertainty import half_width

# Summary/Stride field suffix -> the unit a reader sees (longest suffixes first).
UNITS = (("_spm", "steps/min"), ("_mps", "m/s"), ("_ms", "ms"), ("_s", "s"), ("_pct", "%"), ("_cm", "cm"),
         ("_deg", "°"), ("_m", "m"))
DECIMALS = {"s": 3, "m": 2, "m/s": 2, "°": 1, "%": 1, "cm": 1, "ms": 0, "steps/min": 1}

# Names for the fields the knowledge files do not name (those it names come from there: one name per concept).
LABELS = {
    "cadence_spectral_spm": "cadence from the rhythm of the whole clip (a cross-check)",
    "step_time_s": "step time (a foot strike to the other foot's strike)",
    "step_time_cv_pct": "step-to-step variation of step time",
    "stride_time_s": "stride time (a foot strike to the same foot's next strike)",
    "contact_time_left_ms": "contact time, left foot",
    "contact_time_right_ms": "contact time, right foot",
    "flight_time_ms": "flight time (both feet off the ground)",
    "duty_factor_pct": "share of the stride with the foot on the ground",
    "stride_length_m": "stride length",
    "speed_mps": "belt speed",
    "pelvic_drop_left_sd_deg": "stance-to-stance spread of pelvic drop, left-foot stance",
    "pelvic_drop_right_sd_deg": "stance-to-stance spread of pelvic drop, right-foot stance",
    "knee_flexion_fs_deg": "knee bend at foot strike",
    "knee_flexion_midstance_deg": "knee bend at midstance",
    "is_walking": "walking rather than running",
    "probable_slow_motion": "the clip looks slowed down",
    "frame_interval_ms": "time between video frames",
    "overstride_leg_pct": "heel ahead of the hip at foot strike, as a share of leg length",
    "expected_cadence_spm": "usual cadence of recreational runners at this speed",
    "below_expected_pct": "below that usual cadence",
}
UNIT_WORDS = {"% leg length": "% of leg length"}


def unit_of(field: str) -> str:
    if field == "overstride_leg_pct":
        return "% of leg length"
    return next((u for suffix, u in UNITS if field.endswith(suffix)), "")


def label_of(field: str) -> str:
    """The plain name of a measurement (knowledge files first), lower case."""
    kb = dict(knowledge().metric_labels)
    known = kb.get(field) or LABELS.get(field)
    if known:
        return known
    base = next((field[: -len(suffix)] for suffix, _ in UNITS if field.endswith(suffix)), field)
    return base.replace("_", " ")  # a name no table has: its words, without the unit suffix


def sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:]


def _finite(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


@dataclass(frozen=True)
class Number:
    """A measured value with its unit and (when there is one) its 95 % interval."""

    value: float | None
    unit: str
    decimals: int
    interval: tuple[float, float] | None = None

    @property
    def pm(self) -> float | None:
        return half_width(self.interval) if self.interval is not None and self.value is not None else None

    def _places(self) -> int:
        pm = self.pm
        if pm is not None and pm > 0 and round(pm, self.decimals) == 0:
            return self.decimals + 1  # "176.0 ± 0.4", never "176 ± 0"
        return self.decimals

    @property
    def text(self) -> str:
        return "—" if self.value is None else f"{self.value:.{self._places()}f}"

    @property
    def pm_text(self) -> str:
        """'± 1.5' or '' (no interval: nothing is said, rather than something wrong)."""
        return "" if self.pm is None else f"± {self.pm:.{self._places()}f}"

    @property
    def unit_text(self) -> str:
        return UNIT_WORDS.get(self.unit, self.unit)

    @property
    def unit_sep(self) -> str:
        return "" if self.unit in ("°", "%") else " "

    @property
    def full(self) -> str:
        """'9.5 ± 1.5°', '221 ms', 'not measured'."""
        if self.value is None:
            return "not measured"
        pm = f" {self.pm_text}" if self.pm_text else ""
        return f"{self.text}{pm}{self.unit_sep}{self.unit_text}".strip()

    @property
    def interval_text(self) -> str:
        if self.interval is None or self.value is None:
            return ""
        p = self._places()
        return f"{self.interval[0]:.{p}f} to {self.interval[1]:.{p}f}{self.unit_sep}{self.unit_text}"


def interval_of(ci) -> tuple[float, float] | None:
    if ci is None or len(ci) != 2 or not all(_finite(x) for x in ci):
        return None
    return float(ci[0]), float(ci[1])


def number(value, unit: str, decimals: int | None = None, ci=None) -> Number:
    v = float(value) if _finite(value) else None
    return Number(v, unit, DECIMALS.get(unit, 2) if decimals is None else decimals, interval_of(ci))


def summary_number(s: Summary, field: str, decimals: int | None = None) -> Number:
    """A Summary value with its own interval, in the field's unit."""
    unit = unit_of(field)
    places = DECIMALS.get(unit, DECIMALS["%"]) if decimals is None else decimals
    return number(getattr(s, field, None), unit, places, s.ci(field) if hasattr(s, f"{field}_ci") else None)


@dataclass(frozen=True)
class Row:
    """One measurement in the numbers table; ``field`` is shown only in the researchers' section."""

    field: str
    label: str
    value: str  # '9.5 ± 1.5°', 'yes'
    raw: str  # the stored value and interval, for researchers


def _raw(v, ci) -> str:
    if isinstance(v, bool):
        return "yes" if v else "no"
    return f"{v:g}" + ("" if ci is None else f" [{ci[0]:g}, {ci[1]:g}]")


def summary_rows(s: Summary) -> list[Row]:
    """Every measured Summary value once (intervals fold into their value as ±)."""
    rows = []
    for f in fields(Summary):
        v = getattr(s, f.name)
        if f.name.endswith("_ci") or v is None:
            continue
        ci = s.ci(f.name) if hasattr(s, f"{f.name}_ci") else None
        shown = ("yes" if v else "no") if isinstance(v, bool) else summary_number(s, f.name).full
        rows.append(Row(f.name, sentence_case(label_of(f.name)), shown, _raw(v, ci)))
    return rows
