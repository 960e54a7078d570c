"""Strict readers of OpenSim's TRC and MOT text formats, written from OpenSim's documentation (not from gait's writer)."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

TRC_KEYS = ["DataRate", "CameraRate", "NumFrames", "NumMarkers", "Units", "OrigDataRate", "OrigDataStartFrame",
            "OrigNumFrames"]


@dataclass
class Trc:
    header: dict[str, str]
    markers: list[str]
    frame: np.ndarray
    time_s: np.ndarray
    xyz: np.ndarray  # (frames, markers, 3), NaN for empty cells


def read_trc(text: str) -> Trc:
    lines = text.split("\n")
    first = lines[0].split("\t")
    assert first[:3] == ["PathFileType", "4", "(X/Y/Z)"], first
    keys, values = lines[1].split("\t"), lines[2].split("\t")
    assert keys == TRC_KEYS, keys
    header = dict(zip(keys, values))
    names_row = lines[3].split("\t")
    assert names_row[:2] == ["Frame#", "Time"]
    markers = [n for n in names_row[2:] if n]
    # each name sits over its three columns: name, '', ''
    assert all(names_row[2 + 3 * i] == m for i, m in enumerate(markers))
    axes = lines[4].split("\t")[2:]
    assert axes == [f"{a}{i}" for i in range(1, len(markers) + 1) for a in "XYZ"], axes[:6]
    data = [ln for ln in lines[5:] if ln.strip()]
    rows = [ln.split("\t") for ln in data]
    assert all(len(r) == 2 + 3 * len(markers) for r in rows)
    num = np.array([[float(c) if c else np.nan for c in r] for r in rows], float)
    return Trc(header, markers, num[:, 0].astype(int), num[:, 1], num[:, 2:].reshape(len(rows), len(markers), 3))


@dataclass
class Mot:
    header: dict[str, str]
    columns: list[str]
    data: np.ndarray  # (rows, columns)


def read_mot(text: str) -> Mot:
    lines = text.split("\n")
    end = lines.index("endheader")
    header = dict(ln.split("=", 1) for ln in lines[1:end] if "=" in ln)
    columns = lines[end + 1].split("\t")
    assert columns[0] == "time"
    rows = [ln.split("\t") for ln in lines[end + 2:] if ln.strip()]
    data = np.array([[float(c) for c in r] for r in rows], float)
    assert data.shape == (int(header["nRows"]), int(header["nColumns"])), (data.shape, header)
    return Mot(header, columns, data)
