"""
The pursuer–distancer story: from the phase plane to interventions
===================================================================

One partner presses for closeness (pursuit), the other withdraws (distance), and each
one's move provokes the other's. This tutorial follows the package's flagship model
from its phase plane to the question a counsellor asks: what brings an entrenched
couple back?
"""

# %%
# Two couples
# -----------
# ``pursuer-distancer-2d`` has two states: partner 1's pursuit and partner 2's distance.
# A *secure* couple (low gains) and an *anxious–avoidant* one (gains 2) differ only in
# how strongly each reacts to the other.
import numpy as np

import dyadmodel as dm

m = dm.models.get("pursuer-distancer-2d")
secure = m.preset("secure")
anxious_avoidant = m.preset("anxious-avoidant")
for name, p in [("secure", secure), ("anxious-avoidant", anxious_avoidant)]:
    eqs = dm.equilibria(m, p)
    print(name, [(e.label, e.kind) for e in eqs])
    print("   ", eqs.completeness)

# %%
# The phase plane
# ---------------
# The anxious–avoidant couple has a balanced and an entrenched stable state; the
# saddle between them is the tipping threshold, and its stable manifold (the bold
# curve) divides the two basins. Starts on either side end in different states.
starts = [(0.8, 0.0), (1.15, 0.0), (0.0, 0.8), (0.0, 1.15)]
runs = [dm.simulate(m, anxious_avoidant, x0, (0, 25)) for x0 in starts]
fig = dm.plot.phase_portrait(
    m,
    anxious_avoidant,
    domain=((0, 2.5), (0, 2.5)),
    trajectories=runs,
    equilibria=dm.equilibria(m, anxious_avoidant),
)
fig

# %%
# Stress tips the couple, and it stays tipped
# -------------------------------------------
# A stress pulse (five time units of size 0.5) pushes the balanced couple across the
# threshold. When the stress is over, the couple remains entrenched: hysteresis.
balanced = next(e for e in dm.equilibria(m, anxious_avoidant) if e.label == "balanced")
run = dm.simulate(m, anxious_avoidant, balanced.state, (0, 60), stress=dm.stress.pulse(10, 5, 0.5))
print("end state:", run.y[:, -1].round(4))
fig = dm.plot.time_series(run, stress=True)
fig

# %%
# Where the tipping points are
# ----------------------------
# Continuation in partner 1's anxiety gain shows the two folds between which the couple
# is bistable; a slow ramp up and down traces the hysteresis loop.
diagram = dm.continuation(m, anxious_avoidant, "anxiety_gain_1", (0.0, 4.0))
print([(s.kind, round(s.value, 4)) for s in diagram.special_points])
ramp = dm.hysteresis_sweep(m, anxious_avoidant, "anxiety_gain_1", (0.0, 4.0), rate=0.002)
fig = dm.plot.bifurcation_diagram(diagram, hysteresis=ramp)
fig

# %%
# Interventions
# -------------
# Each piece of counselling advice is a parameter change (phenomenon 8). Self-soothing
# lowers the pursuer's anxiety gain below the lower fold, so the entrenched state no
# longer exists and the couple returns, and stays balanced when the gain is restored
# (hysteresis works in both directions only within the bistable range).
entrenched = next(e for e in dm.equilibria(m, anxious_avoidant) if e.label == "entrenched")
options = {
    "self-soothing (anxiety gain to 1.2)": dm.intervention("anxiety_gain_1", to=1.2),
    "emotional availability (avoidance gain to 1.2)": dm.intervention("avoidance_gain_2", to=1.2),
    "small nudge (anxiety gain to 1.9)": dm.intervention("anxiety_gain_1", to=1.9),
}
comparison = dm.compare_interventions(
    m, anxious_avoidant, options, x0=entrenched.state, t_max=60.0, combinations=False
)
for outcome in comparison.outcomes:
    print(f"{outcome.name:48s} returns to balanced: {outcome.returns_to_balanced}")

# %%
# The end states under each intervention, side by side.
names = [o.name for o in comparison.outcomes]
ends = np.array([o.simulation.y[:, -1] for o in comparison.outcomes])
import plotly.graph_objects as go

fig = go.Figure([go.Bar(name=s, x=names, y=ends[:, k]) for k, s in enumerate(m.state_names)])
fig.update_layout(barmode="group", yaxis_title="state at t = 60", height=420)
fig
