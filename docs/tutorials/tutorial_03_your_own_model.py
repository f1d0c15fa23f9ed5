"""
Your own model from text
========================

A hypothesis about couples is a set of equations. Typed as text (parsed by a whitelist,
never evaluated), it becomes a model with everything a built-in one has. Here: two
partners whose warmth each decays, is sustained by the other's warmth through a
saturating response, and is eroded by a shared stress.
"""

# %%
# The equations
# -------------
import dyadmodel as dm

warmth = dm.Model.from_equations(
    {
        "u": "r*(g*hill(v, K, 2) - u) - s*u",
        "v": "r*(g*hill(u, K, 2) - v) - s*v",
    },
    parameters={
        "r": {"default": 1.0, "bounds": [0.01, 10.0], "meaning": "recovery rate"},
        "g": {"default": 2.5, "bounds": [0.0, 10.0], "meaning": "responsiveness"},
        "K": {"default": 1.0, "bounds": [0.1, 5.0], "meaning": "threshold"},
        "s": {"default": 0.0, "bounds": [0.0, 2.0], "meaning": "shared stress"},
    },
    states={
        "u": {
            "meaning": "partner 1's warmth",
            "validity": [0, float("inf")],
            "plot_range": [0, 2.5],
        },
        "v": {
            "meaning": "partner 2's warmth",
            "validity": [0, float("inf")],
            "plot_range": [0, 2.5],
        },
    },
    name="mutual-warmth",
)
print(warmth)

# %%
# Equilibria, proved complete on the domain of validity
# -----------------------------------------------------
eqs = dm.equilibria(warmth)
for e in eqs:
    print(e.kind, e.state.round(4), "certified:", e.certified)
print(eqs.completeness)

# %%
# Continuation in the shared stress: the warm state disappears at a fold.
diagram = dm.continuation(warmth, None, "s", (0.0, 1.0))
print([(sp.kind, round(sp.value, 6)) for sp in diagram.special_points])
fig = dm.plot.bifurcation_diagram(diagram)
fig

# %%
# The phase plane, and the model as a file
# ----------------------------------------
runs = [dm.simulate(warmth, None, x0, (0, 20)) for x0 in [(0.3, 2.0), (0.6, 0.2), (1.5, 0.1)]]
fig = dm.plot.phase_portrait(
    warmth, None, domain=((0, 2.5), (0, 2.5)), trajectories=runs, equilibria=eqs
)
fig

# %%
# ``to_toml`` writes the model as a file that ``dm.models.load`` reads back (running no
# code); every command of the package takes such a file where it takes a model name.
text = warmth.to_toml()
print(text)
print(dm.models.loads(text).rhs_expr == warmth.rhs_expr)
