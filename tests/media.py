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
    import av

    with av.open(str(path), "w") as out:
        codec = "libx264" if "libx264" in av.codecs_available else "mpeg4"
        s = out.add_stream(codec, rate=30)
        s.width, s.height, s.pix_fmt = w, h, "yuv420p"
        s.codec_context.time_base = __import__("fractions").Fraction(1, 1000)
        s.time_base = __import__("fractions").Fraction(1, 1000)
        for i, t in enumerate(pts_ms):
            fr = av.VideoFrame.from_ndarray(frame_with_marker(i, w, h)[:, :, ::-1].copy(), format="rgb24")
            fr.pts = t
            fr.time_base = s.codec_context.time_base
            for pkt in s.encode(fr):
                out.mux(pkt)
        for pkt in s.encode():
            out.mux(pkt)
    return path


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
