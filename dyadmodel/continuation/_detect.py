"""Test functions of special points along an equilibrium branch, and their location.

Test functions, evaluated at every accepted point ``u = (x, p)`` with unit tangent ``t``:

- fold (limit point): ``t_p = dp/ds``, the parameter component of the tangent. It
  changes sign where the branch turns back in the parameter.
- branch point: ``det [[D_x f, D_p f], [t^T]]``, the determinant of the bordered
  (augmented) Jacobian. It equals ``det(D_x f) * t_p * (1 + |D_x f^{-1} D_p f|^2)`` up to a
  positive factor on a regular branch, so it keeps its sign through a fold (where
  ``det D_x f`` and ``t_p`` change sign together) and changes sign where two branches
  cross (Allgower & Georg 1990, Thm. 8.1.14; Kuznetsov 2004, section 10.2).
- Hopf: ``prod_{i<j} (lambda_i + lambda_j)``, the determinant of the bialternate product
  ``2 J (.) I`` computed from the eigenvalues; it vanishes when a complex pair crosses
  the imaginary axis (``lambda + conj(lambda) = 2 Re lambda``) and at neutral saddles
  (``lambda_1 = -lambda_2`` real), which are discarded after location because they
  change no stability (Kuznetsov 2004, section 10.2.2).

When a test function changes sign between two accepted points, the zero is located
by Brent's method on the arclength coordinate ``sigma`` of the hyperplanes
``t_i . (u - u_i) = sigma`` through the step, each evaluation correcting a point back
onto the branch. A step in which both ``t_p`` and the bordered determinant change sign
is a branch point through which this branch turns (the non-trivial branch of a
pitchfork); ``det D_x f`` does not change sign along it, so the stability change is
checked on the other branch through the point.

Limitation: two zeros of the same test function within one step cancel and are
missed; `ContinuationOptions.ds_max` bounds the step. A change of ``n_unstable``
between two steps that no test function explains is reported in the diagram's notes.
"""

from __future__ import annotations

import dataclasses

import numpy as np
from scipy.optimize import brentq

from dyadmodel.analysis.classify import classify
from dyadmodel.continuation._engine import point_at

_PROBE = 1e-5  # arclength offset of the before/after stability checks


@dataclasses.dataclass
class Found:
    kind: str
    u: np.ndarray
    eigenvalues: np.ndarray
    before: int
    after: int
    index: int
    refined: bool


def sorted_eigenvalues(J: np.ndarray) -> np.ndarray:
    lam = np.linalg.eigvals(J)
    return lam[np.lexsort((-lam.imag, -lam.real))]


def n_unstable(J: np.ndarray, lam: np.ndarray) -> int:
    return classify(lam, jacobian=J if J.shape == (2, 2) else None).n_unstable


def hopf_test(lam: np.ndarray) -> float:
    n = len(lam)
    out = 1.0 + 0.0j
    for i in range(n):
        for j in range(i + 1, n):
            out *= lam[i] + lam[j]
    return float(out.real)


def bordered_test(sys, u: np.ndarray, t: np.ndarray) -> float:
    return float(np.linalg.det(np.vstack([sys.jacobian(u), t])))


def _sign_change(a: float, b: float) -> bool:
    return bool(np.sign(a) * np.sign(b) < 0)


def detect(sys, U, T, eigs, nun, opts, notes, describe) -> list[Found]:
    """Special points on one branch (points ``U``, tangents ``T`` oriented along it)."""
    n = sys.n
    tp = T[:, -1]
    bp = np.array([bordered_test(sys, u, t) for u, t in zip(U, T)])
    hp = np.array([hopf_test(lam) for lam in eigs]) if n >= 2 else np.zeros(len(U))
    found: list[Found] = []
    for i in range(len(U) - 1):
        fold_c = opts.detect_folds and _sign_change(tp[i], tp[i + 1])
        bp_c = opts.detect_branch_points and _sign_change(bp[i], bp[i + 1])
        hopf_c = opts.detect_hopf and _sign_change(hp[i], hp[i + 1])
        explained = False
        if bp_c or fold_c:
            kind = "branch point" if bp_c else "fold"
            if fold_c:  # a fold, or a branch point this branch turns through
                g = _fold_test
            else:
                # bordered by the step's first tangent: smooth in sigma, defined at the
                # branch point itself, and of the same sign as with the local tangent
                g = lambda u, t, t_i=T[i]: bordered_test(sys, u, t_i)  # noqa: E731
            found.append(_locate(sys, U, T, eigs, nun, i, g, kind, opts))
            explained = True
        if hopf_c:
            g = lambda u, t: hopf_test(sorted_eigenvalues(sys.jac_x(u)))  # noqa: E731
            f = _locate(sys, U, T, eigs, nun, i, g, "hopf", opts)
            if _has_imaginary_pair(f.eigenvalues):
                found.append(f)
                explained = True
        if not explained and nun[i] != nun[i + 1]:
            notes.append(
                f"n_unstable changes from {nun[i]} to {nun[i + 1]} between {describe(U[i])} "
                f"and {describe(U[i + 1])} with no detected special point (two points in one "
                "step, or a detector switched off); decrease ds_max to resolve it"
            )
    return found


def _fold_test(u, t):
    # no tangent: the bordered matrix is singular, i.e. u is the branch point itself
    return 0.0 if t is None else float(t[-1])


def _has_imaginary_pair(lam: np.ndarray) -> bool:
    scale = max(1.0, float(np.max(np.abs(lam))))
    k = int(np.argmin(np.abs(lam.real)))
    return abs(lam[k].imag) > 1e-8 * scale


def _locate(sys, U, T, eigs, nun, i, g, kind, opts) -> Found:
    u_i, t_i = U[i], T[i]
    sigma_end = float(t_i @ (U[i + 1] - u_i))

    def h(sigma: float) -> float:
        if sigma == 0.0:
            return g(u_i, t_i)
        pt = point_at(sys, u_i, t_i, sigma, opts, U[i + 1])
        if pt is None:
            raise _LocateError
        return g(*pt)

    refined = True
    try:
        with np.errstate(all="ignore"):
            sigma = brentq(h, 0.0, sigma_end, xtol=opts.locate_tol, rtol=1e-15, maxiter=200)
        pt = point_at(sys, u_i, t_i, sigma, opts, U[i + 1])
        if pt is None:
            raise _LocateError
        u = pt[0]
    except (_LocateError, ValueError, RuntimeError):
        # no consistent sign change on re-evaluation: report the step's midpoint
        refined = False
        sigma = 0.5 * sigma_end
        u = 0.5 * (U[i] + U[i + 1])
    J = sys.jac_x(u)
    lam = sorted_eigenvalues(J)
    before, after = int(nun[i]), int(nun[i + 1])
    if refined:
        delta = _PROBE * (1.0 + float(np.linalg.norm(u)))
        probes = []
        for s in (sigma - delta, sigma + delta):
            pt = point_at(sys, u_i, t_i, s, opts, U[i + 1])
            if pt is None:
                break
            Jp = sys.jac_x(pt[0])
            probes.append(n_unstable(Jp, sorted_eigenvalues(Jp)))
        if len(probes) == 2:
            before, after = probes
    return Found(kind, u, lam, before, after, i, refined)


class _LocateError(Exception):
    pass
