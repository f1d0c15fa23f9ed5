"""Sweep spec files: a parameter sweep described in TOML, validated, run, resumed.

A sweep spec names a model and its base parameters, what varies (a grid, or a seeded
sample of a box), the measures to compute at every point, and where the zarr store goes.
It is read by the package's one TOML reader (`dyadmodel.models._toml.read_toml_file`) and
checked key by key before anything runs; nothing in it is evaluated. A malformed file
raises ONE `SweepSpecFileError` naming the file, the key path
(``over.values.anxiety_gain_1.num``), the bad value and what was expected; unknown keys
are errors with a did-you-mean.

File layout (every table but ``[model]``, ``[over]`` and ``[measures]`` optional)::

    name = "anxiety-avoidance-grid"      # default: the file name without .toml
    description = "..."

    [model]
    name = "pursuer-distancer-2d"        # a registered model, a model file
                                         # ("my_model.toml", relative to this file) or
                                         # "file.py:factory" (runs that code); the short
                                         # form model = "my_model.toml" is the same
    preset = "anxious-avoidant"          # optional documented parameter region

    [parameters]                         # base values on top of the preset
    anxiety_gain_1 = 2.0

    [inputs]                             # constant inputs (not swept)
    stress = 0.0

    [over]
    type = "grid"                        # grid | latin-hypercube | sobol | saltelli

    [over.values]                        # grid: per name a list of values, or
    anxiety_gain_1 = { start = 0.5, stop = 4.0, num = 36 }   # evenly spaced (linspace),
    threshold_1 = { start = 0.25, stop = 4.0, num = 5, scale = "log" }  # or geometric
    avoidance_gain_2 = [1.0, 2.0, 3.0]   # (num = 1 gives start; start = stop with num > 1
                                         # is refused as an impossible range)

    # a sample instead of a grid:
    # type = "saltelli"                  # n base points (a power of two for sobol and
    # n = 1024                           # saltelli), seed (default 0), second_order
    # seed = 1                           # (saltelli only, default true)
    # [over.bounds]
    # anxiety_gain_1 = [0.5, 4.0]

    [measures]                           # measure name -> options ({} for the defaults)
    regime = {}
    balanced_basin_fraction = { resolution = 40 }

    [run]
    chunk_size = 64                      # points per chunk (part of the sweep's identity)
    max_points = 1000000                 # the budget of points (this is the default)

    [output]
    path = "anxiety-avoidance-grid.zarr" # relative to the spec file's directory

    [sensitivity]                        # Sobol' indices; only with type = "saltelli"
    outcome = "balanced_basin_fraction"  # a scalar numeric output of the measures
    num_resamples = 1000
    conf_level = 0.95
    seed = 0

Swept names may be parameters or inputs of the model. Every swept value (grid) or box
corner (sample) is checked against the parameter's bounds when the file is loaded, and
the number of points against ``max_points`` before any value is generated. Integers
beyond 64 bits and tables or arrays nested deeper than 16 levels are refused as soon as
the file is parsed.

Run a spec with ``dyadmodel sweep SPEC.toml`` (`cli_sweep`) or
``load_sweep_spec(path).run()``.
"""

from __future__ import annotations

import argparse
import dataclasses
import difflib
import json
import math
import os
import re
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import Any

import numpy as np

from dyadmodel.errors import SpecFileError
from dyadmodel.model import Model, ParameterError, ParameterSet
from dyadmodel.models._toml import read_toml_file
from dyadmodel.simulate._checks import show
from dyadmodel.simulate._scenario import (
    _Bad,
    _bool,
    _number,
    _Reader,
    _string,
    _string_or,
    model_shorthand,
    read_model,
    read_parameters,
)
from dyadmodel.sweeps._design import SAMPLE_METHODS, Grid, Sample
from dyadmodel.sweeps._measures import bind
from dyadmodel.sweeps._store import SweepSpecError, SweepStore
from dyadmodel.sweeps._sweep import (
    BACKENDS,
    DEFAULT_MAX_POINTS,
    SweepError,
    SweepTooLargeError,
    auto_chunk_size,
    chunk_shape,
)

__all__ = [
    "SensitivitySpec",
    "SweepSpec",
    "SweepSpecFileError",
    "cli_sweep",
    "load_sweep_spec",
]


class SweepSpecFileError(SpecFileError):
    """A malformed sweep spec file: the message names the file, the key path, the bad
    value and what was expected.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from dyadmodel.sweeps import SweepSpecFileError, load_sweep_spec
    >>> spec = pathlib.Path(tempfile.mkdtemp()) / "spec.toml"
    >>> _ = spec.write_text("[model")
    >>> try:
    ...     load_sweep_spec(spec)
    ... except SweepSpecFileError as err:
    ...     print("not valid TOML" in str(err))
    True
    """


# -- field kinds (besides those shared with scenario files) ---------------------------------
def _count(v: Any) -> int:
    if isinstance(v, bool) or not isinstance(v, int) or v < 1:
        raise _Bad("an integer >= 1")
    return v


def _nonneg_int(v: Any) -> int:
    if isinstance(v, bool) or not isinstance(v, int) or v < 0:
        raise _Bad("an integer >= 0")
    return v


def _fraction(v: Any) -> float:
    if isinstance(v, bool) or not isinstance(v, int | float) or not 0 < v < 1:
        raise _Bad("a number between 0 and 1 (exclusive), e.g. 0.95")
    return float(v)


def _scale(v: Any) -> str:
    if v not in ("linear", "log"):
        raise _Bad("'linear' or 'log'")
    return v


def _path(v: Any) -> str:
    if not isinstance(v, str) or not v.strip():
        raise _Bad("a non-empty path")
    return v


def _finite_numbers(v: Any) -> list[float]:
    if not isinstance(v, list) or not v:
        raise _Bad("a non-empty list of numbers, or a table {start, stop, num}")
    out = []
    for x in v:
        if isinstance(x, bool) or not isinstance(x, int | float) or not math.isfinite(x):
            raise _Bad("a list of finite numbers")
        out.append(float(x))
    return out


def _box(v: Any) -> tuple[float, float]:
    expected = "a list [low, high] of two finite numbers with low < high"
    if not isinstance(v, list) or len(v) != 2:
        raise _Bad(expected)
    for x in v:
        if isinstance(x, bool) or not isinstance(x, int | float) or not math.isfinite(x):
            raise _Bad(expected)
    lo, hi = float(v[0]), float(v[1])
    if not lo < hi:
        raise _Bad(f"{expected} (low >= high is an impossible range)")
    return lo, hi


_TOP: dict[str, str] = {
    "name": "string",
    "description": "string",
    "model": "table",
    "parameters": "table",
    "inputs": "table",
    "over": "table",
    "measures": "table",
    "run": "table",
    "output": "table",
    "sensitivity": "table",
}
_MODEL = {"name": (_string, True), "preset": (_string, False)}
_RANGE = {
    "start": (_number, True),
    "stop": (_number, True),
    "num": (_count, True),
    "scale": (_scale, False),
}
_SAMPLE = {
    "bounds": (lambda v: v, True),  # checked key by key
    "n": (_count, True),
    "seed": (_nonneg_int, False),
}
_RUN = {"chunk_size": (_count, False), "max_points": (_count, False)}
_OUTPUT = {"path": (_path, False)}
_SENSITIVITY = {
    "outcome": (_string, True),
    "num_resamples": (_count, False),
    "conf_level": (_fraction, False),
    "seed": (_nonneg_int, False),
}
_OVER_TYPES = {"grid": None, **dict.fromkeys(SAMPLE_METHODS)}


# -- the spec ---------------------------------------------------------------------------------
@dataclasses.dataclass(frozen=True)
class SensitivitySpec:
    """The ``[sensitivity]`` table: Sobol' indices of ``outcome`` after the sweep.

    Attributes
    ----------
    outcome : str
        A scalar numeric output of the sweep's measures.
    num_resamples : int
        Bootstrap resamples for the confidence intervals.
    conf_level : float
        Confidence level of the intervals, in (0, 1).
    seed : int
        Seeds the bootstrap.
    """

    outcome: str
    num_resamples: int = 1000
    conf_level: float = 0.95
    seed: int = 0


@dataclasses.dataclass(frozen=True, eq=False)
class SweepSpec:
    """A validated sweep spec (see the module docstring for the file format).

    Made by `load_sweep_spec`, which checks the file; the constructor itself checks
    nothing. Run it with `run` (``dyadmodel sweep SPEC.toml`` does the same and then
    computes the ``[sensitivity]`` indices).

    Attributes
    ----------
    path : Path or None
        The spec file.
    name, description : str
        ``name`` from the file (default: the file name without ``.toml``), and its
        ``description`` ('' when not given).
    model : Model
        The model of ``[model]``.
    params : ParameterSet
        The base parameters (preset, then ``[parameters]``); swept names override them.
    inputs : mapping of str to float
        Constant inputs (``[inputs]``, the model's defaults for the rest).
    over : Grid or Sample
        What varies: ``[over]`` as a `Grid` or a seeded `Sample`.
    measures : mapping of str to mapping
        Measure name to the options given in the file (defaults are filled in when the
        sweep runs).
    chunk_size : int or None
        Points per chunk; None for `auto_chunk_size`.
    output : str or None
        The ``[output].path`` store, resolved against the spec file's directory.
    sensitivity : SensitivitySpec or None
        The ``[sensitivity]`` table; None without one.
    max_points : int
        The budget of points (``[run].max_points``, default `DEFAULT_MAX_POINTS`).

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from dyadmodel.sweeps import load_sweep_spec
    >>> text = '''
    ... name = "anxiety-grid"
    ... [model]
    ... name = "pursuer-distancer-2d"
    ... [parameters]
    ... avoidance_gain_2 = 2.0
    ... [over]
    ... type = "grid"
    ... [over.values]
    ... anxiety_gain_1 = [1.0, 2.0, 3.0]
    ... [measures]
    ... n_stable = {}
    ... [run]
    ... chunk_size = 2
    ... '''
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     f = pathlib.Path(tmp) / "spec.toml"
    ...     _ = f.write_text(text)
    ...     spec = load_sweep_spec(f)
    >>> spec.name, spec.model.name, spec.params["avoidance_gain_2"], dict(spec.inputs)
    ('anxiety-grid', 'pursuer-distancer-2d', 2.0, {'stress': 0.0})
    >>> spec.over, spec.n_chunks, spec.output, spec.default_store
    (Grid(anxiety_gain_1: 3 values in [1, 3]), 2, None, 'anxiety-grid.zarr')
    """

    path: Path | None
    name: str
    description: str
    model: Model
    params: ParameterSet
    inputs: Mapping[str, float]
    over: Grid | Sample
    measures: Mapping[str, Mapping[str, Any]]
    chunk_size: int | None
    output: str | None
    sensitivity: SensitivitySpec | None
    max_points: int = DEFAULT_MAX_POINTS

    @property
    def n_chunks(self) -> int:
        """How many chunks the sweep is cut into (the unit of work and of resuming)."""
        target = self.chunk_size if self.chunk_size is not None else auto_chunk_size(self.over.size)
        block = chunk_shape(self.over.shape, target)
        return math.prod(math.ceil(s / b) for s, b in zip(self.over.shape, block))

    @property
    def default_store(self) -> str:
        """``[output].path`` if given, else ``<name>.zarr`` in the current directory."""
        if self.output is not None:
            return self.output
        safe = re.sub(r"[^A-Za-z0-9_.\-]+", "_", self.name).strip("._") or "sweep"
        return f"{safe}.zarr"

    def run(
        self,
        store: str | os.PathLike | None = None,
        backend: str = "local",
        scheduler: Any = None,
        n_workers: int | None = None,
        overwrite: bool = False,
        progress: bool | None = None,
    ):
        """Run the sweep with `dyadmodel.sweep` (resuming a store that holds it).

        The spec's model, base parameters, inputs, design, measures, ``chunk_size`` and
        ``max_points`` are passed on as they are. The ``[sensitivity]`` table is not
        used here: compute the indices from the result with `sobol_indices` (as
        ``dyadmodel sweep`` does).

        Parameters
        ----------
        store : str or os.PathLike, optional
            The zarr store (a directory); default ``output`` (the file's
            ``[output].path``), and when that is not given either, a temporary store
            loaded into memory and deleted (nothing to resume). Unlike ``dyadmodel
            sweep``, it does not default to `default_store` in the current directory.
            A store that holds this sweep is resumed: finished chunks are kept.
        backend : {'local', 'dask'}
            'local': a process pool of ``n_workers`` on this machine (``n_workers=1``
            runs in this process); 'dask': dask.distributed, as for `dyadmodel.sweep`.
        scheduler : str or distributed.Client, optional
            The dask scheduler (``backend='dask'`` only): an address such as
            ``"tcp://host:8786"`` or a client; without one a local cluster is started.
        n_workers : int, optional
            Worker processes; default: the CPUs available to this process.
        overwrite : bool
            Discard a store that holds another sweep (only a store this package created
            and that holds nothing else is ever deleted).
        progress : bool, optional
            A progress bar of chunks done; default: only when stderr is a terminal.

        Returns
        -------
        xarray.Dataset
            The result of `dyadmodel.sweep`: one variable per measure output over the
            swept names, the spec's settings in its attributes; opened lazily from
            ``store`` when there is one.

        Raises
        ------
        SweepSpecError
            ``store`` holds another sweep (without ``overwrite``), is being written by
            another sweep, or is not a sweep store.
        SweepTooLargeError
            More points than ``max_points``, or more memory than the machine can spare.
        SweepError
            A measure failed at a point, or the worker processes died; finished chunks
            are kept.
        ValueError
            A bad ``backend``, ``scheduler`` or ``n_workers``.

        Examples
        --------
        >>> import pathlib, tempfile
        >>> from dyadmodel.sweeps import load_sweep_spec
        >>> text = '''
        ... [model]
        ... name = "pursuer-distancer-2d"
        ... [over]
        ... type = "grid"
        ... [over.values]
        ... anxiety_gain_1 = [1.0, 2.0, 3.0]
        ... [measures]
        ... n_stable = {}
        ... '''
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     f = pathlib.Path(tmp) / "spec.toml"
        ...     _ = f.write_text(text)
        ...     spec = load_sweep_spec(f)
        ...     ds = spec.run(store=pathlib.Path(tmp) / "grid.zarr", n_workers=1)
        ...     print(ds.n_stable.values.tolist(), ds.attrs["complete"])
        [1, 2, 2] 1
        """
        from dyadmodel.sweeps._sweep import sweep

        return sweep(
            self.model,
            self.params,
            self.over,
            {k: dict(v) for k, v in self.measures.items()},
            inputs=dict(self.inputs),
            store=store if store is not None else self.output,
            backend=backend,
            scheduler=scheduler,
            n_workers=n_workers,
            chunk_size=self.chunk_size,
            max_points=self.max_points,
            overwrite=overwrite,
            progress=progress,
        )


class _SpecReader(_Reader):
    """`_Reader` raising `SweepSpecFileError` (same message formats)."""

    def fail(self, key: str, value: Any, expected: str) -> SweepSpecFileError:
        shown = ("true" if value else "false") if isinstance(value, bool) else show(value)
        return SweepSpecFileError(f"{self.file}: {key} = {shown}: expected {expected}")

    def message(self, key: str, text: str) -> SweepSpecFileError:
        return SweepSpecFileError(f"{self.file}: {key}: {text}")

    def unknown(self, key: str, allowed: Sequence[str], where: str) -> SweepSpecFileError:
        leaf = key.rsplit(".", 1)[-1]
        close = difflib.get_close_matches(leaf, allowed, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        return SweepSpecFileError(
            f"{self.file}: unknown key {key!r}{hint}; allowed keys {where}: {', '.join(allowed)}"
        )


def load_sweep_spec(path: str | Path, max_points: int | None = None) -> SweepSpec:
    """Read and validate a sweep spec file.

    Parameters
    ----------
    path : str or Path
        A TOML file (see the module docstring for the layout).
    max_points : int, optional
        Overrides ``[run].max_points`` (the budget of points; default
        `DEFAULT_MAX_POINTS`).

    Returns
    -------
    SweepSpec
        The result; see `SweepSpec` for its fields.

    Raises
    ------
    SweepSpecFileError
        One error for the first problem found: unreadable file, TOML syntax, unknown key
        (with a did-you-mean), wrong type, bad value, unknown model, parameter, input or
        measure, a swept value outside a parameter's bounds, an impossible range, a
        ``[sensitivity]`` that does not fit the sweep, more points than ``max_points``,
        an integer beyond 64 bits, nesting deeper than 16 levels. The message starts with the file
        name and names the key path.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from dyadmodel.sweeps import load_sweep_spec
    >>> text = '''
    ... [model]
    ... name = "pursuer-distancer-2d"
    ... [over]
    ... type = "grid"
    ... [over.values]
    ... anxiety_gain_1 = { start = 0.5, stop = 4.0, num = 8 }
    ... [measures]
    ... regime = {}
    ... '''
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "s.toml"
    >>> _ = f.write_text(text)
    >>> spec = load_sweep_spec(f)
    >>> spec.name, spec.over.shape, list(spec.measures)
    ('s', (8,), ['regime'])
    >>> _ = f.write_text(text.replace("regime", "regmie"))
    >>> load_sweep_spec(f)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    dyadmodel.sweeps._spec.SweepSpecFileError: ...s.toml: measures.regmie: unknown measure
    'regmie' (did you mean 'regime'?); ...
    """
    p = Path(path)
    r = _SpecReader(str(p))
    data = read_toml_file(p, error=SweepSpecFileError, what="sweep spec file")
    return _build(r, data, p, max_points)


def _build(
    r: _SpecReader, data: dict[str, Any], path: Path, max_points: int | None = None
) -> SweepSpec:
    data = model_shorthand(data)
    for k in data:
        if k not in _TOP:
            raise r.unknown(k, list(_TOP), "at the top level")
        if _TOP[k] == "table" and not isinstance(data[k], dict):
            raise r.fail(k, data[k], f"a table [{k}]")
    name = _string_or(r, data, "name", path.stem)
    description = _string_or(r, data, "description", "")

    # the model and its base parameters
    model, values = read_model(r, data, path.parent)
    params = read_parameters(r, data, model, values)

    inputs = _inputs(r, data.get("inputs", {}), model)
    run = r.fields(data.get("run", {}), _RUN, "run")
    if max_points is None:
        max_points = run.get("max_points", DEFAULT_MAX_POINTS)
    over = _over(r, data, model, params, max_points)
    measures, outputs = _measures(r, data, model)

    out = r.fields(data.get("output", {}), _OUTPUT, "output")
    output = None
    if "path" in out:
        output = str((path.parent / Path(out["path"]).expanduser()).resolve())

    sensitivity = None
    if "sensitivity" in data:
        sensitivity = _sensitivity(r, data["sensitivity"], over, outputs)

    return SweepSpec(
        path=path,
        name=name,
        description=description,
        model=model,
        params=params,
        inputs=MappingProxyType(inputs),
        over=over,
        measures=MappingProxyType(measures),
        chunk_size=run.get("chunk_size"),
        max_points=max_points,
        output=output,
        sensitivity=sensitivity,
    )


def _inputs(r: _SpecReader, spec: dict[str, Any], model: Model) -> dict[str, float]:
    out = {u.name: float(u.default) for u in model.inputs}
    for k, v in spec.items():
        if k not in model.input_names:
            raise r.unknown(
                f"inputs.{k}",
                list(model.input_names),
                f"in [inputs] (inputs of model {model.name!r})",
            )
        try:
            out[k] = _number(v)
        except _Bad as bad:
            raise r.fail(f"inputs.{k}", v, bad.expected) from None
    return out


def _swept_name(r: _SpecReader, key: str, name: str, model: Model, where: str) -> None:
    known = [*model.parameter_names, *model.input_names]
    if name not in known:
        raise r.unknown(key, known, f"{where} (parameters and inputs of model {model.name!r})")


def _in_bounds(r: _SpecReader, key: str, name: str, vals, model: Model, base: ParameterSet):
    if name not in model.parameter_names:
        return  # an input: any finite value
    for v in vals:
        try:
            model.params(dict(base.items()), **{name: float(v)})
        except ParameterError as err:
            raise r.message(key, str(err)) from None


def _too_many(r: _SpecReader, key: str, n: int, max_points: int) -> SweepSpecFileError:
    return r.message(
        key,
        f"the sweep would have {n:,} points, more than max_points = {max_points:,}; use fewer "
        "points, split the sweep, or raise max_points ([run] max_points = N, or dyadmodel "
        "sweep --max-points N) if you mean it",
    )


def _over(r: _SpecReader, data: dict[str, Any], model: Model, base: ParameterSet, max_points: int):
    if "over" not in data:
        raise r.message(
            "over",
            'missing; the table [over] with type = "grid" and [over.values], or a sample '
            'type ("latin-hypercube", "sobol", "saltelli") with n and [over.bounds], is required',
        )
    kind, spec = r.typed(data["over"], "over", _OVER_TYPES)
    if kind == "grid":
        r.fields(spec, {"values": (lambda v: v, True)}, "over", skip=("type",))
        vspec = spec["values"]
        if not isinstance(vspec, dict) or not vspec:
            raise r.fail(
                "over.values",
                vspec,
                "a non-empty table [over.values] of swept names to lists of values or "
                "{start, stop, num}",
            )
        values: dict[str, np.ndarray] = {}
        n_points = 1
        for name, v in vspec.items():
            key = f"over.values.{name}"
            _swept_name(r, key, name, model, "in [over.values]")
            if isinstance(v, dict):
                num = v.get("num")
                if isinstance(num, int) and not isinstance(num, bool) and num > 0:
                    if n_points * num > max_points:  # before any value is generated
                        raise _too_many(r, f"{key}.num", n_points * num, max_points)
                vals = _range(r, key, v)
            else:
                try:
                    vals = np.array(_finite_numbers(v))
                except _Bad as bad:
                    raise r.fail(key, v, bad.expected) from None
            try:
                Grid({name: vals})
            except ValueError as err:
                raise r.message(key, str(err)) from None
            n_points *= len(vals)
            if n_points > max_points:
                raise _too_many(r, key, n_points, max_points)
            _in_bounds(r, key, name, vals, model, base)
            values[name] = vals
        return Grid(values)

    sample_fields = dict(_SAMPLE)
    if kind == "saltelli":
        sample_fields["second_order"] = (_bool, False)
    where = f"over (type = {kind!r})"
    allowed = ["type", *sample_fields]
    for k in spec:
        if k not in allowed:
            extra = (
                "; second_order is for type = 'saltelli' only"
                if k == "second_order"
                else "; values are for type = 'grid' (a sample has [over.bounds])"
                if k == "values"
                else ""
            )
            err = r.unknown(f"over.{k}", allowed, f"in {where}")
            raise SweepSpecFileError(f"{err}{extra}")
    got = r.fields(spec, sample_fields, "over", skip=("type",))
    bspec = got["bounds"]
    if not isinstance(bspec, dict) or not bspec:
        raise r.fail(
            "over.bounds",
            bspec,
            "a non-empty table [over.bounds] of swept names to [low, high]",
        )
    bounds: dict[str, tuple[float, float]] = {}
    for name, b in bspec.items():
        key = f"over.bounds.{name}"
        _swept_name(r, key, name, model, "in [over.bounds]")
        try:
            bounds[name] = _box(b)
        except _Bad as bad:
            raise r.fail(key, b, bad.expected) from None
        _in_bounds(r, key, name, bounds[name], model, base)
    kwargs = {"n": got["n"], "seed": got.get("seed", 0)}
    if "second_order" in got:
        kwargs["second_order"] = got["second_order"]
    try:
        sample = Sample(kind, bounds, **kwargs)
    except ValueError as err:
        text = str(err)
        key = next(
            (f"over.{k}" for k in ("n", "seed", "second_order") if re.search(rf"\b{k}\b", text)),
            "over",
        )
        raise r.message(key, text) from None
    if sample.size > max_points:  # the sample is generated only when the sweep runs
        raise _too_many(r, "over.n", sample.size, max_points)
    return sample


def _range(r: _SpecReader, key: str, spec: dict[str, Any]) -> np.ndarray:
    got = r.fields(spec, _RANGE, key)
    start, stop, num = got["start"], got["stop"], got["num"]
    log = got.get("scale", "linear") == "log"
    if num > 1 and start == stop:
        raise r.message(
            key,
            f"start = stop = {show(spec['start'])} with num = {num}: an impossible range; "
            "give start != stop, or num = 1",
        )
    if log:
        for k in ("start", "stop"):
            if not got[k] > 0:
                raise r.fail(
                    f"{key}.{k}",
                    spec[k],
                    "a positive number with scale = 'log' (a geometric range)",
                )
        vals = np.geomspace(start, stop, num)
    else:
        vals = np.linspace(start, stop, num)
    if num > 1:  # exactly the numbers the file wrote at the ends
        vals[0], vals[-1] = start, stop
    return vals


def _measures(
    r: _SpecReader, data: dict[str, Any], model: Model
) -> tuple[dict[str, Mapping[str, Any]], dict[str, Any]]:
    if "measures" not in data:
        raise r.message(
            "measures",
            "missing; the table [measures] with at least one measure is required, e.g. "
            "regime = {} or balanced_basin_fraction = { resolution = 40 }",
        )
    spec = data["measures"]
    if not spec:
        raise r.message(
            "measures", "empty; give at least one measure, e.g. regime = {} (options in braces)"
        )
    out: dict[str, Mapping[str, Any]] = {}
    outputs: dict[str, Any] = {}
    for name, opts in spec.items():
        key = f"measures.{name}"
        if not isinstance(opts, dict):
            raise r.fail(key, opts, "a table of options ({} for the defaults)")
        try:
            bound = bind(model, name, opts)
        except ValueError as err:
            text = str(err)
            opt = _option_named(text, opts)
            raise r.message(f"{key}.{opt}" if opt else key, text) from None
        for o in bound.outputs(model):
            if o.name in outputs:
                raise r.message(
                    key,
                    f"measures {outputs[o.name][0]!r} and {name!r} both write {o.name!r}; ask "
                    "for each measure once",
                )
            outputs[o.name] = (name, o)
        out[name] = MappingProxyType(dict(opts))
    return out, outputs


def _option_named(text: str, opts: Mapping[str, Any]) -> str | None:
    """The option a message of `bind` is about (for the key path), if any."""
    m = re.match(r"unknown option '([^']*)'", text)
    if m:
        return m.group(1)
    for k in opts:
        if f"'{k}'" in text or re.search(rf"\b{re.escape(k)} =", text):
            return k
    return None


def _sensitivity(
    r: _SpecReader, spec: dict[str, Any], over: Grid | Sample, outputs: Mapping[str, Any]
) -> SensitivitySpec:
    kind = over.method if isinstance(over, Sample) else "grid"
    if kind != "saltelli":
        raise r.message(
            "sensitivity",
            f"Sobol' indices need a Saltelli sample, but over.type = {kind!r}; set "
            'type = "saltelli" with n and [over.bounds] in [over], or remove [sensitivity]',
        )
    got = r.fields(spec, _SENSITIVITY, "sensitivity")
    scalar = [
        k
        for k, (_, o) in outputs.items()
        if o.dims == () and "flag_meanings" not in o.attrs and o.dtype != "bool"
    ]
    outcome = got["outcome"]
    if outcome not in scalar:
        close = difflib.get_close_matches(outcome, scalar, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        why = ""
        if outcome in outputs:
            o = outputs[outcome][1]
            why = (
                f" ({outcome!r} has the extra dimensions {o.dims})"
                if o.dims
                else f" ({outcome!r} is categorical: its variance has no meaning)"
            )
        raise r.fail(
            "sensitivity.outcome",
            outcome,
            f"a scalar numeric output of the measures{why}: {', '.join(scalar) or '(none)'}{hint}",
        )
    return SensitivitySpec(
        outcome=outcome,
        num_resamples=got.get("num_resamples", 1000),
        conf_level=got.get("conf_level", 0.95),
        seed=got.get("seed", 0),
    )


# -- the command line ---------------------------------------------------------------------------
class _UsageError(Exception):
    """A bad command-line argument (exit status 2)."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, not argparse's usage block
        raise _UsageError(message)


def _workers(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: expected a positive integer")
    return n


def sweep_parser() -> argparse.ArgumentParser:
    """The arguments of ``dyadmodel sweep``."""
    p = _Parser(
        prog="dyadmodel sweep",
        description="Run a sweep spec file (TOML): measure outcomes over a grid or sample of "
        "parameter sets, written chunk by chunk to a zarr store. Running the same command "
        "again resumes an interrupted sweep.",
    )
    p.add_argument("spec", help="path to a sweep spec .toml file")
    p.add_argument(
        "--out",
        metavar="PATH",
        help="the zarr store (default: [output].path of the spec, else NAME.zarr here)",
    )
    p.add_argument("--backend", choices=BACKENDS, default=None, help="default: local")
    p.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="a dask scheduler address, e.g. tcp://10.0.0.5:8786 (implies --backend dask)",
    )
    p.add_argument(
        "--workers", type=_workers, metavar="N", help="worker processes (default: the CPUs)"
    )
    p.add_argument(
        "--overwrite",
        action="store_true",
        help="discard a sweep store (one this package created) that holds another sweep",
    )
    p.add_argument(
        "--max-points",
        type=_workers,
        metavar="N",
        help=f"the budget of points (default: [run].max_points, else {DEFAULT_MAX_POINTS:,})",
    )
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    return p


def cli_sweep(argv: Sequence[str] | None = None) -> int:
    """``dyadmodel sweep SPEC.toml [--out PATH] [--backend local|dask] [--scheduler ADDRESS]
    [--workers N] [--overwrite] [--no-progress]``: run a sweep spec file.

    Prints where the store is and whether it resumed, a summary of the result and, with a
    ``[sensitivity]`` table, the Sobol' indices (also written to ``<store stem>-sobol.csv``
    next to the store). Returns 0 on success; 2 with one line on stderr for a bad
    argument, a malformed spec file or a store that holds another sweep; 1 when a measure
    failed at a point, the store could not be written or the indices could not be
    computed; 130 after Ctrl-C (finished
    chunks are kept: the same command resumes).
    """
    try:
        args = sweep_parser().parse_args(argv)
        backend = args.backend or ("dask" if args.scheduler else "local")
        if args.scheduler and backend != "dask":
            raise _UsageError("--scheduler is for --backend dask (it implies it; omit --backend)")
        spec = load_sweep_spec(args.spec, max_points=args.max_points)
    except (_UsageError, SweepSpecFileError) as err:
        return _fail(err)
    path = Path(args.out) if args.out is not None else Path(spec.default_store)
    n_guess = spec.n_chunks
    points = f", {spec.over.size} points" if isinstance(spec.over, Grid) else ""
    print(
        f"sweep {spec.name}: {spec.model.name}, {spec.over!r}{points} in {n_guess} chunks",
        flush=True,
    )
    existed = path.exists()
    before = SweepStore(path, {})
    resuming = not args.overwrite and before.has_spec()
    done_before = len(before.finished()) if resuming else 0
    try:
        ds = spec.run(
            store=path,
            backend=backend,
            scheduler=args.scheduler,
            n_workers=args.workers,
            overwrite=args.overwrite,
            progress=False if args.no_progress else None,
        )
    except KeyboardInterrupt:
        k, n = len(SweepStore(path, {}).finished()), _n_chunks(path, n_guess)
        print(
            f"interrupted: {k} of {n} chunks saved in {path}; run the same command again to resume",
            file=sys.stderr,
        )
        return 130
    except (SweepSpecError, SweepTooLargeError, ParameterError, ValueError, ImportError) as err:
        return _fail(err)
    except SweepError as err:
        k, n = len(SweepStore(path, {}).finished()), _n_chunks(path, n_guess)
        print(
            f"dyadmodel sweep: {err} ({k} of {n} chunks saved in {path}; the same command "
            "resumes from there)",
            file=sys.stderr,
        )
        return 1
    except OSError as err:
        print(f"dyadmodel sweep: cannot write the store {path}: {err}", file=sys.stderr)
        return 1
    n = int(ds.attrs.get("n_chunks", n_guess))
    if resuming:
        state = f"resumed: {done_before} of {n} chunks already done"
    elif existed and args.overwrite:
        state = f"replaced the previous store: {n} chunks computed"
    else:
        state = f"new: {n} chunks computed"
    print(f"store: {path} ({state})")
    print(summary(ds))
    if spec.sensitivity is not None:
        return _sobol(spec.sensitivity, ds, path)
    return 0


def _fail(err: BaseException) -> int:
    from dyadmodel.cli import error_line  # one line, whatever breaks lines in the message

    print(f"dyadmodel sweep: {error_line(err)}", file=sys.stderr)
    return 2


def _n_chunks(path: Path, default: int) -> int:
    try:
        return int(json.loads((path / ".zattrs").read_text())["n_chunks"])
    except (OSError, ValueError, KeyError, TypeError):
        return default


def _sobol(sens: SensitivitySpec, ds: Any, path: Path) -> int:
    from dyadmodel.sweeps._sensitivity import sobol_indices

    try:
        result = sobol_indices(
            ds,
            sens.outcome,
            num_resamples=sens.num_resamples,
            conf_level=sens.conf_level,
            seed=sens.seed,
        )
    except ValueError as err:
        print(f"dyadmodel sweep: Sobol' indices: {err}", file=sys.stderr)
        return 1
    print()
    print(str(result))
    csv = path.with_name(f"{path.stem}-sobol.csv")
    result.to_csv(csv)
    print(f"wrote {csv}")
    return 0


def summary(ds: Any) -> str:
    """A few lines describing a sweep Dataset: dimensions, then each variable (counts per
    flag meaning for categorical outputs, counts per value for small integer outputs, the
    range for the others).
    """
    sizes = ", ".join(f"{d} = {n}" for d, n in ds.sizes.items())
    lines = [f"dimensions: {sizes}"]
    width = max((len(str(k)) for k in ds.data_vars), default=0)
    dwidth = max((len(str(v.dtype)) for v in ds.data_vars.values()), default=0)
    for name, var in ds.data_vars.items():
        vals = np.asarray(var.values)
        head = f"  {name!s:<{width}}  {var.dtype!s:<{dwidth}}"
        if vals.dtype.kind in "iu":
            fill = -1
            counts = dict(zip(*np.unique(vals, return_counts=True)))
            meanings = str(var.attrs.get("flag_meanings", "")).split()
            flags = list(var.attrs.get("flag_values", []))
            labels = {int(v): m for v, m in zip(flags, meanings)}
            if labels:
                # every meaning when there are few, else those that occur
                parts = [
                    f"{labels[int(v)]} {counts.get(v, 0)}"
                    for v in flags
                    if len(flags) <= 3 or counts.get(v, 0)
                ]
            elif len(counts) <= 8:
                parts = [f"{int(v)}: {c}" for v, c in counts.items() if v != fill]
            else:
                ok = vals[vals != fill]
                parts = [f"{ok.min()} .. {ok.max()}"] if ok.size else []
            extra = {int(v): c for v, c in counts.items() if int(v) not in labels}
            if labels and extra:
                parts += [f"{v}: {c}" for v, c in extra.items() if v != fill]
            if counts.get(fill, 0) and fill not in labels:
                parts.append(f"not computed {counts[fill]}")
            lines.append(f"{head}  " + ", ".join(parts))
        elif vals.dtype.kind == "f":
            finite = vals[np.isfinite(vals)]
            text = (
                f"{finite.min():.4g} .. {finite.max():.4g}, mean {finite.mean():.4g}"
                if finite.size
                else "no finite values"
            )
            n_nan, n_inf = int(np.isnan(vals).sum()), int(np.isinf(vals).sum())
            if n_nan:
                text += f", NaN {n_nan}"
            if n_inf:
                text += f", inf {n_inf}"
            lines.append(f"{head}  {text}")
        else:
            lines.append(head.rstrip())
    return "\n".join(lines)
