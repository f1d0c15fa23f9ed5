"""Continuation and bifurcations: branches of equilibria, folds, Hopf points (super- or
subcritical) and branch points.

The public surface is exactly what this module re-exports.
"""

from dyadmodel.continuation._branch import continuation
from dyadmodel.continuation._cli import cli_bifurcation
from dyadmodel.continuation._cycle_curves import (
    CycleCurve,
    CycleCurveOptions,
    cycle_curves,
    homoclinic_curve,
    lpc_curve,
)
from dyadmodel.continuation._cycles import (
    CycleBranch,
    CycleOptions,
    CycleSpecialPoint,
    continue_cycle,
)
from dyadmodel.continuation._export import auto_files, xpp_names, xppaut_ode
from dyadmodel.continuation._hopf import HopfCurve, hopf_curve
from dyadmodel.continuation._hysteresis import HysteresisSweep, Sweep, hysteresis_sweep
from dyadmodel.continuation._lyapunov import HopfCriticality, first_lyapunov
from dyadmodel.continuation._twoparam import (
    AttachmentRegime,
    CodimTwoPoint,
    FoldCurve,
    RegimeMap,
    attachment_regime_map,
    attachment_regime_table,
    classify_regime,
    fold_curve,
    regime_map,
)
from dyadmodel.continuation._types import (
    BifurcationDiagram,
    Branch,
    ContinuationOptions,
    SpecialPoint,
)

__all__ = [
    "AttachmentRegime",
    "BifurcationDiagram",
    "Branch",
    "CodimTwoPoint",
    "ContinuationOptions",
    "CycleBranch",
    "CycleCurve",
    "CycleCurveOptions",
    "CycleOptions",
    "CycleSpecialPoint",
    "FoldCurve",
    "HopfCriticality",
    "HopfCurve",
    "HysteresisSweep",
    "RegimeMap",
    "SpecialPoint",
    "Sweep",
    "attachment_regime_map",
    "attachment_regime_table",
    "auto_files",
    "classify_regime",
    "cli_bifurcation",
    "continuation",
    "continue_cycle",
    "cycle_curves",
    "first_lyapunov",
    "fold_curve",
    "homoclinic_curve",
    "hopf_curve",
    "hysteresis_sweep",
    "lpc_curve",
    "regime_map",
    "xpp_names",
    "xppaut_ode",
]
