"""GLLA and the coupled-oscillator fit against closed forms.

On noise-free data of the linear model, ``x(t) = sum_m c_m v_m e^(lambda_m t)``, each
embedded row times ``W`` gives ``Re(sum_m c_m v_m e^(lambda_m t_c) w(lambda_m))`` with
``w_k(lambda) = sum_i W[i, k] e^(lambda s_i)``, ``s_i = (i - mean(i)) tau delta``. The
regression is then exact (R² = 1) and its coefficients solve, for every mode,
``w_2 v_x = eta_x w_0 v_x + zeta_x w_1 v_x + eta_xy w_0 v_y + zeta_xy w_1 v_y``: four
real equations for the four coefficients of a partner. That is GLLA's answer "to the
accuracy the method allows"; it tends to the true parameters as ``tau delta -> 0``
(``w_k -> lambda^k``).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.linalg import expm

import dyadmodel as dm
from dyadmodel.fit import COUPLED_OSCILLATOR_PARAMETERS, glla_derivatives, glla_weights

MODEL = dm.models.get("coupled-oscillator")


def w(lam: complex, embed: int, tau: int, delta: float) -> np.ndarray:
    i = np.arange(1, embed + 1)
    s = (i - i.mean()) * tau * delta
    return glla_weights(embed, tau, delta).T @ np.exp(lam * s)


def expected_glla(params: dict, embed: int, tau: int, delta: float) -> np.ndarray:
    """The 8 coefficients GLLA must return on noise-free data of the linear model."""
    A = MODEL.jacobian(np.zeros(4), MODEL.params(params))
    lams, vecs = np.linalg.eig(A)
    out = []
    for own, other in ((0, 2), (2, 0)):
        rows, rhs = [], []
        for lam, v in zip(lams, vecs.T):
            if lam.imag < 0:
                continue  # the conjugate mode gives the same equations
            w0, w1, w2 = w(lam, embed, tau, delta)
            row = [w0 * v[own], w1 * v[own], w0 * v[other], w1 * v[other]]
            rows += [np.real(row), np.imag(row)]
            rhs += [np.real(w2 * v[own]), np.imag(w2 * v[own])]
        out += list(np.linalg.solve(np.array(rows), np.array(rhs)))
    return np.array(out)


def simulate(params: dict, n: int, delta: float, x0=(1.0, 0.3, -0.8, 0.5)) -> np.ndarray:
    """Exact samples of (x, vx, y, vy) every ``delta``."""
    A = MODEL.jacobian(np.zeros(4), MODEL.params(params))
    step = expm(A * delta)
    states = np.empty((n, 4))
    states[0] = x0
    for k in range(1, n):
        states[k] = step @ states[k - 1]
    return states


def as_data(series: list[tuple[np.ndarray, np.ndarray]], delta: float) -> dm.data.DyadicData:
    rows = []
    for d, (x, y) in enumerate(series):
        t = np.arange(x.size) * delta
        for person, values in ((0, x), (1, y)):
            rows.append(pd.DataFrame({"d": d, "p": person, "t": t, "v": values, "g": person}))
    return dm.data.read_dyadic(
        pd.concat(rows), dyad="d", person="p", time="t", value="v", distinguish="g"
    )


def test_glla_is_exact_for_quadratics():
    t = np.arange(20.0) * 0.5
    for embed, tau in ((3, 1), (4, 2), (7, 3)):
        d = glla_derivatives(3 - 2 * t + 0.7 * t**2, embed, tau, delta=0.5)
        centre = t[: d.shape[0]] + (embed - 1) * tau * 0.5 / 2
        assert np.allclose(d[:, 0], 3 - 2 * centre + 0.7 * centre**2, atol=1e-10)
        assert np.allclose(d[:, 1], -2 + 1.4 * centre, atol=1e-10)
        assert np.allclose(d[:, 2], 1.4, atol=1e-10)


COUPLED = {
    "eta_x": -0.5,
    "zeta_x": -0.1,
    "eta_xy": 0.1,
    "zeta_xy": 0.05,
    "eta_y": -0.3,
    "zeta_y": -0.05,
    "eta_yx": -0.08,
    "zeta_yx": 0.04,
}


@settings(max_examples=20)
@given(
    eta_x=st.floats(-1.0, -0.1),
    zeta_x=st.floats(-0.2, 0.0),
    eta_y=st.floats(-1.0, -0.1),
    coupling=st.floats(-0.1, 0.1),
    tau=st.integers(1, 3),
    embed=st.integers(3, 5),
)
def test_noise_free_fit_equals_glla_closed_form(eta_x, zeta_x, eta_y, coupling, tau, embed):
    params = {**COUPLED, "eta_x": eta_x, "zeta_x": zeta_x, "eta_y": eta_y, "eta_xy": coupling}
    delta = 0.5
    states = simulate(params, 80, delta)
    result = dm.fit(
        "coupled-oscillator",
        as_data([(states[:, 0], states[:, 2])], delta),
        taus=(tau,),
        embeds=(embed,),
        delta=delta,
        detrend=False,
    )
    row = result.table.iloc[0]
    assert row.status == "ok"
    assert row.adj_r2 > 1 - 1e-9
    got = row[list(COUPLED_OSCILLATOR_PARAMETERS)].to_numpy(float)
    assert np.allclose(got, expected_glla(params, embed, tau, delta), rtol=1e-6, atol=1e-8)


def test_damped_oscillator_is_recovered_as_sampling_gets_fine():
    """Uncoupled damped oscillators: the estimate approaches (eta, zeta) as tau delta -> 0;
    the error at tau delta = 0.02 is below 1e-4 (the closed form's O((tau delta)^2))."""
    params = {**COUPLED, "eta_xy": 0.0, "zeta_xy": 0.0, "eta_yx": 0.0, "zeta_yx": 0.0}
    errors = []
    for delta in (0.2, 0.02):
        states = simulate(params, int(40 / delta), delta)
        result = dm.fit(
            "coupled-oscillator",
            as_data([(states[:, 0], states[:, 2])], delta),
            taus=(1,),
            embeds=(3,),
            delta=delta,
            detrend=False,
            coupled=False,
        )
        got = result.estimates.iloc[0]
        errors.append(max(abs(got[p] - params[p]) for p in ("eta_x", "zeta_x", "eta_y")))
        assert got["eta_xy"] == 0.0 and np.isnan(result.standard_errors.iloc[0]["eta_xy"])
    assert errors[1] < 1e-4
    assert errors[1] < errors[0] / 50  # second order: (0.2 / 0.02)^2 = 100


def test_identical_partners_alias_the_partner_terms_as_r_does():
    states = simulate(COUPLED, 80, 0.5)
    x = states[:, 0]
    data = as_data([(x, x.copy()), (states[:, 0], states[:, 2])], 0.5)
    result = dm.fit("coupled-oscillator", data, detrend=False)
    bad, good = result.table.iloc[0], result.table.iloc[1]
    assert bad.status == "aliased" and "eta_xy, zeta_xy, eta_yx, zeta_yx" in bad.message
    assert np.isnan(bad[["eta_xy", "zeta_xy", "eta_yx", "zeta_yx"]].to_numpy(float)).all()
    # the rest is the fit without the aliased columns: the uncoupled regression
    alone = dm.fit(
        "coupled-oscillator",
        data.select([0]),
        detrend=False,
        coupled=False,
        taus=(int(bad.tau),),
        embeds=(int(bad.embed),),
    ).table.iloc[0]
    for p in ("eta_x", "zeta_x", "eta_y", "zeta_y"):
        assert bad[p] == pytest.approx(alone[p], rel=1e-10)
    assert good.status == "ok"  # one bad dyad does not stop the others


def test_a_missing_point_drops_that_time_for_both_partners_and_joins_the_rest():
    states = simulate(COUPLED, 60, 0.5)
    x, y = states[:, 0].copy(), states[:, 2].copy()
    x_gap = x.copy()
    x_gap[17] = np.nan
    joined = (np.delete(x, 17), np.delete(y, 17))
    result = dm.fit("coupled-oscillator", as_data([(x_gap, y), joined], 0.5), detrend=False)
    a, b = result.table.iloc[0], result.table.iloc[1]
    assert a.n_times == 59 and a.tau == b.tau and a.embed == b.embed
    names = list(COUPLED_OSCILLATOR_PARAMETERS)
    assert np.allclose(a[names].to_numpy(float), b[names].to_numpy(float), rtol=1e-12)


def test_tau_and_embed_are_chosen_by_adjusted_r2_and_too_short_dyads_say_so():
    rng = np.random.default_rng(3)
    states = simulate(COUPLED, 60, 0.5)
    noisy = (states[:, 0] + rng.normal(0, 0.05, 60), states[:, 2] + rng.normal(0, 0.05, 60))
    short = (np.arange(5.0), np.arange(5.0) ** 2)
    result = dm.fit(
        "coupled-oscillator", as_data([noisy, short], 0.5), taus=(1, 2, 3), embeds=(3, 4, 5)
    )
    selection = result.details["selection"].loc[[0]].reset_index(drop=True)
    best = selection.loc[selection.adj_r2.idxmax()]
    row = result.table.iloc[0]
    assert (row.tau, row.embed, row.adj_r2) == (best.tau, best.embed, best.adj_r2)
    assert len(selection) == 9
    assert row.period_x == pytest.approx(2 * math.pi / math.sqrt(abs(row.eta_x)))
    assert result.table.iloc[1].status == "too short"
    assert "5 time points" in result.table.iloc[1].message
