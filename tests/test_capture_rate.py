"""Slow motion: the capture rate from the container or the user, the runner's clock, and the video's."""
from __future__ import annotations

import numpy as np
import pytest
from media import write_capture_fps_clip

from gait.errors import UsageError
from gait.pipeline import Options, time_base
from gait.result import Events, Result, Stride
from gait.timebase import result_to_video_clock, retime_poses
from gait.video import probe
from gait.video.capture import metadata_capture_fps, time_scale
from gait.video.reader import VideoInfo


def test_android_capture_rate_is_read_from_the_container(tmp_path):
    p = write_capture_fps_clip(tmp_path / "slowmo.mp4", "240.000000")
    fps, key = metadata_capture_fps(p)
    assert fps == 240.0 and key == "com.android.capture.fps"
    k, tb = time_base(Options(), probe(p, count=False))
    assert k == pytest.approx(30 / 240) and tb["capture_fps"] == pytest.approx(240) and "metadata" in tb["source"]


def test_no_tag_means_the_clips_own_clock(tmp_path):
    p = write_capture_fps_clip(tmp_path / "plain.mp4", None)
    assert metadata_capture_fps(p) == (None, None)
    assert time_base(Options(), probe(p, count=False))[0] == 1.0


def test_a_capture_rate_equal_to_playback_is_real_time():
    assert time_scale(30.0, 30.0) == 1.0 and time_scale(30.0, 31.0) == 1.0
    assert time_scale(30.0, 120.0) == 0.25


def test_user_rate_wins_over_the_container(tmp_path):
    p = write_capture_fps_clip(tmp_path / "slowmo.mp4", "240")
    info = probe(p, count=False)
    assert time_base(Options(capture_fps=120.0), info)[0] == pytest.approx(0.25)
    assert time_base(Options(slowmo=2.0), info)[0] == pytest.approx(0.5)


@pytest.mark.parametrize("kw", [{"capture_fps": 120.0, "slowmo": 4.0}, {"capture_fps": 5.0}, {"slowmo": 0.5},
                                {"slowmo": 100.0}])
def test_bad_slow_motion_options_are_one_sentence(kw):
    with pytest.raises(UsageError) as e:
        Options(**kw).validate()
    assert str(e.value).endswith(".") and "\n" not in str(e.value)


def test_instants_go_back_to_the_video_clock_durations_stay_real(poses_of):
    from conftest import PHANTOM

    p = poses_of(PHANTOM / "side_right_drop4_169spm_60fps.mp4")
    slowed = retime_poses(p, 4.0)  # the clip's clock, 4x slower than the runner
    real = retime_poses(slowed, 0.25)
    np.testing.assert_allclose(real.t_s, p.t_s)
    assert real.video.fps == pytest.approx(p.video.fps)
    r = Result(video=VideoInfo.from_dict({}), model="full", events=Events({"left": [1.0], "right": [1.2]}, {"left": [1.1], "right": [1.3]}),
               strides=[Stride(side="left", foot_strike_s=1.0, toe_off_s=1.1, stride_time_s=0.7, contact_time_ms=100.0)],
               traces={"t_s": [0.0, 0.5], "stride_times": {"left": [[1.0, 0.7]]}, "pelvic_obliquity": {"t_s": [0.25]}})
    result_to_video_clock(r, 0.25)
    assert r.events.foot_strike["left"] == [4.0] and r.strides[0].foot_strike_s == 4.0
    assert r.strides[0].stride_time_s == 0.7 and r.strides[0].contact_time_ms == 100.0
    assert r.traces["t_s"] == [0.0, 2.0] and r.traces["stride_times"]["left"] == [[4.0, 0.7]]
    assert r.traces["pelvic_obliquity"]["t_s"] == [1.0]
