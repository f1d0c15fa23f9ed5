"""read_dyadic: long-format dyadic data -> DyadicData, and every refusal named."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import dyadmodel as dm
from dyadmodel.data import DyadicDataError, read_dyadic
from dyadmodel.errors import InvalidInputError, InvalidTypeError, NotFoundError

ROLES = {"dyad": "couple", "person": "pid", "time": "t", "value": "y"}


def long_table(n_dyads: int = 2, n_times: int = 4) -> pd.DataFrame:
    rows = []
    for d in range(1, n_dyads + 1):
        for k in range(n_times):
            for person, female in ((10 * d + 1, 1), (10 * d + 2, 0)):
                rows.append(
                    {
                        "couple": d,
                        "pid": person,
                        "t": float(k),
                        "y": float(d + k + person % 10 / 10),
                        "female": female,
                        "stress": float(k % 3),
                        "years": 2.5 * d,
                    }
                )
    return pd.DataFrame(rows)


def test_partner_one_is_the_person_whose_distinguishing_value_sorts_first():
    data = read_dyadic(long_table(), **ROLES, distinguish="female")
    dyad = data[1]
    assert dyad.persons == (12, 11)  # female = 0 first, although its id sorts second
    assert dyad.distinguish == (0.0, 1.0)
    assert dyad.values[:, 0].tolist() == [1.2, 2.2, 3.2, 4.2]
    # without a distinguishing variable: person id order
    data = read_dyadic(long_table(), **ROLES)
    assert data[1].persons == (11, 12)
    assert not data.distinguished


def test_time_grid_is_sorted_and_common_and_missing_values_stay_nan():
    table = long_table().sample(frac=1.0, random_state=3)  # rows in any order
    table.loc[table.index[0], "y"] = np.nan
    data = read_dyadic(table, **ROLES, distinguish="female")
    for dyad in data:
        assert np.all(np.diff(dyad.time) > 0)
        assert dyad.values.shape == (4, 2)
    assert sum(int(np.isnan(d.values).sum()) for d in data) == 1


def test_inputs_and_covariates_are_kept_per_partner():
    data = read_dyadic(
        long_table(), **ROLES, distinguish="female", inputs=("stress",), covariates=("years",)
    )
    dyad = data[2]
    assert dyad.inputs["stress"].shape == (4, 2)
    assert dyad.inputs["stress"][:, 0].tolist() == [0.0, 1.0, 2.0, 0.0]
    assert dyad.covariates["years"] == (5.0, 5.0)
    ds = data.to_xarray()
    assert ds["y"].dims == ("dyad", "obs", "partner")
    assert ds["y"].shape == (2, 4, 2)
    assert ds["years"].sel(dyad=2).values.tolist() == [5.0, 5.0]
    assert ds["female"].values.tolist() == [[0.0, 1.0], [0.0, 1.0]]


@st.composite
def dyadic_tables(draw):
    n_dyads = draw(st.integers(1, 4))
    rows = []
    for d in range(n_dyads):
        times = draw(st.lists(st.integers(-50, 50), min_size=1, max_size=6, unique=True))
        for person in (f"p{d}a", f"p{d}b"):
            for t in times:
                value = draw(st.one_of(st.none(), st.floats(-1e6, 1e6, allow_nan=False)))
                rows.append({"couple": f"c{d}", "pid": person, "t": t, "y": value})
    return pd.DataFrame(rows).sample(frac=1.0, random_state=draw(st.integers(0, 99)))


@settings(max_examples=40)
@given(dyadic_tables())
def test_to_dataframe_reads_back_to_the_same_data(table):
    data = read_dyadic(table, **ROLES)
    again = read_dyadic(data.to_dataframe(), **ROLES)
    assert again.ids == data.ids
    for a, b in zip(data, again):
        assert a.persons == b.persons
        assert np.array_equal(a.time, b.time)
        assert np.array_equal(a.values, b.values, equal_nan=True)
    assert data.n_rows == len(table)


def test_reads_a_csv_file_and_names_its_lines(tmp_path):
    path = tmp_path / "d.csv"
    table = long_table().astype({"y": object})
    table.loc[5, "y"] = "lots"
    table.to_csv(path, index=False)
    with pytest.raises(
        DyadicDataError, match=r"dyad 1, line 7 of .*d\.csv.*y = 'lots' is not a number"
    ):
        read_dyadic(path, **ROLES)
    long_table().to_csv(path, index=False)
    assert len(read_dyadic(str(path), **ROLES)) == 2


def _broken(change) -> pd.DataFrame:
    table = long_table()
    changed = change(table)
    return table if changed is None else changed


def _drop_partner(table):
    return table[table.pid != 12]


def _third_person(table):
    table.loc[len(table)] = {**table.iloc[0].to_dict(), "pid": 13, "t": 0.0}


def _duplicate(table):
    table.loc[len(table)] = table.iloc[2].to_dict()


def _mismatch(table):
    table.loc[table.index[(table.pid == 11) & (table.t == 3.0)], "t"] = 7.0


def _dist_two(table):
    table.loc[3, "female"] = 2.0


def _dist_same(table):
    table.loc[table.couple == 2, "female"] = 1


def _dist_changes(table):
    table.loc[(table.pid == 11) & (table.t == 2.0), "female"] = 0


def _no_dyad_id(table):
    table["couple"] = table["couple"].astype(object)
    table.loc[9, "couple"] = None


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (_drop_partner, r"dyad 1 \(row 0\) has one person \(11\)"),
        (_third_person, r"dyad 1 has 3 persons .* third appears at row 16"),
        (_duplicate, r"dyad 1: person 11 has time 1 twice \(row 2 and row 16\)"),
        (_mismatch, r"dyad 1: time 7 of person 11 \(row 6\) has no row for person 12"),
        (_dist_two, r"dyad 1, row 3: female = 2; .* must be 0 or 1"),
        (_dist_same, r"dyad 2 \(row 8\): female is 1 for both persons"),
        (_dist_changes, r"dyad 1, row 4: female of person 11 changes from 1 to 0"),
        (lambda t: t.loc.__setitem__((4, "t"), np.nan), r"dyad 1, row 4: t is missing"),
        (lambda t: t.loc.__setitem__((4, "y"), np.inf), r"dyad 1, row 4: y = inf is not finite"),
        (_no_dyad_id, r"row 9: the dyad id \(couple\) is missing"),
        (lambda t: t.drop(columns="y"), r"missing column 'y'; the data have"),
    ],
)
def test_bad_data_is_refused_naming_the_dyad_and_the_row(change, message):
    with pytest.raises(DyadicDataError, match=message) as err:
        read_dyadic(_broken(change), **ROLES, distinguish="female")
    assert isinstance(err.value, (ValueError, dm.errors.DyadmodelError))


def test_covariate_not_constant_for_a_person_is_refused():
    table = long_table()
    table.loc[6, "years"] = 99.0
    with pytest.raises(DyadicDataError, match=r"dyad 1, row 6: covariate years of person 11"):
        read_dyadic(table, **ROLES, covariates=["years"])


def test_arguments_of_the_wrong_kind_are_refused(tmp_path):
    with pytest.raises(InvalidTypeError, match="CSV path or a pandas DataFrame"):
        read_dyadic([1, 2], **ROLES)
    with pytest.raises(InvalidTypeError, match="covariates= must be a list or tuple"):
        read_dyadic(long_table(), **ROLES, covariates="years")
    with pytest.raises(DyadicDataError, match="given for two roles"):
        read_dyadic(long_table(), **{**ROLES, "person": "couple"})
    with pytest.raises(DyadicDataError, match="does not exist"):
        read_dyadic(tmp_path / "nope.csv", **ROLES)
    with pytest.raises(DyadicDataError, match="is empty"):
        (tmp_path / "empty.csv").write_text("")
        read_dyadic(tmp_path / "empty.csv", **ROLES)
    with pytest.raises(DyadicDataError, match="more than max_rows=10"):
        read_dyadic(long_table(), **ROLES, max_rows=10)
    with pytest.raises(InvalidInputError, match="max_rows must be a positive integer"):
        read_dyadic(long_table(), **ROLES, max_rows=0)
    with pytest.raises(NotFoundError, match="no dyad 7"):
        read_dyadic(long_table(), **ROLES)[7]
