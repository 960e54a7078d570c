"""The project's shared vocabulary: one definition of views, sides, pose models and stride minimums.

Landmark indices live beside the pose model they belong to (gait.poses.landmarks).
"""
from __future__ import annotations

SIDES = ("left", "right")  # the runner's anatomical sides
OTHER_SIDE = {"left": "right", "right": "left"}
VIEWS = ("side_left", "side_right", "rear", "front")  # where the camera stands: side_left shows the left side
FRONTAL_VIEWS = ("rear", "front")  # views that see the frontal plane (pelvic drop)
# how a view reads in a sentence ("Filmed from behind")
VIEW_WORDS = {"side_left": "from the runner's left side", "side_right": "from the runner's right side",
              "rear": "from behind", "front": "from in front", "side": "from the side"}
REQUESTABLE_VIEWS = ("auto", "side", *VIEWS)  # what a user may ask for ("side": let the clip tell which side)
MODEL_NAMES = ("lite", "full", "heavy")  # MediaPipe pose landmarker bundles
MIN_STRIDES = 4  # strides needed to measure a run (fewer cannot give a median and a spread)
