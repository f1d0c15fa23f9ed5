"""Equations as text: the whitelist parser and `Model.from_equations`.

- every registered model written as text parses back to the identical right-hand side;
- a model typed with ``hill(...)`` equals the registered flagship;
- every refused construct raises one `EquationError` (a `ModelDefinitionError`,
  a `ValueError`) with a caret under the offending part;
- fuzz (hypothesis): random strings and random syntax trees (grammar including forbidden
  nodes and calls that would have side effects) never raise anything else, never run
  anything, finish in bounded time, and valid trees give exactly the expression built
  independently from the same tree.
"""

import builtins
import contextlib
import math
import os
import pathlib
import tempfile
import time
from unittest import mock

import numpy as np
import pytest
import sympy as sp
import sympy.parsing.sympy_parser as sympy_parser
from hypothesis import given, settings
from hypothesis import strategies as st

import dyadmodel as dm
from dyadmodel.model import ModelDefinitionError, symbols
from dyadmodel.models._text import (
    FUNCTIONS,
    EquationError,
    TextLimits,
    default_plot_range,
    expression_text,
    parse_expression,
)

X, Y, A, K = symbols("x y a K")
NAMES = {"x": X, "y": Y, "a": A, "K": K}


@pytest.mark.parametrize("name", dm.models.names())
def test_every_registered_model_written_as_text_parses_to_the_identical_rhs(name):
    model = dm.models.get(name)
    declared = {s.name: s for s in model.all_symbols}
    for expr in model.rhs_expr:
        assert parse_expression(expression_text(expr), declared) == expr


def test_flagship_typed_with_hill_equals_the_registered_model():
    ref = dm.models.get("pursuer-distancer-2d")
    typed = dm.Model.from_equations(
        {
            "pursuit_1": "recovery_rate_1*(approach_baseline_1 + anxiety_gain_1*"
            "hill(distance_2 + stress, threshold_1, 2) - pursuit_1)",
            "distance_2": "recovery_rate_2*(avoidance_baseline_2 + avoidance_gain_2*"
            "hill(pursuit_1 + stress, threshold_2, 2) - distance_2)",
        },
        parameters={p.name: p for p in ref.parameters},
        inputs={"stress": 0.0},
    )
    assert typed.rhs_expr == ref.rhs_expr
    assert typed.is_rational


def test_from_equations_builds_a_full_model_with_documented_defaults():
    m = dm.Model.from_equations(
        {"x": "-x + a*y**2/(K**2 + y**2)", "y": "-y + x"},
        parameters={"a": 2.0, "K": {"default": 1.0, "bounds": [0, math.inf], "unit": "1"}},
        states={"x": {"validity": (0, math.inf)}, "y": None},
        name="toy",
    )
    assert m.name == m.title == "toy"
    assert m.state_names == ("x", "y") and m.parameter_names == ("a", "K")
    assert m.states[0].validity == (0.0, math.inf) and m.states[0].domain == (0.0, 5.0)
    assert m.states[1].validity == (-math.inf, math.inf) and m.states[1].domain == (-5.0, 5.0)
    assert m.parameter("K").bounds == (0.0, math.inf)
    # closed form at (x, y) = (1, 1): x' = -1 + 2*1/2 = 0, y' = 0; Jacobian entry 2aK^2y/(K^2+y^2)^2
    np.testing.assert_allclose(m.rhs([1.0, 1.0]), [0.0, 0.0], atol=1e-15)
    np.testing.assert_allclose(m.jacobian([1.0, 1.0]), [[-1.0, 1.0], [1.0, -1.0]])
    assert "\\dot{x}" in m.latex()


def test_van_der_pol_typed_gives_one_unstable_focus():
    m = dm.Model.from_equations({"x": "y", "y": "mu*(1 - x**2)*y - x"}, {"mu": 1.0})
    eq = dm.equilibria(m)
    assert eq.complete and len(eq) == 1
    assert eq[0].kind == "unstable focus"
    np.testing.assert_allclose(eq[0].state, [0.0, 0.0], atol=1e-12)


@pytest.mark.parametrize(
    ("text", "reason", "marked"),
    [
        ("x.__class__", "attribute access", "x.__class__"),
        ("x[0]", "subscripts", "x[0]"),
        ("lambda: x", "lambda", "lambda: x"),
        ("[x for x in y]", "comprehensions", "[x for x in y]"),
        ("x if y else a", "conditional", "x if y else a"),
        ("x < y", "comparisons", "x < y"),
        ("'x'", "strings", "'x'"),
        ("1j*x", "complex numbers", "1j"),
        ("True*x", "bool", "True"),
        ("x // y", "operator //", "x // y"),
        ("x ^ 2", "^ (for powers write **)", "x ^ 2"),
        ("foo(x)", "unknown function 'foo'", "foo"),
        ("max(x, y)", "min/max are not supported", "max"),
        ("exp(x=1)", "keyword arguments", "x=1"),
        ("exp(*y)", "starred", "*y"),
        ("exp(x, y)", "takes 1 argument", "exp(x, y)"),
        ("hill(x, K, 2.5)", "Hill exponent", "2.5"),
        ("hill(x, K, a)", "Hill exponent", "a"),
        ("a*xx + y", "unknown name 'xx' (did you mean 'x'?)", "xx"),
        ("t*x", "time 't'", "t"),
        ("exp + x", "is a function", "exp"),
        ("a(x + 1)", "not a function", "a"),
        ("9**9**9", "constant exponent", "9**9"),
        ("x**100000", "constant exponent", "100000"),
        ("10**100", "digits", "10**100"),
        ("1" * 70, "digits", "1" * 70),
        ("1e999", "double precision", "1e999"),
        ("x/0", "division by zero", "x/0"),
        ("0**(-1) + x", "division by zero", "0**(-1)"),
        ("log(-1)", "complex", "log(-1)"),
        ("sqrt(-2*a**0)", "complex", "sqrt(-2*a**0)"),
        ("(-8)**(1/3)", "complex", "(-8)**(1/3)"),
        ("__import__('os').system('true')", "only the functions", "__import__('os').system"),
        ("x +* y", "not a valid expression", "*"),
        ("", "empty", None),
        ("(x := 1)", "assignment", "x := 1"),
    ],
)
def test_refused_text_raises_one_error_with_a_caret_under_the_offending_part(text, reason, marked):
    with pytest.raises(EquationError, match=None) as info:
        parse_expression(text, NAMES, equation="x")
    err = info.value
    assert isinstance(err, ModelDefinitionError) and isinstance(err, ValueError)
    assert reason in str(err)
    assert str(err).startswith("equation for 'x': ")
    if marked is not None:
        assert text[err.column : err.end_column] == marked
        caret_line = str(err).splitlines()[-1]
        assert caret_line.strip() == "^" * len(marked)
        assert caret_line.index("^") - 4 == err.column


def test_caret_counts_characters_after_leading_space_and_non_ascii_text():
    with pytest.raises(EquationError) as info:
        parse_expression("  exp(x) + é + y", NAMES)
    err = info.value
    assert "  exp(x) + é + y"[err.column : err.end_column] == "é"
    with pytest.raises(EquationError) as info:
        parse_expression("(x +\n   yy)", NAMES)
    assert info.value.line == 2 and "   yy)"[info.value.column : info.value.end_column] == "yy"


def test_limits_refuse_long_deep_and_large_text_quickly():
    limits = TextLimits()
    cases = [
        "x+" * limits.max_length + "x",
        "(" * 250 + "x" + ")" * 250,
        "/".join(f"(x+{i})" for i in range(250)),
        "-" * 3000 + "x",
        "exp(" * 300 + "x" + ")" * 300,
        "+".join(["x*y"] * 1200),
        "\x00x",
    ]
    for text in cases:
        start = time.perf_counter()
        with pytest.raises(EquationError):
            parse_expression(text, NAMES)
        assert time.perf_counter() - start < 2.0
    with pytest.raises(EquationError, match="expected a str"):
        parse_expression(None, NAMES)  # type: ignore[arg-type]


def test_allowed_functions_build_the_sympy_functions():
    expected = {
        "exp": sp.exp(X),
        "log": sp.log(X),
        "sqrt": sp.sqrt(X),
        "tanh": sp.tanh(X),
        "sin": sp.sin(X),
        "cos": sp.cos(X),
        "abs": sp.Abs(X),
    }
    for name, expr in expected.items():
        assert parse_expression(f"{name}(x)", NAMES) == expr
    assert parse_expression("hill_repressor(y, K, 3)", NAMES) == K**3 / (K**3 + Y**3)
    assert set(expected) | {"hill", "hill_repressor"} == set(FUNCTIONS)


def test_decimal_literals_are_doubles_and_written_back_exactly():
    expr = parse_expression("0.1*x + 1/3*y + 2.5e-300", NAMES)
    assert expr == sp.Float(0.1) * X + sp.Rational(1, 3) * Y + sp.Float(2.5e-300)
    assert parse_expression(expression_text(expr), NAMES) == expr


def test_expression_text_refuses_what_the_format_cannot_express():
    with pytest.raises(ModelDefinitionError, match="cannot be written"):
        expression_text(sp.Piecewise((X, X > 0), (0, True)))
    with pytest.raises(ModelDefinitionError, match="constant pi"):
        expression_text(sp.pi * X)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"equations": {}}, "non-empty mapping"),
        ({"equations": {"x": "x"}, "parameters": {"x": 1.0}}, "both a state and a parameter"),
        ({"equations": {"x": "-x"}, "states": ["x", "y"]}, "states without an equation"),
        ({"equations": {"exp": "1"}}, "reserved"),
        ({"equations": {"t": "1"}}, "reserved"),
        ({"equations": {"x y": "1"}}, "not a valid name"),
        ({"equations": {"_x": "1"}}, "may not start with '_'"),
        ({"equations": {"x": "-x"}, "parameters": {"a": "1"}}, "expected a real number"),
        ({"equations": {"x": "-x"}, "parameters": {"a": math.nan}}, "nan"),
        ({"equations": {"x": "-x"}, "parameters": {"a": {"deflt": 1}}}, "did you mean"),
        ({"equations": {"x": "-x"}, "parameters": {"a": {"bounds": [0, 1]}}}, "missing 'default'"),
        (
            {"equations": {"x": "-x"}, "parameters": {"a": {"default": 2, "bounds": [0, 1]}}},
            "above",
        ),
        ({"equations": {"x": "-x"}, "states": {"x": {"validity": [1, 0]}}}, "low < high"),
        ({"equations": {"x": "-x"}, "states": {"x": {"plot_range": [0, math.inf]}}}, "finite"),
        ({"equations": {"x": "-x"}, "inputs": {"s": {"default": -1, "bounds": [0, 1]}}}, "outside"),
        ({"equations": {"x": "-x*s"}, "inputs": {"s": True}}, "bool"),
    ],
)
def test_bad_declarations_raise_model_definition_errors_naming_the_problem(kwargs, message):
    with pytest.raises(ModelDefinitionError, match=None) as info:
        dm.Model.from_equations(**kwargs)
    assert message in str(info.value)


def test_default_plot_range_lies_in_the_domain_of_validity():
    for validity in [
        (-math.inf, math.inf),
        (0.0, math.inf),
        (2.0, 3.0),
        (20.0, math.inf),
        (-math.inf, -20.0),
        (-1.0, 100.0),
    ]:
        lo, hi = default_plot_range(validity)
        assert validity[0] <= lo < hi <= validity[1]
        assert hi - lo <= 10.0


# -- fuzz ------------------------------------------------------------------------------

_FORBIDDEN_CALLS = [
    "__import__('os').system('touch {path}')",
    "open('{path}', 'w')",
    'exec(\'open("{path}", "w")\')',
    "eval('1')",
    "getattr(x, '__class__')",
    "x.__class__.__bases__[0].__subclasses__()",
    "(lambda: open('{path}', 'w'))()",
    "[open('{path}', 'w') for _ in (1,)]",
]


@st.composite
def _tree(draw, depth=0):
    """(text, expected sympy expression or None when the tree is not allowed).

    The expected expression is built here from the same choices, independently of the
    parser; None marks a tree containing a forbidden construct."""
    leaves = st.one_of(
        st.sampled_from(sorted(NAMES)).map(lambda n: (n, NAMES[n])),
        st.integers(0, 9).map(lambda k: (str(k), sp.Integer(k))),
        st.sampled_from(["0.5", "2.0", "1e-3"]).map(lambda s: (s, sp.Float(float(s)))),
        st.sampled_from(["t", "zz", "'s'", "x.real", "x[0]", "None", "...", "1j"]).map(
            lambda s: (s, None)
        ),
    )
    if depth >= 4 or draw(st.integers(0, 2)) == 0:
        return draw(leaves)
    kind = draw(st.sampled_from(["bin", "bin", "unary", "call", "bad"]))
    if kind == "bin":
        op = draw(st.sampled_from(["+", "-", "*", "/", "**", "//", "%", "<"]))
        (lt, le), (rt, re) = draw(_tree(depth + 1)), draw(_tree(depth + 1))
        if op == "**":  # keep constant exponents small so the expected value is cheap
            rt, re = draw(
                st.sampled_from(
                    [
                        ("2", sp.Integer(2)),
                        ("(-1)", sp.Integer(-1)),
                        ("x", X),
                        ("0.5", sp.Float(0.5)),
                    ]
                )
            )
        text = f"({lt}) {op} ({rt})"
        if le is None or re is None or op in ("//", "%", "<"):
            return text, None
        ops = {
            "+": sp.Add,
            "-": lambda a, b: a - b,
            "*": sp.Mul,
            "/": lambda a, b: a / b,
            "**": sp.Pow,
        }
        return text, ops[op](le, re)
    if kind == "unary":
        t, e = draw(_tree(depth + 1))
        return f"-({t})", (None if e is None else -e)
    if kind == "call":
        name = draw(st.sampled_from(["exp", "tanh", "sin", "cos", "abs", "foo", "min"]))
        t, e = draw(_tree(depth + 1))
        if name in ("foo", "min") or e is None:
            return f"{name}({t})", None
        fn = {"exp": sp.exp, "tanh": sp.tanh, "sin": sp.sin, "cos": sp.cos, "abs": sp.Abs}
        return f"{name}({t})", fn[name](e)
    return draw(st.sampled_from(_FORBIDDEN_CALLS)), None


@contextlib.contextmanager
def _watch_execution():
    """Record any call of eval/exec or of sympy's string parser inside the block."""
    calls = []

    def spy(name, real):
        def wrapper(*args, **kwargs):
            calls.append(name)
            return real(*args, **kwargs)

        return wrapper

    with (
        mock.patch.object(builtins, "eval", spy("eval", builtins.eval)),
        mock.patch.object(builtins, "exec", spy("exec", builtins.exec)),
        mock.patch.object(sympy_parser, "parse_expr", spy("parse_expr", sympy_parser.parse_expr)),
    ):
        yield calls


def _parse_or_refuse(text):
    start = time.perf_counter()
    with _watch_execution() as calls:
        try:
            out = parse_expression(text, NAMES)
        except EquationError as err:
            out = err
    assert time.perf_counter() - start < 2.0, text
    assert calls == [], text
    return out


SENTINEL = pathlib.Path(tempfile.gettempdir()) / f"dyadmodel-parser-sentinel-{os.getpid()}"


@settings(max_examples=150, deadline=None)
@given(tree=_tree())
def test_fuzz_random_trees_give_the_expected_expression_or_one_error(tree):
    text, expected = tree
    text = text.replace("{path}", str(SENTINEL))
    out = _parse_or_refuse(text)
    assert not SENTINEL.exists()
    if expected is None:
        assert isinstance(out, EquationError)
    elif expected.has(sp.zoo, sp.nan, sp.oo, -sp.oo, sp.I):
        assert isinstance(out, EquationError)  # division by zero, complex values
    else:
        assert not isinstance(out, EquationError), str(out)
        assert out == expected


@settings(max_examples=150, deadline=None)
@given(
    text=st.one_of(
        st.text(max_size=60),
        st.text(alphabet="xyaK0123456789.e+-*/()% ,_[]'\"\n\tlambdaexpogtqr", max_size=80),
    )
)
def test_fuzz_random_strings_parse_or_raise_one_error(text):
    out = _parse_or_refuse(text)
    if not isinstance(out, EquationError):
        assert isinstance(out, sp.Expr)
        assert out.free_symbols <= set(NAMES.values())
