"""A corpus of awkward inputs, built at test time, each through the real `gait analyze` command: the exit
code, one sentence on stderr naming the user's file, and for the clips that should work, what result.json
says (rotation, frame rate, who was tracked). The ones needing pose estimation are marked slow."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from cli_support import one_sentence, run_cli
from conftest import PHANTOM
from test_foundation_video import _audio_mp4

from tests.media import (
    frame_with_marker,
    noise_clip,
    phantom_frames,
    set_mp4_rotation,
    write_frames,
    write_png,
    write_wav,
)

SIDE = PHANTOM / "side_right_drop4_169spm_60fps.mp4"  # landmarks cached
CADENCE = 169.0  # the phantom clips used below (rear_drop0, rear_drop8, side_right_drop4) run at 169 steps/min
CADENCE_TOLERANCE = 3.0


def _markers(n: int, w: int = 320, h: int = 180) -> list[np.ndarray]:
    return [frame_with_marker(i, w, h) for i in range(n)]


def _cut(src: Path, dest: Path, keep: float) -> Path:
    data = src.read_bytes()
    dest.write_bytes(data[: int(len(data) * keep)])
    return dest


def _without_moov(src: Path, dest: Path) -> Path:
    """Every frame's bytes but no index box: what a phone that died while recording leaves. (Renaming the
    box would not do: FFmpeg finds an index hidden in a 'free' box.)"""
    data = src.read_bytes()
    dest.write_bytes(data[:data.rfind(b"moov") - 4])
    return dest


def _fast_case(name: str, d: Path) -> Path:
    """Inputs refused before pose estimation (each a second or two)."""
    if name == "text":
        (d / "notes.mp4").write_text("this is not a video\n" * 50)
        return d / "notes.mp4"
    if name == "empty":
        (d / "empty.mp4").write_bytes(b"")
        return d / "empty.mp4"
    if name == "cut, index at the end":
        return _cut(write_frames(d / "full.mp4", _markers(362)), d / "cut_end.mp4", 0.4)
    if name == "cut, index in front":
        return _cut(write_frames(d / "full.mp4", _markers(362), faststart=True), d / "cut_front.mp4", 0.3)
    if name == "no moov":
        return _without_moov(write_frames(d / "full.mp4", _markers(150)), d / "no_moov.mp4")
    if name == "audio only":
        return _audio_mp4(d / "voice memo.m4a")
    if name == "audio wav":
        return write_wav(d / "sound.wav")
    if name == "still image":
        return write_png(d / "photo.png")
    if name == "1 frame":
        return write_frames(d / "one.mp4", _markers(1))
    if name == "2 s":
        return write_frames(d / "two_seconds.mp4", _markers(60))
    raise KeyError(name)


FAST = {"text": (4, "notes.mp4 could not be opened as a video"),
        "empty": (5, "empty.mp4 is empty (0 bytes)"),
        "cut, index at the end": (5, "cut_end.mp4 is a video container that cannot be read"),
        "cut, index in front": (5, "cut_front.mp4 is truncated: only "),
        "no moov": (5, "no_moov.mp4 is a video container that cannot be read"),
        "audio only": (4, "voice memo.m4a holds audio only"),
        "audio wav": (4, "sound.wav holds audio only"),
        "still image": (4, "photo.png is a still image"),
        "1 frame": (4, "one.mp4 holds a single frame"),
        "2 s": (6, "two_seconds.mp4 is 2.0 s long; at least 3.5 s are needed")}


@pytest.mark.parametrize("case", list(FAST))
def test_refused_before_pose_estimation(tmp_path, case):
    code, says = FAST[case]
    proc = run_cli("analyze", _fast_case(case, tmp_path), "--out", tmp_path / "out", "--quiet")
    assert proc.returncode == code, proc.stderr
    assert one_sentence(proc.stderr).startswith(f"gait: error: {says}")
    assert not (tmp_path / "out" / "result.json").exists()


def test_a_file_cut_behind_its_front_index_says_how_much_is_readable(tmp_path):
    proc = run_cli("analyze", _fast_case("cut, index in front", tmp_path), "--quiet")
    line = one_sentence(proc.stderr)
    n, seconds = int(line.split("only ")[1].split()[0]), float(line.split("frames (")[1].split()[0])
    assert 0 < n < 362 and seconds == pytest.approx(n / 30, abs=0.05), line  # the readable part, at 30 fps
    assert line.endswith(f"of 362 frames ({seconds:.1f} of 12.1 s) are readable; copy the whole file from the "
                         f"camera again."), line


@pytest.mark.parametrize("name", ["løb på bånd.mp4", "  spaced  out .mp4", "-starts-with-dash.mp4"])
def test_unicode_space_and_leading_dash_names_analyse(tmp_path, name):
    clip = tmp_path / name
    shutil.copy(SIDE, clip)
    arg = ["--", name] if name.startswith("-") else [name]
    proc = run_cli("analyze", "--out", "res", "--no-report", *arg, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith(f"{name}: filmed from the runner's right side")
    assert json.loads((tmp_path / "res" / "result.json").read_text())["video"]["absolute_path"] == str(clip)


# --- clips that need pose estimation ---------------------------------------------------------------------


def _analyse(tmp_path: Path, clip: Path) -> tuple[int, str, dict | None]:
    out = tmp_path / "out"
    proc = run_cli("analyze", clip, "--out", out, "--quiet", "--no-report")
    result = json.loads((out / "result.json").read_text()) if (out / "result.json").is_file() else None
    return proc.returncode, proc.stderr, result


@pytest.mark.slow
def test_nobody_in_view_is_exit_7(tmp_path):
    code, err, _ = _analyse(tmp_path, noise_clip(tmp_path / "empty room.mp4", 4.3))
    assert code == 7 and one_sentence(err) == ("gait: error: No person was found in any of the 129 frames of "
                                               "empty room.mp4.")


@pytest.mark.slow
def test_hevc_decodes_or_is_named_as_undecodable(tmp_path):
    import av

    if "libx265" not in av.codecs_available:
        pytest.skip("this PyAV build cannot encode HEVC (libx265); the undecodable-codec sentence is "
                    "'<name> uses the hevc video codec, which this installation cannot decode' (exit 5)")
    rng = np.random.default_rng(0)
    clip = write_frames(tmp_path / "iphone.mp4", [rng.integers(90, 110, (96, 160, 3), dtype=np.uint8)
                                                  for _ in range(130)], codec="libx265")
    code, err, _ = _analyse(tmp_path, clip)
    if code == 5:  # an OpenCV build without an HEVC decoder
        assert "uses the hevc video codec, which this installation cannot decode" in one_sentence(err)
    else:  # decoded all the way to pose estimation: nobody in this noise
        assert code == 7 and "No person was found in any of the 130 frames of iphone.mp4" in one_sentence(err)


@pytest.mark.slow
def test_portrait_phone_clip_is_analysed_upright(tmp_path):
    """Stored sideways with a 90° rotation flag, as phones write portrait video."""
    upright = phantom_frames(PHANTOM / "rear_drop0_169spm_60fps.mp4", 6, crop=(0.34, 0.66), width=270)
    clip = set_mp4_rotation(write_frames(tmp_path / "portrait.mp4",
                                         [np.ascontiguousarray(np.rot90(f)) for f in upright]), 90)
    code, err, r = _analyse(tmp_path, clip)
    assert code == 0, err
    assert (r["video"]["rotation"], r["video"]["width"] < r["video"]["height"], r["view"]) == (90, True, "rear")
    assert abs(r["summary"]["cadence_spm"] - CADENCE) < CADENCE_TOLERANCE


@pytest.mark.slow
def test_variable_frame_rate_is_detected_and_fps_is_the_median_interval(tmp_path):
    """Frames 1-3 ticks of 60 fps apart, irregularly, with their true times (a phone under load)."""
    frames = phantom_frames(PHANTOM / "rear_drop8_169spm_60fps.mp4", 7, every=1)
    rng = np.random.default_rng(1)
    keep, i = [], 0
    while i < len(frames):
        keep.append(i)
        i += int(rng.choice([1, 2, 2, 3]))
    clip = write_frames(tmp_path / "phone.mp4", [frames[k] for k in keep], [round(k * 1000 / 60) for k in keep])
    code, err, r = _analyse(tmp_path, clip)
    assert code == 0, err
    med = float(np.median(np.diff([round(k * 1000 / 60) for k in keep]))) / 1000
    assert r["video"]["variable_frame_rate"] is True and r["video"]["frames"] == len(keep)
    assert r["video"]["fps"] == pytest.approx(1 / med, rel=1e-3)  # not frames/duration (the header's average)
    assert abs(r["summary"]["cadence_spm"] - CADENCE) < CADENCE_TOLERANCE  # the timestamps are right


@pytest.mark.slow
def test_a_runner_leaving_the_frame_is_analysed_while_in_view(tmp_path):
    import cv2

    frames = phantom_frames(SIDE, 8)
    n, moved = len(frames), []
    for k, f in enumerate(frames):  # in view for 55 % of the clip, then out to the right within 30 %
        dx = int(min(max(0.0, (k - 0.55 * n) / (0.3 * n)), 1.0) * (f.shape[1] + 10))
        moved.append(cv2.warpAffine(f, np.float32([[1, 0, dx], [0, 1, 0]]), f.shape[1::-1],
                                    borderValue=(128, 128, 128)))
    code, err, r = _analyse(tmp_path, write_frames(tmp_path / "leaving.mp4", moved))
    assert code == 0, err
    assert any(w.startswith("The runner is tracked only from 0.0 s") for w in r["quality"]["warnings"]), r["quality"]
    assert abs(r["summary"]["cadence_spm"] - CADENCE) < CADENCE_TOLERANCE


@pytest.mark.slow
def test_two_people_in_view_one_runner_is_followed_and_it_says_so(tmp_path):
    a = phantom_frames(PHANTOM / "rear_drop0_169spm_60fps.mp4", 6)
    b = phantom_frames(PHANTOM / "rear_asymL10R3_176spm_60fps.mp4", 6)
    code, err, r = _analyse(tmp_path, write_frames(tmp_path / "two.mp4", [np.hstack(p) for p in zip(a, b)]))
    assert code == 0, err
    assert r["quality"]["tracking"].startswith("2 people were in view; followed")
    assert min(abs(r["summary"]["cadence_spm"] - c) for c in (169.0, 176.0)) < CADENCE_TOLERANCE
