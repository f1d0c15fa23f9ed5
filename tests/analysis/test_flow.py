"""Vector field grids and streamlines (dyadmodel/analysis/flow.py)."""

import numpy as np
import pytest

import dyadmodel as dm
from dyadmodel.analysis.flow import Streamlines, VectorField, streamlines, vector_field


@pytest.fixture(scope="module")
def centre():
    m = dm.models.get("strogatz-linear")
    return m, m.preset("fickle-juliet")  # R' = J, J' = -R: circles about the origin


@pytest.fixture(scope="module")
def flagship():
    m = dm.models.get("pursuer-distancer-2d")
    return m, m.preset("anxious-avoidant")


def test_vector_field_is_the_rhs_on_the_grid(flagship):
    m, p = flagship
    vf = vector_field(m, p, domain=((0, 2), (0, 3)), resolution=(5, 7), inputs={"stress": 0.1})
    assert isinstance(vf, VectorField)
    assert vf.x.shape == (5,) and vf.y.shape == (7,) and vf.u.shape == (7, 5)
    gx, gy = np.meshgrid(vf.x, vf.y)
    f = m.rhs(np.stack([gx, gy]), p, {"stress": 0.1})
    np.testing.assert_array_equal(vf.u, f[0])
    np.testing.assert_array_equal(vf.v, f[1])
    assert vf.states == ("pursuit_1", "distance_2") and vf.inputs == (("stress", 0.1),)
    assert not vf.u.flags.writeable


def test_streamlines_follow_the_closed_orbits_of_a_centre(centre):
    m, p = centre
    sl = streamlines(m, p, density=6)
    assert isinstance(sl, Streamlines) and len(sl.lines) == 36
    for line in sl.lines:
        r = np.hypot(line[0], line[1])
        assert np.ptp(r) < 1e-6 * max(1.0, r.max())


def test_streamlines_run_in_the_direction_of_the_flow(flagship):
    m, p = flagship
    sl = streamlines(m, p, domain=((0, 2.5), (0, 2.5)))
    for line in sl.lines:
        mid = 0.5 * (line[:, 1:] + line[:, :-1])
        step = np.diff(line, axis=1)
        f = m.rhs(mid, p)
        assert np.all(np.sum(step * f, axis=0) > 0)
        assert np.all((line >= 0) & (line <= 2.5))


def test_streamlines_are_short_and_reproducible(flagship):
    m, p = flagship
    a = streamlines(m, p, density=8, length=0.8)
    b = streamlines(m, p, density=8, length=0.8)
    assert len(a.lines) == len(b.lines)
    for la, lb in zip(a.lines, b.lines):
        np.testing.assert_array_equal(la, lb)
    # Arc length in scaled coordinates is at most `length` seed cells.
    width = a.domain[:, 1] - a.domain[:, 0]
    for line in a.lines:
        scaled = line / width[:, None]
        assert np.sum(np.hypot(*np.diff(scaled, axis=1))) <= 0.8 / 8 + 1e-12
    assert a.seeds.shape == (2, len(a.lines)) and np.all(a.speed > 0)


def test_a_seed_on_an_equilibrium_gives_no_line(centre):
    m, p = centre
    # One seed cell: the seed is the centre of the domain, the equilibrium (0, 0).
    assert streamlines(m, p, density=1).lines == ()


def test_larger_models_need_a_slice():
    m = dm.models.get("laura-petrarch")
    with pytest.raises(ValueError, match="slice_values"):
        streamlines(m, m.params(), x="L", y="P")
    sl = streamlines(m, m.params(), x="L", y="P", slice_values={"Z": 5.0}, density=4)
    assert sl.states == ("L", "P") and sl.slice_values == (("Z", 5.0),)
    vf = vector_field(m, m.params(), x="L", y="P", slice_values={"Z": 5.0}, resolution=3)
    assert vf.u.shape == (3, 3)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"density": 0}, "density"),
        ({"length": -1.0}, "length"),
        ({"n_steps": 1}, "n_steps"),
        ({"domain": ((0, 1), (1, 0))}, "min < max"),
    ],
)
def test_bad_arguments_name_the_value(centre, kwargs, match):
    m, p = centre
    with pytest.raises(ValueError, match=match):
        streamlines(m, p, **kwargs)
