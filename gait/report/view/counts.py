"""How many strides and stances the page rests on: counted once, said the same way everywhere.

A stride runs from a foot strike to the next strike of the same foot and is named by the
foot whose stance opens it, so "N strides (M left and K right stances)" has M + K = N.
Pelvic drop is read per stance, including each foot's last stance, which closes no stride.
"""
from __future__ import annotations

from dataclasses import dataclass

from gait.result import Result

from . import source


@dataclass(frozen=True)
class SideCount:
    left: int
    right: int

    @property
    def total(self) -> int:
        return self.left + self.right


@dataclass(frozen=True)
class Counts:
    strides: SideCount  # used in the summaries, by the foot that opens them
    strides_excluded: int
    stances: SideCount | None  # pelvic-drop stances used (None: no pelvic drop)
    stances_excluded: int
    stances_clip: str  # "" (the same clip) or "rear clip"

    @property
    def strides_text(self) -> str:
        """'27 strides (14 left and 13 right stances)'."""
        s = self.strides
        return f"{s.total} {'stride' if s.total == 1 else 'strides'} ({s.left} left and {s.right} right stances)"

    @property
    def stances_text(self) -> str:
        """'29 stances (15 left and 14 right)' or ''."""
        s = self.stances
        return "" if s is None else f"{s.total} stances ({s.left} left and {s.right} right)"

    @property
    def strides_left_out(self) -> str:
        n = self.strides_excluded
        return "" if not n else f"{n} more left out of the summaries (see the data quality notes)"


def counts(r: Result) -> Counts:
    used = [s for s in r.strides if not s.excluded]
    strides = SideCount(sum(s.side == "left" for s in used), sum(s.side == "right" for s in used))
    stances = source.pelvis_stances(r)
    kept = [s for s in stances if s.excluded is None]
    measured = r.summary.pelvic_drop_left_deg is not None or r.summary.pelvic_drop_right_deg is not None
    drop = SideCount(sum(s.side == "left" for s in kept), sum(s.side == "right" for s in kept)) \
        if kept and measured else None
    return Counts(strides, len(r.strides) - len(used), drop, len(stances) - len(kept),
                  "rear clip" if source.is_pair(r) else "")


def header_text(c: Counts) -> str:
    """The one sentence that defines the counts for the page."""
    strides = c.strides_text + (f", {c.strides_left_out}" if c.strides_left_out else "")
    if c.stances is None:
        return f"{strides}."
    if c.stances_clip:
        return f"Side clip: {strides}. Rear clip: pelvic drop from {c.stances_text}."
    extra = ", as each foot's last stance counts too" if c.stances.total > c.strides.total else ""
    return f"{strides}. Pelvic drop from {c.stances_text}{extra}."
