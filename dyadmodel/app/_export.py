"""The serverless explorer: one self-contained HTML file computed entirely in the page.

`export_explorer` (and ``dyadmodel export-explorer MODEL -o explorer.html``) writes a
page with plotly.js inlined (the copy bundled in the installed plotly package), the
page-side numerics of `dyadmodel.app._js` and the model printed from its sympy
expressions as JavaScript: sliders for every parameter within its bounds, the phase
plane (vector field, nullclines, equilibria found by Newton's method in the page and
marked "not certified"), trajectories launched by a click, and for models with an input
a stress-pulse time series. Nothing is fetched: the file works offline from the file
system, e.g. as a paper's supplement. Optionally a table of *certified* equilibria
(`dyadmodel.equilibria`, computed here in Python) over a grid of one parameter is
embedded; the page shows the row set of the grid value nearest the slider.

Models with more than two states are shown as a planar slice (the user picks the two
displayed states; the others are held at values set by their own sliders, initially
the 'balanced' equilibrium or the first stable one): the field and the nullclines are
those of the slice, equilibria and trajectories are of the full system, projected.

The file starts with a marker line; an existing file without it (one the package did
not write) is never replaced unless ``force=True``.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import os
import re
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

import dyadmodel as dm
from dyadmodel.app._js import library_js, model_js
from dyadmodel.errors import BudgetExceededError, InvalidInputError, InvalidTypeError
from dyadmodel.model import Model, ParameterSet

__all__ = [
    "MARKER",
    "ExplorerExportError",
    "ExplorerExportOptions",
    "explorer_html",
    "export_explorer",
]

#: The first line of every exported explorer: how the package recognises its own files.
MARKER = "<!-- written by dyadmodel export-explorer: a serverless phase-plane explorer -->"


class ExplorerExportError(InvalidInputError):
    """An explorer export that cannot be written as asked (the path, the grid, the
    certified-table parameter); the message names the value and what was expected."""


@dataclasses.dataclass(frozen=True)
class ExplorerExportOptions:
    """Grids, time spans and budgets of an exported explorer.

    Attributes
    ----------
    field_grid : int
        Arrows per axis of the vector field (5 to 61).
    nullcline_grid : int
        Grid points per axis of the marching-squares nullclines (21 to 401).
    trajectory_time : float
        Forward integration time of a clicked trajectory (as the Dash explorer: 60).
    max_trajectories : int
        Trajectories kept on the plane (the oldest is dropped).
    certified_points : int
        Values of the certified-table parameter (2 to 101), evenly spaced over its
        slider range.
    certified_seconds : float
        Wall-clock budget of the certified table (all `dyadmodel.equilibria` calls).

    Examples
    --------
    >>> ExplorerExportOptions(field_grid=15).nullcline_grid
    121
    """

    field_grid: int = 21
    nullcline_grid: int = 121
    trajectory_time: float = 60.0
    max_trajectories: int = 8
    certified_points: int = 9
    certified_seconds: float = 120.0

    def __post_init__(self) -> None:
        for name, lo, hi in (
            ("field_grid", 5, 61),
            ("nullcline_grid", 21, 401),
            ("max_trajectories", 1, 50),
            ("certified_points", 2, 101),
        ):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, int) or not lo <= v <= hi:
                raise ExplorerExportError(
                    f"ExplorerExportOptions.{name} = {v!r}; expected an integer in [{lo}, {hi}]"
                )
        for name, hi in (("trajectory_time", 1e4), ("certified_seconds", 3600.0)):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, (int, float)) or not 0 < v <= hi:
                raise ExplorerExportError(
                    f"ExplorerExportOptions.{name} = {v!r}; expected a number in (0, {hi:g}]"
                )


def _resolve_model(model: Model | str) -> Model:
    if isinstance(model, Model):
        return model
    if isinstance(model, (str, os.PathLike)):
        return dm.models.load(str(model))
    raise InvalidTypeError(
        f"model = {type(model).__name__} object; expected a Model, a registered model name "
        "or a model file path"
    )


def _check_target(path: Path, force: bool) -> None:
    """Refuse a path the export must not write (see `export_explorer`)."""
    try:
        _check_target_paths(path, force)
    except OSError as err:  # e.g. a name too long for the file system
        raise ExplorerExportError(
            f"output path {str(path)!r} cannot be used ({err.strerror or err})"
        ) from None


def _check_target_paths(path: Path, force: bool) -> None:
    parent = path.parent
    if not parent.is_dir():
        raise ExplorerExportError(
            f"output path {str(path)!r}: the directory {str(parent)!r} does not exist; "
            "expected a file in an existing directory"
        )
    if path.is_dir():
        raise ExplorerExportError(
            f"output path {str(path)!r} is a directory; expected an HTML file name"
        )
    if not (path.exists() or path.is_symlink()):
        return
    if path.is_symlink() or not path.is_file():
        # never replaced, not even with force: a link's target or a device (/dev/null)
        what = "is a symbolic link" if path.is_symlink() else "is not a regular file"
        raise ExplorerExportError(
            f"output path {str(path)!r} {what}; it is left unchanged (choose another path)"
        )
    try:
        with path.open("rb") as f:
            head = f.read(len(MARKER) + 64).decode("utf-8", "replace")
    except OSError as err:
        raise ExplorerExportError(
            f"output path {str(path)!r} exists and cannot be read ({err.strerror})"
        ) from None
    if MARKER in head or force:
        return  # our own earlier export, or replacing was asked for
    raise ExplorerExportError(
        f"output path {str(path)!r} exists and was not written by dyadmodel "
        "export-explorer; it is left unchanged (choose another path, or pass force=True / "
        "--force to replace it)"
    )


def _slice_state(model: Model, pset: ParameterSet) -> list[float]:
    """The off-plane states' starting values (as the Dash explorer: `slice_state`)."""
    if model.n_states <= 2:
        return [0.5 * (lo + hi) for lo, hi in model.domain]
    from dyadmodel.app._compute import slice_state

    return [float(v) for v in slice_state(model, pset)]


def _certified_table(
    model: Model, pset: ParameterSet, param: str, options: ExplorerExportOptions
) -> dict[str, Any]:
    """Certified equilibria at `certified_points` values of ``param`` (its slider range)."""
    from dyadmodel.app._compute import display_range, equilibrium_rows

    if param not in model.parameter_names:
        raise ExplorerExportError(
            f"certified table parameter {param!r} is not a parameter of model "
            f"{model.name!r}; valid parameters: {', '.join(model.parameter_names)}"
        )
    lo, hi, _ = display_range(model.parameter(param))
    # the grid over the slider range, and the starting value itself
    values = np.union1d(np.linspace(lo, hi, options.certified_points), [float(pset[param])])
    rows, notes = [], []
    start = time.monotonic()
    for k, v in enumerate(values):
        if time.monotonic() - start > options.certified_seconds:
            raise BudgetExceededError(
                f"certified table over {param!r}: {k} of {len(values)} values done in "
                f"{options.certified_seconds:g} s (ExplorerExportOptions.certified_seconds); "
                "raise the budget or lower certified_points"
            )
        eqs = dm.equilibria(model, pset.replace(**{param: float(v)}))
        table, note = equilibrium_rows(model, eqs)
        rows.append(
            [
                {
                    "state": r["state"],
                    "kind": r["kind"],
                    "label": r["couple"],
                    "certified": r["certified"],
                }
                for r in table
            ]
        )
        notes.append(note)
    return {
        "param": param,
        "values": [float(v) for v in values],
        "rows": rows,
        "completeness": notes,
    }


_SCRIPT_END = re.compile("</script", re.IGNORECASE)


def _script(source: str) -> str:
    if _SCRIPT_END.search(source):  # never true for the sources the package writes
        raise ExplorerExportError("a page script contains '</script'; it cannot be inlined")
    return f"<script>\n{source}\n</script>\n"


@functools.lru_cache(maxsize=1)
def _plotly_script() -> str:
    """plotly.js from the installed plotly package, as an inline script (read once)."""
    import plotly
    import plotly.offline

    return f"<!-- plotly.js {plotly.__version__}, inlined from the plotly package -->\n" + _script(
        plotly.offline.get_plotlyjs()
    )


_STYLE = """
body { font-family: system-ui, sans-serif; margin: 16px; color: #222; }
h1 { font-size: 20px; margin: 0 0 4px 0; }
.note { color: #555; font-size: 13px; }
.msg { color: #B00020; font-size: 12px; }
#wrap { display: flex; gap: 24px; align-items: flex-start; flex-wrap: wrap; }
#side { width: 360px; }
#main { width: 640px; }
.row { margin: 4px 0; }
.row label { display: inline-block; width: 150px; font-size: 13px; overflow: hidden;
  text-overflow: ellipsis; vertical-align: middle; }
.row input[type=range] { width: 130px; vertical-align: middle; }
table.eq { border-collapse: collapse; font-size: 13px; margin-top: 6px; }
table.eq td, table.eq th { border: 1px solid #ccc; padding: 3px 6px; text-align: left; }
button { margin: 6px 6px 6px 0; }
"""


def _page(model: Model, config: dict[str, Any], title: str) -> str:
    from html import escape

    has_input = bool(model.inputs)
    config_js = json.dumps(config, ensure_ascii=True, allow_nan=False).replace("</", "<\\/")
    stress = (
        """
<h2 style="font-size:16px">Stress pulse</h2>
<div class="row"><label for="pulse-start">start</label>
<input type="text" id="pulse-start" value="10" size="6"></div>
<div class="row"><label for="pulse-duration">duration</label>
<input type="text" id="pulse-duration" value="5" size="6"></div>
<div class="row"><label for="pulse-size">size</label>
<input type="text" id="pulse-size" value="1" size="6"></div>
<div class="row"><label for="pulse-from">start from</label><select id="pulse-from"></select></div>
<div class="msg" id="stress-msg"></div>
<div id="stress-plot"></div>
"""
        if has_input
        else ""
    )
    plane = (
        '<div id="plane"></div><div class="msg" id="plane-msg"></div>' if model.n_states > 2 else ""
    )
    return (
        "<!DOCTYPE html>\n"
        f"{MARKER}\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="generator" content="dyadmodel export-explorer">\n'
        f"<title>{escape(title)}</title>\n<style>{_STYLE}</style>\n"
        + _plotly_script()
        + "</head>\n<body>\n"
        f"<h1>{escape(title)}</h1>\n"
        f'<p class="note">Model <code>{escape(model.name)}</code>. Everything on this page '
        "is computed in the page (JavaScript printed from the model's equations by "
        "dyadmodel; RK45 with rtol 1e-8, atol 1e-10 as dyadmodel.simulate): it needs no "
        "server and no network. Equilibria are found by Newton's method from a grid of "
        "starts and are <b>not certified</b>. Click the plane to launch a trajectory.</p>\n"
        '<div id="wrap">\n<div id="side">\n'
        '<h2 style="font-size:16px">Parameters</h2>\n<div id="params"></div>\n'
        '<button id="reset">Reset parameters</button>'
        '<button id="clear">Clear trajectories</button>\n'
        f"{plane}\n</div>\n"
        '<div id="main">\n<div id="portrait"></div>\n'
        '<p class="note" id="eq-note"></p>\n'
        '<table class="eq" id="eq-table"><thead><tr><th>#</th><th>state</th><th>kind</th>'
        "<th>eigenvalues</th><th>certified</th></tr></thead><tbody></tbody></table>\n"
        '<div id="cert"></div>\n'
        f"{stress}</div>\n</div>\n"
        f'<script type="application/json" id="dm-config">{config_js}</script>\n'
        + _script(library_js())
        + _script(model_js(model))
        + _script(_explorer_js())
        + "</body>\n</html>\n"
    )


def _explorer_js() -> str:
    from importlib import resources

    return resources.files("dyadmodel.app").joinpath("js", "explorer.js").read_text("utf-8")


def explorer_html(
    model: Model | str,
    params: ParameterSet | Mapping[str, Any] | None = None,
    *,
    certified: str | None = None,
    options: ExplorerExportOptions | None = None,
) -> str:
    """The serverless explorer's HTML text (what `export_explorer` writes).

    For callers that deliver the page themselves, e.g. the Dash explorer's export
    button through a download component.

    Parameters
    ----------
    model : Model or str
        A model, a registered model name or a model file path.
    params : ParameterSet or mapping, optional
        Starting parameter values (overrides of the defaults).
    certified : str, optional
        A parameter name: embed a table of certified equilibria (see `export_explorer`).
    options : ExplorerExportOptions, optional
        Grids, time spans and budgets.

    Returns
    -------
    str
        A complete HTML document whose first two lines are the doctype and `MARKER`.

    Raises
    ------
    ExplorerExportError
        ``certified`` is not a parameter, or the model has fewer than two states.
    InvalidTypeError
        ``model`` is not a Model nor a string, or ``options`` is not
        `ExplorerExportOptions`.
    BudgetExceededError
        The certified table did not finish within ``options.certified_seconds``.

    Examples
    --------
    >>> html = explorer_html("strogatz-linear", {"b": 2.0})
    >>> html.splitlines()[1] == MARKER, '"params": [0.0, 2.0' in html
    (True, True)
    """
    opts = ExplorerExportOptions() if options is None else options
    if not isinstance(opts, ExplorerExportOptions):
        raise InvalidTypeError(
            f"options = {type(opts).__name__} object; expected ExplorerExportOptions"
        )
    m = _resolve_model(model)
    if not 2 <= m.n_states:
        raise ExplorerExportError(
            f"model {m.name!r} has {m.n_states} state; the explorer needs at least two"
        )
    pset = m.parameter_set(params) if isinstance(params, ParameterSet) else m.params(params)
    from dyadmodel.app._compute import (
        MAX_PULSE_TIME,
        MAX_STRESS_SIZE,
        display_range,
    )

    config = {
        "model": m.name,
        "title": m.title,
        "params": [float(pset[n]) for n in m.parameter_names],
        "ranges": [list(display_range(p)) for p in m.parameters],
        "slice_state": _slice_state(m, pset),
        "field_grid": opts.field_grid,
        "nullcline_grid": opts.nullcline_grid,
        "trajectory_time": float(opts.trajectory_time),
        "max_trajectories": opts.max_trajectories,
        "max_pulse_time": MAX_PULSE_TIME,
        "max_stress_size": MAX_STRESS_SIZE,
        "certified": _certified_table(m, pset, certified, opts) if certified else None,
        "version": dm.__version__,
    }
    for k, (lo, hi, _step) in enumerate(config["ranges"]):  # the slider covers the start
        v = config["params"][k]
        config["ranges"][k] = [min(lo, v), max(hi, v), _step]
    return _page(m, config, f"{m.title}: serverless explorer")


def export_explorer(
    model: Model | str,
    path: str | os.PathLike[str],
    params: ParameterSet | Mapping[str, Any] | None = None,
    *,
    certified: str | None = None,
    force: bool = False,
    options: ExplorerExportOptions | None = None,
) -> Path:
    """Write a serverless explorer of ``model``: one self-contained HTML file.

    Parameters
    ----------
    model : Model or str
        A model, a registered model name or a model file path (`dyadmodel.models.load`).
    path : str or path-like
        The HTML file to write (its directory must exist).
    params : ParameterSet or mapping, optional
        Starting parameter values (overrides of the defaults); each is checked against
        its bounds.
    certified : str, optional
        A parameter name: embed a table of certified equilibria (`dyadmodel.equilibria`)
        at ``options.certified_points`` values evenly spaced over that parameter's
        slider range and at its starting value, the other parameters at their starting
        values.
    force : bool
        Replace an existing regular file that the package did not write (default:
        refuse). A file this function wrote earlier is always replaced; a symbolic
        link or a special file (a device, a pipe) never is.
    options : ExplorerExportOptions, optional
        Grids, time spans and budgets.

    Returns
    -------
    pathlib.Path
        The file written.

    Raises
    ------
    ExplorerExportError
        The directory is missing, the path is a directory or a file the package did not
        write (without ``force``), the file cannot be written, or ``certified`` is not a
        parameter.
    InvalidTypeError
        ``model`` is not a Model nor a string, or ``options`` is not
        `ExplorerExportOptions`.
    NotFoundError
        ``model`` is not a registered name nor a model file.
    ParameterError
        A value of ``params`` is not a number within its parameter's bounds.
    BudgetExceededError
        The certified table did not finish within ``options.certified_seconds``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "explorer.html"
    >>> export_explorer("strogatz-linear", out).name
    'explorer.html'
    >>> MARKER in out.read_text(encoding="utf-8")[:200]
    True
    """
    target = Path(os.fspath(path))
    _check_target(target, force)
    html = explorer_html(model, params, certified=certified, options=options)
    try:
        fd, tmp = tempfile.mkstemp(prefix=".explorer-", suffix=".html", dir=target.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(html)
            os.chmod(tmp, 0o644)  # mkstemp's 0600 would hide a paper's supplement
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as err:
        raise ExplorerExportError(
            f"output path {str(target)!r} cannot be written ({err.strerror or err})"
        ) from None
    return target
