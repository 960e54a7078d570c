"""Metronome WAV: duration, sample rate and click count, detected from the samples."""
from __future__ import annotations

import math
import wave

import numpy as np
import pytest

from gait.findings import write_metronome_wav


def read_wav(path):
    with wave.open(str(path), "rb") as w:
        rate, n, ch, width = w.getframerate(), w.getnframes(), w.getnchannels(), w.getsampwidth()
        data = np.frombuffer(w.readframes(n), dtype="<i2").astype(np.float64) / 32767.0
    return rate, n, ch, width, data


def click_onsets(data: np.ndarray, rate: int) -> np.ndarray:
    """Sample indices where the signal first rises above a threshold after >= 30 ms of quiet."""
    loud = np.abs(data) > 0.05
    idx = np.flatnonzero(loud)
    if idx.size == 0:
        return idx
    gap = int(0.030 * rate)
    starts = [idx[0]] + [b for a, b in zip(idx[:-1], idx[1:]) if b - a > gap]
    return np.asarray(starts)


@pytest.mark.parametrize("bpm, seconds, rate", [(170, 60, 44100), (182, 10, 22050), (150.5, 7.3, 16000)])
def test_duration_rate_and_click_count(tmp_path, bpm, seconds, rate):
    out = write_metronome_wav(tmp_path / "m.wav", bpm, seconds=seconds, sample_rate=rate)
    assert out == tmp_path / "m.wav" and out.is_file()
    got_rate, n, ch, width, data = read_wav(out)
    assert (got_rate, ch, width) == (rate, 1, 2)
    assert n == round(seconds * rate)
    onsets = click_onsets(data, rate)
    assert len(onsets) == math.ceil(seconds * bpm / 60.0 - 1e-9)
    # evenly spaced at 60/bpm seconds
    spacing = np.diff(onsets) / rate
    assert np.allclose(spacing, 60.0 / bpm, atol=1.5 / rate + 1e-3)


def test_accent_every_second_beat(tmp_path):
    out = write_metronome_wav(tmp_path / "a.wav", 120, seconds=4, accent_every=2)
    rate, _, _, _, data = read_wav(out)
    onsets = click_onsets(data, rate)
    assert len(onsets) == 8
    peaks = [np.max(np.abs(data[o:o + int(0.015 * rate)])) for o in onsets]
    assert all(peaks[i] > peaks[i + 1] * 1.2 for i in range(0, 8, 2))


def test_rejects_nonsense(tmp_path):
    with pytest.raises(ValueError):
        write_metronome_wav(tmp_path / "x.wav", 0)


def read_flac(path):
    import av

    with av.open(str(path)) as c:
        rate = c.streams.audio[0].rate
        data = np.concatenate([f.to_ndarray().ravel() for f in c.decode(audio=0)])
    return rate, data


@pytest.mark.parametrize("bpm", [150, 181, 199])
def test_flac_is_small_and_sample_exact(tmp_path, bpm):
    from gait.findings import write_metronome
    from gait.findings.metronome import metronome_pcm

    out = write_metronome(tmp_path / "m.flac", bpm, seconds=60)
    assert out.stat().st_size <= 300_000  # the WAV it replaces was 5.3 MB
    rate, data = read_flac(out)
    assert data.dtype == np.int16 and len(data) == 60 * rate
    assert np.array_equal(data, metronome_pcm(bpm, 60, rate))  # lossless: every click on its own sample
    onsets = click_onsets(data.astype(np.float64) / 32767.0, rate)
    assert len(onsets) == bpm  # a whole number of beats in 60 s: the loop has no timing jump
    assert np.allclose(np.diff(onsets) / rate, 60.0 / bpm, atol=1.5 / rate + 1e-3)


def test_metronome_format_by_suffix(tmp_path):
    from gait.findings import write_metronome

    wav = write_metronome(tmp_path / "m.wav", 170, seconds=2, sample_rate=22050)
    assert read_wav(wav)[0] == 22050
    with pytest.raises(ValueError):
        write_metronome(tmp_path / "m.mp3", 170)
