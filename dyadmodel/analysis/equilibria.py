"""All equilibria of a model in a box, with a proof of completeness where one exists.

Method (``options.method="auto"``):

1. Parameter and input values become exact rationals (`to_rational`: shortest decimal).
2. **Linear elimination.** A state whose own equation is affine in it with a constant
   nonzero coefficient (``x' = r (g(others) - x)``, as in every flagship equation of
   relaxation type) is solved for and substituted everywhere; this is exact and loses no
   root. What remains is a smaller system in ``k`` states.
3. **Exact algebra** when the remaining system is rational and ``k <= 2``: clear
   denominators exactly, take the resultants with respect to each unknown (FLINT),
   isolate their real roots rigorously (Arb balls at 200 bits) and keep the coordinate
   pairs at which both numerators' enclosures contain zero (`_algebra`). Completeness
   is then a theorem about the rational system; a common factor of the two numerators
   means a curve of equilibria, reported as ``degenerate``.
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

import numpy as np
import sympy as sp
from mpmath import iv

from dyadmodel.analysis._algebra import solve_rational_system
from dyadmodel.analysis._interval import (
    IntervalFunction,
    krawczyk_image,
    krawczyk_search,
    to_rational,
)
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
        The state box searched. The default is ``model.equilibrium_domain(params)``: for
        the flagship models a box that holds every equilibrium in the non-negative
        orthant, so "complete" is global there; otherwise ``model.domain``. Equilibria
        exactly on its boundary are included.
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
    p = model.parameter_set(params)
    box = _check_domain(model, domain, p)
    input_values = list(model.constant_inputs(inputs, "equilibria").values())
    subs = {s: to_rational(v) for s, v in zip(model.parameter_symbols, p.values())}
    subs.update({s: to_rational(v) for s, v in zip(model.input_symbols, input_values)})
    xs = list(model.state_symbols)
    solved, rest_vars, rest_eqs = _eliminate(model, subs)
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
        reduced, degenerate = solve_rational_system(
            rest_eqs, rest_vars, search[[idx[v] for v in rest_vars]]
        )
        if degenerate and solved:
            relations = ", ".join(f"{w} = {sp.sstr(sp.simplify(ex))}" for w, ex in solved)
            degenerate = f"{degenerate}, with {relations}"
        method = "linear elimination + resultants + certified real-root isolation"
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


def _check_domain(model: Model, domain, params: ParameterSet) -> np.ndarray:
    if domain is None:
        return np.array(model.equilibrium_domain(params), dtype=float)
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


# -- step 2: linear elimination ----------------------------------------------------


_PLANS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _eliminate(model: Model, subs: dict):
    """Linear elimination at the given (rational) parameter values.

    The elimination is planned once per model with symbolic parameters (a state is
    eliminated when its equation is affine in it with a coefficient free of states) and
    reused while every planned coefficient is nonzero at these values; otherwise it is
    redone with the numbers (`_eliminate_linear`).
    """
    plan = _PLANS.get(model)
    if plan is None:
        plan = _eliminate_linear(list(model.rhs_expr), list(model.state_symbols), symbolic=True)
        _PLANS[model] = plan
    solved, rest, eqs, coeffs = plan
    if all(c.xreplace(subs) != 0 for c in coeffs):
        return (
            [(v, ex.xreplace(subs)) for v, ex in solved],
            list(rest),
            [e.xreplace(subs) for e in eqs],
        )
    exprs = [e.xreplace(subs) for e in model.rhs_expr]
    return _eliminate_linear(exprs, list(model.state_symbols))[:3]


def _eliminate_linear(exprs, xs, symbolic=False):
    """Eliminate states whose equation is affine in them with a constant coefficient.

    With ``symbolic=True`` the coefficient may involve parameters (it must be free of
    states and not identically zero); the coefficients are returned so that callers
    can check them at numeric parameter values.
    """
    eqs = list(exprs)
    rest = list(xs)
    solved: list[tuple[sp.Symbol, sp.Expr]] = []
    coeffs: list[sp.Expr] = []
    progress = True
    while progress:
        progress = False
        for i, e in enumerate(eqs):
            for v in [s for s in rest if s in e.free_symbols]:
                c = sp.diff(e, v)
                if symbolic:
                    usable = not (c.free_symbols & set(xs)) and not c.is_zero and c != 0
                else:
                    usable = c.is_number and c != 0
                if usable:
                    coeffs.append(c)
                    sol = sp.together(-e.xreplace({v: 0}) / c)
                    eqs = [q.xreplace({v: sol}) for k, q in enumerate(eqs) if k != i]
                    solved = [(w, ex.xreplace({v: sol})) for w, ex in solved]
                    solved.append((v, sol))
                    rest.remove(v)
                    progress = True
                    break
            if progress:
                break
    return solved, rest, eqs, coeffs


# -- step 4: interval search ------------------------------------------------------


def _solve_interval(eqs, vars_, box, opts: EquilibriumOptions):
    if not vars_:
        return [np.empty(0)], [], True
    f = IntervalFunction(eqs, vars_)
    jac_exprs = sp.Matrix(eqs).jacobian(sp.Matrix(vars_))
    jac = IntervalFunction(list(jac_exprs), vars_)
    # float versions for the preconditioner: exact rationals can be too large for floats
    to_float = {r: sp.Float(r, 30) for e in (*eqs, *jac_exprs) for r in e.atoms(sp.Rational)}
    f_num = sp.lambdify(vars_, [e.xreplace(to_float) for e in eqs], modules="numpy")
    j_num = sp.lambdify(vars_, jac_exprs.xreplace(to_float), modules="numpy")
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
        K = krawczyk_image(f_iv([*M, *pvals]), j_iv([*X, *pvals]), X, M, Y)
        inside = all(k.a > lo and k.b < hi for k, (lo, hi) in zip(K, box))
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
    c = classify(lam, opts.classify, jacobian=J if model.n_states == 2 else None)
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
        # a saddle with one unstable direction: its stable manifold separates basins
        threshold = c.n_unstable == 1 and c.n_stable == model.n_states - 1
        label = model.labeler(x, p, c.stable, threshold)
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
