"""Stress inputs: values, breakpoints, sums, validation."""

import dataclasses

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dyadmodel.simulate import stress
from dyadmodel.simulate._checks import SpecError


def test_pulse_is_right_continuous_and_lists_its_ends():
    p = stress.pulse(10, 5, 1.5)
    assert [p(t) for t in (9.999, 10.0, 14.999, 15.0)] == [0.0, 1.5, 1.5, 0.0]
    assert p.breakpoints(0, 100) == (10.0, 15.0)
    assert p.breakpoints(12, 100) == (15.0,)
    assert p.breakpoints(10, 15) == ()  # strictly inside only
    np.testing.assert_array_equal(p(np.array([0.0, 12.0, 20.0])), [0.0, 1.5, 0.0])


def test_step_and_periodic_values():
    s = stress.step(3, 0.2)
    assert (s(2.9), s(3), s(1e6)) == (0.0, 0.2, 0.2)
    w = stress.periodic(7, 1, 0.5, start=2)
    times = np.array([0, 2, 2.99, 3, 9, 9.5, 10, 16.5])
    np.testing.assert_array_equal(w(times), [0, 0.5, 0.5, 0, 0.5, 0.5, 0, 0.5])
    assert w.breakpoints(0, 17) == (2.0, 3.0, 9.0, 10.0, 16.0)
    assert w.breakpoints(0, 1.0) == ()


def test_piecewise_linear_interpolates_and_holds_the_ends():
    d = stress.piecewise_linear([0, 1, 3], [0.0, 1.0, 0.0])
    np.testing.assert_allclose(d(np.array([-1, 0.5, 2, 5])), [0.0, 0.5, 0.5, 0.0])
    assert d.breakpoints(-1, 10) == (0.0, 1.0, 3.0)
    f = d.segment_value(1, 3)  # the piece is affine there
    assert f(1.0) == pytest.approx(1.0) and f(3.0) == pytest.approx(0.0)


def test_sums_flatten_and_work_with_builtin_sum():
    a, b, c = stress.pulse(1, 1, 1.0), stress.step(5, 0.5), stress.periodic(10, 2, 0.1)
    s = a + b + c
    assert isinstance(s, stress.StressSum) and len(s.terms) == 3
    assert sum([a, b, c]) == s
    assert s(5.5) == pytest.approx(0.5) and s(1.5) == pytest.approx(1.1)
    assert s.breakpoints(0, 12) == (1.0, 2.0, 5.0, 10.0)


def test_stress_inputs_are_frozen_and_hashable():
    p = stress.pulse(1, 2, 3)
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.size = 4
    assert hash(p) == hash(stress.pulse(1.0, 2.0, 3.0))


@pytest.mark.parametrize(
    ("build", "field"),
    [
        (lambda: stress.pulse(10, -5, 1.0), "duration"),
        (lambda: stress.pulse(10, 0, 1.0), "duration"),
        (lambda: stress.pulse(10, 5, float("nan")), "size"),
        (lambda: stress.pulse(True, 5, 1.0), "start"),
        (lambda: stress.periodic(7, 8, 1.0), "duration"),
        (lambda: stress.periodic(-1, 0.5, 1.0), "period"),
        (lambda: stress.piecewise_linear([0, 2, 1], [0, 1, 2]), "times"),
        (lambda: stress.piecewise_linear([0, 1], [0, 1, 2]), "values"),
        (lambda: stress.piecewise_linear([0], [0]), "times"),
        (lambda: stress.piecewise_linear([0, "1"], [0, 1]), "times[1]"),
    ],
)
def test_bad_values_name_the_field(build, field):
    with pytest.raises(SpecError) as info:
        build()
    assert info.value.field == field
    assert f"{field} = " in str(info.value)


pulses = st.tuples(st.floats(0, 50), st.floats(0.01, 10), st.floats(-2, 2).filter(lambda v: v != 0))


@settings(max_examples=40)
@given(st.lists(pulses, min_size=1, max_size=4), st.floats(0, 60))
def test_segment_values_equal_the_input_inside_every_segment(spec, probe):
    """Between breakpoints, the smooth piece handed to the solver is the input itself."""
    s = sum(stress.pulse(*p) for p in spec) + stress.piecewise_linear([0, 30, 60], [0, 1, 0])
    edges = [0.0, *s.breakpoints(0.0, 70.0), 70.0]
    k = int(np.searchsorted(edges, probe, side="right")) - 1
    a, b = edges[k], edges[k + 1]
    inner = np.linspace(a, b, 7)[1:-1]
    piece = s.segment_value(a, b)
    got = [piece(t) if callable(piece) else piece for t in inner]
    np.testing.assert_allclose(got, s(inner), atol=1e-12)
