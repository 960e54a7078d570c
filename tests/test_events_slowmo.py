"""Slowed clips are flagged as probable slow motion; with the capture rate the true cadence comes back."""
from __future__ import annotations

import numpy as np
import pytest
from conftest import PHANTOM

from gait.events import analyze_events
from gait.metrics import compute_metrics
from gait.timebase import retime_poses
from gait.validate import load_truth

CLIPS = ["side_right_drop4_169spm_60fps", "rear_drop0_169spm_60fps", "rear_phone_L9R9_168spm_30fps"]


def duplicate_frames(p, k: int):
    """Each frame shown k times at the clip's own rate: a k-times slowed export that repeats frames."""
    idx = np.repeat(np.arange(len(p)), k)
    arrays = {name: getattr(p, name)[idx] for name in ("image_xy", "image_z", "visibility", "presence", "world_xyz")}
    arrays["sole_xy"] = p.sole_xy[idx] if p.sole_xy is not None else None
    t = np.arange(len(idx)) / p.video.fps + p.t_s[0]
    return p.with_arrays(t_s=t, frame_index=np.arange(len(idx)), **arrays)


def _metrics(p):
    ge = analyze_events(p)
    return compute_metrics(ge).summary


@pytest.mark.parametrize("clip", CLIPS)
@pytest.mark.parametrize("factor", [2.0, 4.0])
def test_retimed_clip_is_flagged_and_recovered(poses_of, clip, factor):
    path = PHANTOM / f"{clip}.mp4"
    truth = load_truth(path)
    p = poses_of(path)
    assert _metrics(p).probable_slow_motion is False
    slowed = retime_poses(p, factor)  # timestamps rewritten: the clip plays `factor` times slower
    sm = _metrics(slowed)
    assert sm.probable_slow_motion is True
    assert sm.cadence_spm == pytest.approx(truth.cadence_spm / factor, abs=1.0)
    back = _metrics(retime_poses(slowed, 1.0 / factor))  # what --capture-fps / --slowmo do
    assert back.probable_slow_motion is False and abs(back.cadence_spm - truth.cadence_spm) <= 1.0


@pytest.mark.parametrize("clip", CLIPS[:2])
def test_repeated_frames_slow_motion_is_flagged(poses_of, clip):
    path = PHANTOM / f"{clip}.mp4"
    truth = load_truth(path)
    sm = _metrics(duplicate_frames(poses_of(path), 2))
    assert sm.probable_slow_motion is True and sm.cadence_spm == pytest.approx(truth.cadence_spm / 2, abs=1.0)


@pytest.mark.slow
def test_slowed_video_end_to_end(tmp_path_factory):
    """A phantom clip re-timed to 0.5x playback (container timestamps): flagged by analyze(); with the
    capture rate given, the true cadence within 1 step/min and no flag."""
    from perturb_video import make_clip
    from perturbed_set import SLOWED
    from test_events_perturbed import perturbed_clip_dir

    from gait.pipeline import analyze

    spec = SLOWED[0]
    path = make_clip(spec, perturbed_clip_dir(tmp_path_factory))
    truth = load_truth(path)
    true_spm = truth.cadence_spm
    r = analyze(path, belt_speed_mps=truth.belt_speed_mps)
    assert r.summary.probable_slow_motion is True
    assert any("slowed down" in w and "--capture-fps" in w for w in r.quality["warnings"])
    fps_captured = 60.0
    r2 = analyze(path, belt_speed_mps=truth.belt_speed_mps, capture_fps=fps_captured)
    assert r2.summary.probable_slow_motion is False
    assert abs(r2.summary.cadence_spm - true_spm) <= 1.0
    # instants stay on the video's clock: the events still point at the slowed frames
    assert max(r2.events.foot_strike["left"]) > 0.6 * r2.video.duration_s
