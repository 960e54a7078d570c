"""A metronome WAV for the cadence cue (numpy + the standard-library ``wave`` module)."""
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


def write_metronome_wav(path: str | Path, bpm: float, seconds: float = 60.0,
                        sample_rate: int = 44100, accent_every: int | None = None) -> Path:
    """Write a 16-bit mono WAV of clicks at `bpm` (steps/min for the cadence cue); return the path.

    ``accent_every=2`` accents every second beat (e.g. the same foot each stride).
    """
    p = Path(path)
    samples = metronome_samples(bpm, seconds, sample_rate, accent_every)
    pcm = np.clip(np.round(samples * 32767.0), -32768, 32767).astype("<i2")
    with wave.open(str(p), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(int(sample_rate))
        w.writeframes(pcm.tobytes())
    return p
