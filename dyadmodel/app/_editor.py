"""The explorer's equations panel: a model as three short texts, read without ``eval``.

The panel shows (and lets the user edit) the current model as

- **equations**, one per line, ``x' = <right-hand side>`` (also ``dx/dt = ...``); the
  left-hand sides name the states, in order; the right-hand sides are read by
  `dyadmodel.models._text.parse_expression` (an `ast` whitelist, never evaluated);
- **parameters**, one per line, ``mu = 1`` or ``mu = 1 in [0, 10]`` (``(0, 10]`` for an
  open lower end, ``inf`` for no upper bound);
- **plotting ranges**, one per line, ``x in [-3, 3]`` (optional: a state without one keeps
  the range of the model it was edited from, else ``[-5, 5]``).

`typed_model` builds the `Model` with `dyadmodel.Model.from_equations`; the meaning,
unit, symbol and domain of validity of a state or parameter that keeps its name are
taken over from the model the text was edited from (its ``base``), and so are the inputs
the equations use (e.g. ``stress``). Problems are reported per field (`PanelError`),
with the line and a caret under the offending part, so the page can show each message
beside its field.

Every text is bounded before it is read (`PanelLimits`), so that a pasted novel or a
crafted address cannot tie the server.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Mapping
from typing import Any

from dyadmodel.errors import InvalidInputError
from dyadmodel.model import Model, ModelDefinitionError, ParameterError

__all__ = [
    "BLANK_TEXTS",
    "FIELDS",
    "RESERVED_ADDRESS_KEYS",
    "PanelError",
    "PanelLimits",
    "model_texts",
    "texts_from_query",
    "typed_model",
]

#: The panel's fields, in the order of the page and of the address.
FIELDS = ("equations", "parameters", "ranges")

#: Keys of the explorer's address that a typed parameter may not take.
RESERVED_ADDRESS_KEYS = frozenset({"model", "x", "y", "view", *FIELDS})

#: The "blank 2-state system" the panel can start from: a damped linear oscillator.
BLANK_TEXTS = {
    "equations": "x' = y\ny' = -x - c*y",
    "parameters": "c = 0.5 in [-2, 2]",
    "ranges": "x in [-3, 3]\ny in [-3, 3]",
}

_NAME = r"[A-Za-z_][A-Za-z0-9_]*"
_NUMBER = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?|[-+]?inf"
_EQUATION = re.compile(
    rf"^\s*(?:d\s*(?P<d>{_NAME})\s*/\s*dt|(?P<n>{_NAME})\s*['′]?)\s*=(?P<rhs>.*)$"
)
_PARAMETER = re.compile(
    rf"^\s*(?P<name>{_NAME})\s*=\s*(?P<default>{_NUMBER})\s*"
    rf"(?:in\s*(?P<open>[\[(])\s*(?P<lo>{_NUMBER})\s*,\s*(?P<hi>{_NUMBER})\s*(?P<close>[\])]))?\s*$"
)
_RANGE = re.compile(
    rf"^\s*(?P<name>{_NAME})\s*in\s*\[\s*(?P<lo>{_NUMBER})\s*,\s*(?P<hi>{_NUMBER})\s*\]\s*$"
)


@dataclasses.dataclass(frozen=True)
class PanelLimits:
    """Bounds of the equations panel.

    Attributes
    ----------
    max_chars : int
        Characters of the three fields together (each equation is further bounded by
        `dyadmodel.models._text.TextLimits`). The address holds at most this much text.
    max_states : int
        States a typed model may have (at least 2: the explorer draws planes).
    max_parameters : int
        Parameters a typed model may declare.
    """

    max_chars: int = 8000
    max_states: int = 8
    max_parameters: int = 40


class PanelError(InvalidInputError):
    """Text of the equations panel that cannot be used.

    Attributes
    ----------
    messages : dict
        Field name (one of `FIELDS`) -> its message (line, reason and a caret).
    """

    def __init__(self, messages: Mapping[str, str]) -> None:
        self.messages = {f: messages[f] for f in FIELDS if messages.get(f)}
        super().__init__("; ".join(f"{f}: {m}" for f, m in self.messages.items()))


# ---------------------------------------------------------------------------------------
# model -> texts


def _number_text(v: float) -> str:
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return f"{v:.12g}"


def model_texts(model: Model) -> dict[str, str]:
    """The three panel texts that describe ``model`` (`typed_model` reads them back to
    the same right-hand side, parameters and ranges)."""
    from dyadmodel.models._text import expression_text

    eqs = "\n".join(
        f"{s.name}' = {expression_text(e)}" for s, e in zip(model.states, model.rhs_expr)
    )
    params = []
    for p in model.parameters:
        lo, hi = p.bounds
        line = f"{p.name} = {_number_text(p.default)}"
        if math.isfinite(lo) or math.isfinite(hi):
            open_ = "[" if p.lower_inclusive and math.isfinite(lo) else "("
            close = "]" if math.isfinite(hi) else ")"
            line += f" in {open_}{_number_text(lo)}, {_number_text(hi)}{close}"
        params.append(line)
    ranges = "\n".join(
        f"{s.name} in [{_number_text(s.domain[0])}, {_number_text(s.domain[1])}]"
        for s in model.states
    )
    return {"equations": eqs, "parameters": "\n".join(params), "ranges": ranges}


# ---------------------------------------------------------------------------------------
# texts -> model


def _caret(n: int, line: str, reason: str, start: int | None = None, end: int | None = None):
    """``line n: reason`` with the line and a caret under ``line[start:end]``."""
    text = f"line {n}: {reason}"
    if start is None:
        return text
    end = max(end if end is not None else start + 1, start + 1)
    return f"{text}\n  {line}\n  {' ' * start}{'^' * (end - start)}"


def _lines(text: str) -> list[tuple[int, str]]:
    """Numbered lines that are not blank or comments (``#``)."""
    return [
        (k, line)
        for k, line in enumerate(text.split("\n"), start=1)
        if line.strip() and not line.strip().startswith("#")
    ]


def _float(text: str) -> float:
    return float(text)  # the regular expressions admit only numbers and +-inf


def check_texts(texts: Any, limits: PanelLimits = PanelLimits()) -> dict[str, str]:
    """The three texts as strings, within ``limits.max_chars`` together.

    Raises `PanelError` for a missing field, a non-string or text beyond the limit.
    """
    if not isinstance(texts, Mapping):
        raise PanelError({"equations": f"expected the panel's texts, got {type(texts).__name__}"})
    out = {}
    for f in FIELDS:
        v = texts.get(f, "")
        if v is None:
            v = ""
        if not isinstance(v, str):
            raise PanelError({f: f"expected text, got {type(v).__name__}"})
        out[f] = v.replace("\r\n", "\n")
    total = sum(len(v) for v in out.values())
    if total > limits.max_chars:
        longest = max(FIELDS, key=lambda f: len(out[f]))
        raise PanelError(
            {
                longest: f"the model text has {total} characters; at most {limits.max_chars} "
                "are read (the explorer's limit; write a model file for larger models)"
            }
        )
    return out


def _read_equations(text: str, limits: PanelLimits) -> dict[str, tuple[int, str, str, int]]:
    """State name -> (line number, line, right-hand side, column of the right-hand side)."""
    lines = _lines(text)
    if not lines:
        raise PanelError({"equations": "no equations; expected one line per state: x' = ..."})
    out: dict[str, tuple[int, str, str, int]] = {}
    for n, line in lines:
        m = _EQUATION.match(line)
        if m is None:
            raise PanelError(
                {
                    "equations": _caret(
                        n, line, "expected  name' = right-hand side  (e.g. x' = -x + a*y)", 0
                    )
                }
            )
        name = m.group("d") or m.group("n")
        if name in out:
            start = m.start("d") if m.group("d") else m.start("n")
            raise PanelError(
                {
                    "equations": _caret(
                        n,
                        line,
                        f"a second equation for {name!r} (first on line {out[name][0]})",
                        start,
                        start + len(name),
                    )
                }
            )
        out[name] = (n, line, m.group("rhs"), m.start("rhs"))
    if not 2 <= len(out) <= limits.max_states:
        raise PanelError(
            {
                "equations": f"{len(out)} equation(s); the explorer draws models with 2 to "
                f"{limits.max_states} states (write a model file for others)"
            }
        )
    return out


def _read_parameters(text: str, limits: PanelLimits) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for n, line in _lines(text):
        m = _PARAMETER.match(line)
        if m is None:
            raise PanelError(
                {
                    "parameters": _caret(
                        n,
                        line,
                        "expected  name = value  or  name = value in [lower, upper]",
                        0,
                        len(line.rstrip()),
                    )
                }
            )
        name = m.group("name")
        where = (m.start("name"), m.end("name"))
        if name in out:
            raise PanelError({"parameters": _caret(n, line, f"{name!r} is declared twice", *where)})
        if name in RESERVED_ADDRESS_KEYS:
            raise PanelError(
                {
                    "parameters": _caret(
                        n,
                        line,
                        f"{name!r} is a key of the explorer's address; choose another name",
                        *where,
                    )
                }
            )
        default = _float(m.group("default"))
        if not math.isfinite(default):
            raise PanelError(
                {
                    "parameters": _caret(
                        n,
                        line,
                        f"value {m.group('default')}: expected a finite number",
                        m.start("default"),
                        m.end("default"),
                    )
                }
            )
        spec: dict[str, Any] = {"default": default}
        if m.group("lo") is not None:
            lo, hi = _float(m.group("lo")), _float(m.group("hi"))
            bad = None
            if not lo < hi:
                bad = f"bounds [{m.group('lo')}, {m.group('hi')}]: expected lower < upper"
            elif m.group("close") == ")" and math.isfinite(hi):
                bad = "a finite upper bound is included: write ']'"
            elif m.group("open") == "[" and math.isinf(lo):
                bad = "-inf cannot be included: write '('"
            if bad:
                raise PanelError(
                    {"parameters": _caret(n, line, bad, m.start("open"), m.end("close"))}
                )
            spec["bounds"] = (lo, hi)
            spec["lower_inclusive"] = m.group("open") == "["
            inside = (lo <= default if spec["lower_inclusive"] else lo < default) and default <= hi
            if not inside:
                raise PanelError(
                    {
                        "parameters": _caret(
                            n,
                            line,
                            f"value {m.group('default')} lies outside its bounds "
                            f"{m.group('open')}{m.group('lo')}, {m.group('hi')}{m.group('close')}",
                            m.start("default"),
                            m.end("default"),
                        )
                    }
                )
        out[name] = spec | {"_line": (n, line, *where)}
    if len(out) > limits.max_parameters:
        raise PanelError(
            {"parameters": f"{len(out)} parameters; at most {limits.max_parameters} are read"}
        )
    return out


def _read_ranges(text: str, states: Mapping[str, Any]) -> dict[str, tuple[float, float]]:
    out: dict[str, tuple[float, float]] = {}
    for n, line in _lines(text):
        m = _RANGE.match(line)
        if m is None:
            raise PanelError(
                {
                    "ranges": _caret(
                        n, line, "expected  state in [lower, upper]", 0, len(line.rstrip())
                    )
                }
            )
        name = m.group("name")
        where = (m.start("name"), m.end("name"))
        if name not in states:
            import difflib

            close = difflib.get_close_matches(name, list(states), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise PanelError(
                {
                    "ranges": _caret(
                        n,
                        line,
                        f"{name!r} is not a state{hint}; states: {', '.join(states)}",
                        *where,
                    )
                }
            )
        if name in out:
            raise PanelError({"ranges": _caret(n, line, f"a second range for {name!r}", *where)})
        lo, hi = _float(m.group("lo")), _float(m.group("hi"))
        if not (math.isfinite(lo) and math.isfinite(hi) and lo < hi):
            raise PanelError(
                {
                    "ranges": _caret(
                        n,
                        line,
                        f"[{m.group('lo')}, {m.group('hi')}]: expected finite lower < upper",
                        m.start("lo"),
                        m.end("hi"),
                    )
                }
            )
        out[name] = (lo, hi)
    return out


def typed_model(
    texts: Mapping[str, str],
    base: Model | None = None,
    *,
    limits: PanelLimits = PanelLimits(),
) -> Model:
    """The model the panel's ``texts`` describe.

    Parameters
    ----------
    texts : mapping
        ``{"equations", "parameters", "ranges"}`` (see the module docstring).
    base : Model, optional
        The model the text was edited from: states and parameters that keep their names
        keep its meaning, unit, symbol and domain of validity (and plotting range when
        the ranges field gives none); its inputs used by the equations are declared.
        The result is called ``<base>-edited`` when a state keeps its name, else
        ``typed``.
    limits : PanelLimits

    Raises
    ------
    PanelError
        With one message per field at fault (its line, the reason and a caret).
    """
    from dyadmodel.models._text import EquationError, default_plot_range

    t = check_texts(texts, limits)
    equations = _read_equations(t["equations"], limits)
    params = _read_parameters(t["parameters"], limits)
    ranges = _read_ranges(t["ranges"], equations)
    base_states = {s.name: s for s in base.states} if base is not None else {}
    base_params = {p.name: p for p in base.parameters} if base is not None else {}
    inputs = {i.name: i for i in base.inputs} if base is not None else {}
    for name in params:
        if name in equations:
            n, line, start, end = params[name]["_line"]
            raise PanelError(
                {"parameters": _caret(n, line, f"{name!r} is also a state", start, end)}
            )
    inputs = {k: v for k, v in inputs.items() if k not in equations and k not in params}
    state_specs: dict[str, dict[str, Any]] = {}
    for name in equations:
        spec: dict[str, Any] = {}
        old = base_states.get(name)
        if old is not None:
            spec = {
                "meaning": old.meaning,
                "unit": old.unit,
                "latex": old.latex,
                "validity": tuple(old.validity),
                "plot_range": tuple(old.domain),
            }
        if name in ranges:
            spec["plot_range"] = ranges[name]
        elif old is None:
            spec["plot_range"] = default_plot_range((-math.inf, math.inf))
        state_specs[name] = {k: v for k, v in spec.items() if v is not None}
    param_specs: dict[str, dict[str, Any]] = {}
    for name, spec in params.items():
        spec = {k: v for k, v in spec.items() if k != "_line"}
        old = base_params.get(name)
        if old is not None:
            spec |= {"meaning": old.meaning, "unit": old.unit}
            if old.latex:
                spec["latex"] = old.latex
        param_specs[name] = spec
    if any(n in base_states for n in equations):  # edited from the base model
        name, title = f"{base.name}-edited", f"{base.title} (edited)"
    else:  # a system of its own
        name, title = "typed", "typed model"
    try:
        model = Model.from_equations(
            {k: v[2] for k, v in equations.items()},
            param_specs,
            state_specs,
            inputs,
            name=name,
            title=title,
        )
    except EquationError as err:
        raise PanelError({"equations": _equation_message(err, equations)}) from None
    except ParameterError as err:
        raise PanelError({"parameters": str(err)}) from None
    except (ModelDefinitionError, ValueError, TypeError) as err:
        raise PanelError({"equations": str(err)}) from None
    used = set().union(*(e.free_symbols for e in model.rhs_expr))
    used_names = {s.name for s in used}
    if any(i not in used_names for i in inputs):  # declare only the inputs in use
        model = Model.from_equations(
            {k: v[2] for k, v in equations.items()},
            param_specs,
            state_specs,
            {k: v for k, v in inputs.items() if k in used_names},
            name=name,
            title=title,
        )
    return model


def _equation_message(err: Any, equations: Mapping[str, tuple[int, str, str, int]]) -> str:
    """The parser's message relocated to the panel's line and column."""
    where = equations.get(err.equation) if err.equation is not None else None
    if where is None:
        return str(err)
    n, line, _rhs, offset = where
    if err.column is None or (err.line is not None and err.line != 1):
        return _caret(n, line, err.reason)
    return _caret(n, line, err.reason, offset + err.column, offset + (err.end_column or 0))


# ---------------------------------------------------------------------------------------
# the address


def texts_from_query(query: Mapping[str, str]) -> dict[str, str] | None:
    """The panel texts an address holds (None when it holds no equations)."""
    if "equations" not in query:
        return None
    return {f: query.get(f, "") for f in FIELDS}
