"""Tests for `dyadmodel.attachment`: ECR-R scoring, styles, and the parameter mapping.

The equilibrium counts of ``pursuer-distancer-2d`` are computed here by a 1-D
reduction that needs nothing but the model's compiled right-hand side (the analysis
module is tested on its own): at zero stress an equilibrium has
``y = d2 + c2 H2(x)`` and ``x = b1 + a1 H1(y)``, so its x is a root of
``g(x) = b1 + a1 H1(d2 + c2 H2(x)) - x`` on ``[0, b1 + a1]``.
"""

import math
from fractions import Fraction

import numpy as np
import pytest
import sympy as sp
from hypothesis import assume, given
from hypothesis import strategies as st
from scipy.optimize import brentq

import dyadmodel as dm
from dyadmodel.attachment import (
    DEFAULT_CUTOFFS,
    DEFAULT_MAPPING,
    ECR_R,
    REFERENCES,
    STYLE_PROTOTYPES,
    AttachmentInputError,
    AttachmentMapping,
    AttachmentScores,
    AttachmentStyle,
    ItemKey,
    StyleCutoffs,
    classify_style,
    couple_params,
    couple_params_from,
    score_ecr_r,
)
from dyadmodel.model import Model, Parameter, ParameterError, State, symbols

S = AttachmentStyle
TWO_D = "pursuer-distancer-2d"
FULL = "pursuer-distancer"
ANXIETY_REVERSED = (9, 11)
AVOIDANCE_REVERSED = (20, 22, 26, 27, 28, 29, 30, 31, 33, 34, 35, 36)


@pytest.fixture(scope="module")
def m2d():
    return dm.models.get(TWO_D)


@pytest.fixture(scope="module")
def full():
    return dm.models.get(FULL)


# -- ECR-R key ----------------------------------------------------------------------------
def test_published_key():
    # Fraley, Waller & Brennan (2000): anxiety 1-18, avoidance 19-36; reverse-keyed
    # 9, 11 (anxiety) and 20, 22, 26-31, 33-36 (avoidance); 1-7 scale.
    assert ECR_R.anxiety_items == tuple(range(1, 19))
    assert ECR_R.avoidance_items == tuple(range(19, 37))
    assert ECR_R.reversed_items == ANXIETY_REVERSED + AVOIDANCE_REVERSED
    assert ECR_R.scale == (1, 7)
    assert ECR_R.n_items == 36
    assert ECR_R.version == "1"
    assert "Fraley" in ECR_R.name


def test_key_is_frozen_and_normalised():
    key = ItemKey("toy", "2", anxiety_items=[2, 1], avoidance_items=[4, 3], reversed_items={3})
    assert key.anxiety_items == (1, 2) and key.reversed_items == (3,)
    with pytest.raises(AttributeError):
        key.version = "3"


@pytest.mark.parametrize(
    ("kwargs", "fragments"),
    [
        ({"anxiety_items": (1, 2), "avoidance_items": (2, 3)}, ["item(s) 2", "both"]),
        ({"anxiety_items": (1, 2), "avoidance_items": (4,)}, ["1 to 3", "missing 3"]),
        (
            {"anxiety_items": (1,), "avoidance_items": (2,), "reversed_items": (5,)},
            ["reversed item(s) 5", "no dimension"],
        ),
        ({"anxiety_items": (), "avoidance_items": (1,)}, ["at least one item"]),
        ({"anxiety_items": (1, 1), "avoidance_items": (2,)}, ["twice"]),
        ({"anxiety_items": (1, "2"), "avoidance_items": (3,)}, ["'2'", "positive integer"]),
        ({"anxiety_items": "12", "avoidance_items": (3,)}, ["'12'", "sequence"]),
        ({"anxiety_items": (1,), "avoidance_items": (2,), "scale": (7, 1)}, ["(7, 1)"]),
        ({"anxiety_items": (1,), "avoidance_items": (2,), "scale": (1.0, 7)}, ["integer"]),
    ],
)
def test_bad_key(kwargs, fragments):
    with pytest.raises(AttachmentInputError) as info:
        ItemKey("toy", "1", **kwargs)
    for f in fragments:
        assert f in str(info.value)


# -- ECR-R scoring: hand-computed cases -------------------------------------------------------
def test_all_ones_by_hand():
    # All responses 1.
    # anxiety: 16 plain items score 1, reversed items 9 and 11 score 8 - 1 = 7:
    #   (16 * 1 + 2 * 7) / 18 = 30 / 18 = 5/3
    # avoidance: 6 plain items (19, 21, 23, 24, 25, 32) score 1, the 12 reversed score 7:
    #   (6 * 1 + 12 * 7) / 18 = 90 / 18 = 5
    s = score_ecr_r([1] * 36)
    assert s.anxiety == pytest.approx(5 / 3, abs=1e-15)
    assert s.avoidance == 5.0
    assert s.key is ECR_R


def test_all_sevens_by_hand():
    # All responses 7: anxiety (16 * 7 + 2 * 1) / 18 = 114 / 18 = 19/3;
    # avoidance (6 * 7 + 12 * 1) / 18 = 54 / 18 = 3.
    s = score_ecr_r([7] * 36)
    assert s.anxiety == pytest.approx(19 / 3, abs=1e-15)
    assert s.avoidance == 3.0


def test_cycling_responses_by_hand():
    # Response to item i is (i mod 7) + 1.
    # Items 1-18:  2 3 4 5 6 7 1 | 2 3 4 5 6 7 1 | 2 3 4 5   raw sum 28 + 28 + 14 = 70.
    # Reversed: item 9 (3 -> 5, +2), item 11 (5 -> 3, -2): sum stays 70.
    # anxiety = 70 / 18 = 35/9 = 3.888...
    # Items 19-36: 19:6 20:7 21:1 22:2 23:3 24:4 25:5 26:6 27:7 28:1 29:2 30:3 31:4 32:5
    #              33:6 34:7 35:1 36:2
    # plain items 19, 21, 23, 24, 25, 32: 6 + 1 + 3 + 4 + 5 + 5 = 24
    # reversed (8 - x): 20:1 22:6 26:2 27:1 28:7 29:6 30:5 31:4 33:2 34:1 35:7 36:6 = 48
    # avoidance = (24 + 48) / 18 = 72 / 18 = 4 exactly: at the cut-off, so "high".
    responses = [(i % 7) + 1 for i in range(1, 37)]
    s = score_ecr_r(responses)
    assert s.anxiety == pytest.approx(35 / 9, abs=1e-15)
    assert s.avoidance == 4.0
    assert s.style() is S.AVOIDANT


def test_prototypical_anxious_respondent_by_hand():
    # Agrees (6) with every plain anxiety item and disagrees (2) with the reversed ones
    # (9, 11: "I rarely worry ..."), so every anxiety item scores 6: anxiety = 6.
    # Disagrees (2) with plain avoidance items, agrees (6) with reversed ones ("I feel
    # comfortable sharing ..."), which score 8 - 6 = 2: avoidance = 2.
    responses = {}
    for i in range(1, 19):
        responses[i] = 2 if i in ANXIETY_REVERSED else 6
    for i in range(19, 37):
        responses[i] = 6 if i in AVOIDANCE_REVERSED else 2
    s = score_ecr_r(responses)
    assert (s.anxiety, s.avoidance) == (6.0, 2.0)
    assert s.style() is S.ANXIOUS
    assert (s.anxiety, s.avoidance) == S.ANXIOUS.prototype


def test_one_reversed_item_by_hand():
    # All 4 except item 9 = 1 (reversed, scores 7): anxiety = (17 * 4 + 7) / 18 = 75/18.
    # All 4 except item 19 = 1 (plain): avoidance = (17 * 4 + 1) / 18 = 69/18.
    responses = [4] * 36
    responses[9 - 1] = 1
    responses[19 - 1] = 1
    s = score_ecr_r(responses)
    assert s.anxiety == pytest.approx(75 / 18, abs=1e-15)
    assert s.avoidance == pytest.approx(69 / 18, abs=1e-15)


def test_accepted_input_forms():
    responses = [(i % 7) + 1 for i in range(1, 37)]
    expected = score_ecr_r(responses)
    assert score_ecr_r(tuple(responses)) == expected
    assert score_ecr_r(np.array(responses)) == expected
    assert score_ecr_r(np.array(responses, dtype=float)) == expected  # 4.0 from a spreadsheet
    assert score_ecr_r({i + 1: r for i, r in reversed(list(enumerate(responses)))}) == expected
    assert score_ecr_r({np.int64(i + 1): np.int8(r) for i, r in enumerate(responses)}) == expected
    assert score_ecr_r([Fraction(r) for r in responses]) == expected


# -- ECR-R scoring: properties --------------------------------------------------------------
@st.composite
def keys(draw):
    """Random complete keys: a random split of items 1..n, random reversed items, and a
    scale of even width (so that its midpoint is an admissible response)."""
    n = draw(st.integers(2, 40))
    order = draw(st.permutations(range(1, n + 1)))
    n_anx = draw(st.integers(1, n - 1))
    reversed_items = [i for i in range(1, n + 1) if draw(st.booleans())]
    lo = draw(st.integers(-3, 3))
    hi = lo + 2 * draw(st.integers(1, 4))
    return ItemKey(
        "random key", "test", order[:n_anx], order[n_anx:], reversed_items, scale=(lo, hi)
    )


@st.composite
def keys_and_responses(draw, key_strategy=None):
    key = draw(key_strategy if key_strategy is not None else st.one_of(st.just(ECR_R), keys()))
    lo, hi = key.scale
    responses = draw(st.lists(st.integers(lo, hi), min_size=key.n_items, max_size=key.n_items))
    return key, responses


@given(keys())
def test_midpoint_responses_give_midpoint_scores(key):
    mid = key.midpoint
    s = score_ecr_r([int(mid)] * key.n_items, key)
    assert (s.anxiety, s.avoidance) == (mid, mid)


@given(keys_and_responses())
def test_scores_stay_on_the_scale(kr):
    key, responses = kr
    s = score_ecr_r(responses, key)
    lo, hi = key.scale
    assert lo <= s.anxiety <= hi and lo <= s.avoidance <= hi


@given(keys_and_responses())
def test_reflecting_every_response_reflects_the_scores(kr):
    # x -> lo + hi - x on every item maps each scored value v to lo + hi - v, whichever
    # items are reversed, so each dimension's mean s maps to lo + hi - s (8 - s on 1-7).
    key, responses = kr
    lo, hi = key.scale
    s = score_ecr_r(responses, key)
    r = score_ecr_r([lo + hi - x for x in responses], key)
    assert r.anxiety == pytest.approx(lo + hi - s.anxiety, abs=1e-12)
    assert r.avoidance == pytest.approx(lo + hi - s.avoidance, abs=1e-12)


@given(keys_and_responses())
def test_complementing_the_reversed_items_reflects_the_scores(kr):
    # Reversing exactly the items that were not reversed (and un-reversing the others)
    # also maps s to lo + hi - s on both dimensions.
    key, responses = kr
    lo, hi = key.scale
    everything = set(range(1, key.n_items + 1))
    flipped = ItemKey(
        key.name,
        key.version + "-flipped",
        key.anxiety_items,
        key.avoidance_items,
        sorted(everything - set(key.reversed_items)),
        scale=key.scale,
    )
    s = score_ecr_r(responses, key)
    f = score_ecr_r(responses, flipped)
    assert f.anxiety == pytest.approx(lo + hi - s.anxiety, abs=1e-12)
    assert f.avoidance == pytest.approx(lo + hi - s.avoidance, abs=1e-12)


@given(keys_and_responses(), st.data())
def test_raising_one_response_moves_only_its_dimension_in_its_direction(kr, data):
    key, responses = kr
    _, hi = key.scale
    item = data.draw(st.integers(1, key.n_items))
    assume(responses[item - 1] < hi)
    raised = list(responses)
    raised[item - 1] += 1
    before, after = score_ecr_r(responses, key), score_ecr_r(raised, key)
    own, other = ("anxiety", "avoidance") if item in key.anxiety_items else ("avoidance", "anxiety")
    n_own = len(getattr(key, f"{own}_items"))
    step = -1 if item in key.reversed_items else 1
    assert getattr(after, own) - getattr(before, own) == pytest.approx(step / n_own, abs=1e-12)
    assert getattr(after, other) == getattr(before, other)


@given(keys_and_responses(), st.randoms(use_true_random=False))
def test_sequence_and_shuffled_mapping_agree(kr, rnd):
    key, responses = kr
    pairs = list(enumerate(responses, start=1))
    rnd.shuffle(pairs)
    assert score_ecr_r(dict(pairs), key) == score_ecr_r(responses, key)


@given(keys_and_responses(st.just(ECR_R)))
def test_ecr_r_matches_exact_rational_arithmetic(kr):
    # An independent reference: exact fractions, reversal written out as 8 - x.
    _, responses = kr
    scored = [
        8 - x if i in ANXIETY_REVERSED + AVOIDANCE_REVERSED else x
        for i, x in enumerate(responses, start=1)
    ]
    s = score_ecr_r(responses)
    assert s.anxiety == float(Fraction(sum(scored[:18]), 18))
    assert s.avoidance == float(Fraction(sum(scored[18:]), 18))


# -- ECR-R scoring: bad input ---------------------------------------------------------------
def _with(item, value):
    responses = [4] * 36
    responses[item - 1] = value
    return responses


@pytest.mark.parametrize(
    ("responses", "fragments"),
    [
        ([4] * 35, ["expected 36 responses", "got 35"]),
        ([4] * 37, ["expected 36 responses", "got 37"]),
        ([], ["got 0"]),
        (_with(12, "4"), ["item 12", "'4'", "str", "strings are never parsed"]),
        (_with(4, "2+2"), ["item 4", "'2+2'", "never parsed"]),
        (_with(30, "__import__('os')"), ["item 30", "never parsed"]),
        (_with(5, True), ["item 5", "True", "bool"]),
        (_with(6, np.bool_(False)), ["item 6", "False", "bool"]),
        (_with(20, math.nan), ["item 20", "nan", "NaN"]),
        (_with(21, np.float64("nan")), ["item 21", "NaN"]),
        (_with(9, math.inf), ["item 9", "inf", "not finite"]),
        (_with(3, 4.5), ["item 3", "4.5", "not an integer"]),
        (_with(36, 8), ["item 36", "response 8", "outside", "integer from 1 to 7"]),
        (_with(1, 0), ["item 1", "response 0", "from 1 to 7"]),
        (_with(7, -1), ["item 7", "response -1"]),
        (_with(8, 7.5), ["item 8", "7.5", "not an integer"]),
        (_with(2, None), ["item 2", "None", "NoneType"]),
        (_with(10, 4 + 0j), ["item 10", "complex"]),
        (_with(11, [4]), ["item 11", "list"]),
        pytest.param(_with(13, 10**400), ["item 13", "outside", "characters"], id="huge-int"),
        ("4" * 36, ["str", "never parsed"]),
        (b"4" * 36, ["bytes", "never parsed"]),
        (None, ["NoneType", "sequence of 36"]),
        (4, ["int", "sequence of 36"]),
        ((x for x in [4] * 36), ["generator"]),
        (np.full((6, 6), 4), ["shape (6, 6)", "1-D"]),
        ({i: 4 for i in range(1, 36)}, ["missing response for item 36", "1 to 36"]),
        ({i: 4 for i in range(2, 36)}, ["missing responses for items 1, 36"]),
        ({**{i: 4 for i in range(1, 37)}, 37: 4}, ["item 37", "1 to 36"]),
        ({**{i: 4 for i in range(1, 37)}, 0: 4}, ["item 0", "1 to 36"]),
        ({**{i: 4 for i in range(2, 37)}, "1": 4}, ["'1'", "str", "not an integer"]),
        ({**{i: 4 for i in range(2, 37)}, True: 4}, ["True", "bool", "not an integer"]),
        ({**{i: 4 for i in range(1, 36)}, 36: "7"}, ["item 36", "'7'", "str"]),
    ],
)
def test_bad_responses_raise_one_clear_error(responses, fragments):
    with pytest.raises(AttachmentInputError) as info:
        score_ecr_r(responses)
    message = str(info.value)
    for f in fragments:
        assert f in message, message
    assert isinstance(info.value, ValueError)


def test_first_bad_item_is_reported_alone():
    responses = _with(3, 9)
    responses[10 - 1] = "x"
    with pytest.raises(AttachmentInputError) as info:
        score_ecr_r(responses)
    assert "item 3" in str(info.value) and "item 10" not in str(info.value)


def test_error_names_a_custom_key():
    key = ItemKey("ECR-S toy", "1", anxiety_items=(1, 2), avoidance_items=(3, 4), scale=(1, 5))
    with pytest.raises(AttachmentInputError, match=r"ECR-S toy item 4: response 6 .* 1 to 5"):
        score_ecr_r([1, 2, 3, 6], key)


# -- styles -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("anxiety", "avoidance", "style"),
    [
        (1.0, 1.0, S.SECURE),
        (3.999, 3.999, S.SECURE),
        (4.0, 3.999, S.ANXIOUS),  # exactly at the cut-off counts as high
        (3.999, 4.0, S.AVOIDANT),
        (4.0, 4.0, S.FEARFUL),
        (math.nextafter(4.0, 0.0), math.nextafter(4.0, 0.0), S.SECURE),
        (math.nextafter(4.0, 9.0), math.nextafter(4.0, 0.0), S.ANXIOUS),
        (7.0, 1.0, S.ANXIOUS),
        (1.0, 7.0, S.AVOIDANT),
        (7.0, 7.0, S.FEARFUL),
    ],
)
def test_styles_at_and_around_the_default_cutoffs(anxiety, avoidance, style):
    assert classify_style(anxiety, avoidance) is style
    assert AttachmentScores(anxiety, avoidance).style() is style


def test_default_cutoffs_are_the_scale_midpoint():
    assert DEFAULT_CUTOFFS == StyleCutoffs(4.0, 4.0)
    assert (DEFAULT_CUTOFFS.anxiety, DEFAULT_CUTOFFS.avoidance) == (ECR_R.midpoint,) * 2


def test_cutoffs_can_be_overridden():
    c = StyleCutoffs(anxiety=3.5, avoidance=5.0)
    assert classify_style(3.5, 4.9, c) is S.ANXIOUS
    assert classify_style(3.4, 5.0, c) is S.AVOIDANT
    assert classify_style(4.5, 4.5) is S.FEARFUL
    assert classify_style(4.5, 4.5, c) is S.ANXIOUS
    assert score_ecr_r([4] * 36).style(StyleCutoffs(4.5, 4.5)) is S.SECURE


@given(st.floats(1, 7), st.floats(1, 7), st.floats(1, 7), st.floats(1, 7))
def test_style_is_monotone_in_each_dimension(a, v, ca, cv):
    # Raising anxiety can only move a style from "low anxiety" to "high anxiety".
    c = StyleCutoffs(ca, cv)
    style = classify_style(a, v, c)
    assert (style in (S.ANXIOUS, S.FEARFUL)) == (a >= ca)
    assert (style in (S.AVOIDANT, S.FEARFUL)) == (v >= cv)


def test_prototypes_lie_in_their_own_quadrant_away_from_the_cutoffs():
    assert set(STYLE_PROTOTYPES) == set(S)
    for style, (a, v) in STYLE_PROTOTYPES.items():
        assert classify_style(a, v) is style
        assert abs(a - 4.0) >= 1.0 and abs(v - 4.0) >= 1.0
        assert 1.0 < a < 7.0 and 1.0 < v < 7.0
    assert S.SECURE.prototype == (2.0, 2.0) and S.FEARFUL.prototype == (6.0, 6.0)


@pytest.mark.parametrize(
    ("name", "style"),
    [
        ("secure", S.SECURE),
        ("Anxious", S.ANXIOUS),
        ("preoccupied", S.ANXIOUS),
        ("dismissing", S.AVOIDANT),
        ("dismissive", S.AVOIDANT),
        (" fearful ", S.FEARFUL),
        ("fearful-avoidant", S.FEARFUL),
        (S.AVOIDANT, S.AVOIDANT),
    ],
)
def test_style_names(name, style):
    assert AttachmentStyle.from_name(name) is style


def test_bartholomew_names():
    assert [s.bartholomew_name for s in S] == ["secure", "preoccupied", "dismissing", "fearful"]


@pytest.mark.parametrize(
    ("name", "fragments"),
    [
        ("secur", ["'secur'", "did you mean 'secure'", "secure, anxious, avoidant, fearful"]),
        ("disorganized", ["'disorganized'", "expected one of"]),
        (3, ["3", "int"]),
        (None, ["None"]),
    ],
)
def test_bad_style_names(name, fragments):
    with pytest.raises(AttachmentInputError) as info:
        AttachmentStyle.from_name(name)
    for f in fragments:
        assert f in str(info.value)


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        ((math.nan, 2.0), ["anxiety = nan", "NaN"]),
        ((2.0, math.inf), ["avoidance = inf"]),
        (("4", 2.0), ["'4'", "str"]),
        ((2.0, True), ["avoidance = True", "bool"]),
    ],
)
def test_bad_classify_input(args, fragments):
    with pytest.raises(AttachmentInputError) as info:
        classify_style(*args)
    for f in fragments:
        assert f in str(info.value)


def test_bad_cutoffs():
    with pytest.raises(AttachmentInputError, match="anxiety cut-off = nan"):
        StyleCutoffs(math.nan, 4.0)
    with pytest.raises(AttachmentInputError, match=r"cutoffs = 4\.0 is a float"):
        classify_style(2.0, 2.0, 4.0)


# -- the mapping --------------------------------------------------------------------------------
def test_default_mapping_coefficients():
    m = DEFAULT_MAPPING
    assert (m.anxiety_gain_min, m.anxiety_gain_max) == (0.0, 2.76)
    assert (m.avoidance_gain_min, m.avoidance_gain_max) == (0.0, 2.76)
    assert m.openness_max is None and m.scale == (1.0, 7.0)
    for score, gain in [(1, 0.0), (2, 0.46), (4, 1.38), (6, 2.3), (7, 2.76)]:
        assert m.anxiety_gain(score) == pytest.approx(gain, abs=1e-12)
        assert m.avoidance_gain(score) == pytest.approx(gain, abs=1e-12)
    assert "MODELLING ASSUMPTION" in AttachmentMapping.__doc__


def test_mapping_is_linear_from_the_scale_floor():
    m = AttachmentMapping(anxiety_gain_min=0.5, anxiety_gain_max=3.5)
    # g_min + (g_max - g_min) * (s - 1) / 6
    for s in (1.0, 2.5, 4.0, 6.25, 7.0):
        assert m.anxiety_gain(s) == pytest.approx(0.5 + 3.0 * (s - 1) / 6, abs=1e-12)


mappings = st.builds(
    lambda a0, da, v0, dv, o: AttachmentMapping(a0, a0 + da, v0, v0 + dv, o),
    st.floats(0, 5),
    st.floats(0, 5),
    st.floats(0, 5),
    st.floats(0, 5),
    st.one_of(st.none(), st.floats(0, 3)),
)
scores = st.floats(1, 7)


@given(mappings, scores, scores)
def test_mapping_is_monotone(mapping, s, t):
    lo, hi = sorted((s, t))
    # higher anxiety never lowers anxiety_gain; likewise for avoidance
    assert mapping.anxiety_gain(lo) <= mapping.anxiety_gain(hi)
    assert mapping.avoidance_gain(lo) <= mapping.avoidance_gain(hi)
    if mapping.openness_max is not None:
        # openness never rises with avoidance
        assert mapping.openness(lo) >= mapping.openness(hi)


@given(scores, scores, scores, scores, scores)
def test_couple_params_monotone_in_anxiety(a, b, v1, a2, v2):
    m = dm.models.get(FULL)
    lo, hi = sorted((a, b))
    p_lo, p_hi = couple_params(m, lo, v1, a2, v2), couple_params(m, hi, v1, a2, v2)
    assert p_lo["anxiety_gain_1"] <= p_hi["anxiety_gain_1"]
    assert {k: v for k, v in p_lo.items() if k != "anxiety_gain_1"} == {
        k: v for k, v in p_hi.items() if k != "anxiety_gain_1"
    }


def test_openness_mapping_is_opt_in(full):
    assert "openness_1" not in DEFAULT_MAPPING.parameter_values(2, 2, 2, 2)
    mapping = AttachmentMapping(openness_max=0.6)
    values = mapping.parameter_values(2, 1, 2, 7)
    assert values["openness_1"] == pytest.approx(0.6) and values["openness_2"] == 0.0
    p = couple_params(full, 2, 4, 2, 7, mapping=mapping)
    assert p["openness_1"] == pytest.approx(0.3) and p["openness_2"] == 0.0
    assert couple_params(full, 2, 4, 2, 7)["openness_1"] == full.parameter("openness_1").default


@pytest.mark.parametrize(
    ("kwargs", "fragments"),
    [
        (
            {"anxiety_gain_min": 3.0, "anxiety_gain_max": 1.0},
            ["anxiety_gain_min = 3", "exceeds", "must not let a higher score lower"],
        ),
        ({"avoidance_gain_max": math.nan}, ["avoidance_gain_max = nan", "finite"]),
        ({"anxiety_gain_max": "2"}, ["anxiety_gain_max = '2'"]),
        ({"anxiety_gain_max": True}, ["anxiety_gain_max = True"]),
        ({"openness_max": -0.1}, ["openness_max = -0.1", "negative"]),
        ({"scale": (7.0, 1.0)}, ["scale = (7.0, 1.0)"]),
    ],
)
def test_bad_mapping(kwargs, fragments):
    with pytest.raises(AttachmentInputError) as info:
        AttachmentMapping(**kwargs)
    for f in fragments:
        assert f in str(info.value)


def test_mapping_describe_matches_the_numbers():
    text = DEFAULT_MAPPING.describe()
    assert "anxiety_gain_i = 0 + 0.46 * (anxiety_i - 1)" in text
    assert "openness_i = 0.1 * (7 - avoidance_i)" in AttachmentMapping(openness_max=0.6).describe()


# -- couple_params ---------------------------------------------------------------------------
def test_two_d_model_uses_partner_1_anxiety_and_partner_2_avoidance_only(m2d):
    p = couple_params(m2d, 6, 2, 2, 6)
    assert p["anxiety_gain_1"] == pytest.approx(2.3) and p["avoidance_gain_2"] == pytest.approx(2.3)
    # partner 1's avoidance and partner 2's anxiety have no parameter in the 2D model
    assert couple_params(m2d, 6, 1, 7, 6) == couple_params(m2d, 6, 7, 1, 6) == p
    # and everything else keeps the model defaults
    defaults = m2d.params()
    for name in m2d.parameter_names:
        if name not in ("anxiety_gain_1", "avoidance_gain_2"):
            assert p[name] == defaults[name]


def test_full_model_uses_all_four_scores(full):
    p = couple_params(full, 7, 4, 1, 2.5)
    assert (p["anxiety_gain_1"], p["avoidance_gain_1"]) == pytest.approx((2.76, 1.38))
    assert (p["anxiety_gain_2"], p["avoidance_gain_2"]) == pytest.approx((0.0, 0.69))


def test_mapped_sets_pass_model_validation(m2d, full):
    for model in (m2d, full):
        for s1 in S:
            for s2 in S:
                for mapping in (DEFAULT_MAPPING, AttachmentMapping(openness_max=1.0)):
                    p = couple_params_from(model, s1, s2, mapping=mapping)
                    assert p.model_name == model.name
                    assert model.params(p.as_dict()) == p  # re-validates every value


def test_overrides_win_and_are_validated(m2d):
    p = couple_params(m2d, 6, 2, 2, 6, anxiety_gain_1=1.0, threshold_2=2.0)
    assert p["anxiety_gain_1"] == 1.0 and p["threshold_2"] == 2.0
    with pytest.raises(ParameterError, match="unknown parameter 'anxiety_gain_3'"):
        couple_params(m2d, 6, 2, 2, 6, anxiety_gain_3=1.0)
    with pytest.raises(ParameterError, match="'threshold_1' = -1"):
        couple_params(m2d, 6, 2, 2, 6, threshold_1=-1.0)


def test_mapped_value_outside_the_model_bounds_names_its_source(m2d):
    upper = m2d.parameter("anxiety_gain_1").bounds[1]
    mapping = AttachmentMapping(anxiety_gain_max=upper + 10.0)
    with pytest.raises(ParameterError) as info:
        couple_params(m2d, 7, 2, 2, 2, mapping=mapping)
    message = str(info.value)
    for f in [
        "'anxiety_gain_1'",
        f"{upper + 10:g}",
        "mapped from anxiety_1 = 7",
        "anxiety_gain_max",
    ]:
        assert f in message, message


@pytest.mark.parametrize("position", range(4))
@pytest.mark.parametrize(
    ("bad", "fragments"),
    [
        (math.nan, ["nan", "NaN"]),
        (math.inf, ["inf", "not finite"]),
        (-math.inf, ["-inf"]),
        (True, ["True", "bool"]),
        ("6", ["'6'", "str"]),
        (None, ["None"]),
        (0.99, ["0.99", "outside [1, 7]"]),
        (7.01, ["7.01", "outside [1, 7]"]),
        pytest.param(10**400, ["outside", "characters"], id="huge-int"),
    ],
)
def test_bad_scores_raise_naming_the_score(m2d, position, bad, fragments):
    names = ["anxiety_1", "avoidance_1", "anxiety_2", "avoidance_2"]
    args = [4.0] * 4
    args[position] = bad
    with pytest.raises(AttachmentInputError) as info:
        couple_params(m2d, *args)
    message = str(info.value)
    assert message.startswith(f"{names[position]} = "), message
    for f in fragments:
        assert f in message, message


def test_model_without_mapped_parameters_is_rejected():
    (x,) = symbols("x")
    (k,) = symbols("k")
    toy = Model(
        "toy-decay",
        "decay",
        [State("x", "x")],
        [Parameter("k", 1.0, "rate")],
        [-k * x],
        references=[REFERENCES[0]],
    )
    with pytest.raises(AttachmentInputError, match="'toy-decay' has none of the parameters"):
        couple_params(toy, 2, 2, 2, 2)
    with pytest.raises(AttachmentInputError, match="expected a dyadmodel Model"):
        couple_params("pursuer-distancer-2d", 2, 2, 2, 2)


def test_couple_params_from_styles_scores_and_pairs(m2d, full):
    assert couple_params_from(full, "anxious", S.AVOIDANT) == couple_params(full, 6, 2, 2, 6)
    assert couple_params_from(full, "preoccupied", "dismissing") == couple_params(full, 6, 2, 2, 6)
    sc = score_ecr_r([4] * 36)
    assert couple_params_from(full, sc, (3.0, 5.0)) == couple_params(full, 4, 4, 3, 5)
    assert couple_params_from(m2d, "fearful", "fearful", threshold_1=1.5)["threshold_1"] == 1.5
    with pytest.raises(AttachmentInputError, match=r"partner_2 = 3\.0 is a float"):
        couple_params_from(m2d, "secure", 3.0)
    with pytest.raises(AttachmentInputError, match="did you mean 'avoidant'"):
        couple_params_from(m2d, "secure", "avoidnt")


def test_end_to_end_from_questionnaires(m2d):
    anxious = {i: (2 if i in ANXIETY_REVERSED else 6) for i in range(1, 19)}
    anxious |= {i: (6 if i in AVOIDANCE_REVERSED else 2) for i in range(19, 37)}
    avoidant = {i: 8 - r for i, r in anxious.items()}  # reflect every answer: (2, 6)
    s1, s2 = score_ecr_r(anxious), score_ecr_r(avoidant)
    assert (s1.style(), s2.style()) == (S.ANXIOUS, S.AVOIDANT)
    assert len(equilibria_2d(m2d, couple_params_from(m2d, s1, s2))) == 3


# -- equilibria of the 2D model (helper) ------------------------------------------------------
def equilibria_2d(model, p, n_grid=200_001, residual_tol=1e-10):
    """All equilibria of ``pursuer-distancer-2d`` at zero stress, as sorted (x, y).

    The y-nullcline is ``y = d2 + c2 H2(x)``, read off the model's own rhs as
    ``rhs_y(x, 0) / r2``; substituting it in ``rhs_x / r1`` gives
    ``g(x) = b1 + a1 H1(d2 + c2 H2(x)) - x``, positive at x = 0 (b1 > 0) and negative
    beyond ``b1 + a1``. Roots are bracketed by sign changes on a fine grid, refined by
    Brent's method, and each is checked to be a zero of the full 2D right-hand side.
    A tangential (double) root, present only on a fold, would be missed.
    """
    r1, r2 = p["recovery_rate_1"], p["recovery_rate_2"]
    x_max = p["approach_baseline_1"] + p["anxiety_gain_1"] + 1.0

    def y_star(x):
        x = np.atleast_1d(np.asarray(x, dtype=float))
        return model.rhs(np.vstack([x, np.zeros_like(x)]), p)[1] / r2

    def g(x):
        x = np.atleast_1d(np.asarray(x, dtype=float))
        return model.rhs(np.vstack([x, y_star(x)]), p)[0] / r1

    grid = np.linspace(0.0, x_max, n_grid)
    gx = g(grid)
    assert gx[0] > 0 and gx[-1] < 0
    roots = [float(grid[i]) for i in np.flatnonzero(gx == 0.0)]
    for i in np.flatnonzero(np.sign(gx[:-1]) * np.sign(gx[1:]) < 0):
        roots.append(brentq(lambda t: float(g(t)[0]), grid[i], grid[i + 1], xtol=1e-14))
    out = []
    for x in sorted(roots):
        state = np.array([x, float(y_star(x)[0])])
        assert np.max(np.abs(model.rhs(state, p))) < residual_tol
        out.append(state)
    return out


def eigenvalues(model, p, state):
    return np.linalg.eigvals(model.jacobian(state, p))


def test_helper_reproduces_the_documented_default_equilibria(m2d):
    # Model docstring: balanced (0.1367, 0.1367), saddle (0.5, 0.5), entrenched
    # (1.4633, 1.4633); exactly, x = 1/2 and the roots of 5x^2 - 8x + 1 (from
    # x = 0.1 + 2 x^2 / (1 + x^2) with x = y).
    eq = equilibria_2d(m2d, m2d.params())
    s = sp.Symbol("s")
    exact = sorted([0.5, *(float(r) for r in sp.solve(5 * s**2 - 8 * s + 1, s))])
    assert [e[0] for e in eq] == pytest.approx(exact, abs=1e-12)
    assert [e[1] for e in eq] == pytest.approx(exact, abs=1e-12)


def _kind(ev, tol=1e-9):
    re = np.real(ev)
    if np.all(re < -tol):
        return "stable"
    if np.any(re > tol) and np.any(re < -tol):
        return "saddle"
    return "other"


def test_secure_couple_is_monostable_and_balanced(m2d):
    p = couple_params(m2d, 2, 2, 2, 2)
    eq = equilibria_2d(m2d, p)
    assert len(eq) == 1
    (state,) = eq
    assert _kind(eigenvalues(m2d, p, state)) == "stable"
    # balanced: each partner's reaction is below half its maximum (state < threshold)
    assert state[0] < p["threshold_2"] and state[1] < p["threshold_1"]


def test_anxious_avoidant_couple_is_bistable(m2d):
    p = couple_params(m2d, 6, 2, 2, 6)
    eq = equilibria_2d(m2d, p)
    assert len(eq) == 3
    kinds = [_kind(eigenvalues(m2d, p, e)) for e in eq]
    assert kinds == ["stable", "saddle", "stable"]
    balanced, _, entrenched = eq
    assert balanced[0] < p["threshold_2"] < entrenched[0]
    assert balanced[1] < p["threshold_1"] < entrenched[1]


def test_calibration_has_margin(m2d):
    # Secure (2) and prototypical insecure (6) scores are not next to a fold: moving each
    # mapped gain by 10% does not change the equilibrium counts.
    for scale in (0.9, 1.1):
        p = couple_params(m2d, 2, 2, 2, 2)
        p = p.replace(
            anxiety_gain_1=p["anxiety_gain_1"] * scale,
            avoidance_gain_2=p["avoidance_gain_2"] * scale,
        )
        assert len(equilibria_2d(m2d, p)) == 1
        p = couple_params(m2d, 6, 2, 2, 6)
        p = p.replace(
            anxiety_gain_1=p["anxiety_gain_1"] * scale,
            avoidance_gain_2=p["avoidance_gain_2"] * scale,
        )
        assert len(equilibria_2d(m2d, p)) == 3


def test_all_sixteen_style_pairings(m2d):
    counts = {}
    for s1 in S:
        for s2 in S:
            counts[s1, s2] = len(equilibria_2d(m2d, couple_params_from(m2d, s1, s2)))
    width = max(len(s) for s in S) + 2
    lines = [
        "equilibria of pursuer-distancer-2d (rows: partner 1, columns: partner 2)",
        " " * width + "".join(f"{s.value:>{width}}" for s in S),
    ]
    lines += [
        f"{s1.value:<{width}}" + "".join(f"{counts[s1, s2]:>{width}}" for s2 in S) for s1 in S
    ]
    print("\n" + "\n".join(lines))

    assert counts[S.SECURE, S.SECURE] == 1
    assert counts[S.ANXIOUS, S.AVOIDANT] == 3
    # The measured table: bistable exactly when partner 1 is high on anxiety and partner
    # 2 high on avoidance (the only two scores the 2D model uses).
    for (s1, s2), n in counts.items():
        high_pursuit = s1 in (S.ANXIOUS, S.FEARFUL)
        high_distance = s2 in (S.AVOIDANT, S.FEARFUL)
        assert n == (3 if high_pursuit and high_distance else 1), (s1, s2, n)


def test_swapping_roles_in_the_2d_model_needs_swapped_styles(m2d):
    # avoidant partner 1 / anxious partner 2: partner 1 has low anxiety, so the
    # (partner 1 pursues, partner 2 distances) loop of the 2D model is weak.
    assert len(equilibria_2d(m2d, couple_params_from(m2d, "avoidant", "anxious"))) == 1
