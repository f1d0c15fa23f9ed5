"""Rigorous interval evaluation of sympy expressions and a Krawczyk root search.

The evaluator walks the expression tree with `mpmath.iv` (outward-rounded interval
arithmetic); exact rationals enter as intervals enclosing them, so the enclosures are
rigorous for the rational-valued system that `dyadmodel` builds from the parameter
values (see `to_rational`).

`krawczyk_search` is a branch-and-bound over a box: a box is discarded when the
interval rhs excludes zero or the Krawczyk image misses the box, proved to hold exactly
one root when the Krawczyk image lies in its interior, and bisected otherwise, until a
budget of boxes is spent; what is left is reported as undecided, never dropped.

References
----------
R. Krawczyk (1969), Newton-Algorithmen zur Bestimmung von Nullstellen mit
Fehlerschranken, Computing 4:187-201. R. E. Moore, R. B. Kearfott, M. J. Cloud (2009),
Introduction to Interval Analysis, SIAM, ch. 8.
"""

from __future__ import annotations

import dataclasses
import heapq
import itertools
import time
from collections.abc import Callable, Sequence

import mpmath
import numpy as np
import sympy as sp
from mpmath import iv

__all__ = [
    "INTERVAL_FUNCTIONS",
    "IntervalFunction",
    "KrawczykResult",
    "UndefinedOnBox",
    "krawczyk_image",
    "krawczyk_search",
    "to_rational",
]

iv.prec = 60


def to_rational(value: float) -> sp.Rational:
    """The exact rational with the shortest decimal representation of ``value``.

    ``0.1`` becomes ``1/10`` (what the user wrote), not the binary double nearest to it;
    the difference from the float system is below 1e-16 relative.
    """
    return sp.Rational(repr(float(value)))


class UndefinedOnBox(ValueError):
    """The expression is not real-valued anywhere in the box (e.g. ``x**1.5`` for x < 0):
    the real model has no equilibrium there."""


def _nonneg(x):
    """The part of ``x`` where a real power, root or logarithm is defined."""
    if x.b < 0:
        raise UndefinedOnBox
    return x if x.a >= 0 else iv.mpf([0, x.b])


def _iv_log(x):
    return iv.log(_nonneg(x))


def _iv_sqrt(x):
    return iv.sqrt(_nonneg(x))


def _iv_abs(x):
    if x.a >= 0:
        return x
    if x.b <= 0:
        return -x
    return iv.mpf([0, max(-x.a, x.b)])


def _iv_sign(x):
    if x.a > 0:
        return iv.mpf(1)
    if x.b < 0:
        return iv.mpf(-1)
    return iv.mpf([-1, 1])


def _iv_tanh(x):
    # tanh is increasing; this single-occurrence form gives a tight rigorous enclosure
    return 1 - 2 / (iv.exp(2 * x) + 1)


_UNARY = {
    sp.exp: iv.exp,
    sp.log: _iv_log,
    sp.sqrt: _iv_sqrt,
    sp.tanh: _iv_tanh,
    sp.Abs: _iv_abs,
    sp.sign: _iv_sign,
    sp.sin: iv.sin,
    sp.cos: iv.cos,
}


#: The sympy functions with a certified interval rule here.
INTERVAL_FUNCTIONS = tuple(_UNARY)


class IntervalFunction:
    """Interval enclosure of a vector of sympy expressions in given variables."""

    def __init__(self, exprs: Sequence[sp.Expr], variables: Sequence[sp.Symbol]) -> None:
        self.exprs = [sp.sympify(e) for e in exprs]
        self.variables = tuple(variables)
        replacements, reduced = sp.cse(self.exprs)
        self._steps = replacements
        self._outs = reduced

    def __call__(self, box: Sequence) -> list:
        env = dict(zip(self.variables, box))
        for sym, expr in self._steps:
            env[sym] = _ev(expr, env)
        return [_ev(e, env) for e in self._outs]


def _ev(e: sp.Expr, env: dict):
    if e in env:
        return env[e]
    if e.is_Integer:
        return iv.mpf(int(e))
    if e.is_Rational:
        return iv.mpf(int(e.p)) / iv.mpf(int(e.q))
    if e.is_Float:
        return iv.mpf(mpmath.mpf(e))
    if e.is_NumberSymbol:
        return iv.mpf(e.evalf(30))  # e.g. pi: iv.mpf of a 30-digit value, widened below
    if e.is_Add:
        out = iv.mpf(0)
        for a in e.args:
            out = out + _ev(a, env)
        return out
    if e.is_Mul:
        out = iv.mpf(1)
        for a in e.args:
            out = out * _ev(a, env)
        return out
    if e.is_Pow:
        base, expo = e.args
        b = _ev(base, env)
        if expo.is_Integer:
            k = int(expo)
            if k >= 0:
                return b**k
            return 1 / (b ** (-k))
        # a real power is defined (numpy: not NaN) only for a non-negative base
        if expo == sp.Rational(1, 2):
            return _iv_sqrt(b)
        return iv.exp(_ev(expo, env) * _iv_log(b))
    fn = _UNARY.get(e.func)
    if fn is not None:
        return fn(_ev(e.args[0], env))
    raise NotImplementedError(f"no interval rule for {e.func.__name__} in {e}")


@dataclasses.dataclass(frozen=True)
class KrawczykResult:
    """Outcome of a Krawczyk branch-and-bound.

    roots : list of (midpoint, box) with box an (n, 2) float array proved to contain
        exactly one root.
    undecided : list of (n, 2) boxes where the budget ran out.
    boxes : number of boxes processed.
    timed_out : True when the deadline stopped the search (what is left is undecided).
    """

    roots: list
    undecided: list
    boxes: int
    timed_out: bool = False


def _lo_hi(x) -> tuple[float, float]:
    return float(x.a), float(x.b)


def krawczyk_search(
    f: IntervalFunction,
    jac: IntervalFunction,
    f_point: Callable[[np.ndarray], np.ndarray],
    jac_point: Callable[[np.ndarray], np.ndarray],
    domain: np.ndarray,
    *,
    max_boxes: int = 20000,
    min_width: float = 1e-10,
    deadline: float | None = None,
) -> KrawczykResult:
    """Find every root of ``f`` in ``domain`` with a Krawczyk branch-and-bound.

    Parameters
    ----------
    f, jac : IntervalFunction
        Interval enclosures of the function (n values) and of its Jacobian (n*n values,
        row-major).
    f_point, jac_point : callable
        Float evaluations used for the preconditioner and Newton polishing.
    domain : array (n, 2)
    max_boxes : int
        Budget; boxes left when it is spent are returned as ``undecided``.
    min_width : float
        Boxes narrower than this that can be neither excluded nor certified are
        returned as undecided (typically a multiple root or a root on the boundary).
    deadline : float, optional
        A `time.monotonic` value; when passed, the boxes left are returned as undecided.
    """
    n = domain.shape[0]
    # widest box first: the budget refines the whole domain evenly, so what is left
    # undecided when it runs out is small and sits where the roots are hard to separate
    heap: list = []
    tie = itertools.count()

    def push(b: np.ndarray) -> None:
        heapq.heappush(heap, (-float(np.max(b[:, 1] - b[:, 0])), next(tie), b))

    push(np.array(domain, dtype=float))
    roots: list = []
    undecided: list = []
    count = 0
    timed_out = False
    while heap:
        if count >= max_boxes:
            undecided.extend(item[2] for item in heap)
            break
        if deadline is not None and time.monotonic() > deadline:
            undecided.extend(item[2] for item in heap)
            timed_out = True
            break
        box = heapq.heappop(heap)[2]
        count += 1
        X = [iv.mpf([lo, hi]) for lo, hi in box]
        try:
            F = f(X)
        except UndefinedOnBox:
            continue  # the rhs is not real anywhere in the box: no equilibrium
        if any(not (fi.a <= 0 <= fi.b) for fi in F):
            continue  # zero excluded: no root here
        try:
            verdict, newbox = _krawczyk_step(f, jac, f_point, jac_point, box, X, n)
        except UndefinedOnBox:
            verdict, newbox = "split", None
        if verdict == "none":
            continue
        if verdict == "unique":
            roots.append(newbox)
            continue
        if newbox is not None and np.all(
            newbox[:, 1] - newbox[:, 0] < 0.5 * (box[:, 1] - box[:, 0])
        ):
            push(newbox)  # Krawczyk contracted the box a lot: keep the smaller box
            continue
        widths = box[:, 1] - box[:, 0]
        if widths.max() < min_width:
            undecided.append(box)
            continue
        k = int(np.argmax(widths))
        # split off-centre: equilibria often sit at "round" points (0.5, 0) that exact
        # halving of a round domain would put on a face, where no box can certify them
        mid = box[k, 0] + _SPLIT * widths[k]
        left, right = box.copy(), box.copy()
        left[k, 1] = mid
        right[k, 0] = mid
        push(left)
        push(right)
    return KrawczykResult(_dedupe(roots), undecided, count, timed_out)


def krawczyk_image(FM, JX, X, M, Y) -> list:
    """Krawczyk's operator K(X) = m - Y f(m) + (I - Y J(X)) (X - m), in intervals.

    FM: interval f(m) (n values); JX: interval Jacobian over X (n*n, row-major);
    X, M: the box and its midpoint as intervals; Y: a float preconditioner ~ J(m)^-1.
    K(X) inside the interior of X proves exactly one root in X; K(X) disjoint from X
    proves none.
    """
    n = len(X)
    K = []
    for i in range(n):
        acc = M[i]
        for j in range(n):
            acc = acc - iv.mpf(Y[i, j]) * FM[j]
        for j in range(n):
            c = iv.mpf(1.0 if i == j else 0.0)
            for k in range(n):
                c = c - iv.mpf(Y[i, k]) * JX[k * n + j]
            acc = acc + c * (X[j] - M[j])
        K.append(acc)
    return K


_SPLIT = 0.4973827  # an arbitrary irrational-looking ratio


def _krawczyk_step(f, jac, f_point, jac_point, box, X, n):
    """One Krawczyk test. Returns ('none' | 'unique' | 'split', box or None)."""
    m = 0.5 * (box[:, 0] + box[:, 1])
    try:
        Y = np.linalg.inv(jac_point(m))
    except np.linalg.LinAlgError:
        return "split", None
    if not np.all(np.isfinite(Y)):
        return "split", None
    M = [iv.mpf(v) for v in m]
    K = krawczyk_image(f(M), jac(X), X, M, Y)
    kb = np.array([_lo_hi(k) for k in K])
    if not np.all(np.isfinite(kb)):
        return "split", None
    if np.any(kb[:, 0] > box[:, 1]) or np.any(kb[:, 1] < box[:, 0]):
        return "none", None
    if np.all(kb[:, 0] > box[:, 0]) and np.all(kb[:, 1] < box[:, 1]):
        return "unique", _polish(f_point, jac_point, kb)
    inter = np.column_stack([np.maximum(kb[:, 0], box[:, 0]), np.minimum(kb[:, 1], box[:, 1])])
    return "split", inter


def _polish(f_point, jac_point, kbox: np.ndarray):
    """Newton from the centre of a certified box; the root stays inside it."""
    x = 0.5 * (kbox[:, 0] + kbox[:, 1])
    for _ in range(30):
        try:
            step = np.linalg.solve(jac_point(x), f_point(x))
        except np.linalg.LinAlgError:
            break
        x_new = x - step
        if not np.all((x_new >= kbox[:, 0]) & (x_new <= kbox[:, 1])):
            break
        x = x_new
        if np.max(np.abs(step)) <= 4 * np.finfo(float).eps * max(1.0, np.max(np.abs(x))):
            break
    return x, kbox


def _dedupe(roots: list) -> list:
    """Boxes sharing a face can certify the same root twice; keep one per root."""
    out: list = []
    for x, box in roots:
        if any(np.all(np.abs(x - y) <= 1e-9 * (1 + np.abs(y))) for y, _ in out):
            continue
        out.append((x, box))
    return out
