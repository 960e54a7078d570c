"""A few frames looked at before the decode pass: how big is the runner, and who else is in view?

The runner's torso length fixes the pelvis crops' scale for every chunk of the clip alike
(chunks run in separate processes and must cut the same crops).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gait.poses.landmarker import Landmarker
from gait.poses.landmarks import torso_px
from gait.video.reader import VideoInfo, iter_frames

LOOK_AT = (0.1, 0.35, 0.6, 0.85)  # where in the clip to look (fractions of its frames)


@dataclass(frozen=True)
class Precheck:
    people_max: int  # most people seen in one of the frames looked at
    torso_px: float | None  # the largest person's median shoulder-mid to hip-mid length


def precheck(video: VideoInfo, model_path: str) -> Precheck:
    n = max(video.frames, 1)
    wanted = sorted({int(q * (n - 1)) for q in LOOK_AT})
    seen, torsos = 0, []
    with Landmarker(model_path, num_poses=2, video_mode=False) as lm:
        for fi in wanted:
            frame = next(iter_frames(video.path, start_frame=fi), None)
            if frame is None:
                continue
            people = lm(frame[2], frame[1])
            seen = max(seen, len(people))
            if len(people):
                area = [np.nanprod(np.nanmax(p, 0) - np.nanmin(p, 0)) for p in people.xy]
                torsos.append(float(torso_px(people.xy[int(np.argmax(area))].astype(float))))
    t = [x for x in torsos if np.isfinite(x)]
    return Precheck(seen, float(np.median(t)) if t else None)
