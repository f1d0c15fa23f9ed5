"""Exact real solutions of a rational system in one or two unknowns, within a time budget.

Numerators and denominators are formed exactly over the rationals (sympy's sparse
rational-function field) and handed, as integer polynomials, to `_exact_solve` (FLINT
resultants and Arb real-root isolation at 200 bits). Every real solution in the (possibly
unbounded) interval box is among the returned points (completeness), and each returned
point is within the ball radius (~1e-50) of a true common root.

FLINT's native calls cannot be interrupted. A job is therefore sized before it starts:
small jobs (every flagship model at parameters with a few significant digits) run in this
process; larger ones (high resultant degree or long coefficients, e.g. 15-digit random
parameters or a stress of 1e300) run in a worker process that is killed when the time
budget runs out, and the caller gets `ExactTimeout` instead of a hang.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import sympy as sp
from sympy.polys.fields import field

from dyadmodel.analysis import _exact_solve

__all__ = ["ExactTimeout", "NotRationalOverQ", "solve_rational_system"]

_PREC = 200  # bits of the Arb root balls
# In-process limits: the estimated resultant degree and the longest coefficient (bits).
# Measured: the 6-state flagship at its defaults (degree ~420, 41 bits) takes ~1 s.
_INLINE_DEGREE = 500
_INLINE_BITS = 96
# Beyond this coefficient length Arb's root isolation was seen not to finish at all (a
# degree-5 polynomial with 6,000-bit coefficients from stress = 1e300): not even tried.
_HOPELESS_BITS = 2048
_WORKER = Path(_exact_solve.__file__)


class ExactTimeout(Exception):
    """The exact solver did not finish within its time budget (the worker was killed)."""


class NotRationalOverQ(Exception):
    """The system is rational in the unknowns but a coefficient is not a rational number
    (e.g. ``tanh(1)``): exact algebra over Q does not apply."""


def _integer_polys(eqs, vars_):
    """Numerators and denominators as ``{exponents: int}`` dicts."""
    K, *_ = field(list(vars_), sp.QQ)
    nums, dens = [], []
    for e in eqs:
        try:
            f = K.from_expr(sp.sympify(e))
        except (sp.polys.polyerrors.CoercionFailed, ValueError) as err:
            raise NotRationalOverQ(str(err)) from None
        _, numer = f.numer.clear_denoms()
        _, denom = f.denom.clear_denoms()
        nums.append({m: int(c) for m, c in numer.items()})
        dens.append({m: int(c) for m, c in denom.items()})
    return nums, dens


def job_size(nums) -> tuple[int, int]:
    """(estimated degree of the univariate polynomials, longest coefficient in bits)."""
    degrees = [max((sum(m) for m in d), default=0) for d in nums]
    bits = max((abs(c).bit_length() for d in nums for c in d.values()), default=0)
    return math.prod(degrees) if len(degrees) > 1 else degrees[0], bits


def solve_rational_system(eqs, vars_, box, *, seconds: float) -> tuple[list[np.ndarray], str]:
    """All real solutions in ``box`` of ``eqs = 0`` (rational in ``vars_``, at most 2).

    ``box`` rows may hold infinite ends. Returns the solutions (float arrays in ``vars_``
    order, poles removed) and a non-empty text when the solutions are not isolated.
    Raises `ExactTimeout` when the job needs more than ``seconds``.
    """
    if not vars_:
        return [np.empty(0)], ""
    nums, dens = _integer_polys(eqs, vars_)
    bounds = [[None if math.isinf(lo) else lo, None if math.isinf(hi) else hi] for lo, hi in box]
    job = {
        "nums": [[[list(m), str(c)] for m, c in d.items()] for d in nums],
        "dens": [[[list(m), str(c)] for m, c in d.items()] for d in dens],
        "names": [str(v) for v in vars_],
        "box": bounds,
        "prec": _PREC,
    }
    degree, bits = job_size(nums)
    if bits > _HOPELESS_BITS:
        raise ExactTimeout
    if degree <= _INLINE_DEGREE and bits <= _INLINE_BITS:
        answer = _exact_solve.solve_job(job)
    else:
        answer = _in_worker(job, seconds)
    points = [np.array(p, dtype=float) for p in answer["points"]]
    return [p for p in points if np.all(np.isfinite(p))], answer["degenerate"]


def _in_worker(job: dict, seconds: float) -> dict:
    if seconds <= 0:
        raise ExactTimeout
    text = json.dumps(job)
    try:
        done = subprocess.run(
            [sys.executable, "-I", str(_WORKER)],
            input=text,
            capture_output=True,
            text=True,
            timeout=seconds,
            check=False,
        )
    except subprocess.TimeoutExpired:  # run() has killed the worker
        raise ExactTimeout from None
    if done.returncode != 0:
        raise RuntimeError(f"exact solver worker failed: {done.stderr.strip()[-500:]}")
    return json.loads(done.stdout)
