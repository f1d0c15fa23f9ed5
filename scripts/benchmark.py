"""Benchmarks of dyadmodel, each reported against the obvious baseline in the same run.

Run: ``.venv/bin/python scripts/benchmark.py`` (about a minute on 2 cores).

Reported:
- equilibria of the 2D flagship (exact route) vs the same search by the Krawczyk
  interval route, and vs the naive baseline a notebook would use: Newton/fsolve from a
  30 x 30 grid of starts (fast, but proves nothing and can miss roots);
- equilibria of the 6-state flagship for every preset, exact vs interval route;
- compiled batch rhs evaluation vs a Python loop over points.
Numbers are medians of repeated runs (wall clock, ``time.perf_counter``).
"""

from __future__ import annotations

import statistics
import sys
import time

import numpy as np
from scipy.optimize import fsolve

import dyadmodel as dm


def median_time(fn, repeat: int = 5) -> float:
    fn()  # warm caches (compiled functions, certifiers)
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def grid_newton(model, p, n=30):
    """Baseline: fsolve from an n x n grid of starts, deduplicated."""
    box = np.array(model.equilibrium_domain(p))
    found = []
    f = model.ode(p)
    for x0 in np.array(np.meshgrid(*[np.linspace(lo, hi, n) for lo, hi in box])).reshape(2, -1).T:
        x, _info, ier, _ = fsolve(lambda z: f(0, z), x0, full_output=True)
        if ier == 1 and not any(np.allclose(x, y, atol=1e-8) for y in found):
            found.append(x)
    return found


def main() -> None:
    interval = dm.EquilibriumOptions(method="interval")
    m2 = dm.models.get("pursuer-distancer-2d")
    p2 = m2.params()
    print("== equilibria, pursuer-distancer-2d (defaults: 3 equilibria) ==")
    t_exact = median_time(lambda: dm.equilibria(m2, p2))
    t_int = median_time(lambda: dm.equilibria(m2, p2, options=interval))
    t_grid = median_time(lambda: grid_newton(m2, p2), repeat=3)
    print(f"exact (certified, complete)     {1e3 * t_exact:8.1f} ms")
    print(f"interval (certified, complete)  {1e3 * t_int:8.1f} ms   ratio {t_int / t_exact:5.2f}")
    print(f"grid fsolve 30x30 (no proof)    {1e3 * t_grid:8.1f} ms   ratio {t_grid / t_exact:5.2f}")

    m6 = dm.models.get("pursuer-distancer")
    print("\n== equilibria, pursuer-distancer (6 states), per preset ==")
    print(f"{'preset':<24}{'n':>3}{'exact ms':>11}{'interval ms':>13}{'complete':>10}")
    for name in m6.presets:
        p = m6.preset(name)
        eqs = dm.equilibria(m6, p)
        te = median_time(lambda p=p: dm.equilibria(m6, p), repeat=3)
        ti = median_time(lambda p=p: dm.equilibria(m6, p, options=interval), repeat=1)
        print(f"{name:<24}{len(eqs):>3}{1e3 * te:>11.0f}{1e3 * ti:>13.0f}{eqs.complete!s:>10}")

    print("\n== compiled batch rhs (pursuer-distancer, 10^5 points) vs Python loop ==")
    rng = np.random.default_rng(0)
    X = rng.random((6, 100_000))
    p6 = m6.params()
    t_batch = median_time(lambda: m6.rhs(X, p6))
    f = m6.ode(p6)
    sub = X[:, :2000]
    t_loop = median_time(lambda: [f(0.0, sub[:, k]) for k in range(sub.shape[1])], repeat=3)
    t_loop *= X.shape[1] / sub.shape[1]
    print(f"batch  {1e3 * t_batch:8.1f} ms")
    print(
        f"loop   {1e3 * t_loop:8.1f} ms (extrapolated from 2000 points)   "
        f"speed-up {t_loop / t_batch:6.1f}x"
    )


if __name__ == "__main__":
    sys.exit(main())
