"""Accuracy against truth files: ``validate(paths) -> list[ClipScore]`` and the printed table."""
from __future__ import annotations

from pathlib import Path

from gait.validate.score import ClipScore, score
from gait.validate.truth import Truth, has_truth, load_truth

__all__ = ["ClipScore", "Truth", "clips_with_truth", "load_truth", "score", "validate_clip"]


def clips_with_truth(folder: str | Path) -> list[Path]:
    """Videos in ``folder`` that carry a truth file in the phantom format, sorted by name."""
    return sorted(p for p in Path(folder).iterdir() if p.suffix.lower() in (".mp4", ".mov") and has_truth(p))


def validate_clip(video: str | Path, **options) -> ClipScore:
    """Analyse one clip as a user would (belt speed and height from its truth) and score it."""
    from gait.pipeline import analyze

    tr = load_truth(video)
    options.setdefault("belt_speed_mps", tr.belt_speed_mps)
    options.setdefault("height_m", tr.body_height_m)
    return score(analyze(video, **options), tr)
