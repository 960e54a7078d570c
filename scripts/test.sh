#!/usr/bin/env bash
# Set up from nothing and run the whole test suite (what CI runs).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --with-browser
# two test processes, one file each at a time: much of the suite waits on subprocesses, servers and the browser
exec .venv/bin/python -m pytest -q -n 2 --dist loadfile "$@"
