"""
Fitting couples' data and placing them on the regime map
=========================================================

Two routes: the field's standard estimators on daily data (GLLA and regression, as the
R package rties computes them), and maximum-likelihood fits of the pursuer–distancer
model, whose estimates say where each couple sits: balanced only, bistable (at risk of
entrenchment) or entrenched only.
"""

# %%
# The example data set
# --------------------
# ``examples/couples_daily.csv`` is synthetic: 12 couples, 60 days, one row per person
# and day (written by ``scripts/make_example_data.py``, true parameters beside it).
from pathlib import Path

import numpy as np
import plotly.graph_objects as go

import dyadmodel as dm

examples = Path(dm.__file__).resolve().parent.parent / "examples"
data = dm.data.read_dyadic(
    examples / "couples_daily.csv",
    dyad="couple",
    person="person",
    time="day",
    value="closeness",
    distinguish="female",
    covariates=["anxiety", "years"],
    inputs=["stress"],
)
result = dm.fit("coupled-oscillator", data)
print(result)
result.table[["eta_x", "zeta_x", "eta_y", "zeta_y", "adj_r2"]].round(3).head()

# %%
# Profiles of couples: Gaussian mixtures of the estimates, the number of groups chosen
# by BIC, and each covariate tested against the groups.
groups = dm.fit.profiles(result, ["eta_x", "eta_y"], data=data, max_groups=3)
print("groups:", groups.group.tolist())
groups.covariates

# %%
# Maximum likelihood on the pursuer–distancer model
# -------------------------------------------------
# Five simulated couples from the generator of figure 11 (seeded), fitted with the two
# gains free; the others stay at the preset's values.
import fig11_fitted_couples as fig11

model = dm.models.get("pursuer-distancer-2d")
base = model.preset("anxious-avoidant")
couples, truths = fig11.couples(model, base, n=5)
fits = dm.fit(model, couples, method="ml", free=fig11.FREE, params=base)
table = fits.table[
    ["anxiety_gain_1", "se_anxiety_gain_1", "avoidance_gain_2", "se_avoidance_gain_2", "status"]
]
table.assign(
    true_anxiety=[t["anxiety_gain_1"] for t in truths],
    true_avoidance=[t["avoidance_gain_2"] for t in truths],
).round(3)

# %%
# Where each couple sits: its regime at the estimates and its distance to the nearest
# tipping point along the anxiety gain, with a bootstrap interval.
placed = dm.fit.couples_in_state_space(fits, "anxiety_gain_1", n_draws=5, span=(0.0, 4.0))
placed.round(3)

# %%
# The regime map with the fitted couples
# --------------------------------------
# The fold curves bound the bistable wedge; each couple is drawn at its estimate.
rmap = dm.regime_map(
    model, base, ("anxiety_gain_1", (0.0, 4.0)), ("avoidance_gain_2", (0.0, 4.0)), resolution=12
)
fig = dm.plot.regime_map(rmap)
fig.add_trace(
    go.Scatter(
        x=fits.table["anxiety_gain_1"],
        y=fits.table["avoidance_gain_2"],
        mode="markers+text",
        text=[str(d) for d in fits.table.index],
        textposition="top center",
        marker={"size": 10, "color": "black"},
        name="fitted couples",
    )
)
fig.add_trace(
    go.Scatter(
        x=[t["anxiety_gain_1"] for t in truths],
        y=[t["avoidance_gain_2"] for t in truths],
        mode="markers",
        marker={"symbol": "x", "size": 9, "color": "grey"},
        name="truth",
    )
)
print(
    "estimates within 2 standard errors:",
    int(
        np.sum(
            np.abs(fits.table["anxiety_gain_1"] - [t["anxiety_gain_1"] for t in truths])
            < 2 * fits.table["se_anxiety_gain_1"]
        )
    ),
    "of",
    len(truths),
)
fig
