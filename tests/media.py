"""Make small test media on the fly: variable frame rate, rotated, broken and non-video files."""
from __future__ import annotations

import struct
import wave
from pathlib import Path

import cv2
import numpy as np


def frame_with_marker(i: int, w: int = 160, h: int = 96) -> np.ndarray:
    """A frame whose top-left quadrant is bright: lets a test see the orientation after decoding."""
    img = np.full((h, w, 3), 40, np.uint8)
    img[: h // 3, : w // 3] = 230
    cv2.putText(img, str(i % 100), (w // 2, h - 10), cv2.FONT_HERSHEY_SIMPLEX, 0.6, (0, 255, 0), 1)
    return img


def write_video_pts(path: Path, pts_ms: list[int], w: int = 160, h: int = 96) -> Path:
    """H.264/MPEG-4 mp4 whose frames carry exactly these presentation times (ms): a VFR clip."""
    return write_frames(path, [frame_with_marker(i, w, h) for i in range(len(pts_ms))], pts_ms)


def write_frames(path: Path, frames: list[np.ndarray], pts_ms: list[int] | None = None, *, fps: int = 30,
                 codec: str = "libx264", faststart: bool = False) -> Path:
    """An mp4 of these BGR frames at ``fps`` or at exactly ``pts_ms``; ``faststart`` puts the index in front."""
    from fractions import Fraction

    import av

    if codec not in av.codecs_available:
        codec = "mpeg4"
    h, w = frames[0].shape[:2]
    pts_ms = pts_ms if pts_ms is not None else [round(i * 1000 / fps) for i in range(len(frames))]
    with av.open(str(path), "w", options={"movflags": "faststart"} if faststart else {}) as out:
        s = out.add_stream(codec, rate=fps)
        s.width, s.height, s.pix_fmt = w, h, "yuv420p"
        s.codec_context.time_base = s.time_base = Fraction(1, 1000)
        for img, t in zip(frames, pts_ms):
            fr = av.VideoFrame.from_ndarray(np.ascontiguousarray(img[:, :, ::-1]), format="rgb24")
            fr.pts, fr.time_base = t, s.codec_context.time_base
            for pkt in s.encode(fr):
                out.mux(pkt)
        for pkt in s.encode():
            out.mux(pkt)
    return path


def phantom_frames(clip: Path, seconds: float, *, every: int = 2, width: int = 320,
                   crop: tuple[float, float] = (0.0, 1.0)) -> list[np.ndarray]:
    """Every ``every``-th frame of a clip's first ``seconds``, cropped to a horizontal span (fractions of the
    width) and scaled to ``width`` pixels wide (even sizes, as H.264 needs)."""
    cap = cv2.VideoCapture(str(clip))
    fps = cap.get(cv2.CAP_PROP_FPS) or 30.0
    out = []
    for i in range(int(seconds * fps)):
        ok, bgr = cap.read()
        if not ok:
            break
        if i % every:
            continue
        x0, x1 = (int(f * bgr.shape[1]) for f in crop)
        part = bgr[:, x0:x1]
        height = 2 * round(part.shape[0] * width / part.shape[1] / 2)
        out.append(cv2.resize(part, (width, height), interpolation=cv2.INTER_AREA))
    cap.release()
    return out


def set_mp4_rotation(path: Path, degrees: int) -> Path:
    """Patch the video track's tkhd matrix so players show the frames rotated clockwise."""
    data = bytearray(path.read_bytes())
    k = data.find(b"tkhd")
    version = data[k + 4]
    off = k + 4 + 4 + (32 if version == 1 else 20) + 16
    a, b = {0: (1, 0), 90: (0, 1), 180: (-1, 0), 270: (0, -1)}[degrees % 360]
    fx = lambda v: struct.pack(">i", int(v * 65536))  # noqa: E731  16.16 fixed point
    data[off:off + 36] = fx(a) + fx(b) + struct.pack(">i", 0) + fx(-b) + fx(a) + struct.pack(">i", 0) + \
        fx(0) + fx(0) + struct.pack(">i", 1 << 30)
    path.write_bytes(bytes(data))
    return path


def write_wav(path: Path, seconds: float = 2.0, rate: int = 8000) -> Path:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1); w.setsampwidth(2); w.setframerate(rate)
        w.writeframes((np.sin(np.arange(int(seconds * rate)) * 0.1) * 3000).astype("<i2").tobytes())
    return path


def write_png(path: Path) -> Path:
    cv2.imwrite(str(path), frame_with_marker(0))
    return path


def noise_clip(path: Path, seconds: float, seed: int = 0) -> Path:
    """Grey noise, nobody in it: a real analysis runs pose estimation over it, then fails (exit 7)."""
    rng = np.random.default_rng(seed)
    w = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), 30, (160, 96))
    for _ in range(int(seconds * 30)):
        w.write(rng.integers(90, 110, (96, 160, 3), dtype=np.uint8))
    w.release()
    return path


def write_capture_fps_clip(path: Path, capture_fps: str | None, frames: int = 120, rate: int = 30) -> Path:
    """A tiny mp4 whose container carries Android's ``com.android.capture.fps`` tag (slow motion)."""
    import av

    opts = {"movflags": "use_metadata_tags"}
    with av.open(str(path), "w", options=opts) as out:
        if capture_fps is not None:
            out.metadata["com.android.capture.fps"] = capture_fps
        codec = "libx264" if "libx264" in av.codecs_available else "mpeg4"
        s = out.add_stream(codec, rate=rate)
        s.width, s.height, s.pix_fmt = 64, 48, "yuv420p"
        for i in range(frames):
            fr = av.VideoFrame.from_ndarray(frame_with_marker(i, 64, 48)[:, :, ::-1].copy(), format="rgb24")
            for pkt in s.encode(fr):
                out.mux(pkt)
        for pkt in s.encode():
            out.mux(pkt)
    return path
