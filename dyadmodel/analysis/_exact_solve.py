"""Real solutions of one or two integer polynomial equations, with FLINT/Arb.

This module imports nothing but python-flint and the standard library, so that it can run
either in the calling process or as a short-lived worker process
(``python _exact_solve.py`` reading a JSON job on stdin): FLINT's resultants and root
isolation are native code that no signal interrupts, and a worker process is the one
place where such work can be stopped when its time budget runs out.

A job is ``{"nums": [...], "dens": [...], "names": [...], "box": [[lo, hi], ...],
"prec": bits}``: numerators and denominators as lists of ``[[exponents...], "int"]``
terms, ``lo``/``hi`` ``null`` for an unbounded side. The answer is
``{"points": [[float, ...], ...], "degenerate": str}``.

- a common factor of the two numerators is reported as a curve of equilibria;
- the resultants with respect to each unknown give univariate integer polynomials whose
  real roots contain every solution's coordinates; their real roots on the (possibly
  unbounded) interval are isolated rigorously (``complex_roots`` returns certified balls;
  real roots have imaginary part exactly zero);
- each pair of coordinates is kept when both numerators' ball enclosures contain 0, and
  dropped when a denominator's enclosure contains 0 (a pole, not an equilibrium).
"""

from __future__ import annotations

import json
import sys

import flint

__all__ = ["solve_job"]


def solve_job(job: dict) -> dict:
    """Solve one job (see the module docstring) at ``job["prec"]`` bits."""
    old = flint.ctx.prec
    flint.ctx.prec = int(job.get("prec", 200))
    try:
        nums = [_terms(t) for t in job["nums"]]
        dens = [_terms(t) for t in job["dens"]]
        box = [tuple(b) for b in job["box"]]
        points, degenerate = _solve(nums, dens, list(job["names"]), box)
    finally:
        flint.ctx.prec = old
    return {"points": points, "degenerate": degenerate}


def _terms(items) -> dict:
    return {tuple(int(k) for k in m): int(c) for m, c in items}


def _real_roots(coeffs: list[int], lo, hi) -> list:
    """Certified real roots (arb balls) of an integer polynomial in [lo, hi] (None: open)."""
    poly = flint.fmpz_poly(coeffs)
    if poly.degree() <= 0:
        return []
    _, factors = poly.factor_squarefree()
    out = []
    lo_b = None if lo is None else flint.arb(lo)
    hi_b = None if hi is None else flint.arb(hi)
    for f, _mult in factors:
        for z, _m in f.complex_roots():
            if z.imag != 0:
                continue
            r = z.real
            if lo_b is not None and r.upper() < lo_b:
                continue
            if hi_b is not None and r.lower() > hi_b:
                continue
            out.append(r)
    return out


def _univariate(d: dict, index: int) -> list[int]:
    deg = max(m[index] for m in d)
    coeffs = [0] * (deg + 1)
    for m, c in d.items():
        coeffs[m[index]] += int(c)
    return coeffs


def _enclosure(d: dict, point) -> flint.arb:
    total = flint.arb(0)
    for m, c in d.items():
        term = flint.arb(c)
        for x, k in zip(point, m):
            if k:
                term *= x**k
        total += term
    return total


def _keep(point, nums, dens) -> bool:
    """Both numerators may vanish at the ball point and no denominator can."""
    if not all(_enclosure(d, point).contains(0) for d in nums):
        return False
    return not any(_enclosure(d, point).contains(0) for d in dens)


def _solve(nums, dens, names, box):
    if len(names) == 1:
        if not nums[0] or all(c == 0 for c in nums[0].values()):
            return [], f"a continuum of equilibria: every value of {names[0]}"
        roots = _real_roots(_univariate(nums[0], 0), *box[0])
        return [[float(r.mid())] for r in roots if _keep((r,), nums, dens)], ""

    ctx = flint.fmpz_mpoly_ctx.get(("u", "v"), "lex")
    polys = [ctx.from_dict(d) if d else ctx.from_dict({(0, 0): 0}) for d in nums]
    if any(p.is_zero() for p in polys):
        other = polys[1] if polys[0].is_zero() else polys[0]
        if other.is_zero():
            return [], "every state is an equilibrium"
        return [], f"a curve of equilibria: {_show(other, names)} = 0"
    degenerate = ""
    g = polys[0].gcd(polys[1])
    if g.total_degree() > 0:
        degenerate = f"a curve of equilibria: {_show(g, names)} = 0"
        polys = [p / g for p in polys]
        if any(p.is_constant() for p in polys):
            return [], degenerate
    r_v = polys[0].resultant(polys[1], "u")  # polynomial in v
    r_u = polys[0].resultant(polys[1], "v")  # polynomial in u
    if r_v.is_zero() or r_u.is_zero():
        return [], degenerate or "non-isolated equilibria"
    us = _real_roots(_univariate(r_u.to_dict(), 0), *box[0]) if not r_u.is_constant() else []
    vs = _real_roots(_univariate(r_v.to_dict(), 1), *box[1]) if not r_v.is_constant() else []
    reduced = [{m: int(c) for m, c in p.to_dict().items()} for p in polys]
    points = []
    for u in us:
        for v in vs:
            if _keep((u, v), reduced, dens):
                points.append([float(u.mid()), float(v.mid())])
    return points, degenerate


def _show(p, names) -> str:
    """A flint polynomial in (u, v) written in the model's state names."""
    terms = []
    for m, c in sorted(p.to_dict().items(), reverse=True):
        mono = "*".join(f"{v}**{k}" if k > 1 else str(v) for v, k in zip(names, m) if k)
        terms.append(f"{int(c)}*{mono}" if mono else str(int(c)))
    return " + ".join(terms).replace("+ -", "- ")


if __name__ == "__main__":  # the worker: one job on stdin, the answer on stdout
    sys.set_int_max_str_digits(0)
    json.dump(solve_job(json.load(sys.stdin)), sys.stdout)
