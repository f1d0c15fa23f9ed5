"""A slowly ramped parameter follows the stable branches and jumps at the folds (issue 4,
point 4): the hysteresis loop of entrenchment in the reduced pursuer-distancer model."""

import numpy as np
import pytest

import dyadmodel as dm
from dyadmodel.continuation import continuation, hysteresis_sweep

FLAGSHIP = dm.models.get("pursuer-distancer-2d")


def test_flagship_ramp_jumps_at_the_folds():
    """Ramping anxiety_gain_1 up at rate 2e-4 the couple stays balanced until the upper
    fold, where the balanced state vanishes and it jumps to entrenchment; ramping back
    down it stays entrenched until the lower fold. Each jump lies within 0.05 after
    its fold (a slow passage lags a fold by O(rate^(2/3)))."""
    folds = continuation(FLAGSHIP, None, "anxiety_gain_1", (1.0, 4.0)).folds
    lower, upper = sorted(s.value for s in folds)
    h = hysteresis_sweep(FLAGSHIP, None, "anxiety_gain_1", (1.0, 4.0), rate=2e-4)
    (up,) = h.up.jumps
    (down,) = h.down.jumps
    assert upper <= up < upper + 0.05
    assert lower - 0.05 < down <= lower
    # the loop: inside the bistable range the state depends on the ramp's direction
    mid = 0.5 * (lower + upper)
    x_up = np.interp(mid, h.up.values, h.up.states[:, 0])
    x_down = np.interp(mid, h.down.values[::-1], h.down.states[::-1, 0])
    balanced, _, entrenched = dm.equilibria(FLAGSHIP, FLAGSHIP.params(anxiety_gain_1=mid))
    assert x_up == pytest.approx(balanced.state[0], abs=2e-3)
    assert x_down == pytest.approx(entrenched.state[0], abs=2e-2)


def test_ramp_without_folds_has_no_jump():
    """A secure couple (low avoidance gain) has one equilibrium for every anxiety gain in
    the span: no fold, no jump, no loop."""
    p = FLAGSHIP.params(avoidance_gain_2=0.5)
    assert not continuation(FLAGSHIP, p, "anxiety_gain_1", (0.0, 4.0)).folds
    h = hysteresis_sweep(FLAGSHIP, p, "anxiety_gain_1", (0.0, 4.0), rate=1e-3)
    assert len(h.up.jumps) == 0 and len(h.down.jumps) == 0


SPAN = (0.0, 4.0)


@pytest.mark.parametrize(
    ("x0", "shown"),
    [
        ([0.1], "[0.1]"),
        ([0.1, 0.2, 0.3], "[0.1, 0.2, 0.3]"),
        ([[0.1, 0.1]], "[[0.1, 0.1]]"),
        ([float("nan"), 0.1], "[nan, 0.1]"),
        ([float("inf"), 0.1], "[inf, 0.1]"),
        ("ab", "'ab'"),
        ([None, "x"], "[None, 'x']"),
    ],
)
def test_bad_x0_is_refused_up_front(x0, shown):
    """A wrong-length, non-finite or non-numeric x0 is one package error naming x0 and
    the model's states, not a TypeError from the compiled right-hand side."""
    with pytest.raises(dm.InvalidInputError, match="x0") as err:
        hysteresis_sweep(FLAGSHIP, None, "anxiety_gain_1", SPAN, x0=x0, samples=101)
    assert shown in str(err.value) and "pursuit_1, distance_2" in str(err.value)


@pytest.mark.parametrize(
    ("samples", "shown"),
    [
        (0, "samples = 0;"),
        (-5, "samples = -5;"),
        (2, "samples = 2;"),
        (2.5, "samples = 2.5;"),
        (101.0, "samples = 101.0;"),
        (float("nan"), "samples = nan;"),
        (True, "samples = True;"),
        ("10", "samples = '10';"),
        (None, "samples = None;"),
        (10**12, "samples = 1000000000000;"),
    ],
)
def test_bad_samples_is_refused_up_front(samples, shown):
    """samples must be an integer from 3 to 1,000,000: 0 was an AttributeError, a float
    a bare TypeError, a huge one a MemoryError."""
    with pytest.raises(dm.InvalidInputError, match="expected an integer from 3 to") as err:
        hysteresis_sweep(FLAGSHIP, None, "anxiety_gain_1", SPAN, samples=samples)
    assert shown in str(err.value)


@pytest.mark.parametrize(
    ("rate", "shown"),
    [
        (0.0, "= 0.0;"),
        (-1e-3, "= -0.001;"),
        (float("inf"), "= inf;"),
        (float("nan"), "= nan;"),
        (10**400, "= 1000000"),
        ("1", "= '1'"),
        (None, "= None"),
        (1e-300, "rate = 1e-300 is too slow"),
    ],
)
def test_bad_rate_is_refused_up_front(rate, shown):
    """rate must be a positive finite number, slow enough a ramp being at most 1e8 time
    units (an infinite rate was an AttributeError, a tiny one a misleading LSODA
    failure)."""
    with pytest.raises(dm.InvalidInputError, match="rate") as err:
        hysteresis_sweep(FLAGSHIP, None, "anxiety_gain_1", SPAN, rate=rate, samples=101)
    assert shown in str(err.value)


@pytest.mark.parametrize(
    ("span", "error", "shown"),
    [
        ((0.0, float("nan")), dm.ParameterError, "nan"),
        ((0.0, 1e300), dm.ParameterError, "1e+300"),
        ((-1.0, 4.0), dm.ParameterError, "-1"),
        ((0.0, 1.0, 2.0), dm.InvalidInputError, "(0.0, 1.0, 2.0)"),
        ("ab", dm.InvalidInputError, "'ab'"),
        ((2.0, 2.0), dm.InvalidInputError, "(2, 2) is empty"),
    ],
)
def test_bad_span_is_refused_up_front(span, error, shown):
    with pytest.raises(error, match="span") as err:
        hysteresis_sweep(FLAGSHIP, None, "anxiety_gain_1", span, samples=101)
    assert shown in str(err.value)


def test_bad_model_and_param_are_refused_up_front():
    with pytest.raises(dm.InvalidTypeError, match="model = 'pursuer-distancer-2d'"):
        hysteresis_sweep("pursuer-distancer-2d", None, "anxiety_gain_1", SPAN)
    with pytest.raises(dm.ParameterError, match="unknown parameter 'no_such_gain'"):
        hysteresis_sweep(FLAGSHIP, None, "no_such_gain", SPAN)
    with pytest.raises(dm.InvalidTypeError, match="param = 3"):
        hysteresis_sweep(FLAGSHIP, None, 3, SPAN)


def test_given_x0_of_the_right_length_is_used():
    """A valid x0 (any real sequence of n_states numbers) starts the up-ramp."""
    h = hysteresis_sweep(
        FLAGSHIP, None, "anxiety_gain_1", SPAN, rate=1e-2, x0=(0.1, 0.12), samples=3
    )
    assert h.up.values.shape == (3,)
    np.testing.assert_allclose(h.up.states[0], [0.1, 0.12])
