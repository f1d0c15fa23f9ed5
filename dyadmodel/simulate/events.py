"""Events located during a simulation: separation, crossing the tipping threshold, or
any function of time and state.

An event is a continuous function ``g(t, x)``; it occurs where ``g`` crosses zero (in
the chosen ``direction``). `dyadmodel.simulate` locates every crossing to the accuracy
of the solver's dense output and records it; a *terminal* event stops the run.

Unlike `scipy.integrate.solve_ivp`, which only compares the signs of ``g`` at the ends of
each step and so misses two crossings that fall within one step, the crossings are
searched on a finer grid inside every step, and a local extremum of ``g`` between grid
points is checked for a hidden pair of crossings (see `dyadmodel.simulate.simulate`).

Examples
--------
>>> import dyadmodel as dm
>>> from dyadmodel.simulate import events, simulate, stress
>>> m = dm.models.get("pursuer-distancer-2d")
>>> run = simulate(m, m.params(), [0.1367, 0.1367], t=(0, 60),
...                stress=stress.pulse(10, 5, 0.5),
...                events=[events.crossing_tipping_threshold(m, m.params())])
>>> rec = run.events[0]
>>> rec.name, len(rec.t), bool(10 < rec.t[0] < 15)
('tipping threshold', 1, True)
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from dyadmodel.errors import InvalidInputError, InvalidTypeError
from dyadmodel.model import Model, ParameterSet
from dyadmodel.simulate._checks import SpecError, check_real

__all__ = [
    "Event",
    "EventRecord",
    "crossing_tipping_threshold",
    "event",
    "separation",
]

EventFunction = Callable[[Any, np.ndarray], Any]


@dataclasses.dataclass(frozen=True)
class Event:
    """A zero crossing to locate.

    Attributes
    ----------
    name : str
    build : callable
        ``build(model, params) -> g`` returns the event function ``g(t, x)`` for one run.
    terminal : bool
        Stop the run at the first crossing.
    direction : {-1, 0, 1}
        1: only crossings where ``g`` rises through zero; -1: only where it falls;
        0: both.
    vectorized : bool
        ``g`` accepts ``t`` of shape (k,) and ``x`` of shape (n_states, k) and returns
        shape (k,) (it must also accept a single time and state).
    description : str

    Raises
    ------
    SpecError
        (an `InvalidInputError`) for a field with an invalid value.

    Examples
    --------
    >>> from dyadmodel.simulate import events
    >>> ev = events.event(lambda t, x: x[0] - 1.0, name="pursuit reaches 1", direction=1)
    >>> ev.name, ev.terminal, ev.direction
    ('pursuit reaches 1', False, 1)
    """

    name: str
    build: Callable[[Model, ParameterSet], EventFunction]
    terminal: bool = False
    direction: int = 0
    vectorized: bool = False
    description: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name:
            raise SpecError("event", "name", self.name, "a non-empty name")
        if self.direction not in (-1, 0, 1) or isinstance(self.direction, bool):
            raise SpecError("event", "direction", self.direction, "-1, 0 or 1")
        object.__setattr__(self, "terminal", bool(self.terminal))


@dataclasses.dataclass(frozen=True, eq=False)
class EventRecord:
    """Where one event occurred in a run.

    Attributes
    ----------
    name : str
    t : ndarray, shape (k,)
        Crossing times, increasing.
    y : ndarray, shape (n_states, k)
        The state at each crossing.
    terminal : bool
        The event is terminal (then ``k <= 1`` and the run ended at ``t[0]``).

    Examples
    --------
    >>> import dyadmodel as dm
    >>> from dyadmodel.simulate import events
    >>> m = dm.models.get("pursuer-distancer-2d")
    >>> run = dm.simulate(m, None, [0.1, 0.1], (0, 30), stress=dm.stress.pulse(5, 5, 1.5),
    ...                   events=[events.crossing_tipping_threshold(m)])
    >>> (record,) = run.events
    >>> record.name, record.y.shape
    ('tipping threshold', (2, 1))
    """

    name: str
    t: np.ndarray
    y: np.ndarray
    terminal: bool

    def __repr__(self) -> str:
        times = ", ".join(f"{v:.6g}" for v in self.t[:6])
        more = ", ..." if self.t.size > 6 else ""
        return f"EventRecord({self.name!r}, t=[{times}{more}])"


def event(
    fn: EventFunction,
    *,
    name: str | None = None,
    terminal: bool | None = None,
    direction: int | None = None,
    vectorized: bool = False,
) -> Event:
    """Wrap a function ``g(t, x)`` (scipy's event convention) as an `Event`.

    ``terminal`` and ``direction`` default to the function's attributes of those names
    (as for `scipy.integrate.solve_ivp`), else ``False`` and 0. ``name`` defaults to the
    function's ``__name__``.

    Parameters
    ----------
    fn : callable
        ``g(t, x) -> float``; the event is where it changes sign.
    name : str, optional
        The event's name in `Simulation.events`; the function's name by default.
    terminal : bool, optional
        Stop the integration at the first occurrence.
    direction : {-1, 0, 1}, optional
        Only crossings from below (1), from above (-1) or both (0).
    vectorized : bool, default False
        ``fn`` accepts states of shape ``(n_states, N)`` and returns ``(N,)``.

    Returns
    -------
    Event
        For ``events=`` of `dyadmodel.simulate`.

    Raises
    ------
    InvalidTypeError
        For an argument of the wrong type.

    Examples
    --------
    >>> def pursuit_high(t, x):
    ...     return x[0] - 1.0
    >>> ev = event(pursuit_high, terminal=True, direction=1)
    >>> ev.name, ev.terminal, ev.direction
    ('pursuit_high', True, 1)
    """
    if not callable(fn):
        raise InvalidTypeError(f"an event needs a function g(t, x), not a {type(fn).__name__}")
    if terminal is None:
        terminal = bool(getattr(fn, "terminal", False))
    if direction is None:
        direction = int(np.sign(getattr(fn, "direction", 0)))
    return Event(
        name or getattr(fn, "__name__", "event"),
        lambda model, params: fn,
        terminal=terminal,
        direction=direction,
        vectorized=vectorized,
    )


def separation(
    threshold: float,
    *,
    states: Sequence[str] | None = None,
    terminal: bool = True,
) -> Event:
    """The couple separates: a partner's distance reaches ``threshold``.

    "Many women, exhausted by years of pursuing and feeling unheard, leave the marriage
    suddenly" (Lerner 2012, Psychology Today); the exhausted pursuer's "cold withdrawal
    when their efforts fail". Here leaving is the moment the larger of the partners'
    avoidance (distance) states rises through ``threshold``: ``g = max_i x_i -
    threshold``, rising. By default the states are those whose name starts with
    ``avoidance`` or ``distance`` (the full model's ``avoidance_1``, ``avoidance_2``;
    the reduced model's ``distance_2``); ``states`` chooses others. Terminal by default:
    the run ends at separation.

    A threshold is a modelling choice, not a result: pick it above every stable
    equilibrium's avoidance (e.g. 2.5 for the full model's default couple, whose
    entrenched distancer keeps distance 1.64) so that it marks an excursion beyond
    the usual pattern.

    Parameters
    ----------
    threshold : float
        The distance at which the couple separates (positive).
    states : sequence of str, optional
        The states watched; by default those named ``avoidance...`` or ``distance...``.
    terminal : bool, default True
        Stop the integration at separation.

    Returns
    -------
    Event
        Named 'separation', crossing from below.

    Raises
    ------
    InvalidInputError
        For an argument with an invalid value (the message says which and why).
    SpecError
        (an `InvalidInputError`) for a field with an invalid value.

    Examples
    --------
    >>> from dyadmodel.simulate import events
    >>> ev = events.separation(3.0)
    >>> ev.name, ev.terminal, ev.direction
    ('separation', True, 1)
    """
    level = check_real("separation", "threshold", threshold, what="a distance level")
    chosen = None if states is None else tuple(states)
    if chosen is not None and (not chosen or not all(isinstance(s, str) for s in chosen)):
        raise SpecError("separation", "states", states, "a non-empty sequence of state names")

    def build(model: Model, params: ParameterSet) -> EventFunction:
        if chosen is None:
            idx = [
                i
                for i, n in enumerate(model.state_names)
                if n.startswith(("avoidance", "distance"))
            ]
            if not idx:
                raise InvalidInputError(
                    f"model {model.name!r} has no avoidance or distance state; pass "
                    f"separation(..., states=[...]) with some of {model.state_names}"
                )
        else:
            idx = [model.state_index(s) for s in chosen]

        def g(t: Any, x: np.ndarray) -> Any:
            return np.max(np.asarray(x)[idx], axis=0) - level

        return g

    return Event(
        "separation",
        build,
        terminal=terminal,
        direction=1,
        vectorized=True,
        description=f"a partner's distance reaches {level:g}",
    )


def crossing_tipping_threshold(
    model: Model,
    params: ParameterSet | Mapping[str, Any] | None = None,
    *,
    inputs: Mapping[str, float] | float | None = None,
    terminal: bool = False,
    direction: int = 0,
) -> Event:
    """The state crosses the tipping threshold between the balanced and entrenched basins.

    For a planar model with two stable equilibria and one saddle (the reduced
    ``pursuer-distancer-2d`` in its bistable region), the threshold is the saddle's
    stable manifold, traced by `dyadmodel.separatrices` at ``params`` and constant
    ``inputs`` (phenomenon 3 of paper/paper.md, "Phenomena and model design"). The event
    function is the signed distance to that curve, positive on the entrenched side, so
    ``direction=1`` catches tipping into entrenchment and ``direction=-1`` the return to
    the balanced side.

    Parameters
    ----------
    model : Model
        A planar model with two stable equilibria and one saddle at ``params``.
    params : ParameterSet or mapping, optional
        Parameter values; the model's defaults when omitted.
    inputs : mapping or float, optional
        Constant input values at which the threshold is traced.
    terminal : bool, default False
        Stop the integration at the first crossing.
    direction : {-1, 0, 1}, default 0
        1: into the entrenched side only; -1: back to the balanced side only; 0: both.

    Returns
    -------
    Event
        Named 'tipping threshold'.

    Raises
    ------
    InvalidInputError
        For an argument with an invalid value (the message says which and why).
    SpecError
        (an `InvalidInputError`) for a field with an invalid value.

    Notes
    -----
    The curve belongs to the parameters and inputs given here. During a run with stress
    or interventions the true threshold moves (with stress ``s > 0`` the basins
    themselves change); the event still reports crossings of the *unstressed* couple's
    threshold, i.e. the moments after which, if the stress stopped, the couple would
    settle on the other side. Models with more than two states are refused: their
    threshold is a hypersurface that is not traced.

    Examples
    --------
    >>> import dyadmodel as dm
    >>> from dyadmodel.simulate import events
    >>> m = dm.models.get("pursuer-distancer-2d")
    >>> run = dm.simulate(m, None, [0.1, 0.1], (0, 30), stress=dm.stress.pulse(5, 5, 1.5),
    ...                   events=[events.crossing_tipping_threshold(m)])
    >>> run.event("tipping threshold").t.round(3)
    array([5.279])
    """
    from dyadmodel.simulate._separatrix import separatrix  # heavy: equilibria + manifolds

    pset = model.parameter_set(params)
    sep = separatrix(model, pset, inputs)
    if direction not in (-1, 0, 1):
        raise SpecError("crossing_tipping_threshold", "direction", direction, "-1, 0 or 1")

    def build(m: Model, p: ParameterSet) -> EventFunction:
        if m.name != model.name:
            raise InvalidInputError(
                f"this tipping-threshold event was built for model {model.name!r}, not {m.name!r}"
            )

        def g(t: Any, x: np.ndarray) -> Any:
            return sep.signed_distance(x)

        return g

    return Event(
        "tipping threshold",
        build,
        terminal=terminal,
        direction=direction,
        vectorized=True,
        description="signed distance to the saddle's stable manifold (+ on the entrenched side)",
    )


def as_events(items: Any) -> tuple[Event, ...]:
    """Normalise the ``events`` argument: Events and plain callables (wrapped)."""
    if items is None:
        return ()
    if isinstance(items, Event) or (callable(items) and not isinstance(items, Sequence)):
        items = (items,)
    out = []
    for k, ev in enumerate(items):
        if isinstance(ev, Event):
            out.append(ev)
        elif callable(ev):
            out.append(event(ev))
        else:
            raise InvalidTypeError(
                f"events[{k}] is a {type(ev).__name__}; expected a dm.events.Event or a "
                "function g(t, x)"
            )
    names = [e.name for e in out]
    for k, n in enumerate(names):
        if n in names[:k]:
            out[k] = dataclasses.replace(out[k], name=f"{n} ({names[:k].count(n) + 1})")
    return tuple(out)
