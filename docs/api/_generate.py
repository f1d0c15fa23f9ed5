"""Write the API reference pages (docs/api/*.rst, index.md) from the ``__all__`` lists.

Run ``.venv/bin/python docs/api/_generate.py`` after adding or removing a public name;
tests/test_docstrings.py fails when a public class or function is missing from the pages.
Each page has autosummary tables (``:toctree: generated``): Sphinx writes one stub page
per name from its docstring at build time.
"""

import importlib
import inspect
import types
from pathlib import Path

OUT = Path(__file__).resolve().parent
# Classes whose autosummary stub would list the methods they inherit from a builtin
# (str): documented with an explicit autoclass on their subpackage's page instead.
NO_STUB = {"AttachmentStyle"}
PAGES = [
    (
        "dyadmodel",
        "dyadmodel",
        "Writing a model, citing, running a scenario",
        "The top-level namespace re-exports the main functions and classes of the subpackages "
        "(``dm.equilibria`` is `dyadmodel.analysis.equilibria`); they are documented on their "
        "subpackage's page. Defined here: the helpers for writing a model, the citation and the "
        "scenario runner.",
        ["dyadmodel.model", "dyadmodel.citation", "dyadmodel.scenarios"],
    ),
    ("models", "dyadmodel.models", "Models: the registry and models from text", "", []),
    ("analysis", "dyadmodel.analysis", "Analysis: equilibria, stability, the phase plane", "", []),
    (
        "continuation",
        "dyadmodel.continuation",
        "Continuation: bifurcation diagrams, curves and regime maps",
        "",
        [],
    ),
    (
        "simulate",
        "dyadmodel.simulate",
        "Simulation: trajectories, stress, interventions, noise, basins",
        "",
        [
            "dyadmodel.simulate.stress",
            "dyadmodel.simulate.events",
            "dyadmodel.simulate.interventions",
        ],
    ),
    ("sweeps", "dyadmodel.sweeps", "Sweeps: parameter grids and samples at scale", "", []),
    ("fit", "dyadmodel.fit", "Fitting couples' time series", "", []),
    ("data", "dyadmodel.data", "Couples' data", "", []),
    (
        "attachment",
        "dyadmodel.attachment",
        "Attachment scores and their mapping to parameters",
        "",
        [],
    ),
    ("plot", "dyadmodel.plot", "Figures (plotly)", "", ["dyadmodel.plot.theme"]),
    ("app", "dyadmodel.app", "The explorer (Dash)", "", []),
    ("errors", "dyadmodel.errors", "Errors", "", []),
]


def names(modname):
    mod = importlib.import_module(modname)
    classes, functions, constants = [], [], []
    for n in getattr(mod, "__all__", []):
        o = getattr(mod, n)
        if isinstance(o, types.ModuleType):
            continue
        if inspect.isclass(o):
            classes.append(n)
        elif callable(o):
            functions.append(n)
        else:
            constants.append(n)
    return classes, functions, constants


def table(modname, items, title):
    if not items:
        return ""
    stubs = [n for n in items if n not in NO_STUB]
    body = "\n".join(f"   {n}" for n in stubs)
    text = f"{title}\n{'-' * len(title)}\n\n.. autosummary::\n   :toctree: generated\n\n{body}\n\n"
    for n in items:
        if n in NO_STUB:
            text += f".. autoclass:: {n}\n   :members:\n   :undoc-members:\n\n"
    return text


def main() -> None:
    """Write every page."""
    for page in PAGES:
        (OUT / f"{page[0]}.rst").write_text(page_text(*page))
    (OUT / "index.md").write_text(INDEX.format(toc="\n".join(page[0] for page in PAGES)))


def page_text(stem, modname, title, intro, extra):
    heading = f"``{modname}``: {title}" if stem != "dyadmodel" else f"``dyadmodel``: {title}"
    text = f"{heading}\n{'=' * len(heading)}\n\n"
    text += f".. currentmodule:: {modname}\n\n"
    text += (intro + "\n\n") if intro else ""
    if stem != "dyadmodel":
        text += f".. automodule:: {modname}\n   :no-members:\n   :no-index:\n\n"
    mods = ([modname] if stem != "dyadmodel" else []) + extra
    for m in mods:
        c, f, k = names(m)
        if m != modname or stem == "dyadmodel":
            text += f".. currentmodule:: {m}\n\n"
            sub = f"``{m}``"
            text += f"{sub}\n{'-' * len(sub)}\n\n"
            if stem != "dyadmodel":
                text += f".. automodule:: {m}\n   :no-members:\n   :no-index:\n\n"
            items = sorted(c) + sorted(f)
            body = "\n".join(f"   {n}" for n in items)
            if items:
                text += f".. autosummary::\n   :toctree: generated\n\n{body}\n\n"
        else:
            text += table(m, sorted(f), "Functions") + table(m, sorted(c), "Classes")
        if k:
            text += (
                "Constants: "
                + ", ".join(f"``{x}``" for x in k)
                + " (see the module's documentation).\n\n"
            )
    return text.rstrip() + "\n"


INDEX = """# API reference

Every public name of dyadmodel, generated from its docstring (numpydoc format). The
examples in the docstrings are doctests: the test suite runs every one of them, and
`tests/test_docstrings.py` checks that each public function, class and method documents
its parameters, return value, the package errors it raises and an example.

`import dyadmodel as dm`: the top-level namespace re-exports the main names of the
subpackages (`dm.equilibria`, `dm.simulate`, `dm.sweep`, `dm.fit`...), documented here
under the subpackage that defines them. Every error is one of the classes of
{{doc}}`errors` (`dm.DyadmodelError` and its subclasses).

```{{toctree}}
:maxdepth: 1

{toc}
```
"""

if __name__ == "__main__":
    main()
