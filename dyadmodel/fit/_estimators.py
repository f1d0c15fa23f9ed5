"""The field's standard per-dyad estimators, as rties 5.0.0 computes them:
the coupled oscillator by GLLA and the inertia–coordination lagged regression."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np

from dyadmodel.data import Dyad
from dyadmodel.errors import InvalidInputError, InvalidTypeError
from dyadmodel.fit._glla import coupled_fit, detrend
from dyadmodel.fit._lm import least_squares
from dyadmodel.fit._result import STATUS_OK, DyadFit

__all__ = [
    "COUPLED_OSCILLATOR_PARAMETERS",
    "INERTIA_COORDINATION_PARAMETERS",
    "GLLAOptions",
    "InertiaCoordinationOptions",
    "fit_coupled_oscillator",
    "fit_inertia_coordination",
]

#: The registered ``coupled-oscillator`` model's parameters, in the order of rties'
#: coefficients (partner 1 = rties' ``dist0``): own level, own first derivative,
#: partner level, partner first derivative, for partner 1 then partner 2.
COUPLED_OSCILLATOR_PARAMETERS = (
    "eta_x",
    "zeta_x",
    "eta_xy",
    "zeta_xy",
    "eta_y",
    "zeta_y",
    "eta_yx",
    "zeta_yx",
)
_COUPLING = ("eta_xy", "zeta_xy", "eta_yx", "zeta_yx")

#: Inertia–coordination parameters (rties' int0, int1, inert0, coord0, inert1, coord1).
INERTIA_COORDINATION_PARAMETERS = ("int_x", "int_y", "inert_x", "coord_x", "inert_y", "coord_y")

#: Size budget of the (tau, embed) grid: GLLA fits one regression per pair and dyad.
MAX_GRID = 400


def _int_tuple(name: str, values: object, low: int, high: int) -> tuple[int, ...]:
    if isinstance(values, (int, np.integer)) and not isinstance(values, bool):
        values = (values,)
    if not isinstance(values, (tuple, list)) or not values:
        raise InvalidTypeError(f"{name} must be a non-empty tuple of integers, got {values!r}")
    out = []
    for v in values:
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or not low <= v <= high:
            raise InvalidInputError(
                f"{name} must hold integers in [{low}, {high}], got {v!r} in {values!r}"
            )
        out.append(int(v))
    return tuple(out)


@dataclass(frozen=True)
class GLLAOptions:
    """Options of the GLLA coupled-oscillator fit (``method="glla"``).

    Attributes
    ----------
    taus : tuple of int
        Delays (in rows) to try, default (2, 3) as in rties' examples.
    embeds : tuple of int
        Embedding dimensions to try (>= 3 for second derivatives), default (3, 4).
    delta : float
        Time between successive rows (rties' ``delta``), default 1.
    coupled : bool
        False fits the uncoupled oscillator (coupling parameters fixed at 0, reported
        as 0 with no standard error). ``(tau, embed)`` is always chosen by the coupled
        regression's adjusted R², as rties' ``estDerivs`` does.
    detrend : bool
        Remove each person's OLS line first (rties always does).

    Raises
    ------
    InvalidInputError
        For an argument with an invalid value (the message says which and why).
    InvalidTypeError
        For an argument of the wrong type.

    Examples
    --------
    >>> from dyadmodel.fit import GLLAOptions
    >>> GLLAOptions()
    GLLAOptions(taus=(2, 3), embeds=(3, 4), delta=1.0, coupled=True, detrend=True)
    """

    taus: tuple[int, ...] = (2, 3)
    embeds: tuple[int, ...] = (3, 4)
    delta: float = 1.0
    coupled: bool = True
    detrend: bool = True

    def __post_init__(self) -> None:
        object.__setattr__(self, "taus", _int_tuple("taus", self.taus, 1, 10_000))
        object.__setattr__(self, "embeds", _int_tuple("embeds", self.embeds, 3, 1_000))
        if len(self.taus) * len(self.embeds) > MAX_GRID:
            raise InvalidInputError(
                f"{len(self.taus)} taus x {len(self.embeds)} embeds = "
                f"{len(self.taus) * len(self.embeds)} settings; at most {MAX_GRID}"
            )
        delta = self.delta
        if isinstance(delta, bool) or not isinstance(delta, (int, float, np.floating)):
            raise InvalidTypeError(f"delta must be a number, got {delta!r}")
        if not (math.isfinite(delta) and delta > 0):
            raise InvalidInputError(f"delta must be a finite number > 0, got {delta!r}")
        object.__setattr__(self, "delta", float(delta))
        for flag in ("coupled", "detrend"):
            if not isinstance(getattr(self, flag), bool):
                raise InvalidTypeError(f"{flag} must be True or False, got {getattr(self, flag)!r}")


@dataclass(frozen=True)
class InertiaCoordinationOptions:
    """Options of the inertia–coordination fit (``method="ols"``; Reed et al. 2013).

    Attributes
    ----------
    lag : int
        Lag in rows of the dyad's time grid (rties' ``time_lag``), default 1.
    terms : {"inertia-coordination", "inertia", "coordination"}
        Which lagged terms enter (rties' ``whichModel``: inertCoord, inert, coord);
        the left-out ones are reported as 0 with no standard error.
    detrend : bool
        Remove each person's OLS line first (rties always does).

    Raises
    ------
    InvalidInputError
        For an argument with an invalid value (the message says which and why).
    InvalidTypeError
        For an argument of the wrong type.

    Examples
    --------
    >>> from dyadmodel.fit import InertiaCoordinationOptions
    >>> InertiaCoordinationOptions(lag=2).lag
    2
    """

    lag: int = 1
    terms: Literal["inertia-coordination", "inertia", "coordination"] = "inertia-coordination"
    detrend: bool = True

    def __post_init__(self) -> None:
        (lag,) = _int_tuple("lag", (self.lag,), 1, 100_000)
        object.__setattr__(self, "lag", lag)
        if self.terms not in ("inertia-coordination", "inertia", "coordination"):
            raise InvalidInputError(
                f"terms must be 'inertia-coordination', 'inertia' or 'coordination', "
                f"got {self.terms!r}"
            )
        if not isinstance(self.detrend, bool):
            raise InvalidTypeError(f"detrend must be True or False, got {self.detrend!r}")


def _prepared(dyad: Dyad, do_detrend: bool) -> np.ndarray:
    values = dyad.values
    if not do_detrend:
        return values.copy()
    return np.column_stack([detrend(dyad.time, values[:, k]) for k in range(2)])


def _period(eta: float) -> float:
    return 2.0 * math.pi / math.sqrt(abs(eta)) if np.isfinite(eta) and eta != 0 else np.nan


def fit_coupled_oscillator(dyad: Dyad, options: GLLAOptions) -> DyadFit:
    """GLLA coupled-oscillator fit of one dyad (see `dyadmodel.fit`)."""
    series = _prepared(dyad, options.detrend)
    complete = np.all(np.isfinite(series), axis=1)
    x, y = series[complete, 0], series[complete, 1]
    n_times = int(complete.sum())
    selection = []
    best = None
    for embed in options.embeds:  # rties' expand.grid order: taus vary fastest
        for tau in options.taus:
            rows = n_times - (embed - 1) * tau
            adj = np.nan
            if rows > 4:  # 2 rows per time point; some residual degree of freedom left
                selected = coupled_fit(x, y, embed, tau, options.delta, coupled=True)
                adj = selected.adj_r_squared
                if np.isfinite(adj) and (best is None or adj > best[0]):
                    best = (adj, tau, embed, selected)
            selection.append({"tau": tau, "embed": embed, "adj_r2": adj})
    details = {"selection": selection}
    base = {"n_times": n_times}
    if best is None:
        need = min((e - 1) * t for e in options.embeds for t in options.taus) + 5
        return DyadFit(
            {},
            statistics={**base, "n_obs": 0},
            status="too short",
            message=(
                f"{n_times} time points with both partners observed; the smallest "
                f"(tau, embed) needs at least {need}"
            ),
            details=details,
        )
    _, tau, embed, lm = best
    names = COUPLED_OSCILLATOR_PARAMETERS
    if not options.coupled:
        lm = coupled_fit(x, y, embed, tau, options.delta, coupled=False)
        names = ("eta_x", "zeta_x", "eta_y", "zeta_y")
    estimates = dict(zip(names, lm.coefficients.tolist()))
    ses = dict(zip(names, lm.standard_errors.tolist()))
    if not options.coupled:
        estimates.update(dict.fromkeys(_COUPLING, 0.0))
    statistics = {
        **base,
        "n_obs": lm.n,
        "tau": tau,
        "embed": embed,
        "adj_r2": lm.adj_r_squared,
        "r2": lm.r_squared,
        "period_x": _period(estimates["eta_x"]),
        "period_y": _period(estimates["eta_y"]),
    }
    status, notes = STATUS_OK, []
    aliased = [n for n, a in zip(names, lm.aliased) if a]
    if aliased:
        status = "aliased"
        notes.append(
            f"regressors collinear (e.g. identical or proportional partner series): "
            f"{', '.join(aliased)} aliased with earlier terms and not estimated (NaN), "
            "the rest fitted without them, as R's lm does"
        )
    for eta in ("eta_x", "eta_y"):
        if np.isfinite(estimates[eta]) and estimates[eta] >= 0:
            notes.append(f"{eta} = {estimates[eta]:.4g} >= 0: no oscillation at this frequency")
    return DyadFit(estimates, ses, statistics, status, "; ".join(notes), details)


def fit_inertia_coordination(dyad: Dyad, options: InertiaCoordinationOptions) -> DyadFit:
    """Inertia–coordination fit of one dyad (see `dyadmodel.fit`)."""
    series = _prepared(dyad, options.detrend)
    lag = options.lag
    n = series.shape[0]
    lagged = np.full_like(series, np.nan)
    if lag < n:
        lagged[lag:] = series[:-lag]
    x, y = series[:, 0], series[:, 1]
    lx, ly = lagged[:, 0], lagged[:, 1]
    one, zero = np.ones(n), np.zeros(n)
    # columns as lm(obs ~ -1 + dist0 + dist1 + dist0:obs_Lag + dist0:p_obs_Lag + dist1:...)
    rows_x = np.column_stack([one, zero, lx, ly, zero, zero])
    rows_y = np.column_stack([zero, one, zero, zero, ly, lx])
    names = list(INERTIA_COORDINATION_PARAMETERS)
    keep = {
        "inertia-coordination": [0, 1, 2, 3, 4, 5],
        "inertia": [0, 1, 2, 4],
        "coordination": [0, 1, 3, 5],
    }[options.terms]
    X = np.vstack([rows_x, rows_y])[:, keep]
    response = np.concatenate([x, y])
    ok = np.isfinite(response) & np.all(np.isfinite(X), axis=1)
    used = [names[k] for k in keep]
    base = {"n_times": n, "lag": lag}
    if ok.sum() <= len(keep):
        return DyadFit(
            {},
            statistics={**base, "n_obs": int(ok.sum())},
            status="too short",
            message=(
                f"{int(ok.sum())} usable rows (value and lagged values observed) for "
                f"{len(keep)} coefficients"
            ),
        )
    lm = least_squares(X[ok], response[ok])
    estimates = dict.fromkeys(names, 0.0)
    estimates.update(zip(used, lm.coefficients.tolist()))
    ses = dict(zip(used, lm.standard_errors.tolist()))
    statistics = {**base, "n_obs": lm.n, "adj_r2": lm.adj_r_squared, "r2": lm.r_squared}
    aliased = [u for u, a in zip(used, lm.aliased) if a]
    if aliased:
        return DyadFit(
            estimates,
            ses,
            statistics,
            "aliased",
            f"regressors collinear: {', '.join(aliased)} aliased with earlier terms and not "
            "estimated (NaN), the rest fitted without them, as R's lm does",
        )
    return DyadFit(estimates, ses, statistics)
