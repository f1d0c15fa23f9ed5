"""The float64 interval evaluator of `_interval` (many boxes at once, outward rounding by
one ulp per operation) encloses the exact value, and the vectorised Krawczyk search finds
what the `mpmath.iv` one does."""

from __future__ import annotations

from fractions import Fraction

import mpmath
import numpy as np
import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st
from scipy.optimize import fsolve

import dyadmodel as dm
from dyadmodel.analysis._interval import IntervalFunction, krawczyk_search

x, y = sp.symbols("x y")

# one expression per operation of the evaluator (and some compositions)
EXPRESSIONS = [
    x + sp.Rational(1, 10),
    x * y - sp.Rational(1, 3) * x,
    x**2 - y**3,
    x**-2 + y**5,
    x / (1 + y**2),
    sp.exp(-(x**4)) * x,
    sp.exp(3 * y) - sp.exp(-x),
    sp.log(x) + sp.sqrt(y),
    x ** sp.Rational(3, 2) * y,
    x ** sp.Float(0.7) + sp.pi * y,
    sp.tanh(2 * x - y),
    sp.Abs(x - y) * sp.sign(y),
    x**8 / (x**8 + sp.Rational(7, 5) ** 8),
    sp.Rational(10**30 + 1, 10**30) * x - 10**20 * y,
]


PROGRAMS = [IntervalFunction([e], (x, y)).program for e in EXPRESSIONS]
EXACT = [sp.lambdify((x, y), e, modules="mpmath") for e in EXPRESSIONS]


def exact(k: int, xv: float, yv: float):
    """Expression ``k`` at the binary values (xv, yv), 50 digits, or None where it is
    not real."""
    with mpmath.workdps(50):
        try:
            v = EXACT[k](mpmath.mpf(xv), mpmath.mpf(yv))
        except ZeroDivisionError:
            return None
    if isinstance(v, mpmath.mpc) or not mpmath.isfinite(v):
        return None
    return v


finite = st.floats(-3.0, 3.0, allow_nan=False)
widths = st.sampled_from([0.0, 1e-12, 1e-6, 0.01, 0.5, 2.0])


@given(
    corner=st.tuples(finite, finite),
    width=st.tuples(widths, widths),
    where=st.tuples(st.floats(0, 1), st.floats(0, 1)),
)
def test_float_enclosure_holds_the_exact_value(corner, width, where):
    lo = np.array([[corner[0], corner[1]]])
    hi = lo + np.array([width])
    point = lo[0] + np.array(where) * (hi[0] - lo[0])
    point = np.minimum(np.maximum(point, lo[0]), hi[0])
    for k, prog in enumerate(PROGRAMS):
        v = exact(k, *point)
        out_lo, out_hi, undefined = prog(lo, hi)
        if v is None:  # not real at the point: the box may still be partly defined
            continue
        assert not undefined[0]  # real at a point of the box: never "undefined"
        assert mpmath.mpf(out_lo[0, 0]) <= v <= mpmath.mpf(out_hi[0, 0]), (EXPRESSIONS[k], point)


def test_constants_are_enclosed_outward():
    prog = IntervalFunction([sp.Rational(1, 10) + 0 * x, sp.Rational(1, 2) + 0 * x], [x]).program
    lo, hi, _ = prog(np.zeros((1, 1)), np.zeros((1, 1)))
    assert Fraction(lo[0, 0]) < Fraction(1, 10) < Fraction(hi[0, 0])  # 1/10 is not binary
    assert lo[0, 1] == hi[0, 1] == 0.5  # exact in binary: kept exact


def test_sum_of_binary_values_is_enclosed():
    # 0.1 + 0.2 rounds to 0.30000000000000004; the exact sum of the two doubles is below
    prog = IntervalFunction([x + y], (x, y)).program
    lo, hi, _ = prog(np.array([[0.1, 0.2]]), np.array([[0.1, 0.2]]))
    s = Fraction(0.1) + Fraction(0.2)
    assert Fraction(lo[0, 0]) < s < Fraction(hi[0, 0]) and lo[0, 0] < 0.1 + 0.2


def test_undefined_boxes_are_flagged_per_box():
    prog = IntervalFunction([sp.sqrt(x) + sp.log(y)], (x, y)).program
    lo = np.array([[-2.0, 1.0], [-1.0, 1.0], [1.0, -3.0]])
    hi = np.array([[-1.0, 2.0], [1.0, 2.0], [2.0, -2.0]])
    _, _, undefined = prog(lo, hi)
    assert undefined.tolist() == [True, False, True]


def test_functions_without_a_float_rule_fall_back_to_mpmath():
    f = IntervalFunction([sp.sin(x) - sp.Rational(1, 2)], [x])
    assert f.program is None
    jac = IntervalFunction([sp.cos(x)], [x])
    res = krawczyk_search(
        f,
        jac,
        lambda v: np.array([np.sin(v[0]) - 0.5]),
        lambda v: np.array([[np.cos(v[0])]]),
        np.array([[0.0, 3.0]]),
    )
    roots = sorted(float(r[0]) for r, _ in res.roots)
    assert roots == pytest.approx([np.pi / 6, 5 * np.pi / 6], abs=1e-14) and not res.undecided


@pytest.mark.parametrize("vectorised", [True, False])
def test_search_finds_every_root_of_a_closed_form_system(vectorised, monkeypatch):
    # x^2 + y^2 = 4, y = x^3 - x: closed form by the resultant, 6 real roots at most
    eqs = [x**2 + y**2 - 4, y - x**3 + x]
    f = IntervalFunction(eqs, (x, y))
    jac = IntervalFunction(list(sp.Matrix(eqs).jacobian([x, y])), (x, y))
    if not vectorised:
        monkeypatch.setattr(f, "_compiled", None)
    f_num = sp.lambdify((x, y), eqs)
    j_num = sp.lambdify((x, y), sp.Matrix(eqs).jacobian([x, y]))
    res = krawczyk_search(
        f,
        jac,
        lambda v: np.array(f_num(*v), dtype=float),
        lambda v: np.array(j_num(*v), dtype=float),
        np.array([[-3.0, 3.0], [-3.0, 3.0]]),
    )
    xs = sorted(float(r[0]) for r, _ in res.roots)
    resultant = sp.Poly(x**2 + (x**3 - x) ** 2 - 4, x)
    expected = sorted(float(r) for r in resultant.real_roots())
    assert xs == pytest.approx(expected, abs=1e-12) and not res.undecided
    for r, box in res.roots:
        assert np.all((box[:, 0] <= r) & (r <= box[:, 1]))


def test_exp_and_log_allow_for_numpy_simd_error():
    # NumPy's AVX-512 exp and log are within 4 ulp, not correctly rounded: an enclosure
    # of a point reaches at least 4 ulp beyond the exact value on each side
    prog = IntervalFunction([sp.exp(x), sp.log(x)], [x]).program
    pts = np.array([[1e-300], [0.37], [1.0], [2.5], [700.0]])
    lo, hi, _ = prog(pts, pts)
    with mpmath.workdps(40):
        for row, v in enumerate(pts[:, 0]):
            for col, fn in enumerate((mpmath.exp, mpmath.log)):
                exact_value = fn(mpmath.mpf(v))
                ulp = mpmath.mpf(float(np.spacing(abs(float(exact_value)))))
                assert mpmath.mpf(lo[row, col]) <= exact_value - 4 * ulp
                assert mpmath.mpf(hi[row, col]) >= exact_value + 4 * ulp


def test_default_budget_covers_the_synergic_couple_past_its_fold():
    # alpha1 = 0.5 is just past the fold at alpha1 = 0.4987 where a pair of equilibria
    # near x2 = 27 is born; the 4000-box default used to run out before finding them
    m = dm.models.get("rinaldi-synergic")
    p = m.params(alpha1=0.5)
    eqs = dm.equilibria(m, p, options=dm.EquilibriumOptions(certify=False))
    assert eqs.complete and len(eqs) == 3
    found = np.array([e.state for e in eqs])
    assert np.sum(found[:, 1] > 20) == 2
    # every root Newton reaches from a grid of starts is one of the certified three
    reached = set()
    for x1 in np.linspace(0.2, 1.4, 7):
        for x2 in np.linspace(1.0, 30.0, 9):
            z, _, ok, _ = fsolve(lambda v: m.rhs(v, p), [x1, x2], full_output=True)
            if ok == 1 and np.max(np.abs(m.rhs(z, p))) < 1e-10 and np.all(z > 0):
                distance = np.max(np.abs(found - z), axis=1)
                assert distance.min() < 1e-6, z
                reached.add(int(distance.argmin()))
    assert len(reached) == 3  # the starts reach all three: the check above is not empty
