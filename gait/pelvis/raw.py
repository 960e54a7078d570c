"""The expensive part of the pelvis stage: every stored frame registered against the templates.

Its output, the raw relative rotation trace, depends on the clip, the pose model,
the pelvis parameters and the left foot strikes (the templates are picked by stride
phase), not on other options, so it is cached beside the landmarks under all of
them: re-analysing a clip with a new belt speed decodes nothing.
"""
from __future__ import annotations

import io
import json
from dataclasses import asdict, dataclass

import numpy as np

from gait.pelvis import markers
from gait.pelvis.camera import Roll
from gait.pelvis.geometry import box_zoom, hip_centre, occluder_mask
from gait.pelvis.params import Params
from gait.pelvis.register import NO_MATCH, Match, Template, combine, register
from gait.pelvis.sampler import PelvisSamples
from gait.pelvis.templates import build_templates, choose_by_phase

IDENTITY_TOL_T = 0.25  # a stored crop whose hips are this far from the tracked runner's belongs to someone else


@dataclass(frozen=True)
class RawTrace:
    """Per stored frame: image rotation of the band relative to the templates' own level (+ = clockwise)."""

    frame_index: np.ndarray  # (N,) decoder frame indices
    t_s: np.ndarray
    rotation_deg: np.ndarray  # median over templates after removing each template's own offset; NaN = none
    spread_deg: np.ndarray  # the templates' disagreement (robust sd)
    corr: np.ndarray  # median ECC correlation
    marker_rotation_deg: np.ndarray | None  # PSIS marker line, when marker mode ran
    templates: int
    templates_segmented: int
    templates_dropped: int
    roll: Roll
    torso_px: float

    def to_npz_bytes(self) -> bytes:
        buf = io.BytesIO()
        meta = {"templates": self.templates, "templates_segmented": self.templates_segmented,
                "templates_dropped": self.templates_dropped, "roll": asdict(self.roll), "torso_px": self.torso_px}
        arrays = dict(frame_index=self.frame_index, t_s=self.t_s, rotation_deg=self.rotation_deg,
                      spread_deg=self.spread_deg, corr=self.corr)
        if self.marker_rotation_deg is not None:
            arrays["marker_rotation_deg"] = self.marker_rotation_deg
        np.savez_compressed(buf, meta=np.frombuffer(json.dumps(meta).encode(), np.uint8), **arrays)
        return buf.getvalue()

    @classmethod
    def from_npz_bytes(cls, data: bytes) -> "RawTrace":
        z = np.load(io.BytesIO(data))
        meta = json.loads(bytes(z["meta"]).decode())
        return cls(z["frame_index"], z["t_s"], z["rotation_deg"], z["spread_deg"], z["corr"],
                   z["marker_rotation_deg"] if "marker_rotation_deg" in z else None, meta["templates"],
                   meta["templates_segmented"], meta["templates_dropped"], Roll(**meta["roll"]), meta["torso_px"])


def _runner_rows(samples: PelvisSamples, runner_xy: dict[int, np.ndarray], params: Params) -> list[np.ndarray | None]:
    """The tracked runner's landmarks for each stored crop, None where the crop was cut around someone else."""
    out = []
    T, band = samples.torso_px, params.band
    for fi, box in zip(samples.store.frame_index, samples.store.boxes):
        xy = runner_xy.get(fi)
        c = hip_centre(xy) if xy is not None else np.full(2, np.nan)
        expected = np.array([0.5 * (box[0] + box[2]), box[1] + (band.top_t + band.margin_t) * T])
        out.append(xy if np.all(np.isfinite(c)) and np.hypot(*(c - expected)) <= IDENTITY_TOL_T * T else None)
    return out


def _occluders(samples: PelvisSamples, rows: list[np.ndarray | None], params: Params):
    def of(k: int) -> np.ndarray:
        box = samples.store.boxes[k]
        xy = rows[k] if rows[k] is not None else np.full((33, 2), np.nan)
        return occluder_mask(samples.geom, xy, box, box_zoom(samples.geom, box), samples.torso_px, params.band)
    return of


def _register_all(samples: PelvisSamples, templates: list[Template], rows, occl, params: Params,
                  with_markers: bool, threads: int = 1):
    """(N, K) angles and correlations of every stored frame against every template.

    Each template follows the clip on its own (its last match warm-starts the next frame), so the
    templates are split between ``threads`` threads (OpenCV releases the GIL): the same numbers as one.
    """
    from concurrent.futures import ThreadPoolExecutor

    n, K = len(samples.store), len(templates)
    ang, cor = np.full((n, K), np.nan), np.full((n, K), np.nan)
    mark = np.full(n, np.nan) if with_markers else None
    prev: list[Match] = [NO_MATCH] * K
    n_groups = max(1, min(threads, K))
    groups = [list(range(K))[g::n_groups] for g in range(n_groups)]

    def follow(group: list[int], crops: list, ks: list[tuple[int, int]], masks: dict) -> None:
        for j, k in ks:
            for t in group:
                m = register(templates[t], crops[j], masks[k], samples.geom, prev[t], params.max_angle_deg)
                ang[k, t], cor[k, t] = m.angle_deg, m.corr
                prev[t] = m if np.isfinite(m.angle_deg) and m.corr > params.min_corr else NO_MATCH

    with ThreadPoolExecutor(len(groups)) as pool:
        for k0, crops in samples.store.chunks():
            ks = [(j, k0 + j) for j in range(len(crops)) if rows[k0 + j] is not None]
            masks = {k: occl(k) for _, k in ks}
            list(pool.map(lambda g: follow(g, crops, ks, masks), groups))
            if mark is not None:
                for j, k in ks:
                    mark[k] = markers.marker_angle_deg(crops[j], samples.geom, params.band.work_torso_px)
    return ang, cor, mark


def _drop_poor_templates(ang: np.ndarray, cor: np.ndarray, params: Params) -> list[int]:
    """Templates that match about as well as the best one (noise lowers every template's correlation alike)."""
    with np.errstate(all="ignore"):
        med = np.array([np.nanmedian(cor[:, k]) if np.isfinite(cor[:, k]).any() else 0.0 for k in range(cor.shape[1])])
    return [k for k in range(cor.shape[1]) if med[k] >= med.max() - params.template_corr_drop
            and np.mean(np.isfinite(ang[:, k])) > 0.7]


def register_clip(samples: PelvisSamples, runner_xy: dict[int, np.ndarray], params: Params, segment,
                  phase_of, with_markers: bool = False, threads: int = 1) -> RawTrace | None:
    """Register every stored frame; None when no usable template could be made (pelvis hidden or featureless).

    ``phase_of(t_s)``: the stride phase 0..1 at a time (None outside the strides), to spread the templates.
    """
    rows = _runner_rows(samples, runner_xy, params)
    occl = _occluders(samples, rows, params)
    cands = [c for c in choose_by_phase(samples.candidates, phase_of, params.n_templates)
             if rows[c.store_k] is not None]
    templates, n_seg = build_templates(cands, params.n_templates, samples.store.read, occl, segment, samples.geom,
                                       params.band.work_torso_px)
    if not templates:
        return None
    ang, cor, mark = _register_all(samples, templates, rows, occl, params, with_markers, threads)
    keep = _drop_poor_templates(ang, cor, params) or list(range(len(templates)))
    rot, spread, corr = combine(ang[:, keep], cor[:, keep], params.min_corr)
    st = samples.store
    return RawTrace(np.asarray(st.frame_index), np.asarray(st.t_s, float), rot, spread, corr, mark, len(keep),
                    n_seg, len(templates) - len(keep), samples.roll, samples.torso_px)
