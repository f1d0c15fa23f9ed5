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
import os
from collections.abc import Callable
from pathlib import Path

from dyadmodel.errors import InvalidInputError, InvalidTypeError, NotFoundError
from dyadmodel.model import Model
from dyadmodel.models import _sources, _toml

__all__ = ["ModelNotFoundError", "get", "load", "loads", "names", "register"]

_FACTORIES: dict[str, Callable[..., Model]] = {}


class ModelNotFoundError(NotFoundError):
    """A model name that is not in the registry.

    Examples
    --------
    >>> import dyadmodel as dm
    >>> try:
    ...     dm.models.get("strogatz-linar")
    ... except dm.models.ModelNotFoundError as err:
    ...     print(str(err)[:64])
    unknown model 'strogatz-linar' (did you mean 'strogatz-linear'?)
    """


def register(name: str) -> Callable[[Callable[..., Model]], Callable[..., Model]]:
    """Decorator registering a model factory under ``name``.

    The factory takes only keyword-only structural options (e.g. the Hill exponent)
    and returns a `Model` whose ``name`` equals ``name``.

    Parameters
    ----------
    name : str
        The registry name; the factory's model must carry the same ``name``.

    Returns
    -------
    callable
        The decorator; it returns the factory unchanged.

    Raises
    ------
    InvalidInputError
        For an argument with an invalid value (the message says which and why).

    Examples
    --------
    A name can be registered once:

    >>> from dyadmodel.models import register
    >>> register("strogatz-linear")(lambda: None)
    Traceback (most recent call last):
    ...
    dyadmodel.errors.InvalidInputError: model name 'strogatz-linear' registered twice
    """

    def deco(factory: Callable[..., Model]) -> Callable[..., Model]:
        if name in _FACTORIES:
            raise InvalidInputError(f"model name {name!r} registered twice")
        _FACTORIES[name] = factory
        return factory

    return deco


def names() -> tuple[str, ...]:
    """All registered model names: the flagship models first, then the literature, then
    installed plugins (entry-point group ``dyadmodel.models``, sorted).

    Returns
    -------
    tuple of str
        Every model name `get` accepts.

    Examples
    --------
    >>> import dyadmodel as dm
    >>> dm.models.names()[:3]
    ('pursuer-distancer-2d', 'pursuer-distancer', 'strogatz-linear')
    """
    return tuple(_FACTORIES) + _sources.plugin_names(exclude=_FACTORIES)


def get(name: str, **options: object) -> Model:
    """The model called ``name`` (built once per set of structural ``options``).

    Parameters
    ----------
    name : str
        A registered model name (see `names`).
    **options
        Structural options of the model's factory (e.g. an integer Hill exponent).

    Returns
    -------
    Model
        The model; the same object for the same name and options.

    Raises
    ------
    InvalidTypeError
        If ``name`` is not a string, or an option value is not hashable (options are
        structural choices such as an integer Hill exponent).
    ModelNotFoundError
        If no model has that name; the message lists the registered names.
    InvalidInputError
        If the model does not accept an option (the message names the option).

    Examples
    --------
    >>> import dyadmodel as dm
    >>> m = dm.models.get("strogatz-linear")
    >>> m.state_names, m is dm.models.get("strogatz-linear")
    (('R', 'J'), True)
    """
    if not isinstance(name, str):
        raise InvalidTypeError(
            f"model name {name!r} is a {type(name).__name__}; expected a str, one of: "
            f"{', '.join(_FACTORIES)}"
        )
    if name not in _FACTORIES and _sources.plugin_factory(name) is None:
        close = difflib.get_close_matches(name, _FACTORIES, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise ModelNotFoundError(
            f"unknown model {name!r}{hint}; registered models: {', '.join(_FACTORIES)}"
        )
    for key, value in options.items():
        try:
            hash(value)
        except TypeError:
            raise InvalidTypeError(
                f"option {key}={value!r} of model {name!r} is a {type(value).__name__}; "
                "expected a hashable structural value such as an int"
            ) from None
    return _build(name, **options)


@functools.cache
def _build(name: str, **options: object) -> Model:
    factory = _FACTORIES.get(name) or _sources.plugin_factory(name)
    try:
        return factory(**options)
    except TypeError as err:  # an option the factory does not take
        if isinstance(err, InvalidTypeError) or not options:
            raise
        raise InvalidInputError(
            f"model {name!r} does not accept options {sorted(options)} ({err}); "
            "see its factory's keyword arguments"
        ) from None


def load(
    source: str | os.PathLike[str] | Model, *, base_dir: str | os.PathLike[str] | None = None
) -> Model:
    """A model from anywhere a model can come from.

    ``source`` is one of

    - a registered or plugin model name (``"pursuer-distancer-2d"``), as `get`;
    - a model file, ``"my_model.toml"`` (see `dyadmodel.models._toml` for the format;
      read without running any code);
    - ``"package.module:factory"`` or ``"path/to/file.py:factory"``: a function returning
      a `Model`. **This imports and runs that Python code**, with the same trust as
      running the script yourself;
    - a `Model`, returned as it is.

    Relative paths are resolved against ``base_dir`` (e.g. the folder of the spec file
    that names the model), by default the working directory.

    Parameters
    ----------
    source : str, path or Model
        A model name, a ``.toml`` model file, ``"module:factory"``,
        ``"file.py:factory"`` or a `Model`.
    base_dir : str or path, optional
        The folder relative paths are resolved against; the working directory by default.

    Returns
    -------
    Model
        The model.

    Raises
    ------
    ModelNotFoundError
        An unknown name, a missing file or module (the message suggests close names).
    dyadmodel.models._toml.ModelFileError
        A model file that cannot be used (a `SpecFileError` naming the file and the key).
    ModelDefinitionError
        Python code that raised while importing or building the model.
    InvalidTypeError
        ``source`` of another type, or a factory that does not return a `Model`.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "decay.toml").write_text('''
    ... [parameters]
    ... k = 0.5
    ... [equations]
    ... x = "-k*x"
    ... ''')
    >>> load("decay.toml", base_dir=folder)
    Model('decay', states=['x'], parameters=1, inputs=[])
    """
    if isinstance(source, Model):
        return source
    if isinstance(source, os.PathLike):
        source = os.fspath(source)
    if not isinstance(source, str):
        raise InvalidTypeError(
            f"model source {source!r:.80} is a {type(source).__name__}; expected a model "
            "name, a .toml file, 'module:factory' or 'file.py:factory'"
        )
    if source in _FACTORIES or _sources.plugin_factory(source) is not None:
        return get(source)
    path = Path(source)
    if base_dir is not None and not path.is_absolute():
        path = Path(base_dir) / path
    if source.lower().endswith(".toml"):
        if not path.exists():
            raise ModelNotFoundError(f"model file {str(path)!r} does not exist")
        return _toml.load_model_file(path)
    if _sources.is_reference(source):
        return _sources.load_reference(source, base_dir=base_dir)
    close = difflib.get_close_matches(source, names(), n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    raise ModelNotFoundError(
        f"unknown model {source!r}{hint}; expected a model name ({', '.join(names())}), a "
        "model file ending in .toml, 'package.module:factory' or 'path/to/file.py:factory'"
    )


def loads(text: str) -> Model:
    """The model in a model file's text (e.g. `Model.to_toml` sent to a worker).

    Parameters
    ----------
    text : str
        The text of a model file (TOML).

    Returns
    -------
    Model
        The model it defines.

    Raises
    ------
    dyadmodel.models._toml.ModelFileError
        A `SpecFileError` naming the key and the value when the text cannot be used.

    Examples
    --------
    >>> import dyadmodel as dm
    >>> dm.models.loads('''
    ... [parameters]
    ... k = 0.5
    ... [equations]
    ... x = "-k*x"
    ... ''')
    Model('custom', states=['x'], parameters=1, inputs=[])
    """
    return _toml.loads_model(text)


# Registration order is the order of `names()`: flagship models first.
from dyadmodel.models import pursuer_distancer as _pursuer_distancer  # noqa: E402, F401

# isort: split
from dyadmodel.models import literature as _literature  # noqa: E402, F401
