"""least_squares, inertia–coordination, parameter recovery over many dyads, dispatch, and
the ``dyadmodel fit`` command line."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.linalg import expm

import dyadmodel as dm
from dyadmodel.cli import main
from dyadmodel.errors import InvalidInputError, InvalidTypeError, NotFoundError
from dyadmodel.fit import least_squares

from .test_glla import MODEL, as_data


@settings(max_examples=30)
@given(seed=st.integers(0, 10_000), n=st.integers(6, 40), p=st.integers(1, 5))
def test_least_squares_is_ordinary_least_squares_and_aliases_later_copies(seed, n, p):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, p))
    y = rng.normal(size=n)
    fit = least_squares(X, y)
    assert np.allclose(fit.coefficients, np.linalg.lstsq(X, y, rcond=None)[0], atol=1e-9)
    fitted = X @ fit.coefficients
    r2 = fitted @ fitted / (fitted @ fitted + (y - fitted) @ (y - fitted))
    assert fit.r_squared == pytest.approx(r2, rel=1e-9)
    assert fit.adj_r_squared == pytest.approx(1 - (1 - r2) * n / (n - p), rel=1e-9, abs=1e-12)
    # a later column equal to a combination of earlier ones is aliased; the rest unchanged
    combo = X @ rng.normal(size=p)
    wider = least_squares(np.column_stack([X, combo]), y)
    assert wider.aliased.tolist() == [False] * p + [True]
    assert np.isnan(wider.coefficients[-1])
    assert np.allclose(wider.coefficients[:p], fit.coefficients, atol=1e-9)


def test_inertia_coordination_recovers_a_noise_free_lagged_system():
    """x_t = a + b x_(t-lag) + c y_(t-lag) (and y alike) is fitted exactly."""
    coef = {"int_x": 0.3, "int_y": -0.2, "inert_x": 0.6, "coord_x": 0.25}
    coef.update({"inert_y": 0.5, "coord_y": -0.3})
    for lag in (1, 2):
        n = 40
        x, y = np.zeros(n), np.zeros(n)
        x[:lag], y[:lag] = [1.0, -0.5][:lag], [0.4, 0.9][:lag]
        for t in range(lag, n):
            x[t] = coef["int_x"] + coef["inert_x"] * x[t - lag] + coef["coord_x"] * y[t - lag]
            y[t] = coef["int_y"] + coef["inert_y"] * y[t - lag] + coef["coord_y"] * x[t - lag]
        x[11] = np.nan  # rows whose value or lagged values are missing are dropped
        result = dm.fit("inertia-coordination", as_data([(x, y)], 1.0), lag=lag, detrend=False)
        row = result.table.iloc[0]
        assert row.status == "ok"
        assert row.n_obs == 2 * (n - lag) - 1 - 2  # x[11] as response, and as a lag twice
        for name, value in coef.items():
            assert row[name] == pytest.approx(value, abs=1e-9)
    only = dm.fit("inertia-coordination", as_data([(x, y)], 1.0), terms="inertia")
    assert only.table.iloc[0].coord_x == 0.0 and np.isnan(only.table.iloc[0].se_coord_x)


def test_coupled_oscillator_parameters_are_recovered_over_50_dyads():
    """50 seeded couples with the same coupled parameters, random starts, measurement
    noise (SD 0.02 on swings of about 1), sampled every 0.25 for 200 time units (10
    periods), detrended as rties does: the mean estimate is within 0.5 of the spread of
    single-dyad estimates (their empirical standard error) of the truth for every
    parameter, and within 4 standard errors of the mean. (Measured: |bias| / spread
    <= 0.36.) lm's standard errors are too small for GLLA (overlapping embedded rows
    make the residuals autocorrelated): the spread was 2.7-5.7 times the median SE."""
    delta, n = 0.25, 800
    truth = {
        "eta_x": -0.1,
        "zeta_x": -0.05,
        "eta_xy": 0.02,
        "zeta_xy": 0.03,
        "eta_y": -0.12,
        "zeta_y": -0.04,
        "eta_yx": -0.02,
        "zeta_yx": 0.02,
    }
    step = expm(MODEL.jacobian(np.zeros(4), MODEL.params(truth)) * delta)
    rng = np.random.default_rng(1)
    series = []
    for _ in range(50):
        states = np.empty((n, 4))
        states[0] = rng.normal(0, [1.0, 0.3, 1.0, 0.3])
        for k in range(1, n):
            states[k] = step @ states[k - 1]
        noisy = states[:, [0, 2]] + rng.normal(0, 0.02, (n, 2))
        series.append((noisy[:, 0], noisy[:, 1]))
    result = dm.fit("coupled-oscillator", as_data(series, delta), delta=delta)
    assert result.ok.all()
    estimates = result.estimates
    for name, value in truth.items():
        spread = estimates[name].std()
        bias = estimates[name].mean() - value
        assert abs(bias) < 0.5 * spread, name
        assert abs(bias) < 4 * spread / np.sqrt(50), name


def test_fit_dispatch_refuses_bad_requests_with_the_package_errors():
    data = as_data([(np.cos(np.arange(30.0)), np.sin(np.arange(30.0) * 0.7))], 1.0)
    with pytest.raises(NotFoundError, match="unknown fit method 'kalman'; the methods are"):
        dm.fit("coupled-oscillator", data, method="kalman")
    with pytest.raises(InvalidInputError, match="method 'glla' fits 'coupled-oscillator'"):
        dm.fit("pursuer-distancer-2d", data, method="glla")
    with pytest.raises(NotFoundError, match="no default fit method for model"):
        dm.fit("pursuer-distancer-2d", data)
    with pytest.raises(InvalidInputError, match="unknown option 'lag' for method 'glla'"):
        dm.fit("coupled-oscillator", data, lag=2)
    with pytest.raises(InvalidInputError, match="embeds must hold integers in"):
        dm.fit("coupled-oscillator", data, embeds=(2,))
    with pytest.raises(InvalidInputError, match="delta must be a finite number > 0"):
        dm.fit("coupled-oscillator", data, delta=float("nan"))
    with pytest.raises(InvalidTypeError, match="data must be DyadicData"):
        dm.fit("coupled-oscillator", pd.DataFrame())
    with pytest.raises(NotFoundError, match="fit also knows 'inertia-coordination'"):
        dm.fit("no-such-model", data)
    assert {"glla", "ols"} <= set(dm.fit.methods())


def test_fit_result_converts_to_a_dataset_and_notes_undistinguished_partners():
    table = as_data([(np.cos(np.arange(30.0)), np.sin(np.arange(30.0) * 0.7))], 1.0)
    undistinguished = dm.data.read_dyadic(
        table.to_dataframe(), dyad="d", person="p", time="t", value="v"
    )
    result = dm.fit("coupled-oscillator", undistinguished)
    assert "ordered by person id" in result.notes[0]
    ds = result.to_xarray()
    assert ds["eta_x"].dims == ("dyad",)
    assert ds.attrs["method"] == "glla"
    assert list(result.to_dataframe().columns[:2]) == ["dyad", "eta_x"]


def test_command_line_writes_the_table_and_never_overwrites_a_foreign_file(tmp_path, capsys):
    data = as_data([(np.cos(np.arange(40.0)), np.sin(np.arange(40.0) * 0.7))] * 2, 1.0)
    csv = tmp_path / "data.csv"
    data.to_dataframe().to_csv(csv, index=False)
    out = tmp_path / "results.csv"
    argv = ["fit", str(csv), "--dyad", "d", "--person", "p", "--time", "t", "--value", "v"]
    argv += ["--distinguish", "g", "--out", str(out)]
    assert main(argv) == 0
    table = pd.read_csv(out)
    assert len(table) == 2 and table.status.tolist() == ["ok", "ok"]
    assert main(argv) == 0  # an earlier result of the same fit may be replaced
    foreign = tmp_path / "thesis.csv"
    foreign.write_text("chapter,words\n1,9000\n")
    capsys.readouterr()
    assert main([*argv[:-1], str(foreign)]) == 2
    assert foreign.read_text() == "chapter,words\n1,9000\n"
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "is not an earlier result of this fit" in err[0]
    assert main([*argv[:-2], "--tau", "0"]) == 2
    assert main(["fit", str(tmp_path / "missing.csv"), *argv[2:-2]]) == 2
