"""Stride length and the pixel scale.

Treadmill: the belt carries the stance foot backward at belt speed, so a stride
covers belt speed x stride time (the foot's own displacement over the belt, small
and periodic, averages out). Overground: the planted foot's image displacement
between two strikes of the same foot, scaled to metres by the runner's height.

Pixel scale from height (an estimate): the chain nose-shoulder-hip-knee-ankle
spans 0.871 of standing height (Winter, Biomechanics and Motor Control of Human
Movement, segment proportions: nose ~0.910 H, ankle 0.039 H). Segment lengths do not
change with running posture, unlike the straight heel-to-nose distance; the 90th
percentile over frames avoids frames where segments are foreshortened.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gait.poses.landmarks import ANKLE, HEEL, HIP, KNEE, NOSE, SHOULDER
from gait.poses.series import PoseSeries
from gait.result import Stride

CHAIN_OF_HEIGHT = 0.910 - 0.039  # nose height minus ankle height, fraction of stature


@dataclass
class Scale:
    px_per_m: float | None
    source: str  # how it was obtained, or why there is none


def body_chain_px(xy: np.ndarray) -> np.ndarray:
    """Per-frame length (px) of nose -> mid-shoulder -> mid-hip -> knee -> ankle (mean of both legs)."""
    sh = xy[:, [SHOULDER["left"], SHOULDER["right"]]].mean(axis=1)
    hip = xy[:, [HIP["left"], HIP["right"]]].mean(axis=1)
    head = np.linalg.norm(xy[:, NOSE] - sh, axis=1)
    trunk = np.linalg.norm(sh - hip, axis=1)
    legs = []
    for s in ("left", "right"):
        legs.append(np.linalg.norm(xy[:, HIP[s]] - xy[:, KNEE[s]], axis=1)
                    + np.linalg.norm(xy[:, KNEE[s]] - xy[:, ANKLE[s]], axis=1))
    return head + trunk + np.nanmax(np.stack(legs, 1), axis=1)


def scale_from_height(poses: PoseSeries, height_m: float | None) -> Scale:
    if not height_m:
        return Scale(None, "no scale: give the runner's height to get centimetres")
    chain = body_chain_px(poses.image_xy)
    chain = chain[np.isfinite(chain)]
    if chain.size < 10:
        return Scale(None, "no scale: the body was not seen well enough to measure its size in pixels")
    px = float(np.percentile(chain, 90))
    return Scale(px / (CHAIN_OF_HEIGHT * height_m),
                 f"estimate from the runner's height ({height_m:.2f} m) and body proportions (+-5 % typical)")


def treadmill_stride_lengths(strides: list[Stride], belt_speed_mps: float) -> None:
    for st in strides:
        if st.stride_time_s:
            st.stride_length_m = round(belt_speed_mps * st.stride_time_s, 3)


def overground_stride_lengths(strides: list[Stride], poses: PoseSeries, scale: Scale, side_view: bool) -> int:
    """Same-foot heel displacement between strikes, in metres; returns how many were measured.

    Only meaningful from a side view (the travel direction lies in the image plane).
    """
    if not side_view or not scale.px_per_m:
        return 0
    t = poses.t_s
    n = 0
    for st in strides:
        if st.next_foot_strike_s is None:
            continue
        x = poses.image_xy[:, HEEL[st.side], 0]
        x0 = np.interp(st.foot_strike_s, t, x)
        x1 = np.interp(st.next_foot_strike_s, t, x)
        if np.isfinite(x0) and np.isfinite(x1):
            st.stride_length_m = round(abs(x1 - x0) / scale.px_per_m, 3)
            n += 1
    return n
