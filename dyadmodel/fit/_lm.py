"""Ordinary least squares as R's ``lm`` computes it, aliased columns included.

R's ``lm`` factors the design matrix with LINPACK's ``dqrdc2``: Householder QR with a
limited column pivoting that moves a column to the end when, after the columns before it
are projected out, its remaining norm is below ``tol`` (1e-7) times its original norm.
Such a column is *aliased*: its coefficient is NA and the model is fitted without it.
`least_squares` makes the same decisions (the remaining norm is computed against an
orthonormal basis of the kept columns), so coefficients, NA pattern, standard errors
and R² match ``lm`` / ``summary.lm`` to rounding (checked against R in
``tests/peers/test_r_lm.py``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["R_QR_TOLERANCE", "LinearFit", "least_squares"]

#: Tolerance of R's ``lm`` (``lm.fit(tol = 1e-07)``) for declaring a column aliased.
R_QR_TOLERANCE = 1e-7


@dataclass(frozen=True, eq=False)
class LinearFit:
    """One least-squares fit.

    Attributes
    ----------
    coefficients : numpy.ndarray
        One per design column; NaN for an aliased column (R's NA).
    standard_errors : numpy.ndarray
        ``sqrt(diag(sigma² (R^T R)^-1))`` of the kept columns (``summary.lm``); NaN for
        aliased columns, and everywhere when no residual degree of freedom is left.
    aliased : numpy.ndarray
        True for the columns left out (collinear with earlier ones).
    rank : int
        Number of kept columns.
    n : int
        Number of rows.
    rss : float
        Residual sum of squares.
    r_squared, adj_r_squared : float
        As ``summary.lm``: with ``intercept=False`` the *uncentred* R² = MSS/(MSS + RSS)
        with MSS = sum(fitted²), and adjusted R² = 1 - (1 - R²) n / (n - rank); with an
        intercept, centred sums and (n - 1) / (n - rank).
    sigma : float
        Residual standard error, ``sqrt(rss / (n - rank))``; NaN when ``n == rank``.
    fitted : numpy.ndarray
        ``X b`` over the kept columns, one per row (zeros when every column is aliased).

    See Also
    --------
    least_squares : Computes it.

    Examples
    --------
    A line with an intercept (the design holds the constant column):

    >>> import numpy as np
    >>> from dyadmodel.fit import least_squares
    >>> X = np.column_stack([np.ones(6), np.arange(6.0)])
    >>> fit = least_squares(X, np.array([1.0, 3.1, 4.9, 7.2, 8.8, 11.0]), intercept=True)
    >>> fit.coefficients.round(4), fit.standard_errors.round(4)
    (array([1.0429, 1.9829]), array([0.1115, 0.0368]))
    >>> fit.rank, fit.n, fit.aliased.tolist(), round(fit.r_squared, 4), round(fit.sigma, 4)
    (2, 6, [False, False], 0.9986, 0.154)
    >>> bool(np.isclose(fit.sigma**2 * (fit.n - fit.rank), fit.rss))
    True
    """

    coefficients: np.ndarray
    standard_errors: np.ndarray
    aliased: np.ndarray
    rank: int
    n: int
    rss: float
    r_squared: float
    adj_r_squared: float
    sigma: float
    fitted: np.ndarray


def least_squares(
    X: np.ndarray, y: np.ndarray, *, intercept: bool = False, tol: float = R_QR_TOLERANCE
) -> LinearFit:
    """Fit ``y ≈ X b`` as R's ``lm(y ~ X - 1)`` does (``intercept=True``: the design
    already holds a constant column and R² is centred, as ``lm(y ~ X_rest)``).

    Parameters
    ----------
    X : numpy.ndarray
        Design matrix ``(n, p)``, finite.
    y : numpy.ndarray
        Response ``(n,)``, finite.
    intercept : bool
        Whether the model has an intercept (changes only R² and adjusted R²).
    tol : float
        Aliasing tolerance relative to each column's norm (R's default 1e-7).

    Returns
    -------
    LinearFit
        The result; see `LinearFit` for its fields.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.column_stack([np.arange(5.0), 2 * np.arange(5.0), np.ones(5)])
    >>> fit = least_squares(X, 3 * np.arange(5.0) + 1)
    >>> fit.coefficients.round(12) + 0.0, fit.aliased.tolist()
    (array([ 3., nan,  1.]), [False, True, False])
    """
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    n, p = X.shape
    norms = np.linalg.norm(X, axis=0)
    reference = np.where(norms == 0.0, 1.0, norms)
    # |R_jj| of a QR without pivoting is column j's norm after projecting out the columns
    # before it; a column dqrdc2 would move to the end lies (within tol) in the span of
    # the kept ones, so projecting it out too leaves the later diagonal unchanged.
    diagonal = np.abs(np.diag(np.linalg.qr(X, mode="r"))) if min(n, p) else np.zeros(0)
    kept = [j for j in range(min(n, p)) if diagonal[j] >= reference[j] * tol]
    if len(kept) < min(n, p):  # confirm each decision against the kept columns only
        kept = []
        basis = np.empty((n, 0))
        for j in range(p):
            if len(kept) >= n:
                break  # no room left: R leaves the remaining columns aliased too
            column = X[:, j]
            residual = column - basis @ (basis.T @ column)
            residual -= basis @ (basis.T @ residual)  # re-orthogonalise
            remaining = float(np.linalg.norm(residual))
            if remaining >= reference[j] * tol:
                kept.append(j)
                basis = np.column_stack([basis, residual / remaining])
    aliased = np.ones(p, dtype=bool)
    aliased[kept] = False
    rank = len(kept)
    coefficients = np.full(p, np.nan)
    standard_errors = np.full(p, np.nan)
    if rank:
        q, r = np.linalg.qr(X[:, kept])
        b = np.linalg.solve(r, q.T @ y)
        coefficients[kept] = b
        fitted = X[:, kept] @ b
    else:
        fitted = np.zeros(n)
    resid = y - fitted
    rss = float(resid @ resid)
    df = n - rank
    if intercept:
        mss = float(np.sum((fitted - fitted.mean()) ** 2))
    else:
        mss = float(fitted @ fitted)
    total = mss + rss
    r2 = mss / total if total > 0 else np.nan
    df_int = 1 if intercept else 0
    adj = 1.0 - (1.0 - r2) * ((n - df_int) / df) if df > 0 else np.nan
    sigma = float(np.sqrt(rss / df)) if df > 0 else np.nan
    if rank and df > 0:
        r_inv = np.linalg.inv(r)
        standard_errors[kept] = sigma * np.sqrt(np.sum(r_inv**2, axis=1))
    return LinearFit(
        coefficients=coefficients,
        standard_errors=standard_errors,
        aliased=aliased,
        rank=rank,
        n=n,
        rss=rss,
        r_squared=float(r2),
        adj_r_squared=float(adj),
        sigma=sigma,
        fitted=fitted,
    )
