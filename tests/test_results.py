"""Results leave Python as tables (issue 13 §1): ``to_dataframe`` / ``to_xarray`` on every
result, notebook display (``_repr_html_``), the ``x0`` name, the top-level model helpers.

Conversions are checked value by value against the objects they come from; the
hypothesis properties build result objects directly (cheap), the others use real runs.
"""

import html
import math
import sys
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import dyadmodel as dm
from dyadmodel._display import MissingDependencyError
from dyadmodel.continuation._twoparam import RegimeMap
from dyadmodel.simulate._basins import BasinMap, BasinOptions

pd = pytest.importorskip("pandas")
xr = pytest.importorskip("xarray")


@pytest.fixture(scope="module")
def pd2():
    return dm.models.get("pursuer-distancer-2d")


@pytest.fixture(scope="module")
def vdp():
    x, y, mu = dm.symbols("x y mu")
    return dm.Model(
        "vdp",
        "van der Pol",
        [dm.State("x", "x", (-3, 3)), dm.State("y", "y", (-3, 3))],
        [dm.Parameter("mu", 1.0, "damping", bounds=(0.1, 10.0))],
        [mu * (x - x**3 / 3 - y), x / mu],
    )


# ---------------------------------------------------------------------------------------
# equilibria

finite = st.floats(-1e6, 1e6, allow_nan=False)


@st.composite
def equilibrium_lists(draw):
    m = dm.models.get("pursuer-distancer-2d")
    p = m.params()
    out = []
    for _ in range(draw(st.integers(0, 4))):
        ev = [complex(draw(finite), draw(finite)) for _ in range(2)]
        stable = draw(st.sampled_from([True, False, None]))
        out.append(
            dm.Equilibrium(
                state=[draw(finite), draw(finite)],
                eigenvalues=ev,
                eigenvectors=np.eye(2),
                kind=draw(st.sampled_from(["saddle", "stable node", "centre"])),
                stable=stable,
                label=draw(st.sampled_from(["", "balanced", "entrenched"])),
                n_stable=1,
                n_unstable=1,
                n_neutral=0,
                residual=draw(st.floats(0, 1e-8)),
                enclosure=np.zeros((2, 2)) if draw(st.booleans()) else None,
                model_name=m.name,
                params=p,
                inputs=(("stress", 0.0),),
                in_plot_range=draw(st.booleans()),
            )
        )
    return dm.EquilibriumSet(
        tuple(out),
        complete=True,
        method="test",
        domain=np.array([[0.0, np.inf], [0.0, np.inf]]),
        model_name=m.name,
        params=p,
        scope="domain of validity",
        state_names=m.state_names,
    )


@settings(max_examples=30)
@given(eqs=equilibrium_lists())
def test_equilibria_dataframe_has_one_row_per_equilibrium_with_its_values(eqs):
    df = eqs.to_dataframe()
    assert len(df) == len(eqs)
    assert list(df.columns) == [
        "pursuit_1",
        "distance_2",
        "kind",
        "label",
        "stable",
        "eigenvalue_1",
        "eigenvalue_2",
        "certified",
        "in_plot_range",
        "residual",
    ]
    for i, e in enumerate(eqs):
        row = df.iloc[i]
        assert [row["pursuit_1"], row["distance_2"]] == e.state.tolist()
        assert [row["eigenvalue_1"], row["eigenvalue_2"]] == e.eigenvalues.tolist()
        assert (row["kind"], row["label"], row["stable"]) == (e.kind, e.label, e.stable)
        assert bool(row["certified"]) == (e.enclosure is not None)
        assert bool(row["in_plot_range"]) == e.in_plot_range
        assert row["residual"] == e.residual
    assert df.attrs["completeness"] == eqs.completeness


def test_equilibria_of_a_real_model_as_a_table(pd2):
    p = pd2.preset("anxious-avoidant")
    eqs = dm.equilibria(pd2, p)
    df = eqs.to_dataframe()
    np.testing.assert_array_equal(
        df[["pursuit_1", "distance_2"]].to_numpy(), [e.state for e in eqs]
    )
    assert df["kind"].tolist() == ["stable node", "saddle", "stable node"]
    assert df["certified"].all() and df["in_plot_range"].all()
    assert df.attrs["params"] == p.as_dict() and df.attrs["model"] == pd2.name
    one = eqs[1].to_dataframe()
    assert len(one) == 1 and one["kind"].item() == "saddle"
    page = eqs._repr_html_()
    assert html.escape(eqs.completeness) in page and page.count("<tr>") == 1 + len(eqs)
    assert f"{eqs[1].state[0]:.6g}" in page


# ---------------------------------------------------------------------------------------
# simulations


def test_simulation_dataframe_is_indexed_by_t_with_inputs_and_varied_parameters(pd2):
    pulse = dm.stress.pulse(2.0, 1.0, 0.5)
    ramp = dm.intervention("anxiety_gain_1", to=1.0, start=1.0, ramp=2.0)
    run = dm.simulate(pd2, None, [0.1, 0.2], (0, 6), stress=pulse, interventions=ramp)
    df = run.to_dataframe()
    assert df.index.name == "t"
    np.testing.assert_array_equal(df.index.to_numpy(), run.t)
    assert list(df.columns) == ["pursuit_1", "distance_2", "stress", "anxiety_gain_1"]
    np.testing.assert_array_equal(df["pursuit_1"], run.y[0])
    np.testing.assert_array_equal(df["distance_2"], run.y[1])
    # the pulse, in closed form: 0.5 on [2, 3), 0 elsewhere (right-continuous)
    np.testing.assert_array_equal(df["stress"], np.where((run.t >= 2) & (run.t < 3), 0.5, 0.0))
    np.testing.assert_array_equal(df["anxiety_gain_1"], run.parameter_values("anxiety_gain_1"))
    # the ramp, in closed form: default 2 -> 1 linearly over [1, 3]
    np.testing.assert_allclose(df["anxiety_gain_1"], 2.0 - np.clip((run.t - 1.0) / 2.0, 0, 1))
    assert df.attrs["status"] == run.status
    assert "success" in run._repr_html_()


def test_ensemble_table_and_grid(pd2):
    gains = np.array([0.5, 1.5, 2.5, 3.5])
    x0 = np.array([[0.1, 0.2, 0.3, 0.4], [0.4, 0.3, 0.2, 0.1]])
    res = dm.ensemble(
        pd2, {"anxiety_gain_1": gains}, x0, (0, 8), t_samples=[0, 4, 8], backend="numpy"
    )
    df = res.to_dataframe()
    np.testing.assert_array_equal(df[["pursuit_1", "distance_2"]].to_numpy(), res.final.T)
    np.testing.assert_array_equal(df["anxiety_gain_1"], gains)
    assert df["status"].tolist() == list(res.status_names)
    ds = res.to_xarray()
    assert ds["pursuit_1"].dims == ("trajectory", "t")
    np.testing.assert_array_equal(ds["distance_2"].to_numpy(), res.samples[1])
    np.testing.assert_array_equal(ds["t"].to_numpy(), [0, 4, 8])
    np.testing.assert_array_equal(ds["pursuit_1"].to_numpy()[:, 0], x0[0])


# ---------------------------------------------------------------------------------------
# continuation


def test_bifurcation_diagram_tables(pd2):
    d = dm.continuation(pd2, None, "anxiety_gain_1", (0.0, 4.0))
    df = d.to_dataframe()
    assert len(df) == sum(len(b) for b in d.branches)
    for k, b in enumerate(d.branches):
        part = df[df["branch"] == k]
        np.testing.assert_array_equal(part["point"], np.arange(len(b)))
        np.testing.assert_array_equal(part["anxiety_gain_1"], b.values)
        np.testing.assert_array_equal(part[["pursuit_1", "distance_2"]].to_numpy(), b.states)
        np.testing.assert_array_equal(part["n_unstable"], b.n_unstable)
        np.testing.assert_array_equal(part["eigenvalue_2"], b.eigenvalues[:, 1])
        np.testing.assert_array_equal(b.to_dataframe()["stable"], b.stable)
    sp = d.special_points_dataframe()
    assert sp["kind"].tolist() == [s.kind for s in d.special_points] == ["fold", "fold"]
    np.testing.assert_array_equal(sp["anxiety_gain_1"], [s.value for s in d.special_points])
    np.testing.assert_allclose(sp["anxiety_gain_1"], [1.6004, 3.3666], atol=1e-4)
    assert sp["verified"].all() and sp["frequency"].isna().all()
    assert "3.366" in d._repr_html_()


@st.composite
def regime_maps(draw):
    m = dm.models.get("pursuer-distancer-2d")
    nx, ny = draw(st.integers(1, 5)), draw(st.integers(1, 5))
    names = ["balanced only", "bistable", "entrenched only"]
    regimes = np.array(
        draw(st.lists(st.sampled_from(names), min_size=nx * ny, max_size=nx * ny)), dtype=object
    ).reshape(ny, nx)
    n_eq = np.array(draw(st.lists(st.integers(0, 5), min_size=nx * ny, max_size=nx * ny)))
    return RegimeMap(
        x_param="anxiety_gain_1",
        y_param="avoidance_gain_2",
        x_values=np.linspace(0, 4, nx),
        y_values=np.linspace(1, 3, ny),
        regimes=regimes,
        n_equilibria=n_eq.reshape(ny, nx),
        n_stable=(n_eq // 2).reshape(ny, nx),
        complete=(n_eq % 2 == 0).reshape(ny, nx),
        fold_curves=(),
        cusps=(),
        notes=(),
        model_name=m.name,
        params=m.params(),
    )


@settings(max_examples=30)
@given(r=regime_maps(), data=st.data())
def test_regime_map_grid_matches_the_map(r, data):
    ds = r.to_xarray()
    iy = data.draw(st.integers(0, len(r.y_values) - 1))
    ix = data.draw(st.integers(0, len(r.x_values) - 1))
    cell = ds.sel(anxiety_gain_1=r.x_values[ix], avoidance_gain_2=r.y_values[iy])
    assert cell["regime"].item() == r.regimes[iy, ix]
    assert cell["n_equilibria"].item() == r.n_equilibria[iy, ix]
    assert cell["complete"].item() == r.complete[iy, ix]
    df = r.to_dataframe()
    row = df.iloc[iy * len(r.x_values) + ix]
    assert (row["anxiety_gain_1"], row["avoidance_gain_2"]) == (r.x_values[ix], r.y_values[iy])
    assert row["regime"] == r.regimes[iy, ix] and row["n_stable"] == r.n_stable[iy, ix]
    assert sum(r.regime_counts().values()) == len(df)


# ---------------------------------------------------------------------------------------
# basins


@st.composite
def basin_maps(draw):
    m = dm.models.get("pursuer-distancer-2d")
    nx, ny = draw(st.integers(1, 6)), draw(st.integers(1, 6))
    names = ("balanced", "entrenched")
    labels = np.array(
        draw(st.lists(st.integers(-2, 1), min_size=nx * ny, max_size=nx * ny))
    ).reshape(ny, nx)
    return BasinMap(
        labels=labels,
        attractors=(),
        names=names,
        fractions={n: float(np.mean(labels == k)) for k, n in enumerate(names)},
        x=np.linspace(0, 4, nx),
        y=np.linspace(0, 3, ny),
        x_name="pursuit_1",
        y_name="distance_2",
        slice_state=np.array([np.nan, np.nan]),
        t_max=10.0,
        n_classified=0,
        model_name=m.name,
        params=m.params(),
        inputs={"stress": 0.0},
        options=BasinOptions(),
    )


@settings(max_examples=30)
@given(b=basin_maps(), data=st.data())
def test_basin_map_grid_names_each_start(b, data):
    ds = b.to_xarray()
    assert ds["label"].dims == ("distance_2", "pursuit_1")
    iy = data.draw(st.integers(0, len(b.y) - 1))
    ix = data.draw(st.integers(0, len(b.x) - 1))
    cell = ds.sel(pursuit_1=b.x[ix], distance_2=b.y[iy])
    label = b.labels[iy, ix]
    assert cell["label"].item() == label
    want = {-1: "diverged", -2: "undecided"}.get(int(label)) or b.names[label]
    assert cell["basin"].item() == want
    assert b.label_of(want) == label
    df = b.to_dataframe()
    row = df.iloc[iy * len(b.x) + ix]
    assert (row["pursuit_1"], row["distance_2"], row["basin"]) == (b.x[ix], b.y[iy], want)


# ---------------------------------------------------------------------------------------
# limit cycles and the x0 name


def test_limit_cycle_takes_x0_and_guess_is_deprecated(vdp):
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        c = dm.limit_cycle(vdp, None, x0=[2.0, 0.0], period_guess=6.66)
    with pytest.warns(DeprecationWarning, match=r"guess=.*x0"):
        old = dm.limit_cycle(vdp, None, guess=[2.0, 0.0], period_guess=6.66)
    assert old.period == c.period
    np.testing.assert_array_equal(old.state, c.state)
    assert math.isclose(c.period, 6.6632868593, rel_tol=1e-8)  # Hairer et al. 1993, I.16
    with pytest.raises(TypeError, match="x0"):
        dm.limit_cycle(vdp, None, [2.0, 0.0], guess=[2.0, 0.0])
    with pytest.raises(TypeError, match="x0"):
        dm.limit_cycle(vdp, None)
    df = c.to_dataframe()
    np.testing.assert_array_equal(df.index.to_numpy(), c.t)
    np.testing.assert_array_equal(df[["x", "y"]].to_numpy(), c.state.T)
    assert df.attrs["period"] == c.period
    assert f"{c.period:.10g}" in c._repr_html_() and "stable" in c._repr_html_()


# ---------------------------------------------------------------------------------------
# notebook display and the top level


@pytest.mark.parametrize("name", ["pursuer-distancer-2d", "strogatz-linear", "laura-petrarch"])
def test_model_html_has_the_equations_and_every_parameter_with_bounds(name):
    m = dm.models.get(name)
    page = m._repr_html_()
    text = html.unescape(page)
    assert f"$${m.latex()}$$" in text
    for p in m.parameters:
        assert f'<td style="padding:2px 8px;text-align:left">{html.escape(p.name)}</td>' in page
        assert p.interval_text() in text and p.meaning in text
    for r in m.references:
        assert r.text in text
    assert "<script" not in page


def test_html_escapes_what_a_user_typed():
    x, y = dm.symbols("x y")
    m = dm.Model(
        "xss",
        "<script>alert(1)</script>",
        [dm.State("x", "<b>x</b>"), dm.State("y", "y")],
        [],
        [-x, -y],
    )
    page = m._repr_html_()
    assert "<script>" not in page and "&lt;script&gt;" in page and "<b>x</b>" not in page


def test_model_helpers_are_importable_from_the_top_level():
    from dyadmodel import model as model_module

    for name in (
        "Model",
        "State",
        "Parameter",
        "Input",
        "Reference",
        "Preset",
        "symbols",
        "hill",
        "hill_repressor",
    ):
        assert getattr(dm, name) is getattr(model_module, name) and name in dm.__all__
    z, k = dm.symbols("z k")
    assert (dm.hill(z, k, 2) + dm.hill_repressor(z, k, 2)).simplify() == 1


def test_a_missing_pandas_is_named_with_the_install_command(pd2, monkeypatch):
    eqs = dm.equilibria(pd2, None)
    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas now raises ImportError
    with pytest.raises(MissingDependencyError, match=r"dyadmodel\[notebook\]"):
        eqs.to_dataframe()
    assert issubclass(MissingDependencyError, ImportError | dm.DyadmodelError)
    assert "<table" in eqs._repr_html_()  # display needs no pandas
