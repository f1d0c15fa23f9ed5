"""Stable and unstable manifolds of saddles: separatrices and the connections they make.

In the pursuer–distancer model the stable manifold of the saddle is the tipping
threshold between the balanced and the entrenched basins (phenomenon 3 of the paper:
paper/paper.md, "Phenomena and model design"), and
the unstable manifold shows the two ways a couple leaves the threshold.

Each one-dimensional manifold is traced from the saddle's eigenvector: a point a small
offset away along the eigenvector is integrated forward (unstable manifold) or backward
(stable manifold) with `scipy.integrate.solve_ivp`, until it leaves the domain, settles
on an equilibrium, or reaches an arc-length or time limit.
"""

from __future__ import annotations

import dataclasses
import math
import numbers
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
from scipy.integrate import solve_ivp

from dyadmodel.analysis._roots import polish_equilibrium
from dyadmodel.analysis._types import Equilibrium
from dyadmodel.errors import InvalidInputError, InvalidTypeError
from dyadmodel.model import Model, ParameterSet

__all__ = ["ManifoldBranch", "ManifoldOptions", "SaddleManifolds", "manifolds", "separatrices"]

_IMPLICIT = ("Radau", "BDF", "LSODA")


@dataclasses.dataclass(frozen=True)
class ManifoldOptions:
    """How manifolds are traced. All lengths are relative to ``L``, the largest side of
    the domain box; all times to ``1/|lambda|``, the branch eigenvalue's time scale.

    Attributes
    ----------
    offset : float
        The first point is ``saddle + offset * L * v`` for the unit eigenvector ``v``.
        The linear approximation puts it within about ``(offset * L)**2 * curvature``
        of the true manifold; that error does not grow, because the traced manifold
        attracts nearby orbits in the direction of integration.
    rtol, atol : float
        `solve_ivp` tolerances; ``atol`` is multiplied by ``L``.
    method : str
        `solve_ivp` method; use "Radau" or "LSODA" for stiff models (the Jacobian is
        supplied).
    max_time : float
        Integration time limit per branch, in units of ``1/|lambda|``.
    settle_speed : float
        A branch has settled on an equilibrium when ``|f| < settle_speed * L * |lambda|``
        (at a distance above ``10 * offset * L`` from the saddle); the equilibrium is then
        polished by a Newton solve and reported.
    max_spacing : float
        Largest distance between consecutive output points, relative to ``L`` (the
        solver's dense output is sampled at least this finely).
    max_step : float
        Largest solver step, in units of ``1/max|eigenvalue|`` of the saddle (its fastest
        time scale). Without it an explicit method on a saddle with very different
        eigenvalues runs at the edge of its stability region, where the error estimate
        lets transverse errors of ~1e-7 through; with it the traced curves stay within
        about ``rtol`` of the manifold near the saddle. Stiff models (fast time scales
        far from the saddle) need method="Radau".

    Raises
    ------
    InvalidInputError
        For an argument with an invalid value (the message names it and what was expected).

    Examples
    --------
    >>> import dyadmodel as dm
    >>> from dyadmodel.analysis import ManifoldOptions
    >>> m = dm.models.get("pursuer-distancer-2d")
    >>> p = m.params(anxiety_gain_1=2.0, avoidance_gain_2=2.0)
    >>> saddle = dm.equilibria(m, p)[1]
    >>> sm = dm.manifolds(m, p, saddle, options=ManifoldOptions(rtol=1e-8))
    >>> sm.options.rtol
    1e-08
    """

    offset: float = 1e-6
    rtol: float = 1e-10
    atol: float = 1e-12
    method: str = "DOP853"
    max_time: float = 1000.0
    settle_speed: float = 1e-9
    max_spacing: float = 2e-3
    max_step: float = 1.0

    def __post_init__(self) -> None:
        for name in (
            "offset",
            "rtol",
            "atol",
            "max_time",
            "settle_speed",
            "max_spacing",
            "max_step",
        ):
            v = getattr(self, name)
            if not (_is_real(v) and math.isfinite(v) and v > 0):
                raise InvalidInputError(f"ManifoldOptions.{name} = {v!r} must be a positive number")
        if self.offset >= 1e-2:
            raise InvalidInputError(
                f"ManifoldOptions.offset = {self.offset!r} is too large for the linear "
                "approximation of the manifold; use a value below 1e-2 (default 1e-6)"
            )


@dataclasses.dataclass(frozen=True, eq=False)
class ManifoldBranch:
    """One branch (one side of the saddle) of a one-dimensional stable or unstable manifold.

    Attributes
    ----------
    kind : {'stable', 'unstable'}
    side : {+1, -1}
        Which way along the eigenvector the branch leaves the saddle.
    direction : ndarray, shape (n_states,)
        Unit vector from the saddle to the branch's first traced point:
        ``side * eigenvector``, with the eigenvector's largest component positive.
    eigenvalue : float
        The eigenvalue of the saddle that this manifold is tangent to.
    points : ndarray, shape (n_states, k)
        The curve, starting at the saddle itself (``points[:, 0]``), then the offset
        point, then along the flow (unstable) or against it (stable).
    t : ndarray, shape (k,)
        Flow time of each point relative to the offset point (``t[1] == 0``). On a
        stable branch the flow runs towards the saddle, so ``t <= 0`` after the first
        entry; the saddle itself is reached only as ``t -> -inf`` (unstable) or
        ``+inf`` (stable), which is what ``t[0]`` holds.
    arclength : ndarray, shape (k,)
        Arc length from the saddle.
    end_reason : str
        'left domain', 'equilibrium', 'length limit', 'time limit' or 'solver failure'.
    end_state : ndarray or None
        The equilibrium the branch settles on (Newton-polished) when ``end_reason`` is
        'equilibrium' (for a stable branch: the equilibrium it comes from).
    message : str
        The solver's message when ``end_reason`` is 'solver failure', else ''.

    Examples
    --------
    >>> import dyadmodel as dm
    >>> m = dm.models.get("pursuer-distancer-2d")
    >>> p = m.params(anxiety_gain_1=2.0, avoidance_gain_2=2.0)
    >>> (sm,) = dm.separatrices(m, p, dm.equilibria(m, p))
    >>> branch = sm.unstable[0]
    >>> branch.kind, branch.points.shape[0]
    ('unstable', 2)
    """

    kind: str
    side: int
    direction: np.ndarray
    eigenvalue: float
    points: np.ndarray
    t: np.ndarray
    arclength: np.ndarray
    end_reason: str
    end_state: np.ndarray | None
    message: str = ""

    def __repr__(self) -> str:
        end = self.points[:, -1]
        tail = ""
        if self.end_state is not None:
            tail = " at [" + ", ".join(f"{v:.6g}" for v in self.end_state) + "]"
        return (
            f"ManifoldBranch({self.kind}, side={self.side:+d}, {self.points.shape[1]} points, "
            f"ends [{', '.join(f'{v:.6g}' for v in end)}]: {self.end_reason}{tail})"
        )


@dataclasses.dataclass(frozen=True, eq=False)
class SaddleManifolds:
    """The stable and unstable manifolds of one saddle.

    Attributes
    ----------
    saddle : Equilibrium
    stable : tuple of ManifoldBranch
        Two branches (sides +1 and -1) when the saddle has exactly one stable
        eigenvalue; empty otherwise (see ``notes``). In the plane, their union is the
        separatrix.
    unstable : tuple of ManifoldBranch
        Likewise for the unstable eigenvalue.
    domain : ndarray, shape (n_states, 2)
        The box outside which tracing stops.
    length : float
        Arc-length limit per branch.
    options : ManifoldOptions
    notes : str
        Why a manifold was not traced, if one was not.
    model_name : str
    params : ParameterSet
    inputs : tuple of (name, value)

    Examples
    --------
    >>> import dyadmodel as dm
    >>> m = dm.models.get("pursuer-distancer-2d")
    >>> p = m.params(anxiety_gain_1=2.0, avoidance_gain_2=2.0)
    >>> (sm,) = dm.separatrices(m, p, dm.equilibria(m, p))
    >>> sm.saddle.label, len(sm.stable), len(sm.unstable)
    ('tipping threshold', 2, 2)
    """

    saddle: Equilibrium
    stable: tuple[ManifoldBranch, ...]
    unstable: tuple[ManifoldBranch, ...]
    domain: np.ndarray
    length: float
    options: ManifoldOptions
    notes: str
    model_name: str
    params: ParameterSet
    inputs: tuple[tuple[str, float], ...] = ()

    def curve(self, kind: str = "stable") -> np.ndarray:
        """Both branches of one manifold joined through the saddle, shape (n_states, k).

        The side -1 branch is reversed, so the curve runs from its far end through the
        saddle to the far end of the side +1 branch. Empty (shape (n, 0)) when that
        manifold was not traced.

        Parameters
        ----------
        kind : {'stable', 'unstable'}
            Which manifold.

        Returns
        -------
        numpy.ndarray
            Shape ``(n_states, k)``, from one far end through the saddle to the other.

        Raises
        ------
        InvalidInputError
            For an argument with an invalid value (the message names it and what was expected).

        Examples
        --------
        >>> import dyadmodel as dm
        >>> m = dm.models.get("pursuer-distancer-2d")
        >>> p = m.params(anxiety_gain_1=2.0, avoidance_gain_2=2.0)
        >>> (sm,) = dm.separatrices(m, p, dm.equilibria(m, p))
        >>> sm.curve("stable").shape[0], sm.curve("unstable").shape[1] > 10
        (2, True)
        """
        if kind not in ("stable", "unstable"):
            raise InvalidInputError(f"kind = {kind!r} must be 'stable' or 'unstable'")
        branches = self.stable if kind == "stable" else self.unstable
        if not branches:
            return np.empty((self.saddle.state.size, 0))
        plus, minus = branches
        return np.concatenate([minus.points[:, :0:-1], plus.points], axis=1)

    def __repr__(self) -> str:
        st = ", ".join(f"{v:.6g}" for v in self.saddle.state)
        body = "".join(f"\n  {b!r}" for b in (*self.stable, *self.unstable))
        return f"SaddleManifolds({self.model_name!r}, saddle=[{st}]){body}"


def manifolds(
    model: Model,
    params: ParameterSet | Mapping[str, Any] | None,
    saddle: Equilibrium,
    *,
    inputs: Mapping[str, float] | float | None = None,
    domain: Any = None,
    length: float | None = None,
    options: ManifoldOptions | None = None,
) -> SaddleManifolds:
    """Trace the stable and unstable manifolds of a saddle.

    Parameters
    ----------
    model : Model
        The model.
    params : ParameterSet or mapping or None
        Must be the parameters the saddle was computed for.
    saddle : Equilibrium
        A saddle of ``model`` at ``params`` (``saddle.is_saddle``).
    inputs : mapping or float, optional
        Constant inputs; default: the inputs recorded in ``saddle``.
    domain : sequence of (float, float), optional
        Box, one interval per state, outside which tracing stops; default
        ``model.domain``.
    length : float, optional
        Arc-length limit per branch; default ten times the box diagonal.
    options : ManifoldOptions, optional
        Offset, tolerances and limits (see `ManifoldOptions` for the defaults).

    Returns
    -------
    SaddleManifolds
        The result; see `SaddleManifolds` for its fields.

    Raises
    ------
    ValueError
        If ``saddle`` is not a saddle, belongs to another model or parameter set, or
        is not an equilibrium of the model at these parameters and inputs.
    InvalidInputError
        For an argument with an invalid value (the message names it and what was expected).
    InvalidTypeError
        For an argument of the wrong type.

    Notes
    -----
    Only one-dimensional manifolds are traced: in the plane both manifolds of a saddle
    are curves; in higher dimensions a manifold whose dimension is above one (two or
    more eigenvalues of that sign) is left empty and ``notes`` says so. A branch that
    leaves the box is cut at the boundary (the last point lies on it, located by a
    solver event); it is not continued if it would re-enter. A branch approaching a
    stable focus spirals until it is slower than the settle threshold; a branch
    approaching a limit cycle winds around it until the arc-length limit. Solver
    failures are reported per branch (``end_reason = 'solver failure'``), not raised.

    Examples
    --------
    >>> import numpy as np
    >>> import dyadmodel as dm
    >>> from dyadmodel.analysis._types import Equilibrium
    >>> m = dm.models.get("pursuer-distancer-2d")
    >>> p = m.params()
    >>> vals, vecs = np.linalg.eig(m.jacobian([0.5, 0.5], p))
    >>> saddle = Equilibrium([0.5, 0.5], vals, vecs, "saddle", False, "", 1, 1, 0, 0.0,
    ...                      None, m.name, p)
    >>> sm = manifolds(m, p, saddle)
    >>> sorted(np.round(b.end_state, 4).tolist() for b in sm.unstable)
    [[0.1367, 0.1367], [1.4633, 1.4633]]
    >>> [b.end_reason for b in sm.stable]
    ['left domain', 'left domain']
    """
    opts = options if options is not None else ManifoldOptions()
    pset = model.parameter_set(params)
    _check_saddle(model, pset, saddle)
    inp = model.constant_inputs(
        dict(saddle.inputs) if inputs is None else inputs, "saddle manifolds"
    )
    box = _box(model, domain)
    scale = float(np.max(box[:, 1] - box[:, 0]))
    diag = float(np.linalg.norm(box[:, 1] - box[:, 0]))
    if length is None:
        length = 10.0 * diag
    elif not (_is_real(length) and math.isfinite(length) and length > 0):
        raise InvalidInputError(f"length = {length!r} must be a positive arc length")
    residual = float(np.max(np.abs(model.rhs(saddle.state, pset, inp))))
    if residual > 1e-6 * scale * max(1.0, float(np.max(np.abs(saddle.eigenvalues)))):
        raise InvalidInputError(
            f"the given saddle at {saddle.state.tolist()} is not an equilibrium of model "
            f"{model.name!r} with {pset!r} and inputs {inp} (|f| = {residual:.3g}); compute "
            "it with the same parameters and inputs"
        )

    notes = []
    result = {}
    vals = saddle.eigenvalues
    setup = _Setup(
        model=model,
        params=pset,
        inputs=inp,
        saddle=np.asarray(saddle.state, dtype=float),
        box=box,
        scale=scale,
        length=float(length),
        max_step=opts.max_step / float(np.max(np.abs(vals))),
        options=opts,
    )
    for kind, count in (("stable", saddle.n_stable), ("unstable", saddle.n_unstable)):
        if count != 1:
            notes.append(
                f"the {kind} manifold has dimension {count}; only one-dimensional "
                "manifolds are traced"
            )
            result[kind] = ()
            continue
        k = int(np.argmin(vals.real)) if kind == "stable" else int(np.argmax(vals.real))
        lam = complex(vals[k])
        if abs(lam.imag) > 1e-9 * max(1.0, abs(lam)):
            raise InvalidInputError(
                f"{kind} eigenvalue {lam} of a one-dimensional manifold is not real"
            )
        vec = _unit_real(saddle.eigenvectors[:, k])
        result[kind] = tuple(_trace(setup, vec, side, lam.real, kind) for side in (1, -1))
    return SaddleManifolds(
        saddle=saddle,
        stable=result["stable"],
        unstable=result["unstable"],
        domain=_frozen(box),
        length=float(length),
        options=opts,
        notes="; ".join(notes),
        model_name=model.name,
        params=pset,
        inputs=tuple(inp.items()),
    )


def separatrices(
    model: Model,
    params: ParameterSet | Mapping[str, Any] | None,
    equilibria: Iterable[Equilibrium],
    *,
    inputs: Mapping[str, float] | float | None = None,
    domain: Any = None,
    length: float | None = None,
    options: ManifoldOptions | None = None,
) -> tuple[SaddleManifolds, ...]:
    """The manifolds of every saddle among ``equilibria``.

    ``equilibria`` is an `EquilibriumSet` (or any iterable of `Equilibrium`); the
    non-saddles are skipped. Keyword arguments are passed to `manifolds`. In the plane,
    the ``stable`` branches of the results are the separatrices between basins.

    Parameters
    ----------
    model : Model
        The model.
    params : ParameterSet or mapping or None
        Parameter values; the model's defaults when None.
    equilibria : iterable of Equilibrium
        Usually ``dm.equilibria(model, params)``; only the saddles are used.
    inputs : mapping or float, optional
        Constant input values (e.g. stress).
    domain : sequence of (low, high), optional
        The box outside which tracing stops (see `manifolds`).
    length : float, optional
        Arc-length limit per branch (see `manifolds`).
    options : ManifoldOptions, optional
        Options (see `ManifoldOptions`); its defaults when omitted.

    Returns
    -------
    tuple of SaddleManifolds
        One per saddle, in the order of ``equilibria``.

    Examples
    --------
    >>> import dyadmodel as dm
    >>> m = dm.models.get("pursuer-distancer-2d")
    >>> p = m.params(anxiety_gain_1=2.0, avoidance_gain_2=2.0)
    >>> [sm.saddle.label for sm in dm.separatrices(m, p, dm.equilibria(m, p))]
    ['tipping threshold']
    """
    return tuple(
        manifolds(model, params, e, inputs=inputs, domain=domain, length=length, options=options)
        for e in equilibria
        if e.is_saddle
    )


# ---------------------------------------------------------------------------------------


def _check_saddle(model: Model, pset: ParameterSet, saddle: Equilibrium) -> None:
    if not isinstance(saddle, Equilibrium):
        raise InvalidTypeError(f"saddle must be an Equilibrium, not {type(saddle).__name__}")
    if saddle.model_name != model.name:
        raise InvalidInputError(
            f"the saddle belongs to model {saddle.model_name!r}, not {model.name!r}"
        )
    if saddle.params != pset:
        raise InvalidInputError(
            f"the saddle was computed for {saddle.params!r}, not for {pset!r}; pass the "
            "parameters it was computed with"
        )
    if not saddle.is_saddle:
        raise InvalidInputError(
            f"the equilibrium at {saddle.state.tolist()} is a {saddle.kind!r}, not a saddle "
            f"({saddle.n_stable} stable, {saddle.n_unstable} unstable eigenvalues)"
        )


def _box(model: Model, domain: Any) -> np.ndarray:
    box = np.array(model.domain if domain is None else domain, dtype=float)
    if box.shape != (model.n_states, 2):
        raise InvalidInputError(
            f"domain must give (min, max) for each of the {model.n_states} states; got "
            f"shape {box.shape}"
        )
    if not np.all(np.isfinite(box)) or np.any(box[:, 1] <= box[:, 0]):
        raise InvalidInputError(
            f"domain {box.tolist()} must be finite with min < max for every state"
        )
    return box


def _is_real(v: Any) -> bool:
    return isinstance(v, numbers.Real) and not isinstance(v, bool)


def _unit_real(v: np.ndarray) -> np.ndarray:
    # A real eigenvalue's eigenvector may carry an arbitrary complex phase.
    v = np.asarray(v, dtype=complex)
    v = v * np.exp(-1j * np.angle(v[np.argmax(np.abs(v))]))
    r = v.real / np.linalg.norm(v.real)
    return r if r[np.argmax(np.abs(r))] > 0 else -r


def _frozen(a: Any) -> np.ndarray:
    a = np.array(a, dtype=float)
    a.setflags(write=False)
    return a


@dataclasses.dataclass(frozen=True)
class _Setup:
    """What every branch of one saddle shares."""

    model: Model
    params: ParameterSet
    inputs: dict[str, float]
    saddle: np.ndarray
    box: np.ndarray
    scale: float
    length: float
    max_step: float
    options: ManifoldOptions


def _trace(setup: _Setup, vec: np.ndarray, side: int, lam: float, kind: str) -> ManifoldBranch:
    """Trace one branch from ``saddle + side * offset * vec``."""
    model, pset, inp = setup.model, setup.params, setup.inputs
    x_s, box, scale, length, opts = (
        setup.saddle,
        setup.box,
        setup.scale,
        setup.length,
        setup.options,
    )
    n = model.n_states
    sigma = 1.0 if kind == "unstable" else -1.0  # integrate the reversed field for 'stable'
    fn = model.ode(pset, inp)
    jac_fn = model.ode_jacobian(pset, inp)
    delta = opts.offset * scale
    x0 = np.asarray(x_s, dtype=float) + side * delta * vec
    rate = abs(lam)
    settle = opts.settle_speed * scale * rate
    gate = 10.0 * delta

    def rhs(tau, z):
        f = fn(tau, z[:n])
        return np.append(sigma * f, math.sqrt(float(f @ f)))

    def jac(tau, z):
        x = z[:n]
        f = fn(tau, x)
        j = jac_fn(tau, x)
        out = np.zeros((n + 1, n + 1))
        out[:n, :n] = sigma * j
        speed = math.sqrt(float(f @ f))
        if speed > 0:
            out[n, :n] = f @ j / speed
        return out

    events = []
    for i in range(n):
        for bound, sgn in ((box[i, 0], 1.0), (box[i, 1], -1.0)):

            def leave(tau, z, i=i, bound=bound, sgn=sgn):
                return sgn * (z[i] - bound)

            leave.terminal, leave.direction = True, -1
            events.append(leave)

    def settled(tau, z):
        f = fn(tau, z[:n])
        dist = math.sqrt(float((z[:n] - x_s) @ (z[:n] - x_s)))
        return max(math.sqrt(float(f @ f)) - settle, gate - dist)

    settled.terminal, settled.direction = True, -1
    events.append(settled)

    def too_long(tau, z):
        return z[n] - length

    too_long.terminal, too_long.direction = True, 1
    events.append(too_long)

    kwargs = {}
    if opts.method in _IMPLICIT:
        kwargs["jac"] = jac
    with np.errstate(all="ignore"):
        sol = solve_ivp(
            rhs,
            (0.0, opts.max_time / rate),
            np.append(x0, delta),
            method=opts.method,
            rtol=opts.rtol,
            atol=opts.atol * scale,
            events=events,
            dense_output=True,
            max_step=setup.max_step,
            **kwargs,
        )
    message = ""
    end_state = None
    if sol.status == -1 or not np.all(np.isfinite(sol.y[:, -1])):
        reason, message = "solver failure", str(sol.message)
    elif sol.status == 0:
        reason = "time limit"
    else:
        fired = [k for k, te in enumerate(sol.t_events) if te.size]
        k = fired[0] if fired else -1
        reason = "left domain" if k < 2 * n else ("equilibrium" if k == 2 * n else "length limit")
    z_end = sol.y[:, -1]
    if reason == "equilibrium":
        end_state = _polish(model, pset, inp, z_end[:n], scale)
        if end_state is None:
            reason = "time limit"  # slow but not at an equilibrium; report honestly
            message = "the branch slowed down but no equilibrium was found nearby"

    # Sample the dense output so that consecutive points are at most max_spacing apart.
    taus, s_steps = sol.t, sol.y[n]
    if reason != "solver failure" and taus.size > 1:
        spacing = opts.max_spacing * scale
        counts = np.maximum(1, np.ceil(np.diff(s_steps) / spacing).astype(int))
        starts = np.repeat(taus[:-1], counts)
        frac = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts) + 1
        frac = frac / np.repeat(counts, counts)
        tau_s = np.concatenate([[taus[0]], starts + frac * np.repeat(np.diff(taus), counts)])
        tau_s[-1] = taus[-1]
        z = sol.sol(tau_s)
        # The speed varies within a step: halve the intervals that are still too long.
        for _ in range(10):
            long = np.linalg.norm(np.diff(z[:n], axis=1), axis=0) > spacing
            if not long.any():
                break
            mids = 0.5 * (tau_s[:-1][long] + tau_s[1:][long])
            tau_s = np.sort(np.concatenate([tau_s, mids]))
            z = sol.sol(tau_s)
        z[:, 0], z[:, -1] = sol.y[:, 0], sol.y[:, -1]
    else:
        tau_s, z = taus, sol.y
    points = np.concatenate([np.asarray(x_s, dtype=float)[:, None], z[:n]], axis=1)
    t = np.concatenate([[-sigma * np.inf], sigma * tau_s + 0.0])  # + 0.0: no -0.0
    arclength = np.concatenate([[0.0], z[n]])
    return ManifoldBranch(
        kind=kind,
        side=side,
        direction=_frozen(side * vec),
        eigenvalue=float(lam),
        points=_frozen(points),
        t=_frozen(t),
        arclength=_frozen(arclength),
        end_reason=reason,
        end_state=None if end_state is None else _frozen(end_state),
        message=message,
    )


def _polish(model, pset, inp, x, scale) -> np.ndarray | None:
    """Newton-polish an equilibrium near ``x``; None if none is found close by."""
    return polish_equilibrium(model.ode(pset, inp), model.ode_jacobian(pset, inp), x, scale)
