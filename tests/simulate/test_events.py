"""Events: location accuracy, terminal stops, several crossings in one step, the tipping
threshold and separation in the flagship models."""

import math

import numpy as np
import pytest
from scipy.integrate import solve_ivp

import dyadmodel as dm
from dyadmodel.simulate import events, simulate, stress
from dyadmodel.simulate._settle import attractors
from dyadmodel.simulate.events import crossing_tipping_threshold, event, separation


def test_a_crossing_is_located_to_the_dense_output_accuracy(relax):
    """x' = k (g s - x) after a step at t0 = 1 crosses c at t0 - ln(1 - c / g) / k."""
    k, g, c = 0.4, 2.0, 1.3
    p = relax.params(k=k, g=g)

    def level(t, x):
        return x[0] - c

    run = simulate(relax, p, [0.0], (0, 20), stress=stress.step(1, 1.0), events=[level])
    exact = 1 - math.log(1 - c / g) / k
    (rec,) = run.events
    assert rec.name == "level" and rec.t.size == 1
    assert rec.t[0] == pytest.approx(exact, abs=1e-8)
    assert rec.y[0, 0] == pytest.approx(c, abs=1e-8)
    assert run.status == 0  # not terminal


def test_a_terminal_event_ends_the_run_there(relax):
    k, g, c = 0.4, 2.0, 1.3
    ev = event(lambda t, x: x[0] - c, name="high", terminal=True, direction=1)
    run = simulate(
        relax,
        relax.params(k=k, g=g),
        [0.0],
        (0, 20),
        stress=stress.step(1, 1.0),
        events=ev,
        t_eval=np.linspace(0, 20, 21),
    )
    exact = 1 - math.log(1 - c / g) / k
    assert run.status == 1 and run.terminated_by == "high"
    assert run.event("high").t[0] == pytest.approx(exact, abs=1e-8)
    assert run.t[-1] <= exact and run.t.size == math.floor(exact) + 1
    assert run.sol.t_max == run.event("high").t[0]
    assert "'high'" in run.message


@pytest.mark.parametrize("level", [0.9999, 0.99999])
def test_several_crossings_in_one_step_are_all_found(oscillator, level):
    """x = sin t exceeds `level` for 2 acos(level) = 0.028 (0.009) around each peak, much
    less than one solver step (about 0.1): scipy's sign test at the step ends sees nothing.
    The sampled scan (0.028) or the extremum check (0.009) finds both crossings per peak.
    Near a peak the crossing is ill-conditioned (slope sqrt(1 - level^2)): a state error of
    about rtol = 1e-8 moves it by rtol / slope."""
    p = oscillator.params(w=1.0)

    def g(t, x):
        return x[0] - level

    raw = solve_ivp(
        lambda t, y: [y[1], -y[0]], (0, 20), [0.0, 1.0], rtol=1e-8, atol=1e-10, events=g
    )
    assert raw.t_events[0].size == 0  # the corner case is real
    assert np.diff(raw.t).max() > 4 * math.acos(level)

    run = simulate(oscillator, p, [0.0, 1.0], (0, 20), events=[g])
    half = math.acos(level)
    peaks = [math.pi / 2 + 2 * math.pi * j for j in range(3)]
    exact = sorted([pk - half for pk in peaks] + [pk + half for pk in peaks])
    np.testing.assert_allclose(run.events[0].t, exact, atol=5e-8 / math.sqrt(1 - level**2))


def test_direction_selects_rising_or_falling_crossings(oscillator):
    p = oscillator.params(w=1.0)
    up = event(lambda t, x: x[0], name="up", direction=1)
    down = event(lambda t, x: x[0], name="down", direction=-1)
    run = simulate(oscillator, p, [-0.5, 1.0], (0, 13), events=[up, down])
    t0 = math.asin(0.5 / math.hypot(0.5, 1.0))  # x = hypot sin(t - t0), zero at t0 + k pi
    np.testing.assert_allclose(run.event("up").t, [t0, t0 + 2 * math.pi], atol=1e-8)
    np.testing.assert_allclose(run.event("down").t, [t0 + math.pi, t0 + 3 * math.pi], atol=1e-8)


def test_wrapping_reads_scipy_attributes_and_duplicate_names_are_told_apart(oscillator):
    def hit(t, x):
        return x[1]

    hit.terminal, hit.direction = True, -1
    ev = event(hit)
    assert (ev.name, ev.terminal, ev.direction) == ("hit", True, -1)
    run = simulate(oscillator, oscillator.params(), [0, 1], (0, 10), events=[hit, ev])
    assert [r.name for r in run.events] == ["hit", "hit (2)"]
    assert run.t[-1] == pytest.approx(math.pi / 2, abs=1e-8)


@pytest.fixture(scope="module")
def flagship2d():
    m = dm.models.get("pursuer-distancer-2d")
    return m, m.params()


def test_tipping_threshold_is_positive_on_the_entrenched_side(flagship2d):
    m, p = flagship2d
    ev = crossing_tipping_threshold(m, p)
    g = ev.build(m, p)
    assert g(0, np.array([1.4633, 1.4633])) > 0 > g(0, np.array([0.1367, 0.1367]))
    assert abs(g(0, np.array([0.5, 0.5]))) < 1e-6  # the saddle lies on the threshold


def test_the_side_of_the_threshold_is_the_basin(flagship2d):
    """Signed distance and deterministic settling agree on a grid of starts."""
    m, p = flagship2d
    ev = crossing_tipping_threshold(m, p)
    g = ev.build(m, p)
    xs = np.linspace(0.05, 2.0, 8)
    grid = np.array(np.meshgrid(xs, xs)).reshape(2, -1)
    side = g(0, grid)
    keep = np.abs(side) > 0.02
    att = attractors(m, p)
    settled = att.classify(grid[:, keep])
    entrenched = att.index("entrenched")
    np.testing.assert_array_equal(settled == entrenched, side[keep] > 0)


def test_a_stress_pulse_crosses_the_threshold_once_and_back_after_self_soothing(flagship2d):
    from dyadmodel.simulate import interventions as iv

    m, p = flagship2d
    up = crossing_tipping_threshold(m, p, direction=1)
    run = simulate(
        m,
        p,
        [0.1367, 0.1367],
        (0, 200),
        stress=stress.pulse(10, 5, 0.5),
        interventions=iv.self_soothing(1, to=1.2, start=60, ramp=5, end=120),
        events=[up, crossing_tipping_threshold(m, p, direction=-1)],
    )
    (t_up,), (t_down,) = run.events[0].t, run.events[1].t
    assert 10 < t_up < 15 and 65 < t_down < 80


def test_the_tipping_threshold_needs_a_planar_bistable_model():
    full = dm.models.get("pursuer-distancer")
    with pytest.raises(ValueError, match="planar"):
        crossing_tipping_threshold(full, full.params())
    m = dm.models.get("pursuer-distancer-2d")
    with pytest.raises(ValueError, match="no single tipping threshold"):
        crossing_tipping_threshold(m, m.preset("secure"))


def test_separation_is_terminal_on_the_largest_avoidance():
    m = dm.models.get("pursuer-distancer")
    p = m.params()
    run = simulate(
        m,
        p,
        [0.141, 0.162, 0.401, 0.148, 0.041, 0.007],
        (0, 100),
        stress=stress.step(5, 1.0),
        events=separation(1.5),
    )
    assert run.status == 1 and run.terminated_by == "separation"
    t_sep = run.event("separation").t[0]
    w = run.sol(t_sep)[[1, 3]]
    assert max(w) == pytest.approx(1.5, abs=1e-8)
    assert run.t[-1] == pytest.approx(t_sep)
    one = separation(1.0, states=["avoidance_1"]).build(m, p)
    assert one(0, np.array([0, 1.2, 0, 5.0, 0, 0])) == pytest.approx(0.2)


def test_separation_needs_an_avoidance_state(oscillator):
    with pytest.raises(ValueError, match="no avoidance or distance state"):
        simulate(oscillator, oscillator.params(), [0, 1], (0, 1), events=events.separation(1.0))
