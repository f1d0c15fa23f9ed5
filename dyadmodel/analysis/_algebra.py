"""Exact real solutions of a rational system in one or two unknowns.

Numerators are formed exactly over the rationals (sympy's sparse rational-function
field), moved to integer polynomials in FLINT (python-flint), and

- a common factor of the two numerators is reported as a curve of equilibria;
- the resultants with respect to each unknown give two univariate integer polynomials
  whose real roots contain every solution's coordinates;
- those real roots are isolated rigorously by FLINT/Arb (``complex_roots`` returns
  certified balls, real roots with imaginary part exactly zero) at 200 bits;
- each pair of coordinates is kept when both numerators' ball enclosures contain 0.

Every real solution in the box is therefore among the returned points (completeness),
and each returned point is within the ball radius (~1e-50) of a true common root.
"""

from __future__ import annotations

import flint
import numpy as np
import sympy as sp
from sympy.polys.fields import field

__all__ = ["solve_rational_system"]

_PREC = 200  # bits of the Arb root balls


def _integer_numerators(eqs, vars_):
    """Numerators (as dicts monomial -> int) and denominators of the equations."""
    K, *_ = field(list(vars_), sp.QQ)
    nums, dens = [], []
    for e in eqs:
        f = K.from_expr(sp.sympify(e))
        _, numer = f.numer.clear_denoms()
        nums.append({m: int(c) for m, c in numer.items()})
        dens.append(f.denom)
    return nums, dens


def _real_roots(coeffs: list[int], lo: float, hi: float) -> list:
    """Certified real roots (arb balls) of an integer polynomial inside [lo, hi]."""
    poly = flint.fmpz_poly(coeffs)
    if poly.degree() <= 0:
        return []
    _, factors = poly.factor_squarefree()
    out = []
    lo_b, hi_b = flint.arb(lo), flint.arb(hi)
    for f, _mult in factors:
        for z, _m in f.complex_roots():
            if z.imag != 0:
                continue
            r = z.real
            if r.upper() < lo_b or r.lower() > hi_b:
                continue
            out.append(r)
    return out


def _univariate(d: dict, index: int) -> list[int]:
    deg = max(m[index] for m in d)
    coeffs = [0] * (deg + 1)
    for m, c in d.items():
        coeffs[m[index]] += int(c)
    return coeffs


def _contains_zero(d: dict, point) -> bool:
    total = flint.arb(0)
    for m, c in d.items():
        term = flint.arb(c)
        for x, k in zip(point, m):
            if k:
                term *= x**k
        total += term
    return total.contains(0)


def solve_rational_system(eqs, vars_, box) -> tuple[list[np.ndarray], str]:
    """All real solutions in ``box`` of ``eqs = 0`` (rational in ``vars_``, at most 2).

    Returns the solutions (float arrays in ``vars_`` order, poles of the equations
    removed) and a non-empty text when the solutions are not isolated.
    """
    if not vars_:
        return [np.empty(0)], ""
    old = flint.ctx.prec
    flint.ctx.prec = _PREC
    try:
        return _solve(eqs, vars_, box)
    finally:
        flint.ctx.prec = old


def _solve(eqs, vars_, box):
    nums, dens = _integer_numerators(eqs, vars_)
    names = [str(v) for v in vars_]
    if len(vars_) == 1:
        if not nums[0] or all(c == 0 for c in nums[0].values()):
            return [], f"a continuum of equilibria: every value of {names[0]}"
        roots = _real_roots(_univariate(nums[0], 0), *box[0])
        points = [np.array([float(r.mid())]) for r in roots]
        return _drop_poles(points, dens), ""

    ctx = flint.fmpz_mpoly_ctx.get(("u", "v"), "lex")
    polys = [ctx.from_dict(d) if d else ctx.from_dict({(0, 0): 0}) for d in nums]
    if any(p.is_zero() for p in polys):
        other = polys[1] if polys[0].is_zero() else polys[0]
        if other.is_zero():
            return [], "every state is an equilibrium"
        return [], f"a curve of equilibria: {_show(other, vars_)} = 0"
    degenerate = ""
    g = polys[0].gcd(polys[1])
    if g.total_degree() > 0:
        degenerate = f"a curve of equilibria: {_show(g, vars_)} = 0"
        polys = [p / g for p in polys]
        if any(p.is_constant() for p in polys):
            return [], degenerate
    r_v = polys[0].resultant(polys[1], "u")  # polynomial in v
    r_u = polys[0].resultant(polys[1], "v")  # polynomial in u
    if r_v.is_zero() or r_u.is_zero():
        return [], degenerate or "non-isolated equilibria"
    us = _real_roots(_univariate(r_u.to_dict(), 0), *box[0]) if not r_u.is_constant() else []
    vs = _real_roots(_univariate(r_v.to_dict(), 1), *box[1]) if not r_v.is_constant() else []
    dicts = [p.to_dict() for p in polys]
    points = []
    for u in us:
        for v in vs:
            if all(_contains_zero(d, (u, v)) for d in dicts):
                points.append(np.array([float(u.mid()), float(v.mid())]))
    return _drop_poles(points, dens), degenerate


def _show(p, vars_) -> str:
    """A flint polynomial in (u, v) written in the model's state names."""
    terms = []
    for m, c in sorted(p.to_dict().items(), reverse=True):
        mono = "*".join(f"{v}**{k}" if k > 1 else str(v) for v, k in zip(vars_, m) if k)
        terms.append(f"{int(c)}*{mono}" if mono else str(int(c)))
    return " + ".join(terms).replace("+ -", "- ")


def _drop_poles(points, dens):
    """Discard points where a denominator vanishes (not equilibria of the model)."""
    out = []
    for x in points:
        vals = [float(d(*x)) if len(x) else float(d) for d in dens]
        if all(abs(v) > 1e-12 for v in vals):
            out.append(x)
    return out
