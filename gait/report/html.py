"""report.html: one self-contained page (plotly.js inlined, key frames as base64 JPEG).

Everything the page shows is built here into plain values; the Jinja template in
templates/ only lays it out, with autoescaping on (clip names, findings and warnings
are data, never markup).
"""
from __future__ import annotations

from dataclasses import fields
from functools import lru_cache
from pathlib import Path

import jinja2

from gait.report import ranges
from gait.report.plots import all_plots
from gait.result import Result, Summary

UNITS = (("_spm", "steps/min"), ("_mps", "m/s"), ("_ms", "ms"), ("_s", "s"), ("_pct", "%"), ("_cm", "cm"),
         ("_deg", "°"), ("_m", "m"))
DECIMALS = {"s": 3, "m": 2, "m/s": 2, "°": 1, "%": 1, "cm": 1, "ms": 0, "steps/min": 1}


@lru_cache(maxsize=1)
def _env() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(Path(__file__).with_name("templates")),
                              autoescape=True, trim_blocks=True, lstrip_blocks=True,
                              undefined=jinja2.StrictUndefined)


@lru_cache(maxsize=1)
def plotly_js() -> str:
    from plotly.offline import get_plotlyjs

    js = get_plotlyjs()
    return js.replace("</script", "<\\/script")  # cannot end the inline <script> early


def unit_of(name: str) -> str:
    return next((u for suffix, u in UNITS if name.endswith(suffix)), "")


def label_of(name: str) -> str:
    base = name
    for suffix, _ in UNITS:
        if name.endswith(suffix):
            base = name[: -len(suffix)]
            break
    return base.replace("_", " ").replace(" fs", " at foot strike").capitalize()


def fmt(value, unit: str = "") -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        return f"{value:.{DECIMALS.get(unit, 2)}f}"
    return str(value)


def summary_rows(s: Summary) -> list[dict]:
    """Every measured Summary field as {name, label, value, unit} (the 'all numbers' table)."""
    rows = []
    for f in fields(Summary):
        v = getattr(s, f.name)
        if v is None:
            continue
        u = unit_of(f.name)
        rows.append({"name": f.name, "label": label_of(f.name), "value": fmt(v, u), "unit": u})
    return rows


def source_text(src: dict) -> str:
    if src.get("citation"):
        return src["citation"]
    return " — ".join(x for x in (src.get("title"), src.get("publisher")) if x) or src.get("id", "")


def quality_notes(r: Result) -> list[str]:
    """Warnings plus the one-line notes stages leave in ``quality`` (strings, or ``note``-like keys of a block)."""
    notes = list(r.quality.get("warnings", []))
    for k, v in r.quality.items():
        label = k.replace("_", " ").capitalize()
        if k != "warnings" and isinstance(v, str):
            notes.append(f"{label}: {v}")
        elif isinstance(v, dict):
            notes += [f"{label}: {sub}" for key, sub in v.items()
                      if isinstance(sub, str) and sub and (key.endswith("note") or key in ("not_measured", "level"))]
    return notes


def _flat(v) -> str:
    if isinstance(v, dict):
        return ", ".join(f"{k.replace('_', ' ')} {_flat(x)}" for k, x in v.items() if not isinstance(x, (list, dict)))
    if isinstance(v, float):
        return f"{v:.3g}"
    return str(v)


def quality_details(r: Result) -> list[dict]:
    """Every other ``quality`` block as one line of ``name value`` pairs (the 'measurement details' list)."""
    rows = []
    for k, v in r.quality.items():
        if k in ("warnings", "pair") or isinstance(v, str) or v is None:
            continue
        text = _flat(v) if isinstance(v, dict) else _flat(v) if not isinstance(v, list) else f"{len(v)} items"
        if text:
            rows.append({"name": k.replace("_", " ").capitalize(), "text": text})
    return rows


def pair_rows(r: Result) -> list[dict]:
    pair = r.quality.get("pair") or {}
    rows = []
    for name, d in pair.get("cross_check", {}).items():
        u = unit_of(name)
        rows.append({"label": label_of(name), "unit": u, "side": fmt(d.get("side"), u), "rear": fmt(d.get("rear"), u),
                     "diff": fmt(d.get("diff_pct"), "%"), "agree": d.get("agree")})
    return rows


def context(r: Result, keyframes: list[dict], notes: list[str], overlay: list[dict] | None) -> dict:
    plots, plot_notes = all_plots(r)
    titles = {f.id: f.title for f in r.findings}
    return {
        "r": r, "clip": r.video.get("display_name") or Path(r.video.get("path", "")).name or "clip",  # web uploads
        "rear_clip": Path((r.inputs.get("rear_video") or {}).get("path", "")).name if r.inputs.get("rear_video") else "",
        "headlines": ranges.headlines(r), "summary_rows": summary_rows(r.summary), "plots": plots,
        "plot_notes": plot_notes, "keyframes": keyframes, "findings": r.findings,
        "recommendations": r.recommendations, "finding_titles": titles, "quality": quality_notes(r), "quality_details": quality_details(r),
        "pair_rows": pair_rows(r), "report_notes": notes, "overlay": overlay, "n_strides": len(r.strides),
        "n_excluded": sum(1 for s in r.strides if s.excluded), "plotly_js": plotly_js(),
        "source_text": source_text, "fmt": fmt,
    }


def render_html(r: Result, keyframes: list[dict] | None = None, notes: list[str] | None = None,
                overlay: list[dict] | None = None) -> str:
    """``overlay``: [{file, label, codec}] of annotated videos next to the page (linked, not embedded)."""
    return _env().get_template("report.html.j2").render(**context(r, keyframes or [], notes or [], overlay))
