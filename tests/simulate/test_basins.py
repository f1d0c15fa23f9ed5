"""Basin maps and resilience: invariants (symmetry, separatrix on the label boundary,
fractions), special labels, and the tipping pulse checked with solve_ivp."""

import functools

import numpy as np
import pytest
from scipy.integrate import solve_ivp

import dyadmodel as dm
from dyadmodel.analysis import LimitCycle
from dyadmodel.model import Model, Parameter, State, symbols
from dyadmodel.simulate._basins import (
    DIVERGED_LABEL,
    UNDECIDED_LABEL,
    BasinOptions,
    basins,
    resilience,
)


@functools.cache
def two_d():
    m = dm.models.get("pursuer-distancer-2d")
    return m, m.params(), basins(m, m.params(), resolution=161)


@functools.cache
def fold() -> Model:
    """x' = x^2 - a, y' = -y: stable node (-sqrt a, 0), saddle (sqrt a, 0); starts with
    x > sqrt a blow up in finite time."""
    x, y, a = symbols("x y a")
    return Model(
        "test-fold",
        "saddle-node pair with a blow-up region",
        [State("x", "test", domain=(-3.0, 3.0)), State("y", "test", domain=(-1.0, 1.0))],
        [Parameter("a", 1.0, "test parameter", bounds=(0.0, 10.0))],
        [x**2 - a, -y],
    )


def test_flagship_basins_are_the_stable_equilibria_and_fractions_sum_to_one():
    m, p, bm = two_d()
    stable = [e for e in dm.equilibria(m, p) if e.stable]
    assert bm.names == ("balanced", "entrenched")
    assert [a.state.tolist() for a in bm.attractors] == [e.state.tolist() for e in stable]
    assert sum(bm.fractions.values()) == pytest.approx(1.0, abs=1e-12)
    assert bm.fractions["diverged"] == 0.0
    assert bm.fractions["undecided"] <= 0.001  # at most a start on the separatrix
    assert bm.labels.shape == (161, 161) and bm.x_name == "pursuit_1"
    # the balanced start itself, and the far corner
    assert bm.labels[0, 0] == bm.label_of("balanced")
    assert bm.labels[-1, -1] == bm.label_of("entrenched")


def test_symmetric_couple_has_a_symmetric_basin_map():
    """The 2D defaults are invariant under pursuit_1 <-> distance_2 (partner swap), so
    the map equals its transpose except, at most, in cells on a label boundary."""
    _, _, bm = two_d()
    L = bm.labels
    assert np.array_equal(bm.x, bm.y)
    differ = np.argwhere(L != L.T)
    for iy, ix in differ:
        window = L[max(iy - 1, 0) : iy + 2, max(ix - 1, 0) : ix + 2]
        assert np.unique(window).size > 1
    assert differ.shape[0] <= 0.01 * L.size


def test_separatrix_lies_on_the_label_boundary():
    m, p, bm = two_d()
    (sep,) = dm.separatrices(m, p, dm.equilibria(m, p))
    curve = sep.curve("stable")
    dx, dy = bm.x[1] - bm.x[0], bm.y[1] - bm.y[0]
    checked = 0
    for k in range(1, curve.shape[1] - 1):
        point = curve[:, k]
        tangent = curve[:, k + 1] - curve[:, k - 1]
        if not np.all(np.isfinite(tangent)) or np.linalg.norm(tangent) == 0:
            continue
        normal = np.array([-tangent[1], tangent[0]]) / np.linalg.norm(tangent)
        sides = []
        for sign in (1.0, -1.0):
            q = point + sign * 3.0 * max(dx, dy) * normal  # more than 2 cells away
            ix, iy = round((q[0] - bm.x[0]) / dx), round((q[1] - bm.y[0]) / dy)
            if not (0 <= ix < bm.x.size and 0 <= iy < bm.y.size):
                break
            sides.append(bm.labels[iy, ix])
        if len(sides) == 2:
            checked += 1
            assert sorted(sides) == sorted([bm.label_of("balanced"), bm.label_of("entrenched")])
    assert checked > 20


def test_secure_couple_has_one_basin_covering_everything():
    m = dm.models.get("pursuer-distancer-2d")
    bm = basins(m, m.preset("secure"), resolution=60)
    assert bm.names == ("balanced",)
    assert np.all(bm.labels == 0)
    assert bm.fractions["balanced"] == 1.0


def test_diverged_and_undecided_are_kept_apart_from_attractors():
    xs = np.linspace(-3.0, 3.0, 61)  # x = 1 (the saddle's stable manifold) is a grid line
    opts = BasinOptions(backend="numpy")  # a small grid: no need to compile this model
    bm = basins(fold(), None, grid=(xs, np.linspace(-1.0, 1.0, 5)), options=opts)
    assert len(bm.attractors) == 1 and bm.attractors[0].state.tolist() == [-1.0, 0.0]
    col = bm.labels[2]
    assert np.all(col[xs < 0.999] == 0)
    assert np.all(col[xs > 1.001] == DIVERGED_LABEL)
    assert col[np.argmin(np.abs(xs - 1.0))] == UNDECIDED_LABEL
    assert bm.fractions["diverged"] == pytest.approx(20 / 61)
    assert bm.fractions["undecided"] == pytest.approx(1 / 61)


def test_periodic_orbit_is_an_attractor():
    m = dm.models.get("pursuer-distancer")
    p = m.preset("pursue-withdraw-cycles")
    bm = basins(m, p, x="approach_1", y="avoidance_2", resolution=5)
    assert bm.names == ("periodic orbit",)
    assert isinstance(bm.attractors[0], LimitCycle) and bm.attractors[0].stable
    assert bm.attractors[0].period == pytest.approx(86.8, abs=0.1)  # the preset's claim
    assert bm.fractions["periodic orbit"] == 1.0


def test_bad_arguments_raise_with_the_fix():
    m = dm.models.get("pursuer-distancer")
    with pytest.raises(ValueError, match="unknown state 'approach_3'"):
        basins(m, None, x="approach_3")
    with pytest.raises(ValueError, match="axis of the map"):
        basins(m, None, slice_values={"approach_1": 0.2}, resolution=3)
    with pytest.raises(ValueError, match="match_tol"):
        BasinOptions(match_tol=0)


# ---------------------------------------------------------------------------------------
# resilience


def _tips(model, p, res, size) -> bool:
    """Pulse of ``size`` from the start with solve_ivp; True when it ends on a target."""
    opts = dict(method="DOP853", rtol=1e-10, atol=1e-12)
    x = solve_ivp(
        model.ode(p, {"stress": size}), (0.0, res.pulse_duration), res.start.state, **opts
    ).y[:, -1]
    end = solve_ivp(model.ode(p, {"stress": 0.0}), (0.0, res.t_relax), x, **opts).y[:, -1]
    dist = [np.max(np.abs(end - e.state)) for e in (res.start, *res.targets)]
    assert min(dist) < 1e-3, "the check itself did not settle"
    return int(np.argmin(dist)) > 0


@pytest.mark.parametrize("name", ["pursuer-distancer-2d", "pursuer-distancer"])
def test_resilience_is_the_tipping_pulse(name):
    m = dm.models.get(name)
    p = m.params()
    res = resilience(m, p, pulse_duration=5.0)
    assert res.start.label == "balanced"
    assert res.tipped_to is not None and res.tipped_to.label.startswith("entrenched")
    assert 0.0 < res.size < np.inf
    lo, hi = res.bracket
    assert lo < hi == res.size and hi - lo <= 1e-6 * hi
    assert not _tips(m, p, res, 0.99 * res.size)
    assert _tips(m, p, res, 1.01 * res.size)


def test_resilience_without_an_alternative_attractor_says_so():
    m = dm.models.get("pursuer-distancer-2d")
    with pytest.raises(ValueError, match="no other stable equilibrium"):
        resilience(m, m.preset("secure"))
