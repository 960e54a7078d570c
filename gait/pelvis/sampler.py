"""What the pelvis stage takes from each decoded frame, as the one decode pass streams it.

Per frame: the search crop around that frame's hips, resampled to the working
scale and prepared for registration, written to a CropStore on disk; for a few
frames, template candidates and background line angles for the camera roll.
Nothing grows in memory with the clip's length. A clip cut into chunks (one per
process) gives one ``SamplesPart`` per chunk; ``PelvisSamples.join`` puts them together.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

import cv2
import numpy as np

from gait.pelvis import camera
from gait.pelvis.geometry import (
    CropGeometry,
    box_zoom,
    crop_resampled,
    hip_centre,
    person_box,
    search_box,
    to_crop,
)
from gait.pelvis.params import Params
from gait.poses.landmarks import torso_px
from gait.pelvis.register import prepare
from gait.pelvis.store import CropStore, StoreRef
from gait.pelvis.templates import PERSON_SIDE_PX, Candidate, CandidatePicker
from gait.poses.landmarker import FramePeople
from gait.poses.landmarks import HIP

WARMUP_FRAMES = 5  # frames with a person whose median torso length fixes the crop scale, when not given
ROLL_MAX_SIDE = 640.0  # background lines are found on a downscaled copy


def roll_frames(first_frame: int, n_frames: int, count: int) -> list[int]:
    """The frames whose background lines give the camera roll: ``count`` spread over the clip."""
    last = first_frame + max(n_frames - 1, 0)
    return sorted(set(np.linspace(first_frame, last, count).astype(int)))


def background_lines(bgr: np.ndarray, xy: np.ndarray, torso: float) -> tuple[np.ndarray, np.ndarray]:
    """One frame's level/plumb background lines (camera.line_deviations_deg), the runner masked out."""
    s = min(1.0, ROLL_MAX_SIDE / bgr.shape[1])
    g = cv2.cvtColor(cv2.resize(bgr, None, fx=s, fy=s, interpolation=cv2.INTER_AREA), cv2.COLOR_BGR2GRAY)
    return camera.line_deviations_deg(g, person_box(xy, torso, s))


def largest_with_hips(people: FramePeople) -> int | None:
    """Index of the largest person whose hips were found (the tracker picks the runner later; a crop
    cut around someone else is dropped then)."""
    best, area = None, 0.0
    for k in range(len(people)):
        xy = people.xy[k]
        if not np.all(np.isfinite(xy[[HIP["left"], HIP["right"]]])):
            continue
        q = xy[np.all(np.isfinite(xy), axis=1)]
        a = float(np.ptp(q[:, 0]) * np.ptp(q[:, 1]))
        if a > area:
            best, area = k, a
    return best


@dataclass
class SamplesPart:
    """What one chunk's sampler kept (picklable when its store is a StoreRef)."""

    store: CropStore | StoreRef
    candidates: dict[int, Candidate]  # template position -> nearest candidate
    devs: list[np.ndarray]
    lens: list[np.ndarray]
    torso_px: float | None


@dataclass
class PelvisSamples:
    """Everything the pelvis stage kept from the decode pass."""

    store: CropStore
    geom: CropGeometry
    torso_px: float
    candidates: list[Candidate]  # in template-position order
    roll: camera.Roll

    @classmethod
    def join(cls, parts: list[SamplesPart], params: Params) -> "PelvisSamples | None":
        parts = [p for p in parts if p.torso_px is not None]
        if not parts:
            return None
        stores = [p.store for p in parts]
        store = stores[0] if len(stores) == 1 and isinstance(stores[0], CropStore) else CropStore.joined(stores)
        best: dict[int, Candidate] = {}
        offset = 0
        for p in parts:  # a later chunk's store rows follow the earlier chunks'
            for pos, c in p.candidates.items():
                c = replace(c, store_k=c.store_k + offset)
                if pos not in best or abs(c.frame_index - pos) < abs(best[pos].frame_index - pos):
                    best[pos] = c
            offset += len(p.store.frame_index)
        roll = camera.estimate_roll([d for p in parts for d in p.devs], [ln for p in parts for ln in p.lens])
        return cls(store, CropGeometry.of(params.band), parts[0].torso_px, [best[k] for k in sorted(best)], roll)

    def close(self) -> None:
        self.store.close()


@dataclass
class FrameSampler:
    """A frame consumer (gait.poses.estimator): ``add`` every decoded frame, ``finish()`` -> SamplesPart."""

    n_frames: int  # frames of the whole clip, to place template candidates and roll samples
    fps: float
    params: Params = Params()
    torso_px: float | None = None  # the crop scale; found from the first frames when not given
    folder: str | None = None  # where the crop file goes when another process will read it
    first_frame: int = 0  # the first frame of those n_frames (a series that starts later in its video)
    _geom: CropGeometry = field(init=False)
    _store: CropStore = field(init=False)
    _picker: CandidatePicker = field(init=False)
    _warm: list = field(default_factory=list)
    _roll_at: list[int] = field(default_factory=list)
    _devs: list = field(default_factory=list)
    _lens: list = field(default_factory=list)

    def __post_init__(self):
        self._geom = CropGeometry.of(self.params.band)
        self._store = CropStore(self._geom.width, self._geom.height, self.folder)
        self._picker = CandidatePicker.for_clip(self.n_frames, self.fps, self.params.candidate_spacing_s,
                                                self.params.candidate_window_s, self.first_frame)
        self._roll_at = roll_frames(self.first_frame, self.n_frames, self.params.roll_frames)

    def add(self, frame_index: int, t_s: float, bgr: np.ndarray, people: FramePeople) -> None:
        k = largest_with_hips(people)
        if k is None:
            return
        xy, vis = people.xy[k].astype(float), people.visibility[k]
        if self.torso_px is None:
            self._warm.append((frame_index, t_s, bgr.copy(), xy, vis))
            ts = torso_px(np.stack([w[3] for w in self._warm]))
            if np.isfinite(ts).sum() >= WARMUP_FRAMES:
                self.torso_px = float(np.nanmedian(ts))
                for args in self._warm:
                    self._sample(*args)
                self._warm.clear()
            return
        self._sample(frame_index, t_s, bgr, xy, vis)

    def _sample(self, frame_index: int, t_s: float, bgr: np.ndarray, xy: np.ndarray, vis: np.ndarray) -> None:
        T, band = self.torso_px, self.params.band
        while self._roll_at and frame_index >= self._roll_at[0]:
            self._roll_at.pop(0)
            d, ln = background_lines(bgr, xy, T)
            self._devs.append(d)
            self._lens.append(ln)
        box = search_box(hip_centre(xy), T, band)
        colour = crop_resampled(bgr, box, (self._geom.width, self._geom.height))
        if colour is None:
            return
        k = len(self._store)
        self._store.append(frame_index, t_s, box, prepare(colour))
        pos = self._picker.wants(frame_index)
        if pos is not None and min(vis[HIP["left"]], vis[HIP["right"]]) >= self.params.min_hip_visibility:
            self._picker.offer(pos, self._candidate(frame_index, t_s, k, bgr, xy, box, colour))

    def _candidate(self, frame_index, t_s, k, bgr, xy, box, colour) -> Candidate:
        pb = person_box(xy, self.torso_px, 1.0)
        H, W = bgr.shape[:2]
        x0, y0, x1, y1 = max(pb[0], 0), max(pb[1], 0), min(pb[2], W), min(pb[3], H)
        s = PERSON_SIDE_PX / max(x1 - x0, y1 - y0, 1)
        img = cv2.resize(bgr[y0:y1, x0:x1], None, fx=s, fy=s, interpolation=cv2.INTER_AREA)
        hips = to_crop(xy[[HIP["left"], HIP["right"]]], box, box_zoom(self._geom, box))
        return Candidate(frame_index, t_s, k, colour, img, (float(x0), float(y0)), s, box, hips)

    def finish(self) -> SamplesPart:
        store = self._store.ref() if self.folder is not None else self._store
        if self.folder is not None:
            self._store.close()
        cands = {p: c for p, (_, c) in self._picker.kept.items()}
        return SamplesPart(store, cands, self._devs, self._lens, self.torso_px)
