"""
Reproducing a published figure: Laura and Petrarch
==================================================

Rinaldi (1998b) modelled the love story of Petrarch and Laura, told in the 366 poems of
the Canzoniere, with three states: Laura's love for Petrarch (L), Petrarch's love for
Laura (P) and Petrarch's poetic inspiration (Z). From indifference (all zero) the model
tends to a stable limit cycle whose period of about four years matches the emotional
cycles Jones (1995) found in the poems. This tutorial redraws Rinaldi's time series and
checks the period.
"""

# %%
import plotly.graph_objects as go

import dyadmodel as dm

m = dm.models.get("laura-petrarch")
print(m)
p = m.params()  # the published parameter values are the model's defaults
run = dm.simulate(m, p, [0.0, 0.0, 0.0], (0.0, 20.0), rtol=1e-10, atol=1e-12)

# %%
# The time series of the paper's figure: Petrarch swings between ecstasy (P > 0) and
# despair (P < 0) while Laura's love stays positive.
fig = go.Figure()
for k, name in enumerate(m.state_names):
    fig.add_trace(go.Scatter(x=run.t, y=run.y[k], name=name, mode="lines"))
fig.update_layout(xaxis_title="time (years since they met)", yaxis_title="state", height=440)
fig

# %%
# The equilibrium is unique and unstable; the cycle is stable
# -----------------------------------------------------------
eqs = dm.equilibria(m, p)
print([(e.kind, e.state.round(4)) for e in eqs], eqs.completeness)
outcome = dm.classify_trajectory(m, p, [0.0, 0.0, 0.0], t_max=100)
cycle = dm.limit_cycle(m, p, outcome.final_state)
print(f"period {cycle.period:.3f} years, stable: {cycle.stable}")
print("Jones (1995): six cycles in the 21 years 1327-1348, i.e.", round(21 / 6, 2), "years")
