"""Couples' profiles: Gaussian-mixture groups of per-dyad estimates, and covariates.

As rties groups couples by latent profiles of their estimates, `profiles` fits
Gaussian mixtures (scikit-learn's ``GaussianMixture``, full covariances) with 1 to
``max_groups`` components to the chosen parameters' estimates of the dyads whose fit is
``"ok"`` (standardised to mean 0 and SD 1 per parameter, so that no unit dominates),
keeps the number of groups with the smallest BIC, and assigns each dyad to its most
probable group. With the data, each covariate's association with the groups is tested:
a numeric covariate by one-way ANOVA (``scipy.stats.f_oneway``) of its values across
groups, any other by the chi-square test of the groups-by-values table
(``scipy.stats.chi2_contingency``). A per-person covariate is taken per partner
(``<name>_1``, ``<name>_2``); one that is equal for both partners of every dyad (a
dyad-level covariate) once, as ``<name>``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from dyadmodel.data import DyadicData
from dyadmodel.errors import InvalidInputError, InvalidTypeError, NotFoundError
from dyadmodel.fit._result import FitResult

__all__ = ["CoupleProfiles", "profiles"]


@dataclass(frozen=True, eq=False)
class CoupleProfiles:
    """Groups of couples found by `profiles`.

    Attributes
    ----------
    parameters : tuple of str
        The estimates the groups are formed from.
    n_groups : int
        The BIC-selected number of groups.
    group : pandas.Series
        Per dyad (index ``dyad``, every dyad of the fit): its group 0..n_groups-1 (groups
        numbered by decreasing size), or -1 when the dyad was not grouped (its fit is not
        ``"ok"`` or an estimate is not finite).
    probability : pandas.DataFrame
        Per grouped dyad (index ``dyad``): the posterior probability of each group
        (columns ``group_0``, ``group_1``...; each row sums to 1).
    bic : pandas.Series
        BIC of the mixture per number of groups (index ``n_groups``, 1 to the largest
        number tried), computed on the standardised estimates; the smallest is chosen.
    means : pandas.DataFrame
        Per group (index ``group``): its size and the mean of each parameter (in the
        parameters' units).
    covariates : pandas.DataFrame
        Per covariate (index ``covariate``): its mean per group (``mean_group_<g>``,
        numeric ones), the test (``"anova"`` or ``"chi2"``), the statistic and its
        p-value (NaN where the test cannot be computed, e.g. one group); empty without
        data. The p-values are not corrected for the number of covariates tested.

    Examples
    --------
    Twelve couples grouped by their frequencies (``eta_x``, ``eta_y``) with partner
    anxiety and relationship length as covariates:

    >>> from pathlib import Path
    >>> import dyadmodel as dm
    >>> csv = Path(dm.__file__).parents[1] / "examples" / "couples_daily.csv"
    >>> data = dm.data.read_dyadic(csv, dyad="couple", person="person", time="day",
    ...     value="closeness", distinguish="female", covariates=["anxiety", "years"])
    >>> result = dm.fit("coupled-oscillator", data)
    >>> groups = dm.fit.profiles(result, ["eta_x", "eta_y"], data=data, max_groups=2,
    ...                          n_init=1)
    >>> groups
    CoupleProfiles(2 groups of sizes 11, 1; by ('eta_x', 'eta_y'))
    >>> groups.group.tolist()                      # dyad 9 is a group of its own
    [0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0]
    >>> groups.bic.round(2).tolist(), groups.n_groups
    ([70.78, 63.93], 2)
    >>> groups.means.round(3)
           size  eta_x  eta_y
    group
    0        11 -0.346 -0.358
    1         1 -0.190 -0.164
    >>> groups.covariates[["test", "p_value"]].round(3)   # anxiety is per partner
                test  p_value
    covariate
    anxiety_1  anova    0.157
    anxiety_2  anova    0.884
    years      anova    0.525
    """

    parameters: tuple[str, ...]
    n_groups: int
    group: pd.Series
    probability: pd.DataFrame
    bic: pd.Series
    means: pd.DataFrame
    covariates: pd.DataFrame

    def __repr__(self) -> str:
        sizes = ", ".join(str(int(n)) for n in self.means["size"])
        return f"CoupleProfiles({self.n_groups} groups of sizes {sizes}; by {self.parameters})"


def _covariate_columns(data: DyadicData, ids: list[Any]) -> dict[str, list[Any]]:
    names: list[str] = []
    for dyad in data:
        names.extend(n for n in dyad.covariates if n not in names)
    out: dict[str, list[Any]] = {}
    for name in names:
        pairs = [data[d].covariates.get(name, (None, None)) for d in ids]
        if all(a == b or (_missing(a) and _missing(b)) for a, b in pairs):
            out[name] = [a for a, _ in pairs]
        else:
            out[f"{name}_1"] = [a for a, _ in pairs]
            out[f"{name}_2"] = [b for _, b in pairs]
    return out


def _missing(v: Any) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


def _association(name: str, values: list[Any], groups: np.ndarray, n_groups: int) -> dict[str, Any]:
    row: dict[str, Any] = {"covariate": name}
    keep = np.array([not _missing(v) for v in values])
    vals = np.array(values, dtype=object)[keep]
    grp = groups[keep]
    numeric = all(
        isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool)
        for v in vals
    )
    if numeric and vals.size:
        x = vals.astype(float)
        samples = [x[grp == g] for g in range(n_groups)]
        for g, s in enumerate(samples):
            row[f"mean_group_{g}"] = float(s.mean()) if s.size else math.nan
        usable = [s for s in samples if s.size]
        if len(usable) >= 2 and sum(s.size for s in usable) > len(usable):
            res = stats.f_oneway(*usable)
            row.update(test="anova", statistic=float(res.statistic), p_value=float(res.pvalue))
        else:
            row.update(test="anova", statistic=math.nan, p_value=math.nan)
        return row
    table = pd.crosstab(pd.Series(grp, name="group"), pd.Series(vals.astype(str), name=name))
    if table.shape[0] >= 2 and table.shape[1] >= 2:
        chi2, p, _, _ = stats.chi2_contingency(table.to_numpy())
        row.update(test="chi2", statistic=float(chi2), p_value=float(p))
    else:
        row.update(test="chi2", statistic=math.nan, p_value=math.nan)
    return row


def profiles(
    result: FitResult,
    params: Sequence[str] | None = None,
    *,
    data: DyadicData | None = None,
    max_groups: int = 4,
    seed: int = 0,
    n_init: int = 5,
    reg_covar: float = 1e-3,
) -> CoupleProfiles:
    """Group couples by their estimates (Gaussian mixtures, BIC-selected number of groups).

    Parameters
    ----------
    result : FitResult
        From `dyadmodel.fit`.
    params : sequence of str, optional
        The parameters whose estimates form the groups (default: every parameter with
        an estimate in every ``"ok"`` dyad).
    data : DyadicData, optional
        The fitted data: its covariates are tested for association with the groups.
    max_groups : int
        The largest number of groups tried (1..max_groups, at most the number of dyads).
    seed : int
        Seed of the mixtures' initialisation (``random_state``).
    n_init : int
        Initialisations per number of groups (the best is kept).
    reg_covar : float
        Added to the diagonal of each group's covariance, in standardised units: a
        group thinner than ``sqrt(reg_covar)`` SDs of the sample is not resolved (with
        1e-6, as scikit-learn's default, a few nearly equal estimates make a group of
        their own and BIC rewards it).

    Returns
    -------
    CoupleProfiles
        The result; see `CoupleProfiles` for its fields.

    Raises
    ------
    InvalidInputError
        For an argument with an invalid value (the message says which and why).
    InvalidTypeError
        For an argument of the wrong type.
    NotFoundError
        For an unknown name (the message lists the known ones).

    Examples
    --------
    >>> from pathlib import Path
    >>> import dyadmodel as dm
    >>> csv = Path(dm.__file__).parents[1] / "examples" / "couples_daily.csv"
    >>> data = dm.data.read_dyadic(csv, dyad="couple", person="person", time="day",
    ...                            value="closeness", distinguish="female")
    >>> groups = dm.fit.profiles(dm.fit("coupled-oscillator", data), ["eta_x", "eta_y"])
    >>> groups.n_groups >= 1, len(groups.group) == len(data)
    (True, True)
    """
    try:
        from sklearn.mixture import GaussianMixture
    except ImportError:  # pragma: no cover - a dependency
        raise ImportError("profiles needs scikit-learn: pip install scikit-learn") from None
    if not isinstance(result, FitResult):
        raise InvalidTypeError(f"result must be a FitResult, got {type(result).__name__}")
    if data is not None and not isinstance(data, DyadicData):
        raise InvalidTypeError(f"data must be DyadicData, got {type(data).__name__}")
    for name, v, low in (("max_groups", max_groups, 1), ("seed", seed, 0), ("n_init", n_init, 1)):
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)):
            raise InvalidTypeError(f"{name} must be an integer, got {v!r}")
        if not low <= v <= (2**32 - 1 if name == "seed" else 50):
            raise InvalidInputError(f"{name} = {v!r:.40} is out of range")
    if isinstance(reg_covar, bool) or not isinstance(reg_covar, (int, float)):
        raise InvalidTypeError(f"reg_covar must be a number, got {reg_covar!r}")
    if not (0 < reg_covar <= 1 and math.isfinite(reg_covar)):
        raise InvalidInputError(f"reg_covar = {reg_covar!r:.40}; expected a number in (0, 1]")
    ok = result.table[result.ok]
    if params is None:
        params = [p for p in result.parameter_names if np.isfinite(ok[p]).all()]
        params = [p for p in params if ok[p].std() > 0]
    if not isinstance(params, (list, tuple)) or not all(isinstance(p, str) for p in params):
        raise InvalidTypeError(f"params must be a sequence of parameter names, got {params!r}")
    params = tuple(params)
    if not params:
        raise InvalidInputError("no parameters to group by: pass params=[...]")
    for p in params:
        if p not in result.table.columns:
            raise NotFoundError(
                f"{p!r} is not a column of the fit; the parameters are "
                f"{', '.join(result.parameter_names)}"
            )
    values = ok.loc[:, list(params)].astype(float)
    values = values[np.isfinite(values.to_numpy()).all(axis=1)]
    n = len(values)
    if n < 2:
        raise InvalidInputError(f"{n} dyad(s) with an 'ok' fit and finite estimates: too few")
    x = values.to_numpy()
    sd = x.std(axis=0)
    z = (x - x.mean(axis=0)) / np.where(sd > 0, sd, 1.0)
    bics, models = {}, {}
    for k in range(1, min(max_groups, n) + 1):
        gm = GaussianMixture(
            n_components=k,
            covariance_type="full",
            random_state=seed,
            n_init=n_init,
            reg_covar=reg_covar,
        ).fit(z)
        bics[k], models[k] = float(gm.bic(z)), gm
    best = min(bics, key=bics.get)
    gm = models[best]
    raw = gm.predict(z)
    # groups numbered by decreasing size (ties: by first dyad), so labels are stable
    order = sorted(range(best), key=lambda g: (-int(np.sum(raw == g)), int(np.argmax(raw == g))))
    relabel = {g: i for i, g in enumerate(order)}
    labels = np.array([relabel[g] for g in raw])
    proba = gm.predict_proba(z)[:, order]
    group = pd.Series(-1, index=result.table.index, name="group")
    group.loc[values.index] = labels
    probability = pd.DataFrame(
        proba, index=values.index, columns=[f"group_{g}" for g in range(best)]
    )
    means = values.groupby(labels).mean()
    means.insert(0, "size", pd.Series(labels).value_counts().sort_index().to_numpy())
    means.index.name = "group"
    rows = []
    if data is not None:
        ids = list(values.index)
        for name, column in _covariate_columns(data, ids).items():
            rows.append(_association(name, column, labels, best))
    covariates = pd.DataFrame(rows).set_index("covariate") if rows else pd.DataFrame()
    return CoupleProfiles(
        params,
        best,
        group,
        probability,
        pd.Series(bics, name="bic").rename_axis("n_groups"),
        means,
        covariates,
    )
