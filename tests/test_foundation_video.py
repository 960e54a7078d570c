"""Video in: container timestamps, rotation, and one clear sentence + exit code for each bad input."""
from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from gait.cli import main
from gait.errors import EXIT_CODES
from gait.video import iter_frames, probe
from tests.conftest import PHANTOM
from tests.media import set_mp4_rotation, write_png, write_video_pts, write_wav


def test_variable_frame_rate_timestamps_come_from_the_container(tmp_path):
    # Irregular gaps, as a phone writes them: index/fps would be wrong by up to 100 ms here.
    pts = [0, 33, 50, 100, 133, 200, 216, 300, 333, 400, 433, 566, 600]
    clip = write_video_pts(tmp_path / "vfr.mp4", pts)
    got = [round(t * 1000) for _, t, _ in iter_frames(clip)]
    assert got == pts
    info = probe(clip, min_duration_s=0.1)
    assert info.variable_frame_rate
    assert info.frames == len(pts)


def test_constant_frame_rate_is_not_flagged_variable():
    info = probe(PHANTOM / "rear_drop0_169spm_60fps.mp4")
    assert not info.variable_frame_rate
    assert (info.fps, info.frames, info.width, info.height, info.rotation) == (60.0, 600, 1280, 720, 0)
    assert info.duration_s == pytest.approx(10.0, abs=0.02)


@pytest.mark.parametrize("degrees", [90, 270])
def test_rotation_metadata_is_honoured(tmp_path, degrees):
    clip = write_video_pts(tmp_path / "landscape.mp4", list(range(0, 400, 33)), w=160, h=96)
    set_mp4_rotation(clip, degrees)
    info = probe(clip, min_duration_s=0.1)
    assert info.rotation == degrees
    assert (info.width, info.height) == (96, 160)  # portrait once upright
    _, _, frame = next(iter(iter_frames(clip)))
    assert frame.shape[:2] == (160, 96)
    # The bright marker sat top-left; clockwise 90 puts it top-right, 270 bottom-left.
    corners = {"tl": frame[3, 3].mean(), "tr": frame[3, -4].mean(), "bl": frame[-4, 3].mean()}
    assert max(corners, key=corners.get) == {90: "tr", 270: "bl"}[degrees]


def _run(capsys, *argv):
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.err.strip()


def _audio_mp4(path: Path) -> Path:
    import av

    with av.open(str(path), "w") as out:
        s = out.add_stream("aac", rate=16000)
        frame = av.AudioFrame.from_ndarray(np.zeros((1, 1024), np.float32), format="fltp", layout="mono")
        frame.sample_rate = 16000
        for i in range(80):
            frame.pts = i * 1024
            frame.time_base = Fraction(1, 16000)
            for pkt in s.encode(frame):
                out.mux(pkt)
        for pkt in s.encode():
            out.mux(pkt)
    return path


def _bad_inputs(tmp: Path) -> dict[str, tuple[Path, int, str]]:
    text = tmp / "notes.mp4"
    text.write_text("this is not a video\n" * 50)
    truncated = tmp / "truncated.mp4"
    truncated.write_bytes((PHANTOM / "rear_drop0_169spm_60fps.mp4").read_bytes()[:2000])
    empty = tmp / "empty.mp4"
    empty.write_bytes(b"")
    short = write_video_pts(tmp / "short.mp4", list(range(0, 1000, 33)))
    noise = tmp / "nobody.mp4"
    rng = np.random.default_rng(0)
    import cv2

    w = cv2.VideoWriter(str(noise), cv2.VideoWriter_fourcc(*"mp4v"), 30, (160, 96))
    for _ in range(130):  # 4.3 s of grey noise: long enough, but nobody in it
        w.write(rng.integers(90, 110, (96, 160, 3), dtype=np.uint8))
    w.release()
    return {
        "missing": (tmp / "nope.mp4", 3, "No such file"),
        "folder": (tmp, 4, "is a folder"),
        "text": (text, 4, "could not be opened as a video"),
        "still image": (write_png(tmp / "photo.png"), 4, "still image"),
        "audio wav": (write_wav(tmp / "sound.wav"), 4, "audio only"),
        "audio mp4": (_audio_mp4(tmp / "sound.m4a"), 4, "audio only"),
        "empty": (empty, 5, "empty"),
        "truncated": (truncated, 5, "no decodable frames"),
        "too short": (short, 6, "at least 3.5 s"),
        "no person": (noise, 7, "No person was found"),
    }


@pytest.mark.parametrize("case", ["missing", "folder", "text", "still image", "audio wav", "audio mp4", "empty",
                                  "truncated", "too short", "no person"])
def test_bad_input_gives_one_sentence_and_documented_exit_code(tmp_path, capsys, case):
    path, code, phrase = _bad_inputs(tmp_path)[case]
    got_code, err = _run(capsys, "analyze", str(path), "--out", str(tmp_path / "out"), "--quiet")
    assert got_code == code, err
    assert code in EXIT_CODES
    assert phrase in err
    assert "Traceback" not in err and len(err.splitlines()) == 1


def test_bad_option_values_are_usage_errors(tmp_path, capsys):
    code, err = _run(capsys, "analyze", str(PHANTOM / "rear_drop0_169spm_60fps.mp4"), "--belt-speed", "fast")
    assert code == 2 and "not a speed" in err
    code, err = _run(capsys, "analyze", str(PHANTOM / "rear_drop0_169spm_60fps.mp4"), "--belt-speed", "90",
                     "--out", str(tmp_path))
    assert code == 2 and "outside 0.3–12 m/s" in err


def test_belt_speed_units():
    from gait.cli_options import parse_speed

    assert parse_speed("12") == pytest.approx(12 / 3.6)
    assert parse_speed("12kmh") == pytest.approx(12 / 3.6)
    assert parse_speed("3.5mps") == pytest.approx(3.5)
    assert parse_speed("3.5 m/s") == pytest.approx(3.5)


def test_cli_process_prints_only_the_sentence(tmp_path):
    """The installed command, as a user runs it: native decoder chatter must not leak to stderr."""
    import subprocess
    import sys

    bad = tmp_path / "truncated.mp4"
    bad.write_bytes((PHANTOM / "rear_drop0_169spm_60fps.mp4").read_bytes()[:2000])
    proc = subprocess.run([sys.executable, "-m", "gait.cli", "analyze", str(bad), "--quiet"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 5
    assert proc.stderr.strip().splitlines() == [
        "gait: error: truncated.mp4 is a video container that cannot be read: it has no decodable frames "
        "(truncated or corrupt file)."]


def test_probe_reports_variable_frame_rate_and_the_median_rate_without_decoding(tmp_path):
    """What `gait analyze` now sees (it used to skip the walk: VFR false, fps = the header's average)."""
    import cv2

    rng = np.random.default_rng(3)
    gaps = rng.choice([33, 33, 33, 33, 67, 100], size=150)  # a 30 fps phone dropping frames under load
    pts = [0, *np.cumsum(gaps).tolist()]
    clip = write_video_pts(tmp_path / "phone.mp4", pts)
    header_fps = cv2.VideoCapture(str(clip)).get(cv2.CAP_PROP_FPS)
    info = probe(clip)
    assert info.variable_frame_rate and info.frames == len(pts)
    assert info.fps == pytest.approx(1000 / 33, rel=1e-3) and abs(header_fps - info.fps) > 0.5
    assert info.absolute_path == str(clip)
