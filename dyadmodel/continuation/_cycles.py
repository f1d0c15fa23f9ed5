"""Continuation of periodic orbits in one parameter: `continue_cycle`.

A branch of cycles is followed from a Hopf point (switching from the equilibria onto
the cycles born there) or from a cycle found by `dyadmodel.limit_cycle`, with
orthogonal collocation (`dyadmodel.continuation._collocation`), an adaptive mesh and
pseudo-arclength steps. Along it: the period, the extremes of every state, the Floquet
multipliers and the stability; on it: folds of cycles (LPC), period doublings (PD),
Neimark-Sacker points (NS), and the approach to a homoclinic orbit, where the period
grows without bound.
"""

from __future__ import annotations

import dataclasses
import math
import numbers
import time
from collections.abc import Mapping
from typing import Any

import numpy as np
from scipy.optimize import brentq, minimize_scalar

from dyadmodel.analysis._checks import (
    check_int_fields,
    check_model,
    check_name,
    check_options,
    check_positive_fields,
    show,
)
from dyadmodel.analysis.cycles import LimitCycle
from dyadmodel.continuation._collocation import Collocation, factor_sparse
from dyadmodel.continuation._types import SpecialPoint, _frozen
from dyadmodel.errors import InvalidInputError, InvalidTypeError
from dyadmodel.model import Model, ParameterError, ParameterSet

__all__ = ["CycleBranch", "CycleOptions", "CycleSpecialPoint", "continue_cycle"]

_GROW, _SHRINK, _MAX_TURN_COS = 1.3, 0.5, 0.9
# |trivial multiplier - 1| measures the multipliers' accuracy: above _TRIVIAL_DETECT no PD
# or NS is looked for; above _TRIVIAL_STOP the mesh no longer resolves the orbit and the
# branch stops (at 0.1, not lower: near a homoclinic orbit the period stays accurate long
# after the multipliers, whose errors the saddle amplifies, have gone)
_TRIVIAL_DETECT, _TRIVIAL_STOP = 1e-3, 1e-1
# A located PD or NS point is reported only when its multipliers confirm it: a real
# multiplier within _CONFIRM of -1 (PD), a complex pair within _CONFIRM of the unit circle
# (NS). The test functions also change sign where no multiplier crosses: through a pole
# (a large real multiplier whose computed sign flips, e.g. at a fold of a cycle near a
# homoclinic orbit, where the monodromy's collocation blocks are ill-conditioned) or
# where a real pair has product 1 (a neutral saddle, for NS)
_CONFIRM = 1e-4

CYCLE_KINDS = ("LPC", "PD", "NS", "homoclinic")

CYCLE_MEANING = {
    "LPC": "fold of cycles: a stable and an unstable cycle meet and vanish",
    "PD": "period doubling: a cycle of twice the period branches off",
    "NS": "Neimark-Sacker: an invariant torus (quasi-periodic oscillation) branches off",
    "homoclinic": "the cycle ends on a saddle: its period grows without bound",
}


@dataclasses.dataclass(frozen=True)
class CycleOptions:
    """Options of `continue_cycle`. Printing an instance shows every default.

    Step sizes are arclengths in the norm ``sqrt(|dx|^2 + (dT / T)^2 + dp^2)`` where
    ``|dx|`` is the root-mean-square change of the orbit over one period: a step of 0.1
    changes the orbit by about 0.1 (state units), or the period by about 10 %, or the
    parameter by about 0.1.

    Attributes
    ----------
    ntst : int
        Mesh intervals over one period.
    ncol : int
        Gauss collocation points per interval (1 to 7; 4 as in AUTO and MatCont).
    ds : float
        First step; from a Hopf point, the root-mean-square radius of the first cycle.
    ds_min, ds_max : float
        Smallest and largest steps. A corrector failing below ``ds_min`` ends the branch.
    max_points : int
        Points on the branch before it stops (``completed = False``).
    tol : float
        Newton's convergence: the correction below ``tol * (1 + |u|)`` (max norm), at
        most 1e-3.
    max_newton_iter : int
        Corrector iterations before the step is halved.
    adapt_mesh : bool
        Redistribute the mesh every ``adapt_every`` points so that it equidistributes
        the estimated collocation error, as AUTO does.
    adapt_every : int
    max_period : float or None
        The branch stops as a homoclinic approach when the period exceeds this; None:
        50 times the period at the start.
    locate_tol : float
        Arclength tolerance of the location of LPC, PD and NS points (the parameter is
        then known to about this, or its square at an LPC).
    detect_lpc, detect_pd, detect_ns : bool
        Which cycle bifurcations to look for.
    max_seconds : float
        Time budget of the call; when spent the branch stops with ``completed = False``.

    Raises
    ------
    InvalidInputError
        A value of the wrong type or out of range (non-positive sizes or steps,
        ``ds`` outside ``[ds_min, ds_max]``, ``tol`` above 1e-3, ``ncol`` above 7).

    Examples
    --------
    >>> import dyadmodel as dm
    >>> opts = dm.CycleOptions(ntst=60, max_seconds=10.0)
    >>> opts.ntst, opts.ncol, opts.tol
    (60, 4, 1e-10)
    >>> try:
    ...     dm.CycleOptions(tol=0.1)
    ... except dm.InvalidInputError as err:
    ...     print(str(err).split(":")[0])
    CycleOptions.tol = 0.1 is too loose
    """

    ntst: int = 40
    ncol: int = 4
    ds: float = 0.01
    ds_min: float = 1e-7
    ds_max: float = 0.2
    max_points: int = 400
    tol: float = 1e-10
    max_newton_iter: int = 8
    adapt_mesh: bool = True
    adapt_every: int = 3
    max_period: float | None = None
    locate_tol: float = 1e-10
    detect_lpc: bool = True
    detect_pd: bool = True
    detect_ns: bool = True
    max_seconds: float = 120.0

    def __post_init__(self) -> None:
        check_positive_fields(
            "CycleOptions", self, ("ds", "ds_min", "ds_max", "tol", "locate_tol", "max_seconds")
        )
        if self.tol > 1e-3:
            raise InvalidInputError(
                f"CycleOptions.tol = {self.tol!r} is too loose: the cycles and their "
                "multipliers would be meaningless; expected at most 1e-3 (default 1e-10)"
            )
        if not self.ds_min <= self.ds <= self.ds_max:
            raise InvalidInputError(
                f"CycleOptions: need ds_min <= ds <= ds_max, got ds_min={self.ds_min:g}, "
                f"ds={self.ds:g}, ds_max={self.ds_max:g}"
            )
        check_int_fields(
            "CycleOptions",
            self,
            (
                ("ntst", 2, 10_000),
                ("ncol", 1, 7),
                ("max_points", 1, 10**7),
                ("max_newton_iter", 1, 1000),
                ("adapt_every", 1, 10**7),
            ),
        )
        if self.max_period is not None:
            v = self.max_period
            if (
                isinstance(v, bool)
                or not isinstance(v, numbers.Real)
                or not (math.isfinite(v) and v > 0)
            ):
                raise InvalidInputError(
                    f"CycleOptions.max_period = {show(v)}; expected a positive number or None"
                )
        for name in ("adapt_mesh", "detect_lpc", "detect_pd", "detect_ns"):
            if not isinstance(getattr(self, name), bool):
                raise InvalidInputError(
                    f"CycleOptions.{name} = {show(getattr(self, name))}; expected True or False"
                )


@dataclasses.dataclass(frozen=True, eq=False)
class CycleSpecialPoint:
    """A bifurcation of cycles located on a `CycleBranch`.

    Attributes
    ----------
    kind : {'LPC', 'PD', 'NS', 'homoclinic'}
    param : str
    value : float
        The parameter at the point (LPC, PD, NS: located to about ``locate_tol``;
        homoclinic: the fitted limit of the parameter as the period grows).
    period : float
        The period there (homoclinic: the largest period computed).
    state : ndarray, shape (n_states,)
        A point on the orbit (its first mesh point; homoclinic: the point farthest
        from the saddle).
    multipliers : ndarray of complex, shape (n_states,)
        Floquet multipliers there, by decreasing modulus.
    refined : bool
        False when the location (or, for 'homoclinic', the fit) failed and the values
        are those of the nearest computed point (LPC and homoclinic only: a PD or NS
        point is reported only when located and confirmed by its multipliers).
    index : int
        Position on the branch: the point lies between ``index`` and ``index + 1``.
    saddle : ndarray or None
        For 'homoclinic': the equilibrium the orbit approaches: a saddle
        (Newton-refined from the orbit's slowest point), or, when no equilibrium lies
        on the orbit there, the saddle-node whose ghost slows it (located by solving
        ``f = 0, det D_x f = 0``: a saddle-node on the cycle, SNIC).
    saddle_eigenvalues : ndarray of complex or None
        Its eigenvalues, by decreasing real part.
    saddle_kind : {'saddle', 'saddle-node', ''}
    log_period_slope : float
        For 'homoclinic', the fitted growth law of the period over the branch's last
        points: at a saddle, ``s`` in ``T = a + s ln|p - p_h|`` (``p_h`` fitted too);
        at a saddle-node, ``s`` in ``T = C |p - p_h|^s`` (``p_h`` the fold). nan
        otherwise.
    expected_slope : float
        The theory's ``s``. At a saddle, ``-1 / lambda`` where ``lambda`` is the
        leading unstable eigenvalue when the saddle quantity (leading unstable plus
        leading stable real part) is negative, as at the end of a stable cycle, else
        minus the leading stable one (time reversal) (Gaspard 1990, J. Phys. Chem. 94,
        1; Kuznetsov 2004, section 6.2). At a saddle-node, -1/2 (Strogatz 2015,
        section 4.3; Kuznetsov 2004, section 7.1).
    model_name : str

    Examples
    --------
    The fold of cycles of the Bautin normal form ``r' = r (a + r^2 - r^4)`` is at
    ``a = -1/4``:

    >>> import dyadmodel as dm
    >>> m = dm.Model.from_equations(
    ...     {"x": "a*x - y + x*(x**2 + y**2) - x*(x**2 + y**2)**2",
    ...      "y": "x + a*y + y*(x**2 + y**2) - y*(x**2 + y**2)**2"}, {"a": 0.0})
    >>> hopf = dm.continuation(m, None, "a", (-0.5, 0.5)).hopf_points[0]
    >>> (lpc,) = dm.continue_cycle(m, None, "a", (-0.5, 0.5), start=hopf).of_kind("LPC")
    >>> lpc.kind, round(lpc.value, 9), lpc.refined
    ('LPC', -0.25, True)
    """

    kind: str
    param: str
    value: float
    period: float
    state: np.ndarray
    multipliers: np.ndarray
    refined: bool
    index: int
    model_name: str
    saddle: np.ndarray | None = None
    saddle_eigenvalues: np.ndarray | None = None
    log_period_slope: float = math.nan
    expected_slope: float = math.nan
    saddle_kind: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "state", _frozen(self.state))
        object.__setattr__(self, "multipliers", _frozen(self.multipliers, complex))
        if self.saddle is not None:
            object.__setattr__(self, "saddle", _frozen(self.saddle))
        if self.saddle_eigenvalues is not None:
            object.__setattr__(
                self, "saddle_eigenvalues", _frozen(self.saddle_eigenvalues, complex)
            )

    @property
    def meaning(self) -> str:
        """The point in words."""
        return CYCLE_MEANING[self.kind]

    def __repr__(self) -> str:
        extra = ""
        if self.kind == "homoclinic":
            extra = f", slope={self.log_period_slope:.6g} (theory {self.expected_slope:.6g})"
        return (
            f"CycleSpecialPoint({self.kind!r}, {self.param}={self.value:.10g}, "
            f"period={self.period:.8g}{extra})"
        )


@dataclasses.dataclass(frozen=True, eq=False)
class CycleBranch:
    """A branch of periodic orbits followed in one parameter.

    Attributes
    ----------
    model_name : str
    param : str
    params : ParameterSet
        The parameters at the start.
    param_values : ndarray, shape (m,)
        The parameter at each point, in order along the branch.
    periods : ndarray, shape (m,)
    minima, maxima : ndarray, shape (m, n_states)
        Extremes of each state over the orbit (``amplitude = maxima - minima``).
    multipliers : ndarray of complex, shape (m, n_states)
        Floquet multipliers (the trivial one, ~1, included), by decreasing modulus.
    stable : ndarray of bool, shape (m,)
        True where every multiplier but the trivial one is inside the unit circle.
    profiles : tuple of (ndarray, ndarray)
        Per point, the mesh times ``t`` (0 to the period) and the states there,
        shape (len(t), n_states).
    special : tuple of CycleSpecialPoint
        In order along the branch.
    end : str
        Why the branch stopped, in words.
    status : str
        The same as a keyword: 'span' (left the parameter span), 'homoclinic',
        'hopf' (shrank onto an equilibrium), 'max points', 'budget', 'step too small',
        'inaccurate' (the mesh no longer resolves the orbit: the trivial multiplier is
        off 1 by more than 0.1; a homoclinic end found then is reported too).
    completed : bool
        True when the branch reached an end of the span.
    elapsed : float
        Seconds spent.
    options : CycleOptions
    inputs : tuple of (name, value)
    end_value : float
        Where the branch ends in the parameter: the span's bound ('span'), the Hopf
        point it shrinks onto (extrapolated, 'hopf'), the homoclinic or saddle-node
        value ('homoclinic', also after 'inaccurate' when one was found); else the last
        point's value.

    Examples
    --------
    >>> import dyadmodel as dm
    >>> vdp = dm.Model.from_equations({"x": "y", "y": "(mu - x**2)*y - x"}, {"mu": 0.0})
    >>> hopf = dm.continuation(vdp, None, "mu", (-0.5, 0.5)).hopf_points[0]
    >>> b = dm.continue_cycle(vdp, None, "mu", (-0.5, 0.5), start=hopf)
    >>> b.completed, b.end
    (True, 'reached the end of the span at mu = 0.5')
    >>> [round(float(v), 2) for v in b.amplitude[-1]]  # peak to peak, ~4 sqrt(mu)
    [2.83, 3.15]
    """

    model_name: str
    param: str
    params: ParameterSet
    param_values: np.ndarray
    periods: np.ndarray
    minima: np.ndarray
    maxima: np.ndarray
    multipliers: np.ndarray
    stable: np.ndarray
    profiles: tuple
    special: tuple[CycleSpecialPoint, ...]
    end: str
    status: str
    completed: bool
    elapsed: float
    options: CycleOptions
    inputs: tuple[tuple[str, float], ...] = ()
    end_value: float = math.nan

    def __post_init__(self) -> None:
        for name in ("param_values", "periods", "minima", "maxima"):
            object.__setattr__(self, name, _frozen(getattr(self, name)))
        object.__setattr__(self, "multipliers", _frozen(self.multipliers, complex))
        object.__setattr__(self, "stable", _frozen(self.stable, bool))

    def __len__(self) -> int:
        return len(self.param_values)

    @property
    def amplitude(self) -> np.ndarray:
        """``maxima - minima``: the peak-to-peak range of each state, shape (m, n)."""
        return self.maxima - self.minima

    def of_kind(self, kind: str) -> tuple[CycleSpecialPoint, ...]:
        """The special points of one kind.

        Parameters
        ----------
        kind : {'LPC', 'PD', 'NS', 'homoclinic'}

        Returns
        -------
        tuple of CycleSpecialPoint
            In order along the branch.

        Raises
        ------
        InvalidInputError
            An unknown kind.

        Examples
        --------
        >>> import dyadmodel as dm
        >>> vdp = dm.Model.from_equations({"x": "y", "y": "(mu - x**2)*y - x"}, {"mu": 0.0})
        >>> hopf = dm.continuation(vdp, None, "mu", (-0.5, 0.5)).hopf_points[0]
        >>> dm.continue_cycle(vdp, None, "mu", (-0.5, 0.5), start=hopf).of_kind("PD")
        ()
        """
        if kind not in CYCLE_KINDS:
            raise InvalidInputError(f"kind = {kind!r}; expected one of {', '.join(CYCLE_KINDS)}")
        return tuple(s for s in self.special if s.kind == kind)

    def to_dataframe(self):
        """The branch's points as a `pandas.DataFrame` (pandas imported here).

        Returns
        -------
        pandas.DataFrame
            One row per point. Columns: the parameter (named after it), ``period``,
            ``stable``, ``min_<state>`` and ``max_<state>`` for each state,
            ``multiplier_1`` ... (complex).

        Examples
        --------
        >>> import dyadmodel as dm
        >>> vdp = dm.Model.from_equations({"x": "y", "y": "(mu - x**2)*y - x"}, {"mu": 0.0})
        >>> d = dm.continuation(vdp, None, "mu", (-0.5, 0.5))
        >>> b = dm.continue_cycle(vdp, None, "mu", (-0.5, 0.5), start=d.hopf_points[0])
        >>> list(b.to_dataframe().columns[:4])
        ['mu', 'period', 'stable', 'min_x']
        """
        from dyadmodel._display import optional_module

        pd = optional_module("pandas", "to_dataframe()")
        names = self.params.model.state_names
        cols: dict[str, Any] = {
            self.param: self.param_values.copy(),
            "period": self.periods.copy(),
            "stable": self.stable.copy(),
        }
        for i, nm in enumerate(names):
            cols[f"min_{nm}"] = self.minima[:, i].copy()
            cols[f"max_{nm}"] = self.maxima[:, i].copy()
        for i in range(self.multipliers.shape[1]):
            cols[f"multiplier_{i + 1}"] = self.multipliers[:, i].copy()
        df = pd.DataFrame(cols)
        df.attrs.update(
            model=self.model_name, params=self.params.as_dict(), param=self.param, end=self.end
        )
        return df

    def _repr_html_(self) -> str:
        from dyadmodel._display import html_table

        caption = (
            f"{self.model_name}: cycles in {self.param}, {len(self)} points, "
            f"{self.param} from {self.param_values[0]:.6g} to {self.param_values[-1]:.6g}, "
            f"period from {self.periods[0]:.6g} to {self.periods[-1]:.6g}"
        )
        rows = [[s.kind, f"{s.value:.10g}", f"{s.period:.8g}", s.refined] for s in self.special]
        return html_table(
            ["kind", self.param, "period", "refined"], rows, caption=caption, note=self.end
        )

    def __repr__(self) -> str:
        head = (
            f"CycleBranch({self.model_name!r}, {self.param} from {self.param_values[0]:.6g} "
            f"to {self.param_values[-1]:.6g}, {len(self)} points, period "
            f"{self.periods[0]:.6g} to {self.periods[-1]:.6g}, completed={self.completed})"
        )
        return head + "".join(f"\n  {s!r}" for s in self.special) + f"\n  end: {self.end}"


# ---------------------------------------------------------------------------------------


def _check_start(start, model: Model, param: str):
    if isinstance(start, SpecialPoint):
        if start.kind != "hopf":
            raise InvalidInputError(
                f"start is a {start.kind!r} point; cycles start at a 'hopf' SpecialPoint "
                "(e.g. dm.continuation(...).hopf_points[0]) or a LimitCycle"
            )
        if start.model_name != model.name:
            raise InvalidInputError(
                f"start is a point of model {start.model_name!r}, not of {model.name!r}"
            )
        if start.param != param:
            raise InvalidInputError(
                f"start is a Hopf point found in {start.param!r}; continue in param="
                f"{start.param!r}, or find the Hopf point in {param!r} first"
            )
        return start
    if isinstance(start, LimitCycle):
        if start.model_name != model.name:
            raise InvalidInputError(
                f"start is a cycle of model {start.model_name!r}, not of {model.name!r}"
            )
        if not start.converged:
            raise InvalidInputError("start is a LimitCycle that did not converge")
        return start
    raise InvalidTypeError(
        f"start = {show(start)} is a {type(start).__name__}; expected a SpecialPoint of kind "
        "'hopf' (from dm.continuation) or a LimitCycle (from dm.limit_cycle)"
    )


def _check_span(model: Model, param: str, span) -> tuple[float, float]:
    rec = model.parameter(param)
    if isinstance(span, (str, bytes)):
        raise InvalidInputError(f"span = {span!r}; expected two numbers (start, end)")
    try:
        a, b = (float(v) for v in span)
    except (TypeError, ValueError):
        raise InvalidInputError(f"span = {show(span)}; expected two numbers (start, end)") from None
    for v in (a, b):
        if not math.isfinite(v):
            raise InvalidInputError(f"span of {param!r} = {show(span)}; expected finite numbers")
        try:
            rec.check(v)
        except ParameterError as err:
            raise ParameterError(f"span of {param!r}: {err}") from None
    if a == b:
        raise InvalidInputError(f"span of {param!r} = ({a:g}, {b:g}) is empty")
    return a, b


class _Budget(Exception):
    pass


def continue_cycle(
    model: Model,
    params: ParameterSet | Mapping[str, Any] | None,
    param: str,
    span: tuple[float, float],
    *,
    start: SpecialPoint | LimitCycle,
    options: CycleOptions | None = None,
    inputs: Mapping[str, float] | float | None = None,
) -> CycleBranch:
    """Follow a branch of periodic orbits as ``param`` varies within ``span``.

    Parameters
    ----------
    model : Model
        The model (``dm.models.get(...)`` or `dyadmodel.Model.from_equations`).
    params : ParameterSet or mapping or None
        The other parameters; None: those of ``start``. When given, they must agree
        with ``start``'s (except ``param``).
    param : str
        The continuation parameter.
    span : (float, float)
        The branch stops when the parameter leaves ``[min(span), max(span)]``; both
        within the parameter's bounds, and ``start`` inside.
    start : SpecialPoint or LimitCycle
        A Hopf point found in ``param`` (``dm.continuation(...).hopf_points``): the
        branch of cycles born there, switched onto from the critical eigenvector. Or a
        cycle from `dyadmodel.limit_cycle`: the branch through it, followed towards
        ``span[1]``.
    options : CycleOptions, optional
        Mesh, steps, tolerances and budgets (defaults when None).
    inputs : mapping or float, optional
        Constant input values: those the Hopf point was found with (a `SpecialPoint`
        does not record them); for a `LimitCycle` start, None uses the cycle's own.

    Returns
    -------
    CycleBranch
        Periods, extremes, Floquet multipliers and stability along the branch; folds of
        cycles, period doublings, Neimark-Sacker points and a homoclinic end on it; why
        it stopped (``end``) and whether it reached the end of the span (``completed``).

    Raises
    ------
    InvalidTypeError
        ``start`` is not a SpecialPoint or LimitCycle, ``options`` not a CycleOptions.
    InvalidInputError
        ``start`` is not a Hopf point in ``param``, belongs to another model, lies
        outside the span, or disagrees with ``params``; a malformed span.
    NotFoundError
        ``param`` is not a parameter of the model.
    ParameterError
        The span leaves the parameter's bounds.

    Notes
    -----
    Method: orthogonal collocation (``ntst`` intervals, ``ncol`` Gauss points each) with
    the integral phase condition, pseudo-arclength continuation with Newton's method on
    the sparse bordered Jacobian, and AUTO's mesh adaptation (Doedel, Keller & Kernévez
    1991; Kuznetsov 2004, ch. 10). At a Hopf point (eigenvalues ``+-i omega``,
    eigenvector ``q``) the first cycle is ``x0 + eps Re(q exp(2 pi i t))`` with period
    ``2 pi / omega``, corrected by Newton. The Floquet multipliers come from the
    collocation blocks (AUTO's method); a multiplier's accuracy is about that of the
    trivial multiplier's distance from 1.

    Test functions, located by Brent's method along the branch: the parameter
    component of the tangent (LPC), ``prod(mu + 1)`` over the nontrivial multipliers
    (PD), and ``prod(mu_i mu_j - 1)`` over pairs of them (NS). A PD or NS point is
    reported only when it was located and its multipliers confirm it: a real multiplier
    within 1e-4 of -1 (PD), a complex-conjugate pair within 1e-4 of the unit circle
    (NS). The test functions also change sign where nothing crosses: through a pole,
    where a large real multiplier's computed sign flips (e.g. at a fold of cycles near
    a homoclinic orbit), and, for NS, where a real pair has product 1. PD and NS are
    not looked for where the trivial multiplier is off 1 by more than 1e-3 (the
    multipliers are then not accurate enough), and the branch stops where it is off
    by more than 0.1.

    The branch is taken to approach an orbit of infinite period when the period exceeds
    ``max_period``, or grows while the parameter stops moving (to 1e-9), or grows until
    the steps fail or the mesh stops resolving the orbit. If an equilibrium lies on
    the orbit (Newton from its slowest point) it is a saddle and ``T = a + s ln|p -
    p_h|`` is fitted to the points whose period is at least half the last one, after
    the parameter's last turning point; if none does, the orbit passes the ghost of a
    saddle-node (SNIC), which is located (``f = 0, det D_x f = 0``), and ``ln T`` is
    fitted against ``ln|p - p_h|`` (slope -1/2).

    Examples
    --------
    The van der Pol oscillator's cycle is born at mu = 0 with period 2 pi:

    >>> import dyadmodel as dm
    >>> vdp = dm.Model.from_equations({"x": "y", "y": "(mu - x**2)*y - x"}, {"mu": 0.0})
    >>> hopf = dm.continuation(vdp, None, "mu", (-0.5, 0.5)).hopf_points[0]
    >>> b = dm.continue_cycle(vdp, None, "mu", (-0.5, 0.5), start=hopf)
    >>> b.completed, round(float(b.param_values[-1]), 6), bool(b.stable.all())
    (True, 0.5, True)
    >>> round(float(b.periods[0]), 3)
    6.283
    """
    t_start = time.monotonic()
    check_model(model)
    opts = check_options(options, CycleOptions)
    deadline = t_start + opts.max_seconds
    check_name("param", param, model.parameter_names)
    model.parameter(param)  # NotFoundError with a hint
    a, b = _check_span(model, param, span)
    start = _check_start(start, model, param)
    lo, hi = min(a, b), max(a, b)
    p_set = start.params if params is None else model.parameter_set(params)
    diff = [
        nm
        for nm in model.parameter_names
        if nm != param
        and not math.isclose(p_set[nm], start.params[nm], rel_tol=1e-12, abs_tol=1e-15)
    ]
    if diff:
        raise InvalidInputError(
            f"params disagree with start's parameters in {', '.join(diff)}; pass params=None "
            "to use start's, or recompute start with these parameters"
        )
    uvals = model.constant_inputs(inputs, "continue_cycle")
    if isinstance(start, LimitCycle):
        uvals = model.constant_inputs(
            dict(start.inputs) if inputs is None else inputs, "continue_cycle"
        )
    k = model.parameter_names.index(param)
    p0 = float(start.value) if isinstance(start, SpecialPoint) else float(start.params[param])
    if not lo - 1e-9 * (1 + abs(lo)) <= p0 <= hi + 1e-9 * (1 + abs(hi)):
        raise InvalidInputError(
            f"start is at {param} = {p0:.10g}, outside the span [{lo:g}, {hi:g}]"
        )
    sys = Collocation(model, p_set.as_array(), list(uvals.values()), k, opts.ntst, opts.ncol)
    tracer = _Tracer(sys, opts, param, lo, hi, deadline)
    tracer.run(start, p0, b)
    return tracer.result(model, p_set, param, uvals, t_start)


class _Tracer:
    def __init__(self, sys: Collocation, opts: CycleOptions, param, lo, hi, deadline):
        self.sys, self.opts, self.param = sys, opts, param
        self.lo, self.hi, self.deadline = lo, hi, deadline
        self.U: list[np.ndarray] = []  # points on their own meshes
        self.meshes: list[np.ndarray] = []
        self.mults: list[np.ndarray] = []
        self.special: list[CycleSpecialPoint] = []
        self.status, self.end = "", ""
        self.last_lu = None
        self.rms: list[float] = []  # root-mean-square size of each cycle
        self.trivial_error: list[float] = []  # |trivial multiplier - 1| at each point

    # -- numerics -----------------------------------------------------------------------
    def correct(self, u, row, c, max_iter=None):
        """Newton on ``G(u) = 0, row . u = c``; returns (u, ok, iterations, V). The last
        factorisation is kept for `tangent` (the bordered matrix at the last iterate but
        one, within ``tol`` of the solution, so the tangent from it is as accurate: the
        LPC test function is its parameter component)."""
        sys = self.sys
        tol = self.opts.tol
        max_iter = max_iter or self.opts.max_newton_iter
        u = np.array(u, float)
        self.last_lu = None
        for it in range(1, max_iter + 1):
            r, A, V = sys.system(u, row)
            b = np.append(r, row @ u - c)
            lu = factor_sparse(A, b)
            if lu is None:
                return u, False, it, None
            du = lu.solve(b)
            u = u - du
            if not np.all(np.isfinite(u)) or u[-2] <= 0:
                return u, False, it, None
            if np.max(np.abs(du)) <= tol * (1.0 + np.max(np.abs(u))):
                self.last_lu = lu
                return u, True, it, V
        return u, False, max_iter, None

    def tangent(self, u, t_ref):
        """Unit tangent at ``u`` (just corrected by `correct`), oriented along ``t_ref``:
        the null vector of ``DG`` from the kept factorisation (any last row not
        orthogonal to it gives its direction)."""
        sys = self.sys
        lu = self.last_lu
        if lu is None:
            _, A, _ = sys.system(u, sys.weights(u) * t_ref)
            lu = factor_sparse(A, np.zeros(1))
            if lu is None:
                return None
        rhs = np.zeros(sys.size)
        rhs[-1] = 1.0
        t = lu.solve(rhs)
        w = sys.weights(u)
        nrm = math.sqrt(float(t @ (w * t)))
        if not math.isfinite(nrm) or nrm == 0:
            return None
        t = t / nrm
        return -t if t @ (w * t_ref) < 0 else t

    def multipliers(self, u, V):
        M = self.sys.monodromy(u, V)
        with np.errstate(all="ignore"):
            mu = np.linalg.eigvals(M) if np.all(np.isfinite(M)) else np.full(self.sys.n, np.nan)
        return mu[np.argsort(-np.abs(mu), kind="stable")]

    def check_time(self):
        if time.monotonic() > self.deadline:
            raise _Budget

    # -- start ----------------------------------------------------------------------------
    def start_hopf(self, hopf: SpecialPoint):
        sys = self.sys
        x0, p0 = np.asarray(hopf.state, float), float(hopf.value)
        A = sys.jac(x0, p0)
        lam, vecs = np.linalg.eig(A)
        upper = np.nonzero(lam.imag > 0)[0]
        if len(upper) == 0:
            raise InvalidInputError(
                f"start: the Jacobian at the Hopf point {self.param} = {p0:.10g} has no "
                "complex pair; recompute the Hopf point"
            )
        i = upper[np.argmin(np.abs(lam[upper].real))]
        omega, q = float(lam[i].imag), vecs[:, i]
        T0 = 2 * math.pi / omega
        tn = sys.node_times()
        phi = np.real(q[None, :] * np.exp(2j * math.pi * tn)[:, None])
        X0 = np.repeat(x0[None, :], len(tn), axis=0)
        u0 = sys.join(X0, T0, p0)
        t0 = sys.join(phi, 0.0, 0.0)
        t0 = t0 / math.sqrt(float(t0 @ (sys.weights(u0) * t0)))
        sys.set_reference(X0 + phi)  # the phase of the eigenfunction
        ds = self.opts.ds
        for _ in range(30):
            pred = u0 + ds * t0
            w = sys.weights(u0)
            u, ok, _, V = self.correct(pred, w * t0, w @ (t0 * pred))
            if ok and np.ptp(sys.split(u)[0], axis=0).max() > 0.1 * ds:
                t = self.tangent(u, t0)
                if t is not None:
                    return u, t, V, T0
            ds *= _SHRINK
            if ds < self.opts.ds_min:
                break
        return None, None, None, T0

    def start_cycle(self, lc: LimitCycle, toward: float):
        sys = self.sys
        T0 = float(lc.period)
        states = np.asarray(lc.state, float).T  # (npts, n)
        tt = np.asarray(lc.t, float) / T0
        X0 = np.column_stack([np.interp(sys.node_times(), tt, states[:, i]) for i in range(sys.n)])
        p0 = float(lc.params[self.param])
        u = sys.join(X0, T0, p0)
        sys.set_reference(X0)
        e = np.zeros(sys.size)
        e[-1] = 1.0
        u, ok, _, V = self.correct(u, e, p0, max_iter=20)
        if not ok:
            return None, None, None, T0
        sys.set_reference(sys.split(u)[0])
        if self.opts.adapt_mesh:
            h = sys.new_mesh(sys.split(u)[0])
            u = sys.transfer(u, h)
            sys.set_reference(sys.split(u)[0])
            u, ok, _, V = self.correct(u, e, p0, max_iter=20)
            if not ok:
                return None, None, None, T0
        t = self.tangent(u, e)
        if t is None:
            return None, None, None, T0
        if (t[-1] < 0) == (toward > p0):
            t = -t
        return u, t, V, T0

    # -- main loop ---------------------------------------------------------------------------
    def run(self, start, p0, toward):
        opts, sys = self.opts, self.sys
        try:
            if isinstance(start, SpecialPoint):
                u, t, V, T_start = self.start_hopf(start)
            else:
                u, t, V, T_start = self.start_cycle(start, toward)
        except _Budget:
            self.status, self.end = "budget", self._budget_text(None)
            return
        if u is None:
            self.status = "step too small"
            self.end = (
                f"could not converge onto the first cycle near {self.param} = {p0:.10g}; "
                "try a smaller CycleOptions.ds or a larger ntst"
            )
            return
        self.T_start = T_start
        self.max_period = opts.max_period if opts.max_period is not None else 50.0 * T_start
        self.append(u, V)
        ds = opts.ds
        since_mesh = 0
        try:
            while True:
                self.check_time()
                if len(self.U) >= opts.max_points:
                    self.status = "max points"
                    self.end = (
                        f"max_points={opts.max_points} points computed; the branch goes on at "
                        f"{self.param} = {u[-1]:.10g} (period {u[-2]:.6g}): raise "
                        "CycleOptions.max_points"
                    )
                    return
                sys.set_reference(sys.split(u)[0])
                w = sys.weights(u)
                while True:
                    self.check_time()
                    pred = u + ds * t
                    new, ok, n_it, V = self.correct(pred, w * t, w @ (t * pred))
                    t_new = self.tangent(new, t) if ok else None
                    if t_new is not None:
                        d = new - u
                        if t_new @ (w * t) >= _MAX_TURN_COS and math.sqrt(d @ (w * d)) <= 2 * ds:
                            break
                    ds *= _SHRINK
                    if ds < opts.ds_min:
                        self.status = "step too small"
                        self.end = (
                            f"step fell below ds_min={opts.ds_min:g} at {self.param} = "
                            f"{u[-1]:.10g} (period {u[-2]:.6g}); raise ntst or lower ds_min"
                        )
                        self._maybe_homoclinic(late=True)
                        return
                if new[-1] < self.lo or new[-1] > self.hi:
                    self.finish_on_bound(u, new, t)
                    return
                self.append(new, V)
                self.detect(u, t, new, t_new)
                u, t = new, t_new
                if n_it <= 3:
                    ds = min(ds * _GROW, opts.ds_max)
                if self._shrinking():  # towards a Hopf point: halve the way each step
                    ds = max(min(ds, 0.5 * self.rms[-1]), opts.ds_min)
                if u[-2] > self.max_period or self._stalled():
                    self.status = "homoclinic"
                    self._maybe_homoclinic(late=False)
                    return
                if self.trivial_error[-1] > _TRIVIAL_STOP:
                    self.status = "inaccurate"
                    self.end = (
                        f"the mesh no longer resolves the cycle at {self.param} = "
                        f"{u[-1]:.10g} (period {u[-2]:.6g}): its trivial Floquet multiplier "
                        f"is off 1 by {self.trivial_error[-1]:.2g}; raise CycleOptions.ntst"
                    )
                    self._maybe_homoclinic(late=True)
                    return
                if self._shrank():
                    return
                since_mesh += 1
                if opts.adapt_mesh and since_mesh >= opts.adapt_every:
                    since_mesh = 0
                    u, t = self.remesh(u, t)
        except _Budget:
            self.status = "budget"
            self.end = self._budget_text(u)

    def _budget_text(self, u):
        where = "" if u is None else f" at {self.param} = {u[-1]:.10g} (period {u[-2]:.6g})"
        return f"budget of {self.opts.max_seconds:g} s spent{where}; raise CycleOptions.max_seconds"

    def remesh(self, u, t):
        """Move to a mesh that equidistributes the error estimate (AUTO's method): the
        point and tangent are interpolated onto it and the next step's corrector puts
        them back on the discrete curve; the stored point keeps its own mesh."""
        sys = self.sys
        h = sys.new_mesh(sys.split(u)[0])
        if np.max(np.abs(h - sys.h)) < 0.05 * np.min(sys.h):
            return u, t
        h_old = sys.h.copy()
        t_new = sys.transfer(t, h)
        sys.set_mesh(h_old)
        u_new = sys.transfer(u, h)
        w = sys.weights(u_new)
        nrm = math.sqrt(float(t_new @ (w * t_new)))
        if not (math.isfinite(nrm) and nrm > 0 and np.all(np.isfinite(u_new))):
            sys.set_mesh(h_old)
            return u, t
        self.last_lu = None
        return u_new, t_new / nrm

    def append(self, u, V):
        sys = self.sys
        X = sys.split(u)[0]
        dev = X - sys.node_weights @ X
        self.U.append(u.copy())
        self.meshes.append(sys.h.copy())
        self.mults.append(self.multipliers(u, V))
        self.rms.append(math.sqrt(float(sys.node_weights @ np.sum(dev**2, axis=1))))
        with np.errstate(all="ignore"):
            err = float(np.min(np.abs(self.mults[-1] - 1.0)))
        self.trivial_error.append(err if math.isfinite(err) else math.inf)

    def finish_on_bound(self, u, new, t):
        bound = self.lo if new[-1] < self.lo else self.hi
        w_ = (bound - u[-1]) / (new[-1] - u[-1])
        e = np.zeros(self.sys.size)
        e[-1] = 1.0
        end, ok, _, V = self.correct(u + w_ * (new - u), e, bound)
        self.status = "span"
        if ok:
            self.append(end, V)
            t_end = self.tangent(end, t)
            if t_end is not None:
                self.detect(u, t, end, t_end)
            self.end = f"reached the end of the span at {self.param} = {bound:.10g}"
        else:
            self.end = (
                f"left the span at {self.param} = {bound:.10g} after {self.param} = "
                f"{u[-1]:.10g} (the cycle on the bound itself did not converge)"
            )

    def _stalled(self) -> bool:
        """The period grows while the parameter has stopped moving (to 1e-9): the
        parameter has converged to a homoclinic value, and further steps would only
        resolve rounding errors."""
        if len(self.U) < 4:
            return False
        T = [v[-2] for v in self.U[-3:]]
        p1, p2 = self.U[-2][-1], self.U[-1][-1]
        return (
            T[2] > 2 * self.T_start and T[0] < T[1] < T[2] and abs(p2 - p1) <= 1e-9 * (1 + abs(p2))
        )

    def _shrinking(self) -> bool:
        """The cycle's size has fallen over the last three points to a fifth of the
        largest on the branch: it is shrinking onto an equilibrium."""
        r = self.rms
        return len(r) >= 3 and r[-1] < r[-2] < r[-3] and r[-1] < 0.2 * max(r)

    def _shrank(self) -> bool:
        """The cycle shrank onto an equilibrium (a Hopf point ends the branch): its RMS
        size fell below 1e-4 of the largest on the branch. The Hopf parameter is
        extrapolated from the last two points (size^2 is linear in the parameter)."""
        r = self.rms
        if not (self._shrinking() and r[-1] < 1e-4 * max(r)):
            return False
        p1, p2 = self.U[-2][-1], self.U[-1][-1]
        den = r[-2] ** 2 - r[-1] ** 2
        p_hopf = p2 - r[-1] ** 2 * (p1 - p2) / den if den > 0 else p2
        X = self.sys.split(self.U[-1])[0]
        centre = ", ".join(f"{v:.6g}" for v in self.sys.node_weights @ X)
        self.status = "hopf"
        self.hopf_value = float(p_hopf)
        self.end = (
            f"the cycle shrank onto the equilibrium ({centre}) at {self.param} ~ "
            f"{p_hopf:.10g}: a Hopf point ends the branch"
        )
        return True

    # -- detection -----------------------------------------------------------------------
    def _nontrivial(self, mu):
        mu = np.asarray(mu)
        i = int(np.argmin(np.abs(mu - 1.0)))
        return np.delete(mu, i)

    def _tests(self, u, t, mu):
        nt = self._nontrivial(mu)
        pd = float(np.real(np.prod(nt + 1.0)))
        ns = 1.0
        for i in range(len(nt)):
            for j in range(i + 1, len(nt)):
                ns *= nt[i] * nt[j] - 1.0
        return {"LPC": float(t[-1]), "PD": pd, "NS": float(np.real(ns))}

    def detect(self, u0, t0, u1, t1):
        opts = self.opts
        mu0, mu1 = self.mults[-2], self.mults[-1]
        g0, g1 = self._tests(u0, t0, mu0), self._tests(u1, t1, mu1)
        kinds = [
            kd
            for kd, flag in (
                ("LPC", opts.detect_lpc),
                ("PD", opts.detect_pd),
                ("NS", opts.detect_ns),
            )
            if flag
        ]
        if self.sys.n < 3:
            kinds = [kd for kd in kinds if kd != "NS"]
        if max(self.trivial_error[-2:]) > _TRIVIAL_DETECT:  # multipliers not to be trusted
            kinds = [kd for kd in kinds if kd == "LPC"]
        for kind in kinds:
            if not (np.isfinite(g0[kind]) and np.isfinite(g1[kind])):
                continue
            if g0[kind] * g1[kind] < 0:
                self.locate(kind, u0, t0, u1, g0[kind])

    def locate(self, kind, u0, t0, u1, g_start):
        sys = self.sys
        w = sys.weights(u0)
        sigma_end = float(w @ (t0 * (u1 - u0)))
        cache: dict[float, tuple] = {}

        def point(sigma):
            self.check_time()
            pred = u0 + sigma / sigma_end * (u1 - u0)
            u, ok, _, V = self.correct(pred, w * t0, w @ (t0 * u0) + sigma, max_iter=20)
            if not ok:
                raise ArithmeticError
            tt = self.tangent(u, t0)
            if tt is None:
                raise ArithmeticError
            mu = self.multipliers(u, V)
            cache[sigma] = (u, tt, mu)
            return self._tests(u, tt, mu)[kind]

        refined = True
        try:
            s = brentq(point, 0.0, sigma_end, xtol=self.opts.locate_tol, maxiter=60)
            if s not in cache:
                point(s)
            u, _, mu = cache[s]
        except (ArithmeticError, ValueError, RuntimeError):
            refined = False
            u, mu = u1, self.mults[-1]
        if kind in ("PD", "NS") and not (refined and _confirmed(kind, self._nontrivial(mu))):
            return  # no multiplier crosses where the test function changes sign
        X, T, p = sys.split(u)
        self.special.append(
            CycleSpecialPoint(
                kind=kind,
                param=self.param,
                value=float(p),
                period=float(T),
                state=X[0],
                multipliers=mu,
                refined=refined,
                index=len(self.U) - 2,
                model_name=sys.model.name,
            )
        )

    # -- homoclinic ------------------------------------------------------------------------
    def _maybe_homoclinic(self, late: bool) -> None:
        """Report a homoclinic approach: the period passed ``max_period``, or (``late``)
        the steps failed after the period grew at least twofold, monotonically over
        the last points."""
        if len(self.U) < 6:
            if not late:
                self.end = (
                    f"period grew without bound: it passed {self.U[-1][-2]:.6g} after only "
                    f"{len(self.U)} points at {self.param} = {self.U[-1][-1]:.10g}, too few to "
                    "fit its growth; lower CycleOptions.ds_max to resolve the approach"
                )
            return
        inaccurate = self.status == "inaccurate"
        T = np.array([v[-2] for v in self.U])
        P = np.array([v[-1] for v in self.U])
        if late and not (T[-1] > 2 * self.T_start and np.all(np.diff(T[-4:]) > 0)):
            return
        sys = self.sys
        sys.set_mesh(self.meshes[-1])
        X = sys.split(self.U[-1])[0]
        _, fine = sys.fine_profile(X)
        pnow = float(P[-1])
        amp = float(np.max(np.ptp(fine, axis=0)))
        slow = fine[int(np.argmin(np.linalg.norm(sys.rhs(fine, pnow), axis=1)))]
        saddle, eig = _newton_equilibrium(sys, slow, pnow)
        near = saddle is not None and (np.min(np.linalg.norm(fine - saddle, axis=1)) < 0.05 * amp)
        expected = math.nan
        if near and np.any(eig.real > 0) and np.any(eig.real < 0):
            kind_of_point = "saddle"
            good = _monotone_tail(P)
            slope, ph, ok = (
                _fit_log_period(P[good], T[good]) if good.sum() >= 4 else (math.nan, pnow, False)
            )
            lu = float(eig.real[eig.real > 0].min())
            ls = float(eig.real[eig.real < 0].max())
            expected = -1.0 / (lu if lu + ls < 0 else -ls)
            law = "T ~ s ln|p - p_h|"
        else:  # no equilibrium on the orbit: the ghost of a saddle-node (SNIC)
            kind_of_point = "saddle-node"
            saddle, ph, eig = _saddle_node(sys, slow, pnow)
            ok = saddle is not None
            if ok:
                good = _monotone_tail(P)
                slope = _fit_power_period(P[good], T[good], ph) if good.sum() >= 3 else math.nan
                expected = -0.5
            else:
                slope, ph = math.nan, pnow
            law = "T ~ |p - p_h|^s"
        far = X[np.argmax(np.linalg.norm(X - (saddle if saddle is not None else X[0]), axis=1))]
        self.special.append(
            CycleSpecialPoint(
                kind="homoclinic",
                param=self.param,
                value=float(ph),
                period=float(T[-1]),
                state=far,
                multipliers=self.mults[-1],
                refined=bool(ok),
                index=len(self.U) - 1,
                model_name=sys.model.name,
                saddle=saddle,
                saddle_eigenvalues=eig,
                log_period_slope=float(slope),
                expected_slope=expected,
                saddle_kind=kind_of_point,
            )
        )
        self.status = "homoclinic"
        where = "" if saddle is None else " (" + ", ".join(f"{v:.6g}" for v in saddle) + ")"
        what = (
            f"homoclinic approach to the saddle{where}"
            if kind_of_point == "saddle"
            else f"the orbit closes through a saddle-node{where} (SNIC)"
        )
        if late and inaccurate:
            why = (
                f"the mesh stopped resolving the orbit at period {T[-1]:.6g} (trivial "
                f"multiplier off 1 by {self.trivial_error[-1]:.2g}; raise ntst to go on)"
            )
        elif late:
            why = f"the steps failed at period {T[-1]:.6g}"
        elif T[-1] > self.max_period:
            why = f"the period {T[-1]:.6g} passed max_period={self.max_period:.6g}"
        else:
            why = f"the parameter stopped moving (to 1e-9) at period {T[-1]:.6g}"

        self.end = (
            f"period grew without bound: {what} at {self.param} ~ {ph:.10g}; {why}; "
            f"fitted {law} with s = {slope:.4g} (theory {expected:.4g})"
        )

    # -- result ------------------------------------------------------------------------------
    def result(self, model, p_set, param, uvals, t_start) -> CycleBranch:
        sys = self.sys
        n = sys.n
        m = len(self.U)
        vals, per = np.empty(m), np.empty(m)
        mins, maxs = np.empty((m, n)), np.empty((m, n))
        stable = np.zeros(m, bool)
        profiles = []
        for i, (u, h) in enumerate(zip(self.U, self.meshes)):
            sys.set_mesh(h)
            X, T, p = sys.split(u)
            vals[i], per[i] = p, T
            ft, fx = sys.fine_profile(X)
            mins[i], maxs[i] = _extremes(ft, fx)
            nt = self._nontrivial(self.mults[i])
            stable[i] = bool(np.all(np.abs(nt) < 1.0))
            profiles.append((_frozen(sys.node_times() * T), _frozen(X)))
        mults = np.array(self.mults).reshape(m, n) if m else np.empty((0, n), complex)
        order = np.argsort([s.index for s in self.special], kind="stable")
        return CycleBranch(
            model_name=model.name,
            param=param,
            params=p_set,
            param_values=vals,
            periods=per,
            minima=mins,
            maxima=maxs,
            multipliers=mults,
            stable=stable,
            profiles=tuple(profiles),
            special=tuple(self.special[i] for i in order),
            end=self.end,
            status=self.status,
            completed=self.status == "span",
            elapsed=time.monotonic() - t_start,
            options=self.opts,
            inputs=tuple(uvals.items()),
            end_value=self._end_value(vals),
        )

    def _end_value(self, vals) -> float:
        hom = [sp for sp in self.special if sp.kind == "homoclinic"]
        if hom:
            return float(hom[-1].value)
        if self.status == "hopf":
            return float(self.hopf_value)
        return float(vals[-1]) if len(vals) else math.nan


def _confirmed(kind: str, nt: np.ndarray) -> bool:
    """Whether the nontrivial multipliers ``nt`` at a located point show the crossing
    its test function claims: for 'PD' the multiplier nearest -1 is real and within
    `_CONFIRM` of it; for 'NS' the two nearest the unit circle are a complex-conjugate
    pair within `_CONFIRM` of it (not a real pair with product 1, nor a real multiplier
    through +-1)."""
    nt = np.asarray(nt, complex)
    if nt.size == 0 or not np.all(np.isfinite(nt)):
        return False
    if kind == "PD":
        mu = nt[int(np.argmin(np.abs(nt + 1.0)))]
        return bool(abs(mu + 1.0) < _CONFIRM and abs(mu.imag) < _CONFIRM)
    if nt.size < 2:
        return False
    a, b = nt[np.argsort(np.abs(np.abs(nt) - 1.0), kind="stable")[:2]]
    return bool(
        min(abs(a.imag), abs(b.imag)) > 1e-6
        and abs(a - np.conj(b)) < _CONFIRM
        and max(abs(abs(a) - 1.0), abs(abs(b) - 1.0)) < _CONFIRM
    )


def _extremes(times, fine):
    """Min and max of each column of a closed, finely sampled profile, refined by the
    parabola through the extreme sample and its neighbours."""
    body, tb = fine[:-1], times[:-1]
    m = len(body)
    period = times[-1] - times[0]
    out = []
    for sign in (-1.0, 1.0):
        k = np.argmax(sign * body, axis=0)
        cols = np.arange(body.shape[1])
        y0, y1, y2 = body[(k - 1) % m, cols], body[k, cols], body[(k + 1) % m, cols]
        t1 = tb[k]
        h0 = t1 - tb[(k - 1) % m]
        h0 = np.where(h0 <= 0, h0 + period, h0)
        h2 = tb[(k + 1) % m] - t1
        h2 = np.where(h2 <= 0, h2 + period, h2)
        with np.errstate(all="ignore"):
            d0, d2 = (y1 - y0) / h0, (y2 - y1) / h2
            curv = (d2 - d0) / (0.5 * (h0 + h2))  # second derivative
            slope = d0 + 0.5 * curv * h0  # first derivative at t1
            peak = y1 - 0.5 * slope**2 / curv
        ok = np.isfinite(peak) & (sign * curv < 0)
        out.append(np.where(ok, peak, y1))
    return out[0], out[1]


def _newton_equilibrium(sys, x, p):
    """Newton on ``f(x, p) = 0`` from ``x``: (equilibrium, eigenvalues by decreasing
    real part) or (None, None)."""
    x = np.array(x, float)
    for _ in range(60):
        f = sys.rhs(x, p)[0]
        try:
            dx = np.linalg.solve(sys.jac(x, p), f)
        except np.linalg.LinAlgError:
            return None, None
        x = x - dx
        if not np.all(np.isfinite(x)):
            return None, None
        if np.max(np.abs(dx)) < 1e-13 * (1 + np.max(np.abs(x))):
            lam = np.linalg.eigvals(sys.jac(x, p))
            return x, lam[np.argsort(-lam.real, kind="stable")]
    return None, None


def _saddle_node(sys, x, p):
    """The fold ``f(x, p) = 0, det D_x f = 0`` nearest ``(x, p)``: (state, p, eigenvalues)
    or (None, nan, None)."""
    from scipy.optimize import root

    scale = 1.0 + np.max(np.abs(x))

    def g(z):
        xs, ps = z[:-1], z[-1]
        J = sys.jac(xs, ps)
        return np.append(sys.rhs(xs, ps)[0], np.linalg.det(J) / scale ** (len(xs) - 1))

    with np.errstate(all="ignore"):
        sol = root(g, np.append(x, p), method="hybr", options={"xtol": 1e-13})
    # judged by the residual: 'xtol too small' ends a converged run as a failure
    if not np.all(np.isfinite(sol.x)) or np.max(np.abs(g(sol.x))) > 1e-10:
        return None, math.nan, None
    xs, ps = sol.x[:-1], float(sol.x[-1])
    lam = np.linalg.eigvals(sys.jac(xs, ps))
    return xs, ps, lam[np.argsort(-lam.real, kind="stable")]


def _monotone_tail(P):
    """True on the branch's last points along which the parameter moves one way (after
    its last turning point): the asymptotic laws are fitted there only."""
    keep = np.zeros(len(P), bool)
    d = np.sign(np.diff(P))
    if len(d) == 0:
        return keep
    i = len(d) - 1
    while i >= 0 and d[i] == d[-1]:
        i -= 1
    keep[i + 1 :] = True
    return keep


def _fit_power_period(P, T, ph):
    """Slope of ``ln T`` against ``ln|p - ph|`` over the points whose period is at least
    a quarter of the last one (-1/2 at a saddle-node on the cycle)."""
    idx = np.nonzero(T >= 0.25 * T[-1])[0]
    if len(idx) < 3:
        idx = np.arange(max(0, len(T) - 4), len(T))
    z = np.log(np.abs(P[idx] - ph))
    A = np.column_stack([np.ones_like(z), z])
    coef, *_ = np.linalg.lstsq(A, np.log(T[idx]), rcond=None)
    return float(coef[1])


def _fit_log_period(P, T):
    """Fit ``T = a + s ln|p - p_h|`` to the points whose period is at least half the
    last one; returns (s, p_h, ok)."""
    keep = T >= 0.5 * T[-1]
    idx = np.nonzero(keep)[0]
    idx = idx[idx >= idx[-1] - 60]
    if len(idx) < 4:
        idx = np.arange(max(0, len(T) - 6), len(T))
    p, tt = P[idx], T[idx]
    direction = np.sign(p[-1] - p[0]) or 1.0
    span = float(np.ptp(p)) or 1e-12

    def resid(log_delta):
        ph = p[-1] + direction * math.exp(log_delta)
        z = np.log(np.abs(p - ph))
        A = np.column_stack([np.ones_like(z), z])
        coef, *_ = np.linalg.lstsq(A, tt, rcond=None)
        return float(np.sum((A @ coef - tt) ** 2)), coef

    lo_d = math.log(max(1e-16 * (1 + abs(p[-1])), 1e-300))
    hi_d = math.log(span * 10)
    grid = np.linspace(lo_d, hi_d, 200)
    vals = [resid(g)[0] for g in grid]
    g0 = int(np.argmin(vals))
    a_, b_ = grid[max(g0 - 1, 0)], grid[min(g0 + 1, len(grid) - 1)]
    try:
        res = minimize_scalar(
            lambda g: resid(g)[0], bounds=(a_, b_), method="bounded", options={"xatol": 1e-10}
        )
        best = float(res.x)
    except (ValueError, ArithmeticError):
        best = float(grid[g0])
    _, coef = resid(best)
    ph = p[-1] + direction * math.exp(best)
    ok = bool(np.all(np.isfinite(coef))) and coef[1] < 0
    return float(coef[1]), float(ph), ok
