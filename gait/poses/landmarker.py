"""MediaPipe's PoseLandmarker (Tasks API, VIDEO mode) on one frame at a time -> the people in that frame."""
from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from gait.poses.landmarks import N_LANDMARKS
from gait.quiet import native_stderr_silenced

DETECTION_CONFIDENCE = 0.5  # MediaPipe's defaults: below these a detection / track is dropped
PRESENCE_CONFIDENCE = 0.5
TRACKING_CONFIDENCE = 0.5
# One tracked pose is smoothed by MediaPipe's landmark filter, whose strength falls with the time between
# frames: its hips then lag the truth by 1.4-1.8 frames (phantoms). Timestamps this many times further apart
# leave the filter nothing to smooth (lag 0.3 frames on rear_drop8) while the tracker still follows the runner.
UNSMOOTHED_TIME_SCALE = 1000.0


@dataclass(frozen=True)
class FramePeople:
    """Everyone found in one frame: arrays indexed [person, landmark, ...]; pixels in the upright frame."""

    xy: np.ndarray  # (K, 33, 2) px, x right, y down
    z: np.ndarray  # (K, 33) MediaPipe relative depth (image-x scale)
    visibility: np.ndarray  # (K, 33)
    presence: np.ndarray  # (K, 33)
    world: np.ndarray  # (K, 33, 3) metres, hip-centred
    soles: np.ndarray | None = None  # (K, 2, 2) per person: left/right sole point (x, y) px (gait.poses.feet)
    masks: np.ndarray | None = None  # (K, H, W) person probability, from a Landmarker made with masks=True

    def __len__(self) -> int:
        return len(self.xy)

    @classmethod
    def none(cls) -> "FramePeople":
        return cls(np.zeros((0, N_LANDMARKS, 2), np.float32), np.zeros((0, N_LANDMARKS), np.float32),
                   np.zeros((0, N_LANDMARKS), np.float32), np.zeros((0, N_LANDMARKS), np.float32),
                   np.zeros((0, N_LANDMARKS, 3), np.float32))


def _people(res, w: int, h: int, masks: bool) -> FramePeople:
    k = len(res.pose_landmarks)
    if k == 0:
        empty = FramePeople.none()
        return empty
    arr = np.array([[[q.x, q.y, q.z, q.visibility or 0.0, q.presence or 0.0] for q in pose]
                    for pose in res.pose_landmarks], np.float32)
    world = np.full((k, N_LANDMARKS, 3), np.nan, np.float32)
    for p, wl in enumerate(res.pose_world_landmarks[:k]):
        world[p] = [[q.x, q.y, q.z] for q in wl]
    xy = arr[..., :2] * np.array([w, h], np.float32)
    return FramePeople(xy, arr[..., 2] * w, arr[..., 3], arr[..., 4], world,
                       masks=np.array([mask_array(m) for m in res.segmentation_masks[:k]]) if masks else None)


def mask_array(mask) -> np.ndarray:
    """A MediaPipe segmentation mask as a float (H, W) array."""
    m = np.asarray(mask.numpy_view(), dtype=np.float32)
    return m[..., 0] if m.ndim == 3 else m


class Landmarker:
    """Context manager: ``lm(bgr, t_s) -> FramePeople`` for consecutive frames of one clip (VIDEO mode)."""

    def __init__(self, model_path: str, num_poses: int, video_mode: bool = True, masks: bool = False,
                 smoothed: bool = True):
        self.model_path, self.num_poses, self.video_mode, self.masks = model_path, num_poses, video_mode, masks
        self._time_scale = 1.0 if smoothed else UNSMOOTHED_TIME_SCALE
        self._lm = self._mp = None
        self._last_ms = -1

    def __enter__(self) -> "Landmarker":
        import mediapipe as mp
        from mediapipe.tasks.python import BaseOptions, vision

        mode = vision.RunningMode.VIDEO if self.video_mode else vision.RunningMode.IMAGE
        opts = vision.PoseLandmarkerOptions(base_options=BaseOptions(model_asset_path=self.model_path),
                                            running_mode=mode, num_poses=self.num_poses,
                                            min_pose_detection_confidence=DETECTION_CONFIDENCE,
                                            min_pose_presence_confidence=PRESENCE_CONFIDENCE,
                                            min_tracking_confidence=TRACKING_CONFIDENCE,
                                            output_segmentation_masks=self.masks)
        with native_stderr_silenced():
            self._lm = vision.PoseLandmarker.create_from_options(opts)
        self._mp = mp
        return self

    def __call__(self, bgr: np.ndarray, t_s: float) -> FramePeople:
        h, w = bgr.shape[:2]
        img = self._mp.Image(image_format=self._mp.ImageFormat.SRGB, data=cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB))
        with native_stderr_silenced():
            if not self.video_mode:
                return _people(self._lm.detect(img), w, h, self.masks)
            # VIDEO mode: strictly increasing ms
            ms = max(int(round(t_s * 1000.0 * self._time_scale)), self._last_ms + 1)
            self._last_ms = ms
            return _people(self._lm.detect_for_video(img, ms), w, h, self.masks)

    def __exit__(self, *exc) -> None:
        if self._lm is not None:
            with native_stderr_silenced():
                self._lm.close()
            self._lm = None
