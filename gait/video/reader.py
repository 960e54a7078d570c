"""Probe a video and stream its frames with container timestamps.

Frames are streamed one at a time (never the whole clip in memory). Each frame
carries its presentation time from the container, because phones record at a
variable frame rate and ``index / fps`` drifts for them. Rotation metadata is
honoured (OpenCV applies it), so a portrait phone clip comes out upright.
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Iterator

import cv2
import numpy as np

from gait.errors import CorruptVideo, InputNotFound, NotAVideo, VideoTooShort

# Four running strides at a slow 150 steps/min (0.8 s per stride) plus a margin
# for the filters to settle at the clip's ends.
MIN_DURATION_S = 3.5

_IMAGE_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"BM", b"II*\x00", b"MM\x00*", b"RIFF")
_AUDIO_EXT = {".mp3", ".wav", ".m4a", ".aac", ".flac", ".ogg", ".opus", ".wma"}


@dataclass(frozen=True)
class VideoInfo:
    """What the container says about a clip, after rotation (display orientation)."""

    path: str
    fps: float  # nominal frames/s from the container (median for variable frame rate)
    frames: int  # frames actually decodable (counted when probing with count=True)
    duration_s: float
    width: int  # pixels, upright as displayed
    height: int
    rotation: int  # degrees clockwise from the container's display matrix (0/90/180/270)
    variable_frame_rate: bool = False
    content_sha256: str = ""

    def to_dict(self) -> dict:
        d = asdict(self)
        return d


def _sniff(path: Path) -> None:
    """Reject obvious non-videos with a precise reason before the decoder guesses."""
    with open(path, "rb") as fh:
        head = fh.read(16)
    if not head:
        raise CorruptVideo(f"{path.name} is empty (0 bytes).")
    if any(head.startswith(m) for m in _IMAGE_MAGIC) and not head[8:12] in (b"AVI ",):
        if head.startswith(b"RIFF") and head[8:12] == b"WAVE":
            raise NotAVideo(f"{path.name} holds audio only; a video of the runner is needed.")
        if not head.startswith(b"RIFF"):
            raise NotAVideo(f"{path.name} is a still image, not a video; a clip of at least {MIN_DURATION_S:g} s is needed.")
    if head.startswith(b"ID3") or head[:2] in (b"\xff\xfb", b"\xff\xf3", b"\xff\xf2") or head.startswith(b"fLaC") or head.startswith(b"OggS") and path.suffix.lower() in _AUDIO_EXT:
        raise NotAVideo(f"{path.name} holds audio only; a video of the runner is needed.")


def _stream_kinds(path: Path) -> tuple[bool, bool]:
    """(has_video_stream, has_audio_stream) from PyAV, which lists streams reliably."""
    import av

    try:
        with av.open(str(path)) as c:
            return len(c.streams.video) > 0, len(c.streams.audio) > 0
    except Exception:  # not a container PyAV knows: let OpenCV have its say
        return True, False


def file_sha256(path: str | os.PathLike, chunk: int = 1 << 20) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(chunk):
            h.update(block)
    return h.hexdigest()


# ISO-BMFF (mp4 / mov / m4v / 3gp) boxes that may open a file; older QuickTime files start with wide/free/mdat.
_BMFF_BOXES = (b"ftyp", b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot")


def sniff_container(path: str | os.PathLike) -> str | None:
    """The extension for a recognised video container from its first bytes, else None."""
    with open(path, "rb") as fh:
        head = fh.read(16)
    if len(head) >= 12 and head[4:8] in _BMFF_BOXES:
        return ".mov" if head[4:12] == b"ftypqt  " else ".mp4"
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return ".mkv"  # Matroska / WebM (phones rarely, screen recorders often)
    if head.startswith(b"RIFF") and head[8:12] == b"AVI ":
        return ".avi"
    return None


def _open(path: Path) -> cv2.VideoCapture:
    cap = cv2.VideoCapture(str(path))
    if not cap.isOpened():
        cap.release()
        if sniff_container(path) is not None:
            raise CorruptVideo(f"{path.name} is a video container that cannot be read: it has no decodable "
                               f"frames (truncated or corrupt file).")
        raise NotAVideo(f"{path.name} could not be opened as a video (unknown or unsupported format).")
    return cap


def probe(path: str | os.PathLike, *, min_duration_s: float = MIN_DURATION_S, count: bool = True) -> VideoInfo:
    """Check a file is a usable video and describe it.

    ``count=True`` walks the timestamps once (grab without decoding pixels) so the
    frame count, duration and frame-rate regularity come from the frames, not the
    header: truncated files and variable frame rate are caught here.
    """
    p = Path(path)
    if not p.exists():
        raise InputNotFound(f"No such file: {p}.")
    if p.is_dir():
        raise NotAVideo(f"{p} is a folder, not a video file.")
    _sniff(p)
    has_video, has_audio = _stream_kinds(p)
    if not has_video:
        if has_audio:
            raise NotAVideo(f"{p.name} holds audio only; a video of the runner is needed.")
        raise NotAVideo(f"{p.name} contains no video stream.")
    cap = _open(p)
    try:
        fps = float(cap.get(cv2.CAP_PROP_FPS) or 0.0)
        rotation = int(round(cap.get(cv2.CAP_PROP_ORIENTATION_META) or 0)) % 360  # OpenCV applies it
        ok, frame = cap.read()
        if not ok or frame is None:
            raise CorruptVideo(f"{p.name} has no decodable frames (truncated or corrupt file).")
        height, width = frame.shape[:2]
        stamps = [float(cap.get(cv2.CAP_PROP_POS_MSEC))]
        if count:
            while cap.grab():
                stamps.append(float(cap.get(cv2.CAP_PROP_POS_MSEC)))
        else:
            n_hdr = int(cap.get(cv2.CAP_PROP_FRAME_COUNT) or 0)
            stamps = [stamps[0] + i * 1000.0 / max(fps, 1e-6) for i in range(max(n_hdr, 1))]
    finally:
        cap.release()
    t = np.asarray(stamps) / 1000.0
    if len(t) == 1:
        raise NotAVideo(f"{p.name} holds a single frame (a still image), not a video; a clip of at least {min_duration_s:g} s is needed.")
    dt = np.diff(t)
    good = dt > 0
    med_dt = float(np.median(dt[good])) if good.any() else 1.0 / max(fps, 1.0)
    if fps <= 0 or not np.isfinite(fps) or fps > 1000:
        fps = 1.0 / med_dt
    # Variable frame rate: intervals spread more than 10 % around the median.
    vfr = bool(good.any() and (np.percentile(dt[good], 95) > 1.1 * med_dt or np.percentile(dt[good], 5) < 0.9 * med_dt))
    if vfr:
        fps = 1.0 / med_dt
    duration = float(t[-1] - t[0] + med_dt)
    info = VideoInfo(path=str(p), fps=round(fps, 4), frames=len(t), duration_s=round(duration, 4),
                     width=int(width), height=int(height), rotation=int(rotation),
                     variable_frame_rate=vfr, content_sha256=file_sha256(p))
    if duration < min_duration_s:
        raise VideoTooShort(
            f"{p.name} is {duration:.1f} s long; at least {min_duration_s:g} s are needed to hold four running strides.")
    return info


def iter_frames(path: str | os.PathLike, *, start_s: float | None = None) -> Iterator[tuple[int, float, np.ndarray]]:
    """Yield ``(frame_index, t_s, bgr_frame)`` for every decodable frame, upright.

    ``t_s`` is the container's presentation time of that frame, in seconds.
    A decode failure mid-file ends the stream (what was decoded is kept).
    """
    p = Path(path)
    cap = _open(p)
    try:
        i = 0
        if start_s:
            cap.set(cv2.CAP_PROP_POS_MSEC, start_s * 1000.0)
            i = int(cap.get(cv2.CAP_PROP_POS_FRAMES))
        while True:
            ok, frame = cap.read()
            if not ok or frame is None:
                break
            yield i, float(cap.get(cv2.CAP_PROP_POS_MSEC)) / 1000.0, frame
            i += 1
    finally:
        cap.release()
