"""Reports people would rather look at than read: report.html, strides.csv, key frames, overlay video.

``write_outputs(result, out_dir, overlay=False)`` is what ``gait analyze`` calls after
writing result.json; ``gait report RESULT.json`` calls it again on a saved result.
"""
from __future__ import annotations

from pathlib import Path

from gait.result import Result


class Outputs(dict):
    """{name: path} of the files written, plus ``notes``: one-sentence remarks worth printing."""

    def __init__(self):
        super().__init__()
        self.notes: list[str] = []


_CODEC_NAMES = {"h264": "H.264", "mpeg4": "MPEG-4 Part 2 (may not play in browsers)", "vp9": "VP9", "vp8": "VP8"}


def existing_overlays(out_dir: Path) -> list[dict]:
    """Overlays already in out_dir (e.g. from analyze), so a re-render keeps linking them."""
    found = []
    for stem, label in (("overlay", "Annotated clip"), ("overlay_rear", "Annotated rear clip")):
        for p in (out_dir / f"{stem}.mp4", out_dir / f"{stem}.webm"):
            if p.is_file():
                try:
                    import av

                    with av.open(str(p)) as c:
                        name = c.streams.video[0].codec_context.name
                except Exception:
                    name = "unknown codec"
                found.append({"file": p.name, "label": label, "codec": _CODEC_NAMES.get(name, name)})
                break
    return found


def write_metronomes(metronomes, out: Path) -> dict[str, Path]:
    """A 60 s click track at each cadence target (the plan says when to use which); stale ones removed."""
    from gait.findings.metronome import write_metronome

    keep = {m.file for m in metronomes}
    for stale in [*out.glob("metronome_*spm.wav"), *out.glob("metronome_*spm.flac")]:
        if stale.name not in keep:  # an earlier run's targets (or its 5 MB WAVs)
            stale.unlink(missing_ok=True)
    return {m.file: write_metronome(out / m.file, m.spm, seconds=60) for m in metronomes}


def write_outputs(result: Result, out_dir: str | Path, overlay: bool = False, *, keyframes: bool = True,
                  poses=None) -> Outputs:
    """Write strides.csv, keyframes/, report.html (and overlay.mp4 when asked) into ``out_dir``.

    ``poses``: the clip's PoseSeries if the caller has it (else the landmark cache is read;
    pose estimation never runs here). Key frames already in out_dir/keyframes are reused
    when they cannot be made afresh (video moved, cache cleared).
    """
    from gait.report.csv_out import stride_rows, write_rows, write_strides_csv
    from gait.report.html import render_view
    from gait.report.keyframes import load_keyframes, write_keyframes
    from gait.report.view import build_view, source

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = Outputs()
    text, rj = result.to_json(), out / "result.json"
    if not rj.is_file() or rj.read_text(encoding="utf-8") != text:  # callers usually wrote it already: keep in step
        from gait.atomic import write_text_atomic as write_json_atomic

        write_json_atomic(rj, text)  # readers (batch resume) must never see half a file
        written["result.json"] = rj
    written["strides.csv"] = write_strides_csv(result, out / "strides.csv")
    if source.rear_strides_present(result):
        written["rear_strides.csv"] = write_rows(stride_rows(source.rear_strides(result)), out / "rear_strides.csv")
    notes: list[str] = []
    if keyframes:
        files, kf_notes = write_keyframes(result, out, {"video": poses} if poses is not None else None)
        if files:
            written["keyframes"] = out / "keyframes"
        elif load_keyframes(out):
            kf_notes = ["Key frames reused from an earlier run (the video or its landmarks are not available now)."]
        notes += kf_notes
    if overlay:
        from gait.report.overlay import write_overlay

        clips = ["video"] + (["rear_video"] if source.is_pair(result) else [])
        for clip in clips:  # a side+rear pair gets both clips annotated
            oc = write_overlay(result, out, poses=poses if clip == "video" else None, clip=clip)
            notes += oc.notes
            if oc.path is not None:
                for stale in (oc.path.with_suffix(".mp4"), oc.path.with_suffix(".webm")):  # one per clip
                    if stale != oc.path:
                        stale.unlink(missing_ok=True)
                written["overlay" if clip == "video" else "overlay_rear"] = oc.path
    view = build_view(result, load_keyframes(out), notes, existing_overlays(out))
    written.update(write_metronomes(view.metronomes, out))
    (out / "report.html").write_text(render_view(view), encoding="utf-8")
    written["report.html"] = out / "report.html"
    written.notes = notes
    return written


__all__ = ["write_outputs", "Outputs"]
