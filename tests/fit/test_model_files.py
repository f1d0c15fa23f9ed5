"""A model file goes wherever a model name goes: dm.fit and `dyadmodel fit --model FILE`."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import dyadmodel as dm
from dyadmodel.cli import main

EXAMPLE = Path(__file__).parents[2] / "examples" / "couples_daily.csv"
LINEAR = """
[model]
name = "user-linear-couple"
title = "two partners relaxing towards each other"

[states.x]
meaning = "partner 1"
[states.y]
meaning = "partner 2"

[parameters.a]
default = 0.5
bounds = [0.0, 5.0]
[parameters.c]
default = 0.2
bounds = [-2.0, 2.0]

[equations]
x = "-a*x + c*y"
y = "-a*y + c*x"
"""


@pytest.fixture
def model_file(tmp_path):
    path = tmp_path / "linear.toml"
    path.write_text(LINEAR)
    return path


def test_fit_takes_a_model_file_like_the_model_it_holds(model_file):
    data = dm.data.read_dyadic(
        EXAMPLE,
        dyad="couple",
        person="person",
        time="day",
        value="closeness",
        distinguish="female",
    ).select([1, 2])
    by_file = dm.fit(str(model_file), data, method="ml", free=["a", "c"], n_starts=1)
    by_model = dm.fit(dm.models.load(model_file), data, method="ml", free=["a", "c"], n_starts=1)
    a, b = by_file.to_dataframe(), by_model.to_dataframe()
    assert list(a["status"]) == ["ok", "ok"]
    np.testing.assert_allclose(a["a"], b["a"], rtol=1e-10)
    np.testing.assert_allclose(a["c"], b["c"], rtol=1e-10)
    with pytest.raises(dm.NotFoundError, match="method='ml'"):
        dm.fit(str(model_file), data)  # no default method for a user's model


def test_command_line_fit_with_a_model_file(model_file, tmp_path, capsys):
    out = tmp_path / "fits.csv"
    argv = [
        "fit",
        str(EXAMPLE),
        "--dyad",
        "couple",
        "--person",
        "person",
        "--time",
        "day",
        "--value",
        "closeness",
        "--distinguish",
        "female",
        "--model",
        str(model_file),
        "--method",
        "ml",
        "--free",
        "a",
        "--out",
        str(out),
    ]
    assert main(argv) == 0
    rows = out.read_text().splitlines()
    assert rows[0].startswith("dyad,") and len(rows) == 13  # 12 couples
    assert main([*argv[:-2], "--model", str(tmp_path / "missing.toml")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "missing.toml" in err[0]
