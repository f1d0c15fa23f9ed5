"""
Continuation: the bifurcation diagram
=====================================

`dm.continuation` follows the equilibrium branches as one parameter varies
(pseudo-arclength continuation) and locates folds, Hopf and branch points. Here partner
1's anxiety gain: between the two folds the couple is bistable.
"""

import dyadmodel as dm

m = dm.models.get("pursuer-distancer-2d")
p = m.params(avoidance_gain_2=2.0)
diagram = dm.continuation(m, p, "anxiety_gain_1", (0.0, 4.0))
for point in diagram.special_points:
    print(point.kind, round(point.value, 6))

# %%
fig = dm.plot.bifurcation_diagram(diagram)
fig
