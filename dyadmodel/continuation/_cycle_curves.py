"""Two-parameter curves of cycle bifurcations: folds of cycles (`lpc_curve`) and
homoclinic ends (`homoclinic_curve`).

Both are traced the simple and robust way: at steps of the second parameter ``y`` the
branch of cycles is continued in the first parameter ``x`` from the Hopf point where it
is born (the Hopf curve in the plane gives that point at every ``y``), with
`continue_cycle`, which locates the folds of cycles on the branch (to ~1e-10) and the
large-period end where the branch approaches a homoclinic orbit or a saddle-node on the
cycle. Where the number of such points changes between two steps, ``y`` is bisected to
find where a curve begins or ends. The points found at successive steps are linked into
pieces of curves by proximity.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
import numbers
import time
from collections.abc import Mapping
from typing import Any

import numpy as np

from dyadmodel.analysis._checks import (
    check_int_fields,
    check_model,
    check_name,
    check_options,
    check_positive_fields,
    show,
)
from dyadmodel.continuation._cycles import CycleBranch, CycleOptions, continue_cycle
from dyadmodel.continuation._hopf import HopfCurve, hopf_curve
from dyadmodel.continuation._types import ContinuationOptions, SpecialPoint, _frozen
from dyadmodel.errors import InvalidInputError, InvalidTypeError
from dyadmodel.model import Model, ParameterError, ParameterSet

__all__ = [
    "CycleCurve",
    "CycleCurveOptions",
    "cycle_curves",
    "homoclinic_curve",
    "lpc_curve",
]

_KINDS = ("LPC", "homoclinic")


def _default_cycle_options() -> CycleOptions:
    return CycleOptions(ntst=40, max_points=300, max_seconds=30.0)


@dataclasses.dataclass(frozen=True)
class CycleCurveOptions:
    """Options of `lpc_curve` and `homoclinic_curve`. Printing an instance shows every
    default.

    Attributes
    ----------
    n_steps : int
        Values of the second parameter, equally spaced over its span (ends included),
        at each of which the cycles are continued in the first parameter.
    refine_ends : int
        Bisections of the second parameter between two steps where the number of
        points found changes (a curve begins or ends there): the end is then known to
        ``span / (n_steps - 1) / 2**refine_ends``.
    link_tol : float
        Points at neighbouring steps belong to one piece of curve when their first
        parameters differ by at most ``link_tol`` times the width of ``x_span`` and
        their periods by less than a factor 2 (the nearest such point is taken).
    merge_tol : float
        Points of one kind at one value of ``y`` whose first parameters differ by less
        than ``merge_tol`` times the width of ``x_span`` and whose periods agree to
        1e-3 are one point found twice (e.g. by the branches of two Hopf points); only
        the first is kept, so that near-coincident folds do not make the count of
        points, and hence the bisections, depend on rounding.
    cycle : CycleOptions
        Options of each `continue_cycle` call (each has its own time budget).
    max_seconds : float
        Time budget of the whole curve; when spent the curve stops with
        ``completed = False`` and says where.

    Raises
    ------
    InvalidInputError
        A count out of its range or a non-positive tolerance or budget.
    InvalidTypeError
        ``cycle`` is not a CycleOptions.

    Examples
    --------
    >>> from dyadmodel.continuation import CycleCurveOptions, CycleOptions
    >>> CycleCurveOptions(n_steps=11, cycle=CycleOptions(ntst=20)).n_steps
    11
    """

    n_steps: int = 21
    refine_ends: int = 5
    link_tol: float = 0.2
    merge_tol: float = 1e-4
    cycle: CycleOptions = dataclasses.field(default_factory=_default_cycle_options)
    max_seconds: float = 600.0

    def __post_init__(self) -> None:
        check_int_fields(
            "CycleCurveOptions", self, (("n_steps", 2, 100_000), ("refine_ends", 0, 60))
        )
        check_positive_fields("CycleCurveOptions", self, ("link_tol", "merge_tol", "max_seconds"))
        if not isinstance(self.cycle, CycleOptions):
            raise InvalidTypeError(
                f"CycleCurveOptions.cycle = {show(self.cycle)}; expected a CycleOptions"
            )


@dataclasses.dataclass(frozen=True, eq=False)
class CycleCurve:
    """A curve of folds of cycles (LPC) or of homoclinic ends in a parameter plane.

    Attributes
    ----------
    kind : {'LPC', 'homoclinic'}
    x_param, y_param : str
        The continuation parameter of the cycles and the stepped parameter.
    x_values, y_values : ndarray, shape (m,)
        The points, piece by piece, each piece ordered by ``y``.
    pieces : ndarray of int, shape (m,)
        Which connected piece each point belongs to (0, 1, ...).
    periods : ndarray, shape (m,)
        The period at each point (homoclinic: the largest period computed).
    states : ndarray, shape (m, n_states)
        LPC: a point on the folding cycle; homoclinic: the saddle (or saddle-node) the
        orbit approaches.
    saddle_kinds : tuple of str
        Homoclinic: per point, 'saddle' (a homoclinic orbit) or 'saddle-node' (a
        saddle-node on the cycle, SNIC); LPC: empty strings.
    refined : ndarray of bool, shape (m,)
        Whether `continue_cycle` located the point (LPC) or fitted the period's growth
        law (homoclinic) successfully.
    hopf : HopfCurve
        The Hopf curve whose points started the cycle branches.
    y_steps : ndarray
        Every value of ``y`` at which cycles were continued (steps and bisections).
    counts : ndarray of int
        The number of points found at each of ``y_steps``.
    ends : tuple of str
        In words: where pieces begin or end inside the span (between which ``y``
        values), and anything that stopped early.
    status : str
        'completed' (every step computed) or 'budget' (``max_seconds`` spent).
    completed : bool
    elapsed : float
        Seconds spent.
    model_name : str
    params : ParameterSet
    options : CycleCurveOptions

    Examples
    --------
    >>> import dyadmodel as dm
    >>> from dyadmodel.continuation import CycleCurveOptions, lpc_curve
    >>> m = dm.Model.from_equations(
    ...     {"x": "a*x - y + x*(s*(x**2 + y**2) - (x**2 + y**2)**2)",
    ...      "y": "x + a*y + y*(s*(x**2 + y**2) - (x**2 + y**2)**2)"},
    ...     {"a": 0.0, "s": 1.0})
    >>> h = dm.continuation(m, None, "a", (-0.5, 0.5)).hopf_points[0]
    >>> c = lpc_curve(m, None, h, "s", (0.5, 1.0), (-0.5, 0.5), CycleCurveOptions(n_steps=2))
    >>> c.kind, len(c), c.n_pieces, c.completed
    ('LPC', 2, 1, True)
    """

    kind: str
    x_param: str
    y_param: str
    x_values: np.ndarray
    y_values: np.ndarray
    pieces: np.ndarray
    periods: np.ndarray
    states: np.ndarray
    saddle_kinds: tuple[str, ...]
    refined: np.ndarray
    hopf: HopfCurve
    y_steps: np.ndarray
    counts: np.ndarray
    ends: tuple[str, ...]
    status: str
    completed: bool
    elapsed: float
    model_name: str
    params: ParameterSet
    options: CycleCurveOptions

    def __post_init__(self) -> None:
        for name in ("x_values", "y_values", "periods", "states", "y_steps"):
            object.__setattr__(self, name, _frozen(getattr(self, name)))
        object.__setattr__(self, "pieces", _frozen(self.pieces, int))
        object.__setattr__(self, "counts", _frozen(self.counts, int))
        object.__setattr__(self, "refined", _frozen(self.refined, bool))

    def __len__(self) -> int:
        return len(self.x_values)

    @property
    def n_pieces(self) -> int:
        """The number of connected pieces."""
        return int(self.pieces.max()) + 1 if len(self.pieces) else 0

    def piece(self, k: int) -> tuple[np.ndarray, np.ndarray]:
        """The points of one connected piece, ordered by ``y``.

        Parameters
        ----------
        k : int
            The piece, from 0 to ``n_pieces - 1``.

        Returns
        -------
        x_values, y_values : ndarray
            Copies of the piece's coordinates.

        Raises
        ------
        InvalidInputError
            ``k`` is not the index of a piece.

        Examples
        --------
        >>> import numpy as np
        >>> import dyadmodel as dm
        >>> from dyadmodel.continuation import CycleCurveOptions, lpc_curve
        >>> m = dm.Model.from_equations(
        ...     {"x": "a*x - y + x*(s*(x**2 + y**2) - (x**2 + y**2)**2)",
        ...      "y": "x + a*y + y*(s*(x**2 + y**2) - (x**2 + y**2)**2)"},
        ...     {"a": 0.0, "s": 1.0})
        >>> h = dm.continuation(m, None, "a", (-0.5, 0.5)).hopf_points[0]
        >>> c = lpc_curve(m, None, h, "s", (0.5, 1.0), (-0.5, 0.5), CycleCurveOptions(n_steps=2))
        >>> x, y = c.piece(0)
        >>> bool(np.allclose(x, -y**2 / 4))
        True
        """
        if isinstance(k, bool) or not isinstance(k, numbers.Integral) or not 0 <= k < self.n_pieces:
            raise InvalidInputError(f"piece {show(k)}; expected an integer in [0, {self.n_pieces})")
        sel = self.pieces == k
        return self.x_values[sel].copy(), self.y_values[sel].copy()

    def __repr__(self) -> str:
        return (
            f"CycleCurve({self.kind!r}, {self.x_param}, {self.y_param}, {len(self)} points in "
            f"{self.n_pieces} piece(s), status={self.status!r})"
        )


# -- checks ------------------------------------------------------------------------------------


def _check_span(model: Model, name: str, span, what: str) -> tuple[float, float]:
    if isinstance(span, (str, bytes)):
        raise InvalidInputError(f"{what} = {span!r}; expected two numbers (low, high)")
    try:
        a, b = (float(v) for v in span)
    except (TypeError, ValueError):
        raise InvalidInputError(
            f"{what} = {show(span)}; expected two numbers (low, high)"
        ) from None
    rec = model.parameter(name)
    for v in (a, b):
        if not math.isfinite(v):
            raise InvalidInputError(f"{what} = {show(span)}; expected finite numbers")
        try:
            rec.check(v)
        except ParameterError as err:
            raise ParameterError(f"{what} of {name!r}: {err}") from None
    if a == b:
        raise InvalidInputError(f"{what} of {name!r} = ({a:g}, {b:g}) is empty")
    return min(a, b), max(a, b)


def _hopf_of(model, params, hopf, y_param, y_span, x_span) -> HopfCurve:
    if isinstance(hopf, HopfCurve):
        if hopf.model_name != model.name:
            raise InvalidInputError(
                f"hopf is a Hopf curve of model {hopf.model_name!r}, not of {model.name!r}"
            )
        if hopf.y_param != y_param:
            raise InvalidInputError(
                f"hopf is a Hopf curve in ({hopf.x_param}, {hopf.y_param}); y_param is "
                f"{y_param!r}: trace it in {y_param!r}"
            )
        return hopf
    if isinstance(hopf, SpecialPoint):
        if hopf.kind != "hopf":
            raise InvalidInputError(
                f"hopf is a {hopf.kind!r} point; expected a 'hopf' SpecialPoint "
                "(dm.continuation(...).hopf_points) or a HopfCurve (dm.hopf_curve)"
            )
        if hopf.model_name != model.name:
            raise InvalidInputError(
                f"hopf is a point of model {hopf.model_name!r}, not of {model.name!r}"
            )
        if hopf.param == y_param:
            raise InvalidInputError(
                f"hopf was found in {y_param!r}, which is y_param; the cycles are continued "
                "in the Hopf point's own parameter: pass another y_param"
            )
        y0 = hopf.params[y_param]
        if not y_span[0] <= y0 <= y_span[1]:
            raise InvalidInputError(
                f"the Hopf point has {y_param} = {y0:g}, outside y_span [{y_span[0]:g}, "
                f"{y_span[1]:g}]; its Hopf curve is traced from it, so y_span must contain it"
            )
        if not x_span[0] < hopf.value < x_span[1]:
            raise InvalidInputError(
                f"the Hopf point has {hopf.param} = {hopf.value:g}, outside x_span "
                f"[{x_span[0]:g}, {x_span[1]:g}]"
            )
        return hopf_curve(model, params, hopf, y_param, y_span, ContinuationOptions(),
                          x_span=x_span)  # fmt: skip
    raise InvalidTypeError(
        f"hopf = {show(hopf)} is a {type(hopf).__name__}; expected a 'hopf' SpecialPoint "
        "(dm.continuation(...).hopf_points) or a HopfCurve (dm.hopf_curve)"
    )


# -- the sweep ----------------------------------------------------------------------------------


class _Sweep:
    """Cycle branches from the Hopf curve's points at chosen values of ``y``."""

    def __init__(self, model, curve: HopfCurve, template, x_span, opts, deadline):
        self.model, self.curve, self.template = model, curve, template
        self.x_span, self.opts, self.deadline = x_span, opts, deadline
        self.found: dict[float, dict[str, list]] = {}
        self.notes: list[str] = []
        self.out_of_time = False

    def hopf_starts(self, y: float) -> list[SpecialPoint]:
        """Hopf points at ``y``: linear interpolation on every segment of the curve that
        crosses ``y`` (a point with a zero frequency, a Bogdanov-Takens end, is skipped)."""
        c = self.curve
        d = c.y_values - y
        out = []
        xs_seen: list[float] = []
        for i in range(len(d) - 1):
            if d[i] * d[i + 1] > 0 or d[i] == d[i + 1]:
                continue
            w = d[i] / (d[i] - d[i + 1])
            x = float(c.x_values[i] + w * (c.x_values[i + 1] - c.x_values[i]))
            omega = float(c.frequencies[i] + w * (c.frequencies[i + 1] - c.frequencies[i]))
            if omega <= 1e-6 or not self.x_span[0] < x < self.x_span[1]:
                continue
            if any(abs(x - v) < 1e-9 * (1 + abs(x)) for v in xs_seen):
                continue
            xs_seen.append(x)
            state = c.states[i] + w * (c.states[i + 1] - c.states[i])
            p = c.params.replace(**{c.x_param: x, c.y_param: float(y)})
            eig = np.linalg.eigvals(self.model.jacobian(state, p))
            out.append(
                dataclasses.replace(
                    self.template,
                    value=x,
                    state=state,
                    params=p,
                    eigenvalues=eig[np.argsort(-eig.real, kind="stable")],
                )
            )
        return out

    def at(self, y: float) -> dict[str, list]:
        if y in self.found:
            return self.found[y]
        res: dict[str, list] = {"LPC": [], "homoclinic": [], "stable": []}
        for h in self.hopf_starts(y):
            left = self.deadline - time.monotonic()
            if left <= 0:
                self.out_of_time = True
                break
            copt = dataclasses.replace(
                self.opts.cycle, max_seconds=min(self.opts.cycle.max_seconds, left)
            )
            b: CycleBranch = continue_cycle(
                self.model, None, self.curve.x_param, self.x_span, start=h, options=copt
            )
            if b.status == "budget" and time.monotonic() >= self.deadline:
                self.out_of_time = True
            elif b.status not in ("span", "homoclinic", "hopf"):
                self.notes.append(
                    f"{self.curve.y_param} = {y:.10g}: the branch from the Hopf point at "
                    f"{self.curve.x_param} = {h.value:.10g} stopped early: {b.end}"
                )
            for s in b.special:
                if s.kind in res:
                    res[s.kind].append(s)
            v = b.param_values
            res["stable"].extend(
                (float(min(v[k], v[k + 1])), float(max(v[k], v[k + 1])))
                for k in range(len(b) - 1)
                if b.stable[k] and b.stable[k + 1]
            )
        width = self.x_span[1] - self.x_span[0]
        for kind in ("LPC", "homoclinic"):
            kept: list = []
            for s in sorted(res[kind], key=lambda q: q.value):
                if not any(
                    abs(s.value - q.value) < self.opts.merge_tol * width
                    and abs(s.period - q.period) <= 1e-3 * q.period
                    for q in kept
                ):
                    kept.append(s)
            res[kind] = kept
        self.found[y] = res
        return res


def _sweep(model, params, hopf, x_param_y, y_span, x_span, options) -> tuple[dict, _Sweep]:
    """Run the stepped continuations; returns ({kind: CycleCurve}, sweep). The sweep's
    ``found[y]['stable']`` lists the intervals of ``x`` with a stable cycle at ``y``."""
    t0 = time.monotonic()
    opts = check_options(options, CycleCurveOptions)
    y_param = x_param_y
    curve = _hopf_of(model, params, hopf, y_param, y_span, x_span)
    template = hopf if isinstance(hopf, SpecialPoint) else _template(model, curve)
    sw = _Sweep(model, curve, template, x_span, opts, t0 + opts.max_seconds)
    ys = [float(v) for v in np.linspace(y_span[0], y_span[1], opts.n_steps)]
    for y in ys:
        sw.at(y)
        if sw.out_of_time:
            break
    curves = {}
    for kind in _KINDS:
        curves[kind] = _assemble(kind, sw, ys, y_span, x_span, opts, t0, model)
    return curves, sw


def _template(model, curve: HopfCurve) -> SpecialPoint:
    """A Hopf SpecialPoint at the curve's first point with a nonzero frequency."""
    k = int(np.argmax(curve.frequencies > 1e-6))
    x, y = float(curve.x_values[k]), float(curve.y_values[k])
    p = curve.params.replace(**{curve.x_param: x, curve.y_param: y})
    eig = np.linalg.eigvals(model.jacobian(curve.states[k], p))
    return SpecialPoint(
        kind="hopf",
        param=curve.x_param,
        value=x,
        state=curve.states[k],
        eigenvalues=eig[np.argsort(-eig.real, kind="stable")],
        n_unstable_before=0,
        n_unstable_after=0,
        branch=0,
        branches=(0,),
        refined=True,
        model_name=model.name,
        params=p,
    )


def _assemble(kind, sw: _Sweep, ys, y_span, x_span, opts, t0, model) -> CycleCurve:
    """Bisect where the count of ``kind`` points changes, then link the points."""
    count = lambda y: len(sw.at(y)[kind])  # noqa: E731
    done = [y for y in ys if y in sw.found]
    ends = []
    for a, b in itertools.pairwise(done):
        lo, hi = a, b
        if count(lo) == count(hi):
            continue
        for _ in range(opts.refine_ends):
            if sw.out_of_time:
                break
            mid = 0.5 * (lo + hi)
            sw.at(mid)
            if sw.out_of_time:
                break
            if count(mid) == count(lo):
                lo = mid
            else:
                hi = mid
        ends.append(
            f"the number of {kind} points changes from {count(lo)} to {count(hi)} between "
            f"{sw.curve.y_param} = {lo:.10g} and {hi:.10g}"
        )
    y_all = sorted(sw.found)
    pieces: list[list[tuple[float, Any]]] = []
    open_ends: list[int] = []
    width = x_span[1] - x_span[0]
    for y in y_all:
        pts = sorted(sw.found[y][kind], key=lambda s: s.value)
        pairs = []  # (gap, piece, point): the nearest pairs are linked first
        for k in open_ends:
            prev = pieces[k][-1][1]
            for j, s in enumerate(pts):
                gap = abs(prev.value - s.value)
                if gap <= opts.link_tol * width and abs(math.log(prev.period / s.period)) < (
                    math.log(2.0)
                ):
                    pairs.append((gap, k, j))
        owner: dict[int, int] = {}
        for _, k, j in sorted(pairs):
            if k not in owner.values() and j not in owner:
                owner[j] = k
        new_open = []
        for j, s in enumerate(pts):
            if j in owner:
                pieces[owner[j]].append((y, s))
                new_open.append(owner[j])
            else:
                pieces.append([(y, s)])
                new_open.append(len(pieces) - 1)
        open_ends = new_open
    xs, yv, pc, per, st, sk, rf = [], [], [], [], [], [], []
    n = model.n_states
    for k, piece in enumerate(pieces):
        for y, s in piece:
            xs.append(s.value)
            yv.append(y)
            pc.append(k)
            per.append(s.period)
            if kind == "homoclinic" and s.saddle is not None:
                st.append(np.asarray(s.saddle, float))
            else:
                st.append(np.asarray(s.state, float))
            sk.append(s.saddle_kind if kind == "homoclinic" else "")
            rf.append(bool(s.refined))
    notes = list(sw.notes)
    status = "budget" if sw.out_of_time else "completed"
    if sw.out_of_time:
        last = max(sw.found) if sw.found else math.nan
        notes.append(
            f"budget of {opts.max_seconds:g} s spent after {len(sw.found)} continuations "
            f"(last {sw.curve.y_param} = {last:.10g}); raise CycleCurveOptions.max_seconds"
        )
    return CycleCurve(
        kind=kind,
        x_param=sw.curve.x_param,
        y_param=sw.curve.y_param,
        x_values=np.array(xs, float),
        y_values=np.array(yv, float),
        pieces=np.array(pc, int),
        periods=np.array(per, float),
        states=np.array(st, float).reshape(len(xs), n),
        saddle_kinds=tuple(sk),
        refined=np.array(rf, bool),
        hopf=sw.curve,
        y_steps=np.array(y_all, float),
        counts=np.array([count(y) for y in y_all], int),
        ends=tuple(ends + notes),
        status=status,
        completed=status == "completed",
        elapsed=time.monotonic() - t0,
        model_name=model.name,
        params=sw.curve.params,
        options=opts,
    )


def _checked(model, params, hopf, y_param, y_span, x_span):
    check_model(model)
    check_name("y_param", y_param, model.parameter_names)
    model.parameter(y_param)
    x_param = hopf.x_param if isinstance(hopf, HopfCurve) else getattr(hopf, "param", None)
    if not isinstance(hopf, HopfCurve | SpecialPoint):
        _hopf_of(model, params, hopf, y_param, None, None)  # raises InvalidTypeError
    ys = _check_span(model, y_param, y_span, "y_span")
    xs = _check_span(model, x_param, x_span, "x_span")
    if params is not None:
        model.parameter_set(params)
    return ys, xs


def cycle_curves(
    model: Model,
    params: ParameterSet | Mapping[str, Any] | None,
    hopf: SpecialPoint | HopfCurve,
    y_param: str,
    y_span: tuple[float, float],
    x_span: tuple[float, float],
    options: CycleCurveOptions | None = None,
) -> dict[str, CycleCurve]:
    """Both the fold-of-cycles and the homoclinic curve from one sweep.

    `lpc_curve` and `homoclinic_curve` each pay for the same stepped continuations;
    this returns both for the price of one.

    Parameters
    ----------
    model : Model
        The model.
    params : ParameterSet or mapping or None
        The other parameters (used when ``hopf`` is a SpecialPoint; None: its own).
    hopf : SpecialPoint or HopfCurve
        A Hopf point found in ``x``, or its Hopf curve in ``y_param``.
    y_param : str
        The stepped parameter.
    y_span : (float, float)
        The range of ``y`` stepped over.
    x_span : (float, float)
        Each branch of cycles is followed while ``x`` stays in it.
    options : CycleCurveOptions, optional
        Steps, bisections, linking and budgets.

    Returns
    -------
    dict
        ``{'LPC': CycleCurve, 'homoclinic': CycleCurve}``.

    Raises
    ------
    InvalidTypeError
        ``hopf`` is not a SpecialPoint or HopfCurve; ``options`` not CycleCurveOptions.
    InvalidInputError
        ``hopf`` is not a Hopf point, belongs to another model, or was found in
        ``y_param``; a malformed span.
    NotFoundError
        ``y_param`` is not a parameter of the model.
    ParameterError
        A span leaves the parameter's bounds.

    Examples
    --------
    >>> import dyadmodel as dm
    >>> from dyadmodel.continuation import CycleCurveOptions, cycle_curves
    >>> m = dm.Model.from_equations({"x": "y", "y": "b1 + b2*x + x**2 - x*y"},
    ...                             {"b1": 0.0, "b2": -1.0})
    >>> h = dm.continuation(m, None, "b1", (-0.5, 0.5)).hopf_points[0]
    >>> c = cycle_curves(m, None, h, "b2", (-1.0, -0.5), (-0.5, 0.5),
    ...                  CycleCurveOptions(n_steps=2))
    >>> len(c["LPC"]), len(c["homoclinic"])
    (0, 2)
    """
    ys, xs = _checked(model, params, hopf, y_param, y_span, x_span)
    curves, _ = _sweep(model, params, hopf, y_param, ys, xs, options)
    return curves


def lpc_curve(
    model: Model,
    params: ParameterSet | Mapping[str, Any] | None,
    hopf: SpecialPoint | HopfCurve,
    y_param: str,
    y_span: tuple[float, float],
    x_span: tuple[float, float],
    options: CycleCurveOptions | None = None,
) -> CycleCurve:
    """The curve of folds of cycles (LPC) in the plane of the Hopf point's parameter
    ``x`` and ``y_param``.

    Parameters
    ----------
    model : Model
        The model.
    params : ParameterSet or mapping or None
        The other parameters (used when ``hopf`` is a SpecialPoint; None: its own).
    hopf : SpecialPoint or HopfCurve
        A Hopf point found in ``x`` (``dm.continuation(...).hopf_points``; its Hopf curve
        in ``y_param`` is traced first), or that Hopf curve (`dyadmodel.hopf_curve`).
        The cycles are continued in ``x`` from its points.
    y_param : str
        The stepped parameter.
    y_span, x_span : (float, float)
        The rectangle of the plane: ``y`` is stepped over ``y_span``, and each branch of
        cycles is followed while ``x`` stays in ``x_span``.
    options : CycleCurveOptions, optional
        Steps, bisections, linking and budgets.

    Returns
    -------
    CycleCurve
        The located folds of cycles linked into pieces, with where each piece begins or
        ends (``ends``): a piece typically begins at a Bautin point of the Hopf curve
        (``hopf.bautin``).

    Raises
    ------
    InvalidTypeError
        ``hopf`` is not a SpecialPoint or HopfCurve; ``options`` not CycleCurveOptions.
    InvalidInputError
        ``hopf`` is not a Hopf point, belongs to another model, or was found in
        ``y_param``; a malformed span.
    NotFoundError
        ``y_param`` is not a parameter of the model.
    ParameterError
        A span leaves the parameter's bounds.

    Notes
    -----
    At each of ``options.n_steps`` equally spaced values of ``y`` (and at bisections
    where the number of folds changes), `continue_cycle` follows the cycles born at
    every Hopf point of the curve at that ``y`` and locates the folds of cycles on the
    branch (its test function, the parameter component of the tangent, located by
    Brent's method). So a fold of cycles on a branch that is not connected to a Hopf
    point of the curve (an isola of cycles) is missed. Cost: one cycle continuation per
    step, each bounded by ``options.cycle.max_seconds``, the whole by
    ``options.max_seconds``.

    Examples
    --------
    The Bautin normal form ``r' = r (a + s r^2 - r^4)``: the cycles fold at
    ``a = -s^2 / 4`` for ``s > 0``.

    >>> import dyadmodel as dm
    >>> from dyadmodel.continuation import CycleCurveOptions, lpc_curve
    >>> m = dm.Model.from_equations(
    ...     {"x": "a*x - y + x*(s*(x**2 + y**2) - (x**2 + y**2)**2)",
    ...      "y": "x + a*y + y*(s*(x**2 + y**2) - (x**2 + y**2)**2)"},
    ...     {"a": 0.0, "s": 1.0})
    >>> h = dm.continuation(m, None, "a", (-0.5, 0.5)).hopf_points[0]
    >>> c = lpc_curve(m, None, h, "s", (0.5, 1.0), (-0.5, 0.5), CycleCurveOptions(n_steps=3))
    >>> [round(float(v), 6) for v in c.x_values]
    [-0.0625, -0.140625, -0.25]
    """
    return cycle_curves(model, params, hopf, y_param, y_span, x_span, options)["LPC"]


def homoclinic_curve(
    model: Model,
    params: ParameterSet | Mapping[str, Any] | None,
    hopf: SpecialPoint | HopfCurve,
    y_param: str,
    y_span: tuple[float, float],
    x_span: tuple[float, float],
    options: CycleCurveOptions | None = None,
) -> CycleCurve:
    """The curve where the cycles end in a homoclinic orbit (or a saddle-node on the
    cycle), in the plane of the Hopf point's parameter ``x`` and ``y_param``.

    Parameters
    ----------
    model : Model
        The model.
    params : ParameterSet or mapping or None
        The other parameters (used when ``hopf`` is a SpecialPoint; None: its own).
    hopf : SpecialPoint or HopfCurve
        A Hopf point found in ``x``, or its Hopf curve in ``y_param``.
    y_param : str
        The stepped parameter.
    y_span : (float, float)
        The range of ``y`` stepped over.
    x_span : (float, float)
        Each branch of cycles is followed while ``x`` stays in it.
    options : CycleCurveOptions, optional
        Steps, bisections, linking and budgets.

    Returns
    -------
    CycleCurve
        Per point the parameter where the period grows without bound (fitted by
        `continue_cycle`), the equilibrium approached (``states``) and whether it is a
        saddle or a saddle-node on the cycle (``saddle_kinds``). A homoclinic curve
        typically ends at a Bogdanov-Takens point of the Hopf curve
        (``hopf.bogdanov_takens``).

    Raises
    ------
    InvalidTypeError
        ``hopf`` is not a SpecialPoint or HopfCurve; ``options`` not CycleCurveOptions.
    InvalidInputError
        ``hopf`` is not a Hopf point, belongs to another model, or was found in
        ``y_param``; a malformed span.
    NotFoundError
        ``y_param`` is not a parameter of the model.
    ParameterError
        A span leaves the parameter's bounds.

    Notes
    -----
    The same stepped continuations as `lpc_curve`; at each step the branch's
    large-period end (``CycleBranch.of_kind('homoclinic')``) gives the point. Its
    accuracy is that of the fitted growth law of the period (``T = a + s ln|p - p_h|``
    at a saddle, ``T ~ |p - p_h|^(-1/2)`` at a saddle-node, where ``p_h`` is the
    fold of equilibria itself). Where a saddle-node on the cycle turns into a saddle
    homoclinic orbit along the curve (a saddle-node-loop point) ``saddle_kinds``
    changes.

    Examples
    --------
    The Bogdanov-Takens normal form ``x' = y, y' = b1 + b2 x + x^2 - x y``: its
    homoclinic curve is ``b1 = -(6/25) b2^2 + O(|b2|^3)`` near the Bogdanov-Takens point
    ``b1 = b2 = 0`` (Kuznetsov 2004, section 8.4):

    >>> import dyadmodel as dm
    >>> from dyadmodel.continuation import CycleCurveOptions, homoclinic_curve
    >>> m = dm.Model.from_equations({"x": "y", "y": "b1 + b2*x + x**2 - x*y"},
    ...                             {"b1": 0.0, "b2": -1.0})
    >>> h = dm.continuation(m, None, "b1", (-0.5, 0.5)).hopf_points[0]
    >>> c = homoclinic_curve(m, None, h, "b2", (-1.0, -0.5), (-0.5, 0.5),
    ...                      CycleCurveOptions(n_steps=2))
    >>> [round(float(v), 3) for v in c.x_values], c.saddle_kinds
    ([-0.214, -0.057], ('saddle', 'saddle'))
    >>> [round(-6 / 25 * float(v) ** 2, 3) for v in c.y_values]
    [-0.24, -0.06]
    """
    return cycle_curves(model, params, hopf, y_param, y_span, x_span, options)["homoclinic"]
