"""Bifurcation diagrams (dyadmodel/plot/_bifurcation.py)."""

import numpy as np
import pytest

import dyadmodel as dm
from dyadmodel.plot import bifurcation_diagram
from dyadmodel.plot._bifurcation import _stability_runs


@pytest.fixture(scope="module")
def flagship():
    m = dm.models.get("pursuer-distancer-2d")
    d = dm.continuation(m, None, "anxiety_gain_1", (0.0, 4.0))
    h = dm.hysteresis_sweep(m, None, "anxiety_gain_1", (0.0, 4.0), rate=2e-3, samples=1001)
    return m, d, h


def by_role(fig, role):
    return [t for t in fig.data if t.meta["role"] == role]


def test_branches_split_by_stability(flagship):
    _, d, _ = flagship
    fig = bifurcation_diagram(d, "distance_2")
    (stable,) = by_role(fig, "stable-branch")
    (unstable,) = by_role(fig, "unstable-branch")
    assert stable.line.dash == "solid" and unstable.line.dash == "dash"
    br = d.branches[0]
    # Every point of the branch is drawn, in the trace of its stability (run
    # boundaries are shared, so each trace holds its own points plus at most the
    # neighbours across a change of stability).
    ys = np.asarray(stable.y, float)
    on_stable = br.states[br.n_unstable == 0, 1]
    on_unstable = br.states[br.n_unstable > 0, 1]
    assert np.all(np.isin(on_stable, ys))
    assert np.all(np.isin(on_unstable, np.asarray(unstable.y, float)))
    assert np.sum(np.isnan(ys)) == 1  # two stable stretches: balanced and entrenched
    assert fig.layout.yaxis.title.text.startswith("Partner 2's distance")
    assert "anxiety gain" in fig.layout.xaxis.title.text


def test_special_points_are_the_diagrams(flagship):
    _, d, _ = flagship
    fig = bifurcation_diagram(d, 0)
    (folds,) = by_role(fig, "fold")
    assert folds.meta["values"] == [s.value for s in d.folds]
    np.testing.assert_array_equal(folds.x, [s.value for s in d.folds])
    np.testing.assert_array_equal(folds.y, [s.state[0] for s in d.folds])
    assert not by_role(fig, "hopf") and not by_role(fig, "branch point")
    assert len(fig.layout.annotations) == 2 and "fold" in fig.layout.annotations[0].text
    assert len(bifurcation_diagram(d, label_points=False).layout.annotations) == 0


def test_hysteresis_overlay(flagship):
    _, d, h = flagship
    fig = bifurcation_diagram(d, "pursuit_1", hysteresis=h)
    (up,) = by_role(fig, "sweep-up")
    (down,) = by_role(fig, "sweep-down")
    np.testing.assert_array_equal(up.x, h.up.values)
    np.testing.assert_array_equal(down.y, h.down.states[:, 0])
    assert up.meta["jumps"] == list(h.up.jumps) and down.meta["jumps"] == list(h.down.jumps)
    assert len(by_role(fig, "arrowheads")) == 2


def test_hopf_points_are_marked():
    m = dm.models.get("pursuer-distancer")
    p = m.preset("pursue-withdraw-cycles")
    d = dm.continuation(m, p, "anxiety_gain_1", (2.0, 6.0))
    fig = bifurcation_diagram(d, "approach_1", label_points=False)
    (hopf,) = by_role(fig, "hopf")
    assert len(d.hopf_points) == 1 and hopf.meta["values"] == [d.hopf_points[0].value]
    assert hopf.marker.symbol == "star"
    (folds,) = by_role(fig, "fold")
    assert len(folds.x) == 2


def test_stability_runs_share_boundaries():
    assert _stability_runs(np.array([0, 0, 1, 1, 0])) == [(0, 3, True), (2, 5, False), (4, 5, True)]


def test_bad_arguments(flagship):
    m, d, h = flagship
    with pytest.raises(TypeError, match="BifurcationDiagram"):
        bifurcation_diagram(h)
    with pytest.raises(ValueError, match=r"unknown state|no state"):
        bifurcation_diagram(d, "approach_9")
    other = dm.hysteresis_sweep(m, None, "avoidance_gain_2", (0.0, 4.0), rate=5e-3, samples=201)
    with pytest.raises(ValueError, match="same parameter"):
        bifurcation_diagram(d, hysteresis=other)
    with pytest.raises(ValueError, match="label_offsets"):
        bifurcation_diagram(d, label_offsets=[(0, 0)])


# -- cycle branches (issue 16 §5) -------------------------------------------------------------
@pytest.fixture(scope="module")
def bautin_cycles():
    """r' = r (a + r^2 - r^4): a subcritical Hopf point at a = 0, unstable cycles of
    radius r^2 = (1 - sqrt(1 + 4a)) / 2 fold at a = -1/4 into stable ones."""
    m = dm.Model.from_equations(
        {
            "x": "a*x - y + x*((x**2 + y**2) - (x**2 + y**2)**2)",
            "y": "x + a*y + y*((x**2 + y**2) - (x**2 + y**2)**2)",
        },
        {"a": 0.0},
        name="bautin-sub",
    )
    d = dm.continuation(m, None, "a", (-0.5, 0.3))
    b = dm.continue_cycle(
        m, None, "a", (-0.5, 0.3), start=d.hopf_points[0], options=dm.CycleOptions(ntst=16)
    )
    return d, b


def test_cycles_drawn_as_envelopes_by_stability(bautin_cycles):
    d, b = bautin_cycles
    fig = bifurcation_diagram(d, "x", cycles=b)
    (stable,) = by_role(fig, "stable-cycle")
    (unstable,) = by_role(fig, "unstable-cycle")
    assert stable.line.dash == "solid" and unstable.line.dash == "dash"
    assert stable.meta["measure"] == "extremes" and stable.meta["branches"] == [0]
    # each stretch drawn twice (max then min), NaN-separated: the envelope +-r
    for tr, part in ((stable, b.stable), (unstable, ~b.stable)):
        y = np.asarray(tr.y, float)
        assert np.all(np.isin(b.maxima[part, 0], y)) and np.all(np.isin(b.minima[part, 0], y))
        assert np.sum(np.isnan(y)) == 1
    (lpc,) = by_role(fig, "LPC")
    assert lpc.meta["values"] == [s.value for s in b.of_kind("LPC")]
    assert lpc.x[0] == pytest.approx(-0.25, abs=1e-8)
    assert lpc.y[0] == pytest.approx(np.sqrt(0.5), abs=0.02)  # the nearest point's max


def test_cycles_by_period_on_a_second_axis(bautin_cycles):
    d, b = bautin_cycles
    fig = bifurcation_diagram(d, "x", cycles=[b], cycle_measure="period")
    traces = by_role(fig, "stable-cycle") + by_role(fig, "unstable-cycle") + by_role(fig, "LPC")
    assert {t.yaxis for t in traces} == {"y2"} and fig.layout.yaxis2.side == "right"
    np.testing.assert_allclose(by_role(fig, "LPC")[0].y, 2 * np.pi, rtol=1e-9)


@pytest.mark.parametrize(
    ("kw", "error", "match"),
    [
        ({"cycles": "b"}, dm.InvalidTypeError, "CycleBranch"),
        ({"cycles": [1]}, dm.InvalidTypeError, r"cycles\[0\]"),
        ({"cycle_measure": "amplitude"}, dm.InvalidInputError, "cycle_measure"),
    ],
)
def test_cycles_bad_input(bautin_cycles, kw, error, match):
    d, b = bautin_cycles
    with pytest.raises(error, match=match):
        bifurcation_diagram(d, "x", **({"cycles": b} | kw))


def test_cycles_of_another_parameter(bautin_cycles, flagship):
    _, b = bautin_cycles
    _, d, _ = flagship
    with pytest.raises(dm.InvalidInputError, match="bautin-sub"):
        bifurcation_diagram(d, 0, cycles=b)
