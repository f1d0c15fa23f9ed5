"""Couple-vocabulary labels of equilibria for the flagship models.

The rule (documented with each model): a partner's behaviour is *high* when it is at or
above the threshold at which the *other* partner's reaction to it is half-maximal (the
other partner's Hill threshold K), i.e. when it has provoked a strong reaction.

- a saddle with exactly one unstable direction is the 'tipping threshold' (its stable
  manifold has codimension one and separates the basins);
- another unstable equilibrium is 'unstable';
- a stable (or undecided) equilibrium is 'entrenched' when pursuit and distance are
  both high; 'mutual withdrawal' when both partners' avoidance is high and neither
  pursues; 'balanced' when no behaviour is high; otherwise 'one-sided'.
"""

from __future__ import annotations

import numpy as np

from dyadmodel.model import ParameterSet

__all__ = ["label_full", "label_reduced"]


def _unstable_label(stable, is_threshold):
    if is_threshold:
        return "tipping threshold"
    if stable is False:
        return "unstable"
    return None


def label_reduced(state: np.ndarray, p: ParameterSet, stable, is_threshold) -> str:
    """Label for ``pursuer-distancer-2d``: state = (pursuit_1, distance_2)."""
    special = _unstable_label(stable, is_threshold)
    if special:
        return special
    pursuit_high = state[0] >= p["threshold_2"]
    distance_high = state[1] >= p["threshold_1"]
    if pursuit_high and distance_high:
        return "entrenched"
    if not pursuit_high and not distance_high:
        return "balanced"
    return "one-sided (pursuit)" if pursuit_high else "one-sided (distance)"


def label_full(state: np.ndarray, p: ParameterSet, stable, is_threshold) -> str:
    """Label for ``pursuer-distancer``: state = (A1, W1, A2, W2, F1, F2)."""
    special = _unstable_label(stable, is_threshold)
    if special:
        return special
    a1, w1, a2, w2 = state[:4]
    k1, k2 = p["threshold_1"], p["threshold_2"]
    pursues_1, pursues_2 = a1 >= k2, a2 >= k1  # high enough to provoke the partner
    withdraws_1, withdraws_2 = w1 >= k2, w2 >= k1
    if pursues_1 and withdraws_2 and not pursues_2:
        return "entrenched (partner 1 pursues)"
    if pursues_2 and withdraws_1 and not pursues_1:
        return "entrenched (partner 2 pursues)"
    if withdraws_1 and withdraws_2 and not (pursues_1 or pursues_2):
        return "mutual withdrawal"
    if not (pursues_1 or pursues_2 or withdraws_1 or withdraws_2):
        return "balanced"
    return "mixed"
