"""Two-parameter Hopf curves and the attachment regime map (issue 4, points 2 and 5)."""

import functools

import numpy as np
import pytest

import dyadmodel as dm
from dyadmodel.continuation import (
    ContinuationOptions,
    HopfCurve,
    attachment_regime_map,
    continuation,
    hopf_curve,
    regime_map,
)
from dyadmodel.model import Model, Parameter, State, symbols

SYNERGIC = dm.models.get("rinaldi-synergic")
FLAGSHIP = dm.models.get("pursuer-distancer-2d")
UNCERTIFIED = dm.EquilibriumOptions(certify=False)


def _toy(name, rhs_of):
    x, y, a, b = symbols("x y a b")
    return Model(
        name,
        name,
        [State("x", "x"), State("y", "y")],
        [Parameter("a", 0.0, "first parameter"), Parameter("b", 1.0, "second parameter")],
        rhs_of(x, y, a, b),
    )


# x' = mu x - w y - x r^2, y' = w x + mu y - y r^2: Hopf at mu = 0 for every w > 0
HOPF_NF = _toy(
    "hopf-normal-form",
    lambda x, y, mu, w: [mu * x - w * y - x * (x**2 + y**2), w * x + mu * y - y * (x**2 + y**2)],
)
# Bogdanov-Takens normal form x' = y, y' = b1 + b2 x + x^2 - x y: Hopf points on
# b1 = 0, b2 < 0 (equilibrium x = 0, eigenvalues +-i sqrt(-b2)), the BT point at (0, 0)
BT_NF = _toy("bt-normal-form", lambda x, y, b1, b2: [y, b1 + b2 * x + x**2 - x * y])


@functools.cache
def synergic_curve():
    d = continuation(SYNERGIC, None, "alpha1", (0.34, 0.42), ContinuationOptions(seeds=2))
    (h,) = d.hopf_points
    return h, hopf_curve(SYNERGIC, None, d, "alpha2", (0.15, 0.25))


def _critical_real_part(p, near):
    """Real part of the complex pair at the equilibrium nearest ``near``, from
    dm.equilibria (which also finds, for small alpha2, a node and a saddle far outside
    the plotting range, at x2 ~ 30-40)."""
    eqs = dm.equilibria(SYNERGIC, p, options=UNCERTIFIED)
    e = min(eqs, key=lambda f: np.linalg.norm(f.state - near))
    lam = e.eigenvalues[e.eigenvalues.imag > 0]
    assert len(lam) == 1
    return e, lam[0]


@pytest.mark.slow  # over the 4-minute default run (issue 13 §5); CI runs it
def test_synergic_hopf_curve_is_a_curve_of_purely_imaginary_pairs():
    """Continuing the Hopf onset of the synergic couple (Gragnani, Rinaldi & Feichtinger
    1997) in partner 2's forgetting rate alpha2: at points along the curve the
    equilibrium found by dm.equilibria has a purely imaginary pair, and just off the
    curve on either side (along its normal) the pair's real part has opposite signs."""
    h, c = synergic_curve()
    assert isinstance(c, HopfCurve) and c.kind == "hopf"
    assert c.status == "completed" and not c.points and len(c) > 10
    assert (c.x_param, c.y_param) == ("alpha1", "alpha2")
    # passes through the starting Hopf point
    start = np.argmin(np.abs(c.y_values - h.params["alpha2"]))
    assert abs(c.x_values[start] - h.value) < 1e-8
    assert min(c.y_values) < 0.17 and max(c.y_values) > 0.2
    for j in np.linspace(2, len(c) - 3, 3).astype(int):
        a1, a2 = c.x_values[j], c.y_values[j]
        e, lam = _critical_real_part(SYNERGIC.params(alpha1=a1, alpha2=a2), c.states[j])
        assert np.allclose(e.state, c.states[j], atol=1e-8)
        assert abs(lam.real) < 1e-7 and lam.imag > 0
        assert abs(lam.imag - c.frequencies[j]) < 1e-7
        tx, ty = c.x_values[j + 1] - c.x_values[j - 1], c.y_values[j + 1] - c.y_values[j - 1]
        nx, ny = -ty / np.hypot(tx, ty), tx / np.hypot(tx, ty)
        eps = 1e-3
        sides = [
            _critical_real_part(
                SYNERGIC.params(alpha1=a1 + s * eps * nx, alpha2=a2 + s * eps * ny),
                c.states[j],
            )[1]
            for s in (-1, 1)
        ]
        assert sides[0].real * sides[1].real < 0
        assert min(abs(z.real) for z in sides) > 1e-6


def test_hopf_normal_form_curve_is_mu_zero():
    """Closed form: the Hopf normal form has its Hopf curve at mu = 0 for all w > 0,
    with frequency w."""
    d = continuation(HOPF_NF, HOPF_NF.params(b=1.0), "a", (-0.5, 0.5))
    (h,) = d.hopf_points
    c = hopf_curve(HOPF_NF, None, h, "b", (0.5, 2.0), x_span=(-1.0, 1.0))
    assert c.status == "completed" and not c.points
    assert np.max(np.abs(c.x_values)) < 1e-9
    assert c.y_values.min() == pytest.approx(0.5) and c.y_values.max() == pytest.approx(2.0)
    assert np.allclose(c.frequencies, c.y_values, atol=1e-9)
    assert np.max(np.abs(c.states)) < 1e-9


def test_bogdanov_takens_normal_form_curve_ends_at_bt():
    """Closed form: x' = y, y' = b1 + b2 x + x^2 - x y has Hopf points on b1 = 0,
    b2 < 0, with omega^2 = -b2; the curve ends at the Bogdanov-Takens point (0, 0)."""
    d = continuation(BT_NF, BT_NF.params(b=-1.0), "a", (-0.5, 0.2))
    (h,) = d.hopf_points
    assert abs(h.value) < 1e-9
    c = hopf_curve(BT_NF, None, h, "b", (-2.0, 1.0), x_span=(-1.0, 1.0))
    assert c.status == "completed"
    assert np.max(np.abs(c.x_values)) < 1e-9
    assert np.allclose(c.frequencies**2, -c.y_values, atol=1e-9)
    (bt,) = c.points
    assert bt.kind == "bogdanov-takens"
    assert abs(bt.x_value) < 1e-9 and abs(bt.y_value) < 1e-9
    assert np.max(np.abs(bt.eigenvalues)) < 1e-4  # double zero (a Jordan block)
    assert c.y_values.min() == pytest.approx(-2.0)


def test_hopf_curve_rejects_a_fold():
    d = continuation(FLAGSHIP, None, "anxiety_gain_1", (0.0, 4.0))
    with pytest.raises(ValueError, match="Hopf"):
        hopf_curve(FLAGSHIP, None, d.folds[0], "avoidance_gain_2", (1.0, 3.0))
    with pytest.raises(ValueError, match="no Hopf point"):
        hopf_curve(FLAGSHIP, None, d, "avoidance_gain_2", (1.0, 3.0))


def test_regime_map_draws_the_hopf_curve():
    """regime_map traces the Hopf curve of the normal form (mu = 0) from the seeding
    continuations, and the grid's oscillating/monostable change lies on it."""
    r = regime_map(HOPF_NF, None, ("a", (-0.5, 0.4)), ("b", (0.5, 1.5)), 4, curve_lines=2)
    assert len(r.hopf_curves) == 1 and not r.fold_curves
    (c,) = r.hopf_curves
    assert np.max(np.abs(c.x_values)) < 1e-9
    assert c.y_values.min() == pytest.approx(0.5) and c.y_values.max() == pytest.approx(1.5)
    left, right = r.x_values < 0, r.x_values > 0
    assert (r.regimes[:, left] == "monostable").all()
    assert (r.regimes[:, right] == "oscillating").all()


# -- attachment regime map -------------------------------------------------------------------


@functools.cache
def attachment_map():
    return attachment_regime_map(FLAGSHIP, resolution=7)


def test_attachment_regime_map_corners():
    """Phenomenon 9 of the paper: a secure couple (anxiety 2, avoidance 2) is balanced
    only; an anxious pursuer with an avoidant partner (6, 6) is bistable."""
    r = attachment_map()
    assert (r.x_param, r.y_param) == ("anxiety_1", "avoidance_2")
    assert np.allclose(r.x_values, np.arange(1, 8)) and np.allclose(r.y_values, np.arange(1, 8))
    assert r.regimes[1, 1] == "balanced only"
    assert r.regimes[5, 5] == "bistable"
    assert r.regimes[6, 6] == "entrenched only"
    assert r.complete.all() and not r.notes


def test_attachment_fold_curve_crosses_the_diagonal_where_bistability_starts():
    """With the default mapping gain = 0.46 (score - 1) and equal gains, bistability
    starts at gain 1.787 (AttachmentMapping notes), i.e. score 1 + 1.787 / 0.46 = 4.885,
    and ends at gain 2.604 (score 6.66): the fold curves, in scores, cross the diagonal
    there."""
    r = attachment_map()
    crossings = []
    for c in r.fold_curves:
        assert c.x_param == "anxiety_1"
        d = c.x_values - c.y_values
        for i in np.nonzero(d[:-1] * d[1:] <= 0)[0]:
            w = d[i] / (d[i] - d[i + 1])
            crossings.append(c.x_values[i] + w * (c.x_values[i + 1] - c.x_values[i]))
    crossings.sort()
    assert len(crossings) == 2
    assert abs(crossings[0] - (1 + 1.787 / 0.46)) < 0.05
    assert abs(crossings[1] - (1 + 2.604 / 0.46)) < 0.05
    # the grid agrees: on the diagonal, bistable exactly at the scores between them
    diag = [r.regimes[i, i] for i in range(7)]
    assert diag == ["balanced only"] * 4 + ["bistable"] * 2 + ["entrenched only"]


def test_attachment_regime_map_rejects_models_without_the_gains():
    with pytest.raises(ValueError, match="pursuer-distancer"):
        attachment_regime_map(SYNERGIC)
