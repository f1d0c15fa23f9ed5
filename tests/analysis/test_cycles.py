"""Limit cycles and trajectory outcomes against closed-form and classical answers."""

import dataclasses
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import dyadmodel as dm
from dyadmodel.analysis.cycles import (
    LimitCycle,
    LimitCycleError,
    LimitCycleOptions,
    TrajectoryOptions,
    classify_trajectory,
    limit_cycle,
)
from tests import problems

BALANCED = 0.8 - math.sqrt(0.44)
ENTRENCHED = 0.8 + math.sqrt(0.44)


def liouville_product(model, params, cycle):
    """exp(integral of trace J over one period): the product of the Floquet multipliers.

    The integrand is periodic and sampled uniformly, so the trapezoid rule converges
    spectrally.
    """
    tr = np.trace(model.jacobian(cycle.state[:, :-1], params))
    return math.exp(float(np.mean(tr)) * cycle.period)


# -- van der Pol ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def vdp_cycle():
    m = problems.van_der_pol()
    p = m.params(mu=1.0)
    return m, p, limit_cycle(m, p, [0.5, 0.0])


def test_van_der_pol_period_and_amplitude_match_the_reference(vdp_cycle):
    # Hairer, Nørsett & Wanner (1993), Sect. I.16: T = 6.6632868593231301897,
    # max x = 2.0086198608748431365 for mu = 1.
    _, _, c = vdp_cycle
    assert isinstance(c, LimitCycle) and c.converged
    assert c.period == pytest.approx(problems.VDP_MU1_PERIOD, abs=1e-9)
    assert c.maximum[0] == pytest.approx(problems.VDP_MU1_MAX_X, abs=1e-9)
    # Odd symmetry (x, y) -> (-x, -y): the orbit is centred on the origin.
    assert c.minimum[0] == pytest.approx(-problems.VDP_MU1_MAX_X, abs=1e-9)
    assert c.amplitude[0] == pytest.approx(problems.VDP_MU1_MAX_X, abs=1e-9)


def test_van_der_pol_floquet_multipliers(vdp_cycle):
    m, p, c = vdp_cycle
    assert c.stable is True
    assert abs(c.trivial_multiplier - 1) <= 1e-8
    (mu2,) = c.nontrivial_multipliers
    assert abs(mu2.imag) == 0 and 0 < mu2.real < 1
    # Liouville: product of the multipliers = exp(integral of div f over a period).
    assert abs(c.trivial_multiplier * mu2) == pytest.approx(liouville_product(m, p, c), rel=1e-7)
    assert set(np.round(np.abs(c.floquet_multipliers), 12)) == set(
        np.round(np.abs([c.trivial_multiplier, mu2]), 12)
    )


def test_orbit_is_closed_and_sampled_uniformly(vdp_cycle):
    _, _, c = vdp_cycle
    n_points = LimitCycleOptions().n_points
    assert c.state.shape == (2, n_points + 1) and c.t.shape == (n_points + 1,)
    assert c.t[0] == 0 and c.t[-1] == pytest.approx(c.period, rel=1e-15)
    assert np.linalg.norm(c.state[:, -1] - c.state[:, 0]) <= 1e-8
    assert c.residual <= LimitCycleOptions().newton_tol * 6.0


def test_result_carries_model_params_and_is_frozen(vdp_cycle):
    m, p, c = vdp_cycle
    assert c.model_name == m.name and c.params == p and c.inputs == ()
    with pytest.raises(dataclasses.FrozenInstanceError):
        c.period = 1.0
    with pytest.raises(ValueError):
        c.state[0, 0] = 1.0
    assert "period=6.6632869" in repr(c) and "stable" in repr(c)


# -- Hopf normal form --------------------------------------------------------------------


@settings(max_examples=8)
@given(mu=st.floats(0.05, 1.0), omega=st.floats(0.5, 3.0), use_period_guess=st.booleans())
def test_hopf_cycle_radius_period_and_multiplier(mu, omega, use_period_guess):
    m = problems.hopf_normal_form()
    p = m.params(mu=mu, omega=omega)
    period = 2 * math.pi / omega
    kwargs = {"period_guess": 1.1 * period} if use_period_guess else {}
    c = limit_cycle(m, p, [1.2 * math.sqrt(mu), 0.0], **kwargs)
    assert c.converged and c.stable is True
    assert c.period == pytest.approx(period, rel=1e-6)
    np.testing.assert_allclose(np.hypot(*c.state), math.sqrt(mu), rtol=1e-6)
    np.testing.assert_allclose(c.amplitude, math.sqrt(mu), rtol=1e-6)
    (mu2,) = c.nontrivial_multipliers
    assert mu2.real == pytest.approx(math.exp(-2 * mu * period), rel=1e-6)
    assert abs(c.trivial_multiplier - 1) <= 1e-6


def test_unstable_cycle_of_the_bautin_normal_form():
    # r' = r (mu + r^2 - r^4), mu = -0.1: unstable cycle at r^2 = (1 - sqrt(0.6)) / 2.
    m = problems.bautin_normal_form()
    p = m.params(mu=-0.1, omega=1.5)
    r2 = (1 - math.sqrt(1 + 4 * p["mu"])) / 2
    period = 2 * math.pi / p["omega"]
    c = limit_cycle(m, p, [1.05 * math.sqrt(r2), 0.0], period_guess=0.95 * period)
    assert c.converged and c.stable is False
    assert c.period == pytest.approx(period, rel=1e-9)
    np.testing.assert_allclose(np.hypot(*c.state), math.sqrt(r2), rtol=1e-9)
    (mu2,) = c.nontrivial_multipliers
    assert mu2.real == pytest.approx(math.exp(2 * r2 * (1 - 2 * r2) * period), rel=1e-7)
    # The outer cycle is stable and found from a point outside it.
    outer = limit_cycle(m, p, [1.5, 0.0])
    r2_outer = (1 + math.sqrt(1 + 4 * p["mu"])) / 2
    np.testing.assert_allclose(np.hypot(*outer.state), math.sqrt(r2_outer), rtol=1e-9)
    assert outer.stable is True


# -- failures ------------------------------------------------------------------------------


def test_no_cycle_raises_an_error_naming_the_parameters():
    m = problems.hopf_normal_form()
    p = m.params(mu=-0.2, omega=1.5)  # a stable focus, no cycle
    with pytest.raises(LimitCycleError, match=r"mu=-0\.2") as info:
        limit_cycle(m, p, [0.5, 0.0], period_guess=4.0)
    assert isinstance(info.value, RuntimeError)
    assert "Try a guess closer" in str(info.value)
    assert info.value.result is not None and not info.value.result.converged
    # Without raising: the last iterate, flagged.
    c = limit_cycle(
        m, p, [0.5, 0.0], period_guess=4.0, options=LimitCycleOptions(raise_on_failure=False)
    )
    assert c.converged is False and c.message


def test_guess_at_an_equilibrium_or_without_returns_raises():
    m = dm.models.get("pursuer-distancer-2d")
    p = m.params()
    with pytest.raises(LimitCycleError, match="equilibrium"):
        limit_cycle(m, p, [0.5, 0.5])
    with pytest.raises(LimitCycleError, match="no periodic return"):
        limit_cycle(m, p, [1.0, 1.0], options=LimitCycleOptions(search_time=20.0))


def test_bad_arguments():
    m = problems.hopf_normal_form()
    with pytest.raises(ValueError, match="shape"):
        limit_cycle(m, m.params(), [1.0, 0.0, 0.0])
    with pytest.raises(ValueError, match="period_guess"):
        limit_cycle(m, m.params(), [0.5, 0.0], period_guess=-1.0)
    with pytest.raises(ValueError, match="rtol"):
        LimitCycleOptions(rtol=0.0)
    with pytest.raises(ValueError, match="min_returns"):
        TrajectoryOptions(min_returns=1)
    with pytest.raises(ValueError, match="t_max"):
        classify_trajectory(m, m.params(), [0.5, 0.0], t_max=float("nan"))


# -- classify_trajectory -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("x0", "expected"),
    [
        ([0.0, 0.0], BALANCED),
        ([0.45, 0.45], BALANCED),
        ([0.55, 0.55], ENTRENCHED),
        ([3.0, 0.0], ENTRENCHED),
        ([0.9, 0.0], BALANCED),
    ],
)
def test_flagship_trajectories_settle_on_the_right_node(x0, expected):
    m = dm.models.get("pursuer-distancer-2d")
    out = classify_trajectory(m, m.params(), x0, t_max=200.0)
    assert out.kind == "equilibrium" and out.equilibrium_stable is True
    np.testing.assert_allclose(out.equilibrium, [expected, expected], rtol=0, atol=1e-12)
    assert out.t_end < 200.0
    assert np.all(out.eigenvalues.real < 0)


def test_trajectory_at_the_saddle_stays_there():
    m = dm.models.get("pursuer-distancer-2d")
    out = classify_trajectory(m, m.params(), [0.5, 0.5], t_max=50.0)
    assert out.kind == "equilibrium" and out.equilibrium_stable is False
    np.testing.assert_allclose(out.equilibrium, [0.5, 0.5], atol=1e-14)


def test_trajectory_passing_near_the_saddle_is_not_stopped_there():
    # Start on the diagonal just above the saddle: the flow slows near (0.5, 0.5)
    # and then runs to the entrenched node.
    m = dm.models.get("pursuer-distancer-2d")
    out = classify_trajectory(m, m.params(), [0.5 + 1e-9, 0.5 + 1e-9], t_max=300.0)
    assert out.kind == "equilibrium" and out.equilibrium_stable is True
    np.testing.assert_allclose(out.equilibrium, [ENTRENCHED] * 2, atol=1e-12)


def test_van_der_pol_trajectory_is_periodic_with_the_reference_period():
    m = problems.van_der_pol()
    out = classify_trajectory(m, m.params(), [0.1, 0.0], t_max=150.0)
    assert out.kind == "periodic"
    assert out.period == pytest.approx(problems.VDP_MU1_PERIOD, abs=1e-6)
    assert out.n_returns >= 4 and out.period_spread < 1e-6


def test_hopf_trajectory_from_outside_is_periodic():
    m = problems.hopf_normal_form()
    p = m.params(mu=0.5, omega=2.0)
    out = classify_trajectory(m, p, [1.8, -1.0], t_max=60.0)
    assert out.kind == "periodic"
    assert out.period == pytest.approx(math.pi, rel=1e-6)
    assert np.hypot(*out.final_state) == pytest.approx(math.sqrt(0.5), rel=1e-6)


def test_diverging_and_undecided_trajectories():
    m = problems.linear_saddle()
    out = classify_trajectory(m, m.params(), [0.1, 0.05], t_max=100.0)
    assert out.kind == "diverged" and "left the box" in out.message
    assert np.max(np.abs(out.final_state)) == pytest.approx(100.0)
    slow = problems.hopf_normal_form()
    out = classify_trajectory(slow, slow.params(mu=-0.01), [1.0, 0.0], t_max=20.0)
    assert out.kind == "undecided" and out.period is None and out.equilibrium is None


def test_a_start_that_settles_exactly_is_classified_as_settled():
    """scipy's hybrid method reports success=False ("xtol is too small") when started on
    a root to rounding error; the trajectory from (0, 0.8) of the anxious-avoidant couple
    then came out 'undecided' (figure 1's caption check failed on a fresh machine)."""
    m = dm.models.get("pursuer-distancer-2d")
    out = dm.classify_trajectory(m, m.preset("anxious-avoidant"), (0.0, 0.8), t_max=200.0)
    assert out.kind == "equilibrium" and out.equilibrium_stable
    np.testing.assert_allclose(out.equilibrium, [0.1366750419, 0.1366750419], rtol=1e-9)
