"""Whole-pipeline speed against the naive peer loop, side by side, interleaved, in one run.

    python benchmarks/bench_pipeline.py [--runs 3] [--clips rear side]

Each measurement is a whole process with an empty landmark cache and the full model:
the naive loop (benchmarks/naive_loop.py: OpenCV decode -> MediaPipe PoseLandmarker
in VIDEO mode, num_poses=1, nothing else) and `gait analyze` (poses, events, metrics,
pelvic drop, findings, result.json, no HTML report). Runs alternate naive / gait so a
drifting machine affects both alike; the ratio is taken run by run. Also timed: a
cached re-analysis (landmarks and pelvis registration cached, new belt speed) of each clip.
Prints frames/s (median, min-max), the ratio, wall seconds and peak RSS of each process.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CLIPS = {"rear": REPO / "sample_videos" / "rear_drop8_169spm_60fps.mp4",
         "side": REPO / "sample_videos" / "side_right_drop4_169spm_60fps.mp4"}
FRAMES = 600  # both clips: 10 s at 60 fps, 1280x720


def timed(cmd: list[str], env: dict) -> tuple[float, float]:
    """(wall s, peak RSS MB) of one whole process."""
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{p.stderr.read().decode()[-2000:]}")
    return wall, ru.ru_maxrss / 1024.0


def gait_cmd(clip: Path, out: str, belt: str) -> list[str]:
    return [sys.executable, "-m", "gait.cli", "analyze", str(clip), "--belt-speed", belt, "--out", out, "--quiet",
            "--no-report"]


def fps_line(name: str, walls: list[float]) -> str:
    f = [FRAMES / w for w in walls]
    return f"{name:8} {statistics.median(f):6.1f} frames/s ({min(f):.1f}-{max(f):.1f}), {statistics.median(walls):5.1f} s"


def bench_clip(label: str, clip: Path, runs: int) -> None:
    naive, gait, ratios, rss = [], [], [], {"naive": [], "gait": []}
    with tempfile.TemporaryDirectory() as out:
        for _ in range(runs):
            env = {**os.environ, "GAIT_CACHE_DIR": tempfile.mkdtemp(dir=out)}  # empty cache every run
            w_n, m_n = timed([sys.executable, str(REPO / "benchmarks" / "naive_loop.py"), str(clip)], env)
            w_g, m_g = timed(gait_cmd(clip, os.path.join(out, "r"), "4.1837mps"), env)
            naive.append(w_n), gait.append(w_g), ratios.append(w_n / w_g)
            rss["naive"].append(m_n), rss["gait"].append(m_g)
        cached = timed(gait_cmd(clip, os.path.join(out, "r"), "3.0mps"), env)[0]
    print(f"\n{label}: {clip.name} ({FRAMES} frames), {runs} runs, interleaved")
    print(fps_line("naive", naive) + f", peak RSS {statistics.median(rss['naive']):.0f} MB")
    print(fps_line("gait", gait) + f", peak RSS {statistics.median(rss['gait']):.0f} MB")
    print(f"ratio gait/naive (frames/s): median {statistics.median(ratios):.2f}x (min {min(ratios):.2f}, "
          f"max {max(ratios):.2f})")
    print(f"cached re-analysis (new belt speed): {cached:.2f} s")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--clips", nargs="+", default=list(CLIPS), choices=list(CLIPS))
    args = ap.parse_args()
    print(f"{os.cpu_count()} CPUs; python {sys.version.split()[0]}")
    for label in args.clips:
        bench_clip(label, CLIPS[label], args.runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
