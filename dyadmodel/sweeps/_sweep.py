"""`sweep`: measure named outcomes over a grid or sample of parameter sets, in chunks,
on a local process pool or a dask cluster, written to a zarr store as it goes.

The sweep is cut into chunks (blocks of the grid, or runs of the sample) fixed by the spec
alone, so the same spec always gives the same chunks whatever runs them. Each chunk is one
task: the worker rebuilds nothing but the chunk's parameter sets, runs every measure on
them, and sends back arrays; the process that called `sweep` writes them into the store
and marks the chunk finished. Measures are deterministic, so the result does not depend
on the backend, the number of workers or the order in which chunks finish, and a resumed
sweep equals an uninterrupted one.
"""

from __future__ import annotations

import contextlib
import dataclasses
import difflib
import functools
import hashlib
import json
import math
import numbers
import os
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from dyadmodel._version import __version__
from dyadmodel.errors import (
    BudgetExceededError,
    ComputationError,
    DyadmodelError,
    InvalidInputError,
    InvalidTypeError,
)
from dyadmodel.model import Model, ParameterError, ParameterSet
from dyadmodel.sweeps._design import Grid, Sample
from dyadmodel.sweeps._measures import Batch, BoundMeasure, Measure, bind
from dyadmodel.sweeps._store import SweepSpecError, SweepStore, warn_damaged

__all__ = [
    "BACKENDS",
    "DEFAULT_MAX_POINTS",
    "SweepError",
    "SweepTooLargeError",
    "open_sweep",
    "sweep",
]

BACKENDS = ("local", "dask")
SPEC_FORMAT = 1
_MAX_AUTO_CHUNK = 512
DEFAULT_MAX_POINTS = 1_000_000
"""Default budget of points in one sweep (``max_points``): about a day of work on a
laptop at 0.1 s a point. A larger sweep is refused before anything is allocated or
written; pass a larger ``max_points`` when it is meant."""
_MEMORY_SHARE = 0.5  # a sweep may plan to hold at most this share of the machine's RAM
_PARENT_POLL_S = 0.5  # how often a pool worker checks that its parent is alive

GUARD_HELP = (
    "worker processes import the main script again, so a call to dm.sweep (or "
    "load_sweep_spec(...).run()) at the top level of a script runs again in each of "
    'them; put it under  if __name__ == "__main__":  (see the README), or pass '
    "n_workers=1"
)


class SweepError(ComputationError):
    """A measure failed at a point of the sweep (the message names the point), or the
    worker processes could not run it.

    Examples
    --------
    >>> import dyadmodel as dm
    >>> from dyadmodel.sweeps import SweepError
    >>> issubclass(SweepError, dm.ComputationError)
    True
    """


class SweepTooLargeError(BudgetExceededError, InvalidInputError):
    """A sweep larger than its budget (``max_points``, or the machine's memory), refused
    before anything is allocated or written; the message says what to change.

    Examples
    --------
    >>> import dyadmodel as dm
    >>> from dyadmodel.sweeps import SweepTooLargeError
    >>> try:
    ...     dm.sweep("pursuer-distancer-2d", None, over={"anxiety_gain_1": [1.0, 2.0, 3.0]},
    ...              max_points=2)
    ... except SweepTooLargeError as err:
    ...     print(isinstance(err, dm.BudgetExceededError))
    True
    """


# -- the task a worker runs -----------------------------------------------------------------
@dataclasses.dataclass(frozen=True)
class ModelText:
    """A model that is not registered (from a model file, from `Model.from_equations`),
    sent to the workers as the text of its model file and rebuilt there with
    `dyadmodel.models.loads`: workers need no shared files and no installed model."""

    text: str

    def build(self) -> Model:
        return _model_from_text(self.text)


@functools.lru_cache(maxsize=8)
def _model_from_text(text: str) -> Model:
    # once per worker process and model: every chunk of the sweep reuses the build
    from dyadmodel import models

    return models.loads(text)


@dataclasses.dataclass(frozen=True)
class ChunkTask:
    """Everything a worker needs for one chunk (small: values, not designs)."""

    index: int
    # a registered model travels by name, an unregistered one as its model file's text
    # (`ModelText`); only a model whose definition a file cannot hold (Python callables:
    # a labeler, a proved equilibrium box) travels as the object itself
    model: Model | str | ModelText
    base: Mapping[str, float]
    base_inputs: Mapping[str, float]
    values: Mapping[str, np.ndarray]
    measures: tuple[BoundMeasure, ...]
    n_threads: int | None


def run_chunk(task: ChunkTask) -> tuple[int, dict[str, np.ndarray]]:
    """Compute every measure at the points of one chunk (runs on a worker)."""
    model = _model(task.model)
    n = len(next(iter(task.values.values())))
    psets: list[ParameterSet] = []
    inputs: list[dict[str, float]] = []
    pnames = [k for k in task.values if k in model.parameter_names]
    unames = [k for k in task.values if k in model.input_names]
    for i in range(n):
        p = dict(task.base)
        p.update({k: float(task.values[k][i]) for k in pnames})
        u = dict(task.base_inputs)
        u.update({k: float(task.values[k][i]) for k in unames})
        psets.append(model.params(p))
        inputs.append(u)
    batch = Batch(model, psets, inputs, task.n_threads)
    out: dict[str, np.ndarray] = {}
    for m in task.measures:
        try:
            got = m.measure.function(batch, m.options)
        except Exception as err:
            at = _failing_point(batch, m, task)
            raise SweepError(
                f"measure {m.name!r} failed in chunk {task.index}{at}: {type(err).__name__}: {err}"
            ) from err
        out.update(_checked_outputs(m, model, got, n, task.index))
    return task.index, out


def _checked_outputs(
    m: BoundMeasure, model: Model, got: Any, n: int, chunk: int
) -> dict[str, np.ndarray]:
    """The arrays a measure returned, checked against the outputs it declares: a missing
    output would leave its fill value in a chunk marked finished (and a resume would not
    compute it again), an extra name or a wrong shape would fail in the store's code."""
    declared = {o.name: o for o in m.measure.outputs(model, m.options)}
    if not isinstance(got, Mapping):
        raise SweepError(
            f"measure {m.name!r} returned {type(got).__name__} in chunk {chunk}: expected a "
            f"mapping of its outputs {sorted(declared)} to arrays"
        )
    missing, extra = sorted(set(declared) - set(got)), sorted(set(got) - set(declared))
    if missing or extra:
        raise SweepError(
            f"measure {m.name!r} returned the outputs {sorted(got)} in chunk {chunk}: "
            f"expected exactly {sorted(declared)}"
            + (f" (missing {missing})" if missing else "")
            + (f" (not declared {extra})" if extra else "")
        )
    checked = {}
    for name, o in declared.items():
        arr = np.asarray(got[name])
        if arr.shape != (n, *o.shape):
            raise SweepError(
                f"measure {m.name!r} returned {name!r} of shape {arr.shape} in chunk "
                f"{chunk}: expected {(n, *o.shape)} (the chunk's {n} points by the "
                f"output's shape {tuple(o.shape)})"
            )
        checked[name] = arr
    return checked


def _failing_point(batch: Batch, m: BoundMeasure, task: ChunkTask) -> str:
    # find the first point that fails on its own, to name it in the message
    for i in range(len(batch)):
        one = Batch(batch.model, batch.psets[i : i + 1], batch.inputs[i : i + 1], task.n_threads)
        try:
            m.measure.function(one, m.options)
        except Exception:
            vals = ", ".join(f"{k} = {float(v[i]):.17g}" for k, v in task.values.items())
            return f" at the point {vals}"
    return ""


def _worker_init(parent_pid: int) -> None:
    # Ctrl-C is for the process that runs the sweep: it stops the pool and keeps what is
    # written; workers should not each print a KeyboardInterrupt traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # a parent killed outright (SIGKILL, out of memory) cannot stop its pool: the
    # workers notice that they were orphaned and end themselves
    threading.Thread(
        target=_exit_when_orphaned, args=(parent_pid,), name="dyadmodel-watch-parent", daemon=True
    ).start()


def _exit_when_orphaned(parent_pid: int) -> None:
    while os.getppid() == parent_pid:
        time.sleep(_PARENT_POLL_S)
    os._exit(1)


def _in_spawn_bootstrap() -> bool:
    """Whether this process is a worker still importing the main script (the call to
    `sweep` then comes from a script without a ``__main__`` guard)."""
    import multiprocessing as mp

    return bool(getattr(mp.process.current_process(), "_inheriting", False))


def _main_script_unguarded() -> str | None:
    """The main script when it has no ``if __name__ == "__main__":`` block, else None."""
    import ast

    main = sys.modules.get("__main__")
    file = getattr(main, "__file__", None)
    if not file or not str(file).endswith(".py"):
        return None
    try:
        tree = ast.parse(Path(file).read_text())
    except (OSError, SyntaxError, ValueError, UnicodeDecodeError):
        return None
    for node in tree.body:
        if isinstance(node, ast.If) and "__name__" in ast.unparse(node.test):
            return None
    return str(file)


# -- argument checks --------------------------------------------------------------------
def _model(model: Model | str | ModelText) -> Model:
    if isinstance(model, Model):
        return model
    if isinstance(model, ModelText):
        return model.build()
    from dyadmodel import models

    if isinstance(model, str):
        return models.load(model)
    raise InvalidTypeError(
        f"model = {model!r:.80}; expected a Model, a registered model name, a model file "
        "(.toml) or 'file.py:factory'"
    )


def _registered(model: Model) -> bool:
    from dyadmodel import models

    try:
        return models.get(model.name) is model
    except Exception:  # not a registered name
        return False


def model_definition(model: Model) -> str | None:
    """The model file text that rebuilds ``model`` exactly, or None when a file cannot
    hold its definition (Python callables: a labeler or a proved equilibrium box, or a
    function the text format does not know)."""
    if model.labeler is not None or model._equilibrium_box is not None:
        return None
    try:
        return model.to_toml()
    except DyadmodelError:
        return None


def _model_ref(model: Model) -> Model | str | ModelText:
    """What a task carries to name ``model`` on a worker: its name when it is registered
    (workers build it from the registry), else its model file text, else the object."""
    if _registered(model):
        return model.name
    text = model_definition(model)
    return ModelText(text) if text is not None else model


def _design(over: Any) -> Grid | Sample:
    if isinstance(over, Grid | Sample):
        return over
    if isinstance(over, Mapping):
        return Grid(over)
    raise TypeError(
        f"over = {over!r}; expected a Grid, a Sample, or a mapping of parameter names to values"
    )


def _check_design(model: Model, design: Grid | Sample, base: ParameterSet) -> None:
    known = (*model.parameter_names, *model.input_names)
    for name in design.names:
        if name not in known:
            close = difflib.get_close_matches(name, known, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise ParameterError(
                f"cannot sweep {name!r}: not a parameter or input of model {model.name!r}{hint}; "
                f"parameters: {', '.join(model.parameter_names)}; inputs: "
                f"{', '.join(model.input_names) or '(none)'}"
            )
        if name not in model.parameter_names:
            continue
        vals = design.values[name] if isinstance(design, Grid) else design.bounds[name]
        for v in vals:  # the model's own bound messages ("... is below its lower bound 0")
            model.params(dict(base.items()), **{name: float(v)})


def _measures(model: Model, measure: Any) -> tuple[BoundMeasure, ...]:
    if isinstance(measure, str | Measure | BoundMeasure):
        items: list[tuple[Any, Any]] = [(measure, None)]
    elif isinstance(measure, Mapping):
        items = list(measure.items())
    elif isinstance(measure, Sequence) and measure:
        items = [(m, None) for m in measure]
    else:
        raise ValueError(
            f"measure = {measure!r}; expected a measure name, a list of names, or a mapping "
            "of names to options, e.g. {'tipping_probability': {'noise': 0.1}}"
        )
    out: list[BoundMeasure] = []
    for m, opts in items:
        if isinstance(m, BoundMeasure):
            out.append(m)
            continue
        if opts is not None and not isinstance(opts, Mapping):
            raise ValueError(f"options of measure {m!r} = {opts!r}; expected a mapping")
        out.append(bind(model, m, opts))
    seen: dict[str, str] = {}
    for m in out:
        for o in m.outputs(model):
            if o.name in seen:
                raise ValueError(
                    f"measures {seen[o.name]!r} and {m.name!r} both write {o.name!r}; ask for "
                    "each measure once"
                )
            seen[o.name] = m.name
    return tuple(out)


def _positive_int(name: str, v: Any) -> int:
    if isinstance(v, bool) or not isinstance(v, numbers.Integral) or v < 1:
        raise ValueError(f"{name} = {v!r}; expected a positive integer")
    return int(v)


# -- chunks ------------------------------------------------------------------------------
def chunk_shape(shape: tuple[int, ...], target: int) -> tuple[int, ...]:
    """Block shape with at most ``target`` points: whole trailing dimensions first."""
    out = [1] * len(shape)
    left = target
    for d in range(len(shape) - 1, -1, -1):
        take = min(shape[d], max(1, left))
        out[d] = take
        left //= max(1, take)
        if take < shape[d]:
            break
    return tuple(out)


def auto_chunk_size(n_points: int) -> int:
    """Default points per chunk: about 32 chunks, between 8 and 512 points each.

    Depends on the sweep alone (not on the workers), so a resumed sweep on another
    machine cuts the same chunks.

    Parameters
    ----------
    n_points : int
        The number of points of the sweep.

    Returns
    -------
    int
        Points per chunk.

    Examples
    --------
    >>> from dyadmodel.sweeps import auto_chunk_size
    >>> auto_chunk_size(10), auto_chunk_size(10_000)
    (8, 313)
    """
    return max(1, min(n_points, _MAX_AUTO_CHUNK, max(8, math.ceil(n_points / 32))))


def _chunks(shape: tuple[int, ...], block: tuple[int, ...]) -> list[tuple[slice, ...]]:
    counts = [math.ceil(s / b) for s, b in zip(shape, block)]
    regions = []
    for idx in np.ndindex(*counts):
        regions.append(
            tuple(slice(i * b, min((i + 1) * b, s)) for i, b, s in zip(idx, block, shape))
        )
    return regions


# -- spec and provenance ------------------------------------------------------------------
def _spec(model, base, base_inputs, design, measures, block) -> dict[str, Any]:
    return {
        "format": SPEC_FORMAT,
        "dyadmodel": __version__,
        "model": model.name,
        # the equations themselves: a model edited between runs must not be resumed
        "equations": hashlib.sha256(
            repr((model.state_names, model.parameter_names, model.rhs_expr)).encode()
        ).hexdigest()[:16],
        # and, for a model that is not registered (a model file, typed equations), its
        # whole definition: bounds, domains of validity and plotting ranges change results
        **({} if _registered(model) else {"definition": _definition_digest(model)}),
        "parameters": {k: float(v).hex() for k, v in base.items()},
        "inputs": {k: float(v).hex() for k, v in base_inputs.items()},
        "over": design.canonical(),
        "measures": [m.canonical() for m in measures],
        "chunk_shape": list(block),
    }


def _definition_digest(model: Model) -> str:
    text = model_definition(model)
    if text is None:  # callables cannot be compared; their declarations still can
        text = repr((model.states, model.parameters, model.inputs))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _attrs(model, base, base_inputs, design, measures, block, spec, n_chunks) -> dict[str, Any]:
    import importlib.metadata as md

    versions = {}
    for pkg in ("dyadmodel", "numpy", "scipy", "sympy", "numba", "xarray", "zarr", "SALib"):
        with contextlib.suppress(md.PackageNotFoundError):
            versions[pkg] = md.version(pkg)
    return {
        "title": f"dyadmodel sweep of {model.name}",
        "model": model.name,
        "model_title": model.title,
        "parameters": json.dumps(dict(base.items())),
        "inputs": json.dumps(base_inputs),
        "swept": list(design.names),
        "design": repr(design),
        "design_spec": json.dumps(design.canonical()),
        "measures": json.dumps(
            {
                m.name: {k: (list(v) if isinstance(v, tuple) else v) for k, v in m.options.items()}
                for m in measures
            }
        ),
        "chunk_shape": list(block),
        "n_chunks": n_chunks,
        "spec_sha256": hashlib.sha256(json.dumps(spec, sort_keys=True).encode()).hexdigest(),
        "package_versions": json.dumps(versions),
        "references": "cite with dyadmodel.citation(model, methods) (see the README)",
        "Conventions": "CF-1.10",
    }


def _layout(model, design, measures, block):
    coords: dict[str, tuple[tuple[str, ...], np.ndarray]] = dict(design.coords())
    variables: dict[str, dict[str, Any]] = {}
    # coordinates that are not dimensions (a sample's parameter values) are found by
    # readers through the CF 'coordinates' attribute of each variable
    aux = " ".join(k for k, (dims, _) in coords.items() if dims != (k,))
    for m in measures:
        for o in m.outputs(model):
            for dim, labels in o.coords.items():
                coords.setdefault(dim, ((dim,), np.asarray(labels)))
            variables[o.name] = {
                "shape": design.shape + o.shape,
                "dtype": o.dtype,
                "chunks": block + o.shape,
                "fill": o.fill,
                "dims": design.dims + o.dims,
                "attrs": {"measure": m.name, **o.attrs, **({"coordinates": aux} if aux else {})},
            }
    return coords, variables


# -- running -------------------------------------------------------------------------------
def sweep(
    model: Model | str,
    base_params: ParameterSet | Mapping[str, Any] | None = None,
    over: Grid | Sample | Mapping[str, Any] | None = None,
    measure: Any = "regime",
    *,
    inputs: Mapping[str, float] | float | None = None,
    store: str | os.PathLike | None = None,
    backend: str = "local",
    scheduler: Any = None,
    n_workers: int | None = None,
    chunk_size: int | None = None,
    overwrite: bool = False,
    progress: bool | None = None,
    max_points: int = DEFAULT_MAX_POINTS,
):
    """Measure named outcomes at every point of a grid or sample of parameter sets.

    Parameters
    ----------
    model : Model or str
        The model.
    base_params : ParameterSet or mapping, optional
        The parameters that are not swept (defaults when omitted).
    over : Grid, Sample or mapping
        What varies: a `Grid` (a mapping ``{name: values}`` is taken as one) or a seeded
        `Sample` of a box. Names may be parameters or inputs (e.g. a constant
        ``stress``).
    measure : str, Measure, list or mapping
        One or more registered measures (`dyadmodel.sweeps.MEASURES`): 'regime',
        'n_stable', 'balanced_basin_fraction', 'resilience', 'tipping_probability',
        'final_state'; a mapping gives options, e.g. ``{"tipping_probability":
        {"noise": 0.1, "n_paths": 400}}``.
    inputs : mapping or float, optional
        Constant inputs not swept.
    store : path, optional
        The zarr store (a directory) written chunk by chunk. When it already holds this
        sweep, finished chunks are kept and only the rest is computed (resume); when it
        holds another sweep, `SweepSpecError` (unless ``overwrite``). Default: a
        temporary store, loaded into memory and deleted at the end (nothing to resume).
    backend : {'local', 'dask'}
        'local': a process pool of ``n_workers`` on this machine (``n_workers=1`` runs in
        this process); each process runs the compiled ensemble engine. 'dask':
        dask.distributed; ``scheduler`` is a scheduler address (``"tcp://host:8786"``) or
        a ``distributed.Client``; without one a ``LocalCluster`` of ``n_workers``
        processes is started and closed again.
    scheduler : str or distributed.Client, optional
        The dask scheduler (``backend='dask'`` only), as above.
    n_workers : int, optional
        Default: the CPUs available to this process.
    chunk_size : int, optional
        Points per chunk (the unit of work, of writing and of resuming). Default
        `auto_chunk_size`. Part of the spec: a resume must use the same value.
    overwrite : bool
        Discard a store that holds another sweep. Only a store this package created
        (it holds the marker ``.dyadmodel/store.json``) and that holds nothing else is
        ever deleted; any other path is refused with `SweepSpecError`.
    progress : bool, optional
        A progress bar of chunks done (tqdm); default: only when stderr is a terminal.
    max_points : int
        The budget of points (default `DEFAULT_MAX_POINTS` = 1,000,000): a larger
        sweep is refused before anything is allocated, as is one whose coordinates
        and chunks in flight would need more than half of the machine's memory.

    Returns
    -------
    xarray.Dataset
        One variable per measure output, with the swept names as dimensions (grid) or
        as coordinates along ``sample``; integer outputs use -1 for "not computed"
        (flag meanings in their attributes). Attributes hold the model, the base
        parameters and inputs, the design, the measure options, package versions and
        ``spec_sha256``. Opened lazily from ``store`` when given.

    Raises
    ------
    ParameterError
        An unknown swept name, or swept values outside a parameter's bounds.
    ValueError
        An unknown measure or option, a bad option value, a bad backend or chunk size.
    SweepSpecError
        ``store`` holds a different sweep, is being written by another sweep, or is not
        a sweep store at all (a file, a folder of other files; nothing in it is touched).
    SweepTooLargeError
        More than ``max_points`` points, or more memory than the machine has to spare.
    SweepError
        A measure failed at a point (named in the message), or the worker processes
        died (e.g. a script without an ``if __name__ == "__main__":`` guard). Finished
        chunks are kept.
    InvalidTypeError
        For an argument of the wrong type.

    Warns
    -----
    DamagedChunksWarning
        Finished chunks of a resumed store whose data files are missing, empty or do
        not match their checksums; they are computed again.
    KeyboardInterrupt
        Re-raised after the pool is stopped; finished chunks are kept, and running the
        same call again resumes.

    Notes
    -----
    Chunks, not points, are the tasks: with about 3 ms of scheduling cost per dask task,
    a chunk of tens of points that each take milliseconds keeps the overhead to a few
    percent (``scripts/benchmark.py`` measures it). Results are identical on every
    backend: the measures are deterministic, and seeded ones ('tipping_probability')
    use the same seed at every point (common random numbers), so differences between
    points are not sampling noise.

    Examples
    --------
    >>> import dyadmodel as dm
    >>> ds = dm.sweep("pursuer-distancer-2d", None,
    ...               over={"anxiety_gain_1": [1.0, 2.0, 3.0]}, measure="n_stable",
    ...               n_workers=1)
    >>> ds.n_stable.values.tolist()
    [1, 2, 2]
    """
    if _in_spawn_bootstrap():
        raise SweepError(f"dm.sweep was called while a worker process started: {GUARD_HELP}")
    model = _model(model)
    base = model.parameter_set(base_params)
    base_inputs = model.constant_inputs(inputs, "a sweep")
    if over is None:
        raise ValueError("over is required: a Grid, a Sample, or {name: values}")
    design = _design(over)
    max_points = _positive_int("max_points", max_points)
    if design.size > max_points:
        raise SweepTooLargeError(
            f"the sweep has {design.size:,} points ({design!r}), more than max_points = "
            f"{max_points:,}; sweep fewer points (a coarser grid, a smaller sample), split it "
            "into several sweeps, or raise max_points (dyadmodel sweep --max-points N, "
            "[run] max_points = N) if you mean it"
        )
    _check_design(model, design, base)
    measures = _measures(model, measure)
    if backend not in BACKENDS:
        raise ValueError(f"backend = {backend!r}; expected one of {', '.join(map(repr, BACKENDS))}")
    if scheduler is not None and backend != "dask":
        raise ValueError("scheduler is for backend='dask'; pass backend='dask' too")
    if scheduler is not None and not isinstance(scheduler, str):
        from distributed import Client

        if not isinstance(scheduler, Client):
            raise ValueError(
                f"scheduler = {scheduler!r}; expected an address such as "
                "'tcp://10.0.0.5:8786' or a distributed.Client"
            )
    workers = _positive_int("n_workers", n_workers) if n_workers is not None else _cpus()
    target = (
        _positive_int("chunk_size", chunk_size)
        if chunk_size is not None
        else auto_chunk_size(design.size)
    )
    block = chunk_shape(design.shape, target)
    _check_memory(model, design, measures, block, workers)
    spec = _spec(model, base, base_inputs, design, measures, block)

    tmp = None
    if store is None:
        tmp = tempfile.TemporaryDirectory(prefix="dyadmodel-sweep-")
        path = Path(tmp.name) / "sweep.zarr"
    else:
        path = Path(store)
    st = SweepStore(path, spec)
    regions = _chunks(design.shape, block)
    with st.lock():
        if st.check(overwrite):  # this sweep's store: resume it
            damaged = st.damaged()
            if damaged:
                warn_damaged(path, damaged, "computing them again")
                st.forget(list(damaged))
                st.unmark_complete()
        else:
            coords, variables = _layout(model, design, measures, block)
            attrs = _attrs(model, base, base_inputs, design, measures, block, spec, len(regions))
            st.create(coords, variables, attrs)
        _run(
            st,
            model,
            base,
            base_inputs,
            design,
            measures,
            regions,
            backend,
            scheduler,
            workers,
            progress,
        )
    ds = open_sweep(path)
    if tmp is not None:
        ds = ds.load()
        ds.close()
        tmp.cleanup()
    return ds


def memory_estimate(
    model: Model, design: Grid | Sample, measures: Sequence[BoundMeasure], block, workers: int
) -> int:
    """Bytes a sweep holds in memory at once (an estimate made before anything is
    allocated): the coordinates, and the outputs of the chunks in flight."""
    per_point = 0
    for m in measures:
        for o in m.outputs(model):
            per_point += np.dtype(o.dtype).itemsize * math.prod(o.shape)
    in_flight = (2 * workers + 1) * math.prod(block) * max(per_point, 1)
    if isinstance(design, Sample):
        coords = design.size * (2 * len(design.names) + 1) * 8  # sample matrix + coordinates
    else:
        coords = sum(len(v) for v in design.values.values()) * 8
    return coords + in_flight


def _check_memory(model, design, measures, block, workers) -> None:
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return
    need = memory_estimate(model, design, measures, block, workers)
    if need > _MEMORY_SHARE * total:
        raise SweepTooLargeError(
            f"the sweep would hold about {need / 2**30:.1f} GiB in memory ({design!r}, chunks of "
            f"{math.prod(block):,} points, {workers} workers), more than half of this "
            f"machine's {total / 2**30:.1f} GiB; use a smaller chunk_size, fewer workers or "
            "fewer points"
        )


def _run(
    st, model, base, base_inputs, design, measures, regions, backend, scheduler, workers, progress
) -> None:

    done = st.finished()
    todo = [k for k in range(len(regions)) if k not in done]
    n_threads = 1 if workers > 1 or backend == "dask" else None

    in_process = backend != "dask" and (workers == 1 or len(todo) == 1)
    model_ref = model if in_process else _model_ref(model)

    def tasks() -> Iterator[ChunkTask]:
        for k in todo:
            yield ChunkTask(
                k,
                model_ref,
                dict(base.items()),
                base_inputs,
                design.block(regions[k]),
                measures,
                n_threads,
            )

    def write(k: int, data: dict[str, np.ndarray]) -> None:
        region = regions[k]
        st.write(k, region, tuple(s.stop - s.start for s in region), data)

    with _Progress(len(regions), len(done), design.size, progress, model.name) as bar:
        if todo:
            if backend == "dask":
                _run_dask(tasks(), len(todo), write, bar, scheduler, workers)
            elif in_process:
                for task in tasks():
                    k, data = run_chunk(task)
                    write(k, data)
                    bar.update(len(next(iter(task.values.values()))))
            else:
                _run_pool(tasks(), len(todo), write, bar, workers)
    st.mark_complete()


def _cpus() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


_POOLS: dict[int, Any] = {}


def _pool(workers: int):
    """A process pool of ``workers`` processes, kept for later sweeps in this session
    (starting a worker costs about 2 s: a fresh interpreter imports dyadmodel and
    loads its compiled code)."""
    import atexit
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor

    pool = _POOLS.get(workers)
    if pool is None:
        # 'spawn': a fresh interpreter per worker; forking a process whose numba
        # threads are running is not safe
        pool = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=mp.get_context("spawn"),
            initializer=_worker_init,
            initargs=(os.getpid(),),
        )
        if not _POOLS:
            atexit.register(shutdown_pools)
        _POOLS[workers] = pool
    return pool


def shutdown_pools() -> None:
    """Stop the worker processes that `sweep` keeps between calls."""
    while _POOLS:
        _, pool = _POOLS.popitem()
        pool.shutdown(wait=True, cancel_futures=True)


def _kill_pool(workers: int) -> None:
    pool = _POOLS.pop(workers, None)
    if pool is None:
        return
    for proc in list(getattr(pool, "_processes", None) or {}):
        with contextlib.suppress(Exception):
            pool._processes[proc].terminate()
    pool.shutdown(wait=True, cancel_futures=True)


def _run_pool(tasks, n_tasks, write, bar, workers) -> None:
    from concurrent.futures import FIRST_COMPLETED, wait
    from concurrent.futures.process import BrokenProcessPool

    pool = _pool(workers)
    pending: dict[Any, int] = {}
    it = iter(tasks)

    def submit() -> None:
        for task in it:
            pending[pool.submit(run_chunk, task)] = len(next(iter(task.values.values())))
            if len(pending) >= 2 * workers:
                break

    try:
        submit()
        while pending:
            finished, _ = wait(pending, return_when=FIRST_COMPLETED)
            for fut in finished:
                size = pending.pop(fut)
                k, data = fut.result()
                write(k, data)
                bar.update(size)
            submit()
    except BaseException as err:
        # an interrupt or a failed chunk: stop the workers now (running chunks are
        # lost, finished ones are on disk) and start fresh ones next time
        for fut in pending:
            fut.cancel()
        _kill_pool(workers)
        if isinstance(err, BrokenProcessPool):
            script = _main_script_unguarded()
            if script is not None:
                raise SweepError(
                    f"the worker processes could not start: {script} has no "
                    f'if __name__ == "__main__": block. {GUARD_HELP[0].upper()}{GUARD_HELP[1:]}'
                ) from None
            raise SweepError(
                "a worker process ended abruptly (killed, out of memory, or a crash in "
                "compiled code); finished chunks are kept: run the same sweep again to "
                "resume, with fewer workers or a smaller chunk_size if memory ran out"
            ) from err
        raise


def _run_dask(tasks, n_tasks, write, bar, scheduler, workers) -> None:
    try:
        from distributed import Client, LocalCluster, as_completed
    except ImportError:
        raise ImportError(
            "backend='dask' needs dask.distributed: pip install 'dask[distributed]'"
        ) from None
    own_cluster = own_client = None
    if scheduler is None:
        own_cluster = LocalCluster(
            n_workers=min(workers, n_tasks),
            threads_per_worker=1,
            processes=True,
            dashboard_address=":0",
            silence_logs=40,
        )
        client = own_client = Client(own_cluster)
    elif isinstance(scheduler, Client):
        client = scheduler
    elif isinstance(scheduler, str):
        client = own_client = Client(scheduler, timeout="30s")
    else:
        raise ValueError(
            f"scheduler = {scheduler!r}; expected an address such as 'tcp://10.0.0.5:8786' or a "
            "distributed.Client"
        )
    try:
        n_slots = max(1, sum(client.nthreads().values()))
        it = iter(tasks)
        sizes: dict[Any, int] = {}
        ac = as_completed()
        for task in it:
            fut = client.submit(run_chunk, task, pure=False)
            sizes[fut] = len(next(iter(task.values.values())))
            ac.add(fut)
            if len(sizes) >= 2 * n_slots:
                break
        for fut in ac:
            k, data = fut.result()
            write(k, data)
            bar.update(sizes.pop(fut))
            fut.release()
            for task in it:
                nf = client.submit(run_chunk, task, pure=False)
                sizes[nf] = len(next(iter(task.values.values())))
                ac.add(nf)
                break
    except BaseException:
        with contextlib.suppress(Exception):
            client.cancel(list(sizes))
        raise
    finally:
        if own_client is not None:
            own_client.close()
        if own_cluster is not None:
            own_cluster.close()


class _Progress:
    """Chunks done out of all, with the rate in parameter sets per second."""

    def __init__(self, total: int, done: int, n_points: int, enabled: bool | None, name: str):
        from tqdm.auto import tqdm

        self.t0 = time.perf_counter()
        self.points = 0
        self.bar = tqdm(
            total=total,
            initial=done,
            unit="chunk",
            desc=f"sweep {name}",
            disable=None if enabled is None else not enabled,
            dynamic_ncols=True,
        )

    def update(self, n_points: int) -> None:
        self.points += n_points
        rate = self.points / max(time.perf_counter() - self.t0, 1e-9)
        self.bar.set_postfix_str(f"{rate:.1f} sets/s", refresh=False)
        self.bar.update(1)

    def __enter__(self) -> _Progress:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.bar.close()


def open_sweep(path: str | os.PathLike):
    """Open a sweep store as an xarray Dataset (lazily; integer outputs keep -1 for "not
    computed").

    Attributes added: ``complete`` (1 when every chunk is finished and intact),
    ``chunks_done`` (finished and intact chunks) and ``chunks_damaged`` (finished chunks
    whose data files are missing, empty or do not match the checksums written with them;
    their points read as "not computed", and a `DamagedChunksWarning` names them).
    Running the same sweep again recomputes them.

    Parameters
    ----------
    path : str or os.PathLike
        The store's directory.

    Returns
    -------
    xarray.Dataset
        One variable per output, over the swept dimensions, read lazily.

    Raises
    ------
    SweepSpecError
        (a `StoreError`) when ``path`` is not a dyadmodel sweep store, or when its
        metadata cannot be read.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> import dyadmodel as dm
    >>> store = pathlib.Path(tempfile.mkdtemp()) / "store"
    >>> _ = dm.sweep("pursuer-distancer-2d", None, over={"anxiety_gain_1": [1.0, 2.0]},
    ...              measure="n_stable", store=store, n_workers=1)
    >>> ds = dm.open_sweep(store)
    >>> ds.n_stable.values.tolist(), ds.attrs["complete"]
    ([1, 2], 1)
    """
    import xarray as xr

    p = Path(path)
    st = SweepStore(p, {})
    if not st.has_spec():
        raise SweepSpecError(
            f"{p} is not a dyadmodel sweep store (no .dyadmodel/store.json marker and "
            ".dyadmodel/spec.json)"
        )
    try:
        spec = json.loads((st.meta / "spec.json").read_text())
        block = tuple(int(b) for b in spec["chunk_shape"])
        ds = xr.open_zarr(p, consolidated=True, mask_and_scale=False, chunks=None)
    except Exception as err:  # any unreadable metadata is one error, not a zarr traceback
        raise SweepSpecError(
            f"{p}: the store's metadata cannot be read ({type(err).__name__}: {err}); run the "
            "sweep again with overwrite=True (--overwrite) to start it afresh"
        ) from None
    damaged = st.damaged()
    finished = st.finished() - set(damaged)
    if damaged or _stray_chunk_files(p, ds, block, finished):
        ds = _masked(p, ds, block, finished)
    if damaged:
        warn_damaged(
            p, damaged, "they read as not computed; run the same sweep again to recompute them"
        )
    ds.attrs["complete"] = int(st.is_complete() and not damaged)
    ds.attrs["chunks_done"] = len(st.finished()) - len(damaged)
    ds.attrs["chunks_damaged"] = sorted(damaged)
    return ds


def _stray_chunk_files(path: Path, ds, block: tuple[int, ...], finished: set[int]) -> bool:
    """Whether any data file belongs to a chunk that is not finished (a write cut short
    by a kill: reading it could fail)."""
    counts = [math.ceil(n / b) for n, b in zip(ds[next(iter(ds.data_vars))].shape, block)]
    for name in ds.data_vars:
        folder = path / str(name)
        if not folder.is_dir():
            continue
        for f in folder.iterdir():
            parts = f.name.replace("/", ".").split(".")
            if f.name.startswith(".") or not all(x.isdigit() for x in parts):
                continue
            idx = [int(x) for x in parts[: len(block)]]
            if len(idx) != len(block) or any(i >= c for i, c in zip(idx, counts)):
                return True
            if int(np.ravel_multi_index(idx, counts)) not in finished:
                return True
    return False


def _masked(path: Path, ds, block: tuple[int, ...], finished: set[int]):
    """``ds`` with the variables read chunk by chunk into memory: finished chunks as
    written, every other chunk (unfinished, or damaged) as its fill value."""
    import zarr

    group = zarr.open_group(str(path), mode="r", zarr_format=2)
    out = ds.copy()
    for name in ds.data_vars:
        arr = group[name]
        shape = arr.shape[: len(block)]
        if tuple(arr.chunks[: len(block)]) != block:
            continue
        regions = _chunks(shape, block)
        values = np.full(arr.shape, arr.fill_value, dtype=arr.dtype)
        for k, region in enumerate(regions):
            if k in finished:
                values[region] = arr[region]
        out[name] = (ds[name].dims, values, ds[name].attrs)
    return out
