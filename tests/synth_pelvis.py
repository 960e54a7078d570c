"""Synthetic pelvic-drop clips with known truth, built from real rendered frames.

Frames of the level-pelvis phantom (rear_drop0) are the texture; the pelvis
region of each frame is rotated by a known angle with a smooth falloff (full
rotation across the pelvis band, none at the chest or the knees), so the
truth is exact and independent of any pose model. Perturbations: recoloured /
low-contrast clothing, noise + JPEG, half resolution, 30 fps, camera roll, and
skin markers on the PSIS dimples. Clips are small (640x360 crop, <= 5 s).
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np

from gait.result import Events

L_HIP, R_HIP, L_SH, R_SH = 23, 24, 11, 12


@dataclass
class StandInEvents:
    """Same attribute names as gait.events' GaitEvents (what measure_pelvic_drop reads)."""

    poses: object
    raw_poses: object
    view: str
    events: Events
    view_confidence: float = 1.0
    warnings: list = field(default_factory=list)


def truth_events(truth_json: Path, t_max: float | None = None, t_shift: float = 0.0) -> Events:
    tj = json.loads(Path(truth_json).read_text())
    pick = lambda lst: [e["t_s"] - t_shift for e in lst if t_max is None or e["t_s"] - t_shift <= t_max]  # noqa: E731
    return Events(foot_strike={"left": pick(tj["foot_strikes"]["L"]), "right": pick(tj["foot_strikes"]["R"])},
                  toe_off={"left": pick(tj["toe_offs"]["L"]), "right": pick(tj["toe_offs"]["R"])})


def drop_trace(t_s: np.ndarray, events: Events, amp_left_deg: float, amp_right_deg: float) -> np.ndarray:
    """Obliquity (+ = left hip higher): a half-sine per stance, + during left stance, - during right, 0 in flight."""
    obl = np.zeros_like(t_s, dtype=float)
    for side, amp, sgn in (("left", amp_left_deg, 1.0), ("right", amp_right_deg, -1.0)):
        for fs in events.foot_strike[side]:
            to = [x for x in events.toe_off[side] if fs < x < fs + 0.6]
            if not to:
                continue
            u = (t_s - fs) / (to[0] - fs)
            m = (u >= 0) & (u <= 1)
            obl[m] += sgn * amp * np.sin(np.pi * u[m])
    return obl


def rotate_pelvis(frame: np.ndarray, centre_xy: np.ndarray, torso_px: float, rot_cw_deg: float) -> np.ndarray:
    """Rotate the pelvis region about the hip centre by rot_cw_deg (clockwise on screen), fading out smoothly.

    Weight 1 over the band from ~0.45 T above the hip centre down to the hip line,
    falling to 0 by the chest and the mid-thigh and beyond the body's sides.
    """
    h, w = frame.shape[:2]
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    cx, cy = float(centre_xy[0]), float(centre_xy[1])
    dy = (yy - cy) / torso_px
    wy = np.clip(np.where(dy < -0.45, 1 - (-0.45 - dy) / 0.3, np.where(dy > 0.0, 1 - dy / 0.35, 1.0)), 0, 1)
    wx = np.clip(1 - (np.abs(xx - cx) / torso_px - 0.55) / 0.35, 0, 1)
    wgt = (wy * wx) ** 1.0
    a = -math.radians(rot_cw_deg) * wgt  # inverse map: sample from the un-rotated position
    px, py = xx - cx, yy - cy
    mx = cx + np.cos(a) * px - np.sin(a) * py
    my = cy + np.sin(a) * px + np.cos(a) * py
    return cv2.remap(frame, mx, my, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)


def draw_markers(frame: np.ndarray, centre_xy: np.ndarray, torso_px: float, rot_cw_deg: float) -> None:
    """Two small dark-ringed white dots on the PSIS dimples, rotating with the pelvis."""
    a = math.radians(rot_cw_deg)
    for sx in (-1, 1):
        px, py = sx * 0.12 * torso_px, -0.22 * torso_px
        x = centre_xy[0] + math.cos(a) * px - math.sin(a) * py
        y = centre_xy[1] + math.sin(a) * px + math.cos(a) * py
        r = max(int(round(0.03 * torso_px)), 2)
        cv2.circle(frame, (int(round(x)), int(round(y))), r, (245, 245, 245), -1, cv2.LINE_AA)


def recolour(frame: np.ndarray, low_contrast: bool) -> np.ndarray:
    """Other clothing: swap colour channels (blue shirt -> red) and, optionally, wash out the dark shorts."""
    out = frame[:, :, [2, 1, 0]].copy()  # "swap": blue shirt -> red shirt, skin -> bluish
    if low_contrast:
        g = out.astype(np.float32)
        dark = g.mean(axis=2, keepdims=True) < 70
        g = np.where(dark, 70 + 0.45 * g, g)  # dark grey shorts with half the texture contrast
        out = np.clip(g, 0, 255).astype(np.uint8)
    return out


@dataclass
class SynthClip:
    path: Path
    events: StandInEvents
    truth_obliquity: np.ndarray  # (N,) + = left hip higher, at the clip's frames
    t_s: np.ndarray


def make_clip(out_path: Path, base_video: Path, base_poses, base_truth_json: Path, *, amp_left_deg: float = 6.0,
              amp_right_deg: float = 3.0, seconds: float = 4.5, scale: float = 1.0, step: int = 1,
              roll_deg: float = 0.0, noise_sd: float = 0.0, jpeg_quality: int | None = None,
              recolour_mode: str | None = None, markers: bool = False, view: str = "rear",
              crop_wh: tuple[int, int] = (640, 360), seed: int = 0) -> SynthClip:
    """Write a small mp4 (mp4v) and return it with matching stand-in events/poses and the truth trace."""
    rng = np.random.default_rng(seed)
    fps0 = float(base_poses.video.fps)
    n0 = min(int(seconds * fps0), len(base_poses.t_s))
    keep = np.arange(0, n0, step)
    ev_all = truth_events(base_truth_json, t_max=seconds)
    t0 = np.arange(n0) / fps0
    obl0 = drop_trace(t0, ev_all, amp_left_deg, amp_right_deg)
    xy0 = base_poses.image_xy
    hips = (xy0[:, L_HIP] + xy0[:, R_HIP]) / 2
    T = float(np.nanmedian(np.linalg.norm((xy0[:, L_SH] + xy0[:, R_SH]) / 2 - hips, axis=1)))
    # the hip centre used for the warp: a smooth track so the synthetic rotation is clean
    from scipy.ndimage import uniform_filter1d

    ok = np.all(np.isfinite(hips), axis=1)
    idx = np.arange(len(hips))
    hc = np.stack([np.interp(idx, idx[ok], hips[ok, k]) for k in range(2)], 1)
    hc = uniform_filter1d(hc, 5, axis=0)
    cw, ch = crop_wh
    cx0 = int(np.median(hc[:n0, 0]) - cw / 2)
    cy0 = int(np.median(hc[:n0, 1]) - 0.55 * ch)
    W, H = int(round(cw * scale)), int(round(ch * scale))
    R = cv2.getRotationMatrix2D((W / 2, H / 2), -roll_deg, 1.0)  # + roll = clockwise on screen
    writer = cv2.VideoWriter(str(out_path), cv2.VideoWriter_fourcc(*"mp4v"), fps0 / step, (W, H))
    cap = cv2.VideoCapture(str(base_video))
    i = 0
    while i < n0:
        ok_, fr = cap.read()
        if not ok_:
            break
        if i % step == 0:
            # rear: left higher = clockwise on screen; a front view is made by mirroring that frame below,
            # which turns the rotation and swaps the sides as a real front view would
            rot = obl0[i]
            img = fr[cy0:cy0 + ch, cx0:cx0 + cw]  # crop first: the warp then runs on the small frame only
            c_local = hc[i] - (cx0, cy0)
            img = rotate_pelvis(img, c_local, T, rot)
            if markers:
                draw_markers(img, c_local, T, rot)
            if view == "front":  # a front view mirrors left and right in the image
                img = img[:, ::-1].copy()
            if recolour_mode:
                img = recolour(img, recolour_mode == "low_contrast")
            if scale != 1.0:
                img = cv2.resize(img, (W, H), interpolation=cv2.INTER_AREA)
            if roll_deg:
                img = cv2.warpAffine(img, R, (W, H), borderMode=cv2.BORDER_REPLICATE)
            if noise_sd:
                img = np.clip(img + rng.normal(0, noise_sd, img.shape), 0, 255).astype(np.uint8)
            if jpeg_quality:
                img = cv2.imdecode(cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, jpeg_quality])[1], 1)
            writer.write(img)
        i += 1
    writer.release()
    cap.release()
    # poses in the new frame: same crop / mirror / scale / roll as the pixels
    xy = xy0[keep].copy() - np.array([cx0, cy0])
    if view == "front":
        xy[..., 0] = cw - 1 - xy[..., 0]
    xy = xy * scale
    if roll_deg:
        xy = xy @ R[:, :2].T + R[:, 2]
    from gait.video import probe

    info = probe(out_path, count=False)
    world = base_poses.world_xyz[keep].copy()
    if view == "front":  # seen from the front, the runner's right is on the image left: mirror the world x too
        world[..., 0] *= -1.0
    poses = base_poses.with_arrays(t_s=keep / fps0, frame_index=np.arange(len(keep)), image_xy=xy,
                                   image_z=base_poses.image_z[keep], visibility=base_poses.visibility[keep],
                                   presence=base_poses.presence[keep], world_xyz=world,
                                   person_bbox=np.zeros((len(keep), 4)), video=info)
    ge = StandInEvents(poses, poses, view, ev_all)
    return SynthClip(out_path, ge, obl0[keep], keep / fps0)
