"""Model files (TOML): every registered model round-trips; every bad file raises one
`ModelFileError` (a `SpecFileError`) naming the file, the key and what was expected."""

import math
import pathlib
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import dyadmodel as dm
from dyadmodel.errors import SpecFileError
from dyadmodel.model import ModelDefinitionError
from dyadmodel.models._toml import MAX_FILE_BYTES, ModelFileError, loads_model

EXAMPLES = pathlib.Path(__file__).resolve().parents[2] / "examples"

MINIMAL = """
[model]
name = "toy"

[parameters]
a = 2.0
K = { default = 1.0, bounds = [0, "inf"], lower_inclusive = false }

[states.x]
validity = [0, inf]

[equations]
x = "-x + a*y**2/(K**2 + y**2)"
y = "x - y"
"""


@pytest.mark.parametrize("name", dm.models.names())
def test_every_registered_model_round_trips_through_toml(name):
    model = dm.models.get(name)
    text = model.to_toml()
    loaded = dm.models.loads(text)
    assert loaded.to_toml() == text
    assert loaded.rhs_expr == model.rhs_expr
    assert loaded.states == model.states
    assert loaded.parameters == model.parameters
    assert loaded.inputs == model.inputs
    assert loaded.presets == model.presets
    assert loaded.partner_swap == model.partner_swap
    assert loaded.references == model.references
    assert (loaded.name, loaded.title, loaded.description) == (
        model.name,
        model.title,
        model.description,
    )
    # what cannot be written is dropped, as documented
    assert loaded.labeler is None and loaded.equilibrium_box(loaded.params()) is None


def test_minimal_file_uses_documented_defaults(tmp_path):
    path = tmp_path / "toy.toml"
    path.write_text(MINIMAL)
    m = dm.models.load(path)
    assert m.name == "toy" and m.state_names == ("x", "y")
    assert m.parameter("K").bounds == (0.0, math.inf) and not m.parameter("K").lower_inclusive
    assert m.states[0].validity == (0.0, math.inf) and m.states[0].domain == (0.0, 5.0)
    assert m.states[1].validity == (-math.inf, math.inf) and m.states[1].domain == (-5.0, 5.0)
    # the equilibrium x = y solves x = 2 x^2/(1 + x^2): x in {0, 1}; rational, so the
    # answer is complete over the whole domain of validity without any box
    eq = dm.equilibria(m)
    assert eq.complete
    assert sorted(round(float(e.state[0]), 12) for e in eq) == [0.0, 1.0]


def test_name_defaults_to_the_file_stem_and_relative_paths_use_base_dir(tmp_path):
    (tmp_path / "decay.toml").write_text('[parameters]\nk = 0.5\n[equations]\nx = "-k*x"\n')
    m = dm.models.load("decay.toml", base_dir=tmp_path)
    assert m.name == "decay" and m.rhs([2.0]).tolist() == [-1.0]


def test_examples_load_and_behave_as_documented():
    vdp = dm.models.load(EXAMPLES / "van_der_pol.toml")
    eq = dm.equilibria(vdp)
    assert eq.complete and [e.kind for e in eq] == ["unstable focus"]
    assert vdp.preset("relaxation")["mu"] == 5.0
    typed = dm.models.load(EXAMPLES / "pursuer_distancer_typed.toml")
    ref = dm.models.get("pursuer-distancer-2d")
    assert typed.rhs_expr == ref.rhs_expr and typed.partner_swap == ref.partner_swap


def _bad(text):
    with pytest.raises(ModelFileError) as info:
        loads_model(text, source="bad.toml")
    err = info.value
    assert isinstance(err, SpecFileError) and isinstance(err, ModelDefinitionError)
    assert str(err).startswith("bad.toml: ")
    return str(err)


@pytest.mark.parametrize(
    ("change", "key", "expected"),
    [
        (("[model]", "[modl]"), "modl", "did you mean 'model'"),
        (('name = "toy"', "name = 3"), "model.name", "a string"),
        (('name = "toy"', 'name = "toy"\nauthor = "me"'), "model.author", "unknown key"),
        (("a = 2.0", 'a = "2"'), "parameters.a", "a number"),
        (("a = 2.0", "a = true"), "parameters.a", "a number"),
        (("a = 2.0", "a = nan"), "parameters.a", "finite"),
        (("a = 2.0", "a = 1e400"), "parameters.a", "finite"),
        (("a = 2.0", "a = { bounds = [0, 1] }"), "parameters.a", "missing default"),
        (("a = 2.0", "a = { default = 2, bounds = [0] }"), "parameters.a.bounds", "[low, high]"),
        (("a = 2.0", "a = { default = 2, bound = [0, 3] }"), "parameters.a.bound", "did you mean"),
        (("a = 2.0", "a = { default = 5, bounds = [0, 1] }"), "parameter 'a'", "above"),
        (("validity = [0, inf]", "validity = [1, 0]"), "states.x.validity", "low < high"),
        (("validity = [0, inf]", 'validity = [0, "big"]'), "states.x.validity[1]", '"inf"'),
        (("validity = [0, inf]", "plot_range = [0, inf]"), "states.x.plot_range[1]", "finite"),
        (("[states.x]", "[states.z]"), "states.z", "without an equation"),
        (('y = "x - y"', "y = 1"), "equations.y", "a string"),
        (('y = "x - y"', 'y = "x - yy"'), "equations.y", "did you mean 'y'"),
        (('y = "x - y"', 'y = "__import__(1)"'), "equations.y", "unknown function"),
        (("[equations]", "[equations]\nz = 'z'\n[foo]"), "foo", "unknown table"),
    ],
)
def test_bad_files_name_the_key_and_what_was_expected(change, key, expected):
    old, new = change
    assert old in MINIMAL
    message = _bad(MINIMAL.replace(old, new, 1))
    assert key in message and expected in message


def test_equation_errors_in_a_file_show_the_caret():
    message = _bad(MINIMAL.replace('y = "x - y"', 'y = "x - a.real"'))
    assert message.splitlines()[-1].strip() == "^" * len("a.real")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("x = " + "[" * 5000 + "]" * 5000, "nested too deeply"),
        ("x = " + "9" * 5000, "cannot be read"),
        ("x = [1,", "not valid TOML"),
        ('[equations]\nx = "-x"\n[symmetry.states]\nx = 1', "symmetry.states.x"),
        ('[equations]\nx = "-x"\n[presets.p]\nvalues = { x = 1 }', "preset 'p'"),
        ("[parameters]\na = 1", "[equations]"),
        ('[model]\nreferences = "10.1/x"\n[equations]\nx = "-x"', "model.references"),
        ('[model]\nstructure = { n = [1] }\n[equations]\nx = "-x"', "model.structure.n"),
    ],
)
def test_malformed_and_pathological_files_raise_one_clean_error(text, expected):
    start = time.perf_counter()
    assert expected in _bad(text)
    assert time.perf_counter() - start < 2.0


def test_unreadable_sources_raise_clean_errors(tmp_path):
    big = tmp_path / "big.toml"
    big.write_bytes(b"#" * (MAX_FILE_BYTES + 1))
    with pytest.raises(ModelFileError, match="at most"):
        dm.models.load(big)
    binary = tmp_path / "bin.toml"
    binary.write_bytes(b"\xff\xfe[equations]")
    with pytest.raises(ModelFileError, match="UTF-8"):
        dm.models.load(binary)
    folder = tmp_path / "folder.toml"
    folder.mkdir()
    with pytest.raises(ModelFileError, match="cannot read"):
        dm.models.load(folder)
    with pytest.raises(dm.models.ModelNotFoundError, match="does not exist"):
        dm.models.load(tmp_path / "missing.toml")


def test_symmetry_given_one_way_is_completed_to_an_involution():
    text = MINIMAL.replace("[equations]", '[symmetry.states]\nx = "y"\n\n[equations]')
    m = loads_model(text)
    assert m.partner_swap["states"] == {"x": "y", "y": "x"}


_LINES = MINIMAL.strip().splitlines()


@settings(max_examples=80, deadline=None)
@given(
    index=st.integers(0, len(_LINES) - 1),
    replacement=st.one_of(
        st.text(max_size=40),
        st.sampled_from(
            [
                "a = []",
                "a = {}",
                "x = 1",
                "[states]",
                "[[equations]]",
                'x = "exp(x)"',
                "K = -1",
                "validity = []",
                "[parameters.a]",
                'name = ""',
                "[model.structure]",
            ]
        ),
    ),
)
def test_fuzz_mutated_files_load_or_raise_one_model_file_error(index, replacement):
    lines = list(_LINES)
    lines[index] = replacement
    start = time.perf_counter()
    try:
        model = loads_model("\n".join(lines))
    except ModelFileError:
        pass
    else:
        assert isinstance(model, dm.Model)
        assert dm.models.loads(model.to_toml()).rhs_expr == model.rhs_expr
    assert time.perf_counter() - start < 2.0
