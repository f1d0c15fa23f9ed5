"""Phase-plane analysis: equilibria, stability, nullclines, manifolds, limit cycles.

Everything here computes; nothing draws. Results are frozen objects that carry the
model name and the parameters that produced them.
"""

from dyadmodel.analysis._types import Equilibrium, EquilibriumSet
from dyadmodel.analysis.classify import Classification, ClassifyOptions, classify
from dyadmodel.analysis.cycles import (
    LimitCycle,
    LimitCycleError,
    LimitCycleOptions,
    TrajectoryOptions,
    TrajectoryOutcome,
    classify_trajectory,
    limit_cycle,
)
from dyadmodel.analysis.equilibria import EquilibriumOptions, equilibria
from dyadmodel.analysis.flow import Streamlines, VectorField, streamlines, vector_field
from dyadmodel.analysis.manifolds import (
    ManifoldBranch,
    ManifoldOptions,
    SaddleManifolds,
    manifolds,
    separatrices,
)
from dyadmodel.analysis.nullclines import Nullclines, nullclines
from dyadmodel.analysis.sensitivity import Sensitivity, sensitivity

__all__ = [
    "Classification",
    "ClassifyOptions",
    "Equilibrium",
    "EquilibriumOptions",
    "EquilibriumSet",
    "LimitCycle",
    "LimitCycleError",
    "LimitCycleOptions",
    "ManifoldBranch",
    "ManifoldOptions",
    "Nullclines",
    "SaddleManifolds",
    "Sensitivity",
    "Streamlines",
    "TrajectoryOptions",
    "TrajectoryOutcome",
    "VectorField",
    "classify",
    "classify_trajectory",
    "equilibria",
    "limit_cycle",
    "manifolds",
    "nullclines",
    "sensitivity",
    "separatrices",
    "streamlines",
    "vector_field",
]
