"""Small text helpers shared by the findings and the plan (pure functions)."""
from __future__ import annotations

from typing import Iterable, Sequence


def fill(template: str, **values: object) -> str:
    """A knowledge-file template with its {placeholders} filled; a missing one is a KeyError."""
    return " ".join(template.format(**values).split())


def side_words(side: str | None) -> dict[str, str]:
    """Words for the {stance}/{swing}/{side}/{other} placeholders in the knowledge files."""
    if side == "left":
        return {"stance": "left", "swing": "right", "side": "left", "other": "right"}
    if side == "right":
        return {"stance": "right", "swing": "left", "side": "right", "other": "left"}
    return {"stance": "standing", "swing": "opposite", "side": "each", "other": "other"}


def join_words(items: Sequence[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:]


def span(pair: Iterable[float]) -> str:
    """(6, 8) -> '6-8'; (3.0, 8.0) -> '3-8'."""
    lo, hi = pair
    return f"{lo:g}-{hi:g}"


def weeks_words(pair: Iterable[int]) -> str:
    """(1, 2) -> 'weeks 1-2'; (1, 1) -> 'week 1'."""
    lo, hi = pair
    return f"week {lo}" if lo == hi else f"weeks {lo}-{hi}"


def num(x: float, decimals: int = 1) -> str:
    """A measured number for prose: rounded, without trailing zeros."""
    return f"{round(float(x), decimals):g}"


def pct(x: float) -> str:
    """+5.0 -> '+5%'."""
    return f"{x:+g}%"


def words(value: str) -> str:
    """A vocabulary word in plain language: 'outside_hip' -> 'outside hip'."""
    return value.replace("_", " ")
