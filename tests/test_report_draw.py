"""The key frames and the overlay draw the pelvis line that was measured, not MediaPipe's hip line."""
from __future__ import annotations

import math

import numpy as np
import pytest

from gait.report import draw


def _hips_level_in_the_image():
    xy = np.full((33, 2), np.nan)
    xy[23], xy[24] = (280.0, 300.0), (360.0, 300.0)  # rear view: left hip on the image left, both level
    return xy, np.ones(33)


def _drawn_angle_cw(img) -> float:
    """Image angle (+ = clockwise on screen) of the pixels in the pelvis colour."""
    b, g, r = draw.BGR["pelvis"]
    ys, xs = np.nonzero((img[..., 0] == b) & (img[..., 1] == g) & (img[..., 2] == r))
    keep = np.abs(xs - 320) < 100  # the line, not its label
    slope = np.polyfit(xs[keep], ys[keep], 1)[0]
    return math.degrees(math.atan(slope))


@pytest.mark.parametrize("obliquity,view,expected_cw", [(8.0, "rear", 8.0), (-5.0, "rear", -5.0),
                                                         (8.0, "front", -8.0)])
def test_the_line_follows_the_measured_obliquity_not_the_landmarks(obliquity, view, expected_cw):
    xy, vis = _hips_level_in_the_image()  # the landmarks say level: the drawing must not
    img = np.zeros((600, 640, 3), np.uint8)
    draw.pelvis_line(img, xy, vis, obliquity, view)
    assert _drawn_angle_cw(img) == pytest.approx(expected_cw, abs=1.0)


def test_no_measurement_no_line():
    xy, vis = _hips_level_in_the_image()
    img = np.zeros((600, 640, 3), np.uint8)
    draw.pelvis_line(img, xy, vis, None, "rear")
    assert not img.any()


def test_trace_value_between_samples_and_none_outside():
    from gait.report.view.source import Trace, floats_or_nan

    tr = draw.trace_of(Trace([0.0, 0.1, 0.2], floats_or_nan([0.0, None, 4.0])))
    assert draw.trace_at(tr, 0.1) == pytest.approx(2.0) and draw.trace_at(tr, 0.3) is None
