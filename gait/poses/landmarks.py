"""MediaPipe BlazePose landmark indices, named as in the model card."""
from __future__ import annotations

import numpy as np

from gait.vocabulary import SIDES  # noqa: F401  (landmark maps below are keyed by side; re-exported)

NAMES = (
    "nose", "left_eye_inner", "left_eye", "left_eye_outer", "right_eye_inner", "right_eye",
    "right_eye_outer", "left_ear", "right_ear", "mouth_left", "mouth_right", "left_shoulder",
    "right_shoulder", "left_elbow", "right_elbow", "left_wrist", "right_wrist", "left_pinky",
    "right_pinky", "left_index", "right_index", "left_thumb", "right_thumb", "left_hip", "right_hip",
    "left_knee", "right_knee", "left_ankle", "right_ankle", "left_heel", "right_heel",
    "left_foot_index", "right_foot_index",
)
IDX = {n: i for i, n in enumerate(NAMES)}
N_LANDMARKS = len(NAMES)

NOSE = IDX["nose"]
SHOULDER = {"left": IDX["left_shoulder"], "right": IDX["right_shoulder"]}
ELBOW = {"left": IDX["left_elbow"], "right": IDX["right_elbow"]}
WRIST = {"left": IDX["left_wrist"], "right": IDX["right_wrist"]}
HAND_POINTS = tuple(IDX[f"{s}_{p}"] for s in ("left", "right") for p in ("pinky", "index", "thumb"))
HIP = {"left": IDX["left_hip"], "right": IDX["right_hip"]}
KNEE = {"left": IDX["left_knee"], "right": IDX["right_knee"]}
ANKLE = {"left": IDX["left_ankle"], "right": IDX["right_ankle"]}
HEEL = {"left": IDX["left_heel"], "right": IDX["right_heel"]}
TOE = {"left": IDX["left_foot_index"], "right": IDX["right_foot_index"]}

# Index permutation that swaps every left landmark with its right partner
# (used to repair left/right leg swaps).
MIRROR = tuple(
    IDX[n.replace("left_", "TMP_").replace("right_", "left_").replace("TMP_", "right_")] for n in NAMES
)


def torso_px(xy: np.ndarray) -> np.ndarray:
    """Per-frame shoulder-mid to hip-mid distance in pixels (NaN where not seen): the runner's size."""
    sh = (xy[..., SHOULDER["left"], :] + xy[..., SHOULDER["right"], :]) / 2
    hp = (xy[..., HIP["left"], :] + xy[..., HIP["right"], :]) / 2
    return np.linalg.norm(sh - hp, axis=-1)
