"""The landmark fixtures the suite starts from are this version's own pose-stage output.

Each entry must sit under the key this version computes for its clip and model (a new cache
format or model changes the key: refresh with scripts/refresh_landmark_fixtures.py), and a clip
estimated from scratch must give the fixture's landmarks and foot soles (tests/test_poses_parallel.py,
which estimates one anyway).
"""
from __future__ import annotations

import json
import sys

from conftest import LANDMARK_FIXTURES, PHANTOM, REPO

sys.path.insert(0, str(REPO / "scripts"))
import refresh_landmark_fixtures as fixtures  # noqa: E402

MANIFEST = json.loads((LANDMARK_FIXTURES / "MANIFEST.json").read_text())


def test_every_fixture_sits_under_the_key_this_version_computes():
    want = {(e["clip"], e["model"]): e["key"] for e in (fixtures.entry(c, m) for c, m in fixtures.wanted())}
    have = {(e["clip"], e["model"]): e["key"] for e in MANIFEST if (PHANTOM / e["clip"]).is_file()}
    assert have == want, "stale landmark fixtures: run scripts/refresh_landmark_fixtures.py"
    assert all((LANDMARK_FIXTURES / f"{e['key']}.npz").is_file() for e in MANIFEST)


def fixture_keys() -> set[str]:
    """Keys of every fixture entry (the perturbed clips' are checked where those clips are made)."""
    return {e["key"] for e in MANIFEST}
