"""Probable slow motion: a running clip whose rhythm only a slowed recording shows.

Phones often film in slow motion and export at 30 fps, so the clip's clock runs 2-8 times slower
than the runner. The running pattern itself (a flight phase, the swing foot's lift, the pelvis
lowest at midstance) does not depend on the clock, so such a clip is still recognised as running,
but at a cadence and with contact times no runner produces. Those clips are flagged and the
capture rate is asked for (``--capture-fps`` / ``--slowmo``) instead of reporting the rhythm.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from gait.result import Summary

# The slowest jogging cadences reported are ~140 steps/min (../shared/evidence.md: recreational
# runners ~169 at 2.7 m/s); a running clip below this reads a slowed clock.
MIN_RUNNING_SPM = 130.0
# A running contact (flight present) lasts at most ~0.35 s even at a slow jog; beyond 0.45 s the
# clock is slowed.
MAX_RUNNING_CONTACT_MS = 450.0
# Running cadences centre on ~170 steps/min: the slow-motion factor suggested is the one bringing
# the clip there.
TYPICAL_RUNNING_SPM = 170.0
COMMON_FACTORS = (2, 4, 8)  # 60, 120, 240 fps captures exported at 30 fps


@dataclass
class SlowMotion:
    probable: bool
    message: str | None = None
    quality: dict = field(default_factory=dict)


def likely_factor(cadence_spm: float) -> int:
    """The common slow-motion factor that brings ``cadence_spm`` closest to a typical running cadence."""
    return min(COMMON_FACTORS, key=lambda k: abs(cadence_spm * k - TYPICAL_RUNNING_SPM))


def slow_motion(sm: Summary, is_walking: bool) -> SlowMotion:
    """Flag a running clip whose cadence or contact time only a slowed clock explains."""
    if is_walking or sm.cadence_spm is None:
        return SlowMotion(False, None, {"probable_slow_motion": False})
    reasons = []
    if sm.cadence_spm < MIN_RUNNING_SPM:
        reasons.append(f"a cadence of {sm.cadence_spm:.0f} steps/min, below the {MIN_RUNNING_SPM:.0f} steps/min "
                       "that running reaches even at a slow jog")
    if sm.contact_time_ms is not None and sm.contact_time_ms > MAX_RUNNING_CONTACT_MS:
        reasons.append(f"a ground contact of {sm.contact_time_ms:.0f} ms, longer than the "
                       f"{MAX_RUNNING_CONTACT_MS:.0f} ms a running step allows")
    if not reasons:
        return SlowMotion(False, None, {"probable_slow_motion": False})
    k = likely_factor(sm.cadence_spm)
    msg = (f"This clip looks slowed down: the runner has a flight phase, yet it shows {' and '.join(reasons)}. "
           f"If it was filmed in slow motion, give the capture rate (for example --capture-fps {30 * k} for a "
           f"clip slowed {k} times and exported at 30 fps, or --slowmo {k}); until then cadence, timing and "
           "the advice that depends on them are not to be trusted.")
    return SlowMotion(True, msg, {"probable_slow_motion": True, "reasons": reasons, "likely_slowmo_factor": k})
