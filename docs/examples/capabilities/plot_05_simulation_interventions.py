"""
Simulation, stress and interventions
====================================

A stress pulse tips an anxious–avoidant couple from the balanced into the entrenched
state, and the couple stays there after the stress has ended (hysteresis). An
intervention that changes a parameter over time (here: partner 1 learns to self-soothe,
lowering their anxiety gain) brings it back.
"""

import dyadmodel as dm

m = dm.models.get("pursuer-distancer-2d")
p = m.params(anxiety_gain_1=2.0, avoidance_gain_2=2.0)
pulse = dm.stress.pulse(10, 5, 0.5)  # start 10, duration 5, size 0.5
run = dm.simulate(m, p, x0=[0.1367, 0.1367], t=(0, 60), stress=pulse)
print("after the pulse:", run.y[:, -1].round(4))

# %%
# From the entrenched state, the intervention ramps the gain to 1.5 from t = 5 over 10
# time units; the entrenched state no longer exists and the couple returns.
soothing = dm.intervention("anxiety_gain_1", to=1.5, start=5.0, ramp=10.0)
back = dm.simulate(m, p, x0=run.y[:, -1], t=(0, 60), interventions=soothing)
print("after the intervention:", back.y[:, -1].round(4))

fig = dm.plot.time_series(run, stress=True, title="a stress pulse tips the couple")
fig

# %%
# The intervention's run.
fig = dm.plot.time_series(back, title="self-soothing brings it back")
fig
