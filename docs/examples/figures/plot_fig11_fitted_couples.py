"""
Figure 11: couples' time series fitted by maximum likelihood, and where they sit
================================================================================

Paper section: "From data to dynamics: fitting couples" (issue 14 §3-4).

Twelve synthetic couples of ``pursuer-distancer-2d`` (seeded: each couple's anxiety and
avoidance gains drawn around the anxious–avoidant defaults, 60 observations over 30 time
units, Gaussian measurement noise of SD 0.05) are fitted one by one with
``dm.fit(model, data, method="ml", free=(anxiety_gain_1, avoidance_gain_2))``. Left:
observed values (markers) and the fitted trajectories (lines) of three couples. Right:
every fitted couple on the regime map over the same two gains (`dyadmodel.regime_map`,
fold curves from two-parameter continuation), with its 95% confidence ellipse (from the
inverse Fisher information of the two gains: ``(p - p_hat)^T C^-1 (p - p_hat) <=
chi2(2, 0.95)``) and its true parameters as a cross.

This page runs ``main`` of ``scripts/fig11_fitted_couples.py``;
the stand-alone script also
writes the figure's HTML, PNG, PDF and JSON provenance into ``figures/``.
"""

# sphinx_gallery_thumbnail_path = '../figures/fig11_fitted_couples.png'
from dyadmodel_docs import figure_from_script

fig, caption = figure_from_script("fig11_fitted_couples")
print(caption)

# %%
fig
