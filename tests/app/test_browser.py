"""The explorer in a real browser: Playwright for Python driving Debian's chromium.

The app is served in a thread on a free 127.0.0.1 port. Without /usr/bin/chromium (or
Playwright) the tests are skipped, unless ``DYADMODEL_REQUIRE_BROWSER=1`` (set in CI),
which makes that a failure.
"""

import numpy as np
import pytest

import dyadmodel as dm
from dyadmodel.app import create_app
from dyadmodel.app._screenshot import _TO_PIXELS, serve_in_thread
from tests import _browser
from tests._browser import launch_browser

MODEL = dm.models.get("pursuer-distancer-2d")
TIMEOUT = 15_000  # ms, per wait

# gd.data holds numpy arrays as {dtype, bdata} (base64); decode them to plain arrays.
_TRACES = """(role) => {
  const types = {f4: Float32Array, f8: Float64Array, i1: Int8Array, i2: Int16Array,
                 i4: Int32Array, u1: Uint8Array, u2: Uint16Array, u4: Uint32Array};
  const dec = (v) => {
    if (v && v.bdata !== undefined) {
      const bytes = Uint8Array.from(atob(v.bdata), (c) => c.charCodeAt(0));
      return Array.from(new types[v.dtype](bytes.buffer));
    }
    return Array.from(v);
  };
  const gd = document.querySelector('#portrait .js-plotly-plot');
  return gd.data.filter((t) => t.meta && t.meta.role === role)
    .map((t) => ({x: dec(t.x), y: dec(t.y), name: t.name}));
}"""


@pytest.fixture(scope="module")
def server():
    url, stop = serve_in_thread(create_app("pursuer-distancer-2d"))
    yield url
    stop()


@pytest.fixture(scope="module")
def browser():
    with launch_browser() as b:
        yield b


@pytest.fixture
def page(browser, server):
    pg = browser.new_page(viewport={"width": 1300, "height": 900})
    pg.set_default_timeout(TIMEOUT)

    def open_(query=""):
        pg.goto(server + query)
        pg.wait_for_selector("#portrait .js-plotly-plot .nsewdrag")
        pg.wait_for_selector("#eq-table tbody tr")
        _wait_certified(pg)
        return pg

    yield open_
    pg.close()


def _rows(pg):
    return pg.eval_on_selector_all(
        "#eq-table tbody tr", "rows => rows.map(r => [...r.cells].map(c => c.innerText))"
    )


def _wait_certified(pg):
    """Wait until the table shows the server's certified equilibria (the page's own,
    found by Newton and not certified, come first)."""
    pg.wait_for_function(
        "document.querySelector('#eq-complete').innerText.startsWith('Certified by the server')"
        " && !document.querySelector('#eq-table').innerText.includes('Newton in the page')"
    )


def _wait_rows(pg, n, certified=True):
    pg.wait_for_function(f"document.querySelectorAll('#eq-table tbody tr').length === {n}")
    if certified:
        _wait_certified(pg)
        pg.wait_for_function(f"document.querySelectorAll('#eq-table tbody tr').length === {n}")
    return _rows(pg)


def _step_slider(pg, name, key, n, final):
    """Press ``key`` n times on a slider's handle, waiting for each committed value.

    Radix sliders: ArrowLeft/Right move one step, PageDown/Up ten steps.
    """
    handle = pg.locator(f".param-{name} [role=slider]")
    box = pg.locator(f".param-{name} input")
    handle.focus()
    for _ in range(n):
        before = box.input_value()
        handle.press(key)
        pg.wait_for_function(
            "([sel, v]) => document.querySelector(sel).value !== v",
            arg=[f".param-{name} input", before],
        )
    assert float(box.input_value()) == pytest.approx(final)


def _kinds(values):
    eqs = dm.equilibria(MODEL, MODEL.params(values))
    return [(e.kind, e.label) for e in eqs]


def test_slider_across_the_fold_turns_one_equilibrium_into_three(page):
    pg = page("?anxiety_gain_1=1.5")  # the address sets the parameter
    expect = _kinds({"anxiety_gain_1": 1.5})
    assert expect == [("stable node", "balanced")]
    assert [(r[1], r[2]) for r in _rows(pg)] == expect

    _step_slider(pg, "anxiety_gain_1", "PageUp", 1, 2.0)  # 10 steps of 0.05; fold at 1.600
    expect = _kinds({"anxiety_gain_1": 2.0})
    assert len(expect) == 3
    rows = _wait_rows(pg, 3)
    assert [(r[1], r[2]) for r in rows] == expect
    assert "Complete" in pg.inner_text("#eq-complete")
    # the address follows the view: back at the default, the parameter leaves the query
    pg.wait_for_function("!window.location.search.includes('anxiety_gain_1')")


def test_a_slider_step_is_drawn_once(page):
    """The slider's own event draws the new portrait (no wait for Dash's stores), and
    Dash's later call with the same inputs must not draw it again: one repaint per step
    until the server's certified table arrives, and one with it."""
    pg = page()
    pg.evaluate(
        """() => { const gd = document.querySelector('#portrait .js-plotly-plot');
        window.__paints = [];
        gd.on('plotly_afterplot', () => window.__paints.push([performance.now(),
          !document.querySelector('#eq-table').innerText.includes('Newton in the page')]));
        return true; }"""
    )
    handle = pg.locator(".param-anxiety_gain_1 [role=slider]")
    handle.focus()
    handle.press("ArrowRight")
    _wait_certified(pg)
    pg.wait_for_timeout(300)
    paints = pg.evaluate("window.__paints")
    before = [t for t, certified in paints if not certified]
    assert len(before) == 1, paints  # drawn once from the page's own values...
    assert len(paints) <= 2, paints  # ...and once more with the server's certified table


def test_click_launches_trajectory_to_the_attractor_dm_equilibria_predicts(page):
    pg = page()
    stable = [e for e in dm.equilibria(MODEL, MODEL.params()) if e.stable]
    assert len(stable) == 2  # bistable at the defaults: the click decides
    spacing = 4.0 / 60  # the click grid
    ends = []
    for k, target in enumerate(((3.2, 0.3), (0.3, 0.2), (3.5, 3.5))):
        px = pg.evaluate(_TO_PIXELS, list(target))
        pg.mouse.move(*px, steps=4)
        pg.wait_for_timeout(250)  # plotly throttles hover events and clicks the hovered point
        pg.mouse.click(*px)
        pg.wait_for_function(
            f"document.querySelector('#portrait .js-plotly-plot').data"
            f".filter(t => t.meta && t.meta.role === 'trajectory').length === {k + 1}"
        )
        trajs = pg.evaluate(_TRACES, "trajectory")
        traj = trajs[-1]
        start = np.array([traj["x"][0], traj["y"][0]])
        assert np.all(np.abs(start - target) <= 0.6 * spacing), (start, target)
        end = np.array([traj["x"][-1], traj["y"][-1]])
        # where the model goes from that start, by dm.simulate, and which attractor that is
        sim = dm.simulate(MODEL, MODEL.params(), start, (0.0, 400.0))
        want = min(stable, key=lambda e: np.linalg.norm(e.state - sim.y[:, -1]))
        assert np.linalg.norm(want.state - sim.y[:, -1]) < 1e-6
        assert np.linalg.norm(end - want.state) < 1e-3, (target, end, want)
        ends.append(want.label)
    assert set(ends) == {"balanced", "entrenched"}


def test_two_quick_clicks_launch_two_trajectories_and_keep_the_axes(page):
    """Two clicks within plotly's double-click delay (300 ms) are two trajectories, and
    the double click resets the axes to the plotting range instead of autoscaling them
    to the trajectories (which moved every later click off its aim)."""
    pg = page()
    ranges = "(() => { const f = document.querySelector('#portrait .js-plotly-plot')._fullLayout;"
    ranges += " return [f.xaxis.range, f.yaxis.range]; })()"
    before = pg.evaluate(ranges)
    np.testing.assert_allclose(before, [[-0.08, 4.08], [-0.08, 4.08]])  # [0, 4] padded 2%
    pg.evaluate(
        """() => { const gd = document.querySelector('#portrait .js-plotly-plot');
        window.__previews = [];
        gd.addEventListener('dyadmodel:trajectory', (ev) => window.__previews.push(
          [ev.detail.start, gd.querySelectorAll('.dyadmodel-preview').length]));
        return true; }"""
    )
    targets = [(3.4, 3.3), (0.6, 3.5)]
    pxs = [pg.evaluate(_TO_PIXELS, list(t)) for t in targets]
    pg.mouse.move(*pxs[0], steps=2)
    for px in pxs:
        pg.mouse.click(*px)  # ~10 ms apart: one double click for plotly
    pg.wait_for_function(
        "document.querySelector('#portrait .js-plotly-plot').data"
        ".filter(t => t.meta && t.meta.role === 'trajectory').length === 2"
    )
    # the page drew each trajectory at once (a path of its own) before plotly's repaint
    previews = pg.evaluate("window.__previews")
    assert [len(p) for p in previews] == [2, 2]
    np.testing.assert_allclose([p[0] for p in previews], targets, atol=0.02)
    assert [p[1] for p in previews] == [1, 2]
    pg.wait_for_function("!document.querySelector('#portrait .dyadmodel-preview')")
    starts = [(t["x"][0], t["y"][0]) for t in pg.evaluate(_TRACES, "trajectory")]
    np.testing.assert_allclose(starts, targets, atol=0.02)
    np.testing.assert_allclose(pg.evaluate(ranges), before)


def test_bad_typed_value_shows_the_message_and_the_page_keeps_working(page):
    pg = page()
    box = pg.locator(".param-anxiety_gain_1 input")
    for typed, value in (("abc", "abc"), ("25", 25.0)):
        with pytest.raises(dm.ParameterError) as err:
            MODEL.parameter("anxiety_gain_1").check(value)
        box.fill(typed)
        box.press("Enter")
        msg = pg.locator("#param-message")
        msg.wait_for(state="visible")
        pg.wait_for_function(
            "t => document.querySelector('#param-message').innerText.trim() === t",
            arg=str(err.value),
        )
    assert len(_rows(pg)) == 3  # nothing changed

    # another slider still works: avoidance_gain_2 from 2.0 down to 1.5 crosses a fold
    _step_slider(pg, "avoidance_gain_2", "PageDown", 1, 1.5)
    expect = _kinds({"avoidance_gain_2": 1.5})
    assert len(expect) == 1
    rows = _wait_rows(pg, len(expect))
    assert [(r[1], r[2]) for r in rows] == expect
    assert not pg.locator("#param-message").is_visible()
    assert box.input_value() == "2"  # the rejected text is replaced by the value in use


def test_missing_browser_fails_when_required(monkeypatch):
    monkeypatch.setattr(_browser, "CHROMIUM", "/nonexistent/chromium")
    monkeypatch.setenv("DYADMODEL_REQUIRE_BROWSER", "1")
    with pytest.raises(pytest.fail.Exception, match="DYADMODEL_REQUIRE_BROWSER"):
        _browser.need_browser()
    monkeypatch.delenv("DYADMODEL_REQUIRE_BROWSER")
    with pytest.raises(pytest.skip.Exception):
        _browser.need_browser()


VDP = {
    "equations": "x' = y\ny' = mu*(1 - x**2)*y - x",
    "parameters": "mu = 1 in [0, 10]",
    "ranges": "x in [-3, 3]\ny in [-3, 3]",
}
_KINDS = "rows => rows.map(r => r.cells[1].innerText).join('|')"


def _click(pg, target, k):
    """Click the plane at data point ``target``; wait for trajectory number ``k + 1``."""
    pg.locator("#portrait").scroll_into_view_if_needed()
    px = pg.evaluate(_TO_PIXELS, list(target))
    pg.mouse.move(*px, steps=4)
    pg.wait_for_timeout(250)  # plotly throttles hover events and clicks the hovered point
    pg.mouse.click(*px)
    pg.wait_for_function(
        "document.querySelector('#portrait .js-plotly-plot').data"
        f".filter(t => t.meta && t.meta.role === 'trajectory').length === {k + 1}"
    )


@pytest.mark.slow  # ~20 s: two page loads, a model applied, four trajectories
def test_typed_van_der_pol_shows_the_focus_and_the_limit_cycle_and_keeps_it_on_a_typo(page):
    pg = page()
    pg.click("#editor summary")
    for field, text in VDP.items():
        pg.fill(f"#editor-{field}", text)
    pg.wait_for_function(
        "document.querySelectorAll('#eq-table tbody tr').length === 1 && "
        "[...document.querySelectorAll('#eq-table tbody tr')].map(r => r.cells[1].innerText)"
        ".join('|') === 'unstable focus'"
    )
    _wait_certified(pg)
    rows = _rows(pg)
    assert rows[0][2] == "—" and rows[0][3] == "x = 0, y = 0"  # no couple label
    assert "Complete" in pg.inner_text("#eq-complete")
    assert "Partner" not in pg.inner_text("#portrait")  # axis titles of the typed states
    pg.wait_for_function("window.location.search.includes('equations=')")

    pg.check("#layers input[value=backward]")
    pg.wait_for_timeout(500)
    for k, start in enumerate(((0.2, 0.2), (2.8, 2.8))):  # inside and outside the cycle
        _click(pg, start, k)
    forward = pg.evaluate(_TRACES, "trajectory")
    assert len(forward) == 2
    spans = []
    for traj in forward:
        r = np.hypot(traj["x"], traj["y"])
        tail = r[len(r) * 2 // 3 :]  # the last 20 time units, about three periods
        spans.append((tail.min(), tail.max()))
    # both settle on one closed orbit, bounded away from the origin (van der Pol, mu = 1:
    # |x| reaches 2.0, |y| 2.7)
    (lo_in, hi_in), (lo_out, hi_out) = spans
    assert 1.0 < lo_in and hi_in < 3.0, spans
    assert abs(lo_in - lo_out) < 0.05 and abs(hi_in - hi_out) < 0.05, spans
    pg.wait_for_function(
        "document.querySelector('#portrait .js-plotly-plot').data"
        ".filter(t => t.meta && t.meta.role === 'backward-trajectory').length === 2"
    )
    inside_back = pg.evaluate(_TRACES, "backward-trajectory")[0]
    assert np.hypot(inside_back["x"][-1], inside_back["y"][-1]) < 0.05  # to the focus

    # a syntax error: the message (with a caret) beside the field; the portrait stays
    pg.fill("#editor-equations", "x' = y\ny' = mu*(1 - x**2*y - x")
    msg = pg.locator("#editor-equations-message")
    msg.wait_for(state="visible")
    text = msg.inner_text()
    assert text.startswith("line 2: not a valid expression") and "^" in text
    pg.wait_for_timeout(1000)
    assert [r[1] for r in _rows(pg)] == ["unstable focus"]
    assert len(pg.evaluate(_TRACES, "trajectory")) == 2

    # the address reopens the typed model
    link = pg.url
    pg2 = page(link[len(link.split("?")[0]) :])
    assert [r[1] for r in _rows(pg2)] == ["unstable focus"]
    assert pg2.input_value("#editor-equations") == VDP["equations"]


# ---------------------------------------------------------------------------------------
# the page draws the portrait itself (create_app(client_side=True), the default)

_TABLE_LOG = """() => {
  const log = (window.__tableLog = []);
  const t = document.querySelector('#eq-table');
  new MutationObserver(() => log.push(
    document.querySelectorAll('#eq-table tbody tr').length)).observe(
    t, {subtree: true, childList: true, characterData: true});
}"""


def _slider_x(pg, name, value):
    """Page x of ``value`` on the track of parameter ``name``'s slider, and the track's y."""
    track = pg.locator(f".param-{name} [data-orientation=horizontal]").first.bounding_box()
    lo, hi, _ = _display_range(name)
    return track["x"] + (value - lo) / (hi - lo) * track["width"], track["y"] + track["height"] / 2


def _display_range(name):
    from dyadmodel.app._compute import display_range

    return display_range(MODEL.parameter(name))


@pytest.mark.slow  # ~15 s under load: a drag, the page's and then the server's table
def test_drag_across_the_fold_shows_three_equilibria_while_the_slider_is_held(page):
    pg = page("?anxiety_gain_1=1.5")
    assert [r[1] for r in _rows(pg)] == ["stable node"]
    pg.evaluate(_TABLE_LOG)
    handle = pg.locator(".param-anxiety_gain_1 [role=slider]")
    box = handle.bounding_box()
    pg.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    pg.mouse.down()
    x, y = _slider_x(pg, "anxiety_gain_1", 1.95)
    pg.mouse.move(x, y, steps=12)
    # still held: the page has found the two new equilibria beyond the fold at 1.600
    pg.wait_for_function("window.__tableLog.includes(3)")
    held = float(pg.input_value(".param-anxiety_gain_1 input"))
    rows = _rows(pg)
    pg.mouse.up()
    assert 1.6 < held < 2.5  # beyond the fold, not yet at the target's far side
    assert len(rows) == 3
    expect = _kinds({"anxiety_gain_1": held})
    assert [r[1] for r in rows] == [kind for kind, _ in expect]  # Newton's kinds, same order
    # one row before the drag (above), three while held: no 'mouseup' needed
    # then the certified table for the value where the slider was let go
    _wait_certified(pg)
    final = float(pg.input_value(".param-anxiety_gain_1 input"))
    assert [(r[1], r[2]) for r in _rows(pg)] == _kinds({"anxiety_gain_1": final})


def _page_trace(pg, role):
    return pg.evaluate(_TRACES, role)


@pytest.mark.slow  # ~9 s under load: a page, a click, the server's simulation and nullclines
def test_page_trajectory_and_nullclines_agree_with_dm_simulate_and_dm_nullclines(page):
    pg = page()
    p = MODEL.params()
    _click(pg, (3.2, 0.3), 0)
    traj = _page_trace(pg, "trajectory")[0]
    page_path = np.array([traj["x"], traj["y"]])
    sim = dm.simulate(MODEL, p, page_path[:, 0], (0.0, 60.0))
    # the same Dormand-Prince steps and tolerances: the same end, to far below 1e-6
    assert np.max(np.abs(page_path[:, -1] - sim.y[:, -1])) < 1e-6, (page_path[:, -1], sim.y)
    # step for step: every point drawn is the server's point of the same step
    assert page_path.shape == sim.y.shape, (page_path.shape, sim.y.shape)
    assert np.max(np.abs(page_path - sim.y)) < 1e-6

    nc = dm.nullclines(MODEL, p)
    for role, branches in (("x-nullcline", nc.x_nullcline), ("y-nullcline", nc.y_nullcline)):
        (line,) = _page_trace(pg, role)
        pts = np.array([line["x"], line["y"]], dtype=float)
        pts = pts[:, np.isfinite(pts).all(axis=0)]
        server = np.concatenate(
            [
                np.concatenate(
                    [b[:, :-1] + (b[:, 1:] - b[:, :-1]) * s for s in np.linspace(0, 1, 8)],
                    axis=1,
                )
                for b in branches
            ],
            axis=1,
        )
        d = np.min(np.linalg.norm(pts.T[:, None, :] - server.T[None, :, :], axis=2), axis=1)
        assert pts.shape[1] > 50 and d.max() < 2e-3, (role, d.max())
        # and the page's points are zeros of the model's own right-hand side
        f = MODEL.rhs(pts, p)[0 if role[0] == "x" else 1]
        assert np.max(np.abs(f)) < 1e-6, (role, np.max(np.abs(f)))


@pytest.mark.slow  # ~15 s: a model with three states compiled and drawn
def test_three_state_model_is_drawn_by_the_page_and_certified_by_the_server(page):
    pg = page("?model=laura-petrarch")
    m = dm.models.get("laura-petrarch")
    eqs = dm.equilibria(m, m.params())
    assert [(r[1], r[2]) for r in _rows(pg)] == [(e.kind, e.label or "—") for e in eqs]
    roles = pg.evaluate(
        "document.querySelector('#portrait .js-plotly-plot').data.map(t => t.meta.role)"
    )
    assert {"field", "x-nullcline", "y-nullcline", "equilibrium"} <= set(roles)
