"""The command line: readable tables, completeness verdicts, one-line errors with exit 2."""

import pytest

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
