"""The serverless explorer (`dyadmodel.app.export_explorer`, ``dyadmodel
export-explorer``): the file, its refusals, and the page opened from file:// in chromium.

Browser tests are skipped without /usr/bin/chromium or Playwright, unless
``DYADMODEL_REQUIRE_BROWSER=1`` (set in CI), which makes that a failure.
"""

import re
import time
from pathlib import Path

import numpy as np
import pytest

import dyadmodel as dm
from dyadmodel.app import _export
from dyadmodel.app._export import (
    MARKER,
    ExplorerExportError,
    ExplorerExportOptions,
    explorer_html,
    export_explorer,
)
from dyadmodel.cli import main
from dyadmodel.errors import BudgetExceededError, InvalidTypeError, NotFoundError
from dyadmodel.model import ParameterError
from tests._browser import launch_browser

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
SMALL = [n for n in dm.models.names() if 2 <= dm.models.get(n).n_states <= 3]


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """One export per model the browser tests open (written once for the module)."""
    out = tmp_path_factory.mktemp("explorers")
    paths = {
        "flagship": export_explorer(
            "pursuer-distancer-2d", out / "flagship.html", certified="anxiety_gain_1"
        ),
        "three": export_explorer("laura-petrarch", out / "three.html"),
        "typed": export_explorer(str(EXAMPLES / "van_der_pol.toml"), out / "typed.html"),
    }
    return paths


# ------------------------------------------------------------------------- the file


def test_the_file_is_self_contained(exported):
    text = exported["flagship"].read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>\n" + MARKER)
    assert not re.search(r"<script[^>]*\bsrc\s*=", text, re.IGNORECASE)  # nothing loaded
    assert not re.search(r"<link[^>]*\bhref\s*=", text, re.IGNORECASE)
    assert "window.dyadmodel" in text and 'models["pursuer-distancer-2d"]' not in text
    assert len(text) > 3_000_000  # plotly.js itself is in the file


@pytest.mark.parametrize("name", SMALL)
def test_every_small_registered_model_exports(tmp_path, name):
    path = export_explorer(name, tmp_path / "e.html")
    assert MARKER in path.read_text(encoding="utf-8")[:200]
    assert oct(path.stat().st_mode & 0o777) == "0o644"


def test_parameters_reach_the_page_and_are_checked(tmp_path):
    path = export_explorer("pursuer-distancer-2d", tmp_path / "e.html", {"anxiety_gain_1": 1.5})
    assert '"params": [0.1, 1.5,' in path.read_text(encoding="utf-8")
    with pytest.raises(ParameterError, match="anxiety_gain_1"):
        export_explorer("pursuer-distancer-2d", tmp_path / "f.html", {"anxiety_gain_1": -1})
    assert not (tmp_path / "f.html").exists()


def test_a_foreign_file_is_never_replaced_without_force(tmp_path):
    foreign = tmp_path / "paper.html"
    foreign.write_text("<html>my paper</html>", encoding="utf-8")
    with pytest.raises(ExplorerExportError, match=r"not written by dyadmodel.*--force"):
        export_explorer("strogatz-linear", foreign)
    assert foreign.read_text(encoding="utf-8") == "<html>my paper</html>"
    export_explorer("strogatz-linear", foreign, force=True)
    assert MARKER in foreign.read_text(encoding="utf-8")
    export_explorer("rinaldi-linear", foreign)  # our own file: replaced without force
    assert "rinaldi-linear" in foreign.read_text(encoding="utf-8")
    assert [p.name for p in tmp_path.iterdir()] == ["paper.html"]  # no temporary left


@pytest.mark.parametrize(
    ("where", "message"),
    [("missing/e.html", "does not exist"), (".", "is a directory")],
)
def test_bad_paths_are_refused(tmp_path, where, message):
    with pytest.raises(ExplorerExportError, match=message):
        export_explorer("strogatz-linear", tmp_path / where)


def test_links_and_special_files_are_never_replaced(tmp_path):
    target = tmp_path / "target.html"
    target.write_text("theirs", encoding="utf-8")
    (tmp_path / "link.html").symlink_to(target)
    for path, what in ((tmp_path / "link.html", "symbolic link"), (Path("/dev/null"), "regular")):
        with pytest.raises(ExplorerExportError, match=what):
            export_explorer("strogatz-linear", path, force=True)
    assert target.read_text(encoding="utf-8") == "theirs"
    with pytest.raises(ExplorerExportError, match="cannot be used"):
        export_explorer("strogatz-linear", tmp_path / ("x" * 300 + ".html"))


def test_an_unwritable_path_is_a_package_error(tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(_export.tempfile, "mkstemp", refuse)
    with pytest.raises(ExplorerExportError, match=r"cannot be written.*Permission denied"):
        export_explorer("strogatz-linear", tmp_path / "e.html")


def test_bad_models_options_and_certified_parameters(tmp_path):
    with pytest.raises(NotFoundError, match="nosuch"):
        export_explorer("nosuch", tmp_path / "e.html")
    with pytest.raises(InvalidTypeError, match="expected a Model"):
        export_explorer(3, tmp_path / "e.html")
    with pytest.raises(ExplorerExportError, match="field_grid = 2"):
        ExplorerExportOptions(field_grid=2)
    with pytest.raises(ExplorerExportError, match="'nope' is not a parameter"):
        export_explorer("strogatz-linear", tmp_path / "e.html", certified="nope")
    tiny = ExplorerExportOptions(certified_seconds=1e-9)
    with pytest.raises(BudgetExceededError, match="certified_seconds"):
        export_explorer("strogatz-linear", tmp_path / "e.html", certified="a", options=tiny)
    assert not (tmp_path / "e.html").exists()


def test_the_certified_table_is_that_of_equilibria(tmp_path):
    opts = ExplorerExportOptions(certified_points=3)
    path = export_explorer(
        "pursuer-distancer-2d", tmp_path / "e.html", certified="anxiety_gain_1", options=opts
    )
    text = path.read_text(encoding="utf-8")
    m = dm.models.get("pursuer-distancer-2d")
    n_default = len(dm.equilibria(m, m.params()))
    assert '"values": [0.0, 2.0, 10.0,' in text.replace("0.05", "0.0")  # grid + start value
    assert text.count('"certified": "yes"') >= n_default


# ------------------------------------------------------------------------- the CLI


def _serverless_download(app, values, name="pursuer-distancer-2d", texts=None):
    """The explorer's 'Download serverless explorer' callback, as the renderer calls it."""
    out = next(k for k in app.callback_map if k.startswith("..serverless-html.data"))
    cb = app.callback_map[out]
    deps = [*cb["inputs"], *cb["state"]]
    items = [
        {"id": d["id"], "property": d["property"], "value": v}
        for d, v in zip(deps, [1, values, name, texts])
    ]
    outputs = [
        {"id": o.rsplit(".", 1)[0], "property": o.rsplit(".", 1)[1]} for o in out[2:-2].split("...")
    ]
    body = {
        "output": out,
        "outputs": outputs,
        "inputs": items[:1],
        "state": items[1:],
        "changedPropIds": ["export-serverless.n_clicks"],
    }
    r = app.server.test_client().post("/_dash-update-component", json=body)
    return r.status_code, r.get_json()


def test_the_explorer_button_downloads_the_serverless_page_at_its_parameters():
    from dyadmodel.app import create_app

    app = create_app("pursuer-distancer-2d")
    values = dm.models.get("pursuer-distancer-2d").params({"anxiety_gain_1": 2.5}).as_dict()
    status, answer = _serverless_download(app, values)
    assert status == 200, answer
    response = answer["response"]
    data = response["serverless-html"]["data"]
    assert data["filename"] == "pursuer-distancer-2d-explorer.html"
    # the same page as export_explorer writes for those parameters (up to nothing)
    assert data["content"] == explorer_html("pursuer-distancer-2d", values)
    assert "not certified" in next(iter(response["export-message"].values()))
    # a stored parameter that is not a number (a forged request): refused, no download
    status, answer = _serverless_download(app, {**values, "anxiety_gain_1": "abc"})
    assert status == 400
    assert "expected an object of parameter names to numbers" in answer["message"]
    # a value out of its bounds: the export's own message in the page, no download
    status, answer = _serverless_download(app, {**values, "anxiety_gain_1": 1e9})
    assert status == 200
    message = next(iter(answer["response"]["export-message"].values()))
    assert message.startswith("export failed:") and "anxiety_gain_1" in message
    assert "serverless-html" not in answer["response"]


def test_cli_writes_the_explorer(tmp_path, capsys):
    out = tmp_path / "x.html"
    argv = ["export-explorer", "pursuer-distancer-2d", "-o", str(out), "--params"]
    assert main([*argv, "anxiety_gain_1=1.5", "threshold_1=1.2"]) == 0
    assert "wrote" in capsys.readouterr().out
    assert '"params": [0.1, 1.5,' in out.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nosuch"], "unknown model 'nosuch'"),
        (["strogatz-linear", "-p", "a=abc"], "'abc' is not a number"),
        (["strogatz-linear", "-p", "zz=1"], "zz"),
        (["strogatz-linear", "--certified", "zz"], "'zz' is not a parameter"),
    ],
)
def test_cli_bad_input_gives_one_line_and_exit_2(tmp_path, capsys, args, message):
    out = tmp_path / "x.html"
    assert main(["export-explorer", *args, "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("dyadmodel export-explorer: error:") and err.count("\n") == 1
    assert message in err and not out.exists()


def test_cli_refuses_a_foreign_file_and_a_missing_directory(tmp_path, capsys):
    foreign = tmp_path / "notes.html"
    foreign.write_text("mine", encoding="utf-8")
    assert main(["export-explorer", "strogatz-linear", "-o", str(foreign)]) == 2
    assert "--force" in capsys.readouterr().err and foreign.read_text() == "mine"
    assert main(["export-explorer", "strogatz-linear", "-o", str(tmp_path / "a" / "b.html")]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert main(["export-explorer", "strogatz-linear", "-o", str(foreign), "--force"]) == 0


# ------------------------------------------------------------------------- in chromium


@pytest.fixture(scope="module")
def browser():
    with launch_browser() as b:
        yield b


@pytest.fixture(scope="module")
def open_page(browser):
    pages = []

    def open_(path: Path):
        pg = browser.new_page(viewport={"width": 1300, "height": 900})
        pg.set_default_timeout(30_000)
        pg.requests, pg.errors = [], []
        pg.on("request", lambda r: pg.requests.append(r.url))
        pg.on("pageerror", lambda e: pg.errors.append(str(e)))
        pg.goto(path.resolve().as_uri())
        pg.wait_for_function("window.dmExplorer && window.dmExplorer.ready")
        pages.append(pg)
        return pg

    yield open_
    for pg in pages:
        pg.close()


_TRAJECTORIES = """() => document.getElementById('portrait').data
  .filter((t) => t.meta && t.meta.role === 'trajectory')
  .map((t) => ({x: Array.from(t.x), y: Array.from(t.y), start: t.meta.start, t: t.meta.t}))"""


def _click(pg, fx: float, fy: float) -> None:
    box = pg.locator("#portrait .nsewdrag").bounding_box()
    pg.mouse.click(box["x"] + fx * box["width"], box["y"] + fy * box["height"])


def _check_trajectory(model, params, traj, ix=0, iy=1):
    x0 = np.array(traj["start"], dtype=float)
    t = np.array(traj["t"])
    sim = dm.simulate(model, params, x0, (0.0, float(t[-1])))
    want = sim.sol(t)
    err = max(np.max(np.abs(want[ix] - traj["x"])), np.max(np.abs(want[iy] - traj["y"])))
    assert err < 1e-4


@pytest.fixture(scope="module")
def flagship(open_page, exported):
    """The flagship's page, opened once for the tests below (in this order)."""
    return open_page(exported["flagship"])


def test_the_page_makes_no_network_request_and_draws(flagship, exported):
    pg = flagship
    assert pg.requests == [exported["flagship"].resolve().as_uri()]  # the file itself
    assert pg.errors == []
    roles = pg.evaluate("() => document.getElementById('portrait').data.map((t) => t.meta.role)")
    assert roles == ["x-nullcline", "y-nullcline", "equilibria"]
    field = pg.evaluate("() => document.getElementById('portrait').layout.shapes[0]")
    assert field["name"] == "vector field" and field["path"].count("M") == 21 * 21 * 2
    assert pg.locator("#eq-table tbody tr").count() == 3
    assert pg.locator("#cert-table tbody tr").count() == 3  # certified at the start value
    pg.wait_for_selector("#stress-plot.js-plotly-plot .main-svg")  # drawn after the portrait


def test_a_click_launches_a_trajectory_that_matches_simulate(flagship):
    pg = flagship
    _click(pg, 0.8, 0.2)
    _click(pg, 0.3, 0.9)
    trajs = pg.evaluate(_TRAJECTORIES)
    assert len(trajs) == 2
    model = dm.models.get("pursuer-distancer-2d")
    # the click landed where it was aimed (x from 0 to 4 on both axes)
    assert trajs[0]["start"] == pytest.approx([3.2, 3.2], abs=0.05)
    for traj in trajs:
        _check_trajectory(model, model.params(), traj)
    assert pg.errors == []


def test_typing_a_parameter_redraws_the_equilibria(flagship):
    """Across the fold at anxiety_gain_1 = 1.600: one equilibrium below, three above."""
    pg = flagship
    model = dm.models.get("pursuer-distancer-2d")
    for value, count in (("1.5", 1), ("2.5", 3)):
        box = pg.locator("#p-1-value")
        box.fill(value)
        box.press("Enter")
        pg.wait_for_function(f"window.dmExplorer.state.eqs.length === {count}")
        eqs = pg.evaluate("window.dmExplorer.state.eqs")
        want = dm.equilibria(model, model.params(anxiety_gain_1=float(value)))
        assert np.allclose([e["x"] for e in eqs], [e.state for e in want], atol=1e-8)
        assert [e["kind"] for e in eqs] == [e.kind for e in want]
    box = pg.locator("#p-1-value")
    box.fill("-3")
    box.press("Enter")
    assert "outside the bounds" in pg.locator("#p-1-msg").text_content()


def test_a_slider_drag_across_the_fold_redraws_during_the_drag(flagship):
    """anxiety_gain_1 from 0 across the fold at 1.600: the table goes from one to three
    equilibria while the mouse button is still down."""
    pg = flagship
    pg.locator("#reset").click()
    box = pg.locator("#p-1").bounding_box()
    y = box["y"] + box["height"] / 2
    frame = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"
    counts = []
    pg.mouse.move(box["x"] + 0.05 * box["width"], y)
    pg.mouse.down()
    for k in range(11):
        pg.mouse.move(box["x"] + (0.05 + 0.02 * k) * box["width"], y)
        pg.evaluate(frame)
        counts.append(pg.locator("#eq-table tbody tr").count())
    pg.mouse.up()
    assert counts[0] == 1 and 3 in counts, counts  # (and 1 again past the second fold)
    assert float(pg.locator("#p-1").input_value()) > 1.6, counts


@pytest.mark.slow  # two more page loads; tests/app/test_js.py checks the same numerics
def test_a_three_state_model_and_a_user_model(open_page, exported):
    three = dm.models.get("laura-petrarch")
    pg = open_page(exported["three"])
    _click(pg, 0.7, 0.3)
    (traj,) = pg.evaluate(_TRAJECTORIES)
    _check_trajectory(three, three.params(), traj)
    assert len(pg.evaluate("window.dmExplorer.state.eqs")) >= 1
    typed = dm.models.load(str(EXAMPLES / "van_der_pol.toml"))
    pg = open_page(exported["typed"])
    _click(pg, 0.6, 0.6)
    (traj,) = pg.evaluate(_TRAJECTORIES)
    _check_trajectory(typed, typed.params(), traj)
    assert pg.evaluate("window.dmExplorer.state.eqs[0].kind") == "unstable focus"


@pytest.mark.slow
def test_load_and_trajectory_times_are_reported(open_page, exported, capsys):
    """Not a gate: prints the page load time from file:// and the in-page times."""
    times = []
    for _ in range(3):
        t0 = time.perf_counter()
        pg = open_page(exported["flagship"])
        times.append(time.perf_counter() - t0)
    for k in range(10):
        _click(pg, 0.1 + 0.08 * k, 0.5)
    timing = pg.evaluate("window.dmExplorer.timings")
    with capsys.disabled():
        print(
            f"\nexported explorer: load {min(times):.2f}-{max(times):.2f} s; trajectory "
            f"median {np.median(timing['trajectory']):.1f} ms; portrait "
            f"{np.median(timing['portrait']):.1f} ms"
        )
    assert len(timing["trajectory"]) == 10
