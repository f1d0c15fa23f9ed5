"""Validation shared by stress inputs, interventions, events and scenario files.

Every check raises `SpecError`, which names the field, the bad value and what was
expected; `dyadmodel.simulate._scenario` turns it into a `ScenarioError` with the key path
in the file (``stress[1].duration``).
"""

from __future__ import annotations

import math
import numbers
from typing import Any

import numpy as np

from dyadmodel.errors import InvalidInputError, ToleranceError

__all__ = [
    "ATOL_MAX",
    "RTOL_MAX",
    "RTOL_MIN",
    "SpecError",
    "check_int",
    "check_real",
    "check_tolerances",
    "show",
]

RTOL_MIN = 100 * float(np.finfo(float).eps)
"""Smallest relative tolerance accepted (about 2.2e-14): below it the error estimate is
rounding noise (scipy silently raises smaller values to this)."""
RTOL_MAX = 0.1
"""Largest relative tolerance accepted: above it the integrator may report success for
a trajectory that ends far from the true one (rtol = 0.5 ended the flagship's stress
pulse run at 1.45 instead of 0.137)."""
ATOL_MAX = 1.0
"""Largest absolute tolerance accepted: the states of the registered models are of
order 0.1 to 10, so an absolute error of 1 per step is already meaningless."""


class SpecError(InvalidInputError):
    """A bad value for one field of a stress input, an intervention or an event.

    Attributes
    ----------
    field : str
        The field's name (``"duration"``).
    value : object
        The offending value.
    expected : str
        What was expected, in words.
    """

    def __init__(self, owner: str, field: str, value: Any, expected: str) -> None:
        self.owner = owner
        self.field = field
        self.value = value
        self.expected = expected
        super().__init__(f"{owner}: {field} = {show(value)}; expected {expected}")


def show(value: Any) -> str:
    """``repr`` of a value, shortened for error messages."""
    try:
        text = repr(value)
    except (RecursionError, ValueError):  # deeply nested, or an int too long to print
        return f"<{type(value).__name__} too large to show>"
    return text if len(text) <= 60 else text[:57] + "..."


def check_real(
    owner: str,
    field: str,
    value: Any,
    *,
    low: float = -math.inf,
    high: float = math.inf,
    low_inclusive: bool = True,
    allow_inf: bool = False,
    what: str = "",
) -> float:
    """``value`` as a float, or `SpecError` naming ``owner.field``.

    ``what`` adds the meaning to the expectation ("a time", "a stress intensity").
    """
    expected = _expectation(low, high, low_inclusive, allow_inf, what)
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise SpecError(owner, field, value, expected)
    try:
        v = float(value)
    except OverflowError:  # an int beyond the float range
        raise SpecError(owner, field, value, expected) from None
    if math.isnan(v) or (math.isinf(v) and not allow_inf):
        raise SpecError(owner, field, value, expected)
    if v < low or (v == low and not low_inclusive) or v > high:
        raise SpecError(owner, field, value, expected)
    return v


def check_int(owner: str, field: str, value: Any, *, low: int = 1, what: str = "") -> int:
    """``value`` as an int ``>= low``, or `SpecError`."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < low:
        extra = f" ({what})" if what else ""
        raise SpecError(owner, field, value, f"an integer >= {low}{extra}")
    return int(value)


def _expectation(low: float, high: float, low_inclusive: bool, allow_inf: bool, what: str) -> str:
    if low == 0 and not low_inclusive and math.isinf(high):
        text = "a positive number"
    elif low == 0 and math.isinf(high):
        text = "a non-negative number"
    elif math.isinf(low) and math.isinf(high):
        text = "a finite real number" if not allow_inf else "a real number"
    else:
        left = "[" if low_inclusive else "("
        text = f"a number in {left}{low:g}, {high:g}]"
    if not allow_inf and not (math.isinf(low) and math.isinf(high)):
        text = text.replace("a ", "a finite ", 1) if text.startswith("a ") else text
    return f"{text} ({what})" if what else text


def check_tolerances(rtol: Any, atol: Any, n_states: int | None = None) -> tuple[float, Any]:
    """``(rtol, atol)`` as floats (``atol`` a float or a read-only array, one per state),
    or `ToleranceError` stating the accepted range.

    Accepted: ``RTOL_MIN <= rtol <= RTOL_MAX`` (about 2.2e-14 to 0.1) and
    ``0 < atol <= ATOL_MAX`` (1), finite, a number or one per state. Shared by
    `dyadmodel.simulate`, `dyadmodel.ensemble`, `dyadmodel.basins` and scenario files.
    """
    rtol_text = f"rtol in [{RTOL_MIN:.2g}, {RTOL_MAX:g}]"
    if isinstance(rtol, bool) or not isinstance(rtol, numbers.Real):
        raise ToleranceError(f"rtol = {show(rtol)} is not a number; expected {rtol_text}")
    r = float(rtol)
    if not (RTOL_MIN <= r <= RTOL_MAX):
        why = (
            "below it the error estimate is rounding noise"
            if r < RTOL_MIN
            else "a looser tolerance lets the solver report success far from the solution"
            if r > RTOL_MAX
            else "it is not a number"
        )
        raise ToleranceError(f"rtol = {show(rtol)} is out of range; expected {rtol_text} ({why})")
    atol_text = f"atol in (0, {ATOL_MAX:g}]" + (
        f", a number or one per state ({n_states})" if n_states is not None else ""
    )
    if isinstance(atol, bool) or isinstance(atol, str | bytes):
        raise ToleranceError(f"atol = {show(atol)} is not a number; expected {atol_text}")
    try:
        arr = np.array(atol, dtype=float)
    except (TypeError, ValueError, OverflowError):
        raise ToleranceError(f"atol = {show(atol)} is not a number; expected {atol_text}") from None
    if arr.ndim > 1 or (arr.ndim == 1 and (n_states is None or arr.shape != (n_states,))):
        raise ToleranceError(f"atol has shape {arr.shape}; expected {atol_text}")
    with np.errstate(invalid="ignore"):
        bad = ~(np.isfinite(arr) & (arr > 0) & (arr <= ATOL_MAX))
    if np.any(bad):
        raise ToleranceError(f"atol = {show(atol)} is out of range; expected {atol_text}")
    if arr.ndim == 0:
        return r, float(arr)
    arr.setflags(write=False)
    return r, arr
