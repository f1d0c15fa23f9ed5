"""
Equilibria, certified and complete
==================================

`dm.equilibria` finds every equilibrium in the model's domain of validity with exact
(symbolic and interval) arithmetic, classifies each by its eigenvalues, and says what it
has proved: ``completeness`` is never a bare "complete".
"""

import dyadmodel as dm

m = dm.models.get("pursuer-distancer-2d")
p = m.params(anxiety_gain_1=2.0, avoidance_gain_2=2.0)
eqs = dm.equilibria(m, p)
for e in eqs:
    print(f"{e.label:18s} {e.kind:12s} {e.state.round(4)} certified={e.certified}")
print(eqs.completeness)

# %%
# The phase portrait: nullclines, the saddle's stable manifold (the tipping threshold
# between the balanced and the entrenched state) and the equilibria.
fig = dm.plot.phase_portrait(m, p, equilibria=eqs, domain=((0, 2.5), (0, 2.5)))
fig
