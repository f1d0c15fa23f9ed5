"""`fit`: dispatch to an estimation method, per dyad, into one `FitResult`."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from dyadmodel.data import Dyad, DyadicData
from dyadmodel.errors import (
    DyadmodelError,
    InvalidInputError,
    InvalidTypeError,
    NotFoundError,
)
from dyadmodel.fit._estimators import (
    COUPLED_OSCILLATOR_PARAMETERS,
    INERTIA_COORDINATION_PARAMETERS,
    GLLAOptions,
    InertiaCoordinationOptions,
    fit_coupled_oscillator,
    fit_inertia_coordination,
)
from dyadmodel.fit._kalman import fit_dyad_kalman
from dyadmodel.fit._ml import MLOptions, fit_dyad_ml, ml_parameter_names
from dyadmodel.fit._result import DyadFit, FitResult, assemble

__all__ = ["FitMethod", "fit", "methods", "register_method"]

#: Statistical models that are not dynamical models of the registry (no ``Model``).
STATISTICAL_MODELS = {
    "inertia-coordination": INERTIA_COORDINATION_PARAMETERS,
}


@dataclass(frozen=True)
class FitMethod:
    """An estimation method `fit` can dispatch to.

    Attributes
    ----------
    name : str
        What ``fit(..., method=name)`` selects.
    description : str
    options : type
        A frozen dataclass of the method's options (keyword arguments of `fit` replace
        its fields).
    fit_dyad : callable
        ``fit_dyad(model, dyad, options) -> DyadFit`` for one dyad; ``model`` is a
        `dyadmodel.Model` or the name of a statistical model (``"inertia-coordination"``).
    parameter_names : callable
        ``parameter_names(model, options) -> tuple[str, ...]``: the result's parameters.
    models : tuple of str or None
        Model names the method can fit; None for any model.
    default_for : tuple of str
        Models for which ``method=None`` selects this method.

    Examples
    --------
    >>> from dyadmodel.fit import FitMethod, register_method
    >>> clash = FitMethod("glla", "a second GLLA", dict, lambda m, d, o: None, lambda m, o: ())
    >>> clash.models is None, clash.default_for
    (True, ())
    >>> register_method(clash)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    dyadmodel.errors.InvalidInputError: a fit method named 'glla' exists; pass replace=True ...
    """

    name: str
    description: str
    options: type
    fit_dyad: Callable[[Any, Dyad, Any], DyadFit]
    parameter_names: Callable[[Any, Any], tuple[str, ...]]
    models: tuple[str, ...] | None = None
    default_for: tuple[str, ...] = ()


_METHODS: dict[str, FitMethod] = {}


def register_method(method: FitMethod, *, replace: bool = False) -> FitMethod:
    """Make ``method`` available to `fit` under ``method.name``.

    Parameters
    ----------
    method : FitMethod
        The method; its ``name`` is what ``fit(..., method=name)`` selects.
    replace : bool, default False
        Replace a registered method of the same name instead of refusing.

    Returns
    -------
    FitMethod
        ``method`` itself.

    Raises
    ------
    InvalidTypeError
        When ``method`` is not a `FitMethod`.
    InvalidInputError
        When a method of that name is registered and ``replace`` is False.

    Examples
    --------
    >>> from dyadmodel.fit import FitMethod, register_method
    >>> register_method("glla")
    Traceback (most recent call last):
    ...
    dyadmodel.errors.InvalidTypeError: expected a FitMethod, got str
    """
    if not isinstance(method, FitMethod):
        raise InvalidTypeError(f"expected a FitMethod, got {type(method).__name__}")
    if method.name in _METHODS and not replace:
        raise InvalidInputError(
            f"a fit method named {method.name!r} exists; pass replace=True to replace it"
        )
    _METHODS[method.name] = method
    return method


def methods() -> tuple[str, ...]:
    """Names of the registered fit methods.

    Returns
    -------
    tuple of str
        In registration order.

    Examples
    --------
    >>> import dyadmodel as dm
    >>> dm.fit.methods()
    ('glla', 'ols', 'ml')
    """
    return tuple(_METHODS)


def _model_name(model: Any) -> str:
    return model if isinstance(model, str) else model.name


def _resolve_model(model: Any) -> Any:
    from dyadmodel.model import Model

    if isinstance(model, Model):
        return model
    if not isinstance(model, str):
        raise InvalidTypeError(
            f"model must be a model name or a dyadmodel.Model, got {type(model).__name__}"
        )
    if model in STATISTICAL_MODELS:
        return model
    from dyadmodel import models

    try:  # a registered name, a model file, or module:factory / file.py:factory
        return models.load(model)
    except NotFoundError as err:
        raise NotFoundError(
            f"{err}; fit also knows {', '.join(repr(m) for m in STATISTICAL_MODELS)}"
        ) from None


def _choose_method(model: Any, method: str | None) -> FitMethod:
    name = _model_name(model)
    if method is None:
        for candidate in _METHODS.values():
            if name in candidate.default_for:
                return candidate
        raise NotFoundError(
            f"no default fit method for model {name!r}; choose one of "
            f"{', '.join(repr(m) for m in _METHODS)} with method= (--method; a model "
            "file or any model of your own is fitted with method='ml')"
        )
    if not isinstance(method, str):
        raise InvalidTypeError(f"method must be a string, got {method!r}")
    if method not in _METHODS:
        raise NotFoundError(
            f"unknown fit method {method!r}; the methods are {', '.join(repr(m) for m in _METHODS)}"
        )
    chosen = _METHODS[method]
    if chosen.models is not None and name not in chosen.models:
        raise InvalidInputError(
            f"method {method!r} fits {', '.join(repr(m) for m in chosen.models)}, not {name!r}"
        )
    return chosen


def _options(chosen: FitMethod, options: Any, overrides: dict[str, Any]) -> Any:
    fields = [f.name for f in dataclasses.fields(chosen.options)]
    unknown = [k for k in overrides if k not in fields]
    if unknown:
        raise InvalidInputError(
            f"unknown option{'s' * (len(unknown) > 1)} {', '.join(repr(k) for k in unknown)} "
            f"for method {chosen.name!r}; its options are {', '.join(fields)}"
        )
    if options is None:
        return chosen.options(**overrides)
    if not isinstance(options, chosen.options):
        raise InvalidTypeError(
            f"options for method {chosen.name!r} must be {chosen.options.__name__}, "
            f"got {type(options).__name__}"
        )
    return dataclasses.replace(options, **overrides) if overrides else options


@dataclass(frozen=True)
class _DyadTask:
    """One dyad's fit, as a worker receives it: the method by name, the model by name or
    as its model file's text (as `dyadmodel.sweeps` ships models), values only."""

    index: int
    method: str
    model: Any
    dyad: Dyad
    options: Any


def _fit_one(chosen: FitMethod, model: Any, dyad: Dyad, options: Any) -> DyadFit:
    try:
        return chosen.fit_dyad(model, dyad, options)
    except (DyadmodelError, ArithmeticError, np.linalg.LinAlgError) as err:
        return DyadFit({}, status="error", message=f"{type(err).__name__}: {err}".strip())


def run_dyad_task(task: _DyadTask) -> tuple[int, DyadFit]:
    """Fit one dyad (runs on a worker); a failure is the dyad's status, never raised."""
    try:
        chosen = _METHODS[task.method]
        model = task.model
        if not (isinstance(model, str) and model in STATISTICAL_MODELS):
            from dyadmodel.sweeps._sweep import _model

            model = _model(model)
        return task.index, _fit_one(chosen, model, task.dyad, task.options)
    except Exception as err:  # a worker must answer for its dyad whatever happens
        return task.index, DyadFit({}, status="error", message=f"{type(err).__name__}: {err}")


def _shippable(model: Any, options: Any) -> tuple[Any, Any]:
    """The model as workers rebuild it, and options without live model objects."""
    from dyadmodel.model import Model, ParameterSet
    from dyadmodel.sweeps._sweep import _model_ref

    ref = _model_ref(model) if isinstance(model, Model) else model
    params = getattr(options, "params", None)
    if isinstance(params, ParameterSet):
        options = dataclasses.replace(options, params=params.as_dict())
    return ref, options


def _run_parallel(
    chosen, model, dyads, opts, backend, n_workers, bar, scheduler=None
) -> list[DyadFit]:
    ref, shipped = _shippable(model, opts)
    tasks = [_DyadTask(i, chosen.name, ref, d, shipped) for i, d in enumerate(dyads)]
    fits: list[DyadFit | None] = [None] * len(tasks)
    if backend == "local":
        from concurrent.futures import as_completed
        from concurrent.futures.process import BrokenProcessPool

        from dyadmodel.sweeps._sweep import _kill_pool, _pool

        pool = _pool(n_workers)
        futures = {pool.submit(run_dyad_task, t): t.index for t in tasks}
        broken = False
        try:
            for fut in as_completed(futures):
                try:
                    k, got = fut.result()
                except BrokenProcessPool as err:
                    # a worker died (killed, out of memory, failed to start): its dyads
                    # say so; the pool is replaced next time
                    broken = True
                    k = futures[fut]
                    got = DyadFit({}, status="error", message=f"worker process ended: {err}")
                fits[k] = got
                bar.update(1)
        except BaseException:
            for fut in futures:
                fut.cancel()
            _kill_pool(n_workers)
            raise
        if broken:
            _kill_pool(n_workers)
            from dyadmodel.sweeps._sweep import _main_script_unguarded

            script = _main_script_unguarded()
            if script is not None:
                raise InvalidInputError(
                    f"the worker processes could not start: {script} has no "
                    'if __name__ == "__main__": block; worker processes import the main '
                    "script again, so put the call to dm.fit under it, or pass n_workers=1"
                )
    else:
        try:
            from distributed import Client, LocalCluster, as_completed
        except ImportError:  # pragma: no cover - a dependency
            raise ImportError(
                "backend='dask' needs dask.distributed: pip install 'dask[distributed]'"
            ) from None
        own: list[Any] = []
        if scheduler is None:
            cluster = LocalCluster(
                n_workers=min(n_workers, max(len(tasks), 1)),
                threads_per_worker=1,
                processes=True,
                dashboard_address=":0",
                silence_logs=40,
            )
            client = Client(cluster)
            own = [client, cluster]
        elif isinstance(scheduler, Client):
            client = scheduler
        elif isinstance(scheduler, str):
            client = Client(scheduler, timeout="30s")
            own = [client]
        else:
            raise InvalidTypeError(
                f"scheduler = {scheduler!r}; expected an address such as "
                "'tcp://10.0.0.5:8786' or a distributed.Client"
            )
        try:
            futures = [client.submit(run_dyad_task, t, pure=False) for t in tasks]
            for fut in as_completed(futures):
                k, got = fut.result()
                fits[k] = got
                bar.update(1)
        finally:
            for thing in own:
                thing.close()
    return [f if f is not None else DyadFit({}, status="error", message="lost") for f in fits]


def fit(
    model: Any,
    data: DyadicData,
    method: str | None = None,
    *,
    options: Any = None,
    n_workers: int = 1,
    backend: str = "local",
    scheduler: Any = None,
    progress: bool | None = None,
    **overrides: Any,
) -> FitResult:
    """Fit ``model`` to every dyad of ``data``; one row per dyad, one status per dyad.

    Parameters
    ----------
    model : str or dyadmodel.Model
        ``"coupled-oscillator"`` (method ``"glla"``, the default for it) or
        ``"inertia-coordination"`` (method ``"ols"``, the default for it); other
        methods registered with `register_method` may fit other models.
    data : DyadicData
        From `dyadmodel.data.read_dyadic`.
    method : str, optional
        The estimation method; None picks the model's default.
    options : frozen dataclass, optional
        The method's options (`GLLAOptions`, `InertiaCoordinationOptions`).
    n_workers : int
        Dyads fitted at once. 1 (default): in this process. More: on a pool of worker
        processes (``backend="local"``, the pool `dyadmodel.sweeps` keeps) or a dask
        ``LocalCluster`` (``backend="dask"``); the results are the same as the serial
        run's (each dyad's fit is seeded). A model that is not registered travels as its
        model file's text and is rebuilt by the workers; methods registered at run time
        (`register_method`) exist only in this process, so they fit with n_workers=1.
    backend : {'local', 'dask'}
    scheduler : str or distributed.Client, optional
        With ``backend="dask"``: an existing cluster (its address, or a client) instead
        of a local one; its workers need dyadmodel installed.
    progress : bool, optional
        A progress bar of dyads done (tqdm); None: only when stderr is a terminal.
    **overrides
        Option fields, e.g. ``taus=(2, 3, 4)``, ``coupled=False``, ``lag=2``.

    Returns
    -------
    FitResult
        A dyad whose fit fails gets a status saying why; it never stops the others.

    Raises
    ------
    InvalidInputError
        For an argument with an invalid value (the message says which and why).
    InvalidTypeError
        For an argument of the wrong type.
    NotFoundError
        For an unknown name (the message lists the known ones).

    Notes
    -----
    Missing values: ``glla`` drops the time points where either partner is missing and
    joins the rest (after detrending each person over their own observed points), as
    rties does; ``ols`` (inertia–coordination) lags on the dyad's full time grid and
    drops the rows whose value or lagged values are missing.

    Examples
    --------
    >>> from pathlib import Path
    >>> import dyadmodel as dm
    >>> csv = Path(dm.__file__).parents[1] / "examples" / "couples_daily.csv"
    >>> data = dm.data.read_dyadic(csv, dyad="couple", person="person", time="day",
    ...                            value="closeness", distinguish="female")
    >>> result = dm.fit("coupled-oscillator", data)
    >>> result
    FitResult('coupled-oscillator', method='glla', 12 dyads: 12 ok)
    """
    if not isinstance(data, DyadicData):
        raise InvalidTypeError(
            f"data must be DyadicData (from dyadmodel.data.read_dyadic), got {type(data).__name__}"
        )
    resolved = _resolve_model(model)
    chosen = _choose_method(resolved, method)
    opts = _options(chosen, options, overrides)
    if isinstance(n_workers, bool) or not isinstance(n_workers, (int, np.integer)):
        raise InvalidTypeError(f"n_workers must be a positive integer, got {n_workers!r}")
    if not 1 <= n_workers <= 1024:
        raise InvalidInputError(f"n_workers must be in [1, 1024], got {n_workers!r}")
    if not isinstance(backend, str) or backend not in ("local", "dask"):
        raise InvalidInputError(f"backend = {backend!r}; expected 'local' or 'dask'")
    if scheduler is not None and backend != "dask":
        raise InvalidInputError("scheduler is for backend='dask'; pass backend='dask' too")
    if progress is not None and not isinstance(progress, bool):
        raise InvalidTypeError(f"progress must be True, False or None, got {progress!r}")
    if n_workers > 1 or scheduler is not None:
        from dyadmodel.sweeps._sweep import _in_spawn_bootstrap

        if _in_spawn_bootstrap():
            raise InvalidInputError(
                "dm.fit with n_workers > 1 was called while a worker process started: "
                'put it under  if __name__ == "__main__":  or pass n_workers=1'
            )
    if n_workers > 1 and _BUILTIN_METHODS.get(chosen.name) is not chosen:
        raise InvalidInputError(
            f"method {chosen.name!r} was registered at run time: worker processes do not "
            "know it; fit with n_workers=1"
        )
    names = chosen.parameter_names(resolved, opts)
    dyads = list(data)
    from tqdm.auto import tqdm

    with tqdm(
        total=len(dyads),
        unit="dyad",
        desc=f"fit {_model_name(resolved)}",
        disable=None if progress is None else not progress,
        dynamic_ncols=True,
    ) as bar:
        if (n_workers == 1 and scheduler is None) or len(dyads) <= 1:
            fits = []
            for dyad in dyads:
                fits.append(_fit_one(chosen, resolved, dyad, opts))
                bar.update(1)
        else:
            fits = _run_parallel(chosen, resolved, dyads, opts, backend, n_workers, bar, scheduler)
    notes = ()
    if not data.distinguished:
        notes = (
            "partners are ordered by person id (no distinguishing variable): partner-"
            "specific estimates (x vs y) depend on that arbitrary order",
        )
    return assemble(_model_name(resolved), chosen.name, names, list(data.ids), fits, opts, notes)


def _fit_dyad_likelihood(model: Any, dyad: Dyad, options: MLOptions) -> DyadFit:
    """Method "ml": trajectory matching, or the Kalman filter with process noise."""
    if options.process_noise:
        return fit_dyad_kalman(model, dyad, options)
    return fit_dyad_ml(model, dyad, options)


register_method(
    FitMethod(
        name="glla",
        description=(
            "coupled oscillator by generalized local linear approximation of derivatives "
            "(Boker & Nesselroade 2002; as rties)"
        ),
        options=GLLAOptions,
        fit_dyad=lambda model, dyad, options: fit_coupled_oscillator(dyad, options),
        parameter_names=lambda model, options: COUPLED_OSCILLATOR_PARAMETERS,
        models=("coupled-oscillator",),
        default_for=("coupled-oscillator",),
    )
)
register_method(
    FitMethod(
        name="ols",
        description="inertia–coordination lagged regression (Reed et al. 2013; as rties)",
        options=InertiaCoordinationOptions,
        fit_dyad=lambda model, dyad, options: fit_inertia_coordination(dyad, options),
        parameter_names=lambda model, options: INERTIA_COORDINATION_PARAMETERS,
        models=("inertia-coordination",),
        default_for=("inertia-coordination",),
    )
)
register_method(
    FitMethod(
        name="ml",
        description=(
            "maximum likelihood for any model: trajectory matching with exact forward "
            "sensitivities, or with process_noise=True the extended Kalman filter; "
            "Gaussian measurement noise, profile-likelihood intervals"
        ),
        options=MLOptions,
        fit_dyad=_fit_dyad_likelihood,
        parameter_names=ml_parameter_names,
        models=None,
    )
)

#: The methods defined here (workers import this module and know them by name).
_BUILTIN_METHODS = dict(_METHODS)
