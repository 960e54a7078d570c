"""The ground line of a side view: the belt or track the feet stand on, as the camera sees it.

A camera rolled a few degrees (a phone on a tripod off level, a treadmill on an incline) tilts the
ground in the image. The belt carries a planted foot back along it through the stance, so the foot
then sinks or rises in the image by the tilt times the stance's length: 3° over a 0.8 m stance is
about 4 cm, more than the 2.5 cm contact height, and strikes and toe-offs move by frames (phantom,
3-4° roll: a foot's strikes 30 ms late, half of them more than two frames off). Heights are
therefore measured from the ground line, not from the image's horizontal.

The line is read off the feet themselves: in each stance, over the stretch where the foot is flat
(after the heel lands, before it lifts), the belt carries the foot back along the ground, so the slope
of its image path there is the ground's. The median over the stances gives the slope, with a bootstrap
95 % interval; a slope whose interval includes level, or within the method's own error of level, is
left uncorrected. Overground the planted foot stays put in the picture, so no tilt is read there.

A second, sharper reading of the same tilt is the camera's roll from the background's level and plumb
lines (gait.pelvis.camera), given when resolvable. Where the feet's line agrees with it within the feet's
own error on level cameras, the background's is used (on the 1.6 m phantom rolled 4° the feet read 5.3°,
the background 3.8°, and the far foot's contact came 15 ms long against 8 ms with the background's);
where they disagree by more, the belt itself is inclined against the room (a treadmill's incline) and
the feet's line is the ground.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from gait.uncertainty import bootstrap_ci

# The stretch of each stance whose sole is flat on the ground: from after the heel's landing to before
# the heel lifts, as fractions of a stride around the body's lowest point (midstance, contact ~0.3 stride).
FLAT_FROM, FLAT_TO = -0.08, 0.04
MIN_STANCES = 6
# The flat foot's path is not exactly the ground's: the sole point wanders along the foot, and a high
# camera looks down on the belt. On level phantom cameras (6 side clips: the shared two, mirrored, black
# shoes, low contrast, 30 fps) the line read -0.7 to +1.2° (the 1.6 m camera's +1.2° with a narrow
# interval); rolled by -3 and +4° (tests/perturbed_set.py) it reads -3.2 and +5.3°, a +3° roll tried once
# +2.1°. A tilt is corrected only from here, and a background level within it of the feet's line replaces it.
MIN_TILT_DEG = 2.0


@dataclass(frozen=True)
class GroundLine:
    slope: float  # dy/dx in the image (y down): + = the ground falls towards the image's right
    slope_ci: tuple[float, float]
    x_ref: float  # where levelled heights equal image heights
    from_background: bool = False  # the camera's roll from the background's lines, not the feet's path

    @property
    def tilt_deg(self) -> float:
        """Angle of the ground in the image, + = clockwise on screen."""
        return math.degrees(math.atan(self.slope))

    @property
    def resolvable(self) -> bool:
        """Off level beyond both its own interval and the line's systematic error on level cameras."""
        return not self.slope_ci[0] <= 0.0 <= self.slope_ci[1] and abs(self.tilt_deg) >= MIN_TILT_DEG

    def agrees_with(self, roll_deg: float) -> bool:
        """The camera's roll (+ = clockwise, as tilt_deg) within the feet line's own error of this line."""
        return abs(self.tilt_deg - roll_deg) <= MIN_TILT_DEG

    @classmethod
    def from_roll(cls, roll_deg: float, x_ref: float) -> "GroundLine":
        slope = math.tan(math.radians(roll_deg))
        return cls(slope, (slope, slope), x_ref, from_background=True)

    def levelled(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Image y measured along the ground line: as if the camera were level."""
        return y - self.slope * (x - self.x_ref)


def ground_line(sole_xy: list[tuple[np.ndarray, np.ndarray]], lows: list[float],
                stride_frames: float) -> GroundLine | None:
    """The ground line from the feet's image tracks (``sole_xy``: per foot (x, y), sole points or heel/toe
    landmarks) and the body's lowest points (``lows``, fractional frames, one per stance). In each stance
    the foot lower in the image is the stance foot; over the flat-foot stretch the belt carries it back
    along the ground, and the slope of its (x, y) path there is the ground's. The median over stances, with
    a bootstrap 95 % interval."""
    slopes, xs = [], []
    n = len(sole_xy[0][0])
    for lo in lows:
        a, b = int(np.ceil(lo + FLAT_FROM * stride_frames)), int(np.floor(lo + FLAT_TO * stride_frames))
        if a < 0 or b >= n or b - a < 2:
            continue
        seg = [(x[a:b + 1], y[a:b + 1]) for x, y in sole_xy]
        seen = [(x, y) for x, y in seg if np.isfinite(x).all() and np.isfinite(y).all()]
        if not seen:
            continue
        x, y = max(seen, key=lambda xy: float(np.mean(xy[1])))  # the stance foot: lowest in the image
        if np.ptp(x) < 3.0:  # a planted foot that stays put: overground, where the runner moves, not the ground
            continue
        slopes.append(float(np.polyfit(x, y, 1)[0]))
        xs.append(float(np.median(x)))
    if len(slopes) < MIN_STANCES:
        return None
    v = np.array(slopes)
    lo_ci, hi_ci = bootstrap_ci(v)
    return GroundLine(float(np.median(v)), (float(lo_ci), float(hi_ci)), float(np.median(xs)))
