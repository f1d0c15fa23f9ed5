"""The equations panel's texts: read without eval, one message per field with a caret."""

import math
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import dyadmodel as dm
from dyadmodel.app import _editor as E

VDP = {
    "equations": "x' = y\ny' = mu*(1 - x**2)*y - x",
    "parameters": "mu = 1 in [0, 10]",
    "ranges": "x in [-3, 3]\ny in [-3, 3]",
}
PD = dm.models.get("pursuer-distancer-2d")


@pytest.mark.parametrize("name", dm.models.names())
def test_every_registered_model_round_trips_through_the_panel_texts(name):
    model = dm.models.get(name)
    typed = E.typed_model(E.model_texts(model), model)
    assert typed.rhs_expr == model.rhs_expr
    assert typed.state_names == model.state_names
    assert [s.domain for s in typed.states] == [s.domain for s in model.states]
    assert [s.validity for s in typed.states] == [s.validity for s in model.states]
    assert [(p.name, p.default, p.bounds, p.lower_inclusive) for p in typed.parameters] == [
        (p.name, p.default, p.bounds, p.lower_inclusive) for p in model.parameters
    ]
    assert [i.name for i in typed.inputs] == [i.name for i in model.inputs]


def test_van_der_pol_typed_equals_the_model_file():
    typed = E.typed_model(VDP)
    file = dm.models.load("examples/van_der_pol.toml")
    assert typed.rhs_expr == file.rhs_expr
    assert typed.parameter("mu").bounds == (0.0, 10.0)
    assert [s.domain for s in typed.states] == [(-3.0, 3.0), (-3.0, 3.0)]
    assert typed.name == "typed" and not typed.inputs


def test_dx_dt_and_comments_are_read():
    m = E.typed_model({"equations": "# a comment\ndx/dt = -x\n\ndy/dt = x - y", "parameters": ""})
    assert m.state_names == ("x", "y")
    assert m.rhs([1.0, 0.0]).tolist() == [-1.0, 1.0]


def _messages(**fields):
    with pytest.raises(E.PanelError) as err:
        E.typed_model({**VDP, **fields}, PD)
    return err.value.messages


def _caret_under(message):
    """The text above the caret line and the part the carets point at."""
    lines = message.split("\n")
    shown, caret = lines[-2], lines[-1]
    start = caret.index("^")
    return shown[start : start + caret.count("^")]


def test_syntax_error_points_at_the_position_in_the_panel_line():
    msg = _messages(equations="x' = y\ny' = mu*(1 - x**2*y - x")["equations"]
    assert msg.startswith("line 2: not a valid expression")
    assert _caret_under(msg) == "("  # the parenthesis never closed


def test_unknown_name_is_underlined_and_a_close_name_suggested():
    msg = _messages(equations="x' = y\ny' = muu*(1 - x**2)*y - x")["equations"]
    assert "unknown name 'muu'" in msg and "did you mean 'mu'?" in msg
    assert _caret_under(msg) == "muu"


def test_attribute_access_is_refused_and_nothing_runs():
    msg = _messages(equations="x' = y.__class__\ny' = x")["equations"]
    assert "attribute access" in msg and _caret_under(msg) == "y.__class__"


@pytest.mark.parametrize(
    ("field", "text", "reason", "under"),
    [
        ("parameters", "mu = 1 in [10, 0]", "expected lower < upper", "[10, 0]"),
        ("parameters", "mu = 20 in [0, 10]", "outside its bounds", "20"),
        ("parameters", "mu = abc", "expected  name = value", "mu = abc"),
        ("parameters", "mu = 1\nmu = 2", "declared twice", "mu"),
        ("parameters", "view = 1\nmu = 1", "a key of the explorer's address", "view"),
        ("parameters", "mu = inf", "expected a finite number", "inf"),
        ("parameters", "mu = 1 in [0, 5)", "write ']'", "[0, 5)"),
        ("ranges", "z in [0, 1]", "'z' is not a state", "z"),
        ("ranges", "x in [3, -3]", "expected finite lower < upper", "3, -3"),
        ("equations", "x' = y\nx' = -x", "a second equation for 'x'", "x"),
        ("equations", "x' = y\ny = = x", "not a valid expression", None),
    ],
)
def test_each_field_says_what_is_wrong_beside_it(field, text, reason, under):
    messages = _messages(**{field: text})
    assert list(messages) == [field]
    assert reason in messages[field]
    if under is not None:
        assert _caret_under(messages[field]) == under


def test_one_state_is_refused_with_the_explorers_range():
    assert "2 to 8 states" in _messages(equations="x' = -x")["equations"]


def test_text_above_the_limit_is_refused_before_it_is_read():
    limits = E.PanelLimits(max_chars=100)
    with pytest.raises(E.PanelError, match="at most 100 are read") as err:
        E.typed_model({**VDP, "equations": VDP["equations"] + " + 0" * 40}, limits=limits)
    assert list(err.value.messages) == ["equations"]


def test_edited_model_keeps_meanings_validity_and_the_inputs_it_uses():
    texts = E.model_texts(PD)
    m = E.typed_model(texts, PD)
    assert m.states[0].meaning == PD.states[0].meaning and m.states[0].name == "pursuit_1"
    assert m.states[0].validity == (0.0, math.inf)
    assert [i.name for i in m.inputs] == ["stress"] and m.name == "pursuer-distancer-2d-edited"
    # without the stress term the input is not declared (no flat stress panel)
    no_stress = texts["equations"].replace(" + stress", "")
    m2 = E.typed_model({**texts, "equations": no_stress}, PD)
    assert not m2.inputs
    # a renamed state is new: no meaning carried, the default plotting range
    renamed = texts["equations"].replace("pursuit_1", "p")
    m3 = E.typed_model({"equations": renamed, "parameters": texts["parameters"]}, PD)
    assert m3.states[0].name == "p" and m3.states[0].meaning == ""
    assert m3.name == "pursuer-distancer-2d-edited"  # distance_2 kept its name
    assert E.typed_model(E.BLANK_TEXTS, PD).name == "typed"  # nothing of the base kept
    assert m3.states[0].domain == (-5.0, 5.0)


def test_blank_system_is_a_valid_two_state_model():
    m = E.typed_model(E.BLANK_TEXTS)
    assert m.n_states == 2 and m.parameter_names == ("c",)


LINE = st.sampled_from(
    ["x' = ", "y' = ", "mu = ", "x in [", "dx/dt = ", "(", ")", "**", "9**9**9", "exp(", "__", "'"]
)
FIELD = st.lists(st.one_of(LINE, st.text(max_size=12)), max_size=8).map("".join) | st.text(
    max_size=80
)


@settings(max_examples=80, deadline=None)
@given(equations=FIELD, parameters=FIELD, ranges=FIELD)
def test_random_panel_text_gives_a_model_or_a_panel_error_quickly(equations, parameters, ranges):
    start = time.monotonic()
    try:
        m = E.typed_model({"equations": equations, "parameters": parameters, "ranges": ranges}, PD)
    except E.PanelError as err:
        assert err.messages and set(err.messages) <= set(E.FIELDS)
    else:
        assert 2 <= m.n_states <= 8
    assert time.monotonic() - start < 2.0
