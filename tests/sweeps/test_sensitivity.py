"""Sobol' indices of sweep outcomes (dyadmodel/sweeps/_sensitivity.py)."""

from __future__ import annotations

import math

import numpy as np
import pytest

import dyadmodel as dm
from dyadmodel.sweeps import Measure, Output, Sample, sobol_indices

MODEL = "pursuer-distancer-2d"
LO, HI = 0.5, 4.0
ISHIGAMI_PARAMS = ("anxiety_gain_1", "avoidance_gain_2", "threshold_1")


def _ishigami(batch, options):
    # Ishigami & Homma (1990) with a = 7, b = 0.1 on x_i in [-pi, pi], the x_i an affine
    # image of three model parameters sampled uniformly on [LO, HI]
    x = np.array(
        [
            [-math.pi + 2 * math.pi * (p[k] - LO) / (HI - LO) for k in ISHIGAMI_PARAMS]
            for p in batch.psets
        ]
    )
    y = np.sin(x[:, 0]) + 7 * np.sin(x[:, 1]) ** 2 + 0.1 * x[:, 2] ** 4 * np.sin(x[:, 0])
    return {"ishigami": y}


def _ishigami_outputs(model, options):
    return (Output("ishigami", "float64", np.nan),)


ISHIGAMI = Measure("ishigami", "Ishigami test function", _ishigami, _ishigami_outputs)


def ishigami_exact(a: float = 7.0, b: float = 0.1) -> dict[str, np.ndarray]:
    """Closed-form Sobol' indices of the Ishigami function (Saltelli et al. 2008,
    Global Sensitivity Analysis: The Primer, sec. 4.7; Sobol' & Levitan 1999)."""
    pi = math.pi
    v1 = 0.5 * (1 + b * pi**4 / 5) ** 2
    v2 = a**2 / 8
    v13 = b**2 * pi**8 * (1 / 18 - 1 / 50)
    v = v1 + v2 + v13
    return {
        "S1": np.array([v1, v2, 0.0]) / v,
        "ST": np.array([v1 + v13, v2, v13]) / v,
        "S13": np.array(v13 / v),
    }


@pytest.fixture(scope="module")
def ishigami_sweep():
    s = Sample("saltelli", {k: (LO, HI) for k in ISHIGAMI_PARAMS}, n=1024, seed=3)
    return dm.sweep(MODEL, over=s, measure=ISHIGAMI, n_workers=1, chunk_size=512)


def test_ishigami_indices_match_closed_form(ishigami_sweep):
    exact = ishigami_exact()
    np.testing.assert_allclose(exact["S1"], [0.3139, 0.4424, 0.0], atol=5e-5)  # the Primer
    np.testing.assert_allclose(exact["ST"], [0.5576, 0.4424, 0.2437], atol=5e-5)
    r = sobol_indices(ishigami_sweep, "ishigami", num_resamples=500, seed=1)
    assert r.names == ISHIGAMI_PARAMS
    assert r.n_base == 1024 and ishigami_sweep.sizes["sample"] == 1024 * 8
    np.testing.assert_allclose(r.first_order, exact["S1"], atol=0.03)
    np.testing.assert_allclose(r.total, exact["ST"], atol=0.03)
    # the exact values lie in the bootstrap intervals (a little slack for their own error)
    assert np.all(np.abs(r.first_order - exact["S1"]) <= r.first_order_conf + 0.005)
    assert np.all(np.abs(r.total - exact["ST"]) <= r.total_conf + 0.005)
    # the only interaction is x1-x3
    assert abs(r.second_order[0, 2] - exact["S13"]) < 0.05
    assert abs(r.second_order[0, 1]) < 0.05 and abs(r.second_order[1, 2]) < 0.05


def test_indices_are_reproducible_and_tabulated(ishigami_sweep, tmp_path):
    a = sobol_indices(ishigami_sweep, "ishigami", num_resamples=200, seed=5)
    b = sobol_indices(ishigami_sweep, "ishigami", num_resamples=200, seed=5)
    assert np.array_equal(a.first_order_conf, b.first_order_conf)
    text = str(a)
    assert "anxiety_gain_1" in text and "95% bootstrap" in text
    rows = a.to_csv(tmp_path / "s.csv").read_text().splitlines()
    assert rows[0] == "parameter,S1,S1_low,S1_high,ST,ST_low,ST_high"
    assert len(rows) == 4 and rows[1].startswith("anxiety_gain_1,")


@pytest.mark.slow  # over the 4-minute default run (issue 13 §5); CI runs it
def test_parameter_without_effect_has_zero_indices():
    # Equilibria do not depend on the recovery rates (they only scale time), so the
    # number of stable equilibria has S1 = ST = 0 for recovery_rate_1 exactly: every
    # cross-sampled point that differs only in it gives the same value.
    s = Sample(
        "saltelli",
        {"anxiety_gain_1": (LO, HI), "avoidance_gain_2": (LO, HI), "recovery_rate_1": (0.5, 2.0)},
        n=32,
        seed=0,
        second_order=False,
    )
    ds = dm.sweep(MODEL, over=s, measure="n_stable", n_workers=1)
    assert ds.sizes["sample"] == 32 * 5
    r = sobol_indices(ds, "n_stable", num_resamples=100)
    assert r.first_order[2] == 0.0 and r.total[2] == 0.0
    assert r.total[0] > 0.1 and r.total[1] > 0.1
    assert r.second_order is None


def test_refuses_what_has_no_sobol_indices(ishigami_sweep):
    grid = dm.sweep(MODEL, over={"anxiety_gain_1": [1.0, 2.0]}, measure="regime", n_workers=1)
    with pytest.raises(ValueError, match="Sample\\('saltelli'"):
        sobol_indices(grid, "regime")
    with pytest.raises(ValueError, match="'nope' is not in this sweep; its outputs: ishigami"):
        sobol_indices(ishigami_sweep, "nope")
    with pytest.raises(ValueError, match=r"conf_level = 1\.5"):
        sobol_indices(ishigami_sweep, "ishigami", conf_level=1.5)
    with pytest.raises(ValueError, match="num_resamples = 0"):
        sobol_indices(ishigami_sweep, "ishigami", num_resamples=0)
    s = Sample("saltelli", {"anxiety_gain_1": (0.5, 4.0)}, n=4, seed=0)
    ds = dm.sweep(MODEL, over=s, measure=["regime", "resilience"], n_workers=1)
    with pytest.raises(ValueError, match="categorical"):
        sobol_indices(ds, "regime")
    # resilience: NaN where there is no balanced state, inf where nothing tips
    with pytest.raises(ValueError, match=r"missing at \d+ of 12|infinite at \d+"):
        sobol_indices(ds, "resilience")
