"""Every public name has a numpydoc docstring with the sections its signature calls for
(issue 18).

The public surface is enumerated from ``__all__``: `dyadmodel` and each public subpackage
or module it re-exports (recursively, through the modules listed in an ``__all__``), every
class and function named there, and for each class of the package the public methods and
properties it defines itself. Each is checked by numpydoc's validator
(`numpydoc.validate.validate`) for the codes in `ENFORCED`; the codes in `IGNORED` are
left out on purpose, each with its reason. On top of numpydoc:

- an Examples section on every function, method and class (properties excepted: a
  property's example is its class's);
- a Raises section naming every error of the package's family
  (`dyadmodel.errors.DyadmodelError`) that the function raises itself, or through a
  private helper of its own module: found by reading the source (`ast`), nothing is run.

The examples themselves run in the default test run: ``--doctest-modules`` over the
``dyadmodel`` test path (pyproject's pytest configuration) collects every module of the
package; `test_doctests_collect_every_public_module` checks that no public module is left
out of that collection.
"""

from __future__ import annotations

import ast
import doctest
import enum
import functools
import importlib
import inspect
import textwrap
import tomllib
import types
from pathlib import Path

import pytest

numpydoc_validate = pytest.importorskip("numpydoc.validate")
from numpydoc.docscrape import get_doc_object  # noqa: E402

import dyadmodel  # noqa: E402
from dyadmodel.errors import DyadmodelError  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]

# The modules whose ``__all__`` is the public surface; modules named in an ``__all__``
# (``dyadmodel.simulate.stress``, ``dyadmodel.plot.theme``...) are added as found.
PUBLIC_MODULES = (
    "dyadmodel",
    "dyadmodel.analysis",
    "dyadmodel.continuation",
    "dyadmodel.simulate",
    "dyadmodel.sweeps",
    "dyadmodel.fit",
    "dyadmodel.data",
    "dyadmodel.plot",
    "dyadmodel.app",
    "dyadmodel.errors",
    "dyadmodel.models",
    "dyadmodel.attachment",
    "dyadmodel.citation",
    "dyadmodel.model",
    "dyadmodel.scenarios",
)

ENFORCED = {
    "GL06": "an unknown section is a typo of a known one and is dropped from the docs",
    "GL07": "sections out of order render out of order",
    "GL08": "no docstring",
    "GL09": "the deprecation warning comes right after the summary",
    "GL10": "reST markup well formed",
    "SS01": "a one-line summary",
    "SS02": "the summary starts with a capital letter",
    "SS03": "the summary ends with a period",
    "SS04": "no leading whitespace in the summary",
    "PR01": "every parameter documented",
    "PR02": "no documented parameter that the signature does not have",
    "PR03": "parameters in the order of the signature",
    "PR04": "every parameter has a type",
    "PR06": "types spelled as Python does (int, bool, str)",
    "PR07": "every parameter has a description",
    "PR10": "``name : type`` with spaces around the colon",
    "RT01": "a Returns section on everything that returns a value",
    "RT03": "every return value has a description",
    "YD01": "a Yields section on generators",
    "EX01": "an Examples section (checked here for functions, methods and classes only)",
}
IGNORED = {
    "GL01": "docstrings start on the line of the opening quotes (the package's style)",
    "GL02": "closing-quote placement is formatting, left to ruff",
    "GL03": "blank lines are formatting, left to ruff",
    "ES01": "an extended summary only where the one-line summary is not enough",
    "SS05": "summaries of properties and classes are noun phrases ('The ...'), not verbs",
    "SS06": "some summaries name a formula or a citation and take two lines",
    "PR05": "a type may end in a literal such as ``'auto'.``",
    "PR08": "descriptions may start with a parameter name or a number, not a capital",
    "PR09": "descriptions may end with a formula, a list or an example, not a period",
    "RT02": "a single return value may carry its name where that names the quantity",
    "RT04": "return descriptions may start with a name or a number",
    "RT05": "return descriptions may end with a formula or a list",
    "SA01": "See Also only where a related name helps; not required",
    "SA02": "See Also wording is style",
    "SA03": "See Also wording is style",
    "SA04": "See Also descriptions are optional",
    "EX01": "(not for properties: a property is shown in its class's example)",
}


def _public_objects() -> dict[str, object]:
    """Dotted public path -> object, each object once (first path found)."""
    modules = list(PUBLIC_MODULES)
    found: dict[str, object] = {}
    seen: set[int] = set()

    def add(path: str, obj: object) -> None:
        if id(obj) not in seen:
            seen.add(id(obj))
            found[path] = obj

    index = 0
    while index < len(modules):
        module = importlib.import_module(modules[index])
        index += 1
        for name in getattr(module, "__all__", ()):
            obj = getattr(module, name)
            if isinstance(obj, types.ModuleType):
                if obj.__name__.startswith("dyadmodel") and obj.__name__ not in modules:
                    modules.append(obj.__name__)
                continue
            if not (inspect.isclass(obj) or inspect.isroutine(obj)):
                continue  # constants: documented in their module's docstring
            if not getattr(obj, "__module__", "").startswith("dyadmodel"):
                continue
            add(f"{module.__name__}.{name}", obj)
            if inspect.isclass(obj):
                for attribute, value in vars(obj).items():
                    if attribute.startswith("_") or _inherits_doc(obj, attribute, value):
                        continue
                    if isinstance(value, staticmethod | classmethod):
                        value = value.__func__
                    if inspect.isfunction(value) or isinstance(value, property):
                        add(f"{module.__name__}.{name}.{attribute}", value)
    return found


def _inherits_doc(cls: type, attribute: str, value: object) -> bool:
    """An override without a docstring of its own that implements a documented method
    of a base class (Sphinx shows the base's docstring, which is checked there)."""
    if getattr(value, "__doc__", None) and not isinstance(value, property):
        return False
    if isinstance(value, property) and value.fget.__doc__:
        return False
    return any(getattr(vars(base).get(attribute), "__doc__", None) for base in cls.__mro__[1:])


PUBLIC = _public_objects()
PUBLIC_MODULE_NAMES = sorted(
    {
        obj.__name__
        for module in PUBLIC_MODULES
        for obj in vars(importlib.import_module(module)).values()
        if isinstance(obj, types.ModuleType) and obj.__name__.startswith("dyadmodel")
    }
    | set(PUBLIC_MODULES)
)


def _raise_codes(path: str, obj: object) -> list[str]:
    """Package errors raised by ``obj`` (directly or via same-module private helpers)
    that its Raises section does not name (nor a base class of)."""
    function = obj.fget if isinstance(obj, property) else obj
    if inspect.isclass(function):
        function = function.__dict__.get("__post_init__") or function.__dict__.get("__init__")
    if not inspect.isfunction(function):
        return []
    raised = _raised_errors(function)
    if not raised:
        return []
    documented = [
        name
        for param in _doc(obj)["Raises"]
        for name in (param.type or param.name).replace(",", " ").split()
    ]
    documented_classes = [
        getattr(dyadmodel.errors, name, None) or _resolve(function, name) for name in documented
    ]
    documented_classes = [c for c in documented_classes if inspect.isclass(c)]
    missing = [
        error.__name__
        for error in raised
        if not any(issubclass(error, doc_class) for doc_class in documented_classes)
    ]
    return [f"RS00 raises {', '.join(sorted(missing))}: not in Raises"] if missing else []


def _resolve(function, name: str):
    module = inspect.getmodule(function)
    return getattr(module, name.rsplit(".", 1)[-1], None)


def _raised_errors(function) -> set[type]:
    """Package errors raised in ``function``'s body or in the private same-module
    helpers it calls (one level)."""
    errors, helpers = _scan(function)
    out = set(errors)
    for helper in helpers:
        out |= _scan(helper)[0]
    return out


@functools.cache
def _scan(function) -> tuple[frozenset[type], tuple]:
    """One pass over the function's syntax tree: the package errors it raises by name
    and the private functions of its own module it calls."""
    module = inspect.getmodule(function)
    errors: set[type] = set()
    helpers = []
    for node in ast.walk(_function_tree(function)):
        if isinstance(node, ast.Raise) and node.exc is not None:
            target = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
            error = getattr(module, target.id, None) if isinstance(target, ast.Name) else None
            if inspect.isclass(error) and issubclass(error, DyadmodelError):
                errors.add(error)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            helper = getattr(module, node.func.id, None)
            if (
                node.func.id.startswith("_")
                and inspect.isfunction(helper)
                and helper.__module__ == module.__name__
            ):
                helpers.append(helper)
    return frozenset(errors), tuple(helpers)


@functools.cache
def _function_tree(function) -> ast.AST:
    try:
        return ast.parse(textwrap.dedent(inspect.getsource(function)))
    except (OSError, TypeError, SyntaxError):
        return ast.parse("")


@functools.cache
def _doc(obj: object):
    """numpydoc's parsed docstring of ``obj`` (parsed once per object)."""
    return get_doc_object(obj)


def _problems(path: str, obj: object) -> list[str]:
    result = numpydoc_validate.validate(_doc(obj))
    errors = result["errors"]
    if inspect.isclass(obj):  # a dataclass's fields may be documented as Attributes
        errors = [(code, message) for code, message in errors if code != "PR01"]
        errors += _class_fields_undocumented(obj)
    problems = [f"{code} {message}" for code, message in errors if code in ENFORCED]
    if isinstance(obj, property):
        problems = [p for p in problems if not p.startswith(("EX01", "RT01", "PR01"))]
    return problems + _raise_codes(path, obj)


def _class_fields_undocumented(cls: type) -> list[tuple[str, str]]:
    doc = _doc(cls)
    documented = {
        name.strip().lstrip("*")
        for section in ("Parameters", "Other Parameters", "Attributes")
        for param in doc[section]
        for name in param.name.split(",")
    }
    try:
        signature = inspect.signature(cls)
    except (TypeError, ValueError):
        return []
    missing = {
        name
        for name, parameter in signature.parameters.items()
        if parameter.kind not in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD)
        and not name.startswith("_")
    } - documented
    if issubclass(cls, BaseException | enum.Enum):
        missing = set()  # exceptions take a message; enums are called with a value
    return [("PR01", f"Parameters {sorted(missing)} not documented")] if missing else []


def test_public_surface_is_enumerated():
    # the top-level names, each subpackage's classes and functions, and the methods
    assert {"dyadmodel.equilibria", "dyadmodel.Model", "dyadmodel.Model.params"} <= set(PUBLIC)
    assert {"dyadmodel.sweep", "dyadmodel.fit.fit", "dyadmodel.plot.phase_portrait"} <= set(PUBLIC)
    assert len(PUBLIC) > 300


@pytest.mark.parametrize("path", sorted(PUBLIC))
def test_docstring(path):
    problems = _problems(path, PUBLIC[path])
    assert not problems, f"{path}:\n  " + "\n  ".join(problems)


def test_ignored_and_enforced_codes_are_numpydoc_codes():
    known = set(numpydoc_validate.ERROR_MSGS)
    assert set(ENFORCED) <= known
    assert set(IGNORED) <= known
    assert set(ENFORCED) & set(IGNORED) == {"EX01"}  # EX01: enforced except on properties


def test_doctests_collect_every_public_module():
    """Every Examples block is a doctest that the default run collects.

    pytest's configuration (pyproject) runs ``--doctest-modules`` over the ``dyadmodel``
    test path, i.e. every module file of the package; `doctest.DocTestFinder` on the
    module that defines a public name must then find the name's examples (it skips
    objects it takes for imports from elsewhere, e.g. wrapped functions).
    """
    options = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest"]
    options = options["ini_options"]
    assert "--doctest-modules" in options["addopts"].split()
    assert "dyadmodel" in options["testpaths"]
    package = Path(dyadmodel.__file__).resolve().parent
    assert not list(package.rglob("conftest.py"))  # no collect_ignore inside the package
    finder = doctest.DocTestFinder()
    collected: dict[str, set[str]] = {}
    missing = []
    for path, obj in sorted(PUBLIC.items()):
        target = obj.fget if isinstance(obj, property) else obj
        if ">>>" not in (inspect.getdoc(obj) or ""):
            continue
        module = inspect.getmodule(inspect.unwrap(target))
        assert package in Path(module.__file__).resolve().parents, path
        if module.__name__ not in collected:
            collected[module.__name__] = {
                test.name for test in finder.find(module) if test.examples
            }
        name = f"{module.__name__}.{target.__qualname__}"
        if name not in collected[module.__name__]:
            missing.append(f"{path} ({name})")
    assert not missing, "examples not collected: " + ", ".join(missing)


def test_api_reference_lists_every_public_class_and_function():
    """docs/api (written by docs/api/_generate.py) has an entry for every public class and
    function: an autosummary line under the ``currentmodule`` that exports it."""
    if not (ROOT / "docs" / "api").is_dir():
        pytest.skip("no docs/ in this tree (the sdist ships without the documentation)")
    documented: set[int] = set()
    for page in (ROOT / "docs" / "api").glob("*.rst"):
        module = None
        for line in page.read_text().splitlines():
            if line.startswith(".. currentmodule:: "):
                module = importlib.import_module(line.split()[-1])
            elif line.startswith(".. autoclass:: "):
                documented.add(id(getattr(module, line.split()[-1])))
            elif line.startswith("   ") and line.strip().isidentifier() and module is not None:
                obj = getattr(module, line.strip(), None)
                if obj is not None:
                    documented.add(id(obj))
    missing = [
        path
        for path, obj in PUBLIC.items()
        if (inspect.isclass(obj) or inspect.isfunction(obj) or callable(obj))
        and not isinstance(obj, property)
        and "." not in path.removeprefix(_module_of(path) + ".")
        and id(obj) not in documented
    ]
    assert not missing, "not in docs/api (run docs/api/_generate.py): " + ", ".join(missing)


def _module_of(path: str) -> str:
    """The longest public module name that prefixes ``path``."""
    return max((m for m in PUBLIC_MODULE_NAMES if path.startswith(m + ".")), key=len)
