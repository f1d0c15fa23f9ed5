"""
Figure 6: regimes over attachment anxiety x avoidance, and the 16 attachment pairings
=====================================================================================

Paper section: "Who gets stuck: attachment anxiety, avoidance and the regime map"
(phenomena 3 and 9 of paper/paper.md, "Phenomena and model design").

Left: the regime of ``pursuer-distancer-2d`` (other parameters at the anxious–avoidant
defaults) over partner 1's anxiety gain and partner 2's avoidance gain, each from 0 to
4, classified on a 21 x 21 grid from the equilibria (`dyadmodel.regime_map`), with
the two fold curves traced by two-parameter continuation drawn in black: they are the
exact boundaries of the bistable wedge where balance and entrenchment coexist. Right:
the regime of each pairing of attachment styles (partner 1 rows, partner 2 columns;
prototypical scores mapped to gains by `dyadmodel.attachment`), from
`dyadmodel.continuation.attachment_regime_table`. No random numbers are used.

This page runs ``main`` of ``scripts/fig06_regime_map_attachment.py``;
the stand-alone script also
writes the figure's HTML, PNG, PDF and JSON provenance into ``figures/``.
"""

# sphinx_gallery_thumbnail_path = '../figures/fig06_regime_map_attachment.png'
from dyadmodel_docs import figure_from_script

fig, caption = figure_from_script("fig06_regime_map_attachment")
print(caption)

# %%
fig
