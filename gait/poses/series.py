"""PoseSeries: the typed hand-off from pose estimation to every later stage."""
from __future__ import annotations

import io
from dataclasses import dataclass, field, replace

import numpy as np

from gait.video.reader import VideoInfo


@dataclass
class PoseSeries:
    """Landmarks of one person over a clip. Arrays are indexed [frame, landmark, ...].

    Missing detections are NaN in the coordinate arrays and 0 in visibility/presence.
    """

    t_s: np.ndarray  # (N,) presentation time of each frame, seconds (video's own clock)
    frame_index: np.ndarray  # (N,) decoder frame index
    image_xy: np.ndarray  # (N, 33, 2) pixels in the upright frame, x right, y down
    image_z: np.ndarray  # (N, 33) MediaPipe relative depth (image-x scale, hips ~0)
    visibility: np.ndarray  # (N, 33) 0..1
    presence: np.ndarray  # (N, 33) 0..1
    world_xyz: np.ndarray  # (N, 33, 3) metres, hip-centred, MediaPipe world frame
    video: VideoInfo
    model: str  # "lite" | "full" | "heavy"
    people_max: int = 1  # most people seen in one frame
    tracking_note: str = ""  # how the followed person was chosen, when several were in view
    person_bbox: np.ndarray = field(default_factory=lambda: np.zeros((0, 4)))  # (N,4) x0,y0,x1,y1 px
    # (N, 2, 2) lowest image point (x, y px) of the left [:, 0] and right [:, 1] foot's silhouette in the
    # person mask (gait.poses.feet); None for landmarks cached before soles existed
    sole_xy: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.t_s)

    @property
    def detected(self) -> np.ndarray:
        return np.isfinite(self.image_xy[:, 0, 0])

    def with_arrays(self, **arrays: np.ndarray) -> "PoseSeries":
        return replace(self, **arrays)

    # Persistence (landmark cache): one compressed .npz, metadata as JSON inside.
    def to_npz_bytes(self) -> bytes:
        import json

        buf = io.BytesIO()
        np.savez_compressed(
            buf, t_s=self.t_s, frame_index=self.frame_index, image_xy=self.image_xy, image_z=self.image_z,
            visibility=self.visibility, presence=self.presence, world_xyz=self.world_xyz,
            person_bbox=self.person_bbox, **({"sole_xy": self.sole_xy} if self.sole_xy is not None else {}),
            meta=np.frombuffer(json.dumps({
                "video": self.video.to_dict(), "model": self.model, "people_max": self.people_max,
                "tracking_note": self.tracking_note}).encode(), dtype=np.uint8),
        )
        return buf.getvalue()

    @classmethod
    def from_npz_bytes(cls, data: bytes, video: VideoInfo | None = None) -> "PoseSeries":
        import json

        z = np.load(io.BytesIO(data))
        meta = json.loads(bytes(z["meta"]).decode())
        return cls(
            t_s=z["t_s"], frame_index=z["frame_index"], image_xy=z["image_xy"], image_z=z["image_z"],
            visibility=z["visibility"], presence=z["presence"], world_xyz=z["world_xyz"],
            person_bbox=z["person_bbox"], video=video or VideoInfo(**meta["video"]), model=meta["model"],
            people_max=int(meta["people_max"]), tracking_note=meta["tracking_note"],
            sole_xy=z["sole_xy"] if "sole_xy" in z.files else None,
        )
