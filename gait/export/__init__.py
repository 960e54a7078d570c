"""Standard exports of a saved analysis: TRC markers and MOT angles (OpenSim), C3D, a per-frame table.

``export(result, formats, folder)`` writes one file per format beside each other and
returns their paths; docs/exports.md says what each file holds and how to load it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from gait.errors import UsageError
from gait.export.frames import FrameAngles, FrameData, frames_from_poses, load_frames
from gait.result import Result

FORMATS = ("trc", "mot", "csv", "parquet", "c3d")
SUFFIX = {"trc": "_markers.trc", "mot": "_angles.mot", "csv": "_frames.csv", "parquet": "_frames.parquet",
          "c3d": "_markers.c3d"}


@dataclass(frozen=True)
class ExportOptions:
    space: str = "image"  # markers: "image" plane or MediaPipe "world"
    units: str | None = None  # markers: "px" | "m" | "mm"; None = mm with a scale, else px
    raw: bool = False  # landmarks as the pose model gave them, not conditioned
    height_m: float | None = None  # scale for a result analysed without the runner's height


@dataclass
class Exported:
    paths: dict[str, Path] = field(default_factory=dict)  # format -> file
    notes: list[str] = field(default_factory=list)  # one-sentence remarks worth printing


def parse_formats(text: str) -> list[str]:
    """'trc,mot' -> ['trc', 'mot']; UsageError naming an unknown format."""
    names = [t.strip().lower() for t in text.split(",") if t.strip()]
    bad = [n for n in names if n not in FORMATS]
    if bad or not names:
        raise UsageError(f"Unknown export format '{bad[0] if bad else text}'; use {', '.join(FORMATS)} "
                         "(or a comma list, e.g. trc,mot).")
    return list(dict.fromkeys(names))


def format_list(text: str) -> list[str]:
    """``parse_formats`` for argparse, whose type functions report ArgumentTypeError as a usage error."""
    import argparse

    try:
        return parse_formats(text)
    except UsageError as err:
        raise argparse.ArgumentTypeError(str(err).rstrip(".")) from None


def default_path(result: Result, fmt: str, folder: Path) -> Path:
    stem = Path(result.video.name or "clip").stem
    return folder / f"{stem}{SUFFIX[fmt]}"


def write_format(fd: FrameData, fmt: str, path: Path, opts: ExportOptions) -> Path:
    from gait.export import c3d, opensim, table
    from gait.export.markers import marker_set

    if fmt == "trc":
        return opensim.write_trc(fd, marker_set(fd, opts.space, opts.units), path)
    if fmt == "c3d":
        return c3d.write_c3d(fd, marker_set(fd, opts.space, opts.units), path)
    if fmt == "mot":
        return opensim.write_mot(fd, path)
    if fmt == "csv":
        return table.write_csv(fd, path)
    return table.write_parquet(fd, path)


def notes_for(fd: FrameData, formats: list[str]) -> list[str]:
    notes = []
    if "mot" in formats and not fd.angles.measured():
        notes.append("The angles file has a time column only: no angle is measured from this view.")
    if "c3d" in formats and fd.variable_frame_rate:
        notes.append("The clip has a variable frame rate; C3D stores a constant one, so use the TRC or CSV "
                     "times for exact frame times.")
    if not fd.px_per_m:
        notes.append("Positions are in pixels: no scale is known (give the runner's height with --height-cm to get "
                     "millimetres).")
    return notes


def export(result: Result, formats: list[str], folder: Path, opts: ExportOptions = ExportOptions(),
           out: Path | None = None, frames: FrameData | None = None) -> Exported:
    """Write each format (to ``out`` when one format is asked, else ``folder/<clip><suffix>``)."""
    if out is not None and len(formats) != 1:
        raise UsageError("--out names one file: give one --format with it, or leave --out out.")
    fd = frames if frames is not None else load_frames(result, raw=opts.raw, height_m=opts.height_m)
    done = Exported(notes=notes_for(fd, formats))
    for fmt in formats:
        path = out if out is not None else default_path(result, fmt, folder)
        done.paths[fmt] = write_format(fd, fmt, path, opts)
    return done


__all__ = ["FORMATS", "ExportOptions", "Exported", "FrameAngles", "FrameData", "export", "frames_from_poses",
           "load_frames", "parse_formats"]
