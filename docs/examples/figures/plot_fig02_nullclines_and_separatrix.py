"""
Figure 2: nullclines, the saddle's manifolds, and what sustained stress does to them
====================================================================================

Paper section: "Stress triggers the dance; entrenchment has a tipping threshold"
(phenomena 2 and 3 of paper/paper.md, "Phenomena and model design").

Left: the anxious–avoidant couple of ``pursuer-distancer-2d`` without stress, in
detail: both nullclines, the three equilibria (hover for state, kind, label,
eigenvalues and whether it is certified), the stable manifold of the saddle (the
separatrix, bold: the tipping threshold) and its unstable manifold (dotted: the two
ways a couple leaves the threshold, to balance or to entrenchment). Right: the same
couple under a constant stress s = 0.05, beyond the fold where the balanced state and
the saddle meet and vanish (between s = 0.03 and s = 0.05; checked on every run): only
the entrenched state is left, and a couple starting in the unstressed balanced state
is driven into it. No random numbers are used.

This page runs ``main`` of ``scripts/fig02_nullclines_and_separatrix.py``;
the stand-alone script also
writes the figure's HTML, PNG, PDF and JSON provenance into ``figures/``.
"""

# sphinx_gallery_thumbnail_path = '../figures/fig02_nullclines_and_separatrix.png'
from dyadmodel_docs import figure_from_script

fig, caption = figure_from_script("fig02_nullclines_and_separatrix")
print(caption)

# %%
fig
