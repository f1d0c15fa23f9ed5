#!/usr/bin/env bash
# Regenerate every figure in figures/ (HTML + PNG + PDF + JSON provenance) after set-up.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
.venv/bin/python scripts/make_figures.py "$@"
