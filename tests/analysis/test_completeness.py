"""'Complete' says where, and never drops a real equilibrium (issue: claims under any input).

Every registered model, parameters drawn by hypothesis within their bounds, is compared
with an independent dense multi-start root search (scipy's hybrid Powell method from a
Sobol' set of starts) over a box ten times the plotting range: every root it finds inside
the region of a "complete" answer must be in that answer.
"""

from __future__ import annotations

import math
import time

import numpy as np
import pytest
import sympy as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import root
from scipy.stats import qmc

import dyadmodel as dm
from dyadmodel.model import Model, Parameter, State, symbols

FAST_MODELS = [
    "pursuer-distancer-2d",
    "strogatz-linear",
    "rinaldi-linear",
    "laura-petrarch",
    "gone-with-the-wind",
    "liebovitch",
    "validating-couple",
    "coupled-oscillator",
]
SLOW_MODELS = ["pursuer-distancer", "rinaldi-synergic"]


@st.composite
def in_bounds(draw, model: Model):
    """Parameter values within their bounds, within a few units of the defaults."""
    values = {}
    for q in model.parameters:
        lo, hi = q.bounds
        d = q.default
        span = 2 * abs(d) + 1
        a, b = max(lo, d - span), min(hi, d + span)
        if not q.lower_inclusive and a == lo:
            a = lo + 1e-3 * (b - lo)
        values[q.name] = draw(st.floats(a, b, allow_nan=False).map(lambda v: round(v, 3)))
    try:
        return model.params(values)
    except dm.ParameterError:  # rounding stepped over a strict bound
        return model.params()


def multistart_roots(model: Model, p, box: np.ndarray, n: int = 256) -> list[np.ndarray]:
    """Roots found from ``n`` Sobol' starts in ``box`` by scipy's hybrid method."""
    starts = qmc.scale(qmc.Sobol(model.n_states, seed=1).random(n), box[:, 0], box[:, 1])
    f, jac = model.ode(p), model.ode_jacobian(p)
    out: list[np.ndarray] = []
    with np.errstate(all="ignore"):
        for x0 in starts:
            sol = root(lambda x: f(0.0, x), x0, jac=lambda x: jac(0.0, x), method="hybr")
            x = sol.x
            if not (sol.success and np.all(np.isfinite(x))):
                continue
            if np.max(np.abs(f(0.0, x))) > 1e-9 * max(1.0, np.max(np.abs(x))):
                continue
            if not any(np.allclose(x, y, rtol=1e-6, atol=1e-8) for y in out):
                out.append(x)
    return out


def ten_times_plot_box(model: Model) -> np.ndarray:
    plot = np.array(model.domain, dtype=float)
    centre, half = plot.mean(axis=1), 0.5 * (plot[:, 1] - plot[:, 0])
    box = np.column_stack([centre - 10 * half, centre + 10 * half])
    validity = np.array(model.validity, dtype=float)
    return np.column_stack([np.maximum(box[:, 0], validity[:, 0]), box[:, 1]])


def check_nothing_missing(model: Model, p) -> None:
    eqs = dm.equilibria(model, p)
    assert eqs.completeness.startswith(("complete in", "incomplete in", "not isolated in"))
    if not eqs.complete:
        return  # an honest "incomplete" (budget, degenerate) promises nothing
    region = np.asarray(eqs.domain)
    tol = 1e-7
    for x in multistart_roots(model, p, ten_times_plot_box(model)):
        inside = np.all((x >= region[:, 0] - tol) & (x <= region[:, 1] + tol))
        if not inside:
            continue
        found = [e.state for e in eqs]
        assert any(np.allclose(x, y, rtol=1e-6, atol=1e-7) for y in found), (
            f"{model.name} {p}: root {x} of the multi-start search is missing from {eqs!r}"
        )


@pytest.mark.parametrize("name", FAST_MODELS)
@settings(max_examples=4, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(data=st.data())
def test_complete_answers_miss_no_equilibrium(name, data):
    model = dm.models.get(name)
    check_nothing_missing(model, data.draw(in_bounds(model)))


@pytest.mark.slow
@pytest.mark.parametrize("name", FAST_MODELS + SLOW_MODELS)
@settings(max_examples=10, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(data=st.data())
def test_complete_answers_miss_no_equilibrium_exhaustive(name, data):
    model = dm.models.get(name)
    check_nothing_missing(model, data.draw(in_bounds(model)))


def test_rinaldi_linear_equilibrium_outside_the_plotting_range_is_reported():
    # was: 0 equilibria, complete=True (the search stopped at the plotting range)
    m = dm.models.get("rinaldi-linear")
    eqs = dm.equilibria(m, m.params(beta1=0.9, beta2=0.9))
    assert len(eqs) == 1 and eqs.complete and eqs.scope == "domain of validity"
    np.testing.assert_allclose(eqs[0].state, [10.0, 10.0], rtol=1e-12)
    assert not eqs[0].in_plot_range
    assert "outside the plotting range" in repr(eqs[0])


def _tanh_model() -> Model:
    x, y, a = symbols("x y a")
    return Model(
        "user-tanh",
        "a user's model with a saturating tanh term",
        [State("x", "x", domain=(0.0, 4.0)), State("y", "y", domain=(0.0, 4.0))],
        [Parameter("a", 2.4, "offset")],
        [1 + sp.tanh(y) - x, a + 2 * sp.tanh(x) - y],
    )


def test_tanh_model_keeps_its_stable_state_outside_the_plotting_range():
    m = _tanh_model()
    eqs = dm.equilibria(m)
    assert eqs.complete and eqs.scope == "domain of validity"  # box proved by contraction
    stable = [e for e in eqs if e.stable]
    assert len(stable) == 1 and not stable[0].in_plot_range
    x, y = stable[0].state
    assert x == pytest.approx(1 + math.tanh(y), abs=1e-12)
    assert y == pytest.approx(2.4 + 2 * math.tanh(x), abs=1e-12)
    assert y > 4.0


def test_without_a_provable_bound_the_answer_is_complete_in_a_box_only():
    x, y = symbols("x y")
    (c,) = symbols("c")
    m = Model(
        "user-unbounded",
        "no state can be bounded by contraction",
        [State("x", "x", domain=(-1.0, 1.0)), State("y", "y", domain=(-1.0, 1.0))],
        [Parameter("c", 2.0, "offset")],
        [sp.exp(x) - y - c, x - y],
    )
    eqs = dm.equilibria(m)
    assert eqs.scope == "box" and eqs.complete
    assert eqs.completeness.startswith("complete in the box") and eqs.completeness.endswith("only")
    assert "[-10, 10]" in eqs.completeness
    assert "complete in the box" in repr(eqs)
    # x = y with exp(x) = x + 2: two roots, x ~ -1.84 and x ~ 1.146 (outside [-1, 1])
    assert len(eqs) == 2
    for e in eqs:
        assert math.exp(e.state[0]) == pytest.approx(e.state[0] + 2, abs=1e-12)
        assert not e.in_plot_range


def test_user_box_is_stated_as_a_box():
    m = dm.models.get("pursuer-distancer-2d")
    eqs = dm.equilibria(m, domain=[(0, 1), (0, 1)])
    assert eqs.completeness == "complete in the box pursuit_1 in [0, 1], distance_2 in [0, 1] only"
    assert len(eqs) == 2


def test_the_word_complete_never_stands_alone():
    for name in FAST_MODELS:
        text = repr(dm.equilibria(dm.models.get(name)))
        assert "complete=" not in text
        assert "complete in the domain of validity" in text or "complete in the box" in text


@pytest.mark.parametrize(
    ("name", "values", "inputs"),
    [
        ("pursuer-distancer-2d", {}, {"stress": 1e300}),
        ("pursuer-distancer", "random", None),
    ],
)
def test_time_budget_ends_a_hard_search_honestly(name, values, inputs):
    m = dm.models.get(name)
    if values == "random":  # 15-digit values: huge resultants (hung for > 100 s before)
        rng = np.random.default_rng(1)
        values = {
            q.name: float(rng.uniform(max(q.bounds[0], 0) + 0.01, min(q.bounds[1], 5)))
            for q in m.parameters
            if not q.name.startswith(("recovery", "frustration"))
        }
    start = time.monotonic()
    eqs = dm.equilibria(
        m, m.params(values), inputs=inputs, options=dm.EquilibriumOptions(max_seconds=2.0)
    )
    elapsed = time.monotonic() - start
    assert elapsed < 20.0  # the budget, the worker's start, certification (and machine load)
    if not eqs.complete:
        assert "budget" in eqs.budget and eqs.completeness.startswith("incomplete in")


def test_tiny_threshold_within_bounds_works():
    # threshold_1 = 5e-324 raised OverflowError (float of a huge rational at a pole check)
    m = dm.models.get("pursuer-distancer-2d")
    for k in (5e-324, 1e-100):
        eqs = dm.equilibria(m, m.params(threshold_1=k))
        assert eqs.complete and len(eqs) >= 1
        for e in eqs:
            assert np.all(np.abs(m.rhs(e.state, m.params(threshold_1=k))) < 1e-9)


def test_options_are_checked_with_the_package_errors():
    with pytest.raises(dm.InvalidInputError, match="max_seconds"):
        dm.EquilibriumOptions(max_seconds=-1)
    with pytest.raises(dm.InvalidInputError, match="max_boxes"):
        dm.EquilibriumOptions(max_boxes=10**12)
    with pytest.raises(dm.InvalidInputError, match="not finite"):
        dm.equilibria(dm.models.get("strogatz-linear"), domain=[(0, math.inf), (0, 1)])


@pytest.mark.parametrize(
    "values",
    [
        # equilibria on the edge x1 = 0 of the domain of validity (zero appeals), found by
        # the slow exhaustive test: one was dropped (a contraction box rounded to nearest,
        # not outward), another crashed on the compiled Jacobian's removable 0/0 there
        dict(beta1=0.0, gamma1=0.0, bA1=0.0, bA2=0.0, A2=0.0, alpha2=1.156, beta2=1.0),
        dict(beta1=0.0, gamma1=0.0, gamma2=0.0, bA1=0.0, bA2=0.0, A1=0.0, A2=0.0, n2=1.5),
    ],
)
def test_synergic_equilibria_on_the_edge_of_the_domain(values):
    m = dm.models.get("rinaldi-synergic")
    base = dict(alpha1=1.0, alpha2=1.0, k1=1.0, k2=1.0, n1=1.0, n2=1.0, m1=1.0, m2=1.0)
    p = m.params({**base, **values})
    eqs = dm.equilibria(m, p)
    assert eqs.complete and len(eqs) == 1
    e = eqs[0]
    assert e.state[0] == 0.0 and np.all(np.abs(m.rhs(e.state, p)) < 1e-12)
    assert e.stable  # classified from the Jacobian with the parameters substituted first
    check_nothing_missing(m, p)


def test_functions_without_an_interval_rule_are_refused_clearly():
    x, y = symbols("x y")
    m = Model(
        "user-atan",
        "atan has no interval rule",
        [State("x", "x"), State("y", "y")],
        [],
        [sp.atan(y) - x, x - y],
    )
    with pytest.raises(dm.ComputationError, match=r"no certified interval rule for atan"):
        dm.equilibria(m)


def test_abs_sqrt_log_and_real_powers_are_searched_where_they_are_defined():
    cases = [
        ({"x": "-x + abs(y) + 0.5", "y": "-y + x - 1"}, [(0.75, -0.25)]),
        ({"x": "-x + sqrt(y)", "y": "2 - y - x"}, [(1.0, 1.0)]),
        ({"x": "-x + y**1.5", "y": "2 - y - x"}, [(1.0, 1.0)]),
    ]
    for equations, expected in cases:
        eqs = dm.equilibria(dm.Model.from_equations(equations))
        assert eqs.complete
        np.testing.assert_allclose([e.state for e in eqs], expected, atol=1e-12)


def test_empty_proved_boxes_and_edge_points_found_by_the_exhaustive_run():
    # negative appeals: the proved box is empty (no equilibrium with R, S >= 0); the
    # interval library refused the reversed box ("endpoints must be properly ordered")
    m = dm.models.get("gone-with-the-wind")
    eqs = dm.equilibria(m, m.params(A_S=0.0, A_R=-1.0, k=1.0))
    assert eqs.complete and len(eqs) == 0
    check_nothing_missing(m, m.params(A_S=0.0, A_R=-1.0, k=1.0))
    # an equilibrium on x1 = 0 whose certification box reached below 0 (x**1 as a real
    # power there): reported, on the edge, never below it
    s = dm.models.get("rinaldi-synergic")
    p = s.params(alpha1=0.333, alpha2=1.132, beta1=0.0, gamma1=0.0, gamma2=2.374, A1=0.771)
    p = p.replace(bA1=0.0, bA2=0.0, A2=0.0, k2=2.039)
    (e,) = dm.equilibria(s, p)
    assert e.state[0] == 0.0 and e.stable
