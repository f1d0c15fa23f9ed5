"""Two-parameter fold curves, cusps, and the regime map of a parameter plane."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

import numpy as np
from scipy.optimize import brentq

from dyadmodel.analysis._checks import check_options
from dyadmodel.analysis.equilibria import equilibria
from dyadmodel.continuation._branch import (
    Compiled,
    _check_span,
    _trace_both,
    compiled,
    continuation,
)
from dyadmodel.continuation._cycle_curves import CycleCurveOptions
from dyadmodel.continuation._cycle_curves import _checked as _check_cycle_args
from dyadmodel.continuation._cycle_curves import _sweep as _cycle_sweep
from dyadmodel.continuation._engine import Box, correct, point_at
from dyadmodel.continuation._hopf import _hopf_curve, codim_two_point
from dyadmodel.continuation._types import CodimTwoPoint, ContinuationOptions, _frozen
from dyadmodel.errors import InvalidInputError
from dyadmodel.model import Model, ParameterSet

__all__ = [
    "AttachmentRegime",
    "CodimTwoPoint",
    "FoldCurve",
    "RegimeMap",
    "attachment_regime_map",
    "attachment_regime_table",
    "classify_regime",
    "fold_curve",
    "regime_map",
]

REGIMES = (
    "balanced only",
    "entrenched only",
    "bistable",
    "mutual withdrawal",
    "oscillating",
    "cycle and steady state",
    "monostable",
    "multistable",
    "other",
)


# -- the extended fold system -----------------------------------------------------------


class FoldSystem:
    """Folds in two parameters: ``u = (x, v, p1, p2)`` with
    ``f(x, p) = 0, J(x, p) v = 0, l . v = 1`` (2n + 1 equations, 2n + 2 unknowns).

    ``l`` is the null vector at the starting fold; the normalisation holds as long as
    the null vector does not turn by 90 degrees along the curve.
    """

    def __init__(self, comp: Compiled, pvec, uvec, k1: int, k2: int, l: np.ndarray) -> None:  # noqa: E741
        self.comp, self.pvec, self.uvec = comp, np.array(pvec, float), uvec
        self.k1, self.k2, self.l = k1, k2, np.array(l, float)
        self.n = comp.n

    def split(self, u):
        n = self.n
        pv = self.pvec.copy()
        pv[self.k1], pv[self.k2] = u[2 * n], u[2 * n + 1]
        return u[:n], u[n : 2 * n], pv

    def residual(self, u):
        x, v, pv = self.split(u)
        J = self.comp.jac(x, pv, self.uvec)
        return np.concatenate([self.comp.rhs(x, pv, self.uvec), J @ v, [self.l @ v - 1.0]])

    def jacobian(self, u):
        n = self.n
        x, v, pv = self.split(u)
        J = self.comp.jac(x, pv, self.uvec)
        fp = self.comp.dfdp(x, pv, self.uvec)[:, [self.k1, self.k2]]
        jvx, jvp = self.comp.djv(x, pv, self.uvec, v)
        out = np.zeros((2 * n + 1, 2 * n + 2))
        out[:n, :n], out[:n, 2 * n :] = J, fp
        out[n : 2 * n, :n], out[n : 2 * n, n : 2 * n] = jvx, J
        out[n : 2 * n, 2 * n :] = jvp[:, [self.k1, self.k2]]
        out[2 * n, n : 2 * n] = self.l
        return out

    def jac_x(self, u):
        x, _, pv = self.split(u)
        return self.comp.jac(x, pv, self.uvec)

    def left_null(self, u, w0):
        """Left null vector ``w`` of J, normalised by ``w0 . w = 1`` (smooth in u)."""
        J = self.jac_x(u)
        n = self.n
        A = np.zeros((n + 1, n + 1))
        A[:n, :n], A[:n, n], A[n, :n] = J.T, w0, w0
        rhs = np.zeros(n + 1)
        rhs[n] = 1.0
        return np.linalg.solve(A, rhs)[:n]

    def cusp_test(self, u, w0):
        """``w . D^2 f(v, v)``: the fold's quadratic coefficient, zero at a cusp."""
        x, v, pv = self.split(u)
        jvx, _ = self.comp.djv(x, pv, self.uvec, v)
        return float(self.left_null(u, w0) @ (jvx @ v))

    def bt_test(self, u, w0):
        """``w . v``: zero where the second eigenvalue also vanishes (Bogdanov-Takens)."""
        return float(self.left_null(u, w0) @ self.split(u)[1])


# -- results --------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True, eq=False)
class FoldCurve:
    """A curve of folds (saddle-nodes) in a parameter plane.

    Attributes
    ----------
    x_param, y_param : str
    x_values, y_values : ndarray, shape (m,)
        The curve in the parameter plane, ordered along it.
    states : ndarray, shape (m, n_states)
        The fold equilibrium at each point.
    status, message : str
        As for `Branch` ('completed' when it left the plane's rectangle at both ends).
    points : tuple of CodimTwoPoint
        Cusps and Bogdanov-Takens points on the curve.
    model_name : str
    params : ParameterSet

    Examples
    --------
    >>> import dyadmodel as dm
    >>> m = dm.models.get("pursuer-distancer-2d")
    >>> d = dm.continuation(m, m.params(avoidance_gain_2=2.0), "anxiety_gain_1", (0.5, 4))
    >>> curve = dm.fold_curve(m, d.folds[0], "avoidance_gain_2", (0.5, 4), (0.5, 4))
    >>> curve.x_param, curve.y_param, curve.status
    ('anxiety_gain_1', 'avoidance_gain_2', 'completed')
    """

    x_param: str
    y_param: str
    x_values: np.ndarray
    y_values: np.ndarray
    states: np.ndarray
    status: str
    message: str
    points: tuple[CodimTwoPoint, ...]
    model_name: str
    params: ParameterSet

    def __post_init__(self) -> None:
        for name in ("x_values", "y_values", "states"):
            object.__setattr__(self, name, _frozen(getattr(self, name)))

    @property
    def cusps(self) -> tuple[CodimTwoPoint, ...]:
        """The cusps among ``points``, in order along the curve."""
        return tuple(p for p in self.points if p.kind == "cusp")

    def __repr__(self) -> str:
        return (
            f"FoldCurve({self.x_param}, {self.y_param}, {len(self.x_values)} points, "
            f"status={self.status!r}, points={list(self.points)})"
        )


def fold_curve(
    model: Model,
    fold,
    y_param: str,
    x_span: tuple[float, float],
    y_span: tuple[float, float],
    options: ContinuationOptions | None = None,
) -> FoldCurve:
    """Continue a fold found by `continuation` in a second parameter.

    Parameters
    ----------
    model : Model
        The model.
    fold : SpecialPoint
        A fold (``kind == 'fold'``); its continuation parameter is the curve's x.
    y_param : str
        The second parameter.
    x_span, y_span : (float, float)
        The rectangle of the parameter plane the curve is traced in.
    options : ContinuationOptions, optional
        Options (see `ContinuationOptions`); its defaults when omitted.

    Returns
    -------
    FoldCurve
        With its cusps (where two fold curves meet: the quadratic coefficient
        ``w . D^2 f(v, v)`` changes sign) and Bogdanov-Takens points (``w . v``
        changes sign), each located by Brent's method.

    Raises
    ------
    InvalidInputError
        For an argument with an invalid value (the message says which and why).

    Notes
    -----
    The extended system ``f = 0, J v = 0, l . v = 1`` (Kuznetsov 2004, section 10.2.1)
    is continued with the same pseudo-arclength engine as the branches; its Jacobian
    uses exact second derivatives of the model (sympy). Inputs are at their defaults.

    Examples
    --------
    >>> import dyadmodel as dm
    >>> m = dm.models.get("pursuer-distancer-2d")
    >>> d = dm.continuation(m, m.params(avoidance_gain_2=2.0), "anxiety_gain_1", (0.5, 4))
    >>> curve = dm.fold_curve(m, d.folds[0], "avoidance_gain_2", (0.5, 4), (0.5, 4))
    >>> curve.states.shape[1], len(curve.x_values) == len(curve.y_values)
    (2, True)
    """
    if fold.kind != "fold":
        raise InvalidInputError(f"fold_curve needs a fold, got a {fold.kind!r} point")
    opts = check_options(options, ContinuationOptions)
    out, _, _ = _fold_curve(model, fold.params, fold.param, y_param, fold, x_span, y_span, opts)
    return out


def _fold_curve(model, p, x_param, y_param, fold, x_span, y_span, opts):
    comp = compiled(model)
    n = model.n_states
    k1, k2 = model.parameter_names.index(x_param), model.parameter_names.index(y_param)
    uvec = [v for _, v in getattr(fold, "inputs", ())] or [u.default for u in model.inputs]
    J = model.jacobian(fold.state, fold.params, dict(zip(model.input_names, uvec)) or None)
    _, _, vt = np.linalg.svd(J)
    v0 = vt[-1] / np.linalg.norm(vt[-1])
    w0 = np.linalg.svd(J)[0][:, -1]
    sys = FoldSystem(comp, p.as_array(), uvec, k1, k2, v0)
    u0 = np.concatenate([fold.state, v0, [fold.params[x_param], fold.params[y_param]]])
    a = np.zeros(len(u0))
    a[2 * n + 1] = 1.0
    u0, _, _ = correct(sys, u0, a, u0[2 * n + 1], opts.newton_tol, 20)
    names = model.state_names

    def where(u):
        st = ", ".join(f"{nm}={v:.6g}" for nm, v in zip(names, u[:n]))
        return f"{x_param}={u[2 * n]:.10g}, {y_param}={u[2 * n + 1]:.10g} ({st})"

    boxes = [Box(2 * n, min(x_span), max(x_span)), Box(2 * n + 1, min(y_span), max(y_span))]
    U, T, status, message = _trace_both(sys, u0, opts, boxes, slice(0, n), where)
    points = _codim_two(model, p, sys, U, T, w0, x_param, y_param, opts)
    curve = FoldCurve(
        x_param=x_param,
        y_param=y_param,
        x_values=U[:, 2 * n],
        y_values=U[:, 2 * n + 1],
        states=U[:, :n],
        status=status,
        message=message,
        points=tuple(points),
        model_name=model.name,
        params=p,
    )
    return curve, sys, U


def _codim_two(model, p, sys, U, T, w0, x_param, y_param, opts):
    n = sys.n
    out = []
    tests = {
        "cusp": lambda u: sys.cusp_test(u, w0),
        "bogdanov-takens": lambda u: sys.bt_test(u, w0),
    }
    for kind, g in tests.items():
        vals = np.array([g(u) for u in U])
        for i in np.nonzero(np.sign(vals[:-1]) * np.sign(vals[1:]) < 0)[0]:
            u_i, t_i = U[i], T[i]
            end = float(t_i @ (U[i + 1] - u_i))

            def h(s, u_i=u_i, t_i=t_i, i=i, g=g):
                pt = point_at(sys, u_i, t_i, s, opts, U[i + 1])
                if pt is None:
                    raise RuntimeError("corrector failed")
                return g(pt[0])

            try:
                s = brentq(h, 0.0, end, xtol=opts.locate_tol)
                u = point_at(sys, u_i, t_i, s, opts, U[i + 1])[0]
            except (RuntimeError, ValueError, TypeError):
                u = 0.5 * (U[i] + U[i + 1])
            out.append(codim_two_point(kind, u, n, x_param, y_param, sys, model, p))
    return out


# -- regime classification --------------------------------------------------------------------


def classify_regime(eqs) -> str:
    """The regime of a couple from its equilibria (an `EquilibriumSet`).

    'balanced only', 'entrenched only', 'bistable' (balanced and entrenched both
    stable), 'mutual withdrawal' (the only stable states are labelled so),
    'oscillating' (equilibria, none stable: for the bounded flagship models the flow
    then settles on a cycle; not checked here), 'other' (e.g. one-sided states, or no
    equilibrium in the searched box); for models without a couple vocabulary
    'monostable' or 'multistable'. An incomplete equilibrium search can misclassify:
    `RegimeMap.complete` records it.

    Parameters
    ----------
    eqs : EquilibriumSet
        The equilibria of one parameter point.

    Returns
    -------
    str
        One of the regime names above.

    Examples
    --------
    >>> import dyadmodel as dm
    >>> from dyadmodel.continuation import classify_regime
    >>> m = dm.models.get("pursuer-distancer-2d")
    >>> classify_regime(dm.equilibria(m, m.params(anxiety_gain_1=2.0, avoidance_gain_2=2.0)))
    'bistable'
    """
    stable = [e for e in eqs if e.stable]
    if not stable:
        return "oscillating" if len(eqs) else "other"
    labels = [e.label for e in stable]
    if not any(labels):
        return "monostable" if len(stable) == 1 else "multistable"
    balanced = [lab == "balanced" for lab in labels]
    entrenched = [lab.startswith("entrenched") for lab in labels]
    if any(balanced) and any(entrenched):
        return "bistable"
    if all(balanced):
        return "balanced only"
    if all(entrenched):
        return "entrenched only"
    if all(lab == "mutual withdrawal" for lab in labels):
        return "mutual withdrawal"
    return "other"


@dataclasses.dataclass(frozen=True, eq=False)
class RegimeMap:
    """Regimes of a parameter plane: grid classification and fold-curve boundaries.

    Attributes
    ----------
    x_param, y_param : str
    x_values : ndarray, shape (nx,)
    y_values : ndarray, shape (ny,)
    regimes : ndarray of str, shape (ny, nx)
        `classify_regime` of the equilibria at each grid point (row = y); with
        ``regime_map(..., cycle_curves=True)``, 'cycle and steady state' where a stable
        cycle (continued from a Hopf curve) coexists with a stable equilibrium.
    n_equilibria, n_stable : ndarray of int, shape (ny, nx)
    complete : ndarray of bool, shape (ny, nx)
        Whether each equilibrium search was proved complete.
    fold_curves : tuple of FoldCurve
        The boundaries where equilibria appear or vanish in pairs, traced by
        continuation (not from the grid).
    cusps : tuple of CodimTwoPoint
    notes : tuple of str
    model_name : str
    params : ParameterSet
    hopf_curves : tuple of HopfCurve
        The boundaries where a steady state starts to oscillate, traced by continuation
        from the Hopf points the seeding continuations found (their Bogdanov-Takens
        ends are in each curve's ``points``).
    lpc_curves, homoclinic_curves : tuple of CycleCurve
        With ``regime_map(..., cycle_curves=True)``: the boundaries set by cycles, one
        `CycleCurve` per Hopf curve (possibly empty): where a stable and an unstable
        cycle are born together (folds of cycles: e.g. oscillating <-> bistable between
        a cycle and a steady state) and where the cycles end in a homoclinic orbit or a
        saddle-node on the cycle.

    Examples
    --------
    >>> import dyadmodel as dm
    >>> m = dm.models.get("pursuer-distancer-2d")
    >>> r = dm.regime_map(m, None, ("anxiety_gain_1", (0, 4)), ("avoidance_gain_2", (0, 4)), 3,
    ...                   curve_lines=0)
    >>> r.regimes.shape, r.regimes[1, 1]
    ((3, 3), 'bistable')
    """

    x_param: str
    y_param: str
    x_values: np.ndarray
    y_values: np.ndarray
    regimes: np.ndarray
    n_equilibria: np.ndarray
    n_stable: np.ndarray
    complete: np.ndarray
    fold_curves: tuple[FoldCurve, ...]
    cusps: tuple[CodimTwoPoint, ...]
    notes: tuple[str, ...]
    model_name: str
    params: ParameterSet
    hopf_curves: tuple = ()
    lpc_curves: tuple = ()
    homoclinic_curves: tuple = ()

    def __post_init__(self) -> None:
        for name in ("x_values", "y_values", "n_equilibria", "n_stable", "complete"):
            object.__setattr__(self, name, _frozen(getattr(self, name), getattr(self, name).dtype))
        object.__setattr__(self, "regimes", _frozen(self.regimes, object))

    def regime_counts(self) -> dict[str, int]:
        """How many grid points each regime holds.

        Returns
        -------
        dict
            Regime name -> count, sorted by name.

        Examples
        --------
        >>> import dyadmodel as dm
        >>> m = dm.models.get("pursuer-distancer-2d")
        >>> r = dm.regime_map(m, None, ("anxiety_gain_1", (0, 4)), ("avoidance_gain_2", (0, 4)), 3,
        ...                   curve_lines=0)
        >>> r.regime_counts()
        {'balanced only': 5, 'bistable': 1, 'entrenched only': 3}
        """
        names, counts = np.unique(self.regimes.astype(str), return_counts=True)
        return dict(zip(names.tolist(), counts.tolist()))

    def to_xarray(self):
        """The grid as an `xarray.Dataset` over (``y_param``, ``x_param``) (xarray
        imported here).

        Variables: ``regime`` (str), ``n_equilibria``, ``n_stable``, ``complete``. The
        fold and Hopf curves are not gridded; they stay in ``fold_curves`` and
        ``hopf_curves``.

        Returns
        -------
        xarray.Dataset
            Over (``y_param``, ``x_param``), with the variables above.

        Examples
        --------
        >>> import dyadmodel as dm
        >>> m = dm.models.get("pursuer-distancer-2d")
        >>> r = dm.regime_map(m, None, ("anxiety_gain_1", (0, 4)), ("avoidance_gain_2", (0, 4)), 3,
        ...                   curve_lines=0)
        >>> dict(r.to_xarray().sizes)
        {'avoidance_gain_2': 3, 'anxiety_gain_1': 3}
        """
        from dyadmodel._display import optional_module

        xr = optional_module("xarray", "to_xarray()")
        dims = (self.y_param, self.x_param)
        return xr.Dataset(
            {
                "regime": (dims, self.regimes.astype(str)),
                "n_equilibria": (dims, self.n_equilibria.copy()),
                "n_stable": (dims, self.n_stable.copy()),
                "complete": (dims, self.complete.copy()),
            },
            coords={self.x_param: self.x_values.copy(), self.y_param: self.y_values.copy()},
            attrs={"model": self.model_name, "notes": list(self.notes)},
        )

    def to_dataframe(self):
        """One row per grid point, as a `pandas.DataFrame` with columns ``x_param``,
        ``y_param``, ``regime``, ``n_equilibria``, ``n_stable``, ``complete`` (see
        `to_xarray` for the gridded form).

        Returns
        -------
        pandas.DataFrame
            One row per grid point.

        Examples
        --------
        >>> import dyadmodel as dm
        >>> m = dm.models.get("pursuer-distancer-2d")
        >>> r = dm.regime_map(m, None, ("anxiety_gain_1", (0, 4)), ("avoidance_gain_2", (0, 4)), 3,
        ...                   curve_lines=0)
        >>> list(r.to_dataframe().columns)
        ['anxiety_gain_1', 'avoidance_gain_2', 'regime', 'n_equilibria', 'n_stable', 'complete']
        """
        from dyadmodel._display import optional_module

        pd = optional_module("pandas", "to_dataframe()")
        gx, gy = np.meshgrid(self.x_values, self.y_values)
        df = pd.DataFrame(
            {
                self.x_param: gx.ravel(),
                self.y_param: gy.ravel(),
                "regime": self.regimes.astype(str).ravel(),
                "n_equilibria": self.n_equilibria.ravel(),
                "n_stable": self.n_stable.ravel(),
                "complete": self.complete.ravel(),
            }
        )
        df.attrs.update(model=self.model_name, params=self.params.as_dict())
        return df

    def _repr_html_(self) -> str:
        from dyadmodel._display import html_table

        caption = (
            f"{self.model_name}: regimes of {self.x_param} x {self.y_param} on a "
            f"{len(self.x_values)} x {len(self.y_values)} grid, {len(self.fold_curves)} fold "
            f"curves, {len(self.cusps)} cusps, {len(self.hopf_curves)} Hopf curves"
        )
        rows = [[k, v] for k, v in self.regime_counts().items()]
        return html_table(["regime", "grid points"], rows, caption=caption)

    def __repr__(self) -> str:
        return (
            f"RegimeMap({self.model_name!r}, {self.x_param} x {self.y_param}, "
            f"grid {len(self.x_values)}x{len(self.y_values)}, regimes={self.regime_counts()}, "
            f"{len(self.fold_curves)} fold curves, {len(self.cusps)} cusps, "
            f"{len(self.hopf_curves)} Hopf curves)"
        )


def regime_map(
    model: Model,
    params: ParameterSet | Mapping[str, Any] | None,
    x: tuple[str, tuple[float, float]],
    y: tuple[str, tuple[float, float]],
    resolution: int | tuple[int, int] = 25,
    options: ContinuationOptions | None = None,
    *,
    curve_lines: int = 3,
    cycle_curves: bool = False,
    cycle_options: CycleCurveOptions | None = None,
) -> RegimeMap:
    """Classify a parameter plane into regimes and trace its fold-curve boundaries.

    Parameters
    ----------
    model : Model
        The model.
    params : ParameterSet or mapping or None
        The other parameters.
    x, y : (name, (low, high))
        The two parameters and their ranges.
    resolution : int or (nx, ny)
        Grid points per axis.
    options : ContinuationOptions, optional
        For the continuations that find and trace the fold curves.
    curve_lines : int
        One-parameter continuations in x at this many equally spaced y values (ends
        included), and in y at as many x values, seed the fold curves; a fold curve
        crossing none of these lines is missed.
    cycle_curves : bool
        Also trace, from every Hopf curve, the curves of folds of cycles and of
        homoclinic ends (`lpc_curve`, `homoclinic_curve`): the boundaries where the
        number or kind of attractors changes through cycles (e.g. oscillating <->
        bistable), which the grid of equilibria cannot see. Costs one cycle
        continuation per step of y per Hopf curve (seconds each).
    cycle_options : CycleCurveOptions, optional
        Steps and budgets of those curves (y is stepped over the map's y range).

    Returns
    -------
    RegimeMap
        The result; see `RegimeMap` for its fields.

    Raises
    ------
    InvalidInputError
        For an argument with an invalid value (the message says which and why).

    Notes
    -----
    Each grid point costs one `dyadmodel.equilibria` call (uncertified; ~20 ms for
    the reduced flagship model), so a 25 x 25 grid takes ~15 s on one core; the fold
    curves cost about as much as a handful of one-parameter continuations. Hopf
    curves (`hopf_curve`) are traced from every Hopf point the same seeding
    continuations find (with ``options.detect_hopf``); like the fold curves, a Hopf
    curve crossing none of the seeding lines is missed, and only the grid shows the
    regime change there.

    Examples
    --------
    >>> import dyadmodel as dm
    >>> from dyadmodel.continuation import regime_map
    >>> m = dm.models.get("pursuer-distancer-2d")
    >>> r = regime_map(m, None, ("anxiety_gain_1", (0, 4)), ("avoidance_gain_2", (0, 4)), 5)
    >>> r.regimes[2, 2], len(r.fold_curves)  # equal gains 2: bistable between two folds
    ('bistable', 2)
    >>> r = regime_map(m, None, ("anxiety_gain_1", (14, 20)), ("avoidance_gain_2", (0.15, 0.4)), 3)
    >>> [(c.kind, round(c.x_value, 4), round(c.y_value, 4)) for c in r.cusps]
    [('cusp', 19.1969, 0.2422)]
    """
    opts = check_options(options, ContinuationOptions)
    p = model.parameter_set(params)
    (xn, xs), (yn, ys) = x, y
    if xn == yn:
        raise InvalidInputError(f"x and y are both {xn!r}; choose two different parameters")
    x_span, y_span = _check_span(model, xn, xs), _check_span(model, yn, ys)
    nx, ny = (resolution, resolution) if isinstance(resolution, int) else resolution
    if min(nx, ny) < 2:
        raise InvalidInputError(f"resolution = {resolution!r}; expected at least 2 points per axis")
    xv, yv = np.linspace(*x_span, nx), np.linspace(*y_span, ny)
    regimes = np.empty((ny, nx), dtype=object)
    n_eq = np.zeros((ny, nx), dtype=int)
    n_st = np.zeros((ny, nx), dtype=int)
    complete = np.zeros((ny, nx), dtype=bool)
    for j, b in enumerate(yv):
        for i, a in enumerate(xv):
            eqs = equilibria(model, p.replace(**{xn: a, yn: b}), options=opts.equilibrium)
            regimes[j, i] = classify_regime(eqs)
            n_eq[j, i] = len(eqs)
            n_st[j, i] = len(eqs.stable)
            complete[j, i] = eqs.complete
    curves, hopfs, notes = _all_fold_curves(model, p, xn, yn, x_span, y_span, opts, curve_lines)
    cusps = tuple(c for curve in curves for c in curve.cusps)
    lpcs, homs = [], []
    if cycle_curves:
        copts = check_options(cycle_options, CycleCurveOptions, "cycle_options")
        copts = dataclasses.replace(copts, n_steps=ny)  # the steps are the grid's rows
        stable_cycle = np.zeros((ny, nx), dtype=bool)
        for hc in hopfs:
            _check_cycle_args(model, p, hc, yn, y_span, x_span)
            found, sweep = _cycle_sweep(model, p, hc, yn, y_span, x_span, copts)
            lpcs.append(found["LPC"])
            homs.append(found["homoclinic"])
            for kind in ("LPC", "homoclinic"):
                notes.extend(f"{kind} curve: {e}" for e in found[kind].ends)
            steps = sorted(sweep.found)
            for j, b in enumerate(yv):
                at = [y for y in steps if abs(y - b) <= 1e-12 * (1 + abs(b))]
                for lo, hi in sweep.found[at[0]]["stable"] if at else ():
                    stable_cycle[j] |= (xv >= lo) & (xv <= hi)
        for (j, i), has_cycle in np.ndenumerate(stable_cycle):
            if has_cycle and n_st[j, i] > 0:
                regimes[j, i] = "cycle and steady state"
    return RegimeMap(
        x_param=xn,
        y_param=yn,
        x_values=xv,
        y_values=yv,
        regimes=regimes,
        n_equilibria=n_eq,
        n_stable=n_st,
        complete=complete,
        fold_curves=tuple(curves),
        cusps=_dedupe_points(cusps),
        notes=tuple(notes),
        model_name=model.name,
        params=p,
        hopf_curves=tuple(hopfs),
        lpc_curves=tuple(lpcs),
        homoclinic_curves=tuple(homs),
    )


def _all_fold_curves(model, p, xn, yn, x_span, y_span, opts, lines):
    n = model.n_states
    traced = []  # (curve, system, points)
    notes = []
    seeds = []
    hopf_seeds = []
    for fixed, free, free_span, fixed_span in ((yn, xn, x_span, y_span), (xn, yn, y_span, x_span)):
        for value in np.linspace(*fixed_span, max(lines, 1)):
            d = continuation(model, p.replace(**{fixed: float(value)}), free, free_span, opts)
            seeds.extend((f, fixed) for f in d.folds)
            hopf_seeds.extend((h, fixed) for h in d.hopf_points)
    for fold, fixed in seeds:
        idx = 2 * n + (1 if fixed == yn else 0)
        if any(_on_curve(sys, U, fold, idx, n, xn, yn, opts) for _, sys, U in traced):
            continue
        curve, sys, U = _fold_curve(model, p, xn, yn, _as_fold(fold, xn, yn), x_span, y_span, opts)
        traced.append((curve, sys, U))
        if curve.status not in ("completed", "closed"):
            notes.append(f"fold curve {len(traced) - 1}: {curve.message}")
    hopfs = _all_hopf_curves(model, p, xn, yn, x_span, y_span, opts, hopf_seeds, notes)
    return [c for c, _, _ in traced], hopfs, notes


def _all_hopf_curves(model, p, xn, yn, x_span, y_span, opts, seeds, notes):
    n = model.n_states
    traced = []
    for h, fixed in seeds:
        idx = 2 * n + (1 if fixed == yn else 0)
        if any(_on_curve(sys, U, h, idx, n, xn, yn, opts) for _, sys, U in traced):
            continue
        try:
            curve, sys, U = _hopf_curve(model, p, xn, yn, _as_fold(h, xn, yn), x_span, y_span, opts)
        except (RuntimeError, ValueError) as err:
            notes.append(f"Hopf point at {xn}={h.params[xn]:.8g}, {yn}={h.params[yn]:.8g}: {err}")
            continue
        traced.append((curve, sys, U))
        if curve.status not in ("completed", "closed"):
            notes.append(f"Hopf curve {len(traced) - 1}: {curve.message}")
    return [c for c, _, _ in traced]


def _as_fold(fold, xn, yn):
    """The fold seen as a point with continuation parameter x (whatever it was found in)."""
    if fold.param == xn:
        return fold
    return dataclasses.replace(fold, param=xn, value=fold.params[xn])


def _on_curve(sys, U, fold, idx, n, xn, yn, opts) -> bool:
    target = np.concatenate([fold.state, [fold.params[xn], fold.params[yn]]])
    keep = np.r_[0:n, 2 * n, 2 * n + 1]
    scale = 1.0 + np.linalg.norm(target)
    value = target[-1] if idx == 2 * n + 1 else target[-2]
    d = U[:, idx] - value
    a = np.zeros(U.shape[1])
    a[idx] = 1.0
    for i in np.nonzero(d[:-1] * d[1:] <= 0)[0]:
        den = d[i] - d[i + 1]
        w = 0.5 if den == 0 else d[i] / den
        guess = U[i] + w * (U[i + 1] - U[i])
        if np.linalg.norm(guess[keep] - target) > np.linalg.norm(U[i + 1] - U[i]) + 1e-3:
            continue
        u, ok, _ = correct(sys, guess, a, value, opts.newton_tol, opts.max_newton_iter)
        if ok and np.linalg.norm(u[keep] - target) <= 1e-6 * scale:
            return True
    return False


def _dedupe_points(points) -> tuple[CodimTwoPoint, ...]:
    out: list[CodimTwoPoint] = []
    for q in points:
        if not any(
            q.kind == r.kind
            and abs(q.x_value - r.x_value) < 1e-6 * (1 + abs(r.x_value))
            and abs(q.y_value - r.y_value) < 1e-6 * (1 + abs(r.y_value))
            for r in out
        ):
            out.append(q)
    return tuple(out)


# -- attachment regimes -------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True, eq=False)
class AttachmentRegime:
    """The regime of one pairing of attachment styles.

    Attributes
    ----------
    style_1, style_2 : str
        Partner 1's and partner 2's style.
    regime : str
        `classify_regime` of the couple's equilibria.
    n_equilibria : int
    stable_labels : tuple of str
    model_name : str
    params : ParameterSet
        The couple's parameters (`dyadmodel.attachment.couple_params_from`).

    Examples
    --------
    >>> import dyadmodel as dm
    >>> from dyadmodel.continuation import attachment_regime_table
    >>> rows = attachment_regime_table(dm.models.get("pursuer-distancer-2d"))
    >>> len(rows), type(rows[0]).__name__
    (16, 'AttachmentRegime')
    """

    style_1: str
    style_2: str
    regime: str
    n_equilibria: int
    stable_labels: tuple[str, ...]
    model_name: str
    params: ParameterSet


def attachment_regime_table(
    model: Model, *, mapping=None, **overrides: float
) -> tuple[AttachmentRegime, ...]:
    """The regime of each of the 16 pairings of attachment styles.

    Parameters
    ----------
    model : Model
        A pursuer-distancer model.
    mapping : AttachmentMapping, optional
        The score-to-parameter hypothesis (`dyadmodel.attachment.DEFAULT_MAPPING`).
    **overrides : float
        Further parameter values.

    Returns
    -------
    tuple of AttachmentRegime
        Partner 1's style varies slowest (secure, anxious, avoidant, fearful).

    Notes
    -----
    Each style stands for its prototypical scores (`dyadmodel.attachment`); the
    regimes hold for those scores only, not for every couple of those styles.

    Examples
    --------
    >>> import dyadmodel as dm
    >>> from dyadmodel.continuation import attachment_regime_table
    >>> t = attachment_regime_table(dm.models.get("pursuer-distancer-2d"))
    >>> [(r.style_1, r.style_2, r.regime) for r in t][:2]
    [('secure', 'secure', 'balanced only'), ('secure', 'anxious', 'balanced only')]
    """
    from dyadmodel.attachment import DEFAULT_MAPPING, AttachmentStyle, couple_params_from

    mp = DEFAULT_MAPPING if mapping is None else mapping
    rows = []
    for s1 in AttachmentStyle:
        for s2 in AttachmentStyle:
            p = couple_params_from(model, s1, s2, mapping=mp, **overrides)
            eqs = equilibria(model, p)
            rows.append(
                AttachmentRegime(
                    style_1=str(s1.value),
                    style_2=str(s2.value),
                    regime=classify_regime(eqs),
                    n_equilibria=len(eqs),
                    stable_labels=tuple(e.label for e in eqs.stable),
                    model_name=model.name,
                    params=p,
                )
            )
    return tuple(rows)


def attachment_regime_map(
    model: Model,
    *,
    anxiety_1: tuple[float, float] = (1.0, 7.0),
    avoidance_2: tuple[float, float] = (1.0, 7.0),
    other_scores: tuple[float, float] = (2.0, 2.0),
    mapping=None,
    resolution: int | tuple[int, int] = 13,
    options: ContinuationOptions | None = None,
    curve_lines: int = 3,
    **overrides: float,
) -> RegimeMap:
    """The regime map over partner 1's attachment anxiety and partner 2's avoidance.

    Parameters
    ----------
    model : Model
        A pursuer-distancer model (with ``anxiety_gain_1`` and ``avoidance_gain_2``).
    anxiety_1, avoidance_2 : (float, float)
        The score ranges of the map's axes (ECR-R scale: within 1-7).
    other_scores : (float, float)
        Partner 2's anxiety and partner 1's avoidance, held fixed (default: 2, the
        secure prototype); unused by ``pursuer-distancer-2d``.
    mapping : AttachmentMapping, optional
        The score-to-parameter hypothesis (`dyadmodel.attachment.DEFAULT_MAPPING`).
    resolution : int or (int, int), default 13
        As for `regime_map`; 13 puts grid points on the half scores of 1-7.
    options : ContinuationOptions, optional
        As for `regime_map`.
    curve_lines : int, default 3
        As for `regime_map`.
    **overrides : float
        Further parameter values (`dyadmodel.attachment.couple_params`).

    Returns
    -------
    RegimeMap
        With ``x_param = 'anxiety_1'`` and ``y_param = 'avoidance_2'``: the grid, the
        fold curves (and Hopf curves and codimension-two points) in scores.
        ``params`` and each curve's ``params`` are the model's parameters.

    Raises
    ------
    InvalidInputError
        For an argument with an invalid value (the message says which and why).

    Notes
    -----
    The mapping is affine in each score (``gain = gain_min + (gain_max - gain_min) *
    (score - lo) / (hi - lo)``), so the map is computed by `regime_map` in the plane of
    ``(anxiety_gain_1, avoidance_gain_2)`` and its axes and curves are converted back
    to scores: a straight grid in gains is a straight grid in scores, and the traced
    curves are mapped exactly. A mapping that also sets ``openness_2`` from partner 2's
    avoidance (``openness_max``) would move a third parameter along the y axis; it is
    rejected for models with ``openness_2``.

    Examples
    --------
    >>> import dyadmodel as dm
    >>> from dyadmodel.continuation import attachment_regime_map
    >>> r = attachment_regime_map(dm.models.get("pursuer-distancer-2d"), resolution=7)
    >>> r.regimes[1, 1], r.regimes[5, 5]  # secure (2, 2) and anxious/avoidant (6, 6)
    ('balanced only', 'bistable')
    """
    from dyadmodel.attachment import DEFAULT_MAPPING, couple_params

    mp = DEFAULT_MAPPING if mapping is None else mapping
    missing = [k for k in ("anxiety_gain_1", "avoidance_gain_2") if k not in model.parameter_names]
    if missing:
        raise InvalidInputError(
            f"model {model.name!r} has no {', '.join(missing)}; the attachment regime map "
            "needs a pursuer-distancer model"
        )
    if mp.openness_max is not None and "openness_2" in model.parameter_names:
        raise InvalidInputError(
            "the mapping sets openness_2 from avoidance_2 (openness_max is set): the map's "
            "y axis would move two parameters; use openness_max=None"
        )
    for name in ("anxiety_gain", "avoidance_gain"):
        g0, g1 = getattr(mp, f"{name}_min"), getattr(mp, f"{name}_max")
        if g0 == g1:
            raise InvalidInputError(
                f"the mapping's {name}_min = {name}_max = {g0:g}: the score does not move "
                f"{name}, so there is no map to draw"
            )
    anx2, avo1 = other_scores
    (a_lo, a_hi), (v_lo, v_hi) = (
        tuple(float(s) for s in anxiety_1),
        tuple(float(s) for s in avoidance_2),
    )
    # validates every score against the scale
    p = couple_params(model, a_lo, avo1, anx2, v_lo, mapping=mp, **overrides)
    couple_params(model, a_hi, avo1, anx2, v_hi, mapping=mp, **overrides)
    if a_lo == a_hi or v_lo == v_hi:
        raise InvalidInputError(
            f"anxiety_1 = {anxiety_1!r}, avoidance_2 = {avoidance_2!r}: each range must "
            "have two different ends"
        )
    lo, hi = mp.scale

    def gain(stem, s):
        g0, g1 = getattr(mp, f"{stem}_min"), getattr(mp, f"{stem}_max")
        return g0 + (g1 - g0) * (s - lo) / (hi - lo)

    def score(stem, g):
        g0, g1 = getattr(mp, f"{stem}_min"), getattr(mp, f"{stem}_max")
        return lo + (np.asarray(g, float) - g0) * (hi - lo) / (g1 - g0)

    xg = (gain("anxiety_gain", a_lo), gain("anxiety_gain", a_hi))
    yg = (gain("avoidance_gain", v_lo), gain("avoidance_gain", v_hi))
    r = regime_map(
        model,
        p,
        ("anxiety_gain_1", xg),
        ("avoidance_gain_2", yg),
        resolution,
        options,
        curve_lines=curve_lines,
    )
    sx = lambda g: score("anxiety_gain", g)  # noqa: E731
    sy = lambda g: score("avoidance_gain", g)  # noqa: E731

    def pt(c):
        return dataclasses.replace(
            c,
            x_param="anxiety_1",
            y_param="avoidance_2",
            x_value=float(sx(c.x_value)),
            y_value=float(sy(c.y_value)),
        )

    def curve(c):
        return dataclasses.replace(
            c,
            x_param="anxiety_1",
            y_param="avoidance_2",
            x_values=sx(c.x_values),
            y_values=sy(c.y_values),
            points=tuple(pt(q) for q in c.points),
        )

    return dataclasses.replace(
        r,
        x_param="anxiety_1",
        y_param="avoidance_2",
        x_values=sx(r.x_values),
        y_values=sy(r.y_values),
        fold_curves=tuple(curve(c) for c in r.fold_curves),
        cusps=tuple(pt(c) for c in r.cusps),
        hopf_curves=tuple(curve(c) for c in r.hopf_curves),
    )
