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


class _FormReader:
    """multipart callbacks: the one file part streams to ``dest``, small text fields are kept."""

    def __init__(self, dest: Path, max_bytes: int):
        self.dest, self.max_bytes, self.up = dest, max_bytes, Upload()
        self.headers: dict[str, bytes] = {}
        self.hname = self.hval = b""
        self.name: str | None = None
        self.fh: BinaryIO | None = None
        self.buf: bytearray | None = None
        self.n_fields = 0

    def callbacks(self) -> dict:
        return {"on_part_begin": self.part_begin, "on_header_field": self.header_field,
                "on_header_value": self.header_value, "on_header_end": self.header_end,
                "on_headers_finished": self.headers_finished, "on_part_data": self.part_data,
                "on_part_end": self.part_end}

    def part_begin(self) -> None:
        self.headers, self.name, self.fh, self.buf = {}, None, None, None

    def header_field(self, data: bytes, start: int, end: int) -> None:
        self.hname += data[start:end]

    def header_value(self, data: bytes, start: int, end: int) -> None:
        self.hval += data[start:end]

    def header_end(self) -> None:
        self.headers[self.hname.decode("latin-1").lower()] = self.hval
        self.hname, self.hval = b"", b""

    def headers_finished(self) -> None:
        _, disp = parse_options_header(self.headers.get("content-disposition", b""))
        self.name = disp.get(b"name", b"").decode("utf-8", "replace")
        if b"filename" in disp:
            if self.name != FILE_FIELD or self.up.file_path is not None:
                raise UploadRejected("Upload exactly one video, in the 'video' field.", 400)
            self.up.client_filename = display_name(disp[b"filename"].decode("utf-8", "replace"))
            self.dest.parent.mkdir(parents=True, exist_ok=True)
            self.fh, self.up.file_path = open(self.dest, "wb"), self.dest
        else:
            self.n_fields += 1
            if self.n_fields > MAX_FIELDS:
                raise UploadRejected("Too many form fields.", 400)
            self.buf = bytearray()

    def part_data(self, data: bytes, start: int, end: int) -> None:
        if self.fh is not None:
            self.up.size += end - start
            if self.up.size > self.max_bytes:
                raise UploadRejected(too_large_message(self.max_bytes / (1 << 20)), 413)
            self.fh.write(data[start:end])
        elif self.buf is not None:
            self.buf += data[start:end]
            if len(self.buf) > MAX_FIELD_BYTES:
                raise UploadRejected(f"The form field '{self.name}' is too long.", 400)

    def part_end(self) -> None:
        if self.fh is not None:
            self.fh.close()
            self.fh = None
        elif self.buf is not None:
            self.up.fields.setdefault(self.name, []).append(bytes(self.buf).decode("utf-8", "replace"))
            self.buf = None

    def discard(self) -> None:
        if self.fh is not None:
            self.fh.close()
            self.fh = None
        self.dest.unlink(missing_ok=True)


async def receive(content_type: str | None, content_length: str | None, stream: AsyncIterator[bytes],
                  dest: Path, max_bytes: int) -> Upload:
    """Parse ``multipart/form-data`` from ``stream``; the one file part goes to ``dest``.

    Raises UploadRejected(413) as soon as the file passes ``max_bytes``; ``dest`` is removed then.
    """
    if content_length and content_length.isdigit() and int(content_length) > max_bytes + FORM_OVERHEAD:
        raise UploadRejected(too_large_message(max_bytes / (1 << 20)), 413)  # refuse before reading a byte
    ctype, params = parse_options_header(content_type or "")
    boundary = params.get(b"boundary")
    if ctype != b"multipart/form-data" or not boundary:
        raise UploadRejected("Send the video as a multipart/form-data upload with a 'video' file field.", 400)
    form = _FormReader(dest, max_bytes)
    parser = MultipartParser(boundary, form.callbacks())
    try:
        async for chunk in stream:
            parser.write(chunk)
        parser.finalize()
    except UploadRejected:
        form.discard()
        raise
    except Exception as exc:  # malformed multipart from a broken client
        form.discard()
        raise UploadRejected(f"The upload was malformed or cut off ({type(exc).__name__}); please try again.",
                             400) from None
    if form.fh is not None:  # stream ended inside the file part
        form.discard()
        raise UploadRejected("The upload was cut off before the video ended; please try again.", 400)
    if form.up.file_path is None or form.up.size == 0:
        dest.unlink(missing_ok=True)
        raise UploadRejected("Choose a video file to upload.", 400)
    return form.up


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
