"""Scenario files: the shipped example end to end, the CLI, and malformed files."""

import csv
import importlib.util
from pathlib import Path

import numpy as np
import pytest

import dyadmodel as dm
from dyadmodel.scenarios import cli_simulate, run_scenario
from dyadmodel.simulate import Scenario, ScenarioError, load_scenario

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "stress_pulse_tipping.toml"

MINIMAL = """
[model]
name = "pursuer-distancer-2d"

[initial]
equilibrium = "balanced"

[time]
span = [0.0, 20.0]
samples = 21

[[stress]]
type = "pulse"
start = 2.0
duration = 5.0
size = 0.5
"""


def write(tmp_path, text, name="scenario.toml"):
    path = tmp_path / name
    path.write_text(text)
    return path


@pytest.fixture(scope="module")
def example_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("example")
    return run_scenario(EXAMPLE, out), out


def test_the_example_runs_end_to_end(example_run):
    result, out = example_run
    names = sorted(p.name for p in result.files)
    assert "stress_pulse_tipping.csv" in names and "stress_pulse_tipping_events.csv" in names
    with open(out / "stress_pulse_tipping.csv", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["t", "pursuit_1", "distance_2", "stress", "anxiety_gain_1"]
    data = np.array(rows[1:], dtype=float)
    assert data.shape == (2001, 5)
    t = data[:, 0]
    entrenched, balanced = 0.8 + np.sqrt(0.44), 0.8 - np.sqrt(0.44)
    before = data[np.searchsorted(t, 60.0)]
    np.testing.assert_allclose(before[1:3], [entrenched, entrenched], atol=1e-4)  # tipped
    np.testing.assert_allclose(data[-1, 1:3], [balanced, balanced], atol=1e-4)  # and back
    assert data[np.searchsorted(t, 12.0), 3] == 0.5 and data[-1, 3] == 0.0
    assert data[np.searchsorted(t, 90.0), 4] == pytest.approx(1.2)
    assert data[-1, 4] == 2.0  # the intervention has ended; the couple stays balanced
    crossings = result.simulation.event("tipping threshold").t
    assert crossings.size == 2 and 10 < crossings[0] < 15 and 65 < crossings[1] < 80
    assert result.simulation.event("separation").t.size == 0


def test_the_example_writes_netcdf_or_says_why_not_and_a_figure(example_run):
    result, out = example_run
    if importlib.util.find_spec("xarray") is None:
        assert any("netCDF skipped" in n for n in result.notes)
    else:
        assert (out / "stress_pulse_tipping.nc").exists()
    assert (out / "stress_pulse_tipping.html").exists()


def test_cli_prints_what_it_wrote(tmp_path, capsys):
    path = write(tmp_path, MINIMAL + "\n[output]\nfigure = false\nnetcdf = false\n")
    assert cli_simulate([str(path), "--outdir", str(tmp_path / "out")]) == 0
    out = capsys.readouterr().out
    assert f"wrote {tmp_path / 'out' / 'scenario.csv'}" in out
    assert "scenario: t = 20" in out


def test_cli_reports_a_malformed_file_in_one_line(tmp_path, capsys):
    path = write(tmp_path, MINIMAL.replace("duration = 5.0", "duration = -5.0"))
    assert cli_simulate([str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "stress[0].duration = -5.0" in err


def test_attachment_scores_and_explicit_states(tmp_path):
    text = MINIMAL.replace(
        '[initial]\nequilibrium = "balanced"',
        "[initial]\nstate = { pursuit_1 = 0.2, distance_2 = 0.3 }\n\n"
        "[attachment]\nanxiety_1 = 6.0\navoidance_1 = 2.0\nanxiety_2 = 2.0\navoidance_2 = 6.0\n\n"
        "[parameters]\nthreshold_1 = 1.1",
    )
    sc = load_scenario(write(tmp_path, text))
    assert isinstance(sc, Scenario)
    m = dm.models.get("pursuer-distancer-2d")
    from dyadmodel.attachment import couple_params

    expected = couple_params(m, 6.0, 2.0, 2.0, 6.0, threshold_1=1.1)
    assert sc.params == expected
    assert sc.x0.tolist() == [0.2, 0.3]
    run = sc.simulate()
    assert run.t.size == 21 and run.success


BAD = [
    # (description, text, fragments the single error message must contain)
    (
        "TOML syntax",
        MINIMAL.replace("span = [0.0, 20.0]", "span = [0.0, 20.0"),
        ["not valid TOML", "Unclosed array (at line 10"],
    ),
    (
        "unknown key",
        MINIMAL.replace("size = 0.5", "size = 0.5\nduraton = 2"),
        ["unknown key 'stress[0].duraton'", "did you mean 'duration'"],
    ),
    (
        "unknown top-level table",
        MINIMAL + "\n[solvr]\nmethod = 'RK45'\n",
        ["unknown key 'solvr'", "did you mean 'solver'"],
    ),
    (
        "wrong type",
        MINIMAL.replace("span = [0.0, 20.0]", 'span = "0..20"'),
        ["time.span = '0..20'", "expected a list [t0, t1]"],
    ),
    (
        "negative duration",
        MINIMAL.replace("duration = 5.0", "duration = -5.0"),
        ["stress[0].duration = -5.0", "expected a positive number"],
    ),
    (
        "unknown model",
        MINIMAL.replace("pursuer-distancer-2d", "pursuer-distancer-3d"),
        ["model.name = 'pursuer-distancer-3d'", "did you mean"],
    ),
    (
        "NaN parameter",
        MINIMAL + "\n[parameters]\nanxiety_gain_1 = nan\n",
        ["parameters.anxiety_gain_1", "nan", "not finite"],
    ),
    (
        "unknown parameter",
        MINIMAL + "\n[parameters]\nanxiety_gain1 = 2.0\n",
        ["unknown key 'parameters.anxiety_gain1'", "did you mean 'anxiety_gain_1'"],
    ),
    (
        "parameter out of bounds",
        MINIMAL + "\n[parameters]\nthreshold_1 = 0\n",
        ["parameters.threshold_1", "strict lower bound 0"],
    ),
    ("missing key", MINIMAL.replace("size = 0.5\n", ""), ["stress[0].size: missing"]),
    (
        "unknown stress type",
        MINIMAL.replace('type = "pulse"', 'type = "pulses"'),
        ["stress[0].type = 'pulses'", "did you mean 'pulse'"],
    ),
    (
        "periodic longer than period",
        MINIMAL.replace('type = "pulse"\nstart = 2.0', 'type = "periodic"\nperiod = 3.0'),
        ["stress[0].duration = 5.0", "no longer than the period"],
    ),
    (
        "intervention out of bounds",
        MINIMAL + '\n[[interventions]]\ntype = "self_soothing"\nto = -1.0\nstart = 5.0\n',
        ["interventions[0]", "'anxiety_gain_1'", "-1"],
    ),
    (
        "intervention on a parameter the model lacks",
        MINIMAL + '\n[[interventions]]\ntype = "scheduled_checkins"\nperiod = 7.0\n'
        "duration = 1.0\nsize = 0.5\n",
        ["interventions[0]", "approach_baseline_2"],
    ),
    (
        "unknown equilibrium",
        MINIMAL.replace('equilibrium = "balanced"', 'equilibrium = "calm"'),
        ["initial.equilibrium = 'calm'", "'balanced'", "'entrenched'"],
    ),
    (
        "bad attachment score",
        MINIMAL
        + "\n[attachment]\nanxiety_1 = 8\navoidance_1 = 2\nanxiety_2 = 2\navoidance_2 = 6\n",
        ["attachment", "anxiety_1 = 8"],
    ),
    (
        "unknown event state",
        MINIMAL + '\n[[events]]\ntype = "separation"\nthreshold = 2.0\nstates = ["avoidance_2"]\n',
        ["events[0].states", "distance_2"],
    ),
    (
        "output path with directories",
        MINIMAL + '\n[output]\ncsv = "../x.csv"\n',
        ["output.csv = '../x.csv'", "plain file name"],
    ),
    (
        "bool where a number is needed",
        MINIMAL.replace("size = 0.5", "size = true"),
        ["stress[0].size = true", "expected a number"],
    ),
    (
        "missing time",
        MINIMAL.replace("[time]\nspan = [0.0, 20.0]\nsamples = 21\n", ""),
        ["time: missing"],
    ),
]


@pytest.mark.parametrize(("text", "fragments"), [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_malformed_files_give_one_clear_error(tmp_path, text, fragments):
    path = write(tmp_path, text, "bad.toml")
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    message = str(info.value)
    assert message.startswith(f"{path}: ")
    assert "\n" not in message
    for fragment in fragments:
        assert fragment in message, (fragment, message)


def test_an_unreadable_file(tmp_path):
    with pytest.raises(ScenarioError, match="cannot read"):
        load_scenario(tmp_path / "missing.toml")


def test_nothing_is_evaluated(tmp_path):
    text = MINIMAL.replace("size = 0.5", "size = \"__import__('os').system('false')\"")
    with pytest.raises(ScenarioError, match="expected a number"):
        load_scenario(write(tmp_path, text))


# -- fuzz: whatever the file holds, load_scenario raises ScenarioError or succeeds -------
FUZZ_BASE = {
    "model": {"name": "pursuer-distancer-2d"},
    "initial": {"state": {"pursuit_1": 0.1, "distance_2": 0.1}},
    "time": {"span": [0.0, 5.0], "samples": 11},
    "stress": [{"type": "pulse", "start": 1.0, "duration": 1.0, "size": 0.5}],
    "interventions": [{"type": "self_soothing", "partner": 1, "to": 1.2, "start": 2.0}],
    "events": [{"type": "separation", "threshold": 3.0}],
    "solver": {"method": "RK45", "rtol": 1e-6, "atol": 1e-9},
    "output": {"csv": "out.csv", "netcdf": False, "figure": False},
}
FUZZ_KEYS = sorted(
    {"name", "type", "size", "start", "span", "samples", "rtol", "atol", "method", "state"}
    | {"to", "partner", "threshold", "duration", "period", "times", "values", "x", "[", ""}
)


def toml_value(v) -> str:
    """A TOML literal for a value built by the strategies below (test helper)."""
    import json
    import math

    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return (
            "nan" if math.isnan(v) else ("inf" if v > 0 else "-inf") if math.isinf(v) else repr(v)
        )
    if isinstance(v, str):
        return json.dumps(v)
    if isinstance(v, list):
        return "[" + ", ".join(toml_value(x) for x in v) + "]"
    return "{" + ", ".join(f"{json.dumps(k)} = {toml_value(x)}" for k, x in v.items()) + "}"


def toml_text(data: dict) -> str:
    import json

    return "\n".join(f"{json.dumps(k)} = {toml_value(v)}" for k, v in data.items()) + "\n"


def _fuzz_strategies():
    from hypothesis import strategies as st

    scalars = st.one_of(
        st.booleans(),
        st.integers(min_value=-(10**30), max_value=10**30),
        st.sampled_from([0, 1, 2, -1, 10**400, -(10**400), 2**63, 10**6]),
        st.floats(allow_nan=True, allow_infinity=True),
        st.sampled_from([1e300, -1e300, 5e-324, 0.5, 1e308, -0.5]),
        st.text(max_size=12),
        st.sampled_from(["pulse", "step", "periodic", "auto", "LSODA", "balanced", "RK45"]),
    )
    values = st.recursive(
        scalars,
        lambda inner: st.one_of(
            st.lists(inner, max_size=4),
            st.dictionaries(st.sampled_from(FUZZ_KEYS), inner, max_size=4),
        ),
        max_leaves=12,
    )
    return st, values


def _mutate(data, path, value):
    import copy

    out = copy.deepcopy(data)
    node = out
    for key in path[:-1]:
        node = node[key] if not isinstance(node, list) else node[key % len(node)]
    last = path[-1]
    if isinstance(node, list):
        node[last % len(node)] = value
    else:
        node[last] = value
    return out


FUZZ_PATHS = [
    ("model", "name"),
    ("initial", "state", "pursuit_1"),
    ("initial", "state"),
    ("time", "span"),
    ("time", "samples"),
    ("stress", 0, "size"),
    ("stress", 0, "type"),
    ("stress", 0, "duration"),
    ("stress", 0),
    ("interventions", 0, "to"),
    ("interventions", 0, "partner"),
    ("events", 0, "threshold"),
    ("solver", "rtol"),
    ("solver", "atol"),
    ("solver", "method"),
    ("output", "csv"),
    ("parameters",),
    ("attachment",),
    ("name",),
    ("stress",),
]
FUZZ_COUNTS = {"tried": 0, "clean": 0}


def _load_or_scenario_error(tmp_path, text):
    FUZZ_COUNTS["tried"] += 1
    path = tmp_path / "fuzz.toml"
    path.write_text(text)
    try:
        load_scenario(path)
    except ScenarioError as err:
        assert str(err).startswith(str(path)) and "\n" not in str(err).strip()
    FUZZ_COUNTS["clean"] += 1


def test_fuzz_structures_only_ever_raise_scenario_error(tmp_path):
    from hypothesis import given, settings

    st, values = _fuzz_strategies()

    @settings(max_examples=120, deadline=None)
    @given(path=st.sampled_from(FUZZ_PATHS), value=values)
    def check(path, value):
        _load_or_scenario_error(tmp_path, toml_text(_mutate(FUZZ_BASE, path, value)))

    check()


def test_fuzz_garbled_text_only_ever_raises_scenario_error(tmp_path):
    from hypothesis import given, settings

    st, _ = _fuzz_strategies()
    base = toml_text(FUZZ_BASE)

    @settings(max_examples=120, deadline=None)
    @given(
        cut=st.integers(0, len(base)),
        length=st.integers(0, 20),
        insert=st.text(alphabet='[]{}=",.\n#0123456789aeflnrstu -+_', max_size=20),
    )
    def check(cut, length, insert):
        _load_or_scenario_error(tmp_path, base[:cut] + insert + base[cut + length :])

    check()


@pytest.mark.parametrize(
    "text",
    [
        "a = " + "[" * 100_000 + "]" * 100_000,  # RecursionError in tomllib
        "name = " + "[" * 600 + "]" * 600,  # parses; too deep to repr in messages
        "[time]\nspan = [0, 1]\nsamples = " + "9" * 400,  # an int beyond the float range
        "[model]\nname = 'pursuer-distancer-2d'\n[parameters]\nthreshold_1 = " + "9" * 400,
        "[model]\nname = 'pursuer-distancer-2d'\n[time]\nspan = [0, " + "9" * 400 + "]",
        "[[stress]]\ntype = 'pulse'\nstart = 1\nduration = " + "9" * 400 + "\nsize = 1",
        "[[stress]]\ntype = ['pulse']\n",  # unhashable type
    ],
    ids=[
        "deep-arrays",
        "deep-value",
        "huge-samples",
        "huge-param",
        "huge-span",
        "huge-field",
        "list-type",
    ],
)
def test_pathological_files_raise_one_scenario_error(tmp_path, text):
    with pytest.raises(ScenarioError):
        load_scenario(write(tmp_path, text))


@pytest.mark.parametrize(
    ("solver", "key"),
    [
        ("rtol = 0.5", "solver.rtol"),
        ("rtol = 1e308", "solver.rtol"),
        ("atol = 10.0", "solver.atol"),
    ],
)
def test_tolerances_outside_the_sane_range_are_refused_at_load(tmp_path, solver, key):
    with pytest.raises(ScenarioError, match=key.replace(".", r"\.") + r".*expected"):
        load_scenario(write(tmp_path, MINIMAL + f"\n[solver]\n{solver}\n"))


def test_negative_stress_is_refused_at_load(tmp_path):
    text = MINIMAL.replace("size = 0.5", "size = -0.5")
    with pytest.raises(ScenarioError, match=r"stress: .*below its lower bound 0"):
        load_scenario(write(tmp_path, text))


def test_too_many_samples_are_refused(tmp_path):
    text = MINIMAL.replace("samples = 21", "samples = 100000000")
    with pytest.raises(ScenarioError, match=r"time\.samples.*1,000,000"):
        load_scenario(write(tmp_path, text))


# -- a model file instead of a registered name --------------------------------------------------
DECAY_MODEL = """
[model]
name = "decay"
[parameters.k]
default = 0.5
bounds = [0.0, 10.0]
[equations]
x = "-k*x"
[presets.fast]
description = "fast decay"
values = { k = 2.0 }
"""

DECAY_SCENARIO = """
{model}
[initial]
state = {{ x = 1.0 }}
[time]
span = [0.0, 2.0]
samples = 5
[solver]
rtol = 1e-10
atol = 1e-12
[output]
netcdf = false
figure = false
"""


@pytest.mark.parametrize(
    "model",
    [
        '[model]\nname = "models/decay.toml"\npreset = "fast"',
        'model = "models/decay.toml"\n[parameters]\nk = 2.0',  # the short form
    ],
)
def test_a_model_file_next_to_the_scenario_file(tmp_path, monkeypatch, model):
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "decay.toml").write_text(DECAY_MODEL)
    path = write(tmp_path, DECAY_SCENARIO.format(model=model))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)  # resolved against the scenario file, not the cwd
    sc = load_scenario(path)
    assert sc.model.name == "decay" and sc.params["k"] == 2.0
    run = sc.simulate()
    assert np.allclose(run.y[0], np.exp(-2.0 * run.t), rtol=1e-7, atol=1e-12)
    assert cli_simulate([str(path), "--outdir", str(tmp_path / "out")]) == 0
    assert (tmp_path / "out" / "scenario.csv").read_text().startswith("t,x\n")


@pytest.mark.parametrize(
    ("model_file", "name", "fragments"),
    [
        (None, "missing.toml", ["model.name = 'missing.toml'", "does not exist"]),
        (
            DECAY_MODEL.replace('"-k*x"', '"-k*x +"'),
            "m.toml",
            ["model.name", "m.toml: equations.x"],
        ),
        (DECAY_MODEL.replace("[equations]", "[equatoins]"), "m.toml", ["model.name", "equatoins"]),
        (DECAY_MODEL, "m.toml:factory", ["model.name", "'m.toml:factory'"]),
    ],
)
def test_a_bad_model_file_is_one_scenario_error_naming_both_files(
    tmp_path, capsys, model_file, name, fragments
):
    if model_file is not None:
        (tmp_path / "m.toml").write_text(model_file)
    path = write(tmp_path, DECAY_SCENARIO.format(model=f'model = "{name}"'))
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    text = str(err.value)  # an equation's message goes on with a caret under the error
    assert text.startswith(f"{path}: ")
    for fragment in fragments:
        assert fragment in text, text
    assert cli_simulate([str(path)]) == 2  # and one line on the command line
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("dyadmodel simulate: error: ")
