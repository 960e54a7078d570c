"""Truth files in the phantom format (``<clip>.json`` beside ``<clip>.mp4``), read into one typed record.

The format is the rendered phantom clips' (../shared/sample_videos/phantom/README.md):
foot strikes and toe-offs per side with sub-frame times, cadence, belt speed,
stride length, contact times, and pelvic drop per stance in the frontal plane.
Only what the accuracy table needs is read; unknown keys are ignored.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

SIDE_KEYS = {"left": "L", "right": "R"}


@dataclass(frozen=True)
class StanceTruth:
    side: str  # stance foot
    foot_strike_s: float
    toe_off_s: float | None
    pelvic_drop_deg: float  # peak swing-side drop in the frontal plane
    pelvic_drop_image_deg: float | None  # the same hip points' angle in the image (rear/front)


@dataclass(frozen=True)
class Truth:
    clip: str
    view: str  # "rear" | "front" | "side_left" | "side_right"
    fps: float
    duration_s: float
    camera_yaw_deg: float
    cadence_spm: float
    belt_speed_mps: float | None
    stride_length_m: float | None
    body_height_m: float | None
    foot_strike_s: dict[str, np.ndarray] = field(default_factory=dict)
    toe_off_s: dict[str, np.ndarray] = field(default_factory=dict)
    contact_time_ms: dict[str, float] = field(default_factory=dict)
    stances: tuple[StanceTruth, ...] = ()

    def pelvic_drop_deg(self, side: str) -> float | None:
        v = [s.pelvic_drop_deg for s in self.stances if s.side == side]
        return float(np.mean(v)) if v else None

    @property
    def has_pelvic_drop(self) -> bool:
        return self.view in ("rear", "front") and bool(self.stances)


def _view(camera: dict) -> str:
    v = str(camera.get("view", "")).lower()
    if v.startswith("side"):
        return v if v in ("side_left", "side_right") else "side"
    return v


def truth_path(video: str | Path) -> Path:
    return Path(video).with_suffix(".json")


def has_truth(video: str | Path) -> bool:
    p = truth_path(video)
    if not p.is_file():
        return False
    try:
        d = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(d, dict) and "foot_strikes" in d and "camera" in d


def load_truth(video: str | Path) -> Truth:
    """The truth record of a clip; raises ValueError when the file is not in the phantom format."""
    p = truth_path(video)
    d = json.loads(p.read_text(encoding="utf-8"))
    try:
        cam = d["camera"]
        fs = {s: np.array([e["t_s"] for e in d["foot_strikes"][k]], float) for s, k in SIDE_KEYS.items()}
        to = {s: np.array([e["t_s"] for e in d["toe_offs"][k]], float) for s, k in SIDE_KEYS.items()}
        ct = {s: 1000.0 * float(d["contact_time_s"][k]["mean"]) for s, k in SIDE_KEYS.items()}
        stances = tuple(
            StanceTruth("left" if e["stance_side"] == "L" else "right", float(e["t_foot_strike"]),
                        e.get("t_toe_off"), float(e["peak_drop_deg_frontal_plane"]), e.get("peak_drop_deg_image"))
            for e in d.get("pelvic_drop_per_stance", []))
        cad = d["cadence_spm"]
        cadence = float(cad.get("measured_from_foot_strikes") or cad["set"]) if isinstance(cad, dict) else float(cad)
    except (KeyError, TypeError) as err:
        raise ValueError(f"{p.name} is not a truth file in the phantom format (missing {err}).") from err
    return Truth(clip=p.stem, view=_view(cam), fps=float(d["fps"]), duration_s=float(d["duration_s"]),
                 camera_yaw_deg=float(cam.get("azimuth_deg") or 0.0), cadence_spm=cadence,
                 belt_speed_mps=d.get("belt_speed_mps"), stride_length_m=d.get("stride_length_m"),
                 body_height_m=d.get("body_height_m"), foot_strike_s=fs, toe_off_s=to, contact_time_ms=ct,
                 stances=stances)
