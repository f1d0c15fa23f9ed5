"""Continuation of periodic orbits (issue 16 §1-2): `continue_cycle` against closed
forms (Hopf and Bautin normal forms), cycle bifurcations and homoclinic ends, bad input."""

import dataclasses
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import dyadmodel as dm
from dyadmodel.continuation import (
    ContinuationOptions,
    CycleBranch,
    CycleOptions,
    continuation,
    continue_cycle,
)
from dyadmodel.errors import InvalidInputError, InvalidTypeError
from dyadmodel.model import Model, Parameter, ParameterError, State, symbols

x, y, a, w, s, c = symbols("x y a w s c")
R2 = x**2 + y**2
# Bautin normal form in Cartesian coordinates: r' = r (a + s r^2 + c r^4), theta' = w
# (Kuznetsov 2004, Elements of Applied Bifurcation Theory, section 8.3); c = 0 gives the
# Hopf normal form with l1 = s / w.
BAUTIN = Model(
    "bautin-nf",
    "Bautin normal form",
    [State("x", "x"), State("y", "y")],
    [
        Parameter("a", 0.0, "a"),
        Parameter("w", 1.3, "w", bounds=(0.0, math.inf), lower_inclusive=False),
        Parameter("s", -1.0, "s"),
        Parameter("c", 0.0, "c"),
    ],
    [a * x - w * y + s * x * R2 + c * x * R2**2, w * x + a * y + s * y * R2 + c * y * R2**2],
)


def _hopf(model, params, param, span):
    d = continuation(model, params, param, span, ContinuationOptions(seeds=1))
    (h,) = d.hopf_points
    return h


@pytest.mark.parametrize("sign", [-1.0, 1.0])
def test_hopf_normal_form_radius_period_and_stability(sign):
    """Radius sqrt(-a/s), period 2 pi / w along the whole branch; the branch lies on
    the side a/s < 0 and is stable exactly when l1 = s/w < 0 (supercritical)."""
    span = (-0.5, 1.0) if sign < 0 else (-1.0, 0.5)
    params = {"s": sign, "w": 1.3}
    h = _hopf(BAUTIN, params, "a", span)
    assert h.criticality == ("supercritical" if sign < 0 else "subcritical")
    b = continue_cycle(BAUTIN, params, "a", span, start=h)
    assert isinstance(b, CycleBranch) and b.completed and b.status == "span"
    assert b.param_values[-1] == pytest.approx(span[1] if sign < 0 else span[0], abs=1e-12)
    assert b.end_value == b.param_values[-1]
    assert "end of the span" in b.end
    radius = b.amplitude / 2
    expected = np.sqrt(-b.param_values / sign)
    np.testing.assert_allclose(radius[:, 0], expected, atol=1e-9)
    np.testing.assert_allclose(radius[:, 1], expected, atol=1e-9)
    np.testing.assert_allclose(b.periods, 2 * math.pi / 1.3, rtol=1e-10)
    assert np.all(b.stable == (sign < 0))
    # the nontrivial multiplier is exp(-2 a T) (radial rate -2a of r' = r(a + s r^2))
    nontrivial = b.multipliers[:, 1] if sign < 0 else b.multipliers[:, 0]
    np.testing.assert_allclose(
        nontrivial.real, np.exp(-2 * b.param_values * b.periods), rtol=1e-6, atol=1e-9
    )
    np.testing.assert_allclose(
        np.min(np.abs(b.multipliers - 1), axis=1), 0, atol=1e-8
    )  # the trivial multiplier
    assert len(b.profiles) == len(b) and b.profiles[-1][0][-1] == pytest.approx(b.periods[-1])
    assert b.special == ()


def test_bautin_fold_of_cycles_located():
    """r' = r (a + r^2 - r^4): the cycles fold at a = s^2/(4c) = -1/4 with radius
    sqrt(-s/(2c)) = sqrt(1/2); the small cycle is unstable, the large one stable."""
    params = {"s": 1.0, "c": -1.0}
    h = _hopf(BAUTIN, params, "a", (-0.5, 0.5))
    b = continue_cycle(BAUTIN, params, "a", (-0.5, 0.5), start=h)
    (lpc,) = b.of_kind("LPC")
    assert lpc.refined
    assert lpc.value == pytest.approx(-0.25, abs=1e-8)
    assert np.linalg.norm(lpc.state) == pytest.approx(math.sqrt(0.5), abs=1e-8)
    assert lpc.period == pytest.approx(2 * math.pi / 1.3, rel=1e-10)
    # both multipliers at 1 at the fold
    np.testing.assert_allclose(lpc.multipliers, 1.0, atol=1e-6)
    i = lpc.index
    small = np.linalg.norm(b.amplitude, axis=1) < 2 * math.sqrt(2 * 0.5)
    assert not b.stable[: i + 1][small[: i + 1]].any()  # small cycles: unstable
    assert b.stable[i + 2 :].all()  # large cycles: stable
    assert b.completed and b.param_values[-1] == pytest.approx(0.5)
    assert np.all(np.diff(b.param_values[: i + 1]) < 0)
    assert np.all(np.diff(b.param_values[i + 1 :]) > 0)


@settings(max_examples=4, deadline=None)
@given(s=st.floats(0.2, 2.0), c=st.floats(-2.0, -0.2), w=st.floats(0.5, 3.0))
def test_bautin_fold_of_cycles_for_any_coefficients(s, c, w):
    """r' = r (a + s r^2 + c r^4), s > 0 > c: the fold at a = s^2 / (4 c) with
    r^2 = -s / (2 c), period 2 pi / w, for any such coefficients."""
    params = {"s": s, "c": c, "w": w}
    a_fold = s**2 / (4 * c)
    span = (2 * a_fold, 0.5)
    h = _hopf(BAUTIN, params, "a", (-0.1, 0.1))
    b = continue_cycle(BAUTIN, params, "a", span, start=h, options=CycleOptions(ntst=20))
    (lpc,) = b.of_kind("LPC")
    assert lpc.value == pytest.approx(a_fold, abs=1e-8)
    assert np.linalg.norm(lpc.state) ** 2 == pytest.approx(-s / (2 * c), abs=1e-8)
    np.testing.assert_allclose(b.periods, 2 * math.pi / w, rtol=1e-9)
    assert b.completed


def test_from_limit_cycle_follows_towards_span_end():
    """From the van der Pol cycle at mu = 1 (period 6.6632868593, Hairer, Norsett &
    Wanner 1993, section I.16) to mu = 1.5 and, the other way, to mu = 0.5."""
    vdp = dm.Model.from_equations({"x": "y", "y": "(mu - x**2)*y - x"}, {"mu": 1.0})
    lc = dm.limit_cycle(vdp, None, [2.0, 0.0], period_guess=6.66)
    b = continue_cycle(vdp, None, "mu", (0.5, 1.5), start=lc)
    assert b.completed and b.param_values[0] == pytest.approx(1.0)
    assert b.param_values[-1] == pytest.approx(1.5)
    assert b.periods[0] == pytest.approx(6.6632868593, rel=1e-9)
    # extremes: the piecewise quartic between mesh points is accurate to ~5e-7 here
    np.testing.assert_allclose(b.maxima[0], lc.maximum, atol=5e-6)
    np.testing.assert_allclose(b.minima[0], lc.minimum, atol=5e-6)
    np.testing.assert_allclose(b.multipliers[0], lc.floquet_multipliers, atol=1e-7)
    assert b.stable.all() and np.all(np.diff(b.periods) > 0)
    back = continue_cycle(vdp, None, "mu", (1.5, 0.5), start=lc)
    assert back.completed and back.param_values[-1] == pytest.approx(0.5)
    assert np.all(np.diff(back.periods) < 0)


def test_branch_between_two_hopf_points_ends_on_the_second():
    """r' = r (mu (1 - mu) - r^2): cycles of radius sqrt(mu (1 - mu)) for 0 < mu < 1,
    born at mu = 0 and shrinking back onto the origin at mu = 1 (no fold between)."""
    m = dm.Model.from_equations(
        {
            "x": "mu*(1 - mu)*x - y - x*(x**2 + y**2)",
            "y": "x + mu*(1 - mu)*y - y*(x**2 + y**2)",
        },
        {"mu": 0.0},
    )
    first = continuation(m, None, "mu", (-0.5, 0.5), ContinuationOptions(seeds=1)).hopf_points
    b = continue_cycle(m, None, "mu", (-0.5, 1.5), start=first[0])
    assert b.status == "hopf" and not b.completed
    assert "a Hopf point ends the branch" in b.end
    assert float(b.end.split("mu ~ ")[1].split(":")[0]) == pytest.approx(1.0, abs=1e-8)
    assert b.end_value == pytest.approx(1.0, abs=1e-8)
    assert b.special == ()  # no spurious fold where the amplitude passes through zero
    np.testing.assert_allclose(
        b.amplitude[:, 0] / 2, np.sqrt(b.param_values * (1 - b.param_values)), atol=1e-9
    )
    assert len(b) < 80


def test_constant_inputs_shift_the_branch():
    """x' = (a + s) x - y - x r^2 with the input s: cycles of radius sqrt(a + s)."""
    m = dm.Model.from_equations(
        {"x": "(a + s)*x - y - x*(x**2 + y**2)", "y": "x + (a + s)*y - y*(x**2 + y**2)"},
        {"a": 0.0},
        inputs={"s": 0.0},
    )
    d = continuation(m, None, "a", (-0.5, 0.5), ContinuationOptions(seeds=1), inputs={"s": 0.2})
    (h,) = d.hopf_points
    assert h.value == pytest.approx(-0.2, abs=1e-9)
    b = continue_cycle(m, None, "a", (-0.5, 0.5), start=h, inputs={"s": 0.2})
    assert b.completed and b.inputs == (("s", 0.2),)
    np.testing.assert_allclose(b.amplitude[:, 0] / 2, np.sqrt(b.param_values + 0.2), atol=1e-9)


# -- bad input ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def hopf_point():
    return _hopf(BAUTIN, {"s": -1.0}, "a", (-0.5, 0.5))


def test_bad_start_type(hopf_point):
    with pytest.raises(InvalidTypeError, match="SpecialPoint"):
        continue_cycle(BAUTIN, {"s": -1.0}, "a", (-0.5, 0.5), start=[0.0, 0.0])


def test_start_of_wrong_kind(hopf_point):
    fold = dataclasses.replace(hopf_point, kind="fold")
    with pytest.raises(InvalidInputError, match="'fold'"):
        continue_cycle(BAUTIN, {"s": -1.0}, "a", (-0.5, 0.5), start=fold)
    other = dataclasses.replace(hopf_point, model_name="another")
    with pytest.raises(InvalidInputError, match="another"):
        continue_cycle(BAUTIN, {"s": -1.0}, "a", (-0.5, 0.5), start=other)


def test_unconverged_limit_cycle_start():
    vdp = dm.Model.from_equations({"x": "y", "y": "(mu - x**2)*y - x"}, {"mu": 1.0})
    lc = dm.limit_cycle(
        vdp, None, [2.0, 0.0], period_guess=6.66,
        options=dm.analysis.LimitCycleOptions(max_newton=1, raise_on_failure=False),
    )  # fmt: skip
    assert not lc.converged
    with pytest.raises(InvalidInputError, match="did not converge"):
        continue_cycle(vdp, None, "mu", (0.5, 1.5), start=lc)


@pytest.mark.parametrize(
    ("param", "span", "error", "match"),
    [
        ("nope", (-0.5, 0.5), ParameterError, "nope"),
        (3, (-0.5, 0.5), InvalidTypeError, "expected a name"),
        ("a", (0.5, 0.5), InvalidInputError, "empty"),
        ("a", (math.nan, 0.5), InvalidInputError, "finite|nan"),
        ("a", "ab", InvalidInputError, "two numbers"),
        ("a", (0.2, 0.5), InvalidInputError, "outside the span"),
        ("w", (0.5, 1.5), InvalidInputError, "found in 'a'"),
    ],
)
def test_bad_param_and_span(hopf_point, param, span, error, match):
    with pytest.raises(error, match=match):
        continue_cycle(BAUTIN, {"s": -1.0}, param, span, start=hopf_point)


def test_span_outside_bounds(hopf_point):
    with pytest.raises(ParameterError):
        continue_cycle(BAUTIN, {"s": -1.0}, "w", (-1.0, 1.0), start=hopf_point)


def test_params_disagreeing_with_start(hopf_point):
    with pytest.raises(InvalidInputError, match="disagree"):
        continue_cycle(BAUTIN, {"s": -2.0}, "a", (-0.5, 0.5), start=hopf_point)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("ntst", 0),
        ("ntst", -3),
        ("ncol", 9),
        ("tol", 0.5),
        ("tol", math.nan),
        ("ds", -1.0),
        ("max_seconds", 0.0),
        ("max_points", 1.5),
        ("max_period", -1.0),
        ("adapt_mesh", "yes"),
    ],
)
def test_bad_options(field, value):
    with pytest.raises(InvalidInputError, match=field):
        CycleOptions(**{field: value})


def test_options_type(hopf_point):
    with pytest.raises(InvalidTypeError, match="CycleOptions"):
        continue_cycle(BAUTIN, {"s": -1.0}, "a", (-0.5, 0.5), start=hopf_point, options={})


@pytest.mark.parametrize(
    ("opts", "status", "words"),
    [
        (CycleOptions(max_seconds=1e-9), "budget", "budget of 1e-09 s spent"),
        (CycleOptions(max_points=3), "max points", "max_points=3"),
    ],
)
def test_budgets_end_honestly(hopf_point, opts, status, words):
    b = continue_cycle(BAUTIN, {"s": -1.0}, "a", (-0.5, 0.5), start=hopf_point, options=opts)
    assert not b.completed and b.status == status and words in b.end
    assert len(b) <= max(opts.max_points, 1)


def test_dataframe_and_repr(hopf_point):
    b = continue_cycle(
        BAUTIN, {"s": -1.0}, "a", (-0.5, 0.2), start=hopf_point, options=CycleOptions(ntst=20)
    )
    df = b.to_dataframe()
    assert list(df.columns) == [
        "a", "period", "stable", "min_x", "max_x", "min_y", "max_y",
        "multiplier_1", "multiplier_2",
    ]  # fmt: skip
    assert len(df) == len(b) and df["a"].iloc[-1] == pytest.approx(0.2)
    assert "CycleBranch('bautin-nf'" in repr(b) and "end: reached" in repr(b)
    assert "<table" in b._repr_html_()


# -- homoclinic end: an exact example ------------------------------------------------------
# x' = y, y' = x - x^2 - y (mu + H) with H = y^2/2 - x^2/2 + x^3/3: along solutions
# H' = -y^2 (mu + H), so every level set H = -mu is invariant and, for 0 < mu < 1/6, it
# is a stable cycle (H + mu is driven to 0 from both sides). At mu = 1/6 the cycle
# shrinks onto the centre (1, 0) (a Hopf point); as mu -> 0 it grows onto H = 0, the
# homoclinic loop x = (3/2) sech^2(t/2) of the saddle (0, 0) (the cubic potential's
# separatrix: it solves x'^2 = x^2 - 2 x^3 / 3, the level H = 0). So the homoclinic value is
# mu_h = 0 exactly, the saddle's eigenvalues there are +1 and -1 (lambda_u = 1), and the
# period grows as T = -ln(mu) / lambda_u + O(1): slope -1.
mu_ = symbols("mu")[0]
H = y**2 / 2 - x**2 / 2 + x**3 / 3
LOOP = Model(
    "energy-loop",
    "cycles on the level sets of a cubic potential",
    [State("x", "x"), State("y", "y")],
    [Parameter("mu", 0.1, "mu")],
    [y, x - x**2 - y * (mu_ + H)],
)


def _loop_period(mu):
    """The exact period of the cycle H = -mu: 2 int dx / sqrt(2 (x^2/2 - x^3/3 - mu))."""
    from scipy.integrate import quad
    from scipy.optimize import brentq

    def g(v):
        return v**2 / 2 - v**3 / 3 - mu

    x1, x2 = brentq(g, 0.0, 1.0, xtol=1e-15), brentq(g, 1.0, 1.5, xtol=1e-15)

    # x = x1 + (x2 - x1) sin^2(theta) removes the inverse square-root end singularities
    def integrand(th):
        v = x1 + (x2 - x1) * math.sin(th) ** 2
        return 2 * (x2 - x1) * math.sin(th) * math.cos(th) / math.sqrt(max(2 * g(v), 1e-300))

    return 2 * quad(integrand, 0.0, math.pi / 2, epsabs=1e-12, epsrel=1e-12, limit=200)[0]


def test_homoclinic_end_at_the_known_value():
    h = _hopf(LOOP, None, "mu", (0.1, 0.2))
    assert h.value == pytest.approx(1 / 6, abs=1e-9)
    b = continue_cycle(LOOP, None, "mu", (-0.1, 0.2), start=h)
    assert b.status == "homoclinic" and not b.completed
    assert b.end.startswith("period grew without bound")
    (hom,) = b.of_kind("homoclinic")
    assert hom.refined and hom.saddle_kind == "saddle"
    assert abs(hom.value) < 1e-8 and b.end_value == hom.value  # mu_h = 0
    np.testing.assert_allclose(hom.saddle, [0.0, 0.0], atol=1e-10)
    np.testing.assert_allclose(hom.saddle_eigenvalues.real, [1.0, -1.0], atol=1e-6)
    assert hom.expected_slope == pytest.approx(-1.0, abs=1e-6)
    # the fit over periods from half the last one: corrections O(mu ln mu) and the
    # O(1) term's drift leave about 1 % at the tail reached here (mu ~ 1e-10)
    assert hom.log_period_slope == pytest.approx(hom.expected_slope, rel=0.02)
    assert b.periods[-1] > 3.5 * b.periods[0]
    assert b.stable.all()
    for i in (len(b) // 3, 2 * len(b) // 3):
        if b.param_values[i] > 1e-6:
            assert b.periods[i] == pytest.approx(_loop_period(b.param_values[i]), rel=1e-7)


def test_max_period_stops_the_branch():
    h = _hopf(LOOP, None, "mu", (0.1, 0.2))
    b = continue_cycle(LOOP, None, "mu", (-0.1, 0.2), start=h, options=CycleOptions(max_period=8.0))
    assert b.status == "homoclinic" and not b.completed
    assert b.end.startswith("period grew without bound") and b.periods[-1] > 8.0
    assert np.all(b.periods[:-1] <= 8.0)


# -- period doubling: the Rössler system --------------------------------------------------
ROSSLER = dm.Model.from_equations(
    {"x": "-y - z", "y": "x + a*y", "z": "b + z*(x - c)"},
    {"a": 0.2, "b": 0.2, "c": 2.5},
    name="rossler",
)


def test_rossler_period_doubling_and_unstable_cycle_at_c_5_7():
    """Rössler (1976) with a = b = 0.2: the period-1 cycle doubles between c = 2.5 and
    3.5 (Strogatz 2015, section 12.4, figure 12.4.2) and at c = 5.7 it is unstable with
    period 5.88108845586 and multipliers 1, -2.403953527, ~0 (ChaosBook's Rössler
    page, cns.physics.gatech.edu/ChaosBook/extras/simon/Roessler.html)."""
    lc = dm.limit_cycle(ROSSLER, None, [-3.4, 2.0, 0.03], period_guess=5.75)
    b = continue_cycle(ROSSLER, None, "c", (2.5, 5.7), start=lc)
    assert b.completed
    (pd,) = b.of_kind("PD")
    assert pd.refined and 2.5 < pd.value < 3.5
    assert np.min(np.abs(pd.multipliers + 1)) < 1e-7
    assert b.stable[b.param_values < pd.value - 1e-6].all()
    assert not b.stable[b.param_values > pd.value + 1e-6].any()
    assert b.periods[-1] == pytest.approx(5.88108845586, abs=1e-8)
    assert b.multipliers[-1][0].real == pytest.approx(-2.403953527, abs=1e-6)
    assert b.of_kind("NS") == () and b.of_kind("LPC") == ()


def test_neimark_sacker_of_a_product_of_oscillators():
    """Two uncoupled planar oscillators: the cycle (cos t, sin t, 0, 0) of period 2 pi
    carries the second one's linearisation, multipliers exp(2 pi (mu +- i w)): a
    Neimark-Sacker point at mu = 0 exactly, the pair at angle 2 pi w (mod 2 pi)."""
    w = math.sqrt(2.0)
    m = dm.Model.from_equations(
        {
            "x": "x - y - x*(x**2 + y**2)",
            "y": "x + y - y*(x**2 + y**2)",
            "u": "mu*u - w*v - u*(u**2 + v**2)",
            "v": "w*u + mu*v - v*(u**2 + v**2)",
        },
        {"mu": -0.5, "w": w},
        name="torus",
    )
    lc = dm.limit_cycle(m, None, [1.0, 0.0, 0.0, 0.0], period_guess=2 * math.pi)
    b = continue_cycle(m, None, "mu", (-0.5, 0.5), start=lc)
    assert b.completed
    (ns,) = b.of_kind("NS")
    assert ns.refined and abs(ns.value) < 1e-8
    pair = ns.multipliers[np.abs(ns.multipliers.imag) > 1e-3]
    np.testing.assert_allclose(np.abs(pair), 1.0, atol=1e-8)
    expected_angle = abs(math.remainder(2 * math.pi * w, 2 * math.pi))
    assert abs(np.angle(pair[0])) == pytest.approx(expected_angle, abs=1e-8)
    assert b.stable[b.param_values < -1e-6].all() and not b.stable[b.param_values > 1e-6].any()
    assert b.of_kind("PD") == () and b.of_kind("LPC") == ()


def test_ns_test_function_changes_sign_when_a_pair_crosses_the_circle():
    """prod(mu_i mu_j - 1) over the nontrivial multipliers changes sign when a complex
    pair crosses the unit circle (NS), and also at a neutral saddle (real mu1 mu2 = 1),
    which `locate` then discards; the trivial multiplier (nearest 1) is left out."""
    from dyadmodel.continuation._cycles import _Tracer

    tr = _Tracer.__new__(_Tracer)
    ns = [
        tr._tests(None, np.zeros(1), np.array([1.0, m1, m2]))["NS"]
        for m1, m2 in [(0.9j + 0.3, 0.3 - 0.9j), (1.1j + 0.3, 0.3 - 1.1j), (2.0, 0.45), (2.0, 0.55)]
    ]
    assert ns[0] * ns[1] < 0 and ns[2] * ns[3] < 0  # both change sign


def test_pd_and_ns_are_reported_only_where_the_multipliers_confirm_them():
    """A located PD needs a real multiplier within 1e-4 of -1, a located NS a complex
    pair within 1e-4 of the unit circle (nontrivial multipliers given)."""
    from dyadmodel.continuation._cycles import _confirmed

    assert _confirmed("PD", np.array([-1.0 + 1e-9, 0.3]))
    assert not _confirmed("PD", np.array([-5.4e5, 0.002]))  # a pole: a sign flip through inf
    assert not _confirmed("PD", np.array([-1.0325, 2e6]))
    assert not _confirmed("PD", np.array([-1.0 + 0.01j, -1.0 - 0.01j]))  # complex, not PD
    e = np.exp(0.7j)
    assert _confirmed("NS", np.array([e, np.conj(e), 0.1]))
    assert not _confirmed("NS", np.array([2.0, 0.5, 0.1]))  # real pair, product 1
    assert not _confirmed("NS", np.array([-1.0, -1.0 + 1e-7, 0.1]))  # real pair through -1
    assert not _confirmed("NS", np.array([1.47e8, 1.6e-7, 1e-8 + 2e-8j, 1e-8 - 2e-8j]))
    assert not _confirmed("PD", np.array([np.nan, -1.0]))


def _pd_test_function(mu):
    """``prod(mu + 1)`` over the nontrivial multipliers of each branch point."""
    mu = np.asarray(mu)
    trivial = np.argmin(np.abs(mu - 1.0), axis=1)
    nt = np.array([np.delete(row, i) for row, i in zip(mu, trivial)])
    return np.real(np.prod(nt + 1.0, axis=1))


def test_six_state_fold_of_cycles_near_homoclinic_is_no_period_doubling():
    """The six-state model's stable pursue-withdraw cycle in exhaustion_1 (preset
    'pursue-withdraw-cycles') folds at 1.58880 and the unstable cycle beyond folds
    again at 1.587677 (period ~252) on its way to a homoclinic orbit. Its largest
    multiplier (~1e8 to 1e10) is computed with the wrong sign past the second fold, so
    the PD test function changes sign there through a pole, and the NS one where the
    junk multipliers ~1e-8 meet it; no multiplier is near -1 or on the unit circle: the
    branch reports the two LPCs and no PD or NS (before: a PD at 1.58767748, at the LPC,
    and an unrefined NS at 1.58770)."""
    m = dm.models.get("pursuer-distancer")
    pe = m.preset("pursue-withdraw-cycles").replace(exhaustion_1=1.57)
    lc = dm.limit_cycle(m, pe, [0.532, 0.945, 0.424, 0.746, 1.614, 0.044], period_guess=122.0)
    b = continue_cycle(m, pe, "exhaustion_1", (1.57, 1.6), start=lc)
    assert [s.kind for s in b.special] == ["LPC", "LPC"]
    first, second = b.special
    assert first.refined and first.value == pytest.approx(1.5888013, abs=1e-6)
    assert second.refined and second.value == pytest.approx(1.5876775, abs=1e-6)
    assert second.period == pytest.approx(252.0, abs=1.0)
    # the evidence: past the second fold the test function changes sign, with the
    # largest multiplier flipping sign at |mu| > 1e6, and no multiplier near -1
    g = _pd_test_function(b.multipliers)
    k = second.index
    near = slice(k - 2, k + 3)
    assert np.any(np.sign(g[near][:-1]) != np.sign(g[near][1:]))
    big = b.multipliers[near, 0]
    assert np.all(np.abs(big) > 1e6) and big.real.min() < 0 < big.real.max()
    assert np.min(np.abs(b.multipliers[near] + 1.0)) > 0.1
    assert np.min(np.abs(second.multipliers + 1.0)) > 0.1


@pytest.mark.slow
def test_synergic_couple_cycles_from_hopf_end_in_a_snic():
    """The synergic couple (Gragnani, Rinaldi & Feichtinger 1997) in alpha1: the stable
    cycle born at the supercritical Hopf point (alpha1 = 0.36656) grows as alpha1
    decreases and its period diverges at the fold alpha1 = 0.3036924 where a saddle
    and a node appear on it (a saddle-node on the invariant circle): T ~ |p - p_f|^-1/2."""
    m = dm.models.get("rinaldi-synergic")
    d = continuation(m, None, "alpha1", (0.35, 0.38), ContinuationOptions(seeds=1))
    (h,) = d.hopf_points
    b = continue_cycle(m, None, "alpha1", (0.01, 3.0), start=h)
    assert b.param_values[0] == pytest.approx(h.value, abs=1e-3)
    assert b.periods[0] == pytest.approx(2 * math.pi / h.frequency, rel=1e-3)
    assert b.status == "homoclinic" and b.stable.all()
    (end,) = b.of_kind("homoclinic")
    folds = continuation(m, None, "alpha1", (0.29, 0.31), ContinuationOptions(seeds=1)).folds
    assert end.saddle_kind == "saddle-node"
    assert min(abs(end.value - f.value) for f in folds) < 1e-8
    assert end.log_period_slope == pytest.approx(-0.5, abs=0.05)
    assert b.elapsed < 10


@pytest.mark.slow
def test_six_state_cycles_in_exhaustion_fold_twice_and_double_only_near_the_first_fold():
    """Figure 13's branch: from the subcritical Hopf point (exhaustion_1 = 0.9074) the
    unstable cycles fold at 0.8792093 into the stable relaxation cycle; just past the
    fold two real multipliers meet, turn complex and split on the negative axis, one
    going below -1 (-1.38 at 0.87924, confirmed by integrating the variational
    equation): a genuine pair of period doublings, 0.8792170 and 0.8793009. The stable
    cycle folds at 1.5888013 and the unstable one again at 1.5876775, where the PD test
    function changes sign through a pole (reported as PD before) but no multiplier is
    near -1: LPC only, and no NS on the whole branch."""
    m = dm.models.get("pursuer-distancer")
    p = m.preset("pursue-withdraw-cycles")
    (h,) = continuation(
        m, p, "exhaustion_1", (0.88, 0.93), ContinuationOptions(seeds=1)
    ).hopf_points
    b = continue_cycle(m, None, "exhaustion_1", (0.5, 2.0), start=h)
    assert [s.kind for s in b.special] == ["LPC", "PD", "PD", "LPC", "LPC"]
    lpc0, pd1, pd2, lpc1, lpc2 = b.special
    assert lpc0.value == pytest.approx(0.8792093, abs=1e-6)
    assert pd1.value == pytest.approx(0.8792170, abs=1e-6)
    assert pd2.value == pytest.approx(0.8793009, abs=1e-6)
    for pd in (pd1, pd2):
        assert pd.refined and np.min(np.abs(pd.multipliers + 1.0)) < 1e-6
    between = slice(pd1.index + 1, pd2.index + 1)  # past the fold, between the PDs
    assert np.all(b.param_values[between] > pd1.value)
    assert np.all(b.param_values[between] < pd2.value)
    assert np.all(b.multipliers[between, 0].real < -1.1)
    assert not b.stable[between].any()
    assert lpc1.value == pytest.approx(1.5888013, abs=1e-6)
    assert lpc2.value == pytest.approx(1.5876775, abs=1e-6)
    assert np.min(np.abs(lpc2.multipliers + 1.0)) > 0.1


@pytest.mark.slow
def test_six_state_pursue_withdraw_cycle_both_ways():
    """The pursue-withdraw cycle of the six-state model (preset 'pursue-withdraw-cycles',
    period 86.79 at anxiety_gain_1 = 5) in anxiety_gain_1. Upwards it folds (LPC near
    6.822) and the unstable cycle shrinks onto the equilibrium at the subcritical Hopf
    point that `continuation` finds at 6.30612038; downwards it folds near 4.26194 and
    its period grows without bound at a saddle (homoclinic) near 4.261966."""
    m = dm.models.get("pursuer-distancer")
    pc = m.preset("pursue-withdraw-cycles")
    (eq,) = dm.equilibria(m, pc)
    lc = dm.limit_cycle(m, pc, eq.state + 0.01)
    up = continue_cycle(m, pc, "anxiety_gain_1", (3.0, 7.0), start=lc)
    down = continue_cycle(m, pc, "anxiety_gain_1", (7.0, 3.0), start=lc)
    assert up.periods[0] == pytest.approx(lc.period, rel=1e-6) and up.stable[0]
    (lpc,) = up.of_kind("LPC")
    assert lpc.refined and 6.8 < lpc.value < 6.85
    assert up.status == "hopf"
    (hopf,) = continuation(
        m, pc, "anxiety_gain_1", (6.2, 6.4), ContinuationOptions(seeds=1)
    ).hopf_points
    assert hopf.criticality == "subcritical"
    assert float(up.end.split("~ ")[1].split(":")[0]) == pytest.approx(hopf.value, abs=1e-6)
    assert down.status in ("homoclinic", "inaccurate")
    assert [s.kind for s in down.special] == ["LPC", "homoclinic"]
    end = down.special[-1]
    assert end.saddle_kind == "saddle" and 4.2619 < end.value < 4.262
    at_end = pc.replace(anxiety_gain_1=float(down.param_values[-1]))  # the saddle's parameter
    np.testing.assert_allclose(m.rhs(end.saddle, at_end), 0, atol=1e-9)
    assert np.sum(end.saddle_eigenvalues.real > 0) == 1
    # saddle quantity > 0 here: T ~ -ln|p - p_h| / |leading stable eigenvalue|; fitted
    # over periods 220-520 only (the mesh of 40 intervals stops there), measured 3 % off
    assert end.log_period_slope == pytest.approx(end.expected_slope, rel=0.15)
