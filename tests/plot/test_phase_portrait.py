"""Phase portraits draw exactly the analysis results (dyadmodel/plot/_portrait.py)."""

import json

import numpy as np
import pytest

import dyadmodel as dm
from dyadmodel.analysis.flow import streamlines
from dyadmodel.plot import phase_portrait, stability_class, theme

MODEL = "pursuer-distancer-2d"


def traces(fig, role):
    return [t for t in fig.data if t.meta and t.meta.get("role") == role]


def marker_points(fig):
    """(x, y, stability class, symbol, fill) of every equilibrium marker in the figure."""
    out = []
    for t in traces(fig, "equilibrium"):
        for x, y in zip(t.x, t.y):
            out.append((float(x), float(y), t.meta["stability"], t.marker.symbol, t.marker.color))
    return sorted(out)


@pytest.fixture(scope="module")
def model():
    return dm.models.get(MODEL)


@pytest.fixture(scope="module")
def bistable(model):
    p = model.preset("anxious-avoidant")
    return p, dm.equilibria(model, p), phase_portrait(model, p)


def test_markers_are_exactly_the_equilibria(bistable):
    _, eqs, fig = bistable
    drawn = marker_points(fig)
    want = sorted((float(e.state[0]), float(e.state[1])) for e in eqs)
    assert len(drawn) == len(eqs) == 3
    np.testing.assert_allclose([d[:2] for d in drawn], want, rtol=0, atol=1e-12)


def test_marker_style_follows_stability(bistable):
    _, eqs, fig = bistable
    by_point = {(round(float(e.state[0]), 9), round(float(e.state[1]), 9)): e for e in eqs}
    for x, y, cls, symbol, fill in marker_points(fig):
        e = by_point[(round(x, 9), round(y, 9))]
        assert cls == stability_class(e)
        assert symbol == theme.EQUILIBRIUM_SYMBOLS[cls]["symbol"]
        assert fill == theme.EQUILIBRIUM_SYMBOLS[cls]["fill"]
    classes = {e.label: stability_class(e) for e in eqs}
    assert classes == {"balanced": "stable", "tipping threshold": "saddle", "entrenched": "stable"}
    # Stable markers are filled, the others are white inside (drawn open).
    assert theme.EQUILIBRIUM_SYMBOLS["stable"]["fill"] != "#FFFFFF"
    assert (
        theme.EQUILIBRIUM_SYMBOLS["saddle"]["symbol"]
        != theme.EQUILIBRIUM_SYMBOLS["stable"]["symbol"]
    )


def test_hover_names_state_kind_label_and_eigenvalues(bistable):
    _, _, fig = bistable
    saddle_trace = next(t for t in traces(fig, "equilibrium") if t.meta["stability"] == "saddle")
    text = saddle_trace.hovertext[0]
    assert "tipping threshold" in text and "saddle" in text
    assert "<i>x</i> = 0.5" in text and "eigenvalues: 0.28, −2.28" in text
    assert "certified: yes" in text


def test_both_nullclines_are_drawn_distinctly(model, bistable):
    p, _, fig = bistable
    (xn,) = traces(fig, "x-nullcline")
    (yn,) = traces(fig, "y-nullcline")
    assert xn.meta["state"] == "pursuit_1" and yn.meta["state"] == "distance_2"
    assert (xn.line.color, xn.line.dash) != (yn.line.color, yn.line.dash)
    assert xn.line.color != yn.line.color and xn.line.dash != yn.line.dash
    for t, comp in ((xn, 0), (yn, 1)):
        pts = np.array([t.x, t.y], dtype=float)
        pts = pts[:, np.all(np.isfinite(pts), axis=0)]
        assert pts.shape[1] > 50
        # Every drawn point lies on the nullcline: that component of the rhs vanishes.
        assert np.max(np.abs(model.rhs(pts, p)[comp])) < 1e-9


def test_separatrix_passes_through_the_saddle_and_is_bold(bistable):
    _, eqs, fig = bistable
    (saddle,) = eqs.saddles
    (sep,) = traces(fig, "stable-manifold")
    pts = np.array([sep.x, sep.y], dtype=float)
    gap = np.nanmin(np.hypot(pts[0] - saddle.state[0], pts[1] - saddle.state[1]))
    assert gap < 1e-12
    (unst,) = traces(fig, "unstable-manifold")
    assert sep.line.width > 2 * unst.line.width
    assert "tipping threshold" in sep.name
    # The unstable manifold runs from the saddle to both stable states.
    upts = np.array([unst.x, unst.y], dtype=float)
    for e in eqs.stable:
        assert np.nanmin(np.hypot(upts[0] - e.state[0], upts[1] - e.state[1])) < 1e-6


def test_secure_couple_has_one_balanced_state_and_no_separatrix(model):
    p = model.preset("secure")
    fig = phase_portrait(model, p, field="arrows")
    assert [(d[2]) for d in marker_points(fig)] == ["stable"]
    assert traces(fig, "stable-manifold") == [] and traces(fig, "unstable-manifold") == []
    assert traces(fig, "field") and traces(fig, "arrowheads")


def test_trajectories_are_drawn_with_start_and_direction(model):
    p = model.preset("anxious-avoidant")
    t = np.linspace(0, 1, 50)
    traj = np.vstack([1 + t, 1 + 0.5 * t])
    fig = phase_portrait(
        model,
        p,
        field=None,
        nullclines=False,
        separatrices=False,
        equilibria=False,
        trajectories=[traj, ("named", traj[:, ::-1])],
    )
    lines = traces(fig, "trajectory")
    assert len(lines) == 2 and [ln.name for ln in lines] == ["trajectory", "named"]
    np.testing.assert_allclose(np.asarray(lines[0].x, float), traj[0], rtol=1e-6)
    starts = traces(fig, "start")
    assert [float(s.x[0]) for s in starts] == pytest.approx([1.0, 2.0])
    heads = [h for h in traces(fig, "arrowheads") if h.meta["of"] == "trajectory"]
    assert heads and all(h.marker.angleref == "previous" for h in heads)
    with pytest.raises(ValueError, match="trajectory 0"):
        phase_portrait(model, p, field=None, trajectories=[np.zeros((3, 5))])


def test_given_results_are_drawn_not_recomputed(model):
    p = model.preset("anxious-avoidant")
    eqs = dm.equilibria(model, p)
    sl = streamlines(model, p, density=4)
    fig = phase_portrait(model, p, field=sl, equilibria=eqs.stable, separatrices=False)
    assert len(marker_points(fig)) == 2
    (f,) = traces(fig, "field")
    assert np.sum(np.isnan(np.asarray(f.x, float))) == len(sl.lines) - 1
    other = dm.equilibria(model, model.preset("secure"))
    with pytest.raises(ValueError, match="other parameters"):
        phase_portrait(model, p, equilibria=other, field=None)
    with pytest.raises(ValueError, match="inputs"):
        phase_portrait(model, p, inputs={"stress": 0.05}, field=sl, equilibria=False)
    with pytest.raises(TypeError, match="Streamlines or VectorField"):
        phase_portrait(model, p, field=eqs, equilibria=False)


def test_stress_moves_the_portrait(model):
    p = model.preset("anxious-avoidant")
    fig = phase_portrait(model, p, inputs={"stress": 0.05}, field=None)
    assert [d[2] for d in marker_points(fig)] == ["stable"]
    assert "stress" in fig.layout.title.text and fig.layout.meta["inputs"] == {"stress": 0.05}


def test_axes_carry_meaning_symbol_and_unit_without_latex(model, bistable):
    _, _, fig = bistable
    assert fig.layout.xaxis.title.text == (
        "Partner 1's pursuit <i>x</i> (intensity, arbitrary units)"
    )
    assert "Partner 2's distance" in fig.layout.yaxis.title.text
    assert "$" not in json.dumps(fig.to_plotly_json(), default=str)


def test_larger_models_are_drawn_in_a_slice_or_as_a_projection():
    m = dm.models.get("laura-petrarch")
    p = m.params()
    with pytest.raises(ValueError, match="slice_values"):
        phase_portrait(m, p, x="L", y="P")
    proj = phase_portrait(m, p, x="L", y="P", field=None, nullclines=False, separatrices=False)
    (e,) = dm.equilibria(m, p)
    (drawn,) = marker_points(proj)
    assert drawn[:2] == pytest.approx(tuple(e.state[:2]))
    sliced = phase_portrait(
        m, p, x="L", y="P", slice_values={"Z": 5.0}, separatrices=False, field_density=6
    )
    assert traces(sliced, "x-nullcline") and traces(sliced, "field")


def test_centre_is_drawn_as_undecided():
    m = dm.models.get("strogatz-linear")
    fig = phase_portrait(m, m.preset("fickle-juliet"), field=None)
    assert [d[2] for d in marker_points(fig)] == ["undecided"]


def test_bad_arguments(model):
    p = model.params()
    with pytest.raises(ValueError, match="field"):
        phase_portrait(model, p, field="quiver")
    with pytest.raises(ValueError, match="domain"):
        phase_portrait(model, p, domain=((0, 1), (2, 1)))


def test_basin_shading_matches_the_equilibria(model):
    """basins=True shades each grid cell by the attractor dm.basins says it reaches: the
    cells holding the balanced and entrenched states carry those names."""
    p = model.params()
    fig = phase_portrait(model, p, field=None, basins=True)
    (heat,) = [t for t in fig.data if t.meta["role"] == "basins"]
    assert fig.data[0] is heat  # drawn under everything else
    x, y, text = np.asarray(heat.x), np.asarray(heat.y), np.asarray(heat.text)
    for e in dm.equilibria(model, p):
        if e.stable:
            i, j = np.argmin(abs(y - e.state[1])), np.argmin(abs(x - e.state[0]))
            assert text[i, j] == e.label
    # only starts on the separatrix itself (e.g. the saddle, a grid point) stay undecided
    assert set(np.unique(text)) <= {"balanced", "entrenched", "undecided"}
    assert np.mean(text == "undecided") < 1e-3
