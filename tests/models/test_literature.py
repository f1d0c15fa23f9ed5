"""The literature models reproduce the results published for them.

Each test names its source. Only numpy/scipy are used (``model.rhs``, ``model.jacobian``,
``model.ode`` with `scipy.integrate.solve_ivp`), so these tests check the model
definitions independently of the package's analysis modules. Equilibria of the planar
nonlinear models are counted by reducing the two equilibrium equations to one along a
nullcline that can be solved explicitly, then bracketing sign changes on a fine grid.
"""

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy.integrate import solve_ivp
from scipy.optimize import brentq, fsolve
from scipy.signal import find_peaks

import dyadmodel as dm

STROGATZ = dm.models.get("strogatz-linear")
RINALDI = dm.models.get("rinaldi-linear")
PETRARCH = dm.models.get("laura-petrarch")
SYNERGIC = dm.models.get("rinaldi-synergic")
GWTW = dm.models.get("gone-with-the-wind")
LIEBOVITCH = dm.models.get("liebovitch")
VALIDATING = dm.models.get("validating-couple")
OSCILLATOR = dm.models.get("coupled-oscillator")


def integrate(model, p, x0, t_end, *, t_eval=None, rtol=1e-10, atol=1e-12, method="LSODA"):
    # only the implicit methods use a Jacobian (explicit ones warn when given one)
    jac = {"jac": model.ode_jacobian(p)} if method in ("LSODA", "Radau", "BDF") else {}
    sol = solve_ivp(
        model.ode(p),
        (0.0, t_end),
        np.asarray(x0, dtype=float),
        method=method,
        t_eval=t_eval,
        rtol=rtol,
        atol=atol,
        **jac,
    )
    assert sol.success, sol.message
    return sol


def eigenvalues(model, p, x):
    return np.linalg.eigvals(model.jacobian(np.asarray(x, dtype=float), p))


def sign_change_roots(g, lo, hi, n=40001):
    """All roots on [lo, hi] of a scalar function ``g`` (vectorised over its argument)
    that change sign between the points of a fine grid."""
    s = np.linspace(lo, hi, n)
    sign = np.sign(g(s))
    idx = np.nonzero(sign[:-1] * sign[1:] < 0)[0]
    roots = [brentq(g, s[i], s[i + 1], xtol=1e-14) for i in idx]
    return sorted([*roots, *s[sign == 0]])  # a root may fall on a grid point


def stability(lam, tol=1e-9):
    """'stable', 'saddle' or 'unstable' for hyperbolic eigenvalues (planar systems)."""
    assert np.all(np.abs(lam.real) > tol), f"non-hyperbolic: {lam}"
    if np.all(lam.real < 0):
        return "stable"
    return "saddle" if lam.real.min() < 0 else "unstable"


def peak_times(t, y):
    return t[find_peaks(y)[0]]


# -- Strogatz (1988); Strogatz, Nonlinear Dynamics and Chaos, section 5.3 ------------------


@given(
    b=st.floats(0.2, 3.0),
    c=st.floats(-3.0, -0.2),
    r0=st.floats(-2.0, 2.0),
    j0=st.floats(-2.0, 2.0),
)
def test_strogatz_fickle_lover_is_a_centre_with_period_2pi_over_sqrt_minus_bc(b, c, r0, j0):
    """Strogatz (1988): with a = d = 0 and b > 0 > c the feelings cycle forever; the
    orbit is closed with period 2*pi/sqrt(-bc), and half a period later both feelings
    have the opposite sign (love has turned into hate)."""
    assume(np.hypot(r0, j0) > 0.1)
    p = STROGATZ.params(a=0.0, b=b, c=c, d=0.0)
    period = 2 * np.pi / np.sqrt(-b * c)
    sol = integrate(
        STROGATZ,
        p,
        [r0, j0],
        period,
        t_eval=[0.5 * period, period],
        rtol=1e-12,
        atol=1e-13,
        method="DOP853",
    )
    scale = max(1.0, np.hypot(r0, j0))
    np.testing.assert_allclose(sol.y[:, 1], [r0, j0], atol=1e-6 * scale)
    np.testing.assert_allclose(sol.y[:, 0], [-r0, -j0], atol=1e-6 * scale)


@settings(max_examples=10)
@given(b=st.floats(0.3, 3.0), c=st.floats(-3.0, -0.3))
def test_strogatz_simultaneous_love_one_quarter_of_the_time(b, c):
    """Strogatz (1988): Romeo and Juliet "manage to achieve simultaneous love one quarter
    of the time"."""
    p = STROGATZ.params(a=0.0, b=b, c=c, d=0.0)
    period = 2 * np.pi / np.sqrt(-b * c)
    t = np.linspace(0.0, 20 * period, 200_001)
    sol = integrate(STROGATZ, p, [1.0, 0.3], t[-1], t_eval=t, rtol=1e-10, method="DOP853")
    both = np.mean((sol.y[0] > 0) & (sol.y[1] > 0))
    assert both == pytest.approx(0.25, abs=2e-3)


@given(a=st.floats(-3, 3), b=st.floats(-3, 3), c=st.floats(-3, 3), d=st.floats(-3, 3))
def test_strogatz_trace_determinant_classification(a, b, c, d):
    """Strogatz section 5.2/5.3: the eigenvalues satisfy lambda1 + lambda2 = tau = a + d and
    lambda1 lambda2 = Delta = ad - bc; Delta < 0 is a saddle; Delta > 0 is stable iff
    tau < 0, and a focus (spiral) iff tau^2 < 4 Delta."""
    p = STROGATZ.params(a=a, b=b, c=c, d=d)
    tau, delta = a + d, a * d - b * c
    lam = eigenvalues(STROGATZ, p, [0.3, -0.7])  # linear: the same everywhere
    np.testing.assert_allclose(lam.sum().real, tau, atol=1e-9)
    np.testing.assert_allclose((lam[0] * lam[1]).real, delta, atol=1e-9)
    if delta < -0.05:
        assert np.all(np.abs(lam.imag) < 1e-12)
        assert lam.real.min() < 0 < lam.real.max()
    elif delta > 0.05 and abs(tau) > 0.05:
        assert np.all(lam.real < 0) == (tau < 0)
        if abs(tau**2 - 4 * delta) > 0.05:
            assert bool(np.any(np.abs(lam.imag) > 1e-12)) == (tau**2 < 4 * delta)


def test_strogatz_cautious_lovers_fizzle_out_when_caution_dominates():
    """Strogatz section 5.3: identical cautious lovers with a^2 > b^2 end in mutual
    indifference, from any start."""
    p = STROGATZ.preset("cautious-lovers-apathy")
    for x0 in ([2.0, -1.0], [-1.5, -1.5], [0.1, 1.9]):
        sol = integrate(STROGATZ, p, x0, 30.0)
        assert np.abs(sol.y[:, -1]).max() < 1e-8


@given(r0=st.floats(-2.0, 2.0), j0=st.floats(-2.0, 2.0))
def test_strogatz_responsive_cautious_lovers_end_in_love_fest_or_war(r0, j0):
    """Strogatz section 5.3: with a^2 < b^2 the relationship is "explosive": a love fest
    if R0 + J0 > 0, a war if R0 + J0 < 0, and the feelings become mutual (R/J -> 1)."""
    assume(abs(r0 + j0) > 0.05)
    p = STROGATZ.preset("cautious-lovers-love-fest-or-war")  # eigenvalues 1 and -3
    sol = integrate(STROGATZ, p, [r0, j0], 15.0)
    r, j = sol.y[:, -1]
    assert np.sign(r) == np.sign(j) == np.sign(r0 + j0)
    assert min(abs(r), abs(j)) > 1e3 * abs(r0 + j0)
    assert r / j == pytest.approx(1.0, abs=1e-6)


# -- Rinaldi (1998), Appl. Math. Comput. 95:181, linear couples --------------------------

positive = st.floats(0.1, 3.0)


@given(
    a1=positive,
    a2=positive,
    b1=st.floats(-3, 3),
    b2=st.floats(-3, 3),
    g1=st.floats(0, 3),
    g2=st.floats(0, 3),
    A1=st.floats(-2, 2),
    A2=st.floats(-2, 2),
)
def test_rinaldi_linear_equilibrium_and_stability(a1, a2, b1, b2, g1, g2, A1, A2):
    """Rinaldi (1998): the equilibrium is x1* = (a2 g1 A2 + b1 g2 A1)/(a1 a2 - b1 b2),
    x2* = (a1 g2 A1 + b2 g1 A2)/(a1 a2 - b1 b2), and it is stable iff a1 a2 > b1 b2."""
    det = a1 * a2 - b1 * b2
    assume(abs(det) > 0.05)
    p = RINALDI.params(alpha1=a1, alpha2=a2, beta1=b1, beta2=b2, gamma1=g1, gamma2=g2, A1=A1, A2=A2)
    x_star = np.array([(a2 * g1 * A2 + b1 * g2 * A1) / det, (a1 * g2 * A1 + b2 * g1 * A2) / det])
    np.testing.assert_allclose(RINALDI.rhs(x_star, p), 0.0, atol=1e-9 * (1 + np.abs(x_star).max()))
    lam = eigenvalues(RINALDI, p, x_star)
    assert bool(np.all(lam.real < 0)) == (det > 0)


@settings(max_examples=30)
@given(
    a1=positive,
    a2=positive,
    b1=st.floats(0, 3),
    b2=st.floats(0, 3),
    g1=st.floats(0.1, 3),
    g2=st.floats(0.1, 3),
    A1=st.floats(0.1, 2),
    A2=st.floats(0.1, 2),
)
def test_rinaldi_secure_couples_fall_in_love_monotonically(a1, a2, b1, b2, g1, g2, A1, A2):
    """Rinaldi (1998): with non-negative reactions and appeals the model is a positive
    linear system; when stable, feelings grow monotonically from indifference to a
    positive equilibrium, without oscillations (real eigenvalues)."""
    assume(a1 * a2 - b1 * b2 > 0.1)
    p = RINALDI.params(alpha1=a1, alpha2=a2, beta1=b1, beta2=b2, gamma1=g1, gamma2=g2, A1=A1, A2=A2)
    J = RINALDI.jacobian(np.zeros(2), p)
    x_star = np.linalg.solve(J, -RINALDI.rhs(np.zeros(2), p))
    lam = np.linalg.eigvals(J)
    assert np.all(np.abs(lam.imag) < 1e-12) and np.all(x_star > 0)
    t_end = 40.0 / np.abs(lam.real).min()
    sol = integrate(RINALDI, p, [0.0, 0.0], t_end, t_eval=np.linspace(0, t_end, 401))
    assert np.all(np.diff(sol.y, axis=1) >= -1e-9 * (1 + x_star.max()))
    np.testing.assert_allclose(sol.y[:, -1], x_star, rtol=1e-6)


@given(dA=st.floats(0.05, 1.0), which=st.sampled_from(["A1", "A2"]))
def test_rinaldi_appeal_creates_order(dA, which):
    """Rinaldi (1998): "individual appeal is the driving force": in a stable secure couple
    raising either appeal raises both partners' equilibrium feelings."""
    p = RINALDI.preset("secure-couple")
    q = p.replace(**{which: p[which] + dA})

    def x_star(par):
        return np.linalg.solve(RINALDI.jacobian(np.zeros(2), par), -RINALDI.rhs(np.zeros(2), par))

    assert np.all(x_star(q) > x_star(p) + 1e-12)


def test_rinaldi_antagonistic_partner_gives_damped_oscillations():
    """Linear couples with beta1 beta2 < 0 and (alpha1 - alpha2)^2 < -4 beta1 beta2 have a
    stable focus: feelings overshoot and oscillate while they settle."""
    p = RINALDI.preset("antagonistic-partner")
    lam = eigenvalues(RINALDI, p, [0.0, 0.0])
    assert np.all(lam.real < 0) and np.all(np.abs(lam.imag) > 0.5)


# -- Rinaldi (1998), SIAM J. Appl. Math. 58:1205, Laura and Petrarch -----------------------


@pytest.fixture(scope="module")
def petrarch_run():
    """Rinaldi's calibration integrated for 100 years from indifference (they met in 1327)."""
    t = np.linspace(0.0, 100.0, 200_001)
    return t, integrate(PETRARCH, PETRARCH.params(), [0.0, 0.0, 0.0], 100.0, t_eval=t, rtol=1e-10).y


def test_petrarch_emotional_cycle_has_a_period_of_about_four_years(petrarch_run):
    """Rinaldi (1998): the calibrated model converges to a limit cycle (the poet's
    emotional cycle, found independently by F. J. Jones in the Canzoniere) of a period of
    about four years, swinging from ecstasy (P > 0) to despair (P < 0)."""
    t, y = petrarch_run
    late = t > 60.0
    peaks = find_peaks(y[2, late])[0]
    periods = np.diff(t[late][peaks])
    assert len(periods) >= 8
    assert 3.6 < periods.mean() < 4.0
    np.testing.assert_allclose(periods, periods.mean(), atol=2e-3)  # a cycle, not damping
    np.testing.assert_allclose(y[2, late][peaks], y[2, late][peaks][0], rtol=1e-5)
    assert y[1, late].max() > 0.3 and y[1, late].min() < -0.3
    # within the twenty-year story the oscillation is already close to the cycle
    early = (t > 8.0) & (t < 21.0)
    assert y[2, early].max() == pytest.approx(y[2, late].max(), rel=5e-2)


def test_petrarch_inspiration_lags_love(petrarch_run):
    """Rinaldi (1998): inspiration Z is the slow variable driven by Petrarch's love, and
    Laura reacts to Petrarch. In the calibrated cycle this orders the peaks: P first,
    then L, then Z, all within half a period."""
    t, y = petrarch_run
    late = t > 60.0
    tp, tl, tz = (peak_times(t[late], y[k, late]) for k in (1, 0, 2))
    period = np.diff(tz).mean()
    for t_p in tp[:-1]:
        next_l = tl[tl > t_p][0]
        next_z = tz[tz > t_p][0]
        assert t_p < next_l < next_z < t_p + 0.5 * period


def test_petrarch_equilibrium_is_unique_and_unstable():
    """Rinaldi (1998): the cycle is globally attracting, so the unique equilibrium must be
    unstable. Along the L- and Z-nullclines (L = beta1 (P (1 - (P/gamma)^2) + A_P)/alpha1,
    Z = beta3 P/alpha3) the equilibria are the roots of P' = 0 in P."""
    p = PETRARCH.params()

    def on_nullclines(P):
        L = p["beta1"] * (P * (1 - (P / p["gamma"]) ** 2) + p["A_P"]) / p["alpha1"]
        return np.array([L, P, p["beta3"] * P / p["alpha3"]])

    # 1 + delta Z > 0 requires P > -alpha3/(delta beta3) = -0.01
    roots = sign_change_roots(lambda P: PETRARCH.rhs(on_nullclines(P), p)[1], -0.0099, 5.0)
    assert len(roots) == 1
    x = on_nullclines(roots[0])
    np.testing.assert_allclose(PETRARCH.rhs(x, p), 0.0, atol=1e-10)
    lam = eigenvalues(PETRARCH, p, x)
    assert lam.real.max() > 0.05 and np.abs(lam.imag).max() > 1.0  # unstable focus part


def test_petrarch_cycle_needs_the_inspiration_feedback():
    """Rinaldi (1998): the cycle is a slow-fast cycle driven by inspiration dimming
    Laura's appeal for the poet; without that feedback (delta = 0) feelings settle."""
    sol = integrate(
        PETRARCH,
        PETRARCH.params(delta=0.0),
        [0.0, 0.0, 0.0],
        300.0,
        t_eval=np.linspace(200.0, 300.0, 1001),
    )
    assert np.ptp(sol.y[:2], axis=1).max() < 1e-6


# -- Gragnani, Rinaldi & Feichtinger (1997); Rinaldi et al. (2016), synergic couples ---------


def synergic_equilibria(p):
    """Equilibria in the positive quadrant, by Newton from a grid of starts."""
    found = []
    for a in np.linspace(0.05, 2.0, 6):
        for b in np.linspace(0.05, 14.0, 8):
            x, _, ier, _ = fsolve(lambda z: SYNERGIC.rhs(z, p), [a, b], full_output=True)
            if ier == 1 and np.all(x > 0) and np.abs(SYNERGIC.rhs(x, p)).max() < 1e-10:
                if not any(np.allclose(x, f, atol=1e-6) for f in found):
                    found.append(x)
    return found


def test_synergic_insecure_couple_cycles():
    """Gragnani et al. (1997): insecurity (partner 2) together with synergism (partner 1)
    is the minimal ingredient of cyclic love dynamics. With the book's values the only
    equilibrium is an unstable focus and from indifference the couple settles on a
    limit cycle."""
    p = SYNERGIC.params()
    eqs = synergic_equilibria(p)
    assert len(eqs) == 1
    lam = eigenvalues(SYNERGIC, p, eqs[0])
    assert np.all(lam.real > 0) and np.all(np.abs(lam.imag) > 0.1)
    t = np.linspace(0.0, 500.0, 100_001)
    y = integrate(SYNERGIC, p, [0.0, 0.0], 500.0, t_eval=t).y
    late = t > 300.0
    peaks = find_peaks(y[1, late])[0]
    periods = np.diff(t[late][peaks])
    assert np.ptp(y[1, late]) > 1.0
    np.testing.assert_allclose(periods, periods.mean(), atol=0.02)
    assert 15.0 < periods.mean() < 25.0


def test_synergic_ageing_stabilises():
    """Gragnani et al. (1997): "ageing has a stabilizing effect": with 20% faster
    forgetting the equilibrium is a stable focus and the cycle is gone."""
    p = SYNERGIC.preset("aged")
    eqs = synergic_equilibria(p)
    assert len(eqs) == 1 and np.all(eigenvalues(SYNERGIC, p, eqs[0]).real < 0)
    sol = integrate(SYNERGIC, p, [0.0, 0.0], 600.0, t_eval=np.linspace(400, 600, 201))
    assert np.ptp(sol.y, axis=1).max() < 1e-6


@given(
    x1=st.floats(0.01, 2.0),
    x2=st.floats(0.01, 14.0),
    a1=st.floats(0.05, 2.0),
    a2=st.floats(0.05, 2.0),
    k2=st.floats(0.1, 3.0),
)
def test_synergic_non_synergic_couples_cannot_cycle(x1, x2, a1, a2, k2):
    """Gragnani et al. (1997): non-synergic couples only have stationary behaviour. With
    bA1 = bA2 = 0 the divergence is -(alpha1 + alpha2) < 0 everywhere, so by Bendixson's
    criterion no closed orbit exists."""
    p = SYNERGIC.params(bA1=0.0, bA2=0.0, alpha1=a1, alpha2=a2, k2=k2)
    assert np.trace(SYNERGIC.jacobian([x1, x2], p)) == pytest.approx(-(a1 + a2), rel=1e-12)


def test_synergic_secure_couples_grow_monotonically():
    """Gragnani et al. (1997): couples of secure individuals (reaction increasing in the
    partner's love) only have stationary behaviour: the system is cooperative, so from
    indifference both feelings grow monotonically to an equilibrium, even with synergism."""
    p = SYNERGIC.params(k1=0.01, k2=0.01)
    grid = np.meshgrid(np.linspace(0.01, 2.0, 20), np.linspace(0.01, 14.0, 20))
    J = SYNERGIC.jacobian(np.stack(grid), p)
    assert np.all(J[0, 1] >= 0) and np.all(J[1, 0] >= 0)
    sol = integrate(SYNERGIC, p, [0.0, 0.0], 400.0, t_eval=np.linspace(0, 400, 4001))
    assert np.all(np.diff(sol.y, axis=1) >= -1e-9)
    np.testing.assert_allclose(SYNERGIC.rhs(sol.y[:, -1], p), 0.0, atol=1e-7)


# -- Rinaldi, Della Rossa & Landi (2013), Gone with the Wind -------------------------------


def gwtw_equilibria(p):
    """Equilibria in the non-negative quadrant (the paper's state space), along the
    R-nullcline R = A_S + k S exp(-S), as roots in S of S' = 0. Since k x exp(-x) <= k/e,
    every such equilibrium has S <= A_R + k/e."""

    def on_nullcline(S):
        return np.array([p["A_S"] + p["k"] * S * np.exp(-S), S])

    s_max = p["A_R"] + p["k"] / np.e + 1.0
    roots = sign_change_roots(lambda S: GWTW.rhs(on_nullcline(S), p)[1], 0.0, s_max)
    out = []
    for S in roots:
        x = on_nullcline(S)
        np.testing.assert_allclose(GWTW.rhs(x, p), 0.0, atol=1e-9)
        out.append((x, stability(eigenvalues(GWTW, p, x))))
    return out


def test_gone_with_the_wind_first_part_is_bistable_and_rhett_falls_in_love():
    """Rinaldi et al. (2013), first part of the story: three equilibria (two stable nodes
    and a saddle); from indifference Rhett falls deeply in love and Scarlett does not."""
    p = GWTW.preset("first-part")
    eqs = gwtw_equilibria(p)
    assert [kind for _, kind in eqs] == ["stable", "saddle", "stable"]
    end = integrate(GWTW, p, [0.0, 0.0], 50.0).y[:, -1]
    np.testing.assert_allclose(end, [6.6779, 1.1261], atol=1e-3)
    assert any(np.allclose(end, x, atol=1e-6) for x, kind in eqs if kind == "stable")


def test_gone_with_the_wind_rhett_quits():
    """Rinaldi et al. (2013), the ending: when Rhett's appeal has grown there is a single
    equilibrium, Scarlett deeply in love and Rhett indifferent ("Frankly, my dear, I don't
    give a damn"), and the couple moves there from where the first part left it."""
    p = GWTW.preset("rhett-quits")
    eqs = gwtw_equilibria(p)
    assert len(eqs) == 1 and eqs[0][1] == "stable"
    np.testing.assert_allclose(eqs[0][0], [1.2709, 7.3488], atol=1e-3)
    start = integrate(GWTW, GWTW.preset("first-part"), [0.0, 0.0], 50.0).y[:, -1]
    end = integrate(GWTW, p, start, 50.0).y[:, -1]
    np.testing.assert_allclose(end, eqs[0][0], atol=1e-6)


def test_gone_with_the_wind_identical_individuals_are_symmetric():
    """Rinaldi et al. (2013): identical insecure individuals (A_S = A_R) have three
    equilibria placed symmetrically about the diagonal; the diagonal one is the saddle."""
    eqs = gwtw_equilibria(GWTW.preset("identical"))
    assert [kind for _, kind in eqs] == ["stable", "saddle", "stable"]
    (lo, _), (mid, _), (hi, _) = eqs
    np.testing.assert_allclose(lo, hi[::-1], atol=1e-9)
    assert mid[0] == pytest.approx(mid[1], abs=1e-9)


# -- Liebovitch et al. (2008), two-actor cooperation-competition ---------------------------


def liebovitch_equilibria(p):
    """Equilibria along the x-nullcline x = (b1 + c1 tanh y)/m1, as roots in y of y' = 0."""

    def on_nullcline(y):
        return np.array([(p["b1"] + p["c1"] * np.tanh(y)) / p["m1"], y])

    bound = (abs(p["b2"]) + abs(p["c2"])) / p["m2"] + 1.0  # |y*| <= (|b2| + |c2|)/m2
    return [
        on_nullcline(y)
        for y in sign_change_roots(lambda y: LIEBOVITCH.rhs(on_nullcline(y), p)[1], -bound, bound)
    ]


feedback = st.floats(-4.0, 4.0)


@given(m1=st.floats(0.2, 3.0), m2=st.floats(0.2, 3.0), c1=feedback, c2=feedback)
def test_liebovitch_pitchfork_at_c1c2_equal_m1m2(m1, m2, c1, c2):
    """Liebovitch et al. (2008); Jacobo-Villegas et al. (2025, arXiv:2510.17993), who
    identify a supercritical pitchfork for ++ and -- feedback: with b1 = b2 = 0 the
    origin is stable iff c1 c2 < m1 m2.
    Beyond, a pitchfork creates two stable equilibria symmetric under (x, y) -> (-x, -y),
    of equal signs for cooperation (c > 0) and opposite signs for competition (c < 0);
    below, the origin is the only equilibrium."""
    ratio = c1 * c2 / (m1 * m2)
    assume(abs(ratio - 1.0) > 0.1)
    p = LIEBOVITCH.params(m1=m1, m2=m2, b1=0.0, b2=0.0, c1=c1, c2=c2)
    assert bool(np.all(eigenvalues(LIEBOVITCH, p, [0.0, 0.0]).real < 0)) == (ratio < 1)
    eqs = liebovitch_equilibria(p)
    if ratio < 1:
        assert len(eqs) == 1 and np.abs(eqs[0]).max() < 1e-9
    else:
        assert len(eqs) == 3
        lo, mid, hi = eqs
        assert np.abs(mid).max() < 1e-9
        np.testing.assert_allclose(lo, -hi, atol=1e-9)
        assert np.sign(hi[0] * hi[1]) == np.sign(c1)
        for x in (lo, hi):
            assert np.all(eigenvalues(LIEBOVITCH, p, x).real < 0)


@given(
    x=st.floats(-3, 3),
    y=st.floats(-3, 3),
    m1=st.floats(0.1, 3),
    m2=st.floats(0.1, 3),
    b1=st.floats(-2, 2),
    c1=feedback,
    c2=feedback,
)
def test_liebovitch_has_no_limit_cycles(x, y, m1, m2, b1, c1, c2):
    """Liebovitch et al. (2008); Jacobo-Villegas, Nava-Sedeño & Obregón-Quintana (2025,
    arXiv:2510.17993): the model admits no limit cycles. The divergence is -(m1 + m2) < 0
    everywhere, so Bendixson's criterion excludes closed orbits."""
    p = LIEBOVITCH.params(m1=m1, m2=m2, b1=b1, c1=c1, c2=c2)
    assert np.trace(LIEBOVITCH.jacobian([x, y], p)) == pytest.approx(-(m1 + m2), rel=1e-12)


@given(
    m1=st.floats(0.2, 3.0),
    m2=st.floats(0.2, 3.0),
    c1=st.floats(0.1, 4.0),
    c2=st.floats(-4.0, -0.1),
    b1=st.floats(-1, 1),
    b2=st.floats(-1, 1),
)
def test_liebovitch_mixed_feedback_has_one_stable_equilibrium(m1, m2, c1, c2, b1, b2):
    """Liebovitch et al. (2008), mixed feedback (c1 c2 < 0): a single stable outcome.
    Here det J = m1 m2 - c1 c2 sech^2(x) sech^2(y) > 0 and tr J < 0 everywhere, so every
    equilibrium is stable, and the nullclines cross exactly once."""
    p = LIEBOVITCH.params(m1=m1, m2=m2, b1=b1, b2=b2, c1=c1, c2=c2)
    eqs = liebovitch_equilibria(p)
    assert len(eqs) == 1
    assert np.all(eigenvalues(LIEBOVITCH, p, eqs[0]).real < 0)


def test_liebovitch_presets_show_their_regimes():
    """The named regimes of Liebovitch et al. (2008)."""
    coop = liebovitch_equilibria(LIEBOVITCH.preset("cooperation"))
    comp = liebovitch_equilibria(LIEBOVITCH.preset("competition"))
    assert len(coop) == len(comp) == 3
    assert coop[2][0] > 0 and coop[2][1] > 0  # both favourable
    assert comp[2][0] * comp[2][1] < 0  # one wins, one loses
    mixed = LIEBOVITCH.preset("mixed")
    lam = eigenvalues(LIEBOVITCH, mixed, [0.0, 0.0])
    assert np.all(lam.real < 0) and np.all(np.abs(lam.imag) > 0)  # damped oscillations
    assert len(liebovitch_equilibria(LIEBOVITCH.preset("weak-influence"))) == 1


# -- Tung (2007) after Gottman et al. (2002), validating couple ----------------------------


@given(
    r1=st.floats(0.1, 3),
    r2=st.floats(0.1, 3),
    x0=st.floats(-2, 2),
    y0=st.floats(-2, 2),
    a1=st.floats(-3, 3),
    a2=st.floats(-3, 3),
)
def test_validating_couple_steady_state_and_stability(r1, r2, x0, y0, a1, a2):
    """Tung (2007): the influenced steady state is x* = (r1 r2 x0 + r2 a1 y0)/(r1 r2 - a1 a2),
    y* = (r1 r2 y0 + r1 a2 x0)/(r1 r2 - a1 a2); it is stable iff r1 r2 > a1 a2."""
    det = r1 * r2 - a1 * a2
    assume(abs(det) > 0.05)
    p = VALIDATING.params(r1=r1, r2=r2, x0=x0, y0=y0, a1=a1, a2=a2)
    x_star = np.array([(r1 * r2 * x0 + r2 * a1 * y0) / det, (r1 * r2 * y0 + r1 * a2 * x0) / det])
    np.testing.assert_allclose(
        VALIDATING.rhs(x_star, p), 0.0, atol=1e-9 * (1 + np.abs(x_star).max())
    )
    assert bool(np.all(eigenvalues(VALIDATING, p, x_star).real < 0)) == (det > 0)


def test_validating_couple_settles_and_runaway_influence_diverges():
    """Tung (2007): a stable couple settles at its influenced steady state from any start;
    with r1 r2 < a1 a2 feelings run away."""
    p = VALIDATING.params()
    sol = integrate(VALIDATING, p, [-1.0, 2.0], 40.0)
    np.testing.assert_allclose(sol.y[:, -1], [1.0, 1.0], atol=1e-8)
    q = VALIDATING.preset("runaway-influence")  # steady state (-1, -1), a saddle
    sol = integrate(VALIDATING, q, [0.0, 0.0], 20.0)
    assert sol.y[:, -1].min() > 1e3


# -- Boker & Laurenceau (2006); Butner et al. (2007); Helm et al. (2012) --------------------


@given(eta=st.floats(-4.0, -0.1), zeta_fraction=st.floats(0.0, 0.9))
def test_uncoupled_oscillator_frequency_and_decay(eta, zeta_fraction):
    """Helm et al. (2012): an uncoupled partner is a damped oscillator x'' = eta x + zeta x';
    for zeta^2 < -4 eta it oscillates with angular frequency sqrt(-eta - zeta^2/4) while its
    amplitude decays at rate -zeta/2: x(t) = exp(sigma t)(cos w t - (sigma/w) sin w t) for
    x(0) = 1, x'(0) = 0, with sigma = zeta/2."""
    zeta = -zeta_fraction * 2 * np.sqrt(-eta)
    p = OSCILLATOR.params(
        eta_x=eta,
        zeta_x=zeta,
        eta_y=eta,
        zeta_y=zeta,
        eta_xy=0.0,
        eta_yx=0.0,
        zeta_xy=0.0,
        zeta_yx=0.0,
    )
    sigma, w = zeta / 2, np.sqrt(-eta - zeta**2 / 4)
    lam = eigenvalues(OSCILLATOR, p, np.zeros(4))
    np.testing.assert_allclose(lam.real, sigma, atol=1e-7)
    np.testing.assert_allclose(np.abs(lam.imag), w, rtol=1e-7)
    t = np.linspace(0.0, 2 * (2 * np.pi / w), 101)
    sol = integrate(
        OSCILLATOR,
        p,
        [1.0, 0.0, 0.0, 0.0],
        t[-1],
        t_eval=t,
        rtol=1e-11,
        atol=1e-13,
        method="DOP853",
    )
    exact = np.exp(sigma * t) * (np.cos(w * t) - sigma / w * np.sin(w * t))
    np.testing.assert_allclose(sol.y[0], exact, atol=1e-7)
    assert np.all(sol.y[2:] == 0.0)  # the partner is untouched without coupling


@given(eta=st.floats(-4.0, -0.1))
def test_undamped_oscillator_period_is_2pi_over_sqrt_minus_eta(eta):
    """Boker & Laurenceau (2006): with zeta = 0 the period is 2 pi/sqrt(-eta)."""
    p = OSCILLATOR.preset("uncoupled", zeta_x=0.0, zeta_y=0.0, eta_x=eta, eta_y=eta)
    period = 2 * np.pi / np.sqrt(-eta)
    x0 = [0.8, 0.3, -0.5, 0.2]
    sol = integrate(OSCILLATOR, p, x0, period, rtol=1e-12, atol=1e-13, method="DOP853")
    np.testing.assert_allclose(sol.y[:, -1], x0, atol=1e-6)


@given(
    eta=st.floats(-3, -0.1),
    zeta=st.floats(-1, 0.5),
    eta_c=st.floats(-1, 1),
    zeta_c=st.floats(-1, 1),
)
def test_symmetric_coupling_splits_into_in_phase_and_anti_phase_modes(eta, zeta, eta_c, zeta_c):
    """Symmetric partners with symmetric coupling (the identical-partner case of Helm et
    al. 2012): the characteristic polynomial factors into the in-phase mode
    l^2 - (zeta + zeta_c) l - (eta + eta_c) and the anti-phase mode
    l^2 - (zeta - zeta_c) l - (eta - eta_c)."""
    p = OSCILLATOR.params(
        eta_x=eta,
        eta_y=eta,
        zeta_x=zeta,
        zeta_y=zeta,
        eta_xy=eta_c,
        eta_yx=eta_c,
        zeta_xy=zeta_c,
        zeta_yx=zeta_c,
    )
    char = np.poly(OSCILLATOR.jacobian(np.zeros(4), p))
    modes = np.polymul([1, -(zeta + zeta_c), -(eta + eta_c)], [1, -(zeta - zeta_c), -(eta - eta_c)])
    np.testing.assert_allclose(char, modes, atol=1e-9)


def test_coregulation_damps_and_co_dysregulation_escalates():
    """Coregulation and co-dysregulation (Butler & Randall 2013) in the coupled-oscillator
    form of Butner et al. (2007) and Helm et al. (2012): coupling through the partner's
    rate of change damps shared (in-phase) deviations faster than either partner alone
    while the couple stays stable, or, when it outweighs the own damping, makes the
    in-phase mode grow."""
    x = np.zeros(4)
    alone = eigenvalues(OSCILLATOR, OSCILLATOR.preset("uncoupled"), x).real
    co = eigenvalues(OSCILLATOR, OSCILLATOR.preset("coregulation"), x).real
    dys = eigenvalues(OSCILLATOR, OSCILLATOR.preset("co-dysregulation"), x).real
    assert co.min() < alone.min() and co.max() < 0 < dys.max()


# -- issue 13, section 3: presets as the sources state them -----------------------------


def _fraction_of_simultaneous_love(p):
    """Over one period of the centre, the fraction of time with R > 0 and J > 0."""
    period = 2 * np.pi / np.sqrt(-p["b"] * p["c"])
    t = np.linspace(0.0, period, 40_001)
    y = integrate(STROGATZ, p, [1.0, 0.3], period, t_eval=t).y
    return np.mean((y[0] > 0) & (y[1] > 0))


def test_strogatz_1988_romeo_is_fickle_and_juliet_echoes():
    """Strogatz (1988), Math. Mag. 61:35: "Romeo is a fickle lover. The more Juliet loves
    him, the more he begins to dislike her ... She, on the other hand, tends to echo him";
    the book (section 5.3) swaps the roles. Both: a centre, simultaneous love one quarter
    of the time."""
    paper, book = STROGATZ.preset("fickle-romeo-1988"), STROGATZ.preset("fickle-juliet")
    assert STROGATZ.rhs([0.0, 1.0], paper)[0] < 0  # Juliet's love makes Romeo dislike her
    assert STROGATZ.rhs([1.0, 0.0], paper)[1] > 0  # Juliet echoes Romeo
    assert STROGATZ.rhs([1.0, 0.0], book)[1] < 0  # in the book Juliet is the fickle one
    assert STROGATZ.params() == book  # the defaults are the book's story
    for p in (paper, book):
        np.testing.assert_allclose(np.abs(eigenvalues(STROGATZ, p, [0, 0]).imag), [1, 1])
        assert _fraction_of_simultaneous_love(p) == pytest.approx(0.25, abs=1e-3)


def test_synergic_minimal_cycling_couple_is_secure_synergic_with_insecure_non_synergic():
    """Gragnani, Rinaldi & Feichtinger (1997), Int. J. Bif. Chaos 7:2611: "couples composed
    of a secure and synergic individual and a non-secure and non-synergic individual can
    experience cyclic dynamics"."""
    p = SYNERGIC.preset("minimal-cycling-couple")
    assert p["bA1"] > 0 and p["bA2"] == 0  # partner 1 synergic, partner 2 not
    assert p["k1"] < p["k2"]  # partner 1 secure, partner 2 insecure
    t = np.linspace(300.0, 400.0, 4001)
    y = integrate(SYNERGIC, p, [0.0, 0.0], 400.0, t_eval=t).y
    amplitude = y[1].max() - y[1].min()
    assert amplitude > 2.0  # sustained oscillation, not damping to the focus
    peaks = peak_times(t, y[1])
    assert len(peaks) >= 3
    late = y[1][t > 350.0]
    assert late.max() - late.min() == pytest.approx(amplitude, rel=1e-2)


def test_gone_with_the_wind_defaults_are_the_papers():
    """Rinaldi, Della Rossa & Landi (2013), Physica A 392:3231: x_i' = -x_i + A_j +
    15 x_j exp(-x_j), 1 = Scarlett (A_1 = 1.2), 2 = Rhett (A_2 = 1, then 2)."""
    p = GWTW.params()
    assert (p["A_S"], p["A_R"], p["k"]) == (1.2, 1.0, 15.0)
    assert GWTW.preset("rhett-quits")["A_R"] == 2.0
    x = np.array([0.7, 2.3])  # R (= x_2, Rhett), S (= x_1, Scarlett)
    paper = [-x[0] + 1.2 + 15 * x[1] * np.exp(-x[1]), -x[1] + 1.0 + 15 * x[0] * np.exp(-x[0])]
    np.testing.assert_allclose(GWTW.rhs(x), paper, rtol=1e-14)
