"""Per-frame pelvis crops kept on disk during one analysis, so memory stays flat in clip length.

One decode pass writes a prepared grey crop per frame; registration reads them
back in order, chunk by chunk. The file is an anonymous temporary file: it
disappears when closed, and with the process (also on a kill).
"""
from __future__ import annotations

import tempfile
from dataclasses import dataclass, field

import numpy as np

from gait.pelvis.geometry import Box

CHUNK_FRAMES = 256  # frames read back at a time (~4 MB at the working resolution)


@dataclass
class CropStore:
    width: int
    height: int
    frame_index: list[int] = field(default_factory=list)
    t_s: list[float] = field(default_factory=list)
    boxes: list[Box] = field(default_factory=list)

    def __post_init__(self):
        self._file = tempfile.TemporaryFile(prefix="gait-pelvis-")
        self._record = self.width * self.height

    def __len__(self) -> int:
        return len(self.frame_index)

    def append(self, frame_index: int, t_s: float, box: Box, crop: np.ndarray) -> None:
        assert crop.shape == (self.height, self.width) and crop.dtype == np.uint8
        self._file.seek(len(self) * self._record)
        self._file.write(np.ascontiguousarray(crop).tobytes())
        self.frame_index.append(int(frame_index))
        self.t_s.append(float(t_s))
        self.boxes.append(box)

    def read(self, k: int) -> np.ndarray:
        """The k-th stored crop."""
        self._file.seek(k * self._record)
        return np.frombuffer(self._file.read(self._record), np.uint8).reshape(self.height, self.width)

    def chunks(self):
        """Yield (first k, crops (n, h, w)) over the whole store, in order."""
        for k0 in range(0, len(self), CHUNK_FRAMES):
            n = min(CHUNK_FRAMES, len(self) - k0)
            self._file.seek(k0 * self._record)
            buf = np.frombuffer(self._file.read(n * self._record), np.uint8)
            yield k0, buf.reshape(n, self.height, self.width)

    def close(self) -> None:
        self._file.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
