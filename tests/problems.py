"""Systems with known answers, written with the `Model` API, for the analysis tests.

None of these is registered in the package's model registry: they exist to check the
numerics against closed-form (or classical, cited) results. Each factory is cached, so
that the sympy compilation happens once per test session.

=========================  ==============================================================
problem                    known answer
=========================  ==============================================================
`van_der_pol`              Liénard form; x-nullcline is the cubic ``y = x - x^3/3``;
                           for mu = 1 the cycle has period 6.6632868593231301897 and
                           max x = 2.0086198608748431365 (Hairer, Nørsett & Wanner 1993)
`fitzhugh_nagumo`          cubic v-nullcline ``w = v - v^3/3 + I``, straight w-nullcline
`axis_parallel`            x-nullcline: the vertical lines x = -1 and x = 1;
                           y-nullcline: the horizontal line y = c
`multi_branch`             x-nullcline: x = -1, x = 1 and the diagonal y = x;
                           y-nullcline: the circle x^2 + y^2 = r^2
`hopf_normal_form`         cycle of radius sqrt(mu), period 2 pi / omega, nontrivial
                           Floquet multiplier exp(-2 mu T) (supercritical, mu > 0)
`bautin_normal_form`       r' = r (mu + r^2 - r^4): for -1/4 < mu < 0 an unstable cycle at
                           r^2 = (1 - sqrt(1 + 4 mu)) / 2 inside a stable one at
                           r^2 = (1 + sqrt(1 + 4 mu)) / 2; multipliers
                           exp(2 r^2 (1 - 2 r^2) T), T = 2 pi / omega
`pole`                     x' = 1 / (x - c): a sign change across a pole, no nullcline
`linear_saddle`            saddle at 0 with eigenvalues lam_u > 0 > -lam_s and the
                           eigen-directions (1, 1/2) (unstable) and (1, -1) (stable)
`saddle_3d`                x' = x, y' = -y, z' = -2 z: one unstable direction (the x-axis)
                           and a two-dimensional stable manifold (the y-z plane)
`curved_saddle`            x' = x, y' = -y + g x^2: stable manifold x = 0, unstable
                           manifold y = g x^2 / 3 (both invariant curves, exactly)
=========================  ==============================================================

`equilibrium_at` builds an `Equilibrium` from numpy's eigen-decomposition, so that the
tests of manifolds do not depend on the equilibrium finder.
"""

from __future__ import annotations

import functools

import numpy as np
import sympy as sp

from dyadmodel.analysis._types import Equilibrium
from dyadmodel.model import Model, Parameter, ParameterSet, State, symbols

__all__ = [
    "VDP_MU1_MAX_X",
    "VDP_MU1_PERIOD",
    "axis_parallel",
    "bautin_normal_form",
    "curved_saddle",
    "equilibrium_at",
    "fitzhugh_nagumo",
    "hopf_normal_form",
    "linear_saddle",
    "multi_branch",
    "pole",
    "saddle_3d",
    "van_der_pol",
]

# Hairer, Nørsett & Wanner, Solving Ordinary Differential Equations I (2nd ed., Springer
# 1993), Sect. I.16: the periodic solution of y1'' = (1 - y1^2) y1' - y1 passes through
# y1 = 2.00861986087484313650940188, y1' = 0 and has period 6.6632868593231301896996820305.
# The Liénard form below has the same x(t), hence the same period and max x.
VDP_MU1_PERIOD = 6.6632868593231301897
VDP_MU1_MAX_X = 2.0086198608748431365


def _free(name: str, default: float, lo: float = -100.0, hi: float = 100.0) -> Parameter:
    return Parameter(name, default, f"test parameter {name}", bounds=(lo, hi))


def _positive(name: str, default: float) -> Parameter:
    return Parameter(
        name, default, f"test parameter {name}", bounds=(0.0, 100.0), lower_inclusive=False
    )


@functools.cache
def van_der_pol() -> Model:
    """Van der Pol in Liénard form: x' = mu (x - x^3/3 - y), y' = x / mu.

    Strogatz, Nonlinear Dynamics and Chaos (1994), Sect. 7.5. Same x(t) as
    x'' - mu (1 - x^2) x' + x = 0.
    """
    x, y, mu = symbols("x y mu")
    return Model(
        "test-van-der-pol",
        "van der Pol oscillator (Liénard form)",
        [
            State("x", "position", domain=(-3.0, 3.0)),
            State("y", "Liénard variable", domain=(-3.0, 3.0)),
        ],
        [_positive("mu", 1.0)],
        [mu * (x - x**3 / 3 - y), x / mu],
    )


@functools.cache
def fitzhugh_nagumo() -> Model:
    """FitzHugh–Nagumo: v' = v - v^3/3 - w + I, w' = eps (v + a - b w)."""
    v, w, a, b, eps, current = symbols("v w a b eps current")
    return Model(
        "test-fitzhugh-nagumo",
        "FitzHugh-Nagumo neuron",
        [
            State("v", "membrane potential", domain=(-2.5, 2.5)),
            State("w", "recovery", domain=(-1.0, 2.0)),
        ],
        [_free("a", 0.7), _positive("b", 0.8), _positive("eps", 0.08), _free("current", 0.5)],
        [v - v**3 / 3 - w + current, eps * (v + a - b * w)],
    )


@functools.cache
def axis_parallel() -> Model:
    """x' = (1 - x^2)(1 + y^2), y' = c - y: vertical lines x = +-1, horizontal y = c."""
    x, y, c = symbols("x y c")
    return Model(
        "test-axis-parallel",
        "axis-parallel nullclines",
        [State("x", "x", domain=(-2.0, 2.0)), State("y", "y", domain=(-2.0, 2.0))],
        [_free("c", 0.3)],
        [(1 - x**2) * (1 + y**2), c - y],
    )


@functools.cache
def multi_branch() -> Model:
    """x' = (x - 1)(x + 1)(y - x), y' = x^2 + y^2 - r^2."""
    x, y, r = symbols("x y r")
    return Model(
        "test-multi-branch",
        "x-nullcline with three crossing branches, circular y-nullcline",
        [State("x", "x", domain=(-2.0, 2.0)), State("y", "y", domain=(-2.0, 2.0))],
        [_positive("r", 1.5)],
        [(x - 1) * (x + 1) * (y - x), x**2 + y**2 - r**2],
    )


@functools.cache
def hopf_normal_form() -> Model:
    """r' = mu r - r^3, theta' = omega in Cartesian coordinates."""
    x, y, mu, omega = symbols("x y mu omega")
    r2 = x**2 + y**2
    return Model(
        "test-hopf",
        "supercritical Hopf normal form",
        [State("x", "x", domain=(-2.0, 2.0)), State("y", "y", domain=(-2.0, 2.0))],
        [_free("mu", 0.25), _free("omega", 1.5)],
        [mu * x - omega * y - x * r2, omega * x + mu * y - y * r2],
    )


@functools.cache
def bautin_normal_form() -> Model:
    """r' = r (mu + r^2 - r^4), theta' = omega in Cartesian coordinates."""
    x, y, mu, omega = symbols("x y mu omega")
    r2 = x**2 + y**2
    g = mu + r2 - r2**2
    return Model(
        "test-bautin",
        "Bautin (generalised Hopf) normal form: an unstable cycle inside a stable one",
        [State("x", "x", domain=(-2.0, 2.0)), State("y", "y", domain=(-2.0, 2.0))],
        [_free("mu", -0.1), _free("omega", 1.5)],
        [g * x - omega * y, omega * x + g * y],
    )


@functools.cache
def pole() -> Model:
    """x' = 1 / (x - c), y' = -y: x' changes sign at x = c without vanishing."""
    x, y, c = symbols("x y c")
    return Model(
        "test-pole",
        "a sign change across a pole",
        [State("x", "x", domain=(-1.0, 1.0)), State("y", "y", domain=(-1.0, 1.0))],
        [_free("c", 0.1 + 2**0.5 / 100)],
        [1 / (x - c), -y],
    )


LINEAR_SADDLE_UNSTABLE = np.array([1.0, 0.5]) / np.hypot(1.0, 0.5)
LINEAR_SADDLE_STABLE = np.array([1.0, -1.0]) / np.sqrt(2.0)


@functools.cache
def linear_saddle() -> Model:
    """x' = A x with A = V diag(lam_u, -lam_s) V^-1, V = [(1, 1/2), (1, -1)] as columns."""
    x, y, lu, ls = symbols("x y lam_u lam_s")
    V = sp.Matrix([[1, 1], [sp.Rational(1, 2), -1]])
    A = V * sp.diag(lu, -ls) * V.inv()
    rhs = A * sp.Matrix([x, y])
    return Model(
        "test-linear-saddle",
        "linear saddle with known eigen-directions",
        [State("x", "x", domain=(-1.0, 1.0)), State("y", "y", domain=(-1.0, 1.0))],
        [_positive("lam_u", 1.0), _positive("lam_s", 2.0)],
        [sp.expand(e) for e in rhs],
    )


@functools.cache
def curved_saddle() -> Model:
    """x' = x, y' = -y + g x^2: the parabola y = g x^2 / 3 is invariant (substitute)."""
    x, y, g = symbols("x y g")
    return Model(
        "test-curved-saddle",
        "saddle with a parabolic unstable manifold",
        [State("x", "x", domain=(-1.0, 1.0)), State("y", "y", domain=(-1.0, 1.0))],
        [_positive("g", 1.0)],
        [x, -y + g * x**2],
    )


@functools.cache
def saddle_3d() -> Model:
    """x' = x, y' = -y, z' = -2 z."""
    x, y, z, k = symbols("x y z k")
    return Model(
        "test-saddle-3d",
        "saddle with a one-dimensional unstable and a two-dimensional stable manifold",
        [State(n, n, domain=(-1.0, 1.0)) for n in ("x", "y", "z")],
        [_positive("k", 1.0)],
        [k * x, -k * y, -2 * k * z],
    )


def equilibrium_at(
    model: Model, params: ParameterSet, state, inputs=None, tol: float = 1e-9
) -> Equilibrium:
    """An `Equilibrium` at ``state`` built from numpy's eigen-decomposition.

    The kind is coarse ('saddle', 'stable', 'unstable', 'non-hyperbolic'); it is enough
    for the analyses under test, which only read the state, the eigen-pairs and the
    counts.
    """
    state = np.asarray(state, dtype=float)
    jac = model.jacobian(state, params, inputs)
    vals, vecs = np.linalg.eig(jac)
    order = np.argsort(-vals.real, kind="stable")
    vals, vecs = vals[order], vecs[:, order]
    n_stable = int(np.sum(vals.real < -tol))
    n_unstable = int(np.sum(vals.real > tol))
    n_neutral = len(vals) - n_stable - n_unstable
    if n_neutral:
        kind, stable = "non-hyperbolic", None
    elif n_stable and n_unstable:
        kind, stable = "saddle", False
    elif n_stable:
        kind, stable = "stable", True
    else:
        kind, stable = "unstable", False
    inp = tuple(sorted((inputs or {}).items())) if isinstance(inputs, dict) else ()
    return Equilibrium(
        state=state,
        eigenvalues=vals,
        eigenvectors=vecs,
        kind=kind,
        stable=stable,
        label="",
        n_stable=n_stable,
        n_unstable=n_unstable,
        n_neutral=n_neutral,
        residual=float(np.max(np.abs(model.rhs(state, params, inputs)))),
        enclosure=None,
        model_name=model.name,
        params=params,
        inputs=inp,
    )
