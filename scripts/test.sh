#!/usr/bin/env bash
# Set up everything the tests need (system packages, .venv with kg[test]) and run every test.
# Extra arguments go to pytest, e.g. `bash scripts/test.sh -k chunking`.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/venv.sh
ensure_system_packages
ensure_venv "[test]"
exec .venv/bin/python -m pytest "$@"
