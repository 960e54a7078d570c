"""Receive a multipart upload straight to disk, in chunks, and stop past the size limit.

Starlette's ``request.form()`` spools the whole body before the handler runs, so
a 5 GB upload would fill the disk before we could refuse it; parsing the stream
ourselves lets us stop at the limit. The client's file name is kept for display
only: the file on disk always gets a generated name.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import AsyncIterator, BinaryIO

from python_multipart.multipart import MultipartParser, parse_options_header

from gait.video.reader import sniff_container  # noqa: F401  (re-exported: the app checks uploads with it)

FILE_FIELD = "video"
MAX_FIELD_BYTES = 64 * 1024  # any text field; symptoms and notes are short
MAX_FIELDS = 64
FORM_OVERHEAD = 1 << 20  # multipart headers and text fields on top of the video


class UploadRejected(Exception):
    """The request cannot become a job; ``status`` is the HTTP status, ``str()`` the one sentence."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


@dataclass
class Upload:
    fields: dict[str, list[str]] = field(default_factory=dict)
    file_path: Path | None = None
    client_filename: str = ""
    size: int = 0

    def get(self, name: str, default: str = "") -> str:
        vals = self.fields.get(name)
        return vals[-1].strip() if vals else default

    def getlist(self, name: str) -> list[str]:
        return [v.strip() for v in self.fields.get(name, []) if v.strip()]


def too_large_message(limit_mb: float) -> str:
    return (f"The video is larger than the {limit_mb:g} MB upload limit; trim it to 10–30 s of running "
            f"or ask whoever runs the server to raise --max-upload-mb.")


def display_name(raw: str | None) -> str:
    """A safe label from the client's file name: last path part, printable, at most 80 characters."""
    name = PurePosixPath((raw or "").replace("\\", "/")).name
    name = "".join(c for c in unicodedata.normalize("NFC", name) if unicodedata.category(c)[0] != "C")
    name = name.strip().lstrip(".") or "video"
    return name[:80]


async def receive(content_type: str | None, content_length: str | None, stream: AsyncIterator[bytes],
                  dest: Path, max_bytes: int) -> Upload:
    """Parse ``multipart/form-data`` from ``stream``; the one file part goes to ``dest``.

    Raises UploadRejected(413) as soon as the file passes ``max_bytes``; ``dest`` is removed then.
    """
    limit_mb = max_bytes / (1 << 20)
    if content_length and content_length.isdigit() and int(content_length) > max_bytes + FORM_OVERHEAD:
        raise UploadRejected(too_large_message(limit_mb), 413)  # refuse before reading a byte
    ctype, params = parse_options_header(content_type or "")
    boundary = params.get(b"boundary")
    if ctype != b"multipart/form-data" or not boundary:
        raise UploadRejected("Send the video as a multipart/form-data upload with a 'video' file field.", 400)

    up = Upload()
    state: dict = {"headers": {}, "hname": b"", "hval": b"", "name": None, "fh": None, "buf": None}
    n_fields = 0

    def on_part_begin() -> None:
        state.update(headers={}, name=None, fh=None, buf=None)

    def on_header_field(data: bytes, start: int, end: int) -> None:
        state["hname"] += data[start:end]

    def on_header_value(data: bytes, start: int, end: int) -> None:
        state["hval"] += data[start:end]

    def on_header_end() -> None:
        state["headers"][state["hname"].decode("latin-1").lower()] = state["hval"]
        state["hname"], state["hval"] = b"", b""

    def on_headers_finished() -> None:
        nonlocal n_fields
        _, disp = parse_options_header(state["headers"].get("content-disposition", b""))
        name = disp.get(b"name", b"").decode("utf-8", "replace")
        state["name"] = name
        if b"filename" in disp:
            if name != FILE_FIELD or up.file_path is not None:
                raise UploadRejected("Upload exactly one video, in the 'video' field.", 400)
            up.client_filename = display_name(disp[b"filename"].decode("utf-8", "replace"))
            dest.parent.mkdir(parents=True, exist_ok=True)
            state["fh"] = open(dest, "wb")
            up.file_path = dest
        else:
            n_fields += 1
            if n_fields > MAX_FIELDS:
                raise UploadRejected("Too many form fields.", 400)
            state["buf"] = bytearray()

    def on_part_data(data: bytes, start: int, end: int) -> None:
        fh: BinaryIO | None = state["fh"]
        if fh is not None:
            up.size += end - start
            if up.size > max_bytes:
                raise UploadRejected(too_large_message(limit_mb), 413)
            fh.write(data[start:end])
        elif state["buf"] is not None:
            state["buf"] += data[start:end]
            if len(state["buf"]) > MAX_FIELD_BYTES:
                raise UploadRejected(f"The form field '{state['name']}' is too long.", 400)

    def on_part_end() -> None:
        if state["fh"] is not None:
            state["fh"].close()
            state["fh"] = None
        elif state["buf"] is not None:
            up.fields.setdefault(state["name"], []).append(bytes(state["buf"]).decode("utf-8", "replace"))
            state["buf"] = None

    parser = MultipartParser(boundary, {
        "on_part_begin": on_part_begin, "on_header_field": on_header_field, "on_header_value": on_header_value,
        "on_header_end": on_header_end, "on_headers_finished": on_headers_finished,
        "on_part_data": on_part_data, "on_part_end": on_part_end})
    try:
        async for chunk in stream:
            parser.write(chunk)
        parser.finalize()
    except UploadRejected:
        _discard(state, dest)
        raise
    except Exception as exc:  # malformed multipart from a broken client
        _discard(state, dest)
        raise UploadRejected(f"The upload was malformed or cut off ({type(exc).__name__}); please try again.",
                             400) from None
    if state["fh"] is not None:  # stream ended inside the file part
        _discard(state, dest)
        raise UploadRejected("The upload was cut off before the video ended; please try again.", 400)
    if up.file_path is None or up.size == 0:
        dest.unlink(missing_ok=True)
        raise UploadRejected("Choose a video file to upload.", 400)
    return up


def _discard(state: dict, dest: Path) -> None:
    if state.get("fh") is not None:
        state["fh"].close()
        state["fh"] = None
    dest.unlink(missing_ok=True)


def not_a_video_message(name: str) -> str:
    return (f"{name} is not a video file (its content is not MP4, MOV, WebM or AVI); "
            f"upload the clip as recorded by the camera or phone.")


_SAFE_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def valid_date(text: str) -> bool:
    from datetime import date

    if not _SAFE_DATE.match(text):
        return False
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True
