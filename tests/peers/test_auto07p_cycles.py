"""AUTO-07p 0.9.2 continues the periodic orbits of the AUTO export (issue 16).

``auto_files(..., cycles=True)`` writes a script that, after the equilibrium runs,
continues the cycles from every Hopf point (``IPS = 2``, ``ISW = 1``) until the period
reaches ``max_period`` or the parameter leaves ``cycle_span``. For the synergic couple
(``rinaldi-synergic`` in ``alpha1``) and Laura and Petrarch (``laura-petrarch`` in
``beta2``) AUTO's Hopf point, periods along the cycle branch, folds of cycles and the
end of the branch agree with `dm.continuation` and `dm.continue_cycle`.

Tolerances, and why (measured in this run's setting):

- Hopf point: 1e-8 in the parameter, as in ``test_auto07p.py`` (AUTO locates it to
  its EPSS = 1e-10 in arclength and prints 11 digits; measured 3.1e-11 for the synergic
  couple, 3.8e-10 for Laura-Petrarch).
- Periods: relative 1e-6. AUTO's branch is a list of points (NTST = 50 intervals of 4
  Gauss points, Newton to EPSL = 1e-8); dm's points are compared with a cubic spline
  of AUTO's 1/period in the parameter, whose interpolation error dominates near the
  end, where the period grows fast. Measured: 1.0e-10 (Laura-Petrarch, 183 AUTO
  points) and 6.8e-8 (synergic couple up to period 500, 703 AUTO points with
  DSMAX = 0.005; 2.6e-8 with 1247 points at DSMAX = 0.0028); with DSMAX = 0.02 (184
  points) the spline alone was off by 4.8e-6 at period 264. Points with periods above
  half of ``max_period`` are left to the end check.
- End of the branch: AUTO stops where the period reaches ``max_period`` (its UZ on
  PAR(11), located to its EPSS: 999.9999993 here, 1010 with DSMAX = 0.025); dm's branch,
  interpolated in 1/T^2 (the law of a saddle-node on the cycle, T ~ 1/sqrt(p - p_sn);
  a cubic through its last four points), must reach AUTO's last period at AUTO's
  parameter within 1e-8. Measured 2.1e-12: alpha1 = 0.3037046887 for the synergic
  couple, whose cycle closes through the fold of equilibria at 0.3036924 (a
  saddle-node on the cycle); Laura-Petrarch's cycles reach beta2 = 20, where the
  periods agree to 1.3e-11.
- Folds of cycles (LPC/LP), period doublings (PD) and tori (NS/TR): the same list,
  values within 1e-6 (AUTO's EPSS = 1e-6 for the cycle runs). Neither model has one
  on these branches; the check keeps the test honest when one appears.
"""

from __future__ import annotations

import time

import numpy as np
import pytest
from scipy.interpolate import CubicSpline

import dyadmodel as dm
from dyadmodel.continuation import auto_files
from tests.peers.conftest import read_auto_points, run_auto

MAX_PERIOD = 1000.0
HOPF_TOLERANCE = 1e-8
PERIOD_TOLERANCE = 1e-6  # relative
END_TOLERANCE = 1e-8
SPECIAL_TOLERANCE = 1e-6
AUTO_CYCLE_KINDS = {5: "LPC", 7: "PD", 8: "NS"}  # AUTO's TY codes of periodic orbits: LP, PD, TR

# model: (parameter, equilibrium span, cycle span, AUTO's DSMAX of the cycle runs)
CASES = {
    "rinaldi-synergic": ("alpha1", (0.36, 0.4), (0.25, 0.5), 0.005),
    "laura-petrarch": ("beta2", (1.0, 8.0), (1.0, 20.0), 0.1),
}


def read_auto_branch(bfile) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every point of an AUTO ``b.`` file of a cycle run: (TY codes, parameter, period).

    Columns: BR, PT, TY, LAB, the parameter, L2-NORM, MAX of each state, PERIOD.
    """
    kinds, values, periods = [], [], []
    for line in bfile.read_text().splitlines():
        fields = line.split()
        if len(fields) < 6 or not fields[0].lstrip("-").isdigit() or fields[0] == "0":
            continue
        kinds.append(abs(int(fields[2])))
        values.append(float(fields[4]))
        periods.append(float(fields[-1]))
    return np.array(kinds), np.array(values), np.array(periods)


def _monotone(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(x, y) sorted by x, with x strictly increasing (the branch is a graph over x)."""
    order = np.argsort(x)
    x, y = x[order], y[order]
    keep = np.concatenate([[True], np.diff(x) > 0])
    return x[keep], y[keep]


@pytest.mark.slow
@pytest.mark.parametrize("name", list(CASES))
def test_auto_cycles_match_continue_cycle(name, tmp_path, auto07p, monkeypatch):
    # AUTO's Fortran runs OpenMP threads: on a busy two-core machine its cycle runs took
    # 40 s with the default threads and 3.8 s with one
    monkeypatch.setenv("OMP_NUM_THREADS", "1")
    param, span, cycle_span, ds_max = CASES[name]
    m = dm.models.get(name)
    p = m.params()
    diagram = dm.continuation(m, p, param, span)
    (hopf,) = diagram.hopf_points
    branch = diagram.branches[hopf.branch]
    x0 = branch.states[int(np.argmin(np.abs(branch.values - span[0])))]
    assert np.isclose(branch.values.min() if span[0] < span[1] else branch.values.max(), span[0])
    stem = name.replace("-", "_")
    auto_files(
        m,
        p,
        param,
        span,
        x0=x0,
        cycles=True,
        cycle_span=cycle_span,
        cycle_ds_max=ds_max,
        max_period=MAX_PERIOD,
        directory=tmp_path,
    )
    t0 = time.perf_counter()
    run_auto(auto07p, tmp_path, f"{stem}.auto")
    t_auto = time.perf_counter() - t0

    # the Hopf point
    auto_hopf = [v for ty, v, _ in read_auto_points(tmp_path / f"b.{stem}_1") if ty == 3]
    assert len(auto_hopf) == 1, auto_hopf
    hopf_gap = abs(auto_hopf[0] - hopf.value)
    assert hopf_gap < HOPF_TOLERANCE, (auto_hopf, hopf.value)

    # the cycle branch
    kinds, values, periods = read_auto_branch(tmp_path / f"b.{stem}_1_cycles_1")
    assert values.size > 20
    t0 = time.perf_counter()
    cycles = dm.continue_cycle(
        m, p, param, cycle_span, start=hopf, options=dm.CycleOptions(max_period=MAX_PERIOD)
    )
    t_dm = time.perf_counter() - t0
    x, inv_period = _monotone(values, 1.0 / periods)
    spline = CubicSpline(x, inv_period)
    ours = (
        (cycles.periods < 0.5 * MAX_PERIOD)
        & (cycles.param_values >= x[0])
        & (cycles.param_values <= x[-1])
    )
    assert ours.sum() > 10, cycles.param_values
    auto_periods = 1.0 / spline(cycles.param_values[ours])
    period_gap = np.max(np.abs(auto_periods / cycles.periods[ours] - 1.0))
    assert period_gap < PERIOD_TOLERANCE, period_gap

    # folds of cycles, period doublings, tori: the same ones
    auto_special = sorted(
        (AUTO_CYCLE_KINDS[k], v) for k, v in zip(kinds, values) if k in AUTO_CYCLE_KINDS
    )
    our_special = sorted((s.kind, s.value) for s in cycles.special if s.kind in ("LPC", "PD", "NS"))
    assert [k for k, _ in auto_special] == [k for k, _ in our_special], (auto_special, our_special)
    for (_, a), (_, b) in zip(auto_special, our_special):
        assert abs(a - b) < SPECIAL_TOLERANCE, (auto_special, our_special)

    # the end: the period reaches MAX_PERIOD (a homoclinic or saddle-node end) or the span
    homoclinic = [s for s in cycles.special if s.kind == "homoclinic"]
    if periods[-1] >= MAX_PERIOD * (1 - 1e-3):
        assert homoclinic, cycles.end
        last = slice(-4, None)
        s = 1.0 / cycles.periods[last] ** 2
        order = np.argsort(s)
        end_curve = CubicSpline(s[order], cycles.param_values[last][order])
        end_gap = abs(float(end_curve(1.0 / periods[-1] ** 2)) - values[-1])
    else:
        assert not homoclinic and cycles.completed, cycles.end
        # AUTO puts its UZ end within its EPSS of the bound (19.999999926 for 20)
        assert abs(values[-1] - cycles.param_values[-1]) < 1e-6
        last = slice(-4, None)
        x_end, y_end = _monotone(cycles.param_values[last], cycles.periods[last])
        end_gap = abs(periods[-1] / float(CubicSpline(x_end, y_end)(values[-1])) - 1.0)
    assert end_gap < END_TOLERANCE, (values[-1], periods[-1], cycles.end)
    print(
        f"AUTOCYCLES {name} hopf={hopf.value:.10f} (gap {hopf_gap:.1e}) auto_points={values.size} "
        f"dm_points={cycles.periods.size} period_gap={period_gap:.1e} end={values[-1]:.10f} "
        f"(gap {end_gap:.1e}) special={our_special} auto={t_auto:.2f}s dm={t_dm:.2f}s"
    )
