"""Model files: a model written as TOML, read and written without running any code.

A model file holds everything a `dyadmodel.model.Model` declares except Python callables::

    [model]
    name = "van-der-pol"                  # required; the model's name in every output
    title = "Van der Pol oscillator"
    description = "A relaxation oscillator."
    references = ["10.1080/14786442608564127"]   # DOIs, or tables (see below)

    [states.x]                            # optional: one table per state, any of
    meaning = "position"                  #   meaning, unit, latex,
    validity = ["-inf", "inf"]            #   validity (domain of validity; default all of R)
    plot_range = [-3, 3]                  #   plot_range (default: [-5, 5] within validity)

    [parameters]
    mu = 1.0                              # a number is enough (the default) ...
    [parameters.k]                        # ... or a table: default (required), bounds,
    default = 2.0                         #   lower_inclusive, meaning, unit, latex,
    bounds = [0, "inf"]                   #   bound_reason
    lower_inclusive = false

    [inputs.stress]                       # optional: default, bounds, meaning, unit, ...
    default = 0.0
    bounds = [0, "inf"]

    [equations]                           # required: one equation per state, in order
    x = "y"
    y = "mu*(1 - x**2)*y - k*x"

    [presets.relaxation]                  # optional named parameter regions
    description = "Strong damping: relaxation oscillations."
    values = { mu = 5.0 }

    [symmetry.states]                     # optional partner swap (an involution;
    # x = "y"                             #   "x = y" alone also means "y = x")

References are tables ``{key, text, bibtex, doi}`` (an array ``[[model.references]]``) or
bare DOI strings. ``[model.structure]`` records structural choices (numbers, strings,
booleans) for information. Infinite ends of ``bounds`` and ``validity`` are written as the
strings ``"inf"`` / ``"-inf"`` (TOML's own ``inf`` is read too).

The equations are read by `dyadmodel.models._text.parse_expression` (a whitelist parser:
nothing is evaluated). Every problem raises one `ModelFileError` (a `SpecFileError` and a
`ModelDefinitionError`) naming the file, the key (``parameters.k.bounds``) and what was
expected; files above `MAX_FILE_BYTES` and values nested too deeply are refused before
they are looked at.

`model_to_toml` writes a model in this format, deterministically: reading what it wrote
gives the same right-hand side (structurally identical) and writing that again gives the
same text. Two things cannot be written and are dropped: the ``labeler`` (equilibria of a
loaded model carry no couple labels) and the ``equilibrium_box`` (the proof of a bounded
box for non-rational models). The equilibria of a loaded *rational* model are still
complete over the whole domain of validity (exact algebra needs no box); for a
non-rational model `dyadmodel.equilibria` tries to prove a box itself and otherwise says
that its answer is complete in a finite box only.

>>> import dyadmodel as dm
>>> m = dm.models.get("strogatz-linear")
>>> text = m.to_toml()
>>> print(text.split("[equations]")[1].split("\\n\\n")[0].strip())
R = "J*b + R*a"
J = "J*d + R*c"
>>> dm.models.loads(text).rhs_expr == m.rhs_expr
True
"""

from __future__ import annotations

import difflib
import math
import numbers
import os
import re
import reprlib
import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from dyadmodel.errors import SpecFileError
from dyadmodel.model import Model, ModelDefinitionError, Preset, Reference
from dyadmodel.models._text import EquationError, equations_model, expression_text

__all__ = [
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "ModelFileError",
    "check_plain",
    "load_model_file",
    "loads_model",
    "model_to_toml",
    "parse_toml_text",
    "read_toml_file",
]

#: Largest TOML file read (bytes); a model, scenario or sweep spec needs a few kB.
MAX_FILE_BYTES = 1_000_000
#: Deepest nesting of tables and arrays read; the package's files need at most 5.
MAX_DEPTH = 16
_MAX_INT = 2**63  # TOML integers are 64-bit; larger ones are refused, not converted


class ModelFileError(SpecFileError, ModelDefinitionError):
    """A model file that cannot be used: the message names the file, the key and what
    was expected (for an equation, also the position, with a caret)."""


_repr = reprlib.Repr()
_repr.maxlevel = 3
_repr.maxstring = 60
_repr.maxother = 60
_repr.maxlist = _repr.maxdict = 6


def _show(value: Any) -> str:
    """A short repr that is safe for deeply nested values and huge integers."""
    try:
        return _repr.repr(value)
    except (RecursionError, ValueError):
        return f"<a {type(value).__name__} too large to show>"


def read_toml_file(
    path: str | os.PathLike[str],
    *,
    error: type[Exception] = SpecFileError,
    what: str = "TOML file",
    max_bytes: int = MAX_FILE_BYTES,
    max_depth: int = MAX_DEPTH,
) -> dict[str, Any]:
    """The tables of a TOML file, or one ``error`` naming the file and what is wrong.

    The one reader of every TOML file the package reads (model files, scenario files,
    sweep specs). Refuses unreadable paths, files above ``max_bytes``, text that is not
    UTF-8, invalid TOML, tables or arrays nested deeper than ``max_depth`` levels and
    integers beyond 64 bits (TOML's own integers; tomllib would otherwise hand on huge
    ones or raise RecursionError / ValueError).
    """
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > max_bytes:
            raise error(f"{p}: the {what} has {size} bytes; at most {max_bytes} are read")
        raw = p.read_bytes()
    except OSError as err:
        reason = err.strerror or type(err).__name__
        raise error(f"{p}: cannot read the {what}: {reason}") from None
    return parse_toml_text(
        raw, source=str(p), error=error, what=what, max_bytes=max_bytes, max_depth=max_depth
    )


def parse_toml_text(
    raw: str | bytes,
    *,
    source: str = "<string>",
    error: type[Exception] = SpecFileError,
    what: str = "TOML file",
    max_bytes: int = MAX_FILE_BYTES,
    max_depth: int = MAX_DEPTH,
) -> dict[str, Any]:
    """Like `read_toml_file`, for text already in memory (``source`` names it)."""
    if isinstance(raw, bytes):
        if len(raw) > max_bytes:
            raise error(f"{source}: the {what} has {len(raw)} bytes; at most {max_bytes} are read")
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise error(f"{source}: not a UTF-8 text file (TOML must be UTF-8)") from None
    if not isinstance(raw, str):
        raise error(f"{source}: the {what} is a {type(raw).__name__}; expected TOML text")
    if len(raw) > max_bytes:
        raise error(f"{source}: the {what} has {len(raw)} characters; at most {max_bytes} are read")
    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as err:
        raise error(f"{source}: not valid TOML: {err}") from None
    except RecursionError:
        raise error(f"{source}: arrays or tables nested too deeply to read") from None
    except (ValueError, OverflowError, MemoryError) as err:  # e.g. an integer of 5000 digits
        raise error(f"{source}: a value cannot be read: {str(err)[:120]}") from None
    check_plain(data, source=source, error=error, what=what, max_depth=max_depth)
    return data


def check_plain(
    data: Any,
    *,
    source: str = "<string>",
    error: type[Exception] = SpecFileError,
    what: str = "TOML file",
    max_depth: int = MAX_DEPTH,
) -> None:
    """Refuse what no file of the package holds and later checks could choke on: tables
    or arrays nested deeper than ``max_depth`` and integers beyond 64 bits (walked
    without recursion; the message names the key)."""
    stack: list[tuple[str, Any, int]] = [("", data, 0)]
    while stack:
        key, v, depth = stack.pop()
        if depth > max_depth:
            raise error(
                f"{source}: {key.split('[')[0] or '(top level)'}: tables or arrays nested "
                f"more than {max_depth} levels deep (nested too deeply for a {what})"
            )
        if isinstance(v, dict):
            stack.extend((f"{key}.{k}" if key else str(k), x, depth + 1) for k, x in v.items())
        elif isinstance(v, list):
            stack.extend((f"{key}[{i}]", x, depth + 1) for i, x in enumerate(v))
        elif isinstance(v, int) and not isinstance(v, bool) and not -_MAX_INT <= v < _MAX_INT:
            raise error(
                f"{source}: {key}: an integer of {v.bit_length()} bits; expected a 64-bit "
                "integer (TOML integers are 64-bit)"
            )


# -- reading ---------------------------------------------------------------------------

_TOP = ("model", "states", "parameters", "inputs", "equations", "presets", "symmetry")
_MODEL = ("name", "title", "description", "references", "structure")
_STATE = ("meaning", "unit", "latex", "validity", "plot_range")
_PARAMETER = (
    "default",
    "bounds",
    "lower_inclusive",
    "meaning",
    "unit",
    "latex",
    "bound_reason",
)
_INPUT = ("default", "bounds", "meaning", "unit", "latex", "bound_reason")
_REFERENCE = ("key", "text", "bibtex", "doi")
_PRESET = ("description", "values")


class _Reader:
    """Key-by-key checks that name the file and the key path."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, key: str, value: Any, expected: str) -> ModelFileError:
        return ModelFileError(f"{self.source}: {key} = {_show(value)}; expected {expected}")

    def message(self, key: str, text: str) -> ModelFileError:
        return ModelFileError(f"{self.source}: {key}: {text}")

    def table(self, data: Any, key: str, allowed: Sequence[str] | None = None) -> dict:
        if not isinstance(data, dict):
            raise self.fail(key, data, f"a table [{key}]")
        if allowed is not None:
            for k in data:
                if k not in allowed:
                    close = difflib.get_close_matches(k, allowed, n=1)
                    hint = f" (did you mean {close[0]!r}?)" if close else ""
                    raise self.message(
                        f"{key}.{k}", f"unknown key{hint}; expected one of: {', '.join(allowed)}"
                    )
        return data

    def string(self, data: Mapping, key: str, path: str, default: str | None = None) -> Any:
        if key not in data:
            return default
        value = data[key]
        if not isinstance(value, str):
            raise self.fail(f"{path}.{key}", value, "a string")
        return value

    def number(self, value: Any, key: str, *, finite: bool = True) -> float:
        if (
            isinstance(value, str)
            and not finite
            and value.strip().lower() in ("inf", "-inf", "+inf")
        ):
            return -math.inf if value.strip().startswith("-") else math.inf
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            expected = "a number" if finite else 'a number, "inf" or "-inf"'
            raise self.fail(key, value, expected)
        try:
            out = float(value)
        except OverflowError:
            raise self.fail(key, value, "a number within double precision") from None
        if math.isnan(out) or (finite and math.isinf(out)):
            raise self.fail(key, value, "a finite number")
        return out

    def pair(self, value: Any, key: str, *, finite: bool) -> list[float]:
        if not isinstance(value, list) or len(value) != 2:
            ends = "two finite numbers" if finite else 'two numbers ("inf" / "-inf" allowed)'
            raise self.fail(key, value, f"{ends} [low, high]")
        lo, hi = (self.number(v, f"{key}[{i}]", finite=finite) for i, v in enumerate(value))
        if not lo < hi:
            raise self.fail(key, value, "[low, high] with low < high")
        return [lo, hi]

    def boolean(self, value: Any, key: str) -> bool:
        if not isinstance(value, bool):
            raise self.fail(key, value, "true or false")
        return value


def _references(r: _Reader, value: Any) -> list[Reference]:
    key = "model.references"
    if not isinstance(value, list):
        raise r.fail(key, value, "an array of DOI strings or of tables {key, text, bibtex, doi}")
    out = []
    for i, item in enumerate(value):
        where = f"{key}[{i}]"
        if isinstance(item, str):
            doi = item.strip()
            if not doi:
                raise r.fail(where, item, "a DOI such as '10.1137/0914040'")
            out.append(Reference(key=doi, text=f"doi:{doi}", doi=doi))
            continue
        spec = r.table(item, where, _REFERENCE)
        if "key" not in spec or "text" not in spec:
            raise r.message(where, "a reference table needs key and text (bibtex, doi optional)")
        out.append(
            Reference(
                key=r.string(spec, "key", where),
                text=r.string(spec, "text", where),
                bibtex=r.string(spec, "bibtex", where, ""),
                doi=r.string(spec, "doi", where, None),
            )
        )
    return out


def _structure(r: _Reader, value: Any) -> dict[str, Any]:
    spec = r.table(value, "model.structure")
    for k, v in spec.items():
        if isinstance(v, bool | str) or (isinstance(v, numbers.Real) and math.isfinite(v)):
            if isinstance(v, int) and not isinstance(v, bool) and v.bit_length() > 64:
                raise r.fail(f"model.structure.{k}", v, "an integer of at most 64 bits")
            continue
        raise r.fail(f"model.structure.{k}", v, "a number, string or boolean")
    return dict(spec)


def _declaration(r: _Reader, value: Any, key: str, allowed: Sequence[str]) -> dict[str, Any]:
    """A [parameters.NAME] / [inputs.NAME] table (or a bare default) as a checked dict."""
    if not isinstance(value, dict):
        return {"default": r.number(value, key)}
    spec = r.table(value, key, allowed)
    out: dict[str, Any] = {}
    for k, v in spec.items():
        path = f"{key}.{k}"
        if k == "default":
            out[k] = r.number(v, path)
        elif k == "bounds":
            out[k] = r.pair(v, path, finite=False)
        elif k == "lower_inclusive":
            out[k] = r.boolean(v, path)
        else:
            out[k] = r.string(spec, k, key)
    return out


def model_from_data(
    data: Mapping[str, Any], *, source: str = "<string>", default_name: str = "custom"
) -> Model:
    """The `Model` described by parsed TOML tables (``source`` names the file)."""
    r = _Reader(source)
    r.table(data, "top level", None)
    for k in data:
        if k not in _TOP:
            close = difflib.get_close_matches(k, _TOP, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise r.message(k, f"unknown table{hint}; expected: {', '.join(_TOP)}")
    meta = r.table(data.get("model", {}), "model", _MODEL)
    name = r.string(meta, "name", "model", default_name)
    if not name.strip():
        raise r.fail("model.name", name, "a non-empty name")
    title = r.string(meta, "title", "model", "")
    description = r.string(meta, "description", "model", "")
    references = _references(r, meta["references"]) if "references" in meta else []
    structure = _structure(r, meta["structure"]) if "structure" in meta else {}

    if "equations" not in data:
        raise r.message(
            "equations",
            'missing; the table [equations] with one line per state (x = "-x + a*y") is required',
        )
    eqs = r.table(data["equations"], "equations")
    if not eqs:
        raise r.message("equations", "empty; give one equation per state")
    for k, v in eqs.items():
        if not isinstance(v, str):
            raise r.fail(f"equations.{k}", v, 'the right-hand side as a string, e.g. "-x + a*y"')

    states: dict[str, dict[str, Any]] = {k: {} for k in eqs}
    for k, v in r.table(data.get("states", {}), "states").items():
        if k not in eqs:
            close = difflib.get_close_matches(k, list(eqs), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise r.message(
                f"states.{k}",
                f"a state without an equation{hint}; states are the keys of [equations]: "
                f"{', '.join(eqs)}",
            )
        spec = r.table(v, f"states.{k}", _STATE)
        for field, value in spec.items():
            path = f"states.{k}.{field}"
            if field in ("validity", "plot_range"):
                states[k][field] = r.pair(value, path, finite=field == "plot_range")
            else:
                states[k][field] = r.string(spec, field, f"states.{k}")
    parameters = {
        k: _declaration(r, v, f"parameters.{k}", _PARAMETER)
        for k, v in r.table(data.get("parameters", {}), "parameters").items()
    }
    for k, spec in parameters.items():
        if "default" not in spec:
            raise r.message(f"parameters.{k}", "missing default (a finite number)")
    inputs = {
        k: _declaration(r, v, f"inputs.{k}", _INPUT)
        for k, v in r.table(data.get("inputs", {}), "inputs").items()
    }
    presets: dict[str, Preset] = {}
    for k, v in r.table(data.get("presets", {}), "presets").items():
        spec = r.table(v, f"presets.{k}", _PRESET)
        values = r.table(spec.get("values", {}), f"presets.{k}.values")
        presets[k] = Preset(
            description=r.string(spec, "description", f"presets.{k}", ""),
            values={pk: r.number(pv, f"presets.{k}.values.{pk}") for pk, pv in values.items()},
        )
    swap = None
    if "symmetry" in data:
        sym = r.table(data["symmetry"], "symmetry", ("states", "parameters"))
        swap = {}
        for kind, mapping in sym.items():
            table = r.table(mapping, f"symmetry.{kind}")
            for a, b in table.items():
                if not isinstance(b, str):
                    raise r.fail(
                        f"symmetry.{kind}.{a}", b, f"the name of the partner's {kind[:-1]}"
                    )
            completed = dict(table)  # "a = b" also means "b = a" unless b is given
            for a, b in table.items():
                completed.setdefault(b, a)
            swap[kind] = completed

    try:
        return equations_model(
            eqs,
            parameters=parameters,
            states=states,
            inputs=inputs,
            name=name,
            title=title,
            description=description,
            references=references,
            presets=presets,
            partner_swap=swap,
            structure=structure,
        )
    except EquationError as err:
        key = f"equations.{err.equation}" if err.equation is not None else "equations"
        raise ModelFileError(f"{source}: {key}: {err}") from None
    except ModelDefinitionError as err:
        raise ModelFileError(f"{source}: {err}") from None


def load_model_file(path: str | os.PathLike[str]) -> Model:
    """The model in the TOML file ``path`` (its name defaults to the file's stem).

    Raises
    ------
    ModelFileError
        For a file that cannot be read or a model that cannot be built; the message names
        the file, the key and what was expected.
    """
    data = read_toml_file(path, error=ModelFileError, what="model file")
    return model_from_data(data, source=str(path), default_name=Path(path).stem)


def loads_model(text: str, *, source: str = "<string>") -> Model:
    """The model in TOML ``text`` (e.g. what `model_to_toml` wrote, sent to a worker)."""
    data = parse_toml_text(text, source=source, error=ModelFileError, what="model text")
    return model_from_data(data, source=source)


# -- writing ---------------------------------------------------------------------------

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def _key(name: str) -> str:
    return name if _BARE_KEY.fullmatch(name) else _string(name)


def _string(text: str) -> str:
    """A TOML basic string (multi-line when the text has line breaks)."""
    out = []
    for ch in text:
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch == "\n":
            out.append("\n")
        elif ch == "\t":
            out.append("\\t")
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    body = "".join(out)
    if "\n" in text:
        return f'"""\n{body}"""'
    return f'"{body}"'


def _float(value: float) -> str:
    v = float(value)
    if math.isinf(v):
        return '"inf"' if v > 0 else '"-inf"'
    if math.isnan(v):
        raise ModelDefinitionError("NaN cannot be written to a model file")
    return repr(v)


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, numbers.Real):
        return _float(float(value))
    if isinstance(value, str):
        return _string(value)
    raise ModelDefinitionError(
        f"{_show(value)} ({type(value).__name__}) cannot be written to a model file"
    )


def _pair_text(pair: Sequence[float]) -> str:
    return f"[{_float(pair[0])}, {_float(pair[1])}]"


def model_to_toml(model: Model) -> str:
    """``model`` as a model file (see the module docstring); deterministic.

    Raises
    ------
    ModelDefinitionError
        If an equation uses a function the text format does not know.
    """
    equations = [(s.name, expression_text(e)) for s, e in zip(model.states, model.rhs_expr)]
    lines = ["[model]", f"name = {_string(model.name)}"]
    if model.title:
        lines.append(f"title = {_string(model.title)}")
    if model.description:
        lines.append(f"description = {_string(model.description)}")
    structure = {
        k: v
        for k, v in model.structure.items()
        if isinstance(v, bool | str | numbers.Integral)
        or (isinstance(v, numbers.Real) and math.isfinite(v))
    }
    if structure:
        lines += ["", "[model.structure]"]
        lines += [f"{_key(k)} = {_scalar(v)}" for k, v in structure.items()]
    for ref in model.references:
        lines += ["", "[[model.references]]", f"key = {_string(ref.key)}"]
        lines.append(f"text = {_string(ref.text)}")
        if ref.bibtex:
            lines.append(f"bibtex = {_string(ref.bibtex)}")
        if ref.doi is not None:
            lines.append(f"doi = {_string(ref.doi)}")
    for s in model.states:
        lines += ["", f"[states.{_key(s.name)}]", f"meaning = {_string(s.meaning)}"]
        lines.append(f"unit = {_string(s.unit)}")
        if s.latex is not None:
            lines.append(f"latex = {_string(s.latex)}")
        if s.validity != (-math.inf, math.inf):
            lines.append(f"validity = {_pair_text(s.validity)}")
        lines.append(f"plot_range = {_pair_text(s.domain)}")
    for p in model.parameters:
        lines += ["", f"[parameters.{_key(p.name)}]", f"default = {_float(p.default)}"]
        if tuple(p.bounds) != (-math.inf, math.inf):
            lines.append(f"bounds = {_pair_text(p.bounds)}")
        if not p.lower_inclusive:
            lines.append("lower_inclusive = false")
        lines.append(f"meaning = {_string(p.meaning)}")
        lines.append(f"unit = {_string(p.unit)}")
        if p.latex is not None:
            lines.append(f"latex = {_string(p.latex)}")
        if p.bound_reason:
            lines.append(f"bound_reason = {_string(p.bound_reason)}")
    for u in model.inputs:
        lines += ["", f"[inputs.{_key(u.name)}]", f"default = {_float(u.default)}"]
        bounds = tuple(getattr(u, "bounds", (-math.inf, math.inf)))
        if bounds != (-math.inf, math.inf):
            lines.append(f"bounds = {_pair_text(bounds)}")
        lines.append(f"meaning = {_string(u.meaning)}")
        lines.append(f"unit = {_string(u.unit)}")
        if u.latex is not None:
            lines.append(f"latex = {_string(u.latex)}")
        if getattr(u, "bound_reason", ""):
            lines.append(f"bound_reason = {_string(u.bound_reason)}")
    lines += ["", "[equations]"]
    lines += [f"{_key(k)} = {_string(v)}" for k, v in equations]
    for key, preset in model.presets.items():
        lines += ["", f"[presets.{_key(key)}]", f"description = {_string(preset.description)}"]
        if preset.values:
            lines += ["", f"[presets.{_key(key)}.values]"]
            lines += [f"{_key(k)} = {_float(v)}" for k, v in preset.values.items()]
    if model.partner_swap is not None:
        lines += ["", "[symmetry]"]
        for kind in ("states", "parameters"):
            moved = {a: b for a, b in model.partner_swap.get(kind, {}).items() if a != b}
            if moved:
                lines += ["", f"[symmetry.{kind}]"]
                lines += [f"{_key(a)} = {_string(b)}" for a, b in moved.items()]
    return "\n".join(lines) + "\n"
