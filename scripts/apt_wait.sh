#!/usr/bin/env bash
# apt-get "$@", waiting (bounded) while another apt/dpkg holds its lock; used by
# scripts/setup.sh. apt itself exits 100 at once when unattended upgrades or a second
# set-up hold the lock.
# SETUP_APT_WAIT: longest wait in seconds (default 600); SETUP_APT_POLL: seconds between
# tries (default 10).
set -uo pipefail
max_wait=${SETUP_APT_WAIT:-600}
poll=${SETUP_APT_POLL:-10}
start=$SECONDS
while true; do
  rc=0
  out=$(apt-get -o DPkg::Lock::Timeout="$poll" "$@" 2>&1) || rc=$?
  if [ "$rc" = 0 ]; then
    exit 0
  fi
  if ! grep -qiE 'could not get lock|unable to acquire|is another process using it' <<<"$out"; then
    printf '%s\n' "$out" >&2
    exit "$rc"
  fi
  waited=$((SECONDS - start))
  if [ "$waited" -ge "$max_wait" ]; then
    printf '%s\n' "$out" >&2
    echo "setup: another apt/dpkg still holds its lock after ${waited} s; rerun when it is" \
      "done (or set SETUP_APT_WAIT=seconds)" >&2
    exit "$rc"
  fi
  echo "setup: another apt/dpkg holds its lock; waiting (${waited} of ${max_wait} s)" >&2
  sleep "$poll"
done
