"""Batch throughput: clips per minute with 1 and 2 local workers, side by side, on the sample clips.

    .venv/bin/python benchmarks/bench_batch.py                      # phantom + real clips, warm and cold cache
    .venv/bin/python benchmarks/bench_batch.py --cache warm --set phantom

cache "warm": landmarks already cached (events -> metrics -> findings -> report only);
the cache is $GAIT_CACHE_DIR (or /tmp/gait-cache) and is filled once, untimed, first.
cache "cold": every run gets a fresh empty cache, so pose estimation is included.
Each run writes to a fresh temporary output folder (nothing is skipped); the summaries
of the 1- and 2-worker runs are compared byte for byte. "cores used" = CPU seconds of
the batch (parent + workers) / wall seconds; "load" = 1-min load average after the run:
on a shared machine, a load above the core count means other work competed for the CPUs.
"""
from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SAMPLES = Path(os.environ.get("GAIT_SAMPLES_DIR") or REPO.parent / "shared" / "sample_videos")
sys.path.append(str(REPO))  # appended: an installed gait or $PYTHONPATH (e.g. a frozen snapshot) wins

from gait.batch import run_batch  # noqa: E402


def sample_clips(which: str) -> list[Path]:
    sets = {"phantom": ["phantom"], "real": ["real"], "all": ["phantom", "real"]}[which]
    return sorted(p for s in sets for p in (SAMPLES / s).glob("*.mp4"))


def _cpu_seconds() -> float:
    """CPU time of this process plus its finished children (the pool's workers, joined at shutdown)."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def timed_run(clips: list[Path], workers: int, cache_dir: str, report: bool,
              model: str) -> tuple[float, float, object, bytes]:
    """(wall seconds, CPU seconds, BatchReport, summary.csv bytes) of one batch into a fresh folder."""
    os.environ["GAIT_CACHE_DIR"] = cache_dir  # inherited by the spawned workers
    with tempfile.TemporaryDirectory(prefix="bench_batch_") as out:
        t0, c0 = time.perf_counter(), _cpu_seconds()
        rep = run_batch([str(c) for c in clips], out, workers=workers, options={"model": model}, progress=False,
                        write_report=report)
        seconds = time.perf_counter() - t0
        return seconds, _cpu_seconds() - c0, rep, (Path(out) / "summary.csv").read_bytes()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--set", default="all", choices=["phantom", "real", "all"])
    ap.add_argument("--cache", default="both", choices=["warm", "cold", "both"])
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--model", default="full", choices=["lite", "full", "heavy"])
    ap.add_argument("--no-report", action="store_true", help="result.json only (no per-clip HTML report)")
    args = ap.parse_args()
    clips = sample_clips(args.set)
    warm_dir = os.environ.get("GAIT_CACHE_DIR") or "/tmp/gait-cache"
    modes = ["warm", "cold"] if args.cache == "both" else [args.cache]
    print(f"{len(clips)} clips ({args.set}: {', '.join(c.name for c in clips)})")
    print(f"model {args.model}, per-clip report {'off' if args.no_report else 'on'}, {os.cpu_count()} CPU cores, "
          f"Python {sys.version.split()[0]}, load average at start {os.getloadavg()[0]:.1f}")
    if "warm" in modes:
        t0 = time.perf_counter()
        timed_run(clips, max(args.workers), warm_dir, False, args.model)  # fill the cache, untimed
        print(f"(warm-up of the landmark cache {warm_dir}: {time.perf_counter() - t0:.0f} s)")
    print(f"\n{'cache':6} {'workers':>7} {'ok':>3} {'failed':>6} {'seconds':>8} {'clips/min':>10} {'vs 1 worker':>12}"
          f" {'cores used':>10} {'load':>5}")
    for mode in modes:
        base, first = None, None
        for w in args.workers:
            with tempfile.TemporaryDirectory(prefix="bench_cache_") as cold_dir:
                secs, cpu, rep, summary = timed_run(clips, w, warm_dir if mode == "warm" else cold_dir, not args.no_report,
                                               args.model)
            rate = 60.0 * len(clips) / secs
            base = base or rate
            first = first if first is not None else summary
            same = "" if summary == first else "  (summary.csv differs from the 1st row's: code edited meanwhile?)"
            print(f"{mode:6} {w:>7} {rep.ok:>3} {rep.failed:>6} {secs:>8.1f} {rate:>10.2f} {rate / base:>11.2f}x"
                  f" {cpu / secs:>10.2f} {os.getloadavg()[0]:>5.1f}{same}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
