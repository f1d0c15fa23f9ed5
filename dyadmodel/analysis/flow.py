"""The flow in a phase plane, sampled for drawing: a vector field grid and short streamlines.

Phase portraits show the direction of the flow everywhere, not only along nullclines
and separatrices. Both results here are computed, not drawn: `vector_field` evaluates
the right-hand side on a grid, `streamlines` integrates short pieces of trajectories
from a regular grid of seeds. `dyadmodel.plot` draws them.

Like `dyadmodel.nullclines`, a model with more than two states is shown in a planar
slice: the other states are held at given values.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

import numpy as np

from dyadmodel.analysis.nullclines import _domain, _plane, _PlaneFunction, _resolution
from dyadmodel.errors import InvalidInputError
from dyadmodel.model import Model, ParameterSet

__all__ = ["Streamlines", "VectorField", "streamlines", "vector_field"]


@dataclasses.dataclass(frozen=True, eq=False)
class VectorField:
    """The displayed components of the right-hand side on a rectangular grid.

    Attributes
    ----------
    x : ndarray, shape (nx,)
        Grid values of the horizontal state.
    y : ndarray, shape (ny,)
        Grid values of the vertical state.
    u, v : ndarray, shape (ny, nx)
        ``d(x)/dt`` and ``d(y)/dt`` at ``(x[j], y[i])`` (row ``i``, column ``j``).
    states : (str, str)
        Names of the displayed states.
    domain : ndarray, shape (2, 2)
    slice_values : tuple of (name, value)
        Fixed values of the other states (empty for a planar model).
    model_name : str
    params : ParameterSet
    inputs : tuple of (name, value)

    Examples
    --------
    >>> import dyadmodel as dm
    >>> m = dm.models.get("strogatz-linear")
    >>> vf = dm.vector_field(m, m.params(), resolution=5)
    >>> vf.u.shape == vf.v.shape == (5, 5)
    True
    """

    x: np.ndarray
    y: np.ndarray
    u: np.ndarray
    v: np.ndarray
    states: tuple[str, str]
    domain: np.ndarray
    slice_values: tuple[tuple[str, float], ...]
    model_name: str
    params: ParameterSet
    inputs: tuple[tuple[str, float], ...] = ()

    def __repr__(self) -> str:
        return (
            f"VectorField({self.model_name!r}, {self.states[0]} x {self.states[1]}, "
            f"grid {self.x.size} x {self.y.size})"
        )


@dataclasses.dataclass(frozen=True, eq=False)
class Streamlines:
    """Short pieces of trajectories through a regular grid of seed points.

    Attributes
    ----------
    lines : tuple of ndarray, each of shape (2, k)
        Polylines in the plane (row 0: horizontal state, row 1: vertical state), each
        running in the direction of the flow (its last point is the most downstream).
    seeds : ndarray, shape (2, n_lines)
        The seed point of each line (it lies inside the line, not at its start).
    speed : ndarray, shape (n_lines,)
        ``|(x', y')|`` at each seed, in state units per unit time.
    states : (str, str)
    domain : ndarray, shape (2, 2)
    slice_values : tuple of (name, value)
    length : float
        Arc length of a full line, as a fraction of the domain (see `streamlines`).
    model_name : str
    params : ParameterSet
    inputs : tuple of (name, value)

    Examples
    --------
    >>> import dyadmodel as dm
    >>> m = dm.models.get("strogatz-linear")
    >>> sl = dm.streamlines(m, m.params(), density=3)
    >>> len(sl.lines) > 0
    True
    """

    lines: tuple[np.ndarray, ...]
    seeds: np.ndarray
    speed: np.ndarray
    states: tuple[str, str]
    domain: np.ndarray
    slice_values: tuple[tuple[str, float], ...]
    length: float
    model_name: str
    params: ParameterSet
    inputs: tuple[tuple[str, float], ...] = ()

    def __repr__(self) -> str:
        return (
            f"Streamlines({self.model_name!r}, {self.states[0]} x {self.states[1]}, "
            f"{len(self.lines)} lines)"
        )


def vector_field(
    model: Model,
    params: ParameterSet | Mapping[str, Any] | None = None,
    *,
    x: str | None = None,
    y: str | None = None,
    domain: Any = None,
    slice_values: Mapping[str, float] | None = None,
    inputs: Mapping[str, float] | float | None = None,
    resolution: int | tuple[int, int] = 21,
) -> VectorField:
    """The displayed components of the right-hand side on a grid covering ``domain``.

    Parameters
    ----------
    model : Model
        The model.
    params : ParameterSet or mapping, optional
        Parameter values (model defaults when omitted).
    x, y : str, optional
        Horizontal and vertical states; default the model's first two states.
    domain : ((float, float), (float, float)), optional
        Default: the two states' ``domain``.
    slice_values : mapping, optional
        Values of the states not on an axis (required when the model has more than two
        states; see `dyadmodel.nullclines`).
    inputs : mapping or float, optional
        Constant input values (e.g. stress).
    resolution : int or (int, int)
        Grid points along x and y, domain edges included (at least 3).

    Returns
    -------
    VectorField
        The result; see `VectorField` for its fields.

    Examples
    --------
    >>> import dyadmodel as dm
    >>> from dyadmodel.analysis.flow import vector_field
    >>> m = dm.models.get("strogatz-linear")
    >>> vf = vector_field(m, m.preset("fickle-juliet"), resolution=5)
    >>> vf.u.shape, float(vf.u[4, 2]), float(vf.v[4, 2])  # at (R, J) = (0, 2): R' = J, J' = -R
    ((5, 5), 2.0, 0.0)
    """
    pset = model.parameter_set(params)
    inp = model.constant_inputs(inputs, "a vector field")
    ix, iy, fixed = _plane(model, x, y, slice_values)
    box = _domain(model, ix, iy, domain)
    nx, ny = _resolution(resolution)
    xs = np.linspace(box[0, 0], box[0, 1], nx)
    ys = np.linspace(box[1, 0], box[1, 1], ny)
    plane = _PlaneFunction(model, pset, inp, ix, iy, fixed)
    uv = plane.grid(xs, ys)
    names = model.state_names
    return VectorField(
        x=_frozen(xs),
        y=_frozen(ys),
        u=_frozen(uv[0]),
        v=_frozen(uv[1]),
        states=(names[ix], names[iy]),
        domain=_frozen(box),
        slice_values=tuple((names[i], float(val)) for i, val in fixed),
        model_name=model.name,
        params=pset,
        inputs=tuple(inp.items()),
    )


def streamlines(
    model: Model,
    params: ParameterSet | Mapping[str, Any] | None = None,
    *,
    x: str | None = None,
    y: str | None = None,
    domain: Any = None,
    slice_values: Mapping[str, float] | None = None,
    inputs: Mapping[str, float] | float | None = None,
    density: int | tuple[int, int] = 16,
    length: float = 0.8,
    n_steps: int = 10,
) -> Streamlines:
    """Short streamline pieces, one through the centre of each cell of a seed grid.

    Parameters
    ----------
    model : Model
        The model.
    params : ParameterSet or mapping, optional
        Parameter values; the model's defaults when omitted.
    x, y : str, optional
        As in `vector_field`.
    domain, slice_values, inputs : optional
        As in `vector_field`.
    density : int or (int, int)
        Seed cells along x and y; one streamline per cell.
    length : float
        Arc length of each line in units of a seed cell, measured in coordinates scaled
        so that the domain is the unit square (so lines look equally long on both axes
        whatever their ranges). Lines are shorter where they reach the domain's edge or
        an equilibrium.
    n_steps : int
        Integration steps per line (half backward, half forward from the seed).

    Returns
    -------
    Streamlines
        The result; see `Streamlines` for its fields.

    Raises
    ------
    InvalidInputError
        For an argument with an invalid value (the message names it and what was expected).

    Notes
    -----
    Each line follows the *direction* of the flow at unit speed in the scaled
    coordinates (the field is normalised), integrated with the classical fourth-order
    Runge–Kutta method from its seed backward and forward over half the length each,
    vectorised over all seeds. A line stops before a step that would leave the domain,
    where the speed falls below ``1e-12`` of the largest speed at the seeds, or where a
    step moves less than half its nominal length (the direction reverses within the
    step: an equilibrium is less than a step away). The seeds are the cell centres of a
    regular grid: no random numbers are used, so the result is reproducible. These are
    drawing aids; their accuracy is that of a fixed-step method with steps of
    ``length / n_steps`` cells, not the tolerance-controlled accuracy of
    `dyadmodel.separatrices`.

    Examples
    --------
    >>> import numpy as np
    >>> import dyadmodel as dm
    >>> from dyadmodel.analysis.flow import streamlines
    >>> m = dm.models.get("strogatz-linear")
    >>> sl = streamlines(m, m.preset("fickle-juliet"), density=4)
    >>> len(sl.lines)
    16
    >>> r = np.hypot(*sl.lines[0])  # the centre's orbits are circles
    >>> bool(np.ptp(r) < 1e-6)
    True
    """
    pset = model.parameter_set(params)
    inp = model.constant_inputs(inputs, "streamlines")
    ix, iy, fixed = _plane(model, x, y, slice_values)
    box = _domain(model, ix, iy, domain)
    nx, ny = _resolution_at_least(density, 1, "density")
    if not (isinstance(length, (int, float)) and np.isfinite(length) and length > 0):
        raise InvalidInputError(f"length = {length!r} must be a positive number of seed cells")
    if isinstance(n_steps, bool) or not isinstance(n_steps, (int, np.integer)) or n_steps < 2:
        raise InvalidInputError(f"n_steps = {n_steps!r} must be an integer >= 2")
    plane = _PlaneFunction(model, pset, inp, ix, iy, fixed)
    lo, width = box[:, 0], box[:, 1] - box[:, 0]

    # Seeds at cell centres, in scaled coordinates (the domain is the unit square).
    su = (np.arange(nx) + 0.5) / nx
    sv = (np.arange(ny) + 0.5) / ny
    seeds = np.stack([np.tile(su, ny), np.repeat(sv, nx)])  # (2, n)

    def direction(p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        f = _at_points(plane, lo[0] + width[0] * p[0], lo[1] + width[1] * p[1])
        g = f / width[:, None]
        norm = np.hypot(g[0], g[1])
        with np.errstate(all="ignore"):
            return g / norm, norm

    _, speed0 = direction(seeds)
    finite0 = np.isfinite(speed0)
    tiny = 1e-12 * (float(np.max(speed0[finite0])) if finite0.any() else 1.0)
    cell = min(1.0 / nx, 1.0 / ny)
    half = n_steps // 2
    h = length * cell / (2 * half)

    def march(sign: float) -> np.ndarray:
        """Points (half + 1, 2, n); NaN from the first step a line stops at."""
        out = np.full((half + 1, 2, seeds.shape[1]), np.nan)
        p = seeds.copy()
        alive = finite0 & (speed0 > tiny)
        out[0] = np.where(alive, p, np.nan)
        for k in range(1, half + 1):
            k1, n1 = direction(p)
            k2, n2 = direction(p + 0.5 * sign * h * k1)
            k3, n3 = direction(p + 0.5 * sign * h * k2)
            k4, n4 = direction(p + sign * h * k3)
            q = p + sign * h / 6.0 * (k1 + 2 * k2 + 2 * k3 + k4)
            ok = np.all(np.isfinite(q), axis=0)
            for nk in (n1, n2, n3, n4):
                ok &= np.isfinite(nk) & (nk > tiny)
            ok &= np.all((q >= 0.0) & (q <= 1.0), axis=0)
            # At unit speed a step moves about h; a much shorter one means the direction
            # turned round within the step: an equilibrium is closer than one step.
            ok &= np.hypot(*(q - p)) > 0.5 * h
            alive &= ok
            p = np.where(alive, q, p)
            out[k] = np.where(alive, p, np.nan)
        return out

    back = march(-1.0)[::-1]  # upstream end first, seed last
    fwd = march(1.0)[1:]
    pts = np.concatenate([back, fwd])  # (2 * half + 1, 2, n)
    lines = []
    kept = []
    for j in range(seeds.shape[1]):
        seg = pts[:, :, j]
        good = np.all(np.isfinite(seg), axis=1)
        if good.sum() < 2:
            continue
        seg = seg[good]
        lines.append(
            _frozen(np.stack([lo[0] + width[0] * seg[:, 0], lo[1] + width[1] * seg[:, 1]]))
        )
        kept.append(j)
    kept_idx = np.array(kept, dtype=int)
    seeds_xy = np.stack([lo[0] + width[0] * seeds[0], lo[1] + width[1] * seeds[1]])[:, kept_idx]
    speed_xy = _at_points(plane, seeds_xy[0], seeds_xy[1])
    names = model.state_names
    return Streamlines(
        lines=tuple(lines),
        seeds=_frozen(seeds_xy),
        speed=_frozen(np.hypot(speed_xy[0], speed_xy[1])),
        states=(names[ix], names[iy]),
        domain=_frozen(box),
        slice_values=tuple((names[i], float(val)) for i, val in fixed),
        length=float(length),
        model_name=model.name,
        params=pset,
        inputs=tuple(inp.items()),
    )


def _at_points(plane: _PlaneFunction, px: np.ndarray, py: np.ndarray) -> np.ndarray:
    """Both displayed components of the right-hand side at points, shape (2, ...)."""
    with np.errstate(all="ignore"):
        f = plane.model.rhs(plane._states(px, py), plane.params, plane.inputs)
    return f[list(plane.rows)]


def _resolution_at_least(value: Any, minimum: int, what: str) -> tuple[int, int]:
    res = (value, value) if np.ndim(value) == 0 else tuple(value)
    if len(res) != 2 or any(
        isinstance(r, bool) or not isinstance(r, (int, np.integer)) or r < minimum for r in res
    ):
        raise InvalidInputError(f"{what} = {value!r} must be an int >= {minimum} or two such ints")
    return int(res[0]), int(res[1])


def _frozen(a: Any) -> np.ndarray:
    arr = np.array(a, dtype=float)
    arr.setflags(write=False)
    return arr
