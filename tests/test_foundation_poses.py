"""Pose estimation: the PoseSeries contract, the landmark cache, following one person."""
from __future__ import annotations

import numpy as np
import pytest

from gait.poses import cache, load_or_estimate, resolve_model
from gait.poses.tracking import choose_runner
from gait.video import probe
from tests.conftest import PHANTOM, REAL


def test_pose_series_contract(poses_of):
    s = poses_of(PHANTOM / "rear_drop8_169spm_60fps.mp4")
    n = len(s)
    assert n == 600
    assert s.image_xy.shape == (n, 33, 2) and s.world_xyz.shape == (n, 33, 3)
    assert np.all(np.diff(s.t_s) > 0)
    assert s.t_s[1] - s.t_s[0] == np.float64(s.t_s[1] - s.t_s[0]) and abs(s.t_s[1] - 1 / 60) < 1e-3
    assert s.detected.mean() > 0.95
    # Landmarks are pixels in the frame (runner centred in a 1280x720 render).
    hips = s.image_xy[:, 23:25].reshape(-1, 2)
    assert 400 < np.nanmedian(hips[:, 0]) < 900 and 200 < np.nanmedian(hips[:, 1]) < 600


def test_cache_roundtrip_and_hit(poses_of):
    path = PHANTOM / "rear_drop0_169spm_60fps.mp4"
    first = poses_of(path)
    info = probe(path, count=False)
    again, hit = load_or_estimate(info, resolve_model("full"))
    assert hit
    np.testing.assert_array_equal(again.image_xy, first.image_xy)
    np.testing.assert_array_equal(again.t_s, first.t_s)
    key = cache.cache_key(info, resolve_model("full").sha256, 2)
    assert (cache.cache_dir() / f"{key}.npz").is_file()


def test_cache_key_changes_with_content_and_model():
    info = probe(PHANTOM / "rear_drop0_169spm_60fps.mp4", count=False)
    other = probe(PHANTOM / "rear_drop8_169spm_60fps.mp4", count=False)
    assert cache.cache_key(info, "a", 2) != cache.cache_key(other, "a", 2)
    assert cache.cache_key(info, "a", 2) != cache.cache_key(info, "b", 2)
    assert cache.cache_key(info, "a", 1) != cache.cache_key(info, "a", 2)


def test_follows_one_person_when_two_are_in_view(poses_of):
    s = poses_of(REAL / "sports2d_demo_walking_multiperson.mp4")
    assert s.people_max >= 2
    assert "followed" in s.tracking_note
    # One identity: the followed person's hip centre never jumps across the frame between frames.
    hip = s.image_xy[:, 23:25].mean(axis=1)  # NaN where the person is not in view
    ok = np.isfinite(hip[:, 0])
    idx = np.flatnonzero(ok)
    consecutive = np.diff(idx) == 1
    jumps = np.linalg.norm(np.diff(hip[idx], axis=0), axis=1)[consecutive]
    diag = np.hypot(s.video.width, s.video.height)
    assert jumps.max() < 0.1 * diag


def test_choose_runner_prefers_large_central_persistent_track():
    # Person A: big and central for all 20 frames. Person B: small, at the edge, 5 frames.
    boxes = []
    for f in range(20):
        b = [np.array([400.0 + f, 100, 600 + f, 600])]
        if 5 <= f < 10:
            b.insert(0, np.array([10.0, 10, 60, 120]))
        boxes.append(np.stack(b))
    choice, n_tracks, note = choose_runner(boxes, 1000, 700)
    assert n_tracks == 2 and "2 people" in note
    assert [boxes[f][c][0] for f, c in enumerate(choice)] == [400.0 + f for f in range(20)]


def test_choose_runner_keeps_the_runner_through_a_gap_and_a_duplicate_pose():
    """Seen on a far rear camera: one frame with a second, partial pose of the runner, then one frame whose only
    box overlaps that duplicate slightly more than the runner's; later a frame with no detection at all. The
    runner is followed through both, nothing before them is dropped."""
    runner = lambda f: np.array([570.0 + f % 3, 235, 678 + f % 3, 500])  # noqa: E731
    dup = np.array([587.0, 287, 645, 516])
    boxes = []
    for f in range(60):
        if f == 20:
            boxes.append(np.stack([runner(f), dup]))
        elif f == 21:
            boxes.append(np.array([[586.0, 283, 650, 518]]))  # IoU 0.61 with the duplicate, 0.50 with the runner
        elif f == 40:
            boxes.append(np.zeros((0, 4)))
        else:
            boxes.append(runner(f)[None])
    choice, _, _ = choose_runner(boxes, 1280, 720)
    followed = [f for f, c in enumerate(choice) if c >= 0]
    assert followed[0] == 0 and followed[-1] == 59
    assert len(followed) >= 57 and all(boxes[f][choice[f]][1] == 235 for f in followed if f not in (21,))


def test_people_searched_for_is_one_or_two():
    from gait.errors import UsageError
    from gait.pipeline import Options

    for n in (1, 2):
        assert Options(num_poses=n).validate().num_poses == n
    with pytest.raises(UsageError, match="1 or 2 people"):
        Options(num_poses=3).validate()
