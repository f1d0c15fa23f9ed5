"""Nullclines against closed-form zero sets (tests/problems.py and the flagship model)."""

import dataclasses
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import dyadmodel as dm
from dyadmodel.analysis.nullclines import Nullclines, nullclines
from tests import problems


def all_points(branches):
    return np.concatenate(branches, axis=1) if branches else np.empty((2, 0))


def segment_intersections(a, b):
    """Intersection points of two polylines (brute force over segment pairs)."""
    p, r = a[:, :-1].T[:, None, :], np.diff(a, axis=1).T[:, None, :]
    q, s = b[:, :-1].T[None, :, :], np.diff(b, axis=1).T[None, :, :]
    cross = r[..., 0] * s[..., 1] - r[..., 1] * s[..., 0]
    qp = q - p
    with np.errstate(divide="ignore", invalid="ignore"):
        t = (qp[..., 0] * s[..., 1] - qp[..., 1] * s[..., 0]) / cross
        u = (qp[..., 0] * r[..., 1] - qp[..., 1] * r[..., 0]) / cross
    hit = (cross != 0) & (t >= 0) & (t <= 1) & (u >= 0) & (u <= 1)
    i, j = np.nonzero(hit)
    pts = p[i, 0] + t[i, j][:, None] * r[i, 0]
    # A crossing at a shared vertex is found in two adjacent segments: merge.
    pts = pts[np.argsort(pts[:, 0])]
    new = np.concatenate([[True], np.linalg.norm(np.diff(pts, axis=0), axis=1) > 1e-9])
    return pts[new].T


# -- the flagship model ----------------------------------------------------------------


@pytest.fixture(scope="module")
def flagship():
    m = dm.models.get("pursuer-distancer-2d")
    p = m.params()
    return m, p, nullclines(m, p)


def test_flagship_nullclines_are_the_hill_graphs(flagship):
    _, _, nc = flagship
    assert isinstance(nc, Nullclines)
    assert nc.states == ("pursuit_1", "distance_2")
    assert len(nc.x_nullcline) == 1 and len(nc.y_nullcline) == 1
    (bx,), (by,) = nc.x_nullcline, nc.y_nullcline
    # x' = 0  <=>  x = 0.1 + 2 y^2 / (1 + y^2);  y' = 0  <=>  y = 0.1 + 2 x^2 / (1 + x^2)
    np.testing.assert_allclose(bx[0], 0.1 + 2 * bx[1] ** 2 / (1 + bx[1] ** 2), rtol=0, atol=1e-13)
    np.testing.assert_allclose(by[1], 0.1 + 2 * by[0] ** 2 / (1 + by[0] ** 2), rtol=0, atol=1e-13)
    # Each graph spans the whole domain along its free axis, ending on the boundary.
    assert sorted([bx[1, 0], bx[1, -1]]) == [0.0, 4.0]
    assert sorted([by[0, 0], by[0, -1]]) == [0.0, 4.0]
    assert max(nc.max_residual) <= 1e-10 * max(nc.residual_scale)
    assert nc.n_rejected == (0, 0)


def test_flagship_nullclines_cross_at_the_three_equilibria(flagship):
    _, _, nc = flagship
    pts = segment_intersections(nc.x_nullcline[0], nc.y_nullcline[0])
    pts = pts[:, np.argsort(pts[0])]
    root = math.sqrt(0.44)  # x^3 - 2.1 x^2 + x - 0.1 = (x - 0.5)(x^2 - 1.6 x + 0.2)
    expected = np.array([0.8 - root, 0.5, 0.8 + root])
    assert pts.shape == (2, 3)
    # Straight segments between exact points: error of order (grid spacing)^2.
    np.testing.assert_allclose(pts, np.vstack([expected, expected]), atol=1e-3)


def test_result_carries_model_params_and_is_frozen(flagship):
    m, p, nc = flagship
    assert nc.model_name == m.name and nc.params == p
    assert nc.inputs == (("stress", 0.0),) and nc.slice_values == ()
    assert nc.branches("distance_2") is nc.y_nullcline
    with pytest.raises(dataclasses.FrozenInstanceError):
        nc.x_nullcline = ()
    with pytest.raises(ValueError):
        nc.x_nullcline[0][0, 0] = 1.0
    with pytest.raises(ValueError, match="not displayed"):
        nc.branches("stress")


def test_stress_input_moves_the_nullclines():
    m = dm.models.get("pursuer-distancer-2d")
    nc = nullclines(m, m.params(), inputs={"stress": 0.5})
    (bx,) = nc.x_nullcline
    z = bx[1] + 0.5
    np.testing.assert_allclose(bx[0], 0.1 + 2 * z**2 / (1 + z**2), rtol=0, atol=1e-13)


def test_slice_of_the_full_model_equals_the_reduced_model():
    # The documented reduction: with openness_1 = reassurance_1 = exhaustion_1 =
    # shutdown_2 = 0 the (approach_1, avoidance_2) plane of the full model is the reduced
    # model (same parameter names), whatever the values of the other states.
    full = dm.models.get("pursuer-distancer")
    red = dm.models.get("pursuer-distancer-2d")
    rp = red.params()
    fp = full.params(dict(rp), openness_1=0.0, reassurance_1=0.0, exhaustion_1=0.0, shutdown_2=0.0)
    box = ((0.0, 4.0), (0.0, 4.0))
    others = {"avoidance_1": 0.7, "approach_2": 2.5, "frustration_1": 0.3, "frustration_2": 1.1}
    a = nullclines(full, fp, x="approach_1", y="avoidance_2", slice_values=others, domain=box)
    b = nullclines(red, rp, domain=box)
    assert a.slice_values == tuple((k, others[k]) for k in full.state_names if k in others)
    for ba, bb in zip(a.x_nullcline + a.y_nullcline, b.x_nullcline + b.y_nullcline, strict=True):
        np.testing.assert_allclose(ba, bb, rtol=0, atol=1e-13)


# -- closed-form problems --------------------------------------------------------------


def test_van_der_pol_cubic_nullcline_is_exact():
    m = problems.van_der_pol()
    nc = nullclines(m, m.params())
    (cubic,) = nc.x_nullcline
    x, y = cubic
    assert np.max(np.abs(y - (x - x**3 / 3))) <= 1e-10
    # The cubic leaves the box [-3, 3]^2 through its top and bottom edges.
    assert sorted([y[0], y[-1]]) == [-3.0, 3.0]
    # It is one connected branch through both folds (x = -1, y = -2/3 and x = 1, y = 2/3).
    assert x.min() < -2 and x.max() > 2
    (line,) = nc.y_nullcline  # y' = x / mu = 0: the vertical line x = 0
    assert np.max(np.abs(line[0])) <= 1e-15
    np.testing.assert_array_equal(sorted([line[1, 0], line[1, -1]]), [-3.0, 3.0])


def test_fitzhugh_nagumo_nullclines_are_exact():
    m = problems.fitzhugh_nagumo()
    p = m.params()
    nc = nullclines(m, p, resolution=(157, 93))
    (v_nc,) = nc.x_nullcline
    v, w = v_nc
    assert np.max(np.abs(w - (v - v**3 / 3 + p["current"]))) <= 1e-10
    (w_nc,) = nc.y_nullcline
    assert np.max(np.abs(w_nc[1] - (w_nc[0] + p["a"]) / p["b"])) <= 1e-12


@pytest.mark.parametrize("resolution", [200, 201, 37])
def test_axis_parallel_nullclines_are_exact(resolution):
    m = problems.axis_parallel()
    p = m.params()
    nc = nullclines(m, p, resolution=resolution)
    # x' = (1 - x^2)(1 + y^2): the vertical lines x = -1 and x = 1, each one branch.
    assert len(nc.x_nullcline) == 2
    xs = sorted(float(np.mean(b[0])) for b in nc.x_nullcline)
    for b, target in zip(sorted(nc.x_nullcline, key=lambda b: b[0, 0]), (-1.0, 1.0), strict=True):
        assert np.max(np.abs(b[0] - target)) <= 2e-16
        assert sorted([b[1, 0], b[1, -1]]) == [-2.0, 2.0]
    assert xs == pytest.approx([-1.0, 1.0], abs=1e-15)
    # y' = c - y: the horizontal line y = c.
    (h,) = nc.y_nullcline
    assert np.max(np.abs(h[1] - p["c"])) <= 1e-16
    assert sorted([h[0, 0], h[0, -1]]) == [-2.0, 2.0]


@settings(max_examples=30)
@given(
    c=st.one_of(
        st.floats(-1.99, 1.99, allow_nan=False),
        st.sampled_from(np.linspace(-2.0, 2.0, 21).tolist()),  # on grid lines
    ),
    resolution=st.sampled_from([5, 21, 64, 101]),
)
def test_horizontal_nullcline_is_exactly_y_equals_c(c, resolution):
    m = problems.axis_parallel()
    nc = nullclines(m, m.params(c=c), resolution=resolution)
    assert len(nc.y_nullcline) == 1
    (h,) = nc.y_nullcline
    np.testing.assert_allclose(h[1], c, rtol=0, atol=4e-16)
    assert sorted([h[0, 0], h[0, -1]]) == [-2.0, 2.0]
    assert np.all(np.diff(h[0]) != 0)  # no repeated points


def test_horizontal_nullcline_on_the_domain_edge_is_found():
    # y = c on the lower edge: f = c - y is negative inside the domain and positive
    # beyond it; the extended grid still finds it.
    m = problems.axis_parallel()
    for c in (-2.0, 2.0):
        nc = nullclines(m, m.params(c=c))
        (h,) = nc.y_nullcline
        np.testing.assert_array_equal(h[1], c)


def test_several_crossing_branches():
    m = problems.multi_branch()
    p = m.params()
    nc = nullclines(m, p, resolution=(180, 171))  # crossings (+-1, +-1) inside cells
    pts = all_points(nc.x_nullcline)
    x, y = pts
    factors = np.abs(np.stack([x - 1, x + 1, y - x]))
    # Polished points solve (x-1)(x+1)(y-x) = 0: one factor vanishes. Near a crossing
    # two factors are small together, so the check is on the product and the minimum.
    assert np.max(np.abs((x - 1) * (x + 1) * (y - x))) <= 1e-13
    assert np.max(factors.min(axis=0)) <= 1e-7
    # Each of the three lines is covered from edge to edge of the box.
    for k in (0, 1):
        on = factors[k] <= 1e-12
        assert y[on].min() == pytest.approx(-2.0) and y[on].max() == pytest.approx(2.0)
    on = factors[2] <= 1e-12
    assert x[on].min() == pytest.approx(-2.0, abs=0.03) and x[on].max() == pytest.approx(
        2.0, abs=0.03
    )
    assert len(nc.x_nullcline) >= 3
    # y' = x^2 + y^2 - r^2: one closed branch, the circle.
    (circle,) = nc.y_nullcline
    np.testing.assert_array_equal(circle[:, 0], circle[:, -1])
    np.testing.assert_allclose(np.hypot(*circle), p["r"], rtol=0, atol=1e-14)


@settings(max_examples=20)
@given(r=st.floats(0.2, 1.9), resolution=st.integers(15, 120))
def test_circle_is_one_closed_branch(r, resolution):
    m = problems.multi_branch()
    nc = nullclines(m, m.params(r=r), resolution=resolution)
    (circle,) = nc.y_nullcline
    np.testing.assert_array_equal(circle[:, 0], circle[:, -1])
    np.testing.assert_allclose(np.hypot(*circle), r, rtol=0, atol=1e-14)
    # The polyline winds once around the origin.
    angle = np.unwrap(np.arctan2(circle[1], circle[0]))
    assert abs(angle[-1] - angle[0]) == pytest.approx(2 * np.pi)


def test_sign_change_across_a_pole_is_not_a_nullcline():
    m = problems.pole()
    nc = nullclines(m, m.params())
    assert nc.x_nullcline == ()
    assert nc.n_rejected[0] > 0
    (h,) = nc.y_nullcline
    np.testing.assert_array_equal(h[1], 0.0)


def test_no_nullcline_in_the_domain():
    m = problems.axis_parallel()
    nc = nullclines(m, m.params(), domain=((-0.5, 0.5), (0.5, 1.5)))
    assert nc.x_nullcline == () and nc.y_nullcline == ()


# -- argument errors -------------------------------------------------------------------


def test_slice_values_are_required_for_larger_models():
    full = dm.models.get("pursuer-distancer")
    with pytest.raises(ValueError, match=r"missing: .*frustration_2"):
        nullclines(full, full.params(), x="approach_1", y="avoidance_2")
    with pytest.raises(ValueError, match="displayed on an axis"):
        nullclines(
            full,
            full.params(),
            x="approach_1",
            y="avoidance_2",
            slice_values={"approach_1": 1.0},
        )
    with pytest.raises(ValueError, match="not finite"):
        nullclines(
            full,
            full.params(),
            x="approach_1",
            y="avoidance_2",
            slice_values={
                "avoidance_1": 0.0,
                "approach_2": float("nan"),
                "frustration_1": 0.0,
                "frustration_2": 0.0,
            },
        )


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"x": "pursuit_1", "y": "pursuit_1"}, "two different states"),
        ({"x": "pursuit"}, "unknown state 'pursuit'"),
        ({"resolution": 2}, "resolution"),
        ({"resolution": 10.5}, "resolution"),
        ({"domain": ((0, 1),)}, "domain"),
        ({"domain": ((1, 0), (0, 1))}, "min < max"),
        ({"inputs": {"stres": 1.0}}, "unknown input"),
    ],
)
def test_bad_arguments_raise_one_clear_error(kwargs, match):
    m = dm.models.get("pursuer-distancer-2d")
    with pytest.raises(ValueError, match=match):
        nullclines(m, m.params(), **kwargs)


def test_swapped_axes():
    m = dm.models.get("pursuer-distancer-2d")
    a = nullclines(m, m.params())
    b = nullclines(m, m.params(), x="distance_2", y="pursuit_1")
    assert b.states == ("distance_2", "pursuit_1")
    # b's x-nullcline (distance_2' = 0) is a's y-nullcline with the rows swapped.
    np.testing.assert_allclose(
        np.sort(b.x_nullcline[0][::-1], axis=1), np.sort(a.y_nullcline[0], axis=1), atol=1e-13
    )
