"""C3D markers via ezc3d (pyomeca's reader/writer): the binary format motion-capture labs load.

C3D assumes a constant frame rate: the container's nominal rate is written, and a
variable-frame-rate clip's true times are in the TRC/CSV exports (the CLI says so).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from gait.errors import UsageError
from gait.export.frames import FrameData
from gait.export.markers import MarkerSet
from gait.poses.landmarks import NAMES


def write_c3d(fd: FrameData, markers: MarkerSet, path: Path) -> Path:
    try:
        import ezc3d
    except ImportError:
        raise UsageError("C3D needs ezc3d: pip install 'gait[c3d]' (or export --format trc).") from None
    c3d = ezc3d.c3d()
    c3d["parameters"]["POINT"]["RATE"]["value"] = [float(fd.nominal_fps)]
    c3d["parameters"]["POINT"]["LABELS"]["value"] = list(NAMES[: markers.xyz.shape[1]])
    c3d["parameters"]["POINT"]["UNITS"]["value"] = [markers.units]
    pts = np.ones((4, markers.xyz.shape[1], len(fd)))
    pts[:3] = np.transpose(markers.xyz, (2, 1, 0))
    c3d["data"]["points"] = pts  # NaN = not seen (ezc3d stores it as an invalid residual)
    c3d.write(str(path))
    return path
