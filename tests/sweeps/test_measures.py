"""Sweep measures equal the direct API calls they stand for, the flagship's closed-form
regimes, option checking, and a custom measure registered by the caller."""

import functools
import math

import numpy as np
import pytest

import dyadmodel as dm
from dyadmodel.continuation._twoparam import REGIMES, classify_regime
from dyadmodel.sweeps import MEASURES, Measure, Output, register_measure

MODEL = "pursuer-distancer-2d"
LOWER_FOLD = 1.6003601393486708  # anxiety_gain_1 at the saddle-nodes (closed form)
UPPER_FOLD = 3.366562935958733
A1 = [1.5, 2.0, 2.6, 3.5]  # with A2: balanced only, bistable, entrenched only
A2 = [1.8, 2.4]
TIPPING = {"noise": 0.15, "horizon": 20.0, "n_paths": 16, "seed": 5}
RESOLUTION = 24
T_END = 100.0


def model():
    return dm.models.get(MODEL)


@functools.cache
def swept():
    return dm.sweep(
        MODEL,
        over={"anxiety_gain_1": A1, "avoidance_gain_2": A2},
        measure={
            "regime": None,
            "n_stable": None,
            "balanced_basin_fraction": {"resolution": RESOLUTION},
            "resilience": None,
            "tipping_probability": TIPPING,
            "final_state": {"t_end": T_END},
        },
        n_workers=1,
        chunk_size=3,  # chunks across rows: measures must not depend on the chunk
        progress=False,
    )


def points():
    return [(a, b) for a in A1 for b in A2]


def at(name, a, b):
    return swept()[name].sel(anxiety_gain_1=a, avoidance_gain_2=b).values


def params(a, b):
    return model().params(anxiety_gain_1=a, avoidance_gain_2=b)


# -- each measure is the direct call --------------------------------------------------------
def test_regime_and_n_stable_are_the_certified_equilibria():
    regimes = set()
    for a, b in points():
        eqs = dm.equilibria(model(), params(a, b))
        regime = classify_regime(eqs)
        regimes.add(regime)
        assert REGIMES[int(at("regime", a, b))] == regime
        assert int(at("equilibria_complete", a, b)) == int(bool(eqs.complete)) == 1
        assert int(at("n_stable", a, b)) == sum(e.stable for e in eqs)
        assert int(at("n_equilibria", a, b)) == len(eqs)
    assert regimes == {"balanced only", "bistable", "entrenched only"}


def test_balanced_basin_fraction_is_the_basin_map():
    for a, b in points():
        fr = dm.basins(model(), params(a, b), resolution=RESOLUTION).fractions
        balanced = sum(v for k, v in fr.items() if k.startswith("balanced"))
        assert at("balanced_basin_fraction", a, b) == balanced
        assert at("unresolved_basin_fraction", a, b) == fr["diverged"] + fr["undecided"]
        regime = REGIMES[int(at("regime", a, b))]
        if regime == "balanced only":
            assert balanced == 1.0
        elif regime == "entrenched only":
            assert balanced == 0.0
        else:
            assert 0 < balanced < 1


def test_resilience_is_the_tipping_pulse():
    seen = set()
    for a, b in points():
        p = params(a, b)
        stable = [e.label for e in dm.equilibria(model(), p) if e.stable]
        got = at("resilience", a, b)
        if "balanced" not in stable:
            assert np.isnan(got)
            seen.add("nan")
        elif not any(s.startswith("entrenched") for s in stable):
            assert got == math.inf
            seen.add("inf")
        else:
            assert got == dm.resilience(model(), p).size
            assert 0 < got < math.inf
            seen.add("finite")
    assert seen == {"nan", "inf", "finite"}


def test_tipping_probability_is_tipping_statistics_with_the_same_seed():
    o = TIPPING
    for a, b in points():
        p = params(a, b)
        regime = REGIMES[int(at("regime", a, b))]
        got = [
            at(k, a, b)
            for k in (
                "tipping_probability",
                "tipping_probability_low",
                "tipping_probability_high",
                "mean_first_passage",
            )
        ]
        if regime == "entrenched only":
            assert np.isnan(got).all()
        elif regime == "balanced only":
            assert got[:3] == [0.0, 0.0, 0.0] and np.isnan(got[3])
        else:
            ts = dm.tipping_statistics(
                model(), p, [o["noise"]], o["horizon"], o["n_paths"], o["seed"]
            )
            want = [
                ts.probability[0],
                ts.ci_low[0],
                ts.ci_high[0],
                ts.mean_first_passage[0],
            ]
            assert np.array_equal(got, want, equal_nan=True)
            assert got[1] <= got[0] <= got[2]


def test_final_state_is_the_ensemble_from_the_domain_corner():
    m = model()
    for a, b in points():
        x0 = [lo for lo, _ in m.domain]
        r = dm.ensemble(m, params(a, b), x0, (0.0, T_END))
        assert int(r.status[0]) == int(at("final_status", a, b)) == 0
        assert np.array_equal(at("final_state", a, b), r.final[:, 0])
    assert list(swept().state.values) == list(m.state_names)
    assert swept().final_state.dims == ("anxiety_gain_1", "avoidance_gain_2", "state")


def test_outputs_carry_their_attributes():
    ds = swept()
    assert ds.regime.attrs["flag_meanings"].split() == [r.replace(" ", "_") for r in REGIMES]
    assert ds.regime.attrs["measure"] == "regime"
    assert (
        f"{TIPPING['n_paths']} paths, seed {TIPPING['seed']}"
        in (ds.tipping_probability.attrs["description"])
    )
    assert ds.balanced_basin_fraction.dtype == np.float64
    assert ds.regime.dtype == np.int8 and ds.n_stable.dtype == np.int16


# -- closed form ----------------------------------------------------------------------------
def test_flagship_defaults_are_bistable_with_the_closed_form_equilibria():
    ds = dm.sweep(MODEL, over={"threshold_1": [1.0]}, measure=["regime", "n_stable"], n_workers=1)
    assert int(ds.n_stable[0]) == 2 and int(ds.n_equilibria[0]) == 3
    assert REGIMES[int(ds.regime[0])] == "bistable"
    states = sorted(e.state[0] for e in dm.equilibria(model(), model().params()))
    r = math.sqrt(11) / 5
    assert states == pytest.approx([0.8 - r, 0.5, 0.8 + r], rel=1e-10)


def test_regimes_either_side_of_the_folds():
    a = [1.5, 2.0, 3.5, LOWER_FOLD - 1e-4, LOWER_FOLD + 1e-4, UPPER_FOLD - 1e-4, UPPER_FOLD + 1e-4]
    ds = dm.sweep(MODEL, over={"anxiety_gain_1": a}, measure=["regime", "n_stable"], n_workers=1)
    assert [REGIMES[c] for c in ds.regime.values[:3]] == [
        "balanced only",
        "bistable",
        "entrenched only",
    ]
    # one equilibrium outside the folds, three (two stable) between them
    assert ds.n_stable.values.tolist() == [1, 2, 1, 1, 2, 2, 1]
    assert ds.n_equilibria.values.tolist() == [1, 3, 1, 1, 3, 3, 1]
    assert (ds.equilibria_complete.values == 1).all()


# -- options --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("measure", "shown"),
    [
        ("regim", "did you mean 'regime'"),
        ("tipping", "'tipping'"),
        ({"balanced_basin_fraction": {"resoluton": 10}}, "did you mean 'resolution'"),
        ({"regime": {"resolution": 10}}, "'resolution'"),
        ({"balanced_basin_fraction": {"resolution": 10.5}}, "10.5"),
        ({"balanced_basin_fraction": {"resolution": "16"}}, "'16'"),
        ({"balanced_basin_fraction": {"resolution": True}}, "True"),
        ({"balanced_basin_fraction": {"resolution": 1}}, "resolution = 1"),
        ({"tipping_probability": {"noise": -0.1}}, "noise = -0.1"),
        ({"tipping_probability": {"noise": float("nan")}}, "nan"),
        ({"tipping_probability": {"n_paths": 0}}, "n_paths = 0"),
        ({"resilience": {"pulse_duration": 0.0}}, "pulse_duration = 0.0"),
        ({"final_state": {"x0": [0.5]}}, "x0 = [0.5]"),
        ({"final_state": {"x0": [0.5, 0.5, 0.5]}}, "[0.5, 0.5, 0.5]"),
        ({"final_state": {"x0": "ab"}}, "'ab'"),
        ({"final_state": {"t_end": -1.0}}, "t_end = -1.0"),
        ({"regime": 3}, "= 3"),
        ([], "[]"),
        (["regime", "regime"], "'regime'"),
    ],
)
def test_bad_measures_and_options_are_refused_naming_the_value(measure, shown):
    with pytest.raises(ValueError) as err:
        dm.sweep(MODEL, over={"anxiety_gain_1": [2.0]}, measure=measure, n_workers=1)
    assert shown in str(err.value)


def test_tipping_probability_refuses_a_constant_stress():
    with pytest.raises(dm.sweeps.SweepError, match="constant inputs"):
        dm.sweep(
            MODEL,
            over={"anxiety_gain_1": [2.0]},
            measure={"tipping_probability": {"n_paths": 4}},
            inputs={"stress": 0.2},
            n_workers=1,
        )


def test_a_swept_input_reaches_the_measures():
    ds = dm.sweep(
        MODEL,
        over={"stress": [0.0, 0.3]},
        measure={"final_state": {"t_end": T_END}},
        n_workers=1,
    )
    for s in (0.0, 0.3):
        r = dm.ensemble(model(), model().params(), [0.0, 0.0], (0.0, T_END), inputs={"stress": s})
        assert np.array_equal(ds.final_state.sel(stress=s).values, r.final[:, 0])


# -- a custom measure ----------------------------------------------------------------------
def _gain_ratio(batch, options):
    """anxiety_gain_1 / avoidance_gain_2 * scale, and the number of stable states."""
    ratio = np.array([p["anxiety_gain_1"] / p["avoidance_gain_2"] for p in batch.psets])
    n = np.array([len(batch.stable(i, "")) for i in range(len(batch))], dtype=np.int32)
    return {"gain_ratio": ratio * options["scale"], "stable_states": n}


def _gain_ratio_outputs(model, options):
    return (
        Output("gain_ratio", "float64", np.nan, attrs={"description": "test measure"}),
        Output("stable_states", "int32", -1),
    )


def _check_gain_ratio(model, options):
    if options["scale"] == 0:
        raise ValueError(f"scale = {options['scale']!r}; expected nonzero")


GAIN_RATIO = "test_gain_ratio"
if GAIN_RATIO not in MEASURES:  # a worker importing this module registers it once too
    register_measure(
        Measure(
            GAIN_RATIO,
            "ratio of the two gains (test)",
            _gain_ratio,
            _gain_ratio_outputs,
            {"scale": 1.0},
            _check_gain_ratio,
        )
    )


def test_a_registered_custom_measure_runs_in_a_sweep():
    ds = dm.sweep(
        MODEL,
        over={"anxiety_gain_1": A1, "avoidance_gain_2": A2},
        measure={GAIN_RATIO: {"scale": 2}, "n_stable": None},
        n_workers=1,
        chunk_size=3,
    )
    want = 2.0 * np.array(A1)[:, None] / np.array(A2)[None, :]
    assert np.array_equal(ds.gain_ratio.values, want)
    assert np.array_equal(ds.stable_states.values, ds.n_stable.values)
    assert ds.stable_states.dtype == np.int32
    assert ds.gain_ratio.attrs["measure"] == GAIN_RATIO
    assert '"scale": 2.0' in ds.attrs["measures"]


def test_a_custom_measure_checks_its_options():
    with pytest.raises(ValueError, match=r"measure 'test_gain_ratio': scale = 0\.0"):
        dm.sweep(MODEL, over={"anxiety_gain_1": [2.0]}, measure={GAIN_RATIO: {"scale": 0}})
    with pytest.raises(ValueError, match="already registered"):
        register_measure(MEASURES[GAIN_RATIO])


def test_a_registered_custom_measure_runs_on_a_process_pool():
    # the spawned workers import this module by name (tests is a package on sys.path)
    kw = dict(over={"anxiety_gain_1": A1, "avoidance_gain_2": A2}, measure=GAIN_RATIO)
    one = dm.sweep(MODEL, n_workers=1, chunk_size=2, **kw)
    two = dm.sweep(MODEL, n_workers=2, chunk_size=2, **kw)
    assert one.gain_ratio.identical(two.gain_ratio)


def _ones_outputs(model, options):
    return (Output("ones", "float64", math.nan), Output("twos", "float64", math.nan))


def _returns(kind):
    def function(batch, options):
        n = len(batch)
        return {
            "missing": {"ones": np.ones(n)},
            "extra": {"ones": np.ones(n), "twos": np.ones(n), "threes": np.ones(n)},
            "shape": {"ones": np.ones(n), "twos": np.ones((n, 2))},
            "not a mapping": [np.ones(n)],
        }[kind]

    return function


@pytest.mark.parametrize(
    ("kind", "shown"),
    [
        ("missing", r"expected exactly \['ones', 'twos'\] \(missing \['twos'\]\)"),
        ("extra", r"\(not declared \['threes'\]\)"),
        ("shape", r"'twos' of shape \(2, 2\) in chunk 0: expected \(2,\)"),
        ("not a mapping", r"list in chunk 0: expected a mapping"),
    ],
)
def test_a_measure_returning_other_outputs_than_it_declares_stops_the_sweep(kind, shown, tmp_path):
    """A missing output would keep its fill value in a chunk marked finished (a resume
    would not compute it again): the sweep stops naming the measure, and the store holds
    no finished chunk."""
    measure = Measure("odd", "returns the wrong outputs (test)", _returns(kind), _ones_outputs)
    store = tmp_path / "odd.zarr"
    with pytest.raises(dm.sweeps.SweepError, match=r"measure 'odd' returned .*" + shown):
        dm.sweep(
            MODEL, over={"anxiety_gain_1": [1.0, 2.0]}, measure=measure, n_workers=1, store=store
        )
    assert store.exists()  # the store was made before the chunk ran...
    assert dm.sweeps.open_sweep(store).attrs["complete"] == 0  # ...and holds nothing finished
