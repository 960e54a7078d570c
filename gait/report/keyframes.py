"""Key frames: stills at foot strike and at peak pelvic drop, skeleton and pelvis line drawn.

Made at analyze time (the video and the cached landmarks are at hand) and saved as
``keyframes/*.jpg`` plus ``keyframes/index.json`` (captions), so ``gait report`` can
re-embed them later without the video. Landmarks come from the on-disk cache only:
this module never runs pose estimation.
"""
from __future__ import annotations

import base64
import json
from dataclasses import asdict, dataclass
from pathlib import Path

import cv2
import numpy as np

from gait.report import draw
from gait.report.view import source
from gait.result import Result
from gait.video.reader import locate, read_frames

MAX_W_PX, MAX_H_PX = 960, 720  # big enough to see a hip line, small enough to embed
JPEG_QUALITY = 82
CROP_H = 1.3  # crop height in body heights (the runner fills the frame on a phone)
LABEL_PX = 30  # label text height in the saved frame: readable when a phone shows it ~400 px wide


@dataclass(frozen=True)
class Moment:
    name: str  # file stem
    title: str
    t_s: float
    clip: str  # "video" (the result's clip) or "rear_video" (the rear clip of a pair)
    side: str | None = None  # foot of interest (foot-strike marker)


def cached_poses(result: Result, clip: str = "video"):
    """The clip's PoseSeries from the landmark cache, or (None, why) — never estimates."""
    from gait.poses import cache
    from gait.poses.models import resolve_model

    info = source.clip_video(result, clip)
    if info is None or not info.path:
        return None, "the clip is not recorded in the result"
    if not Path(locate(info)).is_file():
        return None, f"the video {info.path} is not there any more"
    try:
        model = resolve_model(result.inputs.get("model") or result.model, result.inputs.get("model_path"))
        inputs = result.inputs if clip == "video" else (result.inputs.get("rear_inputs") or result.inputs)
        key = cache.cache_key(info, model.sha256, inputs.get("num_poses"))  # None: decided per clip ("auto")
        poses = cache.load(key, info)
    except Exception as err:  # model missing, odd result: key frames are optional
        return None, f"the landmarks could not be looked up ({err})"
    return (poses, "") if poses is not None else (None, "its landmarks are not in the cache")


def _middle(items: list):
    return items[len(items) // 2] if items else None


def _peak_time(result: Result, side: str) -> float | None:
    """Peak-drop instant of the stance whose drop is the side's median (a typical stance, not an outlier)."""
    rows = [s for s in source.pelvis_stances(result)
            if s.side == side and s.excluded is None and s.peak_drop_deg is not None and s.peak_s is not None]
    if not rows:
        return None
    rows.sort(key=lambda s: s.peak_drop_deg)
    return _middle(rows).peak_s


def moments(result: Result) -> list[Moment]:
    out = []
    for side in ("left", "right"):
        strikes = [s.foot_strike_s for s in result.strides if s.side == side and not s.excluded]
        t = _middle(strikes) if strikes else _middle(result.events.foot_strike.get(side, []))
        if t is not None:
            out.append(Moment(f"foot_strike_{side}", f"{side.capitalize()} foot strike", t, "video", side))
    drop_clip = "rear_video" if source.is_pair(result) else "video"
    for side in ("left", "right"):
        t = _peak_time(result, side)
        if t is not None:
            out.append(Moment(f"peak_drop_{side}", f"Peak pelvic drop, {side} stance", t, drop_clip))
    return out


def nearest_frame(poses, t_s: float) -> int:
    """Row of the pose series nearest to ``t_s`` (its frame_index is the decoder's)."""
    return int(np.argmin(np.abs(np.asarray(poses.t_s) - t_s)))


def frontal_view(result: Result, clip: str) -> str | None:
    """"rear" / "front" when the pelvis line means something in this clip; None in a side view (hips overlap)."""
    if clip != "video":
        return source.pelvis_view(result)  # analyze_pair forces the rear clip's view
    return result.view if result.view in ("rear", "front") else None


def measured_obliquity(result: Result, m: Moment) -> float | None:
    """The pelvis stage's obliquity at this moment, on the clip the trace belongs to."""
    if (m.clip == "rear_video") != source.is_pair(result):
        return None
    return draw.trace_at(draw.trace_of(source.pelvic_trace(result)), m.t_s)


def crop_box(xy: np.ndarray, vis: np.ndarray, size: tuple[int, int]) -> tuple[int, int, int, int]:
    """(x0, y0, x1, y1) around the runner: CROP_H body heights tall, wide enough for the pelvis line's label."""
    w, h = size
    ok = np.isfinite(xy).all(axis=1) & (vis >= draw.MIN_VIS)
    if ok.sum() < 4:
        return 0, 0, w, h
    (x0, y0), (x1, y1) = xy[ok].min(axis=0), xy[ok].max(axis=0)
    body = max(y1 - y0, 1.0)
    ch = min(h, CROP_H * body)
    cw = min(w, max(x1 - x0 + 0.6 * body, 0.9 * ch))
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    left = int(round(min(max(cx - cw / 2, 0), w - cw)))
    top = int(round(min(max(cy - ch / 2, 0), h - ch)))
    return left, top, int(round(left + cw)), int(round(top + ch))


def render(result: Result, m: Moment, bgr: np.ndarray, poses, row: int) -> np.ndarray:
    """The frame cropped to the runner and enlarged, then the skeleton, pelvis line and label drawn on it."""
    xy, vis = poses.image_xy[row].astype(float), poses.visibility[row]
    x0, y0, x1, y1 = crop_box(xy, vis, (bgr.shape[1], bgr.shape[0]))
    f = min(MAX_W_PX / (x1 - x0), MAX_H_PX / (y1 - y0), 2.0)
    img = cv2.resize(bgr[y0:y1, x0:x1], (int((x1 - x0) * f), int((y1 - y0) * f)), interpolation=cv2.INTER_CUBIC)
    xy = (xy - (x0, y0)) * f
    size = LABEL_PX / 22.0  # Hershey simplex capitals are ~22 px tall at size 1
    draw.skeleton(img, xy, vis)
    view = frontal_view(result, m.clip)
    if view:
        draw.pelvis_line(img, xy, vis, measured_obliquity(result, m), view, size)
    if m.side:
        draw.foot_marker(img, xy, m.side)
    title = f"{m.title}  t = {m.t_s:.2f} s"
    (w1, _), _ = cv2.getTextSize(title, cv2.FONT_HERSHEY_SIMPLEX, 1.0, 2)
    draw.text(img, title, (8, 8), size=min(size, (img.shape[1] - 16) / w1))  # the whole title inside the frame
    return draw.fit(img, MAX_W_PX, MAX_H_PX)


def write_keyframes(result: Result, out_dir: Path, poses_by_clip: dict | None = None) -> tuple[list[Path], list[str]]:
    """Write keyframes/*.jpg + index.json. Returns (files, notes for the report when some are missing)."""
    ms = moments(result)
    if not ms:
        return [], ["No key frames: no foot strikes were found."]
    kdir = Path(out_dir) / "keyframes"
    files, notes, index = [], [], []
    for clip in sorted({m.clip for m in ms}):
        poses = (poses_by_clip or {}).get(clip)
        why = ""
        if poses is None:
            poses, why = cached_poses(result, clip)
        if poses is None:
            notes.append(f"No key frames from the {'rear ' if clip == 'rear_video' else ''}clip: {why}.")
            continue
        mine = [(m, nearest_frame(poses, m.t_s)) for m in ms if m.clip == clip]
        vpath = locate(source.clip_video(result, clip))
        frames = read_frames(vpath, {int(poses.frame_index[row]) for _, row in mine})
        for m, row in mine:
            bgr = frames.get(int(poses.frame_index[row]))
            if bgr is None:
                continue
            kdir.mkdir(parents=True, exist_ok=True)
            path = kdir / f"{m.name}.jpg"
            cv2.imwrite(str(path), render(result, m, bgr, poses, row), [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY])
            files.append(path)
            index.append({**asdict(m), "file": path.name})
    if index:
        order = [m.name for m in ms]  # foot strikes first, whichever clip was decoded first
        index.sort(key=lambda k: order.index(k["name"]))
        (kdir / "index.json").write_text(json.dumps(index, indent=1), encoding="utf-8")
        files.append(kdir / "index.json")
    return files, notes


def load_keyframes(out_dir: Path) -> list[dict]:
    """Saved key frames as {title, t_s, data_uri}, in the order they were made."""
    kdir = Path(out_dir) / "keyframes"
    try:
        index = json.loads((kdir / "index.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    out = []
    for k in index:
        p = kdir / str(k.get("file", ""))
        if p.is_file() and p.suffix == ".jpg":
            out.append({"title": k.get("title", p.stem), "t_s": k.get("t_s"), "name": k.get("name", p.stem),
                        "data_uri": "data:image/jpeg;base64," + base64.b64encode(p.read_bytes()).decode()})
    return out
