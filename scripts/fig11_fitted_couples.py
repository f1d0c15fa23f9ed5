"""Figure 11: couples' time series fitted by maximum likelihood, and where they sit.

Paper section: "From data to dynamics: fitting couples" (issue 14 §3-4).

Twelve synthetic couples of ``pursuer-distancer-2d`` (seeded: each couple's anxiety and
avoidance gains drawn around the anxious–avoidant defaults, 60 observations over 30 time
units, Gaussian measurement noise of SD 0.05) are fitted one by one with
``dm.fit(model, data, method="ml", free=(anxiety_gain_1, avoidance_gain_2))``. Left:
observed values (markers) and the fitted trajectories (lines) of three couples. Right:
every fitted couple on the regime map over the same two gains (`dyadmodel.regime_map`,
fold curves from two-parameter continuation), with its 95% confidence ellipse (from the
inverse Fisher information of the two gains: ``(p - p_hat)^T C^-1 (p - p_hat) <=
chi2(2, 0.95)``) and its true parameters as a cross.

Run: ``.venv/bin/python scripts/fig11_fitted_couples.py [outdir]`` (default ``figures/``).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from _common import TRAJECTORY_SETTINGS, save_figure, trajectory
from plotly.subplots import make_subplots
from scipy import stats

import dyadmodel as dm
from dyadmodel.continuation import ContinuationOptions
from dyadmodel.plot import regime_map

NAME = "fig11_fitted_couples"
MODEL = "pursuer-distancer-2d"
PRESET = "anxious-avoidant"
FREE = ("anxiety_gain_1", "avoidance_gain_2")
X = ("anxiety_gain_1", (0.0, 4.0))
Y = ("avoidance_gain_2", (0.0, 4.0))
RESOLUTION = 21
SEED = 11
N_COUPLES = 12
SIGMA = 0.05
TIMES = np.arange(0.0, 30.0, 0.5)
SHOWN = (0, 1, 2)
CAPTION = (
    "Left: three synthetic couples' observed pursuit (partner 1) and distance (partner 2), "
    "markers, with the trajectories of their maximum-likelihood fits, lines. Right: all "
    "twelve fitted couples on the regime map over partner 1's anxiety gain and partner "
    "2's avoidance gain, with 95% confidence ellipses from the Fisher covariance and the "
    "true values (crosses); black: the fold curves bounding the bistable wedge."
)


def couples(
    model: dm.Model, base: dm.ParameterSet, n: int = N_COUPLES
) -> tuple[dm.data.DyadicData, list]:
    """The first ``n`` seeded synthetic couples: their data and their true parameter sets
    (figure 12 profiles the first two)."""
    rng = np.random.default_rng(SEED)
    rows, truths = [], []
    for d in range(n):
        gains = rng.uniform([1.0, 1.0], [3.5, 3.5])
        truth = base.replace(**dict(zip(FREE, gains.tolist())))
        x0 = rng.uniform(0.1, 2.5, 2)
        _, y = trajectory(model, truth, x0, TIMES[-1], n_points=TIMES.size)
        y = y + rng.normal(0.0, SIGMA, y.shape)
        truths.append(truth)
        for k in range(2):
            rows.append(pd.DataFrame({"couple": d + 1, "person": k + 1, "t": TIMES, "v": y[k]}))
    data = dm.data.read_dyadic(pd.concat(rows), dyad="couple", person="person", time="t", value="v")
    return data, truths


def ellipse(center: np.ndarray, cov: np.ndarray, n: int = 60) -> np.ndarray:
    """Points of the 95% confidence ellipse of a bivariate normal estimate, shape (n, 2)."""
    radius = np.sqrt(stats.chi2.ppf(0.95, 2))
    w, v = np.linalg.eigh(cov)
    angle = np.linspace(0.0, 2 * np.pi, n)
    circle = np.stack([np.cos(angle), np.sin(angle)])
    return (center[:, None] + radius * (v * np.sqrt(np.clip(w, 0, None))) @ circle).T


def covariances(result: dm.fit.FitResult) -> list[np.ndarray]:
    """Per dyad: the Fisher covariance of the two free gains (from the fit's details)."""
    long = result.details["covariance"]
    out = []
    for dyad in result.table.index:
        rows = long.loc[[dyad]]
        cov = np.empty((2, 2))
        for i, a in enumerate(FREE):
            for j, b in enumerate(FREE):
                hit = rows[(rows["row"] == a) & (rows["column"] == b)]
                cov[i, j] = float(hit["covariance"].iloc[0])
        out.append(cov)
    return out


def main(outdir: str | Path = "figures") -> list[Path]:
    """Compute, draw and save figure 11; return the files written."""
    model = dm.models.get(MODEL)
    base = model.preset(PRESET)
    data, truths = couples(model, base)
    result = dm.fit(model, data, method="ml", free=FREE, params=base)
    table = result.table
    assert (result.status == "ok").all(), table.message.tolist()
    options = ContinuationOptions()
    rmap = dm.regime_map(model, base, X, Y, RESOLUTION, options)

    # The caption's claims, checked on every run: intervals cover most true values.
    truth_values = np.array([[t[p] for p in FREE] for t in truths])
    estimates = table[list(FREE)].to_numpy(float)
    ses = table[[f"se_{p}" for p in FREE]].to_numpy(float)
    covs = covariances(result)
    # the ellipses' variances are the reported standard errors
    assert np.allclose([np.sqrt(np.diag(c)) for c in covs], ses, rtol=1e-10)
    inside = np.array(
        [
            (t - e) @ np.linalg.solve(c, t - e) <= stats.chi2.ppf(0.95, 2)
            for t, e, c in zip(truth_values, estimates, covs)
        ]
    )
    assert inside.mean() >= 0.75, inside

    fig = make_subplots(
        rows=1,
        cols=2,
        subplot_titles=["Observed and fitted (three couples)", "Fitted couples on the regime map"],
        horizontal_spacing=0.1,
    )
    colours = ("#1f77b4", "#d62728", "#2ca02c")
    for colour, d in zip(colours, SHOWN):
        dyad = data.dyads[d]
        row = table.loc[dyad.id]
        fitted = model.params({p: row[p] for p in model.parameter_names})
        x0 = [row[f"init_{s}"] for s in model.state_names]
        t, y = trajectory(model, fitted, x0, TIMES[-1], n_points=300)
        for k, (symbol, dash) in enumerate((("circle", "solid"), ("diamond", "dot"))):
            who = ("pursuit (1)", "distance (2)")[k]
            fig.add_trace(
                go.Scatter(
                    x=dyad.time,
                    y=dyad.values[:, k],
                    mode="markers",
                    marker={"color": colour, "symbol": symbol, "size": 5, "opacity": 0.6},
                    name=f"couple {dyad.id}: {who}, observed",
                    legendgroup=str(dyad.id),
                ),
                row=1,
                col=1,
            )
            fig.add_trace(
                go.Scatter(
                    x=t,
                    y=y[k],
                    mode="lines",
                    line={"color": colour, "dash": dash},
                    name=f"couple {dyad.id}: {who}, fitted",
                    legendgroup=str(dyad.id),
                ),
                row=1,
                col=1,
            )
    for trace in regime_map(rmap).data:
        trace.showlegend = False
        if isinstance(trace, go.Heatmap):
            trace.showscale = False
        fig.add_trace(trace, row=1, col=2)
    for k, (center, cov) in enumerate(zip(estimates, covs)):
        points = ellipse(center, cov)
        fig.add_trace(
            go.Scatter(
                x=points[:, 0],
                y=points[:, 1],
                mode="lines",
                line={"color": "black", "width": 1},
                name="95% confidence ellipse",
                legendgroup="ellipse",
                showlegend=k == 0,
                hoverinfo="skip",
            ),
            row=1,
            col=2,
        )
    fig.add_trace(
        go.Scatter(
            x=estimates[:, 0],
            y=estimates[:, 1],
            mode="markers",
            marker={"color": "black", "size": 7},
            name="fitted couple",
            text=[f"couple {i}" for i in table.index],
        ),
        row=1,
        col=2,
    )
    fig.add_trace(
        go.Scatter(
            x=truth_values[:, 0],
            y=truth_values[:, 1],
            mode="markers",
            marker={"color": "white", "symbol": "x", "size": 7, "line": {"width": 1}},
            name="true values",
        ),
        row=1,
        col=2,
    )
    fig.update_xaxes(title_text="time", row=1, col=1)
    fig.update_yaxes(title_text="intensity", row=1, col=1)
    fig.update_xaxes(title_text="anxiety_gain_1", range=list(X[1]), row=1, col=2)
    fig.update_yaxes(title_text="avoidance_gain_2", range=list(Y[1]), row=1, col=2)
    fig.update_layout(width=1300, height=600, template="plotly_white")

    provenance = {
        "script": f"scripts/{Path(__file__).name}",
        "caption": CAPTION,
        "models": [MODEL],
        "presets": [PRESET],
        "parameters": {PRESET: base},
        "data": {
            "couples": N_COUPLES,
            "times": [float(TIMES[0]), float(TIMES[-1]), TIMES.size],
            "noise_sd": SIGMA,
            "true": truth_values.tolist(),
        },
        "fit": {
            "method": "ml",
            "free": list(FREE),
            "estimates": estimates.tolist(),
            "standard_errors": ses.tolist(),
            "covariances": [c.tolist() for c in covs],
            "inside_95_ellipse": float(inside.mean()),
            "loglik": table["loglik"].tolist(),
        },
        "regime_map": {"x": X, "y": Y, "resolution": RESOLUTION},
        "methods": {
            "fit": "dyadmodel.fit method 'ml' (forward sensitivities, least_squares)",
            "regime_map": "dyadmodel.regime_map",
            "trajectories": TRAJECTORY_SETTINGS,
        },
        "tolerances": {"continuation": options},
        "seed": SEED,
    }
    return save_figure(fig, outdir, NAME, provenance)


if __name__ == "__main__":
    for path in main(sys.argv[1] if len(sys.argv) > 1 else "figures"):
        print(path)
