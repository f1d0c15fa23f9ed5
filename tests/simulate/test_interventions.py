"""Interventions: schedules, composition, validation against bounds, exact ramps in runs."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import dyadmodel as dm
from dyadmodel.model import ParameterError
from dyadmodel.simulate import interventions as iv
from dyadmodel.simulate import simulate
from dyadmodel.simulate._checks import SpecError
from dyadmodel.simulate.interventions import PeriodicPulse, Ramp


@pytest.fixture(scope="module")
def flagship2d():
    m = dm.models.get("pursuer-distancer-2d")
    return m, m.params()


@pytest.fixture(scope="module")
def full():
    m = dm.models.get("pursuer-distancer")
    return m, m.params()


def test_ramp_weight_rises_holds_and_falls_back():
    r = Ramp("k", start=10, ramp=4, end=20, to=1.0)
    assert [r.weight(t) for t in (9, 10, 12, 14, 19.9, 20, 22, 24, 30)] == [
        0.0,
        0.0,
        0.5,
        1.0,
        1.0,
        1.0,
        0.5,
        0.0,
        0.0,
    ]
    assert r.breakpoints() == (10.0, 14.0, 20.0, 24.0)
    abrupt = Ramp("k", start=10, to=1.0)
    assert (abrupt.weight(9.99), abrupt.weight(10)) == (0.0, 1.0)


def test_segment_weight_gives_one_sided_values_at_the_ends():
    """On [start, end] of an abrupt change the weight is 1 at both ends (w(end) = 0)."""
    r = Ramp("k", start=10, end=20, to=1.0)
    assert r.segment_weight(10, 20) == 1.0
    assert r.weight(20) == 0.0
    ramp = Ramp("k", start=10, ramp=4, to=1.0)
    w = ramp.segment_weight(10, 14)
    assert w(14) == pytest.approx(1.0) and w(10) == pytest.approx(0.0)


@settings(max_examples=50)
@given(st.floats(-10, 10), st.floats(0.01, 5), st.floats(0, 10), st.floats(-10, 30))
def test_ramp_weight_is_continuous_and_bounded(start, ramp, hold, t):
    r = Ramp("k", start=start, ramp=ramp, end=start + ramp + hold, to=1.0)
    w = r.weight(t)
    assert 0.0 <= w <= 1.0
    eps = 1e-9
    assert abs(r.weight(t + eps) - w) <= eps / ramp + 1e-12


def test_value_at_and_composition_order(flagship2d):
    m, p = flagship2d
    soothe = iv.self_soothing(1, to=1.5)
    name = iv.naming_the_cycle(0.8)
    assert (name + soothe).value_at(m, p, "anxiety_gain_1", 1.0) == pytest.approx(1.5)
    assert (soothe + name).value_at(m, p, "anxiety_gain_1", 1.0) == pytest.approx(1.2)
    assert (soothe + name).name == "self-soothing (partner 1) + naming the cycle (x 0.8)"


def test_naming_the_cycle_scales_only_the_gains_the_model_has(flagship2d, full):
    m, _ = flagship2d
    changed = {c.parameter for c in iv.naming_the_cycle(0.5).resolved(m)}
    assert changed == {"anxiety_gain_1", "avoidance_gain_2"}
    mf, _ = full
    assert len(iv.naming_the_cycle(0.5).resolved(mf)) == 4


def test_unknown_parameters_are_refused_with_a_suggestion(flagship2d):
    m, _ = flagship2d
    with pytest.raises(ParameterError, match=r"'anxiety_gain1'.*did you mean 'anxiety_gain_1'"):
        iv.intervention("anxiety_gain1", to=1.0).resolved(m)
    # the reduced model has no approach of partner 2: check-ins must name another parameter
    with pytest.raises(ParameterError, match="approach_baseline_2"):
        iv.scheduled_checkins(7, 1, 0.5).resolved(m)
    assert iv.scheduled_checkins(7, 1, 0.5, parameter="approach_baseline_1").resolved(m)


@pytest.mark.parametrize(
    ("intervention", "parameter", "value"),
    [
        (iv.self_soothing(1, to=-1.0), "anxiety_gain_1", "-1"),
        (iv.intervention("threshold_1", factor=0.0), "threshold_1", "0"),
        (iv.intervention("anxiety_gain_1", to=25.0, start=50, ramp=10), "anxiety_gain_1", "25"),
        (iv.regulation_skills(1, recovery_factor=200.0), "recovery_rate_1", "200"),
    ],
)
def test_values_outside_bounds_are_refused_before_integrating(
    flagship2d, intervention, parameter, value
):
    m, p = flagship2d
    with pytest.raises(ParameterError) as info:
        simulate(m, p, [0.1, 0.1], (0, 1), interventions=intervention)
    text = str(info.value)
    assert repr(parameter) in text and f"to {value}" in text and intervention.name in text


def test_periodic_pulses_are_validated_at_their_peak(full):
    m, p = full
    bad = iv.scheduled_checkins(7, 1, -0.5)  # would drive approach_baseline_2 to -0.4
    with pytest.raises(ParameterError, match=r"approach_baseline_2.*-0\.4"):
        bad.validate(m, p)
    iv.scheduled_checkins(7, 1, 2.0).validate(m, p)


def test_periodic_pulse_schedule():
    c = PeriodicPulse("b", period=7, duration=1, size=2.0, start=3, end=17)
    assert [c.apply(t, 0.1) for t in (2.9, 3, 3.99, 4, 10.5, 17.5)] == [
        0.1,
        2.1,
        2.1,
        0.1,
        2.1,
        0.1,
    ]
    assert c.breakpoints_in(0, 30) == (3.0, 4.0, 10.0, 11.0)


@pytest.mark.parametrize(
    "build",
    [
        lambda: iv.self_soothing(1),
        lambda: iv.self_soothing(3, to=1.0),
        lambda: iv.emotional_availability(2),
        lambda: iv.regulation_skills(),
        lambda: iv.naming_the_cycle(1.2),
        lambda: iv.intervention("k", to=1.0, start=5, ramp=2, end=6),
        lambda: iv.scheduled_checkins(1, 2, 0.5),
    ],
)
def test_constructor_mistakes_are_spec_errors(build):
    with pytest.raises(SpecError):
        build()


def test_a_ramped_rate_matches_the_closed_form(relax):
    """x' = k(t) (1 - x) with k ramping from 0.5 to 2 over [2, 6]: x = 1 - exp(-int k)."""
    p = relax.params(k=0.5, g=1.0)
    ramp = iv.intervention("k", to=2.0, start=2, ramp=4, end=10)
    t_eval = np.linspace(0, 16, 161)
    run = simulate(
        relax,
        p,
        [0.0],
        (0, 16),
        stress=1.0,
        interventions=ramp,
        t_eval=t_eval,
        rtol=1e-10,
        atol=1e-12,
    )

    def integral(t):  # int_0^t k
        if t <= 2:
            return 0.5 * t
        if t <= 6:
            return 1.0 + 0.5 * (t - 2) + 1.5 * (t - 2) ** 2 / 8
        if t <= 10:
            return integral(6) + 2.0 * (t - 6)
        if t <= 14:
            u = t - 10
            return integral(10) + 2.0 * u - 1.5 * u**2 / 8
        return integral(14) + 0.5 * (t - 14)

    exact = np.array([1 - math.exp(-integral(t)) for t in t_eval])
    np.testing.assert_allclose(run.y[0], exact, atol=1e-8)
    assert run.breakpoints == (2.0, 6.0, 10.0, 14.0)
    np.testing.assert_allclose(
        run.parameter_values("k", [0, 4, 8, 12, 15]), [0.5, 1.25, 2, 1.25, 0.5]
    )
    assert run.params_at(8)["k"] == 2.0 and run.varied_parameters == ("k",)
