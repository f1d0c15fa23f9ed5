"""Criticality of Hopf points: the first Lyapunov coefficient `first_lyapunov`.

At a Hopf point the Jacobian ``A`` has a pair ``+-i omega`` and the equilibrium's
centre manifold carries the normal form ``z' = (beta + i omega) z + c1 z |z|^2 + ...``.
The first Lyapunov coefficient ``l1 = Re c1 / omega`` decides what is born:

- ``l1 < 0``, **supercritical**: a small stable cycle grows out of the equilibrium as it
  loses stability (a soft onset of oscillation, amplitude ~ sqrt(distance));
- ``l1 > 0``, **subcritical**: an unstable cycle shrinks onto the equilibrium, which
  then loses stability with nothing small to go to (a jump, usually with hysteresis);
- ``l1 = 0``: degenerate, e.g. a Bautin (generalized Hopf) point, where a fold of
  cycles starts.

Method (Kuznetsov 2004, Elements of Applied Bifurcation Theory, 3rd ed., eq. (3.20)
and section 10.2, the projection formula valid in any dimension): with ``A q = i omega
q``, ``A^T p = -i omega p``, ``<p, q> = conj(p) . q = 1`` and the multilinear forms
``B``, ``C`` of the second and third derivatives of the right-hand side at the
equilibrium,

    l1 = 1 / (2 omega) Re[ <p, C(q, q, conj q)> - 2 <p, B(q, A^{-1} B(q, conj q))>
                           + <p, B(conj q, (2 i omega I - A)^{-1} B(q, q))> ].

``B`` and ``C`` are exact: the model's right-hand side is differentiated symbolically
once per model (cached) and compiled with `sympy.lambdify`.

Normalisation. The value of ``l1`` (not its sign) depends on the length of ``q``. Here
``<q, q> = 1/2``, so that the real coordinates ``x = z q + conj(z q)`` give a cycle whose
root-mean-square distance from the equilibrium is ``|z|``: near the Hopf point the
cycle's RMS radius (in the state's units) is ``sqrt(-Re lambda / (omega l1))``, where
``Re lambda`` is the real part of the critical pair (``r' = Re(lambda) r + omega l1 r^3``
in ``r = |z|``). With this choice the planar normal
form ``x' = a x - w y + s x (x^2 + y^2)``, ``y' = w x + a y + s y (x^2 + y^2)`` has
``l1 = s / w`` exactly as in Kuznetsov's Theorem 3.3 (``z = x + i y``), and the Liénard
form of van der Pol, ``x' = y``, ``y' = (mu - x^2) y - x``, has ``l1 = -1/8`` at
``mu = 0`` (cycle amplitude ``2 sqrt(mu)``; Guckenheimer & Holmes 1983, section 3.4;
Strogatz 2015, section 7.6). MatCont normalises ``<q, q> = 1``, which doubles ``l1``.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
import weakref
from collections.abc import Mapping
from typing import Any

import numpy as np
import sympy as sp

from dyadmodel.analysis._checks import check_model
from dyadmodel.errors import InvalidInputError
from dyadmodel.model import Model, ParameterSet

__all__ = ["DEGENERATE_RTOL", "HopfCriticality", "first_lyapunov"]

#: ``|l1|`` at most this times the sum of the magnitudes of the three terms of the
#: formula (the scale ``l1`` is computed from) is reported as 'degenerate': below it the
#: sign is not resolved by double-precision arithmetic and a Hopf point located to
#: ~1e-10 in its parameter.
DEGENERATE_RTOL = 1e-7

CRITICALITY_MEANING = {
    "supercritical": "a small stable cycle is born: the couple starts to oscillate softly",
    "subcritical": "an unstable cycle shrinks onto the steady state: the couple jumps "
    "to a distant state (hysteresis)",
    "degenerate": "first Lyapunov coefficient zero: a Bautin point, where a fold of "
    "cycles starts, is near",
    "undetermined": "the first Lyapunov coefficient could not be computed",
}


@dataclasses.dataclass(frozen=True)
class HopfCriticality:
    """The first Lyapunov coefficient at a Hopf point.

    Attributes
    ----------
    first_lyapunov : float
        ``l1`` with ``<q, q> = 1/2`` (see the module notes); nan when undetermined.
    criticality : {'supercritical', 'subcritical', 'degenerate', 'undetermined'}
    frequency : float
        ``omega``, the imaginary part of the critical pair.
    scale : float
        The sum of the magnitudes of the formula's three terms over ``2 omega``: ``l1``
        is 'degenerate' when ``|l1| <= DEGENERATE_RTOL * scale``.

    See Also
    --------
    first_lyapunov : Computes it at a Hopf point.

    Notes
    -----
    The value of ``l1`` depends on the normalisation of the critical eigenvector (here
    ``<q, q> = 1/2``, half of MatCont's value); its sign does not. ``frequency`` and
    ``scale`` are nan when there is no complex pair (criticality 'undetermined').

    Examples
    --------
    The Liénard form of van der Pol's oscillator at ``mu = 0`` has ``l1 = -1/8``: a
    stable cycle is born as ``mu`` turns positive.

    >>> import dyadmodel as dm
    >>> from dyadmodel.continuation import first_lyapunov
    >>> vdp = dm.Model.from_equations({"x": "y", "y": "(mu - x**2)*y - x"}, {"mu": 0.0})
    >>> h = first_lyapunov(vdp, None, [0.0, 0.0])
    >>> h.criticality, round(h.first_lyapunov, 12), round(h.frequency, 12)
    ('supercritical', -0.125, 1.0)
    >>> h.meaning
    'a small stable cycle is born: the couple starts to oscillate softly'
    """

    first_lyapunov: float
    criticality: str
    frequency: float
    scale: float

    @property
    def meaning(self) -> str:
        """The criticality in the couple's vocabulary."""
        return CRITICALITY_MEANING[self.criticality]

    def amplitude(self, real_part: float) -> float:
        """Predicted RMS radius ``sqrt(-real_part / (omega l1))`` of the cycle where the
        critical pair has real part ``real_part`` (nan where no small cycle exists).

        The leading term as ``real_part -> 0``: for the synergic couple in alpha1 the
        RMS radius of the cycle computed by shooting is 0.987, 0.9986, 0.99986 and
        1.0001 times this at ``real_part`` = 1e-4, 1e-5, 1e-6 and 1e-7 (measured).

        Parameters
        ----------
        real_part : float
            The real part of the critical eigenvalue pair at the parameter values of
            interest near the Hopf point (not a parameter distance: for a parameter
            ``mu`` it is about ``(d Re lambda / d mu) (mu - mu_Hopf)``), in the model's
            inverse time units.

        Returns
        -------
        float
            The root-mean-square distance of the predicted cycle from the equilibrium,
            over one period, in the units of the states (the Euclidean norm over all
            states, so it mixes their units). A supercritical point (``l1 < 0``) has
            its stable cycle where ``real_part > 0`` (the equilibrium unstable), a
            subcritical one (``l1 > 0``) its unstable cycle where ``real_part < 0``;
            on the other side the result is nan, and so it is when ``l1`` is nan or 0
            ('undetermined', or 'degenerate' with ``l1`` exactly zero, e.g. a linear
            model: the cubic term predicts no cycle). The prediction holds only as
            ``real_part -> 0``.

        Examples
        --------
        Van der Pol's oscillator ``x' = y``, ``y' = (mu - x^2) y - x`` has the critical
        pair ``mu/2 +- i sqrt(1 - mu^2/4)`` and a cycle of RMS radius ``2 sqrt(mu)``
        near ``mu = 0``; at ``mu = 0.01`` (``real_part = 0.005``) that is 0.2:

        >>> import dyadmodel as dm
        >>> from dyadmodel.continuation import first_lyapunov
        >>> vdp = dm.Model.from_equations({"x": "y", "y": "(mu - x**2)*y - x"}, {"mu": 0.0})
        >>> h = first_lyapunov(vdp, None, [0.0, 0.0])
        >>> round(h.amplitude(0.005), 6)
        0.2
        >>> h.amplitude(-0.005)  # a stable equilibrium: no small cycle around it
        nan
        """
        r = -float(real_part) / (self.frequency * self.first_lyapunov or math.nan)
        return math.sqrt(r) if r >= 0 else math.nan


class _Derivatives:
    """Second and third state derivatives of a model's right-hand side, compiled
    (symmetric tensors; only the entries with ``j <= k (<= l)`` are differentiated)."""

    def __init__(self, model: Model) -> None:
        xs = model.state_symbols
        n = self.n = len(xs)
        jac = model.jacobian_expr
        self.second_index, second = [], []
        d2 = {}
        for i in range(n):
            for j in range(n):
                for k in range(j, n):
                    e = d2[i, j, k] = sp.diff(jac[i, j], xs[k])
                    if e != 0:
                        self.second_index.append((i, j, k))
                        second.append(e)
        self.third_index, third = [], []
        for i, j, k in d2:
            for m in range(k, n):
                e = sp.diff(d2[i, j, k], xs[m]) if d2[i, j, k] != 0 else 0
                if e != 0:
                    self.third_index.append((i, j, k, m))
                    third.append(e)
        args = model.all_symbols
        self._second = sp.lambdify(args, second, "numpy", cse=True) if second else None
        self._third = sp.lambdify(args, third, "numpy", cse=True) if third else None

    def tensors(self, x, pv, uv) -> tuple[np.ndarray, np.ndarray]:
        n = self.n
        H = np.zeros((n, n, n))
        T = np.zeros((n, n, n, n))
        if self._second is not None:
            vals = np.array(self._second(*x, *pv, *uv), dtype=float).ravel()
            for (i, j, k), v in zip(self.second_index, vals):
                H[i, j, k] = H[i, k, j] = v
        if self._third is not None:
            vals = np.array(self._third(*x, *pv, *uv), dtype=float).ravel()
            for (i, *jkl), v in zip(self.third_index, vals):
                for perm in set(itertools.permutations(jkl)):
                    T[(i, *perm)] = v
        return H, T


_DERIVATIVES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def derivatives(model: Model) -> _Derivatives:
    """The compiled derivative tensors of ``model`` (built once, cached weakly)."""
    try:
        return _DERIVATIVES[model]
    except KeyError:
        d = _DERIVATIVES[model] = _Derivatives(model)
        return d


def criticality_of(l1: float, scale: float) -> str:
    if not math.isfinite(l1):
        return "undetermined"
    if scale == 0 or abs(l1) <= DEGENERATE_RTOL * scale:
        return "degenerate"
    return "supercritical" if l1 < 0 else "subcritical"


_UNDETERMINED = HopfCriticality(math.nan, "undetermined", math.nan, math.nan)


def lyapunov_at(model: Model, x, pv, uv) -> HopfCriticality:
    """`HopfCriticality` at state ``x`` with parameter and input vectors ``pv``, ``uv``
    (no checks: the continuation's internal entry point)."""
    x = np.asarray(x, dtype=float)
    n = len(x)
    A = np.array(model._jac_fn(*x, *pv, *uv), dtype=float).reshape(n, n)
    if n < 2 or not np.all(np.isfinite(A)):
        return _UNDETERMINED
    lam, V = np.linalg.eig(A)
    upper = np.nonzero(lam.imag > 0)[0]
    if len(upper) == 0:
        return _UNDETERMINED
    i = upper[np.argmin(np.abs(lam[upper].real))]
    omega = float(lam[i].imag)
    lam_t, W = np.linalg.eig(A.T)
    q = V[:, i] / (np.linalg.norm(V[:, i]) * math.sqrt(2.0))  # <q, q> = 1/2
    p = W[:, np.argmin(np.abs(lam_t - np.conj(lam[i])))]
    pq = np.vdot(p, q)
    if abs(pq) < 1e-12 * np.linalg.norm(p):  # a Jordan block: not a simple pair
        return _UNDETERMINED
    p = p / np.conj(pq)  # <p, q> = 1
    H, T = derivatives(model).tensors(x, pv, uv)

    def B(u, v):
        return np.einsum("ijk,j,k->i", H, u, v)

    qb = np.conj(q)
    try:
        with np.errstate(all="ignore"):
            s = np.linalg.solve(A, B(q, qb))
            r = np.linalg.solve(2j * omega * np.eye(n) - A, B(q, q))
    except np.linalg.LinAlgError:  # a zero eigenvalue too (fold-Hopf)
        return HopfCriticality(math.nan, "undetermined", omega, math.nan)
    terms = (
        np.vdot(p, np.einsum("ijkl,j,k,l->i", T, q, q, qb)),
        -2.0 * np.vdot(p, B(q, s)),
        np.vdot(p, B(qb, r)),
    )
    l1 = float(sum(terms).real) / (2.0 * omega)
    scale = float(sum(abs(t) for t in terms)) / (2.0 * omega)
    if not (math.isfinite(l1) and math.isfinite(scale)):
        return HopfCriticality(math.nan, "undetermined", omega, math.nan)
    return HopfCriticality(l1, criticality_of(l1, scale), omega, scale)


def first_lyapunov(
    model: Model,
    params: ParameterSet | Mapping[str, Any] | None,
    state,
    *,
    inputs: Mapping[str, float] | float | None = None,
) -> HopfCriticality:
    """The first Lyapunov coefficient of ``model`` at a Hopf point.

    Parameters
    ----------
    model : Model
        The model.
    params : ParameterSet or mapping or None
        The parameters at the Hopf point (defaults when None).
    state : array_like, shape (n_states,)
        The equilibrium at the Hopf point (e.g. ``SpecialPoint.state``).
    inputs : mapping or float, optional
        Constant input values.

    Returns
    -------
    HopfCriticality
        ``l1`` and 'supercritical' (``l1 < 0``), 'subcritical' (``l1 > 0``),
        'degenerate' (``|l1|`` within `DEGENERATE_RTOL` of the scale of its terms) or
        'undetermined' (no complex pair, or a zero eigenvalue as well).

    Raises
    ------
    InvalidInputError
        For an argument with an invalid value (the message says which and why).

    Notes
    -----
    The point should be a Hopf point: the critical pair is the complex pair nearest
    the imaginary axis, and its real part is ignored. The formula and the
    normalisation ``<q, q> = 1/2`` are in `dyadmodel.continuation._lyapunov`.
    `continuation` fills ``SpecialPoint.first_lyapunov`` and ``criticality`` with it.

    Examples
    --------
    >>> import dyadmodel as dm
    >>> from dyadmodel.continuation import first_lyapunov
    >>> vdp = dm.Model.from_equations({"x": "y", "y": "(mu - x**2)*y - x"}, {"mu": 0.0})
    >>> h = first_lyapunov(vdp, None, [0.0, 0.0])
    >>> round(h.first_lyapunov, 12), h.criticality
    (-0.125, 'supercritical')
    """
    check_model(model)
    p = model.parameter_set(params)
    try:
        x = np.array(state, dtype=float).reshape(-1)
    except (TypeError, ValueError):
        raise InvalidInputError(
            f"state {state!r:.200} is not an array of numbers; expected {model.n_states} "
            f"values ({', '.join(model.state_names)})"
        ) from None
    if x.shape != (model.n_states,) or not np.all(np.isfinite(x)):
        raise InvalidInputError(
            f"state {state!r:.200}: expected {model.n_states} finite values "
            f"({', '.join(model.state_names)})"
        )
    uv = list(model.constant_inputs(inputs, "first_lyapunov").values())
    return lyapunov_at(model, x, p.as_array(), uv)
