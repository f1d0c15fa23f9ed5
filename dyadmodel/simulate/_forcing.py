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

import itertools
import math
import numbers
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from dyadmodel.errors import (
    BudgetExceededError,
    InvalidInputError,
    InvalidTypeError,
    NotFoundError,
)
from dyadmodel.model import Input, Model, ParameterSet
from dyadmodel.simulate.interventions import Intervention, PeriodicPulse, validate_all
from dyadmodel.simulate.stress import Periodic, Stress, StressSum

__all__ = ["MAX_BREAKPOINTS", "Forcing", "StressSpec"]

MAX_BREAKPOINTS = 100_000
"""Default budget of breakpoints (restarts of the solver) in one run: each restart costs
a fresh solver start, so 100,000 of them take minutes. Periodic inputs and schedules
are counted before their breakpoints are listed."""

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
        # plain functions of time are checked against the input's bounds at every call
        self._evaluated = [
            _Checked(u, spec) if callable(spec) and not isinstance(spec, Stress) else spec
            for u, spec in zip(model.inputs, self.input_specs)
        ]
        self.interventions = tuple(interventions)
        pairs = validate_all(self.interventions, model, params)
        index = {name: k for k, name in enumerate(model.parameter_names)}
        self.stages = tuple((index[c.parameter], c) for _, c in pairs)
        self.base = params.as_array().tolist()
        self.varied = tuple(sorted({k for k, _ in self.stages}))

    @property
    def has_callable_input(self) -> bool:
        return any(callable(s) and not isinstance(s, Stress) for s in self.input_specs)

    def check_inputs(self, t0: float, t1: float, limit: int = MAX_BREAKPOINTS) -> None:
        """Every value a `Stress` input takes on ``[t0, t1]`` lies within its input's
        bounds (`dyadmodel.model.Input.check`); constants are checked on construction and
        functions of time at every call. Inputs with more than ``limit`` breakpoints
        there raise `BudgetExceededError` (their range is found at every breakpoint)."""
        for u, spec in zip(self.model.inputs, self.input_specs):
            if isinstance(spec, Stress):
                count = _count(spec, t0, t1)
                if count > limit and not isinstance(spec, Periodic):
                    raise BudgetExceededError(
                        f"input {u.name!r} has about {count:.3g} breakpoints in "
                        f"t = [{t0:g}, {t1:g}], more than {limit}; shorten the time span"
                    )
                low, high = spec.value_range(t0, t1)
                for v in (low, high):
                    u.check(v, f"(the {type(spec).__name__.lower()} stress on [{t0:g}, {t1:g}])")

    def count_breakpoints(self, t0: float, t1: float) -> float:
        """An upper bound on the number of breakpoints in ``(t0, t1)``, cheap to compute
        (periodic inputs and schedules are counted, not listed)."""
        total = 0.0
        for spec in self.input_specs:
            if isinstance(spec, Stress):
                total += _count(spec, t0, t1)
        for iv in self.interventions:
            for c in iv.changes:
                if isinstance(c, PeriodicPulse):
                    last = t1 if c.end is None else min(t1, c.end)
                    total += 2 * (max(0.0, (last - max(t0, c.start)) / c.period) + 2)
                else:
                    total += 4
        return total

    def breakpoints(self, t0: float, t1: float, limit: int | None = None) -> tuple[float, ...]:
        """Sorted breakpoints strictly inside ``(t0, t1)``; `BudgetExceededError` when
        there would be more than ``limit``."""
        if limit is not None:
            count = self.count_breakpoints(t0, t1)
            if count > limit:
                raise BudgetExceededError(
                    f"the stress inputs and interventions have about {count:.3g} "
                    f"breakpoints in t = [{t0:g}, {t1:g}] (the solver restarts at each), "
                    f"more than max_breakpoints = {limit}; shorten the time span, use fewer "
                    "or longer periods, or raise max_breakpoints"
                )
        times: set[float] = set()
        for spec in self.input_specs:
            if isinstance(spec, Stress):
                times.update(spec.breakpoints(t0, t1))
        for iv in self.interventions:
            times.update(iv.breakpoints(t0, t1))
        bps = tuple(sorted(t for t in times if t0 < t < t1))
        if limit is not None and len(bps) > limit:
            raise BudgetExceededError(
                f"the stress inputs and interventions have {len(bps)} breakpoints in "
                f"t = [{t0:g}, {t1:g}] (the solver restarts at each), more than "
                f"max_breakpoints = {limit}; shorten the time span or raise max_breakpoints"
            )
        return bps

    def segment(self, a: float, b: float) -> Segment:
        """Parameter and input vectors on ``[a, b]`` (no breakpoint inside)."""
        return self.segments(np.array([a, b], dtype=float))[0]

    def segments(self, edges: Any) -> list[Segment]:
        """`segment` for every pair of consecutive ``edges`` (each stress input is
        evaluated once for all segments)."""
        edges = np.asarray(edges, dtype=float)
        m = edges.size - 1
        columns = []
        for spec in self._evaluated:
            if isinstance(spec, Stress):
                columns.append(list(spec.segment_values(edges)))
            else:
                columns.append([spec] * m)
        out = []
        for j, (a, b) in enumerate(itertools.pairwise(edges.tolist())):
            weights = [(k, c, c.segment_weight(a, b)) for k, c in self.stages]
            out.append(Segment(self.base, [col[j] for col in columns], weights))
        return out

    def input_at(self, index: int, t: float) -> float:
        """Input ``index`` at time ``t`` (bounds checked for functions of time)."""
        spec = self._evaluated[index]
        return float(spec(t)) if callable(spec) else float(spec)

    # -- sampled values, for results -------------------------------------------------
    def input_values(self, t: np.ndarray) -> dict[str, np.ndarray]:
        """Each input at the times ``t`` (right-continuous at breakpoints)."""
        out = {}
        for u, spec in zip(self.model.inputs, self.input_specs):
            if isinstance(spec, Stress):
                vals = np.asarray(spec(t), dtype=float)
            elif callable(spec):
                vals = np.array([float(spec(float(tk))) for tk in t], dtype=float)
                u.check_array(vals, "(returned by the stress function)")
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
        raise InvalidInputError(
            f"model {model.name!r} has no inputs, so it takes no stress; pass stress=None"
        )
    if isinstance(stress, Mapping):
        unknown = sorted(set(stress) - set(names), key=repr)
        if unknown:
            raise NotFoundError(
                f"unknown input(s) {unknown} for model {model.name!r}; valid inputs: "
                f"{', '.join(names)}"
            )
        given = dict(stress)
    elif len(names) == 1:
        given = {names[0]: stress}
    else:
        raise InvalidInputError(
            f"model {model.name!r} has inputs {names}; pass stress as a mapping "
            "{input name: stress}"
        )
    specs = []
    for u in model.inputs:
        spec = given.get(u.name, float(u.default))
        specs.append(_check_spec(u, spec))
    return specs


def _check_spec(u: Input, spec: Any) -> Any:
    if isinstance(spec, Stress):
        return spec
    if isinstance(spec, numbers.Real) and not isinstance(spec, bool):
        return u.check(spec)
    if callable(spec):
        return spec
    raise InvalidTypeError(
        f"input {u.name!r}: {type(spec).__name__} is not a stress; use a number, a "
        "dm.stress input (pulse, step, periodic, piecewise_linear) or a function of time"
    )


class _Checked:
    """A stress given as a plain function of time, with its input's bounds checked at
    every call (the function cannot be inspected ahead of the run)."""

    def __init__(self, u: Input, fn: Callable[[float], Any]) -> None:
        self.u, self.fn = u, fn
        self.low, self.high = u.bounds

    def __call__(self, t: float) -> float:
        v = self.fn(t)
        try:
            x = float(v)
        except (TypeError, ValueError, OverflowError):
            return self.u.check(v, f"at t = {t:.6g} (returned by the stress function)")
        if not (self.low <= x <= self.high) or not math.isfinite(x):
            self.u.check(x, f"at t = {t:.6g} (returned by the stress function)")
        return x


def _count(spec: Stress, t0: float, t1: float) -> float:
    if isinstance(spec, StressSum):
        return sum(_count(term, t0, t1) for term in spec.terms)
    if isinstance(spec, Periodic):
        return 2 * (max(0.0, (t1 - max(t0, spec.start)) / spec.period) + 2)
    if hasattr(spec, "times"):
        return len(spec.times)
    return 2
