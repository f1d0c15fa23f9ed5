"""Figures: phase portraits, time series, bifurcation diagrams, regime and basin maps,
side-by-side comparisons and profile likelihoods (plotly).

This subpackage draws; it computes nothing scientific. Each function draws the result
objects it is given, or obtains them by calling the analysis API (`dyadmodel.equilibria`,
`dyadmodel.nullclines`, `dyadmodel.separatrices`, `dyadmodel.analysis.flow`) with the
same model, parameters and inputs. It is the only part of dyadmodel that imports
plotly. All figures share one theme (`dyadmodel.plot.theme`): Okabe–Ito colours, axis
titles with each state's meaning, symbol and unit, and Unicode/HTML text only (no LaTeX,
so figures render offline).

>>> import dyadmodel as dm
>>> from dyadmodel import plot
>>> m = dm.models.get("pursuer-distancer-2d")
>>> fig = plot.phase_portrait(m, m.preset("secure"), field="arrows")
>>> sorted({tr.meta["role"] for tr in fig.data})
['arrowheads', 'equilibrium', 'field', 'x-nullcline', 'y-nullcline']
"""

from dyadmodel.plot import theme
from dyadmodel.plot._basins import basin_map
from dyadmodel.plot._bifurcation import bifurcation_diagram
from dyadmodel.plot._compare import compare
from dyadmodel.plot._portrait import phase_portrait, stability_class
from dyadmodel.plot._profile import profile_likelihood
from dyadmodel.plot._regime import REGIME_COLOURS, attachment_regimes, regime_map
from dyadmodel.plot._timeseries import time_series

__all__ = [
    "REGIME_COLOURS",
    "attachment_regimes",
    "basin_map",
    "bifurcation_diagram",
    "compare",
    "phase_portrait",
    "profile_likelihood",
    "regime_map",
    "stability_class",
    "theme",
    "time_series",
]
