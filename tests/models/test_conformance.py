"""Conformance: every model in the registry passes the same checks.

- the symbolic Jacobian equals central finite differences of the compiled rhs;
- batch evaluation equals point-by-point evaluation;
- parameter validation rejects unknown names, non-numbers, NaN/inf and out-of-bounds
  values with a message naming the parameter and the value;
- the partner-swap involution, where declared, is an exact symmetry of the rhs;
- documentation is complete: every state and parameter has a meaning, every model a
  reference, LaTeX has one line per state.
"""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import dyadmodel as dm

NAMES = dm.models.names()


def _finite_range(p):
    """A finite drawing range inside the bounds that includes the default."""
    lo, hi = p.bounds
    lo = max(lo, -5.0)
    hi = min(hi, max(5.0, 2 * abs(p.default), lo + 5.0))
    if not p.lower_inclusive:
        lo = lo + 1e-3 * max(1.0, abs(lo))
    return lo, hi


@st.composite
def point_and_params(draw, model):
    """A state inside the model's domain and parameters inside their bounds, kept to a
    moderate range so that finite differences are well conditioned."""
    values = {}
    for p in model.parameters:
        lo, hi = _finite_range(p)
        # stay near the default for half the draws: the interesting region of the model
        near = draw(st.booleans())
        if near:
            span = 0.25 * max(1.0, abs(p.default))
            lo, hi = max(lo, p.default - span), min(hi, p.default + span)
        values[p.name] = draw(st.floats(lo, hi, allow_nan=False, allow_infinity=False))
    x = [draw(st.floats(a, b, allow_nan=False)) for a, b in model.domain]
    return np.array(x), model.params(values)


def test_registry_lists_flagship_and_literature_models():
    assert NAMES[:2] == ("pursuer-distancer-2d", "pursuer-distancer")
    literature = {
        "strogatz-linear",
        "rinaldi-linear",
        "laura-petrarch",
        "rinaldi-synergic",
        "gone-with-the-wind",
        "liebovitch",
        "validating-couple",
        "coupled-oscillator",
    }
    assert literature <= set(NAMES)
    assert len(NAMES) == len(set(NAMES))


def test_unknown_model_name_lists_the_registered_ones():
    with pytest.raises(
        dm.models.ModelNotFoundError, match="registered models: pursuer-distancer-2d"
    ):
        dm.models.get("pursuer-distancer-3d")


@pytest.mark.parametrize("name", NAMES)
def test_jacobian_matches_finite_differences(name):
    model = dm.models.get(name)

    @given(point_and_params(model))
    def check(case):
        x, p = case
        jac = model.jacobian(x, p)
        n = model.n_states
        fd = np.empty((n, n))
        for j in range(n):
            h = 1e-6 * max(1.0, abs(x[j]))
            e = np.zeros(n)
            e[j] = h
            fd[:, j] = (model.rhs(x + e, p) - model.rhs(x - e, p)) / (2 * h)
        scale = 1.0 + np.abs(jac).max()
        np.testing.assert_allclose(jac, fd, atol=1e-5 * scale, rtol=1e-5)

    check()


@pytest.mark.parametrize("name", NAMES)
def test_batch_evaluation_equals_pointwise(name):
    model = dm.models.get(name)
    rng = np.random.default_rng(7)
    lo, hi = np.array(model.domain).T
    X = lo[:, None] + (hi - lo)[:, None] * rng.random((model.n_states, 9))
    p = model.params()
    F, J = model.rhs(X, p), model.jacobian(X, p)
    assert F.shape == X.shape and J.shape == (model.n_states, model.n_states, 9)
    # vectorised exp/power may differ from the scalar ones in the last bit
    for k in range(X.shape[1]):
        np.testing.assert_allclose(F[:, k], model.rhs(X[:, k], p), rtol=1e-13, atol=1e-15)
        np.testing.assert_allclose(J[:, :, k], model.jacobian(X[:, k], p), rtol=1e-13, atol=1e-15)
    # 2-D batches (a grid) keep their shape
    G = X.reshape(model.n_states, 3, 3)
    np.testing.assert_array_equal(model.rhs(G, p).reshape(model.n_states, 9), F)


@pytest.mark.parametrize("name", NAMES)
def test_ode_function_agrees_with_rhs(name):
    model = dm.models.get(name)
    p = model.params()
    x = np.array([0.5 * (a + b) + 0.1 for a, b in model.domain])
    np.testing.assert_array_equal(model.ode(p)(0.0, x), model.rhs(x, p))
    np.testing.assert_array_equal(model.ode_jacobian(p)(0.0, x), model.jacobian(x, p))


@pytest.mark.parametrize("name", NAMES)
def test_parameter_validation(name):
    model = dm.models.get(name)
    first = model.parameters[0]
    with pytest.raises(
        dm.ParameterError, match=r"unknown parameter 'no_such_parameter'.*valid names: "
    ):
        model.params(no_such_parameter=1.0)
    for bad in (math.nan, math.inf, -math.inf):
        with pytest.raises(
            dm.ParameterError, match=rf"parameter '{first.name}' = {bad} is not finite"
        ):
            model.params(**{first.name: bad})
    with pytest.raises(dm.ParameterError, match=rf"parameter '{first.name}' = '1.0' is a str"):
        model.params(**{first.name: "1.0"})
    with pytest.raises(dm.ParameterError, match="is a bool"):
        model.params(**{first.name: True})
    for p in model.parameters:
        lo, hi = p.bounds
        if math.isfinite(lo):
            below = lo - 0.5 * max(1.0, abs(lo))
            with pytest.raises(dm.ParameterError, match=rf"'{p.name}' = {below:g} is below its"):
                model.params(**{p.name: below})
            if not p.lower_inclusive:
                with pytest.raises(
                    dm.ParameterError, match=rf"'{p.name}' = {lo:g} is at its strict"
                ):
                    model.params(**{p.name: lo})
        if math.isfinite(hi):
            above = hi + 1.0
            with pytest.raises(
                dm.ParameterError, match=rf"'{p.name}' = {above:g} is above its upper"
            ):
                model.params(**{p.name: above})


@pytest.mark.parametrize("name", NAMES)
def test_defaults_and_presets_are_valid(name):
    model = dm.models.get(name)
    p = model.params()
    assert [p[k] for k in model.parameter_names] == [q.default for q in model.parameters]
    for key in model.presets:
        q = model.preset(key)
        assert isinstance(q, dm.ParameterSet)
        assert model.presets[key].description.strip()
    x = np.array([0.5 * (a + b) for a, b in model.domain])
    assert np.all(np.isfinite(model.rhs(x, p)))


@pytest.mark.parametrize("name", NAMES)
def test_partner_swap_is_an_exact_symmetry(name):
    """f(S x; S p) = S f(x; p) for the declared partner-swap involution S."""
    model = dm.models.get(name)
    if model.partner_swap is None:
        pytest.skip(f"{name} declares no partner symmetry")
    smap, pmap = model.partner_swap["states"], model.partner_swap["parameters"]
    perm = [model.state_index(smap[s]) for s in model.state_names]

    @given(point_and_params(model))
    def check(case):
        x, p = case
        q = model.params({pmap[k]: v for k, v in p.items()})
        lhs = model.rhs(x[perm], q)
        rhs = model.rhs(x, p)[perm]
        np.testing.assert_allclose(lhs, rhs, rtol=1e-12, atol=1e-12)

    check()


@pytest.mark.parametrize("name", NAMES)
def test_documentation_is_complete(name):
    model = dm.models.get(name)
    assert model.title and model.description.strip()
    assert model.references and all(r.text for r in model.references)
    assert all(s.meaning for s in model.states)
    assert all(p.meaning for p in model.parameters)
    latex = model.latex()
    assert latex.count("&=") == model.n_states
    text = model.describe()
    assert all(p in text for p in model.parameter_names)
