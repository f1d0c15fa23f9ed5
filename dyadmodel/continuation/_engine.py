"""Pseudo-arclength continuation of the solution curve of ``G(u) = 0``, ``G: R^{N+1} -> R^N``.

The engine is shared by the equilibrium branches (``u = (x, p)``) and the fold curves
(``u = (x, v, p1, p2)``). A system supplies ``residual(u)`` (N,) and ``jacobian(u)``
(N, N+1); the engine knows nothing else about it.

Step (Keller's pseudo-arclength method, as in AUTO and BifurcationKit):

- predictor ``u + ds t`` along the unit tangent ``t`` (the null vector of ``DG``,
  oriented by the previous tangent);
- Newton corrector on the bordered system ``G(u) = 0, t . (u - u_pred) = 0``, whose
  matrix ``[DG; t^T]`` stays regular at folds, where ``D_x G`` is singular;
- step adaptation: the step grows by 1.3 after a corrector that needed at most three
  iterations and is halved after a failure or a tangent turning by more than
  ~25 degrees (which would risk jumping to another branch).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence

import numpy as np

_MAX_TURN_COS = 0.9  # cos(~25 deg): largest accepted turn of the tangent in one step
_GROW, _SHRINK = 1.3, 0.5


class CurveSystem:
    """Interface of a curve ``G(u) = 0`` (duck-typed)."""

    def residual(self, u: np.ndarray) -> np.ndarray:  # pragma: no cover - interface
        raise NotImplementedError

    def jacobian(self, u: np.ndarray) -> np.ndarray:  # pragma: no cover - interface
        raise NotImplementedError


def correct(sys, u, a, c, tol, max_iter):
    """Newton on ``G(u) = 0, a . u = c``; returns (u, converged, iterations)."""
    u = np.array(u, dtype=float)
    for it in range(1, max_iter + 1):
        with np.errstate(all="ignore"):
            r = sys.residual(u)
            A = np.vstack([sys.jacobian(u), a])
        b = np.append(r, a @ u - c)
        if not (np.all(np.isfinite(A)) and np.all(np.isfinite(b))):
            return u, False, it
        try:
            du = np.linalg.solve(A, b)
        except np.linalg.LinAlgError:  # exactly singular (e.g. at a branch point)
            du = np.linalg.lstsq(A, b, rcond=None)[0]
        u = u - du
        if np.linalg.norm(du) <= tol * (1.0 + np.linalg.norm(u)):
            with np.errstate(all="ignore"):
                ok = bool(np.all(np.isfinite(sys.residual(u))))
            return u, ok, it
    return u, False, max_iter


def tangent(sys, u, t_ref):
    """Unit tangent at ``u``, oriented along ``t_ref``; None if it cannot be computed."""
    with np.errstate(all="ignore"):
        A = np.vstack([sys.jacobian(u), t_ref])
    rhs = np.zeros(len(u))
    rhs[-1] = 1.0
    try:
        t = np.linalg.solve(A, rhs)
    except np.linalg.LinAlgError:
        return None
    n = np.linalg.norm(t)
    if not np.isfinite(n) or n == 0:
        return None
    return t / n


def null_tangent(sys, u):
    """Unit null vector of ``DG(u)`` (orientation arbitrary), from the SVD."""
    with np.errstate(all="ignore"):
        J = sys.jacobian(u)
    _, _, vt = np.linalg.svd(J)
    return vt[-1] / np.linalg.norm(vt[-1])


@dataclasses.dataclass
class Trace:
    points: list[np.ndarray]
    tangents: list[np.ndarray]
    status: str  # 'completed', 'closed', 'diverged', 'max steps', 'step too small'
    message: str


@dataclasses.dataclass(frozen=True)
class Box:
    """Stop when ``u[index]`` leaves ``[lo, hi]``; the end point is put on the bound."""

    index: int
    lo: float
    hi: float


def trace(
    sys,
    u0: np.ndarray,
    t0: np.ndarray,
    opts,
    boxes: Sequence[Box],
    state_slice: slice,
    where: Callable[[np.ndarray], str],
) -> Trace:
    """Follow the curve from ``u0`` in direction ``t0`` until it leaves a box, closes,
    diverges or a budget is spent. ``where(u)`` formats a position for messages."""
    u, t = np.array(u0, float), np.array(t0, float)
    points, tangents = [u.copy()], [t.copy()]
    for box in boxes:  # a seed on a bound heading out: nothing to trace
        if (u[box.index] <= box.lo and t[box.index] < 0) or (
            u[box.index] >= box.hi and t[box.index] > 0
        ):
            return Trace(points, tangents, "completed", "")
    ds = opts.ds
    tol, iters = opts.newton_tol, opts.max_newton_iter
    for _ in range(opts.max_steps):
        while True:
            pred = u + ds * t
            new, ok, n_it = correct(sys, pred, t, t @ pred, tol, iters)
            t_new = tangent(sys, new, t) if ok else None
            if (
                t_new is not None
                and t_new @ t >= _MAX_TURN_COS
                and np.linalg.norm(new - u) <= 2.0 * ds
            ):
                break
            ds *= _SHRINK
            if ds < opts.ds_min:
                return Trace(
                    points,
                    tangents,
                    "step too small",
                    f"step size fell below ds_min={opts.ds_min:g} at {where(u)}; decrease "
                    "ds_min (or raise max_newton_iter), or check for a singular point there "
                    "(a branch point the step cannot pass, a cusp, or a pole of the model)",
                )
        # left a box: put the end exactly on the bound
        for box in boxes:
            v = new[box.index]
            if v < box.lo or v > box.hi:
                bound = box.lo if v < box.lo else box.hi
                w = (bound - u[box.index]) / (v - u[box.index])
                a = np.zeros(len(u))
                a[box.index] = 1.0
                end, ok, _ = correct(sys, u + w * (new - u), a, bound, tol, iters)
                if ok and np.linalg.norm(end - u) <= 2.0 * ds:
                    t_end = tangent(sys, end, t)
                    if t_end is not None:
                        points.append(end)
                        tangents.append(t_end)
                return Trace(points, tangents, "completed", "")
        # closed curve: the step passes by the starting point again
        if len(points) > 3 and _segment_distance(u0, u, new) < 0.5 * ds:
            points.append(np.array(u0, float))
            tangents.append(np.array(t0, float))
            return Trace(points, tangents, "closed", "")
        points.append(new)
        tangents.append(t_new)
        if np.linalg.norm(new[state_slice]) > opts.max_state_norm:
            return Trace(
                points,
                tangents,
                "diverged",
                f"the state left the ball |x| <= max_state_norm={opts.max_state_norm:g} at "
                f"{where(new)}: the branch goes to infinity (or raise max_state_norm)",
            )
        u, t = new, t_new
        if n_it <= 3:
            ds = min(ds * _GROW, opts.ds_max)
    return Trace(
        points,
        tangents,
        "max steps",
        f"max_steps={opts.max_steps} steps were taken and the branch continues at {where(u)}; "
        "increase max_steps or ds_max",
    )


def _segment_distance(q, a, b):
    ab = b - a
    den = ab @ ab
    s = 0.0 if den == 0 else float(np.clip((q - a) @ ab / den, 0.0, 1.0))
    return float(np.linalg.norm(a + s * ab - q))


def point_at(sys, u_i, t_i, sigma, opts, u_j=None):
    """The curve point on the hyperplane ``t_i . (u - u_i) = sigma``, with its tangent
    (oriented along ``t_i``; None exactly at a branch point); None when the corrector
    fails. With ``u_j`` (the step's other end) the predictor is on the chord from
    ``u_i`` to ``u_j``, much closer to the curve than the tangent line near a
    singular point, where Newton's basin is small."""
    if u_j is None:
        pred = u_i + sigma * t_i
    else:
        pred = u_i + sigma / float(t_i @ (u_j - u_i)) * (u_j - u_i)
    u, ok, _ = correct(sys, pred, t_i, t_i @ u_i + sigma, min(opts.newton_tol, 1e-12), 30)
    if not ok:
        return None
    return u, tangent(sys, u, t_i)
