"""``dyadmodel bifurcation ... --cycles`` (issue 16 §5): the cycles from every Hopf point
in the table output, and bad input."""

import math

import pytest

from dyadmodel.cli import main

# Bautin normal form r' = r (a + r^2 - r^4), theta' = 1: a subcritical Hopf point at
# a = 0; its unstable cycles fold at a = -1/4 into stable ones (period 2 pi throughout).
BAUTIN = """
[model]
name = "bautin-cli"
[parameters.a]
default = 0.0
bounds = [-1.0, 1.0]
[equations]
x = "a*x - y + x*((x**2 + y**2) - (x**2 + y**2)**2)"
y = "x + a*y + y*((x**2 + y**2) - (x**2 + y**2)**2)"
"""


@pytest.fixture
def model_file(tmp_path, monkeypatch):
    path = tmp_path / "bautin.toml"
    path.write_text(BAUTIN)
    monkeypatch.chdir(tmp_path)
    return path


def test_cycles_table(model_file, capsys):
    argv = ["bifurcation", str(model_file), "--param", "a", "--span", "-0.5", "0.3", "--cycles"]
    assert main(argv) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    head = lines.index("cycles")
    assert lines[head + 1].split()[:3] == ["from", "hopf", "at"]
    row = lines[head + 2].split()
    assert abs(float(row[0])) < 1e-8 and row[-1] == "part"  # unstable, then stable
    period_lo, period_hi = float(row[5]), float(row[7])
    assert float(row[2]) == pytest.approx(-0.25, abs=1e-5) and float(row[4]) == 0.3
    assert period_lo == pytest.approx(2 * math.pi, rel=1e-4)
    assert period_hi == pytest.approx(2 * math.pi, rel=1e-4)
    (lpc,) = [ln for ln in lines if ln.strip().startswith("LPC at a=")]
    assert float(lpc.split("a=")[1].split(",")[0]) == pytest.approx(-0.25, abs=1e-8)
    assert any(ln.strip().startswith("end: reached the end of the span") for ln in lines)


def test_no_hopf_point_says_so(model_file, capsys):
    argv = ["bifurcation", str(model_file), "--param", "a", "--span", "0.1", "0.3", "--cycles"]
    assert main(argv) == 0
    assert "cycles: no Hopf point in the span" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("extra", "words"),
    [(["--cycles=yes"], "--cycles"), (["--cycles", "--span", "1", "x"], "--span")],
)
def test_bad_input_exits_2_with_one_line(model_file, capsys, extra, words):
    argv = ["bifurcation", str(model_file), "--param", "a", "--span", "-0.5", "0.3", *extra]
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and words in err and "dyadmodel bifurcation" in err
