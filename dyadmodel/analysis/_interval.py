"""Rigorous interval evaluation of sympy expressions and a Krawczyk root search.

The evaluator walks the expression tree with `mpmath.iv` (outward-rounded interval
arithmetic); exact rationals enter as intervals enclosing them, so the enclosures are
rigorous for the rational-valued system that `dyadmodel` builds from the parameter
values (see `to_rational`).

`krawczyk_search` is a branch-and-bound over a box: a box is discarded when the
interval rhs excludes zero or the Krawczyk image misses the box, proved to hold exactly
one root when the Krawczyk image lies in its interior, and bisected otherwise, until a
budget of boxes is spent; what is left is reported as undecided, never dropped.

For speed the search evaluates the same enclosures in float64 over many boxes at once
(`IntervalFunction.program`): each operation is rounded to nearest and its result moved
one ulp outward (exp and log, which NumPy computes to within 4 ulp, 2**-48 relative),
which encloses what `mpmath.iv` encloses, a little wider; there a box is also discarded
when the mean-value form ``f(m) + J(X) (X - m)`` excludes zero. Expressions with no
float rule (sin, cos, a constant beyond the float range) use `mpmath.iv` one box at a
time.

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
import math
import time
from collections.abc import Callable, Sequence
from fractions import Fraction

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
        self._compiled: _FloatProgram | bool | None = False  # False: not tried yet

    @property
    def program(self) -> _FloatProgram | None:
        """The float64 evaluator over many boxes at once, or None when some part of the
        expressions has no float interval rule (then only the `mpmath.iv` one is used)."""
        if self._compiled is False:
            try:
                self._compiled = _FloatProgram(self.variables, self._steps, self._outs)
            except _NotCompilable:
                self._compiled = None
        return self._compiled

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


# -- vectorised float64 interval arithmetic ------------------------------------------
#
# Many boxes at once: an interval is a pair (lo, hi) of float arrays (one entry per box).
# Every operation computes in float64 (round to nearest, error <= 1/2 ulp) and then moves
# each end one ulp outward (`np.nextafter`), so the result encloses the exact one; exp and
# log are widened more (see `_LIBM_REL`). A lower end is never +inf and an upper end never
# -inf (nextafter maps an overflow to the largest finite float on the safe side), so a NaN
# can only come from 0 * inf, which is 0. Expressions this cannot compile (sin, cos, a
# constant too large for a float) are evaluated with `mpmath.iv` instead.


class _NotCompilable(Exception):
    """The expression has a part without a float interval rule here."""


def _dn(x):
    return np.nextafter(x, -np.inf)


def _up(x):
    return np.nextafter(x, np.inf)


def _f_const(lo: float, hi: float):
    return lambda env, bad: (lo, hi)


def _const_enclosure(e: sp.Expr) -> tuple[float, float]:
    try:
        if e.is_Integer:
            v = int(e)
            f = float(v)
            return (f, f) if int(f) == v else (float(_dn(f)), float(_up(f)))
        if e.is_Rational:
            f = int(e.p) / int(e.q)  # Python rounds int / int correctly (to nearest)
        elif e.is_Float or e.is_NumberSymbol:
            f = float(e)
        else:
            raise _NotCompilable
    except OverflowError:
        raise _NotCompilable from None
    if not math.isfinite(f):
        raise _NotCompilable
    if e.is_Rational and Fraction(f) == Fraction(int(e.p), int(e.q)):
        return (f, f)  # exact in binary (1/2, 3/4, ...)
    return (float(_dn(_dn(f))), float(_up(_up(f))))


def _v_add(a, b):
    return _dn(a[0] + b[0]), _up(a[1] + b[1])


def _v_mul(a, b):
    if isinstance(b[0], float) and b[0] == b[1]:
        return _v_scale(a, b[0])
    if isinstance(a[0], float) and a[0] == a[1]:
        return _v_scale(b, a[0])
    p = (a[0] * b[0], a[0] * b[1], a[1] * b[0], a[1] * b[1])
    lo = np.minimum(np.minimum(p[0], p[1]), np.minimum(p[2], p[3]))
    hi = np.maximum(np.maximum(p[0], p[1]), np.maximum(p[2], p[3]))
    if np.isnan(lo).any() or np.isnan(hi).any():  # 0 * inf: the product is 0
        p = [np.where(np.isnan(q), 0.0, q) for q in np.broadcast_arrays(*p)]
        lo = np.minimum(np.minimum(p[0], p[1]), np.minimum(p[2], p[3]))
        hi = np.maximum(np.maximum(p[0], p[1]), np.maximum(p[2], p[3]))
    return _dn(lo), _up(hi)


def _v_scale(a, c: float):
    """``a`` times the exact number ``c``."""
    if c == 0:
        return 0.0, 0.0
    if c == 1:
        return a
    if c == -1:
        return -a[1], -a[0]  # exact
    if c > 0:
        return _dn(a[0] * c), _up(a[1] * c)
    return _dn(a[1] * c), _up(a[0] * c)


def _v_recip(a):
    with_zero = (a[0] <= 0) & (a[1] >= 0)
    return (
        np.where(with_zero, -np.inf, _dn(1.0 / a[1])),
        np.where(with_zero, np.inf, _up(1.0 / a[0])),
    )


def _pow_nonneg(x, k: int, direction):
    """x**k for x >= 0, each multiplication rounded in ``direction``."""
    result = None
    base = x
    while k:
        if k & 1:
            result = base if result is None else direction(result * base)
        k >>= 1
        if k:
            base = direction(base * base)
    return result


def _v_pow_int(a, k: int):
    if k == 0:
        return 1.0, 1.0
    if k == 1:
        return a
    lo, hi = np.asarray(a[0], dtype=float), np.asarray(a[1], dtype=float)
    mag_lo = np.where(lo >= 0, lo, np.where(hi <= 0, -hi, 0.0))
    mag_hi = np.maximum(np.abs(lo), np.abs(hi))
    if k % 2 == 0:
        return _pow_nonneg(mag_lo, k, _dn), _pow_nonneg(mag_hi, k, _up)
    # odd: increasing; x**k = sign(x) |x|**k
    lo_k = np.where(lo >= 0, _pow_nonneg(np.abs(lo), k, _dn), -_pow_nonneg(np.abs(lo), k, _up))
    hi_k = np.where(hi >= 0, _pow_nonneg(np.abs(hi), k, _up), -_pow_nonneg(np.abs(hi), k, _dn))
    return lo_k, hi_k


def _v_nonneg(a, bad):
    bad |= np.asarray(a[1] < 0)
    return np.maximum(a[0], 0.0), np.maximum(a[1], 0.0)


# NumPy's exp and log are not correctly rounded: glibc's are within 1 ulp, NumPy's
# AVX-512 (SVML) ones within 4 ulp (numpy PR 19478); results are widened by 2**-48
# relative (>= 16 ulp) plus 2**-1000 absolute (for results near 0 or subnormal).
_LIBM_REL = 2.0**-48
_LIBM_ABS = 2.0**-1000


def _libm_lo(v):
    with np.errstate(invalid="ignore"):
        return _dn(np.where(np.isfinite(v), v - (np.abs(v) * _LIBM_REL + _LIBM_ABS), v))


def _libm_hi(v):
    with np.errstate(invalid="ignore"):
        return _up(np.where(np.isfinite(v), v + (np.abs(v) * _LIBM_REL + _LIBM_ABS), v))


def _v_exp(a):
    return np.maximum(_libm_lo(np.exp(a[0])), 0.0), _libm_hi(np.exp(a[1]))


def _v_log(a, bad):
    lo, hi = _v_nonneg(a, bad)
    return _libm_lo(np.log(lo)), _libm_hi(np.log(hi))


def _v_sqrt(a, bad):
    lo, hi = _v_nonneg(a, bad)
    return np.maximum(_dn(np.sqrt(lo)), 0.0), _up(np.sqrt(hi))


def _v_tanh(a):
    # 1 - 2 / (exp(2 a) + 1), as in `_iv_tanh`
    d = _v_add(_v_exp(_v_mul((2.0, 2.0), a)), (1.0, 1.0))
    t = _v_mul((-2.0, -2.0), _v_recip(d))
    return _v_add((1.0, 1.0), t)


def _v_abs(a):
    lo, hi = a
    return (
        np.where(lo >= 0, lo, np.where(hi <= 0, -hi, 0.0)),
        np.maximum(np.abs(lo), np.abs(hi)),
    )


def _v_sign(a):
    lo, hi = a
    return np.where(lo > 0, 1.0, -1.0), np.where(hi < 0, -1.0, 1.0)


def _compile(e: sp.Expr, slots: dict):
    """A function ``(env, bad) -> (lo, hi)`` enclosing ``e``; ``env`` is the list of
    intervals indexed by ``slots`` and ``bad`` the boolean array of boxes on which a
    real power, root or logarithm has no real value (set in place)."""
    if e in slots:
        i = slots[e]
        return lambda env, bad: env[i]
    if e.is_Number or e.is_NumberSymbol:
        return _f_const(*_const_enclosure(e))
    if e.is_Add or e.is_Mul:
        parts = [_compile(a, slots) for a in e.args]
        op = _v_add if e.is_Add else _v_mul
        first, rest = parts[0], parts[1:]

        def fold(env, bad):
            out = first(env, bad)
            for g in rest:
                out = op(out, g(env, bad))
            return out

        return fold
    if e.is_Pow:
        base, expo = e.args
        b = _compile(base, slots)
        if expo.is_Integer:
            k = int(expo)
            if k >= 0:
                return lambda env, bad: _v_pow_int(b(env, bad), k)
            return lambda env, bad: _v_recip(_v_pow_int(b(env, bad), -k))
        if expo == sp.Rational(1, 2):
            return lambda env, bad: _v_sqrt(b(env, bad), bad)
        x = _compile(expo, slots)
        return lambda env, bad: _v_exp(_v_mul(x(env, bad), _v_log(b(env, bad), bad)))
    if len(e.args) == 1:
        g = _compile(e.args[0], slots)
        if e.func in (sp.exp, sp.tanh, sp.Abs, sp.sign):
            fn = {sp.exp: _v_exp, sp.tanh: _v_tanh, sp.Abs: _v_abs, sp.sign: _v_sign}[e.func]
            return lambda env, bad: fn(g(env, bad))
        if e.func in (sp.log, sp.sqrt):
            fn = _v_log if e.func is sp.log else _v_sqrt
            return lambda env, bad: fn(g(env, bad), bad)
    raise _NotCompilable


class _FloatProgram:
    """The compiled float evaluator of an `IntervalFunction` (see `IntervalFunction.boxes`)."""

    def __init__(self, variables, steps, outs) -> None:
        slots = {v: i for i, v in enumerate(variables)}
        self._steps = []
        for sym, expr in steps:
            self._steps.append(_compile(expr, slots))
            slots[sym] = len(slots)
        self._outs = [_compile(e, slots) for e in outs]
        self._n = len(variables)

    def __call__(self, lo: np.ndarray, hi: np.ndarray):
        count = lo.shape[0]
        env = [(lo[:, j], hi[:, j]) for j in range(self._n)]
        bad = np.zeros(count, dtype=bool)
        with np.errstate(all="ignore"):
            for step in self._steps:
                env.append(step(env, bad))
            vals = [g(env, bad) for g in self._outs]
        out_lo = np.empty((count, len(vals)))
        out_hi = np.empty((count, len(vals)))
        for j, (a, b) in enumerate(vals):
            out_lo[:, j] = a
            out_hi[:, j] = b
        return out_lo, out_hi, bad


#: False: the one-box-at-a-time `mpmath.iv` search (the benchmark's baseline)
_FLOAT_SEARCH = True
_BATCH = 256  # boxes evaluated per vectorised call (more gains little: measured)


def _krawczyk_batch(fp: _FloatProgram, jp: _FloatProgram, boxes: np.ndarray):
    """Exclusion test and one Krawczyk step on each box of ``boxes`` (count, n, 2).

    Returns ``verdict`` (0 no root: zero excluded, rhs undefined or Krawczyk image
    disjoint; 1 exactly one root; 2 split) and the Krawczyk image clipped to the box
    (rows of NaN where there is none), like `_krawczyk_step` one box at a time.
    """
    count, n = boxes.shape[:2]
    lo, hi = boxes[:, :, 0], boxes[:, :, 1]
    verdict = np.zeros(count, dtype=int)
    image = np.full((count, n, 2), np.nan)
    f_lo, f_hi, undefined = fp(lo, hi)
    # NaN-safe: a comparison with NaN is False, so NaN never excludes a box
    live = ~undefined & ~np.any((f_lo > 0) | (f_hi < 0), axis=1)
    idx = np.flatnonzero(live)
    if idx.size == 0:
        return verdict, image
    verdict[idx] = 2
    lo, hi = lo[idx], hi[idx]
    m = 0.5 * (lo + hi)
    fm_lo, fm_hi, bad_fm = fp(m, m)
    jm_lo, jm_hi, bad_jm = jp(m, m)
    jx_lo, jx_hi, bad_jx = jp(lo, hi)
    with np.errstate(all="ignore"):
        jm = (0.5 * (jm_lo + jm_hi)).reshape(-1, n, n)
    usable = ~(bad_fm | bad_jm | bad_jx) & np.all(np.isfinite(jm), axis=(1, 2))
    with np.errstate(all="ignore"):
        dx = [_v_add((lo[:, j], hi[:, j]), (-m[:, j], -m[:, j])) for j in range(n)]
        # mean-value form f(m) + J(X) (X - m): often excludes zero where the natural
        # enclosure cannot (x exp(-x**4) has x in two places)
        centred_out = np.zeros(len(idx), dtype=bool)
        for i in range(n):
            acc = (fm_lo[:, i], fm_hi[:, i])
            for j in range(n):
                acc = _v_add(acc, _v_mul((jx_lo[:, i * n + j], jx_hi[:, i * n + j]), dx[j]))
            centred_out |= (acc[0] > 0) | (acc[1] < 0)
    centred_out &= ~(bad_fm | bad_jx)
    verdict[idx[centred_out]] = 0
    usable &= ~centred_out
    y = np.full_like(jm, np.nan)
    if np.any(usable):
        try:
            y[usable] = np.linalg.inv(jm[usable])
        except np.linalg.LinAlgError:  # one singular matrix: invert them one by one
            for k in np.flatnonzero(usable):
                try:
                    y[k] = np.linalg.inv(jm[k])
                except np.linalg.LinAlgError:
                    pass
    usable &= np.all(np.isfinite(y), axis=(1, 2))
    with np.errstate(all="ignore"):
        k_lo = np.empty_like(lo)
        k_hi = np.empty_like(hi)
        for i in range(n):
            acc = (m[:, i], m[:, i])
            for j in range(n):
                acc = _v_add(acc, _v_mul((-y[:, i, j], -y[:, i, j]), (fm_lo[:, j], fm_hi[:, j])))
            for j in range(n):
                c = (1.0, 1.0) if i == j else (0.0, 0.0)
                for k in range(n):
                    yik = -y[:, i, k]
                    c = _v_add(c, _v_mul((yik, yik), (jx_lo[:, k * n + j], jx_hi[:, k * n + j])))
                acc = _v_add(acc, _v_mul(c, dx[j]))
            k_lo[:, i], k_hi[:, i] = acc
    usable &= np.all(np.isfinite(k_lo) & np.isfinite(k_hi), axis=1)
    none = usable & (np.any(k_lo > hi, axis=1) | np.any(k_hi < lo, axis=1))
    unique = usable & ~none & np.all((k_lo > lo) & (k_hi < hi), axis=1)
    verdict[idx[none]] = 0
    verdict[idx[unique]] = 1
    split = usable & ~none
    # clipped to the box (a certified image lies inside it already)
    image[idx[split], :, 0] = np.maximum(k_lo, lo)[split]
    image[idx[split], :, 1] = np.minimum(k_hi, hi)[split]
    return verdict, image


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
    fp, jp = f.program, jac.program
    if _FLOAT_SEARCH and fp is not None and jp is not None:
        return _search_boxes(fp, jp, f_point, jac_point, domain, max_boxes, min_width, deadline)
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


def _search_boxes(fp, jp, f_point, jac_point, domain, max_boxes, min_width, deadline):
    """`krawczyk_search` with the float evaluators, `_BATCH` widest boxes per step.

    The certified roots are polished with the float evaluators too (the midpoint of the
    enclosure at a point, a few ulp from a plain float evaluation), unless a root is
    found nowhere, so ``f_point`` and ``jac_point`` are not called at all.
    """
    n = domain.shape[0]

    def f_mid(x):
        lo, hi, _ = fp(x[None, :], x[None, :])
        return 0.5 * (lo[0] + hi[0])

    def jac_mid(x):
        lo, hi, _ = jp(x[None, :], x[None, :])
        return (0.5 * (lo[0] + hi[0])).reshape(n, n)

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
        take = min(_BATCH, max_boxes - count, len(heap))
        boxes = np.stack([heapq.heappop(heap)[2] for _ in range(take)])
        count += take
        verdicts, images = _krawczyk_batch(fp, jp, boxes)
        for k in np.flatnonzero(verdicts == 1):
            roots.append(_polish(f_mid, jac_mid, images[k]))
        split = verdicts == 2
        boxes, images = boxes[split], images[split]
        widths = boxes[:, :, 1] - boxes[:, :, 0]
        has_image = ~np.isnan(images[:, 0, 0])
        # Krawczyk contracted the box a lot: keep the smaller box
        contracted = has_image & np.all(images[:, :, 1] - images[:, :, 0] < 0.5 * widths, axis=1)
        for b in images[contracted]:
            push(b)
        rest = ~contracted & (widths.max(axis=1) >= min_width)
        undecided.extend(boxes[~contracted & ~rest])  # too narrow to split further
        # every root in a box lies in its Krawczyk image too: split what is left of it
        src = np.where(has_image[rest, None, None], images[rest], boxes[rest])
        widths = src[:, :, 1] - src[:, :, 0]
        rows = np.arange(len(src))
        k = np.argmax(widths, axis=1)
        # split off-centre: equilibria often sit at "round" points (0.5, 0) that exact
        # halving of a round domain would put on a face, where no box can certify them
        mid = src[rows, k, 0] + _SPLIT * widths[rows, k]
        left, right = src.copy(), src.copy()
        left[rows, k, 1] = mid
        right[rows, k, 0] = mid
        for half in (left, right):
            half_widths = np.max(half[:, :, 1] - half[:, :, 0], axis=1)
            for b, w in zip(half, half_widths):
                heapq.heappush(heap, (-float(w), next(tie), b))
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
    return _snap_to_zero(f_point, x, kbox), kbox


def _snap_to_zero(f_point, x: np.ndarray, kbox: np.ndarray) -> np.ndarray:
    """``x`` with each coordinate whose certified box holds 0 set to 0 when that does not
    increase the residual: a root on an axis (often an invariant edge of the domain of
    validity) comes out exactly on it rather than 1e-35 to either side."""
    with np.errstate(all="ignore"):
        best = np.max(np.abs(f_point(x)))
        for i in np.flatnonzero((kbox[:, 0] <= 0) & (kbox[:, 1] >= 0) & (x != 0)):
            cand = x.copy()
            cand[i] = 0.0
            res = np.max(np.abs(f_point(cand)))
            if res <= best:
                x, best = cand, res
    return x


def _dedupe(roots: list) -> list:
    """Boxes sharing a face can certify the same root twice; keep one per root."""
    out: list = []
    for x, box in roots:
        if any(np.all(np.abs(x - y) <= 1e-9 * (1 + np.abs(y))) for y, _ in out):
            continue
        out.append((x, box))
    return out
