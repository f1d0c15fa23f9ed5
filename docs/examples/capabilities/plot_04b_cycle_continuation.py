"""
Continuing cycles: from a Hopf point to a SNIC
==============================================

`dm.continue_cycle` follows a branch of periodic orbits as a parameter varies, by
orthogonal collocation with pseudo-arclength steps, from a Hopf point (or from a cycle
found by `dm.limit_cycle`). For the synergic couple of Gragnani, Rinaldi & Feichtinger
(1997) the stable cycle born at the Hopf point in ``alpha1`` grows as ``alpha1``
decreases, and its period diverges where a saddle and a node appear on it (a
saddle-node on the invariant circle, SNIC): the branch ends there and says so.
"""

import plotly.graph_objects as go

import dyadmodel as dm

m = dm.models.get("rinaldi-synergic")
diagram = dm.continuation(m, None, "alpha1", (0.35, 0.38), dm.ContinuationOptions(seeds=1))
(hopf,) = diagram.hopf_points
print(f"Hopf point at alpha1 = {hopf.value:.6f}, period there {6.283185307 / hopf.frequency:.4f}")
branch = dm.continue_cycle(m, None, "alpha1", (0.01, 3.0), start=hopf)
print(f"{len(branch.periods)} cycles; ends: {branch.status} ({branch.end})")
for point in branch.special:
    print(point.kind, round(point.value, 7))

# %%
# The period along the branch: it grows without bound towards the fold of equilibria.
fig = go.Figure(
    go.Scatter(x=branch.param_values, y=branch.periods, mode="lines+markers", name="period")
)
fig.update_layout(
    xaxis_title="alpha1", yaxis_title="period of the cycle", yaxis_type="log", height=440
)
fig
