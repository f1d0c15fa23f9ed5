"""Validation shared by stress inputs, interventions, events and scenario files.

Every check raises `SpecError`, which names the field, the bad value and what was
expected; `dyadmodel.simulate._scenario` turns it into a `ScenarioError` with the key path
in the file (``stress[1].duration``).
"""

from __future__ import annotations

import math
import numbers
from typing import Any

from dyadmodel.errors import InvalidInputError

__all__ = ["SpecError", "check_int", "check_real", "show"]


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
    text = repr(value)
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
    v = float(value)
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
