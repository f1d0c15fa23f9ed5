"""
Figure 13: where pursue–withdraw cycles are born and how they die
=================================================================

Left: the six-state ``pursuer-distancer`` model at its ``pursue-withdraw-cycles``
preset, continued in partner 1's exhaustion: the equilibria (with the first Lyapunov
coefficient of every Hopf point) and the cycles born at the first Hopf point
(`dyadmodel.continue_cycle`), drawn as the maximum and minimum of partner 1's approach,
solid where stable, dashed where unstable, with their folds and period doublings.

Right: the synergic couple (Gragnani, Rinaldi & Feichtinger 1997) in the plane of the
two forgetting rates: fold curves of equilibria, the Hopf curve with its
Bogdanov–Takens and Bautin points, and the curves of folds of cycles and of homoclinic
ends. No random numbers are used.

This page runs ``main`` of ``scripts/fig13_cycles.py``; the stand-alone script also
writes the figure's HTML, PNG, PDF and JSON provenance into ``figures/``.
"""

# sphinx_gallery_thumbnail_path = '../figures/fig13_cycles.png'
from dyadmodel_docs import figure_from_script

fig, caption = figure_from_script("fig13_cycles")
print(caption)

# %%
fig
