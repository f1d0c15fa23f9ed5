"""
Figure 9: stochastic tipping: probability of entrenchment vs the level of daily stress
======================================================================================

Paper section: "Daily stress: noise-induced tipping" (phenomenon 3 of
paper/paper.md, "Phenomena and model design", stochastic version).

The anxious–avoidant couple of ``pursuer-distancer-2d`` starts balanced and lives with
fluctuating daily stress: an Ornstein–Uhlenbeck input with correlation time 1, mean 0
and noise level sigma (`dyadmodel.tipping_statistics`; Euler–Maruyama, dt = 0.05).
Left: the share of 200 paths per level that enter the entrenched basin (the side of
the saddle's stable manifold) within 50 time units, with 95% Wilson intervals. Right:
the mean first-passage time of the paths that tipped, with its standard error. Every
level uses the same seed (common random numbers), so the curve is smooth in sigma and
its differences are not sampling noise. Without noise the couple never tips.

This page runs ``main`` of ``scripts/fig09_stochastic_tipping.py``;
the stand-alone script also
writes the figure's HTML, PNG, PDF and JSON provenance into ``figures/``.
"""

# sphinx_gallery_thumbnail_path = '../figures/fig09_stochastic_tipping.png'
from dyadmodel_docs import figure_from_script

fig, caption = figure_from_script("fig09_stochastic_tipping")
print(caption)

# %%
fig
