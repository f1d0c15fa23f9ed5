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
    table : pandas.DataFrame
    options : object
        The method's options (a frozen dataclass), as used.
    details : Mapping[str, pandas.DataFrame]
        Method-specific long tables (e.g. ``"selection"``: adjusted R² of every
        ``(tau, embed)`` per dyad).
    notes : tuple of str
        Caveats that apply to the whole fit (e.g. partners ordered by person id).
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
        """The table with ``dyad`` as a column (a copy)."""
        return self.table.reset_index()

    def to_xarray(self):
        """An `xarray.Dataset` with dimension ``dyad``: one variable per table column;
        model, method and notes as attributes."""
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
