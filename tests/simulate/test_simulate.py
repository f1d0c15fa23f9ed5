"""simulate: closed-form responses, breakpoints, results, failures with advice."""

import dataclasses
import math

import numpy as np
import pytest
from scipy.integrate import solve_ivp

import dyadmodel as dm
from dyadmodel.model import ParameterError
from dyadmodel.simulate import Simulation, simulate, stress


def relax_response(t, k, g, pieces, x0=0.0):
    """Exact solution of x' = k (g s - x) for piecewise-constant s given as [(t_on, s)]."""
    out = np.empty_like(t)
    for j, tj in enumerate(t):
        x, t_prev, s_prev = x0, 0.0, 0.0
        for t_on, s in pieces:
            if t_on >= tj:
                break
            x = g * s_prev + (x - g * s_prev) * math.exp(-k * (t_on - t_prev))
            t_prev, s_prev = t_on, s
        out[j] = g * s_prev + (x - g * s_prev) * math.exp(-k * (tj - t_prev))
    return out


def test_step_input_has_the_exact_response(relax):
    p = relax.params(k=0.7, g=2.0)
    t_eval = np.linspace(0, 20, 201)
    run = simulate(relax, p, [0.0], (0, 20), stress=stress.step(3, 0.5), t_eval=t_eval)
    exact = np.where(t_eval < 3, 0.0, 1.0 * (1 - np.exp(-0.7 * (t_eval - 3))))
    np.testing.assert_allclose(run.y[0], exact, atol=2e-8)
    assert run.status == 0 and run.success and run.breakpoints == (3.0,)


def test_pulse_and_periodic_inputs_have_the_exact_response(relax):
    p = relax.params(k=0.3, g=1.5)
    s = stress.pulse(2, 3, 1.0) + stress.periodic(4, 1, 0.5, start=6)
    t_eval = np.linspace(0, 20, 401)
    run = simulate(relax, p, [0.2], (0, 20), stress=s, t_eval=t_eval, rtol=1e-10, atol=1e-12)
    edges = [0.0, *s.breakpoints(0, 20)]
    pieces = [(t, float(s(t))) for t in edges]
    np.testing.assert_allclose(run.y[0], relax_response(t_eval, 0.3, 1.5, pieces, 0.2), atol=1e-9)
    np.testing.assert_array_equal(run.inputs["s"], s(t_eval))


def test_a_short_pulse_is_not_stepped_over(relax):
    """scipy's corner case: from rest the field vanishes, so the adaptive solver takes huge
    steps and never sees a 0.01-long pulse at t = 50; the breakpoints force it to."""
    k = 0.05
    p = relax.params(k=k, g=1.0)
    pulse = stress.pulse(50, 0.01, 1.0)
    raw = solve_ivp(lambda t, y: k * (pulse(t) - y), (0, 100), [0.0], rtol=1e-8, atol=1e-10)
    assert raw.y[0, -1] == 0.0  # plain solve_ivp misses the pulse entirely

    run = simulate(relax, p, [0.0], (0, 100), stress=pulse)  # max_step=None
    peak = 1 - math.exp(-k * 0.01)
    exact_end = peak * math.exp(-k * (100 - 50.01))
    assert 50.0 in run.t and 50.01 in run.t
    assert run.sol(50.01)[0] == pytest.approx(peak, rel=1e-7)
    assert run.y[0, -1] == pytest.approx(exact_end, rel=1e-6)


def test_without_forcing_it_is_solve_ivp_itself():
    m = dm.models.get("pursuer-distancer")
    p = m.params()
    x0 = [0.5, 0.4, 0.3, 0.9, 0.2, 0.1]
    run = simulate(m, p, x0, (0, 50))
    ref = solve_ivp(m.ode(p), (0, 50), x0, rtol=1e-8, atol=1e-10)
    np.testing.assert_array_equal(run.t, ref.t)
    np.testing.assert_array_equal(run.y, ref.y)
    assert run.nfev == ref.nfev


def test_full_model_pulse_tips_and_the_couple_stays_entrenched():
    """Phenomenon 3 in the full model (its docs: 0.3 for 5 time units tips it)."""
    m = dm.models.get("pursuer-distancer")
    p = m.params()
    eqs = dm.equilibria(m, p)
    balanced, entrenched = eqs[0].state, eqs[2].state
    run = simulate(m, p, balanced, (0, 400), stress=stress.pulse(10, 5, 0.3))
    np.testing.assert_allclose(run.y[:, -1], entrenched, atol=1e-3)
    calm = simulate(m, p, balanced, (0, 400), stress=stress.pulse(10, 5, 0.02))
    np.testing.assert_allclose(calm.y[:, -1], balanced, atol=1e-3)


def test_dense_output_spans_the_pieces_and_results_are_frozen(relax):
    p = relax.params()
    run = simulate(relax, p, [1.0], (0, 10), stress=stress.pulse(2, 1, 1.0) + stress.step(5, 2))
    assert isinstance(run, Simulation)
    np.testing.assert_allclose(run.sol(run.t), run.y, atol=1e-12)
    assert run.sol.t_min == 0 and run.sol.t_max == 10
    with pytest.raises(ValueError):
        run.y[0, 0] = 3.0
    with pytest.raises(dataclasses.FrozenInstanceError):
        run.status = 2
    assert run.state("x") is not None and run.x0.tolist() == [1.0]
    assert "Simulation('test-relax'" in repr(run)


def test_a_plain_function_of_time_is_accepted_as_stress(relax):
    p = relax.params(k=1.0, g=1.0)
    run = simulate(relax, p, [0.0], (0, 10), stress=lambda t: 0.5, t_eval=[10.0])
    assert run.y[0, -1] == pytest.approx(0.5 * (1 - math.exp(-10)), rel=1e-7)
    assert run.inputs["s"].tolist() == [0.5]


def test_divergence_names_the_state_and_its_parameters(runaway):
    run = simulate(runaway, runaway.params(a=1.0), [1.0], (0, 5))
    assert run.status == -1 and not run.success
    assert "'x' diverged" in run.message and "a = 1" in run.message
    assert run.t[-1] < 1.0  # blow-up at t = 1


def test_stiff_runs_stop_with_advice_and_implicit_methods_solve_them(stiff):
    p = stiff.params()
    run = simulate(stiff, p, [0.0, 1.0], (0, 10), max_evaluations=3000)
    assert run.status == -1
    assert "maximum number of right-hand-side evaluations (3000)" in run.message
    assert "LSODA" in run.message and "Radau" in run.message
    assert "stiffness ratio" in run.message
    ok = simulate(stiff, p, [0.0, 1.0], (0, 10), method="LSODA", max_evaluations=3000)
    assert ok.status == 0
    assert ok.y[0, -1] == pytest.approx(math.cos(math.exp(-10)), abs=1e-6)


def test_a_solver_failure_says_where_and_why(singular):
    run = simulate(singular, singular.params(c=1.0), [1.0], (0, 1))
    assert run.status == -1
    assert run.message.startswith("RK45 failed at t = 0.5 (x = ")
    assert "singularity" in run.message and "c = 1" in run.message
    assert run.t[-1] == pytest.approx(0.5, abs=1e-6)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"x0": [0.1]}, r"x0 must have shape \(2,\)"),
        ({"x0": [0.1, float("nan")]}, "not finite"),
        ({"t": (5, 1)}, "end time must be after"),
        ({"t": (0, float("inf"))}, "finite"),
        ({"method": "Euler"}, "not one of"),
        ({"rtol": -1}, "rtol"),
        ({"t_eval": [0, 200]}, "outside the time span"),
        ({"stress": {"noise": 1.0}}, "unknown input"),
        ({"stress": "high"}, "not a stress"),
        ({"max_step": 0}, "max_step"),
    ],
)
def test_bad_arguments_are_refused(kwargs, match):
    m = dm.models.get("pursuer-distancer-2d")
    args = {"x0": [0.1, 0.1], "t": (0, 10)}
    args.update(kwargs)
    with pytest.raises((ValueError, TypeError), match=match):
        simulate(m, m.params(), args.pop("x0"), args.pop("t"), **args)


def test_stress_for_a_model_without_inputs_is_refused(oscillator):
    with pytest.raises(ValueError, match="has no inputs"):
        simulate(oscillator, oscillator.params(), [0, 1], (0, 1), stress=1.0)


def test_bad_parameters_are_parameter_errors():
    m = dm.models.get("pursuer-distancer-2d")
    with pytest.raises(ParameterError, match="anxiety_gain_1"):
        simulate(m, {"anxiety_gain_1": float("nan")}, [0.1, 0.1], (0, 1))
