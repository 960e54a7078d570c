"""The report's view model: everything the page shows, typed and display-ready, built from one ``Result``.

    view = build_view(result, keyframes, notes, overlay)

Templates and plots read only this (never the Result), so when the result contract
changes, only this package follows: ``source`` is the one reader of its untyped parts.
"""
from __future__ import annotations

import json
from dataclasses import dataclass

from gait.result import Result
from gait.vocabulary import VIEW_WORDS

from . import source
from .cards import Card, headline_cards
from .counts import Counts, counts, header_text
from .numbers import Row, label_of, number, sentence_case, summary_rows, unit_of
from .plan import (
    Action,
    FindingView,
    Metronome,
    PlanItem,
    actions,
    finding_view,
    metronomes,
    plan_items,
    source_text,
)
from .quality import NoteGroup, not_measured, note_groups
from .series import PlotData, plot_data


@dataclass(frozen=True)
class Header:
    clip: str
    rear_clip: str
    filmed: str  # "Filmed from behind (detected, 100% sure)"
    model: str
    counts: str  # the page's one definition of its stride and stance counts
    walking: bool


@dataclass(frozen=True)
class KeyFrame:
    title: str
    t_s: float | None
    data_uri: str
    pelvis_deg: float | None = None  # the measured obliquity at this moment (peak-drop frames)

    @property
    def caption(self) -> str:
        text = self.title if self.t_s is None else f"{self.title}, {self.t_s:.2f} s into the clip"
        if self.pelvis_deg is not None:
            text += f": pelvis {abs(self.pelvis_deg):.1f}° from level, {'left' if self.pelvis_deg > 0 else 'right'} hip higher"
        return text


def keyframe(r: Result, k: dict) -> KeyFrame:
    deg = None
    if str(k.get("name", "")).startswith("peak_drop") and k.get("t_s") is not None:
        deg = source.value_at(source.gapless(source.pelvic_trace(r)), float(k["t_s"]))
    return KeyFrame(k.get("title", ""), k.get("t_s"), k["data_uri"], deg)


@dataclass(frozen=True)
class VideoLink:
    file: str
    label: str
    codec: str


@dataclass(frozen=True)
class PairRow:
    label: str
    side: str
    rear: str
    diff: str
    verdict: str


@dataclass(frozen=True)
class DataBlock:
    """One stored block for researchers, with its field names (the only place they are shown)."""

    name: str
    text: str


@dataclass(frozen=True)
class ReportView:
    header: Header
    counts: Counts
    actions: tuple[Action, ...]
    cards: tuple[Card, ...]
    findings: tuple[FindingView, ...]
    plan: tuple[PlanItem, ...]
    metronomes: tuple[Metronome, ...]
    not_measured: tuple[str, ...]
    notes: tuple[NoteGroup, ...]
    numbers: tuple[Row, ...]
    pair_rows: tuple[PairRow, ...]
    pair_tolerance: str
    data: tuple[DataBlock, ...]
    keyframes: tuple[KeyFrame, ...]
    videos: tuple[VideoLink, ...]
    plots: PlotData
    disclaimer: str
    schema_version: int
    has_rear_csv: bool


def _filmed(r: Result) -> str:
    if source.is_pair(r):
        return f"Two clips: one {VIEW_WORDS.get(r.view or 'side', 'from the side')}, one from behind"
    if not r.view:
        return "Camera view not recognised"
    sure = f" (detected, {r.view_confidence * 100:.0f}% sure)" if r.view_confidence is not None else ""
    return f"Filmed {VIEW_WORDS.get(r.view, r.view)}{sure}"


def header(r: Result, c: Counts) -> Header:
    return Header(source.clip_name(r), source.rear_clip_name(r), _filmed(r), f"MediaPipe pose model “{r.model}”",
                  header_text(c), bool(r.summary.is_walking))


def pair_rows(r: Result) -> list[PairRow]:
    rows = []
    for name, d in source.pair_checks(r).items():
        unit = unit_of(name)
        verdict = "" if d.get("agree") is None else ("agree" if d["agree"] else "disagree")
        diff = number(d.get("diff_pct"), "%", 1)
        rows.append(PairRow(sentence_case(label_of(name)), number(d.get("side"), unit).full,
                            number(d.get("rear"), unit).full, diff.full if diff.value is not None else "—", verdict))
    return rows


def data_blocks(r: Result) -> list[DataBlock]:
    blocks = [DataBlock(k, json.dumps(v, indent=1, default=str) if not isinstance(v, str) else v)
              for k, v in source.research_blocks(r)]
    return blocks + [DataBlock("inputs", json.dumps(r.inputs, indent=1, default=str))]


def build_view(r: Result, keyframes: list[dict] | None = None, notes: list[str] | None = None,
               overlay: list[dict] | None = None) -> ReportView:
    c = counts(r)
    missing = not_measured(r)
    items = plan_items(r)
    tol = source.pair_tolerance_pct(r)
    return ReportView(
        header=header(r, c), counts=c, actions=tuple(actions(items)), cards=tuple(headline_cards(r)),
        findings=tuple(finding_view(f) for f in r.findings), plan=tuple(items), metronomes=tuple(metronomes(items)),
        not_measured=tuple(missing), notes=tuple(note_groups(r, c, notes or [])), numbers=tuple(summary_rows(r.summary)),
        pair_rows=tuple(pair_rows(r)), pair_tolerance=f"{tol:g}%" if tol is not None else "",
        data=tuple(data_blocks(r)),
        keyframes=tuple(keyframe(r, k) for k in keyframes or []),
        videos=tuple(VideoLink(v["file"], v["label"], v["codec"]) for v in overlay or []),
        plots=plot_data(r, c, missing), disclaimer=r.disclaimer or "This report is not medical advice.",
        schema_version=r.schema_version, has_rear_csv=source.rear_strides_present(r))


__all__ = ["ReportView", "build_view", "source_text"]
