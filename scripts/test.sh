#!/usr/bin/env bash
# Run the whole test suite (unit, property, doctest, README example) after set-up.
# Extra arguments go to pytest, e.g. scripts/test.sh -k equilibria
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export HYPOTHESIS_PROFILE=${HYPOTHESIS_PROFILE:-ci}
.venv/bin/python -m ruff check dyadmodel tests scripts
.venv/bin/python -m pytest "$@"
