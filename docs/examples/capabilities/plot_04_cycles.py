"""
Limit cycles: pursue–withdraw oscillations
==========================================

In the six-state model with the preset ``pursue-withdraw-cycles`` the couple does not
settle: its one equilibrium is unstable, and approach and withdrawal alternate on a
stable limit cycle. `dm.limit_cycle` finds the periodic orbit by shooting from a start
and reports its period and Floquet multipliers (stable when every non-trivial
multiplier lies inside the unit circle).
"""

import numpy as np

import dyadmodel as dm

m = dm.models.get("pursuer-distancer")
p = m.preset("pursue-withdraw-cycles")
(balanced,) = dm.equilibria(m, p)
print(balanced.kind, "stable:", balanced.stable)

start = balanced.state + 0.05
cycle = dm.limit_cycle(m, p, start)
print(f"period {cycle.period:.2f}, stable: {cycle.stable}")
print("non-trivial multipliers:", np.abs(cycle.nontrivial_multipliers).round(4))

# %%
# A trajectory from beside the unstable equilibrium winds out onto the cycle.
run = dm.simulate(m, p, start, (0.0, 4 * cycle.period))
fig = dm.plot.time_series(run, states=["approach_1", "approach_2"])
fig
