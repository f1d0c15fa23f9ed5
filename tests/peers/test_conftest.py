"""The peer tests skip without the tools, unless CI requires them (DYADMODEL_REQUIRE_PEERS)."""

import pytest

from tests.peers import conftest


def test_a_missing_tool_skips_with_the_install_command(monkeypatch):
    monkeypatch.setattr(conftest.shutil, "which", lambda *args, **kwargs: None)
    monkeypatch.setattr(conftest, "REQUIRED", False)
    with pytest.raises(pytest.skip.Exception, match="apt-get install -y xppaut auto-07p"):
        conftest._need("xppaut")


def test_a_missing_tool_fails_when_the_peers_are_required(monkeypatch):
    monkeypatch.setattr(conftest.shutil, "which", lambda *args, **kwargs: None)
    monkeypatch.setattr(conftest, "REQUIRED", True)
    with pytest.raises(pytest.fail.Exception, match="DYADMODEL_REQUIRE_PEERS=1"):
        conftest._need("auto-07p", "gfortran")


def test_b_files_are_read_with_their_stop_codes(tmp_path):
    """AUTO writes the point where a run stops with a negative TY (here -4: UZ)."""
    b = tmp_path / "b.demo"
    b.write_text(
        "   0    PT  TY  LAB    PAR(1)        L2-NORM         U(1)\n"
        "   1    -1   9    1 -1.0000000000E+000  0.0000000000E+000  0.0000000000E+000\n"
        "   1   -57   0    0 -4.3000000000E-001  0.0000000000E+000  0.0000000000E+000\n"
        "   1  -104   3    2 -1.9362594561E-017  0.0000000000E+000  2.5000000000E-001\n"
        "   1   204  -4    3  1.0000000000E+000  0.0000000000E+000  0.0000000000E+000\n"
    )
    points = conftest.read_auto_points(b)
    assert [(ty, value) for ty, value, _ in points] == [(9, -1.0), (3, -1.9362594561e-17), (4, 1.0)]
    assert points[1][2].tolist() == [0.25]
