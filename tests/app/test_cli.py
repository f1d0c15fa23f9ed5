"""``dyadmodel explore --model``: a registered name or a model file (no server started)."""

import pytest

from dyadmodel.app import _app as A
from dyadmodel.app import _cli


@pytest.fixture
def served(monkeypatch):
    calls = []
    monkeypatch.setattr(A.dash.Dash, "run", lambda self, **kw: calls.append(self))
    return calls


def test_explore_opens_a_model_file(served, capsys):
    assert _cli.main(["--model", "examples/van_der_pol.toml"]) == 0
    assert len(served) == 1 and capsys.readouterr().err == ""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (None, "does not exist"),
        ("[equations\nx = 'y'", "my.toml"),
        ("[equations]\nx = 'y.__class__'\ny = 'x'", "attribute access"),
        ("[equations]\nx = 'y'", "y"),
    ],
)
def test_a_bad_model_file_is_one_stderr_line_and_exit_2(tmp_path, served, capsys, text, expected):
    path = tmp_path / "my.toml"
    if text is not None:
        path.write_text(text)
    assert _cli.main(["--model", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("dyadmodel explore: error: ") and err.count("\n") == 1
    assert expected in err and not served
