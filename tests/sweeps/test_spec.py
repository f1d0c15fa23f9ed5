"""Sweep spec files: the shipped examples, malformed files, and ``dyadmodel sweep``."""

import importlib.util
import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dyadmodel.cli import main
from dyadmodel.sweeps import (
    Grid,
    Sample,
    SweepSpec,
    SweepSpecFileError,
    _sweep,
    load_sweep_spec,
)

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

GRID = """
name = "tiny"

[model]
name = "pursuer-distancer-2d"

[over]
type = "grid"

[over.values]
anxiety_gain_1 = [1.0, 2.0, 3.0]

[measures]
n_stable = {}

[run]
chunk_size = 1
"""

SALTELLI = """
[model]
name = "pursuer-distancer-2d"
preset = "anxious-avoidant"

[over]
type = "saltelli"
n = 4
seed = 1
second_order = false

[over.bounds]
anxiety_gain_1 = [0.5, 4.0]
avoidance_gain_2 = [0.5, 4.0]

[measures]
n_stable = {}

[sensitivity]
outcome = "n_stable"
num_resamples = 50
"""

RANGE = "[over.values]\nanxiety_gain_1 = [1.0, 2.0, 3.0]"


def write(tmp_path, text, name="spec.toml"):
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def grid_with(values: str) -> str:
    return GRID.replace(RANGE, "[over.values]\n" + values)


# -- the examples -------------------------------------------------------------------------------
def test_the_grid_example_loads_as_a_21_by_21_grid():
    spec = load_sweep_spec(EXAMPLES / "sweep_attachment_grid.toml")
    assert isinstance(spec, SweepSpec) and isinstance(spec.over, Grid)
    assert spec.model.name == "pursuer-distancer-2d"
    assert spec.over.names == ("anxiety_gain_1", "avoidance_gain_2")
    assert spec.over.shape == (21, 21)
    for v in spec.over.values.values():
        assert v[0] == 0.5 and v[-1] == 4.0
        np.testing.assert_allclose(np.diff(v), 0.175)
    assert {k: dict(v) for k, v in spec.measures.items()} == {
        "regime": {},
        "n_stable": {},
        "balanced_basin_fraction": {"resolution": 30},
    }
    assert spec.sensitivity is None and spec.chunk_size is None
    assert Path(spec.output) == (EXAMPLES / "sweep_attachment_grid.zarr").resolve()
    assert spec.params == spec.model.preset("anxious-avoidant")


def test_the_sobol_example_loads_as_a_saltelli_sample_with_sensitivity():
    spec = load_sweep_spec(EXAMPLES / "sweep_sobol_basin.toml")
    assert isinstance(spec.over, Sample)
    assert spec.over.method == "saltelli" and spec.over.n == 64
    assert spec.over.second_order is False
    d = len(spec.over.names)
    assert d == 4 and spec.over.size == 64 * (d + 2)
    for name, (lo, hi) in spec.over.bounds.items():
        plo, phi = spec.model.parameter(name).bounds
        assert plo <= lo < hi <= phi
    assert {k: dict(v) for k, v in spec.measures.items()} == {
        "balanced_basin_fraction": {"resolution": 24}
    }
    s = spec.sensitivity
    assert (s.outcome, s.num_resamples, s.conf_level, s.seed) == (
        "balanced_basin_fraction",
        1000,
        0.95,
        0,
    )


def test_every_example_starts_with_comments_and_its_command():
    for name in ("sweep_attachment_grid.toml", "sweep_sobol_basin.toml"):
        text = (EXAMPLES / name).read_text()
        assert text.startswith("# ")
        assert f"dyadmodel sweep examples/{name}" in text


# -- loading -------------------------------------------------------------------------------------
def test_defaults_ranges_and_inputs(tmp_path):
    text = grid_with(
        "anxiety_gain_1 = { start = 0.5, stop = 4.0, num = 8 }\n"
        'threshold_1 = { start = 0.25, stop = 4.0, num = 5, scale = "log" }\n'
        "stress = [0.0, 0.1]\n"
        "avoidance_gain_2 = { start = 3.0, stop = 1.0, num = 3 }\n"
        "recovery_rate_1 = { start = 2.0, stop = 2.0, num = 1 }"
    ).replace('name = "tiny"\n', "")
    text += "\n[inputs]\nstress = 0.2\n[parameters]\nthreshold_2 = 1.5\n"
    spec = load_sweep_spec(write(tmp_path, text, "my spec.toml"))
    assert spec.name == "my spec" and spec.default_store == "my_spec.zarr"
    v = spec.over.values
    assert v["anxiety_gain_1"].tolist() == np.linspace(0.5, 4.0, 8).tolist()
    np.testing.assert_allclose(v["threshold_1"], [0.25, 0.5, 1.0, 2.0, 4.0], rtol=1e-15)
    assert v["threshold_1"][0] == 0.25 and v["threshold_1"][-1] == 4.0
    assert v["avoidance_gain_2"].tolist() == [3.0, 2.0, 1.0]  # descending is fine
    assert v["recovery_rate_1"].tolist() == [2.0]
    assert dict(spec.inputs) == {"stress": 0.2} and spec.params["threshold_2"] == 1.5
    assert spec.chunk_size == 1 and spec.output is None


def test_output_path_is_relative_to_the_spec_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    sub = tmp_path / "specs"
    spec = load_sweep_spec(write(sub, GRID + '\n[output]\npath = "out/tiny.zarr"\n'))
    assert Path(spec.output) == (sub / "out" / "tiny.zarr").resolve()
    assert spec.default_store == spec.output
    absolute = tmp_path / "elsewhere.zarr"
    spec = load_sweep_spec(write(sub, GRID + f'\n[output]\npath = "{absolute.as_posix()}"\n'))
    assert Path(spec.output) == absolute.resolve()


def test_run_sweeps_in_memory_without_a_store(tmp_path):
    spec = load_sweep_spec(write(tmp_path, GRID))
    ds = spec.run(n_workers=1, progress=False)
    assert ds.n_stable.values.tolist() == [1, 2, 2]
    assert ds.attrs["n_chunks"] == spec.n_chunks == 3


BAD = [
    # (description, text, fragments the single error message must contain)
    ("TOML syntax", GRID.replace("3.0]", "3.0"), ["not valid TOML"]),
    (
        "unknown top-level key",
        GRID + '\n[ouptut]\npath = "x.zarr"\n',
        ["unknown key 'ouptut'", "did you mean 'output'?"],
    ),
    (
        "unknown key in [over]",
        GRID.replace('type = "grid"', 'type = "grid"\nn = 4'),
        ["unknown key 'over.n'", "allowed keys in over: type, values"],
    ),
    (
        "unknown over type",
        GRID.replace('type = "grid"', 'type = "gird"'),
        ["over.type = 'gird'", "did you mean 'grid'?"],
    ),
    (
        "wrong type",
        GRID.replace("chunk_size = 1", 'chunk_size = "big"'),
        ["run.chunk_size = 'big'", "expected an integer >= 1"],
    ),
    (
        "NaN literal",
        grid_with("anxiety_gain_1 = [1.0, nan]"),
        ["over.values.anxiety_gain_1 = [1.0, nan]", "finite"],
    ),
    (
        "negative num",
        grid_with("anxiety_gain_1 = { start = 1.0, stop = 3.0, num = -3 }"),
        ["over.values.anxiety_gain_1.num = -3", "an integer >= 1"],
    ),
    (
        "empty range",
        grid_with("anxiety_gain_1 = { start = 2.0, stop = 2.0, num = 3 }"),
        ["over.values.anxiety_gain_1:", "2.0", "num = 3", "impossible range"],
    ),
    (
        "log scale from zero",
        grid_with('anxiety_gain_1 = { start = 0.0, stop = 4.0, num = 3, scale = "log" }'),
        ["over.values.anxiety_gain_1.start = 0.0", "positive"],
    ),
    (
        "unknown scale",
        grid_with('anxiety_gain_1 = { start = 1.0, stop = 4.0, num = 3, scale = "ln" }'),
        ["over.values.anxiety_gain_1.scale = 'ln'", "'linear' or 'log'"],
    ),
    (
        "unknown model",
        GRID.replace('name = "pursuer-distancer-2d"', 'name = "pursuer-distancr-2d"'),
        ["model.name = 'pursuer-distancr-2d'", "a registered model"],
    ),
    (
        "unknown swept parameter",
        grid_with("anxiety_gain1 = [1.0, 2.0]"),
        ["unknown key 'over.values.anxiety_gain1'", "did you mean 'anxiety_gain_1'?"],
    ),
    (
        "grid value out of bounds",
        grid_with("avoidance_gain_2 = [1.0, 25.0]"),
        ["over.values.avoidance_gain_2:", "25", "upper bound 20"],
    ),
    (
        "repeated grid values",
        grid_with("avoidance_gain_2 = [1.0, 1.0]"),
        ["over.values.avoidance_gain_2:", "[1.0, 1.0]", "repeat"],
    ),
    (
        "sample bounds low >= high",
        SALTELLI.replace("anxiety_gain_1 = [0.5, 4.0]", "anxiety_gain_1 = [4.0, 0.5]"),
        ["over.bounds.anxiety_gain_1 = [4.0, 0.5]", "low < high"],
    ),
    (
        "sample bounds outside the parameter's",
        SALTELLI.replace("anxiety_gain_1 = [0.5, 4.0]", "threshold_1 = [0.0, 2.0]"),
        ["over.bounds.threshold_1:", "= 0", "strict lower bound"],
    ),
    (
        "sobol n not a power of two",
        SALTELLI.replace("n = 4", "n = 100"),
        ["over.n:", "100", "power of two", "n = 64 or 128"],
    ),
    (
        "second_order on a sobol sample",
        SALTELLI.replace('"saltelli"', '"sobol"').split("[sensitivity]")[0],
        ["unknown key 'over.second_order'", "for type = 'saltelli' only"],
    ),
    (
        "unknown measure",
        GRID.replace("n_stable = {}", "regmie = {}"),
        ["measures.regmie:", "unknown measure 'regmie'", "did you mean 'regime'?"],
    ),
    (
        "unknown measure option",
        GRID.replace("n_stable = {}", "balanced_basin_fraction = { resolutoin = 10 }"),
        [
            "measures.balanced_basin_fraction.resolutoin:",
            "'resolutoin'",
            "did you mean 'resolution'?",
        ],
    ),
    (
        "bad measure option value",
        GRID.replace("n_stable = {}", "balanced_basin_fraction = { resolution = 1 }"),
        ["measures.balanced_basin_fraction.resolution:", "resolution = 1", ">= 2"],
    ),
    (
        "measure options not a table",
        GRID.replace("n_stable = {}", "n_stable = true"),
        ["measures.n_stable = true", "a table of options"],
    ),
    (
        "no measures",
        GRID.replace("n_stable = {}", ""),
        ["measures: empty", "regime = {}"],
    ),
    (
        "[sensitivity] with a grid",
        GRID + '\n[sensitivity]\noutcome = "n_stable"\n',
        ["sensitivity:", "over.type = 'grid'", "Saltelli"],
    ),
    (
        "[sensitivity] outcome not produced",
        SALTELLI.replace('outcome = "n_stable"', 'outcome = "tipping_probability"'),
        ["sensitivity.outcome = 'tipping_probability'", "n_stable, n_equilibria"],
    ),
    (
        "[sensitivity] outcome categorical",
        SALTELLI.replace("n_stable = {}", "n_stable = {}\nregime = {}").replace(
            'outcome = "n_stable"', 'outcome = "regime"'
        ),
        ["sensitivity.outcome = 'regime'", "categorical"],
    ),
    (
        "[sensitivity] conf_level",
        SALTELLI + "conf_level = 1.5\n",
        ["sensitivity.conf_level = 1.5", "between 0 and 1"],
    ),
    (
        "unknown parameter in [parameters]",
        GRID + "\n[parameters]\nanxiety_gain_3 = 2.0\n",
        ["unknown key 'parameters.anxiety_gain_3'", "did you mean 'anxiety_gain_1'?"],
    ),
    (
        "base parameter out of bounds",
        GRID + "\n[parameters]\nthreshold_1 = -1.0\n",
        ["parameters.threshold_1:", "-1"],
    ),
    (
        "unknown input",
        GRID + "\n[inputs]\nstres = 0.1\n",
        ["unknown key 'inputs.stres'", "did you mean 'stress'?"],
    ),
    (
        "missing [over]",
        GRID.replace('[over]\ntype = "grid"\n\n' + RANGE, ""),
        ["over: missing"],
    ),
]


@pytest.mark.parametrize("what, text, fragments", BAD, ids=[b[0] for b in BAD])
def test_a_malformed_file_gives_one_error_naming_file_key_and_value(
    tmp_path, what, text, fragments
):
    path = write(tmp_path, text, "bad_spec.toml")
    with pytest.raises(SweepSpecFileError) as info:
        load_sweep_spec(path)
    msg = str(info.value)
    assert msg.startswith(f"{path}: "), msg
    for fragment in fragments:
        assert fragment in msg, f"{fragment!r} not in {msg!r}"
    assert isinstance(info.value, ValueError)


def test_there_are_at_least_fifteen_malformed_cases():
    assert len(BAD) >= 15


def test_an_unreadable_file(tmp_path):
    with pytest.raises(SweepSpecFileError, match="cannot read the sweep spec file"):
        load_sweep_spec(tmp_path / "missing.toml")


# -- the command ------------------------------------------------------------------------------
def run_cli(capsys, *argv):
    code = main(["sweep", *map(str, argv)])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_cli_runs_reports_and_resumes(tmp_path, capsys):
    spec = write(tmp_path, GRID)
    store = tmp_path / "tiny.zarr"
    code, out, err = run_cli(capsys, spec, "--out", store, "--workers", "1", "--no-progress")
    assert code == 0, err
    assert store.is_dir() and (store / ".dyadmodel" / "spec.json").is_file()
    assert f"store: {store} (new: 3 chunks computed)" in out
    assert "dimensions: anxiety_gain_1 = 3" in out
    assert "n_stable" in out and "1: 1, 2: 2" in out

    code, out, err = run_cli(capsys, spec, "--out", store, "--workers", "1", "--no-progress")
    assert code == 0, err
    assert f"store: {store} (resumed: 3 of 3 chunks already done)" in out

    changed = write(tmp_path, GRID.replace("3.0]", "4.0]"))
    code, out, err = run_cli(capsys, changed, "--out", store, "--workers", "1", "--no-progress")
    assert code == 2
    assert err.startswith("dyadmodel sweep: ") and err.count("\n") == 1
    assert "holds a different sweep" in err

    code, out, err = run_cli(capsys, changed, "--out", store, "--workers", "1", "--overwrite")
    assert code == 0, err
    assert "replaced the previous store" in out


def test_cli_default_store_is_named_after_the_spec_in_the_current_directory(
    tmp_path, capsys, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    spec = write(tmp_path / "specs", GRID.replace("chunk_size = 1", "chunk_size = 3"))
    code, out, err = run_cli(capsys, spec, "--workers", "1", "--no-progress")
    assert code == 0, err
    assert (tmp_path / "tiny.zarr").is_dir() and "store: tiny.zarr (new: 1 chunks" in out


def test_cli_interrupted_keeps_the_finished_chunks(tmp_path, capsys, monkeypatch):
    spec = write(tmp_path, GRID)
    store = tmp_path / "tiny.zarr"
    real = _sweep.run_chunk
    calls = []

    def interrupt_second(task):
        calls.append(task.index)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(task)

    monkeypatch.setattr(_sweep, "run_chunk", interrupt_second)
    code, out, err = run_cli(capsys, spec, "--out", store, "--workers", "1", "--no-progress")
    assert code == 130
    assert (
        f"interrupted: 1 of 3 chunks saved in {store}; run the same command again to resume" in err
    )
    monkeypatch.setattr(_sweep, "run_chunk", real)
    code, out, err = run_cli(capsys, spec, "--out", store, "--workers", "1", "--no-progress")
    assert code == 0, err
    assert "(resumed: 1 of 3 chunks already done)" in out


@pytest.mark.parametrize(
    "args, fragment",
    [
        (["--workers", "0"], "--workers"),
        (["--workers", "two"], "'two': expected a positive integer"),
        (["--backend", "slurm"], "invalid choice: 'slurm'"),
        (["--backend", "local", "--scheduler", "tcp://h:8786"], "--scheduler is for"),
        (["--frobnicate"], "unrecognized arguments: --frobnicate"),
    ],
)
def test_cli_bad_arguments_give_one_line_and_status_2(tmp_path, capsys, args, fragment):
    spec = write(tmp_path, GRID)
    code, out, err = run_cli(capsys, spec, *args)
    assert code == 2 and out == ""
    assert err.startswith("dyadmodel sweep: ") and err.count("\n") == 1
    assert fragment in err


def test_cli_reports_a_malformed_file_in_one_line(tmp_path, capsys):
    spec = write(tmp_path, GRID.replace("n_stable = {}", "regmie = {}"))
    code, out, err = run_cli(capsys, spec)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and f"dyadmodel sweep: {spec}: measures.regmie" in err


def test_cli_missing_spec_argument(capsys):
    code, _out, err = run_cli(capsys)
    assert code == 2 and "the following arguments are required: spec" in err


@pytest.mark.skipif(
    importlib.util.find_spec("dyadmodel.sweeps._sensitivity") is None,
    reason="dyadmodel.sweeps._sensitivity is not there yet",
)
def test_cli_prints_and_writes_sobol_indices(tmp_path, capsys):
    spec = write(tmp_path, SALTELLI)
    store = tmp_path / "s.zarr"
    code, out, err = run_cli(capsys, spec, "--out", store, "--workers", "1", "--no-progress")
    assert code == 0, err
    assert "Sobol' indices of n_stable" in out
    csv = tmp_path / "s-sobol.csv"
    assert csv.is_file() and f"wrote {csv}" in out
    lines = csv.read_text().splitlines()
    assert lines[0].startswith("parameter,S1") and len(lines) == 3


# -- budgets ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("values", "key", "points"),
    [
        (
            "anxiety_gain_1 = { start = 1.0, stop = 3.0, num = 1000000000 }\n"
            "avoidance_gain_2 = { start = 1.0, stop = 3.0, num = 1000000000 }",
            "over.values.anxiety_gain_1.num",  # the first axis alone is too many
            "1,000,000,000 points",
        ),
        (
            "anxiety_gain_1 = { start = 1.0, stop = 3.0, num = 1001 }\n"
            "avoidance_gain_2 = { start = 1.0, stop = 3.0, num = 1000 }",
            "over.values.avoidance_gain_2.num",
            "1,001,000 points",
        ),
    ],
)
def test_a_grid_beyond_max_points_is_refused_before_its_values_exist(tmp_path, values, key, points):
    with pytest.raises(SweepSpecFileError) as err:
        load_sweep_spec(write(tmp_path, grid_with(values)))
    assert f"{key}: the sweep would have {points}" in str(err.value)
    assert "max_points = 1,000,000" in str(err.value)


def test_max_points_from_the_file_or_the_command_line(tmp_path, capsys):
    big = "anxiety_gain_1 = { start = 1.0, stop = 3.0, num = 30 }"
    path = write(tmp_path, grid_with(big).replace("chunk_size = 1", "max_points = 20"))
    with pytest.raises(SweepSpecFileError, match="30 points, more than max_points = 20"):
        load_sweep_spec(path)
    assert load_sweep_spec(path, max_points=30).max_points == 30
    saltelli = write(tmp_path, SALTELLI.replace("n = 4", "n = 134217728"), "s.toml")
    with pytest.raises(SweepSpecFileError, match=r"over.n: the sweep would have 536,870,912"):
        load_sweep_spec(saltelli)
    assert main(["sweep", str(path), "--max-points", "20", "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--max-points N" in err


# -- fuzz: the reader raises SweepSpecFileError or succeeds, whatever the file holds ---------------
FUZZ = {"inputs": 0, "accepted": 0, "refused": 0}


@pytest.fixture(scope="module", autouse=True)
def _fuzz_counts():
    yield
    if FUZZ["inputs"]:
        print(f"\nsweep spec fuzz: {FUZZ}")


def read_or_refuse(tmp_path, text: str | bytes) -> None:
    """Only a SweepSpec or a one-line SweepSpecFileError may come out."""
    path = tmp_path / "fuzz.toml"
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass"))
    FUZZ["inputs"] += 1
    try:
        spec = load_sweep_spec(path)
    except SweepSpecFileError as err:
        FUZZ["refused"] += 1
        assert str(err).startswith(str(path))
        return
    FUZZ["accepted"] += 1
    assert isinstance(spec, SweepSpec) and spec.over.size <= spec.max_points


KEYS = [
    "name", "description", "model", "preset", "parameters", "inputs", "stress", "over",
    "type", "values", "bounds", "n", "seed", "second_order", "start", "stop", "num", "scale",
    "measures", "regime", "n_stable", "balanced_basin_fraction", "resolution", "run",
    "chunk_size", "max_points", "output", "path", "sensitivity", "outcome", "anxiety_gain_1",
    "avoidance_gain_2", "threshold_1", "grid", "saltelli", "sobol", "log",
]  # fmt: skip


def toml_value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return (
            "nan" if v != v else ("inf" if v > 0 else "-inf") if abs(v) == float("inf") else repr(v)
        )
    if isinstance(v, str):
        return json.dumps(v)
    if isinstance(v, list):
        return "[" + ", ".join(toml_value(x) for x in v) + "]"
    return "{" + ", ".join(f"{json.dumps(k)} = {toml_value(x)}" for k, x in v.items()) + "}"


scalars = (
    st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.integers(min_value=-3, max_value=40)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.sampled_from(KEYS)
    | st.text(max_size=8)
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(KEYS), inner, max_size=4)
    ),
    max_leaves=20,
)


@given(st.dictionaries(st.sampled_from(KEYS), values, max_size=8))
def test_fuzz_random_structures(tmp_path_factory, data):
    text = "\n".join(f"{json.dumps(k)} = {toml_value(v)}" for k, v in data.items())
    read_or_refuse(tmp_path_factory.mktemp("f"), text)


@given(st.sampled_from([GRID, SALTELLI]), st.data())
def test_fuzz_garbled_valid_specs(tmp_path_factory, base, data):
    text = base
    for _ in range(data.draw(st.integers(1, 4))):
        i = data.draw(st.integers(0, len(text)))
        j = data.draw(st.integers(i, min(len(text), i + 12)))
        text = (
            text[:i]
            + data.draw(st.text(max_size=6) | st.sampled_from([*KEYS, "[", "{", "]"]))
            + text[j:]
        )
    read_or_refuse(tmp_path_factory.mktemp("f"), text)


@given(st.binary(max_size=200) | st.text(max_size=200))
def test_fuzz_random_bytes_and_text(tmp_path_factory, blob):
    read_or_refuse(tmp_path_factory.mktemp("f"), blob)


@pytest.mark.parametrize(
    "text",
    [
        "x = " + "[" * 20000 + "]" * 20000,
        "x = " + "{a = " * 20000 + "1" + "}" * 20000,
        GRID.replace("[run]", "[run.a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r]"),
        GRID.replace("chunk_size = 1", "chunk_size = " + "9" * 5000),
        grid_with("anxiety_gain_1 = [" + "1" * 400 + "]"),
        grid_with("anxiety_gain_1 = { start = 1.0, stop = 2.0, num = " + "9" * 30 + " }"),
        SALTELLI.replace("seed = 1", "seed = 18446744073709551616"),
    ],
    ids=["deep-arrays", "deep-tables", "deep-headers", "int-5000-digits", "int-400-digits",
         "num-30-digits", "seed-2**64"],
)  # fmt: skip
def test_deep_nesting_and_huge_integers_are_one_spec_error(tmp_path, text):
    with pytest.raises(SweepSpecFileError) as err:
        load_sweep_spec(write(tmp_path, text))
    assert "\n" not in str(err.value) and len(str(err.value)) < 400


# -- a model file instead of a registered name --------------------------------------------------
DECAY_MODEL = """
[model]
name = "decay"
[parameters.k]
default = 0.5
bounds = [0.0, 10.0]
[equations]
x = "-k*x"
[presets.slow]
description = "slow decay"
values = { k = 0.25 }
"""

DECAY_SWEEP = """
{model}
[over]
type = "grid"
[over.values]
k = [0.5, 1.0, 2.0]
[measures]
final_state = {{ x0 = [1.0], t_end = 1.0, rtol = 1e-10, atol = 1e-12 }}
"""


@pytest.mark.parametrize(
    "model",
    ['[model]\nname = "models/decay.toml"\npreset = "slow"', 'model = "models/decay.toml"'],
)
def test_a_model_file_next_to_the_sweep_spec(tmp_path, monkeypatch, capsys, model):
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "decay.toml").write_text(DECAY_MODEL)
    path = write(tmp_path, DECAY_SWEEP.format(model=model))
    monkeypatch.chdir(write(tmp_path / "elsewhere", "").parent)  # not the spec's folder
    spec = load_sweep_spec(path)
    assert spec.model.name == "decay"
    ds = spec.run(n_workers=1, progress=False)
    # x' = -k x: x(1) = exp(-k)
    assert np.allclose(ds.final_state.values[:, 0], np.exp(-np.array([0.5, 1.0, 2.0])), rtol=1e-7)
    assert main(["sweep", str(path), "--out", "s.zarr", "--no-progress"]) == 0
    out = capsys.readouterr().out
    assert ": decay, Grid(k: 3 values" in out and "store: s.zarr (new:" in out


@pytest.mark.parametrize(
    ("name", "fragments"),
    [
        ("missing.toml", ["model.name = 'missing.toml'", "does not exist"]),
        ("broken.toml", ["model.name", "broken.toml: equations.x"]),
    ],
)
def test_a_bad_model_file_is_one_spec_error_naming_both_files(tmp_path, capsys, name, fragments):
    (tmp_path / "broken.toml").write_text(DECAY_MODEL.replace('"-k*x"', '"-k*"'))
    path = write(tmp_path, DECAY_SWEEP.format(model=f'model = "{name}"'))
    with pytest.raises(SweepSpecFileError) as err:
        load_sweep_spec(path)
    assert str(err.value).startswith(f"{path}: ")
    for fragment in fragments:
        assert fragment in str(err.value)
    assert main(["sweep", str(path)]) == 2
    err_line = capsys.readouterr().err
    assert err_line.count("\n") == 1 and fragments[0] in err_line
