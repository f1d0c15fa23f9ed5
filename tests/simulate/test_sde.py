"""Stochastic stress: reproducibility, the OU stress, tipping statistics and their
confidence intervals."""

import math

import numpy as np
import pytest
from scipy import stats

import dyadmodel as dm
from dyadmodel.simulate import (
    StressNoise,
    binomial_interval,
    simulate,
    simulate_sde,
    tipping_statistics,
)
from dyadmodel.simulate._checks import SpecError

BALANCED = 0.8 - math.sqrt(0.44)  # 2-D flagship defaults, on the diagonal


@pytest.fixture(scope="module")
def flagship2d():
    m = dm.models.get("pursuer-distancer-2d")
    return m, m.params()


def test_same_seed_same_arrays_other_seed_other_arrays(flagship2d):
    m, p = flagship2d
    kw = {"dt": 0.05, "n_paths": 5, "seed": 11}
    a = simulate_sde(m, p, [BALANCED, BALANCED], (0, 10), 0.3, **kw)
    b = simulate_sde(m, p, [BALANCED, BALANCED], (0, 10), 0.3, **kw)
    np.testing.assert_array_equal(a.y, b.y)
    np.testing.assert_array_equal(a.stress, b.stress)
    c = simulate_sde(m, p, [BALANCED, BALANCED], (0, 10), 0.3, **{**kw, "seed": 12})
    assert not np.array_equal(a.y, c.y)
    assert a.y.shape == (2, 5, 201) and a.stress.shape == (5, 201)
    assert np.all(a.stress >= 0)
    with pytest.raises(ValueError):
        a.y[0, 0, 0] = 1.0


def test_zero_noise_is_the_deterministic_flow(flagship2d):
    m, p = flagship2d
    x0 = [0.3, 0.2]
    sde = simulate_sde(m, p, x0, (0, 10), StressNoise(0.0), dt=0.01, n_paths=2, seed=0)
    assert np.all(sde.stress == 0)
    ode = simulate(m, p, x0, (0, 10), t_eval=sde.t, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(sde.y[:, 0, :], ode.y, atol=1e-5)  # Heun, dt = 0.01
    np.testing.assert_array_equal(sde.y[:, 0, :], sde.y[:, 1, :])


def test_the_stress_is_a_rectified_stationary_ou_process(flagship2d):
    """E max(z, 0) = sigma / sqrt(2 pi), P(s = 0) = 1/2, corr(s(t), s(t + tau)) falls."""
    m, p = flagship2d
    sigma, tau = 0.4, 2.0
    sde = simulate_sde(
        m,
        p,
        [BALANCED, BALANCED],
        (0, 20),
        StressNoise(sigma, tau),
        dt=0.05,
        n_paths=4000,
        seed=5,
        record_every=20,
    )
    s = sde.stress
    expected = sigma / math.sqrt(2 * math.pi)
    assert s.mean() == pytest.approx(expected, rel=0.03)
    assert (s == 0).mean() == pytest.approx(0.5, abs=0.01)
    lag = round(tau / (sde.t[1] - sde.t[0]))
    r = np.corrcoef(s[:, 5], s[:, 5 + lag])[0, 1]
    assert 0.2 < r < 0.5  # exp(-1) = 0.37 for z; a little less for its positive part


def test_zero_noise_never_tips_from_inside_the_balanced_basin(flagship2d):
    m, p = flagship2d
    for x0 in (None, [0.45, 0.45], [0.85, 0.02]):  # the saddle is at (0.5, 0.5)
        ts = tipping_statistics(m, p, [0.0], horizon=50, n_paths=20, seed=1, x0=x0, dt=0.05)
        assert ts.n_tipped.tolist() == [0]
        assert ts.ci_low[0] == 0.0 and 0 < ts.ci_high[0] < 0.2
        assert math.isnan(ts.mean_first_passage[0])


def test_tipping_grows_with_noise_and_passage_times_shrink(flagship2d):
    m, p = flagship2d
    ts = tipping_statistics(m, p, [0.0, 0.06, 0.1, 0.3], horizon=40, n_paths=150, seed=2, dt=0.05)
    assert ts.basin_method == "separatrix"
    n = ts.n_tipped
    assert n[0] == 0 and 0 < n[1] < n[2] <= n[3] == 150
    assert np.all(ts.ci_low <= ts.probability) and np.all(ts.probability <= ts.ci_high)
    fpt = ts.mean_first_passage
    assert fpt[1] > fpt[2] > fpt[3] > 0
    assert np.all(ts.first_passage_times[3] <= 40)
    assert "P(tip)" in ts.table()


def test_settling_agrees_with_the_separatrix(flagship2d):
    """The general basin test (settling, checked every 0.5) sees the same tipping as the
    exact side test, except paths that cross and come back between two checks."""
    m, p = flagship2d
    kw = {"horizon": 20, "n_paths": 60, "seed": 4, "dt": 0.05}
    exact = tipping_statistics(m, p, [0.08], **kw)
    settle = tipping_statistics(m, p, [0.08], basin_method="settle", check_interval=0.5, **kw)
    assert settle.basin_method == "settle"
    assert exact.n_tipped[0] - 3 <= settle.n_tipped[0] <= exact.n_tipped[0]
    assert exact.n_tipped[0] > 10


def test_full_model_tipping_by_settling():
    m = dm.models.get("pursuer-distancer")
    ts = tipping_statistics(
        m, m.params(), [0.0, 0.3], horizon=15, n_paths=12, seed=0, dt=0.05, check_interval=1.0
    )
    assert ts.basin_method == "settle"
    assert ts.n_tipped[0] == 0 and ts.n_tipped[1] > 0


def exact_coverage(n, p, confidence, method):
    k = np.arange(n + 1)
    lo, hi = binomial_interval(k, n, confidence, method)
    return float(stats.binom.pmf(k, n, p)[(lo <= p) & (p <= hi)].sum())


def test_clopper_pearson_covers_every_probability_and_wilson_on_average():
    ps = np.linspace(0.02, 0.98, 49)
    cp = [exact_coverage(40, p, 0.95, "clopper-pearson") for p in ps]
    wi = [exact_coverage(40, p, 0.95, "wilson") for p in ps]
    assert min(cp) >= 0.95
    assert np.mean(wi) == pytest.approx(0.95, abs=0.01)
    assert min(wi) > 0.85


def test_intervals_cover_the_true_probability_in_a_bernoulli_experiment():
    rng = np.random.default_rng(2024)
    p, n, reps = 0.2, 50, 4000
    k = rng.binomial(n, p, size=reps)
    for method, low in (("wilson", 0.93), ("clopper-pearson", 0.95)):
        lo, hi = binomial_interval(k, n, 0.95, method)
        covered = np.mean((lo <= p) & (p <= hi))
        assert low <= covered <= 0.985, (method, covered)


def test_bad_arguments(flagship2d):
    m, p = flagship2d
    with pytest.raises(SpecError, match="noise_levels"):
        tipping_statistics(m, p, [-0.1], horizon=10, n_paths=5, seed=0)
    with pytest.raises(SpecError, match="n_paths"):
        tipping_statistics(m, p, [0.1], horizon=10, n_paths=0, seed=0)
    with pytest.raises(ValueError, match="already in the entrenched basin"):
        tipping_statistics(m, p, [0.1], horizon=10, n_paths=5, seed=0, x0=[1.0, 1.0])
    with pytest.raises(SpecError, match="method"):
        binomial_interval(3, 10, method="wald")
    with pytest.raises(SpecError, match="k ="):
        binomial_interval(11, 10)
    with pytest.raises(TypeError, match="noise"):
        simulate_sde(m, p, [0.1, 0.1], (0, 1), "loud")


def test_an_endless_grid_is_refused_before_it_runs():
    from dyadmodel.errors import BudgetExceededError

    m = dm.models.get("pursuer-distancer-2d")
    with pytest.raises(BudgetExceededError, match="larger dt or a shorter span"):
        simulate_sde(m, None, [0.1367, 0.1367], (0, 1e300), 0.2, dt=0.01)
    with pytest.raises(BudgetExceededError, match="max_work"):
        simulate_sde(m, None, [0.1367, 0.1367], (0, 1000), 0.2, dt=0.01, n_paths=10**6)
