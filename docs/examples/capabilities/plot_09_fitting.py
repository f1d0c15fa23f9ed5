"""
Fitting couples' data
=====================

Couples' daily time series in long format are read into `DyadicData` and fitted per
couple. ``examples/couples_daily.csv`` is synthetic (12 couples, 60 days). The default
method for the ``coupled-oscillator`` model is GLLA derivative estimation with linear
regression, computed as the R package rties does it.
"""

from pathlib import Path

import dyadmodel as dm

csv = Path(dm.__file__).resolve().parent.parent / "examples" / "couples_daily.csv"
data = dm.data.read_dyadic(
    csv,
    dyad="couple",
    person="person",
    time="day",
    value="closeness",
    distinguish="female",
    covariates=["anxiety", "years"],
    inputs=["stress"],
)
print(data)
result = dm.fit("coupled-oscillator", data)
print(result)
result.table[["eta_x", "zeta_x", "eta_y", "zeta_y", "adj_r2", "tau", "embed"]].round(3)
