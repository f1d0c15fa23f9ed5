"""The figure scripts: reproducible data, offline HTML, static images, provenance.

One figure script (fig01) is run twice into two directories; everything else reuses
those runs or a one-trace figure, so the module stays fast. With Chrome/Chromium the
runs also write PNG and PDF through one kaleido server for the whole test session.
Without a browser the static-image test is skipped, or fails when
``DYADMODEL_REQUIRE_STATIC=1`` (CI).
"""

import ast
import hashlib
import json
import os
import re
import struct
from pathlib import Path

import _common
import make_figures
import plotly.graph_objects as go
import pytest

SCRIPTS = Path(_common.__file__).resolve().parent
FIG01 = SCRIPTS / "fig01_balanced_vs_entrenched.py"
NAME = FIG01.stem
PROVENANCE = {
    "script": f"scripts/{FIG01.name}",
    "models": [],
    "parameters": {},
    "methods": {},
    "seed": None,
}


def figure_data(html: str) -> tuple[list, dict]:
    """The data and layout arguments of ``Plotly.newPlot`` in a written HTML file."""
    m = re.search(
        r"Plotly\.newPlot\(\s*\"[^\"]+\",\s*(\[.*?\]),\s*(\{.*?\}),\s*\{\"displaylogo", html, re.S
    )
    assert m, "no Plotly.newPlot call found"
    return json.loads(m.group(1)), json.loads(m.group(2))


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    module = make_figures.load(FIG01)
    dirs = [tmp_path_factory.mktemp("run_a"), tmp_path_factory.mktemp("run_b")]
    written = [module.main(d) for d in dirs]
    return dirs, written


def test_reruns_write_identical_data(runs):
    (a, b), _ = runs
    assert (a / f"{NAME}.json").read_bytes() == (b / f"{NAME}.json").read_bytes()
    html_a = (a / f"{NAME}.html").read_text(encoding="utf-8")
    html_b = (b / f"{NAME}.html").read_text(encoding="utf-8")
    assert figure_data(html_a) == figure_data(html_b)
    assert html_a == html_b  # a fixed div id: the whole file is the same


def test_html_is_offline_with_one_shared_plotly_js(runs):
    (a, _), _ = runs
    html = (a / f"{NAME}.html").read_text(encoding="utf-8")
    srcs = re.findall(r"<script[^>]*\bsrc\s*=\s*[\"']?([^\"' >]+)", html, re.I)
    assert srcs == ["plotly.min.js"]
    assert not re.search(r"<script[^>]*src=[\"']?(https?:)?//", html, re.I)
    assert (a / "plotly.min.js").stat().st_size > 1_000_000
    data, _ = figure_data(html)
    roles = {t.get("meta", {}).get("role") for t in data}
    assert {"equilibrium", "x-nullcline", "y-nullcline", "stable-manifold", "trajectory"} <= roles


def test_provenance_sidecar(runs):
    (a, _), written = runs
    record = json.loads((a / f"{NAME}.json").read_text(encoding="utf-8"))
    assert record["figure"] == NAME and record["script"] == f"scripts/{FIG01.name}"
    assert record["models"] == ["pursuer-distancer-2d"]
    assert record["parameters"]["anxious-avoidant"]["anxiety_gain_1"] == 2.0
    assert record["parameters"]["secure"]["anxiety_gain_1"] == 0.5
    assert set(record["versions"]) >= {"dyadmodel", "numpy", "scipy", "sympy", "plotly", "kaleido"}
    assert "seed" in record
    # what decides the bytes, and no git commit (never the commit the figure lands in)
    assert "git_commit" not in record
    assert record["script_sha256"] == hashlib.sha256(FIG01.read_bytes()).hexdigest()
    common = Path(_common.__file__).read_bytes()
    assert record["common_sha256"] == hashlib.sha256(common).hexdigest()
    assert set(record["versions"]) >= set(_common.FIGURE_TOOLCHAIN)
    assert record.get("source_state") in (None, "dirty")
    assert record["methods"]["trajectories"]["rtol"] == _common.TRAJECTORY_SETTINGS["rtol"]
    assert record["tolerances"]["manifolds"]["type"] == "ManifoldOptions"
    assert record["files"] == [p.name for p in written[0]]
    text = json.dumps(record)
    assert not re.search(r"20\d\d-\d\d-\d\d|timestamp|created", text, re.I)


def test_static_images(runs):
    if _common.find_browser() is None:
        msg = f"no Chrome/Chromium for static export ({_common.INSTALL_HINT})"
        if os.environ.get(_common.REQUIRE_STATIC_ENV, "") not in ("", "0"):
            pytest.fail(f"{_common.REQUIRE_STATIC_ENV}=1 but {msg}")
        pytest.skip(msg)
    (a, b), _ = runs
    png = (a / f"{NAME}.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    assert (width, height) == (1100 * _common.PNG_SCALE, 560 * _common.PNG_SCALE)
    pdf = (a / f"{NAME}.pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and b"/CreationDate (D:19700101000000" in pdf
    assert pdf == (b / f"{NAME}.pdf").read_bytes()


def test_without_a_browser_html_and_json_are_written(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(_common, "find_browser", lambda: None)
    monkeypatch.setitem(_common._SERVER, "running", False)
    monkeypatch.setitem(_common._SERVER, "warned", False)
    monkeypatch.delenv(_common.REQUIRE_STATIC_ENV, raising=False)
    written = _common.save_figure(
        go.Figure(go.Scatter(x=[0, 1], y=[1, 0])), tmp_path, "t", PROVENANCE
    )
    assert [p.name for p in written] == ["t.html", "t.json"]
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "apt-get install -y chromium" in err

    monkeypatch.setenv(_common.REQUIRE_STATIC_ENV, "1")
    with pytest.raises(_common.StaticExportError, match="DYADMODEL_REQUIRE_STATIC=1"):
        _common.save_figure(go.Figure(), tmp_path, "t", PROVENANCE)


def test_save_figure_checks_its_arguments(tmp_path):
    with pytest.raises(ValueError, match="lacks seed"):
        _common.save_figure(
            go.Figure(), tmp_path, "t", {k: v for k, v in PROVENANCE.items() if k != "seed"}
        )
    with pytest.raises(ValueError, match="file stem"):
        _common.save_figure(go.Figure(), tmp_path, "../t", PROVENANCE)
    with pytest.raises(ValueError, match=r"'scripts/nope\.py' of 't' is not a file"):
        _common.save_figure(go.Figure(), tmp_path, "t", {**PROVENANCE, "script": "scripts/nope.py"})


def test_figure_scripts_are_plain_programs():
    scripts = make_figures.figure_scripts()
    assert [p.name[:5] for p in scripts] == [f"fig{k:02d}" for k in range(1, len(scripts) + 1)]
    for path in scripts:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        doc = ast.get_docstring(tree)
        assert doc and doc.startswith("Figure") and "Paper section" in doc, path.name
        names = {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}
        assert "main" in names, path.name
        assert any(
            isinstance(n, ast.If) and "__main__" in ast.unparse(n.test) for n in tree.body
        ), path.name


def test_make_figures_fails_when_a_figure_fails(tmp_path, monkeypatch, capsys):
    broken = tmp_path / "fig99_broken.py"
    broken.write_text('"""Figure 99."""\n\n\ndef main(outdir):\n    raise RuntimeError("boom")\n')
    monkeypatch.setattr(make_figures, "figure_scripts", lambda: [broken])
    monkeypatch.setattr(make_figures, "start_static_server", lambda: False)
    assert make_figures.main([str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "fig99_broken.py failed" in err and "boom" in err
    assert make_figures.main(["-h"]) == 2
