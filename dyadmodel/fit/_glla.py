"""Generalized local linear approximation (GLLA) and the per-dyad coupled-oscillator fit
of rties (Boker & Nesselroade 2002; Boker et al. 2010; Butler & Barnard 2019).

Steps, per dyad (as ``rties::dataPrep``, ``estDerivs`` and ``indivClo``):

1. each person's series is detrended: the residuals of an OLS line (intercept and slope
   on the time values) fitted to that person's observed points;
2. time points where either partner is missing are dropped and the remaining rows joined
   (the embedding then runs over the joined rows, as rties does);
3. for each ``(tau, embed)`` of the user's grids, each partner's series is embedded
   (rows ``s[r], s[r + tau], ..., s[r + (embed - 1) tau]``) and multiplied by
   ``W = L (L^T L)^-1`` with ``L[i, k] = ((i - mean(i)) tau delta)^k / k!``,
   ``i = 1..embed``, ``k = 0, 1, 2``: the columns are the level (the GLLA estimate, not
   the raw value), the first and the second derivative;
4. one regression without intercept over both partners' rows, with partner-specific
   coefficients: the second derivative on own level, own first derivative, partner
   level and partner first derivative (8 coefficients); ``(tau, embed)`` with the
   largest adjusted R² (uncentred, ``summary.lm``'s convention) is kept, the first in
   rties' order (taus vary fastest) on ties.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np

from dyadmodel.fit._lm import LinearFit, least_squares

__all__ = ["detrend", "glla_derivatives", "glla_embed", "glla_weights"]


@lru_cache(maxsize=256)
def _weights(embed: int, tau: int, delta: float, order: int) -> np.ndarray:
    i = np.arange(1, embed + 1, dtype=float)
    s = (i - i.mean()) * tau * delta
    L = np.column_stack([s**k / math.factorial(k) for k in range(order + 1)])
    W = L @ np.linalg.inv(L.T @ L)
    W.setflags(write=False)
    return W


def glla_weights(embed: int, tau: int, delta: float = 1.0, order: int = 2) -> np.ndarray:
    """The GLLA matrix ``W = L (L^T L)^-1``, shape ``(embed, order + 1)``.

    ``L[i, k] = ((i - mean(i)) tau delta)^k / k!`` for ``i = 1..embed`` (Boker et al.
    2010; rties' ``gllaWMatrix``). An embedded row times ``W`` gives the level and the
    derivatives at the row's centre.

    Parameters
    ----------
    embed : int
        Embedding dimension (rows of ``W``), at least ``order + 1``.
    tau : int
        Lag between the embedded columns, in samples.
    delta : float, default 1.0
        Time between samples.
    order : int, default 2
        Highest derivative estimated.

    Returns
    -------
    numpy.ndarray
        ``W``, shape ``(embed, order + 1)``.

    Examples
    --------
    >>> glla_weights(3, 1).round(12) + 0.0
    array([[ 0. , -0.5,  1. ],
           [ 1. ,  0. , -2. ],
           [ 0. ,  0.5,  1. ]])
    """
    return _weights(int(embed), int(tau), float(delta), int(order))


def glla_embed(series: np.ndarray, embed: int, tau: int) -> np.ndarray:
    """Time-delay embedding: row ``r`` is ``series[r + j tau]``, ``j = 0..embed-1``;
    ``len(series) - (embed - 1) tau`` rows (none when the series is shorter).

    Parameters
    ----------
    series : array_like
        One person's series, shape ``(n,)``.
    embed : int
        Columns of the embedding.
    tau : int
        Lag between the columns, in samples.

    Returns
    -------
    numpy.ndarray
        Shape ``(n - (embed - 1) tau, embed)``.

    Examples
    --------
    >>> glla_embed(np.arange(6.0), 3, 2)
    array([[0., 2., 4.],
           [1., 3., 5.]])
    """
    series = np.asarray(series, dtype=float)
    n_rows = series.size - (embed - 1) * tau
    if n_rows <= 0:
        return np.empty((0, embed))
    index = np.arange(n_rows)[:, None] + tau * np.arange(embed)[None, :]
    return series[index]


def glla_derivatives(
    series: np.ndarray, embed: int, tau: int, delta: float = 1.0, order: int = 2
) -> np.ndarray:
    """GLLA estimates ``(level, first derivative, second derivative, ...)`` per embedded
    row, shape ``(len(series) - (embed - 1) tau, order + 1)``.

    Parameters
    ----------
    series : array_like
        One person's series, shape ``(n,)``.
    embed : int
        Embedding dimension.
    tau : int
        Lag between the embedded columns, in samples.
    delta : float, default 1.0
        Time between samples.
    order : int, default 2
        Highest derivative estimated.

    Returns
    -------
    numpy.ndarray
        Shape ``(n - (embed - 1) tau, order + 1)``: the level and the derivatives at
        each embedded row's centre.

    Examples
    --------
    Exact for polynomials up to degree ``order``:

    >>> t = np.arange(8.0)
    >>> glla_derivatives(t**2, embed=4, tau=1)[0].round(12) + 0.0  # at t = 1.5
    array([2.25, 3.  , 2.  ])
    """
    return glla_embed(series, embed, tau) @ glla_weights(embed, tau, delta, order)


def detrend(time: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Residuals of an OLS line (intercept and slope on ``time``) fitted to the finite
    ``values``; NaN stays NaN (R's ``resid(lm(obs ~ time, na.action = na.exclude))``).

    Parameters
    ----------
    time : array_like
        Time points, shape ``(n,)``.
    values : array_like
        Observations, shape ``(n,)``; NaN where missing.

    Returns
    -------
    numpy.ndarray
        The residuals, shape ``(n,)``, NaN where ``values`` is.

    Examples
    --------
    >>> detrend(np.arange(4.0), np.array([1.0, 3.0, np.nan, 7.0])).round(12) + 0.0
    array([ 0.,  0., nan,  0.])
    """
    time = np.asarray(time, dtype=float)
    values = np.asarray(values, dtype=float)
    out = np.full(values.shape, np.nan)
    ok = np.isfinite(values)
    if not ok.any():
        return out
    t, v = time[ok], values[ok]
    centred_t = t - t.mean()
    spread = float(centred_t @ centred_t)
    centred_v = v - v.mean()
    slope = float(centred_t @ centred_v) / spread if spread > 0 else 0.0  # one point: no slope
    out[ok] = centred_v - slope * centred_t
    return out


def coupled_design(
    x: np.ndarray, y: np.ndarray, embed: int, tau: int, delta: float, coupled: bool = True
) -> tuple[np.ndarray, np.ndarray]:
    """Design matrix and response of the joint coupled-oscillator regression.

    Rows: partner 1's embedded rows, then partner 2's. Columns (coupled): partner 1's
    own level, own first derivative, partner level, partner first derivative, then the
    same four for partner 2 (zero on the other partner's rows); uncoupled: the own
    level and first derivative of each partner (4 columns). Response: the second
    derivative.
    """
    dx = glla_derivatives(x, embed, tau, delta)
    dy = glla_derivatives(y, embed, tau, delta)
    m = dx.shape[0]
    zeros = np.zeros((m, 4 if coupled else 2))
    if coupled:
        own_x = np.column_stack([dx[:, 0], dx[:, 1], dy[:, 0], dy[:, 1]])
        own_y = np.column_stack([dy[:, 0], dy[:, 1], dx[:, 0], dx[:, 1]])
    else:
        own_x = dx[:, :2]
        own_y = dy[:, :2]
    X = np.vstack([np.hstack([own_x, zeros]), np.hstack([zeros, own_y])])
    response = np.concatenate([dx[:, 2], dy[:, 2]])
    return X, response


def coupled_fit(
    x: np.ndarray, y: np.ndarray, embed: int, tau: int, delta: float, coupled: bool = True
) -> LinearFit:
    """The joint regression of `coupled_design`, fitted as R's ``lm`` does."""
    X, response = coupled_design(x, y, embed, tau, delta, coupled)
    return least_squares(X, response)
