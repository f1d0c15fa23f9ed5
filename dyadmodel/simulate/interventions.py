"""Interventions: parameter changes scheduled in time.

An intervention changes model parameters from some time on, abruptly or along a linear
ramp, for good or until an end time (phenomenon 8 of the paper, paper/paper.md,
"Phenomena and model design": interventions as parameter changes or time-varying
inputs). The generic constructor is `intervention`; the named ones encode the
interventions that the cited descriptions of the pattern recommend (Lerner 2012,
Psychology Today; Reflective Resilience Counseling, "I Pursue. You Distance.",
https://reflectiveresiliencecounseling.com/blog/i-persue-you-distance, cited below as
[RRC]), each as an explicit, documented choice of parameters:

================================  =========================================================
constructor                       what changes (flagship parameter names)
================================  =========================================================
`self_soothing`                   the pursuer's ``anxiety_gain_i`` is lowered ("Pursuer:
                                  Practice Self-Soothing"; Lerner: "call off the pursuit")
`emotional_availability`          the distancer's ``avoidance_gain_i`` is lowered and/or
                                  ``openness_i`` / ``approach_baseline_i`` raised
                                  ("Distancer: Practice Emotional Availability ... Small
                                  gestures of connection")
`scheduled_checkins`              periodic pulses on the distancer's
                                  ``approach_baseline_i`` ("Schedule Check-ins -
                                  Regularly scheduled times for emotional ... check-ins")
`regulation_skills`               recovery rates scaled up and/or reaction gains scaled
                                  down (regulation skills as faster recovery or
                                  damping; phenomenon 8 of the paper)
`naming_the_cycle`                every anxiety and avoidance gain scaled by a factor
                                  below 1 ("we need to identify the cycle and take steps
                                  to change it": weaker coupling)
================================  =========================================================

Each constructor returns an `Intervention`: a name and a tuple of parameter schedules
(`Ramp`, `PeriodicPulse`). Interventions combine with ``+``; schedules are applied in
order, each to the value the previous ones produced (so ``naming_the_cycle(0.8) +
self_soothing(1, to=1.5)`` ends with ``anxiety_gain_1 = 1.5``, and the reverse order with
``1.2``).

Parameter names are resolved when the intervention meets a model (in
`dyadmodel.simulate`): a schedule marked ``if_present`` is skipped by a model without
that parameter (``naming_the_cycle`` scales the gains the model has), any other unknown
name is an error with a did-you-mean. Every value a schedule can give a parameter is
checked against the parameter's bounds before integrating (`Intervention.validate`).

Examples
--------
>>> import dyadmodel as dm
>>> from dyadmodel.simulate.interventions import intervention, self_soothing
>>> iv = intervention("anxiety_gain_1", to=1.5, start=20, ramp=5)
>>> m = dm.models.get("pursuer-distancer-2d")
>>> p = m.params()
>>> [iv.value_at(m, p, "anxiety_gain_1", t) for t in (0, 20, 22.5, 25, 100)]
[2.0, 2.0, 1.75, 1.5, 1.5]
>>> self_soothing(1, to=-1.0).validate(m, p)  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
dyadmodel.model.ParameterError: intervention 'self-soothing (partner 1)' would set ...
"""

from __future__ import annotations

import dataclasses
import difflib
import math
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from dyadmodel.errors import InvalidTypeError
from dyadmodel.model import Model, ParameterError, ParameterSet
from dyadmodel.simulate._checks import SpecError, check_real

__all__ = [
    "Intervention",
    "PeriodicPulse",
    "Ramp",
    "emotional_availability",
    "intervention",
    "naming_the_cycle",
    "regulation_skills",
    "scheduled_checkins",
    "self_soothing",
]


# -- schedules -------------------------------------------------------------------------
@dataclasses.dataclass(frozen=True)
class Ramp:
    """Move one parameter to a target value along a linear ramp, optionally back again.

    The weight ``w(t)`` is 0 before ``start``, rises linearly to 1 over ``[start, start +
    ramp]``, stays 1 until ``end`` and falls back linearly to 0 over ``[end, end + ramp]``
    (no ``end``: it stays 1). The parameter takes ``(1 - w) * before + w * target``, where
    ``before`` is its value without this schedule and ``target`` is ``to`` or ``factor *
    before``. ``ramp = 0`` is an abrupt change.

    Attributes
    ----------
    parameter : str
        The parameter changed.
    start : float
        When the ramp begins.
    ramp : float
        Duration of the ramp (>= 0); the same duration is used to ramp back at ``end``.
    end : float or None
        When the change is withdrawn; ``end >= start + ramp``.
    to : float or None
        Absolute target value. Exactly one of ``to`` and ``factor`` is given.
    factor : float or None
        Relative target: ``factor`` times the value before this schedule.
    if_present : bool
        Skip (instead of refusing) a model that has no parameter of this name.

    Raises
    ------
    SpecError
        (an `InvalidInputError`) for a field with an invalid value.

    Examples
    --------
    >>> from dyadmodel.simulate.interventions import Ramp
    >>> ramp = Ramp("anxiety_gain_1", start=10, ramp=4, end=20, to=1.0)
    >>> [ramp.weight(t) for t in (9, 12, 15, 22, 30)]
    [0.0, 0.5, 1.0, 0.5, 0.0]
    """

    parameter: str
    start: float = 0.0
    ramp: float = 0.0
    end: float | None = None
    to: float | None = None
    factor: float | None = None
    if_present: bool = False

    def __post_init__(self) -> None:
        owner = f"intervention on {self.parameter!r}"
        if not isinstance(self.parameter, str) or not self.parameter:
            raise SpecError("intervention", "parameter", self.parameter, "a parameter name")
        _set(self, "start", check_real(owner, "start", self.start, what="a time"))
        _set(self, "ramp", check_real(owner, "ramp", self.ramp, low=0, what="a duration"))
        if self.end is not None:
            _set(
                self,
                "end",
                check_real(
                    owner,
                    "end",
                    self.end,
                    low=self.start + self.ramp,
                    what=f"a time >= start + ramp = {self.start + self.ramp:g}",
                ),
            )
        if (self.to is None) == (self.factor is None):
            raise SpecError(
                owner, "to", self.to, "exactly one of 'to' (a value) and 'factor' (a ratio)"
            )
        if self.to is not None:
            _set(self, "to", check_real(owner, "to", self.to, what="the new parameter value"))
        else:
            _set(
                self,
                "factor",
                check_real(owner, "factor", self.factor, low=0, what="a ratio of values"),
            )

    def weight(self, t: float) -> float:
        """``w(t)``, from 0 (no change) to 1 (fully changed).

        Parameters
        ----------
        t : float
            The time.

        Returns
        -------
        float
            The weight, in ``[0, 1]``.

        Examples
        --------
        >>> from dyadmodel.simulate.interventions import Ramp
        >>> ramp = Ramp("anxiety_gain_1", start=10, ramp=4, end=20, to=1.0)
        >>> ramp.weight(12.0)
        0.5
        """
        if t < self.start:
            return 0.0
        if self.end is not None and t >= self.end:
            if self.ramp == 0 or t >= self.end + self.ramp:
                return 0.0
            return 1.0 - (t - self.end) / self.ramp
        if self.ramp == 0 or t >= self.start + self.ramp:
            return 1.0
        return (t - self.start) / self.ramp

    def target(self, before: float) -> float:
        """The value the parameter moves to: ``to``, or ``factor * before``.

        Parameters
        ----------
        before : float
            The parameter's value without this schedule.

        Returns
        -------
        float
            The target value.

        Examples
        --------
        >>> from dyadmodel.simulate.interventions import Ramp
        >>> Ramp("anxiety_gain_1", factor=0.5).target(3.0)
        1.5
        """
        return self.to if self.to is not None else self.factor * before

    def apply(self, t: float, before: float) -> float:
        """The parameter's value at time ``t``: ``before + w(t) (target - before)``.

        Parameters
        ----------
        t : float
            The time.
        before : float
            The parameter's value without this schedule.

        Returns
        -------
        float
            The value in force at ``t``.

        Examples
        --------
        >>> from dyadmodel.simulate.interventions import Ramp
        >>> ramp = Ramp("anxiety_gain_1", start=10, ramp=4, end=20, to=1.0)
        >>> ramp.apply(12.0, 2.0)
        1.5
        """
        w = self.weight(t)
        return before + w * (self.target(before) - before)

    def breakpoints(self) -> tuple[float, ...]:
        """The times where the weight or its slope jumps.

        Returns
        -------
        tuple of float
            Increasing, without repeats.

        Examples
        --------
        >>> from dyadmodel.simulate.interventions import Ramp
        >>> ramp = Ramp("anxiety_gain_1", start=10, ramp=4, end=20, to=1.0)
        >>> ramp.breakpoints()
        (10.0, 14.0, 20.0, 24.0)
        """
        times = [self.start, self.start + self.ramp]
        if self.end is not None:
            times += [self.end, self.end + self.ramp]
        return tuple(sorted(set(times)))

    def extreme_values(self, low: float, high: float) -> tuple[float, ...]:
        """Values this schedule can reach when the value before it lies in [low, high]
        (the range taken is the convex hull of these and of [low, high]).

        Parameters
        ----------
        low, high : float
            The range of the parameter's value without this schedule.

        Returns
        -------
        tuple of float
            ``(to,)``, or ``factor`` times both ends.

        Examples
        --------
        >>> from dyadmodel.simulate.interventions import Ramp
        >>> Ramp("anxiety_gain_1", factor=0.5).extreme_values(1.0, 3.0)
        (0.5, 1.5)
        """
        if self.to is not None:
            return (self.to,)
        return (self.factor * low, self.factor * high)

    def segment_weight(self, a: float, b: float) -> float | Callable[[float], float]:
        """The weight on ``[a, b]``, a segment with no breakpoint inside: a float when
        constant there, else the affine function that ``w`` equals on the segment.

        The piece is found at the midpoint and extended to both ends, so the solver
        sees the one-sided values at the ends (``w(t)`` itself is right-continuous and
        would switch off at ``t = end`` exactly).

        Parameters
        ----------
        a, b : float
            The segment's ends.

        Returns
        -------
        float or callable
            The constant weight, or ``w(t)`` on the segment.

        Examples
        --------
        >>> from dyadmodel.simulate.interventions import Ramp
        >>> ramp = Ramp("anxiety_gain_1", start=10, ramp=4, end=20, to=1.0)
        >>> ramp.segment_weight(14.0, 20.0), ramp.segment_weight(10.0, 14.0)(12.0)
        (1.0, 0.5)
        """
        mid = 0.5 * (a + b)
        w, slope = self._piece(mid)
        if slope == 0.0:
            return w
        return lambda t: w + slope * (t - mid)

    def _piece(self, t: float) -> tuple[float, float]:
        """``(w(t), dw/dt)`` on the linear piece containing ``t``."""
        if t < self.start:
            return 0.0, 0.0
        if self.ramp > 0 and t < self.start + self.ramp:
            return (t - self.start) / self.ramp, 1.0 / self.ramp
        if self.end is None or t < self.end:
            return 1.0, 0.0
        if self.ramp > 0 and t < self.end + self.ramp:
            return 1.0 - (t - self.end) / self.ramp, -1.0 / self.ramp
        return 0.0, 0.0

    def combine(self, w: float, before: float) -> float:
        """The parameter's value at weight ``w``.

        Parameters
        ----------
        w : float
            The weight, in ``[0, 1]``.
        before : float
            The parameter's value without this schedule.

        Returns
        -------
        float
            ``before + w (target - before)``.

        Examples
        --------
        >>> from dyadmodel.simulate.interventions import Ramp
        >>> Ramp("anxiety_gain_1", to=1.0).combine(0.25, 2.0)
        1.75
        """
        return before + w * (self.target(before) - before)

    def describe(self) -> str:
        """The schedule in words.

        Returns
        -------
        str
            One line: parameter, target and timing.

        Examples
        --------
        >>> from dyadmodel.simulate.interventions import Ramp
        >>> ramp = Ramp("anxiety_gain_1", start=10, ramp=4, end=20, to=1.0)
        >>> ramp.describe()
        'anxiety_gain_1 to 1 from t = 10 (ramp 4) until t = 20'
        """
        what = f"to {self.to:g}" if self.to is not None else f"times {self.factor:g}"
        when = f"from t = {self.start:g}"
        if self.ramp:
            when += f" (ramp {self.ramp:g})"
        if self.end is not None:
            when += f" until t = {self.end:g}"
        return f"{self.parameter} {what} {when}"


@dataclasses.dataclass(frozen=True)
class PeriodicPulse:
    """Add ``size`` to a parameter during ``duration`` every ``period`` from ``start`` on
    (until ``end``, if given: no pulse starts at or after ``end``).

    ``0 < duration <= period``. The parameter takes ``before + size`` during a pulse and
    ``before`` otherwise.

    Attributes
    ----------
    parameter : str
        The parameter pulsed.
    period : float
        Time between pulse starts (positive).
    duration : float
        Length of each pulse, in ``(0, period]``.
    size : float
        Added to the parameter during a pulse.
    start : float
        The first pulse.
    end : float or None
        No pulse starts at or after it; None: pulses go on.
    if_present : bool
        Skip (instead of refusing) a model that has no parameter of this name.

    Raises
    ------
    SpecError
        (an `InvalidInputError`) for a field with an invalid value.

    Examples
    --------
    >>> from dyadmodel.simulate.interventions import PeriodicPulse
    >>> pulse = PeriodicPulse("approach_baseline_2", period=7, duration=1, size=0.5)
    >>> pulse.on(0.5), pulse.on(1.5), pulse.on(7.2)
    (True, False, True)
    """

    parameter: str
    period: float
    duration: float
    size: float
    start: float = 0.0
    end: float | None = None
    if_present: bool = False

    def __post_init__(self) -> None:
        owner = f"periodic change of {self.parameter!r}"
        if not isinstance(self.parameter, str) or not self.parameter:
            raise SpecError("intervention", "parameter", self.parameter, "a parameter name")
        _set(
            self,
            "period",
            check_real(
                owner, "period", self.period, low=0, low_inclusive=False, what="a time span"
            ),
        )
        _set(
            self,
            "duration",
            check_real(
                owner,
                "duration",
                self.duration,
                low=0,
                low_inclusive=False,
                high=self.period,
                what="a time span no longer than the period",
            ),
        )
        _set(self, "size", check_real(owner, "size", self.size, what="the change in value"))
        _set(self, "start", check_real(owner, "start", self.start, what="a time"))
        if self.end is not None:
            _set(
                self,
                "end",
                check_real(owner, "end", self.end, low=self.start, what="a time >= start"),
            )

    def on(self, t: float) -> bool:
        """Whether a pulse is on at time ``t``.

        Parameters
        ----------
        t : float
            The time.

        Returns
        -------
        bool
            True during a pulse.

        Examples
        --------
        >>> from dyadmodel.simulate.interventions import PeriodicPulse
        >>> pulse = PeriodicPulse("approach_baseline_2", period=7, duration=1, size=0.5)
        >>> pulse.on(7.5), pulse.on(8.0)
        (True, False)
        """
        rel = t - self.start
        if rel < 0:
            return False
        k = math.floor(rel / self.period)
        onset = self.start + k * self.period
        if self.end is not None and onset >= self.end:
            return False
        return rel - k * self.period < self.duration

    def apply(self, t: float, before: float) -> float:
        """The parameter's value at time ``t``.

        Parameters
        ----------
        t : float
            The time.
        before : float
            The parameter's value without this schedule.

        Returns
        -------
        float
            ``before + size`` during a pulse, ``before`` otherwise.

        Examples
        --------
        >>> from dyadmodel.simulate.interventions import PeriodicPulse
        >>> pulse = PeriodicPulse("approach_baseline_2", period=7, duration=1, size=0.5)
        >>> pulse.apply(0.5, 0.1), pulse.apply(2.0, 0.1)
        (0.6, 0.1)
        """
        return before + self.size if self.on(t) else before

    def breakpoints_in(self, t0: float, t1: float) -> tuple[float, ...]:
        """The pulses' starts and ends from the pulse around ``t0`` up to ``t1``.

        Parameters
        ----------
        t0, t1 : float
            The time span.

        Returns
        -------
        tuple of float
            Increasing; the caller keeps those inside ``(t0, t1)``.

        Examples
        --------
        >>> from dyadmodel.simulate.interventions import PeriodicPulse
        >>> pulse = PeriodicPulse("approach_baseline_2", period=7, duration=1, size=0.5)
        >>> pulse.breakpoints_in(0.0, 10.0)
        (0.0, 1.0, 7.0, 8.0, 14.0, 15.0)
        """
        last = t1 if self.end is None else min(t1, self.end)
        if last < self.start:
            return ()
        k0 = max(0, math.floor((t0 - self.start) / self.period))
        k1 = math.ceil((last - self.start) / self.period)
        times = []
        for k in range(k0, k1 + 1):
            onset = self.start + k * self.period
            if self.end is not None and onset >= self.end:
                break
            times += [onset, onset + self.duration]
        return tuple(times)

    def extreme_values(self, low: float, high: float) -> tuple[float, ...]:
        """Values this schedule can reach when the value before it lies in [low, high].

        Parameters
        ----------
        low, high : float
            The range of the parameter's value without this schedule.

        Returns
        -------
        tuple of float
            Both ends shifted by ``size``.

        Examples
        --------
        >>> from dyadmodel.simulate.interventions import PeriodicPulse
        >>> pulse = PeriodicPulse("approach_baseline_2", period=7, duration=1, size=0.5)
        >>> pulse.extreme_values(0.0, 1.0)
        (0.5, 1.5)
        """
        return (low + self.size, high + self.size)

    def segment_weight(self, a: float, b: float) -> float:
        """1.0 when a pulse is on throughout ``[a, b]`` (a segment between breakpoints),
        else 0.0 (decided at the midpoint, so the ends get one-sided values).

        Parameters
        ----------
        a, b : float
            The segment's ends.

        Returns
        -------
        float
            1.0 or 0.0.

        Examples
        --------
        >>> from dyadmodel.simulate.interventions import PeriodicPulse
        >>> pulse = PeriodicPulse("approach_baseline_2", period=7, duration=1, size=0.5)
        >>> pulse.segment_weight(7.0, 8.0), pulse.segment_weight(8.0, 14.0)
        (1.0, 0.0)
        """
        return 1.0 if self.on(0.5 * (a + b)) else 0.0

    def combine(self, w: float, before: float) -> float:
        """The parameter's value at weight ``w``.

        Parameters
        ----------
        w : float
            The weight: 1.0 during a pulse, 0.0 between pulses.
        before : float
            The parameter's value without this schedule.

        Returns
        -------
        float
            ``before + w size``.

        Examples
        --------
        >>> from dyadmodel.simulate.interventions import PeriodicPulse
        >>> pulse = PeriodicPulse("approach_baseline_2", period=7, duration=1, size=0.5)
        >>> pulse.combine(1.0, 0.1)
        0.6
        """
        return before + w * self.size

    def describe(self) -> str:
        """The schedule in words.

        Returns
        -------
        str
            One line: parameter, size, duration, period and timing.

        Examples
        --------
        >>> from dyadmodel.simulate.interventions import PeriodicPulse
        >>> pulse = PeriodicPulse("approach_baseline_2", period=7, duration=1, size=0.5)
        >>> pulse.describe()
        'approach_baseline_2 + 0.5 for 1 every 7 from t = 0'
        """
        until = f" until t = {self.end:g}" if self.end is not None else ""
        return (
            f"{self.parameter} + {self.size:g} for {self.duration:g} every {self.period:g} "
            f"from t = {self.start:g}{until}"
        )


Schedule = Ramp | PeriodicPulse


# -- intervention ----------------------------------------------------------------------
@dataclasses.dataclass(frozen=True)
class Intervention:
    """A named set of parameter schedules, applied in order.

    Attributes
    ----------
    name : str
        Shown in figures and comparisons.
    changes : tuple of Ramp or PeriodicPulse
        The parameter schedules, applied in order.
    description : str
        What the intervention stands for (shown in reports).

    Raises
    ------
    SpecError
        (an `InvalidInputError`) for a field with an invalid value.

    Notes
    -----
    ``a + b`` is the intervention doing both (``a``'s schedules first), named
    ``"a.name + b.name"``.

    Examples
    --------
    >>> import dyadmodel as dm
    >>> a = dm.intervention("anxiety_gain_1", to=1.0, start=5)
    >>> b = dm.intervention("avoidance_gain_2", factor=0.5, start=5)
    >>> m = dm.models.get("pursuer-distancer-2d")
    >>> both = a + b
    >>> len(both.changes), both.value_at(m, m.params(), "avoidance_gain_2", 6.0)
    (2, 1.0)
    """

    name: str
    changes: tuple[Schedule, ...]
    description: str = ""

    def __post_init__(self) -> None:
        changes = tuple(self.changes)
        if not changes:
            raise SpecError("intervention", "changes", self.changes, "at least one change")
        for k, c in enumerate(changes):
            if not isinstance(c, Ramp | PeriodicPulse):
                raise SpecError(
                    "intervention", f"changes[{k}]", c, "a Ramp or PeriodicPulse schedule"
                )
        _set(self, "changes", changes)

    def __add__(self, other: Any) -> Intervention:
        if not isinstance(other, Intervention):
            return NotImplemented
        return Intervention(
            f"{self.name} + {other.name}",
            (*self.changes, *other.changes),
            "; ".join(d for d in (self.description, other.description) if d),
        )

    def resolved(self, model: Model) -> tuple[Schedule, ...]:
        """The schedules that apply to ``model`` (``if_present`` ones it lacks dropped).

        Parameters
        ----------
        model : Model
            The model the intervention is applied to.

        Returns
        -------
        tuple of Ramp or PeriodicPulse
            In the order of ``changes``.

        Raises
        ------
        ParameterError
            A parameter the model does not have (without ``if_present``), or none of
            the intervention's parameters at all.

        Examples
        --------
        >>> import dyadmodel as dm
        >>> from dyadmodel.simulate.interventions import regulation_skills
        >>> m = dm.models.get("pursuer-distancer-2d")
        >>> [c.parameter for c in regulation_skills(2, gain_factor=0.5).resolved(m)]
        ['avoidance_gain_2']
        """
        names = set(model.parameter_names)
        out = []
        for c in self.changes:
            if c.parameter in names:
                out.append(c)
            elif not c.if_present:
                close = difflib.get_close_matches(c.parameter, model.parameter_names, n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                raise ParameterError(
                    f"intervention {self.name!r} changes parameter {c.parameter!r}, which "
                    f"model {model.name!r} does not have{hint}; valid names: "
                    f"{', '.join(model.parameter_names)}"
                )
        if not out:
            wanted = ", ".join(sorted({c.parameter for c in self.changes}))
            raise ParameterError(
                f"intervention {self.name!r} changes none of the parameters of model "
                f"{model.name!r} (it acts on {wanted})"
            )
        return tuple(out)

    def validate(self, model: Model, params: ParameterSet) -> None:
        """Check every value the schedules can give a parameter against its bounds.

        Parameters
        ----------
        model : Model
            The model the intervention is applied to.
        params : ParameterSet
            The parameter values without the intervention.

        Raises
        ------
        ParameterError
            Naming the intervention, the parameter and the value out of bounds.

        Examples
        --------
        >>> import dyadmodel as dm
        >>> m = dm.models.get("pursuer-distancer-2d")
        >>> dm.intervention("anxiety_gain_1", to=-1.0).validate(m, m.params())  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        dyadmodel.model.ParameterError: intervention 'anxiety_gain_1 -> -1' ...
        """
        validate_all((self,), model, params)

    def breakpoints(self, t0: float, t1: float) -> tuple[float, ...]:
        """Times strictly inside ``(t0, t1)`` where a parameter or its slope jumps.

        Parameters
        ----------
        t0, t1 : float
            The time span.

        Returns
        -------
        tuple of float
            Increasing, without repeats.

        Examples
        --------
        >>> import dyadmodel as dm
        >>> dm.intervention("anxiety_gain_1", to=1.0, start=5, ramp=2).breakpoints(0, 100)
        (5.0, 7.0)
        """
        times: set[float] = set()
        for c in self.changes:
            bps = c.breakpoints() if isinstance(c, Ramp) else c.breakpoints_in(t0, t1)
            times.update(float(b) for b in bps if t0 < b < t1)
        return tuple(sorted(times))

    def value_at(self, model: Model, params: ParameterSet, name: str, t: float) -> float:
        """The value of parameter ``name`` at time ``t`` under this intervention alone.

        Parameters
        ----------
        model : Model
            The model the intervention is applied to.
        params : ParameterSet
            The parameter values without the intervention.
        name : str
            A parameter of the model.
        t : float
            The time.

        Returns
        -------
        float
            The parameter's value at ``t``.

        Raises
        ------
        ParameterError
            When a schedule (without ``if_present``) names a parameter the model lacks.

        Examples
        --------
        >>> import dyadmodel as dm
        >>> m = dm.models.get("pursuer-distancer-2d")
        >>> iv = dm.intervention("anxiety_gain_1", to=1.0, start=10, ramp=10)
        >>> iv.value_at(m, m.params(anxiety_gain_1=2.0), "anxiety_gain_1", 15.0)
        1.5
        """
        value = params[name]
        for c in self.resolved(model):
            if c.parameter == name:
                value = c.apply(t, value)
        return value

    def describe(self) -> str:
        """The intervention in words: its name and each schedule.

        Returns
        -------
        str
            One line.

        Examples
        --------
        >>> import dyadmodel as dm
        >>> dm.intervention("anxiety_gain_1", to=1.0, start=5).describe()
        'anxiety_gain_1 -> 1: anxiety_gain_1 to 1 from t = 5'
        """
        return f"{self.name}: " + "; ".join(c.describe() for c in self.changes)


def validate_all(
    interventions: Sequence[Intervention], model: Model, params: ParameterSet
) -> tuple[tuple[Intervention, Schedule], ...]:
    """Resolve and validate interventions applied together, in order; return the
    ``(intervention, schedule)`` pairs that apply to ``model``.

    The range a parameter can take is tracked through the schedules (the convex hull of
    the values before a schedule and of its targets), and every end of that range must
    satisfy the parameter's bounds. The range is exact for one schedule per parameter
    and conservative (possibly wider than the values actually taken) when schedules of
    one parameter overlap in time.
    """
    pairs = [(iv, c) for iv in interventions for c in iv.resolved(model)]
    ranges = {name: (params[name], params[name]) for name in model.parameter_names}
    for iv, c in pairs:
        low, high = ranges[c.parameter]
        ext = c.extreme_values(low, high)
        rec = model.parameter(c.parameter)
        for v in ext:
            try:
                rec.check(v)
            except ParameterError as err:
                raise ParameterError(
                    f"intervention {iv.name!r} would set parameter {c.parameter!r} to "
                    f"{v:g} ({c.describe()}): {err}"
                ) from None
        ranges[c.parameter] = (min(low, *ext), max(high, *ext))
    return tuple(pairs)


def _set(obj: Any, name: str, value: Any) -> None:
    object.__setattr__(obj, name, value)


def _partner(owner: str, partner: Any) -> int:
    if isinstance(partner, bool) or partner not in (1, 2):
        raise SpecError(owner, "partner", partner, "1 or 2")
    return int(partner)


def _timing(owner: str, start: Any, ramp: Any, end: Any) -> dict[str, Any]:
    # checked here so that the error names the constructor, not the first schedule
    start = check_real(owner, "start", start, what="a time")
    ramp = check_real(owner, "ramp", ramp, low=0, what="a duration")
    if end is not None:
        end = check_real(owner, "end", end, low=start + ramp, what="a time >= start + ramp")
    return {"start": start, "ramp": ramp, "end": end}


# -- constructors ----------------------------------------------------------------------
def intervention(
    parameter: str,
    to: float | None = None,
    start: float = 0.0,
    ramp: float = 0.0,
    end: float | None = None,
    *,
    factor: float | None = None,
    name: str | None = None,
) -> Intervention:
    """Change one parameter: to ``to`` (or by ``factor``) from ``start``, over ``ramp``.

    Parameters
    ----------
    parameter : str
        A parameter name of the model the intervention will be simulated with.
    to : float, optional
        The new value. Exactly one of ``to`` and ``factor``.
    start : float
        When the change begins.
    ramp : float
        Duration of the linear ramp (0: abrupt).
    end : float, optional
        When the change is withdrawn (ramping back over ``ramp``); default: never.
    factor : float, optional
        Multiply the parameter's value by ``factor`` instead.
    name : str, optional
        Default: ``"<parameter> -> <to>"`` or ``"<parameter> x <factor>"``.

    Returns
    -------
    Intervention
        The result; see `Intervention` for its fields.

    Examples
    --------
    >>> iv = intervention("anxiety_gain_1", to=0.6, start=20, ramp=5)
    >>> iv.name, iv.changes[0].weight(22.5)
    ('anxiety_gain_1 -> 0.6', 0.5)
    """
    sched = Ramp(parameter, start, ramp, end, to=to, factor=factor)
    if name is None:
        name = (
            f"{parameter} -> {sched.to:g}"
            if sched.to is not None
            else (f"{parameter} x {sched.factor:g}")
        )
    return Intervention(name, (sched,))


def self_soothing(
    partner: int = 1,
    to: float | None = None,
    *,
    factor: float | None = None,
    start: float = 0.0,
    ramp: float = 0.0,
    end: float | None = None,
) -> Intervention:
    """The pursuer calls off the pursuit: ``anxiety_gain_<partner>`` is lowered.

    "Pursuer: Practice Self-Soothing - Instead of escalating efforts to connect when
    feeling anxious, practice self-soothing techniques" [RRC]; "helping the pursuer
    call off the pursuit" (Lerner 2012). In the models the anxiety gain is how much the
    partner's distance can add to one's pursuit, so self-soothing lowers it
    (phenomena 7 and 8 of paper/paper.md, "Phenomena and model design"). Give ``to``
    (the new gain) or ``factor`` (< 1).

    In the full model's default couple (``entrenched-bistable``), ``to`` below about 1.75
    removes the entrenched state, so the couple returns to balanced by partner 1's
    change alone (phenomenon 7).

    Parameters
    ----------
    partner : int, default 1
        The pursuer, 1 or 2.
    to : float, optional
        The new anxiety gain.
    factor : float, optional
        The anxiety gain is multiplied by it (give ``to`` or ``factor``, not both).
    start : float, default 0.0
        When the change begins.
    ramp : float, default 0.0
        Duration of the linear change (0: abrupt); the same duration ramps back at ``end``.
    end : float, optional
        When the change is undone; never when omitted.

    Returns
    -------
    Intervention
        One `Ramp` on ``anxiety_gain_<partner>``.

    Raises
    ------
    SpecError
        (an `InvalidInputError`) for a field with an invalid value.

    Examples
    --------
    >>> from dyadmodel.simulate.interventions import self_soothing
    >>> iv = self_soothing(1, to=1.5, start=10, ramp=5)
    >>> iv.name, [c.parameter for c in iv.changes]
    ('self-soothing (partner 1)', ['anxiety_gain_1'])
    """
    owner = "self_soothing"
    p = _partner(owner, partner)
    timing = _timing(owner, start, ramp, end)
    if (to is None) == (factor is None):
        raise SpecError(owner, "to", to, "exactly one of 'to' (the new gain) and 'factor'")
    return Intervention(
        f"self-soothing (partner {p})",
        (Ramp(f"anxiety_gain_{p}", to=to, factor=factor, **timing),),
        f"partner {p} calls off the pursuit (lower anxiety gain)",
    )


def emotional_availability(
    partner: int = 2,
    *,
    avoidance_gain: float | None = None,
    openness: float | None = None,
    approach_baseline: float | None = None,
    start: float = 0.0,
    ramp: float = 0.0,
    end: float | None = None,
) -> Intervention:
    """The distancer becomes available: less avoidance and/or more approach.

    "Distancer: Practice Emotional Availability ... Small gestures of connection, like a
    text or a short conversation, can reassure the pursuer without overwhelming you"
    [RRC]; in the model, distancer emotional availability is a lower avoidance gain or a
    small regular approach (phenomenon 8 of the paper). Any of the new values can be
    given (at least one):

    - ``avoidance_gain``: the new ``avoidance_gain_<partner>`` (how much the partner's
      approach adds to one's distance);
    - ``openness``: the new ``openness_<partner>`` (extra approach offered while not
      pursued; full model only);
    - ``approach_baseline``: the new ``approach_baseline_<partner>`` (one's own bids for
      connection; full model only: the reduced model has no approach of partner 2).

    In the full model's default couple, ``avoidance_gain`` below 1.72, ``openness`` above
    1.5 or ``approach_baseline`` above 0.85 each remove the entrenched state.

    Parameters
    ----------
    partner : int, default 2
        The distancer, 1 or 2.
    avoidance_gain : float, optional
        The new ``avoidance_gain_<partner>``.
    openness : float, optional
        The new ``openness_<partner>`` (full model only).
    approach_baseline : float, optional
        The new ``approach_baseline_<partner>`` (full model only).
    start : float, default 0.0
        When the change begins.
    ramp : float, default 0.0
        Duration of the linear change (0: abrupt); the same duration ramps back at ``end``.
    end : float, optional
        When the change is undone; never when omitted.

    Returns
    -------
    Intervention
        One `Ramp` per value given.

    Raises
    ------
    SpecError
        (an `InvalidInputError`) for a field with an invalid value.

    Examples
    --------
    >>> from dyadmodel.simulate.interventions import emotional_availability
    >>> iv = emotional_availability(avoidance_gain=1.5, openness=2.0)
    >>> [c.parameter for c in iv.changes]
    ['avoidance_gain_2', 'openness_2']
    """
    owner = "emotional_availability"
    p = _partner(owner, partner)
    timing = _timing(owner, start, ramp, end)
    changes = [
        Ramp(f"{stem}_{p}", to=value, **timing)
        for stem, value in (
            ("avoidance_gain", avoidance_gain),
            ("openness", openness),
            ("approach_baseline", approach_baseline),
        )
        if value is not None
    ]
    if not changes:
        raise SpecError(
            owner,
            "avoidance_gain",
            None,
            "at least one of avoidance_gain, openness, approach_baseline",
        )
    return Intervention(
        f"emotional availability (partner {p})",
        tuple(changes),
        f"partner {p} becomes available (less avoidance / more approach)",
    )


def scheduled_checkins(
    period: float,
    duration: float,
    size: float,
    *,
    partner: int = 2,
    parameter: str | None = None,
    start: float = 0.0,
    end: float | None = None,
) -> Intervention:
    """Regular connection pulses: the distancer's own approach is raised at fixed times.

    "Schedule Check-ins - Regularly scheduled times for emotional or practical check-ins
    can help meet both partners' needs. The pursuer can feel reassured by the
    predictability of connection, and the distancer can prepare mentally" [RRC]; in the
    model, scheduled check-ins are periodic connection pulses (phenomenon 8 of the paper).

    Modelled as a periodic schedule on ``approach_baseline_<partner>`` (default partner
    2, the distancer): ``+ size`` during ``duration`` every ``period``. The pursuer is
    reassured through the model's own term (``reassurance_i``: the partner's approach
    calms pursuit), not by an extra rule. ``parameter`` overrides which parameter is
    pulsed. The reduced model has no approach of partner 2, so the default is refused
    there (pass ``parameter`` to pulse something else).

    Parameters
    ----------
    period : float
        Time between check-ins (positive).
    duration : float
        Length of each check-in, in ``(0, period]``.
    size : float
        Added to the parameter during each check-in.
    partner : int, default 2
        Whose ``approach_baseline`` is raised.
    parameter : str, optional
        Pulse this parameter instead.
    start : float, default 0.0
        The first check-in.
    end : float, optional
        No check-ins from then on; they go on when omitted.

    Returns
    -------
    Intervention
        One `PeriodicPulse`.

    Raises
    ------
    SpecError
        (an `InvalidInputError`) for a field with an invalid value.

    Notes
    -----
    A pulse only moves the approach while it lasts (it relaxes at the recovery rate), so
    short check-ins act through their average: in the full model's default couple,
    weekly one-unit check-ins (period 7, duration 1) do not undo entrenchment on their
    own even at size 4 (compare `dyadmodel.simulate.compare_interventions`).

    Examples
    --------
    >>> from dyadmodel.simulate.interventions import scheduled_checkins
    >>> iv = scheduled_checkins(7, 1, 0.5)
    >>> iv.name, iv.changes[0].parameter
    ('scheduled check-ins (partner 2)', 'approach_baseline_2')
    """
    owner = "scheduled_checkins"
    p = _partner(owner, partner)
    name = parameter if parameter is not None else f"approach_baseline_{p}"
    return Intervention(
        f"scheduled check-ins (partner {p})",
        (PeriodicPulse(name, period, duration, size, start=start, end=end),),
        f"periodic connection pulses on {name}",
    )


def regulation_skills(
    partner: int | None = None,
    *,
    recovery_factor: float = 1.0,
    gain_factor: float = 1.0,
    start: float = 0.0,
    ramp: float = 0.0,
    end: float | None = None,
) -> Intervention:
    """Emotion-regulation skills: faster recovery and/or damped reactions.

    Regulation skills as faster recovery or damping (phenomenon 8 of paper/paper.md,
    "Phenomena and model design"). For ``partner`` (1, 2 or
    None for both): ``recovery_rate_i`` is multiplied by ``recovery_factor`` (>= 1
    speeds recovery) and the partner's reaction gains (``anxiety_gain_i``,
    ``avoidance_gain_i``, those the model has) by ``gain_factor`` (<= 1 damps them).

    Parameters
    ----------
    partner : int, optional
        1 or 2; both partners when None.
    recovery_factor : float, default 1.0
        Multiplies ``recovery_rate_i`` (positive).
    gain_factor : float, default 1.0
        Multiplies ``anxiety_gain_i`` and ``avoidance_gain_i`` (non-negative).
    start : float, default 0.0
        When the change begins.
    ramp : float, default 0.0
        Duration of the linear change (0: abrupt); the same duration ramps back at ``end``.
    end : float, optional
        When the change is undone; never when omitted.

    Returns
    -------
    Intervention
        One `Ramp` per parameter changed (those the model lacks are skipped when applied).

    Raises
    ------
    SpecError
        (an `InvalidInputError`) for a field with an invalid value.

    Notes
    -----
    In both flagship models the recovery rate multiplies the partner's whole right-hand
    side, so it is a pure time scale: equilibria, and therefore which state a couple
    ends in, do not depend on it. ``recovery_factor`` alone cannot take a couple out of
    entrenchment; it only makes everything faster, escalation included (the full
    model's documentation: faster rates make a couple *easier* to tip with a stress
    pulse of given duration). Combined with an intervention that removes the entrenched
    state it shortens the recovery. Damping proper is ``gain_factor``.

    Examples
    --------
    >>> from dyadmodel.simulate.interventions import regulation_skills
    >>> iv = regulation_skills(1, gain_factor=0.8)
    >>> [c.parameter for c in iv.changes]
    ['anxiety_gain_1', 'avoidance_gain_1']
    """
    owner = "regulation_skills"
    partners = (1, 2) if partner is None else (_partner(owner, partner),)
    rf = check_real(
        owner,
        "recovery_factor",
        recovery_factor,
        low=0,
        low_inclusive=False,
        what="a ratio of rates",
    )
    gf = check_real(owner, "gain_factor", gain_factor, low=0, what="a ratio of gains")
    if rf == 1.0 and gf == 1.0:
        raise SpecError(
            owner,
            "recovery_factor",
            recovery_factor,
            "recovery_factor or gain_factor different from 1",
        )
    timing = _timing(owner, start, ramp, end)
    changes: list[Schedule] = []
    for i in partners:
        if rf != 1.0:
            changes.append(Ramp(f"recovery_rate_{i}", factor=rf, if_present=True, **timing))
        if gf != 1.0:
            for stem in ("anxiety_gain", "avoidance_gain"):
                changes.append(Ramp(f"{stem}_{i}", factor=gf, if_present=True, **timing))
    who = "both partners" if partner is None else f"partner {partners[0]}"
    return Intervention(
        f"regulation skills ({who})",
        tuple(changes),
        f"{who}: recovery x {rf:g}, gains x {gf:g}",
    )


def naming_the_cycle(
    factor: float,
    *,
    start: float = 0.0,
    ramp: float = 0.0,
    end: float | None = None,
) -> Intervention:
    """Both partners see the cycle: every anxiety and avoidance gain is scaled by ``factor``.

    "In order to truly connect with a distant or distancing partner, we need to identify
    the cycle and take steps to change it" (Lerner 2012); "A counselor helps both
    partners recognize the pattern" [RRC]. Naming the cycle is weaker coupling
    (phenomenon 8 of the paper). ``0 <= factor < 1``; gains the model does not have are
    skipped. In the full model's default couple a factor below 0.87 removes the entrenched state.

    Parameters
    ----------
    factor : float
        Multiplies every anxiety and avoidance gain, in ``[0, 1)``.
    start : float, default 0.0
        When the change begins.
    ramp : float, default 0.0
        Duration of the linear change (0: abrupt); the same duration ramps back at ``end``.
    end : float, optional
        When the change is undone; never when omitted.

    Returns
    -------
    Intervention
        One `Ramp` per gain.

    Raises
    ------
    SpecError
        (an `InvalidInputError`) for a field with an invalid value.

    Examples
    --------
    >>> from dyadmodel.simulate.interventions import naming_the_cycle
    >>> iv = naming_the_cycle(0.8)
    >>> iv.name, len(iv.changes)
    ('naming the cycle (x 0.8)', 4)
    """
    owner = "naming_the_cycle"
    f = check_real(owner, "factor", factor, low=0, high=1, what="a ratio below 1")
    if f == 1.0:
        raise SpecError(owner, "factor", factor, "a ratio below 1 (1 changes nothing)")
    timing = _timing(owner, start, ramp, end)
    changes = tuple(
        Ramp(f"{stem}_{i}", factor=f, if_present=True, **timing)
        for i in (1, 2)
        for stem in ("anxiety_gain", "avoidance_gain")
    )
    return Intervention(f"naming the cycle (x {f:g})", changes, "all reaction gains weakened")


def as_interventions(items: Any) -> tuple[Intervention, ...]:
    """Normalise the ``interventions`` argument: one `Intervention` or an iterable."""
    if items is None:
        return ()
    if isinstance(items, Intervention):
        return (items,)
    if isinstance(items, str) or not isinstance(items, Iterable):
        raise InvalidTypeError(
            f"interventions must be an Intervention or a sequence of them, not "
            f"{type(items).__name__}; build them with dm.intervention(...) or the named "
            "constructors in dyadmodel.simulate.interventions"
        )
    out = tuple(items)
    for k, iv in enumerate(out):
        if not isinstance(iv, Intervention):
            raise InvalidTypeError(
                f"interventions[{k}] is a {type(iv).__name__}, not an Intervention; build "
                "it with dm.intervention(...)"
            )
    return out
