#!/usr/bin/env bash
# Regenerate every figure in figures/ (HTML + PNG + PDF + JSON provenance) after set-up.
# setup.sh installs the figure toolchain pinned in scripts/constraints-figures.txt, so on
# a committed tree (and the Chromium the JSON names) the rerun writes the committed bytes:
# `git status figures/` stays clean.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
.venv/bin/python scripts/make_figures.py "$@"
