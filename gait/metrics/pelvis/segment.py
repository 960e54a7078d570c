"""Person mask for the template frames, from MediaPipe's pose landmarker segmentation output.

The pelvis templates must contain the body (and its outline) but not the static
background behind it: a treadmill console or a wall edge crossing the band is a
strong horizontal line that does not roll with the pelvis and pulls the angle to
zero. Only the few template frames are segmented (IMAGE mode), so the cost is a
fraction of a second. If MediaPipe or its model is unavailable, the caller falls
back to GrabCut seeded by the landmarks.
"""
from __future__ import annotations

import cv2
import numpy as np

from gait.poses.quiet import native_stderr_silenced


class PersonSegmenter:
    """Context manager: ``seg(bgr) -> float32 mask 0..1 (same size) or None``."""

    def __init__(self, model_name: str = "full"):
        self._lm = None
        self._mp = None
        try:
            import mediapipe as mp
            from mediapipe.tasks.python import BaseOptions, vision

            from gait.poses import resolve_model

            model = resolve_model(model_name, None)
            opts = vision.PoseLandmarkerOptions(base_options=BaseOptions(model_asset_path=model.path),
                                                running_mode=vision.RunningMode.IMAGE, num_poses=1,
                                                output_segmentation_masks=True)
            self._mp = mp
            with native_stderr_silenced():  # TFLite/MediaPipe banners would break --quiet and batch progress bars
                self._lm = vision.PoseLandmarker.create_from_options(opts)
        except Exception:  # no model / no mediapipe: GrabCut fallback
            self._lm = None

    @property
    def available(self) -> bool:
        return self._lm is not None

    def __call__(self, bgr: np.ndarray) -> np.ndarray | None:
        if self._lm is None:
            return None
        try:
            rgb = np.ascontiguousarray(bgr[:, :, ::-1])
            with native_stderr_silenced():  # the first detect() logs its feedback-tensor warnings
                res = self._lm.detect(self._mp.Image(image_format=self._mp.ImageFormat.SRGB, data=rgb))
            if not res.segmentation_masks:
                return None
            return np.asarray(res.segmentation_masks[0].numpy_view(), np.float32).reshape(bgr.shape[:2])
        except Exception:
            return None

    def close(self) -> None:
        if self._lm is not None:
            try:
                with native_stderr_silenced():
                    self._lm.close()
            except Exception:
                pass
            self._lm = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def mask_to_crop(mask_small: np.ndarray, small_scale: float, box: tuple[int, int, int, int],
                 crop_wh: tuple[int, int]) -> np.ndarray:
    """Resample a mask of the downscaled full frame into a search crop's pixels (uint8 0/255)."""
    x0, y0, x1, _ = box
    z = crop_wh[0] / (x1 - x0)  # crop px per frame px
    # crop (u, v) -> small frame (s*(x0 + u/z), s*(y0 + v/z))
    M = np.array([[small_scale / z, 0, small_scale * x0], [0, small_scale / z, small_scale * y0]], np.float32)
    m = cv2.warpAffine(mask_small, M, crop_wh, flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP,
                       borderMode=cv2.BORDER_CONSTANT, borderValue=0)
    return np.where(m > 0.5, 255, 0).astype(np.uint8)
