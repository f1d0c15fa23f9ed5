"""scripts/apt_wait.sh: apt-get waits (bounded) for another apt's lock instead of failing."""

import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APT_WAIT = ROOT / "scripts" / "apt_wait.sh"
LOCKED = "E: Could not get lock /var/lib/dpkg/lock-frontend. It is held by process 4242 (apt)"

pytestmark = pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")


def fake_apt(tmp_path: Path, locked_tries: int, final_rc: int = 0) -> Path:
    """A fake apt-get that reports a held lock ``locked_tries`` times, then exits
    ``final_rc``; it logs its arguments, one call a line."""
    count = tmp_path / "count"
    count.write_text("0")
    script = tmp_path / "bin" / "apt-get"
    script.parent.mkdir()
    script.write_text(
        "#!/usr/bin/env bash\n"
        f'n=$(cat {count}); echo $((n + 1)) > {count}; echo "$@" >> {tmp_path}/calls\n'
        f'if [ "$n" -lt {locked_tries} ]; then echo "{LOCKED}" >&2; exit 100; fi\n'
        f'if [ {final_rc} != 0 ]; then echo "E: Unable to locate package nope" >&2; fi\n'
        f"exit {final_rc}\n"
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script.parent


def run(tmp_path: Path, bindir: Path, max_wait: int) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "PATH": f"{bindir}{os.pathsep}{os.environ['PATH']}",
        "SETUP_APT_WAIT": str(max_wait),
        "SETUP_APT_POLL": "0",
    }
    return subprocess.run(
        ["bash", str(APT_WAIT), "install", "-y", "chromium"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_waits_while_the_lock_is_held_then_installs(tmp_path):
    out = run(tmp_path, fake_apt(tmp_path, locked_tries=2), max_wait=60)
    assert out.returncode == 0, out.stderr
    calls = (tmp_path / "calls").read_text().splitlines()
    assert len(calls) == 3
    assert all(c.endswith("install -y chromium") and "DPkg::Lock::Timeout=0" in c for c in calls)
    assert out.stderr.count("holds its lock; waiting") == 2


def test_gives_up_after_the_bounded_wait_with_a_hint(tmp_path):
    out = run(tmp_path, fake_apt(tmp_path, locked_tries=10**6), max_wait=0)
    assert out.returncode == 100
    assert LOCKED in out.stderr and "SETUP_APT_WAIT" in out.stderr


def test_other_apt_errors_fail_at_once(tmp_path):
    out = run(tmp_path, fake_apt(tmp_path, locked_tries=0, final_rc=100), max_wait=60)
    assert out.returncode == 100 and "Unable to locate package" in out.stderr
    assert len((tmp_path / "calls").read_text().splitlines()) == 1
