#!/usr/bin/env bash
# Build paper/paper.pdf from paper/paper.md with pandoc (citeproc) and pdflatex.
#
#   scripts/build_paper.sh              # build (installs pandoc + TeX Live if missing and root)
#   scripts/build_paper.sh --no-install # never install; fail if pandoc/pdflatex are missing
#
# Needs Debian's pandoc and a small TeX Live (~375 MB, ~30 s to install):
#   apt-get install -y --no-install-recommends pandoc texlive-latex-base \
#       texlive-latex-recommended texlive-fonts-recommended lmodern
# The generated equations and tables in paper.md must be current first
# (.venv/bin/python scripts/make_paper.py; tests/test_paper.py checks it).
# pandoc's default template ignores JOSS's `authors:`/`affiliations:`, so the author
# line is passed with -M. The PDF is a build product: do not commit it.
set -euo pipefail
cd "$(dirname "$0")/../paper"

install=1
[ "${1:-}" = "--no-install" ] && install=0

if ! command -v pandoc >/dev/null || ! command -v pdflatex >/dev/null; then
    if [ "$install" = 1 ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "installing pandoc and TeX Live from Debian (~375 MB)"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
            pandoc texlive-latex-base texlive-latex-recommended \
            texlive-fonts-recommended lmodern >/dev/null
    else
        echo "error: pandoc and pdflatex are needed; as root run:" >&2
        echo "  apt-get install -y --no-install-recommends pandoc texlive-latex-base" \
            "texlive-latex-recommended texlive-fonts-recommended lmodern" >&2
        exit 1
    fi
fi

# Run from paper/ so that paper.bib and ../figures/*.png resolve as in the JOSS layout.
pandoc paper.md --citeproc --pdf-engine=pdflatex \
    -M author="The dyadmodel developers" \
    -V geometry:margin=2.5cm -V colorlinks=true -V fontsize=10pt \
    -o paper.pdf
echo "wrote paper/paper.pdf"
