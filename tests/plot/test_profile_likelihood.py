"""Profile-likelihood panels (dyadmodel/plot/_profile.py): drawn data equal the profiles'."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from dyadmodel.errors import InvalidInputError, InvalidTypeError
from dyadmodel.fit import Profile
from dyadmodel.plot import profile_likelihood

CHI2_95 = stats.chi2.ppf(0.95, 1)


def parabola(name, estimate, se, ci=None, verdict="identifiable"):
    """A quadratic profile: delta_nll = (value - estimate)^2 / (2 se^2)."""
    values = estimate + se * np.linspace(-3.0, 3.0, 13)
    delta = (values - estimate) ** 2 / (2 * se**2)
    if ci is None:
        half = se * math.sqrt(CHI2_95)
        ci = (estimate - half, estimate + half)
    return Profile(name, estimate, values, delta, ci, verdict)


def by_role(fig, role):
    return [t for t in fig.data if t.meta["role"] == role]


@settings(max_examples=20, deadline=None)
@given(
    estimate=st.floats(-5.0, 5.0),
    se=st.floats(0.01, 3.0),
)
def test_drawn_ratio_is_twice_the_rise_and_the_interval_meets_the_threshold(estimate, se):
    prof = parabola("k", estimate, se)
    fig = profile_likelihood(prof)
    (curve,) = by_role(fig, "profile")
    np.testing.assert_array_equal(curve.x, prof.values)
    np.testing.assert_array_equal(curve.y, 2 * prof.delta_nll)
    (line,) = by_role(fig, "threshold")
    assert list(line.y) == pytest.approx([CHI2_95, CHI2_95], rel=1e-12)
    (interval,) = by_role(fig, "interval")
    assert list(interval.x) == list(prof.ci)
    # a quadratic profile crosses chi2(1, 0.95) at estimate -+ z(0.975) se
    z = stats.norm.ppf(0.975)
    assert list(interval.x) == pytest.approx([estimate - z * se, estimate + z * se], abs=1e-12)
    (est,) = by_role(fig, "estimate")
    assert list(est.x) == [estimate] and list(est.y) == [0.0]


def test_panels_titles_open_ends_and_axis_range():
    a = parabola("anxiety_gain_1", 2.0, 0.1)
    b = parabola("d", 1.5, 0.5, ci=(1.1, math.nan), verdict="practically non-identifiable")
    fig = profile_likelihood({"a": a, "b": b}, labels=["couple 1 · a", "couple 1 · d"], columns=1)
    assert [ann.text for ann in fig.layout.annotations] == [
        "couple 1 · a: identifiable",
        "couple 1 · d: practically non-identifiable",
    ]
    assert {t.xaxis for t in by_role(fig, "profile")} == {"x", "x2"}
    interval = by_role(fig, "interval")[1]
    assert list(interval.x) == [1.1, b.values.max()]  # the open end reaches the last value
    assert "open" in interval.text[1]
    assert list(interval.marker.symbol) == ["line-ns-open", "triangle-right"]
    # default range: the highest point (-2 log LR = 9 at 3 SE) plus 8%, ...
    assert fig.layout.yaxis.range[1] == pytest.approx(9 * 1.08)
    # ... but three times the threshold at most, so the line stays readable
    steep = parabola("k", 0.0, 0.01, ci=(-0.0196, 0.0196))
    steep = Profile("k", 0.0, steep.values * 10, steep.delta_nll * 100, steep.ci, "identifiable")
    assert profile_likelihood(steep).layout.yaxis.range[1] == pytest.approx(3 * CHI2_95)
    assert profile_likelihood(a, y_max=5.0).layout.yaxis.range[1] == 5.0
    # one legend entry per role
    assert sum(t.showlegend is not False for t in fig.data) == 4


def test_refusals_name_the_value():
    a = parabola("k", 1.0, 0.2)
    with pytest.raises(InvalidTypeError, match="Profile"):
        profile_likelihood("k")
    with pytest.raises(InvalidTypeError, match="dict"):
        profile_likelihood([a, {"k": 1}])
    with pytest.raises(InvalidInputError, match="empty"):
        profile_likelihood([])
    with pytest.raises(InvalidInputError, match="1 strings"):
        profile_likelihood(a, labels=["x", "y"])
    with pytest.raises(InvalidInputError, match="columns = 0"):
        profile_likelihood(a, columns=0)
    with pytest.raises(InvalidInputError, match="y_max"):
        profile_likelihood(a, y_max=-1.0)
