"""Figures take result objects wherever they take arrays (dyadmodel/plot/_results.py):
the figure drawn from a result has exactly the data of the figure drawn from its arrays."""

import numpy as np
import pytest

import dyadmodel as dm
from dyadmodel.plot import phase_portrait, time_series


@pytest.fixture(scope="module")
def setting():
    m = dm.models.get("pursuer-distancer-2d")
    p = m.preset("anxious-avoidant")
    run = dm.simulate(m, p, [0.1, 0.3], (0, 6), stress=dm.stress.pulse(1.0, 1.0, 0.4))
    return m, p, run


def _data(fig):
    """Every trace's kind, coordinates and meta, comparable with ==."""
    out = []
    for tr in fig.data:
        xs = None if tr.x is None else np.asarray(tr.x, dtype=float).tolist()
        ys = None if tr.y is None else np.asarray(tr.y, dtype=float).tolist()
        out.append((tr.type, tr.name, xs, ys, tr.meta))
    return out


def _portrait(m, p, **kw):
    return phase_portrait(
        m, p, field=None, nullclines=False, separatrices=False, equilibria=False, **kw
    )


def test_a_simulation_draws_as_its_array(setting):
    m, p, run = setting
    got = _portrait(m, p, trajectories=[run, ("named", run)])
    want = _portrait(m, p, trajectories=[run.y, ("named", run.y)])
    assert _data(got) == _data(want)
    assert [t.meta["role"] for t in got.data].count("trajectory") == 2
    # one result instead of a list of them
    assert _data(_portrait(m, p, trajectories=run)) == _data(_portrait(m, p, trajectories=[run.y]))


def test_multi_trajectory_results_draw_one_curve_each_in_one_colour(setting):
    m, p, _ = setting
    x0 = np.array([[0.1, 2.0, 3.0], [0.2, 2.5, 0.5]])
    ens = dm.ensemble(m, p, x0, (0, 5), t_samples=np.linspace(0, 5, 11), backend="numpy")
    got = _portrait(m, p, trajectories=[ens])
    want = _portrait(m, p, trajectories=[("x", ens.samples[:, j]) for j in range(3)])
    lines = [t for t in got.data if t.meta["role"] == "trajectory"]
    assert len(lines) == 3 and len({t.line.color for t in lines}) == 1
    for a, b in zip(lines, (t for t in want.data if t.meta["role"] == "trajectory")):
        assert np.asarray(a.x).tolist() == np.asarray(b.x).tolist()
        assert np.asarray(a.y).tolist() == np.asarray(b.y).tolist()
    no_samples = dm.ensemble(m, p, x0, (0, 5), backend="numpy")
    with pytest.raises(ValueError, match="t_samples"):
        _portrait(m, p, trajectories=[no_samples])


def test_a_limit_cycle_and_a_branch_draw_as_their_curves(setting):
    m3 = dm.models.get("laura-petrarch")
    c = dm.limit_cycle(m3, None, x0=[1.0, 1.0, 1.0])
    kw = {"field": None, "nullclines": False, "separatrices": False, "equilibria": False}
    got = phase_portrait(m3, None, trajectories=[c], **kw)
    assert _data(got) == _data(phase_portrait(m3, None, trajectories=[c.state], **kw))
    m, p, _ = setting
    br = dm.continuation(m, p, "anxiety_gain_1", (0.0, 4.0)).branches[0]
    assert _data(_portrait(m, p, trajectories=[br])) == _data(
        _portrait(m, p, trajectories=[br.states.T])
    )


def test_equilibria_as_a_set_one_equilibrium_or_a_list(setting):
    m, p, _ = setting
    eqs = dm.equilibria(m, p)
    kw = {"field": None, "nullclines": False, "separatrices": False}
    assert _data(phase_portrait(m, p, equilibria=eqs, **kw)) == _data(
        phase_portrait(m, p, equilibria=list(eqs), **kw)
    )
    one = phase_portrait(m, p, equilibria=eqs[1], **kw)
    assert [t.meta["stability"] for t in one.data] == ["saddle"]
    with pytest.raises(TypeError, match="Equilibrium"):
        phase_portrait(m, p, equilibria=3, **kw)


def test_a_result_from_another_model_is_refused(setting):
    _m, _p, run = setting
    other = dm.models.get("strogatz-linear")
    with pytest.raises(ValueError, match="pursuer-distancer-2d"):
        phase_portrait(other, None, field=None, nullclines=False, trajectories=[run])
    with pytest.raises(ValueError, match="strogatz-linear"):
        time_series(run, model=other)


def test_time_series_of_a_simulation_equals_the_arrays_and_draws_its_input(setting):
    m, _, run = setting
    assert _data(time_series(run)) == _data(time_series(run.t, run.y, m))
    with_input = time_series(run, stress=True)
    assert _data(with_input) == _data(time_series(run.t, run.y, m, stress=run.inputs["stress"]))
    s = next(t for t in with_input.data if t.meta["role"] == "stress")
    # the pulse in closed form: 0.4 on [1, 2)
    np.testing.assert_array_equal(
        np.asarray(s.y, float), np.where((run.t >= 1) & (run.t < 2), 0.4, 0)
    )
    assert _data(time_series(run, stress="stress")) == _data(with_input)
    with pytest.raises(ValueError, match="no-such-input"):
        time_series(run, stress="no-such-input")
    with pytest.raises(ValueError, match="Simulation"):
        time_series(run.t, run.y, m, stress=True)
    with pytest.raises(ValueError, match="alone"):
        time_series(run, run.y)
    with pytest.raises(TypeError, match="model"):
        time_series(run.t, run.y)
