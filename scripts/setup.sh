#!/usr/bin/env bash
# Idempotent set-up shared by the README's two commands and by CI:
# a venv in .venv with dyadmodel installed (editable) and its test/figure extras,
# plus Debian's chromium for static figure export when we are root and it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x /usr/bin/chromium ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "setup: installing Debian chromium (static figure export, browser tests)"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv"
  "$PY" -m venv .venv
  .venv/bin/python -m pip install -q --upgrade pip
fi
# Re-install only when pyproject.toml changed since the last successful install.
stamp=.venv/.dyadmodel-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  echo "setup: installing dyadmodel and its extras into .venv"
  .venv/bin/python -m pip install -q -e '.[test,figures]'
  touch "$stamp"
fi
