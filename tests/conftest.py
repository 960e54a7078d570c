"""Shared fixtures: paths to ../shared material and landmark series computed once per session."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
PHANTOM = SHARED / "sample_videos" / "phantom"
REAL = SHARED / "sample_videos" / "real"
SHARED_MODELS = SHARED / "models"
# This version's own landmark cache entries for the phantom clips (scripts/refresh_landmark_fixtures.py;
# tests/test_landmark_fixtures.py keeps them honest), so a clean clone does not re-estimate them.
LANDMARK_FIXTURES = REPO / "tests" / "fixtures" / "landmarks"


@pytest.fixture(scope="session", autouse=True)
def _isolated_cache(tmp_path_factory):
    """Landmark cache shared by all tests of one session, never the user's own cache."""
    d = os.environ.get("GAIT_TEST_CACHE_DIR")
    if not d:
        d = str(tmp_path_factory.mktemp("landmarks"))
        for f in LANDMARK_FIXTURES.glob("*.npz"):  # copies: tests may write to (or damage) the cache
            shutil.copy(f, d)
    os.environ["GAIT_CACHE_DIR"] = d
    os.environ.setdefault("GLOG_minloglevel", "2")
    yield d


@pytest.fixture(scope="session")
def poses_of():
    """poses_of(path, model='full') -> PoseSeries, estimated once per session and cached on disk."""
    from gait.poses import load_or_estimate, resolve_model
    from gait.video import probe

    memo = {}

    def get(path, model="full"):
        key = (str(path), model)
        if key not in memo:
            mpath = None if model == "full" else SHARED_MODELS / f"pose_landmarker_{model}.task"
            info = probe(path, count=False)
            memo[key] = load_or_estimate(info, resolve_model(model, mpath))[0]
        return memo[key]

    return get
