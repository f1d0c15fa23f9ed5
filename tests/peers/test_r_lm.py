"""R's ``lm`` (Debian package ``r-base-core``) checks the regression layer of
`dyadmodel.fit` on the same design matrices: coefficients, NA aliasing, standard errors,
R² and adjusted R² of ``summary.lm``, the per-person detrending, and the whole
coupled-oscillator GLLA pipeline written in R as rties 5.0.0 runs it (``dataPrep``:
``resid(lm(obs ~ time, na.action = na.exclude))`` per person; ``estDerivs``: complete
cases, ``gllaEmbed`` %*% ``gllaWMatrix``, one ``lm`` with ``dist0:`` / ``dist1:``
terms and no intercept, best adjusted R² over ``expand.grid(taus, embeds)``;
``indivInertCoord``). rties itself is not installable here (CRAN is unreachable), so
the R code below follows its published steps.

Skipped when ``Rscript`` is missing; with ``DYADMODEL_REQUIRE_PEERS=1`` (set by
``.ci/run``) a missing R fails instead.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import dyadmodel as dm
from dyadmodel.fit import least_squares
from dyadmodel.fit._glla import detrend

INSTALL = "apt-get install -y r-base-core"
REQUIRED = os.environ.get("DYADMODEL_REQUIRE_PEERS") == "1"
TOLERANCE = 1e-10


@pytest.fixture(scope="module")
def rscript() -> str:
    path = shutil.which("Rscript") or shutil.which("Rscript", path="/usr/bin")
    if path is None:
        message = f"Rscript not installed (install with: {INSTALL})"
        if REQUIRED:
            pytest.fail(f"{message}; DYADMODEL_REQUIRE_PEERS=1 requires the peer tools")
        pytest.skip(message)
    return path


def run_r(rscript: str, directory: Path, code: str) -> None:
    script = directory / "check.R"
    script.write_text(code)
    proc = subprocess.run(
        [rscript, "--vanilla", script.name],
        cwd=directory,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if proc.returncode != 0:
        raise AssertionError(f"Rscript failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")


def _designs(rng: np.random.Generator) -> list[tuple[np.ndarray, np.ndarray]]:
    """Designs with known aliasing: full rank, an exact copy, a combination of two
    earlier columns, a zero column, a near-collinear (but kept) column, a badly scaled
    design."""
    n = 40
    base = rng.normal(size=(n, 4))
    designs = [base]
    designs.append(np.column_stack([base, base[:, 1]]))  # copy of column 2
    designs.append(np.column_stack([base[:, :2], base[:, 0] - 3 * base[:, 1], base[:, 2:]]))
    designs.append(np.column_stack([base[:, :2], np.zeros(n), base[:, 2:]]))
    designs.append(np.column_stack([base, base[:, 0] + 1e-5 * rng.normal(size=n)]))
    designs.append(base * np.array([1e-3, 1.0, 1e3, 10.0]))
    return [(X, X @ rng.normal(size=X.shape[1]) + rng.normal(size=n)) for X in designs]


def test_least_squares_matches_r_lm(rscript, tmp_path):
    rng = np.random.default_rng(7)
    cases = _designs(rng)
    for k, (X, y) in enumerate(cases):
        pd.DataFrame(np.column_stack([y, X])).to_csv(
            tmp_path / f"design{k}.csv", index=False, float_format="%.17g"
        )
    run_r(
        rscript,
        tmp_path,
        f"""
for (k in 0:{len(cases) - 1}) {{
  d <- read.csv(sprintf("design%d.csv", k))
  y <- d[[1]]; X <- as.matrix(d[, -1])
  fit <- lm(y ~ X - 1)
  s <- summary(fit)
  se <- rep(NA, ncol(X)); se[!is.na(coef(fit))] <- s$coefficients[, 2]
  out <- rbind(coef(fit), se, c(s$r.squared, s$adj.r.squared, fit$rank, rep(NA, ncol(X) - 3)))
  write.csv(out, sprintf("r%d.csv", k), row.names = FALSE)
}}
""",
    )
    for k, (X, y) in enumerate(cases):
        r = pd.read_csv(tmp_path / f"r{k}.csv").to_numpy(dtype=float)
        ours = least_squares(X, y)
        assert np.array_equal(np.isnan(r[0]), ours.aliased), k
        scale = np.maximum(1.0, np.abs(r[0]))
        assert np.nanmax(np.abs(ours.coefficients - r[0]) / scale) < TOLERANCE, k
        assert np.nanmax(np.abs(ours.standard_errors - r[1]) / scale) < TOLERANCE, k
        assert abs(ours.r_squared - r[2, 0]) < TOLERANCE
        assert abs(ours.adj_r_squared - r[2, 1]) < TOLERANCE
        assert ours.rank == int(r[2, 2])


R_GLLA = """
gllaWMatrix <- function(embed, tau, deltaT, order = 2) {
  L <- rep(1, embed)
  for (i in 1:order) L <- cbind(L, (((1:embed) - mean(1:embed)) * tau * deltaT)^i / factorial(i))
  L %*% solve(t(L) %*% L)
}
gllaEmbed <- function(x, embed, tau) {
  n <- length(x) - (embed - 1) * tau
  sapply(1:embed, function(j) x[(1 + (j - 1) * tau):((j - 1) * tau + n)])
}
long <- read.csv("long.csv")
long$obs_deTrend <- NA
for (id in unique(long$id)) {
  rows <- long$id == id
  long$obs_deTrend[rows] <- resid(lm(obs ~ time, data = long[rows, ], na.action = na.exclude))
}
write.csv(long, "detrended.csv", row.names = FALSE)
taus <- c(2, 3); embeds <- c(3, 4); params <- expand.grid(taus = taus, embeds = embeds)
clo <- list(); ic <- list()
for (d in unique(long$dyad)) {
  p0 <- long[long$dyad == d & long$dist == 0, ]; p1 <- long[long$dyad == d & long$dist == 1, ]
  p0 <- p0[order(p0$time), ]; p1 <- p1[order(p1$time), ]
  ok <- complete.cases(p0$obs_deTrend, p1$obs_deTrend)
  a <- p0$obs_deTrend[ok]; b <- p1$obs_deTrend[ok]
  best <- NULL
  for (i in 1:nrow(params)) {
    W <- gllaWMatrix(params[i, 2], params[i, 1], 1)
    da <- gllaEmbed(a, params[i, 2], params[i, 1]) %*% W
    db <- gllaEmbed(b, params[i, 2], params[i, 1]) %*% W
    m <- nrow(da)
    rows0 <- data.frame(obs = da[, 1], d1 = da[, 2], d2 = da[, 3], p_obs = db[, 1], p_d1 = db[, 2],
                        dist0 = 1, dist1 = 0)
    rows1 <- data.frame(obs = db[, 1], d1 = db[, 2], d2 = db[, 3], p_obs = da[, 1], p_d1 = da[, 2],
                        dist0 = 0, dist1 = 1)
    fit <- lm(d2 ~ dist0:obs + dist0:d1 + dist0:p_obs + dist0:p_d1 + dist1:obs + dist1:d1 +
              dist1:p_obs + dist1:p_d1 - 1, data = rbind(rows1, rows0))
    r2 <- summary(fit)$adj.r.squared
    if (is.null(best) || r2 > best$r2) best <- list(r2 = r2, tau = params[i, 1],
                                                    embed = params[i, 2], coef = coef(fit))
  }
  clo[[length(clo) + 1]] <- c(d, best$coef, best$r2, best$tau, best$embed)
  lag1 <- function(v) c(NA, v[-length(v)])
  x <- p0$obs_deTrend; y <- p1$obs_deTrend
  rowsA <- data.frame(obs = x, lag = lag1(x), p_lag = lag1(y), dist0 = 1, dist1 = 0)
  rowsB <- data.frame(obs = y, lag = lag1(y), p_lag = lag1(x), dist0 = 0, dist1 = 1)
  fit <- lm(obs ~ -1 + dist0 + dist1 + dist0:lag + dist0:p_lag + dist1:lag + dist1:p_lag,
            data = rbind(rowsA, rowsB), na.action = na.exclude)
  ic[[length(ic) + 1]] <- c(d, coef(fit), summary(fit)$adj.r.squared)
}
write.csv(do.call(rbind, clo), "clo.csv", row.names = FALSE)
write.csv(do.call(rbind, ic), "ic.csv", row.names = FALSE)
"""


def _long_table() -> pd.DataFrame:
    """Six noisy synthetic couples with gaps, one with identical partner series."""
    rng = np.random.default_rng(11)
    t = np.arange(50.0)
    rows = []
    for dyad in range(1, 7):
        phase = rng.uniform(0, 2 * np.pi)
        x = 2 * np.cos(0.6 * t + phase) * np.exp(-0.02 * t) + 0.05 * t + rng.normal(0, 0.2, 50)
        y = 1.5 * np.sin(0.55 * t + phase) + rng.normal(0, 0.2, 50)
        x[rng.random(50) < 0.05] = np.nan
        y[rng.random(50) < 0.05] = np.nan
        if dyad == 6:
            y = x.copy()  # collinear: the partner terms are aliased
        for dist, series in ((0, x), (1, y)):
            for k in range(50):
                rows.append((dyad, 10 * dyad + dist, dist, t[k], series[k]))
    return pd.DataFrame(rows, columns=["dyad", "id", "dist", "time", "obs"])


def test_glla_and_inertia_coordination_match_r(rscript, tmp_path):
    table = _long_table()
    table.to_csv(tmp_path / "long.csv", index=False, float_format="%.17g")
    run_r(rscript, tmp_path, R_GLLA)
    data = dm.data.read_dyadic(
        table, dyad="dyad", person="id", time="time", value="obs", distinguish="dist"
    )
    # detrending
    r_detrended = pd.read_csv(tmp_path / "detrended.csv")
    for dyad in data:
        for k, person in enumerate(dyad.persons):
            ref = r_detrended[r_detrended.id == person].sort_values("time").obs_deTrend
            ours = detrend(dyad.time, dyad.values[:, k])
            assert np.array_equal(np.isnan(ours), ref.isna().to_numpy())
            assert np.nanmax(np.abs(ours - ref.to_numpy())) < TOLERANCE
    # coupled oscillator by GLLA
    clo = pd.read_csv(tmp_path / "clo.csv").to_numpy(dtype=float)
    result = dm.fit("coupled-oscillator", data)
    for row in clo:
        ours = result.table.loc[int(row[0])]
        estimates = ours[list(dm.fit.COUPLED_OSCILLATOR_PARAMETERS)].to_numpy(dtype=float)
        assert np.array_equal(np.isnan(estimates), np.isnan(row[1:9])), row[0]
        assert np.nanmax(np.abs(estimates - row[1:9])) < TOLERANCE, row[0]
        assert abs(ours.adj_r2 - row[9]) < TOLERANCE
        assert (ours.tau, ours.embed) == (row[10], row[11])
    assert result.table.loc[6, "status"] == "aliased"
    assert np.isnan(result.table.loc[6, ["eta_xy", "zeta_xy", "eta_yx", "zeta_yx"]]).all()
    # inertia-coordination
    ic = pd.read_csv(tmp_path / "ic.csv").to_numpy(dtype=float)
    result = dm.fit("inertia-coordination", data, lag=1)
    for row in ic:
        ours = result.table.loc[int(row[0])]
        estimates = ours[list(dm.fit.INERTIA_COORDINATION_PARAMETERS)].to_numpy(dtype=float)
        assert np.nanmax(np.abs(estimates - row[1:7])) < TOLERANCE, row[0]
        assert np.array_equal(np.isnan(estimates), np.isnan(row[1:7]))
        assert abs(ours.adj_r2 - row[7]) < TOLERANCE
