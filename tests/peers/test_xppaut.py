"""XPPAUT 6.11 runs the ``.ode`` export of every registered model (issue 13, section 2).

The trajectory XPPAUT integrates (CVODE, ``toler = atoler = 1e-12``) agrees with
`dyadmodel.simulate` to the 8 significant digits XPPAUT prints: the file XPPAUT reads
has the model's equations, parameters, inputs and start state.
"""

from __future__ import annotations

import numpy as np
import pytest

import dyadmodel as dm
from dyadmodel.continuation import xppaut_ode
from tests.peers.conftest import run_xppaut

T_END, DT = 20.0, 0.5
# XPPAUT prints 8 significant digits; measured largest difference from dm.simulate
# (both at 1e-12): 8.6e-8 relative to max(1, |x|) (pursuer-distancer), 3.1e-8 .. 8.6e-8
# over the registered models
TOLERANCE = 2e-7


def _start(model: dm.Model) -> np.ndarray:
    """A start away from equilibrium, inside the plotting range (positive where needed)."""
    fractions = (0.37, 0.61, 0.23, 0.83, 0.45, 0.71)
    return np.array(
        [lo + f * (hi - lo) for (lo, hi), f in zip(model.domain, fractions, strict=False)]
    )


def _inputs(model: dm.Model) -> dict[str, float]:
    return {name: 0.2 for name in model.input_names}  # a constant stress, to export inputs


@pytest.mark.parametrize("name", dm.models.names())
def test_xppaut_trajectory_matches_simulate(name, tmp_path, xppaut):
    m = dm.models.get(name)
    x0 = _start(m)
    ode = tmp_path / "model.ode"
    xppaut_ode(m, inputs=_inputs(m) or None, x0=x0, t_end=T_END, dt=DT, tolerance=1e-12, path=ode)
    table = run_xppaut(xppaut, ode)
    grid = np.arange(0.0, T_END + DT / 2, DT)
    assert table.shape == (grid.size, 1 + m.n_states)
    # XPPAUT writes times in single precision: they lie on the dt grid
    assert np.allclose(table[:, 0], grid, atol=1e-5)
    sim = dm.simulate(
        m, None, x0, (0.0, T_END), stress=_inputs(m).get("stress"), t_eval=grid,
        rtol=1e-12, atol=1e-12,
    )  # fmt: skip
    assert sim.success
    difference = np.abs(table[:, 1:] - sim.y.T) / np.maximum(1.0, np.abs(sim.y.T))
    assert difference.max() < TOLERANCE, (name, difference.max())


def test_xppaut_reads_the_continuation_parameter_first(tmp_path, xppaut):
    """Every ``par`` line defines one parameter (no comment words become parameters),
    and the continuation parameter comes first, at the span's start."""
    m = dm.models.get("pursuer-distancer-2d")
    ode = tmp_path / "model.ode"
    text = xppaut_ode(m, param="threshold_1", span=(0.5, 2.0), t_end=1.0, dt=0.5, path=ode)
    pars = [line for line in text.splitlines() if line.startswith("par ")]
    assert pars[0] == "par thr1=0.5"
    assert all(line.count("=") == 1 and "#" not in line for line in pars)
    assert "@ parmin=0.5, parmax=2.0" in text
    table = run_xppaut(xppaut, ode)
    # started at an equilibrium at threshold_1 = 0.5, XPPAUT's trajectory stays there
    eq = next(e.state for e in dm.equilibria(m, m.params(threshold_1=0.5)) if e.stable)
    assert np.allclose(table[:, 1:], eq, atol=1e-7)
