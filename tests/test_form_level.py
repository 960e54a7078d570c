"""Side-view angles against the world's vertical: a rolled camera's landmarks are turned back by the roll
read off the background (gait.metrics.form.levelled, gait.pelvis.clip_roll), and the roll is cached with
the landmarks so a cached re-analysis reads the same level without decoding the clip."""
from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest
from conftest import PHANTOM
from perturb_video import make_clip
from perturbed_set import ROLLED as ALL_ROLLED

from gait.events import analyze_events
from gait.export.frames import load_frames
from gait.metrics import compute_metrics
from gait.metrics.form import level_of, levelled
from gait.pelvis import Params, Roll, clip_roll, roll_cache_key, sample_clip
from gait.pelvis.camera import estimate_roll
from gait.pipeline import Decoded

SIDE = PHANTOM / "side_right_drop4_169spm_60fps.mp4"
ROLLED = [s for s in ALL_ROLLED if s.source.startswith("side")]
ANGLES = ("trunk_lean_deg", "shank_angle_deg", "overstride_leg_pct")
# Trunk lean against the rendered skeleton's (shoulder joints' midpoint over the hip joints'): the landmarks
# sit about 1.2° off those joints on both level side phantoms; a rolled camera left uncorrected adds its roll.
TRUTH_LEAN_TOL_DEG = 2.0


def turned(xy: np.ndarray, deg: float, centre) -> np.ndarray:
    """What a camera rolled ``deg`` (level lines turned clockwise on screen, y down) shows of ``xy``."""
    c, s = np.cos(np.radians(deg)), np.sin(np.radians(deg))
    d = xy - np.asarray(centre, float)
    return np.stack([c * d[..., 0] - s * d[..., 1], s * d[..., 0] + c * d[..., 1]], axis=-1) + centre


def test_levelling_turns_a_rolled_plumb_line_upright():
    centre = (640.0, 360.0)
    plumb = np.array([[500.0, 100.0], [500.0, 600.0]])
    seen = turned(plumb, 4.0, centre)
    assert seen[1, 0] < seen[0, 0]  # turned clockwise on screen: the bottom swings left, the top right
    np.testing.assert_allclose(levelled(seen, 4.0, centre), plumb, atol=1e-9)
    assert levelled(plumb, 0.0, centre) is plumb


@pytest.mark.parametrize("roll_deg", [-3.0, 4.0])
def test_a_known_roll_is_taken_out_of_every_side_view_angle(poses_of, roll_deg):
    """The same run's landmarks turned by a known roll: with that roll given, the form metrics per stride are the
    level run's; without it, trunk lean and shank angle move by about the roll."""
    ge = analyze_events(poses_of(SIDE))
    p = ge.poses
    centre = (p.video.width / 2, p.video.height / 2)
    rolled = dataclasses.replace(ge, poses=p.with_arrays(image_xy=turned(p.image_xy, roll_deg, centre)))
    level = compute_metrics(ge).strides
    fixed = compute_metrics(rolled, camera_roll=Roll(roll_deg, 50, 0.1, 0.05)).strides
    raw = compute_metrics(rolled).strides
    for name in ANGLES:
        a, b = (np.array([getattr(s, name) for s in st], float) for st in (level, fixed))
        np.testing.assert_allclose(b, a, atol=0.11, err_msg=name)  # rounding to 0.1
    lean_raw = np.nanmedian([s.trunk_lean_deg for s in raw]) - np.nanmedian([s.trunk_lean_deg for s in level])
    assert abs(abs(lean_raw) - abs(roll_deg)) < 0.3, lean_raw


def test_a_roll_inside_its_own_error_is_not_corrected_but_widens_the_angles(poses_of):
    """A background whose few lines disagree (a wide-angle phone lens bends the lines near its edges): the roll
    it reads is not taken out, and trunk lean and shank angle say they may be off by up to its interval."""
    ge = analyze_events(poses_of(SIDE))
    vague = Roll(1.2, 44, 2.0, 1.3)
    assert not vague.resolvable and level_of(vague).roll_deg == 0.0
    assert level_of(vague).off_level_deg == pytest.approx(1.2 + 1.96 * 1.3)
    sharp, loose = compute_metrics(ge, camera_roll=Roll(0.0, 60, 0.0, 0.0)), compute_metrics(ge, camera_roll=vague)
    assert loose.summary.trunk_lean_deg == sharp.summary.trunk_lean_deg
    width = lambda ci: ci[1] - ci[0]  # noqa: E731
    assert width(loose.summary.trunk_lean_deg_ci) > width(sharp.summary.trunk_lean_deg_ci)
    assert width(loose.summary.knee_flexion_fs_deg_ci) == width(sharp.summary.knee_flexion_fs_deg_ci)
    assert loose.quality["form"]["level"]["corrected_by_deg"] == 0.0
    assert any("cannot say how much" in w for w in loose.warnings)
    assert not any("picture's vertical" in w for w in sharp.warnings)


def test_the_rolls_error_counts_each_background_line_once():
    """Six frames of a static background find the same lines six times: the standard error is the one frame's."""
    rng = np.random.default_rng(1)
    one = 2.0 + rng.normal(0.0, 0.5, 40)
    six, single = estimate_roll([one] * 6, [np.ones(40)] * 6), estimate_roll([one], [np.ones(40)])
    assert six.roll_deg == pytest.approx(single.roll_deg) and six.se_deg == pytest.approx(single.se_deg)
    assert 0.05 < six.se_deg < 0.15 and six.resolvable  # a median's: 1.25 x 0.5 / sqrt(40) = 0.10


def test_the_roll_is_read_from_the_cache_then_the_clip(tmp_path, poses_of, monkeypatch):
    poses = poses_of(SIDE)
    monkeypatch.setenv("GAIT_CACHE_DIR", str(tmp_path))
    key = "k" * 32
    dec = Decoded(poses, True, key=key)
    first = dec.camera_roll(str(SIDE))  # not cached yet: read off the few frames, then cached
    assert first.roll_deg == pytest.approx(0.0, abs=0.5) and first.n_lines >= 4
    assert (tmp_path / f"{roll_cache_key(key)}.npz").is_file()
    (tmp_path / f"{roll_cache_key(key)}.npz").write_bytes(Roll(1.5, 9, 0.2).to_npz_bytes())
    assert Decoded(poses, True, key=key).camera_roll(str(SIDE)) == Roll(1.5, 9, 0.2)  # no decode: the cache
    (tmp_path / f"{roll_cache_key(key)}.npz").write_bytes(b"damaged")
    assert Decoded(poses, True, key=key).camera_roll(str(SIDE)) == first  # a damaged entry is a miss
    gone = Decoded(poses, True).camera_roll(str(tmp_path / "moved.mp4"))  # no cache, and the clip is not there
    assert gone.roll_deg is None and not gone.resolvable


@pytest.fixture(scope="module")
def rolled_clips(tmp_path_factory):
    out = tmp_path_factory.mktemp("rolled")
    return {s.name: (s, make_clip(s, out)) for s in ROLLED}


def truth_lean_deg(spec) -> float:
    """Median trunk lean of the rendered skeleton over the clip's stretch of its source (level camera)."""
    d = json.loads((PHANTOM / f"{spec.source}.frames.json").read_text())
    facing = 1 if d["camera"]["view"] == "side_right" else -1
    lean = []
    for f in d["frames"]:
        if spec.start_s <= f["t"] <= spec.start_s + spec.seconds:
            j = {k: np.array(v, float) for k, v in f["joints2d"].items()}
            top, bottom = (j["LeftArm"] + j["RightArm"]) / 2, (j["LeftUpLeg"] + j["RightUpLeg"]) / 2
            lean.append(np.degrees(np.arctan2(facing * (top - bottom)[0], -(top - bottom)[1])))
    return float(np.median(lean))


@pytest.mark.slow
@pytest.mark.parametrize("name", [s.name for s in ROLLED])
def test_a_rolled_camera_reads_the_level_runs_trunk_lean(rolled_clips, poses_of, name):
    from gait.pipeline import analyze

    spec, path = rolled_clips[name]
    r = analyze(path)
    level = r.quality["form"]["level"]
    assert level["camera_roll_deg"] == pytest.approx(spec.roll_deg, abs=0.5) and level["background_lines"] >= 4
    assert level["corrected_by_deg"] == level["camera_roll_deg"]
    assert level["camera_roll_ci"][0] <= spec.roll_deg + 0.3 and level["camera_roll_ci"][1] >= spec.roll_deg - 0.3
    assert any("camera is rolled" in w for w in r.quality["warnings"])
    truth = truth_lean_deg(spec)
    assert abs(r.summary.trunk_lean_deg - truth) <= TRUTH_LEAN_TOL_DEG, (r.summary.trunk_lean_deg, truth)
    # the same clip read against the picture's vertical, as before the level was read off the background
    unlevelled = compute_metrics(analyze_events(poses_of(path))).summary.trunk_lean_deg
    assert abs(unlevelled - truth) > TRUTH_LEAN_TOL_DEG, (unlevelled, truth)
    # the per-frame export (MOT, tables) measures against the same level
    per_frame = np.nanmedian(load_frames(r).angles.trunk_lean_deg)
    assert abs(per_frame - r.summary.trunk_lean_deg) <= 1.0 and abs(per_frame - truth) <= TRUTH_LEAN_TOL_DEG


@pytest.mark.slow
@pytest.mark.parametrize("stem", ["side_right_drop4_169spm_60fps", "side_left_high_drop0_178spm_60fps"])
def test_a_level_camera_keeps_the_pictures_vertical(stem):
    from gait.pipeline import analyze

    spec = next(s for s in ROLLED if s.source == stem)
    r = analyze(PHANTOM / f"{stem}.mp4")
    assert abs(r.quality["form"]["level"]["camera_roll_deg"]) <= 0.5
    assert r.quality["form"]["level"]["corrected_by_deg"] == 0.0
    assert not any("camera is rolled" in w for w in r.quality["warnings"])
    assert abs(r.summary.trunk_lean_deg - truth_lean_deg(dataclasses.replace(spec, start_s=0.0, seconds=1e9))) \
        <= TRUTH_LEAN_TOL_DEG


@pytest.mark.slow
def test_the_decode_pass_and_the_cached_read_agree_on_the_roll(rolled_clips, poses_of):
    """The roll the decode pass samples (here: its pelvis sampler run over the clip) and the one read later
    from the same frames for landmarks cached without it."""
    _, path = rolled_clips["side_left_high_roll+4"]
    poses = poses_of(path)
    samples = sample_clip(str(path), poses, Params())
    try:
        assert clip_roll(str(path), poses, Params()).roll_deg == pytest.approx(samples.roll.roll_deg, abs=0.3)
    finally:
        samples.close()


def test_the_report_says_what_the_angles_were_measured_against():
    from gait.pipeline import analyze
    from gait.report.view.quality import angle_notes

    r = analyze(SIDE)
    assert angle_notes(r) == ["Trunk lean and shank angle are measured from the vertical of the picture; the "
                              "background's lines show the camera level."]
    r.quality["form"]["level"].update(camera_roll_deg=-2.9, camera_roll_ci=[-3.2, -2.6], corrected_by_deg=-2.9)
    assert "roll of 2.9° (±0.3°) was taken out" in angle_notes(r)[0]
    r.quality["form"]["level"].update(camera_roll_deg=0.8, camera_roll_ci=[-4.3, 5.9], corrected_by_deg=0.0)
    assert "level to within 5.9°" in angle_notes(r)[0]
    r.quality["form"]["level"].update(camera_roll_deg=None, camera_roll_ci=None, background_lines=0)
    assert "no level or plumb lines" in angle_notes(r)[0]
    del r.quality["form"]["level"]  # a result from before the level was recorded
    assert angle_notes(r) == []
