"""Maximum likelihood with process noise: the continuous–discrete extended Kalman filter.

``fit(model, data, method="ml", process_noise=True)`` treats the model as a stochastic
differential equation with diagonal diffusion,

    dx = f(x; p, u) dt + diag(q) dW,

one diffusion SD ``diffusion_<state>`` per noisy state (``MLOptions.noisy_states``,
default every state), observed as in trajectory matching: partner 1's value is state
``observed[0]`` plus Gaussian measurement noise of SD ``sigma_1``, partner 2's likewise.
The likelihood is the continuous–discrete extended Kalman filter's (the approach of
ctsem, Driver & Voelkle 2018): between two observation times the mean follows the ODE
and its covariance the Riccati (Lyapunov) equation

    dm/dt = f(m),    dP/dt = J(m) P + P J(m)^T + diag(q^2),

with ``J`` the model's symbolic Jacobian; at each observation time the Gaussian
measurement update (the observed partners only: a missing value skips its part of the
update) adds ``0.5 (log det 2 pi S + e^T S^-1 e)`` to the negative log-likelihood. For
a linear model this is the exact likelihood (up to the integrator's tolerance). The
initial mean is an unknown; the initial covariance is the process noise of one typical
interval, ``diag(q^2) * median(dt)`` (`initial_covariance`). With a zero initial
covariance the likelihood would be unbounded: the initial mean can match the first
observations exactly, and their measurement SD then go to zero.

Mean and covariance are integrated together by the compiled Dormand–Prince method of
`dyadmodel.fit._sensitivity` (generated once per model); the filter loop is compiled
too. The optimiser is L-BFGS-B within the parameters' bounds (the SDs on a log scale)
with central finite-difference gradients — hence the tight integrator tolerances
(``rtol`` and ``atol`` at most 1e-10 and 1e-12), which keep the likelihood smooth to
~1e-9 — from the seeded starts of trajectory matching. Standard errors come from a
finite-difference Hessian of the negative log-likelihood at the estimate (the observed
Fisher information); those of the SDs by the delta method. Components at a bound (and
SDs below `NEGLIGIBLE_SD` of the data's spread: measurement noise and process noise are
often hard to tell apart, and one of them then goes to 0) are held at their values and
get no standard error. Profiles (``profile=True``) work as for trajectory matching.
"""

from __future__ import annotations

import math
import threading
import time
import weakref
from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy as sp
from scipy import optimize

from dyadmodel.data import Dyad
from dyadmodel.errors import InvalidInputError, InvalidTypeError
from dyadmodel.fit._result import STATUS_OK, DyadFit
from dyadmodel.model import Model
from dyadmodel.simulate._codegen import _ScalarPrinter, load_module, numba_header

__all__ = ["KalmanProblem", "fit_dyad_kalman", "kalman_loglik"]

#: Bounds of the log SDs (diffusion and measurement) the optimiser works with.
LOG_SD_BOUNDS = (math.log(1e-6), math.log(1e4))

#: An SD (diffusion or measurement) below this fraction of the data's spread counts as
#: zero: at its bound, without a standard error.
NEGLIGIBLE_SD = 1e-3

#: Stopping rules of L-BFGS-B (``ftol``: relative decrease of the negative
#: log-likelihood; ``gtol``: largest projected gradient component).
LBFGS_OPTIONS = {"maxiter": 500, "ftol": 1e-10, "gtol": 1e-5}

#: Largest integrator tolerances of the filter (finite-difference gradients need a
#: likelihood that is smooth in the parameters).
KALMAN_RTOL, KALMAN_ATOL = 1e-10, 1e-12

_FILTER = '''

@njit(cache=True, error_model='numpy')
def ekf(y0, q, n_params, inputs, times, values, obs, rtol, atol, max_steps, r2, means):
    """Negative log-likelihood of the extended Kalman filter; means[k] = predicted mean."""
    n = N_STATES
    y = y0.copy()
    out = numpy.empty((2, y.size))
    seg = numpy.empty(2)
    free = numpy.zeros(1, numpy.int64)
    nll = 0.0
    idx = numpy.empty(2, numpy.int64)
    e = numpy.empty(2)
    S = numpy.empty((2, 2))
    Si = numpy.empty((2, 2))
    PH = numpy.empty((n, 2))
    for k in range(times.size):
        if k > 0:
            seg[0] = times[k - 1]
            seg[1] = times[k]
            code = integrate(y, q, n_params, inputs[k - 1:k], free, 0, seg, rtol, atol,
                             max_steps, out)
            if code != 0:
                return numpy.inf, code
            for i in range(y.size):
                y[i] = out[1, i]
        for i in range(n):
            means[k, i] = y[i]
        c = 0
        for j in range(2):
            if values[k, j] == values[k, j]:
                idx[c] = j
                c += 1
        if c == 0:
            continue
        for a in range(c):
            sa = obs[idx[a]]
            e[a] = values[k, idx[a]] - y[sa]
            for i in range(n):
                PH[i, a] = y[n + i * n + sa]
            for b in range(c):
                S[a, b] = y[n + sa * n + obs[idx[b]]]
            S[a, a] += r2[idx[a]]
        if c == 1:
            det = S[0, 0]
            if not det > 0.0:
                return numpy.inf, 3
            Si[0, 0] = 1.0 / det
        else:
            det = S[0, 0] * S[1, 1] - S[0, 1] * S[1, 0]
            if not det > 0.0:
                return numpy.inf, 3
            Si[0, 0] = S[1, 1] / det
            Si[1, 1] = S[0, 0] / det
            Si[0, 1] = -S[0, 1] / det
            Si[1, 0] = -S[1, 0] / det
        quad = 0.0
        for a in range(c):
            for b in range(c):
                quad += e[a] * Si[a, b] * e[b]
        nll += 0.5 * (c * math.log(2.0 * math.pi) + math.log(det) + quad)
        # m += P H^T S^-1 e;  P -= P H^T S^-1 H P (then symmetrised)
        for i in range(n):
            acc = 0.0
            for a in range(c):
                for b in range(c):
                    acc += PH[i, a] * Si[a, b] * e[b]
            y[i] += acc
        for i in range(n):
            for j in range(n):
                acc = 0.0
                for a in range(c):
                    for b in range(c):
                        acc += PH[i, a] * Si[a, b] * PH[j, b]
                y[n + i * n + j] -= acc
        for i in range(n):
            for j in range(i + 1, n):
                v = 0.5 * (y[n + i * n + j] + y[n + j * n + i])
                y[n + i * n + j] = v
                y[n + j * n + i] = v
    return nll, 0
'''


def _source(model: Model) -> str:
    from dyadmodel.fit._sensitivity import _INTEGRATOR

    n = model.n_states
    ys = [sp.Symbol(f"y_{i}", real=True) for i in range(n)]
    arg_syms = (*model.parameter_symbols, *model.input_symbols)
    qs = [sp.Symbol(f"q_{k}", real=True) for k in range(len(arg_syms))]
    rename = dict(zip(model.state_symbols, ys)) | dict(zip(arg_syms, qs))
    f = [sp.sympify(e).xreplace(rename) for e in model.rhs_expr]
    jac = [e.xreplace(rename) for e in model.jacobian_expr]
    reps, reduced = sp.cse([*f, *jac], symbols=sp.numbered_symbols("w_", real=True))
    printer = _ScalarPrinter()
    n_args = len(qs)
    lines = numba_header(model, "mean and covariance of the extended Kalman filter")
    lines += [f"N_STATES = {n}", "N_WORK = 1", "", ""]
    lines.append("@njit(cache=True, error_model='numpy')")
    lines.append("def aug_rhs(y, q, free, m, work, dy):")
    # y = (mean, covariance row-major); q = (params, inputs, diffusion variances)
    for i in range(n):
        lines.append(f"    y_{i} = y[{i}]")
    for k in range(n_args):
        lines.append(f"    q_{k} = q[{k}]")
    for sym, e in reps:
        lines.append(f"    {sym} = {printer.doprint(e)}")
    for i in range(n):
        lines.append(f"    dy[{i}] = {printer.doprint(reduced[i])}")
    for i in range(n):
        for j in range(n):
            lines.append(f"    J_{i}_{j} = {printer.doprint(reduced[n + i * n + j])}")
    for i in range(n):
        for j in range(n):
            jp = " + ".join(f"J_{i}_{k} * y[{n + k * n + j}]" for k in range(n))
            pj = " + ".join(f"y[{n + i * n + k}] * J_{j}_{k}" for k in range(n))
            extra = f" + q[{n_args + i}]" if i == j else ""
            lines.append(f"    dy[{n + i * n + j}] = {jp} + {pj}{extra}")
    lines.append("")
    lines.append(_INTEGRATOR)
    lines.append(_FILTER)
    return "\n".join(lines) + "\n"


_MODULES: weakref.WeakKeyDictionary[Model, Any] = weakref.WeakKeyDictionary()
_LOCK = threading.RLock()


def _filter_module(model: Model) -> Any:
    with _LOCK:
        got = _MODULES.get(model)
        if got is None:
            got = load_module("ekf", model.name, _source(model))
            _MODULES[model] = got
        return got


def kalman_loglik(
    model: Model,
    dyad: Dyad,
    params: Any,
    x0: Any,
    diffusion: Any,
    sigma: tuple[float, float],
    *,
    observed: tuple[str, str] | None = None,
    initial_covariance: Any = None,
    rtol: float = KALMAN_RTOL,
    atol: float = KALMAN_ATOL,
) -> float:
    """The extended Kalman filter's log-likelihood of one dyad at given values.

    Parameters
    ----------
    model : Model
    dyad : Dyad
    params : ParameterSet or mapping
    x0 : array_like, shape (n_states,)
        The mean of the state at the dyad's first time point.
    diffusion : array_like, shape (n_states,)
        Diffusion SD of each state (0 for a state without process noise).
    sigma : (float, float)
        Measurement-noise SDs of partner 1's and partner 2's values.
    observed : (str, str), optional
        As in `MLOptions`.
    initial_covariance : array_like, shape (n_states, n_states), optional
        Covariance of the state at the first time point around ``x0``; default: the
        fit's, `initial_covariance` of the diffusion and the dyad's time grid.

    Returns
    -------
    float
        The log-likelihood (``-inf`` when the integration fails).
    """
    from dyadmodel.fit._ml import MLOptions, _inputs, observed_states

    if not isinstance(model, Model):
        raise InvalidTypeError(f"model must be a dyadmodel.Model, got {type(model).__name__}")
    if not isinstance(dyad, Dyad):
        raise InvalidTypeError(f"dyad must be a Dyad (data[dyad_id]), got {type(dyad).__name__}")
    n = model.n_states
    x0 = _numbers("x0", x0, (n,))
    diffusion = _numbers("diffusion", diffusion, (n,), low=0.0)
    sigma = _numbers("sigma", sigma, (2,), low=0.0)
    if initial_covariance is not None:
        initial_covariance = _numbers("initial_covariance", initial_covariance, (n, n))
    obs = observed_states(model, MLOptions(observed=observed))
    module = _filter_module(model)
    p = model.parameter_set(params).as_array()
    variances = np.asarray(diffusion, float) ** 2
    if initial_covariance is None:
        initial_covariance = _initial_covariance(variances, np.asarray(dyad.time, float))
    y0 = np.zeros(n + n * n)
    y0[:n] = np.asarray(x0, float)
    y0[n:] = np.asarray(initial_covariance, float).reshape(n * n)
    q = np.concatenate([p, np.zeros(len(model.inputs)), variances])
    means = np.empty((dyad.n_times, n))
    nll, _ = module.ekf(
        y0,
        q,
        p.size,
        np.ascontiguousarray(_inputs(model, dyad)),
        np.asarray(dyad.time, float),
        np.ascontiguousarray(dyad.values, float),
        np.array(obs, np.int64),
        float(rtol),
        float(atol),
        200_000,
        np.asarray(sigma, float) ** 2,
        means,
    )
    return -float(nll)


def _numbers(name: str, value: Any, shape: tuple[int, ...], low: float = -math.inf) -> np.ndarray:
    """``value`` as a float array of ``shape``, finite and >= ``low``, or the package's
    error naming it."""
    if isinstance(value, (str, bytes, dict, set)) or value is None:
        raise InvalidTypeError(f"{name} must be numbers of shape {shape}, got {value!r:.80}")
    try:
        array = np.array(value, dtype=float)
    except (TypeError, ValueError, OverflowError):
        raise InvalidTypeError(
            f"{name} must be numbers of shape {shape}, got {value!r:.80}"
        ) from None
    if array.shape != shape:
        raise InvalidInputError(f"{name} must have shape {shape}, got shape {array.shape}")
    if not np.all(np.isfinite(array)) or np.any(array < low) or np.any(np.abs(array) > 1e150):
        raise InvalidInputError(
            f"{name} = {value!r:.80} must be finite, at most 1e150 in size"
            + (f" and >= {low:g}" if math.isfinite(low) else "")
        )
    return array


def _initial_covariance(variances: np.ndarray, times: np.ndarray) -> np.ndarray:
    """``diag(q^2) * median(dt)``: the process noise of one typical interval."""
    step = float(np.median(np.diff(times))) if times.size > 1 else 1.0
    return np.diag(variances * step)


def _noisy_states(model: Model, names: tuple[str, ...] | None) -> np.ndarray:
    if names is None:
        return np.arange(model.n_states)
    idx = [model.state_index(s) for s in names]
    if len(set(idx)) != len(idx):
        raise InvalidInputError(f"noisy_states names a state twice: {names!r}")
    return np.array(idx, np.int64)


@dataclass
class _Result:
    x: np.ndarray
    fun: float
    status: int
    success: bool
    message: str


class KalmanProblem:
    """Negative log-likelihood of one dyad under the extended Kalman filter.

    The optimised vector is ``theta = (x0 of every state, free parameters, log
    diffusion SD of each noisy state, log sigma_1, log sigma_2)``. Offers the interface
    `dyadmodel.fit._ml._profile_one` uses (``solve``, ``nll``, ``lower``, ``upper``,
    ``theta_names``, ``deadline``).
    """

    def __init__(self, model: Model, dyad: Dyad, options: Any) -> None:
        from dyadmodel.fit._ml import Problem

        # trajectory matching's problem gives the data, bounds, starts and parameters
        self.base_problem = Problem(model, dyad, options)
        bp = self.base_problem
        self.model, self.dyad, self.options = model, dyad, options
        self.module = _filter_module(model)
        self.noisy = _noisy_states(model, options.noisy_states)
        self.n_states = model.n_states
        self.n_model = bp.n_theta
        self.n_theta = bp.n_theta + self.noisy.size + 2
        low, high = LOG_SD_BOUNDS
        k = self.noisy.size + 2
        self.lower = np.concatenate([bp.lower, np.full(k, low)])
        self.upper = np.concatenate([bp.upper, np.full(k, high)])
        self.values = np.ascontiguousarray(bp.values)
        self.obs = np.array(bp.obs, np.int64)
        self.n_obs = bp.n_obs
        self.rtol = min(options.rtol, KALMAN_RTOL)
        self.atol = min(options.atol, KALMAN_ATOL)
        self.deadline = math.inf
        self.n_evaluations = 0
        self.means = np.empty((dyad.n_times, model.n_states))

    def theta_names(self) -> list[str]:
        noisy = [f"diffusion_{self.model.state_names[i]}" for i in self.noisy]
        return [*self.base_problem.theta_names(), *noisy, "sigma_1", "sigma_2"]

    def nll(self, theta: np.ndarray) -> float:
        if time.perf_counter() > self.deadline:
            from dyadmodel.fit._ml import _Deadline

            raise _Deadline
        n = self.n_states
        p = self.base_problem.full_params(theta[: self.n_model])
        diffusion = np.zeros(n)
        diffusion[self.noisy] = np.exp(2 * theta[self.n_model : self.n_model + self.noisy.size])
        y0 = np.zeros(n + n * n)
        y0[:n] = theta[:n]
        y0[n:] = _initial_covariance(diffusion, self.base_problem.times).reshape(n * n)
        q = np.concatenate([p, np.zeros(len(self.model.inputs)), diffusion])
        self.n_evaluations += 1
        nll, code = self.module.ekf(
            y0,
            q,
            p.size,
            self.base_problem.inputs,
            self.base_problem.times,
            self.values,
            self.obs,
            self.rtol,
            self.atol,
            200_000,
            np.exp(2 * theta[-2:]),
            self.means,
        )
        return float(nll) if code == 0 and math.isfinite(nll) else 1e300

    def _value_and_gradient(self, theta: np.ndarray, keep: np.ndarray) -> tuple[float, np.ndarray]:
        f0 = self.nll(theta)
        grad = np.zeros(keep.size)
        if f0 >= 1e300:
            return f0, grad
        for a, j in enumerate(keep):
            h = 1e-6 * max(1.0, abs(theta[j]))
            up, down = theta.copy(), theta.copy()
            up[j] = min(theta[j] + h, self.upper[j])
            down[j] = max(theta[j] - h, self.lower[j])
            fu, fd = self.nll(up), self.nll(down)
            if fu >= 1e300 or fd >= 1e300 or up[j] == down[j]:
                continue
            grad[a] = (fu - fd) / (up[j] - down[j])
        return f0, grad

    def starts(self) -> list[np.ndarray]:
        out = []
        bp = self.base_problem
        for theta in bp.starts():
            # SDs start at a tenth of each partner's spread
            spread = np.nanstd(self.values, axis=0)
            spread = np.where(np.isfinite(spread) & (spread > 0), spread, 1.0)
            log_sd = np.log(0.3 * spread)
            diff = np.full(self.noisy.size, np.log(0.3 * float(np.mean(spread))))
            out.append(np.concatenate([theta, diff, log_sd]))
        return out

    def solve(self, theta: np.ndarray, fixed: int | None = None) -> _Result:
        """L-BFGS-B from ``theta`` (component ``fixed`` held where it is)."""
        theta = np.clip(np.asarray(theta, float), self.lower, self.upper)
        keep = (
            np.arange(self.n_theta) if fixed is None else np.delete(np.arange(self.n_theta), fixed)
        )

        def fun(sub: np.ndarray) -> tuple[float, np.ndarray]:
            full = theta.copy()
            full[keep] = sub
            return self._value_and_gradient(full, keep)

        bounds = list(zip(self.lower[keep], self.upper[keep]))
        res = optimize.minimize(
            fun,
            theta[keep],
            jac=True,
            method="L-BFGS-B",
            bounds=bounds,
            options=dict(LBFGS_OPTIONS),
        )
        x = theta.copy()
        x[keep] = res.x
        return _Result(x, float(res.fun), int(res.status), bool(res.success), str(res.message))

    def hessian(self, theta: np.ndarray) -> np.ndarray:
        """Central finite-difference Hessian of the negative log-likelihood."""
        m = self.n_theta
        h = 1e-4 * np.maximum(1.0, np.abs(theta))
        f0 = self.nll(theta)
        H = np.empty((m, m))
        for i in range(m):
            for j in range(i, m):
                if i == j:
                    up, down = theta.copy(), theta.copy()
                    up[i] += h[i]
                    down[i] -= h[i]
                    H[i, i] = (self.nll(up) - 2 * f0 + self.nll(down)) / h[i] ** 2
                    continue
                vals = []
                for si, sj in ((1, 1), (1, -1), (-1, 1), (-1, -1)):
                    t = theta.copy()
                    t[i] += si * h[i]
                    t[j] += sj * h[j]
                    vals.append(self.nll(t))
                H[i, j] = H[j, i] = (vals[0] - vals[1] - vals[2] + vals[3]) / (4 * h[i] * h[j])
        return H


def _covariance(
    problem: KalmanProblem, theta: np.ndarray, interior: np.ndarray
) -> tuple[np.ndarray, int]:
    """Inverse observed Fisher information over the ``interior`` components (those at a
    bound are held fixed: NaN rows) and its numerical rank."""
    m = problem.n_theta
    H = problem.hessian(theta)[np.ix_(interior, interior)]
    out = np.full((m, m), np.nan)
    scale = np.sqrt(np.abs(np.diag(H)))
    scale[scale == 0] = 1.0
    Hs = H / np.outer(scale, scale)
    w, v = np.linalg.eigh(0.5 * (Hs + Hs.T))
    top = max(float(np.max(np.abs(w))), 1e-300) if w.size else 1.0
    rank = int(np.sum(w > top * 1e-8))
    if rank < H.shape[0]:
        return out, rank
    inv = (v / w) @ v.T
    out[np.ix_(interior, interior)] = inv / np.outer(scale, scale)
    return out, rank


def fit_dyad_kalman(model: Model, dyad: Dyad, options: Any) -> DyadFit:
    """Maximum-likelihood fit of one dyad with process noise (see the module docstring)."""
    from dyadmodel.fit._ml import _Deadline, covariance_records, profile_parameters

    start = time.perf_counter()
    problem = KalmanProblem(model, dyad, options)
    n, m = model.n_states, problem.n_theta
    names = problem.theta_names()
    base_stats: dict[str, Any] = {"n_obs": problem.n_obs, "n_estimated": m}
    bp = problem.base_problem
    fixed = {p: bp.base[p] for p in model.parameter_names if p not in bp.free_names}
    if problem.n_obs <= m:
        return DyadFit(
            fixed,
            statistics=base_stats,
            status="too short",
            message=f"{problem.n_obs} observed values for {m} unknowns",
        )
    problem.deadline = start + options.max_seconds
    best: _Result | None = None
    converged = 0
    for theta in problem.starts():
        try:
            res = problem.solve(theta)
        except _Deadline:
            break
        converged += int(res.success)
        if best is None or res.fun < best.fun:
            best = res
    if best is None or best.fun >= 1e300:
        status = "budget exceeded" if best is None else "not converged"
        return DyadFit(
            fixed,
            statistics={**base_stats, "seconds": time.perf_counter() - start},
            status=status,
            message=(
                f"no start finished within max_seconds={options.max_seconds:g}"
                if best is None
                else "the filter failed at every start (the integration did not finish)"
            ),
        )
    status, notes = STATUS_OK, []
    if time.perf_counter() > problem.deadline:
        status = "budget exceeded"
        notes.append(f"stopped at max_seconds={options.max_seconds:g}: best point so far")
    elif converged == 0:
        status = "not converged"
        notes.append(f"no start converged: {best.message}")
    theta, nll = best.x, best.fun
    problem.deadline = math.inf
    at_bound_mask = np.isclose(theta, problem.lower, rtol=1e-6, atol=1e-9) | np.isclose(
        theta, problem.upper, rtol=1e-6, atol=1e-9
    )
    # an SD below NEGLIGIBLE_SD of the data's spread is zero for the likelihood (flat in
    # its log): held at its value like a parameter at a bound
    spread = float(np.nanmean(np.nanstd(problem.values, axis=0)))
    floor = math.log(NEGLIGIBLE_SD * spread) if spread > 0 else LOG_SD_BOUNDS[0]
    at_bound_mask[problem.n_model :] |= theta[problem.n_model :] < floor
    interior = np.flatnonzero(~at_bound_mask)
    cov, rank = _covariance(problem, theta, interior)
    se = np.sqrt(np.clip(np.diag(cov), 0, None))
    if rank < interior.size and status == STATUS_OK:
        status = "singular information"
        notes.append(
            f"Fisher information of rank {rank} < {interior.size} unknowns: some parameter "
            "combination is not determined by the data (standard errors NaN)"
        )
    # SDs from their logs; delta-method SEs
    natural = theta.copy()
    se_natural = se.copy()
    natural[problem.n_model :] = np.exp(theta[problem.n_model :])
    se_natural[problem.n_model :] = natural[problem.n_model :] * se[problem.n_model :]
    at_bound = [names[j] for j in range(n, m) if at_bound_mask[j]]
    if at_bound:
        notes.append(
            f"at a bound: {', '.join(at_bound)} (held there for the standard errors, "
            "which are NaN for it)"
        )
    n_model = problem.n_model
    estimates = dict(fixed)
    estimates.update(dict(zip(names[n:n_model], natural[n:n_model].tolist())))
    ses = dict(zip(names[n:n_model], se_natural[n:n_model].tolist()))
    k_obs = problem.n_obs
    statistics = {
        **base_stats,
        "loglik": -nll,
        "aic": 2 * m + 2 * nll,
        "bic": m * math.log(k_obs) + 2 * nll,
        **{names[j]: float(natural[j]) for j in range(n_model, m)},
        **{f"se_{names[j]}": float(se_natural[j]) for j in range(n_model, m)},
        **{name: float(v) for name, v in zip(names[:n], theta)},
        **{f"se_{name}": float(v) for name, v in zip(names[:n], se)},
        "converged_starts": converged,
        "integrations": problem.n_evaluations,
    }
    details: dict[str, Any] = {"covariance": covariance_records(names, cov, n_model)}
    if options.profile:
        profile_parameters(
            problem,
            theta,
            nll,
            range(n, n_model),
            names,
            se,
            options.max_seconds,
            statistics,
            details,
            notes,
        )
    statistics["seconds"] = time.perf_counter() - start
    return DyadFit(estimates, ses, statistics, status, "; ".join(notes), details)
