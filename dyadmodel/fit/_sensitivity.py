"""Forward sensitivities of a model's trajectory, generated from its sympy equations.

For ``x' = f(x; p, u)`` the sensitivities ``S = d x(t) / d (x(t0), p_free)`` obey

    S' = J(x; p, u) S + [0 | d f / d p_free],     S(t0) = [I | 0]

(``J = d f / d x``: `Model.jacobian_expr`; ``d f / d p``: `Model.parameter_jacobian_expr`).
The state and the sensitivities are integrated together by one adaptive Dormand–Prince
5(4) method (error control on every component, so the gradient is as accurate as the
trajectory), compiled with numba from source printed here: the expressions of ``f``,
``J`` and ``d f / d p`` share their common subexpressions, integer powers are products.
The integrator stops exactly at each observation time; inputs are held constant
between observation times (the value at the left end of each interval).

One module is generated per model (any choice of free parameters uses it: the free
columns are picked at run time) and cached on disk like the other generated code
(`dyadmodel.simulate._codegen.cache_dir`).
"""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass

import numpy as np
import sympy as sp

from dyadmodel.model import Model
from dyadmodel.simulate._codegen import _ScalarPrinter, load_module, numba_header

__all__ = ["SensitivitySystem", "sensitivity_system"]

#: Integrator outcomes (the generated ``integrate`` returns one of these codes).
INTEGRATION_OK, INTEGRATION_TOO_MANY_STEPS, INTEGRATION_NOT_FINITE = 0, 1, 2

_INTEGRATOR = '''
# Dormand-Prince 5(4): stages, 5th-order weights (FSAL: the last stage is the next first)
# and the error weights; one call site of aug_rhs keeps the compiled code small.
A = numpy.array([
    [0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
    [1.0 / 5.0, 0.0, 0.0, 0.0, 0.0, 0.0],
    [3.0 / 40.0, 9.0 / 40.0, 0.0, 0.0, 0.0, 0.0],
    [44.0 / 45.0, -56.0 / 15.0, 32.0 / 9.0, 0.0, 0.0, 0.0],
    [19372.0 / 6561.0, -25360.0 / 2187.0, 64448.0 / 6561.0, -212.0 / 729.0, 0.0, 0.0],
    [9017.0 / 3168.0, -355.0 / 33.0, 46732.0 / 5247.0, 49.0 / 176.0, -5103.0 / 18656.0, 0.0],
    [35.0 / 384.0, 0.0, 500.0 / 1113.0, 125.0 / 192.0, -2187.0 / 6784.0, 11.0 / 84.0],
])
E = numpy.array([
    71.0 / 57600.0, 0.0, -71.0 / 16695.0, 71.0 / 1920.0, -17253.0 / 339200.0, 22.0 / 525.0,
    -1.0 / 40.0,
])


@njit(cache=True, error_model='numpy')
def integrate(y0, q, n_params, inputs, free, m, times, rtol, atol, max_steps, out):
    """Dormand-Prince 5(4) from times[0] through every time; out[k] = y(times[k])."""
    N = y0.size
    y = y0.copy()
    work = numpy.empty(N_WORK)
    K = numpy.empty((7, N))
    z = numpy.empty(N)
    out[0, :] = y
    n_times = times.size
    steps = 0
    h = 0.0
    for k in range(n_times - 1):
        for u in range(inputs.shape[1]):
            q[n_params + u] = inputs[k, u]
        t = times[k]
        t_end = times[k + 1]
        if h <= 0.0:
            h = 0.05 * (t_end - t)
        aug_rhs(y, q, free, m, work, K[0])
        while t < t_end:
            if steps >= max_steps:
                return 1
            last = False
            if t + h >= t_end:
                h = t_end - t
                last = True
            for s in range(1, 7):
                for i in range(N):
                    acc = 0.0
                    for l in range(s):
                        acc += A[s, l] * K[l, i]
                    z[i] = y[i] + h * acc
                aug_rhs(z, q, free, m, work, K[s])
            err = 0.0
            for i in range(N):
                e = 0.0
                for l in range(7):
                    e += E[l] * K[l, i]
                e *= h
                scale = atol + rtol * max(abs(y[i]), abs(z[i]))
                err += (e / scale) * (e / scale)
            err = (err / N) ** 0.5
            steps += 1
            if not (err == err) or err > 1e300:
                return 2
            if err <= 1.0:
                t = t_end if last else t + h
                for i in range(N):
                    y[i] = z[i]
                    K[0, i] = K[6, i]
                factor = 10.0 if err == 0.0 else min(10.0, 0.9 * err ** -0.2)
                if not last:
                    h = h * factor
            else:
                h = h * max(0.2, 0.9 * err ** -0.2)
                if h <= 1e-14 * max(1.0, abs(t)):
                    return 1
        for i in range(N):
            if not (abs(y[i]) < 1e300):
                return 2
        out[k + 1, :] = y
    return 0
'''


@dataclass(frozen=True, eq=False)
class SensitivitySystem:
    """A model's state and forward sensitivities, compiled (see the module docstring).

    Attributes
    ----------
    model : Model
    path : str
        The generated source file.
    """

    model: Model
    path: str
    _integrate: object

    def trajectory(
        self,
        x0: np.ndarray,
        params: np.ndarray,
        free: np.ndarray,
        times: np.ndarray,
        inputs: np.ndarray,
        *,
        rtol: float = 1e-8,
        atol: float = 1e-10,
        max_steps: int = 200_000,
    ) -> tuple[int, np.ndarray, np.ndarray]:
        """States and sensitivities at ``times``.

        Parameters
        ----------
        x0 : array, shape (n,)
            The state at ``times[0]``.
        params : array, shape (P,)
            Every parameter of the model, in its order.
        free : int array, shape (F,)
            Indices of the parameters whose sensitivities are wanted.
        times : array, shape (T,)
            Increasing.
        inputs : array, shape (T, n_inputs)
            Input values; row k holds on ``[times[k], times[k+1])``.

        Returns
        -------
        code : int
            0 on success, 1 when the step budget ran out, 2 when the state left the
            finite numbers.
        states : array, shape (T, n)
        sensitivities : array, shape (T, n, n + F)
            ``d x(t_k) / d (x0, params[free])``.
        """
        n = self.model.n_states
        free = np.ascontiguousarray(free, dtype=np.int64)
        m = n + free.size
        y0 = np.zeros(n + n * m)
        y0[:n] = x0
        for i in range(n):
            y0[n + i * m + i] = 1.0
        q = np.concatenate([np.asarray(params, float), np.zeros(inputs.shape[1])])
        out = np.empty((times.size, y0.size))
        code = self._integrate(
            y0,
            q,
            len(params),
            np.ascontiguousarray(inputs, dtype=float),
            free,
            m,
            np.ascontiguousarray(times, dtype=float),
            float(rtol),
            float(atol),
            int(max_steps),
            out,
        )
        return int(code), out[:, :n], out[:, n:].reshape(times.size, n, m)


def _source(model: Model) -> str:
    n, P = model.n_states, len(model.parameters)
    ys = [sp.Symbol(f"y_{i}", real=True) for i in range(n)]
    arg_syms = (*model.parameter_symbols, *model.input_symbols)
    qs = [sp.Symbol(f"q_{k}", real=True) for k in range(len(arg_syms))]
    rename = dict(zip(model.state_symbols, ys)) | dict(zip(arg_syms, qs))
    f = [sp.sympify(e).xreplace(rename) for e in model.rhs_expr]
    jac = [e.xreplace(rename) for e in model.jacobian_expr]
    fp = [e.xreplace(rename) for e in model.parameter_jacobian_expr]
    reps, reduced = sp.cse([*f, *jac, *fp], symbols=sp.numbered_symbols("w_", real=True))
    printer = _ScalarPrinter()
    lines = numba_header(model, "state and forward sensitivities")
    lines.append(f"N_WORK = {max(n * P, 1)}")
    lines.append("")
    lines.append("")
    lines.append("@njit(cache=True, error_model='numpy')")
    lines.append("def aug_rhs(y, q, free, m, work, dy):")
    for i in range(n):
        lines.append(f"    y_{i} = y[{i}]")
    for k in range(len(qs)):
        lines.append(f"    q_{k} = q[{k}]")
    for sym, e in reps:
        lines.append(f"    {sym} = {printer.doprint(e)}")
    for i in range(n):
        lines.append(f"    dy[{i}] = {printer.doprint(reduced[i])}")
    for i in range(n):
        for j in range(n):
            lines.append(f"    J_{i}_{j} = {printer.doprint(reduced[n + i * n + j])}")
    for i in range(n):
        for k in range(P):
            expr = printer.doprint(reduced[n + n * n + i * P + k])
            lines.append(f"    work[{i * P + k}] = {expr}")
    lines.append("    for j in range(m):")
    for i in range(n):
        lines.append(f"        s_{i} = y[{n} + {i} * m + j]")
    for i in range(n):
        terms = " + ".join(f"J_{i}_{j} * s_{j}" for j in range(n))
        lines.append(f"        a_{i} = {terms}")
    lines.append(f"        if j >= {n}:")
    lines.append(f"            c = free[j - {n}]")
    for i in range(n):
        lines.append(f"            a_{i} += work[{i * P} + c]")
    for i in range(n):
        lines.append(f"        dy[{n} + {i} * m + j] = a_{i}")
    lines.append("")
    lines.append(_INTEGRATOR)
    return "\n".join(lines) + "\n"


_SYSTEMS: weakref.WeakKeyDictionary[Model, SensitivitySystem] = weakref.WeakKeyDictionary()
_LOCK = threading.RLock()


def sensitivity_system(model: Model) -> SensitivitySystem:
    """The compiled state-and-sensitivity integrator of ``model`` (memoised)."""
    with _LOCK:
        got = _SYSTEMS.get(model)
        if got is None:
            module = load_module("sens", model.name, _source(model))
            got = SensitivitySystem(model, module.__file__, module.integrate)
            _SYSTEMS[model] = got
        return got
