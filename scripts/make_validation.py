"""Write the documentation's validation page from runs: docs/validation.md and .json.

Every literature result, independent closed form, peer cross-check (AUTO-07p, XPPAUT,
R's ``lm``) and fitting recovery that the test suite checks is recomputed here by
calling the package (and the peer tools when they are installed, as ``tests/peers``
drives them; reusing the tests' own helpers, so the page and the tests compare the same
things) and written as one table: quantity, package value, reference value, source,
difference, the tolerance the test suite holds it to, and whether it is met, with the
date and the versions of the run. Nothing on the page is typed by hand.

Freshness: ``docs/validation.json`` records a SHA-256 of the code the run depended on:
every ``dyadmodel`` module that was imported during the run, each parsed and with its
docstrings removed (``ast``), so edits of docstrings, comments or formatting do not make
the page stale, while any change of code the numbers came from does. It also records
this script's own hash. ``tests/test_docs.py`` recomputes it and fails when it differs:
then rerun ``.venv/bin/python scripts/make_validation.py`` (about 2-3 minutes with the
peer tools) and commit both files.

Run: ``.venv/bin/python scripts/make_validation.py [--no-peers]``
"""

from __future__ import annotations

import argparse
import ast
import datetime as _dt
import hashlib
import importlib.metadata
import json
import math
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
PAGE = REPO / "docs" / "validation.md"
RECORD = REPO / "docs" / "validation.json"

import numpy as np  # noqa: E402

import dyadmodel as dm  # noqa: E402

ROWS: list[dict] = []


def row(group, quantity, package, reference, source, difference, tolerance):
    """Record one comparison; ``difference`` and ``tolerance`` are numbers (or None)."""
    ok = None if difference is None or tolerance is None else bool(difference <= tolerance)
    ROWS.append(
        {
            "group": group,
            "quantity": quantity,
            "package": package,
            "reference": reference,
            "source": source,
            "difference": None if difference is None else float(difference),
            "tolerance": None if tolerance is None else float(tolerance),
            "passed": ok,
        }
    )


def fmt(x) -> str:
    """A number or an array for the table (10 significant digits)."""
    if isinstance(x, str):
        return x
    a = np.atleast_1d(np.asarray(x, dtype=float))
    text = ", ".join(f"{v:.10g}" for v in a)
    return text if a.size == 1 else f"({text})"


# -- literature results and closed forms -------------------------------------------------


def literature() -> None:
    g = "literature"
    m = dm.models.get("laura-petrarch")
    p = m.params()
    out = dm.classify_trajectory(m, p, [0.0, 0.0, 0.0], t_max=100)
    cycle = dm.limit_cycle(m, p, out.final_state)
    outside = max(3.5 - cycle.period, cycle.period - 4.2, 0.0)
    row(
        g,
        "Laura–Petrarch: period of the stable emotional cycle (years; difference: "
        "distance outside the range)",
        fmt(cycle.period),
        "about 4; the test requires 3.5–4.2",
        "Rinaldi (1998b); Jones (1995): six cycles in 1327–1348",
        outside,
        0.0,
    )

    m = dm.models.get("strogatz-linear")
    p = m.params(a=0.0, b=1.5, c=-0.6, d=0.0)
    out = dm.classify_trajectory(m, p, [1.0, 0.0], t_max=200)
    exact = 2 * math.pi / math.sqrt(0.9)
    row(
        g,
        "Strogatz centre R' = 1.5 J, J' = -0.6 R: period",
        fmt(out.period),
        fmt(exact),
        "Strogatz (1988): 2π/√(−bc)",
        abs(out.period - exact),
        1e-4,
    )

    m = dm.models.get("gone-with-the-wind")
    first = dm.equilibria(m, m.preset("first-part"))
    kinds = ", ".join(e.kind for e in first)
    row(
        g,
        "Gone with the Wind, first part: equilibria",
        kinds,
        "stable node, saddle, stable node",
        "Rinaldi, Della Rossa & Landi (2013)",
        0.0 if kinds == "stable node, saddle, stable node" else 1.0,
        0.0,
    )
    later = dm.equilibria(m, m.preset("rhett-quits"))
    ref = np.array([1.2709, 7.3488])
    row(
        g,
        "Gone with the Wind, Rhett quits: the single stable state (R, S)",
        fmt(later[0].state),
        fmt(ref),
        "Rinaldi, Della Rossa & Landi (2013); value: scipy fsolve (tests/models)",
        float(np.abs(later[0].state - ref).max()),
        1e-3,
    )

    m = dm.models.get("liebovitch")
    p = m.params(m1=1.0, m2=1.0, b1=0.0, b2=0.0, c2=1.0)
    points = dm.continuation(m, p, "c1", (0.0, 2.0)).special_points
    branch = [s.value for s in points if s.kind == "branch point"]
    got = branch[0] if branch else float("nan")
    row(
        g,
        "Liebovitch: pitchfork of the origin in c1 (m1 = m2 = c2 = 1)",
        fmt(got),
        "1 (c1 c2 = m1 m2)",
        "Liebovitch et al. (2008)",
        abs(got - 1.0),
        1e-8,
    )

    m = dm.models.get("rinaldi-linear")
    p = m.params(alpha1=0.8, alpha2=0.5, beta1=0.6, beta2=-0.4, A1=1.2, A2=1.0)
    M = np.array([[0.8, -0.6], [0.4, 0.5]])
    x = np.linalg.solve(M, [p["gamma1"] * 1.0, p["gamma2"] * 1.2])
    (e,) = dm.equilibria(m, p, domain=[(-20, 20), (-20, 20)])
    row(
        g,
        "Rinaldi linear couple: the equilibrium",
        fmt(e.state),
        fmt(x),
        "Rinaldi (1998a): linear solve",
        float(np.abs(e.state - x).max()),
        1e-10,
    )

    m = dm.models.get("validating-couple")
    p = m.params(r1=0.7, r2=0.9, a1=0.3, a2=-0.5, x0=0.5, y0=-0.3)
    x = np.linalg.solve(np.array([[0.7, -0.3], [0.5, 0.9]]), [0.7 * 0.5, 0.9 * -0.3])
    (e,) = dm.equilibria(m, p, domain=[(-5, 5), (-5, 5)])
    row(
        g,
        "Validating couple: the steady state",
        fmt(e.state),
        fmt(x),
        "Gottman et al. (2002); Tung (2007): linear solve",
        float(np.abs(e.state - x).max()),
        1e-10,
    )

    m = dm.models.get("rinaldi-synergic")
    p = m.params()
    (e,) = dm.equilibria(m, p)
    out = dm.classify_trajectory(m, p, e.state + 0.05, t_max=600)
    cycle = dm.limit_cycle(m, p, out.final_state)
    row(
        g,
        "Synergic couple: stable cycle around an unstable focus (period)",
        f"{e.kind}; cycle stable={cycle.stable}, period {cycle.period:.6g}",
        "unstable focus; stable cycle",
        "Gragnani, Rinaldi & Feichtinger (1997)",
        0.0 if (e.kind == "unstable focus" and cycle.stable) else 1.0,
        0.0,
    )

    d = dm.continuation(m, None, "alpha1", (0.35, 0.38), dm.ContinuationOptions(seeds=1))
    branch = dm.continue_cycle(m, None, "alpha1", (0.01, 3.0), start=d.hopf_points[0])
    end = [s.value for s in branch.special if s.kind == "homoclinic"]
    folds = dm.continuation(m, None, "alpha1", (0.29, 0.31), dm.ContinuationOptions(seeds=1))
    got = end[0] if end else float("nan")
    fold = min((f.value for f in folds.folds), key=lambda v: abs(v - got), default=float("nan"))
    row(
        g,
        "Synergic couple: the cycle born at the Hopf point ends at the fold of equilibria "
        "(SNIC; alpha1)",
        fmt(got),
        fmt(fold),
        "continuation of equilibria (fold located to 1e-12)",
        abs(got - fold),
        1e-8,
    )

    m = dm.models.get("coupled-oscillator")
    eta, zeta = -0.6, -0.1
    p = m.params(eta_x=eta, zeta_x=zeta, eta_xy=0.0, zeta_xy=0.0, eta_yx=0.0, zeta_yx=0.0)
    lam = np.linalg.eigvals(m.jacobian(np.zeros(m.n_states), p))
    lam_x = lam[np.argsort(-np.abs(lam.imag - math.sqrt(-eta - zeta**2 / 4)))][-1]
    exact = complex(zeta / 2, math.sqrt(-eta - zeta**2 / 4))
    row(
        g,
        "Damped oscillator (η = −0.6, ζ = −0.1): eigenvalue",
        fmt([lam_x.real, abs(lam_x.imag)]),
        fmt([exact.real, exact.imag]),
        "Butner et al. (2007): ζ/2 ± i√(−η − ζ²/4)",
        abs(complex(lam_x.real, abs(lam_x.imag)) - exact),
        1e-9,
    )

    m = dm.models.get("pursuer-distancer-2d")
    p = m.params(anxiety_gain_1=2.0, avoidance_gain_2=2.0)
    eqs = dm.equilibria(m, p)
    saddle = next(e for e in eqs if e.kind == "saddle")
    residual = float(np.abs(m.rhs([0.5, 0.5], p)).max())
    row(
        g,
        "Pursuer–distancer 2D (gains 2): the tipping threshold",
        fmt(saddle.state),
        f"(0.5, 0.5), where the right-hand side vanishes exactly (residual {residual:.1e})",
        "symmetry of the model (paper/paper.md)",
        float(np.abs(saddle.state - 0.5).max()),
        1e-12,
    )


# -- fitting: closed forms and recovery --------------------------------------------------


def fitting() -> None:
    g = "fitting"
    from dyadmodel.fit._kalman import kalman_loglik
    from tests.fit import test_glla, test_kalman, test_ml

    params = {**test_glla.COUPLED, "eta_x": -0.4, "zeta_x": -0.05, "eta_y": -0.6, "eta_xy": 0.05}
    delta, tau, embed = 0.5, 2, 4
    states = test_glla.simulate(params, 80, delta)
    res = dm.fit(
        "coupled-oscillator",
        test_glla.as_data([(states[:, 0], states[:, 2])], delta),
        taus=(tau,),
        embeds=(embed,),
        delta=delta,
        detrend=False,
    )
    names = list(dm.fit.COUPLED_OSCILLATOR_PARAMETERS)
    got = res.table.iloc[0][names].to_numpy(float)
    want = test_glla.expected_glla(params, embed, tau, delta)
    row(
        g,
        "GLLA on noise-free coupled oscillators: the 8 coefficients (max |diff|)",
        f"eta_x {got[0]:.10g}",
        f"eta_x {want[0]:.10g}",
        "GLLA closed form (tests/fit/test_glla.py)",
        float(np.abs(got - want).max()),
        1e-6,
    )

    rng = np.random.default_rng(3)
    times = np.cumsum(rng.uniform(0.2, 2.0, 30))
    values = rng.normal(size=(30, 2))
    dyad = test_kalman.to_data({1: values.T}, times)[1]
    x0 = [0.3, -0.2]
    prm = {"theta_x": 0.8, "theta_y": 1.4, "mu": 0.4}
    got = kalman_loglik(
        test_kalman.OU, dyad, prm, x0, (0.6, 0.9), (0.2, 0.3), initial_covariance=np.zeros((2, 2))
    )
    want = test_kalman.ou_loglik(times, values[:, 0], 0.8, 0.0, 0.6, x0[0], 0.2)
    want += test_kalman.ou_loglik(times, values[:, 1], 1.4, 0.4, 0.9, x0[1], 0.3)
    row(
        g,
        "Extended Kalman filter log-likelihood of two OU partners",
        fmt(got),
        fmt(want),
        "exact Gaussian likelihood of the OU process",
        abs(got - want),
        1e-8 + 1e-9 * abs(want),
    )

    truth, data = test_ml.pd2_couples(6, seed=11)
    result = dm.fit(dm.models.get(test_ml.PD2), data, method="ml", free=test_ml.FREE, n_starts=2)
    for name in test_ml.FREE:
        z = ((result.table[name] - truth[name]) / result.table[f"se_{name}"]).abs()
        row(
            g,
            f"ML recovery, 6 simulated couples: {name} (median estimate; max |z|)",
            f"{result.table[name].median():.6g}; max |z| {z.max():.3g}",
            fmt(truth[name]),
            "simulation truth (tests/fit/test_ml.py)",
            float(z.max()),
            3.5,
        )


# -- global sensitivity -------------------------------------------------------------------


def sensitivity() -> None:
    from dyadmodel.sweeps import Sample, sobol_indices
    from tests.sweeps.test_sensitivity import HI, ISHIGAMI, ISHIGAMI_PARAMS, LO, ishigami_exact

    s = Sample("saltelli", {k: (LO, HI) for k in ISHIGAMI_PARAMS}, n=1024, seed=3)
    ds = dm.sweep(
        "pursuer-distancer-2d",
        over=s,
        measure=ISHIGAMI,
        n_workers=1,
        chunk_size=512,
        progress=False,
    )
    r = sobol_indices(ds, "ishigami", num_resamples=500, seed=1)
    exact = ishigami_exact()
    for k, name in enumerate(("x1", "x2", "x3")):
        for label, got, want in (
            ("first-order", r.first_order, exact["S1"]),
            ("total", r.total, exact["ST"]),
        ):
            row(
                "sensitivity",
                f"Ishigami function (a = 7, b = 0.1): {label} Sobol' index of {name} (N = 1024)",
                fmt(got[k]),
                fmt(want[k]),
                "closed form (Saltelli et al. 2008, sec. 4.7); estimator: SALib",
                abs(got[k] - want[k]),
                0.03,
            )


# -- peers ---------------------------------------------------------------------------------


def peers() -> None:
    from dyadmodel.continuation import auto_files, xppaut_ode
    from tests.peers.conftest import AUTO_KINDS, read_auto_points, run_auto, run_xppaut
    from tests.peers.test_auto07p import CASES, PARAMETER_TOLERANCE
    from tests.peers.test_xppaut import DT, T_END, TOLERANCE, _inputs, _start

    xpp = shutil.which("xppaut")
    auto = shutil.which("auto-07p") if shutil.which("gfortran") else None
    rscript = shutil.which("Rscript")
    if xpp:
        for name in dm.models.names():
            m = dm.models.get(name)
            x0 = _start(m)
            with tempfile.TemporaryDirectory() as tmp:
                ode = Path(tmp) / "model.ode"
                xppaut_ode(
                    m,
                    inputs=_inputs(m) or None,
                    x0=x0,
                    t_end=T_END,
                    dt=DT,
                    tolerance=1e-12,
                    path=ode,
                )
                table = run_xppaut(xpp, ode)
            grid = np.arange(0.0, T_END + DT / 2, DT)
            sim = dm.simulate(
                m,
                None,
                x0,
                (0.0, T_END),
                stress=_inputs(m).get("stress"),
                t_eval=grid,
                rtol=1e-12,
                atol=1e-12,
            )
            diff = np.abs(table[:, 1:] - sim.y.T) / np.maximum(1.0, np.abs(sim.y.T))
            row(
                "XPPAUT",
                f"{name}: trajectory to t = {T_END:g} (state at the end)",
                fmt(sim.y[:, -1]),
                fmt(table[-1, 1:]),
                "XPPAUT 6.11 (CVODE, tol 1e-12)",
                float(diff.max()),
                TOLERANCE,
            )
    else:
        row("XPPAUT", "XPPAUT trajectories", "not run", "xppaut not installed", "—", None, None)
    if auto:
        for case, (param, span, values) in CASES.items():
            name = case.split(":")[0]
            m = dm.models.get(name)
            p = m.params(**values)
            with tempfile.TemporaryDirectory() as tmp:
                auto_files(m, p, param, span, directory=tmp)
                stem = name.replace("-", "_")
                run_auto(auto, Path(tmp), f"{stem}.auto")
                points = []
                for bfile in sorted(Path(tmp).glob(f"b.{stem}_*")):
                    if re.fullmatch(rf"b\.{stem}_\d+", bfile.name):  # not the cycle runs
                        points += read_auto_points(bfile)
            lo, hi = sorted(span)
            found: list[tuple[str, float]] = []
            for ty, value, _ in points:
                kind = AUTO_KINDS.get(ty)
                if (
                    kind
                    and lo < value < hi
                    and not any(k == kind and abs(v - value) < 1e-6 for k, v in found)
                ):
                    found.append((kind, value))
            expected = [
                (s.kind, s.value) for s in dm.continuation(m, p, param, span).special_points
            ]
            if not expected and not found:
                row(
                    "AUTO-07p",
                    f"{case}: special points in {param} ∈ {list(span)}",
                    "none",
                    "none",
                    "AUTO-07p 0.9.2",
                    0.0,
                    PARAMETER_TOLERANCE,
                )
                continue
            for kind, value in expected:
                gaps = [abs(value - v) for k, v in found if k == kind]
                ref = min(found, key=lambda kv: abs(kv[1] - value) if kv[0] == kind else 1e9)
                row(
                    "AUTO-07p",
                    f"{case}: {kind} in {param}",
                    fmt(value),
                    fmt(ref[1]) if gaps else "not found",
                    "AUTO-07p 0.9.2",
                    min(gaps) if gaps else float("inf"),
                    PARAMETER_TOLERANCE,
                )
    else:
        row(
            "AUTO-07p",
            "AUTO-07p continuations",
            "not run",
            "auto-07p not installed",
            "—",
            None,
            None,
        )
    if rscript:
        import pandas as pd

        from dyadmodel.fit import least_squares
        from tests.peers.test_r_lm import _designs, run_r

        cases = _designs(np.random.default_rng(7))
        with tempfile.TemporaryDirectory() as tmp:
            tmp_path = Path(tmp)
            for k, (X, y) in enumerate(cases):
                pd.DataFrame(np.column_stack([y, X])).to_csv(
                    tmp_path / f"design{k}.csv", index=False, float_format="%.17g"
                )
            run_r(
                rscript,
                tmp_path,
                f"""
for (k in 0:{len(cases) - 1}) {{
  d <- read.csv(sprintf("design%d.csv", k)); y <- d[[1]]; X <- as.matrix(d[, -1])
  fit <- lm(y ~ X - 1); write.csv(rbind(coef(fit)), sprintf("r%d.csv", k), row.names = FALSE)
}}
""",
            )
            for k, (X, y) in enumerate(cases):
                r = pd.read_csv(tmp_path / f"r{k}.csv").to_numpy(dtype=float)[0]
                ours = least_squares(X, y).coefficients
                scale = np.maximum(1.0, np.abs(r))
                diff = float(np.nanmax(np.abs(ours - r) / scale))
                row(
                    "R",
                    f"least squares, design {k} ({X.shape[1]} columns): coefficients "
                    "(relative max |diff|)",
                    fmt(ours[0]) + ", ...",
                    fmt(r[0]) + ", ...",
                    f"R {_r_version(rscript)} lm()",
                    diff,
                    1e-10,
                )
    else:
        row("R", "R lm cross-check", "not run", "Rscript not installed", "—", None, None)


def _r_version(rscript: str) -> str:
    out = subprocess.run([rscript, "--version"], capture_output=True, text=True, check=False)
    text = (out.stdout + out.stderr).split()
    return next((w for w in text if w[:1].isdigit() and w.count(".") == 2), "")


# -- the record -----------------------------------------------------------------------------


def file_hashes(files: Iterable[Path]) -> dict[str, str]:
    """Per file (relative to the repository): SHA-256 of its code without docstrings,
    comments or formatting."""
    return {
        str(Path(f).resolve().relative_to(REPO)): hashlib.sha256(
            stripped_source(Path(f)).encode()
        ).hexdigest()
        for f in sorted(files)
    }


def code_hash(hashes: dict[str, str]) -> str:
    """One SHA-256 over the per-file hashes."""
    text = "".join(f"{path}\0{digest}\n" for path, digest in sorted(hashes.items()))
    return hashlib.sha256(text.encode()).hexdigest()


def stripped_source(path: Path) -> str:
    """The module's code as ``ast.unparse`` writes it, with every docstring removed."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if (
                body
                and isinstance(body[0], ast.Expr)
                and isinstance(getattr(body[0], "value", None), ast.Constant)
                and isinstance(body[0].value.value, str)
            ):
                node.body = body[1:] or [ast.Pass()]
    return ast.unparse(tree)


def dyadmodel_files_loaded() -> list[Path]:
    """The dyadmodel source files imported so far."""
    pkg = (REPO / "dyadmodel").resolve()
    out = set()
    for mod in list(sys.modules.values()):
        f = getattr(mod, "__file__", None)
        if f and f.endswith(".py") and Path(f).resolve().is_relative_to(pkg):
            out.add(Path(f).resolve())
    return sorted(out)


def versions() -> dict[str, str]:
    names = ["dyadmodel", "numpy", "scipy", "sympy", "python-flint", "numba"]
    out = {"python": platform.python_version()}
    for n in names:
        try:
            out[n] = importlib.metadata.version(n)
        except importlib.metadata.PackageNotFoundError:
            out[n] = "not installed"
    return out


def write(seconds: float) -> None:
    files = dyadmodel_files_loaded()
    hashes = file_hashes(files)
    record = {
        "generated": _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "seconds": round(seconds, 1),
        "versions": versions(),
        "code_hash": code_hash(hashes),
        "script_hash": hashlib.sha256(stripped_source(Path(__file__)).encode()).hexdigest(),
        "files": hashes,
        "rows": ROWS,
    }
    RECORD.write_text(json.dumps(record, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    v = record["versions"]
    lines = [
        "# Validation",
        "",
        "<!-- generated by scripts/make_validation.py from its runs: do not edit -->",
        "",
        "Every literature result, independent closed form, peer cross-check and fitting "
        "recovery that the test suite makes, recomputed by `scripts/make_validation.py` "
        "calling the package and the peer tools. *Difference* is the absolute difference "
        "(relative for XPPAUT and R, |z| for ML recovery); *tolerance* is what the test "
        "suite requires.",
        "",
        f"Run on {record['generated']} in {record['seconds']} s with "
        + ", ".join(f"{k} {val}" for k, val in v.items())
        + ". The code it describes has hash `"
        + record["code_hash"][:16]
        + "` (the docstring-free code of the "
        + str(len(files))
        + " dyadmodel modules the run imported); `tests/test_docs.py` fails when the code "
        "changes and this page is not regenerated.",
        "",
    ]
    passed = sum(r["passed"] is True for r in ROWS)
    failed = sum(r["passed"] is False for r in ROWS)
    skipped = sum(r["passed"] is None for r in ROWS)
    lines += [
        f"**{passed} comparisons within tolerance, {failed} outside, {skipped} not run.**",
        "",
    ]
    for group in dict.fromkeys(r["group"] for r in ROWS):
        lines += [
            f"## {group}",
            "",
            "| quantity | package | reference | source | difference | tolerance | ok |",
            "|---|---|---|---|---|---|---|",
        ]
        for r in (r for r in ROWS if r["group"] == group):
            d = "—" if r["difference"] is None else f"{r['difference']:.2g}"
            t = "—" if r["tolerance"] is None else f"{r['tolerance']:.2g}"
            ok = {True: "yes", False: "**no**", None: "not run"}[r["passed"]]
            cells = [r["quantity"], r["package"], r["reference"], r["source"], d, t, ok]
            lines.append("| " + " | ".join(str(c).replace("|", "\\|") for c in cells) + " |")
        lines.append("")
    PAGE.write_text("\n".join(lines), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-peers", action="store_true", help="skip XPPAUT, AUTO-07p and R")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    steps: list[Callable[[], None]] = [literature, fitting, sensitivity] + (
        [] if args.no_peers else [peers]
    )
    for step in steps:
        t0 = time.perf_counter()
        step()
        print(f"{step.__name__}: {time.perf_counter() - t0:.1f} s", flush=True)
    write(time.perf_counter() - start)
    failed = [r for r in ROWS if r["passed"] is False]
    print(f"wrote {PAGE.relative_to(REPO)} ({len(ROWS)} rows, {len(failed)} outside tolerance)")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
