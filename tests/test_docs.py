"""The documentation site: it builds, it works offline in a browser, and its validation
page is as new as the code it describes.

- ``test_validation_page_is_fresh`` (default, fast): ``docs/validation.json`` records a
  hash of the docstring-free code of every dyadmodel module its run imported (see
  ``scripts/make_validation.py``); a change of that code without a new run fails.
- ``test_site_builds`` (slow): ``scripts/build_docs.sh`` (set-up, then Sphinx with
  ``-W --keep-going``, executing the gallery and tutorials) succeeds.
- ``test_site_in_a_browser`` (slow): headless Chromium opens the built site from
  ``file://``: search finds pages, gallery figures render, and no request leaves the
  machine. Skipped without ``/usr/bin/chromium`` or Playwright unless
  ``DYADMODEL_REQUIRE_BROWSER=1`` (set in CI).
"""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests._browser import launch_browser

REPO = Path(__file__).resolve().parent.parent
HTML = REPO / "docs" / "_build" / "html"
TIMEOUT = 30_000  # ms, per wait


def _validation_script():
    spec = importlib.util.spec_from_file_location(
        "make_validation", REPO / "scripts" / "make_validation.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_validation_page_is_fresh():
    if not (REPO / "docs" / "conf.py").is_file():
        pytest.skip("no docs/ in this tree (the sdist ships without the documentation)")
    mv = _validation_script()
    record = json.loads((REPO / "docs" / "validation.json").read_text(encoding="utf-8"))
    redo = "regenerate: .venv/bin/python scripts/make_validation.py; commit docs/validation.*"
    missing = [f for f in record["files"] if not (REPO / f).is_file()]
    assert not missing, f"the validation page describes modules that are gone: {missing}; {redo}"
    current = mv.file_hashes(REPO / f for f in record["files"])
    changed = [f for f, digest in current.items() if record["files"][f] != digest]
    assert not changed, (
        f"the code the validation page describes changed since its run of "
        f"{record['generated']}: {changed}; {redo}"
    )
    assert mv.code_hash(current) == record["code_hash"]
    script = mv.stripped_source(REPO / "scripts" / "make_validation.py")
    script = mv.hashlib.sha256(script.encode()).hexdigest()
    assert script == record["script_hash"], f"scripts/make_validation.py changed; {redo}"
    page = (REPO / "docs" / "validation.md").read_text(encoding="utf-8")
    assert record["code_hash"][:16] in page and record["generated"] in page
    # a comparison outside its tolerance is shown on the page as it is; the test that makes
    # that comparison (tests/peers, tests/analysis, ...) is the one that fails


def test_validation_hash_ignores_docstrings_and_comments_but_not_code(tmp_path):
    mv = _validation_script()
    base = "def f(x):\n    return x + 1\n"
    variants = {
        "docstring": 'def f(x):\n    """Add one."""\n    return x + 1\n',
        "comment": "def f(x):  # add one\n    return x + 1\n",
        "formatting": "def f( x ):\n\n    return (x + 1)\n",
        "code": "def f(x):\n    return x + 2\n",
    }
    path = tmp_path / "m.py"
    path.write_text(base)
    reference = mv.stripped_source(path)
    for kind, text in variants.items():
        path.write_text(text)
        assert (mv.stripped_source(path) == reference) is (kind != "code"), kind


@pytest.fixture(scope="session")
def built_site():
    """Build the site with scripts/build_docs.sh (incremental when it was built before)."""
    proc = subprocess.run(
        ["bash", str(REPO / "scripts" / "build_docs.sh")],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-4000:]
    return HTML


@pytest.mark.slow
def test_site_builds(built_site):
    for page in [
        "index.html",
        "search.html",
        "science.html",
        "validation.html",
        "api/index.html",
        "auto_examples/index.html",
        "auto_tutorials/index.html",
    ]:
        assert (built_site / page).is_file(), page
    # nothing on any page loads from the network (the browser test visits a few pages;
    # this reads them all): no remote script, stylesheet, image, frame or CSS import
    remote = re.compile(
        r"<(?:script|img|iframe|source|embed)\b[^>]*\bsrc\s*=\s*[\"']?(?:https?:)?//"
        r"|<link\b(?=[^>]*\brel\s*=\s*[\"']?(?:stylesheet|preload|modulepreload|icon))"
        r"[^>]*\bhref\s*=\s*[\"']?(?:https?:)?//"
        r"|@import\s+(?:url\()?[\"']?(?:https?:)?//",
        re.IGNORECASE,
    )
    offenders = [
        str(f.relative_to(built_site))
        for f in built_site.rglob("*")
        if f.suffix in (".html", ".css") and remote.search(f.read_text(errors="replace"))
    ]
    assert not offenders, f"pages that load from the network: {offenders[:10]}"
    figures = sorted((built_site / "auto_examples" / "figures").glob("plot_fig*.html"))
    scripts = sorted((REPO / "scripts").glob("fig[0-9]*.py"))
    missing = sorted({s.stem for s in scripts} - {f.stem.removeprefix("plot_") for f in figures})
    assert not missing, (
        f"figure scripts without a gallery page: {missing}; add "
        "docs/examples/figures/plot_<script>.py (a copy of another one: it runs main())"
    )
    tutorials = sorted((built_site / "auto_tutorials").glob("tutorial_*.html"))
    assert len(tutorials) == len(list((REPO / "docs" / "tutorials").glob("tutorial_*.py")))
    for page in figures + tutorials:  # each shows at least one interactive figure
        assert "plotly-graph-div" in page.read_text(encoding="utf-8"), page


@pytest.mark.slow
def test_site_in_a_browser(built_site):
    remote: list[str] = []
    failed: list[str] = []

    def watch(request):
        if urlparse(request.url).scheme not in ("file", "data", "blob", "about"):
            remote.append(request.url)

    with launch_browser() as browser:
        page = browser.new_page(viewport={"width": 1300, "height": 900})
        page.set_default_timeout(TIMEOUT)
        page.on("request", watch)
        page.on("requestfailed", lambda r: failed.append(r.url))
        # search: open the search dialog on the front page (Ctrl+K), type a query,
        # press Enter, and get result links on the search page
        page.goto((built_site / "index.html").as_uri())
        page.keyboard.press("Control+k")
        field = page.locator("#pst-search-dialog input[name=q]")
        field.fill("equilibria")
        field.press("Enter")
        page.wait_for_url("**/search.html?q=equilibria*")
        page.wait_for_selector("#search-results ul.search li a")
        hits = page.locator("#search-results ul.search li a").all_inner_texts()
        assert len(hits) >= 3, hits
        # gallery: an interactive plotly figure is drawn by the local plotly.js
        for name in [
            "figures/plot_fig01_balanced_vs_entrenched",
            "capabilities/plot_02_equilibria",
        ]:
            page.goto((built_site / "auto_examples" / f"{name}.html").as_uri())
            page.wait_for_selector(".js-plotly-plot .main-svg")
            assert page.locator(".js-plotly-plot").count() >= 1
        # a tutorial's figures render too
        page.goto((built_site / "auto_tutorials" / "tutorial_01_pursuer_distancer.html").as_uri())
        page.wait_for_selector(".js-plotly-plot .main-svg")
        assert page.locator(".js-plotly-plot").count() >= 4
    assert not remote, f"the site requested remote hosts: {sorted(set(remote))[:10]}"
    # the search page fetches each hit's page for a summary snippet, which browsers refuse
    # on file:// (the hits still show); every other file (scripts, styles, images) loads
    missing = sorted({u for u in failed if not urlparse(u).path.endswith(".html")})
    assert not missing, f"files that failed to load: {missing[:10]}"
