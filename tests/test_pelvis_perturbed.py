"""Pelvic drop on the geometry-perturbed phantom clips (tests/perturbed_set.py GEOMETRY): the runner's sides
exchanged by mirroring, and a camera 1/0.6 times as far. The same bars as tests/test_pelvis_phantom.py (per
side within 1.0°, asymmetry within 1.0°, per-stance error within 1.5°, the intervals holding the truth):
a mirrored 10°/3° runner must read 3°/10°, the larger drop on the other foot."""
from __future__ import annotations

import pytest
from pelvis_truth import assert_meets_bars, compare, run
from perturb_video import make_clip
from perturbed_set import GEOMETRY
from test_events_perturbed import perturbed_clip_dir

pytestmark = pytest.mark.slow
SPECS = {s.name: s for s in GEOMETRY if not s.source.startswith("side")}
# (clip) -> why it misses a bar, measured (4.5 s clips: 6-7 stances a side)
KNOWN = {
    "rear_asymL10R3_mirrored": "asymmetry reads -5.8° for -7.0° (right, the 10° side, 9.2°)",
}


@pytest.fixture(scope="module")
def results(poses_of, tmp_path_factory):
    folder, store, memo = perturbed_clip_dir(tmp_path_factory), {}, {}

    def get(name):
        if name not in memo:
            path = make_clip(SPECS[name], folder)
            memo[name] = (path, run(name, "full", poses_of, store, path=path))
        return memo[name]
    return get


def case(name):
    return pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=KNOWN[name])) if name in KNOWN else name


@pytest.mark.parametrize("name", [case(n) for n in SPECS])
def test_drop_per_side_follows_the_runner(results, name):
    path, r = results(name)
    assert r.measured, r.reason
    assert_meets_bars(compare(name, r, path))


@pytest.mark.parametrize("name", list(SPECS))
def test_the_larger_drop_is_read_on_the_truths_foot_and_intervals_hold(results, name):
    path, r = results(name)
    c = compare(name, r, path)
    true_l, true_r = c.truth
    assert (r.left.deg > r.right.deg) == (true_l > true_r), (r.left.deg, r.right.deg, c.truth)
    assert all(c.covered), (r.left.ci, r.right.ci, r.asymmetry_ci, c.truth)
