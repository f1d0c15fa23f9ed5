"""Two-parameter curves of cycle bifurcations (issue 16 §4): `lpc_curve` and
`homoclinic_curve` against closed forms, the synergic couple's homoclinic curve ending at
its Bogdanov-Takens point, budgets and bad input."""

import functools
import math

import numpy as np
import pytest

import dyadmodel as dm
from dyadmodel.continuation import (
    ContinuationOptions,
    CycleCurve,
    CycleCurveOptions,
    CycleOptions,
    continuation,
    homoclinic_curve,
    hopf_curve,
    lpc_curve,
)
from dyadmodel.errors import InvalidInputError, InvalidTypeError
from dyadmodel.model import ParameterError

# Bautin normal form r' = r (a + s r^2 + c r^4), theta' = 1 (Kuznetsov 2004, section 8.3):
# for s > 0 > c the cycles fold at a = s^2 / (4 c) (where d/dr of a + s r^2 + c r^4 and
# the function itself vanish); the Bautin point is a = s = 0.
BAUTIN = dm.Model.from_equations(
    {
        "x": "a*x - y + x*(s*(x**2 + y**2) + c*(x**2 + y**2)**2)",
        "y": "x + a*y + y*(s*(x**2 + y**2) + c*(x**2 + y**2)**2)",
    },
    {"a": 0.0, "s": 1.0, "c": -1.0},
    name="bautin-cartesian",
)
# Bogdanov-Takens normal form x' = y, y' = b1 + b2 x + x^2 - x y: Hopf on b1 = 0, b2 < 0;
# homoclinic orbits on b1 = -(6/25) b2^2 + O(|b2|^3) (Kuznetsov 2004, section 8.4).
BT_NF = dm.Model.from_equations(
    {"x": "y", "y": "b1 + b2*x + x**2 - x*y"}, {"b1": 0.0, "b2": -1.0}, name="bt-nf"
)


@functools.cache
def bautin_hopf(c=-1.0):
    d = continuation(BAUTIN, BAUTIN.params(s=0.5, c=c), "a", (-0.5, 0.5))
    (h,) = d.hopf_points
    return h


def test_bautin_lpc_curve_is_s_squared_over_4c():
    """Closed form: LPC at a = s^2/(4c) for every s > 0; the curve begins at the Bautin
    point s = 0 (located by bisection to (1/3)/2^3) and nothing is found for s < 0, where
    the Hopf point is supercritical and the cycles grow without folding."""
    c = -2.0
    opts = CycleCurveOptions(n_steps=4, refine_ends=3, cycle=CycleOptions(ntst=16))
    curve = lpc_curve(BAUTIN, None, bautin_hopf(c), "s", (-0.5, 0.5), (-0.5, 0.5), opts)
    assert isinstance(curve, CycleCurve) and curve.kind == "LPC" and curve.completed
    assert curve.n_pieces == 1 and len(curve) >= 2
    np.testing.assert_allclose(curve.x_values, curve.y_values**2 / (4 * c), atol=1e-9)
    assert np.all(curve.y_values > 0) and curve.y_values.max() == pytest.approx(0.5)
    # the folding cycle's radius sqrt(-s / (2c))
    r = np.linalg.norm(curve.states, axis=1)
    np.testing.assert_allclose(r, np.sqrt(-curve.y_values / (2 * c)), atol=1e-7)
    np.testing.assert_allclose(curve.periods, 2 * math.pi, rtol=1e-9)
    (end,) = curve.ends
    assert "from 0 to 1" in end
    # the end is bracketed within one bisection interval of the Bautin point s = 0
    assert 0 < curve.y_values.min() <= (1 / 3) / 2**3 + 1e-12
    (bautin,) = curve.hopf.bautin
    assert abs(bautin.y_value) < 1e-6
    x, _y = curve.piece(0)
    np.testing.assert_array_equal(x, curve.x_values)
    with pytest.raises(InvalidInputError, match="piece"):
        curve.piece(1)


def test_bt_normal_form_homoclinic_curve_is_parabola():
    """Closed form to leading order: b1 = -(6/25) b2^2 (relative error O(|b2|)), on a
    saddle; the curve and the Hopf curve b1 = 0 both end at the BT point (0, 0)."""
    d = continuation(BT_NF, BT_NF.params(b2=-0.4), "b1", (-0.5, 0.5))
    h = d.hopf_points[0]
    opts = CycleCurveOptions(n_steps=3, cycle=CycleOptions(ntst=20))
    curve = homoclinic_curve(BT_NF, None, h, "b2", (-0.6, -0.1), (-0.5, 0.5), opts)
    assert curve.kind == "homoclinic" and curve.completed and len(curve) == 3
    assert curve.saddle_kinds == ("saddle",) * 3 and curve.refined.all()
    parabola = -6 / 25 * curve.y_values**2
    rel = np.abs(curve.x_values / parabola - 1)
    assert np.all(rel < 0.5 * np.abs(curve.y_values))  # O(|b2|), and shrinking
    assert rel[-1] < rel[0]
    # the saddle of x^2 + b2 x + b1 = 0 (the larger root: a saddle)
    xs = (-curve.y_values + np.sqrt(curve.y_values**2 - 4 * curve.x_values)) / 2
    np.testing.assert_allclose(curve.states[:, 0], xs, atol=1e-8)


@functools.cache
def synergic():
    m = dm.models.get("rinaldi-synergic")
    d = continuation(m, None, "alpha1", (0.34, 0.42), ContinuationOptions(seeds=2))
    (h,) = d.hopf_points
    # the Hopf curve turns back at alpha2 ~ 0.43 and ends at the BT point near 0.30
    hc = hopf_curve(m, None, h, "alpha2", (0.15, 0.5), x_span=(0.2, 0.5))
    return m, h, hc


@pytest.mark.slow  # ~30 s: a cycle branch per step
def test_synergic_homoclinic_curve_ends_at_bogdanov_takens():
    """The synergic couple (Gragnani, Rinaldi & Feichtinger 1997) in (alpha1, alpha2):
    a curve of homoclinic orbits to a saddle is born at the Hopf curve's
    Bogdanov-Takens point, where the cycles shrink onto the equilibrium; below it the
    cycles end on a saddle-node on the cycle (SNIC) at the fold of equilibria."""
    m, _, hc = synergic()
    (bt,) = hc.bogdanov_takens
    opts = CycleCurveOptions(n_steps=5, refine_ends=4)
    curve = homoclinic_curve(m, None, hc, "alpha2", (0.29, 0.33), (0.2, 0.5), opts)
    assert curve.completed
    kinds = np.array(curve.saddle_kinds)
    assert "saddle-node" in kinds and "saddle" in kinds
    # the saddle piece that begins inside the span begins at the BT point
    firsts = [np.flatnonzero(curve.pieces == k)[0] for k in range(curve.n_pieces)]
    starts = [i for i in firsts if kinds[i] == "saddle" and curve.y_values[i] > 0.29]
    i = min(starts, key=lambda k: curve.y_values[k])
    # within 0.002 in alpha2 (the branches from Hopf points closer to the BT point fail
    # to start: their cycles are too small and slow; the curve's ends say so)
    assert bt.y_value < curve.y_values[i] < bt.y_value + 0.002
    assert abs(curve.x_values[i] - bt.x_value) < 1e-3, (curve.x_values[i], bt.x_value)
    assert np.linalg.norm(curve.states[i] - bt.state) < 0.05
    assert any("homoclinic points changes" in e for e in curve.ends)


# -- budgets and bad input ------------------------------------------------------------------


def test_budget_ends_honestly():
    opts = CycleCurveOptions(n_steps=5, max_seconds=1e-6)
    curve = lpc_curve(BAUTIN, None, bautin_hopf(), "s", (0.5, 1.0), (-0.5, 0.5), opts)
    assert curve.status == "budget" and not curve.completed
    assert any("max_seconds" in e for e in curve.ends)


@pytest.mark.parametrize(
    ("kw", "error", "match"),
    [
        ({"hopf": "h"}, InvalidTypeError, "SpecialPoint"),
        ({"y_param": "a"}, InvalidInputError, "y_param"),
        ({"y_param": "nope"}, ParameterError, "nope"),
        ({"y_span": (0.5, 0.5)}, InvalidInputError, "empty"),
        ({"y_span": (2.0, 3.0)}, InvalidInputError, "outside y_span"),
        ({"y_span": "ab"}, InvalidInputError, "two numbers"),
        ({"x_span": (0.1, 0.5)}, InvalidInputError, "outside x_span"),
        ({"x_span": (0.0, math.inf)}, InvalidInputError, "finite"),
        ({"options": {}}, InvalidTypeError, "CycleCurveOptions"),
    ],
)
def test_bad_input(kw, error, match):
    args = {
        "hopf": bautin_hopf(),
        "y_param": "s",
        "y_span": (0.5, 1.0),
        "x_span": (-0.5, 0.5),
        "options": None,
    } | kw
    with pytest.raises(error, match=match):
        lpc_curve(BAUTIN, None, **args)


def test_wrong_point_kind_and_model():
    import dataclasses

    fold = dataclasses.replace(bautin_hopf(), kind="fold")
    with pytest.raises(InvalidInputError, match="'fold'"):
        lpc_curve(BAUTIN, None, fold, "s", (0.5, 1.0), (-0.5, 0.5))
    with pytest.raises(InvalidInputError, match="model"):
        homoclinic_curve(BT_NF, None, bautin_hopf(), "b2", (0.5, 1.0), (-0.5, 0.5))


@pytest.mark.parametrize(
    ("field", "value"),
    [("n_steps", 1), ("n_steps", 2.5), ("refine_ends", -1), ("link_tol", 0.0),
     ("merge_tol", -1.0), ("max_seconds", math.nan), ("cycle", {})],
)  # fmt: skip
def test_bad_options(field, value):
    with pytest.raises((InvalidInputError, InvalidTypeError), match=field):
        CycleCurveOptions(**{field: value})


def test_regime_map_with_cycle_curves_finds_cycle_and_steady_state():
    """On the Bautin normal form with c = -1 a stable cycle coexists with the stable
    origin exactly where -s^2/4 < a < 0 (between the fold of cycles and the subcritical
    Hopf line): the grid says so there and nowhere else, and the map carries the LPC
    curve a = -s^2/4."""
    m = BAUTIN
    r = dm.regime_map(
        m,
        m.params(c=-1.0),
        ("a", (-0.45, 0.45)),
        ("s", (-0.4, 1.0)),
        (6, 3),
        cycle_curves=True,
        cycle_options=CycleCurveOptions(refine_ends=2, cycle=CycleOptions(ntst=16)),
    )
    a, s = np.meshgrid(r.x_values, r.y_values)
    expected = (s > 0) & (-(s**2) / 4 < a) & (a < 0)
    assert expected.sum() == 1  # the cell a = -0.09, s = 1
    np.testing.assert_array_equal(r.regimes == "cycle and steady state", expected)
    ((lpc,), (hom,)) = r.lpc_curves, r.homoclinic_curves
    np.testing.assert_allclose(lpc.x_values, -(lpc.y_values**2) / 4, atol=1e-9)
    assert len(hom) == 0 and any(n.startswith("LPC curve:") for n in r.notes)
    with pytest.raises(InvalidTypeError, match="cycle_options"):
        dm.regime_map(m, None, ("a", (-0.4, 0.4)), ("s", (0.5, 1.0)), 2, cycle_curves=True,
                      cycle_options={})  # fmt: skip
