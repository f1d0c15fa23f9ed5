"""All equilibria, certified: closed forms, completeness, agreement with simulation."""

import math

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.integrate import solve_ivp

import dyadmodel as dm
from dyadmodel.model import Model, Parameter, State, symbols

PD2 = dm.models.get("pursuer-distancer-2d")


def invariant_box(p):
    """x in [b1, b1 + a1], y in [d2, d2 + c2] holds every equilibrium of the 2D flagship."""
    return [
        (0.0, p["approach_baseline_1"] + p["anxiety_gain_1"] + 0.5),
        (0.0, p["avoidance_baseline_2"] + p["avoidance_gain_2"] + 0.5),
    ]


def test_flagship_defaults_have_the_design_equilibria_in_closed_form():
    """The paper's balanced (0.1367, 0.1367), saddle (0.5, 0.5), entrenched (1.4633, 1.4633).

    On the diagonal x = 0.1 + 2x^2/(1 + x^2), i.e. x^3 - 2.1x^2 + x - 0.1 =
    (x - 1/2)(x^2 - 8x/5 + 1/5) = 0, so x = 1/2 and x = 4/5 -+ sqrt(11)/5.
    """
    eqs = dm.equilibria(PD2)
    assert eqs.complete and not eqs.degenerate
    expected = [0.8 - math.sqrt(11) / 5, 0.5, 0.8 + math.sqrt(11) / 5]
    assert len(eqs) == 3
    for e, x in zip(eqs, expected):
        np.testing.assert_allclose(e.state, [x, x], rtol=0, atol=1e-14)
        assert e.residual < 1e-14
        assert e.enclosure is not None
        assert np.all((e.enclosure[:, 0] <= e.state) & (e.state <= e.enclosure[:, 1]))
        assert np.all(e.enclosure[:, 1] - e.enclosure[:, 0] < 1e-6)
    assert [e.kind for e in eqs] == ["stable node", "saddle", "stable node"]
    # saddle eigenvalues: J = [[-1, h], [h, -1]] with h = 2*2*x/(1+x^2)^2 = 1.28 at x = 1/2
    np.testing.assert_allclose(sorted(eqs[1].eigenvalues.real), [-2.28, 0.28], atol=1e-13)


def dec(lo, hi):
    """Parameter values as a user would type them (4 decimals)."""
    return st.floats(lo, hi).map(lambda v: round(v, 4))


@st.composite
def flagship_params(draw):
    g = dec(0.0, 4.0)
    return PD2.params(
        approach_baseline_1=draw(dec(0.0, 0.5)),
        anxiety_gain_1=draw(g),
        avoidance_baseline_2=draw(dec(0.0, 0.5)),
        avoidance_gain_2=draw(g),
        threshold_1=draw(dec(0.3, 2.0)),
        threshold_2=draw(dec(0.3, 2.0)),
        recovery_rate_1=draw(dec(0.2, 3.0)),
        recovery_rate_2=draw(dec(0.2, 3.0)),
    )


@given(flagship_params(), dec(0.0, 1.0))
def test_index_theory_and_residuals_on_random_draws(p, stress):
    """In a forward-invariant box the indices sum to +1: nodes - saddles = 1."""
    eqs = dm.equilibria(PD2, p, domain=invariant_box(p), inputs={"stress": stress})
    assert eqs.complete
    assert all(e.residual < 1e-10 for e in eqs)
    if all(e.n_neutral == 0 for e in eqs):
        nodes = sum(1 for e in eqs if e.stable or (e.n_unstable == 2))
        saddles = sum(1 for e in eqs if e.is_saddle)
        assert nodes - saddles == 1
        assert len(eqs) in (1, 3, 5)


@pytest.mark.slow  # over the 4-minute default run (issue 13 §5); CI runs it
@settings(max_examples=12)
@given(flagship_params())
def test_no_trajectory_ends_anywhere_but_at_a_reported_attractor(p):
    """A dense 12 x 12 grid of starts, integrated together, ends at reported stable points."""
    box = np.array(invariant_box(p))
    eqs = dm.equilibria(PD2, p, domain=box)
    stable = np.array([e.state for e in eqs if e.stable])
    g = np.linspace(0.01, 0.99, 12)
    X0 = np.array(np.meshgrid(box[0, 0] + g * np.ptp(box[0]), box[1, 0] + g * np.ptp(box[1])))
    X0 = X0.reshape(2, -1)
    n = X0.shape[1]

    def f(t, y):
        return PD2.rhs(y.reshape(2, n), p).ravel()

    rate = min(p["recovery_rate_1"], p["recovery_rate_2"])
    sol = solve_ivp(f, (0, 400 / rate), X0.ravel(), rtol=1e-9, atol=1e-11, method="LSODA")
    ends = sol.y[:, -1].reshape(2, n)
    # a start exactly on a stable manifold of a saddle may end at the saddle: allow saddles
    targets = np.array([e.state for e in eqs if e.stable or e.is_saddle])
    dist = np.min(np.linalg.norm(ends[:, :, None] - targets.T[:, None, :], axis=0), axis=1)
    assert np.all(dist < 1e-3), ends[:, dist >= 1e-3]
    assert len(stable) >= 1


@settings(max_examples=15)
@given(flagship_params())
def test_each_stable_equilibrium_attracts_a_nearby_trajectory(p):
    for e in dm.equilibria(PD2, p, domain=invariant_box(p)):
        if not e.stable:
            continue
        slowest = -max(e.eigenvalues.real)
        x0 = e.state + 1e-3
        sol = solve_ivp(PD2.ode(p), (0, 30 / slowest), x0, rtol=1e-10, atol=1e-12)
        assert np.linalg.norm(sol.y[:, -1] - e.state) < 1e-6


@settings(max_examples=10)
@given(flagship_params())
def test_exact_and_interval_methods_agree(p):
    box = invariant_box(p)
    a = dm.equilibria(PD2, p, domain=box)
    b = dm.equilibria(PD2, p, domain=box, options=dm.EquilibriumOptions(method="interval"))
    assert a.complete
    if b.complete:
        assert len(a) == len(b)
        for x, y in zip(a, b):
            np.testing.assert_allclose(x.state, y.state, atol=1e-9)
    else:  # the interval method may give up near a fold, but never lists a wrong point
        for y in b:
            assert min(np.linalg.norm(x.state - y.state) for x in a) < 1e-9


def test_full_flagship_contains_the_reduced_equilibria():
    m = dm.models.get("pursuer-distancer")
    p = m.params(
        anxiety_gain_1=2.0,
        avoidance_gain_2=2.0,
        openness_1=0.0,
        reassurance_1=0.0,
        exhaustion_1=0.0,
        shutdown_2=0.0,
    )
    eqs = dm.equilibria(m, p, domain=[(0, 5)] * 6)
    assert eqs.complete
    reduced = dm.equilibria(PD2, PD2.params())
    i, j = m.state_index("approach_1"), m.state_index("avoidance_2")
    got = sorted((round(e.state[i], 10), round(e.state[j], 10)) for e in eqs)
    want = sorted((round(e.state[0], 10), round(e.state[1], 10)) for e in reduced)
    assert got == want


def test_linear_models_closed_forms():
    """Rinaldi (1998) linear couple: x* solves [[a1, -b1], [-b2, a2]] x = [g1 A2, g2 A1]."""
    m = dm.models.get("rinaldi-linear")
    p = m.params()
    eqs = dm.equilibria(m, p, domain=[(-50, 50), (-50, 50)])
    M = np.array([[p["alpha1"], -p["beta1"]], [-p["beta2"], p["alpha2"]]])
    rhs = np.array([p["gamma1"] * p["A2"], p["gamma2"] * p["A1"]])
    assert len(eqs) == 1 and eqs.complete
    np.testing.assert_allclose(eqs[0].state, np.linalg.solve(M, rhs), rtol=1e-12)
    stable = p["alpha1"] * p["alpha2"] > p["beta1"] * p["beta2"]
    assert eqs[0].stable is stable


def test_strogatz_centre_and_singular_case():
    m = dm.models.get("strogatz-linear")
    eqs = dm.equilibria(m, m.params(a=0.0, b=1.0, c=-1.0, d=0.0))
    assert [e.kind for e in eqs] == ["centre"] and eqs.complete
    # singular matrix: a line of equilibria R + J = 0 is reported as degenerate
    eqs = dm.equilibria(m, m.params(a=1.0, b=1.0, c=2.0, d=2.0))
    assert not eqs.complete and len(eqs) == 0
    assert "continuum" in eqs.degenerate and "R = -J" in eqs.degenerate
    eqs = dm.equilibria(m, m.params(a=0.0, b=0.0, c=0.0, d=0.0))
    assert eqs.degenerate and not eqs.complete


def _line_model():
    """exp(x) (y - x), exp(y) (x - y): a line of equilibria that no box can certify."""
    x, y, k = symbols("x y k")
    return Model(
        "line",
        "line of equilibria",
        [State("x", "x", domain=(-1, 1)), State("y", "y", domain=(-1, 1))],
        [Parameter("k", 1.0, "k")],
        [k * sp.exp(x) * (y - x), k * sp.exp(y) * (x - y)],
    )


def test_budget_exhausted_is_reported_incomplete_not_shorter():
    m = _line_model()
    eqs = dm.equilibria(m, m.params(), options=dm.EquilibriumOptions(max_boxes=200))
    assert not eqs.complete
    assert len(eqs.undecided) > 0
    # no root is dropped: every point of the line x = y lies in an undecided box
    lo, hi = eqs.undecided[:, :, 0], eqs.undecided[:, :, 1]
    for t in np.linspace(-1, 1, 401):
        inside = np.all((lo <= t + 1e-12) & (t - 1e-12 <= hi), axis=1)
        assert inside.any(), t


def test_interval_search_certifies_transcendental_models():
    """Liebovitch et al. (2008): symmetric b = 0 has x = y = 0 and, when c^2 > m^2,
    the two roots of m x = c tanh(x)."""
    m = dm.models.get("liebovitch")
    p = m.params(m1=1.0, m2=1.0, b1=0.0, b2=0.0, c1=2.0, c2=2.0)
    eqs = dm.equilibria(m, p, domain=[(-3, 3), (-3, 3)])
    assert eqs.complete and len(eqs) == 3
    root = float(sp.nsolve(sp.Symbol("x") - 2 * sp.tanh(sp.Symbol("x")), 1.9))
    np.testing.assert_allclose([e.state[0] for e in eqs], [-root, 0.0, root], atol=1e-12)
    assert [e.kind for e in eqs] == ["stable node", "saddle", "stable node"]


@pytest.mark.parametrize(
    ("domain", "message"),
    [
        ([(0, 1)], r"expected \(2, 2\)"),
        ([(0, 1), (2, 1)], "is empty: low must be < high"),
        ([(0, math.nan), (0, 1)], "is not finite"),
        ("abc", "expected 2 pairs"),
    ],
)
def test_bad_domains_are_rejected(domain, message):
    with pytest.raises(ValueError, match=message):
        dm.equilibria(PD2, domain=domain)


def test_options_validate_and_print_defaults():
    assert "max_boxes=4000" in repr(dm.EquilibriumOptions())
    with pytest.raises(ValueError, match="method = 'newton'"):
        dm.EquilibriumOptions(method="newton")
    with pytest.raises(ValueError, match="exact algebra does not apply"):
        dm.equilibria(dm.models.get("liebovitch"), options=dm.EquilibriumOptions(method="exact"))


@pytest.mark.slow  # over the 4-minute default run (issue 13 §5); CI runs it
@given(flagship_params(), st.sampled_from(["anxiety_gain_1", "avoidance_gain_2", "threshold_1"]))
def test_sensitivity_matches_finite_differences(p, name):
    eqs = dm.equilibria(PD2, p, domain=invariant_box(p))
    e = eqs[0]
    if abs(np.prod(e.eigenvalues.real)) < 1e-3:
        return  # too close to a fold for a finite difference
    s = dm.sensitivity(PD2, p, e, name)
    h = 1e-6
    q = p.replace(**{name: p[name] + h})
    moved = dm.equilibria(PD2, q, domain=invariant_box(p))
    nearest = min(moved, key=lambda f: np.linalg.norm(f.state - e.state))
    fd = (nearest.state - e.state) / h
    np.testing.assert_allclose(s.derivative, fd, rtol=1e-3, atol=1e-5)
    # the closed form agrees with the numbers
    env = dict(zip(PD2.all_symbols, [*e.state, *p.values(), 0.0]))
    closed = np.array([float(v) for v in s.expression.evalf(subs=env)])
    np.testing.assert_allclose(closed, s.derivative, rtol=1e-10, atol=1e-14)


PD6 = dm.models.get("pursuer-distancer")


@st.composite
def full_params(draw):
    """Random couples around the anxious/avoidant default, frustration included."""
    values = {}
    for i in (1, 2):
        values[f"anxiety_gain_{i}"] = draw(dec(0.0, 3.0))
        values[f"avoidance_gain_{i}"] = draw(dec(0.0, 3.0))
        values[f"openness_{i}"] = draw(dec(0.0, 0.6))
        values[f"exhaustion_{i}"] = draw(dec(0.0, 1.0))
        values[f"shutdown_{i}"] = draw(dec(0.0, 1.0))
        values[f"reassurance_{i}"] = draw(dec(0.0, 1.0))
    return PD6.params(values)


@pytest.mark.slow  # over the 4-minute default run (issue 13 §5); CI runs it
@settings(max_examples=8)
@given(full_params())
def test_full_flagship_no_missed_attractors(p):
    """Starts spread over the equilibrium box end at a reported stable equilibrium, or on
    a periodic orbit (never at an unreported point)."""
    eqs = dm.equilibria(PD6, p)
    assert eqs.complete
    assert all(e.residual < 1e-10 and e.enclosure is not None for e in eqs)
    box = np.array(PD6.equilibrium_domain(p))
    rng = np.random.default_rng(1)
    n = 16
    X0 = box[:, :1] + (box[:, 1:] - box[:, :1]) * rng.random((6, n))

    def f(t, y):
        return PD6.rhs(y.reshape(6, n), p).ravel()

    sol = solve_ivp(f, (0, 800), X0.ravel(), rtol=1e-8, atol=1e-10, method="LSODA")
    ends = sol.y[:, -1].reshape(6, n)
    speeds = np.linalg.norm(PD6.rhs(ends, p), axis=0)
    targets = np.array([e.state for e in eqs if e.stable or e.label == "tipping threshold"])
    for k in range(n):
        if speeds[k] < 1e-6:  # settled: must be a reported equilibrium
            assert len(targets) and np.min(np.linalg.norm(targets - ends[:, k], axis=1)) < 1e-4
        else:  # still moving: slow manifolds (rates ~0.006 occur), a cycle, or a miss
            out = dm.classify_trajectory(PD6, p, ends[:, k], t_max=4000)
            assert out.kind in ("periodic", "equilibrium"), out
            if out.kind == "equilibrium":
                assert np.min(np.linalg.norm(targets - out.equilibrium, axis=1)) < 1e-4


def test_distancer_opens_up_when_not_pushed():
    """Phenomenon 7 of the paper, 'distancers open up most freely when they aren't being
    pushed' (Lerner 2012): at the balanced equilibrium of the default couple, lowering
    partner 1's pursuit gain raises partner 2's approach (comparative statics), and it
    also lowers partner 2's distance."""
    p = PD6.params()
    balanced = next(e for e in dm.equilibria(PD6, p) if e.label == "balanced")
    s = dm.sensitivity(PD6, p, balanced, "anxiety_gain_1")
    assert s.of("approach_2") < 0  # d approach_2 / d anxiety_gain_1 < 0
    assert s.of("avoidance_2") > 0
    # the finite change agrees in sign and size
    q = p.replace(anxiety_gain_1=p["anxiety_gain_1"] - 0.01)
    moved = min(dm.equilibria(PD6, q), key=lambda e: np.linalg.norm(e.state - balanced.state))
    i = PD6.state_index("approach_2")
    np.testing.assert_allclose(
        moved.state[i] - balanced.state[i], -0.01 * s.of("approach_2"), rtol=0.05
    )


def test_a_state_on_the_boundary_with_a_rational_power_is_classified():
    """rinaldi-synergic with m1 = 1.312 has an equilibrium on x2 = 0, where the compiled
    Jacobian is not finite; its exact evaluation made sympy's perfect-power test overflow
    (OverflowError from dm.equilibria, found by the exhaustive completeness test)."""
    m = dm.models.get("rinaldi-synergic")
    values = dict(alpha1=1.0, alpha2=1.0, beta1=0.0, beta2=0.0, gamma1=1.0, gamma2=0.0)
    values.update(bA1=3.0, bA2=0.0, A1=0.0, A2=0.312, k1=1.0, k2=1.0, n1=1.0, n2=1.0)
    values.update(m1=1.312, m2=1.0, sigma1=1.0, sigma2=1.0)
    eqs = dm.equilibria(m, m.params(**values))
    assert eqs.complete and len(eqs) == 1
    (e,) = eqs
    assert e.state[1] == 0.0 and e.kind == "stable node"
    assert sorted(np.real(e.eigenvalues)) == pytest.approx([-1.0, -0.560417], abs=1e-6)
