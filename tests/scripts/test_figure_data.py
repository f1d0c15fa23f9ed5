"""Figures 4-10: the data drawn are the analysis API's results, and reruns match.

Each script runs once into a temporary directory (HTML and JSON only, to stay fast;
static export is tested with fig01 in ``test_figures.py``); the figure data are read
back from the HTML and compared with the API called directly. Figure 9 (stochastic,
seeded) runs twice and must write the same data.
"""

import base64
import json

import _common
import make_figures
import numpy as np
import pytest

import dyadmodel as dm
from dyadmodel.continuation import attachment_regime_table
from tests.scripts.test_figures import figure_data

SCRIPTS = {p.stem[:5]: p for p in make_figures.figure_scripts()}

# Running figures 4-10 takes ~15 s quiet: slow (issue 13 §5). CI runs these with
# --run-slow and runs every figure script again through scripts/reproduce.sh.
pytestmark = pytest.mark.slow


def array(value):
    """A plotly data array from the HTML: a list, or ``{"dtype", "bdata"[, "shape"]}``."""
    if isinstance(value, dict) and "bdata" in value:
        a = np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
        if "shape" in value:
            a = a.reshape([int(n) for n in str(value["shape"]).split(",")])
        return a
    return np.array([np.nan if v is None else v for v in value], dtype=float)


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    """Run figures 4-10 (fig09 twice) without static export: {key: (data, layout, record, dir)}."""
    results = {}
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(_common, "start_static_server", lambda *a, **k: False)
        for key in ["fig04", "fig05", "fig06", "fig07", "fig08", "fig09", "fig10"]:
            path = SCRIPTS[key]
            d = tmp_path_factory.mktemp(key)
            written = make_figures.load(path).main(d)
            assert [p.suffix for p in written] == [".html", ".json"]
            html = (d / f"{path.stem}.html").read_text(encoding="utf-8")
            record = json.loads((d / f"{path.stem}.json").read_text(encoding="utf-8"))
            results[key] = (*figure_data(html), record, d)
        d2 = tmp_path_factory.mktemp("fig09_again")
        make_figures.load(SCRIPTS["fig09"]).main(d2)
        results["fig09_again"] = (d2,)
    return results


def traces(data, role):
    return [t for t in data if t.get("meta", {}).get("role") == role]


def test_fig04_pulses_around_the_resilience_threshold(out):
    data, _, record, _ = out["fig04"]
    m = dm.models.get("pursuer-distancer-2d")
    threshold = dm.resilience(m, m.preset("anxious-avoidant"), pulse_duration=5.0).size
    assert record["resilience"]["threshold"] == threshold
    peaks = sorted(array(t["y"]).max() for t in traces(data, "stress"))
    np.testing.assert_allclose(peaks, [0.8 * threshold, 1.2 * threshold], rtol=1e-12)
    eqs = {e.label: e.state for e in dm.equilibria(m, m.preset("anxious-avoidant"))}
    ends = sorted(array(t["y"])[-1] for t in traces(data, "state"))
    np.testing.assert_allclose(ends[:2], eqs["balanced"], atol=1e-4)
    np.testing.assert_allclose(ends[2:], eqs["entrenched"], atol=1e-4)


def test_fig05_marked_folds_are_the_continuations(out):
    data, _, record, _ = out["fig05"]
    m = dm.models.get("pursuer-distancer-2d")
    p = m.preset("anxious-avoidant")
    d = dm.continuation(m, p, "anxiety_gain_1", (0.0, 4.0))
    (folds,) = traces(data, "fold")
    assert folds["meta"]["values"] == [s.value for s in d.folds]
    np.testing.assert_array_equal(array(folds["x"]), [s.value for s in d.folds])
    h = dm.hysteresis_sweep(m, p, "anxiety_gain_1", (0.0, 4.0), rate=1e-3, samples=4001)
    (up,) = traces(data, "sweep-up")
    (down,) = traces(data, "sweep-down")
    assert up["meta"]["jumps"] == list(h.up.jumps) and down["meta"]["jumps"] == list(h.down.jumps)
    lo, hi = sorted(s.value for s in d.folds)
    assert hi < h.up.jumps[0] and h.down.jumps[0] < lo  # the hysteresis loop
    assert record["sweep"]["jump_up"] == h.up.jumps[0]


def test_fig06_fold_curves_and_attachment_table(out):
    data, _, record, _ = out["fig06"]
    m = dm.models.get("pursuer-distancer-2d")
    p = m.preset("anxious-avoidant")
    folds = sorted(s.value for s in dm.continuation(m, p, "anxiety_gain_1", (0.0, 4.0)).folds)
    np.testing.assert_allclose(
        record["regime_map"]["fold_crossings_at_default_avoidance"], folds, atol=1e-3
    )
    assert len(traces(data, "fold-curve")) == 2
    (heat,) = traces(data, "regimes")
    z = array(heat["z"])
    assert z.shape == (21, 21)
    (pairings,) = traces(data, "pairings")
    for r in attachment_regime_table(m):
        i = pairings["meta"]["styles_1"].index(r.style_1)
        j = pairings["meta"]["styles_2"].index(r.style_2)
        assert pairings["meta"]["regimes"][i][j] == r.regime


def test_fig07_panel_verdicts_are_compare_interventions(out):
    _, layout, record, _ = out["fig07"]
    module = make_figures.load(SCRIPTS["fig07"])
    m = dm.models.get("pursuer-distancer")
    table = dm.compare_interventions(
        m, m.params(), module.INTERVENTIONS, t_max=module.T_MAX, combinations=False
    )
    titles = [a["text"] for a in layout["annotations"]]
    for o in table:
        title = next(t for t in titles if t.startswith(o.name))
        assert ("balanced basin" in title) is o.returns_to_balanced
        assert record["outcomes"][o.name]["returns_to_balanced"] is o.returns_to_balanced
        if o.returns_to_balanced:
            assert f"t = {o.recovery_time:.1f}" in title


def test_fig08_cycle_period_is_the_limit_cycles(out):
    _, layout, record, _ = out["fig08"]
    m = dm.models.get("pursuer-distancer")
    p = m.preset("pursue-withdraw-cycles")
    (e,) = dm.equilibria(m, p)
    cycle = dm.limit_cycle(m, p, e.state + 0.05)
    assert record["cycles"]["period"] == pytest.approx(cycle.period, rel=1e-9)
    assert f"period {cycle.period:.1f}" in layout["annotations"][0]["text"]


def test_fig09_probabilities_are_tipping_statistics_and_reproducible(out):
    data, _, record, d = out["fig09"]
    module = make_figures.load(SCRIPTS["fig09"])
    m = dm.models.get("pursuer-distancer-2d")
    ts = dm.tipping_statistics(
        m, m.params(), module.NOISE_LEVELS, module.HORIZON, module.N_PATHS, module.SEED,
        dt=module.DT,
    )  # fmt: skip
    (prob,) = traces(data, "tipping-probability")
    np.testing.assert_array_equal(array(prob["y"]), ts.probability)
    np.testing.assert_array_equal(array(prob["error_y"]["array"]), ts.ci_high - ts.probability)
    assert record["seed"] == module.SEED
    (d2,) = out["fig09_again"]
    name = SCRIPTS["fig09"].stem
    assert (d / f"{name}.json").read_bytes() == (d2 / f"{name}.json").read_bytes()
    assert (d / f"{name}.html").read_bytes() == (d2 / f"{name}.html").read_bytes()


def test_fig10_basins_are_the_apis(out):
    data, _, record, _ = out["fig10"]
    m = dm.models.get("pursuer-distancer-2d")
    g = np.linspace(0.0, 2.0, 201)
    bm = dm.basins(m, m.preset("anxious-avoidant"), grid=(g, g))
    heat = traces(data, "basins")[0]
    k = len(bm.names)
    codes = np.where(bm.labels >= 0, bm.labels, np.where(bm.labels == -1, k, k + 1))
    np.testing.assert_array_equal(array(heat["z"]), codes)
    assert record["fractions"]["pursuer-distancer-2d"]["balanced"] == bm.fractions["balanced"]
