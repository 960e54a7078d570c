"""Every number the pelvis stage uses, named, with the reason it has that value.

Lengths are in units of the runner's torso length T (shoulder-mid to hip-mid in
the image), never in pixels, so the same numbers serve a 360p phone clip and a
4K camera. Times are in seconds or as fractions of a stance.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Band:
    """The band of the body whose image rotation is read as the pelvis's.

    The band sits between the waist and the hip joints. Higher, the shirt and the
    waist follow the trunk, which does not roll with the pelvis (and where a shirt
    hem sits depends on where the pose model puts the hips: a band reaching 0.36 T
    up read an 8° drop as 5.7° with the heavy model's hips). Lower, the buttocks
    and shorts follow the thighs, which swing through every stride.
    """

    top_t: float = 0.25  # top edge above the hip-landmark midpoint (about the iliac crests)
    bottom_t: float = -0.05  # bottom edge: just below the hip landmarks (upper buttocks, still pelvis-borne)
    half_width_t: float = 0.42  # the whole pelvis plus its outline against the background
    margin_t: float = 0.22  # search margin around the band: the pelvis moves ~0.1 T between frames at most
    work_torso_px: float = 120.0  # crops are resampled so T is this many pixels: enough for the waistband
    # seam after ECC's 5x5 prefilter (200 px read the phantoms no better and cost 2.8x the time)
    arm_width_t: float = 0.13  # forearm / hand occluder thickness (a forearm is ~0.12 T wide)


@dataclass(frozen=True)
class Params:
    band: Band = Band()
    # Templates: each template's answer carries a bias that depends on the leg configuration in its
    # frame (buttock and shorts folds), different at each phase of the stride. Templates are therefore
    # spread evenly over one stride's phases, in mirror pairs half a stride apart, and their answers
    # combined by a median (12 templates over one clip spread single-template errors of -1.7..+1.9°
    # on a level phantom pelvis down to 0.3-0.6°). Random 6-template sets differed by sd 0.2-0.5° per
    # side and up to 0.9° in asymmetry on the phantoms; 12 cut that by ~30 %, all 30 candidates gained
    # nothing more (what remains is a bias the templates share), and registration time grows with it.
    n_templates: int = 12
    candidate_spacing_s: float = 0.1  # template candidates every 0.1 s (about 1/7 of a stride)...
    candidate_window_s: float = 3.0  # ...over 3 s (4 strides) in the middle of the clip
    min_hip_visibility: float = 0.7  # template frames need both hips clearly seen
    template_corr_drop: float = 0.08  # a template whose median match is this far below the best one is dropped
    min_corr: float = 0.5  # an ECC match below this is no match (ECC of unrelated textures is ~0.2-0.4)
    max_angle_deg: float = 25.0  # a band rotation beyond any plausible pelvic roll is a false match
    despike_window_s: float = 0.1  # a real drop builds over most of a ~0.2 s stance; 1-2 frame jumps are mismatches
    max_gap_s: float = 0.1  # gaps up to this are interpolated (shorter than a third of a stance)
    smooth_window_s: float = 0.08  # Savitzky-Golay window: takes frame noise off without flattening a 0.2 s stance
    min_frame_confidence: float = 0.05  # frames below this are treated as missing
    # Readout window within each stance (fractions of the stance): the loading phase to just past
    # midstance, where the stance-side hip abductors hold the pelvis. The first 15 % holds the impact
    # transient and the strike's own timing error; late stance is left out because hip extension
    # of the stance leg then moves buttock tissue and clothing (a ramp of ~2° on a level phantom pelvis).
    readout_from: float = 0.15
    readout_to: float = 0.60
    min_stance_confidence: float = 0.4
    max_missing_in_stance: float = 0.25
    contact_ratio_range: tuple[float, float] = (0.5, 1.6)  # a contact this far from the typical one is a bad event
    # The level: "flight" (the pelvis angle between stances, see trace.py) or "cycle_mean", the mean
    # over the whole clip, kept only so the test suite can show side by side what it loses.
    level: str = "flight"
    max_yaw_deg: float = 45.0  # beyond this no frontal plane is seen: not measured
    warn_yaw_deg: float = 15.0  # above this the yaw correction is an approximation worth a warning
    correct_yaw_up_to_deg: float = 30.0  # the cos(yaw) attenuation is corrected up to here (yaw is known to ~10°)
    roll_frames: int = 6  # frames sampled for the camera roll from background lines
    roll_warn_deg: float = 3.0
    # Systematic error of the method, added in quadrature to every interval: 1.96 x the RMS error over
    # the rendered phantom clips with exact truth (rear and front, outfits, cameras, yaw, phone; full
    # model, detected events): about 0.77° per side and 1.0° for the left-right difference.
    systematic_deg: float = 1.5
    systematic_asymmetry_deg: float = 2.0
    # Image resolution: a runner small in the frame gives a band of few pixels, upsampled to the working
    # scale, and the registration loses detail. On 4 phantom clips (3 rear, 1 front) cut at 6 widths
    # (torso 150 down to 37 px, detected events), the RMS error per side grew as sqrt(0.63^2 + (51 / T)^2)
    # with T the torso in image pixels, and the asymmetry's alike: the 95 % half-width gains 1.96 x 51 ~ 100 / T
    # degrees (a 100 px torso: +-1.0°, 50 px: +-2.0°), added in quadrature to every pelvic-drop interval.
    pixel_error_deg_px: float = 100.0
    # Below this torso size the reading breaks down rather than just growing noisier, so it is not measured:
    # at 30 px the drop read 3.3° low on one side and 2.2-2.6° high on the other (asymmetry off by 5.5-6.0°,
    # outside its interval); at 37 px every reading stayed inside its widened interval, if only just.
    min_torso_px: float = 35.0

    def registration_fields(self) -> dict:
        """The fields the raw registration depends on (the raw trace's cache key): all but those read only
        afterwards, from the cached trace (measure.py, stances.py), so a new readout reuses the registration.
        A new field counts as a registration field unless it is listed here."""
        return {k: v for k, v in asdict(self).items() if k not in READOUT_ONLY}


READOUT_ONLY = frozenset({
    "despike_window_s", "max_gap_s", "smooth_window_s", "min_frame_confidence", "readout_from", "readout_to",
    "min_stance_confidence", "max_missing_in_stance", "contact_ratio_range", "level", "max_yaw_deg",
    "warn_yaw_deg", "correct_yaw_up_to_deg", "roll_warn_deg", "systematic_deg", "systematic_asymmetry_deg",
    "pixel_error_deg_px", "min_torso_px"})
