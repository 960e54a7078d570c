"""The intake vocabulary and questions, in one place for the CLI, symptom files and the web form.

Every choice has a plain-words label; every yes/no question is a ``Symptoms`` field of the
same name (``--fever`` on the command line, ``fever: yes`` in a file, a ``fever`` checkbox
on the upload form). The clinical meaning of the answers lives in knowledge/triage.yaml and
conditions.yaml.
"""
from __future__ import annotations

import argparse
from dataclasses import dataclass

PAIN_LOCATIONS = ("outside_hip", "front_hip", "back_hip", "groin", "knee", "low_back")
PAIN_TIMING = ("start_of_run", "during_run", "after_run", "next_morning", "night_lying_on_side", "night_or_rest")
PAIN_PATTERN = ("eases_after_warmup", "worsens_during_run", "lasts_hours_after", "stops_when_running_stops",
                "deep_bending_hurts", "long_sitting_or_standing_hurts")
TRAINING_CHANGES = ("volume_increase", "speed_work", "hills", "surface_change", "return_after_break", "new_shoes",
                    "old_or_tight_shoes")
PAIN_SIDES = ("left", "right", "both")  # where it hurts (not a stance side)

LIST_FIELDS = {"pain_locations": PAIN_LOCATIONS, "pain_timing": PAIN_TIMING, "pain_pattern": PAIN_PATTERN,
               "training_changes": TRAINING_CHANGES}

LABELS = {
    "outside_hip": "outside of the hip", "front_hip": "front of the hip", "back_hip": "back of the hip (buttock)",
    "groin": "groin", "knee": "knee", "low_back": "low back",
    "start_of_run": "at the start of a run", "during_run": "during a run", "after_run": "after a run",
    "next_morning": "the next morning",
    "night_lying_on_side": "at night, only when lying on the sore side",
    "night_or_rest": "at rest or at night, whatever the position",
    "eases_after_warmup": "eases once warmed up", "worsens_during_run": "gets worse as the run goes on",
    "lasts_hours_after": "lasts for hours after running", "stops_when_running_stops": "stops as soon as I stop",
    "deep_bending_hurts": "deep bending hurts (stairs, deep squats, touching the toes)",
    "long_sitting_or_standing_hurts": "long sitting or standing makes it worse",
    "volume_increase": "more distance", "speed_work": "speed work", "hills": "hills",
    "surface_change": "a new surface or track", "return_after_break": "back after a break",
    "new_shoes": "new shoes", "old_or_tight_shoes": "old or tight shoes",
}


@dataclass(frozen=True)
class Question:
    name: str  # the Symptoms field, the CLI flag (--name-with-dashes) and the form checkbox
    text: str  # the question in plain words


YES_NO = (
    Question("sudden_onset", "the pain started suddenly, at one moment (a sprint, a jump)"),
    Question("limping", "limping"),
    Question("cannot_bear_weight", "cannot put weight on the leg"),
    Question("pain_on_walking", "pain when walking"),
    Question("swelling", "swelling around the hip"),
    Question("constant_pain", "constant pain that does not settle within a day or two"),
    Question("fall_or_twist", "it began with a fall on the hip or a twist"),
    Question("giving_way", "the hip gives way"),
    Question("clicking_or_locking", "clicking, catching or locking in the hip"),
    Question("fever", "fever or feeling unwell"),
    Question("numbness", "numbness or pins and needles in the leg"),
    Question("leg_weakness", "new weakness in the leg"),
    Question("bladder_or_bowel_change", "a change in bladder or bowel control"),
    Question("cancer_history", "a history of cancer"),
    Question("past_stress_fracture", "a past stress fracture"),
    Question("low_energy_intake", "not eating enough for the training (low energy intake)"),
)
YES_NO_FIELDS = tuple(q.name for q in YES_NO)

# Everyday wordings accepted on input, mapped to the vocabulary (after normalising case,
# spaces and hyphens to underscores). Ambiguous night or rest wordings map to the warning
# sign (night_or_rest): the safer reading.
ALIASES = {
    "outside": "outside_hip", "lateral_hip": "outside_hip", "side_of_hip": "outside_hip",
    "outer_hip": "outside_hip", "front": "front_hip", "front_of_hip": "front_hip",
    "back": "back_hip", "back_of_hip": "back_hip", "buttock": "back_hip",
    "outside_of_hip": "outside_hip", "lower_back": "low_back",
    "start": "start_of_run", "during": "during_run", "after": "after_run",
    "next_day": "next_morning", "morning": "next_morning", "night": "night_or_rest",
    "rest": "night_or_rest", "at_rest": "night_or_rest", "at_night": "night_or_rest",
    "at_rest_or_night": "night_or_rest", "rest_or_night": "night_or_rest", "at_night_or_rest": "night_or_rest",
    "lying_on_side": "night_lying_on_side", "night_lying_on_it": "night_lying_on_side",
    "warm_up": "eases_after_warmup", "eases_after_warm_up": "eases_after_warmup",
    "worsens": "worsens_during_run", "gets_worse": "worsens_during_run",
    "lasts_hours": "lasts_hours_after", "stops_when_stopping": "stops_when_running_stops",
    "bending": "deep_bending_hurts", "sitting": "long_sitting_or_standing_hurts",
    "more_volume": "volume_increase", "more_mileage": "volume_increase",
    "mileage_increase": "volume_increase", "speed": "speed_work", "intervals": "speed_work",
    "hill": "hills", "after_break": "return_after_break", "shoes": "new_shoes",
    "old_shoes": "old_or_tight_shoes", "tight_shoes": "old_or_tight_shoes",
}


def canon(word: str) -> str:
    key = str(word).strip().lower().replace("-", "_").replace(" ", "_")
    return ALIASES.get(key, key)


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


def form_vocabulary() -> dict[str, tuple]:
    """What the upload form offers: each list field's choices, and the yes/no questions."""
    vocab: dict[str, tuple] = {name: tuple(Choice(v, LABELS[v]) for v in values)
                               for name, values in LIST_FIELDS.items()}
    vocab["yes_no"] = YES_NO
    return vocab


def add_cli_arguments(p: argparse.ArgumentParser) -> None:
    """The symptom flags of ``gait analyze`` (one per intake question)."""
    p.add_argument("--symptoms", help="symptom intake file (JSON or YAML; see docs/symptoms.md)")
    p.add_argument("--pain", action="append", default=[], metavar="WHERE",
                   help=f"pain location (repeatable): {', '.join(PAIN_LOCATIONS)}")
    p.add_argument("--pain-side", choices=list(PAIN_SIDES), help="side of the pain")
    p.add_argument("--pain-when", action="append", default=[], metavar="WHEN",
                   help="when it hurts (repeatable): " + ", ".join(f"{v} ({LABELS[v]})" for v in PAIN_TIMING))
    p.add_argument("--pain-pattern", action="append", default=[], metavar="PATTERN",
                   help=f"how it behaves (repeatable): {', '.join(PAIN_PATTERN)}")
    p.add_argument("--training-change", action="append", default=[], metavar="CHANGE",
                   help=f"recent change (repeatable): {', '.join(TRAINING_CHANGES)}")
    p.add_argument("--pain-score", type=float, metavar="0-10", help="worst pain while running, 0-10")
    for q in YES_NO:
        p.add_argument("--" + q.name.replace("_", "-"), dest=q.name, action="store_true", help=q.text)


def yes_from_namespace(args: argparse.Namespace) -> tuple[str, ...]:
    """The yes/no questions answered yes on the command line."""
    return tuple(name for name in YES_NO_FIELDS if getattr(args, name, False))
