"""
Sweeps on a dask cluster
========================

`dm.sweep` measures outcomes at every point of a grid or a sample of parameter sets.
With ``backend="dask"`` it runs on dask.distributed: here a `LocalCluster` with two
workers that the tutorial starts itself (pass ``scheduler=`` to use a running cluster).
The chunks are fixed by the sweep's specification, so the result is the same, bit for
bit, as on local processes.
"""

# %%
# A small grid over the two gains
# -------------------------------
# As in every script that starts worker processes, the sweep runs under a
# ``__main__`` guard (the workers import the script again).
import tempfile
from pathlib import Path

import numpy as np
import plotly.graph_objects as go
from distributed import Client, LocalCluster

import dyadmodel as dm

gains = np.round(np.linspace(0.5, 4.0, 8), 3).tolist()
over = dm.Grid({"anxiety_gain_1": gains, "avoidance_gain_2": gains})
if __name__ == "__main__":
    store = Path(tempfile.mkdtemp()) / "gains.zarr"
    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, dashboard_address=None, processes=True
        ) as cluster,
        Client(cluster) as client,
    ):
        ds = dm.sweep(
            "pursuer-distancer-2d",
            over=over,
            measure=["regime", "balanced_basin_fraction"],
            backend="dask",
            scheduler=client,
            store=store,
            progress=False,
        )
    print(ds)

# %%
# The same sweep on local processes gives identical data.
if __name__ == "__main__":
    local = dm.sweep(
        "pursuer-distancer-2d",
        over=over,
        measure=["regime", "balanced_basin_fraction"],
        n_workers=2,
        progress=False,
    )
    print(
        "identical:",
        bool((local.regime == ds.regime).all()),
        bool(
            np.array_equal(
                local.balanced_basin_fraction.values,
                ds.balanced_basin_fraction.values,
                equal_nan=True,
            )
        ),
    )

# %%
# The resilience landscape
# ------------------------
# The share of the (pursuit, distance) square from which the couple returns to balance.


def landscape(ds):
    """Heat map of the balanced basin's share over the two gains."""
    z = ds.balanced_basin_fraction.transpose("avoidance_gain_2", "anxiety_gain_1").values
    fig = go.Figure(
        go.Heatmap(x=gains, y=gains, z=z, zmin=0, zmax=1, colorbar={"title": "balanced basin"})
    )
    fig.update_layout(
        xaxis_title="anxiety gain of partner 1",
        yaxis_title="avoidance gain of partner 2",
        height=480,
    )
    return fig


fig = landscape(ds) if __name__ == "__main__" else None
fig

# %%
# The store on disk can be reopened, finished or not, with ``dm.open_sweep``.
if __name__ == "__main__":
    print(dm.open_sweep(store).attrs["complete"])
