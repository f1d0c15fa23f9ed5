"""Basins of attraction and resilience, computed with the ensemble engine.

`basins` integrates a grid of starts in a plane of the state space and labels each by
the attractor it reaches: a stable equilibrium from `dyadmodel.equilibria` (with its
couple-vocabulary label, 'balanced' or 'entrenched'), or a periodic orbit found by
`dyadmodel.classify_trajectory` and `dyadmodel.limit_cycle`. Starts that blow up are
labelled 'diverged', starts whose fate the run cannot decide (a trajectory that stays
on a separatrix, a solver failure, motion that is neither settled nor periodic) are
'undecided'; both are kept apart from the attractors.

`resilience` measures how hard a couple must be pushed to tip: the smallest stress pulse
of a given duration that moves the balanced state into the entrenched basin.
"""

from __future__ import annotations

import dataclasses
import math
import numbers
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Any

import numpy as np

from dyadmodel.analysis import (
    Equilibrium,
    LimitCycle,
    LimitCycleError,
    classify_trajectory,
    equilibria,
    limit_cycle,
)
from dyadmodel.errors import InvalidInputError
from dyadmodel.model import Model, ParameterSet
from dyadmodel.simulate._checks import check_tolerances
from dyadmodel.simulate._ensemble import CONVERGED, DIVERGED, ensemble

__all__ = [
    "DIVERGED_LABEL",
    "UNDECIDED_LABEL",
    "BasinMap",
    "BasinOptions",
    "Resilience",
    "basins",
    "resilience",
]

DIVERGED_LABEL = -1
"""Label of starts whose trajectory diverged."""
UNDECIDED_LABEL = -2
"""Label of starts whose fate could not be decided within the time allowed."""
_EXAMINED = -3  # internal: undecided, and already examined by classify_trajectory


@dataclasses.dataclass(frozen=True)
class BasinOptions:
    """Settings of `basins` and `resilience`.

    Attributes
    ----------
    rtol, atol : float
        Tolerances of the ensemble integration (``rtol`` in [2.2e-14, 0.1], ``atol`` in
        (0, 1]; else `ToleranceError`).
    match_tol : float
        A final state belongs to an equilibrium when every coordinate lies within
        ``match_tol`` times that state's domain width of it; to a periodic orbit when
        its distance (in those units) to the polygon through the orbit's points is at
        most ten times ``match_tol``.
    time_factor : float
        Without an explicit ``t_max``, trajectories run for ``time_factor / rate``, where
        ``rate`` is the slowest rate among the stable equilibria's decay rates and the
        saddles' escape rates (so the distance to an attractor shrinks by about
        ``exp(-time_factor)``).
    extensions : int
        Starts still unmatched at ``t_max`` are run on from where they are, this many
        times, before other checks.
    max_classify : int
        At most this many unmatched trajectories are examined one by one with
        `dyadmodel.classify_trajectory` (looking for periodic orbits); the rest of the
        unmatched starts are 'undecided' unless they end on an orbit found this way.
    classify_time : float or None
        ``t_max`` given to `classify_trajectory`; None means ``max(2 * t_max, 1000)``
        (a periodic verdict needs several periods in the second half of the run).
    backend : {'auto', 'numba', 'numpy'}
        Ensemble backend (see `dyadmodel.simulate.ensemble`).

    Raises
    ------
    InvalidInputError
        For an argument with an invalid value (the message says which and why).

    Examples
    --------
    >>> import dyadmodel as dm
    >>> from dyadmodel.simulate import BasinOptions
    >>> m = dm.models.get("pursuer-distancer-2d")
    >>> p = m.params(anxiety_gain_1=2.0, avoidance_gain_2=2.0)
    >>> dm.basins(m, p, resolution=8, options=BasinOptions(time_factor=20.0)).names
    ('balanced', 'entrenched')
    """

    rtol: float = 1e-6
    atol: float = 1e-9
    match_tol: float = 1e-3
    time_factor: float = 25.0
    extensions: int = 2
    max_classify: int = 8
    classify_time: float | None = None
    backend: str = "auto"

    def __post_init__(self) -> None:
        check_tolerances(self.rtol, self.atol)
        for name in ("match_tol", "time_factor"):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, numbers.Real) or not v > 0:
                raise InvalidInputError(f"BasinOptions.{name} = {v!r} must be a positive number")
        for name in ("extensions", "max_classify"):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, numbers.Integral) or v < 0:
                raise InvalidInputError(
                    f"BasinOptions.{name} = {v!r} must be a non-negative integer"
                )
        v = self.classify_time
        if v is not None and (isinstance(v, bool) or not isinstance(v, numbers.Real) or not v > 0):
            raise InvalidInputError(f"BasinOptions.classify_time = {v!r} must be a positive number")
        if self.backend not in ("auto", "numba", "numpy"):
            raise InvalidInputError(
                f"BasinOptions.backend = {self.backend!r}; expected 'auto', 'numba' or 'numpy'"
            )


@dataclasses.dataclass(frozen=True, eq=False)
class BasinMap:
    """Which attractor each start of a grid in a plane of the state space reaches.

    Attributes
    ----------
    labels : ndarray of int, shape (ny, nx)
        ``labels[iy, ix]`` for the start with ``x[ix]``, ``y[iy]``: an index into
        ``attractors``, or `DIVERGED_LABEL` (-1), or `UNDECIDED_LABEL` (-2).
    attractors : tuple of Equilibrium or LimitCycle
        What each non-negative label stands for.
    names : tuple of str
        A name per attractor: the equilibrium's couple-vocabulary label ('balanced',
        'entrenched', ...) when it has one, else its kind and position; 'periodic
        orbit' for a cycle.
    fractions : mapping of str to float
        Share of the grid per attractor name, plus 'diverged' and 'undecided' (sums to
        1).
    x, y : ndarray
        Grid coordinates along the two axes.
    x_name, y_name : str
        The states on the axes.
    slice_state : ndarray, shape (n_states,)
        The values of the other states for every start (entries of the axis states are
        NaN).
    t_max : float
        Integration time per start (before extensions).
    n_classified : int
        Trajectories examined individually with `classify_trajectory`.
    model_name : str
    params : ParameterSet
    inputs : mapping of str to float
    options : BasinOptions

    Examples
    --------
    >>> import dyadmodel as dm
    >>> m = dm.models.get("pursuer-distancer-2d")
    >>> bm = dm.basins(m, m.params(anxiety_gain_1=2.0, avoidance_gain_2=2.0), resolution=8)
    >>> bm.names, bm.labels.shape
    (('balanced', 'entrenched'), (8, 8))
    """

    labels: np.ndarray
    attractors: tuple[Equilibrium | LimitCycle, ...]
    names: tuple[str, ...]
    fractions: Mapping[str, float]
    x: np.ndarray
    y: np.ndarray
    x_name: str
    y_name: str
    slice_state: np.ndarray
    t_max: float
    n_classified: int
    model_name: str
    params: ParameterSet
    inputs: Mapping[str, float]
    options: BasinOptions

    def label_of(self, name: str) -> int:
        """The label of the attractor called ``name`` ('diverged' and 'undecided' too).

        Parameters
        ----------
        name : str
            An entry of ``names``, or 'diverged' or 'undecided'.

        Returns
        -------
        int
            Its label in ``labels``.

        Raises
        ------
        KeyError
            For any other name (the message lists the attractors).

        Examples
        --------
        >>> import dyadmodel as dm
        >>> m = dm.models.get("pursuer-distancer-2d")
        >>> bm = dm.basins(m, m.params(anxiety_gain_1=2.0, avoidance_gain_2=2.0), resolution=8)
        >>> bm.label_of("entrenched"), bm.label_of("diverged")
        (1, -1)
        """
        if name == "diverged":
            return DIVERGED_LABEL
        if name == "undecided":
            return UNDECIDED_LABEL
        try:
            return self.names.index(name)
        except ValueError:
            raise KeyError(
                f"no attractor named {name!r}; this map has {', '.join(self.names)}"
            ) from None

    @property
    def basin_names(self) -> np.ndarray:
        """The attractor name of each start, shape (ny, nx): an entry of ``names``,
        'diverged' or 'undecided'."""
        table = np.array([*self.names, "diverged", "undecided"], dtype=object)
        k = len(self.names)
        codes = np.where(self.labels >= 0, self.labels, np.where(self.labels == -1, k, k + 1))
        return table[codes]

    def to_xarray(self):
        """The map as an `xarray.Dataset` over (``y_name``, ``x_name``) (xarray imported
        here).

        Variables: ``label`` (int, as ``labels``) and ``basin`` (the attractor's name,
        'diverged' or 'undecided'); ``attrs`` holds the names in label order, the
        fractions, the model and the slice values.

        Returns
        -------
        xarray.Dataset
            Over (``y_name``, ``x_name``).

        Examples
        --------
        >>> import dyadmodel as dm
        >>> m = dm.models.get("pursuer-distancer-2d")
        >>> bm = dm.basins(m, m.params(anxiety_gain_1=2.0, avoidance_gain_2=2.0), resolution=8)
        >>> dict(bm.to_xarray().sizes)
        {'distance_2': 8, 'pursuit_1': 8}
        """
        from dyadmodel._display import optional_module

        xr = optional_module("xarray", "to_xarray()")
        dims = (self.y_name, self.x_name)
        return xr.Dataset(
            {
                "label": (dims, np.asarray(self.labels).copy()),
                "basin": (dims, self.basin_names.astype(str)),
            },
            coords={self.x_name: np.asarray(self.x, float), self.y_name: np.asarray(self.y, float)},
            attrs={
                "model": self.model_name,
                "names": list(self.names),
                "fractions": dict(self.fractions),
                "slice_state": [float(v) for v in self.slice_state],
                "t_max": float(self.t_max),
            },
        )

    def to_dataframe(self):
        """One row per start, as a `pandas.DataFrame` with columns ``x_name``,
        ``y_name``, ``label`` and ``basin`` (see `to_xarray` for the gridded form).

        Returns
        -------
        pandas.DataFrame
            One row per start: its coordinates, ``label`` and ``basin``.

        Examples
        --------
        >>> import dyadmodel as dm
        >>> m = dm.models.get("pursuer-distancer-2d")
        >>> bm = dm.basins(m, m.params(anxiety_gain_1=2.0, avoidance_gain_2=2.0), resolution=8)
        >>> frame = bm.to_dataframe()
        >>> frame.shape, list(frame.columns)
        ((64, 4), ['pursuit_1', 'distance_2', 'label', 'basin'])
        """
        from dyadmodel._display import optional_module

        pd = optional_module("pandas", "to_dataframe()")
        gx, gy = np.meshgrid(np.asarray(self.x, float), np.asarray(self.y, float))
        df = pd.DataFrame(
            {
                self.x_name: gx.ravel(),
                self.y_name: gy.ravel(),
                "label": np.asarray(self.labels).ravel(),
                "basin": self.basin_names.astype(str).ravel(),
            }
        )
        df.attrs.update(model=self.model_name, fractions=dict(self.fractions))
        return df

    def _repr_html_(self) -> str:
        from dyadmodel._display import html_table

        ny, nx = self.labels.shape
        caption = (
            f"{self.model_name}: basins on a {nx} x {ny} grid of ({self.x_name}, {self.y_name})"
        )
        rows = [[name, share] for name, share in self.fractions.items()]
        return html_table(["basin", "share of the grid"], rows, caption=caption)

    def __repr__(self) -> str:
        shares = ", ".join(f"{k}: {v:.3f}" for k, v in self.fractions.items() if v)
        ny, nx = self.labels.shape
        return (
            f"BasinMap({self.model_name!r}, {nx}x{ny} grid of ({self.x_name}, "
            f"{self.y_name}), {shares})"
        )


@dataclasses.dataclass(frozen=True, eq=False)
class Resilience:
    """The smallest stress pulse that tips a couple from one attractor into another.

    Attributes
    ----------
    size : float
        Smallest pulse size (added to the stress input for ``pulse_duration``) that
        tips, to within ``bracket``; ``inf`` when no scanned size tips.
    bracket : (float, float)
        The largest size found not to tip and the smallest found to tip.
    pulse_duration : float
    input_name : str
        The input the pulse is added to (the model's stress).
    start : Equilibrium
        Where the couple rests before the pulse ('balanced').
    targets : tuple of Equilibrium
        The attractors that count as tipped ('entrenched').
    tipped_to : Equilibrium or None
        The target that the smallest tipping pulse leads to.
    t_relax : float
        Time allowed after the pulse to settle.
    message : str
    model_name : str
    params : ParameterSet
    inputs : mapping of str to float
        The base inputs the pulse adds to.

    Examples
    --------
    >>> import dyadmodel as dm
    >>> m = dm.models.get("pursuer-distancer-2d")
    >>> r = dm.resilience(m, m.params(anxiety_gain_1=2.0, avoidance_gain_2=2.0))
    >>> r.pulse_duration, round(r.size, 3)
    (5.0, 0.092)
    """

    size: float
    bracket: tuple[float, float]
    pulse_duration: float
    input_name: str
    start: Equilibrium
    targets: tuple[Equilibrium, ...]
    tipped_to: Equilibrium | None
    t_relax: float
    message: str
    model_name: str
    params: ParameterSet
    inputs: Mapping[str, float]

    def __repr__(self) -> str:
        return (
            f"Resilience({self.model_name!r}, size={self.size:.6g}, "
            f"pulse_duration={self.pulse_duration:g}, from {self.start.label or 'start'!r})"
        )


# ---------------------------------------------------------------------------------------
# shared pieces


def _widths(model: Model) -> np.ndarray:
    box = np.asarray(model.domain, dtype=float)
    w = box[:, 1] - box[:, 0]
    return np.where(w > 0, w, 1.0)


def _slowest_rate(eqs: Sequence[Equilibrium]) -> float | None:
    rates = []
    for e in eqs:
        re = np.real(e.eigenvalues)
        if e.stable:
            rates.append(float(np.min(-re)))
        elif e.is_saddle:
            rates.append(float(np.min(re[re > 0])))
    rates = [r for r in rates if r > 0 and math.isfinite(r)]
    return min(rates) if rates else None


def _default_time(eqs: Sequence[Equilibrium], opts: BasinOptions) -> float:
    rate = _slowest_rate(eqs)
    if rate is None:
        return 200.0
    return float(min(max(opts.time_factor / rate, 10.0), 1e5))


def _match(final: np.ndarray, points: list[np.ndarray], widths: np.ndarray, tol: float):
    """Index of the attractor each column of ``final`` lies within ``tol`` of, or -1.

    ``points[k]`` is an (n, 1) equilibrium or an (n, m) closed orbit; distances are
    measured in units of the domain widths, to the point (max norm) or to the orbit's
    polygon (Euclidean)."""
    out = np.full(final.shape[1], -1, dtype=np.int64)
    for k, pts in enumerate(points):
        free = np.flatnonzero(out < 0)
        if free.size == 0:
            break
        if pts.shape[1] == 1:
            d = np.max(np.abs(final[:, free] - pts) / widths[:, None], axis=0)
        else:
            d = _distance_to_polygon(final[:, free] / widths[:, None], pts / widths[:, None])
        out[free[d <= tol]] = k
    return out


def _distance_to_polygon(x: np.ndarray, pts: np.ndarray, block: int = 2048) -> np.ndarray:
    """Euclidean distance of each column of ``x`` to the polygon through ``pts``."""
    a, b = pts[:, :-1], pts[:, 1:]  # segments a -> b, shape (n, s)
    ab = b - a
    ab2 = np.maximum(np.sum(ab * ab, axis=0), 1e-300)
    out = np.empty(x.shape[1])
    for lo in range(0, x.shape[1], block):
        xb = x[:, lo : lo + block, None]  # (n, f, 1)
        u = np.clip(np.sum((xb - a[:, None, :]) * ab[:, None, :], axis=0) / ab2, 0.0, 1.0)
        nearest = a[:, None, :] + u[None] * ab[:, None, :]
        out[lo : lo + block] = np.sqrt(np.min(np.sum((xb - nearest) ** 2, axis=0), axis=1))
    return out


class _Labeller:
    """Runs trajectories on until they reach a known attractor; finds new ones."""

    def __init__(self, model, pset, inp, stable, opts, t_max, max_classify=None):
        self.model, self.pset, self.inp, self.opts = model, pset, inp, opts
        self.t_max = t_max
        self.widths = _widths(model)
        self.attractors: list[Equilibrium | LimitCycle] = list(stable)
        self.points: list[np.ndarray] = [e.state[:, None] for e in stable]
        self.max_classify = opts.max_classify if max_classify is None else max_classify
        self.n_classified = 0

    def run(self, X: np.ndarray, inputs: Any, t: float) -> tuple[np.ndarray, np.ndarray]:
        res = ensemble(
            self.model,
            self.pset,
            X,
            t=(0.0, t),
            rtol=self.opts.rtol,
            atol=self.opts.atol,
            inputs=inputs,
            backend=self.opts.backend,
        )
        return np.array(res.final), np.array(res.status)

    def label(self, X: np.ndarray) -> np.ndarray:
        final, status = self.run(X, self.inp, self.t_max)
        labels = np.full(X.shape[1], UNDECIDED_LABEL, dtype=np.int64)
        labels[status == DIVERGED] = DIVERGED_LABEL
        ok = status == CONVERGED
        got = _match(final, self.points, self.widths, self.opts.match_tol)
        labels[ok & (got >= 0)] = got[ok & (got >= 0)]
        for _ in range(self.opts.extensions):
            todo = np.flatnonzero(labels == UNDECIDED_LABEL)
            todo = todo[status[todo] == CONVERGED]
            if todo.size == 0:
                break
            f2, s2 = self.run(final[:, todo], self.inp, self.t_max)
            final[:, todo], status[todo] = f2, s2
            labels[todo[s2 == DIVERGED]] = DIVERGED_LABEL
            g2 = _match(f2, self.points, self.widths, self.opts.match_tol)
            hit = (s2 == CONVERGED) & (g2 >= 0)
            labels[todo[hit]] = g2[hit]
        self._classify(final, status, labels)
        labels[labels == _EXAMINED] = UNDECIDED_LABEL
        return labels

    def _classify(self, final, status, labels) -> None:
        """Examine a few unmatched end states one by one: a new attractor (a periodic
        orbit, or a stable equilibrium outside the searched box) is added and every
        unmatched start is matched against it again."""
        while self.n_classified < self.max_classify:
            todo = np.flatnonzero((labels == UNDECIDED_LABEL) & (status == CONVERGED))
            if todo.size == 0:
                return
            k = todo[0]
            self.n_classified += 1
            t_classify = self.opts.classify_time or max(2.0 * self.t_max, 1000.0)
            out = classify_trajectory(
                self.model, self.pset, final[:, k], t_max=t_classify, inputs=self.inp
            )
            new = None
            if out.kind == "periodic":
                try:
                    new = limit_cycle(
                        self.model,
                        self.pset,
                        out.final_state,
                        inputs=self.inp,
                        period_guess=out.period,
                    )
                except LimitCycleError:
                    new = None
                if new is not None and new.stable is False:
                    new = None
                pts = None if new is None else new.state
            elif out.kind == "equilibrium" and out.equilibrium_stable:
                pts = np.asarray(out.equilibrium)[:, None]
                new = self._equilibrium_at(pts[:, 0])
            elif out.kind == "diverged":
                labels[k] = DIVERGED_LABEL
                continue
            if new is None:
                labels[k] = _EXAMINED
                continue
            known = _match(pts[:, :1], self.points, self.widths, self.opts.match_tol)[0]
            if known >= 0:  # a known attractor, reached late
                labels[k] = known
                continue
            self.attractors.append(new)
            self.points.append(pts)
            free = np.flatnonzero(labels < 0)
            free = free[status[free] == CONVERGED]
            tol = self.opts.match_tol if pts.shape[1] == 1 else 10 * self.opts.match_tol
            got = _match(final[:, free], [pts], self.widths, tol)
            labels[free[got == 0]] = len(self.attractors) - 1
            if labels[k] < 0:
                labels[k] = len(self.attractors) - 1

    def _equilibrium_at(self, x: np.ndarray) -> Equilibrium | None:
        r = 1e-3 * self.widths
        try:
            found = equilibria(
                self.model, self.pset, np.stack([x - r, x + r], axis=1), inputs=self.inp
            )
        except Exception:
            return None
        stable = [e for e in found if e.stable]
        return stable[0] if stable else None


def _name(a: Equilibrium | LimitCycle, taken: list[str]) -> str:
    if isinstance(a, Equilibrium):
        base = a.label or a.kind
        if a.label and base not in taken:
            return base
        pos = ", ".join(f"{v:.3g}" for v in a.state)
        return f"{base} at ({pos})"
    base = "periodic orbit"
    k = 1
    name = base
    while name in taken:
        k += 1
        name = f"{base} {k}"
    return name


# ---------------------------------------------------------------------------------------
# basins


def basins(
    model: Model,
    params: ParameterSet | Mapping[str, Any] | None = None,
    grid: tuple[Any, Any] | None = None,
    *,
    x: str | None = None,
    y: str | None = None,
    resolution: int | tuple[int, int] = 300,
    t_max: float | None = None,
    inputs: Mapping[str, float] | float | None = None,
    slice_values: Mapping[str, float] | None = None,
    options: BasinOptions | None = None,
) -> BasinMap:
    """Label a grid of starts by the attractor each one reaches.

    Parameters
    ----------
    model : Model
        The model.
    params : ParameterSet or mapping, optional
        Parameter values; the model's defaults when omitted.
    grid : (array_like, array_like), optional
        The coordinates along the ``x`` and ``y`` axes. Default: ``resolution`` points
        spanning each axis state's domain (``model.domain``).
    x, y : str, optional
        The states on the axes; default the model's first two states.
    resolution : int or (int, int)
        Grid points per axis (nx, ny) when ``grid`` is not given.
    t_max : float, optional
        Integration time per start. Default: ``options.time_factor`` divided by the
        slowest rate of the equilibria (see `BasinOptions`).
    inputs : mapping or float, optional
        Constant inputs (e.g. a constant stress).
    slice_values : mapping, optional
        Values of the states not on the axes (models with more than two states).
        Default: their values at the first stable equilibrium labelled 'balanced', else
        at the first stable equilibrium, else the middle of their domains.
    options : BasinOptions, optional
        Options (see `BasinOptions`); its defaults when omitted.

    Returns
    -------
    BasinMap
        The result; see `BasinMap` for its fields.

    Raises
    ------
    InvalidInputError
        For an argument with an invalid value (the message says which and why).

    Notes
    -----
    Attractors are the stable equilibria of `dyadmodel.equilibria` (searched in the
    model's default box), matched by distance (``options.match_tol``); end states that
    match none are run on (``options.extensions``), and up to ``options.max_classify``
    of those still unmatched are examined by `dyadmodel.classify_trajectory`, which
    may find a periodic orbit (refined by `dyadmodel.limit_cycle` and then matched
    against every unmatched start) or a stable equilibrium outside that box. A start
    on a separatrix (it tends to the saddle) is 'undecided'. A periodic orbit is
    matched by the distance to the polygon through its sampled points, within ten
    times ``match_tol``: the polygon cuts the orbit's corners.

    Examples
    --------
    >>> import dyadmodel as dm
    >>> from dyadmodel.simulate._basins import basins
    >>> m = dm.models.get("pursuer-distancer-2d")
    >>> bm = basins(m, m.params(), resolution=40)
    >>> bm.names
    ('balanced', 'entrenched')
    >>> round(bm.fractions["balanced"] + bm.fractions["entrenched"], 6)
    1.0
    """
    opts = options if options is not None else BasinOptions()
    pset = model.parameter_set(params)
    inp = model.constant_inputs(inputs, "a basin map")
    names = model.state_names
    if model.n_states < 2:
        raise InvalidInputError(f"model {model.name!r} has one state: a basin map needs two")
    x_name = names[0] if x is None else x
    y_name = names[1] if y is None else y
    ix, iy = model.state_index(x_name), model.state_index(y_name)
    if ix == iy:
        raise InvalidInputError(f"x and y are both {x_name!r}; choose two different states")
    box = np.asarray(model.domain, dtype=float)
    if grid is None:
        nx, ny = (resolution, resolution) if np.ndim(resolution) == 0 else resolution
        for v in (nx, ny):
            if isinstance(v, bool) or not isinstance(v, numbers.Integral) or v < 2:
                raise InvalidInputError(f"resolution = {resolution!r}: need integers >= 2")
        xs = np.linspace(*box[ix], int(nx))
        ys = np.linspace(*box[iy], int(ny))
    else:
        try:
            gx, gy = grid
        except (TypeError, ValueError):
            raise InvalidInputError(
                "grid must be a pair (x values, y values) of 1-D arrays"
            ) from None
        xs, ys = np.asarray(gx, dtype=float).ravel(), np.asarray(gy, dtype=float).ravel()
        if (
            xs.size == 0
            or ys.size == 0
            or not (np.all(np.isfinite(xs)) and np.all(np.isfinite(ys)))
        ):
            raise InvalidInputError("grid axes must be non-empty arrays of finite numbers")

    for name in slice_values or {}:
        if model.state_index(name) in (ix, iy):
            raise InvalidInputError(f"slice_values gives {name!r}, which is an axis of the map")
    eqs = equilibria(model, pset, inputs=inp)
    stable = [e for e in eqs if e.stable]
    base = _slice_state(model, eqs, stable, slice_values, (ix, iy))
    T = _default_time(eqs, opts) if t_max is None else float(t_max)
    if not (math.isfinite(T) and T > 0):
        raise InvalidInputError(f"t_max = {t_max!r} must be a positive number")

    XX, YY = np.meshgrid(xs, ys)
    X0 = np.repeat(np.where(np.isnan(base), 0.0, base)[:, None], XX.size, axis=1)
    X0[ix], X0[iy] = XX.ravel(), YY.ravel()
    lab = _Labeller(model, pset, inp, stable, opts, T)
    labels = lab.label(X0).reshape(XX.shape)

    # keep only attractors that some start reaches, renumbered in order of discovery
    used = [k for k in range(len(lab.attractors)) if np.any(labels == k)]
    remap = np.full(len(lab.attractors), UNDECIDED_LABEL, dtype=np.int64)
    remap[used] = np.arange(len(used))
    if remap.size:
        labels = np.where(labels >= 0, remap[np.maximum(labels, 0)], labels)
    attractors = tuple(lab.attractors[k] for k in used)
    taken: list[str] = []
    for a in attractors:
        taken.append(_name(a, taken))
    total = labels.size
    fractions = {nm: float(np.count_nonzero(labels == k)) / total for k, nm in enumerate(taken)}
    fractions["diverged"] = float(np.count_nonzero(labels == DIVERGED_LABEL)) / total
    fractions["undecided"] = float(np.count_nonzero(labels == UNDECIDED_LABEL)) / total
    labels.setflags(write=False)
    slice_state = base.copy()
    slice_state[[ix, iy]] = np.nan
    for a in (xs, ys, slice_state):
        a.setflags(write=False)
    return BasinMap(
        labels=labels,
        attractors=attractors,
        names=tuple(taken),
        fractions=MappingProxyType(fractions),
        x=xs,
        y=ys,
        x_name=x_name,
        y_name=y_name,
        slice_state=slice_state,
        t_max=T,
        n_classified=lab.n_classified,
        model_name=model.name,
        params=pset,
        inputs=MappingProxyType(dict(inp)),
        options=opts,
    )


def _slice_state(model, eqs, stable, slice_values, axes) -> np.ndarray:
    box = np.asarray(model.domain, dtype=float)
    balanced = [e for e in stable if e.label.startswith("balanced")]
    if balanced:
        base = np.array(balanced[0].state, dtype=float)
    elif stable:
        base = np.array(stable[0].state, dtype=float)
    else:
        base = box.mean(axis=1)
    for name, v in (slice_values or {}).items():
        i = model.state_index(name)
        if i in axes:
            raise InvalidInputError(f"slice_values gives {name!r}, which is an axis of the map")
        if isinstance(v, bool) or not isinstance(v, numbers.Real) or not math.isfinite(v):
            raise InvalidInputError(f"slice_values[{name!r}] = {v!r} must be a finite number")
        base[i] = float(v)
    base[list(axes)] = np.nan
    return base


# ---------------------------------------------------------------------------------------
# resilience


def resilience(
    model: Model,
    params: ParameterSet | Mapping[str, Any] | None = None,
    *,
    pulse_duration: float = 5.0,
    sizes: Any = None,
    inputs: Mapping[str, float] | float | None = None,
    input_name: str | None = None,
    start: Equilibrium | None = None,
    targets: Sequence[Equilibrium] | None = None,
    t_relax: float | None = None,
    size_rtol: float = 1e-6,
    options: BasinOptions | None = None,
) -> Resilience:
    """The smallest stress pulse that tips the balanced state into the entrenched basin.

    A pulse of size ``u`` adds ``u`` to the stress input for ``pulse_duration`` time
    units, starting from the equilibrium ``start``; afterwards the stress returns to its
    base value and the couple relaxes for ``t_relax``. The pulse *tips* when the couple
    then settles on one of ``targets``.

    Parameters
    ----------
    model : Model
        A model with an input (the flagship models' ``stress``).
    params : ParameterSet or mapping, optional
        Parameter values; the model's defaults when omitted.
    pulse_duration : float
        Length of the stress episode (model time units; 1 is a behaviour's relaxation
        time at the flagship defaults).
    sizes : array_like, optional
        Increasing pulse sizes scanned for the first one that tips, before bisection.
        Default: 64 sizes up to 10 times the largest width of the model's domain.
    inputs : mapping or float, optional
        Base values of the inputs (the pulse is added to the stress input's).
    input_name : str, optional
        The input the pulse acts on; default ``'stress'``, or the model's only input.
    start : Equilibrium, optional
        Default: the stable equilibrium labelled 'balanced' (else the first stable one).
    targets : sequence of Equilibrium, optional
        Default: the stable equilibria labelled 'entrenched...' (else every other
        stable equilibrium).
    t_relax : float, optional
        Time allowed to settle after the pulse; default as `basins`' ``t_max``.
    size_rtol : float
        Bisection stops when the bracket is narrower than ``size_rtol`` times its upper
        end.
    options : BasinOptions, optional
        Integration tolerances (default ``rtol=1e-9, atol=1e-12``) and matching.

    Returns
    -------
    Resilience
        The result; see `Resilience` for its fields.

    Raises
    ------
    InvalidInputError
        For an argument with an invalid value (the message says which and why).

    Notes
    -----
    Each scan and bisection round is one ensemble run over many sizes at once (the
    pulse phase with the stress held at ``base + size``, then the relaxation phase).
    The result is the smallest tipping size among those scanned, refined by bisection;
    a tipping set that is not an interval (larger pulses that do not tip) would show
    only its first part. A size whose outcome stays undecided counts as not tipping.

    Examples
    --------
    >>> import dyadmodel as dm
    >>> from dyadmodel.simulate._basins import resilience
    >>> m = dm.models.get("pursuer-distancer-2d")
    >>> r = resilience(m, m.params(), pulse_duration=5.0)
    >>> r.start.label, r.tipped_to.label, round(r.size, 3)
    ('balanced', 'entrenched', 0.092)
    """
    opts = options if options is not None else BasinOptions(rtol=1e-9, atol=1e-12)
    pset = model.parameter_set(params)
    base_inp = model.constant_inputs(inputs, "a resilience measure")
    if not model.inputs:
        raise InvalidInputError(
            f"model {model.name!r} has no input for a stress pulse; resilience needs a "
            "model with an input such as 'stress'"
        )
    if input_name is None:
        input_name = "stress" if "stress" in model.input_names else model.input_names[0]
        if len(model.inputs) > 1 and "stress" not in model.input_names:
            raise InvalidInputError(
                f"model {model.name!r} has inputs {model.input_names}; name the one the pulse "
                "acts on with input_name="
            )
    elif input_name not in model.input_names:
        raise InvalidInputError(
            f"unknown input {input_name!r} for model {model.name!r}; valid inputs: "
            f"{', '.join(model.input_names)}"
        )
    D = float(pulse_duration)
    if not (math.isfinite(D) and D > 0):
        raise InvalidInputError(f"pulse_duration = {pulse_duration!r} must be a positive number")

    eqs = equilibria(model, pset, inputs=base_inp)
    stable = [e for e in eqs if e.stable]
    if start is None:
        balanced = [e for e in stable if e.label.startswith("balanced")]
        if not (balanced or stable):
            raise InvalidInputError(
                f"model {model.name!r} has no stable equilibrium at {pset!r}: there is no "
                "resting state to tip from"
            )
        start = (balanced or stable)[0]
    others = [e for e in stable if not np.allclose(e.state, start.state, rtol=0, atol=1e-9)]
    if targets is None:
        entrenched = [e for e in others if e.label.startswith("entrenched")]
        targets = entrenched or others
    targets = tuple(targets)
    if not targets:
        raise InvalidInputError(
            f"model {model.name!r} at these parameters has no other stable equilibrium than "
            f"the start {start!r}: no pulse can tip it (the couple is resilient to any "
            "pulse; see basins)"
        )
    T = _default_time(eqs, opts) if t_relax is None else float(t_relax)
    if sizes is None:
        sizes = np.linspace(0.0, 10.0 * float(np.max(_widths(model))), 65)[1:]
    sizes = np.asarray(sizes, dtype=float).ravel()
    if sizes.size == 0 or np.any(np.diff(sizes) <= 0) or np.any(sizes < 0):
        raise InvalidInputError(
            "sizes must be a non-empty increasing array of non-negative numbers"
        )

    attract = [start, *targets]
    lab = _Labeller(model, pset, base_inp, attract, opts, T, max_classify=0)
    target_labels = set(range(1, len(attract)))

    def outcome(us: np.ndarray) -> np.ndarray:
        """Label reached after a pulse of each size in ``us``."""
        pulse = dict(base_inp)
        pulse[input_name] = base_inp[input_name] + us
        X0 = np.repeat(np.asarray(start.state, dtype=float)[:, None], us.size, axis=1)
        mid, status = lab.run(X0, pulse, D)
        labels = np.full(us.size, UNDECIDED_LABEL, dtype=np.int64)
        ok = status == CONVERGED
        labels[status == DIVERGED] = DIVERGED_LABEL
        if np.any(ok):
            labels[ok] = lab.label(mid[:, ok])
        return labels

    got = outcome(sizes)
    tipped = np.isin(got, list(target_labels))
    context = f"a pulse of duration {D:g} on input {input_name!r} from {start.label or 'the start'}"
    if not np.any(tipped):
        return Resilience(
            size=math.inf,
            bracket=(float(sizes[-1]), math.inf),
            pulse_duration=D,
            input_name=input_name,
            start=start,
            targets=targets,
            tipped_to=None,
            t_relax=T,
            message=f"no size up to {sizes[-1]:g} tips {context}; try larger sizes or a longer "
            "pulse",
            model_name=model.name,
            params=pset,
            inputs=MappingProxyType(dict(base_inp)),
        )
    k = int(np.argmax(tipped))
    lo, hi = (0.0 if k == 0 else float(sizes[k - 1])), float(sizes[k])
    hi_label = int(got[k])
    while hi - lo > size_rtol * hi:
        probe = np.linspace(lo, hi, 18)[1:-1]
        res = outcome(probe)
        tip = np.isin(res, list(target_labels))
        if np.any(tip):
            first = int(np.argmax(tip))
            hi, hi_label = float(probe[first]), int(res[first])
            if first > 0:
                lo = float(probe[first - 1])
        else:
            lo = float(probe[-1])
    return Resilience(
        size=hi,
        bracket=(lo, hi),
        pulse_duration=D,
        input_name=input_name,
        start=start,
        targets=targets,
        tipped_to=attract[hi_label],
        t_relax=T,
        message=f"{context}: tips at size {hi:.6g} (bracket [{lo:.6g}, {hi:.6g}])",
        model_name=model.name,
        params=pset,
        inputs=MappingProxyType(dict(base_inp)),
    )
