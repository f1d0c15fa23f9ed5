"""
Figure 5: bifurcation diagram in partner 1's attachment anxiety, with the hysteresis loop
=========================================================================================

Paper section: "Hysteresis: why undoing the trigger does not undo the pattern"
(phenomenon 3 of paper/paper.md, "Phenomena and model design").

The equilibria of ``pursuer-distancer-2d`` (anxious–avoidant defaults, partner 2's
avoidance gain 2) as partner 1's anxiety gain runs from 0 to 4, traced by
pseudo-arclength continuation (`dyadmodel.continuation`): stable states solid,
unstable (the saddle, the tipping threshold) dashed, and the two folds (saddle-node
points, the tipping points) marked. Over it, a slow ramp of the anxiety gain
(`dyadmodel.hysteresis_sweep`, rate 0.001 per time unit) up from 0 to 4 and back:
the couple follows the balanced branch up past the lower fold and only jumps into
entrenchment at the upper fold; on the way down it stays entrenched until the lower
fold. Between the folds, where the couple ends up depends on where it came from.
No random numbers are used.

This page runs ``main`` of ``scripts/fig05_bifurcation_hysteresis.py``;
the stand-alone script also
writes the figure's HTML, PNG, PDF and JSON provenance into ``figures/``.
"""

# sphinx_gallery_thumbnail_path = '../figures/fig05_bifurcation_hysteresis.png'
from dyadmodel_docs import figure_from_script

fig, caption = figure_from_script("fig05_bifurcation_hysteresis")
print(caption)

# %%
fig
