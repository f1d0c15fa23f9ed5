#!/usr/bin/env bash
# Idempotent set-up shared by the README's two commands and by CI:
# a venv in .venv with dyadmodel installed (editable) and its test/figure extras, the
# figure toolchain pinned by scripts/constraints-figures.txt (so figures/ is reproduced
# byte for byte), plus Debian's chromium when we are root and it is missing.
# Chromium is optional outside CI: without it figures are written as HTML and JSON only
# and the browser tests are skipped.
# apt waits (at most SETUP_APT_WAIT seconds, default 600) for another apt/dpkg to release
# its lock: scripts/apt_wait.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}

if command -v chromium >/dev/null || command -v chromium-browser >/dev/null; then
  :
elif [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "setup: installing Debian chromium (static figure export, browser tests)"
  scripts/apt_wait.sh update -qq
  DEBIAN_FRONTEND=noninteractive scripts/apt_wait.sh install -y -qq chromium
else
  echo "setup: no chromium and not root with apt-get, so not installing it. It is optional:" \
    "without it figures are HTML and JSON only and browser tests are skipped" \
    "(CI installs it; as root: apt-get install -y chromium)"
fi
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv"
  "$PY" -m venv .venv
  .venv/bin/python -m pip install -q --upgrade pip
fi
# Re-install only when pyproject.toml or the pins changed since the last install.
stamp=.venv/.dyadmodel-installed
constraints=scripts/constraints-figures.txt
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ] || [ "$constraints" -nt "$stamp" ]; then
  echo "setup: installing dyadmodel and its extras into .venv (figure toolchain pinned)"
  .venv/bin/python -m pip install -q -e '.[test,figures]' -c "$constraints"
  touch "$stamp"
fi
