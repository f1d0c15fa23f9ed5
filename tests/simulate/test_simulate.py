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


# -- issue 12: budgets, stiffness, inputs, values at the parameter bounds ----------------
from dyadmodel.errors import (  # noqa: E402
    BudgetExceededError,
    DyadmodelError,
    InvalidInputError,
)

TWO_D = dm.models.get("pursuer-distancer-2d")
LOW = [0.1367, 0.1367]


def test_an_astronomical_time_span_ends_at_the_equilibrium_quickly():
    # issue 12: t = (0, 1e300) ran into the 2,000,000-evaluation budget (57 s); RK45's
    # steps are stability-limited at the equilibrium, so "auto" switches to LSODA
    run = simulate(TWO_D, None, LOW, (0, 1e300))
    assert run.success and run.t[-1] == 1e300
    assert run.method == "RK45+LSODA" and "stiff" in run.notes[0]
    np.testing.assert_allclose(run.y[:, -1], [0.8 - math.sqrt(0.44)] * 2, atol=1e-6)
    assert run.nfev < 20_000


def test_a_stiff_linear_system_is_detected_and_switched():
    m = dm.models.get("strogatz-linear")
    p = m.params(a=-1e5, b=0.0, c=0.0, d=-1.0)  # eigenvalues -1e5 and -1
    run = simulate(m, p, [1.0, 1.0], (0, 100))
    assert run.success and run.method == "RK45+LSODA"
    np.testing.assert_allclose(run.y[:, -1], [0.0, math.exp(-100)], atol=1e-12)
    fixed = simulate(m, p, [1.0, 1.0], (0, 100), method="RK45", max_evaluations=50_000)
    assert fixed.status == -1 and "maximum number of right-hand-side" in fixed.message
    assert "method='LSODA'" in fixed.message  # the advice names the way out


def test_short_runs_keep_rk45_bit_for_bit():
    a = simulate(TWO_D, None, LOW, (0, 60), stress=stress.pulse(10, 5, 0.5))
    b = simulate(TWO_D, None, LOW, (0, 60), stress=stress.pulse(10, 5, 0.5), method="RK45")
    assert a.method == "RK45" and a.notes == () and np.array_equal(a.y, b.y)


def test_the_wall_clock_budget_ends_the_run_honestly():
    m = dm.models.get("strogatz-linear")
    p = m.params(a=-1e5, b=0.0, c=0.0, d=-1.0)
    run = simulate(m, p, [1.0, 1.0], (0, 100), method="RK45", max_seconds=0.2)
    assert run.status == -1 and not run.success
    assert "time budget (max_seconds = 0.2)" in run.message and run.t[-1] < 100


def test_an_overflowing_input_fails_at_once_with_a_message():
    # issue 12: stress = 1e300 made the Hill terms nan and the solver ran for 40 s
    run = simulate(TWO_D, None, LOW, (0, 60), stress=1e300)
    assert run.status == -1 and run.nfev < 10
    assert "not finite" in run.message and "stress = 1e+300" in run.message


def test_thousands_of_pulses_stay_within_the_breakpoint_budget():
    pulses = sum((stress.pulse(2 + 2 * k, 1, 0.1) for k in range(3000)), start=0)
    with pytest.raises(BudgetExceededError, match="max_breakpoints = 1000"):
        simulate(TWO_D, None, LOW, (0, 7000), stress=pulses, max_breakpoints=1000)
    endless = stress.periodic(1e-6, 5e-7, 0.1)
    with pytest.raises(BudgetExceededError, match=r"about 2e\+12 breakpoints"):
        simulate(TWO_D, None, LOW, (0, 1e6), stress=endless)


def test_a_sum_of_pulses_is_evaluated_once_per_term():
    pulses = sum((stress.pulse(2 + 2 * k, 1, 0.1) for k in range(300)), start=0)
    run = simulate(TWO_D, None, LOW, (0, 610), stress=pulses, t_eval=[1.5, 2.5, 3.5])
    assert run.success and run.breakpoints[:3] == (2.0, 3.0, 4.0)
    np.testing.assert_array_equal(run.inputs["stress"], [0.0, 0.1, 0.0])


@pytest.mark.parametrize(
    "spec",
    [-0.5, stress.pulse(1, 1, -0.5), stress.step(1, 0.2) + stress.step(2, -0.3)],
    ids=["constant", "pulse", "sum dipping below zero"],
)
def test_negative_stress_is_refused_naming_the_bound(spec):
    with pytest.raises(InvalidInputError, match=r"input 'stress'.* below its lower bound 0"):
        simulate(TWO_D, None, LOW, (0, 5), stress=spec)


def test_a_sum_that_stays_non_negative_is_accepted():
    # the range is exact, not an interval bound: 0.2 - 0.2 after t = 2 is 0, not -0.2
    run = simulate(TWO_D, None, LOW, (0, 5), stress=stress.step(1, 0.2) + stress.step(2, -0.2))
    assert run.success and run.inputs["stress"].min() == 0.0


def test_a_stress_function_going_negative_is_refused_during_the_run():
    with pytest.raises(InvalidInputError, match=r"input 'stress' at t = .*below its lower"):
        simulate(TWO_D, None, LOW, (0, 5), stress=lambda t: math.sin(t), max_step=0.1)


def _bound_cases():
    for name in dm.models.names():
        m = dm.models.get(name)
        for p in m.parameters:
            lo, hi = p.bounds
            if math.isfinite(lo) and p.lower_inclusive:
                yield pytest.param(name, p.name, lo, id=f"{name}-{p.name}-low")
            if math.isfinite(hi):
                yield pytest.param(name, p.name, hi, id=f"{name}-{p.name}-high")


def _all_at(m, end):
    values = {}
    for p in m.parameters:
        lo, hi = p.bounds
        if end == "low" and math.isfinite(lo) and p.lower_inclusive:
            values[p.name] = lo
        if end == "high" and math.isfinite(hi):
            values[p.name] = hi
    return values


def _all_cases():
    for name in dm.models.names():
        for end in ("low", "high"):
            yield pytest.param(name, end, None, id=f"{name}-every-{end}")


@pytest.mark.parametrize(("model_name", "parameter", "value"), [*_bound_cases(), *_all_cases()])
def test_every_parameter_at_its_exact_bound_works_or_fails_honestly(model_name, parameter, value):
    m = dm.models.get(model_name)
    if value is None:  # every parameter with a finite bound at that end at once
        p = m.params(_all_at(m, parameter))
    else:
        p = m.params({parameter: value})
    x0 = [0.5 * (lo + hi) for lo, hi in m.domain]
    try:
        run = simulate(m, p, x0, (0, 2), max_seconds=5)
    except DyadmodelError as err:
        assert str(err) and "\n" not in str(err)
        return
    assert run.success or run.message
    assert np.all(np.isfinite(run.y))
