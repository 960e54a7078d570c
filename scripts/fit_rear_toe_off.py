"""Fit the rear-view toe-off delay (gait.events.soles LIFT_DELAY_S, LIFT_ACCEL_MPS2) and the share of a contact
before the body's lowest point (gait.events.rear CONTACT_BEFORE_LOW) on phantom clips with truth.

    .venv/bin/python scripts/fit_rear_toe_off.py [CLIP_DIR ...]

For every rear clip and foot: the median delay from the sole's lowest image point to the true toe-off, and
the forefoot lift speed u at that point (the belt's image approach / pixels per metre at the feet), both as
the pipeline measures them (full-model landmarks from the cache). The model is delay = LIFT_DELAY_S -
u / LIFT_ACCEL_MPS2 (uniformly accelerated lift); the script prints the least-squares fit, each foot's
residual, and the leave-one-clip-out residuals, which are what a clip the fit has not seen should expect.
The share before the low is the median over feet of (low - true foot strike) / true contact; its check is the
contact time (toe-off - low) / (1 - share) against the truth, also left out one clip at a time.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import NamedTuple

import numpy as np

import gait.events.rear as rear
from gait.events import analyze_events
from gait.poses import load_or_estimate, resolve_model
from gait.validate import clips_with_truth, load_truth
from gait.video import probe

PHANTOM = Path(__file__).resolve().parents[2] / "shared" / "sample_videos" / "phantom"
MATCH_S = 0.06  # a toe-off further than this from every true one is not the same event


def foot_samples(path: Path) -> list[tuple[str, float, float, float, float]]:
    """(side, median delay from the sole's lowest image point to the true toe-off in s, lift speed u in m/s,
    median share of the true contact before the body's low, true mean contact in s) per foot of one clip."""
    seen: list[tuple[float, float, float]] = []  # (approach px/frame, px per m, fps), one per foot in order
    lows: list[np.ndarray] = []
    sole_toe_offs = rear.sole_toe_offs

    def no_delay(approach_px: float, px_per_m: float, fps: float) -> float:
        seen.append((approach_px, px_per_m, fps))
        return 0.0

    def recorded(y, foot_lows, *args):
        lows.append(np.asarray(foot_lows, float))
        return sole_toe_offs(y, foot_lows, *args)

    poses = load_or_estimate(probe(path, count=False), resolve_model("full", None))[0]
    truth = load_truth(path)
    original = rear.toe_off_delay_frames
    rear.toe_off_delay_frames, rear.sole_toe_offs = no_delay, recorded
    try:
        ge = analyze_events(poses)
    finally:
        rear.toe_off_delay_frames, rear.sole_toe_offs = original, sole_toe_offs
    out = []
    for side, (approach, px_per_m, fps), foot_lows in zip(("left", "right"), seen, lows):
        fs, to = truth.foot_strike_s[side], truth.toe_off_s[side]
        d = [to[np.argmin(abs(to - t))] - t for t in ge.events.toe_off[side]]
        d = [x for x in d if abs(x) < MATCH_S]
        shares = []
        for low in np.interp(foot_lows, np.arange(len(poses.t_s)), poses.t_s):
            before = fs[fs < low]
            after = to[to > low]
            if before.size and after.size and after[0] - before[-1] < 2 * MATCH_S + 0.2:
                shares.append((low - before[-1]) / (after[0] - before[-1]))
        if d and shares:
            out.append((side, float(np.median(d)), approach * fps / px_per_m, float(np.median(shares)),
                        truth.contact_time_ms[side] / 1000.0))
    return out


def fit(rows: np.ndarray) -> tuple[float, float]:
    slope, icpt = np.polyfit(rows[:, 2], rows[:, 1], 1)
    return float(icpt), float(-1.0 / slope)


class Fitted(NamedTuple):
    delay_s: float  # LIFT_DELAY_S
    accel_mps2: float  # LIFT_ACCEL_MPS2
    share: float  # CONTACT_BEFORE_LOW
    rows: np.ndarray  # per foot: clip number, delay s, u m/s, share, true contact s
    names: list[str]


def fit_constants(dirs: list[str] | None = None) -> Fitted:
    """The three constants fitted on every rear clip with truth in ``dirs`` (default: the shared phantom clips)."""
    clips = [p for d in (dirs or [PHANTOM]) for p in clips_with_truth(Path(d)) if load_truth(p).view == "rear"]
    rows, names = [], []
    for i, p in enumerate(clips):
        for side, delay, u, share, contact in foot_samples(p):
            rows.append((i, delay, u, share, contact))
            names.append(f"{p.stem} {side}")
    a = np.array(rows)
    delay_s, accel = fit(a)
    return Fitted(delay_s, accel, float(np.median(a[:, 3])), a, names)


def held_out(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per foot of ``Fitted.rows``, with the constants fitted on the other clips: the toe-off's residual
    (true - corrected, s) and the contact time's error (measured - true, s)."""
    residual, contact_err = np.empty(len(a)), np.empty(len(a))
    for i in np.unique(a[:, 0]):
        held = a[:, 0] == i
        d, acc = fit(a[~held])
        residual[held] = a[held, 1] - (d - a[held, 2] / acc)
        after_low = (1.0 - a[held, 3]) * a[held, 4] - residual[held]  # the measured toe-off - low
        contact_err[held] = after_low / (1.0 - np.median(a[~held, 3])) - a[held, 4]
    return residual, contact_err


def main(dirs: list[str]) -> None:
    delay_s, accel, share, a, names = fit_constants(dirs)
    print(f"LIFT_DELAY_S = {delay_s:.4f}\nLIFT_ACCEL_MPS2 = {accel:.1f}\nCONTACT_BEFORE_LOW = {share:.3f}\n")
    loco, contact_err = held_out(a)
    print(f"{'foot':44s} {'u m/s':>6s} {'raw ms':>7s} {'fit ms':>7s} {'held-out ms':>11s} {'share':>6s} {'contact ms':>10s}")
    for n, (_, delay, u, sh, _c), r, ce in zip(names, a, loco, contact_err):
        print(f"{n:44s} {u:6.2f} {1000 * delay:+7.1f} {1000 * (delay - delay_s + u / accel):+7.1f} {1000 * r:+11.1f}"
              f" {sh:6.3f} {1000 * ce:+10.1f}")
    print(f"\nheld-out toe-off residual: mean {1000 * loco.mean():+.1f} ms, SD {1000 * loco.std():.1f} ms "
          f"(uncorrected: mean {1000 * a[:, 1].mean():+.1f}, SD {1000 * a[:, 1].std():.1f}); held-out contact "
          f"error: mean {1000 * contact_err.mean():+.1f} ms, largest {1000 * abs(contact_err).max():.1f} ms")


if __name__ == "__main__":
    main(sys.argv[1:])
