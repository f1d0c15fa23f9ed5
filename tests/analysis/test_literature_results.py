"""The analysis API reproduces published results of the literature models.

Each test cites its source. These complement tests/models/test_literature.py (which
checks the models with plain numpy/scipy) by running them through dm.equilibria,
dm.limit_cycle and dm.classify_trajectory.
"""

import math

import numpy as np
from hypothesis import assume, given
from hypothesis import strategies as st

import dyadmodel as dm


def rounded(lo, hi):
    return st.floats(lo, hi).map(lambda v: round(v, 3))


def test_laura_petrarch_limit_cycle():
    """Rinaldi (1998), SIAM J. Appl. Math. 58:1205: from indifference the model tends to a
    stable limit cycle around the unique (unstable) equilibrium; its period of about 4
    years matches the emotional cycles Jones (1995) found in the Canzoniere (six cycles
    in the 21 years 1327-1348)."""
    m = dm.models.get("laura-petrarch")
    p = m.params()
    eqs = dm.equilibria(m, p)
    assert len(eqs) == 1 and eqs.complete and eqs[0].stable is False
    outcome = dm.classify_trajectory(m, p, [0.0, 0.0, 0.0], t_max=100)
    assert outcome.kind == "periodic"
    cycle = dm.limit_cycle(m, p, outcome.final_state)
    assert cycle.converged and cycle.stable is True
    assert 3.5 < cycle.period < 4.2
    assert abs(outcome.period - cycle.period) < 1e-3
    assert np.all(np.abs(cycle.nontrivial_multipliers) < 1)
    # Petrarch swings between ecstasy (P > 0) and despair (P < 0) along the cycle
    ip = m.state_index("P")
    assert cycle.minimum[ip] < 0 < cycle.maximum[ip]


def test_strogatz_centre_period():
    """Strogatz (1988): R' = bJ, J' = cR with b > 0 > c is a centre: every orbit is closed
    with period 2 pi / sqrt(-bc)."""
    m = dm.models.get("strogatz-linear")
    p = m.params(a=0.0, b=1.5, c=-0.6, d=0.0)
    assert [e.kind for e in dm.equilibria(m, p)] == ["centre"]
    out = dm.classify_trajectory(m, p, [1.0, 0.0], t_max=200)
    assert out.kind == "periodic"
    assert abs(out.period - 2 * math.pi / math.sqrt(0.9)) < 1e-4


@given(rounded(0.2, 3.0), rounded(0.2, 3.0), rounded(0.0, 4.0), rounded(0.0, 4.0))
def test_liebovitch_pitchfork(m1, m2, c1, c2):
    """Liebovitch et al. (2008), Physica A 387:6360: with b1 = b2 = 0 and positive
    (cooperative) feedback the origin is the only equilibrium and is stable when
    c1 c2 < m1 m2; beyond c1 c2 = m1 m2 (a pitchfork) it is a saddle flanked by two stable
    equilibria of equal signs."""
    ratio = c1 * c2 / (m1 * m2)
    assume(abs(ratio - 1) > 0.05)
    model = dm.models.get("liebovitch")
    p = model.params(m1=m1, m2=m2, b1=0.0, b2=0.0, c1=c1, c2=c2)
    box = [(-c1 / m1 - 1, c1 / m1 + 1), (-c2 / m2 - 1, c2 / m2 + 1)]  # |x| <= c1/m1
    eqs = dm.equilibria(model, p, domain=box)
    assert eqs.complete
    origin = [e for e in eqs if np.allclose(e.state, 0, atol=1e-12)]
    assert len(origin) == 1
    if ratio < 1:
        assert len(eqs) == 1 and origin[0].stable is True
    else:
        assert len(eqs) == 3 and origin[0].kind == "saddle"
        others = [e for e in eqs if e is not origin[0]]
        assert all(e.stable and e.state[0] * e.state[1] > 0 for e in others)


@given(rounded(0.1, 3), rounded(0.1, 3), rounded(-3, 3), rounded(-3, 3), rounded(-2, 2))
def test_rinaldi_linear_stability_boundary(a1, a2, b1, b2, appeal):
    """Rinaldi (1998), Appl. Math. Comput. 95:181: the linear couple has one equilibrium,
    stable if and only if alpha1 alpha2 > beta1 beta2."""
    assume(abs(a1 * a2 - b1 * b2) > 0.05)
    m = dm.models.get("rinaldi-linear")
    p = m.params(alpha1=a1, alpha2=a2, beta1=b1, beta2=b2, A1=appeal, A2=1.0)
    M = np.array([[a1, -b1], [-b2, a2]])
    x = np.linalg.solve(M, [p["gamma1"] * 1.0, p["gamma2"] * appeal])
    R = float(np.max(np.abs(x))) + 1
    eqs = dm.equilibria(m, p, domain=[(-R, R), (-R, R)])
    assert len(eqs) == 1 and eqs.complete
    np.testing.assert_allclose(eqs[0].state, x, rtol=1e-10, atol=1e-12)
    assert eqs[0].stable is (a1 * a2 > b1 * b2)


@given(rounded(0.1, 2), rounded(0.1, 2), rounded(-2, 2), rounded(-2, 2))
def test_validating_couple_steady_state(r1, r2, a1, a2):
    """Tung (2007) ch. 10 / Gottman et al. (2002): x' = r1 (x0 - x) + a1 y,
    y' = r2 (y0 - y) + a2 x has one steady state, stable iff r1 r2 > a1 a2."""
    assume(abs(r1 * r2 - a1 * a2) > 0.05)
    m = dm.models.get("validating-couple")
    p = m.params(r1=r1, r2=r2, a1=a1, a2=a2, x0=0.5, y0=-0.3)
    M = np.array([[r1, -a1], [-a2, r2]])
    x = np.linalg.solve(M, [r1 * 0.5, r2 * -0.3])
    R = float(np.max(np.abs(x))) + 1
    eqs = dm.equilibria(m, p, domain=[(-R, R), (-R, R)])
    assert len(eqs) == 1
    np.testing.assert_allclose(eqs[0].state, x, rtol=1e-10, atol=1e-12)
    assert eqs[0].stable is (r1 * r2 > a1 * a2)


def test_gone_with_the_wind_equilibria():
    """Rinaldi, Della Rossa & Landi (2013), Physica A 392:3231: in the first part of the
    story the model is bistable (two stable equilibria and a saddle); when Rhett's appeal
    grows the couple has a single equilibrium."""
    m = dm.models.get("gone-with-the-wind")
    first = dm.equilibria(m, m.preset("first-part"))
    assert [e.kind for e in first] == ["stable node", "saddle", "stable node"]
    assert first.complete
    later = dm.equilibria(m, m.preset("rhett-quits"))
    assert len(later) == 1 and later[0].stable and later.complete


def test_synergic_couple_cycles():
    """Gragnani, Rinaldi & Feichtinger (1997), Int. J. Bifurcation Chaos 7:2611: a couple
    of insecure, synergic individuals can have a stable limit cycle around an unstable
    equilibrium."""
    m = dm.models.get("rinaldi-synergic")
    p = m.params()
    eqs = dm.equilibria(m, p)
    assert eqs.complete and len(eqs) == 1 and eqs[0].kind == "unstable focus"
    out = dm.classify_trajectory(m, p, eqs[0].state + 0.05, t_max=600)
    assert out.kind == "periodic"
    cycle = dm.limit_cycle(m, p, out.final_state)
    assert cycle.stable is True
    assert abs(cycle.period - out.period) < 1e-3 * cycle.period
