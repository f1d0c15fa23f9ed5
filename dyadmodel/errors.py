"""The package's error classes: one family, each message naming the value and what was
expected.

Every error the package raises on purpose derives from `DyadmodelError`. The classes
for bad input also derive from the built-in class a caller would expect (`ValueError`
for a bad value, `TypeError` for a value of the wrong type, `LookupError` for an unknown
name), so code written against the built-ins keeps working::

    DyadmodelError
    ├── InvalidInputError (ValueError)        a value the package cannot use
    │   ├── ParameterError                    a parameter name or value (dyadmodel.model)
    │   ├── ModelDefinitionError              an inconsistent model definition
    │   ├── ToleranceError                    rtol / atol outside the sane range
    │   ├── SpecFileError                     a malformed TOML file (scenario, sweep spec)
    │   └── StoreError                        a sweep store that cannot be used as asked
    ├── InvalidTypeError (TypeError)          an argument of the wrong type
    ├── NotFoundError (LookupError, ValueError)  an unknown model, state, measure, ...
    ├── BudgetExceededError (RuntimeError)    a time or size budget ran out
    └── ComputationError (RuntimeError)       a numerical method could not meet its goal

`BudgetExceededError` is raised only where no honest partial result exists; where one
does (an equilibrium search, a basin map), the result says so instead (``complete`` is
False, a ``status`` field names the budget).

>>> import dyadmodel as dm
>>> err = dm.ParameterError
>>> issubclass(err, dm.errors.DyadmodelError), issubclass(err, ValueError)
(True, True)
"""

from __future__ import annotations

__all__ = [
    "BudgetExceededError",
    "ComputationError",
    "DyadmodelError",
    "InvalidInputError",
    "InvalidTypeError",
    "NotFoundError",
    "SpecFileError",
    "StoreError",
    "ToleranceError",
]


class DyadmodelError(Exception):
    """Base class of every error the package raises on purpose."""


class InvalidInputError(DyadmodelError, ValueError):
    """A value the package cannot use; the message names it and what was expected."""


class InvalidTypeError(DyadmodelError, TypeError):
    """An argument of the wrong type; the message names it and the expected type."""


class NotFoundError(DyadmodelError, LookupError, ValueError):
    """An unknown name (model, state, input, measure, ...); the message lists valid ones."""


class ToleranceError(InvalidInputError):
    """A solver tolerance outside the range in which the result would mean anything."""


class SpecFileError(InvalidInputError):
    """A malformed TOML file: the message names the file, the key, the value and what was
    expected."""


class StoreError(InvalidInputError):
    """A sweep store that cannot be used as asked (it holds another sweep, another sweep
    is writing it, it is damaged, or the path is not a store the package created)."""


class BudgetExceededError(DyadmodelError, RuntimeError):
    """A time or size budget ran out before the work could finish; the message says which
    budget and what to change."""


class ComputationError(DyadmodelError, RuntimeError):
    """A numerical method could not reach its goal (the message names the parameters and
    suggests what to change)."""
