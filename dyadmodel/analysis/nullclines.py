"""Nullclines of a planar model (or of a planar slice of a larger one).

The x-nullcline is the curve where the displayed x state does not change (x' = 0); the
y-nullcline is where y' = 0. Equilibria are their intersections, and the nullclines show
at a glance where each partner's behaviour rises or falls.

Algorithm: marching squares on a grid of right-hand-side values, written here with
numpy (no plotting library is involved), followed by a 1-D safeguarded Newton solve of
every crossing point along its own grid line, so that each returned point lies on the
true zero set to rounding error, not on a linear interpolant.
"""

from __future__ import annotations

import dataclasses
import math
import numbers
from collections.abc import Mapping
from typing import Any

import numpy as np

from dyadmodel.analysis._checks import check_model, check_name, float_array, show
from dyadmodel.errors import InvalidInputError, InvalidTypeError
from dyadmodel.model import Model, ParameterSet

__all__ = ["Nullclines", "nullclines"]

# A polished point is kept only when |f| <= _RESIDUAL_TOL * scale, where scale is the
# largest finite |f| of that component over the grid. Newton reaches rounding error
# (about 1e-16 * scale) on simple roots; points that stay above this bound sit on a sign
# change that is not a root (a pole of a rational right-hand side) and are dropped.
_RESIDUAL_TOL = 1e-10
_MAX_NEWTON = 100


@dataclasses.dataclass(frozen=True, eq=False)
class Nullclines:
    """The x- and y-nullclines in one plane, each as a tuple of polylines (branches).

    Attributes
    ----------
    x_nullcline : tuple of ndarray, each of shape (2, k)
        Branches of the zero set of ``d(states[0])/dt``; row 0 holds the values of
        ``states[0]`` and row 1 those of ``states[1]``. A closed branch repeats its first
        point at the end.
    y_nullcline : tuple of ndarray, each of shape (2, k)
        The same for ``d(states[1])/dt``.
    states : (str, str)
        Names of the displayed states (horizontal, vertical).
    domain : ndarray, shape (2, 2)
        ``[[x_min, x_max], [y_min, y_max]]``, the rectangle the branches are clipped to.
    slice_values : tuple of (name, value)
        The fixed values of all other states (empty for a planar model).
    resolution : (int, int)
        Grid points along x and along y.
    max_residual : (float, float)
        Largest ``|x'|`` over the x-nullcline points and largest ``|y'|`` over the
        y-nullcline points (as computed; an accuracy report, not a bound).
    residual_scale : (float, float)
        Largest finite ``|x'|`` and ``|y'|`` over the grid: the scale that the residual
        tolerance ``1e-10 * scale`` refers to.
    n_rejected : (int, int)
        Crossing points dropped because polishing could not bring ``|f|`` below the
        tolerance (sign changes across a pole, non-finite values).
    model_name : str
    params : ParameterSet
    inputs : tuple of (name, value)

    Examples
    --------
    >>> import dyadmodel as dm
    >>> m = dm.models.get("pursuer-distancer-2d")
    >>> nc = dm.nullclines(m, m.params())
    >>> nc.states, len(nc.branches("pursuit_1"))
    (('pursuit_1', 'distance_2'), 1)
    """

    x_nullcline: tuple[np.ndarray, ...]
    y_nullcline: tuple[np.ndarray, ...]
    states: tuple[str, str]
    domain: np.ndarray
    slice_values: tuple[tuple[str, float], ...]
    resolution: tuple[int, int]
    max_residual: tuple[float, float]
    residual_scale: tuple[float, float]
    n_rejected: tuple[int, int]
    model_name: str
    params: ParameterSet
    inputs: tuple[tuple[str, float], ...] = ()

    def branches(self, state: str) -> tuple[np.ndarray, ...]:
        """The branches of the nullcline of the displayed state called ``state``.

        Parameters
        ----------
        state : str
            One of the two displayed states (``states``).

        Returns
        -------
        tuple of numpy.ndarray
            The branches of that state's nullcline, each of shape ``(2, k)``.

        Raises
        ------
        InvalidInputError
            When ``state`` is not displayed in this plane.

        Examples
        --------
        >>> import dyadmodel as dm
        >>> m = dm.models.get("pursuer-distancer-2d")
        >>> nc = dm.nullclines(m, m.params())
        >>> nc.branches("distance_2")[0].shape[0]
        2
        """
        if state == self.states[0]:
            return self.x_nullcline
        if state == self.states[1]:
            return self.y_nullcline
        raise InvalidInputError(
            f"state {state!r} is not displayed in this plane; displayed states: "
            f"{self.states[0]!r}, {self.states[1]!r}"
        )

    def __repr__(self) -> str:
        nx = sum(b.shape[1] for b in self.x_nullcline)
        ny = sum(b.shape[1] for b in self.y_nullcline)
        sl = f", slice={dict(self.slice_values)}" if self.slice_values else ""
        return (
            f"Nullclines({self.model_name!r}, {self.states[0]}' = 0: "
            f"{len(self.x_nullcline)} branch(es), {nx} points; {self.states[1]}' = 0: "
            f"{len(self.y_nullcline)} branch(es), {ny} points{sl})"
        )


def nullclines(
    model: Model,
    params: ParameterSet | Mapping[str, Any] | None = None,
    *,
    x: str | None = None,
    y: str | None = None,
    domain: Any = None,
    slice_values: Mapping[str, float] | None = None,
    inputs: Mapping[str, float] | float | None = None,
    resolution: int | tuple[int, int] = 201,
) -> Nullclines:
    """Every branch of the x- and y-nullclines in a rectangle of the phase plane.

    Parameters
    ----------
    model : Model
        The model.
    params : ParameterSet or mapping, optional
        Parameter values (model defaults when omitted).
    x, y : str, optional
        Names of the horizontal and vertical states. Default: the model's first two
        states. For a model with more than two states this selects a planar slice.
    domain : ((float, float), (float, float)), optional
        ``((x_min, x_max), (y_min, y_max))``; default: the two states' ``domain``.
    slice_values : mapping, optional
        Fixed values of every state other than ``x`` and ``y`` (required, and only
        allowed, when the model has more than two states). The nullclines drawn are
        those of ``x' = f_x(x, y, z)`` and ``y' = f_y(x, y, z)`` at these fixed ``z``;
        they are not projections of the full system's nullcline surfaces.
    inputs : mapping or float, optional
        Constant input values (e.g. stress); the model's defaults when omitted.
    resolution : int or (int, int)
        Grid points along x and y (at least 3). The grid decides which branches are
        found (see Notes), not how accurate the returned points are.

    Returns
    -------
    Nullclines
        The result; see `Nullclines` for its fields.

    Raises
    ------
    InvalidInputError
        For an argument with an invalid value (the message names it and what was expected).
    InvalidTypeError
        For an argument of the wrong type.

    Notes
    -----
    The right-hand side is evaluated once on a grid that extends the domain by one cell
    on every side (so that a nullcline lying on the domain's edge is found whatever the
    sign of ``f`` beyond it). Marching squares classifies grid values as positive or
    not (an exact zero counts as non-positive, which places a crossing exactly on the
    zero-valued grid point); a cell whose corners alternate in sign (a "saddle" cell) is
    resolved by evaluating ``f`` at the cell centre. Every crossing point lies on a
    grid edge with a sign change at its ends; it is polished by Newton's method in the
    edge's coordinate, safeguarded by bisection inside that bracket, until the Newton
    step is at rounding level. Points whose residual stays above ``1e-10`` times the
    largest ``|f|`` on the grid are dropped and the branch is split there: such sign
    changes are poles, not zeros. Consecutive crossing points are joined into
    polylines; branches are clipped exactly at the domain's edges.

    Limitations, stated plainly:

    - A zero set where ``f`` touches zero without changing sign (a double root, e.g.
      ``f = (y - c)**2``) is not detected unless it falls exactly on grid points.
    - Features smaller than a grid cell (a small closed loop, two branches closer than
      a cell) can be missed or joined; raise ``resolution`` to resolve them. The
      polishing makes every returned point accurate, but it cannot add missing
      branches.
    - Where branches cross (a singular point of the zero set, e.g. ``x * y = 0`` at
      the origin) the grid cannot tell which way they continue; they are returned as
      polylines that meet at the crossing, split differently from the mathematical
      branches.
    - Consecutive points are joined by straight segments; between them the true curve
      may deviate by up to about a grid cell's curvature error.
    - A region where ``f`` vanishes identically (e.g. a line of equilibria filling an
      area) is not a curve and is not represented.

    Examples
    --------
    >>> import dyadmodel as dm
    >>> m = dm.models.get("pursuer-distancer-2d")
    >>> nc = nullclines(m, m.params())
    >>> len(nc.x_nullcline), len(nc.y_nullcline)
    (1, 1)
    >>> nc.max_residual[0] < 1e-12
    True
    """
    pset = model.parameter_set(params)
    inp = model.constant_inputs(inputs, "nullclines")
    ix, iy, fixed = _plane(model, x, y, slice_values)
    box = _domain(model, ix, iy, domain)
    nx, ny = _resolution(resolution)

    # Grid extended by one cell on each side; domain grid lines are exact linspace values.
    xs_in = np.linspace(box[0, 0], box[0, 1], nx)
    ys_in = np.linspace(box[1, 0], box[1, 1], ny)
    dx, dy = xs_in[1] - xs_in[0], ys_in[1] - ys_in[0]
    xs = np.concatenate([[xs_in[0] - dx], xs_in, [xs_in[-1] + dx]])
    ys = np.concatenate([[ys_in[0] - dy], ys_in, [ys_in[-1] + dy]])

    plane = _PlaneFunction(model, pset, inp, ix, iy, fixed)
    values = plane.grid(xs, ys)  # (2, ny + 2, nx + 2)

    results = []
    for comp in (0, 1):
        results.append(_zero_set(plane, comp, xs, ys, values[comp], box))
    (bx, res_x, scale_x, rej_x), (by, res_y, scale_y, rej_y) = results

    names = model.state_names
    return Nullclines(
        x_nullcline=bx,
        y_nullcline=by,
        states=(names[ix], names[iy]),
        domain=_frozen(box),
        slice_values=tuple((names[i], float(v)) for i, v in fixed),
        resolution=(nx, ny),
        max_residual=(res_x, res_y),
        residual_scale=(scale_x, scale_y),
        n_rejected=(rej_x, rej_y),
        model_name=model.name,
        params=pset,
        inputs=tuple(inp.items()),
    )


# ---------------------------------------------------------------------------------------
# argument handling


def _plane(
    model: Model, x: str | None, y: str | None, slice_values: Mapping[str, float] | None
) -> tuple[int, int, tuple[tuple[int, float], ...]]:
    check_model(model)
    names = model.state_names
    for what, value in (("x", x), ("y", y)):
        if value is not None:
            check_name(what, value, names)
    if slice_values is not None and not isinstance(slice_values, Mapping):
        raise InvalidTypeError(
            f"slice_values = {show(slice_values)} is a {type(slice_values).__name__}; expected "
            "a mapping {state name: value}"
        )
    if model.n_states < 2:
        raise InvalidInputError(f"model {model.name!r} has one state; nullclines need a plane")
    iy_given = model.state_index(y) if y is not None else None
    ix = model.state_index(x) if x is not None else (0 if iy_given != 0 else 1)
    iy = iy_given if iy_given is not None else next(i for i in range(model.n_states) if i != ix)
    if ix == iy:
        raise InvalidInputError(f"x and y must be two different states; both are {names[ix]!r}")
    given = dict(slice_values or {})
    for name in given:
        i = model.state_index(check_name("a slice_values key", name, names))
        if i in (ix, iy):
            raise InvalidInputError(
                f"slice_values gives state {name!r}, which is displayed on an axis; give "
                "values only for the other states"
            )
    others = [i for i in range(model.n_states) if i not in (ix, iy)]
    missing = [names[i] for i in others if names[i] not in given]
    if missing:
        raise InvalidInputError(
            f"model {model.name!r} has {model.n_states} states; slice_values must fix every "
            f"state not on an axis; missing: {', '.join(missing)}"
        )
    fixed = []
    for i in others:
        v = given[names[i]]
        if isinstance(v, bool) or not isinstance(v, numbers.Real):
            raise InvalidInputError(f"slice value for {names[i]!r} = {v!r} is not a real number")
        if not math.isfinite(float(v)):
            raise InvalidInputError(f"slice value for {names[i]!r} = {v!r} is not finite")
        fixed.append((i, float(v)))
    return ix, iy, tuple(fixed)


def _domain(model: Model, ix: int, iy: int, domain: Any) -> np.ndarray:
    if domain is None:
        box = np.array([model.states[ix].domain, model.states[iy].domain], dtype=float)
    else:
        box = float_array("domain ((x_min, x_max), (y_min, y_max))", domain, (2, 2))
    if not np.all(np.isfinite(box)) or np.any(box[:, 1] <= box[:, 0]):
        raise InvalidInputError(f"domain {box.tolist()} must be finite with min < max on both axes")
    return box


# points per axis of a phase-plane grid: 4096**2 evaluations take seconds and ~0.5 GB
MAX_RESOLUTION = 4096


def _resolution(resolution: int | tuple[int, int]) -> tuple[int, int]:
    if isinstance(resolution, (str, bytes, Mapping)):
        raise InvalidInputError(
            f"resolution = {show(resolution)} must be an int >= 3 or two such ints"
        )
    try:
        res = (resolution, resolution) if np.ndim(resolution) == 0 else tuple(resolution)
    except (TypeError, ValueError):
        raise InvalidInputError(
            f"resolution = {show(resolution)} must be an int >= 3 or two such ints"
        ) from None
    if len(res) != 2 or any(
        isinstance(r, bool) or not isinstance(r, (int, np.integer)) or not 3 <= r <= MAX_RESOLUTION
        for r in res
    ):
        raise InvalidInputError(
            f"resolution = {show(resolution)} must be an int in [3, {MAX_RESOLUTION}] or two "
            f"such ints (the size budget of a phase-plane grid)"
        )
    return int(res[0]), int(res[1])


def _frozen(a: np.ndarray) -> np.ndarray:
    a = np.array(a, dtype=float)
    a.setflags(write=False)
    return a


# ---------------------------------------------------------------------------------------
# evaluation in the plane


class _PlaneFunction:
    """The two displayed components of the rhs as functions of the plane coordinates."""

    def __init__(self, model, params, inputs, ix, iy, fixed):
        self.model, self.params, self.inputs = model, params, inputs
        self.ix, self.iy, self.fixed = ix, iy, fixed
        self.rows = (ix, iy)

    def _states(self, px: np.ndarray, py: np.ndarray) -> np.ndarray:
        px, py = np.broadcast_arrays(px, py)
        out = np.empty((self.model.n_states, *px.shape))
        out[self.ix] = px
        out[self.iy] = py
        for i, v in self.fixed:
            out[i] = v
        return out

    def grid(self, xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
        with np.errstate(all="ignore"):
            f = self.model.rhs(self._states(xs[None, :], ys[:, None]), self.params, self.inputs)
        return f[list(self.rows)]

    def value(self, comp: int, px: np.ndarray, py: np.ndarray) -> np.ndarray:
        with np.errstate(all="ignore"):
            f = self.model.rhs(self._states(px, py), self.params, self.inputs)
        return f[self.rows[comp]]

    def value_and_slope(self, comp: int, px, py, along: int) -> tuple[np.ndarray, np.ndarray]:
        """Component ``comp`` and its derivative along axis ``along`` (0 = x, 1 = y)."""
        states = self._states(px, py)
        with np.errstate(all="ignore"):
            f = self.model.rhs(states, self.params, self.inputs)[self.rows[comp]]
            j = self.model.jacobian(states, self.params, self.inputs)
        return f, j[self.rows[comp], self.rows[along]]


# ---------------------------------------------------------------------------------------
# marching squares

# Edge codes within a cell: bottom, right, top, left. Corners: 0 = (i, j) bottom-left,
# 1 = (i, j+1), 2 = (i+1, j+1), 3 = (i+1, j); case bit k is set when corner k is > 0.
_B, _R, _T, _L = 0, 1, 2, 3
_SEGMENTS: dict[int, tuple[tuple[int, int], ...]] = {
    1: ((_L, _B),),
    2: ((_B, _R),),
    3: ((_L, _R),),
    4: ((_R, _T),),
    6: ((_B, _T),),
    7: ((_L, _T),),
    8: ((_T, _L),),
    9: ((_B, _T),),
    11: ((_R, _T),),
    12: ((_L, _R),),
    13: ((_B, _R),),
    14: ((_L, _B),),
}
# Saddle cells: the pairing depends on the sign at the cell centre (True = positive).
_SADDLE: dict[tuple[int, bool], tuple[tuple[int, int], ...]] = {
    (5, True): ((_B, _R), (_T, _L)),  # positive centre joins corners 0 and 2
    (5, False): ((_L, _B), (_R, _T)),
    (10, True): ((_L, _B), (_R, _T)),  # positive centre joins corners 1 and 3
    (10, False): ((_B, _R), (_T, _L)),
}


def _zero_set(plane, comp, xs, ys, v, box):
    """Branches of {f_comp = 0} in ``box`` from the grid values ``v`` (ny, nx)."""
    ny, nx = v.shape
    finite = np.isfinite(v)
    pos = finite & (v > 0)
    scale = float(np.max(np.abs(v[finite]))) if finite.any() else 1.0
    scale = scale if scale > 0 else 1.0
    n_h = ny * (nx - 1)

    # Crossing points on horizontal edges (i, j)-(i, j+1) and vertical edges (i, j)-(i+1, j).
    h_cut = finite[:, :-1] & finite[:, 1:] & (pos[:, :-1] != pos[:, 1:])
    v_cut = finite[:-1, :] & finite[1:, :] & (pos[:-1, :] != pos[1:, :])
    hi, hj = np.nonzero(h_cut)
    vi, vj = np.nonzero(v_cut)

    # Cells: corner signs -> case, and the edge ids of each cell.
    ok = finite[:-1, :-1] & finite[:-1, 1:] & finite[1:, 1:] & finite[1:, :-1]
    case = (
        pos[:-1, :-1].astype(np.int8)
        | (pos[:-1, 1:].astype(np.int8) << 1)
        | (pos[1:, 1:].astype(np.int8) << 2)
        | (pos[1:, :-1].astype(np.int8) << 3)
    )
    case[~ok] = 0
    seg_a, seg_b = [], []

    def edge_ids(ci, cj, code):
        if code == _B:
            return ci * (nx - 1) + cj
        if code == _T:
            return (ci + 1) * (nx - 1) + cj
        if code == _L:
            return n_h + ci * nx + cj
        return n_h + ci * nx + cj + 1

    for c, pairs in _SEGMENTS.items():
        ci, cj = np.nonzero(case == c)
        for ea, eb in pairs:
            seg_a.append(edge_ids(ci, cj, ea))
            seg_b.append(edge_ids(ci, cj, eb))
    si, sj = np.nonzero((case == 5) | (case == 10))
    if si.size:
        centre = plane.value(comp, 0.5 * (xs[sj] + xs[sj + 1]), 0.5 * (ys[si] + ys[si + 1]))
        centre_pos = np.isfinite(centre) & (centre > 0)
        for (c, cpos), pairs in _SADDLE.items():
            sel = (case[si, sj] == c) & (centre_pos == cpos)
            for ea, eb in pairs:
                seg_a.append(edge_ids(si[sel], sj[sel], ea))
                seg_b.append(edge_ids(si[sel], sj[sel], eb))
    if not seg_a:
        return (), 0.0, scale, 0
    seg_a = np.concatenate(seg_a)
    seg_b = np.concatenate(seg_b)

    # Points of all cut edges, in one array indexed by edge id order below.
    ids = np.concatenate([hi * (nx - 1) + hj, n_h + vi * nx + vj])
    px = np.empty(ids.size)
    py = np.empty(ids.size)
    nh = hi.size
    px[:nh], py[:nh], hres, hok = _polish_edges(plane, comp, xs, ys, v, hi, hj, 0, box, scale)
    py_v, px_v, vres, vok = _polish_edges(plane, comp, ys, xs, v.T, vj, vi, 1, box, scale)
    px[nh:], py[nh:] = px_v, py_v
    residual = np.concatenate([hres, vres])
    polished_ok = np.concatenate([hok, vok])

    order = np.argsort(ids)
    ids = ids[order]
    px, py, residual, polished_ok = px[order], py[order], residual[order], polished_ok[order]
    inside = (px >= box[0, 0]) & (px <= box[0, 1]) & (py >= box[1, 0]) & (py <= box[1, 1])
    rejected = inside & ~polished_ok
    keep = inside & polished_ok

    a = np.searchsorted(ids, seg_a)
    b = np.searchsorted(ids, seg_b)
    chains = _chains(a, b, ids.size)
    pieces = []
    for chain, closed in chains:
        pieces.extend(_split(chain, closed, keep, px, py))
    max_res = max((float(np.max(residual[p])) for p in pieces), default=0.0)
    branches = tuple(_frozen(np.vstack([px[p], py[p]])) for p in pieces)
    return branches, max_res, scale, int(rejected.sum())


def _polish_edges(plane, comp, s_grid, t_grid, v, li, lj, along, box, scale):
    """Roots on edges along the ``along`` axis: line index ``li``, edge start ``lj``.

    For horizontal edges (along = 0) ``s`` is x and ``t`` is y; for vertical edges the
    caller passes the transposed grid, so ``s`` is y and ``t`` is x. Returns the root
    coordinate along the edge, the fixed coordinate, |f| and an ok flag.
    """
    a, b = s_grid[lj], s_grid[lj + 1]
    fa, fb = v[li, lj], v[li, lj + 1]
    fixed = t_grid[li]
    root = np.empty(li.size)
    res = np.full(li.size, np.inf)
    # Exact zeros at grid points: the crossing is the grid point itself.
    za, zb = fa == 0, fb == 0
    root[za], res[za] = a[za], 0.0
    root[zb & ~za], res[zb & ~za] = b[zb & ~za], 0.0
    todo = ~(za | zb)
    # Only points on edges inside the domain are worth polishing.
    lo, hi = box[along]
    flo, fhi = box[1 - along]
    todo &= (a >= lo) & (b <= hi) & (fixed >= flo) & (fixed <= fhi)
    # Crossings on edges outside the domain only link chains; they are clipped away
    # (NaN is never inside), so they are not located.
    root[~(za | zb) & ~todo] = np.nan
    if todo.any():
        r, rr = _bracketed_newton(
            plane, comp, along, a[todo], b[todo], fa[todo], fb[todo], fixed[todo]
        )
        root[todo], res[todo] = r, rr
    ok = res <= _RESIDUAL_TOL * scale
    return root, fixed, res, ok


def _bracketed_newton(plane, comp, along, a, b, fa, fb, fixed):
    """Vectorised Newton with bisection safeguard on brackets [a, b] with a sign change.

    Stops when the Newton step (or the bracket) is at rounding level relative to the
    edge length, when f is exactly zero, or after ``_MAX_NEWTON`` iterations (bisection
    alone would reach rounding level in about 60). Returns the best evaluated point of
    each bracket and its |f|.
    """
    t = fa / (fa - fb)
    s = (1 - t) * a + t * b  # regula falsi point of the grid values
    edge = np.abs(b - a)
    last_step = edge.copy()  # size of the previous update (Numerical Recipes' rtsafe)
    best = s.copy()
    best_res = np.full(s.size, np.inf)
    active = np.ones(s.size, dtype=bool)
    eps4 = 4 * np.finfo(float).eps
    for _ in range(_MAX_NEWTON):
        idx = np.nonzero(active)[0]
        if idx.size == 0:
            break
        si = s[idx]
        pts = (si, fixed[idx]) if along == 0 else (fixed[idx], si)
        f, df = plane.value_and_slope(comp, *pts, along=along)
        absf = np.abs(f)
        better = absf < best_res[idx]
        best[idx[better]] = si[better]
        best_res[idx[better]] = absf[better]
        # Shrink the bracket to the half that keeps the sign change.
        same_a = np.sign(f) == np.sign(fa[idx])
        a[idx[same_a]], fa[idx[same_a]] = si[same_a], f[same_a]
        b[idx[~same_a]], fb[idx[~same_a]] = si[~same_a], f[~same_a]
        lo = np.minimum(a[idx], b[idx])
        hi = np.maximum(a[idx], b[idx])
        with np.errstate(all="ignore"):
            step = f / df
            new = si - step
        # Bisect when Newton leaves the bracket or does not at least halve its step.
        bisect = (
            ~np.isfinite(new) | (new <= lo) | (new >= hi) | (np.abs(step) > 0.5 * last_step[idx])
        )
        new[bisect] = 0.5 * (lo[bisect] + hi[bisect])
        last_step[idx] = np.abs(new - si)
        s[idx] = new
        tiny = eps4 * np.maximum(np.abs(si), edge[idx])
        done = (f == 0) | ~np.isfinite(f) | (hi - lo <= tiny)
        done |= ~bisect & (np.abs(step) <= tiny)
        active[idx[done]] = False
    return best, best_res


def _chains(a: np.ndarray, b: np.ndarray, n: int) -> list[tuple[list[int], bool]]:
    """Join segments (a[k], b[k]) between nodes 0..n-1 into chains (each node degree <= 2)."""
    nb = np.full((n, 2), -1, dtype=np.int64)
    deg = np.zeros(n, dtype=np.int64)
    for p, q in zip(a.tolist(), b.tolist(), strict=True):
        nb[p, deg[p]] = q
        deg[p] += 1
        nb[q, deg[q]] = p
        deg[q] += 1
    nb_list = nb.tolist()
    deg_list = deg.tolist()
    seen = [False] * n
    chains: list[tuple[list[int], bool]] = []

    def walk(start: int) -> tuple[list[int], bool]:
        chain = [start]
        seen[start] = True
        prev, cur = -1, start
        while True:
            nxt = -1
            for cand in nb_list[cur][: deg_list[cur]]:
                if cand != prev and not seen[cand]:
                    nxt = cand
                    break
            if nxt < 0:
                closed = deg_list[cur] == 2 and start in nb_list[cur] and len(chain) > 2
                return chain, closed
            chain.append(nxt)
            seen[nxt] = True
            prev, cur = cur, nxt

    for start in range(n):
        if deg_list[start] == 1 and not seen[start]:
            chains.append(walk(start))
    for start in range(n):
        if deg_list[start] == 2 and not seen[start]:
            chains.append(walk(start))
    return chains


def _split(chain, closed, keep, px, py) -> list[np.ndarray]:
    """Cut a chain at nodes that are not kept; drop repeated points and short pieces.

    Returns the node indices of each piece.
    """
    idx = np.asarray(chain)
    good = keep[idx]
    if closed:
        if good.all():
            idx = np.append(idx, idx[0])
            good = np.append(good, True)
        else:
            shift = int(np.argmin(good))  # start the cycle at a dropped node
            idx, good = np.roll(idx, -shift), np.roll(good, -shift)
    out = []
    bounds = np.flatnonzero(np.diff(np.concatenate([[0], good.astype(np.int8), [0]])))
    for s, e in zip(bounds[::2], bounds[1::2], strict=True):
        piece = idx[s:e]
        if piece.size > 1:
            # Zero-valued grid points are reached from several edges: same point twice.
            dup = (np.diff(px[piece]) == 0) & (np.diff(py[piece]) == 0)
            piece = piece[np.concatenate([[True], ~dup])]
        if piece.size >= 2:
            out.append(piece)
    return out
