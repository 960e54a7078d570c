"""Realistic ``Result`` objects (and matching synthetic clips/landmarks) for report, batch and web tests.

Nothing here runs pose estimation: the numbers are hand-made but physically consistent
(a runner at ~170 steps/min on a treadmill at 3.3 m/s, 1.78 m tall, 10 s clip).

    from report_fixtures import make_result   # tests/ is on sys.path under pytest
    r = make_result(view="rear")            # with a pelvic obliquity trace and per-stance drop
    r = make_result(view="side_right")      # with form angles at foot strike, no pelvic drop
"""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from gait.result import (
    Events,
    Finding,
    PelvicTrace,
    PelvisQuality,
    PelvisResult,
    Recommendation,
    Result,
    SideDrop,
    StanceDrop,
    Stride,
    Summary,
)
from gait.video.reader import VideoInfo

HOSTILE_TITLE = 'Drop <script>alert("x")</script> & "quotes"'  # must come out escaped


def _events(n_strides: int, stride_s: float, contact_s: float, t0_s: float) -> Events:
    rng = np.random.default_rng(11)  # a few ms of step-to-step variability, as in real running
    left = [round(t0_s + i * stride_s + float(rng.normal(0, 0.006)), 4) for i in range(n_strides + 1)]
    right = [round(t + stride_s / 2 + float(rng.normal(0, 0.006)), 4) for t in left]
    return Events(foot_strike={"left": left, "right": right},
                  toe_off={"left": [round(t + contact_s + float(rng.normal(0, 0.005)), 4) for t in left],
                           "right": [round(t + contact_s + 0.006 + float(rng.normal(0, 0.005)), 4) for t in right]})


def _strides(ev: Events, view: str, drop_deg: dict[str, float], belt_mps: float) -> list[Stride]:
    rng = np.random.default_rng(7)
    out: list[Stride] = []
    for side, other in (("left", "right"), ("right", "left")):
        fs, to = ev.foot_strike[side], ev.toe_off[side]
        for i in range(len(fs) - 1):
            jitter = float(rng.normal(0, 0.006))
            stride_t = fs[i + 1] - fs[i] + jitter
            nxt = [t for t in ev.foot_strike[other] if t > fs[i]][0]
            contact_ms = (to[i] - fs[i]) * 1000 + float(rng.normal(0, 6))
            s = Stride(side=side, foot_strike_s=fs[i], toe_off_s=to[i], next_foot_strike_s=fs[i + 1],
                       stride_time_s=round(stride_t, 4), step_time_s=round(nxt - fs[i] + jitter / 2, 4),
                       contact_time_ms=round(contact_ms, 1), flight_time_ms=round((nxt - to[i]) * 1000, 1),
                       duty_factor_pct=round(contact_ms / 10 / stride_t, 1),
                       stride_length_m=round(belt_mps * stride_t, 3))
            if view.startswith("side"):
                s.overstride_cm = round(9.0 + float(rng.normal(0, 1.5)), 1)
                s.overstride_leg_pct = round(s.overstride_cm / 0.92, 1)
                s.shank_angle_deg = round(7.0 + float(rng.normal(0, 1.2)), 1)
                s.knee_flexion_fs_deg = round(16.0 + float(rng.normal(0, 2)), 1)
                s.knee_flexion_midstance_deg = round(41.0 + float(rng.normal(0, 2)), 1)
                s.trunk_lean_deg = round(8.0 + float(rng.normal(0, 1)), 1)
            else:
                s.pelvic_drop_deg = round(drop_deg[side] + float(rng.normal(0, 0.8)), 2)
                s.pelvic_drop_midstance_deg = round(s.pelvic_drop_deg - 0.7, 2)
                s.pelvic_drop_peak_s = round(fs[i] + 0.45 * (to[i] - fs[i]), 4)
                s.pelvic_confidence = 0.85
            out.append(s)
    out.sort(key=lambda s: s.foot_strike_s)
    out[-1].excluded = "ends within 0.3 s of the clip's end"
    return out


def _pelvic_trace(ev: Events, drop_deg: dict[str, float], duration_s: float, fps: float) -> dict:
    """Obliquity, + = right hip lower (drop during LEFT stance): a bump per stance."""
    t = np.arange(0, duration_s, 1 / fps)
    deg = np.zeros_like(t)
    for side, sign in (("left", 1.0), ("right", -1.0)):
        for a, b in zip(ev.foot_strike[side], ev.toe_off[side]):
            inside = (t >= a) & (t <= b)
            deg[inside] += sign * drop_deg[side] * np.sin(math.pi * (t[inside] - a) / (b - a))
    deg += np.random.default_rng(3).normal(0, 0.25, len(t))
    return {"t_s": [round(float(x), 4) for x in t], "deg": [round(float(x), 3) for x in deg]}


def _summary(strides: list[Stride], view: str, drop_deg: dict[str, float], belt_mps: float,
             intervals: bool = False) -> Summary:
    use = [s for s in strides if not s.excluded]
    med = lambda k, side=None: (float(np.median([getattr(s, k) for s in use if side in (None, s.side)]))
                                if getattr(use[0], k) is not None else None)
    step = med("step_time_s")
    s = Summary(cadence_spm=round(60 / step, 1), cadence_spectral_spm=round(60 / step + 0.3, 1),
                step_time_s=step, step_time_cv_pct=2.1, stride_time_s=med("stride_time_s"),
                contact_time_ms=med("contact_time_ms"), contact_time_left_ms=med("contact_time_ms", "left"),
                contact_time_right_ms=med("contact_time_ms", "right"), flight_time_ms=med("flight_time_ms"),
                duty_factor_pct=med("duty_factor_pct"), stride_length_m=med("stride_length_m"),
                speed_mps=belt_mps, contact_time_asymmetry_pct=1.8, step_time_asymmetry_pct=1.2,
                is_walking=False)
    if view.startswith("side"):
        for k in ("overstride_cm", "overstride_leg_pct", "shank_angle_deg", "knee_flexion_fs_deg",
                  "knee_flexion_midstance_deg", "trunk_lean_deg"):
            setattr(s, k, med(k))
        s.vertical_oscillation_cm, s.vertical_ratio_pct = 8.4, 7.2
    else:
        s.pelvic_drop_left_deg, s.pelvic_drop_right_deg = med("pelvic_drop_deg", "left"), med("pelvic_drop_deg", "right")
        s.pelvic_drop_left_sd_deg = s.pelvic_drop_right_sd_deg = 0.8
        s.pelvic_drop_asymmetry_deg = round(s.pelvic_drop_left_deg - s.pelvic_drop_right_deg, 2)
        if intervals:
            _pelvic_intervals(s, use)
    if intervals:
        _timing_intervals(s, use)
    return s


def _timing_intervals(s: Summary, use: list[Stride]) -> None:
    """Intervals of the timing metrics as the timing stage fills them (gait.uncertainty, one frame of resolution)."""
    from gait.uncertainty import bootstrap_ci, widen

    frame_ms = 1000 / 60
    s.frame_interval_ms = round(frame_ms, 2)
    step = [x.step_time_s for x in use]
    s.step_time_s_ci = widen(bootstrap_ci(step), s.step_time_s, frame_ms / 1000 / len(step) ** 0.5)
    lo, hi = s.step_time_s_ci
    s.cadence_spm_ci = [round(60 / hi, 2), round(60 / lo, 2)]
    s.contact_time_ms_ci = widen(bootstrap_ci([x.contact_time_ms for x in use]), s.contact_time_ms, frame_ms)
    s.stride_length_m_ci = widen(bootstrap_ci([x.stride_length_m for x in use]), s.stride_length_m, 0.0)


def _pelvic_intervals(s: Summary, use: list[Stride]) -> None:
    """95 % intervals as the pipeline gives them (gait.uncertainty): the findings are gated by them."""
    from gait.uncertainty import bootstrap_ci, paired_median_bootstrap_ci

    per_side = {side: [x.pelvic_drop_deg for x in use if x.side == side] for side in ("left", "right")}
    s.pelvic_drop_left_deg_ci = list(bootstrap_ci(per_side["left"]))
    s.pelvic_drop_right_deg_ci = list(bootstrap_ci(per_side["right"]))
    s.pelvic_drop_asymmetry_deg_ci = list(paired_median_bootstrap_ci(per_side["left"], per_side["right"],
                                                                     np.subtract))


def _findings(view: str, side_drop: str) -> tuple[list[Finding], list[Recommendation]]:
    bramah = {"id": "bramah2018", "citation": "Bramah C et al. (2018) Am J Sports Med 46:3023–3031"}
    seed = {"id": "seed_001", "title": "Common Reasons for Hip Pain After Running",
            "publisher": "Kinetic Sports Medicine"}
    heider = {"id": "heiderscheit2011", "citation": "Heiderscheit BC et al. (2011) Med Sci Sports Exerc 43:296–302"}
    findings = [Finding(id="pelvic_drop_high" if view == "rear" else "overstride", title=HOSTILE_TITLE,
                        severity="moderate", side=side_drop, values={"pelvic_drop_left_deg": 9.1},
                        threshold="peak drop > 8° during stance (heuristic band)", evidence="heuristic",
                        mechanism=["weak hip abductors", "pelvis drops on the swing side", "more load on the ITB"],
                        explanation="The pelvis drops more than typical while the left foot is on the ground.",
                        sources=[bramah, seed]),
                Finding(id="cadence_low", title="Cadence on the low side for the speed", severity="mild",
                        side=None, values={"cadence_spm": 164.0}, threshold="< 166 steps/min at 3.3 m/s",
                        evidence="evidence-based", mechanism=["long steps", "more hip and knee energy absorption"],
                        explanation="Cadence is a little low for this speed.", sources=[heider])]
    recs = [Recommendation(id="hip_abductor_strength", kind="strength", title="Side-lying hip abduction",
                           detail="Slow, controlled lifts; pair with a 'level pelvis' cue while running.",
                           side=side_drop, dose="3 × 12, 3×/week", phase="strengthening",
                           because_of=[findings[0].id], sources=[seed]),
            Recommendation(id="cadence_plus5", kind="cadence", title="Raise cadence by 5 %",
                           detail="Run to a metronome 5 % above your current step rate.", target_spm=172.0,
                           because_of=["cadence_low"], sources=[heider])]
    return findings, recs


def make_result(view: str = "rear", *, video_path: str = "/data/clips/runner_rear.mp4", n_strides: int = 12,
                stride_s: float = 0.71, contact_s: float = 0.245, drop_deg: dict[str, float] | None = None,
                belt_mps: float = 3.3, duration_s: float = 10.0, fps: float = 60.0, t0_s: float = 0.4,
                width: int = 1280, height: int = 720, intervals: bool = False) -> Result:
    drop_deg = drop_deg or {"left": 9.0, "right": 5.5}
    ev = _events(n_strides, stride_s, contact_s, t0_s)
    strides = _strides(ev, view, drop_deg, belt_mps)
    summary = _summary(strides, view, drop_deg, belt_mps, intervals)
    findings, recs = _findings(view, "left")
    r = Result(video=VideoInfo(video_path, fps, int(duration_s * fps), duration_s, width, height, 0,
                               content_sha256="0" * 64),
               model="full", view=view, view_confidence=0.93, events=ev, strides=strides, summary=summary,
               findings=findings, recommendations=recs,
               inputs={"view": "auto", "belt_speed_mps": belt_mps, "height_m": 1.78, "model": "full",
                       "num_poses": 2, "landmarks_from_cache": True, "pelvis_markers": False},
               disclaimer="This is not medical advice. See a clinician for pain that persists.")
    r.quality.update({"frames_with_pose_pct": 98.5, "warnings": [
        "3 frames had no pose; they were interpolated.", "Left/right legs swapped in 2 frames <fixed>."]})
    if view.startswith("side"):
        r.quality["pelvic_drop"] = {"not_measured": "pelvic drop needs a rear or front view; this clip is a side view"}
    else:
        r.traces["pelvic_obliquity"] = _pelvic_trace(ev, drop_deg, duration_s, fps)
        r.pelvis = _pelvis(r)
    return r


def _pelvis(r: Result) -> PelvisResult:
    """The pelvis stage's typed result for the fixture's stances: every stance with a toe-off, as the stage reads."""
    s, tr = r.summary, r.traces["pelvic_obliquity"]
    peaks = {x.foot_strike_s: x for x in r.strides}
    stances = []
    for side in ("left", "right"):
        for fs, to in zip(r.events.foot_strike[side], r.events.toe_off[side]):
            st = peaks.get(fs)
            deg = st.pelvic_drop_deg if st else getattr(s, f"pelvic_drop_{side}_deg")
            stances.append(StanceDrop(side, fs, to, deg, None if deg is None else deg - 0.7, fs + 0.45 * (to - fs),
                                      0.85, None))
    stances.sort(key=lambda x: x.foot_strike_s)
    n = {side: sum(x.side == side for x in stances) for side in ("left", "right")}
    quality = PelvisQuality(method="pelvis-band ECC registration (multi-template, rigid)", level_source="flight",
                            level_deg=-0.34, level_se_deg=0.03, camera_roll_deg=0.4, camera_roll_lines=19,
                            camera_yaw_deg=3.9, camera_yaw_uncertainty_deg=10.0, yaw_corrected=True, templates=6,
                            templates_segmented=6, stances_used=len(stances), torso_px=148.0)
    return PelvisResult(left=SideDrop(s.pelvic_drop_left_deg, s.pelvic_drop_left_deg_ci, s.pelvic_drop_left_sd_deg,
                                      n["left"]),
                        right=SideDrop(s.pelvic_drop_right_deg, s.pelvic_drop_right_deg_ci, s.pelvic_drop_right_sd_deg,
                                       n["right"]),
                        asymmetry_deg=s.pelvic_drop_asymmetry_deg, asymmetry_ci=s.pelvic_drop_asymmetry_deg_ci,
                        stances=stances, trace=PelvicTrace(tr["t_s"], tr["deg"], [0.9] * len(tr["t_s"])),
                        quality=quality)


# --- a tiny synthetic clip with matching landmarks (for key frames and the overlay) -------------------

def make_clip_and_poses(path: Path, *, seconds: float = 4.0, fps: float = 30.0, size: tuple[int, int] = (320, 240)):
    """Write a small mp4 (mp4v) of a moving stick figure and return (VideoInfo, PoseSeries) for it."""
    import cv2

    from gait.poses.series import PoseSeries

    w, h = size
    n = int(round(seconds * fps))
    t = np.arange(n) / fps
    xy = np.full((n, 33, 2), np.nan)
    base = np.array([w / 2, h * 0.2])
    for i, ti in enumerate(t):
        phase = 2 * math.pi * ti / 0.71
        tilt = 0.06 * math.sin(phase)
        pts = {0: (0, 0), 11: (-25, 30), 12: (25, 30), 13: (-32, 60), 14: (32, 60), 15: (-30, 85), 16: (30, 85),
               23: (-15, 95 + 15 * tilt * 10), 24: (15, 95 - 15 * tilt * 10), 25: (-18, 135 + 8 * math.sin(phase)),
               26: (18, 135 - 8 * math.sin(phase)), 27: (-20, 170), 28: (20, 170), 29: (-24, 176), 30: (24, 176),
               31: (-12, 178), 32: (12, 178)}
        for k, (dx, dy) in pts.items():
            xy[i, k] = base + (dx, dy * h / 240)
    vis = np.where(np.isfinite(xy[..., 0]), 0.95, 0.0)
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), fps, (w, h))
    for i in range(n):
        img = np.full((h, w, 3), 60, np.uint8)
        cv2.putText(img, f"{i}", (5, 20), cv2.FONT_HERSHEY_SIMPLEX, 0.5, (255, 255, 255), 1)
        cv2.circle(img, tuple(int(v) for v in xy[i, 0]), 10, (200, 200, 200), -1)
        writer.write(img)
    writer.release()
    info = VideoInfo(path=str(path), fps=fps, frames=n, duration_s=seconds, width=w, height=h, rotation=0,
                     content_sha256="f" * 64)
    poses = PoseSeries(t_s=t, frame_index=np.arange(n), image_xy=xy, image_z=np.zeros((n, 33)), visibility=vis,
                       presence=vis, world_xyz=np.zeros((n, 33, 3)), video=info, model="full")
    return info, poses


# --- a Result from a phantom clip's truth (real video + cached landmarks -> real key frames/overlay) ----

def phantom_result(clip: Path) -> Result:
    """Result whose numbers are the phantom clip's truth (../shared/sample_videos/phantom/<name>.mp4).

    Needs the clip (and, for key frames/overlay, its landmarks in the cache); no pose estimation.
    """
    import json

    from gait.video import probe

    truth = json.loads(Path(clip).with_suffix(".json").read_text())
    frames = json.loads(Path(clip).with_suffix(".frames.json").read_text())["frames"]
    side = {"L": "left", "R": "right"}
    ev = Events(foot_strike={side[k]: [e["t_s"] for e in v] for k, v in truth["foot_strikes"].items()},
                toe_off={side[k]: [e["t_s"] for e in v] for k, v in truth["toe_offs"].items()})
    rear = "rear" in Path(clip).name
    drops = {round(p["t_foot_strike"], 4): p for p in truth["pelvic_drop_per_stance"]}
    strides = []
    for k, lst in truth["strides"].items():
        for st in lst:
            fs = st["t_start"]
            to = next((t for t in ev.toe_off[side[k]] if t > fs), None)
            other = next((t for t in ev.foot_strike[side["R" if k == "L" else "L"]] if t > fs), None)
            p = drops.get(round(fs, 4), {})
            strides.append(Stride(side=side[k], foot_strike_s=fs, toe_off_s=to, next_foot_strike_s=fs + st["stride_time_s"],
                                  stride_time_s=st["stride_time_s"], step_time_s=None if other is None else other - fs,
                                  contact_time_ms=None if to is None else (to - fs) * 1000,
                                  stride_length_m=st["stride_length_m"],
                                  pelvic_drop_deg=p.get("peak_drop_deg_frontal_plane") if rear else None,
                                  pelvic_drop_peak_s=p.get("t_peak") if rear else None))
    strides.sort(key=lambda s: s.foot_strike_s)
    use = lambda k, sd=None: [getattr(s, k) for s in strides if getattr(s, k) is not None and sd in (None, s.side)]
    summary = Summary(cadence_spm=truth["cadence_spm"]["measured_from_foot_strikes"], stride_time_s=truth["stride_time_s"],
                      step_time_s=float(np.median(use("step_time_s"))),
                      contact_time_ms=float(np.median(use("contact_time_ms"))),
                      stride_length_m=truth["stride_length_m"], speed_mps=truth["belt_speed_mps"], is_walking=False)
    r = Result(video=probe(clip, count=False), model="full", view="rear" if rear else "side_right",
               view_confidence=1.0, events=ev, strides=strides, summary=summary,
               inputs={"view": "auto", "belt_speed_mps": truth["belt_speed_mps"], "height_m": 1.78, "model": "full",
                       "num_poses": 2})
    if rear:
        summary.pelvic_drop_left_deg = float(np.median(use("pelvic_drop_deg", "left")))
        summary.pelvic_drop_right_deg = float(np.median(use("pelvic_drop_deg", "right")))
        r.traces["pelvic_obliquity"] = {"t_s": [f["t"] for f in frames],
                                        "deg": [f["pelvic_obliquity_deg"]["frontal_plane"] for f in frames],
                                        "convention": "+ = left hip higher (phantom truth)"}
    try:
        from gait.findings import DISCLAIMER, evaluate

        r.findings, r.recommendations = evaluate(summary)
        r.disclaimer = DISCLAIMER
    except ImportError:
        r.disclaimer = "Not medical advice."
    return r
