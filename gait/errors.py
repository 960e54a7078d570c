"""Errors a user can act on, each with a documented process exit code.

Every failure the CLI reports is one of these: one clear sentence, no traceback.
The exit codes are part of the public contract (README, "Exit codes").
"""
from __future__ import annotations


class GaitError(Exception):
    """Base class: ``str(err)`` is the one sentence shown to the user."""

    exit_code = 1


class UsageError(GaitError):
    """Bad command-line option or option value."""

    exit_code = 2


class InputNotFound(GaitError):
    exit_code = 3


class NotAVideo(GaitError):
    """Not a video at all: text, still image, audio only, unknown container."""

    exit_code = 4


class CorruptVideo(GaitError):
    """A video container whose frames cannot be decoded (truncated, damaged, zero frames)."""

    exit_code = 5


class VideoTooShort(GaitError):
    exit_code = 6


class NoPersonFound(GaitError):
    exit_code = 7


class ModelNotFound(GaitError):
    exit_code = 8


class ModelChecksumMismatch(GaitError):
    exit_code = 9


class NotEnoughGait(GaitError):
    """A person was found but too few usable strides could be detected."""

    exit_code = 10


class OutputNotWritable(GaitError):
    """The output folder cannot be written (a file of that name, no permission, read-only, disk full)."""

    exit_code = 11


class CannotListen(GaitError):
    """``gait serve`` cannot listen on the address and port (in use, not this machine's, privileged)."""

    exit_code = 12


EXIT_CODES: dict[int, str] = {
    0: "success",
    1: "unexpected internal error (please report it)",
    2: "bad command-line usage or option value",
    3: "input file not found",
    4: "input is not a video (text, still image, audio only)",
    5: "video is corrupt, truncated or has no decodable frames",
    6: "video too short to hold four strides",
    7: "no person found in the video",
    8: "pose model not found",
    9: "pose model checksum mismatch",
    10: "too few strides could be detected to measure gait",
    11: "output folder cannot be written (a file, no permission, read-only, full)",
    12: "gait serve cannot listen on the address or port (e.g. already in use)",
    130: "interrupted",
}
