"""Simulation: stress inputs, interventions and events; stochastic stress and tipping
statistics; intervention comparisons; scenario files.

Everything here computes; nothing draws or writes files (scenario runs are written by
`dyadmodel.scenarios.run_scenario`, one layer up, next to the plot layer).

Fast ensembles (`ensemble`, compiled from the model's sympy rhs with numba), basins of
attraction (`basins`) and resilience to stress pulses (`resilience`).

Public modules: `stress` (stress inputs), `interventions` (parameter schedules and the
named interventions of phenomenon 8 in paper/paper.md, "Phenomena and model design"),
`events` (separation, tipping threshold).
"""

from dyadmodel.simulate import events, interventions, stress
from dyadmodel.simulate._basins import (
    BasinMap,
    BasinOptions,
    Resilience,
    basins,
    resilience,
)
from dyadmodel.simulate._codegen import CompiledRHS, compiled_rhs
from dyadmodel.simulate._compare import (
    InterventionComparison,
    InterventionOutcome,
    compare_interventions,
)
from dyadmodel.simulate._ensemble import STATUS_NAMES, EnsembleResult, ensemble
from dyadmodel.simulate._scenario import (
    Scenario,
    ScenarioError,
    ScenarioRun,
    load_scenario,
)
from dyadmodel.simulate._sde import (
    SDESimulation,
    StressNoise,
    TippingStatistics,
    binomial_interval,
    simulate_sde,
    tipping_statistics,
)
from dyadmodel.simulate._simulate import Simulation, simulate
from dyadmodel.simulate.events import Event, EventRecord
from dyadmodel.simulate.interventions import Intervention, intervention

__all__ = [
    "STATUS_NAMES",
    "BasinMap",
    "BasinOptions",
    "CompiledRHS",
    "EnsembleResult",
    "Event",
    "EventRecord",
    "Intervention",
    "InterventionComparison",
    "InterventionOutcome",
    "Resilience",
    "SDESimulation",
    "Scenario",
    "ScenarioError",
    "ScenarioRun",
    "Simulation",
    "StressNoise",
    "TippingStatistics",
    "basins",
    "binomial_interval",
    "compare_interventions",
    "compiled_rhs",
    "ensemble",
    "events",
    "intervention",
    "interventions",
    "load_scenario",
    "resilience",
    "simulate",
    "simulate_sde",
    "stress",
    "tipping_statistics",
]
