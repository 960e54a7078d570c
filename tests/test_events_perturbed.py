"""Events on perturbed phantom clips (black shoes, darker, flatter, noisier, 30 fps): the shared
clips' truth, re-cut; the same per-side acceptance as tests/test_events_acceptance.py.

The clips are written by tests/perturb_video.py (deterministic, so their landmarks come from the
session cache after the first run: ~40 s per clip for the pose and mask passes on 2 cores).
"""
from __future__ import annotations

import pytest

from gait.events import analyze_events
from gait.metrics import compute_metrics
from gait.result import Result
from gait.validate import load_truth, score
from perturb_video import make_clip
from perturbed_set import LOOKS
from test_events_acceptance import ASYM_TOL_PP, CONTACT_TOL_MS, MARKED_ASYM_PCT, MIN_HIT_PCT

pytestmark = pytest.mark.slow
SPECS = {s.name: s for s in LOOKS}
KNOWN: dict[tuple[str, str], str] = {}


def case(name: str, check: str):
    why = KNOWN.get((name, check))
    return pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=why)) if why else name


@pytest.fixture(scope="module")
def scored(poses_of, tmp_path_factory):
    out = tmp_path_factory.mktemp("perturbed")
    memo = {}

    def get(name):
        if name not in memo:
            path = make_clip(SPECS[name], out)
            tr = load_truth(path)
            ge = analyze_events(poses_of(path))
            m = compute_metrics(ge, belt_speed_mps=tr.belt_speed_mps, height_m=tr.body_height_m)
            r = Result(video={}, model="full", view=ge.view, events=ge.events, strides=m.strides, summary=m.summary)
            memo[name] = (tr, ge, m, score(r, tr))
        return memo[name]
    return get


@pytest.mark.parametrize("name", [case(n, "strikes") for n in SPECS])
def test_perturbed_strikes(scored, name):
    tr, ge, _, s = scored(name)
    assert s.view_ok and ge.contact_cue == "mask soles"
    for side in (s.left, s.right):
        assert side.strike_hit_pct >= MIN_HIT_PCT, f"{side.strike_hit_pct:.0f} % within 2 frames"


@pytest.mark.parametrize("name", [case(n, "contact") for n in SPECS])
def test_perturbed_contact(scored, name):
    tr, _, _, s = scored(name)
    tol = CONTACT_TOL_MS[30 if tr.fps < 45 else 60]
    for side in (s.left, s.right):
        assert abs(side.contact_time_ms - side.contact_time_true_ms) <= tol, \
            f"{side.contact_time_ms:.0f} vs {side.contact_time_true_ms:.0f} ms"


@pytest.mark.parametrize("name", [case(n, "asymmetry") for n in SPECS])
def test_perturbed_asymmetry(scored, name):
    _, _, m, s = scored(name)
    assert abs(s.contact_asymmetry_pct - s.contact_asymmetry_true_pct) <= ASYM_TOL_PP


@pytest.mark.parametrize("name", list(SPECS))
def test_perturbed_no_false_marked_asymmetry(scored, name):
    _, _, m, s = scored(name)
    ci = m.summary.contact_time_asymmetry_pct_ci
    if abs(s.contact_asymmetry_true_pct) < MARKED_ASYM_PCT:
        assert ci[0] <= MARKED_ASYM_PCT and ci[1] >= -MARKED_ASYM_PCT, ci
