"""
Your own model, from text or a TOML file
========================================

Equations typed as text are parsed by a whitelist (never evaluated) and the model gets
everything a built-in one has: Jacobian, certified equilibria, continuation, compiled
simulation and figures. The same model can live in a TOML file.
"""

from pathlib import Path

import dyadmodel as dm

vdp = dm.Model.from_equations(
    {"x": "y", "y": "mu*(1 - x**2)*y - x"},
    parameters={"mu": {"default": 1.0, "bounds": [-2.0, 10.0]}},
    name="van-der-pol",
)
eqs = dm.equilibria(vdp)
print([(e.kind, e.state.tolist()) for e in eqs], eqs.completeness)
print(
    [
        (s.kind, round(s.value, 6) + 0.0)
        for s in dm.continuation(vdp, None, "mu", (-1, 1)).special_points
    ]
)

# %%
# The shipped file ``examples/van_der_pol.toml`` declares the same equations with
# meanings and ranges; ``to_toml`` writes one.
toml = Path(dm.__file__).resolve().parent.parent / "examples" / "van_der_pol.toml"
from_file = dm.models.load(toml)
print(from_file.rhs_expr == vdp.rhs_expr)

run = dm.simulate(vdp, None, x0=[0.1, 0.0], t=(0, 60))
fig = dm.plot.phase_portrait(vdp, None, trajectories=[run], equilibria=eqs)
fig
