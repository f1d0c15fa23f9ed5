"""
Basins of attraction
====================

`dm.basins` integrates a grid of starts with the compiled ensemble engine and labels each
by the equilibrium it settles on: the share of the square that ends balanced is a
measure of the couple's resilience.
"""

import numpy as np

import dyadmodel as dm

m = dm.models.get("pursuer-distancer-2d")
p = m.preset("anxious-avoidant")
grid = (np.linspace(0.0, 2.5, 121), np.linspace(0.0, 2.5, 121))
basin = dm.basins(m, p, grid)
print(basin)

# %%
fig = dm.plot.basin_map(basin)
fig
