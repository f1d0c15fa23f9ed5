"""External stress as a function of time: pulses, steps, periodic pulses, data, and sums.

Stress ``s(t)`` is the input through which life outside the couple reaches it ("stress
hits (say, a problem with a child), and she moves toward him ... he withdraws", Lerner
2012; phenomenon 2 of paper/paper.md, "Phenomena and model design"). In the flagship
models it adds to what each partner perceives of the other. Every stress input here is a
frozen dataclass that

- returns ``s(t)`` when called with a time or an array of times (``__call__``);
- lists the times where ``s`` or its slope jumps (``breakpoints``), so that
  `dyadmodel.simulate` integrates up to each one and restarts there instead of stepping
  over it (an adaptive solver that takes a step of 10 past a 0.01-long pulse never sees
  the pulse);
- adds to another with ``+``.

Values are right-continuous: a pulse ``pulse(10, 5, 1.0)`` is 1 for ``10 <= t < 15``.

Examples
--------
>>> from dyadmodel.simulate import stress
>>> s = stress.pulse(10, 5, 1.0) + stress.step(30, 0.2)
>>> [float(s(t)) for t in (0, 10, 14.9, 15, 31)]
[0.0, 1.0, 1.0, 0.0, 0.2]
>>> s.breakpoints(0, 100)
(10.0, 15.0, 30.0)
"""

from __future__ import annotations

import dataclasses
import itertools
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from dyadmodel.errors import InvalidTypeError
from dyadmodel.simulate._checks import SpecError, check_real

__all__ = [
    "Periodic",
    "PiecewiseLinear",
    "Pulse",
    "Step",
    "Stress",
    "StressSum",
    "periodic",
    "piecewise_linear",
    "pulse",
    "step",
]


class Stress:
    """Base class of the stress inputs (see the module docstring).

    Subclasses implement ``__call__``, ``breakpoints`` and ``segment_value``.

    Examples
    --------
    >>> from dyadmodel.simulate import stress
    >>> s = stress.pulse(0, 1, 2.0) + stress.pulse(5, 1, 1.0)
    >>> isinstance(s, stress.Stress), s.value_range(0, 10)
    (True, (0.0, 2.0))
    """

    def __call__(self, t: Any) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def breakpoints(self, t0: float, t1: float) -> tuple[float, ...]:  # pragma: no cover
        """Sorted times strictly inside ``(t0, t1)`` where ``s`` or its slope jumps.

        Parameters
        ----------
        t0, t1 : float
            The time span (exclusive ends).

        Returns
        -------
        tuple of float
            The breakpoints, increasing.

        Examples
        --------
        >>> from dyadmodel.simulate import stress
        >>> stress.periodic(7, 1, 0.5).breakpoints(0, 15)
        (1.0, 7.0, 8.0, 14.0)
        """
        raise NotImplementedError

    def segment_value(self, a: float, b: float) -> float | Callable[[float], float]:
        """The smooth function that ``s`` equals on ``[a, b]`` (no breakpoint inside):
        a float when it is constant there.

        Evaluating the piece found at the midpoint, rather than ``s`` itself, gives the
        solver the right one-sided value at the segment's ends, whatever the rounding of
        ``t`` at a breakpoint.

        Parameters
        ----------
        a, b : float
            The segment's ends, with no breakpoint strictly between them.

        Returns
        -------
        float or callable
            The constant value, or ``f(t) -> float`` on the segment.

        Examples
        --------
        >>> from dyadmodel.simulate import stress
        >>> stress.pulse(10, 5, 1.0).segment_value(10, 15)
        1.0
        >>> ramp = stress.piecewise_linear([0, 10], [0, 1]).segment_value(0, 10)
        >>> float(ramp(5))
        0.5
        """
        raise NotImplementedError  # pragma: no cover

    def segment_values(self, edges: np.ndarray) -> list[float | Callable[[float], float]]:
        """`segment_value` for every segment between consecutive ``edges`` (sorted, every
        breakpoint among them); subclasses that are constant between breakpoints do it
        in one vectorised call.

        Parameters
        ----------
        edges : numpy.ndarray
            Sorted times, shape ``(n + 1,)``, every breakpoint in the span among them.

        Returns
        -------
        list of float or callable, or numpy.ndarray
            One piece per segment (``n`` of them); an array of constants for inputs
            constant between breakpoints.

        Examples
        --------
        >>> import numpy as np
        >>> from dyadmodel.simulate import stress
        >>> stress.pulse(10, 5, 1.0).segment_values(np.array([0.0, 10.0, 15.0, 20.0]))
        array([0., 1., 0.])
        """
        return [self.segment_value(float(a), float(b)) for a, b in itertools.pairwise(edges)]

    def value_range(self, t0: float, t1: float) -> tuple[float, float]:
        """The smallest and largest value of ``s`` on ``[t0, t1]`` (exact: every stress
        input is piecewise linear, so the extremes lie at segment ends).

        Parameters
        ----------
        t0, t1 : float
            The time span (``t0 <= t1``).

        Returns
        -------
        (float, float)
            The minimum and the maximum.

        Examples
        --------
        >>> from dyadmodel.simulate import stress
        >>> stress.piecewise_linear([0, 10], [2.0, -1.0]).value_range(0, 5)
        (0.5, 2.0)
        """
        edges = np.array([t0, *self.breakpoints(t0, t1), t1], dtype=float)
        values = self.segment_values(edges)
        const = [v for v in values if not callable(v)]
        ends = [
            f(x)
            for (a, b), f in zip(itertools.pairwise(edges), values)
            if callable(f)
            for x in (float(a), float(b))
        ]
        allv = np.asarray([*const, *ends], dtype=float)
        return float(allv.min()), float(allv.max())

    def __add__(self, other: Any) -> StressSum:
        if not isinstance(other, Stress):
            return NotImplemented
        return StressSum((*_terms(self), *_terms(other)))

    def __radd__(self, other: Any) -> Stress:
        # sum([...]) starts from 0
        if isinstance(other, int | float) and not isinstance(other, bool) and other == 0:
            return self
        return NotImplemented


def _terms(s: Stress) -> tuple[Stress, ...]:
    return s.terms if isinstance(s, StressSum) else (s,)


def _eval(t: Any, fn: Callable[[np.ndarray], np.ndarray]) -> Any:
    arr = np.asarray(t, dtype=float)
    out = fn(arr)
    return float(out) if arr.ndim == 0 else out


def _inside(times: Sequence[float], t0: float, t1: float) -> tuple[float, ...]:
    return tuple(sorted({float(x) for x in times if t0 < x < t1}))


@dataclasses.dataclass(frozen=True)
class Pulse(Stress):
    """Stress ``size`` for ``start <= t < start + duration``, else 0.

    Attributes
    ----------
    start : float
        The time the pulse begins.
    duration : float
        Positive.
    size : float
        Stress intensity during the pulse (finite; negative values are accepted but
        leave the flagship models' non-negative orthant unprotected).

    Raises
    ------
    SpecError
        (an `InvalidInputError`) for a value that is not a finite real number, or a
        duration that is not positive.

    Examples
    --------
    >>> from dyadmodel.simulate.stress import Pulse
    >>> p = Pulse(start=2, duration=3, size=0.5)
    >>> p.end, p.breakpoints(0, 10)
    (5.0, (2.0, 5.0))
    """

    start: float
    duration: float
    size: float

    def __post_init__(self) -> None:
        _set(self, "start", check_real("pulse", "start", self.start, what="a time"))
        _set(
            self,
            "duration",
            check_real(
                "pulse", "duration", self.duration, low=0, low_inclusive=False, what="a time span"
            ),
        )
        _set(self, "size", check_real("pulse", "size", self.size, what="a stress intensity"))

    @property
    def end(self) -> float:
        """The time the pulse ends (``start + duration``, excluded)."""
        return self.start + self.duration

    def __call__(self, t: Any) -> Any:
        return _eval(t, lambda a: np.where((a >= self.start) & (a < self.end), self.size, 0.0))

    def breakpoints(self, t0: float, t1: float) -> tuple[float, ...]:
        return _inside((self.start, self.end), t0, t1)

    def segment_value(self, a: float, b: float) -> float:
        return float(self(0.5 * (a + b)))

    def segment_values(self, edges: np.ndarray) -> list[float]:
        return _midpoint_values(self, edges)


@dataclasses.dataclass(frozen=True)
class Step(Stress):
    """Stress ``size`` for ``t >= start``, else 0 (a lasting change of circumstances).

    Attributes
    ----------
    start : float
        The time the stress begins.
    size : float
        The stress intensity from then on.

    Raises
    ------
    SpecError
        (an `InvalidInputError`) for a value that is not a finite real number.

    Examples
    --------
    >>> from dyadmodel.simulate.stress import Step
    >>> s = Step(start=3, size=0.2)
    >>> float(s(2.9)), float(s(3))
    (0.0, 0.2)
    """

    start: float
    size: float

    def __post_init__(self) -> None:
        _set(self, "start", check_real("step", "start", self.start, what="a time"))
        _set(self, "size", check_real("step", "size", self.size, what="a stress intensity"))

    def __call__(self, t: Any) -> Any:
        return _eval(t, lambda a: np.where(a >= self.start, self.size, 0.0))

    def breakpoints(self, t0: float, t1: float) -> tuple[float, ...]:
        return _inside((self.start,), t0, t1)

    def segment_value(self, a: float, b: float) -> float:
        return float(self(0.5 * (a + b)))

    def segment_values(self, edges: np.ndarray) -> list[float]:
        return _midpoint_values(self, edges)


@dataclasses.dataclass(frozen=True)
class Periodic(Stress):
    """Pulses of ``size`` lasting ``duration``, starting at ``start + k * period`` (k >= 0).

    Zero before ``start``. ``0 < duration <= period``; ``duration == period`` is a step.

    Attributes
    ----------
    period : float
        Time between pulse starts (positive).
    duration : float
        Length of each pulse, in ``(0, period]``.
    size : float
        Stress intensity during each pulse.
    start : float
        Start of the first pulse.

    Raises
    ------
    SpecError
        (an `InvalidInputError`) for a value that is not a finite real number, a
        non-positive period or a duration outside ``(0, period]``.

    Examples
    --------
    >>> from dyadmodel.simulate.stress import Periodic
    >>> Periodic(period=7, duration=1, size=0.5).value_range(0, 30)
    (0.0, 0.5)
    """

    period: float
    duration: float
    size: float
    start: float = 0.0

    def __post_init__(self) -> None:
        _set(
            self,
            "period",
            check_real(
                "periodic", "period", self.period, low=0, low_inclusive=False, what="a time span"
            ),
        )
        _set(
            self,
            "duration",
            check_real(
                "periodic",
                "duration",
                self.duration,
                low=0,
                low_inclusive=False,
                high=self.period,
                what="a time span no longer than the period",
            ),
        )
        _set(self, "size", check_real("periodic", "size", self.size, what="a stress intensity"))
        _set(self, "start", check_real("periodic", "start", self.start, what="a time"))

    def __call__(self, t: Any) -> Any:
        def f(a: np.ndarray) -> np.ndarray:
            rel = a - self.start
            k = np.floor(rel / self.period)
            on = (rel >= 0) & (rel - k * self.period < self.duration)
            return np.where(on, self.size, 0.0)

        return _eval(t, f)

    def breakpoints(self, t0: float, t1: float) -> tuple[float, ...]:
        if t1 <= self.start:
            return ()
        k0 = max(0, math.floor((t0 - self.start) / self.period))
        k1 = math.ceil((t1 - self.start) / self.period)
        times = []
        for k in range(k0, k1 + 1):
            on = self.start + k * self.period
            times += [on, on + self.duration]
        return _inside(times, t0, t1)

    def segment_value(self, a: float, b: float) -> float:
        return float(self(0.5 * (a + b)))

    def segment_values(self, edges: np.ndarray) -> list[float]:
        return _midpoint_values(self, edges)

    def value_range(self, t0: float, t1: float) -> tuple[float, float]:
        # without listing the (possibly very many) pulses: 0 and size, or just one
        if t1 < self.start:
            return (0.0, 0.0)
        values = [self.size, 0.0] if self.duration < self.period or t0 < self.start else [self.size]
        return (min(values), max(values))


@dataclasses.dataclass(frozen=True)
class PiecewiseLinear(Stress):
    """Linear interpolation of ``values`` at ``times`` (e.g. daily stress ratings).

    Before the first time and after the last one the end values are held. ``times``
    strictly increasing, at least two; all finite. Every time is a breakpoint (the slope
    jumps there).

    Attributes
    ----------
    times : tuple of float
        Strictly increasing times, at least two.
    values : tuple of float
        The stress at each time.

    Raises
    ------
    SpecError
        (an `InvalidInputError`) for fewer than two times, times not strictly
        increasing, one value per time missing, or a value that is not finite.

    Examples
    --------
    >>> from dyadmodel.simulate.stress import PiecewiseLinear
    >>> s = PiecewiseLinear((0.0, 2.0, 4.0), (0.0, 1.0, 0.0))
    >>> float(s(1)), float(s(9)), s.breakpoints(0, 10)
    (0.5, 0.0, (2.0, 4.0))
    """

    times: tuple[float, ...]
    values: tuple[float, ...]

    def __post_init__(self) -> None:
        times = _real_tuple("times", self.times)
        values = _real_tuple("values", self.values)
        if len(times) < 2:
            raise SpecError("piecewise_linear", "times", self.times, "at least two times")
        if len(values) != len(times):
            raise SpecError(
                "piecewise_linear",
                "values",
                self.values,
                f"one value per time ({len(times)} values)",
            )
        if any(b <= a for a, b in itertools.pairwise(times)):
            raise SpecError("piecewise_linear", "times", self.times, "strictly increasing times")
        _set(self, "times", times)
        _set(self, "values", values)

    def __call__(self, t: Any) -> Any:
        return _eval(t, lambda a: np.interp(a, self.times, self.values))

    def breakpoints(self, t0: float, t1: float) -> tuple[float, ...]:
        return _inside(self.times, t0, t1)

    def segment_value(self, a: float, b: float) -> float | Callable[[float], float]:
        mid = 0.5 * (a + b)
        ts, vs = self.times, self.values
        k = int(np.searchsorted(ts, mid, side="right"))
        if k == 0:
            return vs[0]
        if k == len(ts):
            return vs[-1]
        ta, tb, va, vb = ts[k - 1], ts[k], vs[k - 1], vs[k]
        if va == vb:
            return va
        slope = (vb - va) / (tb - ta)
        return lambda t: va + slope * (t - ta)


@dataclasses.dataclass(frozen=True)
class StressSum(Stress):
    """The sum of stress inputs (built with ``+``).

    Attributes
    ----------
    terms : tuple of Stress
        The summands (sums are flattened: no term is itself a sum).

    Raises
    ------
    SpecError
        (an `InvalidInputError`) when a term is not a stress input.

    Examples
    --------
    >>> from dyadmodel.simulate import stress
    >>> total = stress.step(1, 0.5) + stress.step(2, 0.5)
    >>> type(total).__name__, len(total.terms), float(total(3))
    ('StressSum', 2, 1.0)
    """

    terms: tuple[Stress, ...]

    def __post_init__(self) -> None:
        terms = tuple(self.terms)
        for k, term in enumerate(terms):
            if not isinstance(term, Stress):
                raise SpecError("stress sum", f"terms[{k}]", term, "a dyadmodel stress input")
        _set(self, "terms", terms)

    def __call__(self, t: Any) -> Any:
        total = sum((term(t) for term in self.terms), start=0.0)
        return float(total) if np.ndim(total) == 0 else total

    def breakpoints(self, t0: float, t1: float) -> tuple[float, ...]:
        return tuple(sorted({b for term in self.terms for b in term.breakpoints(t0, t1)}))

    def segment_value(self, a: float, b: float) -> float | Callable[[float], float]:
        return self.segment_values(np.array([a, b], dtype=float))[0]

    def segment_values(self, edges: np.ndarray) -> list[float | Callable[[float], float]]:
        # one vectorised pass per term (a sum of 5,000 pulses over 10,000 segments costs
        # 5,000 array operations, not 50 million scalar ones)
        edges = np.asarray(edges, dtype=float)
        const = np.zeros(max(edges.size - 1, 0))
        funcs: dict[int, list[Callable[[float], float]]] = {}
        for term in self.terms:
            parts = term.segment_values(edges)
            if isinstance(parts, np.ndarray):
                const += parts
                continue
            for k, part in enumerate(parts):
                if callable(part):
                    funcs.setdefault(k, []).append(part)
                else:
                    const[k] += part
        out: list[float | Callable[[float], float]] = const.tolist()
        for k, fs in funcs.items():
            out[k] = _summed(float(const[k]), tuple(fs))
        return out


def _summed(const: float, funcs: tuple[Callable[[float], float], ...]) -> Callable[[float], float]:
    return lambda t: const + sum(f(t) for f in funcs)


def _midpoint_values(s: Stress, edges: np.ndarray) -> Any:
    """Values at the segments' midpoints, as an array (inputs constant between breakpoints)."""
    edges = np.asarray(edges, dtype=float)
    return np.asarray(s(0.5 * (edges[:-1] + edges[1:])), dtype=float).reshape(-1)


def _set(obj: Any, name: str, value: Any) -> None:
    object.__setattr__(obj, name, value)


def _real_tuple(field: str, seq: Any) -> tuple[float, ...]:
    if isinstance(seq, str | bytes) or not isinstance(seq, Sequence | np.ndarray):
        raise SpecError("piecewise_linear", field, seq, "a sequence of numbers")
    return tuple(check_real("piecewise_linear", f"{field}[{k}]", v) for k, v in enumerate(seq))


def pulse(start: float, duration: float, size: float) -> Pulse:
    """A stress episode: ``size`` for ``start <= t < start + duration``.

    Parameters
    ----------
    start : float
        The time the episode begins.
    duration : float
        Its length (positive).
    size : float
        The stress intensity during the episode.

    Returns
    -------
    Pulse
        The stress input.

    Raises
    ------
    SpecError
        (an `InvalidInputError`) for a value that is not a finite real number or a
        duration that is not positive.

    Examples
    --------
    >>> p = pulse(10, 5, 1.0)
    >>> float(p(9.99)), float(p(10)), float(p(15))
    (0.0, 1.0, 0.0)
    """
    return Pulse(start, duration, size)


def step(start: float, size: float) -> Step:
    """A lasting stress: ``size`` from ``start`` on.

    Parameters
    ----------
    start : float
        The time the stress begins.
    size : float
        The stress intensity from then on.

    Returns
    -------
    Step
        The stress input.

    Raises
    ------
    SpecError
        (an `InvalidInputError`) for a value that is not a finite real number.

    Examples
    --------
    >>> s = step(30, 0.2)
    >>> float(s(29)), float(s(30))
    (0.0, 0.2)
    """
    return Step(start, size)


def periodic(period: float, duration: float, size: float, start: float = 0.0) -> Periodic:
    """Recurring stress: a pulse of ``size`` and ``duration`` every ``period`` from
    ``start`` on (e.g. a weekly strain).

    Parameters
    ----------
    period : float
        Time between pulse starts (positive).
    duration : float
        Length of each pulse, in ``(0, period]``.
    size : float
        Stress intensity during each pulse.
    start : float, default 0.0
        Start of the first pulse.

    Returns
    -------
    Periodic
        The stress input.

    Raises
    ------
    SpecError
        (an `InvalidInputError`) for a non-positive period, a duration outside
        ``(0, period]`` or a value that is not finite.

    Examples
    --------
    >>> w = periodic(7, 1, 0.5)
    >>> [float(w(t)) for t in (0, 0.5, 1, 7, 8)]
    [0.5, 0.5, 0.0, 0.5, 0.0]
    """
    return Periodic(period, duration, size, start)


def piecewise_linear(times: Sequence[float], values: Sequence[float]) -> PiecewiseLinear:
    """Stress from data: linear between ``(times[k], values[k])``, held beyond the ends.

    Parameters
    ----------
    times : sequence of float
        Strictly increasing times, at least two.
    values : sequence of float
        The stress at each time (e.g. daily ratings).

    Returns
    -------
    PiecewiseLinear
        The stress input.

    Raises
    ------
    InvalidTypeError
        When ``times`` or ``values`` is not a sequence of numbers.
    SpecError
        (an `InvalidInputError`) for fewer than two times, times not increasing, a
        value per time missing or a value that is not finite.

    Examples
    --------
    >>> s = piecewise_linear([0, 1, 2], [0.0, 1.0, 0.5])
    >>> [float(s(t)) for t in (-1, 0.5, 1.5, 3)]
    [0.0, 0.5, 0.75, 0.5]
    """
    return PiecewiseLinear(_as_tuple("times", times), _as_tuple("values", values))


def _as_tuple(what: str, seq: Any) -> tuple:
    """A sequence as a tuple (its entries are checked by `PiecewiseLinear`)."""
    if isinstance(seq, tuple):
        return seq
    if isinstance(seq, str | bytes | Mapping) or not isinstance(seq, Iterable):
        raise InvalidTypeError(
            f"piecewise_linear {what} = {seq!r:.80} is a {type(seq).__name__}; expected a "
            "sequence of numbers"
        )
    return tuple(seq)
