"""The tidy per-frame table: one row per video frame, one column per quantity, units in the names.

Columns (docs/exports.md lists them): ``frame_index``, ``time_s``, ``stance_left``,
``stance_right``; per landmark ``<name>_x_px``, ``<name>_y_px`` (image, y down),
``<name>_x_m``, ``<name>_y_m`` (the same in metres, empty without a scale),
``<name>_visibility``, ``<name>_world_x_m/_y_m/_z_m`` (MediaPipe world landmarks);
then the angles of ``FrameAngles`` (``knee_flexion_left_deg`` ...).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from gait.export.frames import FrameAngles, FrameData
from gait.poses.landmarks import NAMES

LANDMARK_SUFFIXES = ("x_px", "y_px", "x_m", "y_m", "visibility", "world_x_m", "world_y_m", "world_z_m")
ANGLE_COLUMNS = tuple(FrameAngles.__dataclass_fields__)
COLUMNS = ("frame_index", "time_s", "stance_left", "stance_right",
           *(f"{n}_{s}" for n in NAMES for s in LANDMARK_SUFFIXES), *ANGLE_COLUMNS)


def frame_columns(fd: FrameData) -> dict[str, np.ndarray]:
    """Every column of the table as an array of length N, in COLUMNS order."""
    n = len(fd)
    xy_m = fd.image_xy_m if fd.image_xy_m is not None else np.full((n, len(NAMES), 2), np.nan)
    cols: dict[str, np.ndarray] = {"frame_index": fd.frame_index, "time_s": fd.t_s,
                                   "stance_left": fd.stance_left, "stance_right": fd.stance_right}
    for j, name in enumerate(NAMES):
        per = (fd.image_xy_px[:, j, 0], fd.image_xy_px[:, j, 1], xy_m[:, j, 0], xy_m[:, j, 1], fd.visibility[:, j],
               fd.world_xyz_m[:, j, 0], fd.world_xyz_m[:, j, 1], fd.world_xyz_m[:, j, 2])
        cols.update({f"{name}_{s}": np.asarray(v, float) for s, v in zip(LANDMARK_SUFFIXES, per)})
    cols.update(fd.angles.columns())
    return cols


def frames_dataframe(fd: FrameData):
    """The table as a pandas DataFrame (floats, NaN where not measured; stance columns bool)."""
    import pandas as pd

    return pd.DataFrame(frame_columns(fd), columns=list(COLUMNS))


def write_csv(fd: FrameData, path: Path) -> Path:
    from gait.atomic import write_text_atomic

    return write_text_atomic(path, frames_dataframe(fd).to_csv(index=False, float_format="%.6g"))


def write_parquet(fd: FrameData, path: Path) -> Path:
    from gait.errors import UsageError

    try:
        import pyarrow  # noqa: F401  (pandas needs it for Parquet)
    except ImportError:
        raise UsageError("Parquet needs pyarrow: pip install 'gait[parquet]' (or export --format csv).") from None
    frames_dataframe(fd).to_parquet(path, index=False)
    return path
