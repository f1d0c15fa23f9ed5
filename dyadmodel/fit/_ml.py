"""Maximum likelihood for any model: trajectory matching with exact gradients.

The observation model of ``method="ml"``: partner 1's value is one state of the model
(``observed[0]``), partner 2's another (``observed[1]``), each plus independent Gaussian
measurement noise with its own standard deviation (``sigma_1``, ``sigma_2``). There is
no process noise (the model is deterministic; with ``process_noise=True`` the model is
an SDE and the likelihood the continuous–discrete extended Kalman filter's:
`dyadmodel.fit._kalman`). The unknowns are the initial state at the dyad's first time
point (every state, observed or not), the ``free`` parameters (the others stay at
``params``) and the two noise SDs.

Estimation: for fixed SDs the negative log-likelihood is a weighted sum of squares, so
`scipy.optimize.least_squares` (trust-region reflective, within the parameters' bounds)
minimises it with the exact Jacobian from the forward sensitivities
(`dyadmodel.fit._sensitivity`), from a seeded set of starts; the SDs are then set to
their maximum-likelihood values ``sqrt(RSS_k / n_k)`` and the weighted problem solved
again until they settle (at most 5 rounds). The result maximises the likelihood with the
SDs profiled out.

Uncertainty: standard errors from the Fisher information ``J^T J`` of the weighted
residuals at the estimate (Gauss–Newton, the SDs at their estimates); profile likelihood
confidence intervals (`profile_likelihood`) and an identifiability verdict per parameter.
Model comparison: ``loglik``, ``aic``, ``bic`` per dyad and `likelihood_ratio_test`.

Missing values: a time point where a partner's value is missing contributes nothing for
that partner (the trajectory still runs through it). Known inputs (e.g. daily stress)
are taken from the data's input columns of the same name: the partners' mean at each
time point (the one observed value when the other is missing; the previous time point's
value, or the input's default, when both are missing), held constant until the next
time point.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy import optimize, stats

from dyadmodel.data import Dyad
from dyadmodel.errors import (
    BudgetExceededError,
    InvalidInputError,
    InvalidTypeError,
    NotFoundError,
)
from dyadmodel.fit._result import STATUS_OK, DyadFit, FitResult
from dyadmodel.fit._sensitivity import sensitivity_system
from dyadmodel.model import Model

__all__ = [
    "PROFILE_THRESHOLD",
    "MLOptions",
    "Profile",
    "fit_dyad_ml",
    "likelihood_ratio_test",
    "ml_parameter_names",
    "profile_likelihood",
]

#: Raue et al. (2009): a parameter value is inside the 95% profile-likelihood interval
#: when the profile's negative log-likelihood is within chi2(1, 0.95) / 2 of the minimum.
PROFILE_THRESHOLD = float(stats.chi2.ppf(0.95, 1) / 2.0)

#: A side of a profile is "flat" (structural non-identifiability) when the negative
#: log-likelihood rises by less than this over a parameter change of at least
#: `FLAT_SPAN` (relative to max(|estimate|, 0.1)).
FLAT_TOLERANCE = 1e-4
FLAT_SPAN = 0.1

IDENTIFIABLE = "identifiable"
PRACTICALLY = "practically non-identifiable"
STRUCTURALLY = "structurally non-identifiable"

#: Size budget: the integrator's steps per trajectory.
MAX_STEPS = 200_000


@dataclass(frozen=True)
class MLOptions:
    """Options of ``method="ml"`` (see `dyadmodel.fit._ml`).

    Attributes
    ----------
    observed : (str, str) or None
        The states observed as partner 1's and partner 2's value. None: the two states
        of a two-state model; ``("x", "y")`` for ``coupled-oscillator``.
    free : tuple of str or None
        Parameters to estimate (None: all of them); the others stay at ``params``.
    params : ParameterSet, mapping or None
        Starting values of the free parameters and values of the fixed ones (model
        defaults for None).
    n_starts : int
        Starts of the local optimiser: the first at ``params`` (initial state at the
        first observations), the others drawn uniformly within the parameters' bounds
        (a finite box around ``params`` where a bound is infinite) with ``seed``.
    seed : int
        Seed of the random starts (the same seed gives the same starts, hence the same
        fit, on every run).
    max_seconds : float
        Time budget per dyad (the fit, and separately the profiles); when it runs out
        the best point so far is reported with status ``"budget exceeded"``.
    profile : bool
        Also compute profile-likelihood intervals and identifiability verdicts
        (``ci_low_<p>``, ``ci_high_<p>``, ``identifiability_<p>`` columns; the profiles
        in ``FitResult.details["profiles"]``).
    rtol, atol : float
        Tolerances of the integrator (state and sensitivities alike; with process noise
        at most 1e-10 and 1e-12 are used).
    process_noise : bool
        Fit the model as an SDE with diagonal diffusion (one SD ``diffusion_<state>`` per
        noisy state, reported as statistics) by the extended Kalman filter's likelihood
        (`dyadmodel.fit._kalman`) instead of trajectory matching.
    noisy_states : tuple of str or None
        With ``process_noise``: the states that receive process noise (None: all).

    Raises
    ------
    InvalidInputError
        For an argument with an invalid value (the message says which and why).
    InvalidTypeError
        For an argument of the wrong type.

    Notes
    -----
    Only the values are checked here; the names in ``observed``, ``free`` and
    ``noisy_states`` are checked against the model when a fit starts. Keyword arguments
    of ``fit(..., method="ml")`` replace these fields (``options=`` passes a whole set).

    Examples
    --------
    >>> from dyadmodel.fit import MLOptions
    >>> options = MLOptions(free=["a", "d"], n_starts=1)
    >>> options.free, options.n_starts, options.max_seconds, options.process_noise
    (('a', 'd'), 1, 60.0, False)
    >>> MLOptions(n_starts=0)
    Traceback (most recent call last):
    ...
    dyadmodel.errors.InvalidInputError: n_starts must be an integer in [1, 1000], got 0
    >>> MLOptions(noisy_states=("R",))
    Traceback (most recent call last):
    ...
    dyadmodel.errors.InvalidInputError: noisy_states is for process_noise=True; pass that too
    """

    observed: tuple[str, str] | None = None
    free: tuple[str, ...] | None = None
    params: Any = None
    n_starts: int = 4
    seed: int = 0
    max_seconds: float = 60.0
    profile: bool = False
    rtol: float = 1e-8
    atol: float = 1e-10
    process_noise: bool = False
    noisy_states: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        for name in ("observed", "free", "noisy_states"):
            value = getattr(self, name)
            if value is None:
                continue
            if isinstance(value, str) or not isinstance(value, (tuple, list)):
                raise InvalidTypeError(f"{name} must be a tuple of names, got {value!r}")
            if not all(isinstance(v, str) for v in value):
                raise InvalidTypeError(f"{name} must hold names (strings), got {value!r}")
            object.__setattr__(self, name, tuple(value))
        if self.observed is not None and len(self.observed) != 2:
            raise InvalidInputError(
                f"observed must name 2 states (partner 1's, partner 2's), got {self.observed!r}"
            )
        for name, low, high in (("n_starts", 1, 1000), ("seed", 0, 2**63 - 1)):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or not low <= v <= high:
                raise InvalidInputError(f"{name} must be an integer in [{low}, {high}], got {v!r}")
        for name, low, high in (
            ("max_seconds", 0.0, 86400.0),
            ("rtol", 1e-13, 1e-2),
            ("atol", 1e-300, 1.0),
        ):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, (int, float, np.floating)):
                raise InvalidTypeError(f"{name} must be a number, got {v!r}")
            if not (math.isfinite(v) and low < v <= high):
                raise InvalidInputError(f"{name} must be in ({low:g}, {high:g}], got {v!r}")
        for name in ("profile", "process_noise"):
            if not isinstance(getattr(self, name), bool):
                raise InvalidTypeError(f"{name} must be True or False, got {getattr(self, name)!r}")
        if self.noisy_states is not None and not self.process_noise:
            raise InvalidInputError("noisy_states is for process_noise=True; pass that too")


# -- the problem of one dyad --------------------------------------------------------------


class _Deadline(Exception):
    pass


def observed_states(model: Model, options: MLOptions) -> tuple[int, int]:
    """Indices of the states observed as partner 1's and partner 2's values."""
    names = options.observed
    if names is None:
        if model.n_states == 2:
            names = model.state_names
        elif model.name == "coupled-oscillator":
            names = ("x", "y")
        else:
            raise InvalidInputError(
                f"model {model.name!r} has states {', '.join(model.state_names)}; say which "
                "two are observed with observed=(partner 1's state, partner 2's state)"
            )
    return model.state_index(names[0]), model.state_index(names[1])


def free_parameters(model: Model, options: MLOptions) -> tuple[str, ...]:
    """The free parameters (checked against the model)."""
    free = model.parameter_names if options.free is None else options.free
    for name in free:
        model.parameter(name)  # ParameterError naming the valid ones
    if len(set(free)) != len(free):
        raise InvalidInputError(f"free names a parameter twice: {free!r}")
    return tuple(free)


def ml_parameter_names(model: Model, options: MLOptions) -> tuple[str, ...]:
    """The result's parameters: every model parameter (fixed ones reported as given)."""
    if not isinstance(model, Model):
        raise InvalidTypeError(f"method 'ml' fits a dyadmodel.Model, got {model!r}")
    free_parameters(model, options)
    observed_states(model, options)
    for name in options.noisy_states or ():
        model.state_index(name)  # an error naming the states
    model.parameter_set(options.params)
    return model.parameter_names


def _inputs(model: Model, dyad: Dyad) -> np.ndarray:
    columns = []
    for u in model.inputs:
        values = dyad.inputs.get(u.name)
        if values is None:
            columns.append(np.full(dyad.n_times, float(u.default)))
            continue
        with np.errstate(all="ignore"):
            both = np.nanmean(np.where(np.isfinite(values), values, np.nan), axis=1)
        last = float(u.default)
        filled = np.empty(dyad.n_times)
        for k, v in enumerate(both):
            if np.isfinite(v):
                last = float(v)
            filled[k] = last
        u.check_array(filled, f"(dyad {dyad.id!r}, input column {u.name!r})")
        columns.append(filled)
    return np.column_stack(columns) if columns else np.zeros((dyad.n_times, 0))


def _box(lo: float, hi: float, center: float) -> tuple[float, float]:
    """A finite sampling box inside (lo, hi) around ``center``."""
    width = max(abs(center), 1.0)
    a = lo if math.isfinite(lo) else center - 2 * width
    b = hi if math.isfinite(hi) else center + 2 * width
    return a, b


class Problem:
    """Residuals, Jacobian and likelihood of one dyad (see the module docstring).

    The optimised vector is ``theta = (x0 of every state, free parameters)``.
    """

    def __init__(self, model: Model, dyad: Dyad, options: MLOptions) -> None:
        self.model, self.dyad, self.options = model, dyad, options
        self.system = sensitivity_system(model)
        self.obs = observed_states(model, options)
        self.free_names = free_parameters(model, options)
        self.base = model.parameter_set(options.params)
        self.free = np.array([model.parameter_names.index(p) for p in self.free_names], np.int64)
        self.times = np.asarray(dyad.time, float)
        self.inputs = _inputs(model, dyad)
        self.values = np.asarray(dyad.values, float)
        self.mask = np.isfinite(self.values)
        self.n_obs = int(self.mask.sum())
        n = model.n_states
        self.n_theta = n + self.free.size
        lo, hi = [], []
        for lo_s, hi_s in model.validity:
            lo.append(lo_s)
            hi.append(hi_s)
        for name in self.free_names:
            par = model.parameter(name)
            a, b = par.bounds
            if not par.lower_inclusive:
                a = a + max(1e-9, 1e-9 * abs(a))
            lo.append(a)
            hi.append(b)
        self.lower, self.upper = np.array(lo, float), np.array(hi, float)
        self.sigma = np.ones(2)
        self.deadline = math.inf
        self._cache_key: bytes | None = None
        self._cache: tuple[np.ndarray, np.ndarray] | None = None
        self.n_integrations = 0

    # parameters <-> theta
    def full_params(self, theta: np.ndarray) -> np.ndarray:
        p = self.base.as_array().copy()
        p[self.free] = theta[self.model.n_states :]
        return p

    def theta_names(self) -> list[str]:
        return [f"init_{s}" for s in self.model.state_names] + list(self.free_names)

    def _run(self, theta: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        key = theta.tobytes()
        if key == self._cache_key and self._cache is not None:
            return self._cache
        if time.perf_counter() > self.deadline:
            raise _Deadline
        n = self.model.n_states
        code, states, sens = self.system.trajectory(
            theta[:n],
            self.full_params(theta),
            self.free,
            self.times,
            self.inputs,
            rtol=self.options.rtol,
            atol=self.options.atol,
            max_steps=MAX_STEPS,
        )
        self.n_integrations += 1
        if code != 0:
            # A trajectory that blows up or stalls: a large, finite residual pushes the
            # optimiser back (least_squares needs finite values).
            states = np.full_like(states, 1e6)
            sens = np.zeros_like(sens)
        self._cache_key, self._cache = key, (states, sens)
        return states, sens

    def residuals(self, theta: np.ndarray) -> np.ndarray:
        states, _ = self._run(theta)
        fitted = states[:, list(self.obs)]
        r = (fitted - self.values) / self.sigma
        return r[self.mask]

    def jacobian(self, theta: np.ndarray) -> np.ndarray:
        _, sens = self._run(theta)
        rows = sens[:, list(self.obs), :] / self.sigma[None, :, None]  # (T, 2, n_theta)
        return rows[self.mask]

    def rss(self, theta: np.ndarray) -> np.ndarray:
        states, _ = self._run(theta)
        err = np.where(self.mask, states[:, list(self.obs)] - self.values, 0.0)
        return np.sum(err**2, axis=0)

    def nll(self, theta: np.ndarray) -> float:
        """Negative log-likelihood with each partner's SD at its ML value."""
        rss = self.rss(theta)
        n_k = self.mask.sum(axis=0)
        out = 0.0
        for k in range(2):
            if n_k[k]:
                s2 = max(rss[k] / n_k[k], 1e-300)
                out += 0.5 * n_k[k] * (math.log(2 * math.pi * s2) + 1.0)
        return out

    def set_sigma(self, theta: np.ndarray) -> None:
        rss = self.rss(theta)
        n_k = np.maximum(self.mask.sum(axis=0), 1)
        self.sigma = np.sqrt(np.maximum(rss / n_k, 1e-30))

    def starts(self) -> list[np.ndarray]:
        n = self.model.n_states
        x0 = np.zeros(n)
        for k, i in enumerate(self.obs):
            seen = self.values[:, k][self.mask[:, k]]
            x0[i] = seen[0] if seen.size else 0.0
        for i in range(n):
            if i not in self.obs:
                lo, hi = self.model.states[i].domain
                x0[i] = 0.5 * (lo + hi) if not (lo <= 0.0 <= hi) else 0.0
        first = np.concatenate([x0, self.base.as_array()[self.free]])
        rng = np.random.default_rng(self.options.seed)
        out = [self._inside(first)]
        for _ in range(self.options.n_starts - 1):
            theta = first.copy()
            for j in range(n, self.n_theta):
                a, b = _box(self.lower[j], self.upper[j], first[j])
                theta[j] = rng.uniform(a, b)
            out.append(self._inside(theta))
        return out

    def _inside(self, theta: np.ndarray) -> np.ndarray:
        span = np.where(np.isfinite(self.upper - self.lower), self.upper - self.lower, 1.0)
        pad = 1e-6 * np.maximum(span, 1e-12)
        return np.clip(theta, self.lower + pad, self.upper - pad)

    def solve(self, theta: np.ndarray, fixed: int | None = None) -> optimize.OptimizeResult:
        """Local least squares from ``theta`` (component ``fixed`` held where it is)."""
        if fixed is None:
            return optimize.least_squares(
                self.residuals,
                self._inside(theta),
                jac=self.jacobian,
                bounds=(self.lower, self.upper),
                method="trf",
                x_scale="jac",
                xtol=1e-10,
                ftol=1e-10,
                gtol=1e-10,
                max_nfev=400,
            )
        keep = np.arange(self.n_theta) != fixed
        value = theta[fixed]

        def full(sub: np.ndarray) -> np.ndarray:
            out = np.empty(self.n_theta)
            out[keep] = sub
            out[fixed] = value
            return out

        sub = optimize.least_squares(
            lambda s: self.residuals(full(s)),
            self._inside(theta)[keep],
            jac=lambda s: self.jacobian(full(s))[:, keep],
            bounds=(self.lower[keep], self.upper[keep]),
            method="trf",
            x_scale="jac",
            xtol=1e-10,
            ftol=1e-10,
            gtol=1e-10,
            max_nfev=200,
        )
        sub.x = full(sub.x)
        return sub


# -- fitting one dyad --------------------------------------------------------------------


def _maximise(problem: Problem) -> tuple[np.ndarray, float, dict[str, Any]]:
    """Multi-start weighted least squares, then SDs to their ML values until settled."""
    best: tuple[float, np.ndarray, Any] | None = None
    converged = 0
    for theta in problem.starts():
        problem.sigma = np.ones(2)
        try:
            res = problem.solve(theta)
        except _Deadline:
            break
        converged += int(res.status > 0)
        value = problem.nll(res.x)
        if best is None or value < best[0]:
            best = (value, res.x, res)
    if best is None:
        raise _Deadline
    theta, res = best[1], best[2]
    for _ in range(5):
        problem.set_sigma(theta)
        old = problem.sigma.copy()
        try:
            res = problem.solve(theta)
        except _Deadline:
            break
        theta = res.x
        problem.set_sigma(theta)
        if np.allclose(problem.sigma, old, rtol=1e-7, atol=0):
            break
    problem.set_sigma(theta)
    return theta, problem.nll(theta), {"converged_starts": converged, "optimizer": res}


def _covariance(problem: Problem, theta: np.ndarray) -> tuple[np.ndarray, int]:
    """Inverse Fisher information (Gauss–Newton) and its numerical rank."""
    jac = problem.jacobian(theta)
    scale = np.linalg.norm(jac, axis=0)
    scale[scale == 0] = 1.0
    _, s, vt = np.linalg.svd(jac / scale, full_matrices=False)
    rank = int(np.sum(s > s[0] * 1e-8)) if s.size and s[0] > 0 else 0
    if rank < jac.shape[1]:
        return np.full((jac.shape[1],) * 2, np.nan), rank
    inv = (vt.T / s**2) @ vt
    return inv / np.outer(scale, scale), rank


def fit_dyad_ml(model: Model, dyad: Dyad, options: MLOptions) -> DyadFit:
    """Maximum-likelihood fit of one dyad (see `dyadmodel.fit._ml`)."""
    if options.process_noise:
        raise InvalidInputError(
            "process_noise=True is fitted by dyadmodel.fit._kalman.fit_dyad_kalman"
        )
    start = time.perf_counter()
    problem = Problem(model, dyad, options)
    n_theta = problem.n_theta
    k = n_theta + 2  # + the two noise SDs
    base_stats: dict[str, Any] = {"n_obs": problem.n_obs, "n_estimated": k}
    fixed = {p: problem.base[p] for p in model.parameter_names if p not in problem.free_names}
    if problem.n_obs <= k:
        return DyadFit(
            fixed,
            statistics=base_stats,
            status="too short",
            message=f"{problem.n_obs} observed values for {k} unknowns",
        )
    problem.deadline = start + options.max_seconds
    status, notes = STATUS_OK, []
    try:
        theta, nll, info = _maximise(problem)
    except _Deadline:
        return DyadFit(
            fixed,
            statistics={**base_stats, "seconds": time.perf_counter() - start},
            status="budget exceeded",
            message=f"no start finished within max_seconds={options.max_seconds:g}",
        )
    if time.perf_counter() > problem.deadline:
        status = "budget exceeded"
        notes.append(f"stopped at max_seconds={options.max_seconds:g}: best point so far")
    elif info["converged_starts"] == 0:
        status = "not converged"
        notes.append(f"no start converged: {info['optimizer'].message}")
    cov, rank = _covariance(problem, theta)
    names = problem.theta_names()
    se = np.sqrt(np.clip(np.diag(cov), 0, None)) if rank == n_theta else np.full(n_theta, np.nan)
    if rank < n_theta and status == STATUS_OK:
        status = "singular information"
        notes.append(
            f"Fisher information of rank {rank} < {n_theta} unknowns: some parameter "
            "combination is not determined by the data (standard errors NaN; profile "
            "with profile=True to see which)"
        )
    at_bound = [
        names[j]
        for j in range(model.n_states, n_theta)
        if np.isclose(theta[j], problem.lower[j], rtol=1e-6, atol=1e-9)
        or np.isclose(theta[j], problem.upper[j], rtol=1e-6, atol=1e-9)
    ]
    if at_bound:
        notes.append(
            f"at a bound: {', '.join(at_bound)} (standard errors assume an interior point)"
        )
    estimates = dict(fixed)
    estimates.update(dict(zip(names[model.n_states :], theta[model.n_states :].tolist())))
    ses = dict(zip(names[model.n_states :], se[model.n_states :].tolist()))
    n = problem.n_obs
    statistics = {
        **base_stats,
        "loglik": -nll,
        "aic": 2 * k + 2 * nll,
        "bic": k * math.log(n) + 2 * nll,
        "sigma_1": float(problem.sigma[0]),
        "sigma_2": float(problem.sigma[1]),
        **{name: float(v) for name, v in zip(names[: model.n_states], theta)},
        **{f"se_{name}": float(v) for name, v in zip(names[: model.n_states], se)},
        "converged_starts": info["converged_starts"],
        "integrations": problem.n_integrations,
    }
    details: dict[str, Any] = {"covariance": covariance_records(names, cov, n_theta)}
    if options.profile:
        profile_parameters(
            problem,
            theta,
            nll,
            range(model.n_states, n_theta),
            names,
            se,
            options.max_seconds,
            statistics,
            details,
            notes,
        )
    statistics["seconds"] = time.perf_counter() - start
    return DyadFit(estimates, ses, statistics, status, "; ".join(notes), details)


# -- profile likelihood ------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Profile:
    """The profile likelihood of one parameter of one dyad.

    Attributes
    ----------
    parameter : str
        The profiled parameter's name.
    estimate : float
        Its maximum-likelihood estimate (where ``delta_nll`` is 0).
    values, delta_nll : numpy.ndarray
        Parameter values (sorted) and the profile's rise ``nll - min nll`` there: the
        parameter held at each value, the other unknowns (initial states, other free
        parameters) are fitted again. In trajectory matching they minimise the sum of
        squares weighted by the noise SDs of the best fit, and ``nll`` is then taken
        with each SD at its ML value for that point (the SDs are not optimised jointly,
        so ``delta_nll`` can be slightly above the exact profile); with process noise
        every unknown, SDs included, is optimised.
    ci : (float, float)
        The 95% profile-likelihood interval (Raue et al. 2009); an end is NaN where the
        profile stays below `PROFILE_THRESHOLD` up to the bound (or the budget). Each end
        is interpolated linearly between the two profile points around the threshold.
    verdict : str
        ``"identifiable"`` (the profile crosses the threshold on both sides),
        ``"practically non-identifiable"`` (it does not on at least one side) or
        ``"structurally non-identifiable"`` (it is flat on both sides: no data can
        determine the parameter, e.g. one factor of a product).
    sides : (str, str)
        What the profile did below and above the estimate: ``"crossed"`` (the threshold),
        ``"flat"`` (a rise of less than 1e-4 over at least 10% of
        ``max(|estimate|, 0.1)``) or ``"open"`` (neither, up to the bound, 30 steps or
        the budget); ``("", "")`` when not given.

    See Also
    --------
    profile_likelihood : Computes profiles.

    Examples
    --------
    One couple simulated from the linear model ``R' = a R + b J``, ``J' = c R + d J``
    at ``a = d = -0.2``, ``b = 1``, ``c = -1`` (the defaults) with measurement noise of
    SD 0.05; ``a`` and ``d`` are estimated:

    >>> import numpy as np, pandas as pd, dyadmodel as dm
    >>> t = np.arange(0.0, 15.0, 0.5)
    >>> R, J = np.exp(-0.2 * t) * np.cos(t), -np.exp(-0.2 * t) * np.sin(t)
    >>> noise = np.random.default_rng(1).normal(0.0, 0.05, (2, t.size))
    >>> table = pd.DataFrame({"dyad": 1, "person": np.repeat([1, 2], t.size),
    ...     "time": np.tile(t, 2), "value": (np.stack([R, J]) + noise).ravel()})
    >>> data = dm.data.read_dyadic(table, dyad="dyad", person="person", time="time",
    ...                            value="value")
    >>> profiles = dm.fit.profile_likelihood("strogatz-linear", data[1], ["a"],
    ...                                      free=("a", "d"), n_starts=1)
    >>> prof = profiles["a"]
    >>> prof.parameter, round(prof.estimate, 3), prof.verdict, prof.sides
    ('a', -0.231, 'identifiable', ('crossed', 'crossed'))
    >>> [round(float(end), 3) for end in prof.ci]          # the truth -0.2 is inside
    [-0.302, -0.16]
    >>> bool(np.all(np.diff(prof.values) > 0)), float(prof.delta_nll.min())
    (True, 0.0)
    """

    parameter: str
    estimate: float
    values: np.ndarray
    delta_nll: np.ndarray
    ci: tuple[float, float]
    verdict: str
    sides: tuple[str, str] = field(default=("", ""))


def covariance_records(names, cov, k: int) -> list[dict[str, Any]]:
    """The first ``k`` rows and columns of ``cov`` as long-format records."""
    return [
        {"row": names[i], "column": names[j], "covariance": float(cov[i, j])}
        for i in range(k)
        for j in range(k)
    ]


def profile_parameters(
    problem, theta, nll, indices, names, se, max_seconds, statistics, details, notes
) -> None:
    """Profile the parameters ``indices`` of ``theta`` (shared by trajectory matching and
    the Kalman-filter fit): each one's interval and identifiability verdict go into
    ``statistics``, the profiles into ``details["profiles"]``, a spent budget into ``notes``.
    """
    problem.deadline = time.perf_counter() + max_seconds
    records = []
    for j in indices:
        prof = _profile_one(problem, theta, nll, j, se[j])
        statistics[f"ci_low_{names[j]}"] = prof.ci[0]
        statistics[f"ci_high_{names[j]}"] = prof.ci[1]
        statistics[f"identifiability_{names[j]}"] = prof.verdict
        records.extend(
            {"parameter": names[j], "value": v, "delta_nll": d}
            for v, d in zip(prof.values, prof.delta_nll)
        )
    details["profiles"] = records
    if time.perf_counter() > problem.deadline:
        notes.append("profiles stopped at max_seconds: some intervals are open")


def _profile_one(
    problem: Problem, theta: np.ndarray, nll_min: float, j: int, se: float, max_steps: int = 30
) -> Profile:
    est = float(theta[j])
    scale = max(abs(est), 0.1)
    base_step = 0.2 * se if np.isfinite(se) and se > 0 else 0.05 * scale
    base_step = min(max(base_step, 1e-4 * scale), 0.5 * scale)
    points = [(est, 0.0)]
    ends: list[float] = []
    sides: list[str] = []
    for direction in (-1.0, 1.0):
        step, current, value = base_step, theta.copy(), est
        delta, max_delta, flat_reach = 0.0, 0.0, 0.0
        outcome, end = "open", math.nan
        bound = problem.lower[j] if direction < 0 else problem.upper[j]
        for _ in range(max_steps):
            target = value + direction * step
            at_bound = (target - bound) * direction >= 0
            if at_bound:
                target = bound
            current = current.copy()
            current[j] = target
            try:
                res = problem.solve(current, fixed=j)
            except _Deadline:
                break
            current = res.x
            new_delta = problem.nll(current) - nll_min
            points.append((target, new_delta))
            max_delta = max(max_delta, new_delta)
            if max_delta < FLAT_TOLERANCE:
                flat_reach = abs(target - est)
            if new_delta >= PROFILE_THRESHOLD:
                frac = (PROFILE_THRESHOLD - delta) / (new_delta - delta)
                end = value + frac * (target - value)
                outcome = "crossed"
                break
            rise = new_delta - delta
            value, delta = target, new_delta
            if at_bound:
                break
            if rise < 0.05 * PROFILE_THRESHOLD:
                step *= 2.0
            elif rise > 0.3 * PROFILE_THRESHOLD:
                step *= 0.5
        if flat_reach >= FLAT_SPAN * scale:
            outcome = "flat"
        sides.append(outcome)
        ends.append(end)
    if sides == ["flat", "flat"]:
        verdict = STRUCTURALLY
    elif sides == ["crossed", "crossed"]:
        verdict = IDENTIFIABLE
    else:
        verdict = PRACTICALLY
    points.sort()
    values = np.array([p[0] for p in points])
    deltas = np.array([p[1] for p in points])
    return Profile(
        problem.theta_names()[j], est, values, deltas, (ends[0], ends[1]), verdict, tuple(sides)
    )


def profile_likelihood(
    model: Model | str,
    dyad: Dyad,
    parameters: Sequence[str] | None = None,
    *,
    options: MLOptions | None = None,
    **overrides: Any,
) -> dict[str, Profile]:
    """Fit one dyad by maximum likelihood and profile its free parameters.

    Parameters
    ----------
    model : Model or str
        The model.
    dyad : Dyad
        One couple (``data[dyad_id]``).
    parameters : sequence of str, optional
        Which free parameters to profile (default: all free ones).
    options : MLOptions, optional
        Options (see `MLOptions`); its defaults when omitted. ``process_noise`` must
        stay False (see Raises).
    **overrides
        `MLOptions` fields.

    Returns
    -------
    dict of str -> Profile
        One per profiled parameter, in the order asked for. Profiles as data: plot
        ``values`` against ``delta_nll`` with the threshold line `PROFILE_THRESHOLD`
        (`dyadmodel.plot.profile_likelihood` draws them).

    Raises
    ------
    BudgetExceededError
        When no start of the fit finishes within ``max_seconds``.
    InvalidInputError
        For an unknown keyword in ``overrides`` (the message lists the `MLOptions`
        fields), an option with an invalid value (`MLOptions`), ``process_noise=True``
        (profiles here are computed for trajectory matching only), or observed states
        that cannot be inferred (a model with more than two states and no
        ``observed``).
    InvalidTypeError
        For an argument of the wrong type.
    NotFoundError
        For a name in ``parameters`` that is not a free parameter (the message lists
        the free ones).

    Notes
    -----
    The fit is that of ``fit(model, data, method="ml")`` for this dyad by trajectory
    matching. With process noise, ``fit(model, data, method="ml", process_noise=True,
    profile=True)`` profiles the Kalman filter's likelihood instead (the profiles in
    ``FitResult.details["profiles"]``). ``max_seconds`` bounds the fit, and separately
    all the profiles together: a profile cut short by the budget is returned with an
    open end (NaN in ``ci``) and no error.

    Examples
    --------
    The couple of the `Profile` example, ``a`` and ``d`` free (``b`` and ``c`` stay at
    their defaults, which are the truth):

    >>> import numpy as np, pandas as pd, dyadmodel as dm
    >>> t = np.arange(0.0, 15.0, 0.5)
    >>> R, J = np.exp(-0.2 * t) * np.cos(t), -np.exp(-0.2 * t) * np.sin(t)
    >>> noise = np.random.default_rng(1).normal(0.0, 0.05, (2, t.size))
    >>> table = pd.DataFrame({"dyad": 1, "person": np.repeat([1, 2], t.size),
    ...     "time": np.tile(t, 2), "value": (np.stack([R, J]) + noise).ravel()})
    >>> data = dm.data.read_dyadic(table, dyad="dyad", person="person", time="time",
    ...                            value="value")
    >>> profiles = dm.fit.profile_likelihood("strogatz-linear", data[1],
    ...                                      free=("a", "d"), n_starts=1)
    >>> {name: prof.verdict for name, prof in profiles.items()}
    {'a': 'identifiable', 'd': 'identifiable'}
    >>> {name: [round(float(end), 3) for end in prof.ci] for name, prof in profiles.items()}
    {'a': [-0.302, -0.16], 'd': [-0.258, -0.125]}
    >>> dm.fit.profile_likelihood("strogatz-linear", data[1], ["b"], free=("a", "d"))
    Traceback (most recent call last):
    ...
    dyadmodel.errors.NotFoundError: 'b' is not a free parameter; the free ones are a, d
    """
    import dataclasses

    from dyadmodel import models

    if isinstance(model, str):
        model = models.get(model)
    if not isinstance(model, Model):
        raise InvalidTypeError(f"model must be a model name or a dyadmodel.Model, got {model!r}")
    if not isinstance(dyad, Dyad):
        raise InvalidTypeError(f"dyad must be a Dyad (data[dyad_id]), got {type(dyad).__name__}")
    fields = [f.name for f in dataclasses.fields(MLOptions)]
    unknown = [k for k in overrides if k not in fields]
    if unknown:
        raise InvalidInputError(
            f"unknown option{'s' * (len(unknown) > 1)} {', '.join(repr(k) for k in unknown)} "
            f"for profile_likelihood; its options are {', '.join(fields)}"
        )
    if options is not None and not isinstance(options, MLOptions):
        raise InvalidTypeError(
            f"options for profile_likelihood must be MLOptions, got {type(options).__name__}"
        )
    opts = dataclasses.replace(options if options is not None else MLOptions(), **overrides)
    if opts.process_noise:
        raise InvalidInputError(
            "profile_likelihood: process_noise=True is not supported: profiles are computed "
            "for trajectory matching only (the fit without process noise); pass "
            "process_noise=False, or use fit(..., method='ml', process_noise=True, "
            "profile=True) for profiles of the Kalman filter's likelihood"
        )
    if parameters is not None and (
        isinstance(parameters, str)
        or not isinstance(parameters, (tuple, list))
        or not all(isinstance(p, str) for p in parameters)
    ):
        raise InvalidTypeError(
            f"parameters must be a list or tuple of names (strings), got {parameters!r}"
        )
    problem = Problem(model, dyad, opts)
    wanted = problem.free_names if parameters is None else tuple(parameters)
    for name in wanted:
        if name not in problem.free_names:
            raise NotFoundError(
                f"{name!r} is not a free parameter; the free ones are "
                f"{', '.join(problem.free_names)}"
            )
    problem.deadline = time.perf_counter() + opts.max_seconds
    try:
        theta, nll, _ = _maximise(problem)
    except _Deadline:
        raise BudgetExceededError(
            f"the fit of dyad {dyad.id!r} did not finish within max_seconds={opts.max_seconds:g}"
        ) from None
    se = np.sqrt(np.clip(np.diag(_covariance(problem, theta)[0]), 0, None))
    names = problem.theta_names()
    out = {}
    problem.deadline = time.perf_counter() + opts.max_seconds
    for name in wanted:
        j = names.index(name)
        out[name] = _profile_one(problem, theta, nll, j, se[j])
    return out


# -- model comparison --------------------------------------------------------------------


def likelihood_ratio_test(restricted: FitResult, full: FitResult):
    """Likelihood-ratio test per dyad of two nested ``ml`` fits of the same data.

    ``restricted`` fixes some of ``full``'s free parameters (e.g. the couplings at 0:
    the uncoupled model); the statistic ``2 (loglik_full - loglik_restricted)`` is
    compared with chi2 with as many degrees of freedom as the difference in estimated
    unknowns. A parameter fixed at a bound makes the chi2 reference conservative
    (Self & Liang 1987).

    Parameters
    ----------
    restricted : FitResult
        The fit with fewer estimated unknowns (``method="ml"``).
    full : FitResult
        The fit with more, of the same dyads in the same order (``method="ml"``).

    Returns
    -------
    pandas.DataFrame
        Index ``dyad`` (``full``'s); columns ``statistic`` (the statistic above, set to 0
        where the restricted fit's log-likelihood is the higher one, e.g. when ``full``
        stopped in a worse local optimum), ``df`` (the difference of the ``n_estimated``
        columns) and ``p_value`` (chi2 upper tail). NaN where a fit has no
        log-likelihood (e.g. status ``"too short"``).

    Raises
    ------
    InvalidInputError
        When the two fits are not of the same dyads in the same order, or ``full`` does
        not estimate more unknowns than ``restricted`` for every dyad.
    InvalidTypeError
        When either is not a `FitResult` of method ``"ml"``.

    Notes
    -----
    Checked: the method, the dyad ids and the counts of unknowns. Not checked: that the
    two fits are of the same model and data, that they are nested, and the dyads'
    status (a dyad whose fit stopped at ``"budget exceeded"`` or ``"not converged"`` is
    tested at its best point so far).

    Examples
    --------
    The couple of the `Profile` example: is partner 2's damping ``d`` needed? The
    restricted fit holds it at 0 (no damping), the full one estimates it:

    >>> import numpy as np, pandas as pd, dyadmodel as dm
    >>> from dyadmodel.fit import likelihood_ratio_test
    >>> t = np.arange(0.0, 15.0, 0.5)
    >>> R, J = np.exp(-0.2 * t) * np.cos(t), -np.exp(-0.2 * t) * np.sin(t)
    >>> noise = np.random.default_rng(1).normal(0.0, 0.05, (2, t.size))
    >>> table = pd.DataFrame({"dyad": 1, "person": np.repeat([1, 2], t.size),
    ...     "time": np.tile(t, 2), "value": (np.stack([R, J]) + noise).ravel()})
    >>> data = dm.data.read_dyadic(table, dyad="dyad", person="person", time="time",
    ...                            value="value")
    >>> model = dm.models.get("strogatz-linear")
    >>> full = dm.fit(model, data, method="ml", free=("a", "d"), n_starts=1)
    >>> undamped = dm.fit(model, data, method="ml", free=("a",), params={"d": 0.0},
    ...                   n_starts=1)
    >>> test = likelihood_ratio_test(undamped, full)
    >>> round(float(test.statistic[1]), 2), int(test.df[1]), bool(test.p_value[1] < 1e-6)
    (29.07, 1, True)
    >>> likelihood_ratio_test(full, undamped)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    dyadmodel.errors.InvalidInputError: full must estimate more unknowns than restricted ...
    """
    import pandas as pd

    for r in (restricted, full):
        if not isinstance(r, FitResult) or r.method != "ml":
            raise InvalidTypeError("likelihood_ratio_test compares two FitResults of method 'ml'")
    if list(restricted.table.index) != list(full.table.index):
        raise InvalidInputError("the two fits must be of the same dyads, in the same order")
    df = full.table["n_estimated"] - restricted.table["n_estimated"]
    if (df <= 0).any():
        raise InvalidInputError(
            "full must estimate more unknowns than restricted (nested models); got "
            f"{int(full.table['n_estimated'].iloc[0])} vs "
            f"{int(restricted.table['n_estimated'].iloc[0])}"
        )
    statistic = 2.0 * (full.table["loglik"] - restricted.table["loglik"])
    statistic = statistic.clip(lower=0.0)
    p = stats.chi2.sf(statistic.to_numpy(float), df.to_numpy(float))
    return pd.DataFrame({"statistic": statistic, "df": df, "p_value": p}, index=full.table.index)
