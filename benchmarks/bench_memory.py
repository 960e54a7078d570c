"""Peak memory of one analysis, short clip against a long one: memory must stay flat in clip length.

    python benchmarks/bench_memory.py [--minutes 10] [--keep DIR]

Makes the clips itself: a bundled 10 s rear clip upscaled to 1080p at 30 fps (encoded once
with PyAV/libx264), then concatenated without re-encoding to ``--minutes`` minutes (packets
copied with shifted timestamps). Runs `gait analyze` (empty landmark cache, full model, no
HTML report) on both as whole processes and prints wall time and peak RSS of each.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from fractions import Fraction
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SOURCE = REPO / "sample_videos" / "rear_drop8_169spm_60fps.mp4"
SIZE = (1920, 1080)
FPS = 30


def make_base(path: Path) -> None:
    """10 s at 1080p30 from the 60 fps 720p sample (every other frame, upscaled)."""
    import av
    import cv2

    cap = cv2.VideoCapture(str(SOURCE))
    with av.open(str(path), "w") as out:
        st = out.add_stream("libx264", rate=FPS)
        st.width, st.height, st.pix_fmt = SIZE[0], SIZE[1], "yuv420p"
        st.options = {"preset": "veryfast", "crf": "23", "g": str(2 * FPS)}
        i = 0
        while True:
            ok, bgr = cap.read()
            if not ok:
                break
            if i % 2 == 0:
                frame = av.VideoFrame.from_ndarray(cv2.resize(bgr, SIZE, interpolation=cv2.INTER_CUBIC), format="bgr24")
                for pkt in st.encode(frame):
                    out.mux(pkt)
            i += 1
        for pkt in st.encode():
            out.mux(pkt)


def concatenate(base: Path, path: Path, copies: int) -> None:
    """``copies`` copies of ``base`` back to back, packets copied, timestamps shifted (no re-encode)."""
    import av

    with av.open(str(base)) as src:
        vs = src.streams.video[0]
        packets = [p for p in src.demux(vs) if p.size]
        tb = vs.time_base
        span = max(p.pts for p in packets) + int(round(Fraction(1, FPS) / tb))
        with av.open(str(path), "w") as out:
            ost = out.add_stream_from_template(vs)
            for k in range(copies):
                for p in packets:
                    q = av.Packet(bytes(p))
                    q.pts, q.dts = p.pts + k * span, p.dts + k * span
                    q.is_keyframe, q.time_base, q.stream = p.is_keyframe, tb, ost
                    out.mux(q)


def run(clip: Path, out: str) -> tuple[float, float]:
    env = {**os.environ, "GAIT_CACHE_DIR": tempfile.mkdtemp(dir=out)}
    t0 = time.perf_counter()
    p = subprocess.Popen([sys.executable, "-m", "gait.cli", "analyze", str(clip), "--belt-speed", "4.18mps", "--out",
                          os.path.join(out, clip.stem), "--quiet", "--no-report"], env=env,
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, ru = os.wait4(p.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(p.stderr.read().decode()[-2000:])
    # ru_maxrss of the child; the pose worker process it starts is its own child, measured by its own rusage
    return time.perf_counter() - t0, ru.ru_maxrss / 1024.0


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--minutes", type=float, default=10.0)
    ap.add_argument("--keep", help="folder for the made clips (default: a temporary one)")
    args = ap.parse_args()
    folder = args.keep or tempfile.mkdtemp(prefix="gait-mem-")
    os.makedirs(folder, exist_ok=True)
    base, long = Path(folder) / "rear_1080p_10s.mp4", Path(folder) / f"rear_1080p_{args.minutes:g}min.mp4"
    if not base.exists():
        make_base(base)
    if not long.exists():
        concatenate(base, long, int(round(args.minutes * 6)))
    for clip in (base, long):
        wall, rss = run(clip, folder)
        print(f"{clip.name:28} {wall:7.1f} s  peak RSS {rss:6.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
