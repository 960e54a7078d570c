"""Rear-view events must not depend on which pose model made the landmarks.

The heavy and lite models' metric depth of the feet differs from the full model's (heavy: the
left toe keeps moving back for ~0.2 s after toe-off; lite: the left heel's depth is half a stride
out of phase), so rear-view events are anchored on the pelvis minima and image-plane cues: the
mask soles for full and heavy (the heavy model's toe landmark lingered at its stance level past
toe-off, +55 ms of left contact, which the soles do not), the toe landmark for lite.
"""
from __future__ import annotations

import numpy as np
import pytest
from _truth import hit_and_spurious, strike_times, truth
from conftest import PHANTOM

from gait.events import analyze_events
from gait.metrics import compute_metrics

CLIPS = ["rear_drop0_169spm_60fps", "rear_asymL10R3_176spm_60fps"]  # the clips the pelvis tests run with every model
MODELS = ["full", "heavy", "lite"]
CONTACT_TOL_MS = 30.0


@pytest.fixture(scope="module")
def analysed(poses_of):
    memo = {}

    def get(name, model):
        if (name, model) not in memo:
            path = PHANTOM / f"{name}.mp4"
            tr = truth(path)
            ge = analyze_events(poses_of(path, model))
            m = compute_metrics(ge, belt_speed_mps=tr["belt_speed_mps"], height_m=tr["body_height_m"])
            memo[(name, model)] = (tr, ge, m)
        return memo[(name, model)]

    return get


@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize("name", CLIPS)
def test_rear_strikes_any_model(analysed, name, model):
    tr, ge, _ = analysed(name, model)
    assert ge.view == "rear"
    for side in ("left", "right"):
        hit, spurious = hit_and_spurious(ge.events.foot_strike[side], strike_times(tr, side), tr["fps"],
                                         tr["duration_s"])
        assert hit >= 0.95, f"{model} {side}: only {hit:.0%} of true strikes within 2 frames"
        assert spurious <= 0.05, f"{model} {side}: {spurious:.0%} spurious strikes"


@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize("name", CLIPS)
def test_rear_cadence_any_model(analysed, name, model):
    tr, _, m = analysed(name, model)
    assert abs(m.summary.cadence_spm - tr["cadence_spm"]["set"]) <= 1.0


@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize("name", CLIPS)
def test_rear_toe_off_after_strike_within_half_stride(analysed, name, model):
    """Every contact is a running contact: shorter than half a stride, never negative."""
    _, ge, m = analysed(name, model)
    stride_s = 120.0 / m.summary.cadence_spm
    for side in ("left", "right"):
        to = np.asarray(ge.events.toe_off[side])
        for fs in ge.events.foot_strike[side]:
            nxt = to[to > fs]
            if nxt.size:
                assert nxt[0] - fs < 0.5 * stride_s, f"{model} {side}: contact {nxt[0] - fs:.3f} s"


@pytest.mark.parametrize("name,model,side", [(n, m, s) for n in CLIPS for m in MODELS for s in ("left", "right")])
def test_rear_contact_time_any_model(analysed, name, model, side):
    tr, _, m = analysed(name, model)
    got = getattr(m.summary, f"contact_time_{side}_ms")
    want = 1000 * tr["contact_time_s"][side[0].upper()]["mean"]
    assert got is not None and abs(got - want) <= CONTACT_TOL_MS, f"{model} {side}: {got} vs {want:.0f} ms"
