"""``dyadmodel bifurcation ... --seed-search {certified,newton}``: the seed equilibria
come from the certified search (the default) or from Newton's method, which the output
says is not proved complete; a bad value exits 2 with one line."""

import pytest

from dyadmodel.cli import main

# a fold at a = 0: x' = a - x^2 has equilibria x = +-sqrt(a) for a > 0 and none below
FOLD = """
[model]
name = "fold-cli"
[parameters.a]
default = 0.5
bounds = [-1.0, 1.0]
[equations]
x = "a - x**2"
y = "-y"
"""

NEWTON_NOTE = "(seed_search='newton'), not proved complete"


@pytest.fixture
def model_file(tmp_path, monkeypatch):
    path = tmp_path / "fold.toml"
    path.write_text(FOLD)
    monkeypatch.chdir(tmp_path)
    return path


@pytest.mark.parametrize("search", ["certified", "newton", None])
def test_seed_search_reaches_the_continuation(model_file, capsys, search):
    argv = ["bifurcation", str(model_file), "--param", "a", "--span", "-0.3", "0.7"]
    argv += ["--seeds", "2"] + ([] if search is None else ["--seed-search", search])
    assert main(argv) == 0
    out = capsys.readouterr().out
    (fold,) = [ln for ln in out.splitlines() if ln.startswith("fold ")]
    assert abs(float(fold.split()[1])) < 1e-6  # the fold at a = 0, either way
    assert (NEWTON_NOTE in out) == (search == "newton")


def test_bad_seed_search_exits_2_with_one_line(model_file, capsys):
    argv = ["bifurcation", str(model_file), "--param", "a", "--span", "0", "1"]
    assert main([*argv, "--seed-search", "fast"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "--seed-search" in err[0] and "'fast'" in err[0]
