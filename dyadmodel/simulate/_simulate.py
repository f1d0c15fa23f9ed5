"""`simulate`: one trajectory with stress inputs, interventions and events (scipy solve_ivp)."""

from __future__ import annotations

import dataclasses
import math
import numbers
import time
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Any

import numpy as np
from scipy.integrate import OdeSolution, solve_ivp
from scipy.optimize import brentq, minimize_scalar

from dyadmodel.errors import InvalidInputError, NotFoundError
from dyadmodel.model import Model, ParameterSet
from dyadmodel.simulate._checks import check_tolerances
from dyadmodel.simulate._forcing import MAX_BREAKPOINTS, Forcing, Segment
from dyadmodel.simulate.events import Event, EventRecord, as_events
from dyadmodel.simulate.interventions import Intervention, as_interventions

__all__ = [
    "EVENT_SAMPLES",
    "MAX_EVALUATIONS",
    "MAX_SECONDS",
    "STIFFNESS_CHECK_EVERY",
    "Simulation",
    "simulate",
]

EVENT_SAMPLES = 8
"""Sub-intervals per solver step on which event functions are sampled (see `simulate`)."""
MAX_EVALUATIONS = 2_000_000
"""Default budget of right-hand-side evaluations per run (about a minute for RK45 on the
two-state flagship)."""
MAX_SECONDS = 60.0
"""Default wall-clock budget of one run, in seconds."""
STIFFNESS_CHECK_EVERY = 6_000
"""With ``method="auto"``, every this many evaluations on one segment the run checks
whether RK45's steps are limited by stability rather than accuracy (stiffness)."""

_METHODS = ("auto", "RK45", "RK23", "DOP853", "Radau", "BDF", "LSODA")
_EXPLICIT = ("RK45", "RK23", "DOP853")
_IMPLICIT = ("Radau", "BDF", "LSODA")
_DIVERGENCE = 1e6


def _frozen(a: Any) -> np.ndarray:
    arr = np.array(a, dtype=float)
    arr.setflags(write=False)
    return arr


@dataclasses.dataclass(frozen=True, eq=False)
class Simulation:
    """One simulated trajectory and everything that made it.

    Attributes
    ----------
    t : ndarray, shape (k,)
        Output times: the solver's steps (including every breakpoint), or ``t_eval``.
    y : ndarray, shape (n_states, k)
        States at ``t``, in the model's state order (as in scipy).
    sol : scipy.integrate.OdeSolution
        Dense output over the integrated interval: ``sol(t)`` for any ``t`` in
        ``[t_span[0], t[-1]]`` (pieces joined at the breakpoints).
    inputs : mapping of str to ndarray
        Each input (e.g. ``stress``) at ``t``; right-continuous at jumps.
    events : tuple of EventRecord
        One record per requested event, in the order given.
    status : int
        0: reached ``t_span[1]``; 1: a terminal event stopped the run; -1: the run did
        not finish (the solver failed, a state diverged, the right-hand side was not
        finite, or a budget ran out; ``message`` says which and what to change).
    message : str
    terminated_by : str or None
        The terminal event that ended the run.
    model_name : str
    params : ParameterSet
        The base parameters (interventions act on top of them; see `params_at`).
    x0 : ndarray
    t_span : (float, float)
    stress : tuple of (str, object)
        The input specification per input name (a number, a `Stress` or a callable).
    interventions : tuple of Intervention
    breakpoints : tuple of float
        Times at which the integration was restarted.
    method : str
        The method used: the one asked for, or with ``method="auto"`` "RK45" or
        "RK45+LSODA" when stiffness was detected and the run switched (see ``notes``).
    rtol, atol : float or ndarray
    nfev : int
        Right-hand-side evaluations.
    notes : tuple of str
        What the run decided on its own (a switch of method and why).

    Examples
    --------
    >>> import dyadmodel as dm
    >>> m = dm.models.get("pursuer-distancer-2d")
    >>> run = dm.simulate(m, None, [0.1, 0.1], (0, 20), t_eval=[0, 10, 20])
    >>> run.success, run.t.tolist(), run.y.shape
    (True, [0.0, 10.0, 20.0], (2, 3))
    """

    t: np.ndarray
    y: np.ndarray
    sol: OdeSolution | None
    inputs: Mapping[str, np.ndarray]
    events: tuple[EventRecord, ...]
    status: int
    message: str
    terminated_by: str | None
    model_name: str
    params: ParameterSet
    x0: np.ndarray
    t_span: tuple[float, float]
    stress: tuple[tuple[str, Any], ...]
    interventions: tuple[Intervention, ...]
    breakpoints: tuple[float, ...]
    method: str
    rtol: Any
    atol: Any
    nfev: int
    _forcing: Forcing = dataclasses.field(repr=False)
    notes: tuple[str, ...] = ()

    @property
    def success(self) -> bool:
        """True when the run reached the end of its time span, or a terminal event,
        with every accepted step within ``rtol``/``atol`` (a terminal event counts as
        success). The tolerances bound the local error per step, as in
        `scipy.integrate.solve_ivp`, not the global error. False when the solver
        failed, a state diverged, the right-hand side was not finite or a budget
        (``max_evaluations``, ``max_seconds``) ran out: ``message`` says which."""
        return self.status >= 0

    def state(self, name: str) -> np.ndarray:
        """The trajectory of the state called ``name`` (a row of ``y``).

        Parameters
        ----------
        name : str
            A state of the model.

        Returns
        -------
        numpy.ndarray
            Its values at the output times ``t``.

        Raises
        ------
        NotFoundError
            For a name that is not a state of the model.

        Examples
        --------
        >>> import dyadmodel as dm
        >>> m = dm.models.get("pursuer-distancer-2d")
        >>> dm.simulate(m, None, [0.1, 0.1], (0, 20), t_eval=[0, 20]).state("pursuit_1").round(4)
        array([0.1   , 0.1367])
        """
        return self.y[self._forcing.model.state_index(name)]

    def event(self, name: str) -> EventRecord:
        """The record of the event called ``name``.

        Parameters
        ----------
        name : str
            The name of an event passed to `simulate`.

        Returns
        -------
        EventRecord
            Its times and states.

        Raises
        ------
        NotFoundError
            When the run has no event of that name (the message lists them).

        Examples
        --------
        >>> import dyadmodel as dm
        >>> from dyadmodel.simulate import events
        >>> m = dm.models.get("pursuer-distancer-2d")
        >>> run = dm.simulate(m, None, [1.0, 1.0], (0, 50),
        ...                   events=events.crossing_tipping_threshold(m))
        >>> run.event("tipping threshold").t.size
        0
        """
        for rec in self.events:
            if rec.name == name:
                return rec
        raise NotFoundError(
            f"no event {name!r} in this run; events: {', '.join(r.name for r in self.events)}"
        )

    def params_at(self, t: float) -> ParameterSet:
        """The parameter values in force at time ``t`` (interventions applied).

        Parameters
        ----------
        t : float
            A time within the run.

        Returns
        -------
        ParameterSet
            The base parameters with the interventions' values at ``t``.

        Examples
        --------
        >>> import dyadmodel as dm
        >>> m = dm.models.get("pursuer-distancer-2d")
        >>> run = dm.simulate(m, None, [0.1, 0.1], (0, 20),
        ...                   interventions=dm.intervention("anxiety_gain_1", to=1.0, start=5))
        >>> run.params_at(2.0)["anxiety_gain_1"], run.params_at(10.0)["anxiety_gain_1"]
        (2.0, 1.0)
        """
        model = self._forcing.model
        return model.params(dict(zip(model.parameter_names, self._forcing.parameter_vector(t))))

    def parameter_values(self, name: str, t: Any = None) -> np.ndarray:
        """The values of parameter ``name`` at ``t`` (default: the output times).

        Parameters
        ----------
        name : str
            A parameter of the model.
        t : array_like, optional
            The times; the output times ``t`` by default.

        Returns
        -------
        numpy.ndarray
            The parameter's value at each time.

        Raises
        ------
        ParameterError
            For a name that is not a parameter of the model.

        Examples
        --------
        >>> import dyadmodel as dm
        >>> m = dm.models.get("pursuer-distancer-2d")
        >>> run = dm.simulate(m, None, [0.1, 0.1], (0, 20), t_eval=[0, 10, 20],
        ...                   interventions=dm.intervention("anxiety_gain_1", to=1.0, start=5))
        >>> run.parameter_values("anxiety_gain_1")
        array([2., 1., 1.])
        """
        model = self._forcing.model
        model.parameter(name)  # raises a clear error for an unknown name
        times = self.t if t is None else np.asarray(t, dtype=float)
        return self._forcing.parameter_values(name, times)

    @property
    def varied_parameters(self) -> tuple[str, ...]:
        """Names of the parameters that interventions change in this run."""
        names = self._forcing.model.parameter_names
        return tuple(names[k] for k in self._forcing.varied)

    def to_dataframe(self):
        """The trajectory as a `pandas.DataFrame` indexed by ``t`` (pandas imported here).

        Columns: one per state (named after it), then each input at ``t`` (e.g.
        ``stress``), then each parameter that an intervention varies in this run (its
        value at ``t``). ``attrs`` holds the model, the base parameters, ``status`` and
        ``message``.

        Returns
        -------
        pandas.DataFrame
            Indexed by ``t``, with the columns above.

        Examples
        --------
        >>> import dyadmodel as dm
        >>> m = dm.models.get("pursuer-distancer-2d")
        >>> run = dm.simulate(m, None, [0.1, 0.1], (0, 5), t_eval=[0, 5])
        >>> list(run.to_dataframe().columns)
        ['pursuit_1', 'distance_2', 'stress']
        """
        from dyadmodel._display import optional_module, state_columns

        pd = optional_module("pandas", "to_dataframe()")
        model = self._forcing.model
        columns = state_columns(self.y.T, model.state_names)
        for name, values in self.inputs.items():
            columns[name] = np.broadcast_to(np.asarray(values, dtype=float), self.t.shape).copy()
        for name in self.varied_parameters:
            columns[name] = self.parameter_values(name)
        df = pd.DataFrame(columns, index=pd.Index(self.t.copy(), name="t"))
        df.attrs.update(
            model=self.model_name,
            params=self.params.as_dict(),
            status=self.status,
            message=self.message,
        )
        return df

    def _repr_html_(self) -> str:
        from dyadmodel._display import html_table

        names = self._forcing.model.state_names
        rows = [
            ["model", self.model_name],
            ["t", f"{self.t_span[0]:g} to {self.t[-1]:g} (asked: {self.t_span[1]:g})"],
            ["points", self.t.size],
            ["status", f"{self.status} ({'success' if self.success else 'failed'})"],
            ["message", self.message],
            ["method", self.method],
        ]
        if self.y.size:
            rows += [
                [f"{n} at start, end", f"{self.y[i, 0]:.6g}, {self.y[i, -1]:.6g}"]
                for i, n in enumerate(names)
            ]
        rows += [["note", n] for n in self.notes]
        return html_table(["Simulation", ""], rows, note="to_dataframe() gives every point")

    def __repr__(self) -> str:
        end = ", ".join(f"{v:.6g}" for v in self.y[:, -1]) if self.y.size else ""
        return (
            f"Simulation({self.model_name!r}, t=[{self.t_span[0]:g}, {self.t[-1]:g}], "
            f"{self.t.size} points, status={self.status}, final=[{end}])"
        )


class _Stop(Exception):
    """Raised from the right-hand side to end a solver call early."""

    def __init__(self, t: float, y: np.ndarray, what: str = "") -> None:
        self.t, self.y, self.what = float(t), np.array(y, dtype=float), what


class _Budget(_Stop):
    """``what`` is "evaluations" or "time"."""


class _NonFinite(_Stop):
    """The right-hand side was not finite (or overflowed) at ``(t, y)``."""


class _Stiff(_Stop):
    """RK45 is limited by stability (``what`` says why): switch to LSODA."""


class _Counter:
    """Evaluation count, budgets and the stiffness watch shared by every segment."""

    def __init__(self, budget: int, deadline: float, watch: Any) -> None:
        self.nfev = 0
        self.budget = budget
        self.deadline = deadline
        self.watch = watch  # None, or a callable(t, y, counter) raising _Stiff
        self.mark_nfev = 0
        self.mark_t = math.nan

    def tick(self, t: float, y: np.ndarray) -> None:
        self.nfev += 1
        if self.nfev > self.budget:
            raise _Budget(t, y, "evaluations")
        if self.nfev & 255 == 0:
            if time.monotonic() > self.deadline:
                raise _Budget(t, y, "time")
            if self.watch is not None and self.nfev - self.mark_nfev >= STIFFNESS_CHECK_EVERY:
                self.watch(t, y, self)


def simulate(
    model: Model,
    params: ParameterSet | Mapping[str, Any] | None,
    x0: Any,
    t: tuple[float, float],
    stress: Any = None,
    interventions: Intervention | Sequence[Intervention] = (),
    events: Event | Sequence[Any] = (),
    *,
    t_eval: Any = None,
    rtol: float = 1e-8,
    atol: Any = 1e-10,
    method: str = "auto",
    max_step: float | None = None,
    max_evaluations: int = MAX_EVALUATIONS,
    max_seconds: float | None = MAX_SECONDS,
    max_breakpoints: int = MAX_BREAKPOINTS,
) -> Simulation:
    """Integrate one trajectory under time-varying stress and interventions.

    Parameters
    ----------
    model : Model
        The model.
    params : ParameterSet or mapping or None
        Base parameter values (validated by the model; defaults when None).
    x0 : array_like, shape (n_states,)
        The initial state, shape ``(n_states,)``.
    t : (float, float)
        Start and end time, ``t[1] > t[0]``.
    stress : None, float, Stress, callable or mapping, optional
        The input over time for a one-input model: a number (constant), a
        `dyadmodel.simulate.stress` input (``pulse``, ``step``, ``periodic``,
        ``piecewise_linear`` or a sum), or a function ``s(t)``; for several inputs a
        mapping from input name to one of these. Default: the inputs' defaults (no
        stress).
    interventions : Intervention or sequence of Intervention
        Parameter schedules (`dyadmodel.simulate.interventions`), applied in order.
    events : Event, callable or sequence of them
        Zero crossings to locate (`dyadmodel.simulate.events`); plain functions
        ``g(t, x)`` are wrapped with `dyadmodel.simulate.events.event`.
    t_eval : array_like, optional
        Output times (sorted, within ``t``); default: the solver's steps.
    rtol, atol : float
        Tolerances passed to `scipy.integrate.solve_ivp` (``atol`` may be per state).
        Accepted: ``rtol`` in [2.2e-14, 0.1] and ``atol`` in (0, 1]; anything else
        raises `ToleranceError` (a looser tolerance lets the solver report success far
        from the solution).
    method : str
        "auto" (default): RK45, switched to LSODA (with the model's exact Jacobian) when
        RK45's steps turn out to be limited by stability rather than accuracy, i.e. the
        problem is stiff there (checked every `STIFFNESS_CHECK_EVERY` evaluations; the
        segment is then integrated again from its start, and ``notes`` says so). Short
        runs are never switched, so "auto" gives RK45's results. Or a fixed
        `solve_ivp` method: "RK45", "RK23", "DOP853", or for stiff models "Radau",
        "BDF", "LSODA" (given the model's exact Jacobian).
    max_step : float, optional
        Largest step; default unbounded (breakpoints are honoured regardless).
    max_evaluations : int
        Budget of right-hand-side evaluations (default `MAX_EVALUATIONS`, 2,000,000);
        when it runs out the run ends with status -1 and a message saying what to change.
    max_seconds : float or None
        Wall-clock budget (default `MAX_SECONDS`, 60 s; None for none), ending the run
        the same way.
    max_breakpoints : int
        Budget of breakpoints (solver restarts) from stress inputs and interventions
        (default 100,000); more raise `BudgetExceededError` before anything runs.

    Returns
    -------
    Simulation
        Does not raise on solver failure: ``status = -1`` and ``message`` says what
        happened and what to change.

    Raises
    ------
    ParameterError
        Bad parameters, or an intervention that would take a parameter outside its
        bounds (the message names the intervention, the parameter and the value).
    ToleranceError
        ``rtol`` or ``atol`` outside the accepted range.
    InvalidInputError
        Bad ``x0``, ``t``, ``t_eval`` or budgets, or a stress value outside its
        input's bounds (e.g. negative stress for the flagship models; for a plain
        function of time this is found, and raised, during the run).
    InvalidTypeError, NotFoundError
        A stress or method of the wrong kind, or an unknown input name.
    BudgetExceededError
        More breakpoints than ``max_breakpoints``.

    Notes
    -----
    **Breakpoints.** Stress inputs and intervention schedules list the times where they
    (or their slopes) jump. The interval is cut there and `solve_ivp` is restarted on
    each piece, with the inputs and parameters of that piece as smooth functions
    (one-sided values at the ends). An adaptive solver therefore never steps over a
    short pulse, whatever ``max_step``. A stress given as a plain function has no known
    breakpoints: its jumps may be stepped over unless ``max_step`` is small.

    **Time-varying parameters** are substituted into the compiled right-hand side at
    every evaluation (parameter vectors are built once per piece when constant there).

    **Events.** Crossings are searched on ``EVENT_SAMPLES`` sub-intervals of every
    solver step, using the dense output, and located with Brent's method on it, so
    their accuracy is that of the dense output (about ``rtol``). Between two samples, a
    local extremum of ``g`` whose value has the other sign reveals a pair of crossings
    that fall between the samples; both are reported. Crossings closer together than
    the sample spacing whose ``g`` is not unimodal between samples can still be missed.
    A terminal event ends the run at its first crossing; the solver may have computed
    (and discarded) a little beyond it.

    **Divergence.** The run stops with status -1 when a state exceeds ``1e6`` times the
    model's domain scale, or as soon as the right-hand side is not finite (for instance
    at ``stress = 1e300``, where the Hill terms overflow); the message names the state,
    the inputs and the parameters involved.

    Examples
    --------
    >>> import dyadmodel as dm
    >>> from dyadmodel.simulate import simulate, stress
    >>> m = dm.models.get("pursuer-distancer-2d")
    >>> run = simulate(m, m.params(), [0.1367, 0.1367], t=(0, 60),
    ...                stress=stress.pulse(10, 5, 0.5))
    >>> run.status, [round(float(v), 4) for v in run.y[:, -1]]  # tipped and stays
    (0, [1.4633, 1.4633])
    >>> run.breakpoints
    (10.0, 15.0)
    """
    pset = model.parameter_set(params)
    y0 = _initial_state(model, x0)
    t0, t1 = _span(t)
    rtol, atol = check_tolerances(rtol, atol, model.n_states)
    if not (isinstance(method, str) and method in _METHODS):
        raise InvalidInputError(f"method = {method!r} is not one of {', '.join(_METHODS)}")
    if max_step is None:
        max_step_value = math.inf
    else:
        if not _positive(max_step):
            raise InvalidInputError(f"max_step = {max_step!r} must be a positive number or None")
        max_step_value = float(max_step)
    max_evaluations = _budget_int("max_evaluations", max_evaluations)
    max_breakpoints = _budget_int("max_breakpoints", max_breakpoints)
    if max_seconds is not None and not _positive(max_seconds):
        raise InvalidInputError(f"max_seconds = {max_seconds!r} must be a positive number or None")
    teval = _t_eval(t_eval, t0, t1)

    forcing = Forcing(model, pset, stress, as_interventions(interventions))
    bps = forcing.breakpoints(t0, t1, max_breakpoints)
    forcing.check_inputs(t0, t1, max_breakpoints)
    evs = as_events(events)
    g_fns = [ev.build(model, pset) for ev in evs]
    edges = [t0, *bps, t1]
    segments = forcing.segments(edges)
    scale = max(1.0, float(np.max(np.abs(np.asarray(model.domain, dtype=float)))))
    bound = _DIVERGENCE * scale

    fn = model._rhs_fn
    jfn = model._jac_fn
    n = model.n_states
    auto = method == "auto"
    current = "RK45" if auto else method
    notes: list[str] = []
    deadline = time.monotonic() + (math.inf if max_seconds is None else float(max_seconds))
    counter = _Counter(max_evaluations, deadline, None)

    ts_all: list[np.ndarray] = []
    interps: list[Any] = []
    step_t: list[np.ndarray] = []
    step_y: list[np.ndarray] = []
    roots: list[list[tuple[float, np.ndarray]]] = [[] for _ in evs]
    status, message, terminated_by = 0, "", None
    y = y0
    k_seg = 0
    while k_seg < len(segments):
        a, b = edges[k_seg], edges[k_seg + 1]
        seg = segments[k_seg]
        rhs = _rhs(fn, seg, counter)
        counter.mark_nfev, counter.mark_t = counter.nfev, a
        counter.watch = (
            _stiffness_watch(model, jfn, seg, b) if auto and current in _EXPLICIT else None
        )
        kwargs: dict[str, Any] = {}
        if current in _IMPLICIT:
            kwargs["jac"] = _jac(jfn, seg, n)
        sc_events = _scipy_events(evs, g_fns, bound)
        try:
            with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
                sol = solve_ivp(
                    rhs,
                    (a, b),
                    y,
                    method=current,
                    rtol=rtol,
                    atol=atol,
                    max_step=max_step_value,
                    dense_output=True,
                    events=sc_events,
                    **kwargs,
                )
        except _Stiff as stiff:
            notes.append(
                f"RK45 was limited by stability, not accuracy, at t = {stiff.t:.6g} "
                f"({stiff.what}): the problem is stiff there, so the run switched to LSODA "
                f"(with the exact Jacobian) from t = {a:.6g}."
            )
            current = "LSODA"
            continue  # the same segment again, from its start
        except _Stop as stop:
            status = -1
            if isinstance(stop, _NonFinite):
                message = _nonfinite_message(model, pset, seg, stop)
            else:
                message = _budget_message(
                    model, current, max_evaluations, max_seconds, stop, seg, jfn
                )
            if not step_t:  # nothing accepted before the run stopped: keep the start
                step_t.append(np.array([a]))
                step_y.append(y[:, None])
            break
        except (ArithmeticError, np.linalg.LinAlgError) as err:
            # an implicit method's linear algebra on a non-finite Jacobian, or overflow
            # inside scipy: an honest failure, not a traceback
            status = -1
            message = (
                f"{current} failed on t = [{a:.6g}, {b:.6g}] ({type(err).__name__}: {err}); "
                "the right-hand side or its Jacobian overflowed. Check the parameters "
                f"({_involved_all(model, pset)}) or shorten the time span."
            )
            if not step_t:
                step_t.append(np.array([a]))
                step_y.append(y[:, None])
            break
        dense = sol.sol
        t_stop = None
        if sol.status == 1 and sol.t_events[-1].size:
            status = -1
            message = _divergence_message(model, pset, sol.t_events[-1][0], sol.y[:, -1], bound)
            t_stop = float(sol.t[-1])
        elif sol.status == -1 or not np.all(np.isfinite(sol.y[:, -1])):
            status = -1
            message = _failure_message(model, pset, current, sol, seg, jfn)
        # events on this piece
        if evs and dense is not None and sol.t.size > 1:
            found = _scan_events(dense, sol.t, evs, g_fns, sol if sol.status == 1 else None)
            first_terminal = None
            for k, ev in enumerate(evs):
                for tr in found[k]:
                    if ev.terminal and (first_terminal is None or tr < first_terminal[0]):
                        first_terminal = (tr, k)
            if first_terminal is not None and (t_stop is None or first_terminal[0] <= t_stop):
                t_stop = first_terminal[0]
                k_term = first_terminal[1]
                if status != -1:
                    status = 1
                    terminated_by = evs[k_term].name
                    message = (
                        f"A terminal event occurred: {evs[k_term].name!r} at t = {t_stop:.9g}."
                    )
            for k, ev in enumerate(evs):
                for tr in found[k]:
                    if t_stop is None or tr <= t_stop + 1e-12 * max(1.0, abs(t_stop)):
                        roots[k].append((tr, np.asarray(dense(tr), dtype=float)))
                        if ev.terminal:
                            break
        # keep the piece (truncated at a stop)
        ts = np.asarray(dense.ts if dense is not None else sol.t, dtype=float)
        pieces = list(dense.interpolants) if dense is not None else []
        st, sy = sol.t, sol.y
        if t_stop is not None and dense is not None and ts.size > 1:
            keep = int(np.searchsorted(ts, t_stop, side="left"))
            keep = max(keep, 1)
            ts = np.append(ts[:keep], t_stop)
            pieces = pieces[:keep]
            mask = st < t_stop
            st = np.append(st[mask], t_stop)
            sy = np.column_stack([sy[:, mask], dense(t_stop)])
        if ts.size > 1 and ts[-1] > ts[0]:
            ts_all.append(ts if not ts_all else ts[1:])
            interps.extend(pieces)
        step_t.append(st if not step_t else st[1:])
        step_y.append(sy if not step_y else sy[:, 1:])
        y = sy[:, -1]
        if status != 0 or t_stop is not None:
            break
        k_seg += 1
    if status == 0:
        message = "The solver successfully reached the end of the integration interval."

    t_steps = np.concatenate(step_t)
    y_steps = np.concatenate(step_y, axis=1)
    dense_all = None
    if interps:
        dense_all = OdeSolution(np.concatenate(ts_all), interps)
    if teval is not None:
        t_end = t_steps[-1]
        t_out = teval[teval <= t_end]
        y_out = (
            np.asarray(dense_all(t_out), dtype=float).reshape(n, -1)
            if dense_all is not None and t_out.size
            else np.empty((n, 0))
        )
        if dense_all is None and t_out.size:  # nothing integrated (failure at once)
            t_out = t_out[:1]
            y_out = y0[:, None]
    else:
        t_out, y_out = t_steps, y_steps
    records = tuple(
        EventRecord(
            name=ev.name,
            t=_frozen([r[0] for r in roots[k]]),
            y=_frozen(np.array([r[1] for r in roots[k]]).T if roots[k] else np.empty((n, 0))),
            terminal=ev.terminal,
        )
        for k, ev in enumerate(evs)
    )
    samples = forcing.input_values(np.asarray(t_out, dtype=float))
    for v in samples.values():
        v.setflags(write=False)
    return Simulation(
        t=_frozen(t_out),
        y=_frozen(y_out),
        sol=dense_all,
        inputs=MappingProxyType(samples),
        events=records,
        status=status,
        message=message,
        terminated_by=terminated_by,
        model_name=model.name,
        params=pset,
        x0=_frozen(y0),
        t_span=(t0, t1),
        stress=tuple(zip(model.input_names, forcing.input_specs)),
        interventions=forcing.interventions,
        breakpoints=tuple(bps),
        method="RK45+LSODA" if auto and current != "RK45" else current,
        rtol=rtol,
        atol=atol,
        nfev=counter.nfev,
        _forcing=forcing,
        notes=tuple(notes),
    )


# -- right-hand side -------------------------------------------------------------------
def _rhs(fn: Any, seg: Segment, counter: _Counter) -> Any:
    if seg.constant:
        pv, uv = seg.params(0.0), seg.inputs(0.0)

        def f(t: float, y: np.ndarray) -> np.ndarray:
            counter.tick(t, y)
            try:
                vals = fn(*y, *pv, *uv)
                total = sum(vals)
            except (ArithmeticError, ValueError):  # overflow in a Python-float power
                raise _NonFinite(t, y) from None
            if total - total != 0:  # inf or nan somewhere (cheaper than np.isfinite)
                raise _NonFinite(t, y)
            return np.array(vals, dtype=float)

    else:

        def f(t: float, y: np.ndarray) -> np.ndarray:
            counter.tick(t, y)
            try:
                vals = fn(*y, *seg.params(t), *seg.inputs(t))
                total = sum(vals)
            except (ArithmeticError, ValueError):
                raise _NonFinite(t, y) from None
            if total - total != 0:  # inf or nan somewhere (cheaper than np.isfinite)
                raise _NonFinite(t, y)
            return np.array(vals, dtype=float)

    return f


def _stiffness_watch(model: Model, jfn: Any, seg: Segment, t_end: float) -> Any:
    """A check, run every `STIFFNESS_CHECK_EVERY` evaluations of an explicit method,
    that raises `_Stiff` when the steps are limited by stability: the mean step ``h``
    since the last check times the Jacobian's spectral radius is at least 1 (accuracy
    alone keeps ``h * |lambda|`` far below that at the default tolerances), and much of
    the segment is left."""

    def watch(t: float, y: np.ndarray, counter: _Counter) -> None:
        evaluations = counter.nfev - counter.mark_nfev
        h = (t - counter.mark_t) / max(evaluations / 6.0, 1.0)
        counter.mark_nfev, counter.mark_t = counter.nfev, t
        if not (np.all(np.isfinite(y)) and h > 0):
            return
        try:
            with np.errstate(all="ignore"):
                jac = np.array(jfn(*y, *seg.params(t), *seg.inputs(t)), dtype=float)
                lam = np.linalg.eigvals(jac.reshape(model.n_states, model.n_states))
        except (ArithmeticError, ValueError, np.linalg.LinAlgError):
            return
        radius = float(np.max(np.abs(lam))) if np.all(np.isfinite(lam)) else math.nan
        remaining_steps = (t_end - t) / h
        if radius * h >= 1.0 and remaining_steps > STIFFNESS_CHECK_EVERY:
            raise _Stiff(
                t,
                y,
                f"mean step {h:.3g} against the fastest time scale {1 / radius:.3g}, with "
                f"about {remaining_steps:.3g} steps of that size left",
            )

    return watch


def _jac(jfn: Any, seg: Segment, n: int) -> Any:
    def jac(t: float, y: np.ndarray) -> np.ndarray:
        return np.array(jfn(*y, *seg.params(t), *seg.inputs(t)), dtype=float).reshape(n, n)

    return jac


# -- events ------------------------------------------------------------------------------
def _scipy_events(evs: Sequence[Event], g_fns: Sequence[Any], bound: float) -> list[Any]:
    """Terminal events go to scipy as well (to stop early); the divergence guard last."""
    out = []
    for ev, g in zip(evs, g_fns):
        if not ev.terminal:
            continue

        def sc(t: float, y: np.ndarray, g: Any = g) -> float:
            return float(g(t, y))

        sc.terminal = True
        sc.direction = ev.direction
        out.append(sc)

    def diverged(t: float, y: np.ndarray) -> float:
        m = float(np.max(np.abs(y)))
        return m - bound if math.isfinite(m) else 1.0

    diverged.terminal = True
    diverged.direction = 1
    out.append(diverged)
    return out


def _scan_events(
    dense: OdeSolution,
    steps: np.ndarray,
    evs: Sequence[Event],
    g_fns: Sequence[Any],
    stopped: Any,
) -> list[list[float]]:
    """All crossings of each event on one piece, sorted (see `simulate`, Notes)."""
    h = np.diff(steps)
    frac = np.arange(EVENT_SAMPLES) / EVENT_SAMPLES
    grid = np.append((steps[:-1, None] + h[:, None] * frac[None, :]).ravel(), steps[-1])
    states = np.asarray(dense(grid), dtype=float).reshape(-1, grid.size)
    out: list[list[float]] = []
    sc_index = 0
    for ev, g in zip(evs, g_fns):
        if ev.vectorized:
            values = np.asarray(g(grid, states), dtype=float).reshape(grid.size)
        else:
            values = np.array([float(g(tk, states[:, k])) for k, tk in enumerate(grid)])

        def gt(tt: float, g: Any = g) -> float:
            return float(g(tt, np.asarray(dense(tt), dtype=float)))

        found = _crossings(grid, values, gt, ev.direction)
        if ev.terminal and stopped is not None:
            te = stopped.t_events[sc_index]
            found.extend(float(x) for x in te)
        if ev.terminal:
            sc_index += 1
        out.append(_dedupe(sorted(found)))
    return out


def _crossings(grid: np.ndarray, g: np.ndarray, gt: Any, direction: int) -> list[float]:
    found: list[float] = []

    def want(rising: bool) -> bool:
        return direction == 0 or (direction > 0) == rising

    for k in range(grid.size - 1):
        ga, gb = g[k], g[k + 1]
        if not (np.isfinite(ga) and np.isfinite(gb)):
            continue
        if ga == 0:
            continue
        if gb == 0:
            if want(ga < 0):
                found.append(float(grid[k + 1]))
            continue
        if (ga < 0) != (gb < 0):
            if want(ga < 0):
                found.append(_root(gt, grid[k], grid[k + 1]))
            continue
        # a local extremum of g at a sample, toward zero: look for a hidden pair
        if 0 < k and g[k - 1] != 0 and (g[k - 1] < 0) == (ga < 0):
            if abs(ga) < abs(g[k - 1]) and abs(ga) <= abs(gb):
                sgn = 1.0 if ga > 0 else -1.0
                lo, hi = float(grid[k - 1]), float(grid[k + 1])
                res = minimize_scalar(
                    lambda tt, sgn=sgn: sgn * gt(tt),
                    bounds=(lo, hi),
                    method="bounded",
                    options={"xatol": 1e-12 * max(1.0, abs(hi))},
                )
                if res.fun < 0:  # g changes sign at its extremum
                    tm = float(res.x)
                    first, second = _root(gt, lo, tm), _root(gt, tm, hi)
                    if want(sgn < 0):  # g leaves its sign first: rising when it was < 0
                        found.append(first)
                    if want(sgn > 0):
                        found.append(second)
    return found


def _root(gt: Any, a: float, b: float) -> float:
    try:
        return float(brentq(gt, a, b, xtol=1e-13 * max(1.0, abs(b)), rtol=4 * np.finfo(float).eps))
    except ValueError:  # no sign change after all (rounding): the nearer end
        return float(a if abs(gt(a)) <= abs(gt(b)) else b)


def _dedupe(times: list[float]) -> list[float]:
    out: list[float] = []
    for x in times:
        if not out or x - out[-1] > 1e-9 * max(1.0, abs(x)):
            out.append(x)
    return out


# -- messages ----------------------------------------------------------------------------
def _involved(model: Model, i: int, params: ParameterSet) -> str:
    syms = {s.name for s in model.rhs_expr[i].free_symbols}
    names = [p for p in model.parameter_names if p in syms]
    return ", ".join(f"{p} = {params[p]:g}" for p in names) or "no parameters"


def _divergence_message(
    model: Model, params: ParameterSet, t: float, y: np.ndarray, bound: float | None
) -> str:
    y = np.asarray(y, dtype=float)
    size = np.where(np.isfinite(y), np.abs(y), np.inf)
    i = int(np.argmax(size))
    name = model.state_names[i]
    what = f"|{name}| exceeded {bound:g}" if bound is not None else f"{name} = {y[i]:.3g}"
    return (
        f"state {name!r} diverged: {what} at t = {t:.6g}. Its equation "
        f"involves {_involved(model, i, params)}; check these values (a runaway means "
        "feedback without saturation or a parameter outside its intended range), or "
        "shorten the time span."
    )


def _spectrum(
    model: Model, jfn: Any, seg: Segment, t: float, y: np.ndarray
) -> tuple[float, float] | None:
    """(smallest, largest) modulus of the Jacobian eigenvalues' real parts at (t, y)."""
    try:
        with np.errstate(all="ignore"):
            jac = np.array(jfn(*y, *seg.params(t), *seg.inputs(t)), dtype=float).reshape(
                model.n_states, model.n_states
            )
            lam = np.abs(np.linalg.eigvals(jac).real)
    except (ValueError, ZeroDivisionError, np.linalg.LinAlgError):
        return None
    if not np.all(np.isfinite(lam)) or lam.max() == 0:
        return None
    return float(lam.min()), float(lam.max())


def _stiffness_text(spec: tuple[float, float] | None, t: float) -> str:
    if spec is None:
        return ""
    lo, hi = spec
    ratio = hi / max(lo, 1e-300)
    return (
        f" At t = {t:.6g} the Jacobian's eigenvalues have real parts from {lo:.3g} to "
        f"{hi:.3g} in modulus (stiffness ratio {ratio:.3g})."
    )


def _state_text(model: Model, y: np.ndarray) -> str:
    return ", ".join(f"{n} = {v:.4g}" for n, v in zip(model.state_names, y))


def _failure_message(
    model: Model, params: ParameterSet, method: str, sol: Any, seg: Segment, jfn: Any
) -> str:
    t_fail, y_fail = float(sol.t[-1]), sol.y[:, -1]
    if not np.all(np.isfinite(y_fail)) or float(np.max(np.abs(y_fail))) > 1e3 * max(
        1.0, float(np.max(np.abs(np.asarray(model.domain, dtype=float))))
    ):
        return _divergence_message(model, params, t_fail, y_fail, None)
    head = (
        f"{method} failed at t = {t_fail:.6g} ({_state_text(model, y_fail)}): "
        f"{str(sol.message).rstrip('.')}."
    )
    spec = _spectrum(model, jfn, seg, t_fail, y_fail)
    span = max(abs(t_fail), 1.0)
    if spec is not None and spec[1] / max(spec[0], 1e-300) >= 1e3 and method not in _IMPLICIT:
        advice = (
            " The problem is stiff there: try method='LSODA' or method='Radau' (implicit "
            "methods use the model's exact Jacobian)."
        )
    elif spec is not None and spec[1] * span > 1e8:
        advice = (
            f" The right-hand side is extremely steep there (fastest time scale "
            f"{1 / spec[1]:.3g}): the solution seems to run into a singularity of the "
            f"model; check the parameters ({_involved_all(model, params)}) or end the run "
            "earlier."
        )
    else:
        advice = (
            " Try smaller rtol/atol or a max_step; if the problem is stiff, "
            "method='LSODA' or method='Radau'."
        )
    return head + _stiffness_text(spec, t_fail) + advice


def _involved_all(model: Model, params: ParameterSet) -> str:
    return ", ".join(f"{p} = {params[p]:g}" for p in model.parameter_names)


def _budget_message(
    model: Model,
    method: str,
    budget: int,
    seconds: float | None,
    stop: _Stop,
    seg: Segment,
    jfn: Any,
) -> str:
    y = stop.y
    spec = _spectrum(model, jfn, seg, stop.t, y) if np.all(np.isfinite(y)) else None
    hint = _stiffness_text(spec, stop.t)
    if stop.what == "time":
        what = f"The time budget (max_seconds = {seconds:g}) ran out at t = {stop.t:.6g}."
        raise_it = "raise max_seconds"
    else:
        what = (
            f"The maximum number of right-hand-side evaluations ({budget}) was reached at "
            f"t = {stop.t:.6g} ({method} needs more steps than allowed)."
        )
        raise_it = "raise max_evaluations"
    advice = (
        f"if the problem is stiff, try method='LSODA' or method='Radau'; otherwise {raise_it} "
        "or shorten the time span"
        if method not in _IMPLICIT
        else f"{raise_it}, loosen rtol/atol or shorten the time span"
    )
    return (
        f"{what}{hint} {advice}. The trajectory is returned up to the last restart "
        "before that time."
    )


def _nonfinite_message(model: Model, params: ParameterSet, seg: Segment, stop: _Stop) -> str:
    y = stop.y
    inputs = ", ".join(
        f"{name} = {v:.3g}" for name, v in zip(model.input_names, seg.inputs(stop.t))
    )
    where = _state_text(model, y) if np.all(np.isfinite(y)) else "a non-finite state"
    return (
        f"The right-hand side is not finite (overflow) at t = {stop.t:.6g} ({where}"
        f"{'; ' + inputs if inputs else ''}). The model cannot be evaluated there: check "
        f"the inputs and parameters ({_involved_all(model, params)}), or end the run "
        "earlier. The trajectory is returned up to the last restart before that time."
    )


# -- argument checks ---------------------------------------------------------------------
def _positive(v: Any) -> bool:
    return isinstance(v, numbers.Real) and not isinstance(v, bool) and math.isfinite(v) and v > 0


def _budget_int(name: str, v: Any) -> int:
    if isinstance(v, bool) or not isinstance(v, numbers.Integral) or v < 1:
        raise InvalidInputError(f"{name} = {v!r} must be a positive integer")
    return int(v)


def _initial_state(model: Model, x0: Any) -> np.ndarray:
    try:
        arr = np.array(x0, dtype=float)
    except (TypeError, ValueError, OverflowError):
        raise InvalidInputError(f"x0 = {x0!r:.80} is not an array of numbers") from None
    if arr.shape != (model.n_states,):
        raise InvalidInputError(
            f"x0 must have shape ({model.n_states},) for model {model.name!r} (states "
            f"{', '.join(model.state_names)}); got shape {arr.shape}"
        )
    if not np.all(np.isfinite(arr)):
        raise InvalidInputError(f"x0 = {arr.tolist()} is not finite")
    return arr


def _span(t: Any) -> tuple[float, float]:
    try:
        t0, t1 = t
    except (TypeError, ValueError):
        raise InvalidInputError(f"t = {t!r:.80} must be a pair (t0, t1)") from None
    for name, v in (("t0", t0), ("t1", t1)):
        if isinstance(v, bool) or not isinstance(v, numbers.Real):
            raise InvalidInputError(f"t = {t!r:.80}: {name} = {v!r:.40} must be a finite number")
        try:
            finite = math.isfinite(v)
        except OverflowError:
            finite = False
        if not finite:
            raise InvalidInputError(f"t = {t!r:.80}: {name} = {v!r:.40} must be a finite number")
    if not t1 > t0:
        raise InvalidInputError(f"t = {t!r:.80}: the end time must be after the start time")
    return float(t0), float(t1)


def _t_eval(t_eval: Any, t0: float, t1: float) -> np.ndarray | None:
    if t_eval is None:
        return None
    try:
        arr = np.asarray(t_eval, dtype=float)
    except (TypeError, ValueError, OverflowError):
        raise InvalidInputError("t_eval must be a non-empty 1-D array of finite times") from None
    if arr.ndim != 1 or arr.size == 0 or not np.all(np.isfinite(arr)):
        raise InvalidInputError("t_eval must be a non-empty 1-D array of finite times")
    if np.any(np.diff(arr) <= 0):
        raise InvalidInputError("t_eval must be strictly increasing")
    if arr[0] < t0 or arr[-1] > t1:
        raise InvalidInputError(
            f"t_eval runs from {arr[0]:g} to {arr[-1]:g}, outside the time span [{t0:g}, {t1:g}]"
        )
    return arr
