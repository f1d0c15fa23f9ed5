"""A slowly ramped parameter: the simulation that shows hysteresis (`hysteresis_sweep`)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

import numpy as np
from scipy.integrate import solve_ivp

from dyadmodel.analysis.equilibria import equilibria
from dyadmodel.continuation._branch import _check_span
from dyadmodel.errors import ComputationError, InvalidInputError
from dyadmodel.model import Model, ParameterSet

__all__ = ["HysteresisSweep", "Sweep", "hysteresis_sweep"]


@dataclasses.dataclass(frozen=True, eq=False)
class Sweep:
    """One ramp of the parameter (up or down).

    Attributes
    ----------
    values : ndarray, shape (m,)
        The parameter along the ramp (sampled uniformly in time).
    states : ndarray, shape (m, n_states)
    speed : ndarray, shape (m,)
        ``|dx/dt|``: small (of the order of the ramp rate) while the state tracks a
        stable branch, of order one during a jump.
    jumps : ndarray
        Parameter values at which the state jumps (peaks of ``speed``).
    """

    values: np.ndarray
    states: np.ndarray
    speed: np.ndarray
    jumps: np.ndarray


@dataclasses.dataclass(frozen=True, eq=False)
class HysteresisSweep:
    """A parameter ramped slowly up through a span and back down.

    Attributes
    ----------
    param : str
    span : (float, float)
    rate : float
        ``|d param / dt|`` of the ramp.
    up, down : Sweep
    model_name : str
    params : ParameterSet
    """

    param: str
    span: tuple[float, float]
    rate: float
    up: Sweep
    down: Sweep
    model_name: str
    params: ParameterSet


def hysteresis_sweep(
    model: Model,
    params: ParameterSet | Mapping[str, Any] | None,
    param: str,
    span: tuple[float, float],
    *,
    rate: float = 1e-3,
    x0: Any = None,
    inputs: Mapping[str, float] | float | None = None,
    samples: int = 20001,
) -> HysteresisSweep:
    """Ramp ``param`` slowly from ``span[0]`` to ``span[1]`` and back, following the state.

    Parameters
    ----------
    model : Model
        The model.
    params : ParameterSet or mapping or None
        Parameter values; the model's defaults when omitted.
    param : str
        The parameter ramped.
    span : (float, float)
        The ramp goes from ``span[0]`` to ``span[1]`` and back.
    rate : float
        Speed of the ramp, in parameter units per time unit. The state lags a fold by
        about ``rate**(2/3)`` (the delayed jump of a slow passage through a saddle-node),
        so small rates jump close to the folds of the continuation diagram.
    x0 : array_like, optional
        Initial state; default: the first stable equilibrium (in state order) at
        ``span[0]``.
    inputs : mapping or float, optional
        Constant inputs.
    samples : int
        Samples of each ramp.

    Returns
    -------
    HysteresisSweep
        The jumps up and down; for a bistable model they differ (the hysteresis loop).

    Raises
    ------
    ComputationError
        When the integration of a ramp fails (try a smaller rate or another ``x0``).
    InvalidInputError
        For an argument with an invalid value (the message says which and why).

    Notes
    -----
    The ramp is a non-autonomous ODE integrated with LSODA (rtol 1e-8) using the
    compiled right-hand side with the parameter vector updated at each call. Jumps
    are the peaks of ``|dx/dt|`` above ``max(5 rate scale, 0.1 max|dx/dt|)`` with
    ``scale = max(1, range of the state)``; a ramp with no such peak has no jump.
    """
    p = model.parameter_set(params)
    a, b = _check_span(model, param, span)
    if not (isinstance(rate, int | float) and rate > 0):
        raise InvalidInputError(f"rate = {rate!r}; expected a positive ramp speed")
    uvals = list(model.constant_inputs(inputs, "hysteresis_sweep").values())
    if x0 is None:
        eqs = equilibria(model, p.replace(**{param: a}), inputs=inputs)
        stable = [e for e in eqs if e.stable]
        if not stable:
            raise InvalidInputError(
                f"no stable equilibrium at {param}={a:g} to start the ramp from; pass x0"
            )
        x0 = stable[0].state
    up = _ramp(model, p, param, a, b, rate, np.asarray(x0, float), uvals, samples)
    down = _ramp(model, p, param, b, a, rate, up.states[-1], uvals, samples)
    return HysteresisSweep(param, (a, b), float(rate), up, down, model.name, p)


def _ramp(model, p, param, start, end, rate, x0, uvals, samples) -> Sweep:
    k = model.parameter_names.index(param)
    pv = p.as_array()
    fn, jfn, n = model._rhs_fn, model._jac_fn, model.n_states
    direction = np.sign(end - start)
    t_end = abs(end - start) / rate

    def value(t):
        return start + direction * rate * t

    def f(t, x):
        pv[k] = value(t)
        return np.array(fn(*x, *pv, *uvals), dtype=float)

    def jac(t, x):
        pv[k] = value(t)
        return np.array(jfn(*x, *pv, *uvals), dtype=float).reshape(n, n)

    t = np.linspace(0.0, t_end, samples)
    sol = solve_ivp(f, (0.0, t_end), x0, method="LSODA", jac=jac, t_eval=t, rtol=1e-8, atol=1e-10)
    if not sol.success:
        raise ComputationError(
            f"the ramp of {param} from {start:g} to {end:g} failed: {sol.message}; "
            "try a smaller rate or another x0"
        )
    states = sol.y.T
    values = value(sol.t)
    speed = np.array([np.linalg.norm(f(ti, xi)) for ti, xi in zip(sol.t, states)])
    scale = max(1.0, float(np.max(np.ptp(states, axis=0))))
    height = max(5.0 * rate * scale, 0.1 * float(speed.max()))
    from scipy.signal import find_peaks  # scipy.signal costs ~1 s at import: used here only

    peaks = find_peaks(speed, height=height)[0]
    return Sweep(values, states, speed, values[np.asarray(peaks, dtype=int)])
