"""The ensemble engine: accuracy against solve_ivp and closed forms, statuses, backends.

Tests that need the compiled engine skip without numba; the numpy backend runs the
same algorithm everywhere.
"""

import functools
import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest
from scipy.integrate import solve_ivp
from scipy.linalg import expm

import dyadmodel as dm
from dyadmodel.model import Model, Parameter, ParameterError, State, symbols
from dyadmodel.simulate._codegen import cache_dir, compiled_rhs
from dyadmodel.simulate._ensemble import (
    CONVERGED,
    DIVERGED,
    MAX_STEPS,
    STATUS_NAMES,
    _numba_kernel,
    ensemble,
)

HAVE_NUMBA = importlib.util.find_spec("numba") is not None
needs_numba = pytest.mark.skipif(not HAVE_NUMBA, reason="numba is not installed")
FAST = "numba" if HAVE_NUMBA else "numpy"
RTOL, ATOL = 1e-6, 1e-9


@functools.cache
def blow_up() -> Model:
    """x' = a x^2: x(t) = x0 / (1 - a x0 t), infinite at t = 1 / (a x0)."""
    x, a = symbols("x a")
    return Model(
        "test-blow-up",
        "finite-time blow-up",
        [State("x", "test state", domain=(-2.0, 2.0))],
        [Parameter("a", 1.0, "test parameter", bounds=(-10.0, 10.0))],
        [a * x**2],
    )


def random_starts(model, params, n, seed, box=None):
    box = np.array(model.equilibrium_domain(params) if box is None else box, dtype=float)
    rng = np.random.default_rng(seed)
    return box[:, :1] + (box[:, 1:] - box[:, :1]) * rng.random((model.n_states, n))


def rk45_final(model, params, X, t, rtol=RTOL, atol=ATOL):
    f = model.ode(params)
    return np.array(
        [
            solve_ivp(f, t, X[:, k], method="RK45", rtol=rtol, atol=atol).y[:, -1]
            for k in range(X.shape[1])
        ]
    ).T


# ---------------------------------------------------------------------------------------
# accuracy


@pytest.mark.parametrize(
    ("name", "backend"),
    [
        ("pursuer-distancer-2d", FAST),
        ("pursuer-distancer", FAST),
        ("liebovitch", FAST),  # tanh
        ("gone-with-the-wind", "numpy"),  # exp; same algorithm as the compiled one
    ],
)
def test_final_states_match_solve_ivp_rk45(name, backend):
    m = dm.models.get(name)
    p = m.params()
    X = random_starts(m, p, 30, seed=1)
    got = ensemble(m, p, X, t=(0.0, 30.0), rtol=RTOL, atol=ATOL, backend=backend)
    ref = rk45_final(m, p, X, (0.0, 30.0))
    assert np.all(got.status == CONVERGED)
    # the same step sequence as scipy: a few times the tolerance, even where a start
    # near a separatrix makes rounding differences grow
    assert np.all(np.abs(got.final - ref) <= 3 * (ATOL + RTOL * np.abs(ref)))


def test_linear_model_matches_matrix_exponential():
    m = dm.models.get("strogatz-linear")
    p = m.params(a=-0.1, b=1.0, c=-2.0, d=-0.3)
    A = np.array([[p["a"], p["b"]], [p["c"], p["d"]]])
    X = random_starts(m, p, 12, seed=2, box=m.domain)
    ts = np.linspace(0.0, 20.0, 41)
    res = ensemble(m, p, X, t=(0.0, 20.0), rtol=1e-10, atol=1e-12, t_samples=ts, backend="numpy")
    exact = np.stack([expm(A * t) @ X for t in ts], axis=-1)  # (2, N, len(ts))
    assert np.allclose(res.final, exact[..., -1], rtol=0, atol=1e-8)
    # dense output (Shampine's 4th-order interpolant) between steps
    assert np.allclose(res.samples, exact, rtol=0, atol=1e-7)
    assert np.array_equal(res.samples[..., 0], X)


def test_samples_match_solve_ivp_t_eval():
    m = dm.models.get("pursuer-distancer")
    p = m.params()
    x0 = np.array([1.2, 0.2, 0.3, 1.5, 0.8, 0.1])
    ts = np.linspace(0.0, 40.0, 17)
    res = ensemble(m, p, x0, t=(0.0, 40.0), t_samples=ts, backend=FAST)
    ref = solve_ivp(m.ode(p), (0.0, 40.0), x0, rtol=RTOL, atol=ATOL, t_eval=ts)
    assert res.samples.shape == (6, 1, ts.size)
    assert np.allclose(res.samples[:, 0, :], ref.y, rtol=0, atol=1e-12)


# ---------------------------------------------------------------------------------------
# statuses


@pytest.mark.parametrize("backend", [FAST, "numpy"])
def test_statuses_diverged_converged_max_steps(backend):
    m = blow_up()
    x0 = np.array([[1.0, -1.0]])
    res = ensemble(m, None, x0, t=(0.0, 2.0), backend=backend)
    assert [STATUS_NAMES[s] for s in res.status] == ["diverged", "converged"]
    assert res.final[0, 1] == pytest.approx(-1.0 / 3.0, rel=1e-5)  # x0 / (1 - a x0 t)
    assert res.final[0, 0] > res.divergence_bound or not np.isfinite(res.final[0, 0])
    assert "diverged" in res.message and "index 0" in res.message

    few = ensemble(m, None, x0, t=(0.0, 0.9), max_steps=4, backend=backend)
    assert np.all(few.status == MAX_STEPS)
    assert np.all(few.n_steps + few.n_rejected == 4)
    assert "increase max_steps" in few.message
    assert few.counts() == {"converged": 0, "diverged": 0, "max steps": 2, "step size too small": 0}


def test_non_finite_start_is_diverged():
    res = ensemble(blow_up(), None, np.array([[np.nan, 0.5]]), t=(0.0, 1.0), backend="numpy")
    assert list(res.status) == [DIVERGED, CONVERGED]


# ---------------------------------------------------------------------------------------
# backends


@needs_numba
@pytest.mark.parametrize("name", ["pursuer-distancer-2d", "pursuer-distancer", "liebovitch"])
def test_numba_and_numpy_backends_agree(name):
    m = dm.models.get(name)
    p = m.params()
    X = random_starts(m, p, 40, seed=3)
    if name == "liebovitch":  # keep away from the separatrix x = -y of the origin
        X = X[:, np.abs(X[0] + X[1]) > 0.5]
    ts = np.linspace(0.0, 25.0, 6)
    a = ensemble(m, p, X, t=(0.0, 25.0), t_samples=ts, backend="numba")
    b = ensemble(m, p, X, t=(0.0, 25.0), t_samples=ts, backend="numpy")
    assert np.array_equal(a.status, b.status)
    assert np.array_equal(a.n_steps, b.n_steps) and np.array_equal(a.n_rejected, b.n_rejected)
    assert np.max(np.abs(a.final - b.final)) <= 1e-10
    assert np.max(np.abs(a.samples - b.samples)) <= 1e-10
    if m.is_rational:  # no exp/tanh: the same floating-point operations, bit for bit
        assert np.array_equal(a.final, b.final)


@needs_numba
def test_compiled_code_is_cached_on_disk():
    m = dm.models.get("pursuer-distancer-2d")
    ensemble(m, None, np.array([0.2, 0.2]), t=(0.0, 1.0), backend="numba")
    module_file = Path(sys.modules[_numba_kernel(m).__module__].__file__)
    assert module_file.parent == cache_dir()
    # numba's index of compiled signatures, next to the generated source
    assert list((cache_dir() / "__pycache__").glob(f"{module_file.stem}.run_chunk-*.nbi"))


@needs_numba
def test_compiled_rhs_matches_model_and_serves_solve_ivp():
    m = dm.models.get("pursuer-distancer")
    p = m.params(anxiety_gain_1=2.6)
    crhs = compiled_rhs(m)
    assert crhs.argument_names == (*m.parameter_names, "stress")
    rng = np.random.default_rng(4)
    f = crhs.ode(p, inputs={"stress": 0.2})
    g = m.ode(p, inputs={"stress": 0.2})
    for _ in range(5):
        y = rng.random(6) * 2
        assert np.allclose(f(0.0, y), g(0.0, y), rtol=1e-14, atol=1e-15)
    x0 = np.full(6, 0.3)
    a = solve_ivp(f, (0.0, 20.0), x0, rtol=RTOL, atol=ATOL)
    b = solve_ivp(g, (0.0, 20.0), x0, rtol=RTOL, atol=ATOL)
    assert np.allclose(a.y[:, -1], b.y[:, -1], rtol=0, atol=1e-12)


# ---------------------------------------------------------------------------------------
# batches and validation


def test_parameter_and_input_batches_equal_separate_runs():
    m = dm.models.get("pursuer-distancer-2d")
    gains = np.array([1.5, 2.0, 2.5])
    stress = np.array([0.0, 0.1, 0.3])
    x0 = np.array([0.3, 0.6])
    res = ensemble(
        m,
        {"anxiety_gain_1": gains, "threshold_2": 1.2},
        x0,
        (0.0, 50.0),
        inputs={"stress": stress},
        backend=FAST,
    )
    assert res.final.shape == (2, 3)
    assert res.params["anxiety_gain_1"].tolist() == gains.tolist()
    assert np.all(res.params["threshold_2"] == 1.2)
    for k in range(3):
        one = ensemble(
            m,
            m.params(anxiety_gain_1=gains[k], threshold_2=1.2),
            x0,
            (0.0, 50.0),
            inputs={"stress": stress[k]},
            backend=FAST,
        )
        assert np.array_equal(one.final[:, 0], res.final[:, k])


def test_parameter_batch_is_validated_elementwise():
    m = dm.models.get("pursuer-distancer-2d")
    bad = np.array([1.0, 2.0, -0.5, -1.0])
    with pytest.raises(ParameterError, match=r"'anxiety_gain_1'\]\[2\].*-0\.5.*lower bound 0"):
        ensemble(m, {"anxiety_gain_1": bad}, np.array([0.2, 0.2]), (0, 1), backend="numpy")
    with pytest.raises(ParameterError, match="did you mean 'anxiety_gain_1'"):
        ensemble(m, {"anxiety_gain1": np.ones(3)}, np.array([0.2, 0.2]), (0, 1), backend="numpy")


def test_shape_and_argument_errors_say_what_is_expected():
    m = dm.models.get("pursuer-distancer-2d")
    with pytest.raises(ValueError, match=r"expected \(2, N\).*pursuit_1, distance_2"):
        ensemble(m, None, np.zeros((3, 4)), (0, 1))
    with pytest.raises(ValueError, match="batch sizes disagree"):
        ensemble(m, {"anxiety_gain_1": np.ones(3)}, np.zeros((2, 4)), (0, 1))
    with pytest.raises(ValueError, match="t0 < t1"):
        ensemble(m, None, np.zeros(2), t=(5.0, 1.0))
    with pytest.raises(ValueError, match="t_samples"):
        ensemble(m, None, np.zeros(2), t=(0.0, 1.0), t_samples=[0.5, 2.0])
    with pytest.raises(ValueError, match="backend"):
        ensemble(m, None, np.zeros(2), (0, 1), backend="gpu")


def test_result_is_frozen_and_describes_itself():
    m = dm.models.get("pursuer-distancer-2d")
    res = ensemble(m, m.params(), np.full((2, 3), 0.2), t=(0.0, 5.0), backend="numpy")
    assert res.model_name == "pursuer-distancer-2d" and res.params == m.params()
    assert res.state_names == m.state_names and res.t == (0.0, 5.0)
    assert res.rtol == RTOL and res.atol == ATOL and res.samples is None
    assert list(res.status_names) == ["converged"] * 3 and res.message == ""
    with pytest.raises(ValueError):
        res.final[0, 0] = 1.0
    assert "N=3" in repr(res)


def test_a_sample_array_beyond_the_memory_budget_is_refused():
    from dyadmodel.errors import BudgetExceededError

    m = dm.models.get("pursuer-distancer-2d")
    x0 = np.full((2, 100_000), 0.1)
    with pytest.raises(BudgetExceededError, match="GiB"):
        dm.ensemble(m, None, x0, (0, 1), t_samples=np.linspace(0, 1, 10_000), backend="numpy")
