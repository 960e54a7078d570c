"""Frames/s for decode only, pose only and the whole pipeline, side by side in one run.

    python benchmarks/bench_pipeline.py [VIDEO] [--model full] [--frames 300]

"pose only" runs the landmarker on frames decoded beforehand (held in memory), so the
three numbers separate decoding, inference and everything else (events, metrics,
pelvis). The whole pipeline runs with an empty landmark cache.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("video", nargs="?", default=str(REPO / "sample_videos" / "rear_drop8_169spm_60fps.mp4"))
    ap.add_argument("--model", default="full")
    ap.add_argument("--frames", type=int, default=300, help="frames for the pose-only run")
    args = ap.parse_args()
    os.environ["GAIT_CACHE_DIR"] = tempfile.mkdtemp(prefix="gait-bench-")

    import numpy as np

    import gait
    from gait.poses import resolve_model
    from gait.poses.estimator import _landmarker
    from gait.poses.quiet import native_stderr_silenced
    from gait.video import iter_frames, probe

    info = probe(args.video, count=False)
    model = resolve_model(args.model)

    t0 = time.perf_counter()
    n_dec = sum(1 for _ in iter_frames(args.video))
    decode_fps = n_dec / (time.perf_counter() - t0)

    frames = []
    for i, t, bgr in iter_frames(args.video):
        frames.append((t, np.ascontiguousarray(bgr[:, :, ::-1])))
        if len(frames) >= args.frames:
            break
    with native_stderr_silenced():
        mp, lm = _landmarker(model, 2)
        with lm:
            t0 = time.perf_counter()
            for k, (t, rgb) in enumerate(frames):
                lm.detect_for_video(mp.Image(image_format=mp.ImageFormat.SRGB, data=rgb), k * 17)
            pose_fps = len(frames) / (time.perf_counter() - t0)

    t0 = time.perf_counter()
    result = gait.analyze(args.video, model=args.model, belt_speed_mps=4.1837)
    whole_s = time.perf_counter() - t0
    whole_fps = info.frames / whole_s

    print(f"clip: {Path(args.video).name}  {info.width}x{info.height}  {info.frames} frames  model={args.model}")
    print(f"{'stage':<16}{'frames/s':>10}{'ms/frame':>10}")
    for name, fps in (("decode only", decode_fps), ("pose only", pose_fps), ("whole pipeline", whole_fps)):
        print(f"{name:<16}{fps:>10.1f}{1000 / fps:>10.1f}")
    print(f"whole pipeline: {whole_s:.1f} s for {info.duration_s:.1f} s of video "
          f"({whole_s / info.duration_s:.2f}x real time); view={result.view}, cadence={result.cadence_spm}")


if __name__ == "__main__":
    main()
