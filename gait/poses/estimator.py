"""Run MediaPipe's PoseLandmarker (Tasks API, VIDEO mode) over a clip -> PoseSeries."""
from __future__ import annotations

import os
from typing import Callable

import numpy as np

from gait.errors import NoPersonFound
from gait.poses.landmarks import N_LANDMARKS
from gait.poses.models import ModelInfo
from gait.poses.quiet import native_stderr_silenced
from gait.poses.series import PoseSeries
from gait.poses.tracking import bbox_of, choose_runner
from gait.video.reader import VideoInfo, iter_frames

Progress = Callable[[float], None]


def landmarker(model: ModelInfo, num_poses: int, masks: bool = False):
    """(mediapipe module, PoseLandmarker in VIDEO mode); ``masks`` adds the person segmentation."""
    import mediapipe as mp
    from mediapipe.tasks.python import BaseOptions
    from mediapipe.tasks.python import vision

    opts = vision.PoseLandmarkerOptions(
        base_options=BaseOptions(model_asset_path=model.path),
        running_mode=vision.RunningMode.VIDEO,
        num_poses=num_poses,
        min_pose_detection_confidence=0.5,
        min_pose_presence_confidence=0.5,
        min_tracking_confidence=0.5,
        output_segmentation_masks=masks,
    )
    return mp, vision.PoseLandmarker.create_from_options(opts)


def estimate_poses(video: VideoInfo, model: ModelInfo, *, num_poses: int = 2,
                   progress: Progress | None = None) -> PoseSeries:
    """Landmarks of the runner in every frame of ``video``.

    ``num_poses`` > 1 lets a bystander be told apart from the runner (see tracking);
    frames where nobody is found are NaN.
    """
    with native_stderr_silenced():
        return _estimate(video, model, num_poses, progress)


def _estimate(video: VideoInfo, model: ModelInfo, num_poses: int, progress: Progress | None) -> PoseSeries:
    mp, lm = landmarker(model, num_poses)
    t_list, fi_list, boxes = [], [], []
    per_frame: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = []
    last_ms = -1
    with lm:
        for i, t_s, bgr in iter_frames(video.path):
            h, w = bgr.shape[:2]
            rgb = np.ascontiguousarray(bgr[:, :, ::-1])  # mp.Image needs contiguous RGB
            ts_ms = max(int(round(t_s * 1000.0)), last_ms + 1)  # VIDEO mode: strictly increasing ms
            last_ms = ts_ms
            res = lm.detect_for_video(mp.Image(image_format=mp.ImageFormat.SRGB, data=rgb), ts_ms)
            k = len(res.pose_landmarks)
            xy = np.full((k, N_LANDMARKS, 2), np.nan); z = np.full((k, N_LANDMARKS), np.nan)
            vis = np.zeros((k, N_LANDMARKS)); pres = np.zeros((k, N_LANDMARKS))
            wxyz = np.full((k, N_LANDMARKS, 3), np.nan)
            for p, pose in enumerate(res.pose_landmarks):
                arr = np.array([[q.x, q.y, q.z, q.visibility or 0.0, q.presence or 0.0] for q in pose])
                xy[p] = arr[:, :2] * (w, h); z[p] = arr[:, 2] * w
                vis[p] = arr[:, 3]; pres[p] = arr[:, 4]
                if p < len(res.pose_world_landmarks):
                    wxyz[p] = [[q.x, q.y, q.z] for q in res.pose_world_landmarks[p]]
            per_frame.append((xy, z, vis, pres, wxyz))
            boxes.append(bbox_of(xy) if k else np.zeros((0, 4)))
            t_list.append(t_s); fi_list.append(i)
            if progress and video.frames:
                progress(min(1.0, (len(t_list)) / video.frames))
    n = len(t_list)
    choice, _, note = choose_runner(boxes, video.width, video.height)
    out_xy = np.full((n, N_LANDMARKS, 2), np.nan); out_z = np.full((n, N_LANDMARKS), np.nan)
    out_vis = np.zeros((n, N_LANDMARKS)); out_pres = np.zeros((n, N_LANDMARKS))
    out_w = np.full((n, N_LANDMARKS, 3), np.nan); out_box = np.full((n, 4), np.nan)
    for f, c in enumerate(choice):
        if c >= 0:
            xy, z, vis, pres, wxyz = per_frame[f]
            out_xy[f], out_z[f], out_vis[f], out_pres[f], out_w[f] = xy[c], z[c], vis[c], pres[c], wxyz[c]
            out_box[f] = boxes[f][c]
    if not np.isfinite(out_xy[:, 0, 0]).any():
        raise NoPersonFound(f"No person was found in any of the {n} frames of {os.path.basename(video.path)}.")
    return PoseSeries(
        t_s=np.asarray(t_list, float), frame_index=np.asarray(fi_list, int), image_xy=out_xy, image_z=out_z,
        visibility=out_vis, presence=out_pres, world_xyz=out_w, video=video, model=model.name,
        people_max=max((len(b) for b in boxes), default=0), tracking_note=note, person_bbox=out_box,
    )
