"""Hopf criticality (issue 16 §3): the first Lyapunov coefficient against closed forms,
Bautin points on Hopf curves, and the synergic couple's supercritical Hopf point."""

import math

import numpy as np
import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st
from scipy.integrate import solve_ivp
from scipy.optimize import fsolve

import dyadmodel as dm
from dyadmodel.continuation import (
    ContinuationOptions,
    HopfCriticality,
    cli_bifurcation,
    continuation,
    first_lyapunov,
    hopf_curve,
)
from dyadmodel.continuation._lyapunov import DEGENERATE_RTOL
from dyadmodel.errors import InvalidInputError
from dyadmodel.model import Model, Parameter, State, symbols

finite = st.floats(-3.0, 3.0, allow_nan=False)
nonzero = finite.filter(lambda v: abs(v) > 1e-3)
frequency = st.floats(0.1, 5.0)


def _model(name, state_names, params, rhs):
    return Model(
        name,
        name,
        [State(s, s) for s in state_names],
        [Parameter(k, v, k) for k, v in params.items()],
        rhs,
    )


# -- Hopf normal form: l1 = s / w (Kuznetsov 2004, Theorem 3.3, z = x + i y) -----------
x, y, z, a, b, w, s = symbols("x y z a b w s")
R2 = x**2 + y**2
HOPF_NF = _model(
    "hopf-nf",
    "xy",
    {"a": 0.0, "w": 1.0, "s": -1.0},
    [a * x - w * y + s * x * R2, w * x + a * y + s * y * R2],
)


@given(s=nonzero, w=frequency)
def test_hopf_normal_form_has_l1_s_over_w(s, w):
    h = first_lyapunov(HOPF_NF, {"s": s, "w": w}, [0.0, 0.0])
    assert h.first_lyapunov == pytest.approx(s / w, rel=1e-12)
    assert h.frequency == pytest.approx(w, rel=1e-12)
    assert h.criticality == ("supercritical" if s < 0 else "subcritical")


@given(a=st.floats(1e-3, 1.0), s=st.floats(-3.0, -1e-3), w=frequency)
def test_hopf_normal_form_cycle_radius(a, s, w):
    """The exact cycle of the normal form has radius sqrt(-a / s) = sqrt(-a / (w l1))."""
    h = first_lyapunov(HOPF_NF, {"s": s, "w": w}, [0.0, 0.0])
    assert h.amplitude(a) == pytest.approx(math.sqrt(-a / s), rel=1e-12)
    assert math.isnan(h.amplitude(-a))  # no cycle on the stable side


def test_hopf_normal_form_without_cubic_terms_is_degenerate():
    h = first_lyapunov(HOPF_NF, {"s": 0.0}, [0.0, 0.0])
    assert h.first_lyapunov == 0.0 and h.criticality == "degenerate"


# -- every planar system: Guckenheimer & Holmes (1983), eq. (3.4.11) --------------------
MONOMIALS = [(2, 0), (1, 1), (0, 2), (3, 0), (2, 1), (1, 2), (0, 3)]
F_COEF = [sp.Symbol(f"f{i}{j}", real=True) for i, j in MONOMIALS]
G_COEF = [sp.Symbol(f"g{i}{j}", real=True) for i, j in MONOMIALS]
PLANAR = _model(
    "planar-cubic",
    "xy",
    {"w": 1.0, **{c.name: 0.0 for c in F_COEF + G_COEF}},
    [
        -w * y + sum(c * x**i * y**j for c, (i, j) in zip(F_COEF, MONOMIALS)),
        w * x + sum(c * x**i * y**j for c, (i, j) in zip(G_COEF, MONOMIALS)),
    ],
)


@given(f=st.lists(finite, min_size=7, max_size=7), g=st.lists(finite, min_size=7, max_size=7),
       w=frequency)  # fmt: skip
def test_planar_l1_matches_guckenheimer_holmes(f, g, w):
    """x' = -w y + f(x, y), y' = w x + g(x, y) with quadratic and cubic f, g:
    16 a = f_xxx + f_xyy + g_xxy + g_yyy + [f_xy (f_xx + f_yy) - g_xy (g_xx + g_yy)
    - f_xx g_xx + f_yy g_yy] / w, and l1 = a / w (r' = a r^3 in r = |(x, y)|)."""
    f20, f11, f02, f30, _, f12, _ = f
    g20, g11, g02, _, g21, _, g03 = g
    fxx, fxy, fyy, gxx, gxy, gyy = 2 * f20, f11, 2 * f02, 2 * g20, g11, 2 * g02
    cubic = 6 * f30 + 2 * f12 + 2 * g21 + 6 * g03
    quadratic = fxy * (fxx + fyy) - gxy * (gxx + gyy) - fxx * gxx + fyy * gyy
    expected = (cubic + quadratic / w) / 16 / w
    values = {"w": w, **{c.name: v for c, v in zip(F_COEF + G_COEF, [*f, *g])}}
    h = first_lyapunov(PLANAR, values, [0.0, 0.0])
    scale = sum(abs(t) for t in (cubic, *np.abs([fxy, gxy, fxx, gyy]) ** 2 / w)) / w + 1.0
    assert h.first_lyapunov == pytest.approx(expected, abs=1e-12 * scale)
    if abs(expected) > 1e-9 * scale:
        assert h.criticality == ("supercritical" if expected < 0 else "subcritical")


# -- three states: the centre manifold term, and invariance under coordinate changes ---
# x' = -w y + x z, y' = w x + y z, z' = -lam z + kappa (x^2 + y^2): on the centre
# manifold z = (kappa / lam) r^2 + O(r^4), so r' = (kappa / lam) r^3 and
# l1 = kappa / (lam w). Written in coordinates xi = c Q (x, y, z) with Q a rotation by
# theta about the axis (1, 1, 1) / sqrt(3) and c > 0: radii scale by c, l1 by 1 / c^2.
lam, kappa, c, th = symbols("lam kappa c theta")
_axis = sp.Matrix([1, 1, 1]) / sp.sqrt(3)
_K = sp.Matrix([[0, -_axis[2], _axis[1]], [_axis[2], 0, -_axis[0]], [-_axis[1], _axis[0], 0]])
_Q = sp.eye(3) + sp.sin(th) * _K + (1 - sp.cos(th)) * _K * _K
_xi = sp.Matrix(symbols("u v q"))
_old = _Q.T * _xi / c
_f = sp.Matrix(
    [
        -w * _old[1] + _old[0] * _old[2],
        w * _old[0] + _old[1] * _old[2],
        -lam * _old[2] + kappa * (_old[0] ** 2 + _old[1] ** 2),
    ]
)
CENTRE_MANIFOLD = _model(
    "centre-manifold",
    "uvq",
    {"w": 1.0, "lam": 1.0, "kappa": 1.0, "c": 1.0, "theta": 0.0},
    list(c * _Q * _f),
)


@given(
    w=frequency,
    lam=st.floats(0.1, 5.0),
    kappa=nonzero,
    c=st.floats(0.2, 5.0),
    theta=st.floats(0.0, 2 * math.pi),
)
def test_three_states_centre_manifold_and_coordinate_changes(w, lam, kappa, c, theta):
    h = first_lyapunov(
        CENTRE_MANIFOLD, {"w": w, "lam": lam, "kappa": kappa, "c": c, "theta": theta}, [0, 0, 0]
    )
    assert h.first_lyapunov == pytest.approx(kappa / (lam * w) / c**2, rel=1e-9)
    assert h.criticality == ("supercritical" if kappa < 0 else "subcritical")


# -- van der Pol ------------------------------------------------------------------------
# Lienard form x'' - (mu - x^2) x' + x = 0 (van der Pol with x scaled by sqrt(mu)):
# r' = (mu / 2) r - r^3 / 8, the cycle of amplitude 2 sqrt(mu) (Guckenheimer & Holmes
# 1983, section 3.4; Strogatz 2015, section 7.6 by averaging).
VDP_LIENARD = dm.Model.from_equations(
    {"x": "y", "y": "(mu - x**2)*y - x"}, {"mu": 0.0}, name="vdp-lienard"
)


def test_van_der_pol_is_supercritical_with_l1_minus_one_eighth():
    h = first_lyapunov(VDP_LIENARD, None, [0.0, 0.0])
    assert isinstance(h, HopfCriticality)
    assert h.first_lyapunov == pytest.approx(-1 / 8, rel=1e-14)
    assert h.criticality == "supercritical"


def test_van_der_pol_cycle_radius_is_sqrt_of_minus_real_part_over_l1():
    """The simulated cycle at mu = 0.04 (real part mu / 2) against
    sqrt(-Re lambda / (omega l1)): they agree to 2.5e-5 (measured; corrections O(mu^2))."""
    mu = 0.04
    h = first_lyapunov(VDP_LIENARD, None, [0.0, 0.0])
    predicted = h.amplitude(mu / 2)
    assert predicted == pytest.approx(2 * math.sqrt(mu), rel=1e-12)
    sol = solve_ivp(
        lambda t, u: [u[1], (mu - u[0] ** 2) * u[1] - u[0]], (0, 600), [0.3, 0.0],
        rtol=1e-8, atol=1e-11, t_eval=np.linspace(600 - 20 * math.pi, 600, 2001),
    )  # fmt: skip
    rms = math.sqrt(np.mean(np.sum(sol.y**2, axis=0)))
    assert rms == pytest.approx(predicted, rel=1e-3)
    assert h.amplitude(-mu / 2) != h.amplitude(-mu / 2)  # nan: no cycle on the stable side


def test_van_der_pol_in_its_usual_form_is_degenerate_at_mu_zero():
    """x' = y, y' = mu (1 - x^2) y - x is linear at mu = 0: no cubic term, l1 = 0."""
    vdp = dm.Model.from_equations({"x": "y", "y": "mu*(1 - x**2)*y - x"}, {"mu": 0.0})
    h = first_lyapunov(vdp, None, [0.0, 0.0])
    assert h.first_lyapunov == 0.0 and h.criticality == "degenerate"


# -- Bautin normal form on a Hopf curve ---------------------------------------------------
# Hopf points on a = b / 2 (origin, eigenvalues (a - b/2) +- i), l1 = b - 0.3: the
# Bautin point is at (a, b) = (0.15, 0.3).
BAUTIN_NF = _model(
    "bautin-nf",
    "xy",
    {"a": 0.0, "b": -0.5},
    [
        (a - b / 2) * x - y + (b - 0.3) * x * R2 - x * R2**2,
        x + (a - b / 2) * y + (b - 0.3) * y * R2 - y * R2**2,
    ],
)


def test_bautin_point_located_on_the_hopf_curve():
    opts = ContinuationOptions(seeds=1)
    d = continuation(BAUTIN_NF, {"b": -0.5}, "a", (-1.0, 1.0), opts)
    (h,) = d.hopf_points
    assert h.first_lyapunov == pytest.approx(-0.8, rel=1e-9)
    assert h.criticality == "supercritical"
    assert "supercritical" in h.meaning
    sub = continuation(BAUTIN_NF, {"b": 0.5}, "a", (-1.0, 1.0), opts).hopf_points[0]
    assert sub.first_lyapunov == pytest.approx(0.2, rel=1e-9)
    assert sub.criticality == "subcritical"
    curve = hopf_curve(BAUTIN_NF, None, d, "b", (-1.0, 1.0))
    np.testing.assert_allclose(curve.first_lyapunov, curve.y_values - 0.3, atol=1e-12)
    (bt,) = curve.bautin
    assert bt.kind == "bautin" and curve.points == (bt,)
    assert bt.x_value == pytest.approx(0.15, abs=1e-10)
    assert bt.y_value == pytest.approx(0.3, abs=1e-10)


def test_cli_table_shows_the_criticality(tmp_path, capsys):
    path = tmp_path / "bautin.toml"
    path.write_text(BAUTIN_NF.to_toml())
    code = cli_bifurcation([str(path), "--param", "a", "--span", "-1", "1", "--seeds", "1",
                            "--set", "b=0.5"])  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0
    assert "hopf (subcritical)" in out
    assert "first Lyapunov coefficient 0.2, subcritical" in out


# -- the synergic couple: supercritical (Gragnani, Rinaldi & Feichtinger 1997) ---------
SYNERGIC = dm.models.get("rinaldi-synergic")


def test_synergic_couple_hopf_point_is_supercritical():
    """The Hopf point in alpha1 (trace J = 0 at an equilibrium, det J > 0), refined by
    Newton's method from the value `continuation` reports (0.36656194)."""
    base = SYNERGIC.params()

    def conditions(z):
        p = base.replace(alpha1=float(z[2]))
        J = SYNERGIC.jacobian(z[:2], p)
        return [*SYNERGIC.rhs(z[:2], p), np.trace(J)]

    z = fsolve(conditions, [0.92, 2.92, 0.3666], xtol=1e-13)
    assert np.max(np.abs(conditions(z))) < 1e-10
    assert z[2] == pytest.approx(0.3665619405, abs=1e-9)
    h = first_lyapunov(SYNERGIC, base.replace(alpha1=float(z[2])), z[:2])
    assert h.frequency == pytest.approx(0.40755519, rel=1e-6)
    assert h.criticality == "supercritical"
    assert h.first_lyapunov < -DEGENERATE_RTOL * h.scale


@pytest.mark.slow
def test_synergic_couple_continuation_reports_supercritical():
    d = continuation(SYNERGIC, None, "alpha1", (0.34, 0.42), ContinuationOptions(seeds=2))
    (h,) = d.hopf_points
    assert h.criticality == "supercritical" and h.first_lyapunov < 0
    assert "hopf (supercritical)" in d.table()
    df = d.special_points_dataframe()
    assert df["criticality"].tolist() == ["supercritical"]
    assert df["first_lyapunov"].iloc[0] == pytest.approx(h.first_lyapunov)


# -- what is not a Hopf point, and bad input --------------------------------------------
def test_no_complex_pair_is_undetermined():
    m = dm.Model.from_equations({"x": "-x + y**2", "y": "-2*y"}, {})
    h = first_lyapunov(m, None, [0.0, 0.0])
    assert h.criticality == "undetermined" and math.isnan(h.first_lyapunov)


def test_fold_hopf_is_undetermined():
    """A zero eigenvalue besides +-i: A is singular, the formula does not apply."""
    m = dm.Model.from_equations({"x": "-y + x*z", "y": "x", "z": "x**2 + z**2"}, {})
    h = first_lyapunov(m, None, [0.0, 0.0, 0.0])
    assert h.criticality == "undetermined" and h.frequency == pytest.approx(1.0)


@pytest.mark.parametrize("state", [[0.0], [0.0, 0.0, 0.0], [0.0, math.nan], "origin"])
def test_bad_state_is_refused(state):
    with pytest.raises(InvalidInputError, match="state"):
        first_lyapunov(HOPF_NF, None, state)


def test_other_special_points_have_no_criticality():
    d = continuation(dm.models.get("liebovitch"), None, "c1", (0.0, 1.5))
    assert d.special_points and all(
        sp_.first_lyapunov is None and sp_.criticality == "" for sp_ in d.special_points
    )
    assert d.special_points_dataframe()["criticality"].tolist() == [""] * len(d.special_points)
