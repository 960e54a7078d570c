"""What the pelvis stage takes from each decoded frame, as the one decode pass streams it.

Per frame: the search crop around that frame's hips, resampled to the working
scale and prepared for registration, written to a CropStore on disk; for a few
frames, template candidates and background line angles for the camera roll.
Nothing grows in memory with the clip's length.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

from gait.pelvis import camera
from gait.pelvis.geometry import (CropGeometry, box_zoom, crop_resampled, hip_centre, person_box, search_box, to_crop,
                                  torso_px)
from gait.pelvis.params import Params
from gait.pelvis.register import prepare
from gait.pelvis.store import CropStore
from gait.pelvis.templates import PERSON_SIDE_PX, Candidate, CandidatePicker
from gait.poses.landmarks import HIP

WARMUP_FRAMES = 5  # frames with a person whose median torso length fixes the crop scale
ROLL_MAX_SIDE = 640.0  # background lines are found on a downscaled copy


@dataclass(frozen=True)
class Person:
    """One detected person in one frame: landmarks in frame pixels and their visibility."""

    xy: np.ndarray  # (33, 2)
    visibility: np.ndarray  # (33,)


@dataclass
class PelvisSamples:
    """Everything the pelvis stage kept from the decode pass."""

    store: CropStore
    geom: CropGeometry
    torso_px: float
    picker: CandidatePicker
    roll: camera.Roll

    def close(self) -> None:
        self.store.close()


def _pick(people: list[Person]) -> Person | None:
    """The largest person with both hips found (the tracker decides the runner later; a mismatch is dropped)."""
    best, area = None, 0.0
    for p in people:
        if not np.all(np.isfinite(p.xy[[HIP["left"], HIP["right"]]])):
            continue
        q = p.xy[np.all(np.isfinite(p.xy), axis=1)]
        a = float(np.ptp(q[:, 0]) * np.ptp(q[:, 1]))
        if a > area:
            best, area = p, a
    return best


@dataclass
class FrameSampler:
    """Feed every decoded frame with the people found in it; ``finish()`` returns the PelvisSamples."""

    n_frames: int  # expected frames (from the container), to place template candidates and roll samples
    fps: float
    params: Params = Params()
    _geom: CropGeometry = field(init=False)
    _store: CropStore = field(init=False)
    _picker: CandidatePicker = field(init=False)
    _torso: float | None = None
    _warm: list = field(default_factory=list)
    _roll_at: list[int] = field(default_factory=list)
    _devs: list = field(default_factory=list)
    _lens: list = field(default_factory=list)

    def __post_init__(self):
        self._geom = CropGeometry.of(self.params.band)
        self._store = CropStore(self._geom.width, self._geom.height)
        self._picker = CandidatePicker.for_clip(self.n_frames, self.fps, self.params.candidate_spacing_s,
                                                self.params.candidate_window_s)
        self._roll_at = sorted(set(np.linspace(0, max(self.n_frames - 1, 0), self.params.roll_frames).astype(int)))

    def add(self, frame_index: int, t_s: float, bgr: np.ndarray, people: list[Person]) -> None:
        person = _pick(people)
        if person is None:
            return
        if self._torso is None:
            self._warm.append((frame_index, t_s, bgr.copy(), person))
            ts = torso_px(np.stack([w[3].xy for w in self._warm]))
            if np.isfinite(ts).sum() >= WARMUP_FRAMES:
                self._torso = float(np.nanmedian(ts))
                for args in self._warm:
                    self._sample(*args)
                self._warm.clear()
            return
        self._sample(frame_index, t_s, bgr, person)

    def _sample(self, frame_index: int, t_s: float, bgr: np.ndarray, person: Person) -> None:
        T, band = self._torso, self.params.band
        if self._roll_at and frame_index >= self._roll_at[0]:
            self._roll_at.pop(0)
            s = min(1.0, ROLL_MAX_SIDE / bgr.shape[1])
            g = cv2.cvtColor(cv2.resize(bgr, None, fx=s, fy=s, interpolation=cv2.INTER_AREA), cv2.COLOR_BGR2GRAY)
            d, ln = camera.line_deviations_deg(g, person_box(person.xy, T, s))
            self._devs.append(d)
            self._lens.append(ln)
        box = search_box(hip_centre(person.xy), T, band)
        colour = crop_resampled(bgr, box, (self._geom.width, self._geom.height))
        if colour is None:
            return
        k = len(self._store)
        self._store.append(frame_index, t_s, box, prepare(colour))
        pos = self._picker.wants(frame_index)
        if pos is not None and min(person.visibility[HIP["left"]], person.visibility[HIP["right"]]) \
                >= self.params.min_hip_visibility:
            self._picker.offer(pos, self._candidate(frame_index, t_s, k, bgr, person, box, colour))

    def _candidate(self, frame_index, t_s, k, bgr, person: Person, box, colour) -> Candidate:
        pb = person_box(person.xy, self._torso, 1.0)
        H, W = bgr.shape[:2]
        x0, y0, x1, y1 = max(pb[0], 0), max(pb[1], 0), min(pb[2], W), min(pb[3], H)
        s = PERSON_SIDE_PX / max(x1 - x0, y1 - y0, 1)
        img = cv2.resize(bgr[y0:y1, x0:x1], None, fx=s, fy=s, interpolation=cv2.INTER_AREA)
        hips = to_crop(person.xy[[HIP["left"], HIP["right"]]], box, box_zoom(self._geom, box))
        return Candidate(frame_index, t_s, k, colour, img, (float(x0), float(y0)), s, box, hips)

    def finish(self) -> PelvisSamples | None:
        """The samples, or None when the runner's hips were never seen well enough to place the band."""
        if self._torso is None:
            self._store.close()
            return None
        return PelvisSamples(self._store, self._geom, self._torso, self._picker,
                             camera.estimate_roll(self._devs, self._lens))
