"""Per-frame pelvis crops kept on disk during one analysis, so memory stays flat in clip length.

The decode pass writes a prepared grey crop per frame; registration reads them back
in order, chunk by chunk. A chunk estimated in another process writes its own file
(``StoreRef``); the parent reads the files as one store. A store with no folder of its
own is an anonymous temporary file: it disappears when closed, and with the process.
"""
from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass

import numpy as np

from gait.pelvis.geometry import Box

CHUNK_FRAMES = 256  # frames read back at a time (~4 MB at the working resolution)


@dataclass(frozen=True)
class StoreRef:
    """A finished store file and its rows (picklable: it crosses process boundaries)."""

    path: str
    width: int
    height: int
    frame_index: tuple[int, ...]
    t_s: tuple[float, ...]
    boxes: tuple[Box, ...]


class CropStore:
    """Append-only crops (uint8, height x width) with their frame index, time and search box."""

    def __init__(self, width: int, height: int, folder: str | None = None):
        self.width, self.height = width, height
        self.frame_index: list[int] = []
        self.t_s: list[float] = []
        self.boxes: list[Box] = []
        self._record = width * height
        if folder is None:
            self._files, self._path = [tempfile.TemporaryFile(prefix="gait-pelvis-")], None
        else:
            fd, self._path = tempfile.mkstemp(prefix="crops-", dir=folder)
            self._files = [os.fdopen(fd, "w+b")]
        self._counts = [0]

    @classmethod
    def joined(cls, refs: list[StoreRef]) -> "CropStore":
        """One read-only store over the files of several chunks, in their order."""
        st = cls.__new__(cls)
        st.width, st.height = refs[0].width, refs[0].height
        st._record, st._path = st.width * st.height, None
        st._files = [open(r.path, "rb") for r in refs]
        st._counts = [len(r.frame_index) for r in refs]
        st.frame_index = [f for r in refs for f in r.frame_index]
        st.t_s = [t for r in refs for t in r.t_s]
        st.boxes = [b for r in refs for b in r.boxes]
        return st

    def __len__(self) -> int:
        return len(self.frame_index)

    def append(self, frame_index: int, t_s: float, box: Box, crop: np.ndarray) -> None:
        assert crop.shape == (self.height, self.width) and crop.dtype == np.uint8
        f = self._files[-1]
        f.seek(self._counts[-1] * self._record)
        f.write(np.ascontiguousarray(crop).tobytes())
        self._counts[-1] += 1
        self.frame_index.append(int(frame_index))
        self.t_s.append(float(t_s))
        self.boxes.append(box)

    def _locate(self, k: int) -> tuple[object, int]:
        for f, n in zip(self._files, self._counts):
            if k < n:
                return f, k
            k -= n
        raise IndexError(k)

    def read(self, k: int) -> np.ndarray:
        """The k-th stored crop."""
        f, j = self._locate(k)
        f.seek(j * self._record)
        return np.frombuffer(f.read(self._record), np.uint8).reshape(self.height, self.width)

    def chunks(self, first: int = 0, stop: int | None = None):
        """Yield (first k, crops (n, h, w)) over rows [first, stop), in order."""
        stop = len(self) if stop is None else stop
        for k0 in range(first, stop, CHUNK_FRAMES):
            n = min(CHUNK_FRAMES, stop - k0)
            yield k0, np.stack([self.read(k) for k in range(k0, k0 + n)]) if len(self._files) > 1 \
                else self._read_run(k0, n)

    def _read_run(self, k0: int, n: int) -> np.ndarray:
        f = self._files[0]
        f.seek(k0 * self._record)
        return np.frombuffer(f.read(n * self._record), np.uint8).reshape(n, self.height, self.width)

    def ref(self) -> StoreRef:
        """Hand the finished file to another process (only for a store made in a folder)."""
        assert self._path is not None, "an anonymous store cannot be handed on"
        self._files[0].flush()
        return StoreRef(self._path, self.width, self.height, tuple(self.frame_index), tuple(self.t_s),
                        tuple(self.boxes))

    def close(self) -> None:
        for f in self._files:
            f.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
