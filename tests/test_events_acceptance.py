"""Per-side timing against truth on every shared phantom clip (issue 12's acceptance), full model.

Per side: >= 95 % of strikes within +-2 frames; mean contact time within 15 ms at 60 fps (20 ms at
30 fps); contact-time asymmetry within 5 percentage points of the truth's; and no asymmetry the
interval calls resolvable beyond 12 % where the truth's is under 12 %. Clips that miss a check are
strict expected failures with the measured reason, so a fix shows up as a pass to be recorded.
"""
from __future__ import annotations

import functools

import pytest
from conftest import PHANTOM

from gait.events import analyze_events
from gait.metrics import compute_metrics
from gait.pelvis import Params, clip_roll
from gait.result import Result
from gait.validate import clips_with_truth, load_truth, score
from gait.video.reader import VideoInfo

MIN_HIT_PCT = 95.0
CONTACT_TOL_MS = {60: 15.0, 30: 20.0}
ASYM_TOL_PP = 5.0
MARKED_ASYM_PCT = 12.0
CLIPS = [p.stem for p in clips_with_truth(PHANTOM)]

# (clip, check) -> why it misses, measured with the full model (see the issue note for the numbers)
FRONT_TOE_OFF = ("front view: no toe-off is measured (MediaPipe's toe depth is most backward 5-11 frames after the "
                 "toe-off, past any running contact), so no contact time is reported")
KNOWN: dict[tuple[str, str], str] = {
    # Rear/front views see depth and height as one image axis, so a strike is not seen: it is mirrored about
    # the body's lowest point, and the contact is (toe-off - lowest point) / (1 - the share before the low).
    # Its error is about twice the toe-off's error minus the low's: a few ms each, doubled. On the phantom
    # even the truth's own hips are lowest 5-13 ms before mid-contact (the animation), and by other amounts
    # per side in an oblique view, so no single height signal is exact. Every rear clip now meets the bars.
    ("front_L2R7_170spm_60fps", "contact"): FRONT_TOE_OFF,
    ("front_L2R7_170spm_60fps", "asymmetry"): FRONT_TOE_OFF,
}


def case(clip: str, check: str):
    why = KNOWN.get((clip, check))
    return pytest.param(clip, marks=pytest.mark.xfail(strict=True, reason=why)) if why else clip


def score_clip(path, poses_of):
    """(truth, events, metrics, score) of one clip with truth: the events and metrics stages, scored, with the
    camera's roll from the clip's background as gait.pipeline gives it (side views ask for it)."""
    tr = load_truth(path)
    poses = poses_of(path)
    roll = functools.cache(lambda: clip_roll(str(path), poses, Params()))
    ge = analyze_events(poses, camera_roll=lambda: roll().resolved_deg)
    m = compute_metrics(ge, belt_speed_mps=tr.belt_speed_mps, height_m=tr.body_height_m,
                        camera_roll=roll() if ge.view.startswith("side") else None)
    r = Result(video=VideoInfo.from_dict({}), model="full", view=ge.view, events=ge.events, strides=m.strides, summary=m.summary)
    return tr, ge, m, score(r, tr)


@pytest.fixture(scope="module")
def scored(poses_of):
    memo = {}

    def get(clip):
        if clip not in memo:
            memo[clip] = score_clip(PHANTOM / f"{clip}.mp4", poses_of)
        return memo[clip]
    return get


@pytest.mark.parametrize("clip", [case(c, "view") for c in CLIPS])
def test_view_and_camera_yaw(scored, clip):
    tr, ge, _, s = scored(clip)
    assert s.view_ok, f"{ge.view} for a {tr.view} view"
    if tr.view in ("rear", "front"):
        assert abs(ge.camera_yaw_deg - tr.camera_yaw_deg) <= 10.0, f"yaw {ge.camera_yaw_deg} vs {tr.camera_yaw_deg}"


@pytest.mark.parametrize("clip", [case(c, "strikes") for c in CLIPS])
def test_strikes_within_two_frames_per_side(scored, clip):
    _, _, _, s = scored(clip)
    for side in (s.left, s.right):
        assert side.strike_hit_pct >= MIN_HIT_PCT, f"{side.strike_hit_pct:.0f} % within 2 frames"


@pytest.mark.parametrize("clip", [case(c, "contact") for c in CLIPS])
def test_contact_time_per_side(scored, clip):
    tr, _, _, s = scored(clip)
    tol = CONTACT_TOL_MS[30 if tr.fps < 45 else 60]
    for name, side in (("left", s.left), ("right", s.right)):
        err = side.contact_time_ms - side.contact_time_true_ms
        assert abs(err) <= tol, f"{name}: {side.contact_time_ms:.0f} vs {side.contact_time_true_ms:.0f} ms"


@pytest.mark.parametrize("clip", [case(c, "asymmetry") for c in CLIPS])
def test_contact_asymmetry(scored, clip):
    _, _, m, s = scored(clip)
    assert abs(s.contact_asymmetry_pct - s.contact_asymmetry_true_pct) <= ASYM_TOL_PP
    ci = m.summary.contact_time_asymmetry_pct_ci
    if abs(s.contact_asymmetry_true_pct) < MARKED_ASYM_PCT:
        assert not (ci[0] > MARKED_ASYM_PCT or ci[1] < -MARKED_ASYM_PCT), f"interval {ci} calls it marked"


@pytest.mark.parametrize("clip", CLIPS)
def test_no_false_resolvable_asymmetry(scored, clip):
    """Where the truth's asymmetry is under 12 %, the interval never puts it beyond 12 %, whatever the view.
    (A view where a foot's contact cannot be measured reports no asymmetry at all, and so marks none.)"""
    _, _, m, s = scored(clip)
    ci = m.summary.contact_time_asymmetry_pct_ci
    if m.summary.contact_time_asymmetry_pct is None:
        return
    assert ci is not None
    if abs(s.contact_asymmetry_true_pct) < MARKED_ASYM_PCT:
        assert ci[0] <= MARKED_ASYM_PCT and ci[1] >= -MARKED_ASYM_PCT, ci


@pytest.mark.parametrize("clip", CLIPS)
def test_assumed_toe_offs_are_never_reported(scored, clip):
    """Toe-offs that could not be measured are not in the events (a foot with none measured has no contact
    time); they reach only the pelvis' stance windows."""
    _, ge, m, _ = scored(clip)
    for side in ("left", "right"):
        measured, assumed = ge.events.toe_off[side], ge.assumed_toe_off.get(side, [])
        assert not set(measured) & set(assumed)
        assert ge.stance_events.toe_off[side] == sorted(measured + assumed)
        if not measured:
            assert getattr(m.summary, f"contact_time_{side}_ms") is None
