"""The analysis result: typed dataclasses and the versioned ``result.json`` contract.

Field meanings and units are documented in docs/result-schema.md. Bump
``SCHEMA_VERSION`` on any change that could break a reader (and keep reading the older shape).
"""
from __future__ import annotations

import dataclasses
import json
import math
import types
import typing
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from gait.video.reader import VideoInfo

# 3: a side + rear pair's rear clip (video, view, events, strides) under ``pair``, no longer in
# traces.rear_events / traces.rear_strides / inputs.rear_video; version 2 files are read and converted.
SCHEMA_VERSION = 3
READABLE_VERSIONS = (2, 3)


@dataclass
class Events:
    """Gait events in seconds on the video's own clock, per foot."""

    foot_strike: dict[str, list[float]] = field(default_factory=lambda: {"left": [], "right": []})
    toe_off: dict[str, list[float]] = field(default_factory=lambda: {"left": [], "right": []})


@dataclass
class Stride:
    """One stride, from a foot strike of ``side`` to the next foot strike of the same foot.

    Fields a stage cannot measure stay None (e.g. overstride from a rear view).
    """

    side: str  # "left" | "right": the foot whose stride this is (and whose stance opens it)
    foot_strike_s: float
    toe_off_s: float | None = None
    next_foot_strike_s: float | None = None
    stride_time_s: float | None = None  # same foot, strike to strike
    step_time_s: float | None = None  # this foot strike to the next strike of the other foot
    contact_time_ms: float | None = None  # foot strike to toe-off
    flight_time_ms: float | None = None  # toe-off to the other foot's strike
    duty_factor_pct: float | None = None  # contact / stride time x 100
    stride_length_m: float | None = None
    # form at foot strike / midstance (side view)
    overstride_cm: float | None = None  # heel ahead of the hip at foot strike (+ = ahead); needs a scale
    overstride_leg_pct: float | None = None  # same, as % of leg length (no scale needed)
    shank_angle_deg: float | None = None  # shank from vertical at foot strike, + = ankle ahead of knee
    knee_flexion_fs_deg: float | None = None
    knee_flexion_midstance_deg: float | None = None
    trunk_lean_deg: float | None = None  # forward lean from vertical, + = forward
    vertical_oscillation_cm: float | None = None
    # pelvis (rear/front view): contralateral drop during this stance, deg, + = swing-side hip lower
    pelvic_drop_deg: float | None = None  # peak over stance
    pelvic_drop_midstance_deg: float | None = None
    pelvic_drop_peak_s: float | None = None
    pelvic_confidence: float | None = None  # 0..1
    excluded: str | None = None  # why this stride is left out of summaries, if it is
    # values of this stride cleared as impossible (e.g. a negative flight time): sentences joined by "; "
    flags: str | None = None


@dataclass
class Summary:
    """Per-clip measurements the findings rules read, by these exact names. None = not measured.

    Each ``<metric>_ci`` is that metric's 95 % interval [low, high] (gait.uncertainty):
    a bootstrap over strides/stances widened by the measurement's resolution.
    """

    cadence_spm: float | None = None
    cadence_spm_ci: list[float] | None = None
    cadence_spectral_spm: float | None = None
    step_time_s: float | None = None
    step_time_s_ci: list[float] | None = None
    step_time_cv_pct: float | None = None
    stride_time_s: float | None = None
    stride_time_s_ci: list[float] | None = None
    contact_time_ms: float | None = None
    contact_time_ms_ci: list[float] | None = None
    contact_time_left_ms: float | None = None
    contact_time_left_ms_ci: list[float] | None = None
    contact_time_right_ms: float | None = None
    contact_time_right_ms_ci: list[float] | None = None
    flight_time_ms: float | None = None
    flight_time_ms_ci: list[float] | None = None
    duty_factor_pct: float | None = None
    duty_factor_pct_ci: list[float] | None = None
    stride_length_m: float | None = None
    stride_length_m_ci: list[float] | None = None
    speed_mps: float | None = None  # belt speed when given
    # signed: (left - right) / mean x 100, + = longer on the left
    contact_time_asymmetry_pct: float | None = None
    contact_time_asymmetry_pct_ci: list[float] | None = None
    step_time_asymmetry_pct: float | None = None  # signed like contact time (step starting from each foot)
    step_time_asymmetry_pct_ci: list[float] | None = None
    pelvic_drop_left_deg: float | None = None  # peak drop during LEFT stance (right hip drops)
    pelvic_drop_left_deg_ci: list[float] | None = None
    pelvic_drop_right_deg: float | None = None
    pelvic_drop_right_deg_ci: list[float] | None = None
    pelvic_drop_left_sd_deg: float | None = None  # stance-to-stance spread
    pelvic_drop_right_sd_deg: float | None = None
    pelvic_drop_asymmetry_deg: float | None = None  # left - right
    pelvic_drop_asymmetry_deg_ci: list[float] | None = None
    overstride_cm: float | None = None
    overstride_cm_ci: list[float] | None = None
    overstride_leg_pct: float | None = None
    overstride_leg_pct_ci: list[float] | None = None
    shank_angle_deg: float | None = None
    shank_angle_deg_ci: list[float] | None = None
    knee_flexion_fs_deg: float | None = None
    knee_flexion_fs_deg_ci: list[float] | None = None
    knee_flexion_midstance_deg: float | None = None
    knee_flexion_midstance_deg_ci: list[float] | None = None
    trunk_lean_deg: float | None = None
    trunk_lean_deg_ci: list[float] | None = None
    vertical_oscillation_cm: float | None = None
    vertical_oscillation_cm_ci: list[float] | None = None
    vertical_ratio_pct: float | None = None
    vertical_ratio_pct_ci: list[float] | None = None
    is_walking: bool | None = None
    # running (flight phase present) at a rhythm only a slowed clip shows: timing is not trusted
    probable_slow_motion: bool | None = None
    frame_interval_ms: float | None = None  # timing resolution of every event (one frame)

    def ci(self, metric: str) -> list[float] | None:
        """The interval of a metric by its Summary name (None when it has none)."""
        return getattr(self, f"{metric}_ci", None)


@dataclass
class Finding:
    id: str
    title: str
    severity: str  # "info" | "mild" | "moderate" | "marked"
    side: str | None  # "left" | "right" | "both" | None
    values: dict[str, Any]  # the measurements behind it, by Summary name
    threshold: str  # the rule, in words, with units
    evidence: str  # "evidence-based" | "heuristic"
    mechanism: list[str]  # the chain, step by step
    explanation: str
    sources: list[dict[str, str]]  # {"id", "title", "publisher"|"citation"}


@dataclass
class Recommendation:
    id: str
    # "see_clinician" | "rest" | "education" | "strength" | "return_to_run" | "cadence" | "form"
    # | "load" | "retest"
    kind: str
    title: str
    detail: str
    side: str | None = None  # "left" | "right" (that side leads) | "both" (both equally)
    dose: str | None = None
    # "rest" | "activation" | "strengthening" | "functional" | "maintenance" | "return_to_run"
    phase: str | None = None
    target_spm: float | None = None
    because_of: list[str] = field(default_factory=list)  # finding ids
    sources: list[dict[str, str]] = field(default_factory=list)
    urgency: str | None = None  # see_clinician: "today" | "this_week" | "if_not_better"
    start_week: int | None = None  # plan week this starts in (1 = now); None = not scheduled


# ------------------------------------------------------------------ pelvis stage (gait.pelvis)


@dataclass(frozen=True)
class StanceDrop:
    side: str  # stance foot
    foot_strike_s: float
    toe_off_s: float | None
    peak_drop_deg: float | None  # largest swing-side drop in the readout window of the stance
    midstance_drop_deg: float | None  # drop at the middle of the stance
    peak_s: float | None
    confidence: float  # 0..1, tracking quality over the stance
    excluded: str | None = None  # why it is left out of the summaries (plain words), None if used


@dataclass(frozen=True)
class SideDrop:
    """One side's pelvic drop: the median over its stances, with its 95 % interval."""

    deg: float | None
    ci: list[float] | None
    sd_deg: float | None  # stance-to-stance spread
    n: int


@dataclass(frozen=True)
class PelvicTrace:
    """Frontal-plane pelvic obliquity over the clip, levelled: + = left hip higher, deg."""

    t_s: list[float]
    obliquity_deg: list[float | None]
    confidence: list[float]  # 0..1 per frame


@dataclass(frozen=True)
class ExcludedStance:
    side: str
    foot_strike_s: float
    reason: str


@dataclass(frozen=True)
class PelvisQuality:
    method: str
    level_source: str  # "flight" | "whole-cycle mean"
    level_deg: float  # constant removed from the raw trace
    level_se_deg: float | None
    camera_roll_deg: float | None  # + = level lines appear turned clockwise
    camera_roll_lines: int
    camera_yaw_deg: float | None  # how obliquely the camera looks at the runner's back/front
    camera_yaw_uncertainty_deg: float
    yaw_corrected: bool  # values divided by cos(yaw): an oblique view shows only that part of the roll
    templates: int
    templates_segmented: int  # of them, cut out with the person segmentation (the rest by GrabCut)
    stances_used: int
    excluded: list[ExcludedStance] = field(default_factory=list)
    naive_hip_line_deg: dict[str, float | None] = field(default_factory=dict)  # landmark line, for comparison
    # the runner's torso (shoulder-mid to hip-mid) in image pixels, the scale the band is read at (its
    # resolution widens the intervals); None in results written before it was recorded
    torso_px: float | None = None

    @property
    def stances_excluded(self) -> int:
        return len(self.excluded)


@dataclass
class PelvisResult:
    """Contralateral pelvic drop per side (LEFT = during left stance, the right hip falls)."""

    reason: str | None = None  # why it was not measured (plain words); None when measured
    left: SideDrop = field(default_factory=lambda: SideDrop(None, None, None, 0))
    right: SideDrop = field(default_factory=lambda: SideDrop(None, None, None, 0))
    asymmetry_deg: float | None = None  # left - right
    asymmetry_ci: list[float] | None = None
    stances: list[StanceDrop] = field(default_factory=list)
    trace: PelvicTrace | None = None
    quality: PelvisQuality | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def measured(self) -> bool:
        return self.reason is None

    @classmethod
    def not_measured(cls, reason: str) -> "PelvisResult":
        return cls(reason=reason)


@dataclass
class PairInfo:
    """The rear clip of a side + rear assessment (gait.pair), on its own clock.

    The two clips are separate recordings: the rear clip's strides are kept whole, not matched
    one-to-one to the side clip's. The result's ``pelvis`` (with its obliquity trace) is this clip's.
    """

    video: VideoInfo
    view: str  # "rear" | "front"
    events: Events = field(default_factory=Events)
    strides: list[Stride] = field(default_factory=list)  # the rear clip's (pelvic drop per stance)
    offset_s: float | None = None  # rear clock minus side clock when synchronised; None: not synchronised

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "video": self.video.to_dict()}


@dataclass
class Result:
    video: VideoInfo
    model: str
    view: str | None = None
    view_confidence: float | None = None
    pelvis: PelvisResult | None = None  # pelvic drop per stance and side, its trace and quality (rear/front)
    pair: PairInfo | None = None  # the rear clip when this is a side + rear assessment
    events: Events = field(default_factory=Events)
    strides: list[Stride] = field(default_factory=list)
    summary: Summary = field(default_factory=Summary)
    quality: dict[str, Any] = field(default_factory=lambda: {"warnings": []})
    findings: list[Finding] = field(default_factory=list)
    recommendations: list[Recommendation] = field(default_factory=list)
    traces: dict[str, Any] = field(default_factory=dict)  # time series for plots (see schema doc)
    inputs: dict[str, Any] = field(default_factory=dict)  # options the analysis ran with
    disclaimer: str = ""
    schema_version: int = SCHEMA_VERSION

    # The headline numbers at the top of result.json, for readers older than ``summary``: derived, never stored.
    @property
    def cadence_spm(self) -> float | None:
        return self.summary.cadence_spm

    @property
    def stride_length_m(self) -> float | None:
        return self.summary.stride_length_m

    @property
    def pelvic_drop_deg(self) -> dict[str, float] | None:
        """{"left", "right"} median peak drop per stance side; None unless both sides were measured."""
        left, right = self.summary.pelvic_drop_left_deg, self.summary.pelvic_drop_right_deg
        return None if left is None or right is None else {"left": left, "right": right}

    def warn(self, message: str) -> None:
        self.quality.setdefault("warnings", []).append(message)

    def to_dict(self) -> dict[str, Any]:
        d = {**asdict(self), "video": self.video.to_dict(), "pair": self.pair.to_dict() if self.pair else None,
             "cadence_spm": self.cadence_spm, "stride_length_m": self.stride_length_m,
             "pelvic_drop_deg": self.pelvic_drop_deg}
        order = ["schema_version", "video", "model", "view", "view_confidence", "cadence_spm",
                 "stride_length_m", "pelvic_drop_deg", "pelvis", "events", "strides", "pair", "summary", "quality",
                 "findings", "recommendations", "disclaimer", "inputs", "traces"]
        return _clean({k: d[k] for k in order})

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=1, allow_nan=False)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Result":
        if d.get("schema_version") not in READABLE_VERSIONS:
            raise ValueError(f"result schema_version {d.get('schema_version')} is not one of "
                             f"{', '.join(map(str, READABLE_VERSIONS))}")
        d = _upgrade_v2(d) if d["schema_version"] == 2 else d
        kw = {f.name: d.get(f.name) for f in fields(cls) if f.name in d}  # derived headline keys are ignored
        kw["video"] = VideoInfo.from_dict(d.get("video") or {})
        kw["pair"] = _build(PairInfo, d["pair"]) if d.get("pair") else None
        kw["events"] = Events(**d.get("events", {}))
        kw["strides"] = [_build(Stride, s) for s in d.get("strides", [])]
        kw["summary"] = _build(Summary, d.get("summary", {}))
        kw["findings"] = [_build(Finding, f) for f in d.get("findings", [])]
        kw["recommendations"] = [_build(Recommendation, r) for r in d.get("recommendations", [])]
        kw["pelvis"] = _build(PelvisResult, d["pelvis"]) if d.get("pelvis") else None
        return cls(**kw)

    @classmethod
    def from_json(cls, text: str) -> "Result":
        return cls.from_dict(json.loads(text))


def _upgrade_v2(d: dict[str, Any]) -> dict[str, Any]:
    """A version 2 result in the version 3 shape: a pair's rear clip gathered from traces and inputs."""
    d = {**d, "traces": dict(d.get("traces") or {}), "inputs": dict(d.get("inputs") or {}),
         "schema_version": SCHEMA_VERSION}
    events = d["traces"].pop("rear_events", None)
    if events:
        view = ((d.get("quality") or {}).get("pair") or {}).get("rear_view") or "rear"
        d["pair"] = {"video": d["inputs"].pop("rear_video", None) or {}, "view": view, "events": events,
                     "strides": d["traces"].pop("rear_strides", None) or []}
    return d


def _build(klass, d: dict[str, Any]):
    """A dataclass from its dict, nested dataclasses (also in lists and optionals) rebuilt by their type hints."""
    hints = typing.get_type_hints(klass)
    kw = {}
    for f in fields(klass):
        if f.name in d:
            kw[f.name] = _typed(hints[f.name], d[f.name])
    return klass(**kw)


def _typed(hint, value):
    if value is None:
        return None
    if dataclasses.is_dataclass(hint) and isinstance(value, dict):
        return hint.from_dict(value) if hasattr(hint, "from_dict") else _build(hint, value)
    args = [a for a in typing.get_args(hint) if a is not type(None)]
    origin = typing.get_origin(hint)
    if origin in (list, tuple) and args and isinstance(value, list):
        return [_typed(args[0], v) for v in value]
    if origin in (typing.Union, types.UnionType) and len(args) == 1:
        return _typed(args[0], value)
    return value


def _clean(o: Any) -> Any:
    """JSON-safe: numpy scalars to Python, non-finite floats to None, floats rounded."""
    if isinstance(o, dict):
        return {str(k): _clean(v) for k, v in o.items()}
    if isinstance(o, (list, tuple)):
        return [_clean(v) for v in o]
    if hasattr(o, "tolist") and not isinstance(o, (str, bytes)):
        return _clean(o.tolist())
    if isinstance(o, float):
        return round(o, 6) if math.isfinite(o) else None
    return o


def floats_or_nan(values: list | None) -> list[float]:
    """A stored trace as floats, None (a gap: ``_clean`` writes non-finite values so) as NaN."""
    return [math.nan if v is None else float(v) for v in (values or [])]
