"""
Parameter sweeps
================

`dm.sweep` measures named outcomes at every point of a grid (or a seeded sample) of
parameter sets and returns a labelled xarray Dataset (written chunk by chunk to a zarr
store when ``store=`` is given, and resumable). Here: how many stable states a couple has
over a grid of the two gains. ``n_workers=1`` runs in this process; see the sweeps
tutorial for a dask cluster.
"""

import numpy as np
import plotly.graph_objects as go

import dyadmodel as dm

gains = np.round(np.linspace(0.5, 4.0, 15), 3).tolist()
ds = dm.sweep(
    "pursuer-distancer-2d",
    over={"anxiety_gain_1": gains, "avoidance_gain_2": gains},
    measure=["regime", "n_stable"],
    n_workers=1,
    progress=False,
)
print(ds)

# %%
fig = go.Figure(
    go.Heatmap(
        x=gains,
        y=gains,
        z=ds.n_stable.transpose("avoidance_gain_2", "anxiety_gain_1").values,
        colorbar={"title": "stable states"},
    )
)
fig.update_layout(
    xaxis_title="anxiety gain of partner 1", yaxis_title="avoidance gain of partner 2", height=480
)
fig
