"""The peer baseline: OpenCV decode -> MediaPipe PoseLandmarker (VIDEO mode, num_poses=1), nothing else.

    python benchmarks/naive_loop.py VIDEO [--model PATH]

What other open tools do per clip; the pipeline benchmark runs it beside `gait analyze`.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("video")
    ap.add_argument("--model", default=str(REPO / "models" / "pose_landmarker_full.task"))
    args = ap.parse_args()
    import cv2
    import mediapipe as mp
    from mediapipe.tasks.python import BaseOptions, vision

    opts = vision.PoseLandmarkerOptions(base_options=BaseOptions(model_asset_path=args.model),
                                        running_mode=vision.RunningMode.VIDEO, num_poses=1)
    cap = cv2.VideoCapture(args.video)
    n, last_ms = 0, -1
    with vision.PoseLandmarker.create_from_options(opts) as lm:
        while True:
            ok, bgr = cap.read()
            if not ok:
                break
            ms = max(int(round(cap.get(cv2.CAP_PROP_POS_MSEC))), last_ms + 1)
            last_ms = ms
            rgb = cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)
            lm.detect_for_video(mp.Image(image_format=mp.ImageFormat.SRGB, data=rgb), ms)
            n += 1
    print(f"{n} frames")
    return 0


if __name__ == "__main__":
    sys.exit(main())
