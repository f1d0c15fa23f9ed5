"""Long-format dyadic time series -> `DyadicData` (both partners on one time grid)."""

from __future__ import annotations

import math
import os
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from dyadmodel.errors import InvalidInputError, InvalidTypeError, NotFoundError

__all__ = ["MAX_ROWS", "Dyad", "DyadicData", "DyadicDataError", "read_dyadic"]

#: Size budget of `read_dyadic`: tables with more rows are refused before any work.
MAX_ROWS = 10_000_000


class DyadicDataError(InvalidInputError):
    """Dyadic data that cannot be used: the message names the dyad, the row and the value,
    and what was expected.

    Examples
    --------
    >>> import pandas as pd, dyadmodel as dm
    >>> table = pd.DataFrame({"couple": [1, 1], "person": [1, 2], "day": [0, 0],
    ...                       "mood": [1.0, "high"]})
    >>> try:
    ...     dm.data.read_dyadic(table, dyad="couple", person="person", time="day", value="mood")
    ... except dm.data.DyadicDataError as err:
    ...     print(isinstance(err, dm.InvalidInputError))
    True
    """


@dataclass(frozen=True, eq=False)
class Dyad:
    """One couple's series on a common time grid.

    Attributes
    ----------
    id : object
        The dyad's id as it appears in the data.
    persons : tuple
        Person ids of partner 1 and partner 2 (partner 1 sorts first by the
        distinguishing value, or by person id without one).
    time : numpy.ndarray
        Time points, increasing, shape ``(n,)``.
    values : numpy.ndarray
        Observed values, shape ``(n, 2)`` (column 0 = partner 1); NaN where missing.
    distinguish : tuple or None
        Distinguishing values of partner 1 and 2 (``(0.0, 1.0)``), or None.
    inputs : Mapping[str, numpy.ndarray]
        Known inputs per time point and partner, each of shape ``(n, 2)``.
    covariates : Mapping[str, tuple]
        Per-person constant covariates: ``(value of partner 1, value of partner 2)``.
    rows : numpy.ndarray
        Source row of each value, shape ``(n, 2)`` (0-based position in the table).

    Examples
    --------
    >>> import pandas as pd, dyadmodel as dm
    >>> table = pd.DataFrame({"couple": 1, "person": [1, 2, 1, 2], "day": [0, 0, 1, 1],
    ...                       "mood": [1.0, 2.0, 1.5, None]})
    >>> dyad = dm.data.read_dyadic(table, dyad="couple", person="person", time="day",
    ...                            value="mood")[1]
    >>> dyad
    Dyad(1, persons=(1, 2), 2 time points, 1 missing values)
    >>> dyad.values.shape, dyad.n_times
    ((2, 2), 2)
    """

    id: Any
    persons: tuple[Any, Any]
    time: np.ndarray
    values: np.ndarray
    distinguish: tuple[float, float] | None = None
    inputs: Mapping[str, np.ndarray] = field(default_factory=dict)
    covariates: Mapping[str, tuple[Any, Any]] = field(default_factory=dict)
    rows: np.ndarray | None = None

    @property
    def n_times(self) -> int:
        """Number of time points of the grid."""
        return int(self.time.size)

    def complete(self) -> np.ndarray:
        """Boolean mask of the time points where both partners were observed.

        Returns
        -------
        numpy.ndarray of bool
            Shape ``(n_times,)``.

        Examples
        --------
        >>> import pandas as pd, dyadmodel as dm
        >>> table = pd.DataFrame({"couple": 1, "person": [1, 2, 1, 2], "day": [0, 0, 1, 1],
        ...                       "mood": [1.0, 2.0, 1.5, None]})
        >>> dm.data.read_dyadic(table, dyad="couple", person="person", time="day",
        ...                     value="mood")[1].complete()
        array([ True, False])
        """
        return np.all(np.isfinite(self.values), axis=1)

    def __repr__(self) -> str:
        missing = int(np.count_nonzero(~np.isfinite(self.values)))
        return (
            f"Dyad({self.id!r}, persons={self.persons!r}, {self.n_times} time points, "
            f"{missing} missing values)"
        )


@dataclass(frozen=True, eq=False)
class DyadicData:
    """Couples' time series, one `Dyad` per couple, in the order of `ids`.

    Built by `read_dyadic`. Index by dyad id (``data[17]``), iterate over the dyads,
    convert with `to_dataframe` (long format, one row per person and time point) or
    `to_xarray` (dimensions ``dyad``, ``obs``, ``partner``).

    Attributes
    ----------
    dyads : tuple of Dyad
        The couples, in the order of the data.
    columns : Mapping[str, str]
        The source column of each role: ``dyad``, ``person``, ``time``, ``value`` and,
        when given, ``distinguish``.
    input_names, covariate_names : tuple of str
    source : str
        Where the data came from (a path, or ``"DataFrame"``).

    Examples
    --------
    >>> import pandas as pd, dyadmodel as dm
    >>> table = pd.DataFrame({"couple": [1, 1, 1, 1, 2, 2, 2, 2],
    ...                       "person": [1, 2, 1, 2, 3, 4, 3, 4],
    ...                       "day": [0, 0, 1, 1, 0, 0, 1, 1],
    ...                       "mood": [1.0, 2.0, 1.5, None, 0.5, 0.7, 0.6, 0.8]})
    >>> data = dm.data.read_dyadic(table, dyad="couple", person="person", time="day",
    ...                            value="mood")
    >>> data
    DyadicData(2 dyads, 8 rows, value='mood', partners ordered by person id)
    >>> data.ids, data[2].persons
    ((1, 2), (3, 4))
    """

    dyads: tuple[Dyad, ...]
    columns: Mapping[str, str]
    input_names: tuple[str, ...] = ()
    covariate_names: tuple[str, ...] = ()
    source: str = "DataFrame"

    @property
    def ids(self) -> tuple[Any, ...]:
        """Dyad ids, in order."""
        return tuple(d.id for d in self.dyads)

    @property
    def value_name(self) -> str:
        """Name of the observed variable."""
        return self.columns["value"]

    @property
    def distinguished(self) -> bool:
        """True when partners are told apart by a distinguishing variable."""
        return "distinguish" in self.columns

    @property
    def n_rows(self) -> int:
        """Number of (person, time) rows, missing values included."""
        return sum(2 * d.n_times for d in self.dyads)

    def __len__(self) -> int:
        return len(self.dyads)

    def __iter__(self) -> Iterator[Dyad]:
        return iter(self.dyads)

    def __getitem__(self, dyad_id: Any) -> Dyad:
        for d in self.dyads:
            if d.id == dyad_id:
                return d
        shown = ", ".join(repr(i) for i in self.ids[:10]) + (", ..." if len(self) > 10 else "")
        raise NotFoundError(f"no dyad {dyad_id!r} in the data; dyads are {shown}")

    def select(self, dyad_ids: Sequence[Any]) -> DyadicData:
        """The same data restricted to ``dyad_ids`` (in that order).

        Parameters
        ----------
        dyad_ids : sequence
            Ids of the dyads to keep, each present in the data.

        Returns
        -------
        DyadicData
            The selected dyads, in the order of ``dyad_ids``.

        Raises
        ------
        NotFoundError
            For an id that is not in the data.

        Examples
        --------
        >>> import pandas as pd, dyadmodel as dm
        >>> table = pd.DataFrame({"couple": [1, 1, 2, 2], "person": [1, 2, 3, 4], "day": 0,
        ...                       "mood": [1.0, 2.0, 0.5, 0.7]})
        >>> data = dm.data.read_dyadic(table, dyad="couple", person="person", time="day",
        ...                            value="mood")
        >>> data.select([2]).ids
        (2,)
        """
        return DyadicData(
            tuple(self[i] for i in dyad_ids),
            self.columns,
            self.input_names,
            self.covariate_names,
            self.source,
        )

    def __repr__(self) -> str:
        n = len(self)
        how = (
            f"distinguished by {self.columns['distinguish']!r}"
            if self.distinguished
            else "partners ordered by person id"
        )
        return (
            f"DyadicData({n} dyad{'s' * (n != 1)}, {self.n_rows} rows, "
            f"value={self.value_name!r}, {how})"
        )

    def to_dataframe(self) -> pd.DataFrame:
        """Long format: one row per person and time point, sorted by dyad, time and
        partner, with columns for the source roles, ``partner`` (1 or 2), the known
        inputs and the covariates.

        Returns
        -------
        pandas.DataFrame
            Columns: the dyad, person, ``partner``, time and value columns, then the inputs
            and covariates.

        Examples
        --------
        >>> import pandas as pd, dyadmodel as dm
        >>> table = pd.DataFrame({"couple": [1, 1], "person": [1, 2], "day": 0, "mood": [1.0, 2.0]})
        >>> data = dm.data.read_dyadic(table, dyad="couple", person="person", time="day",
        ...                            value="mood")
        >>> list(data.to_dataframe().columns)
        ['couple', 'person', 'partner', 'day', 'mood']
        """
        c = self.columns
        parts = []
        for d in self.dyads:
            n = d.n_times
            frame = {
                c["dyad"]: [d.id] * (2 * n),
                c["person"]: [d.persons[0], d.persons[1]] * n,
                "partner": np.tile([1, 2], n),
                c["time"]: np.repeat(d.time, 2),
                c["value"]: d.values.reshape(-1),
            }
            if d.distinguish is not None:
                frame[c["distinguish"]] = np.tile(d.distinguish, n)
            for name in self.input_names:
                frame[name] = d.inputs[name].reshape(-1)
            for name in self.covariate_names:
                frame[name] = list(d.covariates[name]) * n
            parts.append(pd.DataFrame(frame))
        if not parts:
            return pd.DataFrame(columns=[c["dyad"], c["person"], "partner", c["time"], c["value"]])
        return pd.concat(parts, ignore_index=True)

    def to_xarray(self):
        """An `xarray.Dataset` with dimensions ``dyad``, ``obs`` (time-point index, padded
        with NaN for shorter dyads) and ``partner`` (1, 2): variables ``time``
        (dyad, obs), the value (dyad, obs, partner), each input (dyad, obs, partner),
        ``person`` and each covariate (dyad, partner).

        Returns
        -------
        xarray.Dataset
            Dimensions ``dyad``, ``obs`` and ``partner``.

        Examples
        --------
        >>> import pandas as pd, dyadmodel as dm
        >>> table = pd.DataFrame({"couple": [1, 1], "person": [1, 2], "day": 0, "mood": [1.0, 2.0]})
        >>> data = dm.data.read_dyadic(table, dyad="couple", person="person", time="day",
        ...                            value="mood")
        >>> dict(data.to_xarray().sizes)
        {'dyad': 1, 'obs': 1, 'partner': 2}
        """
        import xarray as xr

        n_obs = max((d.n_times for d in self.dyads), default=0)
        shape = (len(self), n_obs)
        time = np.full(shape, np.nan)
        values = np.full((*shape, 2), np.nan)
        inputs = {name: np.full((*shape, 2), np.nan) for name in self.input_names}
        for k, d in enumerate(self.dyads):
            time[k, : d.n_times] = d.time
            values[k, : d.n_times] = d.values
            for name in self.input_names:
                inputs[name][k, : d.n_times] = d.inputs[name]
        data_vars = {
            "time": (("dyad", "obs"), time),
            self.value_name: (("dyad", "obs", "partner"), values),
            "person": (("dyad", "partner"), np.array([d.persons for d in self.dyads], object)),
        }
        for name, arr in inputs.items():
            data_vars[name] = (("dyad", "obs", "partner"), arr)
        for name in self.covariate_names:
            column = np.array([d.covariates[name] for d in self.dyads], dtype=object)
            try:
                column = column.astype(float)
            except (TypeError, ValueError):
                pass
            data_vars[name] = (("dyad", "partner"), column.reshape(len(self), 2))
        if self.distinguished:
            data_vars[self.columns["distinguish"]] = (
                ("dyad", "partner"),
                np.array([d.distinguish for d in self.dyads], float).reshape(len(self), 2),
            )
        return xr.Dataset(
            data_vars,
            coords={"dyad": list(self.ids), "partner": [1, 2], "obs": np.arange(n_obs)},
            attrs={"source": self.source, **{f"column_{k}": v for k, v in self.columns.items()}},
        )


# -- reading ----------------------------------------------------------------------------


class _Where:
    """Names a source row in messages: ``line 7 of 'data.csv'`` or ``row 5``."""

    def __init__(self, path: Path | None) -> None:
        self.path = path

    def __call__(self, position: int) -> str:
        if self.path is not None:  # the header is line 1
            return f"line {int(position) + 2} of {str(self.path)!r}"
        return f"row {int(position)}"


def _load(source: Any, max_rows: int) -> tuple[pd.DataFrame, Path | None]:
    if isinstance(source, pd.DataFrame):
        table = source.reset_index(drop=True)
        path = None
    elif isinstance(source, (str, os.PathLike)):
        path = Path(source)
        if not path.is_file():
            what = "is a directory" if path.is_dir() else "does not exist"
            raise DyadicDataError(f"data file {str(path)!r} {what}; expected a CSV file")
        try:
            table = pd.read_csv(path, nrows=max_rows + 1)
        except pd.errors.EmptyDataError:
            raise DyadicDataError(
                f"data file {str(path)!r} is empty; expected a CSV file with a header line"
            ) from None
        except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as err:
            first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
            raise DyadicDataError(
                f"data file {str(path)!r} is not a readable CSV file: {first}"
            ) from None
    else:
        raise InvalidTypeError(
            f"source must be a CSV path or a pandas DataFrame, got {type(source).__name__}"
        )
    if len(table) > max_rows:
        raise DyadicDataError(
            f"the data have more than max_rows={max_rows:,} rows; raise max_rows to read them"
        )
    return table, path


def _column_names(
    table: pd.DataFrame, roles: Mapping[str, Any], extra: Mapping[str, Sequence[Any]]
) -> None:
    names: list[str] = []
    for role, name in roles.items():
        if not isinstance(name, str) or not name:
            raise InvalidTypeError(
                f"{role}= must be a column name (a non-empty string), got {name!r}"
            )
        names.append(name)
    for role, group in extra.items():
        if isinstance(group, str) or not isinstance(group, (list, tuple)):
            raise InvalidTypeError(
                f"{role}= must be a list or tuple of column names, got {group!r}"
            )
        for name in group:
            if not isinstance(name, str) or not name:
                raise InvalidTypeError(f"{role}= must hold column names (strings), got {name!r}")
            names.append(name)
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise DyadicDataError(
                f"column {name!r} is given for two roles; each column has one role"
            )
        seen.add(name)
    available = [str(c) for c in table.columns]
    missing = [n for n in names if n not in table.columns]
    if missing:
        shown = ", ".join(repr(c) for c in available[:20]) + (
            ", ..." if len(available) > 20 else ""
        )
        raise DyadicDataError(
            f"missing column{'s' * (len(missing) > 1)} {', '.join(repr(m) for m in missing)}; "
            f"the data have {shown or 'no columns'}"
        )


def _numeric(
    table: pd.DataFrame, name: str, where: _Where, *, allow_missing: bool, ids: pd.Series | None
) -> np.ndarray:
    """The column as floats; refuses text, infinities and (unless allowed) missing cells."""
    column = table[name]
    if pd.api.types.is_bool_dtype(column):
        column = column.astype(float)
    converted = pd.to_numeric(column, errors="coerce")
    bad = converted.isna() & column.notna()
    dyad = (lambda i: f"dyad {_plain(ids.iloc[i])!r}, ") if ids is not None else (lambda i: "")
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise DyadicDataError(f"{dyad(i)}{where(i)}: {name} = {column.iloc[i]!r} is not a number")
    values = converted.to_numpy(dtype=float, na_value=np.nan)
    infinite = np.isinf(values)
    if infinite.any():
        i = int(np.flatnonzero(infinite)[0])
        raise DyadicDataError(f"{dyad(i)}{where(i)}: {name} = {values[i]} is not finite")
    if not allow_missing:
        missing = np.isnan(values)
        if missing.any():
            i = int(np.flatnonzero(missing)[0])
            raise DyadicDataError(f"{dyad(i)}{where(i)}: {name} is missing; every row needs one")
    return values


def _sort_key(values: Sequence[Any]) -> list[Any]:
    try:
        return sorted(values)
    except TypeError:
        return sorted(values, key=str)


def read_dyadic(
    source: str | os.PathLike | pd.DataFrame,
    *,
    dyad: str,
    person: str,
    time: str,
    value: str,
    distinguish: str | None = None,
    covariates: Sequence[str] = (),
    inputs: Sequence[str] = (),
    max_rows: int = MAX_ROWS,
) -> DyadicData:
    """Read long-format dyadic data: one row per person and time point.

    Parameters
    ----------
    source : str, os.PathLike or pandas.DataFrame
        A CSV file (with a header line) or a table.
    dyad, person, time, value : str
        Columns of the dyad id, the person id (unique within a dyad), the time (a finite
        number; rows are put in time order) and the observed value (a number, or empty /
        ``NA`` for a missing observation).
    distinguish : str, optional
        A 0/1 column that tells the partners apart (e.g. ``female``): within each dyad one
        person has 0 and the other 1, on every row. Partner 1 is the person with 0.
        Without it partners are ordered by person id.
    covariates : sequence of str
        Columns constant for each person (e.g. relationship length, attachment anxiety),
        kept per dyad as ``(partner 1, partner 2)``; text or numbers, missing allowed.
    inputs : sequence of str
        Known inputs per time point and person (e.g. a daily stress rating); numbers,
        missing allowed.
    max_rows : int
        Size budget: a table with more rows is refused before any work (default
        `MAX_ROWS`).

    Returns
    -------
    DyadicData
        The result; see `DyadicData` for its fields.

    Raises
    ------
    DyadicDataError
        A missing column; a missing dyad, person or time; a value, time, input or
        distinguishing value that is not a finite number; a dyad with one person or more
        than two; a duplicated (person, time); a time point recorded for one partner but
        not the other; a distinguishing variable that is not 0 for one partner and 1 for
        the other, or not constant for a person; a covariate not constant for a person.
        The message names the dyad, the row (``line N`` of a CSV file, counting the
        header as line 1; ``row N``, 0-based, of a DataFrame) and the value.
    InvalidTypeError
        A source or column argument of the wrong type.
    InvalidInputError
        For an argument with an invalid value (the message says which and why).

    Examples
    --------
    >>> import pandas as pd, dyadmodel as dm
    >>> table = pd.DataFrame({"couple": 7, "person": [1, 2, 1, 2], "day": [0, 0, 1, 1],
    ...                       "mood": [1.0, 2.0, 1.5, 2.5]})
    >>> data = dm.data.read_dyadic(table, dyad="couple", person="person", time="day",
    ...                            value="mood")
    >>> data[7].values
    array([[1. , 2. ],
           [1.5, 2.5]])
    """
    if isinstance(max_rows, bool) or not isinstance(max_rows, int) or max_rows < 1:
        raise InvalidInputError(f"max_rows must be a positive integer, got {max_rows!r}")
    table, path = _load(source, max_rows)
    roles = {"dyad": dyad, "person": person, "time": time, "value": value}
    if distinguish is not None:
        roles["distinguish"] = distinguish
    covariates = tuple(covariates) if isinstance(covariates, list) else covariates
    inputs = tuple(inputs) if isinstance(inputs, list) else inputs
    _column_names(table, roles, {"covariates": covariates, "inputs": inputs})
    where = _Where(path)
    if len(table) == 0:
        raise DyadicDataError(f"the data ({where.path or 'DataFrame'}) have no rows")

    for role in ("dyad", "person"):
        ids = table[roles[role]]
        missing = ids.isna().to_numpy()
        if missing.any():
            i = int(np.flatnonzero(missing)[0])
            raise DyadicDataError(f"{where(i)}: the {role} id ({roles[role]}) is missing")
    dyad_ids = table[dyad]
    t = _numeric(table, time, where, allow_missing=False, ids=dyad_ids)
    y = _numeric(table, value, where, allow_missing=True, ids=dyad_ids)
    dist = (
        _numeric(table, distinguish, where, allow_missing=False, ids=dyad_ids)
        if distinguish is not None
        else None
    )
    if dist is not None:
        off = (dist != 0.0) & (dist != 1.0)
        if off.any():
            i = int(np.flatnonzero(off)[0])
            raise DyadicDataError(
                f"dyad {_plain(dyad_ids.iloc[i])!r}, {where(i)}: {distinguish} = {dist[i]:g}; "
                "a distinguishing variable must be 0 or 1"
            )
    u = {name: _numeric(table, name, where, allow_missing=True, ids=dyad_ids) for name in inputs}

    dyads = []
    positions = pd.Series(np.arange(len(table)))
    groups = positions.groupby(dyad_ids.to_numpy(), sort=False)
    for dyad_id in _sort_key(list(groups.groups)):
        rows = groups.get_group(dyad_id).to_numpy()
        dyads.append(_one_dyad(dyad_id, rows, table, roles, t, y, dist, u, covariates, where))
    columns = dict(roles)
    return DyadicData(
        tuple(dyads),
        columns,
        tuple(inputs),
        tuple(covariates),
        str(path) if path is not None else "DataFrame",
    )


def _one_dyad(
    dyad_id: Any,
    rows: np.ndarray,
    table: pd.DataFrame,
    roles: Mapping[str, str],
    t: np.ndarray,
    y: np.ndarray,
    dist: np.ndarray | None,
    u: Mapping[str, np.ndarray],
    covariates: Sequence[str],
    where: _Where,
) -> Dyad:
    label = f"dyad {dyad_id!r}"
    person_ids = table[roles["person"]].to_numpy()[rows]
    persons = list(dict.fromkeys(person_ids.tolist()))
    if len(persons) != 2:
        if len(persons) == 1:
            raise DyadicDataError(
                f"{label} ({where(rows[0])}) has one person ({persons[0]!r}); a dyad needs two"
            )
        extra = rows[np.flatnonzero(person_ids == persons[2])[0]]
        raise DyadicDataError(
            f"{label} has {len(persons)} persons ({', '.join(repr(p) for p in persons[:5])}"
            f"{', ...' if len(persons) > 5 else ''}); the third appears at {where(extra)}"
        )
    per_person: dict[Any, np.ndarray] = {}
    for p in persons:
        mine = rows[person_ids == p]
        order = np.argsort(t[mine], kind="stable")
        mine = mine[order]
        times = t[mine]
        dup = np.flatnonzero(np.diff(times) == 0)
        if dup.size:
            a, b = mine[dup[0]], mine[dup[0] + 1]
            raise DyadicDataError(
                f"{label}: person {p!r} has time {times[dup[0]]:g} twice ({where(min(a, b))} "
                f"and {where(max(a, b))}); each (person, time) must appear once"
            )
        per_person[p] = mine
    a_rows, b_rows = per_person[persons[0]], per_person[persons[1]]
    ta, tb = t[a_rows], t[b_rows]
    if ta.size != tb.size or not np.array_equal(ta, tb):
        only_a = np.setdiff1d(ta, tb)
        if only_a.size:
            k, other = int(np.searchsorted(ta, only_a[0])), persons[1]
            row, owner = a_rows[k], persons[0]
        else:
            only_b = np.setdiff1d(tb, ta)
            k, other = int(np.searchsorted(tb, only_b[0])), persons[0]
            row, owner = b_rows[k], persons[1]
        raise DyadicDataError(
            f"{label}: time {t[row]:g} of person {owner!r} ({where(row)}) has no row for "
            f"person {other!r}; both partners need the same time points (a row with an "
            "empty value marks a missing observation)"
        )
    dist_pair = None
    if dist is not None:
        dist_pair = []
        for p in persons:
            mine = per_person[p]
            values = dist[mine]
            changed = np.flatnonzero(values != values[0])
            if changed.size:
                row = mine[changed[0]]
                raise DyadicDataError(
                    f"{label}, {where(row)}: {roles['distinguish']} of person {p!r} changes "
                    f"from {values[0]:g} to {dist[row]:g}; it must be constant for a person"
                )
            dist_pair.append(float(values[0]))
        if sorted(dist_pair) != [0.0, 1.0]:
            raise DyadicDataError(
                f"{label} ({where(rows[0])}): {roles['distinguish']} is {dist_pair[0]:g} for "
                f"both persons ({persons[0]!r}, {persons[1]!r}); expected 0 for one partner "
                "and 1 for the other"
            )
        if dist_pair[0] > dist_pair[1]:
            persons.reverse()
            dist_pair.reverse()
    else:
        persons = _sort_key(persons)
    first, second = per_person[persons[0]], per_person[persons[1]]
    pair = np.column_stack([first, second])
    covs: dict[str, tuple[Any, Any]] = {}
    for name in covariates:
        column = table[name].to_numpy()
        pair_values = []
        for p in persons:
            mine = per_person[p]
            values = column[mine]
            ref = values[0]
            for k, v in enumerate(values):
                same = (pd.isna(v) and pd.isna(ref)) or (
                    not pd.isna(v) and not pd.isna(ref) and v == ref
                )
                if not same:
                    raise DyadicDataError(
                        f"{label}, {where(mine[k])}: covariate {name} of person {p!r} is "
                        f"{v!r}, but {ref!r} at {where(mine[0])}; a covariate must be "
                        "constant for a person"
                    )
            pair_values.append(_plain(ref))
        covs[name] = (pair_values[0], pair_values[1])
    return Dyad(
        id=_plain(dyad_id),
        persons=(_plain(persons[0]), _plain(persons[1])),
        time=t[first].copy(),
        values=y[pair].copy(),
        distinguish=None if dist_pair is None else (dist_pair[0], dist_pair[1]),
        inputs={name: arr[pair].copy() for name, arr in u.items()},
        covariates=covs,
        rows=pair,
    )


def _plain(v: Any) -> Any:
    """numpy scalars as Python numbers (readable reprs); NaN stays NaN."""
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, float) and math.isnan(v):
        return math.nan
    return v
