"""What ``gait analyze`` does around the core: progress, output files, the printed summary."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from gait.atomic import write_text_atomic as write_json_atomic
from gait.errors import GaitError, UsageError
from gait.result import Result


def add_analyze_extras(p: argparse.ArgumentParser) -> None:
    p.add_argument("--side", dest="side_video", help="side-view clip of the same run (with --rear: one assessment)")
    p.add_argument("--rear", dest="rear_video", help="rear-view clip of the same run")
    from gait.findings.intake import add_cli_arguments

    add_cli_arguments(p)  # --symptoms, --pain..., and one yes/no flag per intake question (e.g. --fever)
    p.add_argument("--markers", action="store_true", help="look for two skin markers on the PSIS dimples (rear view)")
    p.add_argument("--overlay", action="store_true", help="also write an annotated overlay video")
    p.add_argument("--no-report", action="store_true", help="write result.json only")
    p.add_argument("--quiet", action="store_true", help="no progress bar or summary")


def _symptoms(args: argparse.Namespace):
    from gait.findings import symptoms as sy

    from gait.findings.intake import yes_from_namespace

    return sy.symptoms_from_args(path=args.symptoms, locations=args.pain, timing=args.pain_when,
                                 patterns=args.pain_pattern, pain_score=args.pain_score, side=args.pain_side,
                                 training_changes=args.training_change, yes=yes_from_namespace(args))


class _Bar:
    """tqdm progress bar over analysis stages, only on an interactive terminal."""

    def __init__(self, enabled: bool):
        self.bar = None
        if enabled and sys.stderr.isatty():
            from tqdm import tqdm

            self.bar = tqdm(total=100, unit="%", desc="poses", leave=False)

    def __call__(self, stage: str, frac: float) -> None:
        if self.bar is None:
            return
        self.bar.set_description(stage)
        weight = {"poses": 80, "events": 82, "metrics": 85, "pelvis": 85, "findings": 98, "done": 100}
        base = 0 if stage == "poses" else weight.get(stage, 90)
        span = 80 if stage == "poses" else (13 if stage == "pelvis" else 0)
        self.bar.n = min(100, int(base + span * frac)); self.bar.refresh()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def default_out_dir(video: str) -> Path:
    p = Path(video)
    return p.with_name(f"{p.stem}_gait")


def run_analyze(args: argparse.Namespace) -> int:
    from gait.api import analyze
    from gait.cli import options_from_args

    opts = options_from_args(args)
    opts["symptoms"] = _symptoms(args)
    opts["pelvis_markers"] = args.markers
    bar = _Bar(not args.quiet)
    out_for = lambda video: Path(args.out) if args.out else default_out_dir(video)  # noqa: E731
    try:
        if args.side_video or args.rear_video:
            if args.video:
                raise UsageError("Give either one VIDEO or --side/--rear clips, not both.")
            from gait.pair import analyze_pair

            main_video = args.side_video or args.rear_video
            result = analyze_pair(side=args.side_video, rear=args.rear_video, progress=bar, **opts)
        else:
            if not args.video:
                raise UsageError("Name a video to analyse (or --side SIDE.mp4 --rear REAR.mp4).")
            main_video = args.video
            result = analyze(args.video, progress=bar, **opts)
    except GaitError as err:
        partial = getattr(err, "partial_result", None)
        if partial is not None:  # the error came after pose estimation: keep what was measured
            path = out_for(main_video) / "result.json"
            write_json_atomic(path, partial.to_json())
            err.args = (f"{err} (What was measured is kept in {path}.)",)
        raise
    finally:
        bar.close()
    out = out_for(main_video)
    write_json_atomic(out / "result.json", result.to_json())
    written = [out / "result.json"]
    if not args.no_report:
        try:
            from gait.report import write_outputs
        except ImportError:
            write_outputs = None
        if write_outputs is not None:
            outputs = write_outputs(result, out, overlay=args.overlay)
            written += [p for p in outputs.values() if p not in written]
            for note in getattr(outputs, "notes", []):
                print(f"gait: note: {note}", file=sys.stderr)
    if not args.quiet:
        print(summary_text(result))
        print("Wrote: " + ", ".join(str(p) for p in written))
    return 0


def _fmt(v, unit: str, nd: int = 0) -> str:
    return "not measured" if v is None else f"{v:.{nd}f} {unit}"


def summary_text(r: Result) -> str:
    s = r.summary
    lines = [f"{Path(r.video.get('path', '')).name}: {r.view or 'unknown view'}"
             f"{' (walking)' if s.is_walking else ''}, model {r.model}"]
    lines.append(f"  cadence        {_fmt(s.cadence_spm, 'steps/min')}")
    lines.append(f"  stride length  {_fmt(s.stride_length_m, 'm', 2)}")
    lines.append(f"  contact time   {_fmt(s.contact_time_ms, 'ms')}")
    if r.pelvic_drop_deg:
        lines.append(f"  pelvic drop    left stance {r.pelvic_drop_deg['left']:.1f}°, "
                     f"right stance {r.pelvic_drop_deg['right']:.1f}°")
    else:
        lines.append("  pelvic drop    not measured (needs a rear or front view)")
    for f in r.findings:
        lines.append(f"  [{f.severity}] {f.title}")
    for w in r.quality.get("warnings", []):
        lines.append(f"  warning: {w}")
    return "\n".join(lines)
