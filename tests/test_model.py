"""The symbolic model layer: definition checks, parameter sets, numerics."""

import math

import numpy as np
import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

import dyadmodel as dm
from dyadmodel.model import Model, ModelDefinitionError, Parameter, State, hill, symbols


def _toy(**kw):
    x, y, a = symbols("x y a")
    return Model(
        "toy",
        "toy",
        [State("x", "x"), State("y", "y")],
        [
            Parameter(
                "a",
                1.0,
                "a rate",
                bounds=(0, 10),
                lower_inclusive=False,
                bound_reason="a rate must be positive",
            )
        ],
        kw.pop("rhs", [-a * x + y, -y]),
        **kw,
    )


def test_messages_name_the_value_and_the_bound():
    m = _toy()
    with pytest.raises(dm.ParameterError) as err:
        m.params(a=-0.5)
    assert str(err.value) == (
        "parameter 'a' = -0.5 is below its strict lower bound 0 (a rate must be positive); "
        "expected a finite real number in (0, 10]"
    )
    with pytest.raises(dm.ParameterError, match="'a' = 11 is above its upper bound 10"):
        m.params(a=11)
    with pytest.raises(dm.ParameterError, match=r"unknown parameter 'b' .*valid names: a"):
        m.params(b=1)
    with pytest.raises(dm.ParameterError, match="did you mean 'anxiety_gain_1'"):
        dm.models.get("pursuer-distancer-2d").params(anxiety_gain1=1.0)


def test_definition_errors_are_caught_at_definition_time():
    x, y, a = symbols("x y a")
    z = sp.Symbol("z", real=True)
    with pytest.raises(ModelDefinitionError, match="uses symbol z"):
        _toy(rhs=[z * x, y])
    with pytest.raises(ModelDefinitionError, match="uses symbol x"):  # wrong assumptions
        _toy(rhs=[sp.Symbol("x") + a, y])
    with pytest.raises(ModelDefinitionError, match="2 right-hand sides for"):
        Model("t", "t", [State("x", "x")], [], [x, y])
    with pytest.raises(ModelDefinitionError, match="names used twice"):
        Model("t", "t", [State("x", "x")], [Parameter("x", 1.0, "dup")], [x])
    with pytest.raises(ModelDefinitionError, match=r"an integer in \[1, 64\]"):
        hill(x, a, 1.5)
    with pytest.raises(ModelDefinitionError, match=r"an integer in \[1, 64\]"):
        hill(x, a, 10**400)  # was OverflowError-prone downstream; refused at once


def test_typed_garbage_gets_the_package_errors():
    m = dm.models.get("pursuer-distancer-2d")
    for bad in ("x", True, 2.5e16, [1, 2]):
        with pytest.raises(dm.InvalidTypeError, match="expected a mapping"):
            m.params(bad)
    with pytest.raises(dm.InvalidTypeError, match="expected a str"):
        m.parameter([])
    with pytest.raises(dm.ParameterError, match="unknown preset"):
        m.preset([])
    with pytest.raises(dm.ParameterError, match="not finite"):
        m.params(anxiety_gain_1=10**400)
    with pytest.raises(dm.InvalidTypeError, match="inputs = 'a'"):
        m.rhs([1.0, 1.0], inputs="a")
    with pytest.raises(dm.NotFoundError, match=r"unknown input\(s\) \[3\]"):
        m.rhs([1.0, 1.0], inputs={3: 1.0})


def test_parameter_set_is_immutable_hashable_and_ordered():
    m = dm.models.get("pursuer-distancer-2d")
    p = m.params(anxiety_gain_1=3)
    assert isinstance(p["anxiety_gain_1"], float) and p["anxiety_gain_1"] == 3.0
    assert list(p) == list(m.parameter_names)
    assert p == m.params(anxiety_gain_1=3.0) and hash(p) == hash(m.params(anxiety_gain_1=3.0))
    q = p.replace(avoidance_gain_2=1.5)
    assert q["avoidance_gain_2"] == 1.5 and p["avoidance_gain_2"] == 2.0
    with pytest.raises(TypeError):
        p["anxiety_gain_1"] = 1.0  # type: ignore[index]
    with pytest.raises(dm.ParameterError, match="above its upper bound"):
        p.replace(anxiety_gain_1=1e9)
    with pytest.raises(dm.ParameterError, match="belongs to model 'pursuer-distancer-2d'"):
        dm.models.get("strogatz-linear").rhs([0, 0], p)
    assert "anxiety_gain_1=3.0" in repr(p)
    arr = p.as_array()
    arr[0] = 99.0
    assert p["approach_baseline_1"] == 0.1


def test_rationality_is_detected():
    assert dm.models.get("pursuer-distancer-2d").is_rational
    assert dm.models.get("pursuer-distancer").is_rational
    assert not dm.models.get("liebovitch").is_rational
    assert not dm.models.get("gone-with-the-wind").is_rational
    assert dm.models.get("strogatz-linear").is_rational


def test_inputs_enter_the_rhs_and_broadcast():
    m = dm.models.get("pursuer-distancer-2d")
    p = m.params()
    x = np.array([0.3, 0.2])
    # stress adds to what each partner perceives: H(y + s), H(x + s)
    f_s = m.rhs(x, p, inputs={"stress": 0.4})
    f_shift = m.rhs(x + 0.4, p) + np.array([0.4, 0.4])  # same drives, own terms unshifted
    np.testing.assert_allclose(f_s, f_shift, rtol=1e-14)
    s = np.linspace(0, 1, 5)
    batch = m.rhs(np.repeat(x[:, None], 5, axis=1), p, inputs={"stress": s})
    for k in range(5):
        np.testing.assert_array_equal(batch[:, k], m.rhs(x, p, inputs=s[k]))
    with pytest.raises(ValueError, match="unknown input"):
        m.rhs(x, p, inputs={"stres": 1.0})
    with pytest.raises(ValueError, match="not finite"):
        m.rhs(x, p, inputs={"stress": math.nan})


def test_state_shape_errors_name_the_expected_shape():
    m = dm.models.get("pursuer-distancer-2d")
    with pytest.raises(ValueError, match=r"expected shape \(2,\) or \(2, N\)"):
        m.rhs([1.0, 2.0, 3.0])


@given(st.floats(0.0, 3.0), st.floats(0.0, 3.0))
def test_2d_flagship_rhs_matches_its_closed_form(x, y):
    """The paper's form: tau1 x' = b1 + a1 H(y + s) - x, tau2 y' = b2 + a2 H(x + s) - y."""
    m = dm.models.get("pursuer-distancer-2d")
    p = m.params(
        approach_baseline_1=0.2,
        anxiety_gain_1=1.7,
        threshold_1=0.8,
        recovery_rate_1=2.0,
        avoidance_baseline_2=0.05,
        avoidance_gain_2=2.5,
        threshold_2=1.3,
        recovery_rate_2=0.5,
    )

    def H(z, k):
        return z**2 / (k**2 + z**2)

    expected = [2.0 * (0.2 + 1.7 * H(y, 0.8) - x), 0.5 * (0.05 + 2.5 * H(x, 1.3) - y)]
    np.testing.assert_allclose(m.rhs([x, y], p), expected, rtol=1e-12, atol=1e-14)


def test_latex_uses_the_declared_symbols():
    latex = dm.models.get("pursuer-distancer-2d").latex()
    assert r"\dot{x} &= r_1" in latex and "a_{1}" not in latex and "a_1" in latex
