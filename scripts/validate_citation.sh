#!/usr/bin/env bash
# Validate CITATION.cff against the Citation File Format schema with cffconvert.
#
# cffconvert pins an old jsonschema that conflicts with the package's own environment,
# so it lives in a separate venv, .venv-cff (created on first use; needs network once,
# then validation works offline). Exit status is cffconvert's: non-zero if invalid.
#
#   scripts/validate_citation.sh            # validate ./CITATION.cff
#   scripts/validate_citation.sh path.cff   # validate another file
set -euo pipefail
cd "$(dirname "$0")/.."

CFF="${1:-CITATION.cff}"
VENV=.venv-cff
PYTHON="${PYTHON:-python3}"

if [ ! -x "$VENV/bin/cffconvert" ]; then
    echo "creating $VENV with cffconvert (separate from .venv: it pins an old jsonschema)"
    "$PYTHON" -m venv "$VENV"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "cffconvert>=2.0,<3"
fi

"$VENV/bin/cffconvert" --validate -i "$CFF"
