"""Regime maps and the attachment-pairing grid (dyadmodel/plot/_regime.py)."""

import numpy as np
import pytest

import dyadmodel as dm
from dyadmodel.continuation import attachment_regime_table
from dyadmodel.plot import REGIME_COLOURS, attachment_regimes, regime_map


@pytest.fixture(scope="module")
def result():
    m = dm.models.get("pursuer-distancer-2d")
    return dm.regime_map(m, None, ("anxiety_gain_1", (0, 4)), ("avoidance_gain_2", (0, 4)), 7)


def test_heatmap_codes_name_the_regimes(result):
    fig = regime_map(result)
    (heat,) = [t for t in fig.data if t.meta["role"] == "regimes"]
    names = heat.meta["regimes"]
    z = np.asarray(heat.z)
    decoded = np.array(names, dtype=object)[z]
    assert (decoded == result.regimes).all()
    np.testing.assert_array_equal(heat.x, result.x_values)
    # one colour band per regime, in the order of the codes
    colours = [heat.colorscale[2 * k][1] for k in range(len(names))]
    assert colours == [REGIME_COLOURS[n] for n in names]
    swatches = [t.meta["regime"] for t in fig.data if t.meta["role"] == "regime-legend"]
    assert swatches == names


def test_fold_curves_are_drawn_as_given(result):
    fig = regime_map(result)
    curves = [t for t in fig.data if t.meta["role"] == "fold-curve"]
    assert len(curves) == len(result.fold_curves) == 2
    for tr in curves:
        fc = result.fold_curves[tr.meta["index"]]
        np.testing.assert_array_equal(tr.x, fc.x_values)
        np.testing.assert_array_equal(tr.y, fc.y_values)
    assert [t.showlegend for t in curves] == [True, False]
    assert not [
        t for t in regime_map(result, fold_curves=False).data if t.meta["role"] == "fold-curve"
    ]
    assert "avoidance gain" in fig.layout.yaxis.title.text


def test_attachment_grid():
    table = attachment_regime_table(dm.models.get("pursuer-distancer-2d"))
    fig = attachment_regimes(table)
    heat = fig.data[0]
    assert heat.meta["styles_1"] == ["secure", "anxious", "avoidant", "fearful"]
    for r in table:
        i, j = heat.meta["styles_1"].index(r.style_1), heat.meta["styles_2"].index(r.style_2)
        assert heat.meta["regimes"][i][j] == r.regime
        assert r.regime in heat.text[i][j]
    with pytest.raises(ValueError, match="every pairing"):
        attachment_regimes(table[:5])  # anxious partner 1 with secure only
    with pytest.raises(TypeError, match="RegimeMap"):
        regime_map(table)
