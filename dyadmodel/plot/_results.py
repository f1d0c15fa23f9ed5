"""One place where the figures turn the package's result objects into the arrays they draw.

Every plot argument that takes arrays also takes the result that holds them, so results
chain without unpacking: ``phase_portrait(m, p, trajectories=[run])`` with a
`Simulation`, ``time_series(run)``, ``phase_portrait(..., equilibria=eqs[0])``. Nothing
is computed here: each result's own arrays are read and checked.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from dyadmodel.analysis._types import Equilibrium
from dyadmodel.analysis.cycles import LimitCycle
from dyadmodel.analysis.manifolds import ManifoldBranch, SaddleManifolds
from dyadmodel.continuation._types import Branch
from dyadmodel.errors import InvalidInputError, InvalidTypeError
from dyadmodel.model import Model
from dyadmodel.simulate._ensemble import EnsembleResult
from dyadmodel.simulate._sde import SDESimulation
from dyadmodel.simulate._simulate import Simulation

__all__ = ["CURVE_RESULTS", "curves", "equilibrium_list", "manifold_list", "time_series_data"]

CURVE_RESULTS = (Simulation, SDESimulation, EnsembleResult, LimitCycle, ManifoldBranch, Branch)
"""Results accepted wherever a trajectory array of shape (n_states, k) is."""


def _same_model(obj: Any, model: Model, what: str) -> None:
    name = getattr(obj, "model_name", None)
    if name is not None and name != model.name:
        raise InvalidInputError(
            f"{what}: the {type(obj).__name__} belongs to model {name!r}, not {model.name!r}"
        )


def _result_curves(obj: Any, model: Model, what: str) -> list[np.ndarray]:
    """The state-space curves (each (n_states, k)) that a result holds."""
    _same_model(obj, model, what)
    if isinstance(obj, Simulation):
        return [obj.y]
    if isinstance(obj, LimitCycle):
        return [obj.state]
    if isinstance(obj, ManifoldBranch):
        return [obj.points]
    if isinstance(obj, Branch):
        return [obj.states.T]
    if isinstance(obj, SDESimulation):
        return [obj.y[:, j, :] for j in range(obj.y.shape[1])]
    if isinstance(obj, EnsembleResult):
        if obj.samples is None:
            raise InvalidInputError(
                f"{what}: this EnsembleResult has final states only; run dyadmodel.ensemble "
                "with t_samples to draw its trajectories"
            )
        return [obj.samples[:, j, :] for j in range(obj.samples.shape[1])]
    raise AssertionError(type(obj))  # pragma: no cover - callers check the type first


def curves(
    items: Iterable[Any], model: Model, what: str = "trajectory"
) -> list[tuple[str | None, str, np.ndarray]]:
    """``(label, colour key, array (n_states, k))`` for each curve to draw.

    An item is an array of shape (n_states, k), a result (`CURVE_RESULTS`), or a pair
    ``(label, array or result)``. A result holding several trajectories (an SDE run, an
    ensemble with samples) gives one curve per trajectory, all with one colour key.
    """
    if isinstance(items, CURVE_RESULTS) or (isinstance(items, np.ndarray) and items.ndim == 2):
        items = [items]  # one result (or one array) instead of a list of them
    out: list[tuple[str | None, str, np.ndarray]] = []
    for k, item in enumerate(items):
        label = None
        if isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], str):
            label, item = item
        key = label if label else f"#{k}"
        if isinstance(item, CURVE_RESULTS):
            arrays = _result_curves(item, model, f"{what} {k}")
        else:
            arrays = [item]
        for arr in arrays:
            try:
                arr = np.asarray(arr, dtype=float)
            except (TypeError, ValueError):
                raise InvalidTypeError(
                    f"{what} {k}: expected an array of shape (n_states, k) or a result "
                    f"({', '.join(c.__name__ for c in CURVE_RESULTS)}), got "
                    f"{type(item).__name__}"
                ) from None
            if arr.ndim != 2 or arr.shape[0] != model.n_states or arr.shape[1] < 2:
                raise InvalidInputError(
                    f"{what} {k}: expected an array of shape (n_states={model.n_states}, "
                    f"k >= 2), got shape {arr.shape}"
                )
            out.append((label, key, arr))
    return out


def equilibrium_list(obj: Any) -> tuple[Any, ...]:
    """A single `Equilibrium` or any iterable of them (e.g. an `EquilibriumSet`)."""
    if isinstance(obj, Equilibrium):
        return (obj,)
    try:
        return tuple(obj)
    except TypeError:
        raise InvalidTypeError(
            f"equilibria: expected an Equilibrium, an EquilibriumSet or an iterable of "
            f"Equilibrium, got {type(obj).__name__}"
        ) from None


def manifold_list(obj: Any) -> tuple[Any, ...]:
    """A single `SaddleManifolds` or any iterable of them."""
    if isinstance(obj, SaddleManifolds):
        return (obj,)
    try:
        return tuple(obj)
    except TypeError:
        raise InvalidTypeError(
            f"separatrices: expected SaddleManifolds or an iterable of them, got "
            f"{type(obj).__name__}"
        ) from None


def time_series_data(
    t: Any, y: Any, model: Model | None, stress: Any
) -> tuple[Any, Any, Model, Any]:
    """``(t, y, model, stress)`` from arrays, or from a `Simulation` / `LimitCycle` in ``t``.

    With a result, ``y`` and ``model`` may be omitted (the model is the result's);
    ``stress=True`` draws the run's first input (a `Simulation` records each input at
    its output times).
    """
    if isinstance(t, Simulation | LimitCycle):
        run = t
        if y is not None:
            raise InvalidInputError(
                f"time_series: got a {type(run).__name__} and y; pass the result alone "
                "(it holds t and y) or the arrays t and y"
            )
        own = run.params.model
        if model is not None:
            _same_model(run, model, "time_series")
        model = own
        if isinstance(run, Simulation):
            t, y = run.t, run.y
            if stress is True or isinstance(stress, str):
                if not run.inputs:
                    raise InvalidInputError(
                        f"time_series: model {model.name!r} has no input to draw as stress"
                    )
                name = next(iter(run.inputs)) if stress is True else stress
                if name not in run.inputs:
                    raise InvalidInputError(
                        f"time_series: stress = {name!r} is not an input of this run; "
                        f"inputs: {', '.join(run.inputs)}"
                    )
                stress = np.broadcast_to(np.asarray(run.inputs[name], float), run.t.shape)
        else:
            t, y = run.t, run.state
    if stress is True or isinstance(stress, str):
        raise InvalidInputError(
            "time_series: stress=True (or an input name) needs a Simulation as the first "
            "argument; with arrays pass the input's values or a function of time"
        )
    if model is None or y is None:
        raise InvalidTypeError(
            "time_series: pass (t, y, model) arrays and the model, or a Simulation / "
            f"LimitCycle as the first argument; got a {type(t).__name__}"
        )
    if not isinstance(model, Model):
        raise InvalidTypeError(f"time_series: model must be a Model, got {type(model).__name__}")
    return t, y, model, stress
