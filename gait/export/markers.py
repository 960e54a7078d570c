"""Marker positions in the axes and units biomechanics tools expect (OpenSim: Y up, right-handed).

Two spaces:
- ``image``: the image plane. X = image right, Y = up (the image's y flipped, origin at the
  bottom-left corner of the frame), Z = 0. In px, or in m / mm with the scale from the
  runner's height (a 2D measurement: depth is not known).
- ``world``: MediaPipe's world landmarks (its own 3D estimate, metres, hip-centred), turned
  from its y-down frame to X right, Y up, Z towards the camera.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gait.errors import UsageError
from gait.export.frames import FrameData

SPACES = ("image", "world")
UNITS = ("px", "m", "mm")
_PER_M = {"m": 1.0, "mm": 1000.0}


@dataclass(frozen=True)
class MarkerSet:
    xyz: np.ndarray  # (N, markers, 3) in ``units``, NaN where not seen
    units: str  # "px" | "m" | "mm"
    space: str  # "image" | "world"


def default_units(fd: FrameData, space: str) -> str:
    return "mm" if space == "world" or fd.px_per_m else "px"


def marker_set(fd: FrameData, space: str = "image", units: str | None = None) -> MarkerSet:
    """The landmarks as markers; UsageError for a unit the data cannot give (metres without a scale)."""
    if space not in SPACES:
        raise UsageError(f"Unknown marker space '{space}'; use image or world.")
    units = units or default_units(fd, space)
    if units not in UNITS:
        raise UsageError(f"Unknown unit '{units}'; use px, m or mm.")
    if space == "world":
        if units == "px":
            raise UsageError("World landmarks are in metres; use --units m or mm.")
        w = fd.world_xyz_m
        xyz = np.stack([w[..., 0], -w[..., 1], -w[..., 2]], axis=-1) * _PER_M[units]
        return MarkerSet(xyz, units, space)
    x, y_up = fd.image_xy_px[..., 0], fd.image_height_px - fd.image_xy_px[..., 1]
    xyz = np.stack([x, y_up, np.where(np.isfinite(x), 0.0, np.nan)], axis=-1)
    if units != "px":
        if not fd.px_per_m:
            raise UsageError(f"No scale is known for this clip, so positions can only be in px; give the runner's "
                             f"height (--height-cm) to get {units}.")
        xyz = xyz / fd.px_per_m * _PER_M[units]
    return MarkerSet(xyz, units, space)
