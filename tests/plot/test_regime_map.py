"""Regime maps and the attachment-pairing grid (dyadmodel/plot/_regime.py)."""

import numpy as np
import pytest

import dyadmodel as dm
from dyadmodel.continuation import CycleCurveOptions, attachment_regime_table
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


# -- Hopf and cycle curves (issue 16 §4) ------------------------------------------------------
@pytest.fixture(scope="module")
def bautin_map():
    """Bautin normal form r' = r (a + s r^2 - r^4): Hopf line a = 0 with a Bautin point
    at s = 0, folds of cycles on a = -s^2/4 (s > 0)."""
    m = dm.Model.from_equations(
        {
            "x": "a*x - y + x*(s*(x**2 + y**2) - (x**2 + y**2)**2)",
            "y": "x + a*y + y*(s*(x**2 + y**2) - (x**2 + y**2)**2)",
        },
        {"a": 0.0, "s": 1.0},
        name="bautin-map",
    )
    opts = CycleCurveOptions(refine_ends=1, cycle=dm.CycleOptions(ntst=16))
    return dm.regime_map(
        m, None, ("a", (-0.45, 0.45)), ("s", (0.5, 1.0)), (4, 2), cycle_curves=True,
        cycle_options=opts,
    )  # fmt: skip


def test_hopf_and_cycle_curves_drawn(bautin_map):
    r = bautin_map
    fig = regime_map(r, hopf_curves=True)
    roles = [t.meta["role"] for t in fig.data]
    (hopf,) = [t for t in fig.data if t.meta["role"] == "hopf-curve"]
    np.testing.assert_array_equal(hopf.x, r.hopf_curves[0].x_values)
    (lpc,) = [t for t in fig.data if t.meta["role"] == "lpc-curve"]
    np.testing.assert_allclose(lpc.x, -(np.asarray(lpc.y) ** 2) / 4, atol=1e-9)
    assert lpc.line.dash == "dash" and "homoclinic-curve" not in roles  # none here
    # the Bautin point (s = 0) lies outside this map's s range; none drawn
    assert "bautin" not in roles
    plain = [t.meta["role"] for t in regime_map(r, cycle_curves=False).data]
    assert "lpc-curve" not in plain and "hopf-curve" not in plain
    assert REGIME_COLOURS["cycle and steady state"].startswith("#")
