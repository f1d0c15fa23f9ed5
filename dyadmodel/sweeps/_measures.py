"""Named outcomes measured at every point of a sweep.

A `Measure` turns a batch of parameter sets (one chunk of a sweep) into arrays: one value
per point for each of its outputs (with extra dimensions for vector outcomes such as the
final state). Measures are plain module-level functions of the batch and their options,
so a process pool or a dask worker can run them; they are deterministic (seeded where
random), so the same point gives the same value on any backend, in any chunk.

Outcomes that do not apply at a point are NaN (floats) or the output's fill value
(integers), never an error: a resilience has no meaning for a couple without a balanced
state. Unexpected failures propagate, and the sweep reports the point.
"""

from __future__ import annotations

import dataclasses
import difflib
import math
import numbers
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any

import numpy as np

from dyadmodel.analysis import EquilibriumSet, equilibria
from dyadmodel.continuation._twoparam import REGIMES, classify_regime
from dyadmodel.model import Model, ParameterSet

__all__ = ["MEASURES", "Batch", "BoundMeasure", "Measure", "Output", "bind", "register_measure"]


@dataclasses.dataclass(frozen=True)
class Output:
    """One variable a measure writes: name, dtype, value where not computed, extra
    dimensions (with their coordinates) and netCDF/CF attributes.

    A sweep makes one variable of its Dataset (and one zarr array of its store) from each
    `Output`: dimensions the sweep's own (one per swept name for a `Grid`, ``sample``
    for a `Sample`) followed by ``dims``. The arrays a measure's function returns are
    checked against ``shape`` when a chunk is computed; that ``dims`` and ``coords``
    agree with ``shape`` is not checked: keep them consistent.

    Parameters
    ----------
    name : str
        The variable's name in the Dataset; unique among the outputs of the measures of
        one sweep (a sweep asking for two measures that write one name is refused).
    dtype : str
        NumPy dtype of the values, e.g. ``'float64'``, ``'int8'``.
    fill : float or int
        The value of points not computed yet (the zarr fill value) and of points where
        the outcome does not apply: NaN for float outputs, -1 for the integer outputs
        of the registered measures. `sobol_indices` treats -1 in an integer output,
        NaN in a float one, as missing.
    dims : tuple of str
        Extra dimensions after the sweep's, e.g. ``('state',)``; ``()`` (the default)
        for one number per point.
    coords : mapping of str to tuple of str
        Labels along each extra dimension, e.g. ``{'state': ('pursuit_1',
        'distance_2')}``; a dimension already present in the Dataset keeps its labels.
    shape : tuple of int
        Length of each extra dimension, in the order of ``dims``; the measure's function
        returns arrays of shape ``(len(batch), *shape)``.
    attrs : mapping of str to object
        Attributes of the variable (netCDF/CF style): ``description`` in words; for a
        categorical output ``flag_values`` and ``flag_meanings`` (space-separated, one
        word per value), which make `sobol_indices` and spec files refuse it as an
        outcome. The sweep adds ``measure`` (the measure's name) and, over a `Sample`,
        ``coordinates``.

    Examples
    --------
    >>> import dyadmodel as dm
    >>> from dyadmodel.sweeps import MEASURES
    >>> m = dm.models.get("pursuer-distancer-2d")
    >>> final_state = MEASURES["final_state"]
    >>> for o in final_state.outputs(m, final_state.defaults):
    ...     print(o.name, o.dtype, o.fill, o.dims, o.shape)
    final_state float64 nan ('state',) (2,)
    final_status int8 -1 () ()
    >>> ds = dm.sweep(m, over={"anxiety_gain_1": [1.0, 3.0]}, measure="final_state",
    ...               n_workers=1)
    >>> ds.final_state.dims, ds.final_state.state.values.tolist()
    (('anxiety_gain_1', 'state'), ['pursuit_1', 'distance_2'])
    """

    name: str
    dtype: str
    fill: Any
    dims: tuple[str, ...] = ()
    coords: Mapping[str, tuple[str, ...]] = dataclasses.field(default_factory=dict)
    shape: tuple[int, ...] = ()
    attrs: Mapping[str, Any] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass(frozen=True)
class Measure:
    """A named outcome: ``function(batch, options) -> {output name: array}``.

    Attributes
    ----------
    name : str
    description : str
        One sentence; it becomes the ``long_name``-like ``description`` attribute.
    function : callable
        ``function(batch: Batch, options: Mapping) -> dict[str, ndarray]``, arrays of
        shape ``(len(batch), *output.shape)``. Module-level (picklable).
    outputs : callable
        ``outputs(model, options) -> tuple[Output, ...]``.
    defaults : mapping
        Every option with its default; a given option must have the default's type
        (int for int, a number for float, a list of numbers for a tuple).
    check : callable, optional
        ``check(model, options)`` raises ValueError for a bad option value.

    Notes
    -----
    The function must return every output that ``outputs`` declares, and only those,
    with those shapes: a missing or undeclared name or a wrong shape stops the sweep
    with a `~dyadmodel.sweeps.SweepError` naming the measure, the chunk and what was
    expected, before anything of that chunk is written. A measure given to
    `dyadmodel.sweep` as an object need not be registered (`register_measure` adds it to
    the names a spec file or the command line can use); for the process-pool and dask
    backends its functions must be importable by the workers.

    Examples
    --------
    A measure of whether the couple has a stable balanced state, run in this process:

    >>> import numpy as np
    >>> import dyadmodel as dm
    >>> from dyadmodel.sweeps import Measure, Output
    >>> def has_balanced(batch, options):
    ...     found = [bool(batch.stable(i, "balanced")) for i in range(len(batch))]
    ...     return {"has_balanced": np.array(found, dtype=np.int8)}
    >>> def has_balanced_outputs(model, options):
    ...     return (Output("has_balanced", "int8", -1, attrs={"description": "1 if stable"}),)
    >>> measure = Measure("has_balanced", "a stable balanced state exists", has_balanced,
    ...                   has_balanced_outputs)
    >>> ds = dm.sweep("pursuer-distancer-2d", over={"anxiety_gain_1": [1.0, 3.0]},
    ...               measure=measure, n_workers=1)
    >>> ds.has_balanced.values.tolist(), ds.has_balanced.attrs["measure"]
    ([1, 1], 'has_balanced')

    The registered measures:

    >>> from dyadmodel.sweeps import MEASURES
    >>> MEASURES["balanced_basin_fraction"].defaults
    {'resolution': 40}
    """

    name: str
    description: str
    function: Callable[[Batch, Mapping[str, Any]], dict[str, np.ndarray]]
    outputs: Callable[[Model, Mapping[str, Any]], tuple[Output, ...]]
    defaults: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    check: Callable[[Model, Mapping[str, Any]], None] | None = None


@dataclasses.dataclass(frozen=True)
class BoundMeasure:
    """A measure with every option set (the defaults filled in)."""

    measure: Measure
    options: Mapping[str, Any]

    @property
    def name(self) -> str:
        return self.measure.name

    def outputs(self, model: Model) -> tuple[Output, ...]:
        return self.measure.outputs(model, self.options)

    def canonical(self) -> dict[str, Any]:
        f = self.measure.function
        return {
            "name": self.name,
            "function": f"{f.__module__}:{f.__qualname__}",
            "options": {k: _canonical_value(v) for k, v in self.options.items()},
        }

    def __getstate__(self) -> dict[str, Any]:
        return {"measure": self.measure, "options": dict(self.options)}

    def __setstate__(self, state: dict[str, Any]) -> None:
        object.__setattr__(self, "measure", state["measure"])
        object.__setattr__(self, "options", MappingProxyType(state["options"]))


def _canonical_value(v: Any) -> Any:
    if isinstance(v, float):
        return v.hex()
    if isinstance(v, tuple | list):
        return [_canonical_value(x) for x in v]
    return v


class Batch:
    """The points of one chunk: a parameter set and constant inputs per point.

    What a `Measure`'s function is given: the sweep builds one `Batch` per chunk and
    hands it to every measure it computes, so ``equilibria(i)`` is computed once per
    point and shared by every measure. The parameters are kept as given (also as the
    attributes ``model``, ``psets``, ``inputs`` and ``n_threads``); the cache is
    not renewed if they are changed afterwards.

    Parameters
    ----------
    model : Model
        The model of every point.
    psets : list of ParameterSet
        One parameter set per point; ``len(batch)`` is its length.
    inputs : list of dict of str to float
        The constant inputs of each point by name, as long as ``psets`` (not checked);
        the sweep gives every input of the model, and the 'final_state' measure needs
        them all.
    n_threads : int, optional
        Threads a measure may use for the ensemble engine (the 'final_state' measure
        passes it to `dyadmodel.ensemble`); the sweep gives 1 with more than one worker
        or the dask backend, else None (the engine's default: every CPU).

    Examples
    --------
    >>> import dyadmodel as dm
    >>> from dyadmodel.sweeps import Batch
    >>> m = dm.models.get("pursuer-distancer-2d")
    >>> batch = Batch(m, [m.params(anxiety_gain_1=1.0), m.params(anxiety_gain_1=3.0)],
    ...               [{"stress": 0.0}, {"stress": 0.0}])
    >>> len(batch), [e.label for e in batch.equilibria(1)]
    (2, ['balanced', 'tipping threshold', 'entrenched'])
    >>> [len(batch.stable(i, "entrenched")) for i in range(len(batch))]
    [0, 1]
    """

    def __init__(
        self,
        model: Model,
        psets: list[ParameterSet],
        inputs: list[dict[str, float]],
        n_threads: int | None = None,
    ) -> None:
        self.model = model
        self.psets = psets
        self.inputs = inputs
        self.n_threads = n_threads
        self._eqs: dict[int, EquilibriumSet] = {}

    def __len__(self) -> int:
        return len(self.psets)

    def equilibria(self, i: int) -> EquilibriumSet:
        """The equilibria of point ``i``, computed on first use and then kept.

        Parameters
        ----------
        i : int
            The point's index in the batch, ``0 <= i < len(batch)``.

        Returns
        -------
        EquilibriumSet
            `dyadmodel.equilibria` of ``model`` at ``psets[i]`` and ``inputs[i]``, with
            its default domain and options; the same object on every later call.

        Examples
        --------
        >>> import dyadmodel as dm
        >>> from dyadmodel.sweeps import Batch
        >>> m = dm.models.get("pursuer-distancer-2d")
        >>> batch = Batch(m, [m.params(anxiety_gain_1=3.0)], [{"stress": 0.0}])
        >>> eqs = batch.equilibria(0)
        >>> len(eqs), eqs.complete, batch.equilibria(0) is eqs
        (3, True, True)
        """
        if i not in self._eqs:
            self._eqs[i] = equilibria(self.model, self.psets[i], inputs=self.inputs[i])
        return self._eqs[i]

    def stable(self, i: int, prefix: str) -> list:
        """The stable equilibria of point ``i`` whose label starts with ``prefix``.

        Parameters
        ----------
        i : int
            The point's index in the batch, ``0 <= i < len(batch)``.
        prefix : str
            Start of the labels to keep, e.g. ``'balanced'`` or ``'entrenched'``
            (case-sensitive); ``''`` keeps every stable equilibrium. Models without a
            couple vocabulary label every equilibrium ``''``, so only ``''`` finds them.

        Returns
        -------
        list of Equilibrium
            From `equilibria` (computed once per point), in its order; only those with
            ``stable`` True, so a non-hyperbolic equilibrium (``stable`` None) is left
            out. Empty when there is none.

        Examples
        --------
        >>> import dyadmodel as dm
        >>> from dyadmodel.sweeps import Batch
        >>> m = dm.models.get("pursuer-distancer-2d")
        >>> batch = Batch(m, [m.params(anxiety_gain_1=3.0)], [{"stress": 0.0}])
        >>> [e.label for e in batch.stable(0, "")]
        ['balanced', 'entrenched']
        >>> batch.stable(0, "tipping")
        []
        """
        return [e for e in self.equilibria(i) if e.stable and e.label.startswith(prefix)]


# -- the measures -------------------------------------------------------------------------
def _regime(batch: Batch, options: Mapping[str, Any]) -> dict[str, np.ndarray]:
    codes = np.empty(len(batch), dtype=np.int8)
    complete = np.empty(len(batch), dtype=np.int8)
    for i in range(len(batch)):
        eqs = batch.equilibria(i)
        codes[i] = REGIMES.index(classify_regime(eqs))
        complete[i] = bool(eqs.complete)
    return {"regime": codes, "equilibria_complete": complete}


def _regime_outputs(model: Model, options: Mapping[str, Any]) -> tuple[Output, ...]:
    return (
        Output(
            "regime",
            "int8",
            -1,
            attrs={
                "description": "regime of the couple from its certified equilibria "
                "(dyadmodel.continuation classify_regime)",
                "flag_values": list(range(len(REGIMES))),
                "flag_meanings": " ".join(r.replace(" ", "_") for r in REGIMES),
            },
        ),
        Output(
            "equilibria_complete",
            "int8",
            -1,
            attrs={
                "description": "1 when the equilibrium search was proved complete (the regime "
                "is then certain), 0 otherwise",
                "flag_values": [0, 1],
                "flag_meanings": "incomplete complete",
            },
        ),
    )


def _n_stable(batch: Batch, options: Mapping[str, Any]) -> dict[str, np.ndarray]:
    n_stable = np.empty(len(batch), dtype=np.int16)
    n_eq = np.empty(len(batch), dtype=np.int16)
    for i in range(len(batch)):
        eqs = batch.equilibria(i)
        n_eq[i] = len(eqs)
        n_stable[i] = sum(1 for e in eqs if e.stable)
    return {"n_stable": n_stable, "n_equilibria": n_eq}


def _n_stable_outputs(model: Model, options: Mapping[str, Any]) -> tuple[Output, ...]:
    return (
        Output("n_stable", "int16", -1, attrs={"description": "number of stable equilibria"}),
        Output("n_equilibria", "int16", -1, attrs={"description": "number of equilibria"}),
    )


def _basin_fraction(batch: Batch, options: Mapping[str, Any]) -> dict[str, np.ndarray]:
    from dyadmodel.simulate import basins

    frac = np.full(len(batch), np.nan)
    unresolved = np.full(len(batch), np.nan)
    for i in range(len(batch)):
        bm = basins(
            batch.model,
            batch.psets[i],
            resolution=int(options["resolution"]),
            inputs=batch.inputs[i],
        )
        frac[i] = sum(v for k, v in bm.fractions.items() if k.startswith("balanced"))
        unresolved[i] = bm.fractions.get("diverged", 0.0) + bm.fractions.get("undecided", 0.0)
    return {"balanced_basin_fraction": frac, "unresolved_basin_fraction": unresolved}


def _basin_outputs(model: Model, options: Mapping[str, Any]) -> tuple[Output, ...]:
    r = options["resolution"]
    x, y = model.state_names[:2]
    where = f"the {r}x{r} grid of starts over the domain of ({x}, {y})"
    if model.n_states > 2:
        where += " (the other states at the balanced equilibrium)"
    return (
        Output(
            "balanced_basin_fraction",
            "float64",
            np.nan,
            attrs={"description": f"share of {where} that settles in the balanced state"},
        ),
        Output(
            "unresolved_basin_fraction",
            "float64",
            np.nan,
            attrs={"description": f"share of {where} that diverged or stayed undecided"},
        ),
    )


def _check_basins(model: Model, options: Mapping[str, Any]) -> None:
    if options["resolution"] < 2:
        raise ValueError(f"resolution = {options['resolution']!r}; expected an integer >= 2")


def _resilience(batch: Batch, options: Mapping[str, Any]) -> dict[str, np.ndarray]:
    from dyadmodel.simulate import resilience

    out = np.full(len(batch), np.nan)
    for i in range(len(batch)):
        if not batch.stable(i, "balanced"):
            continue  # no balanced state to be resilient: NaN
        if not batch.stable(i, "entrenched"):
            out[i] = math.inf  # nothing to tip into: no pulse tips it
            continue
        r = resilience(
            batch.model,
            batch.psets[i],
            pulse_duration=float(options["pulse_duration"]),
            inputs=batch.inputs[i],
        )
        out[i] = r.size
    return {"resilience": out}


def _resilience_outputs(model: Model, options: Mapping[str, Any]) -> tuple[Output, ...]:
    d = options["pulse_duration"]
    return (
        Output(
            "resilience",
            "float64",
            np.nan,
            attrs={
                "description": f"smallest stress pulse of duration {d:g} that tips the balanced "
                "state into the entrenched one (dyadmodel.resilience); inf when there is no "
                "entrenched state, NaN when there is no stable balanced state",
            },
        ),
    )


def _check_resilience(model: Model, options: Mapping[str, Any]) -> None:
    if not options["pulse_duration"] > 0:
        raise ValueError(f"pulse_duration = {options['pulse_duration']!r}; expected > 0")
    if not model.inputs:
        raise ValueError(f"model {model.name!r} has no stress input; resilience needs one")


def _tipping(batch: Batch, options: Mapping[str, Any]) -> dict[str, np.ndarray]:
    from dyadmodel.simulate import tipping_statistics

    n = len(batch)
    out = {k: np.full(n, np.nan) for k in ("p", "lo", "hi", "mfpt")}
    for i in range(n):
        if any(batch.inputs[i].values()):
            raise ValueError(
                "tipping_probability models stress as noise around its mean (option "
                "'stress_mean'); constant inputs are not supported, got "
                f"{batch.inputs[i]}"
            )
        if not batch.stable(i, "balanced"):
            continue
        if not batch.stable(i, "entrenched"):
            out["p"][i] = out["lo"][i] = out["hi"][i] = 0.0  # no entrenched basin to enter
            continue
        ts = tipping_statistics(
            batch.model,
            batch.psets[i],
            [float(options["noise"])],
            float(options["horizon"]),
            int(options["n_paths"]),
            int(options["seed"]),
            correlation_time=float(options["correlation_time"]),
            mean=float(options["stress_mean"]),
            dt=float(options["dt"]),
        )
        out["p"][i] = ts.probability[0]
        out["lo"][i] = ts.ci_low[0]
        out["hi"][i] = ts.ci_high[0]
        out["mfpt"][i] = ts.mean_first_passage[0]
    return {
        "tipping_probability": out["p"],
        "tipping_probability_low": out["lo"],
        "tipping_probability_high": out["hi"],
        "mean_first_passage": out["mfpt"],
    }


def _tipping_outputs(model: Model, options: Mapping[str, Any]) -> tuple[Output, ...]:
    o = options
    what = (
        f"within horizon {o['horizon']:g} under Ornstein-Uhlenbeck stress noise {o['noise']:g} "
        f"(correlation time {o['correlation_time']:g}), {o['n_paths']} paths, seed {o['seed']} "
        "(the same noise at every point: common random numbers)"
    )
    return (
        Output(
            "tipping_probability",
            "float64",
            np.nan,
            attrs={
                "description": "probability of entering the entrenched basin from the balanced "
                f"state {what}; 0 without an entrenched state, NaN without a balanced state"
            },
        ),
        Output(
            "tipping_probability_low",
            "float64",
            np.nan,
            attrs={"description": "lower end of the 95% Wilson interval of tipping_probability"},
        ),
        Output(
            "tipping_probability_high",
            "float64",
            np.nan,
            attrs={"description": "upper end of the 95% Wilson interval of tipping_probability"},
        ),
        Output(
            "mean_first_passage",
            "float64",
            np.nan,
            attrs={
                "description": "mean time to enter the entrenched basin among the paths that "
                "did (conditional on tipping within the horizon; NaN when none did)"
            },
        ),
    )


def _check_tipping(model: Model, options: Mapping[str, Any]) -> None:
    o = options
    for key in ("horizon", "correlation_time", "dt"):
        if not o[key] > 0:
            raise ValueError(f"{key} = {o[key]!r}; expected a positive number")
    if o["noise"] < 0:
        raise ValueError(f"noise = {o['noise']!r}; expected a non-negative number")
    if o["n_paths"] < 1:
        raise ValueError(f"n_paths = {o['n_paths']!r}; expected a positive integer")
    if o["seed"] < 0:
        raise ValueError(f"seed = {o['seed']!r}; expected a non-negative integer")
    if not model.inputs:
        raise ValueError(f"model {model.name!r} has no stress input; tipping needs one")


def _start(model: Model, options: Mapping[str, Any]) -> np.ndarray:
    x0 = options["x0"]
    if not x0:
        return np.array([lo for lo, _ in model.domain], dtype=float)
    return np.asarray(x0, dtype=float)


def _final_state(batch: Batch, options: Mapping[str, Any]) -> dict[str, np.ndarray]:
    from dyadmodel.simulate import ensemble

    model = batch.model
    P = {p: np.array([ps[p] for ps in batch.psets]) for p in model.parameter_names}
    U = {u: np.array([inp[u] for inp in batch.inputs]) for u in model.input_names}
    res = ensemble(
        model,
        P,
        _start(model, options),
        (0.0, float(options["t_end"])),
        rtol=float(options["rtol"]),
        atol=float(options["atol"]),
        inputs=U or None,
        n_threads=batch.n_threads,
    )
    final = np.array(res.final.T)
    final[res.status != 0] = np.nan
    return {"final_state": final, "final_status": np.asarray(res.status, dtype=np.int8)}


def _final_outputs(model: Model, options: Mapping[str, Any]) -> tuple[Output, ...]:
    from dyadmodel.simulate._ensemble import STATUS_NAMES

    x0 = ", ".join(f"{v:g}" for v in _start(model, options))
    return (
        Output(
            "final_state",
            "float64",
            np.nan,
            dims=("state",),
            coords={"state": model.state_names},
            shape=(model.n_states,),
            attrs={
                "description": f"state at t = {options['t_end']:g} from x0 = ({x0}) "
                f"(dyadmodel.ensemble, rtol {options['rtol']:g}, atol {options['atol']:g}); "
                "NaN where the integration failed (see final_status)"
            },
        ),
        Output(
            "final_status",
            "int8",
            -1,
            attrs={
                "description": "integration status of final_state",
                "flag_values": list(range(len(STATUS_NAMES))),
                "flag_meanings": " ".join(s.replace(" ", "_") for s in STATUS_NAMES),
            },
        ),
    )


def _check_final(model: Model, options: Mapping[str, Any]) -> None:
    x0 = options["x0"]
    if x0 and len(x0) != model.n_states:
        raise ValueError(
            f"x0 = {list(x0)!r}; expected {model.n_states} numbers, one per state "
            f"({', '.join(model.state_names)})"
        )
    if not options["t_end"] > 0:
        raise ValueError(f"t_end = {options['t_end']!r}; expected a positive time")
    for key in ("rtol", "atol"):
        if not options[key] > 0:
            raise ValueError(f"{key} = {options[key]!r}; expected a positive number")


MEASURES: dict[str, Measure] = {}
"""The registered measures by name (see `register_measure`)."""


def register_measure(measure: Measure) -> Measure:
    """Add ``measure`` to `MEASURES` (its name must be new) and return it.

    A custom measure's function must be importable by the workers (a module-level
    function of an installed module) for the process-pool and dask backends.

    Parameters
    ----------
    measure : Measure
        The measure; ``measure.name`` must not be registered yet.

    Returns
    -------
    Measure
        ``measure`` itself.

    Raises
    ------
    ValueError
        When a measure of that name is registered.

    Examples
    --------
    >>> from dyadmodel.sweeps import MEASURES, register_measure
    >>> register_measure(MEASURES["regime"])
    Traceback (most recent call last):
    ...
    ValueError: a measure named 'regime' is already registered
    """
    if measure.name in MEASURES:
        raise ValueError(f"a measure named {measure.name!r} is already registered")
    MEASURES[measure.name] = measure
    return measure


for _m in (
    Measure(
        "regime", "regime of the couple from its certified equilibria", _regime, _regime_outputs
    ),
    Measure(
        "n_stable",
        "number of stable equilibria (and of all equilibria)",
        _n_stable,
        _n_stable_outputs,
    ),
    Measure(
        "balanced_basin_fraction",
        "share of a grid of starts that settles in the balanced state",
        _basin_fraction,
        _basin_outputs,
        {"resolution": 40},
        _check_basins,
    ),
    Measure(
        "resilience",
        "smallest stress pulse that tips the balanced state",
        _resilience,
        _resilience_outputs,
        {"pulse_duration": 5.0},
        _check_resilience,
    ),
    Measure(
        "tipping_probability",
        "probability of tipping under stochastic stress, with a Wilson interval",
        _tipping,
        _tipping_outputs,
        {
            "noise": 0.1,
            "horizon": 50.0,
            "n_paths": 200,
            "seed": 0,
            "correlation_time": 1.0,
            "stress_mean": 0.0,
            "dt": 0.01,
        },
        _check_tipping,
    ),
    Measure(
        "final_state",
        "state reached from a fixed start after a fixed time",
        _final_state,
        _final_outputs,
        {"x0": (), "t_end": 200.0, "rtol": 1e-6, "atol": 1e-9},
        _check_final,
    ),
):
    register_measure(_m)


def _option(measure: str, key: str, default: Any, value: Any) -> Any:
    where = f"measure {measure!r} option {key!r}"
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise ValueError(f"{where} = {value!r}; expected true or false")
        return value
    if isinstance(default, int):
        if isinstance(value, bool) or not isinstance(value, numbers.Integral):
            raise ValueError(f"{where} = {value!r}; expected an integer")
        return int(value)
    if isinstance(default, float):
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise ValueError(f"{where} = {value!r}; expected a number")
        if not math.isfinite(float(value)):
            raise ValueError(f"{where} = {value!r}; expected a finite number")
        return float(value)
    if isinstance(default, tuple):
        if isinstance(value, str) or not isinstance(value, list | tuple | np.ndarray):
            raise ValueError(f"{where} = {value!r}; expected a list of numbers")
        out = []
        for x in value:
            if isinstance(x, bool) or not isinstance(x, numbers.Real) or not math.isfinite(x):
                raise ValueError(f"{where} = {value!r}; expected a list of finite numbers")
            out.append(float(x))
        return tuple(out)
    if isinstance(default, str):
        if not isinstance(value, str):
            raise ValueError(f"{where} = {value!r}; expected a string")
        return value
    raise TypeError(f"{where}: unsupported option type {type(default).__name__}")


def bind(
    model: Model, name: str | Measure, options: Mapping[str, Any] | None = None
) -> BoundMeasure:
    """The measure ``name`` with ``options`` checked and the defaults filled in."""
    if isinstance(name, Measure):
        measure = name
    else:
        if name not in MEASURES:
            close = difflib.get_close_matches(str(name), list(MEASURES), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise ValueError(f"unknown measure {name!r}{hint}; available: {', '.join(MEASURES)}")
        measure = MEASURES[name]
    given = dict(options or {})
    for key in given:
        if key not in measure.defaults:
            close = difflib.get_close_matches(str(key), list(measure.defaults), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            allowed = ", ".join(measure.defaults) or "none"
            raise ValueError(
                f"unknown option {key!r} for measure {measure.name!r}{hint}; its options: {allowed}"
            )
    opts = {
        k: _option(measure.name, k, d, given[k]) if k in given else d
        for k, d in measure.defaults.items()
    }
    if measure.check is not None:
        try:
            measure.check(model, opts)
        except ValueError as err:
            raise ValueError(f"measure {measure.name!r}: {err}") from None
    return BoundMeasure(measure, MappingProxyType(opts))
