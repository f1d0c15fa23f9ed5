"""dyadmodel: the pursuer-distancer (demand-withdraw) pattern as a dynamical system.

The public surface is exactly what this module re-exports; ``dyadmodel.plot`` (plotly
figures) is imported on first use. The helpers for writing a model (`Model`, `State`,
`Parameter`, `Input`, `Reference`, `Preset`, `symbols`, `hill`, `hill_repressor`) are
here too. Every result has ``to_dataframe()`` (pandas) or ``to_xarray()`` (gridded data)
and shows as a table in a notebook.

Note that the functions ``dm.simulate`` and ``dm.continuation`` share their names with
the subpackages that define them; import submodules with ``from dyadmodel.simulate
import stress`` (or use ``dm.stress``), not ``import dyadmodel.simulate.stress``.

>>> import dyadmodel as dm
>>> m = dm.models.get("pursuer-distancer-2d")
>>> p = m.params(anxiety_gain_1=2.0, avoidance_gain_2=2.0)
>>> m.rhs([0.5, 0.5], p).round(12) + 0.0
array([0., 0.])
"""

import importlib

from dyadmodel import analysis, attachment, errors, models
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
    streamlines,
    vector_field,
)
from dyadmodel.citation import citation
from dyadmodel.continuation import (
    BifurcationDiagram,
    ContinuationOptions,
    CycleBranch,
    CycleOptions,
    CycleSpecialPoint,
    attachment_regime_map,
    continuation,
    continue_cycle,
    first_lyapunov,
    fold_curve,
    homoclinic_curve,
    hopf_curve,
    hysteresis_sweep,
    lpc_curve,
    regime_map,
)
from dyadmodel.errors import (
    BudgetExceededError,
    ComputationError,
    DyadmodelError,
    InvalidInputError,
    InvalidTypeError,
    NotFoundError,
    StoreError,
    ToleranceError,
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
    hill,
    hill_repressor,
    symbols,
)
from dyadmodel.scenarios import run_scenario
from dyadmodel.simulate import (
    BasinMap,
    EnsembleResult,
    ScenarioError,
    Simulation,
    basins,
    compare_interventions,
    compiled_rhs,
    ensemble,
    events,
    intervention,
    interventions,
    load_scenario,
    resilience,
    simulate,
    simulate_sde,
    stress,
    tipping_statistics,
)

__all__ = [
    "BasinMap",
    "BifurcationDiagram",
    "BudgetExceededError",
    "ComputationError",
    "ContinuationOptions",
    "CycleBranch",
    "CycleOptions",
    "CycleSpecialPoint",
    "DyadmodelError",
    "EnsembleResult",
    "Equilibrium",
    "EquilibriumOptions",
    "EquilibriumSet",
    "Grid",
    "Input",
    "InvalidInputError",
    "InvalidTypeError",
    "Model",
    "NotFoundError",
    "Parameter",
    "ParameterError",
    "ParameterSet",
    "Preset",
    "Reference",
    "Sample",
    "ScenarioError",
    "Simulation",
    "State",
    "StoreError",
    "SweepSpecError",
    "ToleranceError",
    "__version__",
    "analysis",
    "attachment",
    "attachment_regime_map",
    "basins",
    "citation",
    "classify",
    "classify_trajectory",
    "compare_interventions",
    "compiled_rhs",
    "continuation",
    "continue_cycle",
    "data",
    "ensemble",
    "equilibria",
    "errors",
    "events",
    "first_lyapunov",
    "fit",
    "fold_curve",
    "hill",
    "hill_repressor",
    "homoclinic_curve",
    "hopf_curve",
    "hysteresis_sweep",
    "intervention",
    "interventions",
    "limit_cycle",
    "load_scenario",
    "lpc_curve",
    "manifolds",
    "models",
    "nullclines",
    "open_sweep",
    "regime_map",
    "resilience",
    "run_scenario",
    "sensitivity",
    "separatrices",
    "simulate",
    "simulate_sde",
    "streamlines",
    "stress",
    "sweep",
    "sweeps",
    "symbols",
    "tipping_statistics",
    "vector_field",
]


# Imported on first use: a typical session (a model, its equilibria, a simulation) needs
# none of these, and importing them took about a second (issue 13 §5).
_LAZY_FROM_SWEEPS = ("Grid", "Sample", "SweepSpecError", "open_sweep", "sweep")


def __getattr__(name: str):
    if name == "sweeps":
        return importlib.import_module("dyadmodel.sweeps")
    if name in _LAZY_FROM_SWEEPS:
        return getattr(importlib.import_module("dyadmodel.sweeps"), name)
    if name == "plot":  # plotly is only imported when figures are wanted
        return importlib.import_module("dyadmodel.plot")
    if name in ("data", "fit"):  # pandas is only imported when couples' data are read
        # dyadmodel.fit is a callable module: dm.fit(model, data) runs dyadmodel.fit.fit
        return importlib.import_module(f"dyadmodel.{name}")
    raise AttributeError(f"module 'dyadmodel' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__, "plot"})
