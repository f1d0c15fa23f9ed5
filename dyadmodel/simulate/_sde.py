"""Stochastic daily stress: many noisy trajectories at once, and tipping statistics.

The noise model
---------------
The seeds describe stress as something that *hits* the couple from outside ("stress hits
(say, a problem with a child)", "when stress is high"), an intensity that comes and goes
over days, not a random push on each partner's behaviour. So the noise enters where
stress already enters the models, through the input ``s(t)``:

    dz = -(z - mu) / tau dt + sigma * sqrt(2 / tau) dW,      s(t) = max(z(t), 0) + s_det(t)

``z`` is an Ornstein–Uhlenbeck process with mean ``mu`` (default 0), stationary standard
deviation ``sigma`` (the *noise level*) and correlation time ``tau`` (default 1 model time
unit: a day's stress lasts about a day); ``s`` is its positive part, because stress is an
intensity (and the flagship models keep their states non-negative only for ``s >= 0``);
``s_det`` is an optional deterministic stress (pulses, steps, ...). With ``mu = 0`` about
half of the time is calm (``s = 0``). Noise added directly to the states was rejected:
the seeds give no source for it, and it would push intensities below zero.

Why not white noise on ``s``: ``s`` enters the rates through Hill functions, so white
noise there is not a well-defined Itô equation for the states; a coloured (OU) stress is,
and it is what "daily stress" means.

Scheme: ``z`` is advanced with its exact Gaussian transition, the states with Heun's
method (trapezoid predictor–corrector) using the stress at both ends of the step. The
noise is additive in ``z`` and the states see it only through the continuous ``s``: the
scheme has strong order 1 in ``dt``.
"""

from __future__ import annotations

import dataclasses
import math
import numbers
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from dyadmodel.errors import BudgetExceededError, InvalidInputError, InvalidTypeError
from dyadmodel.model import Model, ParameterSet
from dyadmodel.simulate._checks import SpecError, check_int, check_real
from dyadmodel.simulate._forcing import Forcing
from dyadmodel.simulate._separatrix import separatrix
from dyadmodel.simulate._settle import attractors
from dyadmodel.simulate.interventions import Intervention, as_interventions
from dyadmodel.simulate.stress import Stress

MAX_WORK = 1e8
"""Default budget of `simulate_sde`: path-steps (paths times steps)."""
MAX_RECORD_BYTES = 2**31
"""Largest record (states and stress of every path at the recorded times) allowed."""

__all__ = [
    "MAX_WORK",
    "SDESimulation",
    "StressNoise",
    "TippingStatistics",
    "binomial_interval",
    "simulate_sde",
    "tipping_statistics",
]


@dataclasses.dataclass(frozen=True)
class StressNoise:
    """Daily stress as a rectified Ornstein–Uhlenbeck process (see the module docstring).

    Attributes
    ----------
    level : float
        ``sigma``, the stationary standard deviation of the underlying process ``z``
        (>= 0; 0 is no noise).
    correlation_time : float
        ``tau`` (> 0), in model time units.
    mean : float
        ``mu``, the mean of ``z`` (the stress is ``max(z, 0)``).
    start : {'stationary'} or float
        ``z(t0)``: drawn from the stationary distribution ``N(mu, sigma^2)``
        (default), or the given value for every path.

    Examples
    --------
    >>> import dyadmodel as dm
    >>> from dyadmodel.simulate import StressNoise
    >>> m = dm.models.get("pursuer-distancer-2d")
    >>> noise = StressNoise(level=0.3, correlation_time=2.0)
    >>> run = dm.simulate_sde(m, m.params(), [0.1367, 0.1367], (0, 1), noise, dt=0.1, seed=0,
    ...                       n_paths=2)
    >>> run.noise.start, run.stress.shape
    ('stationary', (2, 11))
    """

    level: float
    correlation_time: float = 1.0
    mean: float = 0.0
    start: Any = "stationary"

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "level", check_real("noise", "level", self.level, low=0, what="a std")
        )
        object.__setattr__(
            self,
            "correlation_time",
            check_real(
                "noise",
                "correlation_time",
                self.correlation_time,
                low=0,
                low_inclusive=False,
                what="a time span",
            ),
        )
        object.__setattr__(self, "mean", check_real("noise", "mean", self.mean))
        if self.start != "stationary":
            object.__setattr__(
                self,
                "start",
                check_real("noise", "start", self.start, what="'stationary' or z(t0)"),
            )


@dataclasses.dataclass(frozen=True, eq=False)
class SDESimulation:
    """Many trajectories under stochastic stress.

    Attributes
    ----------
    t : ndarray, shape (k,)
        Recorded times (every ``record_every``-th step).
    y : ndarray, shape (n_states, n_paths, k)
    stress : ndarray, shape (n_paths, k)
        The stress input each path saw.
    x0 : ndarray, shape (n_states, n_paths)
    noise : StressNoise
    dt : float
    seed : int or None
    n_paths : int
    record_every : int
    scheme : str
    model_name : str
    params : ParameterSet
    interventions : tuple of Intervention

    Examples
    --------
    >>> import dyadmodel as dm
    >>> m = dm.models.get("pursuer-distancer-2d")
    >>> run = dm.simulate_sde(m, m.params(), [0.1367, 0.1367], (0, 1), 0.3, dt=0.1, seed=0,
    ...                       n_paths=2)
    >>> run.y.shape, round(float(run.t[-1]), 12)
    ((2, 2, 11), 1.0)
    """

    t: np.ndarray
    y: np.ndarray
    stress: np.ndarray
    x0: np.ndarray
    noise: StressNoise
    dt: float
    seed: int | None
    n_paths: int
    record_every: int
    scheme: str
    model_name: str
    params: ParameterSet
    interventions: tuple[Intervention, ...] = ()

    def __repr__(self) -> str:
        return (
            f"SDESimulation({self.model_name!r}, {self.n_paths} paths, t=[{self.t[0]:g}, "
            f"{self.t[-1]:g}], dt={self.dt:g}, noise level={self.noise.level:g})"
        )


class _Stepper:
    """Advance live paths by one step (exact OU for z, Heun for the states)."""

    def __init__(
        self,
        model: Model,
        forcing: Forcing,
        noise: StressNoise,
        x: np.ndarray,
        t0: float,
        dt: float,
        rng: np.random.Generator,
        n_paths: int,
    ) -> None:
        self.model, self.forcing, self.noise = model, forcing, noise
        self.fn = model._rhs_fn
        self.dt, self.rng, self.n_paths = dt, rng, n_paths
        self.t = t0
        self.k = 0
        self.live = np.arange(n_paths)
        self.x = x.copy()
        self.u_index = _noise_input(model)
        tau, sigma = noise.correlation_time, noise.level
        self.decay = math.exp(-dt / tau)
        self.kick = sigma * math.sqrt(-math.expm1(-2 * dt / tau))
        xi0 = rng.standard_normal(n_paths)
        if noise.start == "stationary":
            self.z = noise.mean + sigma * xi0
        else:
            self.z = np.full(n_paths, float(noise.start))
        self.s = self._stress(self.t, self.z)

    def _stress(self, t: float, z: np.ndarray) -> np.ndarray:
        det = self.forcing.input_at(self.u_index, t)
        return np.maximum(z, 0.0) + det

    def _f(self, x: np.ndarray, t: float, s: np.ndarray) -> np.ndarray:
        pv = self.forcing.parameter_vector(t)
        uv: list[Any] = []
        for j in range(len(self.forcing.input_specs)):
            if j == self.u_index:
                uv.append(s)
            else:
                uv.append(self.forcing.input_at(j, t))
        vals = self.fn(*x, *pv, *uv)
        shape = x.shape[1:]
        return np.stack([np.broadcast_to(np.asarray(v, dtype=float), shape) for v in vals])

    def step(self) -> None:
        dt = self.dt
        xi = self.rng.standard_normal(self.n_paths)[self.live]  # same numbers for every level
        mu = self.noise.mean
        z_new = mu + (self.z - mu) * self.decay + self.kick * xi
        t_new = self.t + dt
        s_new = self._stress(t_new, z_new)
        f0 = self._f(self.x, self.t, self.s)
        pred = self.x + dt * f0
        f1 = self._f(pred, t_new, s_new)
        self.x = self.x + 0.5 * dt * (f0 + f1)
        self.z, self.s, self.t = z_new, s_new, t_new
        self.k += 1

    def keep(self, mask: np.ndarray) -> None:
        self.live = self.live[mask]
        self.x, self.z, self.s = self.x[:, mask], self.z[mask], self.s[mask]


def _noise_input(model: Model) -> int:
    if not model.inputs:
        raise InvalidInputError(
            f"model {model.name!r} has no input, so stochastic stress cannot enter it"
        )
    names = model.input_names
    return names.index("stress") if "stress" in names else 0


def _as_noise(noise: Any) -> StressNoise:
    if isinstance(noise, StressNoise):
        return noise
    if isinstance(noise, numbers.Real) and not isinstance(noise, bool):
        return StressNoise(float(noise))
    raise InvalidTypeError(
        f"noise must be a StressNoise or a noise level (number), not {type(noise).__name__}"
    )


def _paths_x0(model: Model, x0: Any, n_paths: int) -> np.ndarray:
    arr = np.array(x0, dtype=float)
    n = model.n_states
    if arr.shape == (n,):
        arr = np.repeat(arr[:, None], n_paths, axis=1)
    if arr.shape != (n, n_paths):
        raise InvalidInputError(
            f"x0 must have shape ({n},) or ({n}, n_paths={n_paths}) for model {model.name!r}; "
            f"got {arr.shape}"
        )
    if not np.all(np.isfinite(arr)):
        raise InvalidInputError("x0 is not finite")
    return arr


def _grid(t: Any, dt: Any) -> tuple[float, int, float]:
    try:
        t0, t1 = (float(v) for v in t)
    except (TypeError, ValueError):
        raise InvalidInputError(f"t = {t!r} must be a pair (t0, t1) of numbers") from None
    if not (math.isfinite(t0) and math.isfinite(t1) and t1 > t0):
        raise InvalidInputError(f"t = {t!r} must be finite with t1 > t0")
    dt = check_real("simulate_sde", "dt", dt, low=0, low_inclusive=False, what="a time step")
    ratio = (t1 - t0) / dt
    if not ratio <= MAX_WORK:
        raise BudgetExceededError(
            f"simulate_sde: t = {t!r:.60} with dt = {dt:g} is {ratio:.3g} steps, more than "
            f"the budget of {MAX_WORK:.3g}; use a larger dt or a shorter span"
        )
    n_steps = max(1, round(ratio))
    return t0, n_steps, (t1 - t0) / n_steps


def simulate_sde(
    model: Model,
    params: ParameterSet | Mapping[str, Any] | None,
    x0: Any,
    t: tuple[float, float],
    noise: StressNoise | float,
    *,
    dt: float = 0.01,
    seed: int | None = None,
    n_paths: int = 1,
    stress: Stress | float | None = None,
    interventions: Intervention | Sequence[Intervention] = (),
    record_every: int | None = None,
    max_work: float = MAX_WORK,
) -> SDESimulation:
    """Simulate ``n_paths`` trajectories under stochastic daily stress, all at once.

    Parameters
    ----------
    model : Model
        A model with a stress input (the noise enters the input named ``stress``, or
        the first input).
    params : ParameterSet or mapping or None
        Parameter values; the model's defaults when omitted.
    x0 : array_like, shape (n_states,) or (n_states, n_paths)
        The initial state, shape ``(n_states,)``.
    t : (float, float)
        The time span ``(t0, t1)``.
    noise : StressNoise or float
        The stochastic stress (a number is the noise level with the defaults of
        `StressNoise`: correlation time 1, mean 0, stationary start).
    dt : float
        Time step (adjusted so that a whole number of steps fills ``t``).
    seed : int, optional
        Seed of the `numpy.random.Generator` (PCG64). The same seed, ``n_paths`` and
        ``dt`` give identical arrays.
    n_paths : int
        Number of independent paths, simulated together.
    stress : Stress or float, optional
        Deterministic stress added to the noise (sampled at the step times).
    interventions : Intervention or sequence
        Parameter schedules (sampled at the step times).
    record_every : int, optional
        Record every this many steps (default: at most about 2000 records).
    max_work : float
        Budget of path-steps, ``n_paths`` times the number of steps (default
        `MAX_WORK`, 1e8, about a minute); more raise `BudgetExceededError` before
        anything runs, as do records that would need more than 2 GiB.

    Returns
    -------
    SDESimulation
        The result; see `SDESimulation` for its fields.

    Raises
    ------
    BudgetExceededError
        When the work would exceed its budget (time or size).
    InvalidInputError
        For an argument with an invalid value (the message says which and why).
    InvalidTypeError
        For an argument of the wrong type.

    Notes
    -----
    The noise model and the scheme are described in the module docstring
    (`dyadmodel.simulate._sde`). Deterministic stress and interventions are sampled at
    the step times, not integrated piecewise: keep ``dt`` well below the shortest pulse.
    Path ``k``'s random numbers depend on ``n_paths`` (one draw of ``n_paths`` normals
    per step).

    Examples
    --------
    >>> import dyadmodel as dm
    >>> from dyadmodel.simulate import simulate_sde
    >>> m = dm.models.get("pursuer-distancer-2d")
    >>> a = simulate_sde(m, m.params(), [0.1367, 0.1367], (0, 5), 0.2, dt=0.05, seed=1,
    ...                  n_paths=3)
    >>> b = simulate_sde(m, m.params(), [0.1367, 0.1367], (0, 5), 0.2, dt=0.05, seed=1,
    ...                  n_paths=3)
    >>> a.y.shape, bool((a.y == b.y).all())
    ((2, 3, 101), True)
    """
    pset = model.parameter_set(params)
    nz = _as_noise(noise)
    n_paths = check_int("simulate_sde", "n_paths", n_paths)
    t0, n_steps, dt = _grid(t, dt)
    every = (
        max(1, n_steps // 2000)
        if record_every is None
        else check_int("simulate_sde", "record_every", record_every)
    )
    x = _paths_x0(model, x0, n_paths)
    work = float(n_steps) * n_paths
    if work > max_work:
        raise BudgetExceededError(
            f"simulate_sde: {n_steps:.3g} steps x {n_paths} paths = {work:.3g} path-steps, "
            f"more than max_work = {max_work:.3g}; use a larger dt, a shorter span or "
            "fewer paths, or raise max_work"
        )
    stored = 8.0 * (n_steps // every + 2) * n_paths * (model.n_states + 1)
    if stored > MAX_RECORD_BYTES:
        raise BudgetExceededError(
            f"simulate_sde: recording every {every} steps needs {stored / 2**30:.3g} GiB, "
            f"more than {MAX_RECORD_BYTES / 2**30:g} GiB; raise record_every"
        )
    forcing = Forcing(model, pset, stress, as_interventions(interventions))
    forcing.check_inputs(t0, t0 + n_steps * dt)
    rng = np.random.default_rng(seed)
    st = _Stepper(model, forcing, nz, x, t0, dt, rng, n_paths)
    times, ys, ss = [st.t], [st.x.copy()], [st.s.copy()]
    with np.errstate(over="ignore", invalid="ignore"):
        for k in range(1, n_steps + 1):
            st.step()
            if k % every == 0 or k == n_steps:
                times.append(st.t)
                ys.append(st.x.copy())
                ss.append(st.s.copy())
    y = np.stack(ys, axis=-1)
    s = np.stack(ss, axis=-1)
    for a in (y, s):
        a.setflags(write=False)
    x.setflags(write=False)
    tt = np.array(times)
    tt.setflags(write=False)
    return SDESimulation(
        t=tt,
        y=y,
        stress=s,
        x0=x,
        noise=nz,
        dt=dt,
        seed=seed,
        n_paths=n_paths,
        record_every=every,
        scheme="exact OU transition for z; Heun (trapezoid) for the states",
        model_name=model.name,
        params=pset,
        interventions=forcing.interventions,
    )


# -- tipping statistics -------------------------------------------------------------------
def binomial_interval(
    k: Any, n: int, confidence: float = 0.95, method: str = "wilson"
) -> tuple[Any, Any]:
    """Confidence interval for a probability from ``k`` successes in ``n`` trials.

    Parameters
    ----------
    k : int or array of int
        Successes (0 to ``n``).
    n : int
        Trials (positive).
    confidence : float
        In (0, 1).
    method : {'wilson', 'clopper-pearson'}
        Wilson's score interval (coverage close to nominal on average) or the exact
        Clopper–Pearson interval (coverage at least nominal for every probability,
        wider).

    Returns
    -------
    lo, hi : float or numpy.ndarray
        The interval's ends, of the shape of ``k``.

    Raises
    ------
    SpecError
        (an `InvalidInputError`) for a field with an invalid value.

    Examples
    --------
    >>> lo, hi = binomial_interval(0, 100)
    >>> float(lo), round(float(hi), 4)
    (0.0, 0.037)
    >>> lo, hi = binomial_interval(0, 100, method="clopper-pearson")
    >>> round(float(hi), 4)
    0.0362
    """
    n = check_int("binomial_interval", "n", n)
    conf = check_real(
        "binomial_interval", "confidence", confidence, low=0, high=1, low_inclusive=False
    )
    if conf >= 1:
        raise SpecError("binomial_interval", "confidence", confidence, "a level below 1")
    kk = np.asarray(k, dtype=float)
    if np.any(kk < 0) or np.any(kk > n) or np.any(kk != np.round(kk)):
        raise SpecError("binomial_interval", "k", k, f"integers between 0 and n = {n}")
    alpha = 1 - conf
    from scipy import stats  # scipy.stats costs ~0.5 s at import: used here only

    if method == "wilson":
        z = stats.norm.ppf(1 - alpha / 2)
        p = kk / n
        denom = 1 + z**2 / n
        centre = (p + z**2 / (2 * n)) / denom
        half = z / denom * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2))
        lo, hi = np.clip(centre - half, 0, 1), np.clip(centre + half, 0, 1)
        lo = np.where(kk == 0, 0.0, lo)
        hi = np.where(kk == n, 1.0, hi)
    elif method == "clopper-pearson":
        with np.errstate(invalid="ignore"):
            lo = np.where(kk == 0, 0.0, stats.beta.ppf(alpha / 2, kk, n - kk + 1))
            hi = np.where(kk == n, 1.0, stats.beta.ppf(1 - alpha / 2, kk + 1, n - kk))
    else:
        raise SpecError("binomial_interval", "method", method, "'wilson' or 'clopper-pearson'")
    if kk.ndim == 0:
        return float(lo), float(hi)
    return np.asarray(lo, dtype=float), np.asarray(hi, dtype=float)


@dataclasses.dataclass(frozen=True, eq=False)
class TippingStatistics:
    """Probability of tipping into the entrenched basin within a horizon, per noise level.

    Attributes
    ----------
    noise_levels : ndarray, shape (L,)
    n_paths : int
    n_tipped : ndarray of int, shape (L,)
    probability : ndarray, shape (L,)
        ``n_tipped / n_paths``.
    ci_low, ci_high : ndarray, shape (L,)
        Confidence interval of the probability (``interval`` method, ``confidence``).
    mean_first_passage : ndarray, shape (L,)
        Mean time to enter the entrenched basin among the paths that did within the
        horizon (NaN when none did). Conditional on tipping within the horizon, so it
        underestimates the unconditional mean when some paths have not tipped.
    first_passage_se : ndarray, shape (L,)
        Standard error of that mean (NaN with fewer than two tipped paths).
    first_passage_times : tuple of ndarray
        The passage times of the tipped paths, per level.
    horizon : float
    confidence : float
    interval : str
    basin_method : str
        'separatrix' (side of the traced threshold, checked every step) or 'settle'
        (deterministic continuation, checked every ``check_interval``).
    x0 : ndarray
    target : str
        Label prefix of the basin counted as tipping ('entrenched').
    noise : StressNoise
        The noise settings (``level`` replaced by each of ``noise_levels``).
    dt : float
    seed : int or None
    model_name : str
    params : ParameterSet

    Examples
    --------
    >>> import dyadmodel as dm
    >>> m = dm.models.get("pursuer-distancer-2d")
    >>> p = m.params(anxiety_gain_1=2.0, avoidance_gain_2=2.0)
    >>> ts = dm.tipping_statistics(m, p, [0.0, 0.5], horizon=20.0, n_paths=20, seed=1,
    ...                            dt=0.05)
    >>> ts.probability.tolist()
    [0.0, 1.0]
    """

    noise_levels: np.ndarray
    n_paths: int
    n_tipped: np.ndarray
    probability: np.ndarray
    ci_low: np.ndarray
    ci_high: np.ndarray
    mean_first_passage: np.ndarray
    first_passage_se: np.ndarray
    first_passage_times: tuple[np.ndarray, ...]
    horizon: float
    confidence: float
    interval: str
    basin_method: str
    x0: np.ndarray
    target: str
    noise: StressNoise
    dt: float
    seed: int | None
    model_name: str
    params: ParameterSet

    def table(self) -> str:
        """A plain-text table, one row per noise level.

        Returns
        -------
        str
            A header and one line per noise level: paths tipped, ``P(tip)``, its confidence
            interval and the mean first-passage time.

        Examples
        --------
        >>> import dyadmodel as dm
        >>> m = dm.models.get("pursuer-distancer-2d")
        >>> p = m.params(anxiety_gain_1=2.0, avoidance_gain_2=2.0)
        >>> ts = dm.tipping_statistics(m, p, [0.0, 0.5], horizon=20.0, n_paths=20, seed=1,
        ...                            dt=0.05)
        >>> print(ts.table())
           noise   tipped   P(tip)   CI low  CI high  mean FPT
               0        0   0.0000   0.0000   0.1611         -
             0.5       20   1.0000   0.8389   1.0000     4.157
        """
        head = (
            f"{'noise':>8} {'tipped':>8} {'P(tip)':>8} {'CI low':>8} {'CI high':>8} {'mean FPT':>9}"
        )
        rows = [head]
        for j, lvl in enumerate(self.noise_levels):
            fpt = self.mean_first_passage[j]
            rows.append(
                f"{lvl:8.4g} {int(self.n_tipped[j]):>8d} {self.probability[j]:8.4f} "
                f"{self.ci_low[j]:8.4f} {self.ci_high[j]:8.4f} "
                f"{'-' if math.isnan(fpt) else f'{fpt:.4g}':>9}"
            )
        return "\n".join(rows)

    def __repr__(self) -> str:
        return (
            f"TippingStatistics({self.model_name!r}, horizon={self.horizon:g}, "
            f"{self.n_paths} paths per level, {int(self.confidence * 100)}% {self.interval} "
            f"intervals)\n{self.table()}"
        )


def tipping_statistics(
    model: Model,
    params: ParameterSet | Mapping[str, Any] | None,
    noise_levels: Sequence[float],
    horizon: float,
    n_paths: int,
    seed: int | None,
    *,
    x0: Any = None,
    correlation_time: float = 1.0,
    mean: float = 0.0,
    dt: float = 0.01,
    confidence: float = 0.95,
    interval: str = "wilson",
    target: str = "entrenched",
    basin_method: str = "auto",
    check_interval: float = 1.0,
) -> TippingStatistics:
    """Probability of entering the entrenched basin within ``horizon``, and the mean
    first-passage time, as functions of the daily-stress noise level.

    Parameters
    ----------
    model : Model
        The model.
    params : ParameterSet or mapping or None
        Parameter values; the model's defaults when omitted.
    noise_levels : sequence of float
        Noise levels ``sigma`` (see `StressNoise`), each >= 0.
    horizon : float
        Time allowed for tipping, from t = 0.
    n_paths : int
        Paths per level; the confidence intervals narrow as ``1/sqrt(n_paths)``.
    seed : int or None
        The same seed is used at every level (common random numbers: every level sees
        the same standardised noise, scaled by its level), so differences between
        levels are not sampling noise.
    x0 : array_like, optional
        Start of every path; default: the stable equilibrium labelled 'balanced' at
        zero stress.
    correlation_time, mean : float
        Of the OU stress (see `StressNoise`); every path starts from ``z = mean``, i.e.
        calm (``start`` of `StressNoise`), so a path's stress builds up after t = 0.
    dt : float
        Time step of the Euler–Maruyama scheme.
    confidence : float
        Level of the confidence intervals, in (0, 1).
    interval : {'wilson', 'clopper-pearson'}
        See `binomial_interval`.
    target : str
        Label prefix of the stable equilibrium whose basin counts as tipping.
    basin_method : {'auto', 'separatrix', 'settle'}
        How basin membership is decided (for the *unstressed* couple: the basin is the
        set of states from which the couple would settle on the entrenched state if the
        stress stopped). 'separatrix': the side of the saddle's stable manifold,
        checked every step, passage time interpolated within the step (planar
        bistable models only). 'settle': every ``check_interval`` time units, the live
        paths' states are continued deterministically (without stress) until they
        reach a stable equilibrium (`Attractors`); passage times then have resolution
        ``check_interval``, and a path that enters the basin and leaves it again
        between two checks is not counted. 'auto': 'separatrix' for planar models,
        else 'settle'.
    check_interval : float
        For 'settle'.

    Returns
    -------
    TippingStatistics
        The result; see `TippingStatistics` for its fields.

    Raises
    ------
    BudgetExceededError
        When the work would exceed its budget (time or size).
    InvalidInputError
        For an argument with an invalid value (the message says which and why).
    SpecError
        (an `InvalidInputError`) for a field with an invalid value.

    Notes
    -----
    With noise level 0 the stress is 0 and every path follows the deterministic flow,
    which never leaves the balanced basin: the probability is then exactly 0 (a test
    checks it). Paths that tip stop being integrated.

    Examples
    --------
    >>> import dyadmodel as dm
    >>> from dyadmodel.simulate import tipping_statistics
    >>> m = dm.models.get("pursuer-distancer-2d")
    >>> ts = tipping_statistics(m, m.params(), [0.0, 0.5], horizon=20, n_paths=40,
    ...                         seed=3, dt=0.05)
    >>> ts.n_tipped.tolist()[0], float(ts.ci_low[0]), bool(ts.n_tipped[1] > 0)
    (0, 0.0, True)
    """
    pset = model.parameter_set(params)
    levels = np.array(
        [
            check_real("tipping_statistics", f"noise_levels[{k}]", v, low=0)
            for k, v in enumerate(noise_levels)
        ],
        dtype=float,
    )
    if levels.size == 0:
        raise SpecError("tipping_statistics", "noise_levels", noise_levels, "at least one level")
    horizon = check_real(
        "tipping_statistics", "horizon", horizon, low=0, low_inclusive=False, what="a time span"
    )
    n_paths = check_int("tipping_statistics", "n_paths", n_paths)
    check_real("tipping_statistics", "dt", dt, low=0, low_inclusive=False)
    if basin_method not in ("auto", "separatrix", "settle"):
        raise SpecError(
            "tipping_statistics", "basin_method", basin_method, "'auto', 'separatrix' or 'settle'"
        )
    method = basin_method
    if method == "auto":
        method = "separatrix" if model.n_states == 2 else "settle"
    zero = dict.fromkeys(model.input_names, 0.0)
    att = attractors(model, pset, zero)
    target_index = att.index(target)
    if x0 is None:
        start = att.states[att.index("balanced")]
    else:
        start = np.array(x0, dtype=float)
        if start.shape != (model.n_states,) or not np.all(np.isfinite(start)):
            raise InvalidInputError(f"x0 must be {model.n_states} finite numbers; got {x0!r}")

    side = None
    if method == "separatrix":
        sep = separatrix(model, pset, zero)
        if not sep.positive.label.startswith(target):
            raise InvalidInputError(
                f"the separatrix's far side is {sep.positive.label!r}, not {target!r}"
            )
        box = np.asarray(model.domain, dtype=float)
        side = sep.side_function(box)
        if float(sep.signed_distance(start)) >= 0:
            raise InvalidInputError(f"x0 = {start.tolist()} is already in the {target} basin")
    else:
        check_interval = check_real(
            "tipping_statistics", "check_interval", check_interval, low=0, low_inclusive=False
        )
        if int(att.classify(start[:, None])[0]) == target_index:
            raise InvalidInputError(f"x0 = {start.tolist()} is already in the {target} basin")

    t0, n_steps, step = _grid((0.0, horizon), dt)
    check_every = max(1, round(check_interval / step)) if method == "settle" else 1
    forcing = Forcing(model, pset, None, ())
    counts, fpts = [], []
    for level in levels:
        noise = StressNoise(float(level), correlation_time, mean, start=mean)
        rng = np.random.default_rng(seed)
        st = _Stepper(
            model,
            forcing,
            noise,
            np.repeat(start[:, None], n_paths, axis=1),
            t0,
            step,
            rng,
            n_paths,
        )
        passage = []
        prev = side(st.x) if side is not None else None
        with np.errstate(over="ignore", invalid="ignore"):
            for k in range(1, n_steps + 1):
                if st.live.size == 0:
                    break
                st.step()
                if side is not None:
                    cur = side(st.x)
                    hit = cur > 0
                    if hit.any():
                        frac = prev[hit] / (prev[hit] - cur[hit])
                        passage.extend((st.t - step + step * frac).tolist())
                        st.keep(~hit)
                        cur = cur[~hit]
                    prev = cur
                elif k % check_every == 0 or k == n_steps:
                    lab = att.classify(st.x)
                    hit = lab == target_index
                    if hit.any():
                        passage.extend([st.t] * int(hit.sum()))
                        st.keep(~hit)
        counts.append(len(passage))
        fpts.append(np.sort(np.array(passage, dtype=float)))
    n_tipped = np.array(counts, dtype=int)
    lo, hi = binomial_interval(n_tipped, n_paths, confidence, interval)
    means = np.array([f.mean() if f.size else np.nan for f in fpts])
    se = np.array([f.std(ddof=1) / math.sqrt(f.size) if f.size > 1 else np.nan for f in fpts])
    for a in (levels, n_tipped, lo, hi, means, se, *fpts):
        a.setflags(write=False)
    return TippingStatistics(
        noise_levels=levels,
        n_paths=n_paths,
        n_tipped=n_tipped,
        probability=n_tipped / n_paths,
        ci_low=lo,
        ci_high=hi,
        mean_first_passage=means,
        first_passage_se=se,
        first_passage_times=tuple(fpts),
        horizon=horizon,
        confidence=confidence,
        interval=interval,
        basin_method=method,
        x0=start,
        target=target,
        noise=StressNoise(float(levels[0]), correlation_time, mean, start=mean),
        dt=step,
        seed=seed,
        model_name=model.name,
        params=pset,
    )
