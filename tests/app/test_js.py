"""The page-side numerics (`dyadmodel.app._js`) agree with the Python side.

The JavaScript runs in Debian's chromium through Playwright (one page for the module);
without /usr/bin/chromium or Playwright the browser tests are skipped, unless
``DYADMODEL_REQUIRE_BROWSER=1`` (set in CI), which makes that a failure.
"""

from pathlib import Path

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

import dyadmodel as dm
from dyadmodel.app._js import UnsupportedExpressionError, library_js, model_js
from dyadmodel.errors import InvalidTypeError
from dyadmodel.model import Model, State, symbols
from tests._browser import launch_browser

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
FLAGSHIP = dm.models.get("pursuer-distancer-2d")
THREE = dm.models.get("laura-petrarch")


def _user_model() -> Model:
    """A model typed as text (parsed by the package; its names are JavaScript words)."""
    return Model.from_equations(
        {"this": "-this + a*new**2/(1 + new**2)", "new": "b - new + 0.5*tanh(this)"},
        {
            "a": {"default": 2.5, "bounds": [0, 10]},
            "b": {"default": 0.3, "bounds": [0, 5]},
        },
        states={"this": {"plot_range": [0, 3]}, "new": {"plot_range": [0, 3]}},
        name="typed</script>",
    )


USER = _user_model()
VDP = dm.models.load(str(EXAMPLES / "van_der_pol.toml"))


# ------------------------------------------------------------------------- no browser


def test_model_js_refuses_what_is_not_a_model():
    with pytest.raises(InvalidTypeError, match="expected a dyadmodel Model"):
        model_js("pursuer-distancer-2d")


def test_model_js_refuses_a_function_javascript_lacks():
    (x,) = symbols("x")
    m = Model("g", "gamma", [State("x", "x")], [], [sp.gamma(x) - x])
    with pytest.raises(UnsupportedExpressionError, match="gamma"):
        model_js(m)


def test_names_reach_the_source_only_inside_json():
    src = model_js(USER)
    code = src.split("m.rhs = ", 1)[1]
    # stand-ins only: the typed names (JavaScript keywords here) never appear as code
    assert "this" not in code and "new" not in code
    assert "</script>" not in src  # the name is escaped where the page embeds it
    assert "X0" in code and "P0" in code


def test_floats_are_printed_as_exact_doubles():
    (x,) = symbols("x")
    m = Model("f", "float", [State("x", "x")], [], [sp.Float(0.1) * x + sp.Rational(1, 3)])
    assert "0.1*X0" in model_js(m).replace(" ", "") or "X0*0.1" in model_js(m).replace(" ", "")
    assert "1/3" in model_js(m).replace(" ", "")


# ------------------------------------------------------------------------- in chromium


@pytest.fixture(scope="module")
def js():
    """A blank page with the library and the test models loaded; ``js(expr, arg)``."""
    sources = [library_js()] + [model_js(m) for m in (FLAGSHIP, THREE, USER, VDP)]
    with launch_browser() as browser:
        page = browser.new_page()
        for s in sources:
            page.add_script_tag(content=s)

        def run(expr, arg=None):
            return page.evaluate(expr, arg)

        yield run


def _p(model):
    return [float(v) for v in model.params().values()]


def _u(model):
    return [float(u.default) for u in model.inputs]


RUN = """([name, x0, p, u, t1, opts]) => {
  const m = window.dyadmodel.models[name];
  return window.dyadmodel.rk45(m, x0, p, u, 0, t1, opts);
}"""


@pytest.mark.parametrize(
    ("model", "starts"),
    [
        (FLAGSHIP, [[0.2, 3.5], [3.0, 0.1], [0.6, 0.55]]),
        (THREE, [[1.0, 1.0, 1.0]]),
        (USER, [[2.5, 0.2], [0.1, 2.9]]),
        (VDP, [[2.5, -2.0]]),
    ],
    ids=["flagship", "laura-petrarch", "typed", "van-der-pol"],
)
def test_page_trajectories_match_simulate(js, model, starts):
    p = model.params()
    for x0 in starts:
        out = js(RUN, [model.name, x0, _p(model), _u(model), 40.0, {}])
        assert out["status"] == 0, out["message"]
        t, x = np.array(out["t"]), np.array(out["x"]).T
        sim = dm.simulate(model, p, np.array(x0), (0.0, 40.0))
        assert t[-1] == 40.0 and x.shape == (model.n_states, len(t))
        assert np.max(np.abs(sim.sol(t) - x)) < 1e-4


@settings(max_examples=8, deadline=None)
@given(
    x0=st.tuples(st.floats(0.0, 4.0), st.floats(0.0, 4.0)),
    gain=st.floats(0.0, 8.0),
    rate=st.floats(0.1, 10.0),
    stress=st.floats(0.0, 2.0),
)
def test_page_rk45_is_simulate_everywhere(js, x0, gain, rate, stress):
    """Property: from any start, at any parameters and constant stress, the page's
    trajectory is dm.simulate's to 1e-4 at every step the page took."""
    p = FLAGSHIP.params(anxiety_gain_1=gain, recovery_rate_2=rate)
    out = js(RUN, [FLAGSHIP.name, list(x0), [float(v) for v in p.values()], [stress], 30.0, {}])
    assert out["status"] == 0
    t, x = np.array(out["t"]), np.array(out["x"]).T
    sim = dm.simulate(FLAGSHIP, p, np.array(x0), (0.0, 30.0), stress=stress)
    assert np.max(np.abs(sim.sol(t) - x)) < 1e-4


def test_page_stress_pulse_matches_simulate(js):
    """A pulse: breakpoints restart the integration, t_eval samples the dense output."""
    t_eval = np.linspace(0.0, 30.0, 301)
    expr = """([x0, p, t_eval]) => {
      const m = window.dyadmodel.models["pursuer-distancer-2d"];
      const pulse = (t) => [t >= 5 && t < 7 ? 1.2 : 0];
      return window.dyadmodel.rk45(m, x0, p, pulse, 0, 30, {breakpoints: [5, 7], t_eval});
    }"""
    out = js(expr, [[0.14, 0.14], _p(FLAGSHIP), t_eval.tolist()])
    sim = dm.simulate(
        FLAGSHIP,
        FLAGSHIP.params(),
        np.array([0.14, 0.14]),
        (0.0, 30.0),
        stress=dm.stress.pulse(5.0, 2.0, 1.2),
        t_eval=t_eval,
    )
    assert np.array_equal(np.array(out["t"]), t_eval)
    assert np.max(np.abs(np.array(out["x"]).T - sim.y)) < 1e-4
    assert np.max(sim.y[0]) > 1.0  # the pulse tipped the couple: the comparison means something


def test_page_step_budget_stops_the_run(js):
    out = js(RUN, ["pursuer-distancer-2d", [0.2, 3.5], _p(FLAGSHIP), [0.0], 40.0, {"max_steps": 5}])
    assert out["status"] == -1 and "max_steps = 5" in out["message"]


@pytest.mark.parametrize(
    ("model", "values"),
    [
        (FLAGSHIP, {}),
        (FLAGSHIP, {"anxiety_gain_1": 1.55}),  # just below the fold at 1.600: one equilibrium
        (THREE, {}),
        (USER, {}),
    ],
    ids=["flagship", "flagship-one", "laura-petrarch", "typed"],
)
def test_page_equilibria_match_equilibria(js, model, values):
    p = model.params(values)
    eqs = dm.equilibria(model, p)
    box = [list(s.domain) for s in model.states]
    expr = """([name, p, u, box]) => window.dyadmodel.equilibria(
      window.dyadmodel.models[name], p, u, box)"""
    page = js(expr, [model.name, [float(v) for v in p.values()], _u(model), box])
    inside = [e for e in eqs if all(lo <= v <= hi for v, (lo, hi) in zip(e.state, box))]
    assert len(page) == len(inside) >= 1
    for got, want in zip(page, sorted(inside, key=lambda e: tuple(e.state))):
        assert np.max(np.abs(np.array(got["x"]) - want.state)) < 1e-8
        assert got["kind"] == want.kind and got["certified"] is False
        key = lambda z: (round(z.real, 9), z.imag)  # noqa: E731
        lam = sorted((complex(z["re"], z["im"]) for z in got["eigenvalues"]), key=key)
        assert np.allclose(lam, sorted(want.eigenvalues, key=key), rtol=1e-8, atol=1e-10)


@pytest.mark.parametrize("model", [FLAGSHIP, USER, VDP], ids=["flagship", "typed", "van-der-pol"])
def test_page_nullclines_lie_on_nullclines(js, model):
    n = 81
    (x_lo, x_hi), (y_lo, y_hi) = model.domain[:2]
    xs, ys = np.linspace(x_lo, x_hi, n), np.linspace(y_lo, y_hi, n)
    cell = float(np.hypot(xs[1] - xs[0], ys[1] - ys[0]))
    expr = """([name, p, u, xs, ys]) => window.dyadmodel.nullclines(
      window.dyadmodel.models[name], p, u, xs, ys, null)"""
    page = js(expr, [model.name, _p(model), _u(model), xs.tolist(), ys.tolist()])
    ref = dm.nullclines(model, model.params(), resolution=401)
    for got, branches in zip(page, (ref.x_nullcline, ref.y_nullcline)):
        want = np.concatenate([b for b in branches], axis=1)  # (2, k), dense (401 grid)
        pts = np.array([[a, b] for a, b in zip(got["x"], got["y"]) if a is not None]).T
        assert pts.shape[1] > 10
        d = np.min(np.hypot(pts[0][:, None] - want[0], pts[1][:, None] - want[1]), axis=1)
        assert np.max(d) < 0.25 * cell  # on the curve (up to dm's own point spacing)
        back = np.min(np.hypot(want[0][:, None] - pts[0], want[1][:, None] - pts[1]), axis=1)
        assert np.max(back) < cell  # and no branch of dm.nullclines is missing
        residual = model.rhs(pts, model.params())[got["index"]]
        scale = np.max(np.abs(model.rhs(np.array(np.meshgrid(xs, ys)).reshape(2, -1))))
        assert np.max(np.abs(residual)) <= 1e-8 * scale  # polished on the grid edges


def test_page_field_points_along_the_flow(js):
    xs, ys = [0.5, 1.5, 2.5], [0.3, 2.0]  # no equilibrium on the grid: every arrow drawn
    expr = """([p, xs, ys]) => window.dyadmodel.field(
      window.dyadmodel.models["pursuer-distancer-2d"], p, [0], xs, ys, null)"""
    out = js(expr, [_p(FLAGSHIP), xs, ys])
    pts = np.array([out["x"], out["y"]])
    want = FLAGSHIP.rhs(pts, FLAGSHIP.params())
    assert np.allclose([out["dx"], out["dy"]], want, rtol=1e-12, atol=1e-14)
    assert len(out["segments"]["x"]) == 7 * len(xs) * len(ys)
    assert out["path"].count("M") == 2 * len(xs) * len(ys)  # shaft + head, one head side


POLE = Model.from_equations(
    {"x": "y - 1/(x - 1)", "y": "x - y"},
    {},
    states={"x": {"plot_range": [-5, 5]}, "y": {"plot_range": [-5, 5]}},
    name="pole",
)


@settings(max_examples=6, deadline=None)
@given(
    gain=st.floats(0.0, 6.0),
    avoidance=st.floats(0.0, 6.0),
    threshold=st.floats(0.3, 3.0),
    stress=st.floats(0.0, 1.0),
)
def test_page_equilibria_are_equilibria_with_their_kinds(js, gain, avoidance, threshold, stress):
    """Property: every Newton root in the page is one of dm.equilibria's, same kind; and
    when those are hyperbolic and apart, the page finds them all."""
    p = FLAGSHIP.params(anxiety_gain_1=gain, avoidance_gain_2=avoidance, threshold_1=threshold)
    box = [list(s.domain) for s in FLAGSHIP.states]
    expr = """([p, u, box]) => window.dyadmodel.equilibria(
      window.dyadmodel.models["pursuer-distancer-2d"], p, u, box)"""
    page = js(expr, [[float(v) for v in p.values()], [stress], box])
    eqs = [
        e
        for e in dm.equilibria(FLAGSHIP, p, inputs={"stress": stress})
        if all(lo <= v <= hi for v, (lo, hi) in zip(e.state, box))
    ]
    for got in page:
        dist = [np.max(np.abs(np.array(got["x"]) - e.state)) for e in eqs]
        k = int(np.argmin(dist))
        assert dist[k] < 1e-8 and got["kind"] == eqs[k].kind
    apart = all(
        np.max(np.abs(a.state - b.state)) > 1e-2 for i, a in enumerate(eqs) for b in eqs[:i]
    )
    hyperbolic = all(np.min(np.abs(np.real(e.eigenvalues))) > 1e-3 for e in eqs)
    if apart and hyperbolic:
        assert len(page) == len(eqs)


def test_page_nullclines_skip_poles(js):
    expr = """([src, xs]) => {
      const s = document.createElement("script");
      s.textContent = src;
      document.head.append(s);
      const m = window.dyadmodel.models["pole"];
      return window.dyadmodel.nullclines(m, [], [], xs, xs, null)[0];
    }"""
    xs = np.linspace(-5, 5, 80)  # x = 1 is no grid point: the pole is between two
    got = js(expr, [model_js(POLE), xs.tolist()])
    pts = np.array([v for v in got["x"] if v is not None])
    assert len(pts) > 20
    assert np.min(np.abs(pts - 1.0)) > 0.15  # only y = 1/(x - 1) (|y| <= 5: |x - 1| >= 0.2)


def test_page_slice_of_a_three_state_model(js):
    """``fixed`` picks the displayed states and holds the others: the slice's nullclines
    are those of dm.nullclines with the same slice_values."""
    (l_lo, l_hi), _, (z_lo, z_hi) = THREE.domain
    xs, zs = np.linspace(l_lo, l_hi, 61), np.linspace(z_lo, z_hi, 61)
    held = [0.0, 0.04, 0.0]  # Z-nullcline Z = beta3 P / alpha3 = 4, L-nullcline L = const
    expr = """([p, xs, ys, held]) => window.dyadmodel.nullclines(
      window.dyadmodel.models["laura-petrarch"], p, [], xs, ys, {ix: 0, iy: 2, state: held})"""
    page = js(expr, [_p(THREE), xs.tolist(), zs.tolist(), held])
    assert [c["state"] for c in page] == ["L", "Z"]
    for c in page:
        pts = np.array([[a, b] for a, b in zip(c["x"], c["y"]) if a is not None]).T
        full = np.array([pts[0], np.full(pts.shape[1], 0.04), pts[1]])
        residual = THREE.rhs(full, THREE.params())[c["index"]]
        assert pts.shape[1] > 5 and np.max(np.abs(residual)) < 1e-8
    z_line = [v for v in page[1]["y"] if v is not None]
    assert np.allclose(z_line, 12.0 * 0.04 / 0.12)  # beta3 P / alpha3
    ref = dm.nullclines(THREE, THREE.params(), x="L", y="Z", slice_values={"P": 0.04})
    want_l = np.concatenate([b[0] for b in ref.x_nullcline])
    got_l = [v for v in page[0]["x"] if v is not None]
    assert np.allclose(got_l, np.mean(want_l), atol=1e-9)  # the same vertical line
