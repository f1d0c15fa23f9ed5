"""The flagship models: reduction, exact equilibria, symmetry, invariance, phenomena 1-9.

Each phenomenon of the paper (paper/paper.md, "Phenomena and model design") is tested in
the parameter region (preset) that the model documents for it, with quantitative,
falsifiable facts: numbers of equilibria and their stability from eigenvalues,
thresholds, periods, lags, switch times.

Equilibria of the full model are found here by Newton iteration (`scipy.optimize.root`)
from a grid of starts; that finds every equilibrium of these presets (it agrees with
long simulations) but is not a certificate. The 2-D equilibria are checked exactly.
"""

import itertools

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.integrate import solve_ivp
from scipy.optimize import root

import dyadmodel as dm
from dyadmodel.models.pursuer_distancer import REDUCTION_LIMIT

FULL = dm.models.get("pursuer-distancer")
TWO_D = dm.models.get("pursuer-distancer-2d")
A1, W1, A2, W2, F1, F2 = range(6)

# -- helpers ----------------------------------------------------------------------------


def integrate(model, params, x0, t_end, stress=0.0, t_eval=None, rtol=1e-9, atol=1e-11):
    """One solve_ivp run with fixed parameters and constant stress."""
    sol = solve_ivp(
        model.ode(params, inputs={"stress": stress}),
        (0.0, t_end),
        np.asarray(x0, dtype=float),
        method="LSODA",
        jac=model.ode_jacobian(params, inputs={"stress": stress}),
        t_eval=t_eval,
        rtol=rtol,
        atol=atol,
    )
    assert sol.success, sol.message
    return sol


def final(model, params, x0, t_end, stress=0.0):
    return integrate(model, params, x0, t_end, stress).y[:, -1]


def equilibria(params, stress=0.0, model=FULL):
    """All equilibria of the full model found from a 4^4 grid of starts, sorted by
    approach_1, each with its Jacobian eigenvalues."""
    f = model.ode(params, inputs={"stress": stress})
    jac = model.ode_jacobian(params, inputs={"stress": stress})
    found = []
    for a1, w1, a2, w2 in itertools.product((0.05, 0.3, 1.0, 3.0), repeat=4):
        x0 = [a1, w1, a2, w2, 0.5 * (a1 + w2), 0.5 * (a2 + w1)]
        r = root(lambda x: f(0.0, x), x0, jac=lambda x: jac(0.0, x), method="hybr", tol=1e-13)
        if not r.success or np.abs(f(0.0, r.x)).max() > 1e-10 or r.x.min() < -1e-9:
            continue
        if not any(np.abs(r.x - y).max() < 1e-6 for y in found):
            found.append(r.x)
    found.sort(key=lambda x: x[0])
    return [(x, np.linalg.eigvals(jac(0.0, x))) for x in found]


def n_unstable(eigenvalues, tol=1e-9):
    """How many eigenvalues have a positive real part (0: stable, 1: saddle, ...)."""
    return int(np.sum(eigenvalues.real > tol))


def label(model, x, params, eigenvalues):
    """The model's couple-vocabulary label of an equilibrium."""
    n_up = n_unstable(eigenvalues)
    n_down = int(np.sum(eigenvalues.real < -1e-9))
    return model.labeler(x, params, n_up == 0, n_up > 0 and n_down > 0)


def stable_states(params):
    return [x for x, ev in equilibria(params) if ev.real.max() < -1e-6]


DEFAULTS = FULL.params()
BALANCED, SADDLE, ENTRENCHED = (x for x, _ in equilibria(DEFAULTS))


# hypothesis strategies: moderate, admissible parameter values of both models
def _value(name):
    stem = name.rsplit("_", 1)[0]
    ranges = {
        "approach_baseline": (0.0, 1.0),
        "avoidance_baseline": (0.0, 1.0),
        "threshold": (0.3, 3.0),
        "recovery_rate": (0.2, 3.0),
        "frustration_rate": (0.01, 1.0),
    }
    lo, hi = ranges.get(stem, (0.0, 5.0))  # gains
    return st.floats(lo, hi, allow_nan=False, allow_infinity=False)


def params_of(model, fixed=None):
    fixed = dict(fixed or {})
    names = [n for n in model.parameter_names if n not in fixed]
    return st.fixed_dictionaries({n: _value(n) for n in names}).map(
        lambda d: model.params({**d, **fixed})
    )


def states_of(model, hi=3.0):
    return st.lists(st.floats(0.0, hi), min_size=model.n_states, max_size=model.n_states).map(
        np.array
    )


def swap(model, params, x=None):
    """The partner-swapped parameters (and state, and state permutation)."""
    smap, pmap = model.partner_swap["states"], model.partner_swap["parameters"]
    perm = [model.state_index(smap[s]) for s in model.state_names]
    q = model.params({pmap[k]: v for k, v in params.items()})
    return q, (None if x is None else np.asarray(x)[perm]), perm


# -- the reduction ------------------------------------------------------------------------


def test_reduction_is_exact_symbolically():
    """In the limit openness_1 = reassurance_1 = exhaustion_1 = shutdown_2 = 0 the
    (approach_1, avoidance_2) right-hand sides are those of pursuer-distancer-2d, with the
    same parameter names, and depend on no other state."""
    limit = {sp.Symbol(k, real=True): sp.Integer(0) for k in REDUCTION_LIMIT}
    rename = {
        sp.Symbol("approach_1", real=True): sp.Symbol("pursuit_1", real=True),
        sp.Symbol("avoidance_2", real=True): sp.Symbol("distance_2", real=True),
    }
    for full_index, reduced in zip((A1, W2), TWO_D.rhs_expr):
        expr = FULL.rhs_expr[full_index].xreplace(limit).xreplace(rename)
        assert sp.simplify(expr - reduced) == 0
        assert expr.free_symbols <= set(TWO_D.all_symbols)
    assert set(REDUCTION_LIMIT) == {"openness_1", "reassurance_1", "exhaustion_1", "shutdown_2"}
    assert set(TWO_D.parameter_names) <= set(FULL.parameter_names)


@settings(max_examples=30)
@given(params_of(FULL, fixed=REDUCTION_LIMIT), states_of(FULL), st.floats(0.0, 1.0))
def test_reduction_trajectories_agree(p, x0, stress):
    """Full-model trajectories, projected on (approach_1, avoidance_2), are 2-D ones."""
    q = TWO_D.params({k: p[k] for k in TWO_D.parameter_names})
    t = np.linspace(0.0, 20.0, 41)
    kw = dict(stress=stress, t_eval=t, rtol=1e-12, atol=1e-14)
    full = integrate(FULL, p, x0, 20.0, **kw).y
    reduced = integrate(TWO_D, q, x0[[A1, W2]], 20.0, **kw).y
    np.testing.assert_allclose(full[[A1, W2]], reduced, rtol=0, atol=1e-8)


def test_reduced_2d_preset_embeds_the_2d_equilibria():
    eqs = equilibria(FULL.preset("reduced-2d"))
    got = np.array([x[[A1, W2]] for x, _ in eqs])
    expected = [[(4 - 11**0.5) / 5] * 2, [0.5, 0.5], [(4 + 11**0.5) / 5] * 2]
    np.testing.assert_allclose(got, expected, atol=1e-10)
    assert [n_unstable(ev) for _, ev in eqs] == [0, 1, 0]


# -- the 2-D model's equilibria (as in the paper), exactly ---------------------------------


def _two_d_equilibrium_polynomial(a, c):
    """Eliminate y from x = b + a H(y), y = d + c H(x) (b = d = 1/10, K = 1, n = 2):
    the numerator of the remaining rational function of x, with exact coefficients."""
    x = sp.Symbol("x")
    b = sp.Rational(1, 10)
    y = b + c * x**2 / (1 + x**2)
    expr = sp.together(b + a * y**2 / (1 + y**2) - x)
    return x, sp.Poly(sp.numer(expr), x)


def test_2d_equilibria_are_exactly_the_design_values():
    x, poly = _two_d_equilibrium_polynomial(2, 2)
    # (2x - 1)(5x^2 - 8x + 1) = 0: x = 1/2 and x = (4 -+ sqrt(11))/5
    cubic = sp.Poly((2 * x - 1) * (5 * x**2 - 8 * x + 1), x)
    quotient, remainder = sp.div(poly, cubic)
    assert remainder.is_zero
    assert sp.real_roots(quotient) == []  # no other equilibrium, anywhere on the real line
    exact = [(4 - sp.sqrt(11)) / 5, sp.Rational(1, 2), (4 + sp.sqrt(11)) / 5]
    values = [float(v) for v in exact]
    assert [round(v, 4) for v in values] == [0.1367, 0.5, 1.4633]
    # exact residuals: the rhs vanishes identically at the exact values
    defaults = {sym: sp.nsimplify(TWO_D.params()[sym.name]) for sym in TWO_D.parameter_symbols}
    defaults[sp.Symbol("stress", real=True)] = 0
    state_symbols = TWO_D.state_symbols
    for v in exact:
        at = {**defaults, state_symbols[0]: v, state_symbols[1]: v}
        assert all(sp.simplify(e.xreplace(at)) == 0 for e in TWO_D.rhs_expr)
    p = TWO_D.params()
    kinds = []
    for v in values:
        state = np.array([v, v])  # the cubic is x = b + a H(x): y = x on each of its roots
        np.testing.assert_allclose(TWO_D.rhs(state, p), 0.0, atol=1e-15)
        ev = np.linalg.eigvals(TWO_D.jacobian(state, p))
        assert np.all(np.abs(ev.imag) == 0)
        kinds.append(n_unstable(ev))
    assert kinds == [0, 1, 0]  # stable node, saddle, stable node
    labels = [
        label(TWO_D, np.array([v, v]), p, np.linalg.eigvals(TWO_D.jacobian([v, v], p)))
        for v in values
    ]
    assert labels == ["balanced", "tipping threshold", "entrenched"]
    # the saddle's eigenvalues are -1 -+ 2 H'(1/2) = -1 -+ 1.28 exactly
    ev = np.sort(np.linalg.eigvals(TWO_D.jacobian([0.5, 0.5], p)).real)
    np.testing.assert_allclose(ev, [-2.28, 0.28], atol=1e-14)
    assert TWO_D.presets["anxious-avoidant"].values == {}


def test_2d_secure_preset_has_one_balanced_equilibrium():
    p = TWO_D.preset("secure")
    _, poly = _two_d_equilibrium_polynomial(sp.Rational(1, 2), sp.Rational(1, 2))
    roots = sp.real_roots(poly)
    assert len(roots) == 1
    v = float(roots[0])
    assert 0.1 < v < 0.11
    assert n_unstable(np.linalg.eigvals(TWO_D.jacobian([v, v], p))) == 0


# -- symmetry (phenomenon 4) and invariance ------------------------------------------------


@pytest.mark.parametrize("model", [TWO_D, FULL], ids=lambda m: m.name)
def test_partner_swap_is_exact_symbolically(model):
    """f_{S(k)}(x; p) = f_k(S x; S p), term by term, with no rounding anywhere."""
    smap, pmap = model.partner_swap["states"], model.partner_swap["parameters"]
    sub = {sp.Symbol(k, real=True): sp.Symbol(v, real=True) for k, v in {**smap, **pmap}.items()}
    for k, name in enumerate(model.state_names):
        swapped = model.rhs_expr[k].xreplace(sub)
        assert sp.simplify(swapped - model.rhs_expr[model.state_index(smap[name])]) == 0


@pytest.mark.parametrize("model", [TWO_D, FULL], ids=lambda m: m.name)
def test_partner_swap_maps_trajectories_exactly(model):
    """Integrating the swapped couple gives the swapped trajectory (roles follow the
    parameters, not the labels)."""

    @settings(max_examples=30)
    @given(params_of(model), states_of(model), st.floats(0.0, 1.0))
    def check(p, x0, stress):
        q, y0, perm = swap(model, p, x0)
        t = np.linspace(0.0, 15.0, 31)
        kw = dict(stress=stress, t_eval=t, rtol=1e-12, atol=1e-14)
        original = integrate(model, p, x0, 15.0, **kw).y
        swapped = integrate(model, q, y0, 15.0, **kw).y
        np.testing.assert_allclose(swapped, original[perm], rtol=0, atol=1e-9)

    check()


def test_swapped_default_couple_has_partner_2_pursuing():
    q, _, perm = swap(FULL, DEFAULTS)
    swapped = sorted((x for x, _ in equilibria(q)), key=lambda x: x[A2])
    for mine, theirs in zip(swapped, (BALANCED, SADDLE, ENTRENCHED)):
        np.testing.assert_allclose(mine, theirs[perm], atol=1e-8)
    assert swapped[-1][A2] > 1.3 and swapped[-1][W1] > 1.6  # partner 2 now pursues
    ev = np.linalg.eigvals(FULL.jacobian(swapped[-1], q))
    assert label(FULL, swapped[-1], q, ev) == "entrenched (partner 2 pursues)"


@pytest.mark.parametrize("model", [TWO_D, FULL], ids=lambda m: m.name)
def test_nonnegative_orthant_is_invariant(model):
    @settings(max_examples=40)
    @given(params_of(model), states_of(model), st.floats(0.0, 2.0), st.data())
    def check(p, x, stress, data):
        k = data.draw(st.integers(0, model.n_states - 1))
        x = x.copy()
        x[k] = 0.0
        assert model.rhs(x, p, inputs=stress)[k] >= 0.0

    check()

    @settings(max_examples=20)
    @given(params_of(model), states_of(model, hi=0.05), st.floats(0.0, 2.0))
    def trajectories(p, x0, stress):
        y = integrate(model, p, x0, 30.0, stress=stress).y
        assert y.min() >= -1e-10

    trajectories()


# -- phenomenon 1: mutual reinforcement ----------------------------------------------------


@settings(max_examples=40)
@given(params_of(FULL), states_of(FULL).map(lambda x: x + 1e-3), st.floats(0.0, 1.0))
def test_mutual_reinforcement_loop_gain_is_positive(p, x, stress):
    """Partner 2's distance raises partner 1's pursuit and vice versa, everywhere in the
    open orthant and for every parameter draw with positive gains (and the same for the
    loop in which partner 2 pursues)."""
    jac = FULL.jacobian(x, p, inputs=stress)
    if p["anxiety_gain_1"] > 1e-3 and p["avoidance_gain_2"] > 1e-3:
        assert jac[A1, W2] > 0 and jac[W2, A1] > 0
    if p["anxiety_gain_2"] > 1e-3 and p["avoidance_gain_1"] > 1e-3:
        assert jac[A2, W1] > 0 and jac[W1, A2] > 0


def test_loop_gain_exceeds_damping_exactly_at_the_saddle():
    """In the 2-D model the loop gain J_xy J_yx = 4 H'(x)^2 beats the self-damping
    J_xx J_yy = 1 at the saddle (1.6384) and not at the two stable states: the positive
    feedback loop is what creates the tipping point."""
    p = TWO_D.params()
    gains = []
    for v in ((4 - 11**0.5) / 5, 0.5, (4 + 11**0.5) / 5):
        jac = TWO_D.jacobian([v, v], p)
        gains.append(jac[0, 1] * jac[1, 0] / (jac[0, 0] * jac[1, 1]))
    assert gains[0] < 1 < gains[1] and gains[2] < 1
    assert gains[1] == pytest.approx(1.6384, abs=1e-12)


# -- phenomenon 2: stress moves the pursuer toward and the distancer away --------------------


def test_stress_raises_pursuit_and_distance_at_the_balanced_state():
    p = DEFAULTS
    h = 1e-6
    # one-sided (second order): stress is non-negative, its lower bound is 0
    f0, f1, f2 = (FULL.rhs(BALANCED, p, inputs=k * h) for k in (0, 1, 2))
    dfds = (-3 * f0 + 4 * f1 - f2) / (2 * h)
    dxds = -np.linalg.solve(FULL.jacobian(BALANCED, p), dfds)  # linear response
    assert dxds[A1] > 1.0 and dxds[W2] > 1.0  # measured 1.36 and 1.54
    assert abs(dxds[A2]) < 0.1 * dxds[A1]  # the distancer does not move toward
    # a small sustained stress step: the balanced state moves, the roles show
    after = final(FULL, p, BALANCED, 400.0, stress=0.02)
    assert after[A1] - BALANCED[A1] > 0.04 and after[W2] - BALANCED[W2] > 0.04
    assert abs(after[A2] - BALANCED[A2]) < 0.005
    # the same stress in the swapped couple moves partner 2 toward, partner 1 away
    q, y0, perm = swap(FULL, p, BALANCED)
    swapped = final(FULL, q, y0, 400.0, stress=0.02)
    np.testing.assert_allclose(swapped, after[perm], atol=1e-7)


# -- phenomenon 3: entrenchment is bistability with hysteresis -------------------------------


def test_default_couple_is_bistable():
    eqs = equilibria(DEFAULTS)
    assert [n_unstable(ev) for _, ev in eqs] == [0, 1, 0]
    assert [label(FULL, x, DEFAULTS, ev) for x, ev in eqs] == [
        "balanced",
        "tipping threshold",
        "entrenched (partner 1 pursues)",
    ]
    assert BALANCED[A1] < 0.2 and BALANCED[W2] < 0.2
    assert ENTRENCHED[A1] > 1.3 and ENTRENCHED[W2] > 1.6
    # sustained stress moves the balanced state toward the saddle until, at s = 0.0255,
    # they merge and only the entrenched state is left
    assert [n_unstable(ev) for _, ev in equilibria(DEFAULTS, stress=0.025)] == [0, 1, 0]
    assert [x[A1] > 1.0 for x, _ in equilibria(DEFAULTS, stress=0.026)] == [True]


@pytest.mark.parametrize(("amplitude", "tips"), [(0.3, True), (0.1, True), (0.02, False)])
def test_stress_pulse_tips_and_the_couple_stays_entrenched(amplitude, tips):
    """A pulse of stress for 5 time units from the balanced state; afterwards there is no
    stress at all, yet a large enough pulse leaves the couple entrenched (hysteresis)."""
    during = final(FULL, DEFAULTS, BALANCED, 5.0, stress=amplitude)
    after = integrate(FULL, DEFAULTS, during, 500.0, t_eval=[250.0, 500.0]).y.T
    target = ENTRENCHED if tips else BALANCED
    for state in after:
        np.testing.assert_allclose(state, target, atol=1e-5)


# -- phenomenon 5: cold withdrawal when efforts fail ----------------------------------------


def _upcrossings(p, x0, t_transient, t_end, level=1.0):
    def event(t, y):
        return y[A1] - level

    event.direction = 1
    sol = solve_ivp(
        FULL.ode(p),
        (0.0, t_end),
        x0,
        method="DOP853",
        rtol=1e-11,
        atol=1e-13,
        events=event,
        dense_output=True,
    )
    times = sol.t_events[0]
    return times[times > t_transient], sol


def test_pursue_withdraw_relaxation_cycles():
    p = FULL.preset("pursue-withdraw-cycles")
    eqs = equilibria(p)
    assert len(eqs) == 1 and n_unstable(eqs[0][1]) == 2  # an unstable focus: nothing to rest in
    crossings, sol = _upcrossings(p, np.full(6, 0.1), 300.0, 700.0)
    periods = np.diff(crossings)
    assert len(periods) >= 3
    period = periods[-1]
    assert np.ptp(periods) < 1e-3
    assert period == pytest.approx(86.79, abs=0.05)
    t0 = crossings[-2]
    np.testing.assert_allclose(sol.sol(t0 + period), sol.sol(t0), atol=1e-3)  # periodic
    t = np.linspace(t0, t0 + period, 4001)
    y = sol.sol(t)
    assert y[A1].max() > 1.9 and y[A1].min() < 0.11  # pursuit escalates, then collapses
    assert y[W2].max() > 1.85  # the distancer withdraws during pursuit
    assert y[W1].max() > 1.1  # cold withdrawal of the pursuer
    i_pursuit, i_frustration = np.argmax(y[A1]), np.argmax(y[F1])
    lag = (t[i_frustration] - t[i_pursuit]) % period
    assert 10.0 < lag < 30.0  # frustration, the slow variable, lags pursuit (19.3)
    i_low = np.argmin(y[A1])  # at the bottom of the withdrawal phase
    assert y[W1, i_low] > 5 * y[A1, i_low]
    assert np.mean(y[W1] > y[A1]) > 0.6  # most of each cycle is spent withdrawn


def test_collapse_into_mutual_withdrawal():
    p = FULL.preset("mutual-withdrawal")
    eqs = equilibria(p)
    assert len(eqs) == 1 and n_unstable(eqs[0][1]) == 0
    state = eqs[0][0]
    assert label(FULL, state, p, eqs[0][1]) == "mutual withdrawal"
    # from the default couple's pursue-distance pattern, before frustration has built
    start = ENTRENCHED.copy()
    start[[F1, F2]] = 0.0
    run = integrate(FULL, p, start, 800.0, t_eval=np.linspace(0, 800, 801)).y
    np.testing.assert_allclose(run[:, -1], state, atol=1e-6)
    assert state[W1] > 3.0 and state[W2] > 1.8  # both avoidances high
    assert state[A1] < 0.25 and state[A2] < 0.3  # both approaches low
    assert state[W1] > 10 * state[A1] and state[W2] > 5 * state[A2]
    assert state[A1] < ENTRENCHED[A1] / 5 and state[A2] < BALANCED[A2]
    assert run[A1, :50].max() > 1.3  # pursuit came first, and collapsed


# -- phenomenon 6: role reversal -----------------------------------------------------------


def test_role_reversal_when_the_pursuer_finally_withdraws():
    p = FULL.preset("role-reversal")
    eqs = equilibria(p)
    assert [n_unstable(ev) for _, ev in eqs] == [0, 1, 0]
    balanced, _, reversed_ = (x for x, _ in eqs)
    assert label(FULL, reversed_, p, eqs[2][1]) == "entrenched (partner 2 pursues)"
    assert reversed_[A2] > reversed_[A1] + 0.5 and reversed_[W1] > reversed_[W2] + 0.3
    # without an episode of stress the couple stays balanced
    np.testing.assert_allclose(final(FULL, p, balanced, 300.0), balanced, atol=1e-8)
    # a stress episode (0.3 for 5 time units), then none at all
    during = final(FULL, p, balanced, 5.0, stress=0.3)
    t = np.linspace(0.0, 1000.0, 20001)
    y = integrate(FULL, p, during, 1000.0, t_eval=t).y
    assert y[A1, 0] > y[A2, 0] + 0.4  # partner 1 pursues first
    switch = np.argmax(y[A2] > y[A1])
    assert 3.0 < t[switch] < 15.0  # partner 2's approach overtakes partner 1's
    assert y[F1, switch] > during[F1] and y[F1, switch] > 0.5  # after frustration built
    peak = np.argmax(y[A2, :4000])
    assert y[A2, peak] > 1.0 and y[A2, peak] > 4 * y[A1, peak]  # intense pursuit
    assert y[A2, peak] > 2 * balanced[A2] and y[A2, peak] > 3 * ENTRENCHED[A2]
    assert y[W1, peak] > y[W2, peak] + 0.5  # partner 1 is the one withdrawn now
    assert np.all(y[A2, switch:] > y[A1, switch:])  # and it stays reversed
    np.testing.assert_allclose(y[:, -1], reversed_, atol=1e-4)


# -- phenomenon 7: distancers open up most freely when not pushed ---------------------------


def _equilibrium_near(p, x0):
    r = root(lambda x: FULL.rhs(x, p), x0, jac=lambda x: FULL.jacobian(x, p), tol=1e-14)
    assert r.success
    return r.x


def test_less_pursuit_opens_the_distancer():
    h = 1e-4
    a1 = DEFAULTS["anxiety_gain_1"]
    up = _equilibrium_near(DEFAULTS.replace(anxiety_gain_1=a1 + h), BALANCED)
    down = _equilibrium_near(DEFAULTS.replace(anxiety_gain_1=a1 - h), BALANCED)
    d_approach_2 = (up[A2] - down[A2]) / (2 * h)
    assert d_approach_2 < -5e-4  # -0.0011: less pursuit, more approach from partner 2
    assert down[A1] < up[A1]
    # between the pattern and balance, partner 2's approach rises by 44 %
    assert BALANCED[A2] > 1.4 * ENTRENCHED[A2]


@pytest.mark.parametrize(("openness_2", "returns"), [(0.3, True), (0.0, False)])
def test_unilateral_change_returns_the_couple_to_balance(openness_2, returns):
    """The pursuer calls off the pursuit for a while (anxiety_gain_1 2.3 -> 1.68), then
    reverts. With the distancer opening up when not pushed (and reassuring the pursuer)
    that is enough to leave entrenchment for good; without openness it is not: the
    entrenched state then survives down to anxiety_gain_1 = 1.61 (1.75 with it)."""
    p = DEFAULTS.replace(openness_2=openness_2)
    entrenched = stable_states(p)[-1]
    during = final(FULL, p.replace(anxiety_gain_1=1.68), entrenched, 300.0)
    after = final(FULL, p, during, 400.0)
    target = stable_states(p)[0] if returns else entrenched
    np.testing.assert_allclose(after, target, atol=1e-6)


# -- phenomenon 8: interventions as parameter changes ---------------------------------------

INTERVENTIONS = {
    "pursuer self-soothing": {"anxiety_gain_1": 1.5},
    "distancer availability: less avoidance": {"avoidance_gain_2": 1.5},
    "distancer availability: regular small approach": {"approach_baseline_2": 1.0},
    "distancer availability: openness": {"openness_2": 2.0},
    "naming the cycle: all gains weaker": {
        "anxiety_gain_1": 0.8 * 2.3,
        "avoidance_gain_2": 0.8 * 2.3,
        "anxiety_gain_2": 0.8 * 0.3,
        "avoidance_gain_1": 0.8 * 0.3,
    },
}


@pytest.mark.parametrize("change", INTERVENTIONS.values(), ids=INTERVENTIONS.keys())
def test_intervention_removes_entrenchment_and_its_effect_outlasts_it(change):
    treated = DEFAULTS.replace(**change)
    eqs = equilibria(treated)
    assert len(eqs) == 1 and n_unstable(eqs[0][1]) == 0  # only one state left ...
    assert eqs[0][0][A1] < 0.15 and eqs[0][0][W2] < 0.16  # ... and it is balanced
    during = final(FULL, treated, ENTRENCHED, 300.0)
    np.testing.assert_allclose(during, eqs[0][0], atol=1e-4)
    after = final(FULL, DEFAULTS, during, 500.0)  # the intervention ends
    np.testing.assert_allclose(after, BALANCED, atol=1e-6)


def test_recovery_rates_are_time_scales_not_an_intervention():
    """Documented limitation: recovery_rate_i scales the whole rhs of A_i and W_i, so it
    moves no equilibrium, and faster rates make a given stress pulse tip the couple
    sooner. Regulation as damping is represented by weaker gains instead."""
    fast = DEFAULTS.replace(recovery_rate_1=2.0, recovery_rate_2=2.0)
    for x in (BALANCED, SADDLE, ENTRENCHED):
        np.testing.assert_allclose(FULL.rhs(x, fast), 0.0, atol=1e-10)
    assert len(equilibria(fast)) == 3
    outcome = {}
    for name, p in (("r=1", DEFAULTS), ("r=2", fast)):
        during = final(FULL, p, BALANCED, 10.0, stress=0.04)
        outcome[name] = final(FULL, p, during, 500.0)[A1] > 1.0
    assert outcome == {"r=1": False, "r=2": True}


# -- phenomenon 9 contrast: the secure couple ---------------------------------------------


def test_secure_couple_has_one_globally_attracting_balanced_state():
    p = FULL.preset("secure")
    eqs = equilibria(p)
    assert len(eqs) == 1 and n_unstable(eqs[0][1]) == 0
    state = eqs[0][0]
    assert state[A1] == pytest.approx(state[A2], abs=1e-12) and state[W1] < 0.2
    for corner in itertools.product((0.0, 3.0), repeat=4):
        x0 = np.array([*corner, 2.0, 2.0])
        np.testing.assert_allclose(final(FULL, p, x0, 400.0), state, atol=1e-6)


def test_every_preset_names_its_phenomenon():
    for model in (TWO_D, FULL):
        for name, preset in model.presets.items():
            assert "henomen" in preset.description or name == "reduced-2d", name
