"""Fuzz of the public Python API with typed garbage (issue 12, section 5).

Every call either succeeds or raises one of the package's own error classes
(`dyadmodel.errors.DyadmodelError`); a bare ``ValueError``, ``TypeError``, ``IndexError``,
``OverflowError``, ``LinAlgError``, ``RecursionError``... is a failure. Each argument is
drawn either valid or garbage (None, bools, text, unknown names, NaN, inf, -0.0, 1e308,
5e-324, 10**400, nested and ragged lists, dicts, sets, arrays of the wrong shape), so
that most examples exercise one bad argument among good ones.

The default run is small (a few examples per function, cheap models only); the
``slow`` variant runs many more examples on every registered model. Counts of inputs
tried, handled cleanly and failures are collected in `COUNTS` and printed at the end
of the module (run with ``-s`` to see them).
"""

from __future__ import annotations

import math
import time
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import dyadmodel as dm
from dyadmodel.errors import DyadmodelError

COUNTS: Counter = Counter()

# models whose analyses take well under a second at default parameters
CHEAP_MODELS = (
    "pursuer-distancer-2d",
    "strogatz-linear",
    "rinaldi-linear",
    "laura-petrarch",
    "liebovitch",
    "validating-couple",
    "coupled-oscillator",
)
ALL_MODELS = dm.models.names()

ODD_VALUES = [
    None,
    True,
    False,
    0,
    -1,
    3,
    0.0,
    -0.0,
    1.0,
    -1.0,
    math.nan,
    math.inf,
    -math.inf,
    1e308,
    -1e308,
    5e-324,
    1e-100,
    10**400,
    -(10**400),
    2**64,
    "",
    "x",
    "nan",
    "1.0",
    "pursuit_1",
    "anxiety_gain_1",
    "no-such-name",
    b"bytes",
    1 + 1j,
    (),
    [],
    {},
    set(),
    [1.0],
    [1.0, 2.0],
    [1.0, 2.0, 3.0],
    [[1.0, 2.0], [3.0]],
    [[[[[]]]]],
    {"a": 1},
    {"anxiety_gain_1": "high"},
    {"anxiety_gain_1": math.nan},
    {1: 2},
    {1, 2},
    (0.0, 0.0),
    (1.0, math.nan),
    (5.0, -5.0),
    (0.0, 1e308),
    ((0.0, 1.0), (0.0, 1.0)),
    ((1.0, 0.0), (0.0, 1.0)),
    np.zeros(0),
    np.zeros((3, 3, 3)),
    np.zeros((2, 0)),
    np.full(2, np.nan),
    np.array(["a", "b"]),
    np.array([1e308, 1e308]),
    object(),
    print,
    Ellipsis,
]

GARBAGE = st.one_of(
    st.sampled_from(ODD_VALUES),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.text(max_size=6),
    st.lists(st.floats(allow_nan=True), max_size=4),
    st.dictionaries(st.text(max_size=4), st.floats(allow_nan=True), max_size=2),
)


def maybe(valid) -> st.SearchStrategy:
    """A valid value (a strategy or a constant) or, one time in three, garbage."""
    if not isinstance(valid, st.SearchStrategy):
        valid = st.just(valid)
    return st.one_of(valid, valid, GARBAGE)  # two thirds valid: reach deeper code


# Files whose bare errors are open work of other owners (issue 12): a failure raised
# there is counted and listed (see the module's printed summary), not asserted, so that
# this fuzz guards everything else now. Remove an entry when its file is fixed; the
# done criterion of issue 12 is an empty dict.
KNOWN_OPEN: dict[str, str] = {}
OPEN_SEEN: dict[str, set] = {}
PACKAGE_DIR = Path(dm.__file__).parent


def _raised_in(err: BaseException) -> str:
    """Path (relative to the package) of the innermost package frame of ``err``."""
    where = "?"
    tb = err.__traceback__
    while tb is not None:
        path = Path(tb.tb_frame.f_code.co_filename)
        if PACKAGE_DIR in path.parents:
            where = str(path.relative_to(PACKAGE_DIR))
        tb = tb.tb_next
    return where


def call(fn, *args, **kwargs):
    """Call ``fn``; count the outcome; fail on any error outside the package's family."""
    COUNTS["tried"] += 1
    start = time.perf_counter()
    try:
        out = fn(*args, **kwargs)
    except DyadmodelError as err:
        COUNTS["handled cleanly"] += 1
        assert str(err), f"{type(err).__name__} with an empty message"
        return None
    except Exception as err:
        shown = ", ".join(
            [*(repr(a)[:80] for a in args), *(f"{k}={v!r:.80}" for k, v in kwargs.items())]
        )
        where = _raised_in(err)
        text = f"{getattr(fn, '__qualname__', fn)}({shown}) raised {type(err).__name__}: {err}"
        if Path(where).name in KNOWN_OPEN:
            COUNTS["failures in files of other owners (KNOWN_OPEN)"] += 1
            OPEN_SEEN.setdefault(where, set()).add(text[:300])
            return None
        COUNTS["failures"] += 1
        raise AssertionError(f"{text} [in dyadmodel/{where}]") from err
    finally:
        COUNTS["seconds"] += time.perf_counter() - start
    COUNTS["handled cleanly"] += 1
    return out


@pytest.fixture(scope="module", autouse=True)
def _report_counts():
    yield
    print("\nAPI fuzz: " + ", ".join(f"{k}: {v:.0f}" for k, v in COUNTS.items()))
    for where, texts in sorted(OPEN_SEEN.items()):
        print(f"  open in dyadmodel/{where} ({len(texts)} distinct), e.g. {sorted(texts)[0]}")


def _is(value, marker) -> bool:
    """``value`` is the (plain-Python) marker value, whatever type garbage it may be."""
    return type(value) is type(marker) and value == marker


def model_names(pool):
    return st.sampled_from(pool)


def fuzz(max_examples: int):
    return settings(
        max_examples=max_examples,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )


# ---------------------------------------------------------------------------------------
# the model layer


@fuzz(80)
@given(name=maybe(model_names(ALL_MODELS)), option=maybe(2), use_option=st.booleans())
def test_models_get(name, option, use_option):
    if use_option:
        call(dm.models.get, name, hill_exponent=option)
    else:
        call(dm.models.get, name)


@fuzz(80)
@given(
    name=model_names(ALL_MODELS),
    values=maybe(st.just({})),
    key=maybe(st.just("anxiety_gain_1")),
    value=maybe(st.floats(0.0, 3.0)),
    state=maybe(st.just([0.5, 0.5])),
    inputs=maybe(st.none()),
)
def test_model_methods(name, values, key, value, state, inputs):
    m = dm.models.get(name)
    call(m.params, values)
    if isinstance(key, str):
        call(m.params, **{key: value})
    call(m.parameter, key)
    call(m.state_index, key)
    call(m.preset, key)
    call(m.rhs, state, None, inputs)
    call(m.jacobian, state, None, inputs)
    call(m.constant_inputs, inputs)
    call(m.parameter_set, values)


# ---------------------------------------------------------------------------------------
# analysis


def _params_strategy(pool):
    """(model, params) with params the defaults or one preset, or garbage."""

    @st.composite
    def draw(data):
        m = dm.models.get(data(st.sampled_from(pool)))
        choices = [None, m.params()] + [m.preset(k) for k in m.presets]
        return m, data(maybe(st.sampled_from(choices)))

    return draw()


@fuzz(25)
@given(mp=_params_strategy(CHEAP_MODELS), domain=maybe(st.none()), inputs=maybe(st.none()))
def test_equilibria(mp, domain, inputs):
    m, p = mp
    call(dm.equilibria, m, p, domain, inputs=inputs)


@fuzz(30)
@given(
    mp=_params_strategy(CHEAP_MODELS),
    x=maybe(st.none()),
    y=maybe(st.none()),
    domain=maybe(st.none()),
    resolution=maybe(st.integers(3, 30)),
    inputs=maybe(st.none()),
    slice_value=maybe(1.0),
)
def test_phase_plane(mp, x, y, domain, resolution, inputs, slice_value):
    m, p = mp
    slices = {s.name: slice_value for s in m.states[2:]} or None
    kw = dict(x=x, y=y, domain=domain, inputs=inputs, slice_values=slices)
    call(dm.nullclines, m, p, resolution=resolution, **kw)
    call(dm.vector_field, m, p, resolution=resolution, **kw)
    call(dm.streamlines, m, p, density=resolution, length=0.5, n_steps=5, **kw)


@fuzz(30)
@given(
    eigen=maybe(
        st.lists(st.complex_numbers(max_magnitude=10, allow_nan=False), min_size=1, max_size=4)
    ),
    jacobian=maybe(st.none()),
)
def test_classify(eigen, jacobian):
    call(dm.classify, eigen, None, jacobian)


@fuzz(25)
@given(
    mp=_params_strategy(CHEAP_MODELS),
    which=st.integers(0, 5),
    parameter=maybe(st.just("anxiety_gain_1")),
    equilibrium=st.booleans(),
)
def test_sensitivity(mp, which, parameter, equilibrium):
    m, p = mp
    pset = p if isinstance(p, dm.ParameterSet) else m.params()
    eqs = dm.equilibria(m, pset)
    if not len(eqs):
        return
    e = eqs[which % len(eqs)]
    name = m.parameter_names[0] if _is(parameter, "anxiety_gain_1") else parameter
    call(dm.sensitivity, m, pset if equilibrium else p, e if equilibrium else name, name)


@fuzz(20)
@given(
    mp=_params_strategy(CHEAP_MODELS),
    guess=maybe(st.just([1.0, 1.0])),
    period=maybe(st.none()),
    inputs=maybe(st.none()),
    t_max=maybe(st.just(20.0)),
)
def test_limit_cycle_and_trajectory(mp, guess, period, inputs, t_max):
    m, p = mp
    opts = dm.analysis.LimitCycleOptions(search_time=20.0)
    call(dm.limit_cycle, m, p, guess, inputs=inputs, period_guess=period, options=opts)
    call(dm.classify_trajectory, m, p, guess, t_max=t_max, inputs=inputs)


# ---------------------------------------------------------------------------------------
# continuation


@fuzz(20)
@given(
    mp=_params_strategy(("pursuer-distancer-2d", "strogatz-linear", "liebovitch")),
    param=maybe(st.just("first")),
    span=maybe(st.just((0.5, 0.6))),
    inputs=maybe(st.none()),
    options=maybe(st.none()),
)
def test_continuation(mp, param, span, inputs, options):
    m, p = mp
    name = m.parameter_names[0] if _is(param, "first") else param
    if options is None:
        options = dm.ContinuationOptions(max_steps=200, seeds=2)
    call(dm.continuation, m, p, name, span, options, inputs=inputs)


@fuzz(30)
@given(
    field=st.sampled_from(
        [
            "ds",
            "ds_min",
            "ds_max",
            "max_steps",
            "newton_tol",
            "max_newton_iter",
            "max_state_norm",
            "seeds",
            "locate_tol",
            "detect_folds",
        ]
    ),
    value=GARBAGE,
)
def test_continuation_options(field, value):
    call(dm.ContinuationOptions, **{field: value})


# ---------------------------------------------------------------------------------------
# attachment and citation


@fuzz(60)
@given(
    responses=maybe(st.lists(st.integers(1, 7), min_size=36, max_size=36)),
    anxiety=maybe(st.floats(1, 7)),
    avoidance=maybe(st.floats(1, 7)),
    partner=maybe(st.sampled_from(["secure", "anxious", (2.0, 3.0)])),
    model=maybe(st.sampled_from(["pursuer-distancer-2d", "pursuer-distancer"]).map(dm.models.get)),
)
def test_attachment(responses, anxiety, avoidance, partner, model):
    call(dm.attachment.score_ecr_r, responses)
    call(dm.attachment.classify_style, anxiety, avoidance)
    call(dm.attachment.couple_params, model, anxiety, avoidance, 4.0, 4.0)
    call(dm.attachment.couple_params_from, model, partner, "secure")


@fuzz(60)
@given(
    model=maybe(st.sampled_from(ALL_MODELS)),
    methods=maybe(st.lists(st.sampled_from(["equilibria", "continuation", "nope"]), max_size=3)),
    fmt=maybe(st.just("bibtex")),
)
def test_citation(model, methods, fmt):
    call(dm.citation, model, methods, format=fmt)


# ---------------------------------------------------------------------------------------
# simulation layer (stress inputs, interventions, simulate, ensemble)


@fuzz(40)
@given(
    a=maybe(st.floats(0.0, 10.0)),
    b=maybe(st.floats(0.1, 5.0)),
    c=maybe(st.floats(0.0, 1.0)),
    name=maybe(st.just("anxiety_gain_1")),
)
def test_stress_and_interventions(a, b, c, name):
    call(dm.stress.pulse, a, b, c)
    call(dm.stress.step, a, c)
    call(dm.stress.periodic, b, c, c)
    call(dm.stress.piecewise_linear, [0.0, b], [c, c] if not isinstance(a, float) else a)
    call(dm.intervention, name, a, start=b)
    call(dm.interventions.naming_the_cycle, c)
    call(dm.interventions.self_soothing, 1, factor=a)


@fuzz(25)
@given(
    mp=_params_strategy(("pursuer-distancer-2d", "strogatz-linear")),
    x0=maybe(st.just([0.5, 0.5])),
    t=maybe(st.just((0.0, 5.0))),
    rtol=maybe(1e-6),
    method=maybe("RK45"),
)
def test_simulate_and_ensemble(mp, x0, t, rtol, method):
    m, p = mp
    call(dm.simulate, m, p, x0, t, rtol=rtol, method=method)
    call(dm.ensemble, m, p, [x0, x0] if _is(x0, [0.5, 0.5]) else x0, t, rtol=rtol)


# ---------------------------------------------------------------------------------------
# the large run


@pytest.mark.slow
@fuzz(400)
@given(
    mp=_params_strategy(ALL_MODELS),
    x=maybe(st.none()),
    domain=maybe(st.none()),
    resolution=maybe(st.integers(3, 30)),
    guess=maybe(st.just([1.0, 1.0])),
    inputs=maybe(st.none()),
)
def test_analysis_many_examples(mp, x, domain, resolution, guess, inputs):
    m, p = mp
    slices = {s.name: 1.0 for s in m.states[2:]} or None
    call(
        dm.nullclines,
        m,
        p,
        x=x,
        domain=domain,
        resolution=resolution,
        slice_values=slices,
        inputs=inputs,
    )
    call(dm.vector_field, m, p, x=x, domain=domain, resolution=resolution, slice_values=slices)
    call(dm.classify_trajectory, m, p, guess, t_max=10.0, inputs=inputs)
    call(dm.equilibria, m, p, domain, inputs=inputs)
