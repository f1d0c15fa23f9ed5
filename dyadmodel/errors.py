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
    """Base class of every error the package raises on purpose.

    Examples
    --------
    Catch any error the package raises on purpose:

    >>> import dyadmodel as dm
    >>> try:
    ...     dm.models.get("no-such-model")
    ... except dm.DyadmodelError as err:
    ...     print(type(err).__name__)
    ModelNotFoundError
    """


class InvalidInputError(DyadmodelError, ValueError):
    """A value the package cannot use; the message names it and what was expected.

    Examples
    --------
    >>> import dyadmodel as dm
    >>> m = dm.models.get("strogatz-linear")
    >>> try:
    ...     m.rhs([1.0, 2.0, 3.0])
    ... except dm.InvalidInputError as err:
    ...     print(isinstance(err, ValueError), str(err)[:41])
    True state array of shape (3,) does not match
    """


class InvalidTypeError(DyadmodelError, TypeError):
    """An argument of the wrong type; the message names it and the expected type.

    Examples
    --------
    >>> import dyadmodel as dm
    >>> m = dm.models.get("strogatz-linear")
    >>> try:
    ...     m.params([1.0, 2.0])
    ... except dm.InvalidTypeError as err:
    ...     print(isinstance(err, TypeError), str(err)[:39])
    True parameter values [1.0, 2.0] are a list;
    """


class NotFoundError(DyadmodelError, LookupError, ValueError):
    """An unknown name (model, state, input, measure, ...); the message lists valid ones.

    Examples
    --------
    >>> import dyadmodel as dm
    >>> try:
    ...     dm.models.get("strogatz-linear").state_index("Z")
    ... except dm.NotFoundError as err:
    ...     print(err)
    unknown state 'Z' for model 'strogatz-linear'; valid states: R, J
    """


class ToleranceError(InvalidInputError):
    """A solver tolerance outside the range in which the result would mean anything.

    Examples
    --------
    >>> import dyadmodel as dm
    >>> from dyadmodel.analysis import TrajectoryOptions
    >>> try:
    ...     TrajectoryOptions(rtol=0.5)
    ... except dm.ToleranceError as err:
    ...     print(str(err)[:50])
    TrajectoryOptions.rtol = 0.5 is outside [2.22e-14,
    """


class SpecFileError(InvalidInputError):
    """A malformed TOML file: the message names the file, the key, the value and what was
    expected.

    Examples
    --------
    >>> import dyadmodel as dm
    >>> from dyadmodel.errors import SpecFileError
    >>> try:
    ...     dm.models.loads("[model")
    ... except SpecFileError as err:
    ...     print(str(err)[:24])
    <string>: not valid TOML
    """


class StoreError(InvalidInputError):
    """A sweep store that cannot be used as asked (it holds another sweep, another sweep
    is writing it, it is damaged, or the path is not a store the package created).

    Examples
    --------
    >>> import tempfile
    >>> import dyadmodel as dm
    >>> try:
    ...     dm.open_sweep(tempfile.mkdtemp())
    ... except dm.StoreError as err:
    ...     print(type(err).__name__, "is not a dyadmodel sweep store" in str(err))
    SweepSpecError True
    """


class BudgetExceededError(DyadmodelError, RuntimeError):
    """A time or size budget ran out before the work could finish; the message says which
    budget and what to change.

    Examples
    --------
    >>> import dyadmodel as dm
    >>> m = dm.models.get("pursuer-distancer-2d")
    >>> try:
    ...     dm.simulate_sde(m, m.params(), [0.1, 0.1], (0, 1000), noise=0.1, n_paths=10**6)
    ... except dm.BudgetExceededError as err:
    ...     print(str(err)[:40])
    simulate_sde: 1e+05 steps x 1000000 path
    """


class ComputationError(DyadmodelError, RuntimeError):
    """A numerical method could not reach its goal (the message names the parameters and
    suggests what to change).

    Examples
    --------
    A stable linear system has no periodic orbit to find:

    >>> import dyadmodel as dm
    >>> m = dm.models.get("strogatz-linear")
    >>> try:
    ...     dm.limit_cycle(m, m.params(a=-1.0, b=0.0, c=0.0, d=-1.0), [1.0, 1.0])
    ... except dm.ComputationError as err:
    ...     print(type(err).__name__)
    LimitCycleError
    """
