"""Person masks for the few template frames, from the pose landmarker's segmentation output.

Built from the same model bundle the user chose for the poses (so ``--model`` and
``--model-path`` reach it), run in IMAGE mode on a handful of downscaled frames,
with the native library's console chatter silenced like the pose stage's.
"""
from __future__ import annotations

import numpy as np

from gait.quiet import native_stderr_silenced


class PersonSegmenter:
    """Context manager: ``seg(bgr) -> float32 mask 0..1 of the same size, or None``."""

    def __init__(self, model_path: str):
        self.model_path = model_path
        self._lm = None
        self._mp = None
        self.error: str | None = None

    def __enter__(self) -> "PersonSegmenter":
        import mediapipe as mp
        from mediapipe.tasks.python import BaseOptions, vision

        opts = vision.PoseLandmarkerOptions(base_options=BaseOptions(model_asset_path=self.model_path),
                                            running_mode=vision.RunningMode.IMAGE, num_poses=1,
                                            output_segmentation_masks=True)
        with native_stderr_silenced():
            try:
                self._lm = vision.PoseLandmarker.create_from_options(opts)
                self._mp = mp
            except (RuntimeError, ValueError) as err:  # a bundle without the segmentation head
                self.error = str(err)
        return self

    def __call__(self, bgr: np.ndarray) -> np.ndarray | None:
        if self._lm is None:
            return None
        rgb = np.ascontiguousarray(bgr[:, :, ::-1])
        with native_stderr_silenced():
            res = self._lm.detect(self._mp.Image(image_format=self._mp.ImageFormat.SRGB, data=rgb))
        if not res.segmentation_masks:
            return None
        return np.asarray(res.segmentation_masks[0].numpy_view(), np.float32).reshape(bgr.shape[:2])

    def __exit__(self, *exc) -> None:
        if self._lm is not None:
            with native_stderr_silenced():
                self._lm.close()
            self._lm = None
