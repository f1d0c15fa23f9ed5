"""method="ml" with process_noise=True: the extended Kalman filter's likelihood equals
the exact Gaussian likelihood of a linear SDE (Ornstein–Uhlenbeck), and the fit
recovers simulated OU couples."""

import functools
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

import dyadmodel as dm
from dyadmodel.errors import InvalidInputError
from dyadmodel.fit import MLOptions
from dyadmodel.fit._kalman import kalman_loglik
from tests.fit.test_ml import pd2_couples
from tests.fit.test_ml import to_data as to_data_with_stress

#: Two independent Ornstein–Uhlenbeck processes, one per partner.
OU = dm.Model.from_equations(
    {"x": "-theta_x*x", "y": "-theta_y*(y - mu)"},
    {
        "theta_x": {"default": 0.5, "bounds": (0, 10)},
        "theta_y": {"default": 1.3, "bounds": (0, 10)},
        "mu": 0.0,
    },
    name="ou-test",
)


def ou_loglik(times, values, theta, mu, diffusion, x0, sigma, p0=0.0):
    """Exact log-likelihood of OU dx = -theta (x - mu) dt + diffusion dW from
    x(t0) ~ N(x0, p0), observed with Gaussian noise of SD sigma: a Gaussian vector whose
    covariance is the AR(1) one (a = exp(-theta dt), stationary variance
    diffusion^2 / (2 theta)) from the start, plus the start's variance carried along."""
    t = times - times[0]
    lag = np.abs(t[:, None] - t[None, :])
    earlier = np.minimum(t[:, None], t[None, :])
    cov = diffusion**2 / (2 * theta) * np.exp(-theta * lag) * (1 - np.exp(-2 * theta * earlier))
    cov += p0 * np.exp(-theta * (t[:, None] + t[None, :]))
    mean = mu + (x0 - mu) * np.exp(-theta * t)
    keep = np.isfinite(values)
    cov = cov[np.ix_(keep, keep)] + sigma**2 * np.eye(keep.sum())
    return stats.multivariate_normal(mean[keep], cov).logpdf(values[keep])


def simulate_ou(rng, times, theta, mu, diffusion, x0, sigma):
    """Exact OU path (AR(1) transitions) plus measurement noise."""
    x = np.empty(times.size)
    x[0] = x0
    for k in range(1, times.size):
        a = np.exp(-theta * (times[k] - times[k - 1]))
        sd = diffusion * np.sqrt((1 - a * a) / (2 * theta))
        x[k] = mu + (x[k - 1] - mu) * a + sd * rng.normal()
    return x + sigma * rng.normal(size=times.size)


def to_data(series, times):
    parts = [
        pd.DataFrame({"dyad": d, "person": k + 1, "time": times, "value": v[k]})
        for d, v in series.items()
        for k in range(2)
    ]
    return dm.data.read_dyadic(
        pd.concat(parts), dyad="dyad", person="person", time="time", value="value"
    )


@settings(max_examples=5, deadline=None)
@given(
    theta=st.tuples(st.floats(0.1, 3.0), st.floats(0.1, 3.0)),
    diffusion=st.tuples(st.floats(0.05, 2.0), st.floats(0.05, 2.0)),
    sigma=st.tuples(st.floats(0.01, 1.0), st.floats(0.01, 1.0)),
    mu=st.floats(-2, 2),
    p0=st.tuples(st.sampled_from([0.0, 0.01, 0.5]), st.sampled_from([0.0, 0.2])),
    seed=st.integers(0, 2**32 - 1),
)
def test_filter_likelihood_is_the_exact_ou_likelihood(theta, diffusion, sigma, mu, p0, seed):
    rng = np.random.default_rng(seed)
    times = np.cumsum(rng.uniform(0.2, 2.0, 30))
    values = rng.normal(size=(30, 2))
    values[rng.random((30, 2)) < 0.15] = np.nan  # missing values skip their update
    values[0] = rng.normal(size=2)
    dyad = to_data({1: values.T}, times)[1]
    x0 = rng.normal(size=2)
    params = {"theta_x": theta[0], "theta_y": theta[1], "mu": mu}
    got = kalman_loglik(OU, dyad, params, x0, diffusion, sigma, initial_covariance=np.diag(p0))
    want = ou_loglik(times, values[:, 0], theta[0], 0.0, diffusion[0], x0[0], sigma[0], p0[0])
    want += ou_loglik(times, values[:, 1], theta[1], mu, diffusion[1], x0[1], sigma[1], p0[1])
    assert got == pytest.approx(want, rel=1e-9, abs=1e-8)


TRUTH = {"theta_x": 0.5, "theta_y": 0.3, "mu": 0.7}
DIFFUSION = (0.5, 0.4)
SIGMA = (0.1, 0.1)


def ou_couples(n_dyads, n_times, seed):
    rng = np.random.default_rng(seed)
    times = np.arange(float(n_times))
    series = {
        d: np.array(
            [
                simulate_ou(rng, times, TRUTH["theta_x"], 0.0, DIFFUSION[0], 0.5, SIGMA[0]),
                simulate_ou(rng, times, TRUTH["theta_y"], TRUTH["mu"], DIFFUSION[1], 0.0, SIGMA[1]),
            ]
        )
        for d in range(n_dyads)
    }
    return to_data(series, times)


def test_fit_reaches_at_least_the_likelihood_of_the_truth():
    data = ou_couples(1, 40, seed=5)
    result = dm.fit(OU, data, method="ml", process_noise=True, n_starts=1, max_seconds=60)
    row = result.table.iloc[0]
    assert row.status in ("ok", "singular information")
    truth = kalman_loglik(OU, data[0], TRUTH, [0.5, 0.0], DIFFUSION, SIGMA)
    assert row.loglik >= truth - 1e-6
    # the reported maximum is the filter's likelihood at the reported estimates
    again = kalman_loglik(
        OU,
        data[0],
        {p: row[p] for p in TRUTH},
        [row.init_x, row.init_y],
        [row.diffusion_x, row.diffusion_y],
        (row.sigma_1, row.sigma_2),
    )
    assert again == pytest.approx(row.loglik, abs=1e-6)
    assert {"diffusion_x", "se_diffusion_x", "sigma_1", "init_y"} <= set(result.table.columns)


@pytest.mark.slow
def test_recovery_of_ou_couples_within_a_few_standard_errors():
    data = ou_couples(8, 120, seed=11)
    result = dm.fit(
        OU, data, method="ml", process_noise=True, n_starts=1, max_seconds=120, n_workers=2
    )
    ok = result.table[result.ok]
    assert len(ok) >= 6, result.table.message.tolist()
    for p, true in TRUTH.items():
        z = (ok[p] - true) / ok[f"se_{p}"]
        assert np.all(np.abs(z) < 4), (p, z.tolist())
        assert abs(z.mean()) < 2.5


def test_process_noise_options_are_checked():
    with pytest.raises(InvalidInputError, match="noisy_states is for process_noise"):
        MLOptions(noisy_states=("x",))
    with pytest.raises(dm.errors.InvalidTypeError, match="process_noise must be True or False"):
        MLOptions(process_noise="yes")
    data = ou_couples(1, 20, seed=1)
    result = dm.fit(OU, data, method="ml", process_noise=True, noisy_states=("x", "x"))
    assert result.table.status.iloc[0] == "error"
    assert "twice" in result.table.message.iloc[0]


@pytest.mark.slow
def test_profiles_and_command_line_with_process_noise(tmp_path):
    from dyadmodel.cli import main

    data = ou_couples(1, 60, seed=5)
    result = dm.fit(
        OU, data, method="ml", process_noise=True, n_starts=1, profile=True, free=("mu",)
    )
    row = result.table.iloc[0]
    assert row.identifiability_mu == "identifiable"
    assert row.ci_low_mu < row.mu < row.ci_high_mu
    # the profile interval is close to the Wald one for this linear-Gaussian model
    assert row.ci_high_mu - row.ci_low_mu == pytest.approx(2 * 1.96 * row.se_mu, rel=0.2)

    csv, out = tmp_path / "couples.csv", tmp_path / "fits.csv"
    ou_couples(2, 40, seed=6).to_dataframe().to_csv(csv, index=False)
    argv = ["fit", str(csv), "--model", "strogatz-linear", "--method", "ml"]
    argv += ["--dyad", "dyad", "--person", "person", "--time", "time", "--value", "value"]
    argv += ["--process-noise", "--workers", "2", "--out", str(out)]
    assert main(argv) == 0
    table = pd.read_csv(out)
    assert len(table) == 2
    assert {"diffusion_" + s for s in dm.models.get("strogatz-linear").state_names} <= set(
        table.columns
    )


def test_an_unknown_noisy_state_is_refused_before_fitting():
    data = ou_couples(1, 20, seed=1)
    with pytest.raises(dm.errors.DyadmodelError, match="'z'"):
        dm.fit(OU, data, method="ml", process_noise=True, noisy_states=("z",))


@pytest.mark.slow
def test_nonlinear_model_with_process_noise_nests_trajectory_matching():
    # pursuer-distancer-2d data without process noise: the filter's fit agrees with
    # trajectory matching within a standard error, and the couple can be placed in the
    # state space from it
    from tests.fit.test_ml import FREE, PD2, pd2_couples

    truth, data = pd2_couples(2, seed=11)
    model = dm.models.get(PD2)
    kalman = dm.fit(model, data, method="ml", free=FREE, n_starts=1, process_noise=True)
    plain = dm.fit(model, data, method="ml", free=FREE, n_starts=1)
    assert (kalman.status == "ok").all(), kalman.table.message.tolist()
    for name in FREE:
        gap = (kalman.table[name] - plain.table[name]).abs()
        assert (gap < plain.table[f"se_{name}"]).all(), (name, gap.tolist())
        z = (kalman.table[name] - truth[name]) / kalman.table[f"se_{name}"]
        assert (z.abs() < 3.5).all(), z.tolist()
    placed = dm.fit.couples_in_state_space(kalman, "anxiety_gain_1", n_draws=10)
    assert (placed.regime == "bistable").all()


@pytest.mark.parametrize(
    ("keyword", "value", "match"),
    [
        ("x0", [1.0], "x0 must have shape"),
        ("x0", "ab", "x0 must be numbers"),
        ("diffusion", [-1.0, 1.0], ">= 0"),
        ("sigma", [math.nan, 1.0], "must be finite"),
        ("sigma", {1}, "sigma must be numbers"),
        ("initial_covariance", [[1.0, 2.0]], "initial_covariance must have shape"),
        ("x0", [10**400, 0], "x0 must be numbers"),
    ],
)
def test_kalman_loglik_refuses_bad_values(keyword, value, match):
    dyad = ou_couples(1, 10, seed=1)[0]
    given = {"x0": [0.0, 0.0], "diffusion": [1.0, 1.0], "sigma": (1.0, 1.0)} | {keyword: value}
    with pytest.raises(dm.errors.DyadmodelError, match=match):
        kalman_loglik(OU, dyad, None, **given)


# -- exact gradients -------------------------------------------------------------------

#: A nonlinear user model with a known input, second derivatives in states and parameters
#: (``abs``: its second derivative has a Dirac delta, zero away from 0).
USER = dm.Model.from_equations(
    {"x": "-a*x**3 + b*tanh(y) + stress", "y": "-c*y + d*x*y/(1 + x**2) - 0.2*y*abs(y)"},
    {
        "a": {"default": 0.5, "bounds": (0, 10)},
        "b": {"default": 0.8, "bounds": (-5, 5)},
        "c": {"default": 0.7, "bounds": (0, 10)},
        "d": {"default": 0.4, "bounds": (-5, 5)},
    },
    inputs={"stress": 0.0},
    name="kalman-gradient-user",
)


def finite_difference_gradient(problem, theta):
    """The gradient the Kalman-filter fit used before its exact gradients: central
    differences of the filter's likelihood. Kept here only to check the exact one."""
    grad = np.empty(theta.size)
    for j in range(theta.size):
        h = 1e-5 * max(1.0, abs(theta[j]))
        up, down = theta.copy(), theta.copy()
        up[j] += h
        down[j] -= h
        grad[j] = (problem.nll(up) - problem.nll(down)) / (2 * h)
    return grad


def draw_point(data, problem):
    """A parameter point near the problem's first start: initial means shifted, model
    parameters scaled by 0.8..1.25 (inside their bounds), SDs between 0.03 and 0.4."""
    theta = problem.starts()[0].copy()
    n, n_model = problem.n_states, problem.n_model
    for j in range(problem.n_theta):
        if j < n:
            theta[j] += data.draw(st.floats(-0.3, 0.3), label=f"shift {j}")
        elif j < n_model:
            value = theta[j] if theta[j] != 0 else 0.1
            theta[j] = value * data.draw(st.floats(0.8, 1.25), label=f"scale {j}")
        else:
            theta[j] = math.log(data.draw(st.floats(0.03, 0.4), label=f"sd {j}"))
    return np.clip(theta, problem.lower + 1e-6, problem.upper - 1e-6)


def check_gradient(problem, theta):
    value, exact = problem.value_and_gradient(theta)
    assert value < 1e300, theta
    assert value == pytest.approx(problem.nll(theta), rel=1e-9)
    reference = finite_difference_gradient(problem, theta)
    # relative 1e-5 per component; a floor of 1e-7 of the largest for components near 0
    floor = 1e-7 * float(np.max(np.abs(reference)))
    np.testing.assert_allclose(exact, reference, rtol=1e-5, atol=floor)


def kalman_problem(model, data, **options):
    from dyadmodel.fit._kalman import KalmanProblem

    return KalmanProblem(
        model, data[next(iter(data.ids))], MLOptions(process_noise=True, **options)
    )


@settings(max_examples=6, deadline=None)
@given(data=st.data())
def test_exact_gradient_of_the_ou_likelihood_matches_finite_differences(data):
    couples = ou_couples(1, 25, seed=3)
    frame = couples.to_dataframe()
    frame.loc[[3, 10, 31], "value"] = np.nan  # a missing value skips part of an update
    couples = dm.data.read_dyadic(frame, dyad="dyad", person="person", time="time", value="value")
    problem = kalman_problem(OU, couples)
    check_gradient(problem, draw_point(data, problem))


@functools.cache
def gradient_problem(case):
    """The problems of the slow gradient checks: the 2D flagship (inputs, some parameters
    fixed, process noise on one state), the coupled oscillator (4 states, 2 observed),
    and a nonlinear user model with an input."""
    if case == "pursuer-distancer-2d":
        _, couples = pd2_couples(1, seed=4)
        return kalman_problem(
            dm.models.get(case),
            couples,
            free=("anxiety_gain_1", "recovery_rate_2", "threshold_1"),
            noisy_states=("distance_2",),
        )
    if case == "coupled-oscillator":
        times = np.arange(0.0, 20.0, 0.5)
        clean = np.array([np.cos(1.1 * times), 0.8 * np.sin(0.9 * times)]) * np.exp(-0.05 * times)
        noise = np.random.default_rng(4).normal(0, 0.1, clean.shape)
        return kalman_problem(dm.models.get(case), to_data({1: clean + noise}, times))
    times = np.arange(0.0, 15.0, 0.5)
    stress = np.where(times > 5, 0.3, 0.0)
    clean = np.array([np.tanh(times / 5), np.exp(-times / 7)])
    noise = np.random.default_rng(4).normal(0, 0.1, clean.shape)
    problem = kalman_problem(USER, to_data_with_stress({1: clean + noise}, times, stress))
    assert np.ptp(problem.base_problem.inputs) == pytest.approx(0.3)
    return problem


@pytest.mark.slow
@pytest.mark.parametrize("case", ["pursuer-distancer-2d", "coupled-oscillator", "user"])
@settings(max_examples=5, deadline=None)
@given(data=st.data())
def test_exact_gradient_matches_finite_differences(case, data):
    problem = gradient_problem(case)
    check_gradient(problem, draw_point(data, problem))


def test_tangent_code_of_a_model_with_abs_has_no_dirac_delta():
    # d^2 |x| / dx^2 is a Dirac delta, which no compiled code can evaluate: it is 0
    # away from x = 0, and the generated source is plain Python
    from dyadmodel.fit._kalman import _source

    model = dm.Model.from_equations({"x": "-a*x*abs(x) + y", "y": "x - y"}, {"a": 1.0})
    source = _source(model)
    compile(source, "generated", "exec")
    assert "DiracDelta" not in source
    assert "numpy.sign(y_0)" in source  # d/dx of J_00 = -2 a |x|


def test_hessian_is_the_derivative_of_the_exact_gradient():
    # at the fit's estimate the Hessian is symmetric positive definite, and its first
    # column predicts the gradient's change along theta_0
    problem = kalman_problem(OU, ou_couples(1, 30, seed=2))
    theta = problem.solve(problem.starts()[0]).x
    H = problem.hessian(theta)
    assert np.allclose(H, H.T)
    assert np.all(np.linalg.eigvalsh(H) > 0)
    step = np.zeros(theta.size)
    step[0] = 1e-3
    moved = (
        problem.value_and_gradient(theta + step)[1] - problem.value_and_gradient(theta - step)[1]
    )
    np.testing.assert_allclose(moved / 2e-3, H[:, 0], rtol=1e-4, atol=1e-6 * np.abs(H).max())


@pytest.mark.slow
def test_fit_with_exact_gradients_reaches_the_finite_difference_fit():
    # the whole fit, once with the exact gradient and once with the finite-difference
    # one it had: the same estimates to 1e-4 relative, with far fewer filter runs
    from unittest import mock

    from dyadmodel.fit import _kalman

    dyad = ou_couples(1, 60, seed=8)[0]
    options = MLOptions(process_noise=True, n_starts=1, free=("theta_x", "theta_y", "mu"))
    exact = _kalman.fit_dyad_kalman(OU, dyad, options)

    def finite(problem, theta):
        return problem.nll(theta), finite_difference_gradient(problem, theta)

    with mock.patch.object(_kalman.KalmanProblem, "value_and_gradient", finite):
        reference = _kalman.fit_dyad_kalman(OU, dyad, options)
    assert exact.status == reference.status == "ok", (exact.message, reference.message)
    for name in TRUTH:
        assert exact.estimates[name] == pytest.approx(reference.estimates[name], rel=1e-4)
    for name in ("diffusion_x", "diffusion_y", "sigma_1", "sigma_2", "init_x"):
        got, want = exact.statistics[name], reference.statistics[name]
        if want < 1e-3:  # an SD gone to 0 (flat there): both negligible is agreement
            assert got < 1e-3, (name, got)
            continue
        assert got == pytest.approx(want, rel=1e-4), name
    assert exact.statistics["loglik"] >= reference.statistics["loglik"] - 1e-6
    assert exact.statistics["integrations"] < reference.statistics["integrations"] / 3
