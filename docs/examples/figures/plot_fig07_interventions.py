"""
Figure 7: interventions compared, from the entrenched default couple of the full model
======================================================================================

Paper section: "Getting unstuck: interventions as parameter changes" (phenomena 7
and 8 of paper/paper.md, "Phenomena and model design").

The full six-state ``pursuer-distancer`` model at its default couple
(``entrenched-bistable``) starts in its entrenched state (partner 1 pursues, partner 2
withdraws). Each panel shows both partners' approach over 100 time units under one
intervention applied from t = 0 (`dyadmodel.compare_interventions`, each alone):
partner 1 self-soothes (anxiety gain 2.3 -> 1.5), partner 2 becomes emotionally
available (avoidance gain 2.3 -> 1.5), both name the cycle (all gains x 0.8),
scheduled check-ins (partner 2's approach +0.5 for 1 time unit every 7), and
regulation skills (both recover twice as fast), next to no intervention. The panel
title says whether the couple gets back into the balanced basin of the original
couple (judged by settling without the intervention) and when. The first three
change the landscape and the couple returns to balance; check-ins of this size and
faster recovery alone do not (recovery is a pure time scale in this model). No random
numbers are used.

This page runs ``main`` of ``scripts/fig07_interventions.py``;
the stand-alone script also
writes the figure's HTML, PNG, PDF and JSON provenance into ``figures/``.
"""

# sphinx_gallery_thumbnail_path = '../figures/fig07_interventions.png'
from dyadmodel_docs import figure_from_script

fig, caption = figure_from_script("fig07_interventions")
print(caption)

# %%
fig
