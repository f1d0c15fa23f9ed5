"""The shared tolerance check: one accepted range for every integrator entry point."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import dyadmodel as dm
from dyadmodel.errors import ToleranceError
from dyadmodel.simulate import BasinOptions, ensemble, simulate
from dyadmodel.simulate._checks import ATOL_MAX, RTOL_MAX, RTOL_MIN, check_tolerances

TWO_D = dm.models.get("pursuer-distancer-2d")


@given(rtol=st.floats(allow_nan=True, allow_infinity=True), atol=st.floats(allow_nan=True))
def test_accepted_exactly_in_the_documented_range(rtol, atol):
    inside = RTOL_MIN <= rtol <= RTOL_MAX and 0 < atol <= ATOL_MAX
    if inside:
        assert check_tolerances(rtol, atol) == (rtol, atol)
    else:
        with pytest.raises(ToleranceError, match=r"expected (rtol|atol) in"):
            check_tolerances(rtol, atol)


@pytest.mark.parametrize(
    ("rtol", "atol"),
    [(0.5, 1e-10), (1e308, 1e-10), (1e-17, 1e-10), (1e-8, 0.0), (1e-8, 2.0), (1e-8, "1e-9")],
)
def test_every_entry_point_refuses_the_same_values(rtol, atol):
    x0 = [0.1367, 0.1367]
    with pytest.raises(ToleranceError):
        simulate(TWO_D, None, x0, (0, 1), rtol=rtol, atol=atol)
    with pytest.raises(ToleranceError):
        ensemble(TWO_D, None, x0, (0, 1), rtol=rtol, atol=atol, backend="numpy")
    with pytest.raises(ToleranceError):
        BasinOptions(rtol=rtol, atol=atol)


def test_per_state_atol_needs_one_value_per_state():
    r, a = check_tolerances(1e-6, [1e-9, 1e-8], n_states=2)
    assert r == 1e-6 and a.tolist() == [1e-9, 1e-8] and not a.flags.writeable
    with pytest.raises(ToleranceError, match=r"shape \(3,\)"):
        check_tolerances(1e-6, [1e-9] * 3, n_states=2)
    with pytest.raises(ToleranceError, match="out of range"):
        check_tolerances(1e-6, np.array([1e-9, -1.0]), n_states=2)


def test_the_rtol_half_case_of_the_issue_is_refused_not_wrong():
    # issue 12: rtol = 0.5 reported success and ended at 1.45 instead of 0.137
    with pytest.raises(ToleranceError, match=r"rtol = 0\.5 .*\[2\.2e-14, 0\.1\]"):
        simulate(
            TWO_D, None, [0.1367, 0.1367], (0, 60), stress=dm.stress.pulse(10, 5, 0.5), rtol=0.5
        )
    run = simulate(
        TWO_D, None, [0.1367, 0.1367], (0, 60), stress=dm.stress.pulse(10, 5, 0.5), rtol=0.1
    )
    assert run.success
