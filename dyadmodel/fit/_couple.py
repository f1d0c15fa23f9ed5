"""Each fitted couple in the model's state space: regime, and distance to tipping."""

from __future__ import annotations

import math
import time
from typing import Any

import numpy as np
import pandas as pd

from dyadmodel.errors import DyadmodelError, InvalidInputError, InvalidTypeError
from dyadmodel.fit._result import FitResult
from dyadmodel.model import Model

__all__ = ["couples_in_state_space"]

#: Size budget: parametric-bootstrap draws per dyad (each runs a continuation).
MAX_DRAWS = 1000


def _covariance(result: FitResult, dyad: Any, names: list[str]) -> np.ndarray:
    table = result.details.get("covariance")
    if table is None:
        return np.full((len(names), len(names)), np.nan)
    rows = table.loc[[dyad]] if dyad in table.index else table.iloc[:0]
    cov = np.full((len(names), len(names)), np.nan)
    index = {n: i for i, n in enumerate(names)}
    for r in rows.itertuples():
        if r.row in index and r.column in index:
            cov[index[r.row], index[r.column]] = r.covariance
    return cov


def _tipping(model: Model, params, param: str, span, inputs) -> tuple[str, float]:
    from dyadmodel.continuation import continuation

    diagram = continuation(model, params, param, span, inputs=inputs)
    points = [s for s in diagram.special_points if s.kind in ("fold", "hopf")]
    if not points:
        return "none in span", math.nan
    here = params[param]
    nearest = min(points, key=lambda s: abs(s.value - here))
    return nearest.kind, float(nearest.value - here)


def _regime(model: Model, params, inputs) -> tuple[str, int, bool]:
    from dyadmodel.analysis import equilibria
    from dyadmodel.continuation._twoparam import classify_regime

    eqs = equilibria(model, params, inputs=inputs)
    return classify_regime(eqs), len(eqs), bool(eqs.complete)


def couples_in_state_space(
    result: FitResult,
    param: str,
    *,
    model: Model | None = None,
    span: tuple[float, float] | None = None,
    inputs: Any = None,
    n_draws: int = 20,
    seed: int = 0,
    max_seconds: float = 120.0,
) -> pd.DataFrame:
    """Where each fitted couple sits in the model's state space.

    At each dyad's estimates: its regime (`dyadmodel.continuation` ``classify_regime``
    of its equilibria: balanced only / bistable / entrenched only / oscillating / ...),
    and its distance to tipping along ``param``: the signed change of ``param`` from its
    estimate to the nearest fold or Hopf point found by `dyadmodel.continuation` over
    ``span``. A parametric bootstrap (``n_draws`` draws of the free parameters from the
    normal approximation ``N(estimate, inverse Fisher information)``, clipped to the
    bounds) gives a 95% percentile interval of that distance and the probability that
    the couple is bistable given the estimation uncertainty.

    Parameters
    ----------
    result : FitResult
        From ``dm.fit(model, data, method="ml")``.
    param : str
        The parameter along which tipping is measured (e.g. ``"anxiety_gain_1"``).
    model : Model, optional
        The fitted model (needed for a user model; registered ones are found by name).
    span : (float, float), optional
        The continuation range (default: the parameter's bounds).
    inputs : mapping or float, optional
        Constant inputs at which the state space is analysed (default: the inputs'
        defaults, e.g. no stress).
    n_draws : int
        Bootstrap draws per dyad (0: none); each costs one continuation and one
        equilibrium search.
    seed : int
        Seed of the random number generator (reproducible results).
    max_seconds : float
        Time budget per dyad for the draws; fewer draws are used when it runs out
        (``draws`` says how many).

    Returns
    -------
    pandas.DataFrame
        Index ``dyad`` (the fit's order); columns ``regime``, ``n_equilibria`` and
        ``complete`` (whether the equilibrium search is known to be complete: an
        incomplete one can misclassify), ``tipping_kind`` (``"fold"``, ``"hopf"`` or
        ``"none in span"``), ``distance`` (in ``param``'s units; positive: ``param``
        must rise to tip; NaN with no tipping point in ``span``), ``distance_low`` and
        ``distance_high`` (over the draws that found a tipping point; NaN without
        them), ``p_bistable``, ``draws`` (draws done) and ``status`` (``"ok"``, or
        ``"error: ..."`` for a dyad that could not be placed, e.g. one whose fit has
        no estimates; its row keeps what was computed before the error).

    Raises
    ------
    InvalidInputError
        For an argument with an invalid value (the message says which and why): a
        ``model`` that is not the fitted one, no ``span`` for a parameter with an
        infinite bound, ``n_draws`` outside [0, 1000].
    InvalidTypeError
        When ``result`` is not a `FitResult` of method ``"ml"``.

    Notes
    -----
    The draws vary the parameters with a finite standard error (the free ones); the
    initial states and noise SDs are not drawn; a dyad without a finite covariance
    (e.g. status ``"singular information"``) gets no draws. ``p_bistable`` counts the regime
    ``"bistable"``, which only models with the couple vocabulary (balanced and
    entrenched equilibria, e.g. ``pursuer-distancer-2d``) have: for any other model it
    is 0 even where the draws are multistable. One random generator serves all dyads in
    table order, so a dyad's draws depend on the dyads before it.

    Examples
    --------
    The couple of the `dyadmodel.fit.Profile` example, fitted with the linear model
    ``R' = a R + b J``, ``J' = c R + d J`` (``a`` and ``d`` free). Its equilibrium
    (the origin) loses stability in a Hopf bifurcation where the trace ``a + d`` is 0,
    so the distance is ``-d - a`` at the estimates:

    >>> import numpy as np, pandas as pd, dyadmodel as dm
    >>> t = np.arange(0.0, 15.0, 0.5)
    >>> R, J = np.exp(-0.2 * t) * np.cos(t), -np.exp(-0.2 * t) * np.sin(t)
    >>> noise = np.random.default_rng(1).normal(0.0, 0.05, (2, t.size))
    >>> table = pd.DataFrame({"dyad": 1, "person": np.repeat([1, 2], t.size),
    ...     "time": np.tile(t, 2), "value": (np.stack([R, J]) + noise).ravel()})
    >>> data = dm.data.read_dyadic(table, dyad="dyad", person="person", time="time",
    ...                            value="value")
    >>> result = dm.fit("strogatz-linear", data, method="ml", free=("a", "d"), n_starts=1)
    >>> placed = dm.fit.couples_in_state_space(result, "a", span=(-1.0, 1.0), n_draws=10)
    >>> row, est = placed.loc[1], result.table.loc[1]
    >>> row.status, row.regime, int(row.n_equilibria), row.tipping_kind, int(row.draws)
    ('ok', 'monostable', 1, 'hopf', 10)
    >>> round(float(row.distance), 3), bool(abs(row.distance - (-est.d - est.a)) < 1e-9)
    (0.422, True)
    >>> bool(row.distance_low < row.distance < row.distance_high), float(row.p_bistable)
    (True, 0.0)
    >>> dm.fit.couples_in_state_space(result, "a")   # a's bounds are infinite
    Traceback (most recent call last):
    ...
    dyadmodel.errors.InvalidInputError: parameter 'a' has bounds (-inf, inf); pass a finite span=
    """
    from dyadmodel import models

    if not isinstance(result, FitResult) or result.method != "ml":
        raise InvalidTypeError("couples_in_state_space needs a FitResult of method 'ml'")
    if model is None:
        model = models.get(result.model)
    if not isinstance(model, Model) or model.name != result.model:
        raise InvalidInputError(f"model must be the fitted model {result.model!r}, got {model!r}")
    par = model.parameter(param)
    if span is None:
        lo, hi = par.bounds
        if not (math.isfinite(lo) and math.isfinite(hi)):
            raise InvalidInputError(
                f"parameter {param!r} has bounds {par.interval_text()}; pass a finite span="
            )
        if not par.lower_inclusive:
            lo = lo + 1e-6 * max(hi - lo, 1.0)
        span = (lo, hi)
    if isinstance(n_draws, bool) or not isinstance(n_draws, int) or not 0 <= n_draws <= MAX_DRAWS:
        raise InvalidInputError(f"n_draws must be an integer in [0, {MAX_DRAWS}], got {n_draws!r}")
    rng = np.random.default_rng(seed)
    free = [
        p
        for p in model.parameter_names
        if p in result.table.columns and np.isfinite(result.table[f"se_{p}"]).any()
    ]
    rows = []
    for dyad, row in result.table.iterrows():
        out: dict[str, Any] = {"dyad": dyad, "status": "ok"}
        try:
            values = {p: float(row[p]) for p in model.parameter_names}
            if not all(np.isfinite(list(values.values()))):
                raise InvalidInputError(f"dyad {dyad!r} has no estimates (status {row.status})")
            params = model.params(values)
            out["regime"], out["n_equilibria"], out["complete"] = _regime(model, params, inputs)
            out["tipping_kind"], out["distance"] = _tipping(model, params, param, span, inputs)
            cov = _covariance(result, dyad, free)
            distances, bistable = [], []
            if n_draws and free and np.all(np.isfinite(cov)):
                deadline = time.perf_counter() + max_seconds
                mean = np.array([values[p] for p in free])
                lows = np.array([model.parameter(p).bounds[0] for p in free])
                highs = np.array([model.parameter(p).bounds[1] for p in free])
                pad = np.where(np.isfinite(lows), 1e-9 * np.maximum(1.0, np.abs(lows)), 0.0)
                for draw in rng.multivariate_normal(mean, cov, size=n_draws):
                    if time.perf_counter() > deadline:
                        break
                    draw = np.clip(draw, lows + pad, highs)
                    p_draw = params.replace(**dict(zip(free, draw.tolist())))
                    regime, _, _ = _regime(model, p_draw, inputs)
                    bistable.append(regime == "bistable")
                    distances.append(_tipping(model, p_draw, param, span, inputs)[1])
            out["draws"] = len(bistable)
            d = np.array(distances, float)
            finite = d[np.isfinite(d)]
            out["distance_low"] = float(np.percentile(finite, 2.5)) if finite.size else math.nan
            out["distance_high"] = float(np.percentile(finite, 97.5)) if finite.size else math.nan
            out["p_bistable"] = float(np.mean(bistable)) if bistable else math.nan
        except (DyadmodelError, ArithmeticError, np.linalg.LinAlgError) as err:
            out["status"] = f"error: {type(err).__name__}: {err}"
        rows.append(out)
    columns = [
        "regime",
        "n_equilibria",
        "complete",
        "tipping_kind",
        "distance",
        "distance_low",
        "distance_high",
        "p_bistable",
        "draws",
        "status",
    ]
    frame = pd.DataFrame(rows).set_index("dyad")
    return frame.reindex(columns=columns)
