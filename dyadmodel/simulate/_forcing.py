"""Inputs and parameters as functions of time, compiled for fast right-hand sides.

A `Forcing` binds stress inputs and interventions to one model and parameter set. It
lists the breakpoints (where an input or a parameter, or a slope, jumps) and, for each
segment between two breakpoints, gives the parameter and input vectors as functions of
time that are smooth on the whole closed segment (one-sided values at the ends). The
right-hand side then calls the model's compiled function with plain vectors
(``model._rhs_fn(*x, *p, *u)``), which is far cheaper than building a `ParameterSet`
per call.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from dyadmodel.model import Model, ParameterSet
from dyadmodel.simulate.interventions import Intervention, validate_all
from dyadmodel.simulate.stress import Stress

__all__ = ["Forcing", "StressSpec"]

StressSpec = float | Stress | Callable[[float], float]


class Forcing:
    """Stress inputs and parameter schedules of one run, bound to a model.

    Parameters
    ----------
    model : Model
    params : ParameterSet
        The base values (before any intervention).
    stress : None, float, Stress, callable or mapping
        For a one-input model, the input's value over time: a number (constant), a
        `Stress`, or a callable ``s(t)``; for several inputs, a mapping from input name
        to one of these. Inputs not given keep their default.
    interventions : sequence of Intervention
    """

    def __init__(
        self,
        model: Model,
        params: ParameterSet,
        stress: Any,
        interventions: Sequence[Intervention],
    ) -> None:
        self.model = model
        self.params = params
        self.input_specs = _input_specs(model, stress)
        self.interventions = tuple(interventions)
        pairs = validate_all(self.interventions, model, params)
        index = {name: k for k, name in enumerate(model.parameter_names)}
        self.stages = tuple((index[c.parameter], c) for _, c in pairs)
        self.base = params.as_array().tolist()
        self.varied = tuple(sorted({k for k, _ in self.stages}))

    @property
    def has_callable_input(self) -> bool:
        return any(callable(s) and not isinstance(s, Stress) for s in self.input_specs)

    def breakpoints(self, t0: float, t1: float) -> tuple[float, ...]:
        times: set[float] = set()
        for spec in self.input_specs:
            if isinstance(spec, Stress):
                times.update(spec.breakpoints(t0, t1))
        for iv in self.interventions:
            times.update(iv.breakpoints(t0, t1))
        return tuple(sorted(t for t in times if t0 < t < t1))

    def segment(self, a: float, b: float) -> Segment:
        """Parameter and input vectors on ``[a, b]`` (no breakpoint inside)."""
        inputs = []
        for spec in self.input_specs:
            if isinstance(spec, Stress):
                inputs.append(spec.segment_value(a, b))
            else:
                inputs.append(spec)
        weights = [(k, c, c.segment_weight(a, b)) for k, c in self.stages]
        return Segment(self.base, inputs, weights)

    # -- sampled values, for results -------------------------------------------------
    def input_values(self, t: np.ndarray) -> dict[str, np.ndarray]:
        """Each input at the times ``t`` (right-continuous at breakpoints)."""
        out = {}
        for u, spec in zip(self.model.inputs, self.input_specs):
            if isinstance(spec, Stress):
                vals = np.asarray(spec(t), dtype=float)
            elif callable(spec):
                vals = np.array([float(spec(float(tk))) for tk in t], dtype=float)
            else:
                vals = np.full(t.shape, float(spec))
            out[u.name] = np.broadcast_to(vals, t.shape).copy()
        return out

    def parameter_vector(self, t: float) -> list[float]:
        """All parameter values at time ``t`` (right-continuous)."""
        pv = list(self.base)
        for k, c in self.stages:
            pv[k] = c.apply(t, pv[k])
        return pv

    def parameter_values(self, name: str, t: np.ndarray) -> np.ndarray:
        k = self.model.parameter_names.index(name)
        return np.array([self.parameter_vector(float(tk))[k] for tk in np.atleast_1d(t)])


class Segment:
    """Parameter and input vectors on one segment between breakpoints."""

    def __init__(
        self,
        base: list[float],
        inputs: list[Any],
        weights: list[tuple[int, Any, float | Callable[[float], float]]],
    ) -> None:
        self._inputs = inputs
        self._weights = weights
        self._u_const = all(not callable(u) for u in inputs)
        self._p_const = all(not callable(w) for _, _, w in weights)
        self._base = base
        if self._p_const:
            self._p = self._params_with(lambda w: w)
        if self._u_const:
            self._u = [float(u) for u in inputs]

    @property
    def constant(self) -> bool:
        return self._p_const and self._u_const

    def _params_with(self, weight: Callable[[Any], float]) -> list[float]:
        pv = list(self._base)
        for k, c, w in self._weights:
            pv[k] = c.combine(weight(w), pv[k])
        return pv

    def params(self, t: float) -> list[float]:
        if self._p_const:
            return self._p
        return self._params_with(lambda w: w(t) if callable(w) else w)

    def inputs(self, t: float) -> list[float]:
        if self._u_const:
            return self._u
        return [float(u(t)) if callable(u) else float(u) for u in self._inputs]


def _input_specs(model: Model, stress: Any) -> list[Any]:
    names = model.input_names
    if stress is None:
        return [float(u.default) for u in model.inputs]
    if not names:
        raise ValueError(
            f"model {model.name!r} has no inputs, so it takes no stress; pass stress=None"
        )
    if isinstance(stress, Mapping):
        unknown = sorted(set(stress) - set(names))
        if unknown:
            raise ValueError(
                f"unknown input(s) {unknown} for model {model.name!r}; valid inputs: "
                f"{', '.join(names)}"
            )
        given = dict(stress)
    elif len(names) == 1:
        given = {names[0]: stress}
    else:
        raise ValueError(
            f"model {model.name!r} has inputs {names}; pass stress as a mapping "
            "{input name: stress}"
        )
    specs = []
    for u in model.inputs:
        spec = given.get(u.name, float(u.default))
        specs.append(_check_spec(u.name, spec))
    return specs


def _check_spec(name: str, spec: Any) -> Any:
    if isinstance(spec, Stress):
        return spec
    if isinstance(spec, numbers.Real) and not isinstance(spec, bool):
        v = float(spec)
        if not np.isfinite(v):
            raise ValueError(f"input {name!r} = {spec!r} is not finite")
        return v
    if callable(spec):
        return spec
    raise TypeError(
        f"input {name!r}: {type(spec).__name__} is not a stress; use a number, a "
        "dm.stress input (pulse, step, periodic, piecewise_linear) or a function of time"
    )
