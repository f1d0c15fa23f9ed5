"""
Figure 10: basins of attraction of balance and entrenchment
===========================================================

Paper section: "Stress triggers the dance; entrenchment has a tipping threshold"
(phenomena 2 and 3 of paper/paper.md, "Phenomena and model design": how far a couple
can be pushed and still come back).

Left: the anxious–avoidant couple of ``pursuer-distancer-2d``: every start of a
201 x 201 grid of (pursuit, distance) in [0, 2]^2 is integrated until it settles
(`dyadmodel.basins`) and coloured by the state it reaches. The balanced basin is the
small corner of low pursuit and low distance; its edge is the saddle's stable manifold
(the tipping threshold), which passes through the saddle at (0.5, 0.5). Right: the
same for the six-state ``pursuer-distancer`` model (default couple,
``entrenched-bistable``) in the plane of the two partners' approach, with the other
four states held at their balanced values: again a small balanced basin, bordered by
the basin of the entrenched state in which partner 1 pursues. No random numbers are
used.

This page runs ``main`` of ``scripts/fig10_basins.py``;
the stand-alone script also
writes the figure's HTML, PNG, PDF and JSON provenance into ``figures/``.
"""

# sphinx_gallery_thumbnail_path = '../figures/fig10_basins.png'
from dyadmodel_docs import figure_from_script

fig, caption = figure_from_script("fig10_basins")
print(caption)

# %%
fig
