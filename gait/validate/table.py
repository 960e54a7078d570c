"""The accuracy table of ``gait validate``: one row per clip and model, printed, as CSV, as HTML.

Every number comes from ``gait.validate.score.score`` (one definition, the tests use it
too); this module only lays the rows out.
"""
from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path

from gait.validate.score import ClipScore, SideScore

ROW_KEYS = ("clip", "model", "error")


@dataclass(frozen=True)
class ValidationRow:
    clip: str
    model: str
    score: ClipScore | None  # None when the analysis failed
    error: str | None = None  # the failure, in one sentence

    def flat(self) -> dict:
        """One CSV row: the score's flat fields (empty when it failed) and the error."""
        base = self.score.flat() if self.score is not None else {}
        return {**{k: None for k in csv_columns()}, **base, "clip": self.clip, "model": self.model,
                "error": self.error}


def csv_columns() -> list[str]:
    side = [f.name for f in fields(SideScore)]
    own = [f.name for f in fields(ClipScore) if f.name not in ("left", "right")]
    return ["clip", "model", "error", *[c for c in own if c not in ROW_KEYS], "cadence_error_spm",
            *(f"{s}_{c}" for s in ("left", "right") for c in side)]


def stride_length_error_pct(s: ClipScore) -> float | None:
    if s.stride_length_m is None or not s.stride_length_true_m:
        return None
    return 100.0 * (s.stride_length_m - s.stride_length_true_m) / s.stride_length_true_m


def _f(v: float | None, nd: int = 1, signed: bool = False) -> str:
    if v is None:
        return "—"
    v = 0.0 if round(v, nd) == 0 else v  # no "-0.0"
    return f"{v:+.{nd}f}" if signed else f"{v:.{nd}f}"


def _pair(a, b, nd: int = 0, signed: bool = False) -> str:
    return f"{_f(a, nd, signed)} / {_f(b, nd, signed)}"


TIMING_HEADERS = ("clip", "model", "view", "cadence error (steps/min)", "strikes found L/R (%)",
                  "strike bias L/R (ms)", "contact time L/R (ms)", "true contact L/R (ms)", "stride length error (%)")
PELVIS_HEADERS = ("clip", "model", "drop L/R (°)", "true drop L/R (°)", "asymmetry L−R (°)", "true asymmetry (°)",
                  "per-stance r", "per-stance error L/R (°)")


def timing_cells(row: ValidationRow) -> list[str]:
    s = row.score
    if s is None:
        return [row.clip, row.model, f"failed: {row.error}"]
    view = (s.view or "—").replace("_", " ") + ("" if s.view_ok else f" (true: {s.view_true.replace('_', ' ')})")
    return [s.clip, s.model, view, _f(s.cadence_error_spm, 2, True),
            _pair(s.left.strike_hit_pct, s.right.strike_hit_pct), _pair(s.left.strike_bias_ms, s.right.strike_bias_ms,
                                                                        0, True),
            _pair(s.left.contact_time_ms, s.right.contact_time_ms), _pair(s.left.contact_time_true_ms,
                                                                          s.right.contact_time_true_ms),
            _f(stride_length_error_pct(s), 2, True)]


def pelvis_cells(row: ValidationRow) -> list[str] | None:
    s = row.score
    if s is None or s.left.pelvic_drop_true_deg is None:
        return None  # side views carry no frontal-plane truth
    return [s.clip, s.model, _pair(s.left.pelvic_drop_deg, s.right.pelvic_drop_deg, 1),
            _pair(s.left.pelvic_drop_true_deg, s.right.pelvic_drop_true_deg, 1),
            _f(s.pelvic_drop_asymmetry_deg, 1, True), _f(s.pelvic_drop_asymmetry_true_deg, 1, True),
            _f(s.stance_r, 2), _pair(s.left.stance_mae_deg, s.right.stance_mae_deg, 1)]


def text_table(headers: tuple[str, ...], rows: list[list[str]]) -> str:
    """Plain aligned columns; a failed row's message runs on past the columns."""
    widths = [max([len(h)] + [len(r[i]) for r in rows if len(r) == len(headers)]) for i, h in enumerate(headers)]
    def line(cells):
        return "  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip() if len(cells) == len(headers) else \
            "  ".join(c.ljust(w) for c, w in zip(cells[:2], widths)) + "  " + "  ".join(cells[2:])
    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(list(headers)), rule, *(line(r) for r in rows)])


def printed(rows: list[ValidationRow]) -> str:
    timing = text_table(TIMING_HEADERS, [timing_cells(r) for r in rows])
    pel = [c for c in (pelvis_cells(r) for r in rows) if c is not None]
    out = ["Timing and stride. A true foot strike is found when a detected strike of the same foot lies within "
           "±2 frames;", "bias = median detected minus true time of the found strikes.", timing]
    if pel:
        out += ["", "Pelvic drop (rear and front views). L = during left-foot stance (the right hip falls); truth = "
                "frontal-plane drop,", "mean over each side's stances. Per-stance error = mean absolute difference "
                "from each stance's truth; r (all stances)", "needs truth that varies between stances (clips with "
                "different left and right drop).", text_table(PELVIS_HEADERS, pel)]
    failed = sum(r.score is None for r in rows)
    if failed:
        out += ["", f"{failed} of {len(rows)} analyses failed; their rows give the reason."]
    return "\n".join(out)


def write_csv(rows: list[ValidationRow], path: Path) -> Path:
    import pandas as pd

    from gait.atomic import write_text_atomic

    frame = pd.DataFrame([r.flat() for r in rows], columns=csv_columns())
    return write_text_atomic(path, frame.to_csv(index=False))
