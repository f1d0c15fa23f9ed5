"""Continuation of periodic orbits (issue 16 §1-2): `continue_cycle` against closed
forms (Hopf and Bautin normal forms), cycle bifurcations and homoclinic ends, bad input."""

import math

import numpy as np
import pytest

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


# -- bad input ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def hopf_point():
    return _hopf(BAUTIN, {"s": -1.0}, "a", (-0.5, 0.5))


def test_bad_start_type(hopf_point):
    with pytest.raises(InvalidTypeError, match="SpecialPoint"):
        continue_cycle(BAUTIN, {"s": -1.0}, "a", (-0.5, 0.5), start=[0.0, 0.0])


def test_start_of_wrong_kind():
    d = continuation(BAUTIN, {"s": -1.0, "a": 0.0}, "w", (-0.5, 0.5) if False else (0.5, 1.5))
    # no Hopf point in w: make a fold-like SpecialPoint by hand from a Hopf one
    h = _hopf(BAUTIN, {"s": -1.0}, "a", (-0.5, 0.5))
    import dataclasses

    fold = dataclasses.replace(h, kind="fold")
    with pytest.raises(InvalidInputError, match="'fold'"):
        continue_cycle(BAUTIN, {"s": -1.0}, "a", (-0.5, 0.5), start=fold)
    assert d.hopf_points == ()


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
