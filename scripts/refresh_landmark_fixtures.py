"""Make the landmark fixtures the test suite starts from: tests/fixtures/landmarks/.

    .venv/bin/python scripts/refresh_landmark_fixtures.py [--check]

Pose estimation is the suite's one expensive step (two cores, ~20 clip-model pairs). The
fixtures are this version's own landmark cache entries for the phantom clips in
../shared/sample_videos/phantom (full model; lite and heavy on the clips the model tests
use) and for the perturbed clips the event tests write, so a clean clone does not re-estimate them. They are made by the pose stage
itself, never edited: tests/test_landmark_fixtures.py checks that every entry's key is
the key this version computes (a changed cache format or model makes it fail, pointing
here) and re-estimates one clip from scratch to check the entry matches. Real
third-party clips are not included (their landmarks are estimated during the session).
``--check``: only list the entries that are missing or stale.
"""
from __future__ import annotations

import argparse
import json
import multiprocessing
import shutil
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
PHANTOM = SHARED / "sample_videos" / "phantom"
OUT = REPO / "tests" / "fixtures" / "landmarks"
NUM_POSES = 2  # gait.pipeline.Options.num_poses, the conftest poses_of fixture's
OTHER_MODEL_CLIPS = ("rear_asymL10R3_176spm_60fps", "rear_drop0_169spm_60fps")  # tests/test_pelvis_phantom.py


def wanted(perturbed_dir: Path | None = None) -> list[tuple[Path, str]]:
    """(clip, model) pairs: the phantom clips, and with ``perturbed_dir`` the perturbed clips the event
    tests write (tests/perturbed_set.py; deterministic, so the same bytes and key on every machine
    with the same encoder)."""
    clips = sorted(PHANTOM.glob("*.mp4"))
    out = [(c, "full") for c in clips] + [(c, m) for m in ("lite", "heavy") for c in clips if c.stem in OTHER_MODEL_CLIPS]
    if perturbed_dir is not None:
        sys.path.insert(0, str(REPO / "tests"))
        from perturb_video import make_clip
        from perturbed_set import BLURRED, GEOMETRY, LOOKS, RESOLUTION, ROLLED

        out += [(make_clip(spec, perturbed_dir), "full") for spec in LOOKS + GEOMETRY + RESOLUTION + ROLLED + BLURRED]
    return out


def model_info(name: str):
    from gait.poses import resolve_model

    return resolve_model(name, None if name == "full" else SHARED / "models" / f"pose_landmarker_{name}.task")


def entry(clip: Path, model: str) -> dict:
    from gait.poses.cache import CACHE_FORMAT, cache_key
    from gait.video import probe

    key = cache_key(probe(clip, count=False), model_info(model).sha256, NUM_POSES)
    return {"clip": clip.name, "model": model, "num_poses": NUM_POSES, "cache_format": CACHE_FORMAT, "key": key}


def make_entry(clip: Path, e: dict) -> dict:
    from gait.poses import load_or_estimate
    from gait.video import probe

    load_or_estimate(probe(clip, count=False), model_info(e["model"]), num_poses=NUM_POSES)
    return e


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args()
    import os

    with tempfile.TemporaryDirectory() as tmp, tempfile.TemporaryDirectory() as clips_dir:
        pairs = wanted(Path(clips_dir))
        entries = [entry(c, m) for c, m in pairs]
        missing = [(c, e) for (c, _), e in zip(pairs, entries) if not (OUT / f"{e['key']}.npz").is_file()]
        for _, e in missing:
            print("missing:", e["clip"], e["model"])
        if args.check:
            return 1 if missing else 0
        OUT.mkdir(parents=True, exist_ok=True)
        os.environ["GAIT_CACHE_DIR"] = tmp  # never the user's cache: every entry made here, now
        # one clip per core, each estimated in one process as the suite's poses_of fixture does
        with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn")) as pool:
            for e in pool.map(make_entry, [c for c, _ in missing], [e for _, e in missing]):
                shutil.copy(Path(tmp) / f"{e['key']}.npz", OUT / f"{e['key']}.npz")
                print("made:", e["clip"], e["model"], flush=True)
    keep = {f"{e['key']}.npz" for e in entries}
    for f in OUT.glob("*.npz"):
        if f.name not in keep:
            f.unlink()
    (OUT / "MANIFEST.json").write_text(json.dumps(entries, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
