"""A metronome for the cadence cue: WAV (standard-library ``wave``) or FLAC (PyAV), sample-exact clicks.

FLAC is lossless, so the clicks land on exactly the same samples as in the WAV, and the
silence between them packs to almost nothing (a 60 s track at 22.05 kHz is about 110 kB; as a
44.1 kHz WAV it was 5.3 MB), and current browsers play it. 60 s holds a whole number of beats at any whole
beats-per-minute rate, so the track loops without a timing jump.
"""
from __future__ import annotations

import wave
from pathlib import Path

import numpy as np

CLICK_MS = 15.0  # short enough that clicks stay distinct up to ~240 beats/min
CLICK_HZ = 1000.0
ACCENT_HZ = 1500.0


def click_times_s(bpm: float, seconds: float) -> np.ndarray:
    """Onset of every beat that starts inside [0, seconds), in seconds."""
    if bpm <= 0 or seconds <= 0:
        raise ValueError("bpm and seconds must be positive")
    period = 60.0 / bpm
    return np.arange(0.0, seconds - 1e-9, period)


def _click(sample_rate: int, freq_hz: float, amplitude: float) -> np.ndarray:
    n = int(round(CLICK_MS / 1000.0 * sample_rate))
    t = np.arange(n) / sample_rate
    envelope = np.exp(-t / (CLICK_MS / 1000.0 / 5.0))  # fast decay: a tick, not a beep
    return amplitude * envelope * np.sin(2 * np.pi * freq_hz * t)


def metronome_samples(bpm: float, seconds: float = 60.0, sample_rate: int = 44100,
                      accent_every: int | None = None) -> np.ndarray:
    """Mono float samples in [-1, 1]: one click per beat (every `accent_every`-th beat accented)."""
    total = int(round(seconds * sample_rate))
    out = np.zeros(total, dtype=np.float64)
    plain, accent = _click(sample_rate, CLICK_HZ, 0.6), _click(sample_rate, ACCENT_HZ, 0.9)
    for i, t in enumerate(click_times_s(bpm, seconds)):
        click = accent if accent_every and i % accent_every == 0 else plain
        start = int(round(t * sample_rate))
        end = min(start + len(click), total)
        out[start:end] += click[: end - start]
    return out


def metronome_pcm(bpm: float, seconds: float = 60.0, sample_rate: int = 44100,
                  accent_every: int | None = None) -> np.ndarray:
    """The clicks as 16-bit mono samples (what both file formats store)."""
    samples = metronome_samples(bpm, seconds, sample_rate, accent_every)
    return np.clip(np.round(samples * 32767.0), -32768, 32767).astype("<i2")


def write_metronome(path: str | Path, bpm: float, seconds: float = 60.0, sample_rate: int = 22050,
                    accent_every: int | None = None) -> Path:
    """Write clicks at `bpm` as FLAC (``.flac``) or WAV (``.wav``), by the path's suffix; return the path."""
    p = Path(path)
    if p.suffix.lower() == ".wav":
        return write_metronome_wav(p, bpm, seconds, sample_rate, accent_every)
    if p.suffix.lower() != ".flac":
        raise ValueError(f"metronome: write .flac or .wav, not {p.suffix or 'no suffix'}")
    import av

    pcm = metronome_pcm(bpm, seconds, sample_rate, accent_every)
    with av.open(str(p), "w", format="flac") as container:
        stream = container.add_stream("flac", rate=sample_rate, layout="mono")
        stream.format = "s16"
        frame = av.AudioFrame.from_ndarray(pcm.reshape(1, -1), format="s16", layout="mono")
        frame.sample_rate = sample_rate
        for packet in [*stream.encode(frame), *stream.encode(None)]:
            container.mux(packet)
    return p


def write_metronome_wav(path: str | Path, bpm: float, seconds: float = 60.0,
                        sample_rate: int = 44100, accent_every: int | None = None) -> Path:
    """Write a 16-bit mono WAV of clicks at `bpm` (steps/min for the cadence cue); return the path.

    ``accent_every=2`` accents every second beat (e.g. the same foot each stride).
    """
    p = Path(path)
    pcm = metronome_pcm(bpm, seconds, sample_rate, accent_every)
    with wave.open(str(p), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(int(sample_rate))
        w.writeframes(pcm.tobytes())
    return p
