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

    Returned by `sobol_indices`; ``str()`` gives a table of the indices with their
    intervals, `rows` and `to_csv` the same numbers at full precision. The indices are
    estimates from a finite sample: with few base points they can fall outside [0, 1]
    and ``S1`` can exceed ``ST``.

    Attributes
    ----------
    outcome : str
        The sweep output the indices are of.
    names : tuple of str
        The parameters, in the sample's order.
    first_order, total : ndarray, shape (d,)
        ``S1`` (the share of the outcome's variance due to the parameter alone) and
        ``ST`` (including all its interactions).
    first_order_conf, total_conf : ndarray, shape (d,)
        Half-widths of the ``conf_level`` bootstrap confidence intervals (SALib's normal
        approximation: the quantile of the normal distribution times the standard
        deviation of the bootstrap estimates, so the intervals are symmetric).
    second_order, second_order_conf : ndarray, shape (d, d) or None
        ``S2[i, j]`` (upper triangle; NaN elsewhere) when the sample has second-order
        points and more than one parameter; None otherwise.
    conf_level : float
        Confidence level of the intervals, in (0, 1).
    num_resamples : int
        Bootstrap resamples behind the intervals.
    n_base : int
        Base sample size ``N``; the outcome was evaluated ``N (2 d + 2)`` (or ``N (d + 2)``)
        times.
    variance : float
        Variance of the outcome over all the sample's points (``numpy.var``, divisor
        the number of points), in the outcome's units squared.
    model_name : str
        The swept model (the sweep's ``model`` attribute; '' when it has none).

    Examples
    --------
    Usually made by `sobol_indices`; the fields are plain arrays:

    >>> import numpy as np
    >>> from dyadmodel.sweeps import SobolIndices
    >>> si = SobolIndices(
    ...     "balanced_basin_fraction", ("anxiety_gain_1", "avoidance_gain_2"),
    ...     first_order=np.array([0.75, 0.125]), first_order_conf=np.array([0.0625, 0.03125]),
    ...     total=np.array([0.8125, 0.1875]), total_conf=np.array([0.0625, 0.03125]),
    ...     second_order=None, second_order_conf=None, conf_level=0.95, num_resamples=1000,
    ...     n_base=256, variance=0.04, model_name="pursuer-distancer-2d")
    >>> si  # doctest: +NORMALIZE_WHITESPACE
    SobolIndices('balanced_basin_fraction', anxiety_gain_1: S1=0.750 ST=0.812,
                 avoidance_gain_2: S1=0.125 ST=0.188)
    >>> print(si)  # doctest: +NORMALIZE_WHITESPACE
    Sobol' indices of balanced_basin_fraction (pursuer-distancer-2d; N = 256 base points,
    95% bootstrap intervals from 1000 resamples)
    parameter                             S1                      ST
    anxiety_gain_1      0.750 [0.688, 0.812]    0.812 [0.750, 0.875]
    avoidance_gain_2    0.125 [0.094, 0.156]    0.188 [0.156, 0.219]
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
        """One row per parameter: name, S1, its interval, ST, its interval.

        Returns
        -------
        list of dict
            In the order of ``names``, each ``{'parameter': name, 'S1': ..., 'S1_low':
            ..., 'S1_high': ..., 'ST': ..., 'ST_low': ..., 'ST_high': ...}``: the index
            and the ends of its interval, index minus and plus the half-width (not
            clipped to [0, 1]), as Python floats. Second-order indices are not included.

        Examples
        --------
        >>> import numpy as np
        >>> from dyadmodel.sweeps import SobolIndices
        >>> si = SobolIndices(
        ...     "n_stable", ("anxiety_gain_1",), first_order=np.array([0.75]),
        ...     first_order_conf=np.array([0.0625]), total=np.array([0.875]),
        ...     total_conf=np.array([0.125]), second_order=None, second_order_conf=None,
        ...     conf_level=0.95, num_resamples=1000, n_base=64, variance=0.25, model_name="")
        >>> [row] = si.rows()
        >>> row["parameter"], row["S1"], row["S1_low"], row["S1_high"]
        ('anxiety_gain_1', 0.75, 0.6875, 0.8125)
        >>> row["ST"], row["ST_low"], row["ST_high"]
        (0.875, 0.75, 1.0)
        """
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
        """Write `rows` as CSV (full precision); returns the path.

        Parameters
        ----------
        path : str or Path
            The CSV file to write; an existing file is replaced, the directory must
            exist.

        Returns
        -------
        Path
            ``path``.

        Examples
        --------
        >>> import pathlib, tempfile
        >>> import numpy as np
        >>> from dyadmodel.sweeps import SobolIndices
        >>> si = SobolIndices(
        ...     "n_stable", ("anxiety_gain_1",), first_order=np.array([0.75]),
        ...     first_order_conf=np.array([0.0625]), total=np.array([0.875]),
        ...     total_conf=np.array([0.125]), second_order=None, second_order_conf=None,
        ...     conf_level=0.95, num_resamples=1000, n_base=64, variance=0.25, model_name="")
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     csv = si.to_csv(pathlib.Path(tmp) / "sobol.csv")
        ...     print(csv.name)
        ...     print(csv.read_text(), end="")
        sobol.csv
        parameter,S1,S1_low,S1_high,ST,ST_low,ST_high
        anxiety_gain_1,0.75,0.6875,0.8125,0.875,0.75,1.0
        """
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
        The result of `dyadmodel.sweep` with ``over=Sample("saltelli", ...)`` (or the
        same opened with `open_sweep`); the design is read from its ``design_spec``
        attribute, the outcome's values are loaded into memory.
    outcome : str
        A scalar numeric output of the sweep (e.g. 'balanced_basin_fraction',
        'resilience', 'tipping_probability', 'n_stable'), one number per sample point
        and defined at every point: NaN in a float output, -1 in an integer one, counts
        as missing.
    num_resamples : int
        Bootstrap resamples for the confidence intervals, >= 1.
    conf_level : float
        Confidence level of the intervals, in (0, 1).
    seed : int
        Seeds the bootstrap, >= 0 (the intervals are reproducible; the indices
        themselves do not depend on it).

    Returns
    -------
    SobolIndices
        The result; see `SobolIndices` for its fields.

    Raises
    ------
    ValueError
        A Dataset that is not a sweep or a sweep that is not over a Saltelli sample, an
        unknown or non-scalar outcome, a categorical outcome ('regime'), a bad
        ``num_resamples``, ``conf_level`` or ``seed``, missing values (an unfinished
        sweep, or an outcome undefined at some points) or infinite values (e.g. an
        infinite resilience) — the message says how many and what to do.

    Notes
    -----
    Estimators as implemented in SALib (Herman & Usher 2017; Iwanaga, Usher & Herman
    2022): first-order indices after Saltelli et al. (2010), total indices after Jansen
    (1999), second-order after Saltelli (2002), and confidence intervals from bootstrap
    resampling of the base sample. With few base points the estimates can fall slightly
    outside [0, 1]; widen ``n`` until the intervals are as narrow as the question needs.

    Examples
    --------
    An outcome with known indices, ``y = anxiety_gain_1 + avoidance_gain_2 / 10`` over
    a square box: ``S1 = ST = 100/101`` and ``1/101`` (a measure of the model, e.g.
    ``measure={"balanced_basin_fraction": {"resolution": 20}}``, is used the same way):

    >>> import numpy as np
    >>> import dyadmodel as dm
    >>> from dyadmodel.sweeps import Measure, Output, Sample, sobol_indices
    >>> def linear(batch, options):
    ...     y = [p["anxiety_gain_1"] + 0.1 * p["avoidance_gain_2"] for p in batch.psets]
    ...     return {"y": np.array(y)}
    >>> def linear_outputs(model, options):
    ...     return (Output("y", "float64", np.nan),)
    >>> box = {"anxiety_gain_1": (1.0, 3.0), "avoidance_gain_2": (1.0, 3.0)}
    >>> ds = dm.sweep("pursuer-distancer-2d",
    ...               over=Sample("saltelli", box, n=256, seed=0, second_order=False),
    ...               measure=Measure("linear", "a + b/10", linear, linear_outputs),
    ...               n_workers=1)
    >>> si = sobol_indices(ds, "y")
    >>> si.names, si.n_base, ds.sizes["sample"]
    (('anxiety_gain_1', 'avoidance_gain_2'), 256, 1024)
    >>> si.first_order.round(3).tolist(), si.total.round(3).tolist()
    ([0.99, 0.01], [0.99, 0.01])
    >>> sobol_indices(ds, "regime")
    Traceback (most recent call last):
    ...
    ValueError: outcome 'regime' is not in this sweep; its outputs: y
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
