"""The command line: readable tables, completeness verdicts, one-line errors with exit 2."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import dyadmodel as dm
from dyadmodel.cli import completeness_text, main


def test_analyze_prints_every_equilibrium_and_the_completeness_verdict(capsys):
    assert main(["analyze", "pursuer-distancer-2d"]) == 0
    out = capsys.readouterr().out
    rows = [line for line in out.splitlines() if line[:1].isdigit()]
    assert len(rows) == 3
    assert "balanced" in rows[0] and "stable node" in rows[0]
    assert "tipping threshold" in rows[1] and "saddle" in rows[1] and "0.28, -2.28" in rows[1]
    assert "entrenched" in rows[2]
    m = dm.models.get("pursuer-distancer-2d")
    eqs = dm.equilibria(m)
    assert eqs.complete and completeness_text(eqs, m) in out.splitlines()


def test_analyze_with_parameters_inputs_and_presets(capsys):
    assert main(["analyze", "pursuer-distancer-2d", "-p", "anxiety_gain_1=1.5"]) == 0
    out = capsys.readouterr().out
    assert "anxiety_gain_1=1.5" in out
    assert sum(line[:1].isdigit() for line in out.splitlines()) == 1
    # strong stress removes the balanced state (only the entrenched one is left)
    assert main(["analyze", "pursuer-distancer-2d", "--input", "stress=0.5"]) == 0
    out = capsys.readouterr().out
    rows = [line for line in out.splitlines() if line[:1].isdigit()]
    assert len(rows) == 1 and "entrenched" in rows[0]
    assert main(["analyze", "pursuer-distancer", "--preset", "mutual-withdrawal"]) == 0
    assert "mutual withdrawal" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["analyze", "nope"], "unknown model 'nope'"),
        (["analyze", "pursuer-distancer-2d", "-p", "anxiety_gain_1=abc"], "'abc' is not a number"),
        (["analyze", "pursuer-distancer-2d", "-p", "anxiety_gain_1"], "expected NAME=VALUE"),
        (["analyze", "pursuer-distancer-2d", "-p", "anxiety_gain_1=-1"], "below its lower bound 0"),
        (["analyze", "pursuer-distancer-2d", "-p", "anxiety=1"], "unknown parameter 'anxiety'"),
        (["analyze", "pursuer-distancer-2d", "-p", "anxiety_gain_1=nan"], "is not finite"),
        (["analyze", "pursuer-distancer-2d", "-u", "stres=1"], "valid inputs: stress"),
        (["analyze", "pursuer-distancer-2d", "-u", "stress=1e400"], "is not finite"),
        (["analyze", "pursuer-distancer-2d", "-p", "threshold_1=" + "9" * 400], "not finite"),
        (["analyze"], "the following arguments are required: model"),
        (["analyze", "pursuer-distancer", "--preset", "nope"], "unknown preset 'nope'"),
    ],
)
def test_bad_arguments_give_one_line_and_exit_2(capsys, argv, message):
    assert main(argv) == 2
    captured = capsys.readouterr()
    err = captured.err.strip()
    assert len(err.splitlines()) == 1 and message in err
    assert err.startswith("dyadmodel analyze: error:")


def test_models_and_describe(capsys):
    assert main(["models"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].startswith("pursuer-distancer-2d")
    assert len(out.splitlines()) == 10
    assert main(["describe", "laura-petrarch"]) == 0
    out = capsys.readouterr().out
    assert "dL/dt" in out and "Rinaldi" in out


@pytest.mark.parametrize(
    ("argv", "prefix", "message"),
    [
        (["nope"], "dyadmodel:", "invalid choice: 'nope'"),
        ([], "dyadmodel:", "required: command"),
        (["explore", "--port", "99999"], "dyadmodel explore:", "expected a port from 1 to 65535"),
        (["explore", "--port", "http"], "dyadmodel explore:", "'http' is not a whole number"),
        (["explore", "--model", "nope"], "dyadmodel explore:", "unknown model 'nope'"),
        (["explore", "--export-dir", "/proc/self/status"], "dyadmodel explore:", "is a file"),
        (["bifurcation", "nope"], "dyadmodel bifurcation:", "required: --param, --span"),
        (
            ["bifurcation", "liebovitch", "--param", "c1", "--span", "0", "1", "--seeds", "1e9"],
            "dyadmodel bifurcation:",
            "expected 1 to 200",
        ),
        (
            ["bifurcation", "liebovitch", "--param", "c1", "--span", "0", "nan"],
            "dyadmodel bifurcation:",
            "is not finite",
        ),
        (
            ["bifurcation", "liebovitch", "--param", "c1", "--span", "0", "1", "--ds-max", "-1"],
            "dyadmodel bifurcation:",
            "expected a positive step",
        ),
        (["simulate"], "dyadmodel simulate:", "required: scenario"),
        (["simulate", "/no/such/scenario.toml"], "", "No such file"),
        (["sweep", "/no/such/spec.toml"], "dyadmodel sweep", "No such file"),
    ],
)
def test_every_bad_command_line_is_one_line_and_exit_2(capsys, argv, prefix, message):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert message in err and prefix in err


def test_unwritable_output_paths_are_one_line_errors(capsys, tmp_path):
    a_file = tmp_path / "a-file"
    a_file.write_text("not a directory")
    base = ["bifurcation", "liebovitch", "--param", "c1", "--span", "0", "1.5", "--seeds", "2"]
    for path in ("/proc/dyadmodel-test.ode", str(a_file / "x.ode")):
        assert main([*base, "--xpp", path]) == 2
        err = capsys.readouterr().err
        assert len(err.strip().splitlines()) == 1 and path in err
        assert err.startswith("dyadmodel bifurcation: error:")
    assert main([*base, "--auto", str(a_file)]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and str(a_file) in err


def test_malformed_and_deeply_nested_toml_are_one_line_errors(capsys, tmp_path):
    garbage = tmp_path / "garbage.toml"
    garbage.write_text("[[[model\nname = ")
    nested = tmp_path / "nested.toml"
    nested.write_text("x = " + "[" * 100_000 + "]" * 100_000 + "\n")
    for command in ("simulate", "sweep"):
        for path in (garbage, nested, tmp_path):
            status = main([command, str(path)])
            err = capsys.readouterr().err
            assert status == 2, (command, path, err)
            assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_keyboard_interrupt_is_one_line_and_exit_130(capsys, monkeypatch):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(dm, "equilibria", interrupted)
    assert main(["analyze", "pursuer-distancer-2d"]) == 130
    assert capsys.readouterr().err == "dyadmodel analyze: interrupted\n"


def test_help_exits_0_without_raising(capsys):
    assert main(["--help"]) == 0
    assert "usage: dyadmodel" in capsys.readouterr().out
    assert main(["bifurcation", "--help"]) == 0
    assert "--span" in capsys.readouterr().out


# ---------------------------------------------------------------------------------------
# fuzz: random command lines built from the real subcommands, options and garbage values


class _Reached(BaseException):
    """Raised by the stubbed computations: the command line accepted the input."""


def _reached(*args, **kwargs):
    raise _Reached


NUMBERS = [
    "0", "1", "-1", "2.5", "0.5", "1e-100", "5e-324", "1e308", "-1e308", "1e400", "9" * 400,
    "nan", "NaN", "inf", "-inf", "", " ", "abc", "1_0", "0x10", "1,5", "--", "-", "é", "1e",
]  # fmt: skip
MODEL_NAMES = [*dm.models.names(), "nope", "", "PURSUER-DISTANCER"]
PARAM_NAMES = sorted({p for n in dm.models.names() for p in dm.models.get(n).parameter_names})
PATHS = [
    "/no/such/file.toml", "/proc/dyadmodel.toml", "/proc", "/", ".", "/dev/null",
    "/proc/self/status", "x" * 300,
]  # fmt: skip
OPTIONS = {
    "analyze": ["-p", "--param", "-u", "--input", "--preset", "--bogus", "-h"],
    "bifurcation": [
        "--param",
        "--span",
        "--set",
        "-u",
        "--preset",
        "--seeds",
        "--ds-max",
        "--xpp",
        "--auto",
        "--bogus",
    ],
    "explore": ["--model", "--host", "--port", "--export-dir", "--bogus"],
    "simulate": ["--outdir", "--bogus"],
    "sweep": ["--out", "--workers", "--backend", "--scheduler", "--bogus"],
    "describe": ["--bogus"],
    "models": ["--bogus"],
}


def _tokens(command):
    assignment = st.builds(
        lambda n, v: f"{n}={v}", st.sampled_from([*PARAM_NAMES, "stress", "nope"]),
        st.sampled_from(NUMBERS),
    )  # fmt: skip
    value = st.one_of(
        st.sampled_from(NUMBERS), st.sampled_from(MODEL_NAMES), st.sampled_from(PARAM_NAMES),
        st.sampled_from(PATHS), assignment, st.text(max_size=12),
    )  # fmt: skip
    option = st.tuples(st.sampled_from(OPTIONS[command]), st.lists(value, max_size=2))
    head = st.sampled_from(
        PATHS if command in ("simulate", "sweep") else MODEL_NAMES
    ).map(lambda v: [v])  # fmt: skip
    return st.tuples(head | st.just([]), st.lists(option, max_size=4)).map(
        lambda t: [*t[0], *(tok for o, vs in t[1] for tok in (o, *vs))]
    )


COMMAND_LINES = st.sampled_from(sorted(OPTIONS)).flatmap(
    lambda c: _tokens(c).map(lambda rest: [c, *rest])
) | st.lists(st.sampled_from([*OPTIONS, *NUMBERS, "--help"]), max_size=3)
FUZZ = {"tried": 0, "accepted": 0, "refused": 0, "failures": 0}


def _run_fuzzed(argv, stub=True):
    import contextlib
    import importlib
    import io
    import unittest.mock

    import dash

    branch = importlib.import_module("dyadmodel.continuation._branch")
    scenario = importlib.import_module("dyadmodel.scenarios")
    spec = importlib.import_module("dyadmodel.sweeps._spec")

    out, err = io.StringIO(), io.StringIO()
    patches = [unittest.mock.patch.object(dash.Dash, "run", _reached)]
    if stub:  # the computations themselves are not what this fuzz is about
        patches += [
            unittest.mock.patch.object(dm, "equilibria", _reached),
            unittest.mock.patch.object(branch, "continuation", _reached),
            unittest.mock.patch.object(scenario, "run_scenario", _reached),
            unittest.mock.patch.object(spec.SweepSpec, "run", _reached),
        ]
    with contextlib.ExitStack() as stack:
        for p in patches:
            stack.enter_context(p)
        stack.enter_context(contextlib.redirect_stdout(out))
        stack.enter_context(contextlib.redirect_stderr(err))
        try:
            status = main(argv)
        except _Reached:
            status = "reached"
    return status, err.getvalue()


def _check_fuzzed(argv, stub=True):
    FUZZ["tried"] += 1
    status, err = _run_fuzzed(argv, stub)
    ok = status in ("reached", 0) or (
        status == 2 and len(err.strip().splitlines()) == 1 and "Traceback" not in err
    )
    FUZZ["accepted" if status in ("reached", 0) else "refused"] += ok
    FUZZ["failures"] += not ok
    assert ok, (argv, status, err)


@settings(max_examples=150, deadline=None)
@given(argv=COMMAND_LINES)
def test_fuzzed_command_lines_exit_0_or_give_one_line_and_exit_2(argv):
    _check_fuzzed(argv)


@pytest.mark.slow
@settings(max_examples=400, deadline=None)
@given(argv=COMMAND_LINES)
def test_fuzzed_command_lines_with_the_real_computations(argv):
    """As above, with the equilibria and continuations really computed, each command
    line within 60 s (the computations' own budgets)."""
    import signal

    def too_long(*_):
        raise AssertionError(f"{argv} ran for more than 60 s")

    old = signal.signal(signal.SIGALRM, too_long)
    signal.alarm(60)
    try:
        _check_fuzzed(argv, stub=False)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def test_zz_report_fuzz_counts():
    print(f"CLI fuzz: {FUZZ}")  # shown with -s; the counts of the runs above
    assert FUZZ["failures"] == 0


# -- a model file wherever a model name goes ----------------------------------------------------
PITCHFORK = """
[model]
name = "pitchfork"
[parameters.a]
default = 1.5
bounds = [-2.0, 4.0]
[equations]
x = "a*x - x**3 - y"
y = "x - y"
"""


def test_a_model_file_works_in_describe_analyze_and_bifurcation(capsys, tmp_path, monkeypatch):
    model_file = tmp_path / "pitchfork.toml"
    model_file.write_text(PITCHFORK)
    monkeypatch.chdir(tmp_path)
    assert main(["describe", "pitchfork.toml"]) == 0
    assert "dx/dt = a*x - x**3 - y" in capsys.readouterr().out
    # x = y, (a - 1) x = x^3: the origin and x = y = +-sqrt(a - 1) = +-0.707107
    assert main(["analyze", str(model_file)]) == 0
    out = capsys.readouterr().out
    rows = [line.split() for line in out.splitlines() if line[:1].isdigit()]
    assert [r[1:3] for r in rows] == [["-0.707107"] * 2, ["0", "0"], ["0.707107"] * 2]
    assert "complete in the domain of validity" in out
    xpp = tmp_path / "pitchfork.ode"
    argv = ["bifurcation", "pitchfork.toml", "--param", "a", "--span", "0", "2", "--xpp", str(xpp)]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert any(line.split()[:3] == ["branch", "point", "1"] for line in out.splitlines())
    # --xpp writes the continuation parameter first, at the start of the span
    assert "par a=0.0" in xpp.read_text() and "parmin=0.0, parmax=2.0" in xpp.read_text()


@pytest.mark.parametrize("command", ["describe", "analyze", "bifurcation"])
@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("missing.toml", "model file 'missing.toml' does not exist"),
        ("broken.toml", "broken.toml: equations.y:"),
        ("garbage.toml", "garbage.toml: not valid TOML"),
        ("nofile.py:factory", "no Python file 'nofile.py'"),
        ("no_such_module_xyz:factory", "no module named 'no_such_module_xyz'"),
    ],
)
def test_a_bad_model_file_is_one_line_and_exit_2(
    capsys, tmp_path, monkeypatch, command, source, message
):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "broken.toml").write_text(PITCHFORK.replace("x - y", "x - y +"))
    (tmp_path / "garbage.toml").write_text("[equations\n")
    extra = ["--param", "a", "--span", "0", "1"] if command == "bifurcation" else []
    assert main([command, source, *extra]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and message in err, err
    assert err.startswith(f"dyadmodel {command}: error:")
