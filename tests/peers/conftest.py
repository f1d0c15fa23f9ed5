"""The real peer tools: XPPAUT 6.11 and AUTO-07p 0.9.2 (Debian packages ``xppaut``,
``auto-07p`` and ``gfortran``).

Tests that need a tool skip, with the command that installs it, when the tool is missing;
with ``DYADMODEL_REQUIRE_PEERS=1`` (set by ``.ci/run``) they fail instead, so CI cannot
pass without having run the exports in the tools.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

INSTALL = "apt-get install -y xppaut auto-07p gfortran"
REQUIRED = os.environ.get("DYADMODEL_REQUIRE_PEERS") == "1"


def _need(*programs: str) -> dict[str, str]:
    found = {p: shutil.which(p) or shutil.which(p, path="/usr/bin") for p in programs}
    missing = [p for p, path in found.items() if path is None]
    if missing:
        message = f"{', '.join(missing)} not installed (install with: {INSTALL})"
        if REQUIRED:
            pytest.fail(f"{message}; DYADMODEL_REQUIRE_PEERS=1 requires the peer tools")
        pytest.skip(message)
    return found  # type: ignore[return-value]


@pytest.fixture(scope="session")
def xppaut() -> str:
    """Path of the ``xppaut`` executable."""
    return _need("xppaut")["xppaut"]


@pytest.fixture(scope="session")
def auto07p() -> str:
    """Path of the ``auto-07p`` launcher (it compiles the equations with gfortran)."""
    return _need("auto-07p", "gfortran")["auto-07p"]


def run_xppaut(xppaut: str, ode: Path, timeout: float = 60.0) -> np.ndarray:
    """Integrate ``ode`` in XPPAUT without a window; rows of (t, states...)."""
    out = ode.with_suffix(".dat")
    proc = subprocess.run(
        [xppaut, ode.name, "-silent", "-outfile", out.name],
        cwd=ode.parent,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if proc.returncode != 0 or not out.exists():
        raise AssertionError(f"xppaut failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return np.loadtxt(out, ndmin=2)


def run_auto(auto07p: str, directory: Path, script: str, timeout: float = 600.0) -> str:
    """Run an AUTO-07p script in ``directory``; its console output.

    AUTO's Python front end fails under numpy 2, so Debian's own ``/usr/bin/python3``
    (with Debian's numpy) goes first on ``PATH``.
    """
    env = {**os.environ, "PATH": "/usr/bin:" + os.environ.get("PATH", "")}
    env.pop("PYTHONPATH", None)
    env.pop("VIRTUAL_ENV", None)
    proc = subprocess.run(
        [auto07p, script],
        cwd=directory,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        check=False,
    )
    if proc.returncode != 0:
        raise AssertionError(f"auto-07p failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return proc.stdout


AUTO_KINDS = {1: "branch point", 2: "fold", 3: "hopf"}  # AUTO's TY codes for equilibria


def read_auto_points(bfile: Path) -> list[tuple[int, float, np.ndarray]]:
    """Labelled points of an AUTO ``b.`` file: (TY code, first parameter, states).

    TY as its absolute value (AUTO marks the point where a run stops with -TY).
    Columns: BR, PT, TY, LAB, the continuation parameter, L2-NORM, then the states.
    """
    rows = []
    for line in bfile.read_text().splitlines():
        fields = line.split()
        if len(fields) < 6 or not fields[0].lstrip("-").isdigit() or fields[0] == "0":
            continue
        ty, lab = abs(int(fields[2])), int(fields[3])  # negative TY: AUTO stopped there
        if lab == 0:
            continue
        values = [float(v) for v in fields[4:]]
        rows.append((ty, values[0], np.array(values[2:])))
    return rows
