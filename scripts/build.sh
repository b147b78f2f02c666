#!/usr/bin/env bash
# Set up (a virtual environment in .venv with kg and its SPARQL extra) and build corpus/ into output/.
# Extra arguments go to `kg build`, e.g. `bash scripts/build.sh --workers 1`.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/venv.sh
ensure_venv "[sparql,html]"
exec .venv/bin/kg build corpus --out output "$@"
