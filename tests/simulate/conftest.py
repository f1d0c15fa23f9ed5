"""Systems with closed-form solutions for the simulation tests (not registered).

=================  ==========================================================================
fixture            known answer
=================  ==========================================================================
`relax`            x' = k (g s(t) - x): for constant s from x(t0) the solution is
                   x(t) = g s + (x(t0) - g s) exp(-k (t - t0)); with a time-varying rate
                   k(t) and s = 1, g = 1: x(t) = 1 - (1 - x0) exp(-int k)
`oscillator`       x' = w y, y' = -w x: x = sin(w t), y = cos(w t) from (0, 1)
`runaway`          x' = a x^2: x = x0 / (1 - a x0 t), blows up at t = 1 / (a x0)
`stiff`            x' = -lam (x - cos y), y' = -y (lam = 1e5): stiff for explicit methods
`singular`         x' = -c / x: x = sqrt(1 - 2 c t) from 1, infinitely steep at t = 1 / (2 c)
=================  ==========================================================================
"""

import pytest

from dyadmodel.model import Input, Model, Parameter, State, symbols


def _par(name, default, lo=-100.0, hi=100.0, inclusive=True):
    return Parameter(
        name, default, f"test parameter {name}", bounds=(lo, hi), lower_inclusive=inclusive
    )


@pytest.fixture(scope="session")
def relax():
    x, k, g, s = symbols("x k g s")
    return Model(
        "test-relax",
        "linear relaxation to g s",
        [State("x", "test state", domain=(0.0, 2.0))],
        [_par("k", 0.5, 0.0, 100.0, inclusive=False), _par("g", 1.0)],
        [k * (g * s - x)],
        inputs=[Input("s", "test input")],
    )


@pytest.fixture(scope="session")
def oscillator():
    x, y, w = symbols("x y w")
    return Model(
        "test-oscillator",
        "harmonic oscillator",
        [State("x", "test", domain=(-2.0, 2.0)), State("y", "test", domain=(-2.0, 2.0))],
        [_par("w", 1.0, 0.0, 100.0)],
        [w * y, -w * x],
    )


@pytest.fixture(scope="session")
def runaway():
    x, a = symbols("x a")
    return Model(
        "test-runaway",
        "finite-time blow-up",
        [State("x", "test", domain=(0.0, 2.0))],
        [_par("a", 1.0)],
        [a * x**2],
    )


@pytest.fixture(scope="session")
def stiff():
    import sympy as sp

    x, y, lam = symbols("x y lam")
    return Model(
        "test-stiff",
        "stiff relaxation to a slowly moving target",
        [State("x", "test", domain=(-2.0, 2.0)), State("y", "test", domain=(-2.0, 2.0))],
        [_par("lam", 1e5, 0.0, 1e9)],
        [-lam * (x - sp.cos(y)), -y],
    )


@pytest.fixture(scope="session")
def singular():
    x, c = symbols("x c")
    return Model(
        "test-singular",
        "runs into x = 0 with infinite speed",
        [State("x", "test", domain=(0.0, 2.0))],
        [_par("c", 1.0, 0.0, 10.0)],
        [-c / x],
    )
