"""
Figure 3: two literature models in the same API: Strogatz's centre, Rinaldi's cycle
===================================================================================

Paper section: "Validation against published models".

Left: Strogatz's linear Romeo–Juliet model (1988; roles as in his textbook,
2015, §5.3) with a fickle Juliet (a = d = 0,
b = 1, c = −1; preset 'fickle-juliet'): the origin is a centre and every orbit is a
closed circle, "a never-ending cycle of love and hate". Middle and right: Rinaldi's
(1998) Laura–Petrarch model at its published parameters: the limit cycle found by
`dyadmodel.limit_cycle` (shooting with Floquet multipliers) in the (L, P) projection,
with the transient from indifference (0, 0, 0) that approaches it, and L and P over
three periods (the third state, Petrarch's inspiration Z, runs on a larger scale and
is left out). No random numbers are used.

This page runs ``main`` of ``scripts/fig03_literature_strogatz_laura_petrarch.py``;
the stand-alone script also
writes the figure's HTML, PNG, PDF and JSON provenance into ``figures/``.
"""

# sphinx_gallery_thumbnail_path = '../figures/fig03_literature_strogatz_laura_petrarch.png'
from dyadmodel_docs import figure_from_script

fig, caption = figure_from_script("fig03_literature_strogatz_laura_petrarch")
print(caption)

# %%
fig
