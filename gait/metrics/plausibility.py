"""Per-stride plausibility: values running cannot produce are left out of the summaries, with the reason.

Running has a flight phase and no double support, so in every running stride the flight time is
positive, the contact is shorter than half the stride (duty factor under 50 %) and the stance
is shorter than its stride. A step (strike to the other foot's strike) between half and twice
the clip's median is a real step; outside that an event was missed or is spurious. Walking
(double support) is exempt from the flight and duty-factor rules. Each stride keeps its
measured events; only the values that cannot be right are cleared, and the stride's ``flags``
say which and why (sentences with the numbers, joined by "; ").
"""
from __future__ import annotations

import numpy as np

from gait.result import Stride

# Running's defining flight phase: contact below half a stride (duty factor < 50 %).
MAX_RUNNING_DUTY_PCT = 50.0
# Step times this far from the median (x0.5 .. x2) mean a missed or spurious strike.
STEP_RATIO_RANGE = (0.5, 2.0)


def _flag(st: Stride, why: str) -> None:
    st.flags = why if not st.flags else f"{st.flags}; {why}"


def _clear_contact(st: Stride, why: str) -> None:
    st.contact_time_ms = st.duty_factor_pct = st.flight_time_ms = None
    _flag(st, why)


def check_stride(st: Stride, is_walking: bool, median_step_s: float | None) -> None:
    """Clear the impossible values of one stride in place and say why in ``st.flags``."""
    if st.contact_time_ms is not None and st.stride_time_s and st.contact_time_ms >= 1000 * st.stride_time_s:
        _clear_contact(st, f"stance of {st.contact_time_ms:.0f} ms is longer than its stride "
                           f"({1000 * st.stride_time_s:.0f} ms): contact, flight and duty factor left out")
    if not is_walking and st.flight_time_ms is not None and st.flight_time_ms < 0:
        _clear_contact(st, f"flight time of {st.flight_time_ms:.0f} ms is impossible in running (the next foot "
                           "landed before this one left): contact, flight and duty factor left out")
    if not is_walking and st.duty_factor_pct is not None and st.duty_factor_pct > MAX_RUNNING_DUTY_PCT:
        _clear_contact(st, f"duty factor of {st.duty_factor_pct:.0f} % is above the {MAX_RUNNING_DUTY_PCT:.0f} % "
                           "running allows: contact, flight and duty factor left out")
    if st.step_time_s is not None and median_step_s:
        lo, hi = STEP_RATIO_RANGE
        r = st.step_time_s / median_step_s
        if not lo <= r <= hi:
            _flag(st, f"step time of {1000 * st.step_time_s:.0f} ms is {r:.1f} times the clip's median "
                            f"({1000 * median_step_s:.0f} ms), a missed or spurious strike: step time left out")
            st.step_time_s = None


def check_strides(strides: list[Stride], is_walking: bool) -> list[str]:
    """Apply ``check_stride`` to every stride; returns one plain sentence per problem kind for ``quality``."""
    steps = [s.step_time_s for s in strides if s.step_time_s]
    med = float(np.median(steps)) if steps else None
    for st in strides:
        check_stride(st, is_walking, med)
    return summarise_flags(strides)


def summarise_flags(strides: list[Stride]) -> list[str]:
    kinds = {  # a phrase only that kind's flag contains -> how the note names it
        "longer than its stride": "a stance longer than its stride",
        "is impossible in running": "a negative flight time",
        "running allows": "a duty factor above 50 %",
        "times the clip's median": "a step time outside half to twice the median",
    }
    notes = []
    for key, words in kinds.items():
        n = sum(1 for s in strides if key in (s.flags or ""))
        if n:
            # "N strides" is said once per page (the report's header); here the count is of those
            who = "1 stride" if n == 1 else f"{n} of the strides"
            notes.append(f"{words[0].upper()}{words[1:]}: {who}, left out of the summaries.")
    return notes
