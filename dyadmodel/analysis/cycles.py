"""Periodic orbits (limit cycles) and where single trajectories end up.

`limit_cycle` finds a periodic orbit by single shooting: Newton's method on the return
map, with the monodromy matrix from the variational equations (exact derivatives from
the model's symbolic Jacobian), and reports the Floquet multipliers that decide the
cycle's stability. In the pursuer–distancer family, cycles are the pursue–withdraw
oscillations of phenomenon 5 (paper/paper.md, "Phenomena and model design").

`classify_trajectory` integrates one trajectory and says whether it settled on an
equilibrium (which one), on a periodic orbit (with a period from Poincaré-section
returns), diverged, or is undecided within the time allowed.
"""

from __future__ import annotations

import dataclasses
import numbers
import warnings
from collections.abc import Mapping
from typing import Any

import numpy as np
from scipy.integrate import solve_ivp
from scipy.optimize import brentq

from dyadmodel.analysis._checks import check_model, float_array, positive_real, show
from dyadmodel.analysis._roots import polish_equilibrium
from dyadmodel.errors import ComputationError, InvalidInputError, InvalidTypeError, ToleranceError
from dyadmodel.model import Model, ParameterSet

__all__ = [
    "LimitCycle",
    "LimitCycleError",
    "LimitCycleOptions",
    "TrajectoryOptions",
    "TrajectoryOutcome",
    "classify_trajectory",
    "limit_cycle",
]

_IMPLICIT = ("Radau", "BDF", "LSODA")


class LimitCycleError(ComputationError):
    """Shooting for a periodic orbit failed; the message names the model, the
    parameters and what to change. ``result`` holds the last (unconverged) iterate.

    Examples
    --------
    >>> from dyadmodel.analysis import LimitCycleError
    >>> import dyadmodel as dm
    >>> m = dm.models.get("strogatz-linear")
    >>> try:
    ...     dm.limit_cycle(m, m.params(a=-1.0, b=0.0, c=0.0, d=-1.0), [1.0, 1.0])
    ... except LimitCycleError as err:
    ...     print(isinstance(err, dm.ComputationError))
    True
    """

    def __init__(self, message: str, result: LimitCycle | None = None) -> None:
        super().__init__(message)
        self.result = result


@dataclasses.dataclass(frozen=True)
class LimitCycleOptions:
    """Settings of `limit_cycle`. Lengths are relative to ``L``, the largest side of
    the model's domain box.

    Attributes
    ----------
    rtol, atol : float
        `solve_ivp` tolerances for the orbit and its variational equations (``atol`` is
        multiplied by ``L``).
    method : str
        `solve_ivp` method; "Radau" for stiff relaxation oscillations.
    newton_tol : float
        Converged when ``|x(T) - x(0)| <= newton_tol * L`` and the last Newton update is
        below the same bound.
    max_newton : int
        Newton iterations before giving up.
    search_time : float
        Without ``period_guess``: how long (model time units) to integrate from the guess
        while collecting returns to a Poincaré section, to estimate the period.
    n_points : int
        The returned orbit has ``n_points + 1`` points, equally spaced in time, the last
        one closing the orbit.
    multiplier_tol : float
        A nontrivial Floquet multiplier with ``| |mu| - 1 | <= multiplier_tol`` makes
        the stability verdict inconclusive (``stable = None``).
    raise_on_failure : bool
        Raise `LimitCycleError` when Newton's method fails or ends on an equilibrium
        (default); otherwise return the last iterate with ``converged = False``. Failures
        before shooting starts (no return to the section, a guess at an equilibrium)
        always raise: there is no iterate to return.

    Raises
    ------
    InvalidInputError
        For an argument with an invalid value (the message names it and what was expected).
    ToleranceError
        For a tolerance outside its admissible range.

    Examples
    --------
    >>> from dyadmodel.analysis import LimitCycleOptions
    >>> LimitCycleOptions(rtol=1e-9).rtol
    1e-09
    """

    rtol: float = 1e-11
    atol: float = 1e-12
    method: str = "DOP853"
    newton_tol: float = 1e-9
    max_newton: int = 30
    search_time: float = 200.0
    n_points: int = 400
    multiplier_tol: float = 1e-6
    raise_on_failure: bool = True

    def __post_init__(self) -> None:
        for name in ("rtol", "atol", "newton_tol", "search_time", "multiplier_tol"):
            _check_positive(f"LimitCycleOptions.{name}", getattr(self, name))
        _check_solver("LimitCycleOptions", self.rtol, self.method)
        for name in ("max_newton", "n_points"):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, numbers.Integral) or v < 1:
                raise InvalidInputError(
                    f"LimitCycleOptions.{name} = {v!r} must be a positive integer"
                )


@dataclasses.dataclass(frozen=True, eq=False)
class LimitCycle:
    """A periodic orbit and its stability.

    Attributes
    ----------
    state : ndarray, shape (n_states, n_points + 1)
        Points along one period, equally spaced in time; ``state[:, -1]`` returns to
        ``state[:, 0]`` up to the shooting tolerance. The phase (which point is first)
        is fixed by the Poincaré section used for shooting and has no meaning.
    t : ndarray, shape (n_points + 1,)
        Times from 0 to ``period``.
    period : float
    floquet_multipliers : ndarray of complex, shape (n_states,)
        Eigenvalues of the monodromy matrix, by decreasing modulus.
    trivial_multiplier : complex
        The multiplier along the flow, identified by its eigenvector's alignment with
        ``f(state[:, 0])``; it is 1 in exact arithmetic, so ``|trivial_multiplier - 1|``
        measures the accuracy of the monodromy matrix.
    nontrivial_multipliers : ndarray of complex, shape (n_states - 1,)
    stable : bool or None
        True when every nontrivial multiplier has modulus below ``1 - multiplier_tol``,
        False when one is above ``1 + multiplier_tol``, None otherwise (a
        non-hyperbolic cycle, e.g. near a bifurcation, or a centre's family of orbits).
    amplitude : ndarray, shape (n_states,)
        Half the peak-to-peak range of each state over the orbit.
    minimum, maximum : ndarray, shape (n_states,)
        Extremes of each state over the orbit, located where that state's derivative
        changes sign (not just the sampled points).
    converged : bool
    residual : float
        ``|x(T) - x(0)|`` at the returned orbit.
    iterations : int
        Newton iterations used.
    message : str
    model_name : str
    params : ParameterSet
    inputs : tuple of (name, value)

    Examples
    --------
    >>> from dyadmodel import limit_cycle
    >>> from dyadmodel.model import Model, Parameter, State, symbols
    >>> x, y, mu = symbols("x y mu")
    >>> vdp = Model("vdp", "van der Pol", [State("x", "x", (-3, 3)), State("y", "y", (-3, 3))],
    ...             [Parameter("mu", 1.0, "damping")], [mu * (x - x**3 / 3 - y), x / mu])
    >>> cycle = limit_cycle(vdp, vdp.params(), [2.0, 0.0])
    >>> round(cycle.period, 4), cycle.stable, cycle.state.shape[0]
    (6.6633, True, 2)
    """

    state: np.ndarray
    t: np.ndarray
    period: float
    floquet_multipliers: np.ndarray
    trivial_multiplier: complex
    nontrivial_multipliers: np.ndarray
    stable: bool | None
    amplitude: np.ndarray
    minimum: np.ndarray
    maximum: np.ndarray
    converged: bool
    residual: float
    iterations: int
    message: str
    model_name: str
    params: ParameterSet
    inputs: tuple[tuple[str, float], ...] = ()

    def to_dataframe(self):
        """One period of the orbit as a `pandas.DataFrame` indexed by ``t`` (0 to
        ``period``), one column per state (pandas imported here).

        Returns
        -------
        pandas.DataFrame
            Indexed by ``t``, one column per state.

        Examples
        --------
        >>> from dyadmodel import limit_cycle
        >>> from dyadmodel.model import Model, Parameter, State, symbols
        >>> x, y, mu = symbols("x y mu")
        >>> vdp = Model("vdp", "van der Pol", [State("x", "x", (-3, 3)), State("y", "y", (-3, 3))],
        ...             [Parameter("mu", 1.0, "damping")], [mu * (x - x**3 / 3 - y), x / mu])
        >>> frame = limit_cycle(vdp, vdp.params(), [2.0, 0.0]).to_dataframe()
        >>> frame.index.name, list(frame.columns)
        ('t', ['x', 'y'])
        """
        from dyadmodel._display import optional_module, state_columns

        pd = optional_module("pandas", "to_dataframe()")
        df = pd.DataFrame(
            state_columns(self.state.T, self.params.model.state_names),
            index=pd.Index(np.asarray(self.t, dtype=float).copy(), name="t"),
        )
        df.attrs.update(
            model=self.model_name,
            params=self.params.as_dict(),
            period=self.period,
            stable=self.stable,
        )
        return df

    def _repr_html_(self) -> str:
        from dyadmodel._display import html_table

        word = {True: "stable", False: "unstable", None: "inconclusive"}[self.stable]
        rows = [
            ["model", self.model_name],
            ["period", f"{self.period:.10g}"],
            ["stability", word],
            [
                "|nontrivial multipliers|",
                ", ".join(f"{abs(m):.6g}" for m in self.nontrivial_multipliers),
            ],
            *(
                [f"{n} range", f"{lo:.6g} to {hi:.6g}"]
                for n, lo, hi in zip(self.params.model.state_names, self.minimum, self.maximum)
            ),
            ["converged", self.converged],
        ]
        return html_table(["LimitCycle", ""], rows, note=self.message)

    def __repr__(self) -> str:
        mults = ", ".join(f"{abs(m):.6g}" for m in self.nontrivial_multipliers)
        amp = ", ".join(f"{a:.6g}" for a in self.amplitude)
        word = {True: "stable", False: "unstable", None: "inconclusive"}[self.stable]
        flag = "" if self.converged else ", NOT CONVERGED"
        return (
            f"LimitCycle({self.model_name!r}, period={self.period:.8g}, {word}, "
            f"|nontrivial multipliers|=[{mults}], amplitude=[{amp}]{flag})"
        )


@dataclasses.dataclass(frozen=True)
class TrajectoryOptions:
    """Settings of `classify_trajectory`. ``L`` is the largest side of the domain box.

    Attributes
    ----------
    rtol, atol : float
        `solve_ivp` tolerances (``atol`` multiplied by ``L``).
    method : str
        `solve_ivp` method.
    settle_speed : float
        The trajectory has settled when ``|f| < settle_speed * L`` (state units per unit
        time); the equilibrium is then located by a Newton solve.
    divergence_factor : float
        Diverged when a state leaves the domain box enlarged this many times about its
        centre.
    min_returns : int
        Periodic needs at least this many returns to the Poincaré section.
    period_rtol : float
        The last ``min_returns - 1`` return intervals agree to this relative tolerance.
    return_tol : float
        The last ``min_returns`` return points lie within ``return_tol * L`` of each
        other.

    Raises
    ------
    InvalidInputError
        For an argument with an invalid value (the message names it and what was expected).
    ToleranceError
        For a tolerance outside its admissible range.

    Examples
    --------
    >>> import dyadmodel as dm
    >>> from dyadmodel.analysis import TrajectoryOptions
    >>> m = dm.models.get("pursuer-distancer-2d")
    >>> out = dm.classify_trajectory(m, m.params(), [1.0, 1.0], t_max=100.0,
    ...                              options=TrajectoryOptions(rtol=1e-8))
    >>> out.kind
    'equilibrium'
    """

    rtol: float = 1e-9
    atol: float = 1e-12
    method: str = "DOP853"
    settle_speed: float = 1e-8
    divergence_factor: float = 100.0
    min_returns: int = 4
    period_rtol: float = 1e-4
    return_tol: float = 1e-4

    def __post_init__(self) -> None:
        for name in (
            "rtol",
            "atol",
            "settle_speed",
            "divergence_factor",
            "period_rtol",
            "return_tol",
        ):
            _check_positive(f"TrajectoryOptions.{name}", getattr(self, name))
        _check_solver("TrajectoryOptions", self.rtol, self.method)
        v = self.min_returns
        if isinstance(v, bool) or not isinstance(v, numbers.Integral) or v < 2:
            raise InvalidInputError(
                f"TrajectoryOptions.min_returns = {v!r} must be an integer >= 2"
            )


@dataclasses.dataclass(frozen=True, eq=False)
class TrajectoryOutcome:
    """Where one trajectory went.

    Attributes
    ----------
    kind : {'equilibrium', 'periodic', 'diverged', 'undecided'}
    x0 : ndarray
        Initial state.
    t_end : float
        Time at which the verdict was reached (``t_max`` for 'periodic' and
        'undecided').
    final_state : ndarray
    equilibrium : ndarray or None
        The equilibrium approached (Newton-polished), for kind 'equilibrium'.
    equilibrium_stable : bool or None
        True for an attracting equilibrium (all eigenvalues with real part below
        ``-1e-9``); False when the trajectory stays at a saddle or unstable point until
        ``t_max`` (it started on its stable manifold, or at the point itself); None
        when the linearisation is inconclusive.
    eigenvalues : ndarray or None
        Jacobian eigenvalues at ``equilibrium``.
    period : float or None
        Period estimate (last return interval), for kind 'periodic'.
    period_spread : float or None
        Largest relative deviation among the last return intervals.
    n_returns : int
        Returns to the Poincaré section seen in the second half of the run.
    message : str
    model_name : str
    params : ParameterSet
    inputs : tuple of (name, value)

    Returns
    -------
    tuple of Equilibrium
        The equilibria with ``stable`` True.

    Examples
    --------
    >>> import dyadmodel as dm
    >>> m = dm.models.get("pursuer-distancer-2d")
    >>> out = dm.classify_trajectory(m, m.params(), [0.05, 0.05], t_max=100.0)
    >>> out.kind, out.equilibrium_stable, out.equilibrium.round(4).tolist()
    ('equilibrium', True, [0.1367, 0.1367])
    """

    kind: str
    x0: np.ndarray
    t_end: float
    final_state: np.ndarray
    equilibrium: np.ndarray | None
    equilibrium_stable: bool | None
    eigenvalues: np.ndarray | None
    period: float | None
    period_spread: float | None
    n_returns: int
    message: str
    model_name: str
    params: ParameterSet
    inputs: tuple[tuple[str, float], ...] = ()

    def __repr__(self) -> str:
        extra = ""
        if self.equilibrium is not None:
            extra = " at [" + ", ".join(f"{v:.6g}" for v in self.equilibrium) + "]"
        if self.period is not None:
            extra = f", period={self.period:.8g}"
        return f"TrajectoryOutcome({self.kind!r}{extra}, t_end={self.t_end:.6g})"


# ---------------------------------------------------------------------------------------
# limit cycles


_NOT_GIVEN: Any = object()


def _renamed_start(x0: Any, old: Any, old_name: str, function: str) -> Any:
    """``x0``, or the value passed under its deprecated name (with a warning)."""
    if old is _NOT_GIVEN:
        if x0 is _NOT_GIVEN:
            raise InvalidTypeError(f"{function}() needs the start state x0 (array of n_states)")
        return x0
    if x0 is not _NOT_GIVEN:
        raise InvalidTypeError(
            f"{function}() got both x0 and its deprecated name {old_name}; pass x0 only"
        )
    warnings.warn(
        f"{function}({old_name}=...) is deprecated; the start state is called x0 everywhere "
        f"in dyadmodel: pass x0=... (or positionally)",
        DeprecationWarning,
        stacklevel=3,
    )
    return old


def limit_cycle(
    model: Model,
    params: ParameterSet | Mapping[str, Any] | None,
    x0: Any = _NOT_GIVEN,
    *,
    inputs: Mapping[str, float] | float | None = None,
    period_guess: float | None = None,
    options: LimitCycleOptions | None = None,
    guess: Any = _NOT_GIVEN,
) -> LimitCycle:
    """Find a periodic orbit near ``x0`` by single shooting.

    Parameters
    ----------
    model : Model
        The model.
    params : ParameterSet or mapping or None
        Parameter values; the model's defaults when omitted.
    x0 : array_like, shape (n_states,)
        A start state on or near the cycle. Without ``period_guess`` the trajectory
        from ``x0`` is followed for ``options.search_time``; its end point starts the
        shooting, and the period is estimated from the returns of the second half of
        the run to the hyperplane through that end point normal to the flow. So any
        point in a stable cycle's basin works, given enough search time.
    inputs : mapping or float, optional
        Constant inputs.
    period_guess : float, optional
        Approximate period. With it, shooting starts at ``x0`` directly: needed for
        unstable cycles, which a forward trajectory does not approach.
    options : LimitCycleOptions, optional
        Options (see `LimitCycleOptions`); its defaults when omitted.
    guess : array_like, optional
        Deprecated name of ``x0`` (a `DeprecationWarning`); will be removed.

    Returns
    -------
    LimitCycle
        The result; see `LimitCycle` for its fields.

    Raises
    ------
    LimitCycleError
        When no return to the section is found, Newton does not converge, or it
        converges to an equilibrium (a zero-amplitude "orbit"); the message names the
        parameters and what to try.
    InvalidTypeError
        For an argument of the wrong type.

    Notes
    -----
    Unknowns are the start point ``x0`` and the period ``T``; equations are
    ``phi(x0, T) - x0 = 0`` and the phase condition ``(x0 - x_ref) . f(x_ref) = 0``
    (``x0`` stays on the hyperplane through the initial point ``x_ref`` normal to the
    flow). Newton's method uses the exact Jacobian ``[[M - I, f(x(T))], [f(x_ref)^T,
    0]]`` with the monodromy matrix ``M`` from the variational equations
    ``Phi' = J(x(t)) Phi``, ``Phi(0) = I``, integrated with the orbit; steps are halved
    while they do not reduce the residual. The Floquet multipliers are the eigenvalues
    of ``M`` at the solution.

    Limitations: single shooting loses accuracy when ``M`` has very large entries (a
    strongly unstable cycle, or long stiff stretches of a relaxation oscillation); then
    use method="Radau" and a good ``period_guess``, or a multiple-shooting or
    collocation code. Multiplier accuracy is limited by the integration tolerances
    (about ``1e-9`` absolute with the defaults); a cycle whose nontrivial multiplier is
    within ``multiplier_tol`` of the unit circle is reported as inconclusive, not
    stable. A centre (a continuum of periodic orbits, e.g. the harmonic oscillator)
    has no isolated cycle: shooting converges to one of them and reports ``stable =
    None``. An "orbit" whose amplitude is below ``1e3 * newton_tol * L`` is taken to be
    an equilibrium and reported as a failure.

    Examples
    --------
    The van der Pol oscillator with mu = 1 has period 6.6632868593... (Hairer, Nørsett
    & Wanner 1993, Sect. I.16):

    >>> from dyadmodel.model import Model, Parameter, State, symbols
    >>> x, y, mu = symbols("x y mu")
    >>> vdp = Model("vdp", "van der Pol", [State("x", "x", (-3, 3)), State("y", "y", (-3, 3))],
    ...             [Parameter("mu", 1.0, "damping")], [mu * (x - x**3 / 3 - y), x / mu])
    >>> cycle = limit_cycle(vdp, vdp.params(), [2.0, 0.0])
    >>> round(cycle.period, 8), cycle.stable
    (6.66328686, True)
    """
    check_model(model)
    opts = _check_options(options, LimitCycleOptions)
    pset = model.parameter_set(params)
    inp = model.constant_inputs(inputs, "a periodic-orbit search")
    n = model.n_states
    x_guess = _state_vector(model, _renamed_start(x0, guess, "guess", "limit_cycle"), "x0")
    scale = _scale(model)
    fn = model.ode(pset, inp)
    jac_fn = model.ode_jacobian(pset, inp)
    context = _context(model, pset, inp)

    if period_guess is None:
        x_ref, period = _period_from_returns(fn, x_guess, opts, scale, context)
    else:
        _check_positive("period_guess", period_guess)
        x_ref, period = x_guess, float(period_guess)

    f_ref = fn(0.0, x_ref)
    f_norm = float(np.linalg.norm(f_ref))
    if not f_norm > 0:
        raise LimitCycleError(
            f"the starting point {x_ref.tolist()} is an equilibrium of {context}; a periodic "
            "orbit cannot pass through it. Start from a point on or near the cycle."
        )
    normal = f_ref / f_norm
    tol = opts.newton_tol * scale

    def residual(x0: np.ndarray, T: float):
        xt, M, ok = _flow_with_monodromy(fn, jac_fn, x0, T, opts, scale)
        r = np.append(xt - x0, normal @ (x0 - x_ref))
        return r, xt, M, ok

    x0, T = x_ref.copy(), period
    r, xt, M, ok = residual(x0, T)
    if not ok:
        raise LimitCycleError(
            f"integration from {x0.tolist()} over the period guess {T:.6g} failed for "
            f"{context}. Try a smaller period_guess or method='Radau'."
        )
    converged = False
    iterations = 0
    message = ""
    for it in range(1, opts.max_newton + 1):
        iterations = it
        jac = np.zeros((n + 1, n + 1))
        jac[:n, :n] = M - np.eye(n)
        jac[:n, n] = fn(0.0, xt)
        jac[n, :n] = normal
        try:
            step = np.linalg.solve(jac, -r)
        except np.linalg.LinAlgError:
            message = "the shooting Jacobian is singular (a non-hyperbolic cycle?)"
            break
        # Damped update: halve the step while it does not reduce the residual.
        norm0 = float(np.linalg.norm(r))
        lam = 1.0
        for _ in range(12):
            T_new = T + lam * step[n]
            if T_new > 0:
                x_new = x0 + lam * step[:n]
                r_new, xt_new, M_new, ok = residual(x_new, T_new)
                if ok and float(np.linalg.norm(r_new)) < norm0 * (1 - 1e-4 * lam) + tol:
                    break
            lam *= 0.5
        else:
            message = "a damped Newton step could not reduce the residual"
            break
        x0, T, r, xt, M = x_new, T_new, r_new, xt_new, M_new
        if np.linalg.norm(r[:n]) <= tol and lam * np.linalg.norm(step) <= tol * max(1.0, T):
            converged = True
            break
    else:
        message = f"no convergence in {opts.max_newton} Newton iterations"

    result = _cycle_result(model, pset, inp, fn, x0, T, M, opts, scale, converged, iterations, r)
    if converged and float(np.max(result.amplitude)) <= 1e3 * tol:
        message = (
            f"shooting converged to the equilibrium near {x0.tolist()}, not to a periodic "
            "orbit (zero amplitude)"
        )
        result = dataclasses.replace(result, converged=False, message=message)
    elif not converged:
        result = dataclasses.replace(result, message=message)
    if not result.converged and opts.raise_on_failure:
        raise LimitCycleError(
            f"limit-cycle shooting failed for {context}: {message}; last iterate x0 = "
            f"{np.round(x0, 8).tolist()}, T = {T:.8g}, |x(T) - x(0)| = "
            f"{float(np.linalg.norm(r[:n])):.3g} (tolerance {tol:.3g}). Try a guess closer "
            "to the cycle (e.g. a late point of a simulated trajectory), a period_guess "
            "(e.g. classify_trajectory(...).period), method='Radau' for stiff models, or "
            "check that a cycle exists at these parameters (classify_trajectory).",
            result,
        )
    return result


def _flow_with_monodromy(fn, jac_fn, x0, T, opts, scale):
    """x(T) and the monodromy matrix, integrating the variational equations alongside."""
    n = x0.size

    def rhs(t, z):
        x = z[:n]
        phi = z[n:].reshape(n, n)
        return np.concatenate([fn(t, x), (jac_fn(t, x) @ phi).ravel()])

    z0 = np.concatenate([x0, np.eye(n).ravel()])
    kwargs = {}
    if opts.method in _IMPLICIT:

        def jac(t, z):
            x = z[:n]
            j = jac_fn(t, x)
            out = np.zeros((n + n * n, n + n * n))
            out[:n, :n] = j
            out[n:, n:] = np.kron(j, np.eye(n))
            return out  # second-derivative terms of the variational part omitted

        kwargs["jac"] = jac
    with np.errstate(all="ignore"):
        sol = solve_ivp(
            rhs,
            (0.0, T),
            z0,
            method=opts.method,
            rtol=opts.rtol,
            atol=opts.atol * scale,
            **kwargs,
        )
    z = sol.y[:, -1]
    ok = sol.status == 0 and bool(np.all(np.isfinite(z)))
    return z[:n], z[n:].reshape(n, n), ok


def _period_from_returns(fn, x_guess, opts, scale, context):
    """Estimate (point, period) from the end of a trajectory started at ``x_guess``.

    The trajectory runs for ``search_time``; its final point defines a Poincaré section
    (normal to the flow) and the last return interval to it is the period estimate.
    """
    with np.errstate(all="ignore"):
        sol = solve_ivp(
            fn,
            (0.0, opts.search_time),
            x_guess,
            method=opts.method,
            rtol=1e-10,
            atol=opts.atol * scale,
            dense_output=True,
        )
    x_end = sol.y[:, -1]
    times = np.array([])
    if sol.status == 0 and np.all(np.isfinite(x_end)):
        times, _ = _section_returns(fn, [sol], float(sol.t[-1]), x_end)
    if times.size < 2:
        raise LimitCycleError(
            f"no periodic return found for {context}: the trajectory from "
            f"{x_guess.tolist()} did not come back to a Poincaré section through its end "
            f"point in the second half of search_time = {opts.search_time:g} "
            f"(solver: {sol.message}). It may settle on an equilibrium or diverge; check "
            "with classify_trajectory, or pass period_guess with a point on the cycle "
            "(needed for unstable cycles), or increase LimitCycleOptions.search_time."
        )
    return np.asarray(x_end, dtype=float), float(times[-1] - times[-2])


def _cycle_result(model, pset, inp, fn, x0, T, M, opts, scale, converged, iterations, r):
    n = x0.size
    t = np.linspace(0.0, T, opts.n_points + 1)
    with np.errstate(all="ignore"):
        sol = solve_ivp(
            fn,
            (0.0, T),
            x0,
            method=opts.method,
            rtol=opts.rtol,
            atol=opts.atol * scale,
            dense_output=True,
        )
    if sol.status != 0:
        states = np.full((n, t.size), np.nan)
        lo = hi = np.full(n, np.nan)
    else:
        states = sol.sol(t)
        lo, hi = _extremes(model, pset, inp, sol, T, opts.n_points)
    mults, vecs = np.linalg.eig(M)
    f0 = fn(0.0, x0)
    align = np.abs(vecs.conj().T @ f0) / (np.linalg.norm(vecs, axis=0) * np.linalg.norm(f0))
    k = int(np.argmax(align))
    trivial = complex(mults[k])
    nontrivial = np.delete(mults, k)
    mod = np.abs(nontrivial)
    if np.all(mod < 1 - opts.multiplier_tol):
        stable = True
    elif np.any(mod > 1 + opts.multiplier_tol):
        stable = False
    else:
        stable = None
    order = np.argsort(-np.abs(mults), kind="stable")
    return LimitCycle(
        state=_frozen(states),
        t=_frozen(t),
        period=float(T),
        floquet_multipliers=_frozen(mults[order], complex),
        trivial_multiplier=trivial,
        nontrivial_multipliers=_frozen(nontrivial[np.argsort(-mod, kind="stable")], complex),
        stable=stable,
        amplitude=_frozen(0.5 * (hi - lo)),
        minimum=_frozen(lo),
        maximum=_frozen(hi),
        converged=converged,
        residual=float(np.linalg.norm(r[:n])),
        iterations=iterations,
        message="converged" if converged else "",
        model_name=model.name,
        params=pset,
        inputs=tuple(inp.items()),
    )


def _extremes(model, pset, inp, sol, T, n_points):
    """Min and max of each state over [0, T]: sampled values, refined where x_i' = 0."""
    n = sol.y.shape[0]
    ts = np.linspace(0.0, T, 4 * n_points + 1)
    xs = sol.sol(ts)
    fs = model.rhs(xs, pset, inp)
    lo, hi = xs.min(axis=1), xs.max(axis=1)
    for i in range(n):
        for j in np.flatnonzero(np.sign(fs[i, :-1]) * np.sign(fs[i, 1:]) < 0):

            def fi(t, i=i):
                return float(model.rhs(sol.sol(t), pset, inp)[i])

            tc = brentq(fi, ts[j], ts[j + 1], xtol=1e-14 * max(1.0, T))
            v = float(sol.sol(tc)[i])
            lo[i], hi[i] = min(lo[i], v), max(hi[i], v)
    return lo, hi


# ---------------------------------------------------------------------------------------
# trajectory classification


def classify_trajectory(
    model: Model,
    params: ParameterSet | Mapping[str, Any] | None,
    x0: Any,
    *,
    t_max: float,
    inputs: Mapping[str, float] | float | None = None,
    options: TrajectoryOptions | None = None,
) -> TrajectoryOutcome:
    """Integrate from ``x0`` and report whether the trajectory settles, cycles or diverges.

    Parameters
    ----------
    model : Model
        The model.
    params : ParameterSet or mapping or None
        Parameter values; the model's defaults when omitted.
    x0 : array_like, shape (n_states,)
        The initial state, shape ``(n_states,)``.
    t_max : float
        Time allowed. The verdict is 'undecided' if none is reached by then.
    inputs : mapping or float, optional
        Constant inputs.
    options : TrajectoryOptions, optional
        Options (see `TrajectoryOptions`); its defaults when omitted.

    Returns
    -------
    TrajectoryOutcome
        The result; see `TrajectoryOutcome` for its fields.

    Raises
    ------
    InvalidTypeError
        For an argument of the wrong type.

    Notes
    -----
    - **equilibrium**: the speed ``|f|`` drops below ``settle_speed * L``; the nearby
      equilibrium is located by Newton's method and its Jacobian decides. At an
      attracting one the run stops. Near a saddle (or unstable point) the trajectory is
      followed on until it speeds up again; if it stays there until ``t_max`` (it lies
      on the stable manifold), the verdict is 'equilibrium' with
      ``equilibrium_stable = False``.
    - **diverged**: a state leaves the domain box enlarged ``divergence_factor`` times
      about its centre, or the solver fails (blow-up, non-finite values).
    - **periodic**: judged at ``t_max`` from the second half of the run: the returns
      to the hyperplane through the final point, normal to the flow there (only
      crossings in the flow's direction within a tenth of the orbit's extent of the
      final point count). At least ``min_returns`` returns, return intervals agreeing to
      ``period_rtol`` and return points within ``return_tol * L`` of each other.
      ``period`` is the last return interval.
    - **undecided**: none of the above. Slow transients need a longer ``t_max``.

    Limitations: a trajectory that spirals into a focus so slowly that successive
    turns differ by less than ``return_tol`` is reported periodic; quasi-periodic or
    chaotic motion is 'undecided'; a cycle whose period exceeds about
    ``t_max / (2 * min_returns)`` is 'undecided'. Inputs are held constant.

    Examples
    --------
    >>> import dyadmodel as dm
    >>> m = dm.models.get("pursuer-distancer-2d")
    >>> out = classify_trajectory(m, m.params(), [1.0, 1.0], t_max=100.0)
    >>> out.kind, [round(float(v), 4) for v in out.equilibrium]
    ('equilibrium', [1.4633, 1.4633])
    """
    check_model(model)
    opts = _check_options(options, TrajectoryOptions)
    pset = model.parameter_set(params)
    inp = model.constant_inputs(inputs, "a periodic-orbit search")
    x_start = _state_vector(model, x0, "x0")
    _check_positive("t_max", t_max)
    t_max = float(t_max)
    n = model.n_states
    scale = _scale(model)
    fn = model.ode(pset, inp)
    jac_fn = model.ode_jacobian(pset, inp)
    box = np.asarray(model.domain, dtype=float)
    centre, half = box.mean(axis=1), 0.5 * (box[:, 1] - box[:, 0])
    big = np.stack(
        [centre - opts.divergence_factor * half, centre + opts.divergence_factor * half], axis=1
    )
    settle = opts.settle_speed * scale

    def outcome(
        kind,
        t_end,
        x_end,
        message="",
        eq=None,
        eq_stable=None,
        eigs=None,
        period=None,
        spread=None,
        n_returns=0,
    ):
        return TrajectoryOutcome(
            kind=kind,
            x0=_frozen(x_start),
            t_end=float(t_end),
            final_state=_frozen(x_end),
            equilibrium=None if eq is None else _frozen(eq),
            equilibrium_stable=eq_stable,
            eigenvalues=None if eigs is None else _frozen(eigs, complex),
            period=period,
            period_spread=spread,
            n_returns=n_returns,
            message=message,
            model_name=model.name,
            params=pset,
            inputs=tuple(inp.items()),
        )

    events = []
    for i in range(n):
        for bound, sgn in ((big[i, 0], 1.0), (big[i, 1], -1.0)):

            def leave(t, z, i=i, bound=bound, sgn=sgn):
                return sgn * (z[i] - bound)

            leave.terminal, leave.direction = True, -1
            events.append(leave)

    def slow(t, z):
        return float(np.linalg.norm(fn(t, z))) - settle

    slow.terminal, slow.direction = True, -1

    def fast(t, z):
        return float(np.linalg.norm(fn(t, z))) - 10.0 * settle

    fast.terminal, fast.direction = True, 1

    t0, x = 0.0, x_start.copy()
    pieces = []  # dense outputs of the segments, for the section analysis
    near = None  # (equilibrium, eigenvalues) the trajectory is lingering at
    slowed = float(np.linalg.norm(fn(t0, x))) < settle
    while True:
        if near is None and slowed:
            eq, eigs = _locate_equilibrium(fn, jac_fn, x, scale)
            if eq is not None:
                top = float(np.max(eigs.real))
                if top < -1e-9:
                    return outcome(
                        "equilibrium", t0, x, "settled on a stable equilibrium", eq, True, eigs
                    )
                if top <= 1e-9:
                    return outcome(
                        "equilibrium",
                        t0,
                        x,
                        "settled on a non-hyperbolic equilibrium (linearisation inconclusive)",
                        eq,
                        None,
                        eigs,
                    )
                near = (eq, eigs)
        watch = fast if near is not None else slow
        with np.errstate(all="ignore"):
            sol = solve_ivp(
                fn,
                (t0, t_max),
                x,
                method=opts.method,
                rtol=opts.rtol,
                atol=opts.atol * scale,
                events=[*events, watch],
                dense_output=True,
                **({"jac": jac_fn} if opts.method in _IMPLICIT else {}),
            )
        x_end = sol.y[:, -1]
        if sol.status == -1 or not np.all(np.isfinite(x_end)):
            return outcome("diverged", sol.t[-1], x_end, f"solver stopped: {sol.message}")
        pieces.append(sol)
        if sol.status == 1:
            k = next(j for j, te in enumerate(sol.t_events) if te.size)
            if k < 2 * n:
                return outcome(
                    "diverged",
                    sol.t[-1],
                    x_end,
                    f"state {model.state_names[k // 2]!r} left the box "
                    f"[{big[k // 2, 0]:g}, {big[k // 2, 1]:g}]",
                )
            t0, x = float(sol.t[-1]), x_end
            # The watched event fired: slowed down (check for an equilibrium), or sped up
            # again after lingering at an unstable one.
            slowed = near is None
            near = None
            continue
        break  # reached t_max
    if near is not None:
        eq, eigs = near
        return outcome(
            "equilibrium",
            t_max,
            x_end,
            "stayed at an unstable equilibrium until t_max (it started there or on its "
            "stable manifold)",
            eq,
            False,
            eigs,
        )
    return _periodic_or_undecided(fn, pieces, t_max, x_end, opts, scale, outcome)


def _locate_equilibrium(fn, jac_fn, x, scale):
    eq = polish_equilibrium(fn, jac_fn, x, scale)
    if eq is None:
        return None, None
    return eq, np.linalg.eigvals(jac_fn(0.0, eq))


def _section_returns(fn, pieces, t_end, x_end):
    """Returns to the hyperplane through ``x_end`` normal to the flow there.

    Only the second half of the time covered by ``pieces`` (dense `solve_ivp`
    solutions, contiguous in time) is searched, and only crossings in the flow's
    direction within a tenth of the trajectory's extent of ``x_end`` count. Returns the
    crossing times in ascending order, ending with ``t_end`` itself (``x_end`` lies on
    its own section), and the extent (largest peak-to-peak range of a state).
    """
    f_end = fn(t_end, x_end)
    speed = float(np.linalg.norm(f_end))
    t_half = 0.5 * (pieces[0].t[0] + t_end)
    ts, xs, dense = [], [], []
    for sol in pieces:
        if sol.t[-1] <= t_half:
            continue
        steps = sol.t[sol.t >= t_half]
        if steps[0] > t_half and sol.t[0] < t_half:
            steps = np.concatenate([[t_half], steps])
        # Eight samples per solver step: section crossings between steps are not missed
        # unless the orbit crosses twice within one eighth of a step.
        frac = np.arange(8) / 8.0
        fine = (steps[:-1, None] + np.diff(steps)[:, None] * frac).ravel()
        fine = np.append(fine, steps[-1])
        ts.append(fine)
        xs.append(sol.sol(fine))
        dense.extend([sol] * fine.size)
    if not ts or not speed > 0:
        return np.array([t_end]), 0.0
    normal = f_end / speed
    ts = np.concatenate(ts)
    xs = np.concatenate(xs, axis=1)
    extent = float(np.max(np.ptp(xs, axis=1)))
    g = normal @ (xs - x_end[:, None])
    ret_t = []
    for j in np.flatnonzero((g[:-1] < 0) & (g[1:] >= 0)):
        a, b = ts[j], ts[j + 1]
        sol = dense[j] if dense[j].t[-1] >= b else dense[j + 1]
        tc = brentq(
            lambda t, sol=sol: float(normal @ (sol.sol(t) - x_end)),
            a,
            b,
            xtol=1e-13 * max(1.0, abs(t_end)),
        )
        if np.linalg.norm(sol.sol(tc) - x_end) <= 0.1 * extent:
            ret_t.append(tc)
    ret_t = np.array(ret_t)
    ret_t = ret_t[ret_t < t_end - 1e-9 * max(1.0, abs(t_end))]
    return np.append(ret_t, t_end), extent


def _periodic_or_undecided(fn, pieces, t_max, x_end, opts, scale, outcome):
    times, extent = _section_returns(fn, pieces, t_max, x_end)
    n_returns = times.size - 1
    if n_returns < opts.min_returns or extent <= 1e3 * opts.settle_speed * scale:
        return outcome(
            "undecided",
            t_max,
            x_end,
            f"{n_returns} return(s) to the Poincaré section in the second half "
            f"of the run; need {opts.min_returns}",
            n_returns=n_returns,
        )
    periods = np.diff(times)[-(opts.min_returns - 1) :]
    spread = float(np.max(np.abs(periods - periods[-1])) / periods[-1])
    pts = [_point_at(pieces, t) for t in times[-opts.min_returns :]]
    wander = max(float(np.linalg.norm(p - x_end)) for p in pts)
    if spread <= opts.period_rtol and wander <= opts.return_tol * scale:
        return outcome(
            "periodic",
            t_max,
            x_end,
            "returns to a Poincaré section periodically",
            period=float(periods[-1]),
            spread=spread,
            n_returns=n_returns,
        )
    return outcome(
        "undecided",
        t_max,
        x_end,
        f"returns not yet periodic (interval spread {spread:.2g}, return points within "
        f"{wander:.2g}); try a longer t_max",
        spread=spread,
        n_returns=n_returns,
    )


def _point_at(pieces, t):
    for sol in pieces:
        if sol.t[0] <= t <= sol.t[-1]:
            return sol.sol(t)
    return pieces[-1].y[:, -1]


# ---------------------------------------------------------------------------------------
# shared helpers


def _check_positive(name: str, v: Any) -> None:
    positive_real(name, v)


# solve_ivp silently raises an rtol below 100 machine epsilons; above 0.1 a "converged"
# answer can be wrong in its first digit (issue 12 section 3)
_RTOL_RANGE = (100 * np.finfo(float).eps, 0.1)
_METHODS = ("RK45", "RK23", "DOP853", "Radau", "BDF", "LSODA")


def _check_solver(owner: str, rtol: Any, method: Any) -> None:
    lo, hi = _RTOL_RANGE
    if not lo <= float(rtol) <= hi:
        raise ToleranceError(
            f"{owner}.rtol = {rtol!r} is outside [{lo:.3g}, {hi:g}]; below, solve_ivp "
            "cannot deliver it, above, the result may be wrong in its first digit"
        )
    if not isinstance(method, str) or method not in _METHODS:
        raise InvalidInputError(
            f"{owner}.method = {show(method)}; expected one of {', '.join(_METHODS)}"
        )


def _check_options(options: Any, cls: type) -> Any:
    if options is None:
        return cls()
    if not isinstance(options, cls):
        raise InvalidTypeError(
            f"options = {show(options)} is a {type(options).__name__}; expected {cls.__name__}"
        )
    return options


def _state_vector(model: Model, x: Any, name: str) -> np.ndarray:
    return float_array(f"{name} (states {', '.join(model.state_names)})", x, (model.n_states,))


def _scale(model: Model) -> float:
    box = np.asarray(model.domain, dtype=float)
    return float(np.max(box[:, 1] - box[:, 0]))


def _context(model: Model, pset: ParameterSet, inp: Mapping[str, float]) -> str:
    text = f"model {model.name!r} with {pset!r}"
    if inp:
        text += f" and inputs {dict(inp)}"
    return text


def _frozen(a: Any, dtype: type = float) -> np.ndarray:
    a = np.array(a, dtype=dtype)
    a.setflags(write=False)
    return a
