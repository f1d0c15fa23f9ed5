"""Argument checks shared by the analysis and continuation functions.

Each check either returns the value in the form the caller needs or raises one of the
package's error classes (`dyadmodel.errors`) with a message naming the argument, the
value and what was expected, so that no garbage argument reaches numpy or sympy and
comes back as a bare ``ValueError``, ``TypeError``, ``IndexError`` or ``OverflowError``.
"""

from __future__ import annotations

import math
import numbers
from typing import Any

import numpy as np

from dyadmodel.errors import InvalidInputError, InvalidTypeError
from dyadmodel.model import Model

__all__ = ["check_model", "check_name", "check_options", "float_array", "show"]


def show(value: Any, limit: int = 120) -> str:
    """``repr`` of ``value``, shortened for an error message."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def check_model(model: Any, what: str = "model") -> Model:
    """``model`` itself, or `InvalidTypeError` when it is not a `Model`."""
    if not isinstance(model, Model):
        raise InvalidTypeError(
            f"{what} = {show(model)} is a {type(model).__name__}; expected a dyadmodel Model "
            "(e.g. dm.models.get('pursuer-distancer-2d'))"
        )
    return model


def check_name(what: str, value: Any, valid: tuple[str, ...]) -> str:
    """``value`` when it is a string, or `InvalidTypeError` listing the ``valid`` names.

    Membership is left to the caller (which raises its own `NotFoundError` subclass with
    a hint); this only keeps unhashable or non-string values out of dictionary look-ups.
    """
    if not isinstance(value, str):
        raise InvalidTypeError(
            f"{what} = {show(value)} is a {type(value).__name__}; expected a name, one of: "
            f"{', '.join(valid)}"
        )
    return value


def float_array(what: str, value: Any, shape: tuple[int, ...] | None = None) -> np.ndarray:
    """``value`` as a finite float array (of ``shape`` when given), or `InvalidInputError`."""
    if isinstance(value, (str, bytes)):
        raise InvalidInputError(f"{what} = {show(value)} is text; expected an array of numbers")
    try:
        arr = np.array(value, dtype=float)
    except (TypeError, ValueError, OverflowError):
        raise InvalidInputError(
            f"{what} = {show(value)} is not an array of real numbers"
            + (f" of shape {shape}" if shape is not None else "")
        ) from None
    if shape is not None and arr.shape != shape:
        raise InvalidInputError(
            f"{what} = {show(value)} has shape {arr.shape}; expected shape {shape}"
        )
    if not np.all(np.isfinite(arr)):
        raise InvalidInputError(f"{what} = {show(value)} is not finite")
    return arr


def positive_real(what: str, value: Any) -> float:
    """``value`` as a positive finite float, or `InvalidInputError`."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise InvalidInputError(
            f"{what} = {show(value)} is a {type(value).__name__}; expected a positive number"
        )
    try:
        v = float(value)
    except OverflowError:
        v = math.inf
    if not math.isfinite(v) or v <= 0:
        raise InvalidInputError(f"{what} = {show(value)}; expected a positive finite number")
    return v


def check_positive_fields(owner: str, obj: Any, names: tuple[str, ...]) -> None:
    """`InvalidInputError` unless each attribute ``names`` of ``obj`` (an options
    dataclass called ``owner``) is a positive finite real number (not a bool)."""
    for name in names:
        v = getattr(obj, name)
        if (
            isinstance(v, bool)
            or not isinstance(v, numbers.Real)
            or not (math.isfinite(v) and v > 0)
        ):
            raise InvalidInputError(
                f"{owner}.{name} = {show(v)}; expected a positive finite number"
            )


def check_int_fields(owner: str, obj: Any, ranges: tuple[tuple[str, int, int], ...]) -> None:
    """`InvalidInputError` unless each attribute ``name`` of ``obj`` (an options
    dataclass called ``owner``) is an integer (not a bool) in ``[least, most]``, for
    each ``(name, least, most)`` of ``ranges``."""
    for name, least, most in ranges:
        v = getattr(obj, name)
        if isinstance(v, bool) or not isinstance(v, numbers.Integral) or not least <= v <= most:
            raise InvalidInputError(
                f"{owner}.{name} = {show(v)}; expected an integer in [{least}, {most}]"
            )


def check_options(value: Any, cls: type, what: str = "options"):
    """``value`` if it is a ``cls`` instance, ``cls()`` (the defaults) for None; anything
    else is refused with `InvalidTypeError` (``options or Defaults()`` would call numpy's
    truth value on an array, or silently use the defaults for ``0`` or ``""``)."""
    if value is None:
        return cls()
    if not isinstance(value, cls):
        raise InvalidTypeError(
            f"{what} = {show(value)} is a {type(value).__name__}; expected a {cls.__name__} "
            f"(or None for the defaults: {cls()!r})"
        )
    return value
