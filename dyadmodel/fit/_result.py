"""Per-dyad fit results: one row per dyad, one status per dyad."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["STATUS_OK", "DyadFit", "FitResult"]

#: Status of a dyad whose fit met its method's goal; any other status names why not.
STATUS_OK = "ok"


@dataclass(frozen=True, eq=False)
class DyadFit:
    """What a method returns for one dyad.

    Attributes
    ----------
    estimates, standard_errors : Mapping[str, float]
        Per model parameter (NaN where not estimated).
    statistics : Mapping[str, Any]
        Method-specific fit statistics (e.g. ``adj_r2``, ``tau``, ``n_obs``).
    status : str
        `STATUS_OK`, or a short reason (``"aliased"``, ``"too short"``, ``"error"``...).
    message : str
        What happened, in words (empty when there is nothing to add).
    details : Mapping[str, list of dict]
        Long tables a method keeps per dyad, as records (e.g. ``"selection"``: one
        ``{"tau", "embed", "adj_r2"}`` per setting); `FitResult.details` joins them.

    See Also
    --------
    dyadmodel.fit.FitMethod : Its ``fit_dyad`` returns a `DyadFit` for one dyad.

    Notes
    -----
    `fit` turns the per-dyad results into one `FitResult` row each: a parameter missing
    from ``estimates`` or ``standard_errors`` becomes NaN, a statistic another dyad has
    and this one lacks becomes NaN. Nothing is validated when a `DyadFit` is made.

    Examples
    --------
    A ``fit_dyad`` function (the one a `FitMethod` registers) that estimates each
    partner's mean level:

    >>> import numpy as np, pandas as pd, dyadmodel as dm
    >>> from dyadmodel.fit import DyadFit
    >>> def mean_level(model, dyad, options):
    ...     level = np.nanmean(dyad.values, axis=0)   # (time, partner) -> per partner
    ...     return DyadFit({"level_1": float(level[0]), "level_2": float(level[1])},
    ...                    statistics={"n_obs": int(np.isfinite(dyad.values).sum())})
    >>> t = np.arange(4.0)
    >>> table = pd.DataFrame({"dyad": 1, "person": np.repeat([1, 2], 4),
    ...     "time": np.tile(t, 2), "value": [1.0, 2.0, 3.0, 4.0, 5.0, 5.0, 7.0, 7.0]})
    >>> data = dm.data.read_dyadic(table, dyad="dyad", person="person", time="time",
    ...                            value="value")
    >>> one = mean_level(None, data[1], None)
    >>> one.estimates, one.statistics["n_obs"], one.status, one.standard_errors
    ({'level_1': 2.5, 'level_2': 6.0}, 8, 'ok', {})
    """

    estimates: Mapping[str, float]
    standard_errors: Mapping[str, float] = field(default_factory=dict)
    statistics: Mapping[str, Any] = field(default_factory=dict)
    status: str = STATUS_OK
    message: str = ""
    details: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, eq=False)
class FitResult:
    """Estimates of one model for every dyad of a data set.

    ``table`` has one row per dyad (index ``dyad``, in the data's order) and the columns:
    each parameter's estimate (named as the parameter), its standard error
    (``se_<name>``), the method's statistics, ``status`` (``"ok"`` or why not) and
    ``message``.

    Attributes
    ----------
    model : str
        Name of the fitted model (e.g. ``"coupled-oscillator"``).
    method : str
        Name of the estimation method (e.g. ``"glla"``).
    parameter_names : tuple of str
        The model's parameters, in the order of the table's estimate columns.
    table : pandas.DataFrame
        One row per dyad, as described above.
    options : object
        The method's options (a frozen dataclass), as used.
    details : Mapping[str, pandas.DataFrame]
        Method-specific long tables (e.g. ``"selection"``: adjusted R² of every
        ``(tau, embed)`` per dyad).
    notes : tuple of str
        Caveats that apply to the whole fit (e.g. partners ordered by person id).

    Examples
    --------
    >>> from pathlib import Path
    >>> import dyadmodel as dm
    >>> csv = Path(dm.__file__).parents[1] / "examples" / "couples_daily.csv"
    >>> data = dm.data.read_dyadic(csv, dyad="couple", person="person", time="day",
    ...                            value="closeness", distinguish="female")
    >>> result = dm.fit("coupled-oscillator", data)
    >>> result, len(result), bool(result.ok.all())
    (FitResult('coupled-oscillator', method='glla', 12 dyads: 12 ok), 12, True)
    >>> result.parameter_names[:4]
    ('eta_x', 'zeta_x', 'eta_xy', 'zeta_xy')
    >>> row = result.table.loc[1]        # dyad 1: estimates, SEs, statistics, status
    >>> [float(round(row[c], 3)) for c in ("eta_x", "se_eta_x", "adj_r2")], int(row.tau)
    ([-0.278, 0.011, 0.967], 3)
    >>> result.estimates.shape, result.standard_errors.columns.equals(result.estimates.columns)
    ((12, 8), True)
    >>> result.details["selection"].loc[1].round(3)      # adj. R² of every (tau, embed)
          tau  embed  adj_r2
    dyad
    1       2      3   0.935
    1       3      3   0.967
    1       2      4   0.959
    1       3      4   0.932
    """

    model: str
    method: str
    parameter_names: tuple[str, ...]
    table: pd.DataFrame
    options: Any = None
    details: Mapping[str, pd.DataFrame] = field(default_factory=dict)
    notes: tuple[str, ...] = ()

    def __len__(self) -> int:
        return len(self.table)

    @property
    def estimates(self) -> pd.DataFrame:
        """Parameter estimates, one row per dyad."""
        return self.table.loc[:, list(self.parameter_names)]

    @property
    def standard_errors(self) -> pd.DataFrame:
        """Standard errors, one row per dyad, columns named as the parameters."""
        se = self.table.loc[:, [f"se_{p}" for p in self.parameter_names]]
        se.columns = list(self.parameter_names)
        return se

    @property
    def status(self) -> pd.Series:
        """Per dyad: ``"ok"`` or why not."""
        return self.table["status"]

    @property
    def ok(self) -> np.ndarray:
        """Boolean mask of the dyads whose status is ``"ok"``."""
        return (self.table["status"] == STATUS_OK).to_numpy()

    def to_dataframe(self) -> pd.DataFrame:
        """The table with ``dyad`` as a column (a copy).

        Returns
        -------
        pandas.DataFrame
            One row per dyad (a default integer index): ``dyad`` first, then the
            columns of `table`. ``options``, ``details`` and ``notes`` are not in it.

        Examples
        --------
        >>> import numpy as np, pandas as pd, dyadmodel as dm
        >>> t = np.arange(40.0)
        >>> table = pd.DataFrame({"dyad": np.repeat(["a", "b"], 80),
        ...     "person": np.tile(np.repeat([1, 2], 40), 2), "time": np.tile(t, 4),
        ...     "value": np.concatenate([np.cos(0.5 * t), np.sin(0.4 * t),
        ...                              np.cos(0.3 * t), np.sin(0.6 * t)])})
        >>> data = dm.data.read_dyadic(table, dyad="dyad", person="person", time="time",
        ...                            value="value")
        >>> frame = dm.fit("coupled-oscillator", data).to_dataframe()
        >>> frame.shape, frame.columns[:3].tolist(), frame["dyad"].tolist()
        ((2, 27), ['dyad', 'eta_x', 'zeta_x'], ['a', 'b'])
        """
        return self.table.reset_index()

    def to_xarray(self):
        """An `xarray.Dataset` with dimension ``dyad``: one variable per table column;
        model, method and notes as attributes.

        Needs xarray (imported here). Text columns (``status``, ``message``, any other
        column of dtype object) are converted to ``str``: a missing value there becomes
        the text ``"nan"`` or ``"None"``.

        Returns
        -------
        xarray.Dataset
            Coordinate ``dyad`` (the table's index); data variables named as the table's
            columns; attributes ``model``, ``method`` and ``notes`` (the notes joined
            with ``"; "``, empty when there are none). ``options`` and ``details`` are
            not carried over.

        Examples
        --------
        >>> import numpy as np, pandas as pd, dyadmodel as dm
        >>> t = np.arange(40.0)
        >>> table = pd.DataFrame({"dyad": np.repeat([1, 2], 80),
        ...     "person": np.tile(np.repeat([1, 2], 40), 2), "time": np.tile(t, 4),
        ...     "value": np.concatenate([np.cos(0.5 * t), np.sin(0.4 * t),
        ...                              np.cos(0.3 * t), np.sin(0.6 * t)])})
        >>> data = dm.data.read_dyadic(table, dyad="dyad", person="person", time="time",
        ...                            value="value")
        >>> ds = dm.fit("coupled-oscillator", data, detrend=False).to_xarray()
        >>> dict(ds.sizes), ds.attrs["model"], ds.attrs["method"]
        ({'dyad': 2}, 'coupled-oscillator', 'glla')
        >>> ds["status"].values.tolist(), int(ds["tau"].sel(dyad=1))
        (['ok', 'ok'], 2)
        >>> ds.attrs["notes"][:48]     # no distinguishing variable: partners by person id
        'partners are ordered by person id (no distinguis'
        """
        import xarray as xr

        table = self.table.copy()
        for column in table.columns:
            if table[column].dtype == object:
                table[column] = table[column].astype(str)
        ds = xr.Dataset.from_dataframe(table)
        ds.attrs.update(model=self.model, method=self.method, notes="; ".join(self.notes))
        return ds

    def __repr__(self) -> str:
        counts = self.table["status"].value_counts()
        status = ", ".join(f"{n} {s}" for s, n in counts.items())
        return (
            f"FitResult({self.model!r}, method={self.method!r}, {len(self)} "
            f"dyad{'s' * (len(self) != 1)}: {status or 'none'})"
        )


def assemble(
    model: str,
    method: str,
    parameter_names: tuple[str, ...],
    dyad_ids: list[Any],
    fits: list[DyadFit],
    options: Any,
    notes: tuple[str, ...] = (),
) -> FitResult:
    """One `FitResult` from per-dyad fits (in the order of ``dyad_ids``)."""
    rows = []
    statistic_names: list[str] = []
    for f in fits:
        for name in f.statistics:
            if name not in statistic_names:
                statistic_names.append(name)
    for f in fits:
        row: dict[str, Any] = {p: float(f.estimates.get(p, np.nan)) for p in parameter_names}
        row.update({f"se_{p}": float(f.standard_errors.get(p, np.nan)) for p in parameter_names})
        row.update({s: f.statistics.get(s, np.nan) for s in statistic_names})
        row["status"] = f.status
        row["message"] = f.message
        rows.append(row)
    columns = [
        *parameter_names,
        *(f"se_{p}" for p in parameter_names),
        *statistic_names,
        "status",
        "message",
    ]
    table = pd.DataFrame(rows, columns=columns, index=pd.Index(dyad_ids, name="dyad"))
    records: dict[str, list[dict[str, Any]]] = {}
    for dyad_id, f in zip(dyad_ids, fits):
        for key, rows_of_dyad in f.details.items():
            records.setdefault(key, []).extend({"dyad": dyad_id, **r} for r in rows_of_dyad)
    merged = {key: pd.DataFrame(rows).set_index("dyad") for key, rows in records.items()}
    return FitResult(model, method, parameter_names, table, options, merged, notes)
