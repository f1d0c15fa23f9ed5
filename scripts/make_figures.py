"""Regenerate every figure: run ``main(outdir)`` of each ``scripts/fig*.py`` in order.

Run: ``.venv/bin/python scripts/make_figures.py [outdir]`` (default ``figures/``), or
``dyadmodel figures [outdir]``. Starts one kaleido server for all static images (PNG,
PDF), prints every file written and the total time, and exits with status 1 if any
figure fails (the others are still made). Without Chrome/Chromium only HTML and JSON
are written, unless ``DYADMODEL_REQUIRE_STATIC=1``, which makes that an error.
"""

from __future__ import annotations

import importlib.util
import sys
import time
import traceback
from pathlib import Path
from types import ModuleType

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))  # the figure scripts import _common from here

from _common import REPO, StaticExportError, start_static_server  # noqa: E402
from tqdm import tqdm  # noqa: E402


def figure_scripts() -> list[Path]:
    """The figure scripts, in the order of their names (fig01, fig02, ...)."""
    return sorted(HERE.glob("fig*.py"))


def load(path: Path) -> ModuleType:
    """Import a figure script by path (as a module named after its file)."""
    spec = importlib.util.spec_from_file_location(f"dyadmodel_figure_{path.stem}", path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot import {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    if not callable(getattr(module, "main", None)):
        raise AttributeError(f"{path.name} has no main(outdir) function")
    return module


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) > 1 or (args and args[0].startswith("-")):
        print("usage: make_figures.py [outdir]   (default: figures/)", file=sys.stderr)
        return 2
    outdir = Path(args[0]) if args else REPO / "figures"
    start = time.perf_counter()
    try:
        static = start_static_server()
    except StaticExportError as err:
        print(f"make_figures: error: {err}", file=sys.stderr)
        return 1
    scripts = figure_scripts()
    written: list[Path] = []
    failed: list[str] = []
    for path in tqdm(scripts, desc="figures", unit="figure", disable=None):
        try:
            written += load(path).main(outdir)
        except Exception:
            failed.append(path.name)
            print(f"make_figures: {path.name} failed:", file=sys.stderr)
            traceback.print_exc()
    for p in written:
        print(f"{p}  ({p.stat().st_size / 1024:.0f} kB)")
    js = outdir / "plotly.min.js"
    if js.is_file():
        print(f"{js}  ({js.stat().st_size / 1024:.0f} kB, shared by every HTML file)")
    elapsed = time.perf_counter() - start
    kind = "HTML, PNG, PDF and JSON" if static else "HTML and JSON only (no browser)"
    print(
        f"{len(scripts) - len(failed)} of {len(scripts)} figures ({kind}) in {outdir} "
        f"in {elapsed:.1f} s"
    )
    if failed:
        print(f"make_figures: failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
