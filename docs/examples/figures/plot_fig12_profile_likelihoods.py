"""
Figure 12: profile likelihoods of fitted couples, and a parameter no data can determine
=======================================================================================

Paper section: "From data to dynamics: fitting couples" (issue 14 §3).

Top two rows: the first two synthetic couples of figure 11 (``pursuer-distancer-2d``,
same seed and generation: anxiety and avoidance gains drawn around the anxious–avoidant
defaults, 60 observations over 30 time units, measurement noise SD 0.05), each profiled
with ``dm.fit.profile_likelihood(model, dyad, free=(anxiety_gain_1, avoidance_gain_2))``:
for each gain fixed on a grid, every other unknown (initial states, the other gain, the
noise SDs) is re-estimated, and ``-2 log LR = 2 (nll - min nll)`` is drawn against the
gain. The 95% interval (Raue et al. 2009) is where the profile stays below chi2(1, 0.95)
= 3.84. Bottom row: a user model ``x' = a, y' = b - c d y`` observed on 30 points, in
which the data determine only the product ``c d``: the profiles of ``c`` and ``d`` are
flat (structurally non-identifiable) as long as the other factor can compensate within
its bounds (0 to 100 and 0.01 to 100).

This page runs ``main`` of ``scripts/fig12_profile_likelihoods.py``;
the stand-alone script also
writes the figure's HTML, PNG, PDF and JSON provenance into ``figures/``.
"""

# sphinx_gallery_thumbnail_path = '../figures/fig12_profile_likelihoods.png'
from dyadmodel_docs import figure_from_script

fig, caption = figure_from_script("fig12_profile_likelihoods")
print(caption)

# %%
fig
