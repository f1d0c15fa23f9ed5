"""Running scenario files and writing their results (CSV, netCDF, an HTML figure).

This module sits above `dyadmodel.plot` (like the command line): `dyadmodel.simulate`
computes and never draws or writes figures; here a scenario's run is written to files
and, when asked, drawn with `dyadmodel.plot.time_series`. `dyadmodel simulate
SCENARIO.toml` is `cli_simulate`.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np

from dyadmodel.simulate._scenario import Scenario, ScenarioError, ScenarioRun, load_scenario

__all__ = ["DEFAULT_OUTDIR", "cli_simulate", "run_scenario"]

#: Where `dyadmodel simulate` writes when no --outdir is given (ignored by git).
DEFAULT_OUTDIR = "dyadmodel-results"


# -- running and writing ----------------------------------------------------------------------
def run_scenario(scenario: Scenario | str | Path, outdir: str | Path) -> ScenarioRun:
    """Simulate a scenario and write its outputs into ``outdir`` (created if needed).

    Parameters
    ----------
    scenario : Scenario, str or pathlib.Path
        A scenario, or the path of a scenario file (read with `load_scenario`).
    outdir : str or pathlib.Path
        The folder the outputs are written to; created when missing. Files of the same
        names in it are replaced.

    Returns
    -------
    ScenarioRun
        The simulation, the files written and notes on what was skipped.

    Raises
    ------
    ScenarioError
        (an `InvalidInputError`) for a scenario file that cannot be used; the message
        names the file and the key.

    Notes
    -----
    The files written:

    - ``<csv>``: columns ``t``, every state, every input, and every parameter an
      intervention changes, at the scenario's ``samples`` output times;
    - ``<stem>_events.csv`` when events are configured: ``event, t`` and the states;
    - ``<stem>.nc`` (netCDF) when ``netcdf`` and xarray is installed (xarray is not a
      dependency: otherwise a note says it was skipped);
    - ``<stem>.html`` when ``figure`` and `dyadmodel.plot.time_series` is available.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> import dyadmodel as dm
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "calm.toml").write_text('''
    ... [model]
    ... name = "pursuer-distancer-2d"
    ... [initial]
    ... equilibrium = "balanced"
    ... [time]
    ... span = [0, 10]
    ... [output]
    ... figure = false
    ... netcdf = false
    ... ''')
    >>> run = dm.run_scenario(folder / "calm.toml", folder / "out")
    >>> [f.name for f in run.files], run.simulation.y.shape
    (['calm.csv'], (2, 1001))
    """
    sc = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    run = sc.simulate()
    stem = Path(sc.csv).stem
    files, notes = [], []

    columns: dict[str, np.ndarray] = {"t": np.asarray(run.t)}
    for name, row in zip(sc.model.state_names, run.y):
        columns[name] = row
    for name, vals in run.inputs.items():
        columns[name] = vals
    for name in run.varied_parameters:
        columns[name] = run.parameter_values(name)
    csv_path = out / sc.csv
    _write_csv(csv_path, columns)
    files.append(csv_path)

    if sc.events:
        ev_path = out / f"{stem}_events.csv"
        rows = [["event", "t", *sc.model.state_names]]
        for rec in run.events:
            for j, tj in enumerate(rec.t):
                rows.append([rec.name, _fmt(tj), *(_fmt(v) for v in rec.y[:, j])])
        ev_path.write_text("\n".join(",".join(_csv_cell(c) for c in row) for row in rows) + "\n")
        files.append(ev_path)

    if sc.netcdf:
        try:
            xr = importlib.import_module("xarray")
        except ImportError:
            notes.append("netCDF skipped: xarray is not installed (pip install xarray)")
        else:
            nc_path = out / f"{stem}.nc"
            ds = xr.Dataset(
                {k: ("t", np.asarray(v)) for k, v in columns.items() if k != "t"},
                coords={"t": columns["t"]},
                attrs={
                    "model": sc.model.name,
                    "scenario": sc.name,
                    **{f"param_{k}": v for k, v in sc.params.items()},
                },
            )
            try:
                ds.to_netcdf(nc_path)
                files.append(nc_path)
            except Exception as err:  # no netCDF backend installed
                notes.append(f"netCDF skipped: xarray could not write it ({err})")

    if sc.figure:
        try:
            plot = importlib.import_module("dyadmodel.plot")  # plotly: only when drawing
            time_series = plot.time_series
        except (ImportError, AttributeError):
            notes.append("figure skipped: dyadmodel.plot.time_series is not available")
        else:
            stress = next(iter(run.inputs.values())) if run.inputs else None
            fig = time_series(run.t, run.y, sc.model, stress=stress, title=sc.name)
            html = out / f"{stem}.html"
            fig.write_html(html, include_plotlyjs=True, full_html=True)
            files.append(html)
    return ScenarioRun(scenario=sc, simulation=run, files=tuple(files), notes=tuple(notes))


def _fmt(v: float) -> str:
    return repr(float(v))


def _csv_cell(c: str) -> str:
    return f'"{c}"' if ("," in c or '"' in c) else c


def _write_csv(path: Path, columns: Mapping[str, np.ndarray]) -> None:
    names = list(columns)
    data = np.column_stack([np.asarray(columns[k], dtype=float) for k in names])
    lines = [",".join(names)]
    lines += [",".join(repr(float(v)) for v in row) for row in data]
    path.write_text("\n".join(lines) + "\n")


def cli_simulate(argv: Sequence[str] | None = None) -> int:
    """``dyadmodel simulate SCENARIO.toml [--outdir DIR]``: run a scenario file.

    Prints each file written and a one-line summary; returns 0 on success, 1 when the
    solver failed (its message is printed), 2 with one line on a malformed file.

    Parameters
    ----------
    argv : sequence of str, optional
        The arguments after ``simulate``; argparse reads ``sys.argv`` when None.

    Returns
    -------
    int
        The exit status: 0, 1 or 2 as above.

    Examples
    --------
    >>> from dyadmodel.scenarios import cli_simulate
    >>> cli_simulate(["no-such-file.toml"])  # the error line goes to stderr
    2
    """
    parser = argparse.ArgumentParser(
        prog="dyadmodel simulate",
        description="Run a scenario file (TOML) and write its results (CSV, netCDF, HTML).",
    )
    parser.add_argument("scenario", help="path to a scenario .toml file")
    parser.add_argument(
        "--outdir", default=DEFAULT_OUTDIR, help=f"output directory (default: {DEFAULT_OUTDIR})"
    )
    args = parser.parse_args(argv)
    try:
        result = run_scenario(args.scenario, args.outdir)
    except ScenarioError as err:
        from dyadmodel.cli import error_line  # one line (a model file's caret included)

        print(f"dyadmodel simulate: error: {error_line(err)}", file=sys.stderr)
        return 2
    for f in result.files:
        print(f"wrote {f}")
    for note in result.notes:
        print(note)
    run = result.simulation
    final = ", ".join(
        f"{n} = {v:.4g}" for n, v in zip(result.scenario.model.state_names, run.y[:, -1])
    )
    print(f"{result.scenario.name}: t = {run.t[-1]:g}, {final}")
    for rec in run.events:
        if rec.t.size:
            print(f"event {rec.name!r} at t = " + ", ".join(f"{v:.6g}" for v in rec.t))
    if not run.success:
        print(f"solver failed: {run.message}", file=sys.stderr)
        return 1
    return 0
