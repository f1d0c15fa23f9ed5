"""Benchmarks of dyadmodel, each reported against the obvious baseline in the same run.

Run: ``.venv/bin/python scripts/benchmark.py [PART ...]`` (``--help`` lists the parts:
equilibria, ensemble, regime, basins, explorer, sweep, glla, ml; default ``all``).

Reported:
- equilibria of the 2D flagship (exact route) vs the same search by the Krawczyk
  interval route, and vs the naive baseline a notebook would use: Newton/fsolve from a
  30 x 30 grid of starts (fast, but proves nothing and can miss roots);
- equilibria of the 6-state flagship for every preset, exact vs interval route;
- compiled batch rhs evaluation vs a Python loop over points;
- the ensemble engine (`bench_ensemble`): 40,000 trajectories of the 6-state flagship
  vs a Python loop of ``solve_ivp(RK45)`` at the same tolerances (issue 5: >= 300x);
- sweeps (`bench_sweep`): parameter sets per second of `dm.sweep` on the local backend
  (in-process and a 2-process pool) and on dask (a LocalCluster of 2 workers), against a
  plain Python loop of the same calls, and the dask overhead per task.
  ``python scripts/benchmark.py sweep`` runs this part alone;
- GLLA (`bench_glla`): the coupled-oscillator fit of 80 couples x 4 (tau, embed)
  settings with `dm.fit` against the same fit written as a plain numpy loop
  (``np.linalg.lstsq``); ``python scripts/benchmark.py glla`` runs this part alone;
- ML (`bench_ml`): the per-dyad maximum-likelihood fit of ``pursuer-distancer-2d``
  (``dm.fit(..., method="ml")``: compiled forward sensitivities) against the plain
  approach (``scipy.optimize.least_squares`` around ``solve_ivp`` with a
  finite-difference Jacobian, same algorithm, same data, same start);
  ``python scripts/benchmark.py ml`` runs this part alone;
- Kalman (`bench_kalman`): the whole EKF fit (``process_noise=True``) of
  ``pursuer-distancer-2d`` per dyad with its exact gradients against the same fit with
  the finite-difference gradient and Hessian it had before (same data, starts and
  optimiser), wall clock and CPU time, and the largest difference of the estimates;
  ``python scripts/benchmark.py kalman`` runs this part alone;
- continuation (`bench_continuation`): `dm.continuation` on the synergic couple in
  ``alpha1`` (0.36 .. 0.5) and the 2D flagship in ``anxiety_gain_1`` (0 .. 4), with
  certified seeds (the default) and with ``seed_search="newton"``, against AUTO-07p
  running the `auto_files` export in the same run (its time includes the gfortran
  build), and the largest difference of the special points;
- cycles (`bench_cycles`): `dm.continue_cycle` for the synergic couple's cycles from
  its Hopf point to period 1000 against AUTO-07p's run of the same branch
  (``auto_files(..., cycles=True)``, build included), and their agreement.
  Both AUTO parts say so and skip when AUTO-07p (``auto-07p``, ``gfortran``) is missing.
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


def _times(fn, repeat: int) -> list[float]:
    """Wall-clock seconds of ``repeat`` calls of ``fn`` (after the caller's warm-up)."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return times


def _spread(times: list[float]) -> str:
    """``median [min-max] over n`` of a list of seconds, for the report."""
    return (
        f"(median of {len(times)}; range {min(times):.3g}-{max(times):.3g} s, "
        f"spread {100 * (max(times) - min(times)) / statistics.median(times):.0f} %)"
    )


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


def bench_equilibria() -> None:
    """Equilibria of the 2D flagship (exact, interval, grid fsolve) and of the 6-state
    flagship per preset; the compiled batch rhs against a Python loop."""
    interval = dm.EquilibriumOptions(method="interval")
    m2 = dm.models.get("pursuer-distancer-2d")
    p2 = m2.params()
    print("== equilibria, pursuer-distancer-2d (defaults: 3 equilibria) ==")
    t_exact = median_time(lambda: dm.equilibria(m2, p2))
    t_int = median_time(lambda: dm.equilibria(m2, p2, options=interval))
    t_grid = median_time(lambda: grid_newton(m2, p2), repeat=3)
    print(f"exact (certified, complete in the domain of validity)  {1e3 * t_exact:8.1f} ms")
    print(
        f"interval (certified, complete in the domain of validity)  {1e3 * t_int:8.1f} ms   "
        f"ratio {t_int / t_exact:5.2f}"
    )
    print(f"grid fsolve 30x30 (no proof)    {1e3 * t_grid:8.1f} ms   ratio {t_grid / t_exact:5.2f}")

    bench_interval_search()

    m6 = dm.models.get("pursuer-distancer")
    print("\n== equilibria, pursuer-distancer (6 states), per preset ==")
    print(f"{'preset':<24}{'n':>3}{'exact ms':>11}{'interval ms':>13}{'  claim'}")
    for name in m6.presets:
        p = m6.preset(name)
        eqs = dm.equilibria(m6, p)
        te = median_time(lambda p=p: dm.equilibria(m6, p), repeat=3)
        ti = median_time(lambda p=p: dm.equilibria(m6, p, options=interval), repeat=1)
        print(f"{name:<24}{len(eqs):>3}{1e3 * te:>11.0f}{1e3 * ti:>13.0f}  {_claim(eqs)}")

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


def bench_interval_search() -> None:
    """The certified interval search of `rinaldi-synergic` (exp terms, no exact route) at
    the seeds of its continuation in alpha1, float64 boxes in batches against the
    one-box-at-a-time `mpmath.iv` search it replaced (CPU seconds: the machine may be
    shared)."""
    from dyadmodel.analysis import _interval

    m = dm.models.get("rinaldi-synergic")
    print("\n== interval search, rinaldi-synergic (CPU s; baseline: mpmath.iv per box) ==")
    print(f"{'alpha1':<8}{'float64':>9}{'mpmath':>9}{'ratio':>7}  claims (float64 | mpmath)")
    for a in (0.36, 0.43, 0.5):
        p = m.params(alpha1=a)
        dm.equilibria(m, p)  # warm the model's caches (elimination plan, compiled rhs)
        runs = []
        for use_float in (True, False):
            _interval._FLOAT_SEARCH = use_float
            try:
                start = time.process_time()
                eqs = dm.equilibria(m, p)
                runs.append((time.process_time() - start, eqs))
            finally:
                _interval._FLOAT_SEARCH = True
        (t_new, new), (t_old, old) = runs
        print(
            f"{a:<8g}{t_new:>9.2f}{t_old:>9.2f}{t_old / t_new:>7.0f}  "
            f"{len(new)} eq., {_claim(new)} | {len(old)} eq., {_claim(old)}"
        )


# Parts in the order `all` runs them; `python scripts/benchmark.py PART` runs one alone.
PARTS = {
    "equilibria": (lambda: bench_equilibria(), "certified equilibria vs grid fsolve; batch rhs"),
    "ensemble": (lambda: bench_ensemble(), "40,000 trajectories vs a solve_ivp loop"),
    "regime": (lambda: bench_regime_map(), "25x25 regime map with fold curves"),
    "basins": (lambda: bench_basins(), "300x300 basin map"),
    "explorer": (lambda: bench_explorer(), "explorer recomputation after a slider change"),
    "sweep": (lambda: bench_sweep(), "dm.sweep: local pool and dask vs a Python loop"),
    "glla": (lambda: bench_glla(), "GLLA fit vs a plain numpy lstsq loop"),
    "ml": (lambda: bench_ml(), "per-dyad ML fit vs least_squares around solve_ivp"),
    "continuation": (lambda: bench_continuation(), "equilibrium continuation vs AUTO-07p"),
    "cycles": (lambda: bench_cycles(), "cycle branch (continue_cycle) vs AUTO-07p"),
    "kalman": (lambda: bench_kalman(), "EKF fit: exact vs finite-difference gradients"),
    "explorer-browser": (
        lambda: __import__("_bench_explorer").bench_explorer_browser(),
        "explorer in Chromium: slider/click to paint, old vs new path",
    ),
}


def _claim(eqs) -> str:
    """A short form of ``eqs.completeness`` (the word 'complete' always with its region)."""
    if not eqs.complete:
        return "incomplete"
    return "complete in the validity domain" if eqs.scope == "domain of validity" else "box only"


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(
        prog="benchmark.py",
        description="Benchmarks of dyadmodel, each against its baseline in the same run.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="parts:\n"
        + "\n".join(f"  {name:<11}{what}" for name, (_, what) in PARTS.items())
        + "\n  all        every part in this order (the default)",
    )
    parser.add_argument(
        "parts",
        nargs="*",
        metavar="PART",
        help="parts to run (default: all)",
    )
    args = parser.parse_args(argv)
    unknown = [p for p in args.parts if p not in (*PARTS, "all")]
    if unknown:
        parser.error(f"unknown part {unknown[0]!r}; choose from {', '.join([*PARTS, 'all'])}")
    chosen = list(PARTS) if not args.parts or "all" in args.parts else args.parts
    start = time.perf_counter()
    for name in dict.fromkeys(chosen):
        PARTS[name][0]()
    print(f"\nbenchmark: {', '.join(dict.fromkeys(chosen))} in {time.perf_counter() - start:.0f} s")
    return 0


def bench_ensemble(n_traj: int = 40_000, n_baseline: int = 400, seed: int = 0) -> float:
    """Ensemble engine vs a Python loop of solve_ivp (RK45), same model, starts, tolerances.

    The full flagship ``pursuer-distancer`` at its defaults, starts drawn uniformly (fixed
    seed) from its equilibrium box, t = (0, 50), rtol = 1e-6, atol = 1e-9. The loop runs
    the first ``n_baseline`` starts and is extrapolated per trajectory. The engine is
    timed warm (median of 5); its first call in a fresh process (compile, or load from
    the disk cache) and a compile with an empty cache are reported separately.
    Returns the speed ratio.
    """
    import os
    import subprocess
    import tempfile

    from scipy.integrate import solve_ivp

    from dyadmodel.simulate._ensemble import default_threads, ensemble

    m = dm.models.get("pursuer-distancer")
    p = m.params()
    box = np.array(m.equilibrium_domain(p))
    rng = np.random.default_rng(seed)
    X = box[:, :1] + (box[:, 1:] - box[:, :1]) * rng.random((m.n_states, n_traj))
    span, rtol, atol = (0.0, 50.0), 1e-6, 1e-9
    print(
        f"\n== ensemble: {n_traj} trajectories of pursuer-distancer, t = {span}, "
        f"rtol = {rtol:g}, atol = {atol:g} =="
    )

    code = (
        "import time, numpy as np, dyadmodel as dm\n"
        "from dyadmodel.simulate._ensemble import ensemble\n"
        "m = dm.models.get('pursuer-distancer')\n"
        "t = time.perf_counter()\n"
        "ensemble(m, m.params(), np.full((6, 2), 0.3), t=(0.0, 1.0))\n"
        "print(time.perf_counter() - t)\n"
    )

    def first_call(env: dict[str, str]) -> float:
        out = subprocess.run(
            [sys.executable, "-c", code],
            env={**os.environ, **env},
            capture_output=True,
            text=True,
            check=True,
        )
        return float(out.stdout.strip().splitlines()[-1])

    # other processes competing for the cores depress the multi-threaded numbers
    print(f"load average before the run: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    with tempfile.TemporaryDirectory() as empty:
        t_cold = first_call({"DYADMODEL_CACHE_DIR": empty})
    t_first = first_call({})  # the regular cache, filled by now
    print(f"first call, empty cache (generate + compile)  {t_cold:7.2f} s")
    print(f"first call, disk cache (fresh process)        {t_first:7.2f} s")

    def engine(threads=None):
        return ensemble(m, p, X, t=span, rtol=rtol, atol=atol, n_threads=threads)

    res = engine()
    assert res.counts()["converged"] == n_traj, res.message
    t_engine1 = median_time(lambda: engine(1), repeat=3)

    f = m.ode(p)

    def loop():
        return [
            solve_ivp(f, span, X[:, k], method="RK45", rtol=rtol, atol=atol).y[:, -1]
            for k in range(n_baseline)
        ]

    # The baseline is timed as often as the engine: one timing of it made the reported
    # ratio swing by +-25 % between runs.
    ref = np.array(loop()).T
    loop_times = [t * n_traj / n_baseline for t in _times(loop, repeat=5)]
    engine_times = _times(engine, repeat=5)
    t_loop, t_engine = statistics.median(loop_times), statistics.median(engine_times)
    ratios = sorted(a / b for a in loop_times for b in engine_times)
    err = np.abs(res.final[:, :n_baseline] - ref) / (atol + rtol * np.abs(ref))
    rate_engine, rate_engine1, rate_loop = n_traj / t_engine, n_traj / t_engine1, n_traj / t_loop
    print(
        f"engine, {default_threads()} threads   {t_engine:8.3f} s   {rate_engine:10.0f} "
        f"trajectories/s   {_spread(engine_times)}"
    )
    print(f"engine, 1 thread    {t_engine1:8.3f} s   {rate_engine1:10.0f} trajectories/s")
    print(
        f"solve_ivp loop      {t_loop:8.1f} s   {rate_loop:10.0f} trajectories/s "
        f"(extrapolated from {n_baseline})   {_spread(loop_times)}"
    )
    print(
        f"speed-up            {t_loop / t_engine:8.0f}x   (median of 5 x 5; range of the 25 "
        f"ratios {ratios[0]:.0f}x-{ratios[-1]:.0f}x; 1 thread: {t_loop / t_engine1:.0f}x)"
    )
    print(
        f"max |engine - solve_ivp| / (atol + rtol |y|) over {n_baseline} starts: "
        f"{err.max():.2g}; mean steps per trajectory {res.n_steps.mean():.1f}"
    )
    return t_loop / t_engine


def bench_regime_map(resolution: int = 25) -> None:
    """Regime map of the 2D flagship over (anxiety_gain_1, avoidance_gain_2), against the
    baseline of the same grid classified by dm.equilibria alone (no fold curves)."""
    m = dm.models.get("pursuer-distancer-2d")
    p = m.params()
    span = (0.0, 4.0)
    t0 = time.perf_counter()
    rm = dm.regime_map(
        m, p, x=("anxiety_gain_1", span), y=("avoidance_gain_2", span), resolution=resolution
    )
    t_map = time.perf_counter() - t0
    grid = np.linspace(*span, resolution)
    t0 = time.perf_counter()
    for a in grid:
        for c in grid:
            dm.equilibria(m, p.replace(anxiety_gain_1=float(a), avoidance_gain_2=float(c)))
    t_grid = time.perf_counter() - t0
    print(f"\n== regime map, pursuer-distancer-2d, {resolution}x{resolution} + fold curves ==")
    print(f"regime_map (grid + fold-curve continuation)  {t_map:6.2f} s")
    print(
        f"grid of dm.equilibria only (baseline)         {t_grid:6.2f} s   "
        f"ratio {t_map / t_grid:5.2f}"
    )
    del rm


def bench_basins(resolution: int = 300) -> None:
    """A 300 x 300 basin map of the 2D flagship (the issue asks for a few seconds)."""
    m = dm.models.get("pursuer-distancer-2d")
    p = m.params()
    dm.basins(m, p, resolution=20)  # compile / load the cached engine
    t0 = time.perf_counter()
    bm = dm.basins(m, p, resolution=resolution)
    dt = time.perf_counter() - t0
    fr = ", ".join(f"{k} {v:.3f}" for k, v in bm.fractions.items())
    print(f"\n== basins, pursuer-distancer-2d, {resolution}x{resolution} ==")
    print(f"{dt:6.2f} s  ({resolution**2 / dt:,.0f} starts/s); fractions: {fr}")


def bench_explorer(n_values: int = 15, target_ms: float = 150.0) -> float:
    """Server-side work of the explorer after a slider change (issue 7: < 150 ms).

    The 2D flagship at default resolution, each repetition at a new value of
    ``anxiety_gain_1`` (1.8 to 2.5, so no cache helps): the portrait callback as the app
    runs it (equilibria, nullclines, streamlines, separatrices, the figure and the click
    grid, the equilibria table) plus the figure's JSON encoding for the browser. The
    parts are timed alone as well. Returns the median of the whole callback in ms.
    """
    import plotly.io as pio

    from dyadmodel.analysis import flow
    from dyadmodel.app import _app as app

    m = dm.models.get("pursuer-distancer-2d")
    base = m.params().as_dict()
    layers = ["field", "nullclines", "separatrices"]
    app.compute_portrait(m.name, base, layers, "pursuit_1", "distance_2", [])  # warm up
    gains = np.linspace(1.8, 2.5, n_values)

    def timed(fn) -> float:
        times = []
        for g in gains:
            values = {**base, "anxiety_gain_1": float(g)}
            t0 = time.perf_counter()
            fn(values)
            times.append(time.perf_counter() - t0)
        return 1e3 * statistics.median(times)

    def callback(values):
        fig, *_ = app.compute_portrait(m.name, values, layers, "pursuit_1", "distance_2", [])
        pio.to_json(fig)

    parts = {
        "equilibria": lambda v: dm.equilibria(m, m.params(v)),
        "nullclines": lambda v: dm.nullclines(m, m.params(v)),
        "streamlines (field)": lambda v: flow.streamlines(m, m.params(v)),
        "separatrices": lambda v: dm.separatrices(
            m, m.params(v), dm.equilibria(m, m.params(v)).saddles
        ),
    }
    print("\n== explorer: server recomputation after a slider change (2D flagship) ==")
    for name, fn in parts.items():
        print(f"{name:<38}{timed(fn):8.1f} ms")
    t_eq_nc_field = timed(
        lambda v: (parts["equilibria"](v), parts["nullclines"](v), parts["streamlines (field)"](v))
    )
    t_all = timed(callback)
    print(
        f"{'equilibria + nullclines + field':<38}{t_eq_nc_field:8.1f} ms   target {target_ms:g} ms"
    )
    print(
        f"{'whole callback + JSON (+ separatrices)':<38}{t_all:8.1f} ms   "
        f"{'within' if t_all < target_ms else 'OVER'} target {target_ms:g} ms"
    )
    return t_all


def bench_sweep(side: int = 32, n_ensemble: int = 8192) -> None:
    """Sweep throughput: local (1 process, 2-process pool) vs dask, vs a Python loop."""
    import tempfile

    from distributed import Client, LocalCluster

    m = dm.models.get("pursuer-distancer-2d")
    values = np.linspace(0.5, 4.0, side)
    over = dm.Grid({"anxiety_gain_1": values, "avoidance_gain_2": values})
    workloads = {
        # about 15 ms per set: certified equilibria + a 24x24 basin map
        "analysis": ({"regime": {}, "balanced_basin_fraction": {"resolution": 24}}, over, 36),
        # microseconds per set: one batched ensemble call per chunk
        "ensemble": (
            {"final_state": {"t_end": 50.0}},
            dm.Grid(
                {
                    "anxiety_gain_1": np.linspace(0.5, 4.0, n_ensemble // 64),
                    "avoidance_gain_2": np.linspace(0.5, 4.0, 64),
                }
            ),
            512,
        ),
    }

    def loop_analysis():
        from dyadmodel.continuation._twoparam import classify_regime

        for a in values:
            for b in values:
                p = m.params(anxiety_gain_1=a, avoidance_gain_2=b)
                classify_regime(dm.equilibria(m, p))
                dm.basins(m, p, resolution=24)

    print(f"\n== sweeps, pursuer-distancer-2d, {_cores()} cores ==")
    tmp = tempfile.TemporaryDirectory()
    cluster = LocalCluster(
        n_workers=2, threads_per_worker=1, dashboard_address=":0", silence_logs=40
    )
    client = Client(cluster)
    try:
        for name, (measure, grid, chunk) in workloads.items():
            n = grid.size
            n_chunks = int(
                np.prod(
                    [
                        np.ceil(s / c)
                        for s, c in zip(grid.shape, dm.sweeps._sweep.chunk_shape(grid.shape, chunk))
                    ]
                )
            )
            print(f"-- {name}: {n} parameter sets in {n_chunks} chunks ({measure})")
            runs = {}

            def run(tag, name=name, grid=grid, measure=measure, chunk=chunk, runs=runs, **kw):
                store = f"{tmp.name}/{name}-{tag}.zarr"
                t0 = time.perf_counter()
                ds = dm.sweep(
                    m,
                    over=grid,
                    measure=measure,
                    chunk_size=chunk,
                    store=store,
                    progress=False,
                    **kw,
                )
                runs[tag] = (time.perf_counter() - t0, ds)

            dm.sweep(
                m, over={"anxiety_gain_1": [2.0]}, measure=measure, n_workers=1, progress=False
            )  # warm caches (numba, certifiers)
            if name == "analysis":
                t0 = time.perf_counter()
                loop_analysis()
                runs["python loop"] = (time.perf_counter() - t0, None)
            run("local, 1 process", n_workers=1)
            dm.sweeps._sweep.shutdown_pools()
            run("local, 2 processes (cold: starts the pool)", n_workers=2)
            run("local, 2 processes (warm pool)", n_workers=2)
            run("dask LocalCluster, 2 workers (incl. start-up)", backend="dask", n_workers=2)
            run("dask, running cluster", backend="dask", scheduler=client)
            ref = runs["local, 1 process"][1]
            base = runs.get("python loop", runs["local, 1 process"])[0]
            for tag, (t, ds) in runs.items():
                same = (
                    ""
                    if ds is None
                    else (
                        "  identical"
                        if all(
                            np.array_equal(ref[v].values, ds[v].values, equal_nan=True)
                            for v in ref.data_vars
                        )
                        else "  DIFFERENT"
                    )
                )
                print(f"{tag:<48}{t:8.2f} s {n / t:10.1f} sets/s  ratio {base / t:5.2f}{same}")
            t_pool = runs["local, 2 processes (warm pool)"][0]
            t_dask = runs["dask, running cluster"][0]
            print(
                f"dask / local pool time {t_dask / t_pool:5.2f}; dask overhead "
                f"{1e3 * (t_dask - t_pool) / n_chunks:+.1f} ms per chunk"
            )
    finally:
        # Close in order (client, cluster, then the process pool) while the event loop is
        # alive; a cluster left to interpreter exit printed "Failed to communicate with
        # scheduler" tracebacks from its workers' heartbeats.
        import logging

        for name in ("distributed", "distributed.worker", "distributed.nanny"):
            logging.getLogger(name).setLevel(logging.CRITICAL)
        client.close(timeout=30)
        cluster.close(timeout=30)
        dm.sweeps._sweep.shutdown_pools()
        tmp.cleanup()


def _glla_plain(series: list[tuple[np.ndarray, np.ndarray, np.ndarray]], settings) -> list:
    """Baseline: the same GLLA coupled-oscillator fit written plainly (np.polyfit
    detrending, a Python loop over embedded rows, np.linalg.lstsq), as a notebook would."""
    out = []
    for t, x, y in series:
        ok = np.isfinite(x) & np.isfinite(y)
        xs = [v[ok] - np.polyval(np.polyfit(t[np.isfinite(v)], v[np.isfinite(v)], 1), t[ok])
              for v in (x, y)]  # fmt: skip
        best = None
        for tau, embed in settings:
            i = np.arange(1, embed + 1)
            s = (i - i.mean()) * tau
            L = np.column_stack([np.ones(embed), s, s**2 / 2])
            W = L @ np.linalg.inv(L.T @ L)
            d = [np.array([v[r : r + (embed - 1) * tau + 1 : tau] @ W
                           for r in range(v.size - (embed - 1) * tau)]) for v in xs]  # fmt: skip
            zero = np.zeros((d[0].shape[0], 4))
            X = np.vstack([
                np.hstack([d[0][:, :2], d[1][:, :2], zero]),
                np.hstack([zero, d[1][:, :2], d[0][:, :2]]),
            ])  # fmt: skip
            response = np.concatenate([d[0][:, 2], d[1][:, 2]])
            b, rss, *_ = np.linalg.lstsq(X, response, rcond=None)
            fitted = X @ b
            r2 = fitted @ fitted / (fitted @ fitted + rss[0])
            adj = 1 - (1 - r2) * response.size / (response.size - 8)
            if best is None or adj > best[0]:
                best = (adj, b)
        out.append(best[1])
    return out


def bench_glla(n_dyads: int = 80, n_times: int = 180, seed: int = 0) -> float:
    """GLLA coupled-oscillator fit of 80 dyads x 4 (tau, embed) settings (issue 14: under
    2 s) against the plain numpy loop, on the same synthetic data (3% missing)."""
    import pandas as pd

    print(f"\n== GLLA coupled oscillator: {n_dyads} dyads x {n_times} days x 4 (tau, embed) ==")
    rng = np.random.default_rng(seed)
    t = np.arange(float(n_times))
    rows, series = [], []
    for d in range(n_dyads):
        phase = rng.uniform(0, 2 * np.pi, 2)
        x = 2 * np.cos(0.6 * t + phase[0]) + 0.01 * t + rng.normal(0, 0.3, n_times)
        y = 1.5 * np.cos(0.5 * t + phase[1]) + rng.normal(0, 0.3, n_times)
        x[rng.random(n_times) < 0.03] = np.nan
        series.append((t, x, y))
        for person, v in ((0, x), (1, y)):
            rows.append(pd.DataFrame({"d": d, "p": person, "t": t, "v": v, "g": person}))
    table = pd.concat(rows, ignore_index=True)
    t0 = time.perf_counter()
    data = dm.data.read_dyadic(table, dyad="d", person="p", time="t", value="v", distinguish="g")
    t_read = time.perf_counter() - t0
    result = dm.fit("coupled-oscillator", data)  # warm
    t_fit = median_time(lambda: dm.fit("coupled-oscillator", data), repeat=5)
    settings = [(tau, embed) for embed in (3, 4) for tau in (2, 3)]
    t_plain = median_time(lambda: _glla_plain(series, settings), repeat=3)
    plain = np.array(_glla_plain(series, settings))
    ours = result.estimates.to_numpy(float)
    difference = np.max(np.abs(ours - plain) / np.maximum(1.0, np.abs(plain)))
    print(f"read_dyadic ({len(table)} rows)          {1e3 * t_read:8.1f} ms")
    print(f"dm.fit (glla, R-compatible QR, table)  {1e3 * t_fit:8.1f} ms")
    print(
        f"plain numpy loop (lstsq)               {1e3 * t_plain:8.1f} ms   ratio "
        f"{t_plain / t_fit:5.2f}   largest difference {difference:.1e}"
    )
    return t_fit


def _ml_plain(model, dyad, free: tuple[str, ...], start: np.ndarray) -> np.ndarray:
    """Baseline: the same ML fit written plainly: least_squares (trf, bounds, 2-point
    finite-difference Jacobian) around solve_ivp (RK45, rtol 1e-8), equal weights first,
    then each partner's SD set to sqrt(RSS / n) and the weighted fit redone until the
    SDs settle, as `dm.fit(method="ml")` does."""
    from scipy.integrate import solve_ivp
    from scipy.optimize import least_squares

    base = model.params()
    t, y = dyad.time, dyad.values
    n = model.n_states
    lower = [0.0] * n + [model.parameter(p).bounds[0] for p in free]
    upper = [np.inf] * n + [model.parameter(p).bounds[1] for p in free]
    sigma = np.ones(2)

    def states(theta):
        params = base.replace(**dict(zip(free, theta[n:])))
        sol = solve_ivp(model.ode(params), (t[0], t[-1]), theta[:n], t_eval=t,
                        rtol=1e-8, atol=1e-10)  # fmt: skip
        return sol.y.T

    def residuals(theta):
        return ((states(theta) - y) / sigma).ravel()

    theta = start.copy()
    for _ in range(6):
        theta = least_squares(residuals, theta, bounds=(lower, upper), x_scale="jac",
                              xtol=1e-10, ftol=1e-10, gtol=1e-10).x  # fmt: skip
        new = np.sqrt(np.mean((states(theta) - y) ** 2, axis=0))
        if np.allclose(new, sigma, rtol=1e-7, atol=0):
            break
        sigma = new
    return theta


def bench_ml(n_dyads: int = 4, seed: int = 0) -> float:
    """Per-dyad ML fit of pursuer-distancer-2d (4 free parameters + 2 initial states + 2
    SDs, 60 time points) against the plain approach (issue 14: >= 50x faster, same
    estimates to 1e-4 relative)."""
    import pandas as pd
    from scipy.integrate import solve_ivp

    model = dm.models.get("pursuer-distancer-2d")
    free = ("anxiety_gain_1", "avoidance_gain_2", "approach_baseline_1", "recovery_rate_2")
    truth = model.params(
        anxiety_gain_1=2.5, avoidance_gain_2=1.5, approach_baseline_1=0.4, recovery_rate_2=0.7
    )
    print(f"\n== ML fit, pursuer-distancer-2d: {len(free)} free parameters, 60 time points ==")
    t = np.arange(0.0, 30.0, 0.5)
    rng = np.random.default_rng(seed)
    rows = []
    for d in range(n_dyads):
        x0 = rng.uniform(0.1, 1.5, 2)
        sol = solve_ivp(model.ode(truth), (0, t[-1]), x0, t_eval=t, rtol=1e-10, atol=1e-12)
        values = sol.y + rng.normal(0, [[0.05], [0.08]], sol.y.shape)
        for k in range(2):
            rows.append(pd.DataFrame({"d": d, "p": k, "t": t, "v": values[k]}))
    data = dm.data.read_dyadic(pd.concat(rows), dyad="d", person="p", time="t", value="v")
    options = dm.fit.MLOptions(free=free, n_starts=1)
    dm.fit(model, data.select([0]), method="ml", options=options)  # compile / load once
    t0 = time.perf_counter()
    ours = dm.fit(model, data, method="ml", options=options)
    t_ours = (time.perf_counter() - t0) / n_dyads
    assert (ours.status == "ok").all(), ours.table.message.tolist()
    t0 = time.perf_counter()
    plain = []
    for dyad in data:
        start = np.concatenate([dyad.values[0], [model.params()[p] for p in free]])
        plain.append(_ml_plain(model, dyad, free, start))
    t_plain = (time.perf_counter() - t0) / n_dyads
    names = [f"init_{s}" for s in model.state_names] + list(free)
    mine = ours.table[names].to_numpy(float)
    difference = np.max(np.abs(mine - np.array(plain)) / np.abs(np.array(plain)))
    print(f"dm.fit (ml, compiled sensitivities)     {1e3 * t_ours:8.1f} ms per dyad")
    print(
        f"least_squares + solve_ivp (2-point FD)  {1e3 * t_plain:8.1f} ms per dyad   ratio "
        f"{t_plain / t_ours:6.1f}   largest relative difference {difference:.1e}"
    )
    return t_ours


class _FiniteDifferenceKalman:
    """Baseline gradient of the Kalman-filter fit before exact gradients: central
    differences of the filter's likelihood (step 1e-6 max(1, |theta_j|)) and a Hessian of
    second differences of it (step 1e-4), as `dyadmodel.fit._kalman` had them."""

    @staticmethod
    def value_and_gradient(problem, theta):
        f0 = problem.nll(theta)
        grad = np.zeros(theta.size)
        if f0 >= 1e300:
            return f0, grad
        for j in range(theta.size):
            h = 1e-6 * max(1.0, abs(theta[j]))
            up, down = theta.copy(), theta.copy()
            up[j] = min(theta[j] + h, problem.upper[j])
            down[j] = max(theta[j] - h, problem.lower[j])
            fu, fd = problem.nll(up), problem.nll(down)
            if fu < 1e300 and fd < 1e300 and up[j] != down[j]:
                grad[j] = (fu - fd) / (up[j] - down[j])
        return f0, grad

    @staticmethod
    def hessian(problem, theta):
        m = theta.size
        h = 1e-4 * np.maximum(1.0, np.abs(theta))
        f0 = problem.nll(theta)
        H = np.empty((m, m))
        for i in range(m):
            for j in range(i, m):
                if i == j:
                    up, down = theta.copy(), theta.copy()
                    up[i] += h[i]
                    down[i] -= h[i]
                    H[i, i] = (problem.nll(up) - 2 * f0 + problem.nll(down)) / h[i] ** 2
                    continue
                vals = []
                for si, sj in ((1, 1), (1, -1), (-1, 1), (-1, -1)):
                    t = theta.copy()
                    t[i] += si * h[i]
                    t[j] += sj * h[j]
                    vals.append(problem.nll(t))
                H[i, j] = H[j, i] = (vals[0] - vals[1] - vals[2] + vals[3]) / (4 * h[i] * h[j])
        return H


def bench_kalman(n_dyads: int = 3, seed: int = 0) -> float:
    """Whole EKF fit (``process_noise=True``) of pursuer-distancer-2d per dyad: exact
    gradients (tangents of the filter) against the same fit with the finite-difference
    gradient and Hessian it had before (same data, starts, optimiser; estimates to 1e-4
    relative)."""
    from unittest import mock

    import pandas as pd

    from dyadmodel.fit import _kalman

    model = dm.models.get("pursuer-distancer-2d")
    free = ("anxiety_gain_1", "avoidance_gain_2", "approach_baseline_1", "recovery_rate_2")
    truth = model.params(
        anxiety_gain_1=2.5, avoidance_gain_2=1.5, approach_baseline_1=0.4, recovery_rate_2=0.7
    )
    print(f"\n== EKF fit (process noise), pursuer-distancer-2d: {len(free)} free parameters, "
          "2 diffusion SDs, 60 time points ==")  # fmt: skip
    t = np.arange(0.0, 30.0, 0.5)
    rng = np.random.default_rng(seed)
    rhs = model.ode(truth)
    rows = []
    for d in range(n_dyads):
        # Euler-Maruyama, 50 steps per interval, diffusion SD 0.15 per state
        x = rng.uniform(0.1, 1.5, 2)
        path = [x]
        for _ in range(t.size - 1):
            for _ in range(50):
                x = x + 0.01 * np.asarray(rhs(0.0, x)) + 0.15 * 0.1 * rng.normal(size=2)
            path.append(x)
        values = np.array(path).T + rng.normal(0, [[0.05], [0.08]], (2, t.size))
        for k in range(2):
            rows.append(pd.DataFrame({"d": d, "p": k, "t": t, "v": values[k]}))
    data = dm.data.read_dyadic(pd.concat(rows), dyad="d", person="p", time="t", value="v")
    options = dm.fit.MLOptions(free=free, n_starts=1, process_noise=True, max_seconds=600)
    _kalman.fit_dyad_kalman(model, data[0], options)  # compile / load once
    # wall clock and this process's CPU time; BLAS in one thread for both (L-BFGS-B's
    # small linear algebra gains nothing from threads, and on a loaded machine their
    # waiting dominated both fits' wall clock)
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - threadpoolctl comes with scikit-learn
        from contextlib import nullcontext as threadpool_limits
    t0, c0 = time.perf_counter(), time.process_time()
    with threadpool_limits(1):
        ours = [_kalman.fit_dyad_kalman(model, dyad, options) for dyad in data]
    t_ours = (time.perf_counter() - t0) / n_dyads
    c_ours = (time.process_time() - c0) / n_dyads
    baseline = _FiniteDifferenceKalman
    t0, c0 = time.perf_counter(), time.process_time()
    with (
        threadpool_limits(1),
        mock.patch.object(_kalman.KalmanProblem, "value_and_gradient", baseline.value_and_gradient),
        mock.patch.object(_kalman.KalmanProblem, "hessian", baseline.hessian),
    ):
        plain = [_kalman.fit_dyad_kalman(model, dyad, options) for dyad in data]
    t_plain = (time.perf_counter() - t0) / n_dyads
    c_plain = (time.process_time() - c0) / n_dyads
    names = [f"init_{s}" for s in model.state_names] + [f"diffusion_{s}" for s in
             model.state_names] + ["sigma_1", "sigma_2"]  # fmt: skip

    def table(fits):
        return np.array(
            [[f.estimates[p] for p in free] + [f.statistics[p] for p in names] for f in fits]
        )

    assert all(f.status in ("ok", "singular information") for f in ours), [f.message for f in ours]
    a, b = table(ours), table(plain)
    # relative, except at a bound of 0 (approach_baseline_1 >= 0), where both are 0
    difference = np.max(np.abs(a - b) / np.maximum(np.abs(b), 1e-12))
    evaluations = np.mean([f.statistics["integrations"] for f in ours])
    evaluations_plain = np.mean([f.statistics["integrations"] for f in plain])
    print(f"dm.fit (EKF, exact gradients)           {1e3 * t_ours:8.1f} ms per dyad "
          f"({1e3 * c_ours:7.1f} ms CPU)   {evaluations:5.0f} filter runs")  # fmt: skip
    print(
        f"same fit, finite-difference gradients   {1e3 * t_plain:8.1f} ms per dyad "
        f"({1e3 * c_plain:7.1f} ms CPU)   {evaluations_plain:5.0f} filter runs\n"
        f"ratio {t_plain / t_ours:5.2f} (CPU {c_plain / c_ours:5.2f})   largest relative "
        f"difference of the estimates {difference:.1e}"
    )
    return t_ours


def _auto_or_none() -> str | None:
    """The ``auto-07p`` launcher when AUTO-07p and gfortran are installed, else None."""
    import shutil

    launcher = shutil.which("auto-07p") or shutil.which("auto-07p", path="/usr/bin")
    compiler = shutil.which("gfortran") or shutil.which("gfortran", path="/usr/bin")
    return launcher if launcher and compiler else None


def _run_auto(launcher: str, write, script: str):
    """``write(folder)`` the export into a fresh directory and run ``script`` there with
    AUTO-07p; (wall seconds, folder).

    The time includes AUTO's Python front end and its gfortran build of the equations.
    Debian's python3 goes first on PATH (AUTO's front end fails under numpy 2), and
    ``OMP_NUM_THREADS=1``: AUTO's OpenMP threads made its cycle runs 10x slower on a busy
    two-core machine, and dyadmodel computes on one thread here as well.
    """
    import os
    import subprocess
    import tempfile
    from pathlib import Path

    folder = Path(tempfile.mkdtemp(prefix="dyadmodel-auto-"))
    write(folder)
    env = {**os.environ, "PATH": "/usr/bin:" + os.environ.get("PATH", ""), "OMP_NUM_THREADS": "1"}
    env.pop("PYTHONPATH", None)
    env.pop("VIRTUAL_ENV", None)
    t0 = time.perf_counter()
    proc = subprocess.run(
        [launcher, script], cwd=folder, capture_output=True, text=True, env=env, check=False
    )
    elapsed = time.perf_counter() - t0
    if proc.returncode != 0:
        raise RuntimeError(f"auto-07p failed in {folder}:\n{proc.stdout[-2000:]}\n{proc.stderr}")
    return elapsed, folder


def _auto_rows(bfile) -> list[tuple[int, int, list[float]]]:
    """Every point of an AUTO ``b.`` file: (|TY|, LAB, [parameter, L2-NORM, ...])."""
    rows = []
    for line in bfile.read_text().splitlines():
        fields = line.split()
        if len(fields) < 6 or not fields[0].lstrip("-").isdigit() or fields[0] == "0":
            continue
        rows.append((abs(int(fields[2])), int(fields[3]), [float(v) for v in fields[4:]]))
    return rows


_AUTO_EQUILIBRIUM_KINDS = {1: "branch point", 2: "fold", 3: "hopf"}  # AUTO's TY codes


def _auto_continuation(launcher, m, p, param, span, starts):
    """AUTO-07p's equilibrium runs from each of ``starts``: (wall seconds, special points)."""
    import shutil

    from dyadmodel.continuation import auto_files

    stem = m.name.replace("-", "_")

    def write(folder):
        files = auto_files(m, p, param, span, x0=starts[0], directory=folder)
        script = files[f"{stem}.auto"]
        lines = [
            "    {" + ", ".join(f"{i + 1}: {float(v)!r}" for i, v in enumerate(x)) + "},"
            for x in starts
        ]
        (folder / f"{stem}.auto").write_text(script.replace(lines[0], "\n".join(lines)))

    elapsed, folder = _run_auto(launcher, write, f"{stem}.auto")
    points = set()
    for bfile in folder.glob(f"b.{stem}_*"):
        for ty, lab, row in _auto_rows(bfile):
            if ty in _AUTO_EQUILIBRIUM_KINDS and lab and min(span) < row[0] < max(span):
                points.add((_AUTO_EQUILIBRIUM_KINDS[ty], round(row[0], 10)))
    shutil.rmtree(folder, ignore_errors=True)
    return elapsed, sorted(points)


def bench_continuation(repeat: int = 3) -> None:
    """dm.continuation (certified and Newton seeds) vs AUTO-07p on the same problems.

    AUTO starts from every equilibrium at the span's start (as the export does); those
    states come from the Newton-seeded diagram, outside the timing (the export only
    writes files). "Equal accuracy": both locate the special points to about 1e-10 in
    the parameter (AUTO's EPSS = 1e-10); the largest difference is printed.
    """
    print("\n== equilibrium continuation vs AUTO-07p (one thread each) ==")
    launcher = _auto_or_none()
    if launcher is None:
        print("AUTO-07p or gfortran not installed (apt-get install auto-07p gfortran): skipped")
        return
    newton = dm.ContinuationOptions(seed_search="newton")
    cases = [
        ("rinaldi-synergic", "alpha1", (0.36, 0.5)),
        ("pursuer-distancer-2d", "anxiety_gain_1", (0.0, 4.0)),
    ]
    for name, param, span in cases:
        m = dm.models.get(name)
        p = m.params()
        t0 = time.perf_counter()
        fast = dm.continuation(m, p, param, span, newton)
        t_first = time.perf_counter() - t0
        newton_times = _times(
            lambda m=m, p=p, param=param, span=span: dm.continuation(m, p, param, span, newton),
            repeat,
        )
        t0 = time.perf_counter()
        certified = dm.continuation(m, p, param, span)
        t_certified = time.perf_counter() - t0
        starts = [
            b.states[i]
            for b in fast.branches
            for i in np.nonzero(np.isclose(b.values, span[0], rtol=0, atol=1e-12))[0]
        ]
        auto_times = []
        for _ in range(repeat):
            elapsed, auto_points = _auto_continuation(launcher, m, p, param, span, starts)
            auto_times.append(elapsed)
        ours = [(s.kind, s.value) for s in fast.special_points]
        gaps = [
            min(abs(v - w) for k2, w in ours if k2 == k)
            for k, v in auto_points
            if any(k2 == k for k2, _ in ours)
        ]
        t_auto, t_fast = statistics.median(auto_times), statistics.median(newton_times)
        claim = "; ".join(certified.notes) or "every seed search complete"
        print(f"-- {name}, {param} in {span}")
        print(f"dm special points (newton seeds)   {[(k, round(v, 10)) for k, v in ours]}")
        print(
            f"dm special points (certified)     "
            f"{[(s.kind, round(s.value, 10)) for s in certified.special_points]}"
        )
        print(
            f"AUTO-07p special points           {auto_points}; largest difference from dm "
            f"{max(gaps) if gaps else float('nan'):.1e}"
        )
        print(
            f"dm.continuation, certified seeds (default)  {t_certified:8.3f} s   ratio to "
            f"AUTO {t_certified / t_auto:6.2f}   ({claim})"
        )
        print(
            f"dm.continuation, seed_search='newton'       {t_fast:8.3f} s   ratio to AUTO "
            f"{t_fast / t_auto:6.2f}   {_spread(newton_times)}; first call {t_first:.3f} s"
        )
        print(
            f"AUTO-07p (gfortran build + {len(starts)} run(s))      {t_auto:8.3f} s   "
            f"{_spread(auto_times)}"
        )


def bench_cycles(repeat: int = 3, max_period: float = 1000.0) -> None:
    """dm.continue_cycle vs AUTO-07p: the synergic couple's cycles from the Hopf point in
    alpha1 to period 1000 (where they close through a saddle-node of equilibria)."""
    import shutil

    from scipy.interpolate import CubicSpline

    from dyadmodel.continuation import auto_files

    print(f"\n== cycle branch vs AUTO-07p: rinaldi-synergic, alpha1, to period {max_period:g} ==")
    launcher = _auto_or_none()
    if launcher is None:
        print("AUTO-07p or gfortran not installed (apt-get install auto-07p gfortran): skipped")
        return
    m = dm.models.get("rinaldi-synergic")
    p = m.params()
    span, cycle_span = (0.36, 0.4), (0.25, 0.5)
    diagram = dm.continuation(m, p, "alpha1", span, dm.ContinuationOptions(seed_search="newton"))
    (hopf,) = diagram.hopf_points
    options = dm.CycleOptions(max_period=max_period)
    t0 = time.perf_counter()
    ours = dm.continue_cycle(m, p, "alpha1", cycle_span, start=hopf, options=options)
    t_first = time.perf_counter() - t0
    dm_times = _times(
        lambda: dm.continue_cycle(m, p, "alpha1", cycle_span, start=hopf, options=options), repeat
    )
    branch = diagram.branches[hopf.branch]
    x0 = branch.states[int(np.argmin(np.abs(branch.values - span[0])))]
    auto_times = []
    for k in range(repeat):
        elapsed, folder = _run_auto(
            launcher,
            lambda f: auto_files(
                m,
                p,
                "alpha1",
                span,
                x0=x0,
                cycles=True,
                cycle_span=cycle_span,
                cycle_ds_max=0.005,
                max_period=max_period,
                directory=f,
            ),
            "rinaldi_synergic.auto",
        )
        auto_times.append(elapsed)
        if k == 0:
            rows = _auto_rows(folder / "b.rinaldi_synergic_1_cycles_1")
        shutil.rmtree(folder, ignore_errors=True)
    values = np.array([r[0] for _, _, r in rows])
    periods = np.array([r[-1] for _, _, r in rows])
    order = np.argsort(values)
    spline = CubicSpline(values[order], 1.0 / periods[order])
    inside = (ours.periods < 0.5 * max_period) & (ours.param_values >= values.min())
    period_gap = np.max(np.abs(1.0 / spline(ours.param_values[inside]) / ours.periods[inside] - 1))
    last = slice(-4, None)
    s = 1.0 / ours.periods[last] ** 2
    o = np.argsort(s)
    # AUTO stops within its EPSS of the period bound (1010 with DSMAX = 0.025): compare
    # at AUTO's last period
    end = float(CubicSpline(s[o], ours.param_values[last][o])(1.0 / periods[-1] ** 2))
    t_dm, t_auto = statistics.median(dm_times), statistics.median(auto_times)
    print(
        f"dm.continue_cycle ({ours.periods.size} points)              {t_dm:8.3f} s   "
        f"{_spread(dm_times)}; first call {t_first:.3f} s"
    )
    print(
        f"AUTO-07p ({values.size} points; build, equilibria, cycles)  {t_auto:8.3f} s   "
        f"{_spread(auto_times)}   ratio dm/AUTO {t_dm / t_auto:5.2f}"
    )
    print(
        f"alpha1 where the period reaches {periods[-1]:.6g}: AUTO {values[-1]:.10f}, dm "
        f"{end:.10f} (difference {abs(end - values[-1]):.1e}); periods below "
        f"{max_period / 2:g} agree to {period_gap:.1e} (relative; spline through AUTO's "
        f"points)"
    )
    print(f"dm's end: {ours.end}")


def _cores() -> int:
    import os

    return len(os.sched_getaffinity(0))


if __name__ == "__main__":
    sys.exit(main())
