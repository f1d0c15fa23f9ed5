"""Fast ensembles: many trajectories of one model at once, compiled from its sympy rhs.

`ensemble` integrates ``N`` initial conditions (and, optionally, ``N`` parameter sets
and constant inputs) with the Dormand–Prince 5(4) pair, each trajectory with its own
adaptive step, and returns the final states, optional samples, and a status per
trajectory. The step control is scipy's ``RK45`` step for step (same tableau, same
initial-step heuristic, same error norm and step-size update), so the results match
``solve_ivp(..., method="RK45")`` at the same tolerances.

Two backends run the same algorithm:

``numba``
    The right-hand side is printed as straight-line scalar code (`_codegen`) and
    spliced into a generated Dormand–Prince integrator. Trajectories run in *lanes*:
    one worker integrates ``LANES`` (8) trajectories in lock-step, each with its own
    time, step size and step control, and its Runge–Kutta stages are a single loop over
    the lanes with scalar arithmetic only, which LLVM compiles to SIMD instructions (one
    AVX-512 register holds the 8 lanes). A lane whose trajectory ends takes the next one
    of its chunk. Chunks of trajectories are shared out to threads (the compiled
    functions release the GIL), so all cores work and none waits for a slow chunk.
    The compiled code is cached on disk (see `dyadmodel.simulate._codegen.cache_dir`).
``numpy``
    The same step, vectorised over all running trajectories with masks (each keeps
    its own time and step size); used when numba is not installed. For right-hand
    sides built from arithmetic only (the flagship models) the two backends perform the
    same floating-point operations and agree bit for bit; with ``exp`` or ``tanh``
    numpy's vectorised functions may differ from the C library's in the last bit.
"""

from __future__ import annotations

import dataclasses
import math
import numbers
import threading
import weakref
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from types import MappingProxyType
from typing import Any

import numpy as np

from dyadmodel.errors import BudgetExceededError, InvalidInputError, InvalidTypeError
from dyadmodel.model import Model, ParameterError, ParameterSet
from dyadmodel.simulate import _codegen
from dyadmodel.simulate._checks import check_tolerances
from dyadmodel.simulate._codegen import numba_available, rhs_code, rhs_lines

__all__ = [
    "CONVERGED",
    "DIVERGED",
    "MAX_STEPS",
    "STATUS_NAMES",
    "STEP_TOO_SMALL",
    "EnsembleResult",
    "ensemble",
]

MAX_SAMPLE_BYTES = 2**31
"""Largest ``samples`` array `ensemble` allocates (2 GiB); more raise
`BudgetExceededError` before anything runs."""

CONVERGED, DIVERGED, MAX_STEPS, STEP_TOO_SMALL = 0, 1, 2, 3
STATUS_NAMES: tuple[str, ...] = ("converged", "diverged", "max steps", "step size too small")
"""Names of the status codes: ``STATUS_NAMES[code]``. 'converged' means the
trajectory reached ``t1`` (not that it settled anywhere)."""

_STATUS_ADVICE = {
    DIVERGED: "a state became non-finite or exceeded divergence_bound (the solution blows "
    "up, or leaves the region where the model is defined); shorten t or check the "
    "parameters",
    MAX_STEPS: "the maximum number of solver steps was reached; increase max_steps, "
    "shorten t, or loosen rtol/atol",
    STEP_TOO_SMALL: "the step size fell below the spacing of floating-point numbers near t "
    "(a singularity, or an extremely stiff stretch); shorten t or check the parameters",
}

# Dormand–Prince 5(4), as in scipy.integrate.RK45 (identical float values).
_C = (0.0, 1 / 5, 3 / 10, 4 / 5, 8 / 9, 1.0)
_A = (
    (),
    (1 / 5,),
    (3 / 40, 9 / 40),
    (44 / 45, -56 / 15, 32 / 9),
    (19372 / 6561, -25360 / 2187, 64448 / 6561, -212 / 729),
    (9017 / 3168, -355 / 33, 46732 / 5247, 49 / 176, -5103 / 18656),
)
_B = (35 / 384, 0.0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84)
_E = (-71 / 57600, 0.0, 71 / 16695, -71 / 1920, 17253 / 339200, -22 / 525, 1 / 40)
_P = (
    (1.0, -8048581381 / 2820520608, 8663915743 / 2820520608, -12715105075 / 11282082432),
    (0.0, 0.0, 0.0, 0.0),
    (
        0.0,
        131558114200 / 32700410799,
        -68118460800 / 10900136933,
        87487479700 / 32700410799,
    ),
    (0.0, -1754552775 / 470086768, 14199869525 / 1410260304, -10690763975 / 1880347072),
    (
        0.0,
        127303824393 / 49829197408,
        -318862633887 / 49829197408,
        701980252875 / 199316789632,
    ),
    (0.0, -282668133 / 205662961, 2019193451 / 616988883, -1453857185 / 822651844),
    (0.0, 40617522 / 29380423, -110615467 / 29380423, 69997945 / 29380423),
)
_SAFETY, _MIN_FACTOR, _MAX_FACTOR = 0.9, 0.2, 10.0
_EXPONENT = -1 / 5  # -1 / (error estimator order + 1)


# ---------------------------------------------------------------------------------------
# result


@dataclasses.dataclass(frozen=True, eq=False)
class EnsembleResult:
    """Where ``N`` trajectories of one model ended, and how the solver fared.

    Attributes
    ----------
    final : ndarray, shape (n_states, N)
        State at ``t1`` (for a failed trajectory: the last accepted state).
    samples : ndarray, shape (n_states, N, len(t_samples)) or None
        States at ``t_samples`` (dense output of the same step, as ``solve_ivp``'s
        ``t_eval``); NaN after a trajectory failed. None without ``t_samples``.
    t_samples : ndarray or None
    status : ndarray of int8, shape (N,)
        ``STATUS_NAMES[code]``: 0 'converged' (reached ``t1``), 1 'diverged', 2 'max
        steps', 3 'step size too small'.
    n_steps, n_rejected : ndarray of int, shape (N,)
        Accepted and rejected steps of each trajectory.
    t : (float, float)
    rtol : float
    atol : float or ndarray
    max_steps : int
    divergence_bound : float
    backend : str
        'numba' or 'numpy'.
    model_name : str
    state_names : tuple of str
    params : ParameterSet or mapping of str to ndarray
        The ParameterSet when all trajectories share one; otherwise every parameter as
        a read-only array of length ``N``.
    inputs : mapping of str to float or ndarray
        Constant input values (arrays when they vary between trajectories).

    Examples
    --------
    >>> import numpy as np
    >>> import dyadmodel as dm
    >>> m = dm.models.get("pursuer-distancer-2d")
    >>> x0 = np.array([[0.1, 1.0, 2.0], [0.1, 1.0, 2.0]])
    >>> result = dm.ensemble(m, m.params(anxiety_gain_1=2.0, avoidance_gain_2=2.0), x0, (0, 50))
    >>> result.final.shape, result.counts()["converged"]
    ((2, 3), 3)
    """

    final: np.ndarray
    samples: np.ndarray | None
    t_samples: np.ndarray | None
    status: np.ndarray
    n_steps: np.ndarray
    n_rejected: np.ndarray
    t: tuple[float, float]
    rtol: float
    atol: float | np.ndarray
    max_steps: int
    divergence_bound: float
    backend: str
    model_name: str
    state_names: tuple[str, ...]
    params: ParameterSet | Mapping[str, np.ndarray]
    inputs: Mapping[str, float | np.ndarray]

    @property
    def n(self) -> int:
        """Number of trajectories."""
        return int(self.status.size)

    @property
    def ok(self) -> np.ndarray:
        """Boolean mask of the trajectories that reached ``t1``."""
        return self.status == CONVERGED

    @property
    def status_names(self) -> np.ndarray:
        """The status of each trajectory as a string array."""
        return np.array(STATUS_NAMES, dtype=object)[self.status]

    def counts(self) -> dict[str, int]:
        """Number of trajectories per status name (every name present, maybe 0).

        Returns
        -------
        dict
            Status name -> number of trajectories.

        Examples
        --------
        >>> import numpy as np
        >>> import dyadmodel as dm
        >>> m = dm.models.get("pursuer-distancer-2d")
        >>> x0 = np.array([[0.1, 1.0], [0.1, 1.0]])
        >>> dm.ensemble(m, m.params(), x0, (0, 10)).counts()["converged"]
        2
        """
        got = np.bincount(self.status.astype(np.int64), minlength=len(STATUS_NAMES))
        return {name: int(c) for name, c in zip(STATUS_NAMES, got)}

    @property
    def message(self) -> str:
        """One line per failure kind, saying what to change; '' when all converged."""
        lines = []
        for code, advice in _STATUS_ADVICE.items():
            idx = np.flatnonzero(self.status == code)
            if idx.size:
                lines.append(
                    f"{idx.size} of {self.n} trajectories: {STATUS_NAMES[code]} (first: "
                    f"index {idx[0]}): {advice}"
                )
        return "\n".join(lines)

    def _varying(self) -> dict[str, np.ndarray]:
        """Parameters and inputs given per trajectory (arrays of length N)."""
        out: dict[str, np.ndarray] = {}
        if not isinstance(self.params, ParameterSet):
            out.update({k: np.asarray(v, dtype=float) for k, v in self.params.items()})
        for k, v in self.inputs.items():
            if np.ndim(v):
                out[k] = np.asarray(v, dtype=float)
        return {k: np.broadcast_to(v, (self.n,)).copy() for k, v in out.items()}

    def to_dataframe(self):
        """One row per trajectory, as a `pandas.DataFrame` (pandas imported here).

        Columns: the final state (one column per state), ``status`` (its name),
        ``n_steps``, ``n_rejected``, then every parameter when they were given per
        trajectory, and each input given per trajectory. The samples at ``t_samples``
        are gridded: see `to_xarray`.

        Returns
        -------
        pandas.DataFrame
            One row per trajectory.

        Examples
        --------
        >>> import numpy as np
        >>> import dyadmodel as dm
        >>> m = dm.models.get("pursuer-distancer-2d")
        >>> x0 = np.array([[0.1, 1.0], [0.1, 1.0]])
        >>> list(dm.ensemble(m, m.params(), x0, (0, 10)).to_dataframe().columns[:3])
        ['pursuit_1', 'distance_2', 'status']
        """
        from dyadmodel._display import optional_module, state_columns

        pd = optional_module("pandas", "to_dataframe()")
        columns = {
            **state_columns(self.final.T, self.state_names),
            "status": self.status_names.astype(str),
            "n_steps": np.asarray(self.n_steps).copy(),
            "n_rejected": np.asarray(self.n_rejected).copy(),
            **self._varying(),
        }
        df = pd.DataFrame(columns, index=pd.RangeIndex(self.n, name="trajectory"))
        df.attrs.update(model=self.model_name, t=tuple(self.t), backend=self.backend)
        return df

    def to_xarray(self):
        """The samples as an `xarray.Dataset` with dimensions (trajectory, t).

        One variable per state (``samples`` at ``t_samples``; NaN after a trajectory
        failed), plus ``status`` and the parameters and inputs given per trajectory,
        along ``trajectory``. Without ``t_samples`` the states are the
        final ones and there is no ``t`` dimension.

        Returns
        -------
        xarray.Dataset
            Over ``trajectory`` (and ``time`` when ``t_samples`` were given).

        Examples
        --------
        >>> import numpy as np
        >>> import dyadmodel as dm
        >>> m = dm.models.get("pursuer-distancer-2d")
        >>> x0 = np.array([[0.1, 1.0], [0.1, 1.0]])
        >>> dict(dm.ensemble(m, m.params(), x0, (0, 10)).to_xarray().sizes)
        {'trajectory': 2}
        """
        from dyadmodel._display import optional_module

        xr = optional_module("xarray", "to_xarray()")
        traj = np.arange(self.n)
        if self.samples is not None:
            data = {
                n: (("trajectory", "t"), np.asarray(self.samples[i]))
                for i, n in enumerate(self.state_names)
            }
            coords = {"trajectory": traj, "t": np.asarray(self.t_samples, dtype=float)}
        else:
            data = {n: ("trajectory", self.final[i]) for i, n in enumerate(self.state_names)}
            coords = {"trajectory": traj}
        data["status"] = ("trajectory", self.status_names.astype(str))
        data.update({k: ("trajectory", v) for k, v in self._varying().items()})
        return xr.Dataset(
            data, coords=coords, attrs={"model": self.model_name, "backend": self.backend}
        )

    def _repr_html_(self) -> str:
        from dyadmodel._display import html_table

        rows = [
            ["model", self.model_name],
            ["trajectories", self.n],
            ["t", f"{self.t[0]:g} to {self.t[1]:g}"],
            *([f"status {k}", v] for k, v in self.counts().items()),
            ["backend", self.backend],
        ]
        return html_table(["EnsembleResult", ""], rows, note=self.message)

    def __repr__(self) -> str:
        counts = ", ".join(f"{k}={v}" for k, v in self.counts().items() if v) or "empty"
        return (
            f"EnsembleResult({self.model_name!r}, N={self.n}, t={self.t}, {counts}, "
            f"backend={self.backend!r})"
        )


# ---------------------------------------------------------------------------------------
# numba backend: generated source


LANES = 8
"""Trajectories integrated in lock-step by one worker: the Runge–Kutta stages of all
lanes are one loop that LLVM turns into SIMD instructions (8 doubles = one AVX-512
register); each lane keeps its own time, step size and step control, and takes the next
trajectory of its chunk as soon as its own is done."""


def _numba_source(model: Model) -> str:
    """Source of the numba lane engine for ``model``: one function, ``run_chunk``.

    Everything is in one function on purpose: LLVM would inline helper functions into
    it anyway, so separate helpers would only be compiled twice (compile time is the
    cost that matters for a cold cache).
    """
    code = rhs_code(model)
    n, m, nd = code.n_states, code.n_args, code.n_derived
    W = LANES

    # rows of the lane scratch array S: row r of lane l is S[r * W + l]
    rows: dict[str, int] = {}
    for name in (
        [f"q_{k}" for k in range(m)]
        + [f"c_{k}" for k in range(nd)]
        + [f"at_{i}" for i in range(n)]
        + ["rtol", "h", "en"]
        + [f"y_{i}" for i in range(n)]
        + [f"yn_{i}" for i in range(n)]
        + [f"k{s}_{i}" for s in range(1, 8) for i in range(n)]
    ):
        rows[name] = len(rows)

    def at(name: str) -> str:
        return f"S[{rows[name] * W} + l]"

    def row(name: str, offset: str) -> str:  # S entry of row ``name`` + offset, lane l
        return f"S[({rows[name]} + {offset}) * {W} + l]"

    def names(prefix: str) -> list[str]:
        return [f"{prefix}_{i}" for i in range(n)]

    def rhs(inp: str, out: str) -> list[str]:
        return rhs_lines(code, names(inp), names(out))

    def all_of(fmt: str) -> str:
        return " and ".join(fmt.format(i=i) for i in range(n))

    def rms(term: str) -> str:
        parts = " + ".join(f"({term.format(i=i)})*({term.format(i=i)})" for i in range(n))
        return f"math.sqrt(({parts}) / {float(n)!r})"

    def indent(lines: list[str], k: int = 1) -> list[str]:
        return ["    " * k + line for line in lines]

    # -- one attempted step of every lane: the loop LLVM vectorises ---------------------
    attempt = [f"q_{k} = {at(f'q_{k}')}" for k in code.uses_q]
    attempt += [f"c_{k} = {at(f'c_{k}')}" for k in range(nd)]
    attempt += [f"{v} = {at(v)}" for v in ("rtol", "h")]
    for i in range(n):
        attempt += [f"at_{i} = {at(f'at_{i}')}", f"y_{i} = {at(f'y_{i}')}"]
        attempt += [f"k1_{i} = {at(f'k1_{i}')}"]
    for s in range(1, 6):
        for i in range(n):
            combo = " + ".join(f"{a!r} * k{r + 1}_{i}" for r, a in enumerate(_A[s]))
            attempt.append(f"z_{i} = y_{i} + ({combo}) * h")
        attempt += rhs("z", f"k{s + 1}")
    for i in range(n):
        combo = " + ".join(f"{b!r} * k{r + 1}_{i}" for r, b in enumerate(_B) if b != 0.0)
        attempt.append(f"yn_{i} = y_{i} + h * ({combo})")
    attempt += rhs("yn", "k7")
    for i in range(n):
        combo = " + ".join(f"{e!r} * k{r + 1}_{i}" for r, e in enumerate(_E) if e != 0.0)
        attempt.append(f"e_{i} = ({combo}) * h")
        attempt.append(f"s_{i} = at_{i} + max(abs(y_{i}), abs(yn_{i})) * rtol")
    attempt.append(f"{at('en')} = {rms('e_{i} / s_{i}')}")
    for i in range(n):
        attempt.append(f"{at(f'yn_{i}')} = yn_{i}")
        attempt += [f"{at(f'k{s}_{i}')} = k{s}_{i}" for s in range(2, 8)]

    # -- the next attempt of lane l; sets code >= 0 when the lane must stop -------------
    prepare = [
        "if not rej[l]:",
        "    mins[l] = 10.0 * (math.nextafter(tt[l], math.inf) - tt[l])",
        "    if hab[l] < mins[l]:",
        "        hab[l] = mins[l]",
        "if ns[l] + nr[l] >= max_steps:",
        f"    code = {MAX_STEPS}",
        "elif hab[l] < mins[l]:",
        f"    code = {STEP_TOO_SMALL}",
        "else:",
        "    tn = tt[l] + hab[l]",
        "    if tn > t1:",
        "        tn = t1",
        "    tnew[l] = tn",
        f"    {at('h')} = tn - tt[l]",
    ]

    # -- load trajectory j into lane l: derived constants, f(y0), initial step ----------
    load = [f"q_{k} = Q[j, {k}]" for k in range(m)]
    load += list(code.derived)
    load += [f"{at(f'q_{k}')} = q_{k}" for k in range(m)]
    load += [f"{at(f'c_{k}')} = c_{k}" for k in range(nd)]
    load += [f"at_{i} = {at(f'at_{i}')}" for i in range(n)]
    load += [f"y_{i} = Y0[{i}, j]" for i in range(n)]
    load += [
        "isamp[l] = 0",
        "while isamp[l] < n_samples and ts[isamp[l]] <= t0:",
        *(f"    samples[{i}, j, isamp[l]] = y_{i}" for i in range(n)),
        "    isamp[l] += 1",
    ]
    load += rhs("y", "k1")
    load += [f"{at(f'y_{i}')} = y_{i}" for i in range(n)]
    load += [f"{at(f'k1_{i}')} = k1_{i}" for i in range(n)]
    load += [
        "tt[l] = t0",
        "ns[l] = 0",
        "nr[l] = 0",
        "rej[l] = False",
        "code = -1",
        f"if not ({all_of('abs(y_{i}) <= bound')} and {all_of('abs(k1_{i}) < math.inf')}):",
        f"    code = {DIVERGED}",
        "else:",
    ]
    # scipy.integrate._ivp.common.select_initial_step
    initial = [f"s_{i} = at_{i} + abs(y_{i}) * rtol" for i in range(n)]
    initial += [
        f"d0 = {rms('y_{i} / s_{i}')}",
        f"d1 = {rms('k1_{i} / s_{i}')}",
        "if d0 < 1e-5 or d1 < 1e-5:",
        "    h0 = 1e-6",
        "else:",
        "    h0 = 0.01 * d0 / d1",
        "if h0 > t1 - t0:",
        "    h0 = t1 - t0",
    ]
    initial += [f"z_{i} = y_{i} + h0 * k1_{i}" for i in range(n)]
    initial += rhs("z", "k2")
    initial += [
        f"d2 = {rms('(k2_{i} - k1_{i}) / s_{i}')} / h0",
        "if d1 <= 1e-15 and d2 <= 1e-15:",
        "    h1 = max(1e-6, h0 * 1e-3)",
        "else:",
        "    h1 = (0.01 / max(d1, d2)) ** 0.2",
        "hab[l] = min(100.0 * h0, h1, t1 - t0)",
        *prepare,
    ]
    load += indent(initial)

    finish = [
        f"for i in range({n}):",
        f"    final[i, j] = {row('y_0', 'i')}",
        "while isamp[l] < n_samples:",
        f"    for i in range({n}):",
        "        samples[i, j, isamp[l]] = math.nan",
        "    isamp[l] += 1",
        "status[j] = code",
        "nsteps[j] = ns[l]",
        "nrejected[j] = nr[l]",
        "traj[l] = -1",
    ]
    fill = [
        "while nxt < hi:",
        "    j = nxt",
        "    nxt += 1",
        *indent(load),
        "    if code < 0:",
        "        traj[l] = j",
        "        break",
        *indent(finish),
        "if traj[l] < 0:",
        f"    {at('h')} = 0.0",
    ]

    # dense output over (t_old, t_new]: scipy's RkDenseOutput, y_old + h Q [x, .., x^4]
    dense = [
        "if isamp[l] < n_samples and ts[isamp[l]] <= tt[l]:",
        f"    for i in range({n}):",
        "        for c in range(4):",
        "            acc = 0.0",
        "            for r in range(7):",
        "                if P[r, c] != 0.0:",
        f"                    acc += P[r, c] * {row('k1_0', f'r * {n} + i')}",
        "            Qc[i, c] = acc",
        "    while isamp[l] < n_samples and ts[isamp[l]] <= tt[l]:",
        "        x = (ts[isamp[l]] - t_old) / h",
        f"        for i in range({n}):",
        f"            samples[i, j, isamp[l]] = {row('y_0', 'i')} + h * x * (",
        "                Qc[i, 0] + x * (Qc[i, 1] + x * (Qc[i, 2] + x * Qc[i, 3]))",
        "            )",
        "        isamp[l] += 1",
    ]
    accept = [
        "if en == 0.0:",
        f"    factor = {_MAX_FACTOR!r}",
        "else:",
        f"    factor = {_SAFETY!r} * en ** {_EXPONENT!r}",
        f"    if factor > {_MAX_FACTOR!r}:",
        f"        factor = {_MAX_FACTOR!r}",
        "if rej[l] and factor > 1.0:",
        "    factor = 1.0",
        "hab[l] = h * factor",
        "rej[l] = False",
        "ns[l] += 1",
        "t_old = tt[l]",
        "tt[l] = tnew[l]",
        *dense,
        "finite = True",
        f"for i in range({n}):",
        f"    v = {row('yn_0', 'i')}",
        f"    {row('y_0', 'i')} = v",
        f"    {row('k1_0', 'i')} = {row('k7_0', 'i')}",
        "    if not abs(v) <= bound:",
        "        finite = False",
        "if not finite:",
        f"    code = {DIVERGED}",
        "elif tt[l] >= t1:",
        f"    code = {CONVERGED}",
    ]
    reject = [
        f"factor = {_SAFETY!r} * en ** {_EXPONENT!r}",
        f"if not factor > {_MIN_FACTOR!r}:  # also when en is NaN, as in scipy",
        f"    factor = {_MIN_FACTOR!r}",
        "hab[l] = h * factor",
        "rej[l] = True",
        "nr[l] += 1",
    ]
    control = [
        "j = traj[l]",
        "if j < 0:",
        "    continue",
        f"en = {at('en')}",
        f"h = {at('h')}",
        "code = -1",
        "if en < 1.0:",
        *indent(accept),
        "else:",
        *indent(reject),
        "if code < 0:",
        *indent(prepare),
        "if code >= 0:",
        *indent(finish),
    ]
    body = [
        f"S = numpy.zeros({len(rows) * W})",
        f"traj = numpy.full({W}, -1, numpy.int64)",
        *(
            f"{v} = numpy.zeros({W}, {t})"
            for v, t in (
                ("tt", "numpy.float64"),
                ("tnew", "numpy.float64"),
                ("hab", "numpy.float64"),
                ("mins", "numpy.float64"),
                ("rej", "numpy.bool_"),
                ("ns", "numpy.int64"),
                ("nr", "numpy.int64"),
                ("isamp", "numpy.int64"),
            )
        ),
        f"Qc = numpy.zeros(({n}, 4))",
        "n_samples = ts.shape[0]",
        f"for l in range({W}):",
        f"    {at('rtol')} = rtol",
        *(f"    {at(f'at_{i}')} = atol[{i}]" for i in range(n)),
        "nxt = lo",
        "while True:",
        "    live = 0",
        f"    for l in range({W}):",
        "        if traj[l] < 0:",
        *indent(fill, 3),
        "        if traj[l] >= 0:",
        "            live += 1",
        "    if live == 0:",
        "        break",
        "    # one attempted step of every lane (SIMD)",
        f"    for l in range({W}):",
        *indent(attempt, 2),
        "    # step control, lane by lane",
        f"    for l in range({W}):",
        *indent(control, 2),
    ]
    args = (
        "lo, hi, Y0, Q, t0, t1, rtol, atol, max_steps, bound, ts, final, samples, status, "
        "nsteps, nrejected"
    )
    lines = _codegen.numba_header(model, "Dormand-Prince 5(4) ensemble integrator")
    lines += ["P = numpy.array(" + repr([list(r) for r in _P]) + ")", "", ""]
    lines += [
        "@njit(cache=True, error_model='numpy', nogil=True, fastmath=FASTMATH)",
        f"def run_chunk({args}):",
        *indent(body),
        "",
    ]
    return "\n".join(lines)


_KERNELS: weakref.WeakKeyDictionary[Model, Any] = weakref.WeakKeyDictionary()
_KERNEL_LOCK = threading.RLock()


def _numba_kernel(model: Model) -> Any:
    with _KERNEL_LOCK:
        fn = _KERNELS.get(model)
        if fn is None:
            fn = _codegen.load_module("dp5", model.name, _numba_source(model)).run_chunk
            _KERNELS[model] = fn
        return fn


def _run_numba(model, Y0, Q, t0, t1, rtol, atol, max_steps, bound, ts, n_threads):
    run_chunk = _numba_kernel(model)
    n, N = Y0.shape
    final = np.empty((n, N))
    samples = np.empty((n, N, ts.size))
    status = np.empty(N, dtype=np.int8)
    nsteps = np.empty(N, dtype=np.int64)
    nrej = np.empty(N, dtype=np.int64)
    threads = default_threads() if n_threads is None else n_threads
    # small chunks balance the load (threads take the next chunk when done); each
    # chunk is a few milliseconds of work, so the Python overhead per chunk is nil
    chunk = max(4 * LANES, min(512, -(-N // (8 * threads))))
    starts = range(0, N, chunk)

    def work(lo: int) -> None:
        run_chunk(
            lo,
            min(N, lo + chunk),
            Y0,
            Q,
            t0,
            t1,
            rtol,
            atol,
            max_steps,
            bound,
            ts,
            final,
            samples,
            status,
            nsteps,
            nrej,
        )

    if threads == 1 or len(starts) <= 1:
        for lo in starts:
            work(lo)
    else:
        with ThreadPoolExecutor(max_workers=min(threads, len(starts))) as pool:
            for _ in pool.map(work, starts):
                pass
    return final, samples, status, nsteps, nrej


def default_threads() -> int:
    """Threads used by the numba backend by default: ``$NUMBA_NUM_THREADS`` when set,
    else the number of CPUs this process may run on."""
    import os

    env = os.environ.get("NUMBA_NUM_THREADS")
    if env and env.isdigit() and int(env) > 0:
        return int(env)
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


# ---------------------------------------------------------------------------------------
# numpy backend: the same step, vectorised over the running trajectories


def _run_numpy(model, Y0, Q, t0, t1, rtol, atol, max_steps, bound, ts):
    fn = _codegen.vector_rhs(model)
    n, N = Y0.shape
    at = atol[:, None]

    def f(y, q):
        out = np.empty_like(y)
        for i, v in enumerate(fn(list(y), list(q))):
            out[i] = v
        return out

    def rms(v):
        return np.sqrt(np.sum(v * v, axis=0) / n)

    y = Y0.copy()
    qT = np.ascontiguousarray(Q.T)
    final = np.empty((n, N))
    samples = np.full((n, N, ts.size), np.nan)
    status = np.zeros(N, dtype=np.int8)
    nsteps = np.zeros(N, dtype=np.int64)
    nrej = np.zeros(N, dtype=np.int64)
    isamp = np.zeros(N, dtype=np.int64)
    first = np.searchsorted(ts, t0, side="right")
    samples[:, :, :first] = y[:, :, None]
    isamp[:] = first

    with np.errstate(all="ignore"):
        f0 = f(y, qT)
        bad = ~(np.all(np.abs(y) <= bound, axis=0) & np.all(np.abs(f0) < np.inf, axis=0))
        status[bad] = DIVERGED
        # select_initial_step, per trajectory
        s = at + np.abs(y) * rtol
        d0, d1 = rms(y / s), rms(f0 / s)
        h0 = np.where((d0 < 1e-5) | (d1 < 1e-5), 1e-6, 0.01 * d0 / d1)
        interval = t1 - t0
        h0 = np.minimum(h0, interval)
        f1 = f(y + h0 * f0, qT)
        d2 = rms((f1 - f0) / s) / h0
        h1 = np.where(
            (d1 <= 1e-15) & (d2 <= 1e-15),
            np.maximum(1e-6, h0 * 1e-3),
            _libm_pow(0.01 / np.maximum(d1, d2), 0.2),
        )
        h_abs = np.minimum(np.minimum(100.0 * h0, h1), interval)
        t = np.full(N, float(t0))
        k1 = f0
        rejected = np.zeros(N, dtype=bool)
        running = ~bad
        while True:
            idx = np.flatnonzero(running)
            if idx.size == 0:
                break
            ti, ha, rej = t[idx], h_abs[idx], rejected[idx]
            min_step = 10.0 * (np.nextafter(ti, np.inf) - ti)
            ha = np.where(~rej & (ha < min_step), min_step, ha)
            fail_max = (nsteps[idx] + nrej[idx]) >= max_steps
            fail_small = ~fail_max & (ha < min_step)
            failed = fail_max | fail_small
            status[idx[fail_max]] = MAX_STEPS
            status[idx[fail_small]] = STEP_TOO_SMALL
            running[idx[failed]] = False
            go = ~failed
            idx, ti, ha, rej = idx[go], ti[go], ha[go], rej[go]
            if idx.size == 0:
                continue
            t_new = np.minimum(ti + ha, t1)
            h = t_new - ti
            yi, qi = y[:, idx], qT[:, idx]
            K = [k1[:, idx]]
            for st in range(1, 6):
                dy = sum(a * K[r] for r, a in enumerate(_A[st])) * h
                K.append(f(yi + dy, qi))
            yn = yi + h * sum(b * K[r] for r, b in enumerate(_B) if b != 0.0)
            K.append(f(yn, qi))
            err = sum(e * K[r] for r, e in enumerate(_E) if e != 0.0) * h
            sc = at + np.maximum(np.abs(yi), np.abs(yn)) * rtol
            en = rms(err / sc)
            acc = en < 1.0
            power = _SAFETY * _libm_pow(en, _EXPONENT)
            grow = np.where(en == 0.0, _MAX_FACTOR, np.minimum(_MAX_FACTOR, power))
            grow = np.where(rej & (grow > 1.0), 1.0, grow)
            shrink = power
            shrink = np.where(shrink > _MIN_FACTOR, shrink, _MIN_FACTOR)
            h_abs[idx] = np.where(acc, h * grow, h * shrink)
            rejected[idx] = ~acc
            nrej[idx[~acc]] += 1
            a_idx = idx[acc]
            if a_idx.size == 0:
                continue
            nsteps[a_idx] += 1
            ha_, ta, ya, yna = h[acc], ti[acc], yi[:, acc], yn[:, acc]
            Ka = [k[:, acc] for k in K]
            if ts.size:
                _dense(samples, isamp, ts, a_idx, ta, t_new[acc], ha_, ya, Ka)
            t[a_idx] = t_new[acc]
            y[:, a_idx] = yna
            k1[:, a_idx] = Ka[6]
            div = ~np.all(np.abs(yna) <= bound, axis=0)
            status[a_idx[div]] = DIVERGED
            done = div | (t_new[acc] >= t1)
            running[a_idx[done]] = False
    final[:] = y
    return final, samples, status, nsteps, nrej


_POW = np.frompyfunc(math.pow, 2, 1)


def _libm_pow(x: np.ndarray, e: float) -> np.ndarray:
    """``x ** e`` elementwise through the C library's ``pow``, as numba (and scipy, which
    works on scalars) compute it; numpy's SIMD ``power`` can differ in the last bit,
    which would keep the two backends from agreeing bit for bit."""
    x = np.asarray(x, dtype=float)
    safe = np.isfinite(x) & (x > 0)
    out = np.full(x.shape, np.nan)
    out[safe] = _POW(x[safe], e).astype(float)
    out[x == 0] = math.inf if e < 0 else 0.0
    out[x == math.inf] = 0.0 if e < 0 else math.inf
    return out


def _dense(samples, isamp, ts, idx, t_old, t_new, h, y_old, K):
    """Fill the samples in (t_old, t_new] of the accepted trajectories ``idx``."""
    stop = np.searchsorted(ts, t_new, side="right")
    todo = stop > isamp[idx]
    if not np.any(todo):
        return
    idx, t_old, t_new, h, stop = idx[todo], t_old[todo], t_new[todo], h[todo], stop[todo]
    y_old = y_old[:, todo]
    K = [k[:, todo] for k in K]
    Qc = [sum(_P[r][c] * K[r] for r in range(7) if _P[r][c] != 0.0) for c in range(4)]
    cur = isamp[idx].copy()
    while True:
        live = cur < stop
        if not np.any(live):
            break
        li = np.flatnonzero(live)
        x = (ts[cur[li]] - t_old[li]) / h[li]
        val = y_old[:, li] + h[li] * x * (
            Qc[0][:, li] + x * (Qc[1][:, li] + x * (Qc[2][:, li] + x * Qc[3][:, li]))
        )
        samples[:, idx[li], cur[li]] = val
        cur[li] += 1
    isamp[idx] = cur


# ---------------------------------------------------------------------------------------
# argument handling


def _batch_size(model: Model, x0: np.ndarray, params: Any, inputs: Any) -> int | None:
    sizes = {}
    if x0.ndim == 2:
        sizes["x0"] = x0.shape[1]
    if isinstance(params, Mapping) and not isinstance(params, ParameterSet):
        for k, v in params.items():
            if np.ndim(v) == 1:
                sizes[f"params[{k!r}]"] = len(v)
    if isinstance(inputs, Mapping):
        for k, v in inputs.items():
            if np.ndim(v) == 1:
                sizes[f"inputs[{k!r}]"] = len(v)
    elif inputs is not None and np.ndim(inputs) == 1:
        sizes["inputs"] = len(inputs)
    if len(set(sizes.values())) > 1:
        shown = ", ".join(f"{k}: {v}" for k, v in sizes.items())
        raise InvalidInputError(
            f"batch sizes disagree ({shown}); give every batch the same length N"
        )
    return next(iter(sizes.values()), None)


def _parameter_batch(
    model: Model, params: Any, N: int
) -> tuple[np.ndarray, ParameterSet | Mapping[str, np.ndarray]]:
    """(N, n_parameters) values, validated elementwise, and what the result records."""
    if params is None or isinstance(params, ParameterSet):
        pset = model.parameter_set(params)
        return np.broadcast_to(pset.as_array(), (N, len(pset))), pset
    if not isinstance(params, Mapping):
        raise InvalidTypeError(
            f"params must be a ParameterSet, a mapping name -> value or array, or None "
            f"(got {type(params).__name__})"
        )
    scalars = {k: v for k, v in params.items() if np.ndim(v) == 0}
    arrays = {k: v for k, v in params.items() if np.ndim(v) != 0}
    for k in arrays:
        model.parameter(k)  # unknown names: ParameterError with the valid names
    base = model.params(scalars)
    if not arrays:
        return np.broadcast_to(base.as_array(), (N, len(base))), base
    values = np.repeat(base.as_array()[None, :], N, axis=0)
    for k, v in arrays.items():
        spec = model.parameter(k)
        if np.ndim(v) != 1:
            raise ParameterError(
                f"params[{k!r}] has shape {np.shape(v)}; expected a number or a 1-D array "
                f"of length N = {N}"
            )
        try:
            arr = np.asarray(v, dtype=float)
        except (TypeError, ValueError):
            raise ParameterError(
                f"params[{k!r}] is not an array of real numbers; expected "
                f"{spec.interval_text()} elementwise"
            ) from None
        lo, hi = spec.bounds
        with np.errstate(invalid="ignore"):
            bad = ~np.isfinite(arr) | (arr < lo) | (arr > hi)
            if not spec.lower_inclusive:
                bad |= arr == lo
        if np.any(bad):
            first = int(np.argmax(bad))
            try:
                spec.check(float(arr[first]))
            except ParameterError as err:
                raise ParameterError(f"params[{k!r}][{first}]: {err}") from None
        values[:, model._param_index[k]] = arr
    record = {name: _readonly(values[:, i].copy()) for i, name in enumerate(model.parameter_names)}
    return values, MappingProxyType(record)


def _input_batch(model: Model, inputs: Any, N: int) -> tuple[np.ndarray, Mapping[str, Any]]:
    if not model.inputs:
        if inputs is not None and not (isinstance(inputs, Mapping) and not inputs):
            raise InvalidInputError(f"model {model.name!r} has no inputs (got inputs={inputs!r})")
        return np.empty((N, 0)), MappingProxyType({})
    vec = model._input_vector(inputs)
    cols, record = [], {}
    for u, v in zip(model.inputs, vec):
        if np.ndim(v) > 1 or (np.ndim(v) == 1 and len(v) != N):
            raise InvalidInputError(
                f"input {u.name!r} has shape {np.shape(v)}; expected a number or an array of "
                f"length N = {N} (inputs are constant along each trajectory)"
            )
        cols.append(np.broadcast_to(np.asarray(v, dtype=float), (N,)))
        record[u.name] = float(v) if np.ndim(v) == 0 else _readonly(np.array(v, dtype=float))
    return np.stack(cols, axis=1), MappingProxyType(record)


def _readonly(a: np.ndarray) -> np.ndarray:
    a.setflags(write=False)
    return a


def _positive(name: str, v: Any) -> float:
    if isinstance(v, bool) or not isinstance(v, numbers.Real) or not (math.isfinite(v) and v > 0):
        raise InvalidInputError(f"{name} = {v!r} must be a positive finite number")
    return float(v)


def default_divergence_bound(model: Model) -> float:
    """1e6 times the largest absolute end of the model's domain box (at least 1e6)."""
    box = np.asarray(model.domain, dtype=float)
    return 1e6 * max(1.0, float(np.max(np.abs(box))))


# ---------------------------------------------------------------------------------------
# public entry point


def ensemble(
    model: Model,
    params: ParameterSet | Mapping[str, Any] | None,
    x0: Any,
    t: tuple[float, float],
    *,
    rtol: float = 1e-6,
    atol: float | Any = 1e-9,
    inputs: Mapping[str, Any] | float | None = None,
    t_samples: Any = None,
    max_steps: int = 100_000,
    divergence_bound: float | None = None,
    backend: str = "auto",
    n_threads: int | None = None,
) -> EnsembleResult:
    """Integrate many trajectories of ``model`` at once (compiled Dormand–Prince 5(4)).

    Parameters
    ----------
    model : Model
        The model.
    params : ParameterSet, mapping or None
        One parameter set for all trajectories (a `ParameterSet`, a mapping of numbers,
        or None for the defaults), or a batch: a mapping in which some values are 1-D
        arrays of length ``N`` (one value per trajectory; the other parameters take the
        given number or their default). Arrays are validated elementwise; the error
        names the parameter, the first bad index and its value.
    x0 : array_like, shape (n_states, N) or (n_states,)
        Initial states, one column per trajectory; a single state is used for every
        trajectory of a parameter or input batch.
    t : (float, float)
        Start and end time, ``t0 < t1``.
    rtol, atol : float
        Tolerances, as in `scipy.integrate.solve_ivp` (``atol`` may also be an array of
        length ``n_states``); ``rtol`` in [2.2e-14, 0.1] and ``atol`` in (0, 1], else
        `ToleranceError`.
    inputs : mapping or float, optional
        Constant inputs (e.g. ``{"stress": 0.3}``); each value a number or an array of
        length ``N``. Defaults when omitted.
    t_samples : array_like, optional
        Sorted times in ``[t0, t1]`` at which to record every trajectory (dense output,
        like ``solve_ivp``'s ``t_eval``).
    max_steps : int
        Attempted steps (accepted plus rejected) allowed per trajectory; a trajectory
        that needs more (a very long span, or a stiff problem, which this explicit
        method cannot integrate efficiently) stops with status 'max steps'. The
        budget of a call is therefore ``N * max_steps`` steps, and its memory at most
        `MAX_SAMPLE_BYTES` for ``samples``.
    divergence_bound : float, optional
        A trajectory with ``|x_i| > divergence_bound`` (or a non-finite state) stops with
        status 'diverged'. Default: 1e6 times the largest absolute end of the model's
        domain box (at least 1e6).
    backend : {'auto', 'numba', 'numpy'}
        'auto' is 'numba' when numba is installed.
    n_threads : int, optional
        Threads for the numba backend (default: ``$NUMBA_NUM_THREADS`` if set, else
        every CPU available to the process).

    Returns
    -------
    EnsembleResult
        Never raises for a failing trajectory: see ``status`` and ``message``.

    Raises
    ------
    ParameterError
        A parameter value out of bounds (for a batch: the first bad index).
    ValueError
        Shapes that do not fit the model, bad tolerances or times.
    ImportError
        ``backend='numba'`` without numba installed.
    BudgetExceededError
        When the work would exceed its budget (time or size).
    InvalidInputError
        For an argument with an invalid value (the message says which and why).
    InvalidTypeError
        For an argument of the wrong type.

    Notes
    -----
    The step is scipy's ``RK45`` (Dormand & Prince 1980, with Shampine's dense output):
    the same tableau, the same initial step (Hairer, Nørsett & Wanner 1993, II.4), the
    same RMS error norm with ``atol + rtol * max(|y|, |y_new|)`` and the same step-size
    update (safety 0.9, factors between 0.2 and 10, no growth right after a rejection).
    Final states therefore agree with ``solve_ivp(..., method="RK45")`` to a small
    multiple of the tolerances (the tests check this); the two backends agree to about
    1e-12 (the numba code may reorder floating-point operations).

    The numba backend generates and compiles code for each model once; the compiled
    code is cached on disk (``~/.cache/dyadmodel/numba``, see
    `dyadmodel.simulate._codegen.cache_dir`), so only the first process pays the
    compile time (a few seconds). Inputs are constant along a trajectory; for
    time-varying stress use `dyadmodel.simulate`. Only forward integration
    (``t1 > t0``) is supported.

    Examples
    --------
    >>> import numpy as np, dyadmodel as dm
    >>> from dyadmodel.simulate._ensemble import ensemble
    >>> m = dm.models.get("pursuer-distancer-2d")
    >>> x0 = np.array([[0.1, 1.0], [0.1, 1.0]])       # two starts, as columns
    >>> res = ensemble(m, m.params(), x0, t=(0, 60), backend="numpy")
    >>> res.final.round(4)
    array([[0.1367, 1.4633],
           [0.1367, 1.4633]])
    >>> res.counts()["converged"]
    2
    """
    if backend not in ("auto", "numba", "numpy"):
        raise InvalidInputError(f"backend = {backend!r}; expected 'auto', 'numba' or 'numpy'")
    if backend == "auto":
        backend = "numba" if numba_available() else "numpy"
    elif backend == "numba" and not numba_available():
        raise ImportError(
            "backend='numba' needs numba: install it with `pip install numba`, or use "
            "backend='numpy' (same results, slower)"
        )
    n = model.n_states
    try:
        X0 = np.asarray(x0, dtype=float)
    except (TypeError, ValueError, OverflowError):
        raise InvalidInputError(f"x0 = {x0!r:.80} is not an array of numbers") from None
    if X0.ndim not in (1, 2) or X0.shape[0] != n:
        raise InvalidInputError(
            f"x0 has shape {X0.shape}; expected ({n}, N) or ({n},) for model {model.name!r} "
            f"(states {', '.join(model.state_names)}), one column per trajectory"
        )
    N = _batch_size(model, X0, params, inputs)
    if N is None:
        N = 1
    if X0.ndim == 1:
        X0 = np.repeat(X0[:, None], N, axis=1)
    X0 = np.ascontiguousarray(X0)
    P, precord = _parameter_batch(model, params, N)
    U, urecord = _input_batch(model, inputs, N)
    Q = np.ascontiguousarray(np.concatenate([P, U], axis=1), dtype=float)

    try:
        t0, t1 = (float(v) for v in t)
    except (TypeError, ValueError, OverflowError):
        raise InvalidInputError(f"t = {t!r:.80}; expected a pair (t0, t1) of numbers") from None
    if not (math.isfinite(t0) and math.isfinite(t1) and t1 > t0):
        raise InvalidInputError(f"t = {t!r}; expected finite t0 < t1 (only forward integration)")
    rtol, atol_checked = check_tolerances(rtol, atol, n)
    atol_arr = np.broadcast_to(np.asarray(atol_checked, dtype=float), (n,)).copy()
    atol_rec = atol_checked
    if isinstance(max_steps, bool) or not isinstance(max_steps, numbers.Integral) or max_steps < 1:
        raise InvalidInputError(f"max_steps = {max_steps!r} must be a positive integer")
    bound = (
        default_divergence_bound(model)
        if divergence_bound is None
        else _positive("divergence_bound", divergence_bound)
    )
    if t_samples is None:
        ts = np.empty(0)
    else:
        ts = np.asarray(t_samples, dtype=float).ravel()
        if ts.size and (
            np.any(np.diff(ts) < 0) or ts[0] < t0 or ts[-1] > t1 or not np.all(np.isfinite(ts))
        ):
            raise InvalidInputError(
                f"t_samples must be sorted and lie in [t0, t1] = [{t0:g}, {t1:g}]"
            )
        sample_bytes = 8.0 * n * N * ts.size
        if sample_bytes > MAX_SAMPLE_BYTES:
            raise BudgetExceededError(
                f"t_samples: {ts.size} times x {N} trajectories x {n} states need "
                f"{sample_bytes / 2**30:.3g} GiB, more than the {MAX_SAMPLE_BYTES / 2**30:g} "
                "GiB allowed (MAX_SAMPLE_BYTES); record fewer times or run fewer "
                "trajectories at once"
            )
    if n_threads is not None and (
        isinstance(n_threads, bool) or not isinstance(n_threads, numbers.Integral) or n_threads < 1
    ):
        raise InvalidInputError(f"n_threads = {n_threads!r} must be a positive integer")
    if backend == "numba":
        out = _run_numba(model, X0, Q, t0, t1, rtol, atol_arr, int(max_steps), bound, ts, n_threads)
    else:
        out = _run_numpy(model, X0, Q, t0, t1, rtol, atol_arr, int(max_steps), bound, ts)
    final, samples, status, nsteps, nrej = (_readonly(a) for a in out)
    return EnsembleResult(
        final=final,
        samples=samples if t_samples is not None else None,
        t_samples=_readonly(ts.copy()) if t_samples is not None else None,
        status=status,
        n_steps=nsteps,
        n_rejected=nrej,
        t=(t0, t1),
        rtol=rtol,
        atol=atol_rec,
        max_steps=int(max_steps),
        divergence_bound=bound,
        backend=backend,
        model_name=model.name,
        state_names=model.state_names,
        params=precord,
        inputs=urecord,
    )
