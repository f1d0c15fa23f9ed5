"""All equilibria of a model in its domain of validity, with a proof of completeness
that names its region.

Method (``options.method="auto"``):

1. Parameter and input values become exact rationals (`to_rational`: shortest decimal).
2. **Linear elimination.** A state whose own equation is affine in it with a constant
   nonzero coefficient (``x' = r (g(others) - x)``, as in every flagship equation of
   relaxation type) is solved for and substituted everywhere; this is exact and loses no
   root. What remains is a smaller system in ``k`` states.
3. **Exact algebra** when the remaining system is rational and ``k <= 2``: clear
   denominators exactly, take the resultants with respect to each unknown (FLINT),
   isolate their real roots rigorously (Arb balls at 200 bits) on each state's whole
   domain of validity (a line or half-line: no box) and keep the coordinate pairs at
   which both numerators' enclosures contain zero (`_algebra`). Completeness is then a
   theorem about the rational system in the domain of validity; a common factor of the
   two numerators means a curve of equilibria, reported as ``degenerate``. Jobs too big
   to run in-process run in a worker process stopped at the time budget.
4. **Interval branch-and-bound** otherwise (exp/tanh models, or ``k >= 3``): Krawczyk's
   operator with rigorous, outward-rounded interval arithmetic (float64 with one-ulp
   widening per operation over many boxes at once; `mpmath.iv` where that has no rule)
   over the (reduced) domain box.
   Boxes where zero is excluded are discarded, boxes whose Krawczyk image lies inside
   them hold exactly one root; if the box or time budget runs out, the result is
   ``complete=False`` and lists the undecided boxes: a root is never silently dropped.
   The box searched is proved to hold every equilibrium in the domain of validity
   (the model's own box, or interval contraction), or else the answer is stated to be
   complete in that box only.
5. Every equilibrium found is certified on the *full* system by a Krawczyk test in a
   small box around it (``enclosure``); a multiple root (a fold, a zero eigenvalue)
   cannot be certified that way and has ``enclosure=None``.

Then the Jacobian's eigenvalues are classified (`classify`) and the model's labeler
names the point in the couple's vocabulary.
"""

from __future__ import annotations

import dataclasses
import math
import time
import weakref
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import sympy as sp
from mpmath import iv

from dyadmodel.analysis._algebra import ExactTimeout, NotRationalOverQ, solve_rational_system
from dyadmodel.analysis._checks import check_options
from dyadmodel.analysis._interval import (
    INTERVAL_FUNCTIONS,
    IntervalFunction,
    UndefinedOnBox,
    krawczyk_image,
    krawczyk_search,
    to_rational,
)
from dyadmodel.analysis._types import Equilibrium, EquilibriumSet
from dyadmodel.analysis.classify import ClassifyOptions, classify
from dyadmodel.errors import ComputationError, InvalidInputError, InvalidTypeError
from dyadmodel.model import Model, ParameterSet, _is_rational_in

__all__ = ["EquilibriumOptions", "equilibria"]


@dataclasses.dataclass(frozen=True)
class EquilibriumOptions:
    """Options of `equilibria`, with their defaults visible in the repr.

    Attributes
    ----------
    method : {'auto', 'exact', 'interval'}
        'auto' uses exact algebra when the reduced system is rational with at most two
        states, the interval search otherwise; 'exact' raises if exact algebra does not
        apply; 'interval' always uses the interval search.
    max_boxes : int
        Box budget of the interval search; when spent the result is incomplete.
    max_seconds : float
        Time budget of the whole search (exact algebra included); when spent the result
        is incomplete and says so (``EquilibriumSet.budget``).
    min_width : float
        Boxes narrower than this are not split further (reported undecided).
    certify : bool
        Certify each equilibrium on the full system with a Krawczyk box.
    classify : ClassifyOptions
        Tolerances of the eigenvalue classification.

    Raises
    ------
    InvalidInputError
        For an argument with an invalid value (the message names it and what was expected).
    InvalidTypeError
        For an argument of the wrong type.

    Examples
    --------
    >>> import dyadmodel as dm
    >>> m = dm.models.get("pursuer-distancer-2d")
    >>> eqs = dm.equilibria(m, m.params(), options=dm.EquilibriumOptions(certify=False))
    >>> len(eqs), eqs[0].certified
    (3, False)
    """

    method: str = "auto"
    max_boxes: int = 4000
    min_width: float = 1e-9
    certify: bool = True
    classify: ClassifyOptions = ClassifyOptions()
    max_seconds: float = 60.0

    def __post_init__(self) -> None:
        if not isinstance(self.method, str) or self.method not in ("auto", "exact", "interval"):
            raise InvalidInputError(
                f"method = {self.method!r}; expected one of 'auto', 'exact', 'interval'"
            )
        if not (
            isinstance(self.max_boxes, int)
            and not isinstance(self.max_boxes, bool)
            and 0 < self.max_boxes <= 10**7
        ):
            raise InvalidInputError(
                f"max_boxes = {self.max_boxes!r}; expected an integer in [1, 10**7]"
            )
        for name, lo, hi in (("min_width", 0.0, 1.0), ("max_seconds", 0.0, 86400.0)):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, int | float) or not lo < v <= hi:
                raise InvalidInputError(f"{name} = {v!r}; expected a number in ({lo:g}, {hi:g}]")
        if not isinstance(self.classify, ClassifyOptions):
            raise InvalidTypeError(
                f"classify = {self.classify!r}; expected a ClassifyOptions instance"
            )


def equilibria(
    model: Model,
    params: ParameterSet | Mapping[str, Any] | None = None,
    domain: Sequence[Sequence[float]] | None = None,
    *,
    inputs: Mapping[str, float] | float | None = None,
    options: EquilibriumOptions | None = None,
) -> EquilibriumSet:
    """All equilibria of ``model`` in its domain of validity, certified, classified and
    labelled, with a completeness claim that names its region.

    Parameters
    ----------
    model : Model
        The model.
    params : ParameterSet or mapping, optional
        Validated with ``model.params``; defaults when omitted.
    domain : sequence of (low, high), optional
        A finite box to search instead of the states' domain of validity; the answer is
        then "complete in the box [...] only". Equilibria exactly on its boundary are
        included.
    inputs : mapping or float, optional
        Constant input values (e.g. ``{"stress": 0.3}``).
    options : EquilibriumOptions, optional
        Method, box and time budgets, tolerances.

    Returns
    -------
    EquilibriumSet
        Sorted by state. ``completeness`` says in words what is proved and where
        (``complete`` is the same verdict as a bool); equilibria outside the plotting
        range are included and have ``in_plot_range=False``.

    Raises
    ------
    ParameterError, InvalidInputError
        For bad parameters, inputs, ``domain`` or options.
    ComputationError
        When the model's right-hand side uses a function without a certified interval
        rule (its equilibria cannot be searched with a proof).

    Notes
    -----
    Where the claim holds (``scope``):

    - Rational models (after linear elimination, at most two unknowns): resultants and
      certified real-root isolation on the whole (half-)line of each state's domain of
      validity: complete there, with no box.
    - Otherwise a bounded box is needed. It is the model's own proved box
      (``Model.equilibrium_box``) or one proved here by interval contraction (a state
      whose equation reads ``x_i = g_i(others)`` lies in the interval enclosure of
      ``g_i``, e.g. ``x = b + c tanh(y)`` gives ``x`` in ``[b - |c|, b + |c|]``); the
      search of that box is then complete in the whole domain of validity. When no box
      can be proved, the plotting range widened tenfold (within the domain of validity)
      is searched and the answer is "complete in the box [...] only".

    Budgets: ``options.max_seconds`` bounds the whole search (exact algebra too large to
    run in-process runs in a worker process that is stopped when the time is up);
    ``options.max_boxes`` bounds the interval search. A spent budget gives
    ``complete=False`` and says which budget ran out, never a hang.

    Parameter values are treated as the exact rationals of their shortest decimal form
    (0.1 is 1/10); completeness is proved for that system.

    Examples
    --------
    >>> import dyadmodel as dm
    >>> eqs = dm.equilibria(dm.models.get("pursuer-distancer-2d"))
    >>> [(e.kind, e.label) for e in eqs]
    [('stable node', 'balanced'), ('saddle', 'tipping threshold'), ('stable node', 'entrenched')]
    >>> [round(float(v), 4) for v in eqs[2].state], eqs.complete
    ([1.4633, 1.4633], True)
    >>> eqs.completeness
    'complete in the domain of validity pursuit_1 in [0, inf), distance_2 in [0, inf)'
    """
    opts = check_options(options, EquilibriumOptions)
    deadline = time.monotonic() + opts.max_seconds
    p = model.parameter_set(params)
    validity = np.array(model.validity, dtype=float)
    if domain is None:
        region, scope = validity, "domain of validity"
    else:
        region, scope = _check_domain(model, domain), "box"
    input_values = list(model.constant_inputs(inputs, "equilibria").values())
    subs = {s: to_rational(v) for s, v in zip(model.parameter_symbols, p.values())}
    subs.update({s: to_rational(v) for s, v in zip(model.input_symbols, input_values)})
    xs = list(model.state_symbols)
    idx = {s: i for i, s in enumerate(xs)}
    solved, rest_vars, rest_eqs = _eliminate(model, subs)
    rest = [idx[v] for v in rest_vars]

    exact_ok = len(rest_vars) <= 2 and all(_is_rational_in(e, rest_vars) for e in rest_eqs)
    if opts.method == "exact" and not exact_ok:
        raise InvalidInputError(
            f"exact algebra does not apply to model {model.name!r}: after linear elimination "
            f"{len(rest_vars)} states remain ({', '.join(map(str, rest_vars))}) and the "
            "system must be rational in at most two; use method='auto' or 'interval'"
        )
    degenerate = ""
    budget = ""
    undecided = np.empty((0, model.n_states, 2))
    reduced = None
    if exact_ok and opts.method != "interval":
        try:
            reduced, degenerate = solve_rational_system(
                rest_eqs,
                rest_vars,
                _inflate(region)[rest],
                # half the budget: the interval search can still answer in the rest
                seconds=0.5 * (deadline - time.monotonic()),
            )
        except NotRationalOverQ:
            if opts.method == "exact":
                raise InvalidInputError(
                    f"exact algebra does not apply to model {model.name!r} at these values: "
                    "a coefficient is not a rational number; use method='auto' or 'interval'"
                ) from None
        except ExactTimeout:
            budget = (
                "exact algebra was stopped (or not started) to keep within the time "
                f"budget of {opts.max_seconds:g} s: the polynomial system has very long "
                "coefficients or a high degree"
            )
        else:
            if degenerate and solved:
                relations = ", ".join(f"{w} = {sp.sstr(sp.simplify(ex))}" for w, ex in solved)
                degenerate = f"{degenerate}, with {relations}"
            method = "linear elimination + resultants + certified real-root isolation"
            if not rest_vars:
                method = "linear elimination (explicit solution)"
            complete = True
    if reduced is None:
        _check_interval_rules(model, rest_eqs)
        box = _bounded_region(model, p, subs, region)
        if box is None:
            box, scope = _fallback_box(model, region), "box"
            region = box
        if np.any(box[:, 0] > box[:, 1]):  # the proved box is empty: no equilibrium
            reduced, complete = [], True
        else:
            reduced, undecided_red, complete, timed_out = _solve_interval(
                rest_eqs, rest_vars, _inflate(box)[rest], opts, deadline
            )
            if undecided_red:
                undecided = _lift_boxes(undecided_red, rest_vars, xs, box)
            if timed_out or not complete:
                which = (
                    f"the time budget of {opts.max_seconds:g} s"
                    if timed_out
                    else f"the box budget max_boxes={opts.max_boxes}"
                )
                budget = (budget + ", and then " if budget else "") + (
                    f"{which} ran out in the interval search; raise it in EquilibriumOptions"
                )
            elif budget:  # the interval search finished what exact algebra could not
                budget = ""
        method = f"linear elimination + Krawczyk interval search ({len(rest_vars)} states)"

    search = _inflate(region)
    points = []
    for r in reduced:
        env = dict(zip(rest_vars, r))
        full = np.empty(len(xs))
        for v in rest_vars:
            full[idx[v]] = env[v]
        for v, expr in solved:
            full[idx[v]] = _float(expr.evalf(30, subs=env) if expr.free_symbols else expr)
        inside = np.all((full >= search[:, 0]) & (full <= search[:, 1]))
        if inside and np.all(np.isfinite(full)):
            points.append(_clip(full, region))
    points = _dedupe_points(points)
    certifier = _certifier(model) if opts.certify else None
    with np.errstate(all="ignore"):
        items = [
            _make_equilibrium(model, p, x, input_values, opts, certifier, subs) for x in points
        ]
    items = [e for e in items if e is not None]
    items.sort(key=lambda e: tuple(e.state))
    return EquilibriumSet(
        equilibria=tuple(items),
        complete=bool(complete) and not degenerate and not budget,
        method=method,
        domain=region,
        model_name=model.name,
        params=p,
        degenerate=degenerate,
        undecided=undecided,
        scope=scope,
        state_names=model.state_names,
        budget=budget,
    )


# -- input checks and regions -------------------------------------------------------


def _check_domain(model: Model, domain) -> np.ndarray:
    try:
        box = np.array(domain, dtype=float)
    except (TypeError, ValueError, OverflowError):
        raise InvalidInputError(
            f"domain = {domain!r}; expected {model.n_states} pairs (low, high) of numbers"
        ) from None
    if box.shape != (model.n_states, 2):
        raise InvalidInputError(
            f"domain has shape {box.shape}; expected ({model.n_states}, 2): one (low, high) "
            f"per state {', '.join(model.state_names)}"
        )
    for name, (lo, hi) in zip(model.state_names, box):
        if not (math.isfinite(lo) and math.isfinite(hi)):
            raise InvalidInputError(
                f"domain of {name!r} = ({lo}, {hi}) is not finite; omit domain to search "
                "the whole domain of validity"
            )
        if not lo < hi:
            raise InvalidInputError(
                f"domain of {name!r} = ({lo:g}, {hi:g}) is empty: low must be < high"
            )
    return box


def _inflate(box: np.ndarray) -> np.ndarray:
    """The box widened by 1e-9 (relative) at its finite ends: boundary roots are kept."""
    finite = np.where(np.isfinite(box), np.abs(box), 0.0)
    pad = 1e-9 * np.maximum(1.0, finite.max(axis=1))
    return np.column_stack([box[:, 0] - pad, box[:, 1] + pad])


def _clip(x: np.ndarray, box: np.ndarray) -> np.ndarray:
    return np.minimum(np.maximum(x, box[:, 0]), box[:, 1])


def _float(value) -> float:
    try:
        return float(value)
    except (OverflowError, TypeError):
        return math.nan


def _bounded_region(model: Model, p: ParameterSet, subs: dict, region: np.ndarray):
    """A bounded box holding every equilibrium in ``region``, or None when none is proved.

    A finite ``region`` is its own answer. Otherwise the model's proved box is used when
    it declares one; failing that, interval contraction: for each state whose equation is
    affine in it with a constant nonzero coefficient, ``x_i = g_i(x)``, the state lies in
    the interval enclosure of ``g_i`` over the current box; a few rounds of this bound
    saturating terms (tanh, Hill functions of bounded arguments, ...).
    """
    if np.all(np.isfinite(region)):
        return region
    declared = model.equilibrium_box(p)
    if declared is not None:
        box = np.array(declared, dtype=float)
        out = np.column_stack(
            [np.maximum(box[:, 0], region[:, 0]), np.minimum(box[:, 1], region[:, 1])]
        )
        if np.any(out[:, 0] > out[:, 1]):
            return out  # empty: no equilibrium in the domain of validity
        if np.all(np.isfinite(out)):
            return _contract(model, subs, out)  # often tighter than the declared box
    return _contract(model, subs, region)


def _contract(model: Model, subs: dict, region: np.ndarray, rounds: int = 8):
    xs = list(model.state_symbols)
    maps = []
    for i, (x, f) in enumerate(zip(xs, model.rhs_expr)):
        f = f.xreplace(subs)
        c = sp.diff(f, x)
        if c.is_number and c != 0:
            maps.append((i, IntervalFunction([-f.xreplace({x: 0}) / c], xs)))
    if not maps:
        return region if np.all(np.isfinite(region)) else None
    box = region.copy()
    for _ in range(rounds):
        X = [iv.mpf([lo, hi]) for lo, hi in box]
        changed = False
        for i, g in maps:
            try:
                (gi,) = g(X)
                # outward: float() of a 60-bit end rounds to nearest, which may cut a root
                lo = math.nextafter(float(gi.a), -math.inf)
                hi = math.nextafter(float(gi.b), math.inf)
            except (NotImplementedError, ZeroDivisionError, ValueError, OverflowError):
                continue
            if math.isnan(lo) or math.isnan(hi):
                continue
            new = (max(box[i, 0], lo), min(box[i, 1], hi))
            if new != (box[i, 0], box[i, 1]):
                box[i] = new
                X[i] = iv.mpf(list(new)) if new[0] <= new[1] else X[i]
                changed = True
        if np.all(np.isfinite(box)) or not changed:
            break
    return box if np.all(np.isfinite(box)) else None


def _check_interval_rules(model: Model, eqs) -> None:
    """Refuse, before searching, functions the interval arithmetic has no rule for."""
    known = set(INTERVAL_FUNCTIONS)
    for e in eqs:
        for fn in e.atoms(sp.Function):
            if fn.func not in known:
                raise ComputationError(
                    f"model {model.name!r}: no certified interval rule for "
                    f"{fn.func.__name__}() (in {sp.sstr(fn)}), so its equilibria cannot be "
                    f"searched with a proof; supported functions: "
                    f"{', '.join(sorted(f.__name__ for f in known))}"
                )


def _fallback_box(model: Model, region: np.ndarray) -> np.ndarray:
    """The plotting range widened tenfold about its centre, within ``region``."""
    plot = np.array(model.domain, dtype=float)
    centre, half = plot.mean(axis=1), 0.5 * (plot[:, 1] - plot[:, 0])
    wide = np.column_stack([centre - 10 * half, centre + 10 * half])
    return np.column_stack(
        [np.maximum(wide[:, 0], region[:, 0]), np.minimum(wide[:, 1], region[:, 1])]
    )


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


def _solve_interval(eqs, vars_, box, opts: EquilibriumOptions, deadline: float):
    if not vars_:
        return [np.empty(0)], [], True, False
    f = IntervalFunction(eqs, vars_)
    jac_exprs = sp.Matrix(eqs).jacobian(sp.Matrix(vars_))
    jac = IntervalFunction(list(jac_exprs), vars_)
    n = len(vars_)
    compiled: list = []

    def point_functions():
        # float versions for the preconditioner and polishing, built on first use (the
        # float64 search does without them; lambdify of a 6-state Jacobian takes ~1 s):
        # exact rationals can be too large for floats
        if not compiled:
            to_float = {
                r: sp.Float(r, 30) for e in (*eqs, *jac_exprs) for r in e.atoms(sp.Rational)
            }
            compiled.append(
                sp.lambdify(vars_, [e.xreplace(to_float) for e in eqs], modules="numpy")
            )
            compiled.append(sp.lambdify(vars_, jac_exprs.xreplace(to_float), modules="numpy"))
        return compiled

    def f_point(x):
        return np.array(point_functions()[0](*x), dtype=float)

    def jac_point(x):
        return np.array(point_functions()[1](*x), dtype=float).reshape(n, n)

    with np.errstate(all="ignore"):
        result = krawczyk_search(
            f,
            jac,
            f_point,
            jac_point,
            np.array(box, dtype=float),
            max_boxes=opts.max_boxes,
            min_width=opts.min_width,
            deadline=deadline,
        )
    roots = [x for x, _ in result.roots]
    return roots, result.undecided, not result.undecided, result.timed_out


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
        try:
            K = krawczyk_image(f_iv([*M, *pvals]), j_iv([*X, *pvals]), X, M, Y)
        except UndefinedOnBox:  # e.g. x**1.5 at a point a rounding error below 0
            return None
        inside = all(k.a > lo and k.b < hi for k, (lo, hi) in zip(K, box))
        if inside:
            return box
    return None


def _iv_of(q: sp.Rational):
    return iv.mpf(int(q.p)) / iv.mpf(int(q.q))


def _symbolic_jacobian(model: Model, subs: dict, x: np.ndarray) -> np.ndarray:
    """The Jacobian with the parameters substituted first, so that sympy cancels removable
    singularities of the compiled form (``x**(2 m) / x`` with m = 1 is ``x``)."""
    J0 = model.jacobian_expr.xreplace(subs)
    exact = dict(zip(model.state_symbols, (to_rational(v) for v in x)))
    # exact first; a float state's exact rational raised to a rational power can make
    # sympy's perfect-power test overflow (rinaldi-synergic with m1 = 1.312), so then
    # 30-digit floats
    floats = {s: sp.Float(float(v), 30) for s, v in zip(model.state_symbols, x)}
    with np.errstate(all="ignore"):
        for env in (exact, floats):
            try:
                J = J0.xreplace(env)
                return np.array([[_float(v) for v in row] for row in J.tolist()], dtype=float)
            except (TypeError, ValueError, ZeroDivisionError, ArithmeticError, RecursionError):
                continue
    return np.full((model.n_states, model.n_states), np.nan)


@dataclasses.dataclass(frozen=True)
class _Unclassified:
    """Stands in for a classification when the Jacobian cannot be evaluated."""

    kind: str = "unclassified (Jacobian not finite here)"
    stable: bool | None = None
    n_stable: int = 0
    n_unstable: int = 0
    n_neutral: int = 0


def _make_equilibrium(model, p, x, input_values, opts, certifier, subs):
    inputs = dict(zip(model.input_names, input_values))
    x = _newton_polish(model, p, inputs, np.asarray(x, dtype=float))
    x = _clip(x, np.array(model.validity, dtype=float))  # a polish step may cross 0 by 1e-33
    fx = model.rhs(x, p, inputs or None)
    J = model.jacobian(x, p, inputs or None)
    n = model.n_states
    if not np.all(np.isfinite(J)):
        J = _symbolic_jacobian(model, subs, x)
    if np.all(np.isfinite(J)):
        lam, vec = np.linalg.eig(J)
        order = np.lexsort((-lam.imag, -lam.real))
        lam, vec = lam[order], vec[:, order]
        c = classify(lam, opts.classify, jacobian=J if n == 2 else None)
    else:  # e.g. a removable 0/0 of the compiled Jacobian on the edge of the domain
        lam, vec = np.full(n, np.nan + 0j), np.full((n, n), np.nan + 0j)
        c = _Unclassified()
    enclosure = None
    if certifier is not None and c.kind != _Unclassified.kind:
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
    plot = np.array(model.domain, dtype=float)
    pad = 1e-9 * np.maximum(1.0, np.abs(plot).max(axis=1))
    in_plot = bool(np.all((x >= plot[:, 0] - pad) & (x <= plot[:, 1] + pad)))
    return Equilibrium(
        in_plot_range=in_plot,
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


def _dedupe_points(points):
    out: list[np.ndarray] = []
    for x in points:
        if any(np.all(np.abs(x - y) <= 1e-9 * (1 + np.abs(y))) for y in out):
            continue
        out.append(x)
    return out
