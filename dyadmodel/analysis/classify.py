"""Classification of equilibria from the eigenvalues of the Jacobian.

Never compares floats with ``==``: an eigenvalue counts as neutral when its real part
is within ``tol`` of zero, where ``tol = atol + rtol * max(1, max |lambda|)``
(`ClassifyOptions`), and two eigenvalues count as equal within the same tolerance.
When the numbers cannot decide, the verdict says so ("non-hyperbolic", "centre")
instead of guessing.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from dyadmodel.analysis._checks import float_array, show
from dyadmodel.errors import InvalidInputError, InvalidTypeError

__all__ = ["Classification", "ClassifyOptions", "classify"]


@dataclasses.dataclass(frozen=True)
class ClassifyOptions:
    """Tolerances of the classification.

    Attributes
    ----------
    rtol : float
        Relative tolerance on real parts and on eigenvalue coincidence, relative to the
        spectral scale ``max(1, max |lambda|)``. The default is far above the rounding
        error of eigenvalues of a well-scaled Jacobian (~1e-15) and far below any
        distinction a model user draws.
    atol : float
        Absolute floor.

    Raises
    ------
    InvalidInputError
        For an argument with an invalid value (the message names it and what was expected).

    Examples
    --------
    >>> from dyadmodel.analysis import ClassifyOptions, classify
    >>> classify([1e-9, -1.0]).kind, classify([1e-9, -1.0], ClassifyOptions(rtol=1e-12)).kind
    ('non-hyperbolic', 'saddle')
    """

    rtol: float = 1e-8
    atol: float = 1e-12

    def __post_init__(self) -> None:
        for name in ("rtol", "atol"):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, (int, float)) or not 0 <= v < 1:
                raise InvalidInputError(
                    f"ClassifyOptions.{name} = {show(v)}; expected a number in [0, 1)"
                )

    def tolerance(self, eigenvalues: np.ndarray) -> float:
        """The tolerance on real parts for these eigenvalues.

        Parameters
        ----------
        eigenvalues : numpy.ndarray
            The eigenvalues being classified (they set the spectral scale).

        Returns
        -------
        float
            ``atol + rtol * max(1, max |lambda|)``: real parts within it count as zero.

        Examples
        --------
        >>> import numpy as np
        >>> from dyadmodel.analysis import ClassifyOptions
        >>> ClassifyOptions(rtol=1e-8, atol=0.0).tolerance(np.array([-100.0, -1.0]))
        1e-06
        """
        scale = max(1.0, float(np.max(np.abs(eigenvalues)))) if len(eigenvalues) else 1.0
        return self.atol + self.rtol * scale


@dataclasses.dataclass(frozen=True)
class Classification:
    """The kind, stability and the counts of stable/unstable/neutral directions.

    Attributes
    ----------
    kind : str
        'stable node', 'saddle', 'centre', 'non-hyperbolic'... (see `classify`).
    stable : bool or None
        True when every eigenvalue has a negative real part, False when one is positive,
        None when undecided by linearisation (a neutral direction).
    n_stable, n_unstable, n_neutral : int
        Eigenvalues with negative, positive and (within tolerance) zero real part.

    Examples
    --------
    >>> from dyadmodel.analysis import classify
    >>> classify([-1.0, 2.0])
    Classification(kind='saddle', stable=False, n_stable=1, n_unstable=1, n_neutral=0)
    """

    kind: str
    stable: bool | None
    n_stable: int
    n_unstable: int
    n_neutral: int


def classify(eigenvalues, options: ClassifyOptions | None = None, jacobian=None) -> Classification:
    """Classify an equilibrium from its Jacobian eigenvalues.

    Kinds for two states follow the trace-determinant plane: 'stable node',
    'unstable node', 'saddle', 'stable focus', 'unstable focus'; on its borderlines
    'stable degenerate node' / 'unstable degenerate node' (repeated eigenvalue: the
    node-focus boundary, stars included), 'centre' (purely imaginary pair: a true
    centre for linear models, undecided between centre and weak focus for nonlinear
    ones), and 'non-hyperbolic' (a zero eigenvalue, or any other neutral direction).
    For more states: 'stable node'/'stable focus' (all directions stable; focus when
    there are complex eigenvalues), the unstable counterparts, 'saddle' or
    'saddle-focus' (both signs present; focus when complex), or 'non-hyperbolic'.

    Parameters
    ----------
    eigenvalues : array_like of complex
        Eigenvalues of the Jacobian at the equilibrium.
    options : ClassifyOptions, optional
        Options (see `ClassifyOptions`); its defaults when omitted.
    jacobian : array_like (2, 2), optional
        For two states, the Jacobian itself: the verdict then follows the trace and
        determinant computed from its entries, which are far better conditioned on the
        borderlines (a defective double eigenvalue is only known to ~sqrt(eps)).

    Returns
    -------
    Classification
        The kind, stability and the counts of stable, unstable and neutral directions.

    Raises
    ------
    InvalidInputError
        For an argument with an invalid value (the message names it and what was expected).
    InvalidTypeError
        For an argument of the wrong type.

    Examples
    --------
    >>> classify([-1.0, -2.0]).kind
    'stable node'
    >>> classify([1j, -1j]).kind, classify([1j, -1j]).stable is None
    ('centre', True)
    >>> classify([1e-14, -1.0]).kind
    'non-hyperbolic'
    """
    lam = _eigenvalue_array(eigenvalues)
    opts = ClassifyOptions() if options is None else options
    if not isinstance(opts, ClassifyOptions):
        raise InvalidTypeError(
            f"options = {show(opts)} is a {type(opts).__name__}; expected ClassifyOptions"
        )
    if jacobian is not None and lam.size == 2:
        return _classify_trace_det(float_array("jacobian", jacobian, (2, 2)), opts)
    tol = opts.tolerance(lam)
    re, im = lam.real, lam.imag
    n_stable = int(np.sum(re < -tol))
    n_unstable = int(np.sum(re > tol))
    n_neutral = lam.size - n_stable - n_unstable
    complex_present = bool(np.any(np.abs(im) > tol))
    if n_unstable > 0:
        stable: bool | None = False
    elif n_neutral > 0:
        stable = None
    else:
        stable = True

    if n_neutral > 0:
        neutral = lam[np.abs(re) <= tol]
        if lam.size == 2 and n_neutral == 2 and np.all(np.abs(neutral.imag) > tol):
            kind = "centre"
        else:
            kind = "non-hyperbolic"
        return Classification(kind, stable, n_stable, n_unstable, n_neutral)

    if lam.size == 2:
        if n_stable == 1 and n_unstable == 1:
            kind = "saddle"
        else:
            sign = "stable" if n_stable == 2 else "unstable"
            if complex_present:
                kind = f"{sign} focus"
            elif abs(lam[0] - lam[1]) <= tol:
                kind = f"{sign} degenerate node"
            else:
                kind = f"{sign} node"
        return Classification(kind, stable, n_stable, n_unstable, n_neutral)

    shape = "focus" if complex_present else "node"
    if n_unstable == 0:
        kind = f"stable {shape}"
    elif n_stable == 0:
        kind = f"unstable {shape}"
    else:
        kind = "saddle-focus" if complex_present else "saddle"
    return Classification(kind, stable, n_stable, n_unstable, n_neutral)


def _eigenvalue_array(eigenvalues) -> np.ndarray:
    if isinstance(eigenvalues, (str, bytes, dict)):
        raise InvalidInputError(
            f"eigenvalues = {show(eigenvalues)} is a {type(eigenvalues).__name__}; expected "
            "an array of (complex) numbers"
        )
    try:
        lam = np.asarray(eigenvalues, dtype=complex).ravel()
    except (TypeError, ValueError, OverflowError):
        raise InvalidInputError(
            f"eigenvalues = {show(eigenvalues)} is not an array of (complex) numbers"
        ) from None
    if lam.size == 0 or not np.all(np.isfinite(lam)):
        raise InvalidInputError(
            f"eigenvalues = {show(eigenvalues)}; expected at least one finite (complex) number"
        )
    return lam


def _classify_trace_det(J: np.ndarray, opts: ClassifyOptions) -> Classification:
    """Two states: the trace-determinant plane with tolerances scaled to |J|."""
    scale = max(1.0, float(np.max(np.abs(J))))
    tol1 = opts.atol + opts.rtol * scale
    tol2 = opts.atol + opts.rtol * scale**2
    tau = float(J[0, 0] + J[1, 1])
    delta = float(J[0, 0] * J[1, 1] - J[0, 1] * J[1, 0])
    disc = tau * tau - 4.0 * delta
    if abs(delta) <= tol2:
        # one zero eigenvalue; the other is tau
        if tau < -tol1:
            return Classification("non-hyperbolic", None, 1, 0, 1)
        if tau > tol1:
            return Classification("non-hyperbolic", False, 0, 1, 1)
        return Classification("non-hyperbolic", None, 0, 0, 2)
    if delta < 0:
        return Classification("saddle", False, 1, 1, 0)
    if abs(tau) <= tol1:
        return Classification("centre", None, 0, 0, 2)
    sign, stable = ("stable", True) if tau < 0 else ("unstable", False)
    counts = (2, 0, 0) if stable else (0, 2, 0)
    if abs(disc) <= tol2:
        shape = "degenerate node"
    elif disc > 0:
        shape = "node"
    else:
        shape = "focus"
    return Classification(f"{sign} {shape}", stable, *counts)
