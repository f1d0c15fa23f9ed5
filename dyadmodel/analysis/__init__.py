"""Phase-plane analysis: equilibria, stability, nullclines, manifolds, limit cycles."""

from dyadmodel.analysis._types import Equilibrium, EquilibriumSet
from dyadmodel.analysis.classify import Classification, ClassifyOptions, classify
from dyadmodel.analysis.equilibria import EquilibriumOptions, equilibria

__all__ = [
    "Classification",
    "ClassifyOptions",
    "Equilibrium",
    "EquilibriumOptions",
    "EquilibriumSet",
    "classify",
    "equilibria",
]
