"""Video writer for the overlay: H.264 MP4 when the build can, else a browser-playable WebM,
else MPEG-4 Part 2 (plays in desktop players, usually not in browsers).

OpenCV's bundled FFmpeg cannot write H.264 ('avc1' fails), so PyAV (libx264) comes first.
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import numpy as np

# (PyAV encoder, container suffix, description, browser-playable)
PYAV_CHOICES = (("libx264", ".mp4", "H.264 (libx264) in MP4", True),
                ("h264", ".mp4", "H.264 in MP4", True),
                ("libvpx-vp9", ".webm", "VP9 in WebM", True),
                ("libvpx", ".webm", "VP8 in WebM", True))


@dataclass
class Writer:
    path: Path
    codec: str  # human description, e.g. "H.264 (libx264) in MP4"
    browser_playable: bool
    _av: object = None
    _stream: object = None
    _cv: object = None
    frames: int = 0

    def write(self, bgr: np.ndarray) -> None:
        if self._cv is not None:
            self._cv.write(bgr)
        else:
            import av

            frame = av.VideoFrame.from_ndarray(np.ascontiguousarray(bgr), format="bgr24")
            for pkt in self._stream.encode(frame):
                self._av.mux(pkt)
        self.frames += 1

    def close(self) -> None:
        if self._cv is not None:
            self._cv.release()
            return
        for pkt in self._stream.encode():  # flush delayed frames (B-frames)
            self._av.mux(pkt)
        self._av.close()


def even(n: int) -> int:
    return n - (n % 2)  # yuv420p needs even width and height


def _try_pyav(stem: Path, fps: float, w: int, h: int, encoder: str, suffix: str, desc: str, ok: bool):
    import av

    path = stem.with_suffix(suffix)
    container = av.open(str(path), "w", options={"movflags": "+faststart"} if suffix == ".mp4" else {})
    try:
        stream = container.add_stream(encoder, rate=Fraction(fps).limit_denominator(1001))
        stream.width, stream.height, stream.pix_fmt = w, h, "yuv420p"
        if encoder == "libx264":
            stream.options = {"crf": "23", "preset": "veryfast"}
        elif encoder.startswith("libvpx"):
            stream.options = {"crf": "32", "b": "0", "deadline": "realtime", "cpu-used": "8"}
        stream.codec_context.open()  # fails here when the encoder is absent or refuses these settings
    except Exception:
        container.close()
        path.unlink(missing_ok=True)
        return None
    return Writer(path, desc, ok, _av=container, _stream=stream)


def open_writer(stem: Path, fps: float, w: int, h: int, prefer: tuple[str, ...] | None = None) -> Writer:
    """First encoder that opens; ``prefer`` restricts the PyAV encoders tried (tests)."""
    import cv2

    for enc, suffix, desc, ok in PYAV_CHOICES:
        if prefer is not None and enc not in prefer:
            continue
        wr = _try_pyav(stem, fps, w, h, enc, suffix, desc, ok)
        if wr is not None:
            return wr
    for fourcc, desc, ok in (("avc1", "H.264 (OpenCV) in MP4", True),
                             ("mp4v", "MPEG-4 Part 2 in MP4", False)):
        cv = cv2.VideoWriter(str(stem.with_suffix(".mp4")), cv2.VideoWriter_fourcc(*fourcc), fps, (w, h))
        if cv.isOpened():
            return Writer(stem.with_suffix(".mp4"), desc, ok, _cv=cv)
        cv.release()
    raise RuntimeError("no video encoder could be opened")
