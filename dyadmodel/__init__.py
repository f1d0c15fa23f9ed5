"""dyadmodel: the pursuer-distancer (demand-withdraw) pattern as a dynamical system.

The public surface is exactly what this module re-exports.

>>> import dyadmodel as dm
>>> m = dm.models.get("pursuer-distancer-2d")
>>> p = m.params(anxiety_gain_1=2.0, avoidance_gain_2=2.0)
>>> m.rhs([0.5, 0.5], p).round(12) + 0.0
array([0., 0.])
"""

from dyadmodel import analysis, attachment, models
from dyadmodel._version import __version__
from dyadmodel.analysis import (
    Equilibrium,
    EquilibriumOptions,
    EquilibriumSet,
    classify,
    classify_trajectory,
    equilibria,
    limit_cycle,
    manifolds,
    nullclines,
    sensitivity,
    separatrices,
)
from dyadmodel.model import (
    Input,
    Model,
    Parameter,
    ParameterError,
    ParameterSet,
    Preset,
    Reference,
    State,
)

__all__ = [
    "Equilibrium",
    "EquilibriumOptions",
    "EquilibriumSet",
    "Input",
    "Model",
    "Parameter",
    "ParameterError",
    "ParameterSet",
    "Preset",
    "Reference",
    "State",
    "__version__",
    "analysis",
    "attachment",
    "classify",
    "classify_trajectory",
    "equilibria",
    "limit_cycle",
    "manifolds",
    "models",
    "nullclines",
    "sensitivity",
    "separatrices",
]
