"""Figure 13 (issue 16 §6): a rerun reproduces the committed numbers, and the figure
draws what the API computed."""

import json
import math
import re
from pathlib import Path

import _common
import make_figures
import pytest

from tests.scripts.test_figures import figure_data

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "fig13_cycles.py"

# ~3 minutes: a cycle branch of the 6-state model and ~40 of the synergic couple
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    d = tmp_path_factory.mktemp("fig13")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(_common, "start_static_server", lambda *a, **k: False)
        written = make_figures.load(SCRIPT).main(d)
    assert [p.suffix for p in written] == [".html", ".json"]
    html = (d / f"{SCRIPT.stem}.html").read_text(encoding="utf-8")
    record = json.loads((d / f"{SCRIPT.stem}.json").read_text(encoding="utf-8"))
    return (*figure_data(html), record)


def _rounded(text: str) -> str:
    """``text`` with every decimal number rounded to 6 significant digits."""
    return re.sub(r"-?\d+\.\d+(?:e-?\d+)?", lambda m: f"{float(m.group()):.6g}", text)


def _same(a, b, where="") -> None:
    """Equal up to 1e-7 relative in numbers (the last digits move with any change to
    the floating-point operations upstream) and 6 digits in numbers inside text."""
    if isinstance(a, dict):
        assert isinstance(b, dict) and a.keys() == b.keys(), where
        for k in a:
            _same(a[k], b[k], f"{where}.{k}")
    elif isinstance(a, list):
        assert isinstance(b, list) and len(a) == len(b), where
        for k, (u, v) in enumerate(zip(a, b, strict=True)):
            _same(u, v, f"{where}[{k}]")
    elif isinstance(a, float) and isinstance(b, float):
        assert math.isclose(a, b, rel_tol=1e-7, abs_tol=1e-12), (where, a, b)
    elif isinstance(a, str):
        assert _rounded(a) == _rounded(b), (where, a, b)
    else:
        assert a == b, (where, a, b)


def test_rerun_matches_the_committed_numbers(run):
    _, _, record = run
    committed = json.loads((ROOT / "figures" / f"{SCRIPT.stem}.json").read_text())
    for key in ("caption", "flagship", "synergic", "parameters"):
        _same(record[key], committed[key], key)


def test_every_kind_of_curve_is_drawn(run):
    data, _, record = run
    roles = {t.get("meta", {}).get("role") for t in data}
    assert {"stable-cycle", "unstable-cycle", "LPC", "fold-curve", "hopf-curve",
            "lpc-curve", "homoclinic-curve", "bogdanov-takens", "bautin"} <= roles  # fmt: skip
    kinds = {p["kind"] for p in record["synergic"]["codim_two"]}
    assert {"bogdanov-takens", "bautin"} <= kinds
