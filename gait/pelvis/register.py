"""Rigid registration of the pelvis band of every frame against a few template frames.

Each template is the band of one reference frame, masked to the body (no static
background: a treadmill console crossing the band does not roll and would pull
the angle to zero) and clear of the hands. Every frame's search crop is aligned
to it by ECC (enhanced correlation coefficient: invariant to brightness gain and
offset) under rotation + translation. The warp's rotation is how far the pelvis
turned in the image relative to that template's frame. Several templates from
different phases of the stride are combined by a median after removing each
one's own offset, and their disagreement measures the confidence.
"""
from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field

import cv2
import numpy as np

from gait.pelvis.geometry import CropGeometry

# ECC stops when the correlation changes by less than eps between iterations. The first fit only has
# to get close enough to tell which pixels follow the rigid motion; the second, without the others,
# converges properly (an eps of 1e-4 there cost 2° on the 8° phantom; 1e-5 reads as 1e-6 at half the time).
FIRST_FIT = (cv2.TERM_CRITERIA_EPS | cv2.TERM_CRITERIA_COUNT, 20, 1e-4)
FINAL_FIT = (cv2.TERM_CRITERIA_EPS | cv2.TERM_CRITERIA_COUNT, 60, 1e-5)
ECC_PREFILTER = 5  # Gaussian prefilter of ECC: takes sensor noise and compression blocks off the gradients
MIN_USABLE = 0.3  # a template keeps at least this share of its band (hands, background cut the rest)
MIN_TEXTURE = 2.0  # grey-level sd below which a band has nothing to register
RESIDUAL_SIGMAS = 3.0  # robust pass: template pixels this far off the fit (a missed hand, a fold) are dropped


@dataclass(frozen=True)
class Template:
    frame_index: int
    image: np.ndarray  # (h, w) float32, the prepared band
    mask: np.ndarray  # (h, w) uint8, 255 = use
    # the band standardised over its mask (the robust pass compares every frame with it); made once here
    standardised: np.ndarray = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        m = self.mask > 0
        z = (self.image - self.image[m].mean()) / (self.image[m].std() + 1e-6)
        object.__setattr__(self, "standardised", z)


@dataclass(frozen=True)
class Match:
    angle_deg: float  # band rotation vs the template, + = clockwise on screen (image y down); NaN = no match
    corr: float  # ECC correlation 0..1 (NaN when it failed)
    dx_px: float  # residual shift in crop pixels: the next frame's warm start
    dy_px: float


NO_MATCH = Match(float("nan"), float("nan"), 0.0, 0.0)


def prepare(crop_bgr: np.ndarray) -> np.ndarray:
    """The image the registration sees: grey, locally contrast-equalised (CLAHE), uint8.

    Equalisation lets a faint dark-on-dark waistband seam weigh about as much as the
    bright body outline, so dark clothing is not left to the outline alone.
    """
    g = cv2.cvtColor(crop_bgr, cv2.COLOR_BGR2GRAY) if crop_bgr.ndim == 3 else crop_bgr
    tiles = max(2, int(round(g.shape[1] / 48)))  # ~48 px tiles: a few per band, whatever its size
    return cv2.createCLAHE(clipLimit=3.0, tileGridSize=(tiles, tiles)).apply(g)


def make_template(frame_index: int, prepared: np.ndarray, body: np.ndarray, occluders: np.ndarray,
                  geom: CropGeometry) -> Template | None:
    """Template from one frame's prepared crop and body mask, or None if too little pelvis is visible."""
    x, y, w, h = geom.band_x, geom.band_y, geom.band_w, geom.band_h
    mask = (body & occluders)[y:y + h, x:x + w].copy()
    if np.count_nonzero(mask) < MIN_USABLE * mask.size:
        return None
    img = prepared[y:y + h, x:x + w].astype(np.float32)
    if float(img[mask > 0].std()) < MIN_TEXTURE:
        return None
    return Template(frame_index, img, mask)


def _ecc(tpl: Template, img: np.ndarray, mask: np.ndarray, occluders: np.ndarray, W: np.ndarray, criteria):
    return cv2.findTransformECCWithMask(tpl.image, img, mask, occluders, W, cv2.MOTION_EUCLIDEAN, criteria,
                                        ECC_PREFILTER)


def _robust_mask(tpl: Template, img: np.ndarray, W: np.ndarray) -> np.ndarray | None:
    """Template pixels that follow the rigid fit (None when the first fit is hopeless)."""
    h, w = tpl.image.shape
    warped = cv2.warpAffine(img, W, (w, h), flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP,
                            borderMode=cv2.BORDER_REPLICATE)
    m = tpl.mask > 0
    i_n = (warped - warped[m].mean()) / (warped[m].std() + 1e-6)
    res = np.abs(cv2.GaussianBlur(tpl.standardised - i_n, (5, 5), 0))
    bad = (res > RESIDUAL_SIGMAS * 1.4826 * np.median(res[m]) + 0.3) & m
    if not bad.mean() < 0.4:
        return None
    return cv2.erode((~bad).astype(np.uint8) * 255, np.ones((5, 5), np.uint8)) & tpl.mask


def register(tpl: Template, crop: np.ndarray, occluders: np.ndarray, geom: CropGeometry, start: Match,
             max_angle_deg: float) -> Match:
    """Align the template to one frame's prepared crop (anchored on that frame's hip landmarks).

    A second fit without the template pixels that fit badly (a hand the pose missed,
    a fold that moved) follows the first.
    """
    a = math.radians(start.angle_deg) if math.isfinite(start.angle_deg) else 0.0
    W = np.array([[math.cos(a), -math.sin(a), geom.band_x + start.dx_px],
                  [math.sin(a), math.cos(a), geom.band_y + start.dy_px]], np.float32)
    img = crop.astype(np.float32)
    try:
        corr, W = _ecc(tpl, img, tpl.mask, occluders, W, FIRST_FIT)
        keep = _robust_mask(tpl, img, W)
        corr, W = _ecc(tpl, img, tpl.mask if keep is None else keep, occluders, W, FINAL_FIT)
    except cv2.error:  # did not converge (e.g. the band is hidden)
        return NO_MATCH
    ang = math.degrees(math.atan2(float(W[1, 0]), float(W[0, 0])))
    if abs(ang) > max_angle_deg:
        return Match(float("nan"), float(corr), 0.0, 0.0)
    return Match(ang, float(corr), float(W[0, 2] - geom.band_x), float(W[1, 2] - geom.band_y))


def combine(angles: np.ndarray, corrs: np.ndarray, min_corr: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(N, K) per-template angles -> (relative angle, spread, corr), each (N,).

    Each template's angles are relative to its own frame, so each column is first
    centred on its median; the row median is then robust to one bad template, and
    the rows' MAD (x 1.4826) is the templates' spread.
    """
    A = np.where(corrs >= min_corr, angles, np.nan)
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN rows (no template matched) are expected
        A = A - np.nanmedian(A, axis=0, keepdims=True)
        n_ok = np.sum(np.isfinite(A), axis=1)
        med = np.where(n_ok > 0, np.nanmedian(A, axis=1), np.nan)
        spread = np.where(n_ok > 1, 1.4826 * np.nanmedian(np.abs(A - med[:, None]), axis=1), np.nan)
        corr = np.where(n_ok > 0, np.nanmedian(np.where(np.isfinite(A), corrs, np.nan), axis=1), np.nan)
    return med, spread, corr
