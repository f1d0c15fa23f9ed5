"""Stable and unstable manifolds: the flagship separatrix and closed-form saddles."""

import dataclasses
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.integrate import solve_ivp

import dyadmodel as dm
from dyadmodel.analysis.manifolds import (
    ManifoldOptions,
    SaddleManifolds,
    manifolds,
    separatrices,
)
from tests import problems
from tests.problems import equilibrium_at

# Flagship defaults: x^3 - 2.1 x^2 + x - 0.1 = (x - 0.5)(x^2 - 1.6 x + 0.2) on the diagonal.
BALANCED = 0.8 - math.sqrt(0.44)
ENTRENCHED = 0.8 + math.sqrt(0.44)


def distance_to_polyline(points, line):
    """Distance of each column of ``points`` to the polyline ``line`` (2, k)."""
    a, d = line[:, :-1], np.diff(line, axis=1)
    rel = points.T[:, :, None] - a[None, :, :]  # (m, 2, k-1)
    t = np.clip(np.einsum("mik,ik->mk", rel, d) / np.einsum("ik,ik->k", d, d), 0, 1)
    near = a[None] + t[:, None, :] * d[None]
    return np.min(np.linalg.norm(points.T[:, :, None] - near, axis=1), axis=1)


@pytest.fixture(scope="module")
def flagship():
    m = dm.models.get("pursuer-distancer-2d")
    p = m.params()
    saddle = equilibrium_at(m, p, [0.5, 0.5])
    return m, p, saddle, manifolds(m, p, saddle)


def test_branches_start_at_the_saddle_along_the_eigenvectors(flagship):
    _, _, saddle, sm = flagship
    assert isinstance(sm, SaddleManifolds)
    assert len(sm.stable) == 2 and len(sm.unstable) == 2
    delta = ManifoldOptions().offset * 4.0  # offset times the largest domain side
    for b in (*sm.stable, *sm.unstable):
        np.testing.assert_array_equal(b.points[:, 0], saddle.state)
        assert np.linalg.norm(b.points[:, 1] - saddle.state) == pytest.approx(delta, rel=1e-9)
        assert b.t[1] == 0 and b.arclength[0] == 0
        assert np.all(np.diff(b.arclength) > 0)
        assert np.max(np.linalg.norm(np.diff(b.points, axis=1), axis=0)) <= 2e-3 * 4.0
    # J = [[-1, 1.28], [1.28, -1]] at the saddle: eigenvalues 0.28 along (1, 1) and
    # -2.28 along (1, -1).
    s2 = 1 / math.sqrt(2)
    for b in sm.unstable:
        assert b.eigenvalue == pytest.approx(0.28, rel=1e-12)
        np.testing.assert_allclose(np.abs(b.direction), [s2, s2], rtol=1e-12)
    for b in sm.stable:
        assert b.eigenvalue == pytest.approx(-2.28, rel=1e-12)
        np.testing.assert_allclose(b.direction * [1, -1], b.side * np.array([s2, s2]), rtol=1e-12)
    assert {b.side for b in sm.stable} == {1, -1}
    # Time runs towards the saddle on stable branches and away on unstable ones.
    assert all(b.t[0] == np.inf and np.all(np.diff(b.t[1:]) < 0) for b in sm.stable)
    assert all(b.t[0] == -np.inf and np.all(np.diff(b.t[1:]) > 0) for b in sm.unstable)


def test_unstable_manifold_is_the_diagonal_and_ends_at_the_two_nodes(flagship):
    _, _, _, sm = flagship
    ends = []
    for b in sm.unstable:
        # x = y is invariant under the partner swap, so the manifold stays on it.
        assert np.max(np.abs(b.points[0] - b.points[1])) <= 1e-12
        assert b.end_reason == "equilibrium"
        ends.append(b.end_state[0])
        np.testing.assert_allclose(b.end_state, [b.end_state[0]] * 2, rtol=0, atol=1e-14)
        assert np.linalg.norm(b.points[:, -1] - b.end_state) < 1e-7
    np.testing.assert_allclose(sorted(ends), [BALANCED, ENTRENCHED], rtol=0, atol=1e-13)


def test_stable_manifold_is_symmetric_under_the_partner_swap(flagship):
    _, _, _, sm = flagship
    plus, minus = sm.stable
    # Swapping x and y maps the stable manifold onto itself, exchanging its branches.
    assert np.max(distance_to_polyline(plus.points[::-1], minus.points)) < 1e-6
    assert np.max(distance_to_polyline(minus.points[::-1], plus.points)) < 1e-6
    # It crosses the diagonal only at the saddle: it is transverse to x = y.
    for b in sm.stable:
        assert np.all(np.sign(b.points[0, 1:] - b.points[1, 1:]) == b.side)
    # Both branches run to the edge of the (non-negative) domain.
    for b in sm.stable:
        assert b.end_reason == "left domain"
        assert np.min(np.abs(b.points[:, -1])) <= 1e-9


def test_stable_manifold_separates_the_two_basins(flagship):
    m, p, _, sm = flagship
    f = m.ode(p)
    curve = sm.curve("stable")
    k = curve.shape[1]
    # Points a distance 1e-4 to either side of the separatrix, all along it, end on
    # different attractors.
    for j in np.linspace(5, k - 5, 7).astype(int):
        tangent = curve[:, j + 1] - curve[:, j - 1]
        normal = np.array([tangent[1], -tangent[0]]) / np.linalg.norm(tangent)
        ends = []
        for sign in (1, -1):
            x0 = curve[:, j] + sign * 1e-4 * normal
            sol = solve_ivp(f, (0, 80), x0, rtol=1e-10, atol=1e-12)
            ends.append(sol.y[:, -1])
        ends = sorted(float(e[0]) for e in ends)
        assert ends == pytest.approx([BALANCED, ENTRENCHED], abs=1e-6)


def test_curve_joins_both_branches_through_the_saddle(flagship):
    _, _, saddle, sm = flagship
    for kind in ("stable", "unstable"):
        c = sm.curve(kind)
        plus, minus = getattr(sm, kind)
        assert c.shape[1] == plus.points.shape[1] + minus.points.shape[1] - 1
        np.testing.assert_array_equal(c[:, minus.points.shape[1] - 1], saddle.state)
        np.testing.assert_array_equal(c[:, 0], minus.points[:, -1])
        np.testing.assert_array_equal(c[:, -1], plus.points[:, -1])
    with pytest.raises(ValueError, match="'stable' or 'unstable'"):
        sm.curve("both")


def test_result_carries_model_params_and_is_frozen(flagship):
    m, p, saddle, sm = flagship
    assert sm.model_name == m.name and sm.params == p and sm.saddle is saddle
    assert sm.inputs == (("stress", 0.0),)
    with pytest.raises(dataclasses.FrozenInstanceError):
        sm.stable = ()
    with pytest.raises(ValueError):
        sm.stable[0].points[0, 0] = 1.0


def test_separatrices_picks_the_saddles(flagship):
    m, p, _, _ = flagship
    eqs = [equilibrium_at(m, p, [v, v]) for v in (BALANCED, 0.5, ENTRENCHED)]
    assert [e.is_saddle for e in eqs] == [False, True, False]
    (only,) = separatrices(m, p, eqs)
    np.testing.assert_array_equal(only.saddle.state, [0.5, 0.5])


# -- closed-form saddles ---------------------------------------------------------------


@settings(max_examples=15)
@given(lam_u=st.floats(0.1, 10.0), lam_s=st.floats(0.1, 10.0))
def test_linear_saddle_manifolds_are_the_eigenlines(lam_u, lam_s):
    m = problems.linear_saddle()
    p = m.params(lam_u=lam_u, lam_s=lam_s)
    sm = manifolds(m, p, equilibrium_at(m, p, [0.0, 0.0]))
    for kind, v in (
        ("stable", problems.LINEAR_SADDLE_STABLE),
        ("unstable", problems.LINEAR_SADDLE_UNSTABLE),
    ):
        for b in getattr(sm, kind):
            x, y = b.points
            assert np.max(np.abs(x * v[1] - y * v[0])) <= 1e-11
            assert b.end_reason == "left domain"
            assert np.max(np.abs(b.points[:, -1])) == pytest.approx(1.0, abs=1e-9)
        assert {float(np.sign(b.points[0, -1])) for b in getattr(sm, kind)} == {1.0, -1.0}
    assert sm.unstable[0].eigenvalue == pytest.approx(lam_u, rel=1e-10)
    assert sm.stable[0].eigenvalue == pytest.approx(-lam_s, rel=1e-10)


@pytest.mark.parametrize("g", [1.0, 2.5])
def test_curved_unstable_manifold_is_the_parabola(g):
    m = problems.curved_saddle()
    p = m.params(g=g)
    sm = manifolds(m, p, equilibrium_at(m, p, [0.0, 0.0]))
    for b in sm.unstable:
        x, y = b.points
        assert np.max(np.abs(y - g * x**2 / 3)) <= 1e-9
        assert b.end_reason == "left domain"
    for b in sm.stable:
        np.testing.assert_array_equal(b.points[0], 0.0)  # the y-axis, exactly
        assert abs(b.points[1, -1]) == pytest.approx(1.0, abs=1e-9)


def test_length_limit_and_implicit_method():
    m = problems.curved_saddle()
    p = m.params()
    saddle = equilibrium_at(m, p, [0.0, 0.0])
    sm = manifolds(m, p, saddle, length=0.5, options=ManifoldOptions(method="Radau"))
    for b in (*sm.stable, *sm.unstable):
        assert b.end_reason == "length limit"
        assert b.arclength[-1] == pytest.approx(0.5, rel=1e-8)
    x, y = sm.unstable[0].points
    assert np.max(np.abs(y - x**2 / 3)) <= 1e-7


def test_only_one_dimensional_manifolds_are_traced():
    m = problems.saddle_3d()
    p = m.params()
    sm = manifolds(m, p, equilibrium_at(m, p, [0.0, 0.0, 0.0]))
    assert sm.stable == () and "dimension 2" in sm.notes
    assert sm.curve("stable").shape == (3, 0)
    for b in sm.unstable:
        np.testing.assert_array_equal(b.points[1:], 0.0)  # the x-axis
        assert abs(b.points[0, -1]) == pytest.approx(1.0, abs=1e-9)


# -- errors ------------------------------------------------------------------------------


def test_not_a_saddle_or_wrong_parameters_raise():
    m = dm.models.get("pursuer-distancer-2d")
    p = m.params()
    node = equilibrium_at(m, p, [BALANCED, BALANCED])
    with pytest.raises(ValueError, match="not a saddle"):
        manifolds(m, p, node)
    saddle = equilibrium_at(m, p, [0.5, 0.5])
    with pytest.raises(ValueError, match="computed for"):
        manifolds(m, p.replace(anxiety_gain_1=2.1), saddle)
    fake = dataclasses.replace(saddle, state=np.array([0.6, 0.5]))
    with pytest.raises(ValueError, match="not an equilibrium"):
        manifolds(m, p, fake)
    with pytest.raises(ValueError, match="offset"):
        ManifoldOptions(offset=0.1)
    with pytest.raises(ValueError, match="positive"):
        ManifoldOptions(rtol=-1.0)
