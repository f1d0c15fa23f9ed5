"""Figure 9: stochastic tipping: probability of entrenchment vs the level of daily stress.

Paper section: "Daily stress: noise-induced tipping" (phenomenon 3 of
paper/paper.md, "Phenomena and model design", stochastic version).

The anxious–avoidant couple of ``pursuer-distancer-2d`` starts balanced and lives with
fluctuating daily stress: an Ornstein–Uhlenbeck input with correlation time 1, mean 0
and noise level sigma (`dyadmodel.tipping_statistics`; Euler–Maruyama, dt = 0.05).
Left: the share of 200 paths per level that enter the entrenched basin (the side of
the saddle's stable manifold) within 50 time units, with 95% Wilson intervals. Right:
the mean first-passage time of the paths that tipped, with its standard error. Every
level uses the same seed (common random numbers), so the curve is smooth in sigma and
its differences are not sampling noise. Without noise the couple never tips.

Run: ``.venv/bin/python scripts/fig09_stochastic_tipping.py [outdir]`` (default
``figures/``).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import plotly.graph_objects as go
from _common import save_figure

import dyadmodel as dm
from dyadmodel.plot import compare, theme

NAME = "fig09_stochastic_tipping"
MODEL = "pursuer-distancer-2d"
PRESET = "anxious-avoidant"
NOISE_LEVELS = [round(0.01 * k, 2) for k in range(17)]  # 0, 0.01, ..., 0.16
HORIZON = 50.0
N_PATHS = 200
DT = 0.05
CONFIDENCE = 0.95
SEED = 20261122
CAPTION = (
    "Left: probability that the balanced anxious–avoidant couple enters the entrenched "
    "basin within 50 time units, against the level σ of fluctuating daily stress "
    "(Ornstein–Uhlenbeck, correlation time 1; 200 paths per level, 95% Wilson "
    "intervals, common random numbers). Right: mean time to tip (± standard error) "
    "among the paths that tipped. Without noise the couple never tips; the probability "
    "passes one half near σ = {half:.2f}."
)


def main(outdir: str | Path = "figures") -> list[Path]:
    """Compute, draw and save figure 9; return the files written."""
    model = dm.models.get(MODEL)
    p = model.preset(PRESET)
    ts = dm.tipping_statistics(
        model, p, NOISE_LEVELS, HORIZON, N_PATHS, SEED, dt=DT, confidence=CONFIDENCE
    )
    sigma = np.asarray(ts.noise_levels, dtype=float)
    prob = np.asarray(ts.probability, dtype=float)
    lo, hi = np.asarray(ts.ci_low, dtype=float), np.asarray(ts.ci_high, dtype=float)

    # The caption's claims, checked on every run.
    assert ts.n_tipped[0] == 0 and prob[0] == 0.0  # no noise, no tipping
    assert prob[-1] > 0.95, prob
    assert np.all((lo <= prob) & (prob <= hi))
    assert np.all(np.diff(prob) >= -0.02), prob  # rises with the noise level
    half = float(sigma[np.argmax(prob >= 0.5)])
    assert 0.04 <= half <= 0.12, half
    tipped = ts.n_tipped > 0
    fpt = np.asarray(ts.mean_first_passage, dtype=float)
    assert np.all(np.isfinite(fpt[tipped])) and np.all(fpt[tipped] < HORIZON)
    assert fpt[-1] < fpt[np.argmax(tipped)]  # more stress tips sooner

    blue, vermillion = theme.OKABE_ITO["blue"], theme.OKABE_ITO["vermillion"]
    left = go.Figure(
        go.Scatter(
            x=sigma,
            y=prob,
            mode="lines+markers",
            line={"color": blue, "width": 2.2},
            marker={"size": 8, "color": blue},
            error_y={
                "type": "data",
                "symmetric": False,
                "array": hi - prob,
                "arrayminus": prob - lo,
                "color": blue,
                "thickness": 1.4,
                "width": 4,
            },
            name=f"P(tip within {HORIZON:g}) with {100 * CONFIDENCE:.0f}% interval",
            customdata=np.column_stack([ts.n_tipped, lo, hi]),
            hovertemplate="σ = %{x}<br>P = %{y:.3f} (%{customdata[0]} of "
            f"{N_PATHS})<br>CI [%{{customdata[1]:.3f}}, %{{customdata[2]:.3f}}]<extra></extra>",
            meta={"role": "tipping-probability"},
        )
    )
    left.update_layout(
        xaxis_title_text="daily-stress noise level σ (intensity, arbitrary units)",
        yaxis_title_text=f"probability of entrenchment within t = {HORIZON:g}",
        yaxis_range=[-0.03, 1.03],
    )
    right = go.Figure(
        go.Scatter(
            x=sigma[tipped],
            y=fpt[tipped],
            mode="lines+markers",
            line={"color": vermillion, "width": 2.2},
            marker={"size": 8, "color": vermillion},
            error_y={
                "type": "data",
                "array": np.asarray(ts.first_passage_se, dtype=float)[tipped],
                "color": vermillion,
                "thickness": 1.4,
                "width": 4,
            },
            name="mean time to tip ± standard error",
            meta={"role": "first-passage-time"},
        )
    )
    right.update_layout(
        xaxis_title_text="daily-stress noise level σ (intensity, arbitrary units)",
        yaxis_title_text="mean time to tip (model time units)",
        yaxis_rangemode="tozero",
    )
    fig = compare(
        [left, right],
        titles=["Probability of tipping into entrenchment", "Time to tip, among paths that tip"],
        width=1100,
        height=500,
    )
    fig.update_xaxes(range=[-0.005, sigma[-1] + 0.005])

    provenance = {
        "script": f"scripts/{Path(__file__).name}",
        "caption": CAPTION.format(half=half),
        "models": [MODEL],
        "presets": [PRESET],
        "parameters": {PRESET: p},
        "noise": ts.noise,
        "noise_levels": sigma,
        "n_paths": N_PATHS,
        "horizon": HORIZON,
        "start": ts.x0,
        "results": {
            "n_tipped": ts.n_tipped,
            "probability": prob,
            "ci_low": lo,
            "ci_high": hi,
            "mean_first_passage": fpt,
        },
        "methods": {
            "tipping_statistics": "dyadmodel.tipping_statistics (Euler–Maruyama SDE)",
            "dt": DT,
            "basin_method": ts.basin_method,
            "interval": f"{ts.interval} ({100 * CONFIDENCE:.0f}%)",
        },
        "seed": SEED,
    }
    return save_figure(fig, outdir, NAME, provenance)


if __name__ == "__main__":
    for path in main(sys.argv[1] if len(sys.argv) > 1 else "figures"):
        print(path)
