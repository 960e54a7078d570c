"""``gait analyze``: its options, and what it does around the core (progress, output files, the printed summary)."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from gait.atomic import write_text_atomic as write_json_atomic
from gait.cli_options import add_analysis_options, options_from_args
from gait.errors import GaitError, UsageError
from gait.result import Result
from gait.uncertainty import half_width
from gait.vocabulary import VIEW_WORDS


def add_parser(sub) -> None:
    a = sub.add_parser("analyze", help="analyse one clip (or a side + rear pair) and write result.json + report")
    a.add_argument("video", nargs="?", help="video file (.mp4/.mov)")
    add_analysis_options(a)
    a.add_argument("--out", help="output folder (default: <video stem>_gait beside the video)")
    a.set_defaults(func=run_analyze)
    add_analyze_extras(a)


def add_analyze_extras(p: argparse.ArgumentParser) -> None:
    p.add_argument("--side", dest="side_video", help="side-view clip of the same run (with --rear: one assessment)")
    p.add_argument("--rear", dest="rear_video", help="rear-view clip of the same run")
    from gait.findings.intake import add_cli_arguments

    add_cli_arguments(p)  # --symptoms, --pain..., and one yes/no flag per intake question (e.g. --fever)
    p.add_argument("--markers", action="store_true", help="look for two skin markers on the PSIS dimples (rear view)")
    p.add_argument("--overlay", action="store_true", help="also write an annotated overlay video")
    p.add_argument("--no-report", action="store_true", help="write result.json only")
    from gait.export import format_list

    p.add_argument("--export", type=format_list, metavar="FORMATS",
                   help="also write per-frame exports: trc, mot, csv, parquet, c3d (comma list; docs/exports.md)")
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


def _main_video(args: argparse.Namespace) -> str:
    """The clip that names the output folder; a usage error when the clips given do not make sense."""
    if args.side_video or args.rear_video:
        if args.video:
            raise UsageError("Give either one VIDEO or --side/--rear clips, not both.")
        return args.side_video or args.rear_video
    if not args.video:
        raise UsageError("Name a video to analyse (or --side SIDE.mp4 --rear REAR.mp4).")
    return args.video


def _kept_note(use_cache: bool) -> str:
    """Where the expensive part (pose estimation) survives a failed write."""
    if not use_cache:
        return "nothing was cached (--no-cache), so a re-run estimates the poses again"
    from gait.poses.cache import cache_dir

    return f"the landmarks are cached in {cache_dir()}, so re-running with a writable --out skips pose estimation"


def run_analyze(args: argparse.Namespace) -> int:
    from gait.outdir import output_folder

    opts = options_from_args(args)
    opts["symptoms"] = _symptoms(args)
    opts["pelvis_markers"] = args.markers
    main_video = _main_video(args)
    if getattr(args, "export", None) and args.no_cache:
        raise UsageError("--export reads the landmarks back from the cache; leave out --no-cache.")
    with output_folder(Path(args.out) if args.out else default_out_dir(main_video)) as out:  # before any work
        bar = _Bar(not args.quiet)
        try:
            result = _analysis(args, opts, bar)
        except GaitError as err:
            _keep_partial(err, out / "result.json")
            raise
        finally:
            bar.close()
        written = _write_outputs(result, out, args, _kept_note(opts["use_cache"]))
        written += _write_exports(result, out, getattr(args, "export", None))
    if not args.quiet:
        print(summary_text(result))
        print("Wrote: " + ", ".join(str(p) for p in written))
    return 0


def _analysis(args: argparse.Namespace, opts: dict, bar: _Bar) -> Result:
    import warnings

    from gait.pipeline import analyze

    # numpy's "mean of empty slice" and the like are the code's business, not the user's: stderr keeps to
    # one sentence per fault and the progress bar stays whole (gait batch records them in batch.json).
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        if args.side_video or args.rear_video:
            from gait.pair import analyze_pair

            return analyze_pair(side=args.side_video, rear=args.rear_video, progress=bar, **opts)
        return analyze(args.video, progress=bar, **opts)


def _keep_partial(err: GaitError, path: Path) -> None:
    """The error came after pose estimation: keep what was measured beside it, and say where."""
    partial = getattr(err, "partial_result", None)
    if partial is None:
        return
    try:
        write_json_atomic(path, partial.to_json())
    except OSError:  # the folder was checked; if it fails now, the original error is still the news
        return
    err.args = (f"{err} (What was measured is kept in {path}.)",)


def _write_outputs(result: Result, out: Path, args: argparse.Namespace, kept: str) -> list[Path]:
    """result.json first (the contract), then the report; a failed write is one sentence saying what is kept."""
    from gait.outdir import write_failed

    written: list[Path] = []
    try:
        written.append(write_json_atomic(out / "result.json", result.to_json()))
        kept = f"{out / 'result.json'} holds every number and {kept}"
        if args.no_report:
            return written
        from gait.report import write_outputs

        outputs = write_outputs(result, out, overlay=args.overlay)
    except OSError as err:
        raise write_failed(out, err, kept) from None
    written += [p for p in outputs.values() if p not in written]
    for note in getattr(outputs, "notes", []):
        print(f"gait: note: {note}", file=sys.stderr)
    return written


def _write_exports(result: Result, out: Path, formats: list[str] | None) -> list[Path]:
    """``--export``: the per-frame files beside result.json (gait.export)."""
    if not formats:
        return []
    from gait.export import export
    from gait.outdir import write_failed

    try:
        done = export(result, formats, out)
    except OSError as err:
        raise write_failed(out, err, f"{out / 'result.json'} holds every number") from None
    for note in done.notes:
        print(f"gait: note: {note}", file=sys.stderr)
    return list(done.paths.values())


def _fmt(v, unit: str, nd: int = 0, ci=None) -> str:
    """'170 ± 0.4 steps/min': the value with half its 95 % interval, as the report shows it."""
    if v is None:
        return "not measured"
    pm = half_width(ci)
    space = "" if unit.startswith("°") else " "
    return f"{v:.{nd}f}{f' ± {pm:.{nd}f}' if pm is not None else ''}{space}{unit}"


def summary_text(r: Result) -> str:
    from gait.report.view.source import pelvis_reason  # late: the report, when written, has loaded it already

    s = r.summary
    lines = [f"{Path(r.video.path).name}: filmed {VIEW_WORDS.get(r.view, 'from an unknown angle')}"
             f"{' (walking)' if s.is_walking else ''}, pose model “{r.model}”"]
    lines.append(f"  cadence        {_fmt(s.cadence_spm, 'steps/min', 1, s.cadence_spm_ci)}")
    lines.append(f"  stride length  {_fmt(s.stride_length_m, 'm', 2, s.stride_length_m_ci)}")
    lines.append(f"  contact time   {_fmt(s.contact_time_ms, 'ms', 0, s.contact_time_ms_ci)}")
    if r.pelvic_drop_deg:
        lines.append(f"  pelvic drop    left stance {_fmt(s.pelvic_drop_left_deg, '°', 1, s.pelvic_drop_left_deg_ci)}, "
                     f"right stance {_fmt(s.pelvic_drop_right_deg, '°', 1, s.pelvic_drop_right_deg_ci)}")
    else:
        lines.append(f"  pelvic drop    not measured ({pelvis_reason(r) or 'needs a rear or front view'})")
    for f in r.findings:
        lines.append(f"  [{f.severity}] {f.title}")
    for w in r.quality.get("warnings", []):
        lines.append(f"  warning: {w}")
    return "\n".join(lines)
