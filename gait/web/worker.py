"""The worker side of a job: analyse one clip, write result.json and the report.

Runs in a spawned process (or a thread in tests); it talks back only through its
return value and ``progress.json`` in the job folder, so it needs no shared state.
"""
from __future__ import annotations

import json
import time
import traceback
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, Callable

from gait.atomic import write_text_atomic

OUTCOME = "outcome.json"  # written last by the worker: a job whose server died after it can still be recorded

# Share of the progress bar per stage (poses dominate the run time).
_STAGE_SPAN = {"queued": (0, 0), "poses": (0.0, 0.75), "events": (0.75, 0.78), "metrics": (0.78, 0.8),
               "pelvis": (0.8, 0.9), "findings": (0.9, 0.92), "done": (0.92, 0.92), "report": (0.92, 1.0)}


@dataclass(frozen=True)
class WorkerSpec:
    """Everything the worker needs; picklable (functions by module reference)."""

    job_dir: str
    input_name: str
    display_name: str
    options: dict[str, Any]
    symptoms: dict[str, Any] | None
    analyze_fn: Callable | None = None  # None = gait.pipeline.analyze
    report_fn: Callable | None = None  # None = gait.report.write_outputs when importable
    overlay: bool = True


@dataclass(frozen=True)
class Outcome:
    ok: bool
    error: str | None = None
    files: dict[str, str] = field(default_factory=dict)
    headline: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


class ProgressFile:
    """progress(stage, fraction) -> overall fraction in progress.json, throttled and atomic."""

    def __init__(self, path: Path):
        self.path, self.last, self.last_stage, self.last_t = path, -1.0, "", 0.0

    def __call__(self, stage: str, frac: float) -> None:
        lo, hi = _STAGE_SPAN.get(stage, (0.9, 0.9))
        overall = max(self.last, min(1.0, lo + (hi - lo) * max(0.0, min(1.0, float(frac)))))
        now = time.monotonic()
        if stage == self.last_stage and overall - self.last < 0.01 and now - self.last_t < 1.0:
            return
        self.last, self.last_stage, self.last_t = overall, stage, now
        write_json(self.path, {"stage": stage, "progress": round(overall, 4)})


def worker_init(parent_pid: int) -> None:
    """Pool initializer: die with the server (no orphan finishing a job nobody records); Ctrl-C is the server's."""
    import signal

    from gait.procs import die_with_parent

    die_with_parent(parent_pid)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a terminal's Ctrl-C reaches the whole process group


def run_job(spec: WorkerSpec) -> Outcome:
    """Worker entry point: analyse, write result.json, the report, then outcome.json. Never raises."""
    outcome = _run(spec)
    write_json(Path(spec.job_dir) / OUTCOME, asdict(outcome))
    return outcome


def read_outcome(job_dir: Path) -> Outcome | None:
    """The outcome a worker finished with, if it got that far (None: it was stopped or never ran)."""
    try:
        data = json.loads((job_dir / OUTCOME).read_text(encoding="utf-8"))
        return Outcome(**data)
    except (OSError, ValueError, TypeError):
        return None


def _run(spec: WorkerSpec) -> Outcome:
    from gait.errors import GaitError
    from gait.video.reader import VideoInfo

    job_dir = Path(spec.job_dir)
    out = job_dir / "out"
    progress = ProgressFile(job_dir / "progress.json")
    try:
        opts = dict(spec.options)
        if spec.symptoms:
            from gait.findings.symptoms import symptoms_from_mapping

            opts["symptoms"] = symptoms_from_mapping(spec.symptoms)
        analyze = spec.analyze_fn
        if analyze is None:
            from gait.pipeline import analyze
        result = analyze(str(job_dir / spec.input_name), progress=progress, **opts)
    except GaitError as err:
        return Outcome(False, _user_sentence(str(err), spec))
    except Exception as err:  # a bug, not the user's fault: keep the traceback for the maintainer
        (job_dir / "error.log").write_text(traceback.format_exc(), encoding="utf-8")
        return Outcome(False, f"The analysis failed unexpectedly ({type(err).__name__}); "
                              f"the details are in {job_dir.name}/error.log on the server.")
    if isinstance(getattr(result, "video", None), VideoInfo):  # on disk the clip is input.mp4; readers want the user's name
        result.video = replace(result.video, display_name=spec.display_name)
    out.mkdir(parents=True, exist_ok=True)
    write_text(out / "result.json", result.to_json())
    files, warnings = {"result_json": "result.json"}, []
    progress("report", 0.0)
    report = spec.report_fn
    if report is None:
        from gait.report import write_outputs as report
    if report is not None:
        try:
            written = report(result, out, overlay=spec.overlay) or {}
            files.update(_classify(out, written))
            warnings += [str(n) for n in getattr(written, "notes", [])]  # e.g. "overlay may not play in browsers"
        except Exception as err:
            (job_dir / "error.log").write_text(traceback.format_exc(), encoding="utf-8")
            warnings.append(f"The report could not be written ({type(err).__name__}); result.json is available.")
    progress("report", 1.0)
    return Outcome(True, files=files, headline=headline(result), warnings=warnings)


def headline(result: Any) -> dict[str, Any]:
    s = result.summary
    return {"view": result.view, "cadence_spm": s.cadence_spm, "pelvic_drop_left_deg": s.pelvic_drop_left_deg,
            "pelvic_drop_right_deg": s.pelvic_drop_right_deg, "stride_length_m": s.stride_length_m,
            "contact_time_ms": s.contact_time_ms, "findings": [f.title for f in result.findings][:8],
            "warnings": list(result.quality.get("warnings", []))[:8]}


def _classify(out: Path, written: dict) -> dict[str, str]:
    """Files the report wrote, by kind; only files inside out/ (they are served, so stay whitelisted)."""
    kinds: dict[str, str] = {}
    paths: list[Path] = []
    for p in map(Path, written.values()):
        p = p if p.is_absolute() else out / p
        paths += sorted(x for x in p.iterdir() if x.is_file())[:50] if p.is_dir() else [p]
    n_img = 0
    for p in paths:
        try:
            rel = p.resolve().relative_to(out.resolve()).as_posix()
        except ValueError:
            continue
        suf = p.suffix.lower()
        if p.name == "result.json":
            continue
        if suf == ".html":
            kind = "report_html" if p.name == "report.html" or "report_html" not in kinds else f"html_{p.stem}"
        elif suf == ".csv":
            kind = "strides_csv" if p.name == "strides.csv" else f"csv_{p.stem}"
        elif suf in (".mp4", ".webm", ".mov"):
            kind = "overlay_video" if "overlay_video" not in kinds else f"video_{p.stem}"
        elif suf in (".png", ".jpg", ".jpeg", ".webp"):
            kind, n_img = f"image_{n_img}", n_img + 1
        else:
            kind = f"file_{p.stem}"
        kinds.setdefault(kind, rel)
    return kinds


def _user_sentence(message: str, spec: WorkerSpec) -> str:
    """GaitError messages name the file on disk; show the user's own file name instead."""
    return message.replace(str(Path(spec.job_dir) / spec.input_name), spec.display_name) \
                  .replace(spec.input_name, spec.display_name)


def write_json(path: Path, data: Any) -> None:
    write_text(path, json.dumps(data, indent=1))


def write_text(path: Path, text: str) -> None:
    write_text_atomic(path, text)  # readers (the status poll) never see half a file
