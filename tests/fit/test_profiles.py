"""dm.fit.profiles: Gaussian-mixture groups of couples' estimates, BIC-selected, and the
association of covariates with the groups."""

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import adjusted_rand_score

import dyadmodel as dm
from dyadmodel.errors import InvalidInputError, InvalidTypeError, NotFoundError

#: Two kinds of couples: angular frequencies of partner 1 and partner 2.
GROUP_OMEGAS = ((0.5, 0.3), (0.2, 0.45))


def two_group_couples(n_dyads, seed):
    rng = np.random.default_rng(seed)
    t = np.arange(80.0)
    truth = rng.integers(0, 2, n_dyads)
    parts = []
    for d, g in enumerate(truth):
        omegas = np.array(GROUP_OMEGAS[g]) + 0.01 * rng.normal(size=2)
        phases = rng.uniform(0, 2 * np.pi, 2)
        for k in range(2):
            v = np.cos(omegas[k] * t + phases[k]) + 0.02 * rng.normal(size=t.size)
            parts.append(
                pd.DataFrame(
                    {
                        "dyad": d,
                        "person": k + 1,
                        "time": t,
                        "value": v,
                        # dyad level: differs between the groups; unrelated to them
                        "satisfaction": 3.0 + 2.0 * g + 0.1 * (d % 3),
                        "site": "ab"[d % 2],
                    }
                )
            )
    data = dm.data.read_dyadic(
        pd.concat(parts),
        dyad="dyad",
        person="person",
        time="time",
        value="value",
        covariates=("satisfaction", "site"),
    )
    return data, truth


def test_two_separated_groups_are_recovered_with_their_covariate():
    data, truth = two_group_couples(30, seed=3)
    # one (tau, embed): the estimates vary smoothly with the couples' frequencies
    result = dm.fit(
        "coupled-oscillator", data, coupled=False, detrend=False, taus=(2,), embeds=(3,)
    )
    found = dm.fit.profiles(result, ["eta_x", "eta_y"], data=data, max_groups=4, seed=0)
    assert found.n_groups == 2
    assert found.bic.idxmin() == 2
    assert adjusted_rand_score(truth, found.group.to_numpy()) > 0.9
    assert np.allclose(found.probability.sum(axis=1), 1.0)
    # the faster partner-1 oscillation (omega 0.5 vs 0.2) has the more negative eta_x
    eta_x = sorted(found.means["eta_x"])
    assert eta_x[0] < 2 * eta_x[1] < 0
    assert found.means["size"].sum() == 30
    tests = found.covariates
    assert tests.loc["satisfaction", "test"] == "anova"
    assert tests.loc["satisfaction", "p_value"] < 1e-6
    assert tests.loc["site", "test"] == "chi2"
    assert tests.loc["site", "p_value"] > 0.01


def test_one_cloud_is_one_group():
    rng = np.random.default_rng(0)
    data, _ = two_group_couples(4, seed=1)
    result = dm.fit("coupled-oscillator", data, coupled=False, detrend=False)
    table = result.table.copy()
    table = pd.concat([table] * 10, ignore_index=True)
    table.index.name = "dyad"
    table["eta_x"] = rng.normal(-0.2, 0.01, len(table))
    table["eta_y"] = rng.normal(-0.1, 0.01, len(table))
    cloud = dm.fit.FitResult(result.model, result.method, result.parameter_names, table)
    found = dm.fit.profiles(cloud, ["eta_x", "eta_y"])
    assert found.n_groups == 1
    assert (found.group == 0).all()


def test_refusals_name_the_value():
    data, _ = two_group_couples(4, seed=1)
    result = dm.fit("coupled-oscillator", data, coupled=False, detrend=False)
    with pytest.raises(NotFoundError, match="'nope' is not a column"):
        dm.fit.profiles(result, ["nope"])
    with pytest.raises(InvalidTypeError, match="params must be a sequence"):
        dm.fit.profiles(result, "eta_x")
    with pytest.raises(InvalidTypeError, match="params must be a sequence"):
        dm.fit.profiles(result, 3)
    with pytest.raises(InvalidInputError, match="reg_covar = 1000"):
        dm.fit.profiles(result, ["eta_x"], reg_covar=10**400)
    with pytest.raises(InvalidInputError, match="max_groups = 0"):
        dm.fit.profiles(result, ["eta_x"], max_groups=0)
    with pytest.raises(InvalidTypeError, match="FitResult"):
        dm.fit.profiles(result.table, ["eta_x"])
