"""Equations typed as text, turned into sympy without ``eval`` or ``sympify``.

`parse_expression` reads one right-hand side with Python's `ast` module (``mode="eval"``:
the text is parsed, never compiled or run) and builds the sympy expression node by node
from a strict whitelist:

- numbers: integer literals (at most `TextLimits.max_number_digits` digits) and decimal
  literals (read as IEEE doubles, finite);
- declared names: the model's states, parameters and inputs;
- ``+ - * / **``, unary ``-`` and ``+``, parentheses;
- the functions in `FUNCTIONS`: ``exp log sqrt tanh sin cos abs`` and the package's
  ``hill(z, K, n)`` and ``hill_repressor(z, K, n)`` (``n`` a positive integer literal).

Everything else -- attributes, subscripts, lambdas, comprehensions, comparisons,
conditionals, calls of other names, keyword arguments, strings, ``min``/``max``, the time
``t`` (models are autonomous: time-varying forcing is an input such as ``stress``) --
is refused with one `EquationError` (a `ModelDefinitionError`) whose message shows the
line with a caret under the offending part and, for an unknown name, suggests close
declared names. Size is bounded before and while parsing (`TextLimits`: text length,
number of nodes, nesting depth, digits of every number, size of constant exponents), so
parsing takes bounded time whatever the text; ``9**9**9`` is refused, not computed.

`equations_model` builds a full `dyadmodel.model.Model` from a mapping of equations and
light-weight declarations (a number per parameter is enough); `expression_text` writes an
expression back as text that this parser reads to the identical sympy expression.

>>> from dyadmodel.models._text import parse_expression
>>> from dyadmodel.model import symbols
>>> x, a = symbols("x a")
>>> parse_expression("-x + a*x**2/(1 + x**2)", {"x": x, "a": a})
a*x**2/(x**2 + 1) - x
>>> parse_expression("x.__class__", {"x": x})  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
dyadmodel.models._text.EquationError: attribute access '.__class__': not allowed in ...
    x.__class__
    ^^^^^^^^^^^
"""

from __future__ import annotations

import ast
import dataclasses
import difflib
import keyword
import math
import numbers
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import sympy as sp
from sympy.printing.str import StrPrinter

from dyadmodel.model import (
    Input,
    Model,
    ModelDefinitionError,
    Parameter,
    ParameterError,
    Preset,
    Reference,
    State,
    hill,
    hill_repressor,
)

__all__ = [
    "DEFAULT_LIMITS",
    "FUNCTIONS",
    "RESERVED_NAMES",
    "EquationError",
    "TextLimits",
    "default_plot_range",
    "equations_model",
    "expression_text",
    "parse_expression",
]


@dataclasses.dataclass(frozen=True)
class TextLimits:
    """Bounds that keep parsing one equation cheap whatever the text.

    Attributes
    ----------
    max_length : int
        Characters per equation (the 6-state flagship's longest equation has ~250).
    max_nodes : int
        Syntax-tree nodes per equation.
    max_depth : int
        Nesting depth of the syntax tree (parentheses, calls, operators).
    max_number_digits : int
        Digits of an integer literal, and of the numerator and denominator of any exact
        number the text produces (``10**400`` is refused).
    max_exponent : float
        Largest magnitude of a constant exponent (``x**1000`` is allowed, ``x**10**6``
        is not); symbolic exponents (``x**n``) are not limited.
    max_hill_exponent : int
        Largest Hill exponent ``n`` in ``hill(z, K, n)``.
    """

    max_length: int = 4000
    max_nodes: int = 2000
    max_depth: int = 200
    max_number_digits: int = 60
    max_exponent: float = 1000.0
    max_hill_exponent: int = 64


DEFAULT_LIMITS = TextLimits()


#: Functions an equation may call: name -> (number of arguments, sympy builder).
FUNCTIONS: Mapping[str, tuple[int, Callable[..., sp.Expr]]] = {
    "exp": (1, sp.exp),
    "log": (1, sp.log),
    "sqrt": (1, sp.sqrt),
    "tanh": (1, sp.tanh),
    "sin": (1, sp.sin),
    "cos": (1, sp.cos),
    "abs": (1, sp.Abs),
    "hill": (3, hill),
    "hill_repressor": (3, hill_repressor),
}

#: Names a state, parameter or input may not take: the functions, the time ``t`` and
#: names the compiled numerics need (``numpy``, ``math``, ``builtins``).
RESERVED_NAMES = frozenset(FUNCTIONS) | {"t", "min", "max", "numpy", "math", "builtins"}

_OPERATORS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**"}

# what to call each refused construct in the message (users need not know ast names)
_REFUSED = {
    ast.Attribute: "attribute access",
    ast.Subscript: "subscripts (indexing)",
    ast.Lambda: "lambda",
    ast.ListComp: "comprehensions",
    ast.SetComp: "comprehensions",
    ast.DictComp: "comprehensions",
    ast.GeneratorExp: "generator expressions",
    ast.Compare: "comparisons",
    ast.BoolOp: "'and' / 'or'",
    ast.IfExp: "conditional expressions",
    ast.List: "lists",
    ast.Tuple: "tuples",
    ast.Set: "sets",
    ast.Dict: "dicts",
    ast.Starred: "starred arguments",
    ast.NamedExpr: "assignment expressions (:=)",
    ast.JoinedStr: "strings",
    ast.FormattedValue: "strings",
    ast.Await: "await",
    ast.Yield: "yield",
    ast.YieldFrom: "yield",
    ast.Slice: "slices",
}


class EquationError(ModelDefinitionError):
    """An equation that cannot be read.

    The message shows the offending line with a caret under the offending part.

    Attributes
    ----------
    equation : str or None
        Which equation (the state name), when known.
    text : str
        The equation text as given.
    line, column, end_column : int or None
        1-based line and 0-based character columns of the offending part (None when the
        whole text is at fault, e.g. too long).
    reason : str
        The message without the location and caret (for a field-side display).
    """

    def __init__(
        self,
        reason: str,
        text: str,
        *,
        equation: str | None = None,
        line: int | None = None,
        column: int | None = None,
        end_column: int | None = None,
    ) -> None:
        self.reason = reason
        self.text = text
        self.equation = equation
        self.line = line
        self.column = column
        self.end_column = end_column
        where = f"equation for {equation!r}: " if equation is not None else ""
        message = f"{where}{reason}"
        if line is not None and column is not None:
            lines = text.split("\n")
            shown = lines[line - 1] if 0 < line <= len(lines) else ""
            end = end_column if end_column is not None and end_column > column else column + 1
            end = min(end, max(len(shown), column + 1))
            message += f"\n    {shown}\n    {' ' * column}{'^' * (end - column)}"
        super().__init__(message)


class _Refused(Exception):
    """Internal: a refusal at an AST node (turned into `EquationError`)."""

    def __init__(self, reason: str, node: ast.AST | None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.node = node


def parse_expression(
    text: str,
    names: Mapping[str, sp.Symbol],
    *,
    equation: str | None = None,
    limits: TextLimits = DEFAULT_LIMITS,
) -> sp.Expr:
    """The sympy expression written in ``text``.

    Parameters
    ----------
    text : str
        One right-hand side, in Python syntax restricted to the whitelist of the module
        docstring. It may span several lines inside parentheses.
    names : mapping
        Declared name -> real sympy symbol (states, parameters, inputs).
    equation : str, optional
        Name of the equation, used in error messages.
    limits : TextLimits

    Returns
    -------
    sympy.Expr
        Real-valued and finite (division by zero, ``log(-1)``, ``sqrt(-2)`` are refused).

    Raises
    ------
    EquationError
        For anything outside the whitelist, with the position and a suggestion.
    """
    if not isinstance(text, str):
        raise EquationError(
            f"the equation is a {type(text).__name__} ({text!r:.60}); expected a str such "
            "as '-x + a*y'",
            "",
            equation=equation,
        )
    if len(text) > limits.max_length:
        raise EquationError(
            f"the equation has {len(text)} characters; at most {limits.max_length} are read",
            text[:200],
            equation=equation,
        )
    stripped = text.strip()
    if not stripped:
        raise EquationError(
            "the equation is empty; expected an expression", text, equation=equation
        )
    if "\x00" in text:
        raise EquationError("the equation contains a NUL character", text, equation=equation)
    # columns are reported in the text as given: account for the stripped prefix
    prefix = text[: len(text) - len(text.lstrip())]
    first_line = prefix.count("\n") + 1
    first_col = len(prefix) - (prefix.rfind("\n") + 1)
    try:
        tree = ast.parse(stripped, mode="eval")
    except SyntaxError as err:
        line = err.lineno or 1
        col = max((err.offset or 1) - 1, 0)
        end = (err.end_offset - 1) if err.end_offset and err.end_lineno == err.lineno else None
        if line == 1:
            col += first_col
            end = end + first_col if end is not None else None
        raise EquationError(
            f"not a valid expression ({err.msg})",
            text,
            equation=equation,
            line=line + first_line - 1,
            column=col,
            end_column=end,
        ) from None
    except (ValueError, RecursionError, MemoryError, OverflowError) as err:
        raise EquationError(
            f"the equation cannot be read ({type(err).__name__}: {str(err)[:120]})",
            text,
            equation=equation,
        ) from None
    builder = _Builder(names, limits, stripped)
    try:
        builder.check_shape(tree)
        expr = builder.build(tree.body, 0)
    except _Refused as refused:
        raise _located(refused, text, stripped, equation, first_line, first_col) from None
    except RecursionError:  # pragma: no cover - depth is bounded before building
        raise EquationError("the equation is nested too deeply", text, equation=equation) from None
    return expr


def _located(
    refused: _Refused,
    text: str,
    stripped: str,
    equation: str | None,
    first_line: int,
    first_col: int,
) -> EquationError:
    node = refused.node
    if node is None or not hasattr(node, "lineno"):
        return EquationError(refused.reason, text, equation=equation)
    lines = stripped.split("\n")
    line = node.lineno
    src = lines[line - 1] if 0 < line <= len(lines) else ""
    # ast columns count UTF-8 bytes: convert to characters
    raw = src.encode("utf-8")
    col = len(raw[: node.col_offset].decode("utf-8", errors="replace"))
    if getattr(node, "end_lineno", None) == line and node.end_col_offset is not None:
        end = len(raw[: node.end_col_offset].decode("utf-8", errors="replace"))
    else:
        end = len(src)
    if line == 1:
        col, end = col + first_col, end + first_col
    return EquationError(
        refused.reason,
        text,
        equation=equation,
        line=line + first_line - 1,
        column=col,
        end_column=end,
    )


class _Builder:
    """Walks a checked syntax tree and builds sympy, refusing anything else."""

    def __init__(self, names: Mapping[str, sp.Symbol], limits: TextLimits, text: str) -> None:
        self.names = names
        self.limits = limits
        self.text = text

    # -- shape: size and depth, checked before any sympy work -------------------
    def check_shape(self, tree: ast.AST) -> None:
        count = 0
        stack: list[tuple[ast.AST, int]] = [(tree, 0)]
        while stack:
            node, depth = stack.pop()
            count += 1
            if count > self.limits.max_nodes:
                raise _Refused(
                    f"the equation has more than {self.limits.max_nodes} terms and operators",
                    None,
                )
            if depth > self.limits.max_depth:
                raise _Refused(
                    f"the equation is nested more than {self.limits.max_depth} levels deep",
                    node,
                )
            stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))

    # -- building ------------------------------------------------------------------
    def build(self, node: ast.AST, depth: int) -> sp.Expr:
        if isinstance(node, ast.Constant):
            return self._number(node)
        if isinstance(node, ast.Name):
            return self._name(node)
        if isinstance(node, ast.UnaryOp):
            if isinstance(node.op, ast.USub):
                return self._checked(-self.build(node.operand, depth + 1), node)
            if isinstance(node.op, ast.UAdd):
                return self.build(node.operand, depth + 1)
            word = "'not'" if isinstance(node.op, ast.Not) else "bitwise operators ('~')"
            raise _Refused(f"{word} is not allowed in an equation; use + - * / **", node)
        if isinstance(node, ast.BinOp):
            return self._binop(node, depth)
        if isinstance(node, ast.Call):
            return self._call(node, depth)
        what = _REFUSED.get(type(node), type(node).__name__)
        detail = ""
        if isinstance(node, ast.Attribute):
            detail = f" '.{node.attr}'"
        raise _Refused(
            f"{what}{detail}: not allowed in an equation; allowed are numbers, declared "
            f"names, + - * / **, parentheses and the functions {', '.join(FUNCTIONS)}",
            node,
        )

    def _number(self, node: ast.Constant) -> sp.Expr:
        value = node.value
        if isinstance(value, bool) or not isinstance(value, int | float):
            kind = "strings" if isinstance(value, str | bytes) else type(value).__name__
            if isinstance(value, complex):
                kind = "complex numbers"
            elif value is None or value is Ellipsis:
                kind = repr(value)
            raise _Refused(
                f"{kind} are not allowed in an equation; expected a real number",
                node,
            )
        if isinstance(value, int):
            digits = len(str(abs(value)))  # the length limit keeps this cheap
            if digits > self.limits.max_number_digits:
                raise _Refused(
                    f"an integer with {digits} digits; at most "
                    f"{self.limits.max_number_digits} digits are allowed",
                    node,
                )
            return sp.Integer(value)
        if not math.isfinite(value):
            raise _Refused("a number too large for double precision (it would be infinite)", node)
        return sp.Float(value)

    def _name(self, node: ast.Name) -> sp.Expr:
        name = node.id
        if name in self.names:
            return self.names[name]
        if name == "t":
            raise _Refused(
                "the time 't' is not allowed: models are autonomous; write time-varying "
                "forcing as an input (e.g. stress) and give it over time in a scenario",
                node,
            )
        if name in FUNCTIONS:
            raise _Refused(f"{name!r} is a function; call it as {name}(...)", node)
        close = difflib.get_close_matches(name, [*self.names, *FUNCTIONS], n=3)
        hint = f" (did you mean {' or '.join(repr(c) for c in close)}?)" if close else ""
        declared = ", ".join(self.names) or "(none)"
        raise _Refused(
            f"unknown name {name!r}{hint}; declared names: {declared}",
            node,
        )

    def _binop(self, node: ast.BinOp, depth: int) -> sp.Expr:
        op = type(node.op)
        if op not in _OPERATORS:
            symbol = {
                ast.FloorDiv: "//",
                ast.Mod: "%",
                ast.MatMult: "@",
                ast.BitAnd: "&",
                ast.BitOr: "|",
                ast.BitXor: "^ (for powers write **)",
                ast.LShift: "<<",
                ast.RShift: ">>",
            }.get(op, op.__name__)
            raise _Refused(
                f"the operator {symbol} is not allowed in an equation; use + - * / **", node
            )
        left = self.build(node.left, depth + 1)
        right = self.build(node.right, depth + 1)
        if op is ast.Add:
            out = left + right
        elif op is ast.Sub:
            out = left - right
        elif op is ast.Mult:
            self._check_product(left, right, node)
            out = left * right
        elif op is ast.Div:
            if right == 0:
                raise _Refused("division by zero", node)
            self._check_product(left, right, node)
            out = left / right
        else:
            return self._power(left, right, node)
        return self._checked(out, node)

    def _check_product(self, left: sp.Expr, right: sp.Expr, node: ast.AST) -> None:
        if left.is_Rational and right.is_Rational:
            size = sum(self._digits(v) for v in (left, right))
            if size > 2 * self.limits.max_number_digits + 2:
                raise _Refused(
                    f"a number with more than {self.limits.max_number_digits} digits", node
                )

    @staticmethod
    def _digits(value: sp.Rational) -> int:
        return max(len(str(abs(int(value.p)))), len(str(int(value.q))))

    def _power(self, base: sp.Expr, exponent: sp.Expr, node: ast.BinOp) -> sp.Expr:
        if exponent.is_Number:
            e = float(exponent)
            if not abs(e) <= self.limits.max_exponent:
                raise _Refused(
                    f"a constant exponent of magnitude {abs(e):.6g}; at most "
                    f"{self.limits.max_exponent:g} is allowed",
                    node.right,
                )
            if base.is_Rational and exponent.is_Integer:
                grown = self._digits(base) * abs(int(exponent))
                if grown > 4 * self.limits.max_number_digits:
                    raise _Refused(
                        f"{sp.sstr(base)}**{int(exponent)} has about {grown} digits; at most "
                        f"{self.limits.max_number_digits} are allowed",
                        node,
                    )
            if base == 0 and e < 0:
                raise _Refused("division by zero (0 to a negative power)", node)
            if base.is_Number and base < 0 and not e.is_integer():
                raise _Refused(
                    "a negative number to a fractional power (complex); equations must be real",
                    node,
                )
        return self._checked(base**exponent, node, deep=True)

    def _call(self, node: ast.Call, depth: int) -> sp.Expr:
        if not isinstance(node.func, ast.Name):
            raise _Refused(
                f"only the functions {', '.join(FUNCTIONS)} may be called (by name)",
                node.func,
            )
        name = node.func.id
        if name not in FUNCTIONS:
            if name in self.names:
                raise _Refused(
                    f"{name!r} is a declared name, not a function; write a product as {name}*(...)",
                    node.func,
                )
            close = (
                []
                if name in ("min", "max")
                else difflib.get_close_matches(name, list(FUNCTIONS), n=2)
            )
            hint = f" (did you mean {' or '.join(repr(c) for c in close)}?)" if close else ""
            extra = ""
            if name in ("min", "max"):
                extra = " (min/max are not supported: the certified analyses need smooth terms)"
            raise _Refused(
                f"unknown function {name!r}{hint}{extra}; allowed functions: "
                f"{', '.join(FUNCTIONS)}",
                node.func,
            )
        if node.keywords:
            raise _Refused(f"keyword arguments are not allowed in {name}(...)", node.keywords[0])
        for arg in node.args:
            if isinstance(arg, ast.Starred):
                raise _Refused(f"starred arguments are not allowed in {name}(...)", arg)
        arity, fn = FUNCTIONS[name]
        if len(node.args) != arity:
            usage = f"{name}(z, K, n)" if arity == 3 else f"{name}(z)"
            raise _Refused(
                f"{name} takes {arity} argument{'s' if arity > 1 else ''} ({usage}); got "
                f"{len(node.args)}",
                node,
            )
        args = [self.build(a, depth + 1) for a in node.args]
        if arity == 3:  # hill / hill_repressor: n is a structural positive integer
            n = args[2]
            if not (n.is_Integer and 1 <= int(n) <= self.limits.max_hill_exponent):
                shown = _TextPrinter().doprint(n)
                raise _Refused(
                    f"the Hill exponent n = {shown} in {name}(z, K, n) must be an integer "
                    f"from 1 to {self.limits.max_hill_exponent} (it is structural: "
                    "equilibria stay polynomial only for integer exponents)",
                    node.args[2],
                )
            return self._checked(fn(args[0], args[1], int(n)), node, deep=True)
        return self._checked(fn(args[0]), node, deep=True)

    def _checked(self, expr: sp.Expr, node: ast.AST, *, deep: bool = False) -> sp.Expr:
        """Refuse non-finite, non-real or oversized constants produced by a node.

        ``deep`` searches the whole result for infinities and the imaginary unit (needed
        after powers and functions, which sympy may rewrite, e.g. ``sqrt(-2)``); sums and
        products of checked operands only need their numeric part checked.
        """
        if expr in (sp.zoo, sp.oo, -sp.oo, sp.nan) or (
            deep and expr.has(sp.zoo, sp.oo, -sp.oo, sp.nan)
        ):
            raise _Refused("division by zero or an infinite value", node)
        if deep and expr.has(sp.I):
            raise _Refused(
                "a complex value (e.g. log or sqrt of a negative number); equations must be real",
                node,
            )
        if expr.is_Mul:
            coeff = expr.as_coeff_Mul()[0]
            if coeff.is_Rational and self._digits(coeff) > self.limits.max_number_digits:
                raise _Refused(
                    f"a coefficient with more than {self.limits.max_number_digits} digits", node
                )
        if expr.is_Number:
            if expr.is_Rational and self._digits(expr) > self.limits.max_number_digits:
                raise _Refused(
                    f"a number with more than {self.limits.max_number_digits} digits", node
                )
            if expr.is_Float and not math.isfinite(float(expr)):
                raise _Refused("a number too large for double precision", node)
        return expr


# -- writing expressions back as text ------------------------------------------------


class _TextPrinter(StrPrinter):
    """sympy's str printer, with doubles written exactly and Abs as abs."""

    def _print_Float(self, expr: sp.Float) -> str:
        return repr(float(expr))

    def _print_Abs(self, expr: sp.Abs) -> str:
        return f"abs({self._print(expr.args[0])})"


_ALLOWED_FUNCS = (sp.exp, sp.log, sp.tanh, sp.sin, sp.cos, sp.Abs)


def expression_text(expr: sp.Expr) -> str:
    """``expr`` as text that `parse_expression` reads back to the identical expression.

    Raises
    ------
    ModelDefinitionError
        If ``expr`` uses a function outside `FUNCTIONS` or a constant such as ``pi``.
    """
    for node in sp.preorder_traversal(expr):
        if isinstance(node, sp.Function) and not isinstance(node, _ALLOWED_FUNCS):
            raise ModelDefinitionError(
                f"{type(node).__name__}(...) in {sp.sstr(expr)!r:.120} cannot be written as an "
                f"equation; the text format knows {', '.join(FUNCTIONS)}"
            )
        if node.is_NumberSymbol or node in (sp.I, sp.zoo, sp.oo, -sp.oo, sp.nan):
            raise ModelDefinitionError(
                f"the constant {node} in {sp.sstr(expr)!r:.120} cannot be written as an "
                "equation; use its numeric value"
            )
    return _TextPrinter({"order": None}).doprint(expr)


# -- models from equations -------------------------------------------------------------


def _check_name(name: Any, kind: str) -> str:
    if not isinstance(name, str):
        raise ModelDefinitionError(
            f"{kind} name {name!r} is a {type(name).__name__}; expected a str identifier"
        )
    if not name.isidentifier() or keyword.iskeyword(name) or not name.isascii():
        raise ModelDefinitionError(
            f"{kind} name {name!r} is not a valid name; expected letters, digits and '_' "
            "(ASCII), not starting with a digit, not a Python keyword"
        )
    if name.startswith("_"):
        raise ModelDefinitionError(f"{kind} name {name!r} may not start with '_'")
    if name in RESERVED_NAMES:
        raise ModelDefinitionError(
            f"{kind} name {name!r} is reserved (functions, the time t and constants); "
            f"reserved: {', '.join(sorted(RESERVED_NAMES))}"
        )
    return name


def _number(value: Any, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ModelDefinitionError(
            f"{what} = {value!r:.60} is a {type(value).__name__}; expected a real number"
        )
    try:
        out = float(value)
    except OverflowError:
        out = math.inf
    if math.isnan(out):
        raise ModelDefinitionError(f"{what} = nan; expected a real number")
    return out


def _finite(value: Any, what: str) -> float:
    out = _number(value, what)
    if not math.isfinite(out):
        raise ModelDefinitionError(
            f"{what} = {value!r:.60} is not finite; expected a finite number"
        )
    return out


def _pair(value: Any, what: str, *, finite: bool) -> tuple[float, float]:
    if not isinstance(value, Sequence) or isinstance(value, str) or len(value) != 2:
        raise ModelDefinitionError(
            f"{what} = {value!r:.80}; expected two numbers [low, high] with low < high"
        )
    conv = _finite if finite else _number
    lo, hi = (conv(v, f"{what}[{i}]") for i, v in enumerate(value))
    if not lo < hi:
        raise ModelDefinitionError(f"{what} = [{lo:g}, {hi:g}]; expected low < high")
    return lo, hi


def _fields(spec: Any, allowed: Sequence[str], what: str) -> dict[str, Any]:
    if not isinstance(spec, Mapping):
        raise ModelDefinitionError(
            f"{what} = {spec!r:.80} is a {type(spec).__name__}; expected a number (the "
            f"default) or a mapping with keys {', '.join(allowed)}"
        )
    for key in spec:
        if key not in allowed:
            close = difflib.get_close_matches(str(key), allowed, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise ModelDefinitionError(
                f"{what}: unknown key {key!r}{hint}; expected keys: {', '.join(allowed)}"
            )
    return dict(spec)


def _text_field(spec: Mapping[str, Any], key: str, what: str, default: str) -> str:
    value = spec.get(key, default)
    if value is None and key == "latex":
        return None  # type: ignore[return-value]
    if not isinstance(value, str):
        raise ModelDefinitionError(
            f"{what}.{key} = {value!r:.60} is a {type(value).__name__}; expected a str"
        )
    return value


_STATE_KEYS = ("meaning", "unit", "latex", "validity", "plot_range")
_PARAMETER_KEYS = (
    "default",
    "bounds",
    "meaning",
    "unit",
    "latex",
    "lower_inclusive",
    "bound_reason",
)
_INPUT_KEYS = ("default", "bounds", "meaning", "unit", "latex", "bound_reason")


def default_plot_range(validity: tuple[float, float]) -> tuple[float, float]:
    """The plotting range a state gets when none is given: the part of [-5, 5] inside
    the domain of validity, or a window of width 10 at its nearer end when they do not
    overlap (a bounded validity narrower than that is used as it is).

    >>> default_plot_range((-math.inf, math.inf)), default_plot_range((0.0, math.inf))
    ((-5.0, 5.0), (0.0, 5.0))
    >>> default_plot_range((20.0, math.inf)), default_plot_range((0.0, 1.0))
    ((20.0, 30.0), (0.0, 1.0))
    """
    lo, hi = validity
    a, b = max(lo, -5.0), min(hi, 5.0)
    if a < b:
        return a, b
    if lo >= 5.0:
        return lo, min(hi, lo + 10.0)
    return max(lo, hi - 10.0), hi


def _state(name: str, spec: Any) -> State:
    if isinstance(spec, State):
        if spec.name != name:
            raise ModelDefinitionError(f"states[{name!r}] is a State named {spec.name!r}")
        return spec
    what = f"state {name!r}"
    spec = _fields({} if spec is None else spec, _STATE_KEYS, what)
    validity = (
        _pair(spec["validity"], f"{what} validity", finite=False)
        if "validity" in spec
        else (-math.inf, math.inf)
    )
    if "plot_range" in spec:
        plot = _pair(spec["plot_range"], f"{what} plot_range", finite=True)
    else:
        plot = default_plot_range(validity)
    return State(
        name=name,
        meaning=_text_field(spec, "meaning", what, ""),
        domain=plot,
        unit=_text_field(spec, "unit", what, ""),
        latex=_text_field(spec, "latex", what, None) if "latex" in spec else None,
        validity=validity,
    )


def _parameter(name: str, spec: Any) -> Parameter:
    if isinstance(spec, Parameter):
        if spec.name != name:
            raise ModelDefinitionError(f"parameters[{name!r}] is a Parameter named {spec.name!r}")
        return spec
    what = f"parameter {name!r}"
    if not isinstance(spec, Mapping):
        spec = {"default": spec}
    spec = _fields(spec, _PARAMETER_KEYS, what)
    if "default" not in spec:
        raise ModelDefinitionError(f"{what}: missing 'default' (a finite number)")
    bounds = (
        _pair(spec["bounds"], f"{what} bounds", finite=False)
        if "bounds" in spec
        else (-math.inf, math.inf)
    )
    inclusive = spec.get("lower_inclusive", True)
    if not isinstance(inclusive, bool):
        raise ModelDefinitionError(
            f"{what}.lower_inclusive = {inclusive!r:.60}; expected true or false"
        )
    record = Parameter(
        name=name,
        default=_finite(spec["default"], f"{what} default"),
        meaning=_text_field(spec, "meaning", what, ""),
        bounds=bounds,
        lower_inclusive=inclusive,
        unit=_text_field(spec, "unit", what, "1"),
        latex=_text_field(spec, "latex", what, None) if "latex" in spec else None,
        bound_reason=_text_field(spec, "bound_reason", what, ""),
    )
    try:
        record.check(record.default)
    except ParameterError as err:
        raise ModelDefinitionError(f"the default of {err}") from None
    return record


def _input(name: str, spec: Any) -> Input:
    if isinstance(spec, Input):
        if spec.name != name:
            raise ModelDefinitionError(f"inputs[{name!r}] is an Input named {spec.name!r}")
        return spec
    what = f"input {name!r}"
    if not isinstance(spec, Mapping):
        spec = {"default": spec}
    spec = _fields(spec, _INPUT_KEYS, what)
    bounds = (
        _pair(spec["bounds"], f"{what} bounds", finite=False)
        if "bounds" in spec
        else (-math.inf, math.inf)
    )
    default = _finite(spec.get("default", 0.0), f"{what} default")
    if not bounds[0] <= default <= bounds[1]:
        raise ModelDefinitionError(
            f"{what} default = {default:g} is outside its bounds [{bounds[0]:g}, {bounds[1]:g}]"
        )
    return Input(
        name=name,
        meaning=_text_field(spec, "meaning", what, ""),
        default=default,
        unit=_text_field(spec, "unit", what, ""),
        latex=_text_field(spec, "latex", what, None) if "latex" in spec else None,
        bounds=bounds,
        bound_reason=_text_field(spec, "bound_reason", what, ""),
    )


def _declared(spec: Any, kind: str) -> dict[str, Any]:
    if spec is None:
        return {}
    if isinstance(spec, Mapping):
        return dict(spec)
    if isinstance(spec, Sequence) and not isinstance(spec, str):  # records or bare names
        out = {}
        for item in spec:
            if isinstance(item, State | Parameter | Input):
                out[item.name] = item
            elif isinstance(item, str) and kind == "states":
                out[item] = None
            else:
                raise ModelDefinitionError(
                    f"{kind} = {spec!r:.80}: expected a mapping name -> declaration"
                )
        return out
    raise ModelDefinitionError(
        f"{kind} = {spec!r:.80} is a {type(spec).__name__}; expected a mapping name -> declaration"
    )


def equations_model(
    equations: Mapping[str, str],
    parameters: Mapping[str, Any] | None = None,
    states: Mapping[str, Any] | Sequence[str] | None = None,
    inputs: Mapping[str, Any] | None = None,
    *,
    name: str = "custom",
    title: str = "",
    description: str = "",
    references: Sequence[Reference] = (),
    presets: Mapping[str, Preset | Mapping[str, Any]] | None = None,
    partner_swap: Mapping[str, Mapping[str, str]] | None = None,
    structure: Mapping[str, Any] | None = None,
    limits: TextLimits = DEFAULT_LIMITS,
) -> Model:
    """A `Model` from equations typed as text; see `dyadmodel.model.Model.from_equations`."""
    if not isinstance(equations, Mapping) or not equations:
        raise ModelDefinitionError(
            f"equations = {equations!r:.80}; expected a non-empty mapping state name -> "
            "right-hand side text, e.g. {'x': '-x + a*y'}"
        )
    if not isinstance(name, str) or not name.strip():
        raise ModelDefinitionError(f"model name = {name!r:.60}; expected a non-empty str")
    if not isinstance(title, str) or not isinstance(description, str):
        raise ModelDefinitionError("title and description must be str")
    for key in equations:
        _check_name(key, "state")
    state_specs = _declared(states, "states") if states is not None else dict.fromkeys(equations)
    param_specs = _declared(parameters, "parameters")
    input_specs = _declared(inputs, "inputs")
    for kind, specs in (("state", state_specs), ("parameter", param_specs), ("input", input_specs)):
        for key in specs:
            _check_name(key, kind)
    missing = [s for s in state_specs if s not in equations]
    extra = [e for e in equations if e not in state_specs]
    if missing or extra:
        raise ModelDefinitionError(
            f"equations and states differ: states without an equation: {missing or 'none'}; "
            f"equations for undeclared states: {extra or 'none'}"
        )
    state_recs = [_state(k, v) for k, v in state_specs.items()]
    param_recs = [_parameter(k, v) for k, v in param_specs.items()]
    input_recs = [_input(k, v) for k, v in input_specs.items()]
    seen: dict[str, str] = {}
    for kind, recs in (("state", state_recs), ("parameter", param_recs), ("input", input_recs)):
        for rec in recs:
            if rec.name in seen:
                raise ModelDefinitionError(
                    f"name {rec.name!r} is declared as both a {seen[rec.name]} and a {kind}"
                )
            seen[rec.name] = kind
    symbols = {n: sp.Symbol(n, real=True) for n in seen}
    rhs = []
    for rec in state_recs:
        text = equations[rec.name]
        rhs.append(parse_expression(text, symbols, equation=rec.name, limits=limits))
    preset_recs = {}
    for key, preset in (presets or {}).items():
        if isinstance(preset, Preset):
            preset_recs[key] = preset
            continue
        spec = _fields(preset, ("description", "values"), f"preset {key!r}")
        values = spec.get("values", {})
        if not isinstance(values, Mapping):
            raise ModelDefinitionError(
                f"preset {key!r} values = {values!r:.60}; expected a mapping"
            )
        preset_recs[key] = Preset(
            description=_text_field(spec, "description", f"preset {key!r}", ""),
            values=dict(values),
        )
    return Model(
        name=name,
        title=title or name,
        states=state_recs,
        parameters=param_recs,
        rhs=rhs,
        inputs=input_recs,
        description=description,
        references=tuple(references),
        structure=structure,
        partner_swap=partner_swap,
        presets=preset_recs,
    )
