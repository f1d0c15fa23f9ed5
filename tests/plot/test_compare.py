"""Panels side by side (dyadmodel/plot/_compare.py)."""

import numpy as np
import pytest

import dyadmodel as dm
from dyadmodel.plot import compare, phase_portrait, time_series


def test_side_by_side_portraits_keep_traces_axes_and_one_legend():
    m = dm.models.get("pursuer-distancer-2d")
    a = phase_portrait(m, m.preset("secure"), field=None)
    b = phase_portrait(m, m.preset("anxious-avoidant"), field=None)
    fig = compare([a, b], ["secure", "anxious–avoidant"], shared_yaxes=True)
    assert len(fig.data) == len(a.data) + len(b.data)
    assert {t.xaxis for t in fig.data} == {"x", "x2"}
    # Equilibria of each panel stay in that panel.
    right = [t for t in fig.data if t.xaxis == "x2" and t.meta["role"] == "equilibrium"]
    assert sum(len(t.x) for t in right) == 3
    names = [(t.legendgroup, t.name) for t in fig.data if t.showlegend is not False]
    assert len(names) == len(set(names))
    assert fig.layout.xaxis2.title.text == a.layout.xaxis.title.text
    assert list(fig.layout.xaxis2.range) == list(b.layout.xaxis.range)
    assert [ann.text for ann in fig.layout.annotations] == ["secure", "anxious–avoidant"]
    assert fig.layout.meta["panels"][1]["params"]["anxiety_gain_1"] == 2.0
    # The originals are not changed.
    assert {t.xaxis for t in b.data} <= {None, "x"}


def test_multi_panel_figures_are_refused():
    m = dm.models.get("pursuer-distancer-2d")
    t = np.linspace(0, 1, 3)
    ts = time_series(t, np.zeros((2, 3)), m, stress=np.zeros(3))
    with pytest.raises(ValueError, match="several panels"):
        compare([ts])
    with pytest.raises(ValueError, match="titles"):
        compare([phase_portrait(m, field=None)], ["a", "b"])
