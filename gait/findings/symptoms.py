"""Symptom intake: what the runner reports, in a fixed vocabulary (intake.py).

Answers come from a JSON/YAML file (``load_symptoms``), command-line strings
(``symptoms_from_args``) or the web upload form (``symptoms_from_form``). Symptoms only
ever select "patterns the documents associate with ..." and red flags; they never produce
a diagnosis.
"""
from __future__ import annotations

import difflib
import json
import math
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any, Callable, Iterable

import yaml

from gait.errors import InputNotFound, UsageError

from .intake import (  # noqa: F401
    LIST_FIELDS,
    PAIN_LOCATIONS,
    PAIN_PATTERN,
    PAIN_SIDES,
    PAIN_TIMING,
    TRAINING_CHANGES,
    YES_NO,
    YES_NO_FIELDS,
    canon,
)


class SymptomsError(UsageError, ValueError):
    """A symptom answer outside the vocabulary, or an unreadable symptoms file."""


@dataclass(frozen=True)
class Symptoms:
    """What the runner reports. Empty tuples / False / None = not reported.

    The yes/no fields are the questions in intake.YES_NO (same names, same order).
    """

    pain_locations: tuple[str, ...] = ()  # PAIN_LOCATIONS
    pain_side: str | None = None  # "left" | "right" | "both"
    pain_timing: tuple[str, ...] = ()  # PAIN_TIMING
    pain_pattern: tuple[str, ...] = ()  # PAIN_PATTERN
    training_changes: tuple[str, ...] = ()  # TRAINING_CHANGES, in the last weeks
    pain_score: int | None = None  # worst pain while running, 0-10
    sudden_onset: bool = False
    limping: bool = False
    cannot_bear_weight: bool = False
    pain_on_walking: bool = False
    swelling: bool = False
    constant_pain: bool = False
    fall_or_twist: bool = False
    giving_way: bool = False
    clicking_or_locking: bool = False
    fever: bool = False
    numbness: bool = False
    leg_weakness: bool = False
    bladder_or_bowel_change: bool = False
    cancer_history: bool = False
    past_stress_fracture: bool = False
    low_energy_intake: bool = False

    def __post_init__(self) -> None:
        for name, allowed in LIST_FIELDS.items():
            object.__setattr__(self, name, _normalise_list(getattr(self, name), allowed, name))
        if self.pain_side is not None:
            side = str(self.pain_side).strip().lower()
            if side not in PAIN_SIDES:
                raise SymptomsError(f"pain_side must be one of {', '.join(PAIN_SIDES)}, not {self.pain_side!r}")
            object.__setattr__(self, "pain_side", side)
        if self.pain_score is not None:
            object.__setattr__(self, "pain_score", _as_score(self.pain_score))
        for name in YES_NO_FIELDS:
            object.__setattr__(self, name, _as_bool(getattr(self, name), name))

    def is_empty(self) -> bool:
        return self == Symptoms()

    def has_pain(self) -> bool:
        """Any pain reported (a place, a score above 0, or when or how it hurts)."""
        return bool(self.pain_locations or self.pain_timing or self.pain_pattern or (self.pain_score or 0) > 0)

    def yes(self) -> tuple[str, ...]:
        """The yes/no questions answered yes."""
        return tuple(name for name in YES_NO_FIELDS if getattr(self, name))

    def to_dict(self) -> dict[str, Any]:
        return {f.name: (list(v) if isinstance(v := getattr(self, f.name), tuple) else v)
                for f in fields(self)}


def _normalise_list(value: Any, allowed: tuple[str, ...], name: str) -> tuple[str, ...]:
    if value is None:
        return ()
    out: list[str] = []
    for item in _split(value):
        word = canon(item)
        if word not in allowed:
            raise SymptomsError(f"{name}: {item!r} is not one of {', '.join(allowed)}")
        if word not in out:
            out.append(word)
    return tuple(out)


def _split(value: Any) -> list[str]:
    """A list, or a comma-separated string, as a list of non-empty strings."""
    if isinstance(value, str):
        return [p for p in (s.strip() for s in value.split(",")) if p]
    if isinstance(value, Iterable):
        return [p for v in value for p in _split(v)]
    raise SymptomsError(f"expected a list or a comma-separated string, not {value!r}")


def _as_score(value: Any) -> int:
    try:
        score = float(value)
    except (TypeError, ValueError):
        raise SymptomsError(f"pain_score must be a number from 0 to 10, not {value!r}") from None
    if not 0 <= score <= 10 or isinstance(value, bool):
        raise SymptomsError(f"pain_score must be a number from 0 to 10, not {value!r}")
    return int(math.floor(score + 0.5))  # half up: 6.5/10 counts as 7 (the safer side)


def _as_bool(value: Any, name: str) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in {"yes", "true", "1", "y", "on"}:
        return True
    if isinstance(value, str) and value.strip().lower() in {"no", "false", "0", "n", "off", ""}:
        return False
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    raise SymptomsError(f"{name} must be yes/no, not {value!r}")


def _unknown_fields_message(unknown: list[str], names: set[str]) -> str:
    def hint(word: str) -> str:
        close = difflib.get_close_matches(word, sorted(names), n=1)
        return f"{word!r} (did you mean {close[0]!r}?)" if close else repr(word)
    which = ", ".join(hint(u) for u in unknown)
    noun = "field" if len(unknown) == 1 else "fields"
    return f"Unknown symptom {noun} {which}; the fields are listed in docs/symptoms.md."


def symptoms_from_mapping(data: dict[str, Any]) -> Symptoms:
    """Build Symptoms from a dict with the dataclass's field names; unknown keys are refused."""
    if not isinstance(data, dict):
        raise SymptomsError("A symptoms file must hold a mapping of answers (field: answer).")
    names = {f.name for f in fields(Symptoms)}
    unknown = sorted(set(map(str, data)) - names)
    if unknown:
        raise SymptomsError(_unknown_fields_message(unknown, names))
    return Symptoms(**data)


def load_symptoms(path: str | Path) -> Symptoms:
    """Read symptom answers from a .json, .yaml or .yml file."""
    p = Path(path)
    if not p.is_file():
        raise InputNotFound(f"symptoms file not found: {p}")
    text = p.read_text(encoding="utf-8")
    try:
        data = json.loads(text) if p.suffix.lower() == ".json" else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise SymptomsError(f"cannot parse symptoms file {p}: {exc}") from None
    return symptoms_from_mapping(data or {})


def symptoms_from_args(
    path: str | Path | None = None,
    locations: str | Iterable[str] | None = None,
    timing: str | Iterable[str] | None = None,
    patterns: str | Iterable[str] | None = None,
    pain_score: int | float | str | None = None,
    side: str | None = None,
    training_changes: str | Iterable[str] | None = None,
    yes: Iterable[str] = (),
) -> Symptoms | None:
    """A symptoms file (optional) plus command-line answers; None if nothing at all was given.

    Command-line lists add to the file's lists, a command-line pain score or side replaces
    the file's, and a yes/no question answered yes on either counts (``yes``: field names).
    """
    base = load_symptoms(path) if path else Symptoms()
    extra = Symptoms(pain_locations=locations, pain_timing=timing, pain_pattern=patterns,
                     training_changes=training_changes)
    unknown = sorted(set(yes) - set(YES_NO_FIELDS))
    if unknown:
        raise SymptomsError(_unknown_fields_message(unknown, set(YES_NO_FIELDS)))
    merged = replace(
        base, pain_locations=base.pain_locations + extra.pain_locations,
        pain_side=side if side else base.pain_side, pain_timing=base.pain_timing + extra.pain_timing,
        pain_pattern=base.pain_pattern + extra.pain_pattern,
        training_changes=base.training_changes + extra.training_changes,
        pain_score=base.pain_score if pain_score in (None, "") else pain_score,
        **{name: True for name in yes},
    )
    return None if merged.is_empty() else merged


def symptoms_from_cli_args(pain_location: str | Iterable[str] | None = None, pain_side: str | None = None,
                           pain_timing: str | Iterable[str] | None = None,
                           pain_pattern: str | Iterable[str] | None = None,
                           training_changes: str | Iterable[str] | None = None,
                           pain_score: int | float | str | None = None, **yes_no: bool) -> Symptoms | None:
    """Symptoms from CLI-style values (lists or comma-separated strings); None if nothing given."""
    return symptoms_from_args(locations=pain_location, timing=pain_timing, patterns=pain_pattern,
                              pain_score=pain_score, side=pain_side, training_changes=training_changes,
                              yes=[k for k, v in yes_no.items() if _as_bool(v, k)])


def symptoms_from_form(get: Callable[[str], str], getlist: Callable[[str], list[str]]) -> Symptoms | None:
    """Symptoms from the upload form (its field names are the Symptoms field names); None if empty."""
    answers: dict[str, Any] = {name: getlist(name) for name in LIST_FIELDS}
    answers["pain_side"] = get("pain_side") or None
    answers["pain_score"] = get("pain_score") or None
    for name in YES_NO_FIELDS:
        answers[name] = get(name) in ("1", "on", "true", "yes")
    s = symptoms_from_mapping(answers)
    return None if s.is_empty() else s
