"""States against time (dyadmodel/plot/_timeseries.py)."""

import numpy as np
import pytest

import dyadmodel as dm
from dyadmodel.plot import time_series


@pytest.fixture(scope="module")
def model():
    return dm.models.get("pursuer-distancer-2d")


def test_states_and_stress_panel(model):
    t = np.linspace(0, 10, 11)
    y = np.vstack([np.sin(t), np.cos(t)])
    fig = time_series(t, y, model, stress=lambda tt: (tt > 5) * 0.3)
    roles = [tr.meta["role"] for tr in fig.data]
    assert roles == ["state", "state", "stress"]
    np.testing.assert_array_equal(np.asarray(fig.data[1].y, float), y[1])
    np.testing.assert_array_equal(np.asarray(fig.data[2].y, float), (t > 5) * 0.3)
    assert fig.data[2].yaxis == "y2" and fig.data[0].yaxis == "y"
    assert "Partner 1's pursuit" in fig.data[0].name
    assert fig.layout.xaxis2.title.text.startswith("time")


def test_subset_of_states_without_stress():
    m = dm.models.get("laura-petrarch")
    t = np.linspace(0, 1, 4)
    fig = time_series(t, np.zeros((3, 4)), m, states=["P"])
    assert [tr.meta["state"] for tr in fig.data] == ["P"]
    assert fig.layout.yaxis.title.text == "feeling (arbitrary units)"


def test_shapes_are_checked(model):
    t = np.linspace(0, 1, 5)
    with pytest.raises(ValueError, match="shape"):
        time_series(t, np.zeros((3, 5)), model)
    with pytest.raises(ValueError, match="stress"):
        time_series(t, np.zeros((2, 5)), model, stress=np.zeros(4))
