"""Symptom intake: what the runner reports, in a fixed vocabulary.

The vocabulary matches ``knowledge/conditions.yaml``. Answers come from a JSON/YAML file
(``load_symptoms``) or from simple command-line strings (``symptoms_from_cli_args``).
Symptoms only ever select "patterns the documents associate with ..." and red flags;
they never produce a diagnosis.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, Iterable

import yaml

from gait.errors import InputNotFound, UsageError

PAIN_LOCATIONS = ("outside_hip", "front_hip", "back_hip", "groin", "knee", "low_back")
PAIN_TIMING = ("start_of_run", "during_run", "after_run", "next_morning", "night_or_rest")
PAIN_PATTERN = ("eases_after_warmup", "worsens_during_run", "lasts_hours_after",
                "stops_when_running_stops")
TRAINING_CHANGES = ("volume_increase", "speed_work", "hills", "surface_change",
                    "return_after_break", "new_shoes")
SIDES = ("left", "right", "both")

_VOCAB = {
    "pain_locations": PAIN_LOCATIONS,
    "pain_timing": PAIN_TIMING,
    "pain_pattern": PAIN_PATTERN,
    "training_changes": TRAINING_CHANGES,
}

# Everyday wordings accepted on input, mapped to the vocabulary (after normalising
# case, spaces and hyphens to underscores).
_ALIASES = {
    "outside": "outside_hip", "lateral_hip": "outside_hip", "side_of_hip": "outside_hip",
    "outer_hip": "outside_hip", "front": "front_hip", "front_of_hip": "front_hip",
    "back": "back_hip", "back_of_hip": "back_hip", "buttock": "back_hip",
    "outside_of_hip": "outside_hip", "lower_back": "low_back",
    "start": "start_of_run", "during": "during_run", "after": "after_run",
    "next_day": "next_morning", "morning": "next_morning", "night": "night_or_rest",
    "rest": "night_or_rest", "at_rest": "night_or_rest", "at_night": "night_or_rest",
    "at_rest_or_night": "night_or_rest", "rest_or_night": "night_or_rest",
    "at_night_or_rest": "night_or_rest",
    "warm_up": "eases_after_warmup", "eases_after_warm_up": "eases_after_warmup",
    "worsens": "worsens_during_run", "gets_worse": "worsens_during_run",
    "lasts_hours": "lasts_hours_after", "stops_when_stopping": "stops_when_running_stops",
    "more_volume": "volume_increase", "more_mileage": "volume_increase",
    "mileage_increase": "volume_increase", "speed": "speed_work", "intervals": "speed_work",
    "hill": "hills", "after_break": "return_after_break", "shoes": "new_shoes",
}


class SymptomsError(UsageError, ValueError):
    """A symptom answer outside the vocabulary, or an unreadable symptoms file."""


@dataclass(frozen=True)
class Symptoms:
    """What the runner reports. Empty tuples / False / None = not reported."""

    pain_locations: tuple[str, ...] = ()  # PAIN_LOCATIONS
    pain_side: str | None = None  # "left" | "right" | "both"
    pain_timing: tuple[str, ...] = ()  # PAIN_TIMING
    pain_pattern: tuple[str, ...] = ()  # PAIN_PATTERN
    limping: bool = False
    clicking_or_locking: bool = False  # clicking, catching, locking or giving way in the hip
    sudden_onset: bool = False  # started at one moment (sprint, jump) rather than gradually
    training_changes: tuple[str, ...] = ()  # TRAINING_CHANGES, in the last weeks
    pain_score: int | None = None  # worst pain while running, 0-10

    def __post_init__(self) -> None:
        for name, allowed in _VOCAB.items():
            object.__setattr__(self, name, _normalise_list(getattr(self, name), allowed, name))
        if self.pain_side is not None:
            side = str(self.pain_side).strip().lower()
            if side not in SIDES:
                raise SymptomsError(f"pain_side must be one of {', '.join(SIDES)}, not {self.pain_side!r}")
            object.__setattr__(self, "pain_side", side)
        if self.pain_score is not None:
            score = _as_score(self.pain_score)
            object.__setattr__(self, "pain_score", score)
        for name in ("limping", "clicking_or_locking", "sudden_onset"):
            object.__setattr__(self, name, _as_bool(getattr(self, name), name))

    def is_empty(self) -> bool:
        return self == Symptoms()

    def to_dict(self) -> dict[str, Any]:
        return {f.name: (list(v) if isinstance(v := getattr(self, f.name), tuple) else v)
                for f in fields(self)}


def _canon(word: str) -> str:
    key = str(word).strip().lower().replace("-", "_").replace(" ", "_")
    return _ALIASES.get(key, key)


def _normalise_list(value: Any, allowed: tuple[str, ...], name: str) -> tuple[str, ...]:
    if value is None:
        return ()
    items = _split(value)
    out: list[str] = []
    for item in items:
        word = _canon(item)
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
    if isinstance(value, str) and value.strip().lower() in {"yes", "true", "1", "y"}:
        return True
    if isinstance(value, str) and value.strip().lower() in {"no", "false", "0", "n", ""}:
        return False
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    raise SymptomsError(f"{name} must be yes/no, not {value!r}")


def symptoms_from_mapping(data: dict[str, Any]) -> Symptoms:
    """Build Symptoms from a dict with the dataclass's field names; unknown keys are an error."""
    if not isinstance(data, dict):
        raise SymptomsError("a symptoms file must hold a mapping of answers")
    names = {f.name for f in fields(Symptoms)}
    unknown = sorted(set(data) - names)
    if unknown:
        raise SymptomsError(f"unknown symptom field(s): {', '.join(unknown)}; "
                            f"expected some of {', '.join(sorted(names))}")
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


def symptoms_from_cli_args(
    pain_location: str | Iterable[str] | None = None,
    pain_side: str | None = None,
    pain_timing: str | Iterable[str] | None = None,
    pain_pattern: str | Iterable[str] | None = None,
    limping: bool = False,
    clicking_or_locking: bool = False,
    sudden_onset: bool = False,
    training_changes: str | Iterable[str] | None = None,
    pain_score: int | float | str | None = None,
) -> Symptoms | None:
    """Symptoms from CLI-style values (lists or comma-separated strings); None if nothing given."""
    s = Symptoms(
        pain_locations=pain_location, pain_side=pain_side, pain_timing=pain_timing,
        pain_pattern=pain_pattern, limping=limping, clicking_or_locking=clicking_or_locking,
        sudden_onset=sudden_onset, training_changes=training_changes,
        pain_score=None if pain_score in (None, "") else pain_score,
    )
    return None if s.is_empty() else s


def symptoms_from_args(
    path: str | Path | None = None,
    locations: str | Iterable[str] | None = None,
    timing: str | Iterable[str] | None = None,
    patterns: str | Iterable[str] | None = None,
    pain_score: int | float | str | None = None,
    limping: bool = False,
    side: str | None = None,
    training_changes: str | Iterable[str] | None = None,
) -> Symptoms | None:
    """A symptoms file (optional) plus command-line answers; None if nothing at all was given.

    Command-line lists add to the file's lists, a command-line pain score or side replaces
    the file's, and ``limping`` on either counts.
    """
    base = load_symptoms(path) if path else Symptoms()
    extra = Symptoms(pain_locations=locations, pain_timing=timing, pain_pattern=patterns,
                     training_changes=training_changes)
    merged = Symptoms(
        pain_locations=base.pain_locations + extra.pain_locations,
        pain_side=side if side else base.pain_side,
        pain_timing=base.pain_timing + extra.pain_timing,
        pain_pattern=base.pain_pattern + extra.pain_pattern,
        limping=base.limping or _as_bool(limping, "limping"),
        clicking_or_locking=base.clicking_or_locking,
        sudden_onset=base.sudden_onset,
        training_changes=base.training_changes + extra.training_changes,
        pain_score=base.pain_score if pain_score in (None, "") else pain_score,
    )
    return None if merged.is_empty() else merged
