"""Couples' time series: long-format dyadic data read into `DyadicData`.

`read_dyadic` reads a CSV file or a pandas DataFrame with one row per person and time
point, checks it, and puts both partners of each dyad on a common time grid. Partner 1
of a model is the person whose distinguishing value sorts first (0 of a 0/1 variable
such as ``female``); without a distinguishing variable, partners are ordered by person
id and only partner-symmetric models are meaningful.

Missing values (empty cells, ``NA``) of the observed value and of known inputs are kept
as NaN; what a fitting method does with them is documented with the method (the GLLA
and inertia–coordination estimators drop the time points where either partner is
missing, as rties does).

>>> import pandas as pd, dyadmodel as dm
>>> table = pd.DataFrame({
...     "couple": [1, 1, 1, 1], "person": [10, 11, 10, 11], "day": [0, 0, 1, 1],
...     "mood": [0.5, -0.2, 0.7, None], "female": [1, 0, 1, 0]})
>>> data = dm.data.read_dyadic(table, dyad="couple", person="person", time="day",
...                            value="mood", distinguish="female")
>>> data
DyadicData(1 dyad, 4 rows, value='mood', distinguished by 'female')
>>> data[1].persons, data[1].values.tolist()
((11, 10), [[-0.2, 0.5], [nan, 0.7]])
"""

from dyadmodel.data._dyadic import Dyad, DyadicData, DyadicDataError, read_dyadic

__all__ = ["Dyad", "DyadicData", "DyadicDataError", "read_dyadic"]
