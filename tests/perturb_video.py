"""Perturbed phantom clips: the same run with other shoe colours, light, contrast, noise, frame rate, clock,
a mirrored image, a farther or a rolled camera, and a truth file that matches, so events can be scored on looks the
shared clips do not have.

``make_clip(spec, out_dir)`` writes ``<spec.name>.mp4`` and ``<spec.name>.json`` (the source's truth,
cut to the clip and re-timed). Clips are short and downscaled so their pose pass stays cheap; the
output is deterministic (single-threaded encoder, fixed settings), so its landmarks are cached by
content like any clip's.
Shoes are recoloured where the truth puts them: pixels near the projected foot joints and sole
(``<source>.frames.json``) that are light and unsaturated (the phantom's white shoes and socks)
become near-black, the case of black shoes on a black belt.
A mirrored clip is the same run with the runner's left and right exchanged (a 10°/3° runner becomes a 3°/10°
one, a right-side view a left-side one): whatever a method reads for one foot it must then read for the
other, so a bias that follows the image side instead of the foot shows up. A farther camera shrinks the
frame about its centre and fills the border with the frame's edge pixels.
"""
from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import cv2
import numpy as np
from conftest import PHANTOM

FOOT_JOINTS = {"L": ("LeftFoot", "LeftToeBase", "LeftToe_End"), "R": ("RightFoot", "RightToeBase", "RightToe_End")}


@dataclass(frozen=True)
class VideoPerturbation:
    name: str
    source: str  # phantom clip stem
    start_s: float = 1.0
    seconds: float = 4.5
    width: int = 1280  # output width (height keeps the aspect); the shared clips are 1280 wide
    keep_every: int = 1  # 2 = drop every other frame (60 -> 30 fps)
    black_shoes: bool = False
    gamma: float = 1.0  # > 1 darkens
    contrast: float = 1.0  # < 1 flattens around mid-grey
    noise_sd: float = 0.0  # sensor noise, grey levels
    slowmo: float = 1.0  # playback this many times slower than real time
    mirror: bool = False  # flipped left-right: the runner's sides exchanged
    zoom: float = 1.0  # < 1: the runner this much smaller, as from a camera 1/zoom times as far
    roll_deg: float = 0.0  # camera rolled: the picture turned this much clockwise (a tripod off level)
    blur_px: float = 0.0  # Gaussian blur, standard deviation in source pixels (soft focus, a phone's smoothing)


def _foot_masks(frames: list[dict], i: int, shape: tuple[int, int], radius: float) -> np.ndarray:
    m = np.zeros(shape, np.uint8)
    f = frames[i]
    for side, joints in FOOT_JOINTS.items():
        pts = np.array([f["joints2d"][j] for j in joints] + [f["sole2d"][side]], np.float32)
        hull = cv2.convexHull(pts).astype(np.int32)
        cv2.fillConvexPoly(m, hull, 255)
    k = int(2 * radius) | 1
    return cv2.dilate(m, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k))) > 0


def _recolour_shoes(bgr: np.ndarray, region: np.ndarray) -> np.ndarray:
    hsv = cv2.cvtColor(bgr, cv2.COLOR_BGR2HSV)
    light = ((hsv[..., 2] > 110) & (hsv[..., 1] < 70) & region).astype(np.uint8)
    # the belt's light stripes are thin horizontal lines: a vertical opening keeps the shoe, not them
    light = cv2.morphologyEx(light, cv2.MORPH_OPEN, np.ones((5, 1), np.uint8)) > 0
    out = bgr.copy()
    out[light] = (out[light].astype(np.float32) * 0.12 + 8).astype(np.uint8)
    return out


def _tone(bgr: np.ndarray, spec: VideoPerturbation, rng: np.random.Generator) -> np.ndarray:
    x = bgr.astype(np.float32) / 255.0
    if spec.gamma != 1.0:
        x = x ** spec.gamma
    if spec.contrast != 1.0:
        x = 0.5 + (x - 0.5) * spec.contrast
    x = x * 255.0
    if spec.blur_px:  # in float64 scipy, not OpenCV: the same bytes on every machine (see _rolled)
        from scipy.ndimage import gaussian_filter

        x = gaussian_filter(x.astype(np.float64), sigma=(spec.blur_px, spec.blur_px, 0.0), mode="nearest")
    if spec.noise_sd:
        x = x + rng.normal(0.0, spec.noise_sd, x.shape)
    return np.clip(x, 0, 255).astype(np.uint8)


SWAP = {"L": "R", "R": "L"}
MIRRORED_VIEW = {"side_left": "side_right", "side_right": "side_left"}


def _mirrored(d: dict) -> dict:
    """The truth of the left-right flipped clip: every per-foot record under the other foot."""
    d = copy.deepcopy(d)
    for key in ("foot_strikes", "toe_offs", "contact_time_s", "strides"):
        d[key] = {SWAP[k]: v for k, v in d[key].items()}
    d["pelvic_drop_summary_deg"] = {f"during_{SWAP[k.split('_')[1]]}_stance": v
                                    for k, v in (d.get("pelvic_drop_summary_deg") or {}).items()}
    edit = d.get("pelvis_edit") or {}
    sets = {side: edit.get(f"drop_set_during_{side}_stance") for side in SWAP}
    edit.update({f"drop_set_during_{side}_stance": sets[SWAP[side]] for side in SWAP})
    for e in d.get("steps", []):
        e["from_side"], e["to_side"] = SWAP[e["from_side"]], SWAP[e["to_side"]]
    for e in d.get("pelvic_drop_per_stance", []):
        e["stance_side"], e["swing_side_dropping"] = SWAP[e["stance_side"]], SWAP[e["swing_side_dropping"]]
    cam = d["camera"]
    cam["view"] = MIRRORED_VIEW.get(cam["view"], cam["view"])
    cam["azimuth_deg"] = -float(cam.get("azimuth_deg") or 0.0)
    return d


def _geometry(bgr: np.ndarray, spec: VideoPerturbation) -> np.ndarray:
    if spec.mirror:
        bgr = cv2.flip(bgr, 1)
    h, w = bgr.shape[:2]
    if spec.zoom != 1.0:
        a = np.float32([[spec.zoom, 0, (1 - spec.zoom) * w / 2], [0, spec.zoom, (1 - spec.zoom) * h / 2]])
        bgr = cv2.warpAffine(bgr, a, (w, h), flags=cv2.INTER_AREA, borderMode=cv2.BORDER_REPLICATE)
    if spec.roll_deg:  # a warp of its own: the zoomed clips keep their bytes (and landmark fixtures)
        bgr = _rolled(bgr, spec.roll_deg)
    return bgr


def _rolled(bgr: np.ndarray, deg: float) -> np.ndarray:
    """The picture turned ``deg`` clockwise about its centre, bilinear, edges replicated. In float64 numpy,
    not cv2.warpAffine: OpenCV's fixed-point warp gave other bytes for the -3° clip on another machine
    (same encoder), which broke its landmark fixture."""
    h, w = bgr.shape[:2]
    c, s = np.cos(np.radians(deg)), np.sin(np.radians(deg))
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float64)
    dx, dy = xx - (w - 1) / 2, yy - (h - 1) / 2
    # each output pixel samples the source where the clockwise turn (y down) brought it from
    sx = np.clip(c * dx + s * dy + (w - 1) / 2, 0, w - 1)
    sy = np.clip(-s * dx + c * dy + (h - 1) / 2, 0, h - 1)
    x0, y0 = np.minimum(np.floor(sx).astype(int), w - 2), np.minimum(np.floor(sy).astype(int), h - 2)
    fx, fy = (sx - x0)[..., None], (sy - y0)[..., None]
    img = bgr.astype(np.float64)
    top = img[y0, x0] * (1 - fx) + img[y0, x0 + 1] * fx
    bottom = img[y0 + 1, x0] * (1 - fx) + img[y0 + 1, x0 + 1] * fx
    return np.clip(np.rint(top * (1 - fy) + bottom * fy), 0, 255).astype(np.uint8)


def _truth(src: dict, spec: VideoPerturbation, fps: float, duration_s: float) -> dict:
    """The source truth cut to [start, start + seconds], on the clip's clock (x slowmo)."""
    t0, t1 = spec.start_s, spec.start_s + spec.seconds
    k = spec.slowmo
    src = _mirrored(src) if spec.mirror else src
    d = copy.deepcopy(src)

    def cut(events):
        return [{**e, "t_s": (e["t_s"] - t0) * k} for e in events if t0 <= e["t_s"] <= t1]
    d["foot_strikes"] = {s: cut(v) for s, v in src["foot_strikes"].items()}
    d["toe_offs"] = {s: cut(v) for s, v in src["toe_offs"].items()}
    d["pelvic_drop_per_stance"] = [{**e, "t_foot_strike": (e["t_foot_strike"] - t0) * k,
                                    "t_toe_off": None if e.get("t_toe_off") is None else (e["t_toe_off"] - t0) * k}
                                   for e in src.get("pelvic_drop_per_stance", []) if t0 <= e["t_foot_strike"] <= t1]
    d["fps"], d["duration_s"], d["clip"] = fps, duration_s, f"{spec.name}.mp4"
    d["perturbation"] = {**spec.__dict__}
    return d


def make_clip(spec: VideoPerturbation, out_dir: Path) -> Path:
    """Write the perturbed clip and its truth; returns the video path (re-used when already there)."""
    out = Path(out_dir) / f"{spec.name}.mp4"
    if out.is_file() and out.with_suffix(".json").is_file():
        return out
    import av

    src_path = PHANTOM / f"{spec.source}.mp4"
    src_truth = json.loads(src_path.with_suffix(".json").read_text())
    frames = json.loads((PHANTOM / f"{spec.source}.frames.json").read_text())["frames"]
    fps_in = float(src_truth["fps"])
    cap = cv2.VideoCapture(str(src_path))
    first, n = int(round(spec.start_s * fps_in)), int(round(spec.seconds * fps_in))
    cap.set(cv2.CAP_PROP_POS_FRAMES, first)
    rng = np.random.default_rng(0)
    fps_out = fps_in / spec.keep_every
    tb = Fraction(1, 90000)
    with av.open(str(out), "w") as container:
        stream = container.add_stream("libx264", rate=Fraction(fps_out / spec.slowmo).limit_denominator(1000))
        stream.codec_context.time_base = tb
        stream.options = {"crf": "18", "preset": "veryfast", "threads": "1"}
        written = 0
        for j in range(n):
            ok, bgr = cap.read()
            if not ok:
                break
            if j % spec.keep_every:
                continue
            h, w = bgr.shape[:2]
            if spec.black_shoes:
                bgr = _recolour_shoes(bgr, _foot_masks(frames, first + j, (h, w), radius=0.012 * w))
            bgr = _geometry(_tone(bgr, spec, rng), spec)
            small = cv2.resize(bgr, (spec.width, int(round(h * spec.width / w / 2)) * 2), interpolation=cv2.INTER_AREA)
            if written == 0:
                stream.width, stream.height, stream.pix_fmt = small.shape[1], small.shape[0], "yuv420p"
            fr = av.VideoFrame.from_ndarray(np.ascontiguousarray(small[:, :, ::-1]), format="rgb24")
            fr.pts, fr.time_base = int(round(written / fps_out * spec.slowmo / tb)), tb
            for pkt in stream.encode(fr):
                container.mux(pkt)
            written += 1
        for pkt in stream.encode():
            container.mux(pkt)
    cap.release()
    duration = written / fps_out * spec.slowmo
    out.with_suffix(".json").write_text(json.dumps(_truth(src_truth, spec, fps_out / spec.slowmo, duration)))
    return out
