#!/usr/bin/env bash
# Set up from nothing and analyse a bundled rear-view treadmill clip (belt 4.18 m/s).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/gait analyze sample_videos/rear_drop8_169spm_60fps.mp4 --belt-speed 4.1837mps --out out/rear_drop8 "$@"
