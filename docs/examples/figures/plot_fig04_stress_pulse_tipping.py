"""
Figure 4: a stress pulse tips the balanced couple into entrenchment, for good
=============================================================================

Paper section: "Stress triggers the dance; entrenchment has a tipping threshold"
(phenomena 2 and 3 of paper/paper.md, "Phenomena and model design").

The anxious–avoidant couple of ``pursuer-distancer-2d`` (its default parameters) starts
in its balanced state. A stress episode of 5 time units is applied at t = 10. The
smallest episode that tips the couple (its resilience, `dyadmodel.resilience`,
bisected to a relative 1e-6) is computed first; then two runs are drawn: a pulse 20%
below that threshold (left), after which the couple relaxes back to balance, and a
pulse 20% above it (right), after which both partners escalate into the entrenched
pursue–distance state and stay there long after the stress has ended. Top: partner 1's
pursuit and partner 2's distance (equal here: the default couple is
symmetric); bottom: the stress input, with the threshold dotted.
No random numbers are used.

This page runs ``main`` of ``scripts/fig04_stress_pulse_tipping.py``;
the stand-alone script also
writes the figure's HTML, PNG, PDF and JSON provenance into ``figures/``.
"""

# sphinx_gallery_thumbnail_path = '../figures/fig04_stress_pulse_tipping.png'
from dyadmodel_docs import figure_from_script

fig, caption = figure_from_script("fig04_stress_pulse_tipping")
print(caption)

# %%
fig
