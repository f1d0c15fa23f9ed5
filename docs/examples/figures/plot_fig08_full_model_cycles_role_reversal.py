"""
Figure 8: pursue–withdraw cycles and role reversal in the full model
====================================================================

Paper section: "Beyond two states: cycles, exhaustion and role reversal" (phenomena 5
and 6 of paper/paper.md, "Phenomena and model design").

Left (``pursue-withdraw-cycles`` preset of the six-state ``pursuer-distancer``
model: a very anxious pursuer who exhausts): the only equilibrium is unstable; from
just beside it the couple settles on a stable limit cycle (`dyadmodel.limit_cycle`,
period 86.8, Floquet-stable): pursuit escalates, frustration builds, pursuit collapses
into withdrawal, frustration fades and pursuit resumes. Right (``role-reversal``
preset): the couple starts balanced; a stress episode (0.3 for 5 time units from
t = 10) makes partner 1 pursue, her frustration builds, she withdraws, and partner 2
flips into pursuit, and the reversed roles persist long after the stress has ended.
Each panel shows partner 1's approach, partner 2's approach and partner 1's
frustration; the stress input is drawn below. No random numbers are used.

This page runs ``main`` of ``scripts/fig08_full_model_cycles_role_reversal.py``;
the stand-alone script also
writes the figure's HTML, PNG, PDF and JSON provenance into ``figures/``.
"""

# sphinx_gallery_thumbnail_path = '../figures/fig08_full_model_cycles_role_reversal.png'
from dyadmodel_docs import figure_from_script

fig, caption = figure_from_script("fig08_full_model_cycles_role_reversal")
print(caption)

# %%
fig
