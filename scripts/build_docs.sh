#!/usr/bin/env bash
# Build the documentation site into docs/_build/html, warnings as errors, no network.
#
#   scripts/build_docs.sh            # set up (like scripts/test.sh), then build
#   scripts/build_docs.sh -E         # extra arguments go to sphinx-build (-E: from scratch)
#
# Set-up: scripts/setup.sh (the .venv), then the `docs` extra when Sphinx is missing, and
# dvipng (LaTeX formulas are rendered to embedded PNGs: no MathJax, no CDN) from Debian
# when missing and we are root. The gallery and the tutorials are executed during the
# build (about a minute and a half on the 2-core machine); open docs/_build/html/index.html
# in a browser, no server needed.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
if ! .venv/bin/python -c "import sphinx, sphinx_gallery, numpydoc, myst_parser, pydata_sphinx_theme" 2>/dev/null; then
  echo "build_docs: installing the docs extra into .venv"
  .venv/bin/python -m pip install -q -e '.[docs]' -c scripts/constraints-figures.txt
fi
if ! command -v latex >/dev/null || ! command -v dvipng >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "build_docs: installing LaTeX and dvipng from Debian (formulas as images)"
    scripts/apt_wait.sh update -qq
    DEBIAN_FRONTEND=noninteractive scripts/apt_wait.sh install -y -qq --no-install-recommends \
      texlive-latex-base texlive-latex-recommended dvipng >/dev/null
  else
    echo "error: latex and dvipng are needed for the formulas; as root run:" >&2
    echo "  apt-get install -y --no-install-recommends texlive-latex-base dvipng" >&2
    exit 1
  fi
fi
export HYPOTHESIS_PROFILE=${HYPOTHESIS_PROFILE:-ci}
export PYTHONHASHSEED=0
start=$(date +%s)
.venv/bin/python -m sphinx -W --keep-going -b html -j 1 "$@" docs docs/_build/html
echo "build_docs: built docs/_build/html in $(( $(date +%s) - start )) s"
