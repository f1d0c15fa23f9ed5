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

Gradients are exact (`KalmanProblem.value_and_gradient`): along every component of
``theta`` (initial means, free parameters, log diffusion SDs, log measurement SDs) the
mean and covariance carry tangents ``dm``, ``dP`` whose prediction equations are the
forward sensitivities of the ones above,

    dm' = J dm + f_theta,
    dP' = dJ P + J dP + P dJ^T + dP J^T + dQ,   dJ = (d J / d m) dm + J_theta,

with ``f_theta``, ``J_theta`` and ``d J / d m`` generated from the model's sympy
equations (``dQ = 2 q_s^2`` on the diagonal entry of a log diffusion SD ``s``; at the
start ``dm = e_i`` for the initial mean ``i`` and ``dP0`` follows the diffusion).
Each measurement update is differentiated in closed form: with ``w = S^-1 e`` and
``K = P H^T S^-1``,

    d nll = tr(S^-1 dS) / 2 + w . de - w^T dS w / 2,    de = -H dm,
    dS = H dP H^T + dR,                                  dR = 2 R along a log SD,
    dm+ = dm + dP H^T w + K (de - dS w),
    dP+ = dP - dP H^T K^T - K H dP + K dS K^T.

Mean, covariance and tangents are integrated together by the compiled Dormand–Prince
method of `dyadmodel.fit._sensitivity` (generated once per model), its step size set by
the mean and covariance alone (the tangents follow the same steps, so the gradient is
the derivative of the computed likelihood up to the step-size choice); the filter loop
is compiled too. The tests check the gradient against central differences to 1e-5
relative (`tests/fit/test_kalman.py`). The optimiser is L-BFGS-B within the parameters'
bounds (the SDs on a log scale) from the seeded starts of trajectory matching; the
integrator tolerances (``rtol`` and ``atol`` at most 1e-10 and 1e-12) keep the
likelihood smooth to ~1e-9 for its line search and for the Hessian. Standard errors come
from the Hessian of the negative log-likelihood at the estimate (the observed Fisher
information), central differences of the exact gradient; those of the SDs by the delta
method. Components at a bound (and SDs below `NEGLIGIBLE_SD` of the data's spread:
measurement noise and process noise are often hard to tell apart, and one of them then
goes to 0) are held at their values and get no standard error. Profiles
(``profile=True``) work as for trajectory matching. The budget ``max_seconds`` starts
after the filter is compiled (once per model, then cached on disk).
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

#: Largest integrator tolerances of the filter (L-BFGS-B's line search and the Hessian's
#: differences of the gradient need a likelihood smooth in the parameters).
KALMAN_RTOL, KALMAN_ATOL = 1e-10, 1e-12

_FILTER = '''

@njit(cache=True, error_model='numpy')
def ekf(y0, q, n_params, inputs, times, values, obs, rtol, atol, max_steps, r2, free,
        sigma_direction, grad):
    """The filter's negative log-likelihood and its derivative along each tangent of y0
    (grad[j]: direction j, whose kind free[j] is as in aug_rhs; none when free is
    empty); the measurement variance r2[k] moves as 2 r2[k] along direction
    sigma_direction[k] (a log SD)."""
    n = N_STATES
    na = n + n * n
    m = free.size
    y = y0.copy()
    out = numpy.empty((2, y.size))
    seg = numpy.empty(2)
    nll = 0.0
    idx = numpy.empty(2, numpy.int64)
    e = numpy.empty(2)
    w = numpy.empty(2)
    S = numpy.empty((2, 2))
    Si = numpy.empty((2, 2))
    PH = numpy.empty((n, 2))
    K = numpy.empty((n, 2))
    de = numpy.empty(2)
    dS = numpy.empty((2, 2))
    z = numpy.empty(2)
    dPH = numpy.empty((n, 2))
    for j in range(m):
        grad[j] = 0.0
    for k in range(times.size):
        if k > 0:
            seg[0] = times[k - 1]
            seg[1] = times[k]
            code = integrate(y, q, n_params, inputs[k - 1:k], free, m, seg, rtol, atol,
                             max_steps, out)
            if code != 0:
                return numpy.inf, code
            for i in range(y.size):
                y[i] = out[1, i]
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
            w[a] = 0.0
            for b in range(c):
                w[a] += Si[a, b] * e[b]
            quad += e[a] * w[a]
        nll += 0.5 * (c * math.log(2.0 * math.pi) + math.log(det) + quad)
        for i in range(n):
            for a in range(c):
                K[i, a] = 0.0
                for b in range(c):
                    K[i, a] += PH[i, b] * Si[b, a]
        # tangents: w = S^-1 e, K = P H^T S^-1;  d nll = tr(S^-1 dS) / 2 + w.de - w.dS w / 2,
        # d m+ = dm + dPH w + K (de - dS w),  d P+ = dP - dPH K^T - K dPH^T + K dS K^T
        for j in range(m):
            o = na * (1 + j)
            for a in range(c):
                sa = obs[idx[a]]
                de[a] = -y[o + sa]
                for i in range(n):
                    dPH[i, a] = y[o + n + i * n + sa]
                for b in range(c):
                    dS[a, b] = y[o + n + sa * n + obs[idx[b]]]
                if sigma_direction[idx[a]] == j:
                    dS[a, a] += 2.0 * r2[idx[a]]
            acc = 0.0
            for a in range(c):
                acc += w[a] * de[a]
                z[a] = de[a]
                for b in range(c):
                    acc += 0.5 * (Si[a, b] * dS[b, a] - w[a] * dS[a, b] * w[b])
                    z[a] -= dS[a, b] * w[b]
            grad[j] += acc
            for i in range(n):
                acc = 0.0
                for a in range(c):
                    acc += dPH[i, a] * w[a] + K[i, a] * z[a]
                y[o + i] += acc
            for i in range(n):
                for l in range(i, n):
                    acc = 0.0
                    for a in range(c):
                        acc -= dPH[i, a] * K[l, a] + K[i, a] * dPH[l, a]
                        for b in range(c):
                            acc += K[i, a] * dS[a, b] * K[l, b]
                    v = 0.5 * (y[o + n + i * n + l] + y[o + n + l * n + i]) + acc
                    y[o + n + i * n + l] = v
                    y[o + n + l * n + i] = v
        # the update itself, as in ekf
        for i in range(n):
            acc = 0.0
            for a in range(c):
                acc += PH[i, a] * w[a]
            y[i] += acc
        for i in range(n):
            for j in range(n):
                acc = 0.0
                for a in range(c):
                    acc += K[i, a] * PH[j, a]
                y[n + i * n + j] -= acc
        for i in range(n):
            for j in range(i + 1, n):
                v = 0.5 * (y[n + i * n + j] + y[n + j * n + i])
                y[n + i * n + j] = v
                y[n + j * n + i] = v
    return nll, 0
'''


def _primal_error_control(integrator: str) -> str:
    """The Dormand–Prince integrator of `dyadmodel.fit._sensitivity` with its step-size
    control on the mean and covariance only (the first ``N_AUG`` components): the
    tangents ride on the steps the filter itself needs."""
    loop = "            for i in range(N):\n                e = 0.0"
    norm = "            err = (err / N) ** 0.5"
    if integrator.count(loop) != 1 or integrator.count(norm) != 1:
        raise RuntimeError("the sensitivity integrator changed: update _primal_error_control")
    integrator = integrator.replace(loop, loop.replace("range(N)", "range(N_AUG)"))
    return integrator.replace(norm, norm.replace("/ N)", "/ N_AUG)"))


def _derivative(expr: sp.Expr, symbol: sp.Symbol) -> sp.Expr:
    """``d expr / d symbol`` where it exists: a ``DiracDelta`` (the derivative of
    ``sign``, from ``abs`` in a model) is 0 away from its point."""
    d = sp.diff(expr, symbol)
    if d.has(sp.DiracDelta):
        d = d.replace(lambda e: isinstance(e, sp.DiracDelta), lambda e: sp.S.Zero)
    return d


def _source(model: Model) -> str:
    from dyadmodel.fit._sensitivity import _INTEGRATOR

    n, n_par = model.n_states, len(model.parameters)
    nn = n * n
    na = n + nn
    ys = [sp.Symbol(f"y_{i}", real=True) for i in range(n)]
    arg_syms = (*model.parameter_symbols, *model.input_symbols)
    qs = [sp.Symbol(f"q_{k}", real=True) for k in range(len(arg_syms))]
    rename = dict(zip(model.state_symbols, ys)) | dict(zip(arg_syms, qs))
    f = [sp.sympify(e).xreplace(rename) for e in model.rhs_expr]
    jac = [e.xreplace(rename) for e in model.jacobian_expr]
    reps, reduced = sp.cse([*f, *jac], symbols=sp.numbered_symbols("w_", real=True))
    # second derivatives for the tangents: d J / d m, d J / d p and d f / d p (nonzero)
    jac_m = {
        (i, k, s): d
        for i in range(n)
        for k in range(n)
        for s in range(n)
        if (d := _derivative(jac[i * n + k], ys[s])) != 0
    }
    jac_p = {
        (c, i, k): d
        for c in range(n_par)
        for i in range(n)
        for k in range(n)
        if (d := _derivative(jac[i * n + k], qs[c])) != 0
    }
    f_p = {
        (c, i): d for c in range(n_par) for i in range(n) if (d := _derivative(f[i], qs[c])) != 0
    }
    keys = [("m", *key) for key in jac_m] + [("p", *key) for key in jac_p]
    keys += [("f", *key) for key in f_p]
    reps2, reduced2 = sp.cse(
        [*jac_m.values(), *jac_p.values(), *f_p.values()],
        symbols=sp.numbered_symbols("v_", real=True),
    )
    second = dict(zip(keys, reduced2))
    printer = _ScalarPrinter()
    n_args = len(qs)
    lines = numba_header(model, "mean, covariance and their tangents of the extended Kalman filter")
    lines += [f"N_STATES = {n}", f"N_AUG = {na}", f"N_WORK = {2 * nn}", "", ""]
    lines.append("@njit(cache=True, error_model='numpy')")
    lines.append("def aug_rhs(y, q, free, m, work, dy):")
    # y = (mean, covariance row-major, then m tangents of both: direction j at
    # N_AUG * (1 + j)); q = (params, inputs, diffusion variances); free[j] says what
    # direction j moves directly: parameter free[j] (>= 0), nothing (-1), or the
    # diffusion variance of state -2 - free[j] (through its log SD)
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
    lines.append("    if m == 0:")
    lines.append("        return")
    for sym, e in reps2:
        lines.append(f"    {sym} = {printer.doprint(e)}")
    # J in work[:nn], each direction's dJ in work[nn:]: the covariance tangents are loops
    # (unrolled they made large models' compilation several times slower)
    for i in range(n):
        for k in range(n):
            lines.append(f"    work[{i * n + k}] = J_{i}_{k}")
    lines.append("    for j in range(m):")
    lines.append(f"        b = {na} * (1 + j)")
    for i in range(n):
        lines.append(f"        dm_{i} = y[b + {i}]")
    for i in range(n):
        for k in range(n):
            terms = [
                f"({printer.doprint(second[('m', i, k, s)])}) * dm_{s}"
                for s in range(n)
                if ("m", i, k, s) in second
            ]
            lines.append(
                f"        work[{nn + i * n + k}] = {' + '.join(terms) if terms else '0.0'}"
            )
    for i in range(n):
        lines.append(f"        g_{i} = 0.0")
    lines.append("        c = free[j]")
    first = True
    for c in range(n_par):
        body = [
            f"            work[{nn + i * n + k}] += {printer.doprint(second[('p', c, i, k)])}"
            for i in range(n)
            for k in range(n)
            if ("p", c, i, k) in second
        ]
        body += [
            f"            g_{i} += {printer.doprint(second[('f', c, i)])}"
            for i in range(n)
            if ("f", c, i) in second
        ]
        if body:
            lines.append(f"        {'if' if first else 'elif'} c == {c}:")
            lines.extend(body)
            first = False
    for i in range(n):
        terms = " + ".join(f"J_{i}_{k} * dm_{k}" for k in range(n))
        lines.append(f"        dy[b + {i}] = {terms} + g_{i}")
    # dP' = dJ P + J dP + P dJ^T + dP J^T
    lines += [
        f"        for r in range({n}):",
        f"            for s in range({n}):",
        "                acc = 0.0",
        f"                for k in range({n}):",
        f"                    acc += (work[{nn} + r * {n} + k] * y[{n} + k * {n} + s]",
        f"                            + work[r * {n} + k] * y[b + {n} + k * {n} + s]",
        f"                            + y[{n} + r * {n} + k] * work[{nn} + s * {n} + k]",
        f"                            + y[b + {n} + r * {n} + k] * work[s * {n} + k])",
        f"                dy[b + {n} + r * {n} + s] = acc",
    ]
    lines.append("        if c <= -2:")
    lines.append("            s = -2 - c")
    lines.append(f"            dy[b + {n} + s * {n + 1}] += 2.0 * q[{n_args} + s]")
    lines.append("")
    lines.append(_primal_error_control(_INTEGRATOR))
    lines.append(_FILTER)
    return "\n".join(lines) + "\n"


#: The filter's tangent directions when only the likelihood is wanted.
_NO_DIRECTIONS = np.zeros(0, np.int64)

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

    The likelihood that ``fit(model, data, method="ml", process_noise=True)`` maximises
    (module docstring), evaluated at values given instead of estimated: to check a fit,
    compare models or scan a parameter.

    Parameters
    ----------
    model : Model
        The model, read as an SDE with diagonal diffusion.
    dyad : Dyad
        One couple (``data[dyad_id]``); its input columns feed the model's inputs as in
        the fit, missing values skip their part of the measurement update.
    params : ParameterSet, mapping or None
        Parameter values (a mapping may give some; the others are the model's
        defaults; None: every default).
    x0 : array_like, shape (n_states,)
        The mean of the state at the dyad's first time point.
    diffusion : array_like, shape (n_states,)
        Diffusion SD of each state (0 for a state without process noise), in state
        units per square root of time unit; at least 0.
    sigma : (float, float)
        Measurement-noise SDs of partner 1's and partner 2's values (at least 0).
    observed : (str, str), optional
        The states observed as partner 1's and partner 2's values, as in `MLOptions`
        (default: the two states of a two-state model).
    initial_covariance : array_like, shape (n_states, n_states), optional
        Covariance of the state at the first time point around ``x0``; default: the
        fit's, ``diag(diffusion²) * median(dt)`` (the process noise of one typical
        interval of the dyad's time grid).
    rtol, atol : float
        Relative and absolute tolerances of the integrator of the mean and covariance
        (default: those the fit uses, 1e-10 and 1e-12).

    Returns
    -------
    float
        The log-likelihood of the dyad's observed values, in nats (``-inf`` when the
        integration fails or an innovation covariance is not positive, e.g. zero
        diffusion, zero initial covariance and a zero ``sigma``).

    Raises
    ------
    InvalidInputError
        For ``x0``, ``diffusion``, ``sigma`` or ``initial_covariance`` of the wrong shape,
        not finite, or a negative SD; for a model of more than two states without
        ``observed`` (``coupled-oscillator`` excepted: its default is ``("x", "y")``).
    InvalidTypeError
        For a ``model`` or ``dyad`` of the wrong type, or values that are not numbers.
    NotFoundError
        For a state in ``observed`` that the model does not have.

    Notes
    -----
    The filter's code is generated and compiled once per model (seconds to tens of
    seconds the first time, then cached on disk). With zero diffusion and zero initial covariance
    the filter is trajectory matching: the log-likelihood is that of independent
    Gaussian measurement errors around the model's trajectory from ``x0``.

    Examples
    --------
    One couple simulated from the linear model ``R' = a R + b J``, ``J' = c R + d J``
    at ``a = d = -0.2``, ``b = 1``, ``c = -1`` from ``(1, 0)``, measured with noise of
    SD 0.05. Without process noise the filter's log-likelihood at the truth is the
    Gaussian log-likelihood of the noise itself:

    >>> import numpy as np, pandas as pd, dyadmodel as dm
    >>> from scipy import stats
    >>> from dyadmodel.fit import kalman_loglik
    >>> t = np.arange(0.0, 15.0, 0.5)
    >>> R, J = np.exp(-0.2 * t) * np.cos(t), -np.exp(-0.2 * t) * np.sin(t)
    >>> noise = np.random.default_rng(1).normal(0.0, 0.05, (2, t.size))
    >>> table = pd.DataFrame({"dyad": 1, "person": np.repeat([1, 2], t.size),
    ...     "time": np.tile(t, 2), "value": (np.stack([R, J]) + noise).ravel()})
    >>> data = dm.data.read_dyadic(table, dyad="dyad", person="person", time="time",
    ...                            value="value")
    >>> model = dm.models.get("strogatz-linear")
    >>> truth = model.params(a=-0.2, d=-0.2)
    >>> loglik = kalman_loglik(model, data[1], truth, [1.0, 0.0], [0.0, 0.0], (0.05, 0.05))
    >>> round(loglik, 3), bool(abs(loglik - stats.norm.logpdf(noise, scale=0.05).sum()) < 1e-6)
    (102.178, True)

    Process noise the data do not have lowers it:

    >>> round(kalman_loglik(model, data[1], truth, [1.0, 0.0], [0.1, 0.1], (0.05, 0.05)), 3)
    78.593
    >>> kalman_loglik(model, data[1], truth, [1.0], [0.0, 0.0], (0.05, 0.05))
    Traceback (most recent call last):
    ...
    dyadmodel.errors.InvalidInputError: x0 must have shape (2,), got shape (1,)
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
        _NO_DIRECTIONS,
        np.full(2, -1, np.int64),
        np.empty(0),
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
    diffusion SD of each noisy state, log sigma_1, log sigma_2)``; ``nll`` is the
    likelihood alone, ``value_and_gradient`` adds its exact gradient. Offers the interface
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
        # what each component of theta moves directly in the prediction ODE (see
        # aug_rhs): nothing (-1: initial means, measurement SDs), a model parameter
        # (its index) or the diffusion variance of state s (-2 - s)
        self.directions = np.concatenate(
            [np.full(self.n_states, -1), bp.free, -2 - self.noisy, [-1, -1]]
        ).astype(np.int64)
        self.sigma_directions = np.array([self.n_theta - 2, self.n_theta - 1], np.int64)

    def theta_names(self) -> list[str]:
        noisy = [f"diffusion_{self.model.state_names[i]}" for i in self.noisy]
        return [*self.base_problem.theta_names(), *noisy, "sigma_1", "sigma_2"]

    def _prediction_start(self, theta: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The filter's start ``(x0, P0)`` flattened, and its argument vector ``q``
        (parameters, inputs, diffusion variances)."""
        if time.perf_counter() > self.deadline:
            from dyadmodel.fit._ml import _Deadline

            raise _Deadline
        n = self.n_states
        p = self.base_problem.full_params(theta[: self.n_model])
        variances = np.zeros(n)
        variances[self.noisy] = np.exp(2 * theta[self.n_model : self.n_model + self.noisy.size])
        y0 = np.zeros(n + n * n)
        y0[:n] = theta[:n]
        y0[n:] = _initial_covariance(variances, self.base_problem.times).reshape(n * n)
        q = np.concatenate([p, np.zeros(len(self.model.inputs)), variances])
        self.n_evaluations += 1
        return y0, q

    def nll(self, theta: np.ndarray) -> float:
        """The negative log-likelihood at ``theta`` (1e300 where the filter fails)."""
        y0, q = self._prediction_start(theta)
        nll, code = self._ekf(y0, q, theta, _NO_DIRECTIONS, np.empty(0))
        return float(nll) if code == 0 and math.isfinite(nll) else 1e300

    def _ekf(self, start, q, theta, directions, grad):
        """The compiled filter from ``start`` with arguments ``q``: ``(nll, code)``,
        and the gradient along ``directions`` written into ``grad``."""
        return self.module.ekf(
            start,
            q,
            len(self.model.parameters),
            self.base_problem.inputs,
            self.base_problem.times,
            self.values,
            self.obs,
            self.rtol,
            self.atol,
            200_000,
            np.exp(2 * theta[-2:]),
            directions,
            self.sigma_directions,
            grad,
        )

    def value_and_gradient(self, theta: np.ndarray) -> tuple[float, np.ndarray]:
        """The negative log-likelihood and its exact gradient in ``theta``.

        Mean and covariance are integrated with their tangents along every component of
        ``theta`` (forward sensitivities of the prediction ODE), and each measurement
        update is differentiated in closed form (module docstring).

        Parameters
        ----------
        theta : numpy.ndarray, shape (n_theta,)
            As in `theta_names`: initial means, free parameters, log diffusion SDs, log
            measurement SDs.

        Returns
        -------
        value : float
            The negative log-likelihood; 1e300 where the filter fails (the integration
            does not finish or an innovation covariance is not positive).
        gradient : numpy.ndarray, shape (n_theta,)
            Its derivative in each component of ``theta`` (zeros where it failed).

        Raises
        ------
        _Deadline
            Past the problem's ``deadline`` (caught by the fit: budget exceeded).
        """
        y0, q = self._prediction_start(theta)
        n, m = self.n_states, self.n_theta
        na = n + n * n
        start = np.zeros(na * (1 + m))
        start[:na] = y0
        for i in range(n):  # d x0 / d init_i
            start[na * (1 + i) + i] = 1.0
        for k, s in enumerate(self.noisy):  # d P0 / d log SD: 2 * variance * step
            start[na * (1 + self.n_model + k) + n + s * n + s] = 2.0 * y0[n + s * n + s]
        grad = np.empty(m)
        nll, code = self._ekf(start, q, theta, self.directions, grad)
        if code != 0 or not math.isfinite(nll) or not np.all(np.isfinite(grad)):
            return 1e300, np.zeros(m)
        return float(nll), grad

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
            value, grad = self.value_and_gradient(full)
            return value, grad[keep]

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
        """Hessian of the negative log-likelihood: central differences of the exact
        gradient (step ``1e-5 max(1, |theta_j|)``), symmetrised."""
        m = self.n_theta
        h = 1e-5 * np.maximum(1.0, np.abs(theta))
        H = np.empty((m, m))
        for j in range(m):
            up, down = theta.copy(), theta.copy()
            up[j] += h[j]
            down[j] -= h[j]
            H[:, j] = (self.value_and_gradient(up)[1] - self.value_and_gradient(down)[1]) / (
                2 * h[j]
            )
        return 0.5 * (H + H.T)


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
    # the filter's one-off compilation (then cached on disk: about 20 s for a 2-state
    # model, over a minute for the 6-state flagship) is not part of the fit's budget
    problem.value_and_gradient(problem.starts()[0])
    problem.deadline = time.perf_counter() + options.max_seconds
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
