"""
A model: states, parameters and presets
=======================================

Every registered model carries its equations (sympy), the meaning, unit, bounds and
source of each state and parameter, and documented parameter regions (presets).
Parameter sets are validated and immutable.
"""

import dyadmodel as dm

m = dm.models.get("pursuer-distancer-2d")
print(m)
print("states:", [s.name for s in m.states])
print("presets:", list(m.presets))

# %%
# A parameter set: the defaults with two gains raised (an anxious–avoidant couple). A
# value outside a parameter's bounds is refused with a message naming it.
p = m.params(anxiety_gain_1=2.0, avoidance_gain_2=2.0)
print(p)
try:
    m.params(anxiety_gain_1=-0.5)
except dm.ParameterError as err:
    print("refused:", err)

# %%
# The right-hand side at a state, and the symbolic equations.
print(m.rhs([0.5, 0.5], p))
for name, expr in zip([s.name for s in m.states], m.rhs_expr):
    print(f"d{name}/dt =", expr)
