"""The perturbed clips the event tests score (tests/perturb_video.py): each changes one or two looks of
a shared phantom clip that the events must not depend on."""
from __future__ import annotations

from perturb_video import VideoPerturbation as V

LOOKS = [
    V("side_right_blackshoes", "side_right_drop4_169spm_60fps", black_shoes=True),
    V("side_left_high_blackshoes_lowcontrast", "side_left_high_drop0_178spm_60fps", black_shoes=True, contrast=0.6),
    V("rear_drop0_blackshoes", "rear_drop0_169spm_60fps", black_shoes=True),
    V("rear_asymL10R3_blackshoes_dark", "rear_asymL10R3_176spm_60fps", black_shoes=True, gamma=1.6),
    V("rear_yaw25_lowcontrast_noise", "rear_yaw25_L8R4_172spm_60fps", contrast=0.55, noise_sd=6.0),
    V("front_blackshoes", "front_L2R7_170spm_60fps", black_shoes=True),
    V("side_right_30fps_noise", "side_right_drop4_169spm_60fps", keep_every=2, noise_sd=4.0),
    V("rear_drop8_30fps_blackshoes", "rear_drop8_169spm_60fps", keep_every=2, black_shoes=True),
    # the rear toe-off's camera-height model where it was not fitted: a low camera with black shoes, and an
    # asymmetric runner at 30 fps with noise
    V("rear_low_blackshoes", "rear_low_L6R0_164spm_30fps", black_shoes=True),
    V("rear_asymL4R11_30fps_noise", "rear_asymL4R11_158spm_60fps", keep_every=2, noise_sd=4.0),
]
SLOWED = [
    V("side_right_slowmo2", "side_right_drop4_169spm_60fps", slowmo=2.0),
    V("rear_drop0_slowmo4", "rear_drop0_169spm_60fps", slowmo=4.0),
]
# The runner's sides exchanged, and a farther camera: which side, and how much, must follow the runner.
GEOMETRY = [
    V("rear_asymL10R3_mirrored", "rear_asymL10R3_176spm_60fps", mirror=True),
    V("side_right_drop4_mirrored", "side_right_drop4_169spm_60fps", mirror=True),
    V("rear_asymL4R11_far", "rear_asymL4R11_158spm_60fps", zoom=0.6),
]
# A runner small in the frame (a phone far away, a low-resolution export): the torso spans about 75, 50 and
# 30 pixels instead of 150. The pelvic drop must widen its intervals to match, or refuse when too small.
RESOLUTION = [
    V("rear_asymL10R3_w640", "rear_asymL10R3_176spm_60fps", width=640),
    V("front_L2R7_w426", "front_L2R7_170spm_60fps", width=426),
    V("rear_drop8_w256", "rear_drop8_169spm_60fps", width=256),
]
# A camera not level (a phone on a tripod a few degrees off): the ground runs across the picture at a slant.
ROLLED = [
    V("side_right_roll-3", "side_right_drop4_169spm_60fps", roll_deg=-3.0),
    V("side_left_high_roll+4", "side_left_high_drop0_178spm_60fps", roll_deg=4.0),
    V("rear_asymL10R3_roll-3", "rear_asymL10R3_176spm_60fps", roll_deg=-3.0),
]
# A soft picture (a phone's focus and smoothing): the pelvis's fine texture is lost, its outline stays.
BLURRED = [
    V("rear_asymL10R3_blur1", "rear_asymL10R3_176spm_60fps", blur_px=1.0),
]
