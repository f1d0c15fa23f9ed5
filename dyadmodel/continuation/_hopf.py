"""Two-parameter Hopf curves, their Bogdanov-Takens end points and Bautin points:
`hopf_curve`."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from dyadmodel.analysis._checks import check_options
from dyadmodel.continuation._branch import Compiled, _check_span, _trace_both, compiled
from dyadmodel.continuation._detect import sorted_eigenvalues
from dyadmodel.continuation._engine import Box, correct, point_at
from dyadmodel.continuation._lyapunov import lyapunov_at
from dyadmodel.continuation._types import (
    BifurcationDiagram,
    CodimTwoPoint,
    ContinuationOptions,
    SpecialPoint,
    _frozen,
)
from dyadmodel.errors import ComputationError, InvalidInputError
from dyadmodel.model import Model, ParameterSet

__all__ = ["HopfCurve", "hopf_curve"]


class HopfSystem:
    """Hopf points in two parameters: ``u = (x, v, p1, p2, kappa)`` with

    ``f(x, p) = 0``, ``(J(x, p)^2 + kappa I) v = 0``, ``l1 . v = 1``, ``l2 . v = 0``

    (2n + 2 equations, 2n + 3 unknowns). At a Hopf point with eigenvalues ``+-i omega``
    the real two-dimensional eigenspace of the pair is the kernel of ``J^2 + omega^2 I``,
    so ``kappa = omega^2 > 0``; ``v`` is the vector of that plane fixed by the two
    linear normalisations (``l1, l2``: an orthonormal basis of the plane at the start).
    ``kappa`` passes through 0 at a Bogdanov-Takens point (double zero eigenvalue);
    beyond it the same system describes neutral saddles (``kappa < 0``, eigenvalues
    ``+-sqrt(-kappa)``), which are not Hopf points.
    """

    def __init__(self, comp: Compiled, pvec, uvec, k1: int, k2: int, l1, l2) -> None:
        self.comp, self.pvec, self.uvec = comp, np.array(pvec, float), uvec
        self.k1, self.k2 = k1, k2
        self.l1, self.l2 = np.array(l1, float), np.array(l2, float)
        self.n = comp.n

    def split(self, u):
        n = self.n
        pv = self.pvec.copy()
        pv[self.k1], pv[self.k2] = u[2 * n], u[2 * n + 1]
        return u[:n], u[n : 2 * n], pv, u[2 * n + 2]

    def residual(self, u):
        x, v, pv, kappa = self.split(u)
        J = self.comp.jac(x, pv, self.uvec)
        return np.concatenate(
            [
                self.comp.rhs(x, pv, self.uvec),
                J @ (J @ v) + kappa * v,
                [self.l1 @ v - 1.0, self.l2 @ v],
            ]
        )

    def jacobian(self, u):
        n = self.n
        x, v, pv, kappa = self.split(u)
        J = self.comp.jac(x, pv, self.uvec)
        ks = [self.k1, self.k2]
        fp = self.comp.dfdp(x, pv, self.uvec)[:, ks]
        # d/dz [J (J v)] = D(J w)|_{w = Jv} + J D(J v): exact second derivatives
        av_x, av_p = self.comp.djv(x, pv, self.uvec, v)
        aw_x, aw_p = self.comp.djv(x, pv, self.uvec, J @ v)
        out = np.zeros((2 * n + 2, 2 * n + 3))
        out[:n, :n], out[:n, 2 * n : 2 * n + 2] = J, fp
        out[n : 2 * n, :n] = aw_x + J @ av_x
        out[n : 2 * n, n : 2 * n] = J @ J + kappa * np.eye(n)
        out[n : 2 * n, 2 * n : 2 * n + 2] = aw_p[:, ks] + J @ av_p[:, ks]
        out[n : 2 * n, 2 * n + 2] = v
        out[2 * n, n : 2 * n] = self.l1
        out[2 * n + 1, n : 2 * n] = self.l2
        return out

    def jac_x(self, u):
        x, _, pv, _ = self.split(u)
        return self.comp.jac(x, pv, self.uvec)


@dataclasses.dataclass(frozen=True, eq=False)
class HopfCurve:
    """A curve of Hopf points in a parameter plane.

    Attributes
    ----------
    x_param, y_param : str
        The Hopf point's continuation parameter and the second parameter.
    x_values, y_values : ndarray, shape (m,)
        The curve in the parameter plane, ordered along it.
    states : ndarray, shape (m, n_states)
        The equilibrium at each point.
    frequencies : ndarray, shape (m,)
        The angular frequency omega of the critical pair ``+-i omega`` (0 at a
        Bogdanov-Takens end).
    status, message : str
        As for `Branch`: 'completed' when each end left the rectangle or reached a
        Bogdanov-Takens point.
    points : tuple of CodimTwoPoint
        The Bogdanov-Takens points (kind 'bogdanov-takens') where the curve ends, and
        the Bautin points (kind 'bautin') on it, where the first Lyapunov coefficient
        changes sign and the Hopf points turn from super- to subcritical.
    model_name : str
    params : ParameterSet
    first_lyapunov : ndarray, shape (m,)
        The first Lyapunov coefficient at each point (`first_lyapunov`; nan where it is
        undetermined, e.g. at a Bogdanov-Takens end). Negative: supercritical.

    Notes
    -----
    Made by `hopf_curve`, not by hand. The arrays are read-only. ``len(curve)`` is the
    number of points ``m``. The Bautin points are in ``points`` only, not among the
    curve's samples; a Bogdanov-Takens end located by Newton's method is appended as
    the curve's first or last sample. Near a Bogdanov-Takens end ``omega -> 0`` and
    ``first_lyapunov`` grows in magnitude (it is a ratio over ``omega``).

    Examples
    --------
    The Bogdanov-Takens normal form ``x' = y``, ``y' = b1 + b2 x + x^2 - x y`` has its
    Hopf points on ``b1 = 0``, ``b2 < 0``, with ``omega^2 = -b2``; the curve traced
    from ``b2 = -1`` ends at the Bogdanov-Takens point ``(0, 0)``:

    >>> import dyadmodel as dm
    >>> from dyadmodel.continuation import continuation, hopf_curve
    >>> bt = dm.Model.from_equations(
    ...     {"x": "y", "y": "b1 + b2*x + x**2 - x*y"}, {"b1": 0.0, "b2": -1.0}
    ... )
    >>> d = continuation(bt, None, "b1", (-0.5, 0.2))
    >>> c = hopf_curve(bt, None, d, "b2", (-2.0, 1.0), x_span=(-1.0, 1.0))
    >>> c.status, [p.kind for p in c.points]
    ('completed', ['bogdanov-takens'])
    >>> bool(abs(c.x_values).max() < 1e-9)  # the curve is b1 = 0
    True
    >>> i = int(c.y_values.argmin())  # the end at b2 = -2: omega = sqrt(2)
    >>> round(float(c.y_values[i]), 6), round(float(c.frequencies[i]), 6)
    (-2.0, 1.414214)
    """

    x_param: str
    y_param: str
    x_values: np.ndarray
    y_values: np.ndarray
    states: np.ndarray
    frequencies: np.ndarray
    status: str
    message: str
    points: tuple[CodimTwoPoint, ...]
    model_name: str
    params: ParameterSet
    first_lyapunov: np.ndarray | None = None

    kind = "hopf"

    def __post_init__(self) -> None:
        if self.first_lyapunov is None:
            object.__setattr__(self, "first_lyapunov", np.full(len(self.x_values), math.nan))
        for name in ("x_values", "y_values", "states", "frequencies", "first_lyapunov"):
            object.__setattr__(self, name, _frozen(getattr(self, name)))

    @property
    def bogdanov_takens(self) -> tuple[CodimTwoPoint, ...]:
        """The Bogdanov-Takens points (double zero eigenvalue) where the curve ends.

        A tuple of `CodimTwoPoint` of kind 'bogdanov-takens', in the order of
        ``points``: none, one or two (one per end of the curve inside the rectangle).
        At such a point ``omega`` reaches 0 and the Hopf curve meets a fold curve;
        a curve of homoclinic orbits (`homoclinic_curve`) starts there too.
        """
        return tuple(p for p in self.points if p.kind == "bogdanov-takens")

    @property
    def bautin(self) -> tuple[CodimTwoPoint, ...]:
        """The Bautin (generalized Hopf) points: the first Lyapunov coefficient is zero."""
        return tuple(p for p in self.points if p.kind == "bautin")

    def __len__(self) -> int:
        return len(self.x_values)

    def __repr__(self) -> str:
        return (
            f"HopfCurve({self.x_param}, {self.y_param}, {len(self.x_values)} points, "
            f"status={self.status!r}, points={list(self.points)})"
        )


def _as_hopf_point(hopf) -> tuple[SpecialPoint, tuple[float, float] | None]:
    if isinstance(hopf, BifurcationDiagram):
        if not hopf.hopf_points:
            raise InvalidInputError(
                f"the diagram of {hopf.model_name} in {hopf.param} over {hopf.span} has no "
                "Hopf point; continue over a span that contains one"
            )
        return hopf.hopf_points[0], tuple(hopf.span)
    if not isinstance(hopf, SpecialPoint) or hopf.kind != "hopf":
        kind = getattr(hopf, "kind", type(hopf).__name__)
        raise InvalidInputError(
            f"hopf_curve needs a Hopf point (continuation(...).hopf_points) or a "
            f"BifurcationDiagram with one, got {kind!r}"
        )
    return hopf, None


def hopf_curve(
    model: Model,
    params: ParameterSet | Mapping[str, Any] | None,
    hopf,
    second_param: str,
    span: tuple[float, float],
    options: ContinuationOptions | None = None,
    *,
    x_span: tuple[float, float] | None = None,
) -> HopfCurve:
    """Continue a Hopf point in a second parameter.

    Parameters
    ----------
    model : Model
        The model.
    params : ParameterSet or mapping or None
        The other parameters; None takes them from the Hopf point (the usual case).
        The Hopf point's two curve parameters always override them, and the start is
        refined by Newton's method on the extended system.
    hopf : SpecialPoint or BifurcationDiagram
        A Hopf point (``kind == 'hopf'``), or a diagram whose first Hopf point is used;
        its continuation parameter is the curve's x.
    second_param : str
        The curve's y.
    span : (float, float)
        The range of ``second_param`` the curve is traced in.
    options : ContinuationOptions, optional
        Options (see `ContinuationOptions`); its defaults when omitted.
    x_span : (float, float), optional
        The range of the first parameter: by default the diagram's span when a diagram
        is given, else the parameter's bounds.

    Returns
    -------
    HopfCurve
        The curve, ended at the rectangle's edges or at Bogdanov-Takens points, with
        the first Lyapunov coefficient along it and the Bautin points on it.

    Raises
    ------
    ComputationError
        When Newton's method on the Hopf system does not converge at the start point
        (it may not be a Hopf point of these parameters).
    InvalidInputError
        For an argument with an invalid value (the message says which and why).

    Notes
    -----
    The extended system ``f = 0, (J^2 + kappa I) v = 0, l1 . v = 1, l2 . v = 0``
    (Kuznetsov 2004, section 10.2.2; Roose & Hlavacek 1985) is continued in
    ``(x, v, p1, p2, kappa)`` by the pseudo-arclength engine of the branches, with
    exact second derivatives. It is of size 2n + 2, which suits the small models here
    better than the bialternate product (size n(n-1)/2 determinants that also vanish at
    neutral saddles). ``kappa = omega^2``; the curve stops where ``kappa`` reaches 0, a
    Bogdanov-Takens point (the end is put on ``kappa = 0`` by Newton's method), so the
    neutral-saddle continuation beyond it is never reported as a Hopf curve. Inputs
    are at the Hopf point's values.

    The first Lyapunov coefficient ``l1`` (`first_lyapunov`) is computed at every point
    of the curve. Where it changes sign between two points, the zero is located by
    Brent's method along the curve (each evaluation corrected back onto it, to
    ``options.locate_tol`` in arclength) and reported as a Bautin point, unless ``l1``
    went through infinity there instead (a zero eigenvalue: a fold-Hopf point). The
    second Lyapunov coefficient, which decides the kind of Bautin point, is not computed.

    Examples
    --------
    >>> import dyadmodel as dm
    >>> from dyadmodel.continuation import continuation, hopf_curve
    >>> m = dm.models.get("rinaldi-synergic")
    >>> d = continuation(m, None, "alpha1", (0.34, 0.42), dm.ContinuationOptions(seeds=2))
    >>> c = hopf_curve(m, None, d, "alpha2", (0.15, 0.25))
    >>> c.status, len(c.points), round(float(c.x_values.max()), 3)
    ('completed', 0, 0.409)
    """
    point, dspan = _as_hopf_point(hopf)
    opts = check_options(options, ContinuationOptions)
    x_param = point.param
    if second_param == x_param:
        raise InvalidInputError(f"second_param is {x_param!r}, the Hopf point's own parameter")
    y_span = _check_span(model, second_param, span)
    if x_span is None:
        x_span = dspan if dspan is not None else model.parameter(x_param).bounds
    else:
        x_span = _check_span(model, x_param, x_span)
    p = point.params if params is None else model.parameter_set(params)
    p = p.replace(**{x_param: point.params[x_param], second_param: point.params[second_param]})
    out, _, _ = _hopf_curve(model, p, x_param, second_param, point, x_span, y_span, opts)
    return out


def codim_two_point(kind, u, n, x_param, y_param, sys, model, p) -> CodimTwoPoint:
    """A codimension-two point at ``u = (x, ..., x_value, y_value, ...)`` of a curve
    system ``sys`` in (``x_param``, ``y_param``); shared by fold and Hopf curves."""
    xv, yv = float(u[2 * n]), float(u[2 * n + 1])
    return CodimTwoPoint(
        kind=kind,
        x_param=x_param,
        y_param=y_param,
        x_value=xv,
        y_value=yv,
        state=u[:n],
        eigenvalues=sorted_eigenvalues(sys.jac_x(u)),
        model_name=model.name,
        params=p.replace(**{x_param: xv, y_param: yv}),
    )


def _inside(v: float, span) -> bool:
    return min(span) - 1e-12 <= v <= max(span) + 1e-12


def _locate_bogdanov_takens(comp, pv, uvec, k1, k2, u_end, n, tol):
    """The point with f(x, a, b) = 0 and a double zero eigenvalue (the two lowest
    coefficients of the characteristic polynomial vanish), by Newton with a
    finite-difference Jacobian from the end ``u_end`` of a Hopf curve; None on failure.
    Returned in the curve's coordinates (x, l1, a, b, omega^2 = 0)."""
    from scipy.optimize import root

    p = np.array(pv, float)

    def residual(z):
        x, a, b = z[:n], z[n], z[n + 1]
        p[k1], p[k2] = a, b
        J = comp.jac(x, p, uvec)
        c = np.poly(J)  # det(lambda I - J): [1, ..., c1, c0]
        return np.concatenate([comp.rhs(x, p, uvec), [c[-1], c[-2]]])

    z0 = np.concatenate([u_end[:n], u_end[2 * n : 2 * n + 2]])
    with np.errstate(all="ignore"):
        sol = root(residual, z0, method="hybr", options={"xtol": 1e-14})
    if not sol.success or not np.all(np.isfinite(sol.x)):
        return None
    if np.max(np.abs(residual(sol.x))) > max(tol, 1e-10):
        return None
    if np.linalg.norm(sol.x - z0) > 0.5:  # another point, not the end of this curve
        return None
    out = np.array(u_end, float)
    out[:n], out[2 * n : 2 * n + 2], out[2 * n + 2] = sol.x[:n], sol.x[n:], 0.0
    return out


def _hopf_curve(model, p, x_param, y_param, point, x_span, y_span, opts):
    comp = compiled(model)
    n = model.n_states
    k1, k2 = model.parameter_names.index(x_param), model.parameter_names.index(y_param)
    uvec = [v for _, v in getattr(point, "inputs", ())] or [u.default for u in model.inputs]
    x0 = np.array(point.state, float)
    pv = p.as_array()
    xv0, yv0 = float(point.params[x_param]), float(point.params[y_param])
    pv[k1], pv[k2] = xv0, yv0
    J = comp.jac(x0, pv, uvec)
    lam, vecs = np.linalg.eig(J)
    i = int(np.argmin(np.abs(lam.real) - 1e-3 * (lam.imag > 0)))
    omega = abs(lam[i].imag)
    if not omega > 0:
        raise InvalidInputError(f"no complex pair at the Hopf point: eigenvalues {lam}")
    q = vecs[:, i]
    l1 = q.real / np.linalg.norm(q.real)
    l2 = q.imag - (q.imag @ l1) * l1
    l2 /= np.linalg.norm(l2)
    sys = HopfSystem(comp, pv, uvec, k1, k2, l1, l2)
    u0 = np.concatenate([x0, l1, [xv0, yv0, omega**2]])
    a = np.zeros(len(u0))
    a[2 * n + 1] = 1.0
    u0, ok, _ = correct(sys, u0, a, u0[2 * n + 1], opts.newton_tol, 20)
    if not ok:
        raise ComputationError(
            f"Newton's method on the Hopf system did not converge at {x_param}="
            f"{xv0:.10g}, {y_param}={yv0:.10g}: is the point a "
            "Hopf point of these parameters?"
        )
    names = model.state_names

    def where(u):
        st = ", ".join(f"{nm}={v:.6g}" for nm, v in zip(names, u[:n]))
        return f"{x_param}={u[2 * n]:.10g}, {y_param}={u[2 * n + 1]:.10g} ({st})"

    boxes = [
        Box(2 * n, min(x_span), max(x_span)),
        Box(2 * n + 1, min(y_span), max(y_span)),
        Box(2 * n + 2, 0.0, math.inf),  # kappa = omega^2 -> 0: Bogdanov-Takens
    ]
    U, T, status, message = _trace_both(sys, u0, opts, boxes, slice(0, n), where)
    kappa = U[:, 2 * n + 2]
    scale = 1e-9 * max(1.0, float(np.max(np.abs(kappa))))

    def codim_two(kind: str, u: np.ndarray) -> CodimTwoPoint:
        return codim_two_point(kind, u, n, x_param, y_param, sys, model, p)

    points = []
    located = {}
    for end in (0, len(U) - 1) if len(U) > 1 else (0,):
        if status == "closed":
            continue
        u = U[end]
        if abs(kappa[end]) > scale:
            # The Hopf system is singular at omega^2 = 0, so Newton may not land on that
            # bound: when the curve ends with omega^2 falling towards 0 inside the spans,
            # locate the Bogdanov-Takens point from the double-zero conditions instead.
            if not 0 < kappa[end] < 0.05 * float(np.max(kappa)):
                continue
            u = _locate_bogdanov_takens(comp, pv, uvec, k1, k2, u, n, opts.newton_tol)
            if u is None or not _inside(u[2 * n], x_span) or not _inside(u[2 * n + 1], y_span):
                continue
            located[end] = u
        points.append(codim_two("bogdanov-takens", u))
    l1 = np.array([_l1_at(model, sys, u) for u in U])
    for i in np.nonzero(np.sign(l1[:-1]) * np.sign(l1[1:]) < 0)[0]:
        u = _locate_bautin(model, sys, U, T, l1, i, opts)
        if u is None:
            continue
        points.append(codim_two("bautin", u))
    if located:  # the located end points close the curve
        U = np.vstack([located[0]] * (0 in located) + [U] + [located[e] for e in located if e])
        kappa = U[:, 2 * n + 2]
        l1 = np.concatenate(
            [[math.nan]] * (0 in located) + [l1] + [[math.nan]] * (len(located) - (0 in located))
        )
    curve = HopfCurve(
        x_param=x_param,
        y_param=y_param,
        x_values=U[:, 2 * n],
        y_values=U[:, 2 * n + 1],
        states=U[:, :n],
        frequencies=np.sqrt(np.clip(kappa, 0.0, None)),
        status=status,
        message=message,
        points=tuple(points),
        model_name=model.name,
        params=p,
        first_lyapunov=l1,
    )
    return curve, sys, U


def _l1_at(model, sys, u) -> float:
    x, _, pv, kappa = sys.split(u)
    if not kappa > 0:  # no complex pair: a Bogdanov-Takens end or beyond it
        return math.nan
    return lyapunov_at(model, x, pv, sys.uvec).first_lyapunov


def _locate_bautin(model, sys, U, T, l1, i, opts):
    """The zero of the first Lyapunov coefficient between points ``i`` and ``i + 1`` of
    the Hopf curve, by Brent's method on the arclength of the hyperplanes through the
    step; None when it cannot be located or is a pole (``l1`` through infinity)."""
    from scipy.optimize import brentq

    u_i, t_i = U[i], T[i]
    sigma_end = float(t_i @ (U[i + 1] - u_i))

    def h(sigma: float) -> float:
        if sigma == 0.0:
            return float(l1[i])
        pt = point_at(sys, u_i, t_i, sigma, opts, U[i + 1])
        if pt is None:
            raise ComputationError("the corrector failed on the Hopf curve")
        return _l1_at(model, sys, pt[0])

    try:
        with np.errstate(all="ignore"):
            sigma = brentq(h, 0.0, sigma_end, xtol=opts.locate_tol, rtol=1e-15, maxiter=200)
        pt = point_at(sys, u_i, t_i, sigma, opts, U[i + 1])
    except (ComputationError, ValueError, RuntimeError):
        return None
    if pt is None:
        return None
    value = _l1_at(model, sys, pt[0])
    if not abs(value) <= min(abs(l1[i]), abs(l1[i + 1])):  # a pole, or nan
        return None
    return pt[0]
