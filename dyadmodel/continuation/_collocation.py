"""Orthogonal collocation of periodic orbits (the discretisation behind `continue_cycle`).

A cycle of period ``T`` is written in the rescaled time ``t in [0, 1]``:
``x'(t) = T f(x(t), p)``, ``x(0) = x(1)``. The interval ``[0, 1]`` is cut into ``ntst``
mesh intervals of widths ``h_j``; on each, ``x`` is the polynomial of degree ``ncol``
through ``ncol + 1`` equally spaced nodes (shared with the neighbouring intervals), and
the equation holds exactly at the ``ncol`` Gauss-Legendre points of the interval
(de Boor & Swartz 1973; Doedel, Keller & Kernévez 1991). The mesh values are
superconvergent, error ``O(h^(2 ncol))``.

Unknowns ``u = (X, T, p)`` with ``X`` the ``ntst*ncol + 1`` node values (the last node
duplicates the first through the periodicity equations). Equations: collocation
(``ntst*ncol*n``), periodicity (``n``) and the integral phase condition
``int_0^1 (x - x_ref) . x_ref' dt = 0`` (1): one fewer than unknowns, so the solutions
form a curve that pseudo-arclength continuation follows.

Everything is vectorised over the collocation points: the model's compiled right-hand
side and Jacobian are evaluated once per Newton iteration on arrays, the Jacobian is
assembled in `scipy.sparse` from index patterns built once per mesh, and factorised
with SuperLU. The monodromy matrix comes from the same blocks (each interval's block
condensed to the ``n x n`` map from its first node to its last, multiplied around the
orbit, as AUTO does), so the Floquet multipliers cost one batched solve.
"""

from __future__ import annotations

import math
import weakref

import numpy as np
import scipy.sparse as sps
import sympy as sp
from scipy.sparse.linalg import splu

__all__ = ["Collocation"]

_FP_CACHE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _param_derivative(model, k: int):
    """Compiled ``d f / d p_k`` (cached per model and parameter)."""
    per_model = _FP_CACHE.setdefault(model, {})
    if k not in per_model:
        psym = model.parameter_symbols[k]
        exprs = [sp.diff(e, psym) for e in model.rhs_expr]
        per_model[k] = sp.lambdify(model.all_symbols, exprs, "numpy", cse=True)
    return per_model[k]


def _lagrange_tables(ncol: int):
    """Nodes, Gauss points and weights on [0, 1]; the basis values ``L[c, k]``, first
    derivatives ``D[c, k]`` at the Gauss points, and the constant ``ncol``-th
    derivatives ``top[k]`` of the basis polynomials."""
    nodes = np.linspace(0.0, 1.0, ncol + 1)
    g, w = np.polynomial.legendre.leggauss(ncol)
    gauss, weights = 0.5 * (g + 1.0), 0.5 * w
    L = np.empty((ncol, ncol + 1))
    D = np.empty((ncol, ncol + 1))
    top = np.empty(ncol + 1)
    for k in range(ncol + 1):
        others = np.delete(nodes, k)
        coef = np.poly(others) / np.prod(nodes[k] - others)
        L[:, k] = np.polyval(coef, gauss)
        D[:, k] = np.polyval(np.polyder(coef), gauss)
        top[k] = math.factorial(ncol) * coef[0]
    return nodes, gauss, weights, L, D, top


def lagrange_basis(nodes: np.ndarray, z: np.ndarray) -> np.ndarray:
    """Values ``B[i, k]`` of the Lagrange basis on ``nodes`` at the points ``z``."""
    z = np.asarray(z, float)[:, None]
    B = np.ones((z.shape[0], len(nodes)))
    for k, zk in enumerate(nodes):
        for i, zi in enumerate(nodes):
            if i != k:
                B[:, k] *= (z[:, 0] - zi) / (zk - zi)
    return B


class Collocation:
    """The collocation system of one model, parameter vector and free parameter ``k``
    on a mesh (which `remesh` changes)."""

    def __init__(self, model, pvec, uvec, k: int, ntst: int, ncol: int) -> None:
        self.model, self.k = model, k
        self.pvec = np.array(pvec, dtype=float)
        self.uvec = list(uvec)
        self.n, self.ntst, self.ncol = model.n_states, ntst, ncol
        self.M = ntst * ncol
        self.size = (self.M + 1) * self.n + 2  # unknowns
        self.nodes, self.gauss, self.wc, self.L, self.D, self.top = _lagrange_tables(ncol)
        self.fp = _param_derivative(model, k)
        self.set_mesh(np.full(ntst, 1.0 / ntst))
        n, m = self.n, ncol
        j = np.arange(ntst)[:, None, None, None, None]
        c = np.arange(m)[None, :, None, None, None]
        i = np.arange(n)[None, None, :, None, None]
        kk = np.arange(m + 1)[None, None, None, :, None]
        ll = np.arange(n)[None, None, None, None, :]
        shape = (ntst, m, n, m + 1, n)
        self._rows_x = np.broadcast_to((j * m + c) * n + i, shape).ravel()
        self._cols_x = np.broadcast_to((j * m + kk) * n + ll, shape).ravel()
        self._gather = np.arange(ntst)[:, None] * m + np.arange(m + 1)[None, :]
        self.reference = None  # (X_ref, phase vector)
        self._pattern()

    def _pattern(self) -> None:
        """The sparsity pattern of `system`'s matrix in CSC form, once: entries are
        given in a fixed order (see `system`), sorted by column then row, duplicates
        summed with ``np.add.reduceat``."""
        n, M = self.n, self.M
        nc, NX = M * n, (M + 1) * n
        rr, per = np.arange(nc), np.arange(n)
        rows = np.concatenate(
            [
                self._rows_x,
                rr,
                rr,
                nc + per,
                nc + per,
                np.full(NX, nc + n),
                np.full(self.size, nc + n + 1),
            ]
        )
        cols = np.concatenate(
            [
                self._cols_x,
                np.full(nc, NX),
                np.full(nc, NX + 1),
                M * n + per,
                per,
                np.arange(NX),
                np.arange(self.size),
            ]
        )
        order = np.lexsort((rows, cols))
        key = cols[order].astype(np.int64) * self.size + rows[order]
        first = np.concatenate([[True], key[1:] != key[:-1]])
        self._order = order
        self._starts = np.nonzero(first)[0]
        self._indices = rows[order][first].astype(np.int32)
        counts = np.bincount(cols[order][first], minlength=self.size)
        self._indptr = np.concatenate([[0], np.cumsum(counts)]).astype(np.int32)

    # -- mesh ------------------------------------------------------------------------
    def set_mesh(self, h: np.ndarray) -> None:
        self.h = np.asarray(h, dtype=float)
        self.mesh = np.concatenate([[0.0], np.cumsum(self.h)])
        self.mesh[-1] = 1.0
        q = self.h[:, None] * (self.wc @ self.L)[None, :]  # (ntst, m+1) node weights
        w = np.zeros(self.M + 1)
        np.add.at(w, self._gather_nodes(), q)
        self.node_weights = w

    def _gather_nodes(self) -> np.ndarray:
        return np.arange(self.ntst)[:, None] * self.ncol + np.arange(self.ncol + 1)[None, :]

    def node_times(self) -> np.ndarray:
        """Rescaled times (0 to 1) of the ``M + 1`` nodes."""
        t = self.mesh[:-1, None] + self.h[:, None] * self.nodes[None, :-1]
        return np.append(t.ravel(), 1.0)

    # -- unknowns ----------------------------------------------------------------------
    def split(self, u):
        n = self.n
        return u[: (self.M + 1) * n].reshape(self.M + 1, n), u[-2], u[-1]

    def join(self, X, T, p):
        return np.concatenate([np.asarray(X, float).ravel(), [T, p]])

    def weights(self, u) -> np.ndarray:
        """Diagonal of the arclength inner product: the L2 norm of the profile over one
        rescaled period, ``(dT / T)^2`` for the period and ``dp^2``."""
        T = abs(u[-2]) if u[-2] != 0 else 1.0
        return np.concatenate([np.repeat(self.node_weights, self.n), [1.0 / T**2, 1.0]])

    def _p(self, p):
        pv = self.pvec.copy()
        pv[self.k] = p
        return pv

    def _eval(self, fn, Xc, pv, shape):
        vals = fn(*Xc.T, *pv, *self.uvec)
        npts = Xc.shape[0]
        return np.array([np.broadcast_to(np.asarray(v, float), (npts,)) for v in vals]).reshape(
            *shape, npts
        )

    def rhs(self, X, p):
        """``f`` at the rows of ``X`` (shape (npts, n)); returns (npts, n)."""
        X = np.atleast_2d(X)
        return self._eval(self.model._rhs_fn, X, self._p(p), (self.n,)).T

    def jac(self, x, p):
        return self._eval(self.model._jac_fn, np.atleast_2d(x), self._p(p), (self.n, self.n))[
            ..., 0
        ]

    # -- phase condition -------------------------------------------------------------------
    def set_reference(self, X_ref) -> None:
        """Use the profile ``X_ref`` (nodes, (M+1, n)) in the integral phase condition."""
        Xg = X_ref[self._gather]  # (ntst, m+1, n)
        dX = np.einsum("ck,jkn->jcn", self.D, Xg)  # derivative wrt the local variable
        coef = np.einsum("c,ck,jcn->jkn", self.wc, self.L, dX)
        g = np.zeros((self.M + 1, self.n))
        np.add.at(g, self._gather, coef)
        self.reference = (np.array(X_ref, float), g.ravel())

    # -- residual and Jacobian ----------------------------------------------------------
    def _collocation_values(self, u, with_jac: bool):
        X, T, p = self.split(u)
        Xg = X[self._gather]
        Xc = np.einsum("ck,jkn->jcn", self.L, Xg)
        dX = np.einsum("ck,jkn->jcn", self.D, Xg)
        pv = self._p(p)
        flat = Xc.reshape(-1, self.n)
        with np.errstate(all="ignore"):
            F = self._eval(self.model._rhs_fn, flat, pv, (self.n,)).T.reshape(Xc.shape)
            if not with_jac:
                return X, T, p, Xg, Xc, dX, F, None, None
            J = self._eval(self.model._jac_fn, flat, pv, (self.n, self.n))
            J = np.moveaxis(J, -1, 0).reshape(self.ntst, self.ncol, self.n, self.n)
            Fp = self._eval(self.fp, flat, pv, (self.n,)).T.reshape(Xc.shape)
        return X, T, p, Xg, Xc, dX, F, J, Fp

    def residual(self, u) -> np.ndarray:
        X, T, _, _, _, dX, F, _, _ = self._collocation_values(u, False)
        colloc = dX - T * self.h[:, None, None] * F
        X_ref, g = self.reference
        return np.concatenate([colloc.ravel(), X[-1] - X[0], [g @ (X - X_ref).ravel()]])

    def _blocks(self, T, J):
        """Collocation Jacobian blocks ``V[j, c, i, k, l]`` with respect to the nodes."""
        n = self.n
        eye = np.eye(n)
        return (
            self.D[None, :, None, :, None] * eye[None, None, :, None, :]
            - (T * self.h)[:, None, None, None, None]
            * J[:, :, :, None, :]
            * self.L[None, :, None, :, None]
        )

    def system(self, u, row):
        """Residual and the sparse square Jacobian with ``row`` appended as last row."""
        X, T, _, _, _, dX, F, J, Fp = self._collocation_values(u, True)
        n = self.n
        colloc = dX - T * self.h[:, None, None] * F
        X_ref, g = self.reference
        r = np.concatenate([colloc.ravel(), X[-1] - X[0], [g @ (X - X_ref).ravel()]])
        V = self._blocks(T, J)
        vals = np.concatenate(
            [
                V.ravel(),
                (-self.h[:, None, None] * F).ravel(),
                (-T * self.h[:, None, None] * Fp).ravel(),
                np.ones(n),
                -np.ones(n),
                g,
                row,
            ]
        )
        data = np.add.reduceat(vals[self._order], self._starts)
        A = sps.csc_matrix((data, self._indices, self._indptr), shape=(self.size, self.size))
        return r, A, V

    def monodromy(self, u, V=None) -> np.ndarray:
        """The monodromy matrix from the condensed collocation blocks."""
        if V is None:
            _, T, _, _, _, _, _, J, _ = self._collocation_values(u, True)
            V = self._blocks(T, J)
        n, m = self.n, self.ncol
        B = V.reshape(self.ntst, m * n, (m + 1) * n)
        with np.errstate(all="ignore"):
            Y = np.linalg.solve(B[:, :, n:], -B[:, :, :n])  # (ntst, m n, n)
        G = Y[:, -n:, :]
        M = np.eye(n)
        for Gj in G:
            M = Gj @ M
        return M

    # -- profiles ----------------------------------------------------------------------
    def evaluate(self, X, times) -> np.ndarray:
        """The piecewise polynomial through the nodes ``X`` at rescaled ``times``."""
        times = np.clip(np.asarray(times, float), 0.0, 1.0)
        j = np.clip(np.searchsorted(self.mesh, times, side="right") - 1, 0, self.ntst - 1)
        z = (times - self.mesh[j]) / self.h[j]
        B = lagrange_basis(self.nodes, z)  # (npts, m+1)
        Xg = X[self._gather][j]  # (npts, m+1, n)
        return np.einsum("pk,pkn->pn", B, Xg)

    def fine_profile(self, X, per_interval: int = 32):
        """(times, states) at ``per_interval`` equally spaced points of each interval
        and the end (the Lagrange basis there is the same for every interval)."""
        z = np.linspace(0.0, 1.0, per_interval + 1)[:-1]
        times = np.append((self.mesh[:-1, None] + self.h[:, None] * z[None, :]).ravel(), 1.0)
        B = lagrange_basis(self.nodes, z)  # (per_interval, m+1)
        inner = np.einsum("pk,jkn->jpn", B, X[self._gather]).reshape(-1, self.n)
        return times, np.vstack([inner, X[-1:]])

    def remesh_density(self, X) -> np.ndarray:
        """AUTO's mesh monitor: the ``(ncol+1)``-th derivative to the power
        ``1/(ncol+1)``, estimated from the jumps of the ``ncol``-th derivative."""
        m = self.ncol
        Dm = np.einsum("k,jkn->jn", self.top, X[self._gather]) / self.h[:, None] ** m
        nxt = np.roll(Dm, -1, axis=0)
        hx = 0.5 * (self.h + np.roll(self.h, -1))
        jump = np.linalg.norm(nxt - Dm, axis=1) / hx  # between interval j and j+1
        e = 0.5 * (jump + np.roll(jump, 1))
        phi = e ** (1.0 / (m + 1))
        if not np.all(np.isfinite(phi)):
            return np.ones(self.ntst)
        return phi + 1e-3 * max(float(phi.max()), 1e-300)

    def new_mesh(self, X) -> np.ndarray:
        """Mesh widths equidistributing `remesh_density`."""
        phi = self.remesh_density(X)
        C = np.concatenate([[0.0], np.cumsum(phi * self.h)])
        levels = np.linspace(0.0, C[-1], self.ntst + 1)
        new = np.interp(levels, C, self.mesh)
        new[0], new[-1] = 0.0, 1.0
        h = np.diff(new)
        if np.any(h <= 0) or not np.all(np.isfinite(h)):
            return self.h.copy()
        return h

    def transfer(self, vec, h_new) -> np.ndarray:
        """``vec`` (unknowns or a tangent on this mesh) on the mesh ``h_new``; the system
        is switched to that mesh."""
        X, T, p = self.split(vec)
        old = Collocation.__new__(Collocation)
        old.__dict__.update(self.__dict__)
        self.set_mesh(h_new)
        Xn = old.evaluate(X, self.node_times())
        Xn[-1] = Xn[0] + (X[-1] - X[0])
        return self.join(Xn, T, p)


def factor_sparse(A, b):
    """SuperLU factors of ``A`` (minimum-degree ordering of ``A^T + A``, 3x faster here
    than COLAMD); None when ``A`` or ``b`` is not finite or ``A`` is singular."""
    if not (np.all(np.isfinite(A.data)) and np.all(np.isfinite(b))):
        return None
    try:
        return splu(A, permc_spec="MMD_AT_PLUS_A")
    except RuntimeError:  # exactly singular
        return None
