"""All equilibria of a model in a box, with a proof of completeness where one exists.

Method (``options.method="auto"``):

1. Parameter and input values become exact rationals (`to_rational`: shortest decimal).
2. **Linear elimination.** A state whose own equation is affine in it with a constant
   nonzero coefficient (``x' = r (g(others) - x)``, as in every flagship equation of
   relaxation type) is solved for and substituted everywhere; this is exact and loses no
   root. What remains is a smaller system in ``k`` states.
3. **Exact algebra** when the remaining system is rational and ``k <= 2``: clear
   denominators, eliminate one variable with a resultant, isolate the real roots of the
   resulting univariate polynomial exactly (sympy's real-root isolation over the
   rationals), and back-substitute with 50-digit polynomial roots. Completeness is then a
   theorem about the rational system; a common factor of the two numerators means a
   curve of equilibria, reported as ``degenerate``.
4. **Interval branch-and-bound** otherwise (exp/tanh models, or ``k >= 3``): Krawczyk's
   operator with rigorous `mpmath.iv` interval arithmetic over the (reduced) domain box.
   Boxes where zero is excluded are discarded, boxes whose Krawczyk image lies inside
   them hold exactly one root; if the box budget runs out, the result is
   ``complete=False`` and lists the undecided boxes: a root is never silently dropped.
5. Every equilibrium found is certified on the *full* system by a Krawczyk test in a
   small box around it (``enclosure``); a multiple root (a fold, a zero eigenvalue)
   cannot be certified that way and has ``enclosure=None``.

Then the Jacobian's eigenvalues are classified (`classify`) and the model's labeler
names the point in the couple's vocabulary.
"""

from __future__ import annotations

import dataclasses
import math
import weakref
from collections.abc import Mapping, Sequence
from typing import Any

import mpmath
import numpy as np
import sympy as sp
from mpmath import iv

from dyadmodel.analysis._interval import IntervalFunction, krawczyk_search, to_rational
from dyadmodel.analysis._types import Equilibrium, EquilibriumSet
from dyadmodel.analysis.classify import ClassifyOptions, classify
from dyadmodel.model import Model, ParameterSet, _is_rational_in

__all__ = ["EquilibriumOptions", "equilibria"]


@dataclasses.dataclass(frozen=True)
class EquilibriumOptions:
    """Options of `equilibria`, with their defaults visible in the repr.

    method : {'auto', 'exact', 'interval'}
        'auto' uses exact algebra when the reduced system is rational with at most two
        states, the interval search otherwise; 'exact' raises if exact algebra does not
        apply; 'interval' always uses the interval search.
    max_boxes : int
        Box budget of the interval search; when spent the result is incomplete.
    min_width : float
        Boxes narrower than this are not split further (reported undecided).
    certify : bool
        Certify each equilibrium on the full system with a Krawczyk box.
    classify : ClassifyOptions
        Tolerances of the eigenvalue classification.
    """

    method: str = "auto"
    max_boxes: int = 4000
    min_width: float = 1e-9
    certify: bool = True
    classify: ClassifyOptions = ClassifyOptions()

    def __post_init__(self) -> None:
        if self.method not in ("auto", "exact", "interval"):
            raise ValueError(
                f"method = {self.method!r}; expected one of 'auto', 'exact', 'interval'"
            )
        if not (isinstance(self.max_boxes, int) and self.max_boxes > 0):
            raise ValueError(f"max_boxes = {self.max_boxes!r}; expected a positive integer")


def equilibria(
    model: Model,
    params: ParameterSet | Mapping[str, Any] | None = None,
    domain: Sequence[Sequence[float]] | None = None,
    *,
    inputs: Mapping[str, float] | float | None = None,
    options: EquilibriumOptions | None = None,
) -> EquilibriumSet:
    """All equilibria of ``model`` in ``domain``, certified, classified and labelled.

    Parameters
    ----------
    model : Model
    params : ParameterSet or mapping, optional
        Validated with ``model.params``; defaults when omitted.
    domain : sequence of (low, high), optional
        The state box searched (default ``model.domain``). Equilibria exactly on its
        boundary are included.
    inputs : mapping or float, optional
        Constant input values (e.g. ``{"stress": 0.3}``).
    options : EquilibriumOptions, optional

    Returns
    -------
    EquilibriumSet
        Sorted by state; ``complete`` says whether the list is proved complete.

    Examples
    --------
    >>> import dyadmodel as dm
    >>> eqs = dm.equilibria(dm.models.get("pursuer-distancer-2d"))
    >>> [(e.kind, e.label) for e in eqs]
    [('stable node', 'balanced'), ('saddle', 'tipping threshold'), ('stable node', 'entrenched')]
    >>> [round(float(v), 4) for v in eqs[2].state], eqs.complete
    ([1.4633, 1.4633], True)

    Notes
    -----
    Parameter values are treated as the exact rationals of their shortest decimal form
    (0.1 is 1/10); completeness is proved for that system. Exact algebra can be slow for
    high-degree systems (Hill exponents above ~4 in both equations); use
    ``EquilibriumOptions(method="interval")`` then.
    """
    opts = options or EquilibriumOptions()
    p = params if isinstance(params, ParameterSet) else model.params(params or {})
    if p.model_name != model.name:
        raise ValueError(f"parameter set belongs to model {p.model_name!r}, not {model.name!r}")
    box = _check_domain(model, domain)
    input_values = _constant_inputs(model, inputs)
    subs = {s: to_rational(v) for s, v in zip(model.parameter_symbols, p.values())}
    subs.update({s: to_rational(v) for s, v in zip(model.input_symbols, input_values)})
    exprs = [e.xreplace(subs) for e in model.rhs_expr]
    xs = list(model.state_symbols)

    solved, rest_vars, rest_eqs = _eliminate_linear(exprs, xs)
    inflate = 1e-9 * np.maximum(1.0, np.abs(box).max(axis=1))
    search = np.column_stack([box[:, 0] - inflate, box[:, 1] + inflate])
    idx = {s: i for i, s in enumerate(xs)}

    exact_ok = len(rest_vars) <= 2 and all(_is_rational_in(e, rest_vars) for e in rest_eqs)
    if opts.method == "exact" and not exact_ok:
        raise ValueError(
            f"exact algebra does not apply to model {model.name!r}: after linear elimination "
            f"{len(rest_vars)} states remain ({', '.join(map(str, rest_vars))}) and the "
            "system must be rational in at most two; use method='auto' or 'interval'"
        )
    degenerate = ""
    undecided = np.empty((0, model.n_states, 2))
    if exact_ok and opts.method != "interval":
        reduced, degenerate = _solve_exact(rest_eqs, rest_vars, search[[idx[v] for v in rest_vars]])
        method = "linear elimination + resultant + exact real-root isolation"
        if not rest_vars:
            method = "linear elimination (explicit solution)"
        complete = True
    else:
        reduced, undecided_red, complete = _solve_interval(
            rest_eqs, rest_vars, search[[idx[v] for v in rest_vars]], opts
        )
        method = f"linear elimination + Krawczyk interval search ({len(rest_vars)} states)"
        if undecided_red:
            undecided = _lift_boxes(undecided_red, rest_vars, xs, box)

    points = []
    for r in reduced:
        env = dict(zip(rest_vars, r))
        full = np.empty(len(xs))
        for v in rest_vars:
            full[idx[v]] = env[v]
        for v, expr in solved:
            full[idx[v]] = float(expr.evalf(30, subs=env)) if expr.free_symbols else float(expr)
        if np.all((full >= search[:, 0]) & (full <= search[:, 1])) and np.all(np.isfinite(full)):
            points.append(np.clip(full, box[:, 0], box[:, 1]) if _on_edge(full, box) else full)
    points = _dedupe_points(points)
    certifier = _certifier(model) if opts.certify else None
    items = [_make_equilibrium(model, p, x, input_values, opts, certifier, subs) for x in points]
    items = [e for e in items if e is not None]
    items.sort(key=lambda e: tuple(e.state))
    return EquilibriumSet(
        equilibria=tuple(items),
        complete=bool(complete) and not degenerate,
        method=method,
        domain=box,
        model_name=model.name,
        params=p,
        degenerate=degenerate,
        undecided=undecided,
    )


# -- input checks ------------------------------------------------------------------


def _check_domain(model: Model, domain) -> np.ndarray:
    if domain is None:
        return np.array(model.domain, dtype=float)
    try:
        box = np.array(domain, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(
            f"domain = {domain!r}; expected {model.n_states} pairs (low, high) of numbers"
        ) from None
    if box.shape != (model.n_states, 2):
        raise ValueError(
            f"domain has shape {box.shape}; expected ({model.n_states}, 2): one (low, high) "
            f"per state {', '.join(model.state_names)}"
        )
    for name, (lo, hi) in zip(model.state_names, box):
        if not (math.isfinite(lo) and math.isfinite(hi)):
            raise ValueError(f"domain of {name!r} = ({lo}, {hi}) is not finite")
        if not lo < hi:
            raise ValueError(f"domain of {name!r} = ({lo:g}, {hi:g}) is empty: low must be < high")
    return box


def _constant_inputs(model: Model, inputs) -> list[float]:
    values = model._input_vector(inputs)
    for u, v in zip(model.inputs, values):
        if np.ndim(v):
            raise ValueError(f"input {u.name!r} must be a constant number for equilibria")
    return [float(v) for v in values]


# -- step 2: linear elimination ----------------------------------------------------


def _eliminate_linear(exprs, xs):
    """Eliminate states whose equation is affine in them with a constant coefficient."""
    eqs = list(exprs)
    rest = list(xs)
    solved: list[tuple[sp.Symbol, sp.Expr]] = []
    progress = True
    while progress:
        progress = False
        for i, e in enumerate(eqs):
            for v in [s for s in rest if s in e.free_symbols]:
                c = sp.diff(e, v)
                if c.is_number and c != 0:
                    sol = sp.together(-e.xreplace({v: 0}) / c)
                    eqs = [q.xreplace({v: sol}) for k, q in enumerate(eqs) if k != i]
                    solved = [(w, ex.xreplace({v: sol})) for w, ex in solved]
                    solved.append((v, sol))
                    rest.remove(v)
                    progress = True
                    break
            if progress:
                break
    return solved, rest, eqs


# -- step 3: exact algebra ---------------------------------------------------------


def _solve_exact(eqs, vars_, box):
    """Real solutions in ``box`` of a rational system in <= 2 variables."""
    if not vars_:
        return [np.empty(0)], ""
    nums, dens = [], []
    for e in eqs:
        num, den = sp.fraction(sp.together(e))
        nums.append(sp.Poly(sp.expand(num), *vars_, domain="QQ"))
        dens.append(sp.Poly(sp.expand(den), *vars_, domain="QQ"))
    degenerate = ""
    if len(vars_) == 1:
        (v,) = vars_
        if nums[0].is_zero:
            return [], f"every value of {v} is an equilibrium"
        roots = _isolate_real(nums[0], box[0])
        sols = [np.array([float(r)]) for r in roots]
        return _drop_poles(sols, dens, vars_), degenerate

    u, v = vars_
    n1, n2 = nums
    if n1.is_zero or n2.is_zero:
        other = n2 if n1.is_zero else n1
        if other.is_zero:
            return [], "every state is an equilibrium"
        return [], f"a curve of equilibria: {sp.sstr(other.as_expr())} = 0"
    g = sp.gcd(n1, n2)
    if g.total_degree() > 0:
        degenerate = f"a curve of equilibria: {sp.sstr(g.as_expr())} = 0"
        n1 = sp.div(n1, g)[0]
        n2 = sp.div(n2, g)[0]
    res = sp.Poly(sp.resultant(n1.as_expr(), n2.as_expr(), u), v, domain="QQ")
    sols = []
    if res.is_zero:  # cannot happen after removing the gcd; be safe
        return [], degenerate or "non-isolated equilibria"
    for vstar in _isolate_real(res, box[1]):
        for ustar in _back_substitute(n1, n2, u, v, vstar, box[0]):
            sols.append(np.array([float(ustar), float(vstar)]))
    return _drop_poles(sols, dens, vars_), degenerate


def _isolate_real(poly: sp.Poly, interval) -> list[mpmath.mpf]:
    """Real roots of a univariate polynomial inside ``interval``, to ~40 digits.

    Isolation is exact (sympy's real-root isolation over QQ); each isolating interval is
    then refined by bisection in exact arithmetic.
    """
    lo, hi = (to_rational(interval[0]), to_rational(interval[1]))
    sq = sp.Poly(sp.quo(poly, sp.gcd(poly, poly.diff())), *poly.gens)  # squarefree part
    if sq.degree() <= 0:
        return []
    out = []
    for (a, b), _mult in sq.intervals():
        a, b = sp.Rational(a), sp.Rational(b)
        if b < lo or a > hi:
            continue
        if a != b:
            a, b = sq.refine_root(a, b, eps=sp.Rational(1, 10**40))
        with mpmath.workdps(50):
            root = (mpmath.mpf(a.p) / a.q + mpmath.mpf(b.p) / b.q) / 2
            if mpmath.mpf(lo.p) / lo.q <= root <= mpmath.mpf(hi.p) / hi.q:
                out.append(root)
    return out


def _back_substitute(n1, n2, u, v, vstar, interval):
    """Values u with n1(u, v*) = n2(u, v*) = 0, u in interval (50-digit arithmetic)."""
    with mpmath.workdps(50):
        cands = None
        for poly, other in ((n1, n2), (n2, n1)):
            coeffs = _coeffs_in(poly, u, v, vstar)
            scale = max((abs(c) for c in coeffs), default=mpmath.mpf(0))
            while coeffs and abs(coeffs[0]) <= mpmath.mpf(10) ** -35 * scale:
                coeffs = coeffs[1:]
            if len(coeffs) >= 2:
                roots = mpmath.polyroots(coeffs, maxsteps=200, extraprec=200)
                cands = [
                    r for r in roots if abs(mpmath.im(r)) <= mpmath.mpf(10) ** -20 * (1 + abs(r))
                ]
                cands = [mpmath.re(r) for r in cands]
                cands = [r for r in cands if _relative_residual(other, u, v, r, vstar) <= 1e-20]
                break
        if cands is None:
            return []
        lo, hi = interval
        return [r for r in cands if lo <= r <= hi]


def _relative_residual(poly: sp.Poly, u, v, ustar, vstar):
    """|p(u*, v*)| / sum |c_ij| |u*|^i |v*|^j: the backward error of a candidate root."""
    iu, iv_ = poly.gens.index(u), poly.gens.index(v)
    val = mpmath.mpf(0)
    mag = mpmath.mpf(0)
    for monom, c in poly.terms():
        c = mpmath.mpf(c.p) / c.q
        term = c * ustar ** monom[iu] * vstar ** monom[iv_]
        val += term
        mag += abs(term)
    return abs(val) / mag if mag else mpmath.mpf(0)


def _coeffs_in(poly: sp.Poly, u, v, vstar):
    """Coefficients (highest first) of poly(u, v*) as a polynomial in u."""
    pu = sp.Poly(poly.as_expr(), u)
    out = []
    for c in pu.all_coeffs():
        cp = sp.Poly(c, v)
        out.append(
            mpmath.polyval(
                [mpmath.mpf(k.p) / k.q for k in map(sp.Rational, cp.all_coeffs())], vstar
            )
        )
    return out


def _drop_poles(sols, dens, vars_):
    """Discard solutions where a denominator vanishes (not equilibria of the model)."""
    out = []
    for s in sols:
        env = dict(zip(vars_, s))
        ok = True
        for d in dens:
            val = float(d.as_expr().evalf(30, subs=env)) if d.free_symbols else float(d.as_expr())
            if abs(val) <= 1e-12:
                ok = False
        if ok:
            out.append(s)
    return out


# -- step 4: interval search ------------------------------------------------------


def _solve_interval(eqs, vars_, box, opts: EquilibriumOptions):
    if not vars_:
        return [np.empty(0)], [], True
    f = IntervalFunction(eqs, vars_)
    jac_exprs = sp.Matrix(eqs).jacobian(sp.Matrix(vars_))
    jac = IntervalFunction(list(jac_exprs), vars_)
    f_num = sp.lambdify(vars_, list(eqs), modules="numpy")
    j_num = sp.lambdify(vars_, jac_exprs, modules="numpy")
    n = len(vars_)

    def f_point(x):
        return np.array(f_num(*x), dtype=float)

    def jac_point(x):
        return np.array(j_num(*x), dtype=float).reshape(n, n)

    with np.errstate(all="ignore"):
        result = krawczyk_search(
            f,
            jac,
            f_point,
            jac_point,
            np.array(box, dtype=float),
            max_boxes=opts.max_boxes,
            min_width=opts.min_width,
        )
    roots = [x for x, _ in result.roots]
    return roots, result.undecided, not result.undecided


def _lift_boxes(boxes, rest_vars, xs, full_box):
    """Undecided boxes in the reduced states, with the eliminated states' full range."""
    idx = {s: i for i, s in enumerate(xs)}
    out = np.repeat(full_box[None, :, :], len(boxes), axis=0).copy()
    for k, b in enumerate(boxes):
        for j, v in enumerate(rest_vars):
            out[k, idx[v]] = b[j]
    return out


# -- step 5: certification and classification -------------------------------------

_CERTIFIERS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _certifier(model: Model):
    """Interval rhs and Jacobian of the full model with parameters as variables."""
    try:
        return _CERTIFIERS[model]
    except KeyError:
        pass
    variables = model.all_symbols
    f = IntervalFunction(list(model.rhs_expr), variables)
    jac = IntervalFunction(list(model.jacobian_expr), variables)
    _CERTIFIERS[model] = (f, jac)
    return f, jac


def _certify(model, certifier, x, subs, f_point, jac_point):
    """A small box around x proved (Krawczyk) to contain exactly one equilibrium."""
    f_iv, j_iv = certifier
    pvals = [_iv_of(subs[s]) for s in (*model.parameter_symbols, *model.input_symbols)]
    n = model.n_states
    for rel in (1e-10, 1e-8, 1e-6):
        r = rel * np.maximum(1.0, np.abs(x))
        box = np.column_stack([x - r, x + r])
        X = [iv.mpf([lo, hi]) for lo, hi in box]
        m = x
        try:
            Y = np.linalg.inv(jac_point(m))
        except np.linalg.LinAlgError:
            return None
        M = [iv.mpf(v) for v in m]
        FM = f_iv([*M, *pvals])
        JX = j_iv([*X, *pvals])
        inside = True
        for i in range(n):
            acc = M[i]
            for j in range(n):
                acc = acc - iv.mpf(Y[i, j]) * FM[j]
            for j in range(n):
                c = iv.mpf(1.0 if i == j else 0.0)
                for k in range(n):
                    c = c - iv.mpf(Y[i, k]) * JX[k * n + j]
                acc = acc + c * (X[j] - M[j])
            if not (acc.a > box[i, 0] and acc.b < box[i, 1]):
                inside = False
                break
        if inside:
            return box
    return None


def _iv_of(q: sp.Rational):
    return iv.mpf(int(q.p)) / iv.mpf(int(q.q))


def _make_equilibrium(model, p, x, input_values, opts, certifier, subs):
    inputs = dict(zip(model.input_names, input_values))
    x = _newton_polish(model, p, inputs, np.asarray(x, dtype=float))
    fx = model.rhs(x, p, inputs or None)
    J = model.jacobian(x, p, inputs or None)
    lam, vec = np.linalg.eig(J)
    order = np.lexsort((-lam.imag, -lam.real))
    lam, vec = lam[order], vec[:, order]
    c = classify(lam, opts.classify)
    enclosure = None
    if certifier is not None:
        enclosure = _certify(
            model,
            certifier,
            x,
            subs,
            lambda y: model.rhs(y, p, inputs or None),
            lambda y: model.jacobian(y, p, inputs or None),
        )
    label = ""
    if model.labeler is not None:
        label = model.labeler(x, p, c.stable, c.n_stable > 0 and c.n_unstable > 0)
    return Equilibrium(
        state=x,
        eigenvalues=lam,
        eigenvectors=vec,
        kind=c.kind,
        stable=c.stable,
        label=label,
        n_stable=c.n_stable,
        n_unstable=c.n_unstable,
        n_neutral=c.n_neutral,
        residual=float(np.max(np.abs(fx))) if fx.size else 0.0,
        enclosure=enclosure,
        model_name=model.name,
        params=p,
        inputs=tuple(inputs.items()),
    )


def _newton_polish(model, p, inputs, x):
    """A few float Newton steps; keeps the point if a step would not reduce |f|."""
    u = inputs or None
    best = x
    best_res = np.max(np.abs(model.rhs(x, p, u)))
    for _ in range(5):
        try:
            step = np.linalg.solve(model.jacobian(best, p, u), model.rhs(best, p, u))
        except np.linalg.LinAlgError:
            break
        cand = best - step
        res = np.max(np.abs(model.rhs(cand, p, u)))
        if not res < best_res:
            break
        best, best_res = cand, res
    return best


def _on_edge(x, box):
    return np.any((x < box[:, 0]) | (x > box[:, 1]))


def _dedupe_points(points):
    out: list[np.ndarray] = []
    for x in points:
        if any(np.all(np.abs(x - y) <= 1e-9 * (1 + np.abs(y))) for y in out):
            continue
        out.append(x)
    return out
