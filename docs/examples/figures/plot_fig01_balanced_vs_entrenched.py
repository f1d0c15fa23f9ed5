"""
Figure 1: balanced vs entrenched: a secure and an anxious–avoidant couple side by side
======================================================================================

Paper section: "Entrenchment is bistability" (headline figure; phenomena 3 and 9 of
paper/paper.md, "Phenomena and model design").

Phase portraits of the reduced pursuer–distancer model (``pursuer-distancer-2d``): on
the left the 'secure' preset (low anxiety and avoidance gains), whose one balanced
state attracts every start; on the right the 'anxious-avoidant' preset, where a
balanced and an entrenched state coexist and the stable manifold of the saddle (the
separatrix) is the tipping threshold between them. The same four starts are drawn in
both panels; on the right, starts on either side of the threshold end in different
states. No random numbers are used.

This page runs ``main`` of ``scripts/fig01_balanced_vs_entrenched.py``;
the stand-alone script also
writes the figure's HTML, PNG, PDF and JSON provenance into ``figures/``.
"""

# sphinx_gallery_thumbnail_path = '../figures/fig01_balanced_vs_entrenched.png'
from dyadmodel_docs import figure_from_script

fig, caption = figure_from_script("fig01_balanced_vs_entrenched")
print(caption)

# %%
fig
