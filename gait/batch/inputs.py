"""Batch inputs: a folder, a glob, a manifest CSV or a list of files -> clips with stable ids.

Nothing here touches video content; the per-clip options a manifest sets (view,
belt speed, height) are parsed and checked here so a typo fails the batch before
hours of compute, naming the manifest line.
"""
from __future__ import annotations

import csv
import glob
import hashlib
import os
import re
import unicodedata
from argparse import ArgumentTypeError
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

from gait.errors import InputNotFound, UsageError
from gait.vocabulary import REQUESTABLE_VIEWS as VIEWS

VIDEO_EXTS = (".mp4", ".mov", ".m4v", ".avi", ".mkv", ".webm", ".mpg", ".mpeg", ".mts", ".3gp")
# Manifest columns that set analysis options; every other column is passed through to the tables.
OPTION_COLUMNS = ("path", "view", "belt_speed", "belt_speed_mps", "height_cm", "clip_id")
# Output names a clip folder must never shadow (compared case-insensitively).
RESERVED_IDS = frozenset({"summary.csv", "strides.csv", "summary.parquet", "strides.parquet", "run_log.json"})
MAX_ID_LEN = 96

Inputs = str | os.PathLike | Sequence[str | os.PathLike]


@dataclass(frozen=True)
class ClipSpec:
    """One clip to analyse, as the inputs describe it."""

    clip_id: str
    path: str  # absolute
    source: str  # as written (manifest cell, path within the folder, glob match): stable across machines
    options: dict = field(default_factory=dict)  # per-clip overrides of the batch options (analyze() names)
    passthrough: dict = field(default_factory=dict)  # subject_id, session and extra manifest columns, as text


@dataclass(frozen=True)
class _Raw:
    path: Path
    source: str
    options: dict
    passthrough: dict
    given_id: str = ""  # a manifest's own clip_id column, used as is (made filesystem-safe)


def collect_clips(inputs: Inputs, *, exclude: Path | None = None) -> tuple[list[ClipSpec], list[str]]:
    """(clips sorted by id, passthrough column names in manifest order)."""
    items = [inputs] if isinstance(inputs, (str, os.PathLike)) else list(inputs)
    if not items:
        raise UsageError("Name a folder, a glob or a manifest CSV to analyse.")
    raws: list[_Raw] = []
    columns: list[str] = []
    for item in items:
        found, cols = _expand(str(item), exclude)
        raws += found
        columns += [c for c in cols if c not in columns]
    specs = assign_ids(raws)
    return sorted(specs, key=lambda s: s.clip_id), columns


def _expand(item: str, exclude: Path | None) -> tuple[list[_Raw], list[str]]:
    p = Path(item).expanduser()
    if p.is_dir():
        return _from_folder(p, exclude), []
    if p.is_file() and p.suffix.lower() == ".csv":
        return read_manifest(p)
    if p.is_file():  # absolute but not resolved: a symlinked clip keeps the name it was given
        return [_Raw(Path(os.path.abspath(p)), item, {}, {})], []
    if any(ch in item for ch in "*?["):
        matches = sorted(m for m in glob.glob(os.path.expanduser(item), recursive=True)
                         if os.path.isfile(m) and not _inside(Path(m), exclude))
        if not matches:
            raise InputNotFound(f"No files match '{item}'.")
        return [_Raw(Path(os.path.abspath(m)), m, {}, {}) for m in matches], []
    raise InputNotFound(f"No such file or folder: {item}.")


def _inside(path: Path, folder: Path | None) -> bool:
    """True for files under the batch's own output folder (overlays, key frames): never inputs."""
    return folder is not None and path.resolve().is_relative_to(folder.resolve())


def _from_folder(folder: Path, exclude: Path | None) -> list[_Raw]:
    """Videos anywhere below ``folder``, skipping hidden entries and the batch's own output folder."""
    root = Path(os.path.abspath(folder))
    skip = exclude.resolve() if exclude else None
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and (here / d).resolve() != skip)
        for name in sorted(filenames):
            if not name.startswith(".") and Path(name).suffix.lower() in VIDEO_EXTS:
                found.append(_Raw(here / name, (here / name).relative_to(root).as_posix(), {}, {}))
    if not found:
        raise InputNotFound(f"No video files ({', '.join(VIDEO_EXTS)}) in {folder}.")
    return found


# --- manifest ------------------------------------------------------------------------------------------------


def read_manifest(path: Path) -> tuple[list[_Raw], list[str]]:
    """Rows of a manifest CSV (comma, semicolon or tab separated; UTF-8, Excel BOM tolerated)."""
    with open(path, encoding="utf-8-sig", newline="") as fh:
        text = fh.read()
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise UsageError(f"Manifest {path.name} is empty; it needs a header row with a 'path' column.")
    delim = _delimiter(lines[0])
    reader = csv.reader(text.splitlines(keepends=True), delimiter=delim)
    header = [h.strip() for h in next(reader)]
    keys = [h.lower() if h.lower() in OPTION_COLUMNS + ("subject_id", "session") else h for h in header]
    if "path" not in keys:
        raise UsageError(f"Manifest {path.name} has no 'path' column (columns: {', '.join(header)}).")
    dupes = sorted({k for k in keys if keys.count(k) > 1})
    if dupes:
        raise UsageError(f"Manifest {path.name} repeats the column(s) {', '.join(dupes)}.")
    base = path.resolve().parent
    passthrough_cols = [k for k in keys if k not in OPTION_COLUMNS and k]
    rows = []
    for cells in reader:
        if not any(c.strip() for c in cells):
            continue  # blank lines are common at the end of hand-edited files
        where = f"{path.name} line {reader.line_num}"
        if len(cells) > len(keys):
            raise UsageError(f"{where} has {len(cells)} cells but the header has {len(keys)} columns.")
        row = {k: cells[i].strip() if i < len(cells) else "" for i, k in enumerate(keys) if k}
        if not row["path"]:
            raise UsageError(f"{where} has an empty path.")
        clip = Path(os.path.expanduser(row["path"]))
        clip = clip if clip.is_absolute() else base / clip  # relative to the manifest, not the cwd
        rows.append(_Raw(Path(os.path.normpath(clip)), row["path"], row_options(row, where),
                         {c: row.get(c, "") for c in passthrough_cols}, row.get("clip_id", "")))
    if not rows:
        raise UsageError(f"Manifest {path.name} lists no clips.")
    return rows, passthrough_cols


def _delimiter(header_line: str) -> str:
    for d in (",", ";", "\t"):
        if "path" in (h.strip().lower() for h in header_line.split(d)):
            return d
    return ","


def row_options(row: dict, where: str) -> dict:
    """The analyze() options one manifest row sets; empty cells leave the batch defaults."""
    from gait.cli_options import parse_speed

    opts: dict = {}
    view = row.get("view", "").lower()
    if view:
        if view not in VIEWS:
            raise UsageError(f"{where}: view '{row['view']}' is not one of {', '.join(VIEWS)}.")
        opts["view"] = view
    kmh, mps = row.get("belt_speed", ""), row.get("belt_speed_mps", "")
    if kmh and mps:
        raise UsageError(f"{where} gives both belt_speed and belt_speed_mps; keep one.")
    try:
        if kmh:
            opts["belt_speed_mps"] = parse_speed(kmh)  # km/h unless a unit says otherwise, as on the CLI
        if mps:
            opts["belt_speed_mps"] = float(mps)
    except (ValueError, ArgumentTypeError):
        raise UsageError(f"{where}: belt speed '{kmh or mps}' is not a speed; write km/h (12, 12kmh) "
                         f"or m/s with unit (3.5mps).") from None
    if row.get("height_cm"):
        try:
            opts["height_m"] = float(row["height_cm"]) / 100.0
        except ValueError:
            raise UsageError(f"{where}: height_cm '{row['height_cm']}' is not a number.") from None
    return opts


# --- clip ids ------------------------------------------------------------------------------------------------


def safe_id(text: str) -> str:
    """Filesystem-safe on every OS: ASCII letters, digits, '.', '_', '-'; accents folded, not dropped."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    s = re.sub(r"[^A-Za-z0-9._-]+", "_", folded).strip("._-")
    return s[:MAX_ID_LEN] or "clip"


def base_id(raw: _Raw) -> str:
    if raw.given_id:
        return safe_id(raw.given_id)
    parts = [raw.passthrough.get("subject_id", ""), raw.passthrough.get("session", ""), raw.path.stem]
    return safe_id("_".join(p for p in parts if p))


def assign_ids(raws: Iterable[_Raw]) -> list[ClipSpec]:
    """Ids from subject/session/stem; on a clash every member gets a short hash of what tells it apart.

    Clashes compare case-insensitively (macOS/Windows folders) and the suffix never
    depends on input order, so ids are the same in every run over the same inputs.
    """
    raws = list(raws)
    groups: dict[str, list[_Raw]] = {}
    for r in raws:
        groups.setdefault(base_id(r).lower(), []).append(r)
    specs: list[ClipSpec] = []
    for key, members in groups.items():
        clash = len(members) > 1 or key in RESERVED_IDS
        given = [r.given_id for r in members if r.given_id]
        if clash and given:
            raise UsageError(f"The manifest's clip_id '{given[0]}' is not unique (or names an output file); "
                             f"give every row its own clip_id.")
        for r in members:
            cid = base_id(r)
            if clash:
                ident = "|".join([r.source, repr(sorted(r.options.items())), repr(sorted(r.passthrough.items()))])
                cid = f"{cid[:MAX_ID_LEN - 9]}_{hashlib.sha256(ident.encode()).hexdigest()[:8]}"
            specs.append(ClipSpec(cid, str(r.path), r.source, dict(r.options), dict(r.passthrough)))
    seen: dict[str, ClipSpec] = {}
    for s in specs:
        other = seen.setdefault(s.clip_id.lower(), s)
        if other is not s:
            raise UsageError(f"The inputs list {s.source} twice with the same options; remove the duplicate.")
    return specs
