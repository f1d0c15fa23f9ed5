"""The command line: readable tables, completeness verdicts, one-line errors with exit 2."""

import pytest

from dyadmodel.cli import main


def test_analyze_prints_every_equilibrium_and_the_completeness_verdict(capsys):
    assert main(["analyze", "pursuer-distancer-2d"]) == 0
    out = capsys.readouterr().out
    rows = [line for line in out.splitlines() if line[:1].isdigit()]
    assert len(rows) == 3
    assert "balanced" in rows[0] and "stable node" in rows[0]
    assert "tipping threshold" in rows[1] and "saddle" in rows[1] and "0.28, -2.28" in rows[1]
    assert "entrenched" in rows[2]
    assert "COMPLETE: no other equilibrium" in out


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
        (["analyze", "pursuer-distancer-2d", "-u", "stres=1"], "unknown input(s) ['stres']"),
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
