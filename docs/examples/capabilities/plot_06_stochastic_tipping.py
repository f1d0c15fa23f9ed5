"""
Stochastic tipping
==================

Random daily stress (an Ornstein–Uhlenbeck process) can tip a bistable couple into
entrenchment without any single large event. `dm.tipping_statistics` estimates the
probability of tipping within a horizon at each noise level, with Wilson intervals,
from seeded Monte Carlo paths (the same seed gives the same numbers).
"""

import plotly.graph_objects as go

import dyadmodel as dm

m = dm.models.get("pursuer-distancer-2d")
p = m.preset("anxious-avoidant")
ts = dm.tipping_statistics(
    m, p, [0.0, 0.04, 0.08, 0.12], horizon=50.0, n_paths=100, seed=1, dt=0.05
)
for sigma, prob, lo, hi in zip(ts.noise_levels, ts.probability, ts.ci_low, ts.ci_high):
    print(f"sigma {sigma:.2f}: P(tip) = {prob:.2f} [{lo:.2f}, {hi:.2f}]")

# %%
fig = go.Figure(
    go.Scatter(
        x=list(ts.noise_levels),
        y=list(ts.probability),
        mode="lines+markers",
        name="P(tip within 50)",
    )
)
fig.update_layout(xaxis_title="noise level σ", yaxis_title="probability of tipping", height=420)
fig
