"""Where models come from besides the built-in registry: model files, Python factories
named by reference, and installed plugins.

- ``"path/to/model.toml"``: a model file (`dyadmodel.models._toml`), read without running
  any code.
- ``"package.module:factory"`` and ``"path/to/file.py:factory"``: a Python function that
  returns a `Model`. **This imports and runs the user's own code**, with the same trust
  as running their script: use it only for code you would run yourself.
- Plugins: another installed package registers factories under the entry-point group
  ``dyadmodel.models`` (``name = "package.module:factory"`` in its ``pyproject.toml``
  ``[project.entry-points."dyadmodel.models"]``). Their names appear in
  `dyadmodel.models.names` after the built-in ones; a plugin is imported only when its
  model is first asked for, and a plugin that cannot be imported gives a warning, not a
  crash.
"""

from __future__ import annotations

import difflib
import functools
import hashlib
import importlib
import importlib.metadata
import importlib.util
import os
import re
import sys
import warnings
from collections.abc import Callable, Collection
from pathlib import Path
from typing import Any

from dyadmodel.errors import DyadmodelError, InvalidTypeError, NotFoundError
from dyadmodel.model import Model, ModelDefinitionError

__all__ = [
    "ENTRY_POINT_GROUP",
    "PluginWarning",
    "load_reference",
    "plugin_factory",
    "plugin_names",
    "refresh_plugins",
]

ENTRY_POINT_GROUP = "dyadmodel.models"

_MODULE_REF = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*")
_ATTRIBUTE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class PluginWarning(UserWarning):
    """An installed model plugin that could not be loaded (it is skipped)."""


def is_reference(source: str) -> bool:
    """True when ``source`` looks like ``module:factory`` or ``file.py:factory``."""
    head, sep, tail = source.rpartition(":")
    if not sep or not _ATTRIBUTE.fullmatch(tail):
        return False
    return head.endswith(".py") or bool(_MODULE_REF.fullmatch(head))


def load_reference(source: str, base_dir: str | os.PathLike[str] | None = None) -> Model:
    """The model returned by the factory named ``source`` (``module:factory`` or
    ``path/to/file.py:factory``, a relative path resolved against ``base_dir``, default
    the working directory).

    This imports the module and calls the factory: it runs the user's own Python code,
    with the same trust as running their script.

    Raises
    ------
    NotFoundError
        The module, file or factory does not exist (the message suggests close names).
    ModelDefinitionError
        Importing the module or calling the factory raised (the message names the
        reference and the error; the original is chained).
    InvalidTypeError
        The factory returned something other than a `Model`.
    """
    head, _, attr = source.rpartition(":")
    if head.endswith(".py"):
        path = Path(head)
        if not path.is_absolute() and base_dir is not None:
            path = Path(base_dir) / path
        if not path.is_file():
            raise NotFoundError(f"model reference {source!r}: no Python file {str(path)!r}")
        module = _import_file(path, source)
    else:
        try:
            module = importlib.import_module(head)
        except ModuleNotFoundError as err:
            if err.name is not None and (head == err.name or head.startswith(err.name + ".")):
                raise NotFoundError(
                    f"model reference {source!r}: no module named {err.name!r} (is the "
                    "package installed, or its folder on sys.path?)"
                ) from None
            raise ModelDefinitionError(
                f"model reference {source!r}: importing {head!r} failed: {err}"
            ) from err
        except Exception as err:
            raise ModelDefinitionError(
                f"model reference {source!r}: importing {head!r} failed: "
                f"{type(err).__name__}: {err}"
            ) from err
    return _call_factory(module, attr, source)


def _import_file(path: Path, source: str) -> Any:
    resolved = path.resolve()
    digest = hashlib.sha1(str(resolved).encode()).hexdigest()[:12]
    name = f"_dyadmodel_user_model_{digest}"
    spec = importlib.util.spec_from_file_location(name, resolved)
    if spec is None or spec.loader is None:  # pragma: no cover - .py files always load
        raise NotFoundError(f"model reference {source!r}: cannot import {str(path)!r}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses and pickling look the module up
    try:
        spec.loader.exec_module(module)
    except Exception as err:
        sys.modules.pop(name, None)
        raise ModelDefinitionError(
            f"model reference {source!r}: running {str(path)!r} failed: {type(err).__name__}: {err}"
        ) from err
    return module


def _call_factory(module: Any, attr: str, source: str) -> Model:
    factory = getattr(module, attr, None)
    if factory is None:
        public = [n for n in dir(module) if not n.startswith("_")]
        close = difflib.get_close_matches(attr, public, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise NotFoundError(f"model reference {source!r}: the module has no {attr!r}{hint}")
    if isinstance(factory, Model):
        return factory
    if not callable(factory):
        raise InvalidTypeError(
            f"model reference {source!r}: {attr!r} is a {type(factory).__name__}; expected a "
            "function returning a Model (or a Model)"
        )
    try:
        model = factory()
    except Exception as err:
        raise ModelDefinitionError(
            f"model reference {source!r}: calling {attr}() failed: {type(err).__name__}: {err}"
        ) from err
    if not isinstance(model, Model):
        raise InvalidTypeError(
            f"model reference {source!r}: {attr}() returned a {type(model).__name__}; "
            "expected a dyadmodel Model"
        )
    return model


# -- plugins ---------------------------------------------------------------------------


@functools.cache
def _entry_points() -> dict[str, importlib.metadata.EntryPoint]:
    out: dict[str, importlib.metadata.EntryPoint] = {}
    try:
        found = importlib.metadata.entry_points(group=ENTRY_POINT_GROUP)
    except Exception as err:  # a broken installation must not break the registry
        warnings.warn(f"model plugins could not be listed: {err}", PluginWarning, stacklevel=3)
        return out
    for ep in found:
        out.setdefault(ep.name, ep)  # the first on sys.path wins, as for imports
    return out


_LOADED: dict[str, Callable[..., Model]] = {}


def refresh_plugins() -> None:
    """Forget the plugins found so far (after installing one in a running session)."""
    _entry_points.cache_clear()
    _LOADED.clear()


def plugin_names(exclude: Collection[str] = ()) -> tuple[str, ...]:
    """Names of installed plugin models, sorted, without those in ``exclude`` (the
    built-in names, which a plugin cannot replace)."""
    return tuple(sorted(n for n in _entry_points() if n not in exclude))


def plugin_factory(name: str) -> Callable[..., Model] | None:
    """The factory of the plugin model ``name``, or None when no plugin has that name
    or the plugin cannot be loaded (then a `PluginWarning` says why)."""
    if name in _LOADED:
        return _LOADED[name]
    ep = _entry_points().get(name)
    if ep is None:
        return None
    dist = getattr(getattr(ep, "dist", None), "name", None) or "an installed package"
    try:
        factory = ep.load()
    except Exception as err:
        warnings.warn(
            f"model plugin {name!r} ({ep.value}, from {dist}) could not be loaded and is "
            f"skipped: {type(err).__name__}: {err}",
            PluginWarning,
            stacklevel=3,
        )
        return None
    if not callable(factory):
        warnings.warn(
            f"model plugin {name!r} ({ep.value}, from {dist}) is a "
            f"{type(factory).__name__}, not a factory function; it is skipped",
            PluginWarning,
            stacklevel=3,
        )
        return None

    def checked(**options: Any) -> Model:
        try:
            model = factory(**options)
        except (DyadmodelError, TypeError):  # TypeError: an option it does not take
            raise
        except Exception as err:
            raise ModelDefinitionError(
                f"model plugin {name!r} ({ep.value}) failed: {type(err).__name__}: {err}"
            ) from err
        if not isinstance(model, Model):
            raise InvalidTypeError(
                f"model plugin {name!r} ({ep.value}) returned a {type(model).__name__}; "
                "expected a dyadmodel Model"
            )
        return model

    checked.__doc__ = getattr(factory, "__doc__", None)
    _LOADED[name] = checked
    return checked
