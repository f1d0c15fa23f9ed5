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
