"""The model library: every named model, created on demand and cached.

>>> import dyadmodel as dm
>>> "pursuer-distancer-2d" in dm.models.names()
True
>>> dm.models.get("pursuer-distancer-2d").state_names
('pursuit_1', 'distance_2')
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Callable

from dyadmodel.errors import NotFoundError
from dyadmodel.model import Model

__all__ = ["ModelNotFoundError", "get", "names", "register"]

_FACTORIES: dict[str, Callable[..., Model]] = {}


class ModelNotFoundError(NotFoundError):
    """A model name that is not in the registry."""


def register(name: str) -> Callable[[Callable[..., Model]], Callable[..., Model]]:
    """Decorator registering a model factory under ``name``.

    The factory takes only keyword-only structural options (e.g. the Hill exponent)
    and returns a `Model` whose ``name`` equals ``name``.
    """

    def deco(factory: Callable[..., Model]) -> Callable[..., Model]:
        if name in _FACTORIES:
            raise ValueError(f"model name {name!r} registered twice")
        _FACTORIES[name] = factory
        return factory

    return deco


def names() -> tuple[str, ...]:
    """All registered model names: the flagship models first, then the literature."""
    return tuple(_FACTORIES)


@functools.cache
def get(name: str, **options: object) -> Model:
    """The model called ``name`` (built once per set of structural ``options``).

    Raises
    ------
    ModelNotFoundError
        If no model has that name; the message lists the registered names.
    """
    try:
        factory = _FACTORIES[name]
    except KeyError:
        close = difflib.get_close_matches(str(name), _FACTORIES, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise ModelNotFoundError(
            f"unknown model {name!r}{hint}; registered models: {', '.join(_FACTORIES)}"
        ) from None
    return factory(**options)


# Registration order is the order of `names()`: flagship models first.
from dyadmodel.models import pursuer_distancer as _pursuer_distancer  # noqa: E402, F401

# isort: split
from dyadmodel.models import literature as _literature  # noqa: E402, F401
