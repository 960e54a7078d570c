"""OpenSim's text formats, written as OpenSim's own file adapters read them.

TRC (markers): tab-separated; line 1 ``PathFileType 4 (X/Y/Z) <file>``; line 2 the keys
``DataRate CameraRate NumFrames NumMarkers Units OrigDataRate OrigDataStartFrame
OrigNumFrames`` and line 3 their values; line 4 ``Frame# Time`` and each marker name over
its three columns; line 5 ``X1 Y1 Z1 X2 ...``; a blank line; then one row per frame.
A marker not seen in a frame has empty cells.

MOT (motion/storage): a name line, ``version=1``, ``nRows``, ``nColumns`` (time
included), ``inDegrees=yes``, ``endheader``, a header row starting ``time``, then one
row per frame; NaN where an angle has no value.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from gait.atomic import write_text_atomic
from gait.export.frames import FrameData
from gait.export.markers import MarkerSet
from gait.poses.landmarks import NAMES


def _num(v: float, nd: int) -> str:
    return f"{v:.{nd}f}" if np.isfinite(v) else ""


def trc_text(fd: FrameData, markers: MarkerSet, file_name: str) -> str:
    n, k = markers.xyz.shape[:2]
    rate = f"{fd.nominal_fps:.6g}"
    first = int(fd.frame_index[0]) + 1 if n else 1
    lines = [f"PathFileType\t4\t(X/Y/Z)\t{file_name}",
             "DataRate\tCameraRate\tNumFrames\tNumMarkers\tUnits\tOrigDataRate\tOrigDataStartFrame\tOrigNumFrames",
             f"{rate}\t{rate}\t{n}\t{k}\t{markers.units}\t{rate}\t{first}\t{n}",
             "\t".join(["Frame#", "Time"] + [f"{name}\t\t" for name in NAMES[:k]]).rstrip("\t"),
             "\t".join(["", ""] + [f"{a}{i}" for i in range(1, k + 1) for a in "XYZ"]),
             ""]
    nd = 2 if markers.units in ("px", "mm") else 5
    for i in range(n):
        cells = [str(int(fd.frame_index[i]) + 1), f"{fd.t_s[i]:.6f}"]
        cells += [_num(v, nd) for v in markers.xyz[i].reshape(-1)]
        lines.append("\t".join(cells))
    return "\n".join(lines) + "\n"


def mot_text(fd: FrameData, name: str) -> str:
    cols = fd.angles.measured()
    header = [name, "version=1", f"nRows={len(fd)}", f"nColumns={len(cols) + 1}", "inDegrees=yes", "endheader",
              "\t".join(["time", *cols])]
    data = np.column_stack([fd.t_s, *cols.values()]) if cols else fd.t_s[:, None]
    rows = ["\t".join(f"{v:.6f}" if np.isfinite(v) else "NaN" for v in row) for row in data]
    return "\n".join(header + rows) + "\n"


def write_trc(fd: FrameData, markers: MarkerSet, path: Path) -> Path:
    return write_text_atomic(path, trc_text(fd, markers, path.name))


def write_mot(fd: FrameData, path: Path) -> Path:
    return write_text_atomic(path, mot_text(fd, path.stem))
