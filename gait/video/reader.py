"""Probe a video and stream its frames with container timestamps.

Frames are streamed one at a time (never the whole clip in memory). Each frame
carries its presentation time from the container, because phones record at a
variable frame rate and ``index / fps`` drifts for them. Rotation metadata is
honoured (OpenCV applies it), so a portrait phone clip comes out upright.
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Iterator

import cv2
import numpy as np

from gait.errors import CorruptVideo, InputNotFound, NotAVideo, VideoTooShort

# Four running strides at a slow 150 steps/min (0.8 s per stride) plus a margin
# for the filters to settle at the clip's ends.
MIN_DURATION_S = 3.5
VFR_SPREAD = 1.1  # frame intervals further than 10 % from the median: variable frame rate
MAX_FPS = 1000.0  # a header claiming more is broken; the median frame interval is used instead

_IMAGE_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"BM", b"II*\x00", b"MM\x00*", b"RIFF")
_AUDIO_EXT = {".mp3", ".wav", ".m4a", ".aac", ".flac", ".ogg", ".opus", ".wma"}


@dataclass(frozen=True)
class VideoInfo:
    """What the container says about a clip, after rotation (display orientation)."""

    path: str
    fps: float  # nominal frames/s from the container (median for variable frame rate)
    frames: int  # frames in the container's packets (all of them readable: a truncated file is refused)
    duration_s: float
    width: int  # pixels, upright as displayed
    height: int
    rotation: int  # degrees clockwise from the container's display matrix (0/90/180/270)
    variable_frame_rate: bool = False
    content_sha256: str = ""
    absolute_path: str = ""  # the file as found from anywhere (``path`` is as given, maybe relative)
    display_name: str = ""  # the name the user knows the clip by (a web upload is stored as input.mp4)

    @property
    def name(self) -> str:
        """The clip's name for people: its display name, else its file name ("" when neither is known)."""
        return self.display_name or Path(self.path).name

    def to_dict(self) -> dict:
        d = asdict(self)
        if not d["display_name"]:
            del d["display_name"]  # only web uploads have one: other results and cache entries keep their keys
        return d

    @classmethod
    def from_dict(cls, d: dict) -> "VideoInfo":
        """From a result.json ``video`` block: unknown keys ignored, missing facts left unknown (0 or "")."""
        known = {f.name for f in fields(cls)}
        return cls(**{**_UNKNOWN, **{k: v for k, v in d.items() if k in known}})


# What a result written by hand or by an older version may leave out.
_UNKNOWN = {"path": "", "fps": 0.0, "frames": 0, "duration_s": 0.0, "width": 0, "height": 0, "rotation": 0}


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


@dataclass(frozen=True)
class PacketScan:
    """What the container's packets say, read without decoding a single frame (milliseconds per clip)."""

    has_video: bool
    has_audio: bool
    codec: str = ""  # the video stream's codec name, e.g. h264, hevc
    times_s: tuple[float, ...] = ()  # presentation times of the video frames, sorted
    complete: int = 0  # video packets wholly inside the file
    announced: int = 0  # frames the container's index announces (0: it does not say)
    announced_s: float = 0.0  # duration the container announces (0: it does not say)

    @property
    def truncated(self) -> bool:
        """Frames the index points at lie past the end of the file (cut off while copying or recording)."""
        return self.announced > self.complete or len(self.times_s) > self.complete


def _scan_packets(path: Path) -> PacketScan | None:
    """Demux the video stream's packets (timestamps, byte ranges); None if PyAV cannot open the file."""
    import av

    try:
        with av.open(str(path)) as c:
            if not c.streams.video:
                return PacketScan(False, len(c.streams.audio) > 0)
            st = c.streams.video[0]
            size = path.stat().st_size
            times, complete = [], 0
            for pkt in c.demux(st):
                if not pkt.size:
                    continue  # the demuxer's end-of-stream marker
                complete += not pkt.is_corrupt and (pkt.pos < 0 or pkt.pos + pkt.size <= size)
                stamp = pkt.pts if pkt.pts is not None else pkt.dts
                if stamp is not None and not pkt.is_discard:
                    times.append(float(stamp * pkt.time_base))
            announced_s = float(st.duration * st.time_base) if st.duration else (c.duration or 0) / 1e6
            return PacketScan(True, len(c.streams.audio) > 0, st.codec_context.name, tuple(sorted(times)),
                              complete, int(st.frames or 0), announced_s)
    except Exception:  # not a container PyAV knows, or damaged past reading: let OpenCV have its say
        return None


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

    Frame count, timestamps, frame-rate regularity and truncation come from the
    container's packets (demuxed, not decoded: a few ms for a 10 s clip), so variable
    frame rate and a file cut off behind its index are caught here. ``count`` is kept
    for callers of the older API; the packets are always walked.
    """
    from gait.quiet import native_stderr_silenced

    p = Path(path)
    if not p.exists():
        raise InputNotFound(f"No such file: {p}.")
    if p.is_dir():
        raise NotAVideo(f"{p} is a folder, not a video file.")
    _sniff(p)
    with native_stderr_silenced():  # the decoders' own complaints about a damaged file are not for the user
        scan = _scan_packets(p)
        if scan is not None and not scan.has_video:
            raise NotAVideo(f"{p.name} holds audio only; a video of the runner is needed." if scan.has_audio
                            else f"{p.name} contains no video stream.")
        width, height, rotation, header_fps, header_frames = _first_frame(p, scan)
    if scan is not None and scan.truncated:
        raise CorruptVideo(_truncated_message(p.name, scan))
    t = np.asarray(scan.times_s if scan is not None and scan.times_s else
                   [i / max(header_fps, 1e-6) for i in range(max(header_frames, 1))])
    if len(t) == 1:
        raise NotAVideo(f"{p.name} holds a single frame (a still image), not a video; a clip of at least "
                        f"{min_duration_s:g} s is needed.")
    fps, vfr, med_dt = frame_rate(t, header_fps)
    duration = float(t[-1] - t[0] + med_dt)
    info = VideoInfo(path=str(p), fps=round(fps, 4), frames=len(t), duration_s=round(duration, 4),
                     width=int(width), height=int(height), rotation=int(rotation), variable_frame_rate=vfr,
                     content_sha256=file_sha256(p), absolute_path=os.path.abspath(p))
    if duration < min_duration_s:
        raise VideoTooShort(
            f"{p.name} is {duration:.1f} s long; at least {min_duration_s:g} s are needed to hold four running strides.")
    return info


def _first_frame(p: Path, scan: PacketScan | None) -> tuple[int, int, int, float, int]:
    """(width, height, rotation, header fps, header frame count) once the first frame decodes upright."""
    cap = _open(p)
    try:
        fps = float(cap.get(cv2.CAP_PROP_FPS) or 0.0)
        rotation = int(round(cap.get(cv2.CAP_PROP_ORIENTATION_META) or 0)) % 360  # OpenCV applies it
        n_hdr = int(cap.get(cv2.CAP_PROP_FRAME_COUNT) or 0)
        ok, frame = cap.read()
    finally:
        cap.release()
    if not ok or frame is None:
        if scan is not None and scan.complete and scan.codec and not scan.truncated:
            raise CorruptVideo(f"{p.name} uses the {scan.codec} video codec, which this installation cannot "
                               f"decode; convert it to H.264 or film in the camera's most compatible format.")
        raise CorruptVideo(f"{p.name} has no decodable frames (truncated or corrupt file).")
    height, width = frame.shape[:2]
    return width, height, rotation, fps, n_hdr


def frame_rate(t: np.ndarray, header_fps: float) -> tuple[float, bool, float]:
    """(fps, variable?, median interval s) from frame times: the median interval, not the header's average,
    which a phone's dropped or doubled frames pull away from the real rate."""
    dt = np.diff(t)
    good = dt > 0
    med_dt = float(np.median(dt[good])) if good.any() else 1.0 / max(header_fps, 1.0)
    # Variable frame rate: intervals spread more than 10 % around the median.
    vfr = bool(good.any() and (np.percentile(dt[good], 95) > VFR_SPREAD * med_dt
                               or np.percentile(dt[good], 5) < med_dt / VFR_SPREAD))
    fps = header_fps
    if vfr or not (0 < fps <= MAX_FPS) or not np.isfinite(fps):
        fps = 1.0 / med_dt
    return fps, vfr, med_dt


def _truncated_message(name: str, scan: PacketScan) -> str:
    total = max(scan.announced, len(scan.times_s))
    med_dt = frame_rate(np.asarray(scan.times_s), 0.0)[2] if len(scan.times_s) > 1 else 0.0
    of_s = f" ({scan.complete * med_dt:.1f} of {scan.announced_s:.1f} s)" if med_dt and scan.announced_s else ""
    return (f"{name} is truncated: only {scan.complete} of {total} frames{of_s} are readable; copy the whole "
            f"file from the camera again.")


def locate(video: VideoInfo) -> str:
    """Where a clip recorded in a result.json is now: its absolute path (right from any folder), else the
    path as typed (relative to the current folder). Results written before absolute_path existed have only ``path``."""
    for candidate in (video.absolute_path, video.path):
        if candidate and Path(candidate).is_file():
            return str(candidate)
    return str(video.path or video.absolute_path or "")


def iter_frames(path: str | os.PathLike, *, start_frame: int = 0) -> Iterator[tuple[int, float, np.ndarray]]:
    """Yield ``(frame_index, t_s, bgr_frame)`` for every decodable frame from ``start_frame`` on, upright.

    ``t_s`` is the container's presentation time of that frame, in seconds.
    A decode failure mid-file ends the stream (what was decoded is kept).
    """
    p = Path(path)
    cap = _open(p)
    try:
        i = 0
        if start_frame > 0:  # FFmpeg seeks to the keyframe before and decodes forward: frame-exact
            cap.set(cv2.CAP_PROP_POS_FRAMES, start_frame)
            i = int(cap.get(cv2.CAP_PROP_POS_FRAMES))
        while True:
            ok, frame = cap.read()
            if not ok or frame is None:
                break
            yield i, float(cap.get(cv2.CAP_PROP_POS_MSEC)) / 1000.0, frame
            i += 1
    finally:
        cap.release()


def read_frames(path: str | os.PathLike, wanted: set[int]) -> dict[int, np.ndarray]:
    """The frames at these decoder indices, upright, in one forward pass that stops after the last.

    Frames in between are only demuxed and decoded (``grab``), never converted or copied.
    """
    got: dict[int, np.ndarray] = {}
    if not wanted:
        return got
    cap = _open(Path(path))
    try:
        for i in range(max(wanted) + 1):
            if not cap.grab():
                break
            if i in wanted:
                ok, frame = cap.retrieve()
                if ok and frame is not None:
                    got[i] = frame
    finally:
        cap.release()
    return got
