"""A slowly ramped parameter: the simulation that shows hysteresis (`hysteresis_sweep`)."""

from __future__ import annotations

import dataclasses
import numbers
from collections.abc import Mapping
from typing import Any

import numpy as np
from scipy.integrate import solve_ivp

from dyadmodel.analysis._checks import float_array, positive_real, show
from dyadmodel.analysis.equilibria import equilibria
from dyadmodel.continuation._branch import _check_span
from dyadmodel.errors import ComputationError, InvalidInputError
from dyadmodel.model import Model, ParameterSet

__all__ = ["HysteresisSweep", "Sweep", "hysteresis_sweep"]

MAX_SAMPLES = 1_000_000
"""Most samples a ramp may ask for (each holds a state and a speed)."""

MAX_RAMP_TIME = 1e8
"""Longest ramp, ``|span| / rate`` time units: LSODA fails on longer ones."""


@dataclasses.dataclass(frozen=True, eq=False)
class Sweep:
    """One ramp of the parameter (up or down).

    Attributes
    ----------
    values : ndarray, shape (m,)
        The parameter along the ramp (sampled uniformly in time), from the ramp's start
        to its end; ``m`` is the ``samples`` of `hysteresis_sweep`.
    states : ndarray, shape (m, n_states)
        The state at each of ``values``, in the model's state order.
    speed : ndarray, shape (m,)
        ``|dx/dt|``, the Euclidean norm over the states (so it mixes their units), per
        time unit: small (about the ramp rate times the slope of the branch) while the
        state tracks a stable branch, of the order of the model's own rates during a
        jump.
    jumps : ndarray, shape (k,)
        Parameter values at which the state jumps (peaks of ``speed``), in the order
        of the ramp; empty when it tracks one branch all the way.

    Notes
    -----
    Made by `hysteresis_sweep`. A jump is the sample at the peak of ``speed``, so
    ``jumps`` is resolved to the sampling step of ``values`` and lies past the fold
    it follows by the lag of a slow passage (see `hysteresis_sweep`).

    Examples
    --------
    >>> import dyadmodel as dm
    >>> m = dm.models.get("pursuer-distancer-2d")
    >>> h = dm.hysteresis_sweep(m, None, "anxiety_gain_1", (0.0, 4.0), rate=3e-3, samples=2001)
    >>> up = h.up
    >>> up.values.shape, up.states.shape, (float(up.values[0]), float(up.values[-1]))
    ((2001,), (2001, 2), (0.0, 4.0))
    >>> [round(float(v), 1) for v in up.jumps]  # one jump, past the fold at 3.37
    [3.5]
    >>> up.states[-1].round(2)  # (pursuit_1, distance_2) after it: high conflict
    array([3.25, 1.93])
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
        The parameter ramped.
    span : (float, float)
        ``(span[0], span[1])`` as given (a reversed span is kept reversed).
    rate : float
        ``|d param / dt|`` of the ramp, in parameter units per time unit.
    up, down : Sweep
        The ramp from ``span[0]`` to ``span[1]`` and the ramp back, which starts from
        the final state of ``up``. The names assume ``span[0] < span[1]``; with a
        reversed span ``up`` goes down.
    model_name : str
        The model's name.
    params : ParameterSet
        The parameter values held fixed; its value of ``param`` is the one given, not
        the ramp's (which overrides it).

    Notes
    -----
    Made by `hysteresis_sweep`. A bistable span shows hysteresis as different jumps
    on the two ramps: ``up.jumps`` past the upper fold, ``down.jumps`` past the lower
    one (each in the direction of its ramp).

    Examples
    --------
    The anxiety gain of partner 1 in the pursuer-distancer model: raised, the couple
    stays balanced past the fold at 3.37 and then jumps to high conflict; lowered, it
    stays in conflict below the fold at 1.60 before it jumps back.

    >>> import dyadmodel as dm
    >>> m = dm.models.get("pursuer-distancer-2d")
    >>> h = dm.hysteresis_sweep(m, None, "anxiety_gain_1", (0.0, 4.0), rate=3e-3, samples=2001)
    >>> h.param, h.span, h.rate
    ('anxiety_gain_1', (0.0, 4.0), 0.003)
    >>> [round(float(v), 1) for v in h.up.jumps], [round(float(v), 1) for v in h.down.jumps]
    ([3.5], [1.5])
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
        Speed of the ramp, in parameter units per time unit (positive and finite, and
        at least ``|span| / 1e8``: a longer ramp is beyond the integrator). The jump lags
        the fold by an amount that scales as ``rate**(2/3)`` (the delayed jump of a slow
        passage through a saddle-node), with a prefactor of the model's: measured for
        ``pursuer-distancer-2d`` in ``anxiety_gain_1`` at rates 1e-4 to 3e-3, about
        ``7 rate**(2/3)`` past the upper fold and ``5 rate**(2/3)`` below the lower
        one (0.072 and 0.049 at the default rate). Small rates jump close to the folds
        of the continuation diagram, and take ``2 |span| / rate`` time units.
    x0 : array_like, optional
        Initial state, one finite number per state (in state order); default: the
        first stable equilibrium (in state order) at ``span[0]``.
    inputs : mapping or float, optional
        Constant inputs (a bare number for a one-input model); their defaults when
        omitted.
    samples : int
        Samples of each ramp, uniform in time (and so in the parameter); the jumps are
        resolved to ``|span| / (samples - 1)``. An integer from 3 (the fewest in which
        a jump can be found) to 1,000,000.

    Returns
    -------
    HysteresisSweep
        The jumps up and down; for a bistable model they differ (the hysteresis loop).

    Raises
    ------
    ComputationError
        When the integration of a ramp fails (try a smaller rate or another ``x0``).
    InvalidInputError
        For an argument with an invalid value (the message says which and why): an
        ``x0`` of the wrong length or not finite, ``samples`` not an integer from 3 to
        1,000,000, ``rate`` not a positive finite number or too small for the span, a
        span not two distinct numbers, or no stable equilibrium to start from.
    ParameterError
        For an unknown ``param``, a bad ``params`` value, or a span end outside the
        parameter's bounds.
    InvalidTypeError
        For a ``model`` that is not a `Model`, a ``param`` that is not a name, or
        ``inputs`` of the wrong type.

    Notes
    -----
    The ramp is a non-autonomous ODE integrated with LSODA (rtol 1e-8) using the
    compiled right-hand side with the parameter vector updated at each call. Jumps
    are the peaks of ``|dx/dt|`` above ``max(5 rate scale, 0.1 max|dx/dt|)`` with
    ``scale = max(1, range of the state)``; a ramp with no such peak has no jump.
    Two consequences: at a fast ramp a slow jump can stay under ``5 rate scale`` and
    go unreported (``pursuer-distancer-2d`` in ``anxiety_gain_1`` over (0, 4) loses
    its downward jump at ``rate=1e-2``), and a jump still under way at the end of a
    ramp is not a peak and is not reported either. At a very slow ramp the samples
    lie further apart in time than a jump lasts (``rate=1e-6`` over (0, 4) with 2001
    samples: 2000 time units apart), so the jump falls between two samples and is
    missed: keep ``|span| / (rate (samples - 1))`` well below the time a jump takes.
    Check that ``jumps`` is not empty before reading a loop from it, and compare with
    the folds of `continuation`.

    Examples
    --------
    >>> import dyadmodel as dm
    >>> m = dm.models.get("pursuer-distancer-2d")
    >>> h = dm.hysteresis_sweep(m, None, "anxiety_gain_1", (0.0, 4.0), rate=3e-3, samples=2001)
    >>> [round(float(v), 1) for v in h.up.jumps], [round(float(v), 1) for v in h.down.jumps]
    ([3.5], [1.5])
    >>> h.down.states[-1].round(2)  # back on the balanced state it started from
    array([0.1 , 0.12])
    """
    a, b = _check_span(model, param, span)
    p = model.parameter_set(params)
    rate = positive_real("hysteresis_sweep: rate (the ramp speed)", rate)
    if abs(b - a) / rate > MAX_RAMP_TIME:
        raise InvalidInputError(
            f"hysteresis_sweep: rate = {rate:g} is too slow for the span ({a:g}, {b:g}): "
            f"the ramp would take {abs(b - a) / rate:.3g} time units; expected a rate of "
            f"at least {abs(b - a) / MAX_RAMP_TIME:.3g} (a ramp of at most "
            f"{MAX_RAMP_TIME:.0e} time units)"
        )
    if (
        isinstance(samples, bool)
        or not isinstance(samples, numbers.Integral)
        or not 3 <= samples <= MAX_SAMPLES
    ):
        raise InvalidInputError(
            f"hysteresis_sweep: samples = {show(samples)}; expected an integer from 3 to "
            f"{MAX_SAMPLES:,} (samples per ramp)"
        )
    samples = int(samples)
    uvals = list(model.constant_inputs(inputs, "hysteresis_sweep").values())
    if x0 is not None:
        x0 = float_array(
            f"hysteresis_sweep: x0 (states {', '.join(model.state_names)})", x0, (model.n_states,)
        )
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
