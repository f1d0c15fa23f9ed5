"""Global sensitivity: Sobol' indices of a sweep outcome, estimated with SALib.

A sweep over a ``Sample("saltelli", ...)`` evaluates an outcome at Saltelli's cross-sampled
points; `sobol_indices` hands those values to SALib's estimator (Saltelli et al. 2010 for
first-order, Jansen 1999 for total indices) and returns the indices with bootstrap
confidence intervals.
"""

from __future__ import annotations

import csv
import dataclasses
import json
import math
import numbers
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["SobolIndices", "sobol_indices"]


@dataclasses.dataclass(frozen=True, eq=False)
class SobolIndices:
    """Sobol' indices of one outcome over the swept parameters.

    Attributes
    ----------
    outcome : str
    names : tuple of str
        The parameters, in the sample's order.
    first_order, total : ndarray, shape (d,)
        ``S1`` (the share of the outcome's variance due to the parameter alone) and
        ``ST`` (including all its interactions).
    first_order_conf, total_conf : ndarray, shape (d,)
        Half-widths of the ``conf_level`` bootstrap confidence intervals.
    second_order, second_order_conf : ndarray, shape (d, d) or None
        ``S2[i, j]`` (upper triangle; NaN elsewhere) when the sample has second-order
        points.
    conf_level : float
    num_resamples : int
    n_base : int
        Base sample size ``N``; the outcome was evaluated ``N (2 d + 2)`` (or ``N (d + 2)``)
        times.
    variance : float
        Variance of the outcome over the sample.
    model_name : str
    """

    outcome: str
    names: tuple[str, ...]
    first_order: np.ndarray
    first_order_conf: np.ndarray
    total: np.ndarray
    total_conf: np.ndarray
    second_order: np.ndarray | None
    second_order_conf: np.ndarray | None
    conf_level: float
    num_resamples: int
    n_base: int
    variance: float
    model_name: str

    def rows(self) -> list[dict[str, Any]]:
        """One row per parameter: name, S1, its interval, ST, its interval."""
        out = []
        for i, k in enumerate(self.names):
            s1, c1, st, ct = (
                float(self.first_order[i]),
                float(self.first_order_conf[i]),
                float(self.total[i]),
                float(self.total_conf[i]),
            )
            out.append(
                {
                    "parameter": k,
                    "S1": s1,
                    "S1_low": s1 - c1,
                    "S1_high": s1 + c1,
                    "ST": st,
                    "ST_low": st - ct,
                    "ST_high": st + ct,
                }
            )
        return out

    def to_csv(self, path: str | Path) -> Path:
        """Write `rows` as CSV (full precision); returns the path."""
        p = Path(path)
        rows = self.rows()
        with p.open("w", newline="") as f:
            w = csv.DictWriter(f, fieldnames=list(rows[0]))
            w.writeheader()
            for r in rows:
                w.writerow({k: (repr(v) if isinstance(v, float) else v) for k, v in r.items()})
        return p

    def __str__(self) -> str:
        pct = f"{100 * self.conf_level:g}%"
        head = (
            f"Sobol' indices of {self.outcome} ({self.model_name}; N = {self.n_base} base "
            f"points, {pct} bootstrap intervals from {self.num_resamples} resamples)"
        )
        width = max(9, *(len(k) for k in self.names))
        lines = [head, f"{'parameter':<{width}}  {'S1':>22}  {'ST':>22}"]
        for r in self.rows():
            s1 = f"{r['S1']:.3f} [{r['S1_low']:.3f}, {r['S1_high']:.3f}]"
            st = f"{r['ST']:.3f} [{r['ST_low']:.3f}, {r['ST_high']:.3f}]"
            lines.append(f"{r['parameter']:<{width}}  {s1:>22}  {st:>22}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        pairs = zip(self.names, self.first_order, self.total)
        parts = ", ".join(f"{k}: S1={a:.3f} ST={b:.3f}" for k, a, b in pairs)
        return f"SobolIndices({self.outcome!r}, {parts})"


def sobol_indices(
    ds: Any,
    outcome: str,
    *,
    num_resamples: int = 1000,
    conf_level: float = 0.95,
    seed: int = 0,
) -> SobolIndices:
    """Sobol' indices of ``outcome`` from a finished sweep over a Saltelli sample.

    Parameters
    ----------
    ds : xarray.Dataset
        The result of `dyadmodel.sweep` with ``over=Sample("saltelli", ...)``.
    outcome : str
        A scalar numeric output of the sweep (e.g. 'balanced_basin_fraction',
        'resilience', 'tipping_probability', 'n_stable').
    num_resamples : int
        Bootstrap resamples for the confidence intervals.
    conf_level : float
        In (0, 1).
    seed : int
        Seeds the bootstrap (the intervals are reproducible).

    Returns
    -------
    SobolIndices
        The result; see `SobolIndices` for its fields.

    Raises
    ------
    ValueError
        A sweep that is not over a Saltelli sample, an unknown or non-scalar outcome, a
        categorical outcome ('regime'), missing values (an unfinished sweep) or
        non-finite values (e.g. an infinite resilience) — the message says how many and
        what to do.

    Notes
    -----
    Estimators as implemented in SALib (Herman & Usher 2017; Iwanaga, Usher & Herman
    2022): first-order indices after Saltelli et al. (2010), total indices after Jansen
    (1999), second-order after Saltelli (2002), and confidence intervals from bootstrap
    resampling of the base sample. With few base points the estimates can fall slightly
    outside [0, 1]; widen ``n`` until the intervals are as narrow as the question needs.
    """
    from SALib.analyze import sobol as salib_sobol

    try:
        design = json.loads(ds.attrs["design_spec"])
    except (KeyError, TypeError, json.JSONDecodeError):
        raise ValueError(
            "this Dataset is not a dyadmodel sweep (no 'design_spec' attribute)"
        ) from None
    if design.get("type") != "saltelli":
        raise ValueError(
            f"Sobol' indices need a sweep over Sample('saltelli', ...); this sweep's design is "
            f"{design.get('type')!r}"
        )
    if outcome not in ds.data_vars:
        raise ValueError(
            f"outcome {outcome!r} is not in this sweep; its outputs: {', '.join(ds.data_vars)}"
        )
    var = ds[outcome]
    if var.dims != ("sample",):
        raise ValueError(
            f"outcome {outcome!r} has dimensions {var.dims}; Sobol' indices need one number per "
            "sample point (select one component first, e.g. ds.final_state.sel(state=...))"
        )
    if "flag_meanings" in var.attrs and outcome != "n_stable":
        raise ValueError(
            f"outcome {outcome!r} is categorical ({var.attrs['flag_meanings']}); its variance "
            "has no meaning. Use a numeric outcome, e.g. n_stable or balanced_basin_fraction"
        )
    for key, v, ok in (
        ("num_resamples", num_resamples, lambda x: x >= 1),
        ("seed", seed, lambda x: x >= 0),
    ):
        if isinstance(v, bool) or not isinstance(v, numbers.Integral) or not ok(v):
            raise ValueError(f"{key} = {v!r}; expected a positive integer")
    if not (isinstance(conf_level, numbers.Real) and 0 < conf_level < 1):
        raise ValueError(f"conf_level = {conf_level!r}; expected a number in (0, 1)")
    y = np.asarray(var.values, dtype=float)
    if var.dtype.kind in "iu":
        missing = var.values == -1
    else:
        missing = np.isnan(y)
    if missing.any():
        raise ValueError(
            f"outcome {outcome!r} is missing at {int(missing.sum())} of {y.size} sample points "
            "(NaN: not defined there, e.g. no balanced state; or not computed yet: finish the "
            "sweep). Sobol' indices need every point; choose an outcome defined everywhere or "
            "bounds where it is"
        )
    if not np.all(np.isfinite(y)):
        raise ValueError(
            f"outcome {outcome!r} is infinite at {int((~np.isfinite(y)).sum())} sample points "
            "(e.g. resilience = inf where nothing tips); transform it first (e.g. 1/resilience) "
            "or narrow the bounds"
        )
    names = list(design["bounds"])
    bounds = [[float.fromhex(a), float.fromhex(b)] for a, b in design["bounds"].values()]
    second = bool(design["second_order"]) and len(names) > 1
    problem = {"num_vars": len(names), "names": names, "bounds": bounds}
    res = salib_sobol.analyze(
        problem,
        y,
        calc_second_order=second,
        num_resamples=int(num_resamples),
        conf_level=float(conf_level),
        seed=int(seed),
    )
    arr = {k: np.array(res[k], dtype=float) for k in ("S1", "S1_conf", "ST", "ST_conf")}
    return SobolIndices(
        outcome=outcome,
        names=tuple(names),
        first_order=arr["S1"],
        first_order_conf=arr["S1_conf"],
        total=arr["ST"],
        total_conf=arr["ST_conf"],
        second_order=np.array(res["S2"], dtype=float) if second else None,
        second_order_conf=np.array(res["S2_conf"], dtype=float) if second else None,
        conf_level=float(conf_level),
        num_resamples=int(num_resamples),
        n_base=int(design["n"]),
        variance=float(np.var(y)) if math.isfinite(float(np.var(y))) else math.nan,
        model_name=str(ds.attrs.get("model", "")),
    )
