#!/usr/bin/env bash
# Print the README's accuracy table: `gait validate` on the phantom clips, headed by the
# version and commit it ran on. Paste its output into README.md ("What the numbers are").
#   scripts/accuracy_table.sh [DIR] [gait validate options, e.g. --model lite,full,heavy]
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-.venv/bin/python}"
DIR="${1:-../shared/sample_videos/phantom}"
[ $# -gt 0 ] && shift
version=$("$PY" -c "from importlib.metadata import version; print(version('gait'))" 2>/dev/null || echo "unknown")
commit=$(git rev-parse --short HEAD 2>/dev/null || echo "no git")
echo "gait ${version} (commit ${commit}), gait validate $(basename "$DIR") $*"
exec "$PY" -m gait.cli validate "$DIR" --quiet --out "${TMPDIR:-/tmp}/gait_accuracy" "$@"
