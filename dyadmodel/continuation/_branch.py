"""One-parameter continuation of every equilibrium branch: `continuation`."""

from __future__ import annotations

import dataclasses
import time
import weakref
from collections.abc import Mapping
from functools import cached_property
from typing import Any

import numpy as np
import sympy as sp

from dyadmodel.analysis._checks import check_model, check_name, check_options
from dyadmodel.analysis.equilibria import equilibria
from dyadmodel.continuation._detect import detect, n_unstable, sorted_eigenvalues
from dyadmodel.continuation._engine import Box, correct, null_tangent, trace
from dyadmodel.continuation._lyapunov import lyapunov_at
from dyadmodel.continuation._types import (
    BifurcationDiagram,
    Branch,
    ContinuationOptions,
    SpecialPoint,
)
from dyadmodel.errors import InvalidInputError
from dyadmodel.model import Model, ParameterError, ParameterSet

__all__ = ["continuation"]


class Compiled:
    """Compiled derivatives of a model beyond ``_rhs_fn``/``_jac_fn`` (built on demand).

    ``fp``: ``d f / d p`` for all parameters (n x P, row-major); ``jv_x``, ``jv_p``:
    derivatives of ``J(x, p) v`` with respect to x (n x n) and p (n x P), for the
    extended fold system and the cusp test (exact second derivatives, no differences).
    """

    def __init__(self, model: Model) -> None:
        self.model = model
        self.n = model.n_states
        self.P = len(model.parameters)
        self._columns: dict[int, Any] = {}

    @cached_property
    def fp(self):
        m = self.model
        return sp.lambdify(m.all_symbols, list(m.parameter_jacobian_expr), "numpy", cse=True)

    @cached_property
    def v_symbols(self):
        return tuple(sp.Dummy(f"v{i}", real=True) for i in range(self.n))

    @cached_property
    def jv(self):
        m = self.model
        jv = m.jacobian_expr * sp.Matrix(self.v_symbols)
        dx = jv.jacobian(sp.Matrix(m.state_symbols))
        dp = jv.jacobian(sp.Matrix(m.parameter_symbols))
        args = (*m.all_symbols, *self.v_symbols)
        return (
            sp.lambdify(args, list(dx), "numpy", cse=True),
            sp.lambdify(args, list(dp), "numpy", cse=True),
        )

    def rhs(self, x, pv, uv):
        return np.array(self.model._rhs_fn(*x, *pv, *uv), dtype=float)

    def jac(self, x, pv, uv):
        n = self.n
        return np.array(self.model._jac_fn(*x, *pv, *uv), dtype=float).reshape(n, n)

    def dfdp(self, x, pv, uv):
        return np.array(self.fp(*x, *pv, *uv), dtype=float).reshape(self.n, self.P)

    def dfdp_column(self, x, pv, uv, k):
        """``d f / d p_k`` alone (n,): one column compiles faster than all of ``fp``
        (a one-parameter continuation needs no other)."""
        fn = self._columns.get(k)
        if fn is None:
            m = self.model
            column = [sp.diff(e, m.parameter_symbols[k]) for e in m.rhs_expr]
            fn = self._columns[k] = sp.lambdify(m.all_symbols, column, "numpy", cse=True)
        return np.array(np.broadcast_arrays(*fn(*x, *pv, *uv)), dtype=float).reshape(self.n)

    def djv(self, x, pv, uv, v):
        fx, fp = self.jv
        n = self.n
        return (
            np.array(fx(*x, *pv, *uv, *v), dtype=float).reshape(n, n),
            np.array(fp(*x, *pv, *uv, *v), dtype=float).reshape(n, self.P),
        )


_COMPILED: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def compiled(model: Model) -> Compiled:
    try:
        return _COMPILED[model]
    except KeyError:
        c = _COMPILED[model] = Compiled(model)
        return c


class EquilibriumSystem:
    """``f(x, p) = 0`` in ``u = (x, p)`` with one free parameter (index ``k``)."""

    def __init__(self, comp: Compiled, pvec: np.ndarray, uvec: list[float], k: int) -> None:
        self.comp, self.pvec, self.uvec, self.k = comp, np.array(pvec, float), uvec, k
        self.n = comp.n

    def _p(self, p: float) -> np.ndarray:
        pv = self.pvec.copy()
        pv[self.k] = p
        return pv

    def residual(self, u):
        return self.comp.rhs(u[:-1], self._p(u[-1]), self.uvec)

    def jac_x(self, u):
        return self.comp.jac(u[:-1], self._p(u[-1]), self.uvec)

    def jacobian(self, u):
        pv = self._p(u[-1])
        J = self.comp.jac(u[:-1], pv, self.uvec)
        fp = self.comp.dfdp_column(u[:-1], pv, self.uvec, self.k)
        return np.column_stack([J, fp])


def _check_span(model: Model, param: str, span) -> tuple[float, float]:
    check_model(model)
    rec = model.parameter(check_name("param", param, model.parameter_names))
    try:
        a, b = (float(v) for v in span)
    except (TypeError, ValueError):
        raise InvalidInputError(f"span = {span!r}; expected two numbers (start, end)") from None
    for v in (a, b):
        try:
            rec.check(v)
        except ParameterError as err:
            raise ParameterError(f"span of {param!r}: {err}") from None
    if a == b:
        raise InvalidInputError(
            f"span of {param!r} = ({a:g}, {b:g}) is empty: start must differ from end"
        )
    return a, b


def continuation(
    model: Model,
    params: ParameterSet | Mapping[str, Any] | None,
    param: str,
    span: tuple[float, float],
    options: ContinuationOptions | None = None,
    *,
    inputs: Mapping[str, float] | float | None = None,
) -> BifurcationDiagram:
    """Every equilibrium branch of ``model`` as ``param`` runs through ``span``.

    Parameters
    ----------
    model : Model
        The model.
    params : ParameterSet or mapping or None
        The other parameters (defaults when None); ``params[param]`` is ignored.
    param : str
        The continuation parameter.
    span : (float, float)
        The parameter range; both ends must be within the parameter's bounds.
    options : ContinuationOptions, optional
        Step sizes, detection switches and budgets; the defaults when omitted.
    inputs : mapping or float, optional
        Constant input values (e.g. ``{"stress": 0.3}``).

    Returns
    -------
    BifurcationDiagram
        Branches (parameter, states, eigenvalues and n_unstable at every point) and
        the folds, Hopf points and branch points on them, each located to about 1e-10
        in the parameter with the change of stability across it checked.

    Raises
    ------
    ParameterError
        For an unknown ``param`` or a span outside its bounds.
    InvalidInputError
        For a span that is not two numbers, or other bad arguments.

    Notes
    -----
    Seeds: all equilibria (`dyadmodel.equilibria`, complete where that function proves
    it) at ``options.seeds`` equally spaced parameter values. A branch is traced in both
    directions from its first seed with pseudo-arclength continuation (Keller 1977;
    see `dyadmodel.continuation._engine`) until it leaves the span, closes, or goes to
    infinity; seeds lying on a traced branch are skipped. So every branch that has an
    equilibrium at one of the seed values is found; a branch existing only between two
    seed values (a small isola) can be missed: raise ``seeds``. A seed value at which
    an equilibrium is singular (an eigenvalue within 1e-4 of zero relative to the
    largest: a fold or branch point at the seed) moves off by
    1e-3 of the span, so that point is bracketed and located like any other. With
    ``seed_search='newton'`` the seeds come from Newton's method started at 64 points
    per state in the model's equilibrium box instead: faster on models whose
    certified search is expensive, but nothing is proved, and the
    diagram's ``notes`` say that branches no start reaches may be missing.

    Special points are detected by sign changes of test functions between steps and
    located by Brent's method along the branch (`dyadmodel.continuation._detect`). Two
    zeros of one test function inside one step are missed; ``ds_max`` bounds the step.
    The stability change across each point is checked a short arclength (1e-5) on each
    side. At each Hopf point the first Lyapunov coefficient (exact second and third
    derivatives; `first_lyapunov`) tells a supercritical Hopf point (a stable cycle is
    born) from a subcritical one (``SpecialPoint.criticality``).

    References
    ----------
    Keller (1977), Numerical solution of bifurcation and nonlinear eigenvalue problems;
    Kuznetsov (2004), Elements of Applied Bifurcation Theory, ch. 10;
    Allgower & Georg (1990), Numerical Continuation Methods.

    Examples
    --------
    >>> import dyadmodel as dm
    >>> m = dm.models.get("pursuer-distancer-2d")
    >>> from dyadmodel.continuation import continuation
    >>> d = continuation(m, None, "anxiety_gain_1", (0.0, 4.0))
    >>> [(s.kind, round(s.value, 6)) for s in d.special_points]
    [('fold', 1.60036), ('fold', 3.366563)]
    >>> [(s.n_unstable_before, s.n_unstable_after) for s in d.folds]
    [(1, 0), (0, 1)]
    """
    opts = check_options(options, ContinuationOptions)
    deadline = time.monotonic() + opts.max_seconds
    p = model.parameter_set(params)
    a, b = _check_span(model, param, span)
    lo, hi = min(a, b), max(a, b)
    input_values = model.constant_inputs(inputs, "continuation")
    k = model.parameter_names.index(param)
    comp = compiled(model)
    sys = EquilibriumSystem(comp, p.as_array(), list(input_values.values()), k)
    n = model.n_states
    notes: list[str] = []
    names = model.state_names

    def where(u: np.ndarray) -> str:
        st = ", ".join(f"{nm}={v:.6g}" for nm, v in zip(names, u[:-1]))
        return f"{param}={u[-1]:.10g} ({st})"

    boxes = [Box(n, lo, hi)]
    seeds = np.linspace(a, b, opts.seeds) if opts.seeds > 1 else np.array([a])
    traced: list[tuple[np.ndarray, np.ndarray, str, str]] = []
    if opts.seed_search == "newton":
        notes.append(
            f"seed equilibria at {param} = {', '.join(f'{v:g}' for v in seeds)} found by "
            f"Newton's method from {_NEWTON_STARTS_PER_STATE * n} starts each "
            "(seed_search='newton'), not proved complete: branches that none of the starts "
            "reaches may be missing; seed_search='certified' proves which are there"
        )
    for value in seeds:
        left = deadline - time.monotonic()
        if left <= 0:
            notes.append(
                f"seed {param}={value:g} and later ones skipped: the time budget "
                f"max_seconds={opts.max_seconds:g} ran out (raise it in ContinuationOptions)"
            )
            break
        # A seed exactly at a fold or branch point (a = 0 in x' = a - x^2) is a poor start:
        # its tangent is undetermined and the special point, being the start, is never
        # bracketed. Such a seed value moves off by 1e-3 of the span (either side).
        for shift in _SEED_SHIFTS:
            v = float(value) + shift * (hi - lo)
            if not lo <= v <= hi:
                continue
            found, seed_notes = _seed_equilibria(
                model, sys, p, param, v, opts, input_values, deadline
            )
            if not any(_singular(sys, np.append(x, v)) for x in found):
                break
        else:
            notes.append(
                f"seed {param}={value:g}: an equilibrium is singular there and at the shifted "
                "values too; branches through it are traced from it as they are"
            )
        notes.extend(seed_notes)
        for x in found:
            u0 = np.append(x, v)
            if any(_covers(sys, U, u0, opts) for U, *_ in traced):
                continue
            traced.append(_trace_both(sys, u0, opts, boxes, slice(0, n), where))

    branches: list[Branch] = []
    raw_points: list[SpecialPoint] = []
    for bi, (U, T, status, message) in enumerate(traced):
        J = [sys.jac_x(u) for u in U]
        eigs = np.array([sorted_eigenvalues(Ji) for Ji in J])
        nun = np.array([n_unstable(Ji, lam) for Ji, lam in zip(J, eigs)], dtype=int)
        found = detect(sys, U, T, eigs, nun, opts, notes, where)
        sps = []
        for f in found:
            crit = (
                lyapunov_at(model, f.u[:-1], sys._p(f.u[-1]), sys.uvec)
                if f.kind == "hopf"
                else None
            )
            sps.append(
                SpecialPoint(
                    kind=f.kind,
                    param=param,
                    value=float(f.u[-1]),
                    state=f.u[:-1],
                    eigenvalues=f.eigenvalues,
                    n_unstable_before=f.before,
                    n_unstable_after=f.after,
                    branch=bi,
                    branches=(bi,),
                    refined=f.refined,
                    model_name=model.name,
                    params=_params_at(p, param, float(f.u[-1])),
                    first_lyapunov=None if crit is None else crit.first_lyapunov,
                    criticality="" if crit is None else crit.criticality,
                )
            )
        if status not in ("completed", "closed"):
            notes.append(f"branch {bi}: {message}")
        arclength = np.concatenate([[0.0], np.cumsum(np.linalg.norm(np.diff(U, axis=0), axis=1))])
        branches.append(
            Branch(
                param=param,
                values=U[:, -1],
                states=U[:, :-1],
                eigenvalues=eigs,
                n_unstable=nun,
                arclength=arclength,
                status=status,
                message=message,
                special_points=tuple(sps),
                model_name=model.name,
                params=p,
            )
        )
        raw_points.extend(sps)
    return BifurcationDiagram(
        param=param,
        span=(a, b),
        branches=tuple(branches),
        special_points=_merge(raw_points),
        notes=tuple(notes),
        options=opts,
        model_name=model.name,
        params=p,
        inputs=tuple(input_values.items()),
    )


_SEED_SHIFTS = (0.0, 1e-3, -1e-3, 2e-3, -2e-3)  # seed value moves, as fractions of the span


def _seed_equilibria(model, sys, p, param, value, opts, input_values, deadline):
    """Equilibria at the seed ``value`` (by ``opts.seed_search``) and notes about them."""
    ps = p.replace(**{param: value})
    if opts.seed_search == "newton":
        return _newton_seeds(model, sys, ps, value), []
    eq_opts = opts.equilibrium
    left = max(deadline - time.monotonic(), 1e-3)
    if left < eq_opts.max_seconds:
        eq_opts = dataclasses.replace(eq_opts, max_seconds=left)
    eqs = equilibria(model, ps, inputs=input_values or None, options=eq_opts)
    if eqs.degenerate:
        return [], [f"seed {param}={value:g} skipped: {eqs.degenerate}"]
    notes = []
    if not eqs.complete:
        notes.append(f"seed {param}={value:g}: the equilibrium search was not complete")
    return [e.state for e in eqs], notes


def _singular(sys, u: np.ndarray) -> bool:
    """True when the state Jacobian at ``u`` is (numerically) singular: a fold or branch point."""
    J = sys.jac_x(u)
    if not np.all(np.isfinite(J)):
        return False
    # an eigenvalue at zero (relative to the largest): the singular values would also
    # call singular a Jacobian whose large off-diagonal entries dwarf a clear eigenvalue
    # (rinaldi-synergic at alpha1 = 0.5: eigenvalues 0.025 and -0.67, 1.3e-3 from a fold)
    lam = np.abs(np.linalg.eigvals(J))
    return bool(lam.min() <= 1e-4 * (1.0 + lam.max()))


_NEWTON_STARTS_PER_STATE = 64  # starts of seed_search='newton' per state


def _newton_seeds(model: Model, sys: EquilibriumSystem, ps: ParameterSet, value: float):
    """Equilibria at ``value`` found by Newton's method from quasi-random starts.

    ``64 * n_states`` starts (a fixed Halton sequence: the same seeds every call) in
    the model's equilibrium box (`Model.equilibrium_domain`), all iterated at once with
    the compiled right-hand side and Jacobian; a start is kept when its residual falls
    below 1e-10 (relative to ``1 + |x|``) within 40 steps inside the domain of
    validity. Nothing is proved: an equilibrium no start converges to is missed.
    """
    n = model.n_states
    box = np.array(model.equilibrium_domain(ps), dtype=float)
    valid = np.array(model.validity, dtype=float)
    count = _NEWTON_STARTS_PER_STATE * n
    X = box[:, :1] + (box[:, 1:] - box[:, :1]) * _halton(count, n).T  # (n, count)
    pv = sys._p(value)
    scale = np.maximum(box[:, 1] - box[:, 0], 1.0)[:, None]
    ok = np.zeros(count, dtype=bool)
    with np.errstate(all="ignore"):
        for _ in range(40):
            F = np.array(np.broadcast_arrays(*model._rhs_fn(*X, *pv, *sys.uvec), X[0]))[:-1]
            J = np.array(np.broadcast_arrays(*model._jac_fn(*X, *pv, *sys.uvec), X[0]))[:-1]
            ok = np.all(np.abs(F) <= 1e-10 * (1 + np.abs(X)), axis=0)
            J = J.reshape(n, n, count).transpose(2, 0, 1)
            live = ~ok & np.all(np.isfinite(F), axis=0) & np.all(np.isfinite(J), axis=(1, 2))
            if not live.any():
                break
            singular = np.abs(np.linalg.det(J[live])) < 1e-300
            idx = np.nonzero(live)[0][~singular]
            if idx.size == 0:
                break
            step = np.linalg.solve(J[idx], F[:, idx].T[:, :, None])[:, :, 0].T
            # at most a box width per step: a start far from any root does not fly off
            step = np.clip(step, -scale, scale)
            X[:, idx] = X[:, idx] - step
        inside = np.all((X >= valid[:, :1]) & (X <= valid[:, 1:]), axis=0)
    found: list[np.ndarray] = []
    for x in X[:, ok & inside].T:
        if not any(np.linalg.norm(x - y) <= 1e-7 * (1 + np.linalg.norm(y)) for y in found):
            found.append(np.array(x))
    return found


def _halton(count: int, dim: int) -> np.ndarray:
    """The first ``count`` points of the Halton sequence in ``[0, 1)^dim`` (primes 2, 3,
    5, ...), skipping the origin."""
    primes = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53]
    while len(primes) < dim:
        k = primes[-1] + 2
        while any(k % q == 0 for q in primes):
            k += 2
        primes.append(k)
    out = np.empty((count, dim))
    for j in range(dim):
        base = primes[j]
        for i in range(count):
            f, r, k = 1.0, 0.0, i + 1
            while k:
                f /= base
                r += f * (k % base)
                k //= base
            out[i, j] = r
    return out


def _params_at(p: ParameterSet, param: str, value: float) -> ParameterSet:
    try:
        return p.replace(**{param: value})
    except ParameterError:  # a point a rounding error outside the bounds
        lo, hi = p.model.parameter(param).bounds
        return p.replace(**{param: min(max(value, lo), hi)})


def _trace_both(sys, u0, opts, boxes, state_slice, where):
    """Trace from ``u0`` both ways and join: points ordered along the curve."""
    t0 = null_tangent(sys, u0)
    if t0[-1] < 0:
        t0 = -t0
    fwd = trace(sys, u0, t0, opts, boxes, state_slice, where)
    if fwd.status == "closed":
        return np.array(fwd.points), np.array(fwd.tangents), "closed", ""
    bwd = trace(sys, u0, -t0, opts, boxes, state_slice, where)
    U = np.array([*bwd.points[:0:-1], *fwd.points])
    T = np.array([*(-t for t in bwd.tangents[:0:-1]), *fwd.tangents])
    bad = [tr for tr in (bwd, fwd) if tr.status != "completed"]
    if bwd.status == "closed":
        return np.array(bwd.points[::-1]), -np.array(bwd.tangents[::-1]), "closed", ""
    status = bad[0].status if bad else "completed"
    message = "; ".join(tr.message for tr in bad)
    return U, T, status, message


def _covers(sys, U, u0, opts) -> bool:
    """True when the traced curve ``U`` passes through the equilibrium ``u0``."""
    scale = 1.0 + np.linalg.norm(u0)
    if np.min(np.linalg.norm(U - u0, axis=1)) <= 1e-8 * scale:
        return True
    d = U[:, -1] - u0[-1]
    a = np.zeros(len(u0))
    a[-1] = 1.0
    for i in np.nonzero(d[:-1] * d[1:] <= 0)[0]:
        den = d[i] - d[i + 1]
        w = 0.5 if den == 0 else d[i] / den
        guess = U[i] + w * (U[i + 1] - U[i])
        if np.linalg.norm(guess[:-1] - u0[:-1]) > 0.5 * np.linalg.norm(U[i + 1] - U[i]) + 1e-3:
            continue
        u, ok, _ = correct(sys, guess, a, u0[-1], opts.newton_tol, opts.max_newton_iter)
        if ok and np.linalg.norm(u - u0) <= 1e-6 * scale:
            return True
    return False


def _merge(points: list[SpecialPoint]) -> tuple[SpecialPoint, ...]:
    """Each special point once; a point on several branches keeps a verified record.

    Same point: same kind, parameter within 1e-7 and state within 1e-4 (relative); the
    state of a branch point located on the branch turning through it is only known to
    ~1e-6, since the tangent is ill-conditioned there."""
    out: list[SpecialPoint] = []
    for sp_ in sorted(points, key=lambda s: not s.verified):
        for j, q in enumerate(out):
            same = (
                q.kind == sp_.kind
                and abs(q.value - sp_.value) <= 1e-7 * (1 + abs(q.value))
                and np.linalg.norm(q.state - sp_.state) <= 1e-4 * (1 + np.linalg.norm(q.state))
            )
            if same:
                out[j] = dataclasses.replace(q, branches=(*q.branches, sp_.branch))
                break
        else:
            out.append(sp_)
    return tuple(sorted(out, key=lambda s: (s.value, s.kind)))
