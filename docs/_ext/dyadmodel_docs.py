"""Helpers of the documentation's gallery: a figure script's figure, without its files.

The gallery shows every figure of ``scripts/fig*.py`` by running the script's own
``main`` (so the gallery and ``figures/`` can never disagree): `figure_from_script`
imports the script, swaps its ``save_figure`` for one that keeps the figure and writes
nothing (no static export, no browser), runs ``main`` (with the caption's checks) and
returns the figure and its caption.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
if str(REPO / "scripts") not in sys.path:
    sys.path.insert(0, str(REPO / "scripts"))


def figure_from_script(name: str) -> tuple[Any, str]:
    """Run ``scripts/<name>.py``'s ``main`` and return its plotly figure and caption.

    Parameters
    ----------
    name : str
        The script's module name, e.g. ``"fig01_balanced_vs_entrenched"``.

    Returns
    -------
    figure : plotly.graph_objects.Figure
        The figure ``main`` would have saved.
    caption : str
        The caption ``main`` recorded in the figure's provenance (the script's
        ``CAPTION`` with its computed numbers filled in).

    Raises
    ------
    LookupError
        When ``main`` saved no figure.
    """
    script = importlib.import_module(name)
    kept: list[Any] = []

    def keep(fig, outdir, stem, provenance):
        kept.append((fig, provenance))
        return []

    original = script.save_figure
    script.save_figure = keep
    try:
        script.main("unused-output-directory")
    finally:
        script.save_figure = original
    if not kept:
        raise LookupError(f"scripts/{name}.py saved no figure")
    fig, provenance = kept[-1]
    return fig, str(provenance.get("caption", getattr(script, "CAPTION", "")))
