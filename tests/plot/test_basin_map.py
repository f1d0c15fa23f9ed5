"""Basin maps (dyadmodel/plot/_basins.py)."""

import numpy as np
import pytest

import dyadmodel as dm
from dyadmodel.analysis.cycles import LimitCycle
from dyadmodel.plot import basin_map, phase_portrait


@pytest.fixture(scope="module")
def flagship():
    m = dm.models.get("pursuer-distancer-2d")
    return m, dm.basins(m, m.params(), resolution=41)


def test_codes_and_attractors(flagship):
    m, bm = flagship
    fig = basin_map(bm)
    heat = fig.data[0]
    assert heat.meta["role"] == "basins"
    k = len(bm.names)
    expected = np.where(bm.labels >= 0, bm.labels, np.where(bm.labels == -1, k, k + 1))
    np.testing.assert_array_equal(np.asarray(heat.z), expected)
    # the same shading as the phase portrait's (one shared helper)
    shaded = phase_portrait(m, m.params(), basins=bm, field=None, nullclines=False)
    (same,) = [t for t in shaded.data if t.meta["role"] == "basins"]
    assert same.colorscale == heat.colorscale
    np.testing.assert_array_equal(np.asarray(same.z), np.asarray(heat.z))
    legend = {
        t.meta["basin"]: t.meta["fraction"] for t in fig.data if t.meta["role"] == "basin-legend"
    }
    for name in bm.names:
        assert legend[name] == bm.fractions[name]
    marks = {t.meta["name"]: (t.x[0], t.y[0]) for t in fig.data if t.meta["role"] == "attractor"}
    for att, name in zip(bm.attractors, bm.names):
        assert marks[name] == (att.state[0], att.state[1])
    assert fig.layout.xaxis.title.text.startswith("Partner 1's pursuit")


def test_legend_without_fractions(flagship):
    _, bm = flagship
    names = [
        t.name
        for t in basin_map(bm, fractions_in_legend=False).data
        if t.meta["role"] == "basin-legend"
    ]
    assert names[:2] == ["basin of balanced", "basin of entrenched"]


def test_periodic_orbit_and_slice():
    m = dm.models.get("pursuer-distancer")
    bm = dm.basins(
        m, m.preset("pursue-withdraw-cycles"), x="approach_1", y="avoidance_2", resolution=4
    )
    fig = basin_map(bm)
    (orbit,) = [t for t in fig.data if t.meta["role"] == "attractor"]
    assert isinstance(bm.attractors[0], LimitCycle)
    np.testing.assert_array_equal(orbit.x, bm.attractors[0].state[0])
    np.testing.assert_array_equal(orbit.y, bm.attractors[0].state[3])
    assert "slice at" in fig.layout.title.text
    with pytest.raises(TypeError, match="BasinMap"):
        basin_map(bm.attractors)
