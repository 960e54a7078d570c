"""Pelvic drop on the geometry-perturbed phantom clips (tests/perturbed_set.py GEOMETRY, RESOLUTION, ROLLED, BLURRED):
the runner's sides exchanged by mirroring, a camera 1/0.6 times as far, the runner small in a low-resolution frame, a
camera rolled 3° and a soft picture. The same bars as tests/test_pelvis_phantom.py (per
side within 1.0°, asymmetry within 1.0°, per-stance error within 1.5°, the intervals holding the truth):
a mirrored 10°/3° runner must read 3°/10°, the larger drop on the other foot."""
from __future__ import annotations

import pytest
from pelvis_truth import assert_meets_bars, compare, run
from perturb_video import make_clip
from perturbed_set import BLURRED, GEOMETRY, RESOLUTION, ROLLED
from test_events_perturbed import perturbed_clip_dir

pytestmark = pytest.mark.slow
SPECS = {s.name: s for s in GEOMETRY + RESOLUTION + ROLLED + BLURRED if not s.source.startswith("side")}
TOO_SMALL = "rear_drop8_w256"  # a torso of about 30 pixels: refused, so not in the accuracy tests
MEASURED = [n for n in SPECS if n != TOO_SMALL]
# (clip) -> why it misses a bar, measured (4.5 s clips: 6-7 stances a side)
KNOWN = {
    "rear_asymL10R3_mirrored": "asymmetry reads -5.8° for -7.0° (right, the 10° side, 9.2°)",
    # below the working scale the bars are not met; the intervals widen to hold the truth (next test)
    "rear_asymL10R3_w640": "torso ~75 px: the 10° side reads 8.3° (-1.7°), asymmetry 2.1° short",
    "front_L2R7_w426": "torso ~50 px: the 7° side reads 5.4° (-1.6°), asymmetry 1.8° short",
    # the large side under-reads on a softer picture (the same 4.5 s unchanged reads 9.1-9.3°, with a 2 px blur
    # 8.3°; the 3° side barely moves): the band's fine texture is lost and its outline weighs more
    "rear_asymL10R3_blur1": "a 1 px blur: the 10° side reads 8.5° (-1.5°), asymmetry 1.8° short",
    "rear_asymL10R3_roll-3": "camera rolled 3° (the picture resampled, as softened as by a blur): the 10° side reads "
                             "8.8° (-1.2°), asymmetry 1.4° short",
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


@pytest.mark.parametrize("name", [case(n) for n in MEASURED])
def test_drop_per_side_follows_the_runner(results, name):
    path, r = results(name)
    assert r.measured, r.reason
    assert_meets_bars(compare(name, r, path))


@pytest.mark.parametrize("name", MEASURED)
def test_the_larger_drop_is_read_on_the_truths_foot_and_intervals_hold(results, name):
    path, r = results(name)
    c = compare(name, r, path)
    true_l, true_r = c.truth
    assert (r.left.deg > r.right.deg) == (true_l > true_r), (r.left.deg, r.right.deg, c.truth)
    assert all(c.covered), (r.left.ci, r.right.ci, r.asymmetry_ci, c.truth)


def test_a_small_runner_is_measured_with_a_resolution_warning_and_too_small_a_one_is_refused(results):
    from gait.pelvis import Params
    from gait.pelvis.measure import pixel_deg

    _, far = results("rear_asymL4R11_far")  # torso ~90 px: the method's own error still dominates
    _, small = results("front_L2R7_w426")  # ~50 px: the resolution dominates
    assert pixel_deg(small.quality.torso_px, Params()) > Params().systematic_deg
    assert any("pixels of the frame" in w for w in small.warnings)
    assert not any("pixels of the frame" in w for w in far.warnings)
    width = lambda r: r.right.ci[1] - r.right.ci[0]  # noqa: E731
    assert width(small) > width(far)
    _, tiny = results(TOO_SMALL)
    assert not tiny.measured and "too small in the frame" in tiny.reason
