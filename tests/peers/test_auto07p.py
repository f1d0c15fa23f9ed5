"""AUTO-07p 0.9.2 runs the AUTO export of every registered model (issue 13, section 2).

For each model a continuation with special points where the model has them: AUTO's
folds (LP), Hopf points (HB) and branch points (BP), from one run per equilibrium at the
span's start, agree with `dyadmodel.continuation` in the parameter, and so do the
equilibria where AUTO's runs end (at the span's end).
"""

from __future__ import annotations

import re

import numpy as np
import pytest

import dyadmodel as dm
from dyadmodel.continuation import auto_files
from tests.peers.conftest import AUTO_KINDS, read_auto_points, run_auto

# model: (parameter, span, parameters) with the special points dm.continuation finds
CASES = {
    "pursuer-distancer-2d": ("anxiety_gain_1", (0.0, 4.0), {}),  # two folds
    # the sharp fold that AUTO misplaced by 3.7e-4 with DSMAX = 0.05 (true 6.1161716072)
    "pursuer-distancer-2d:sharp": (
        "anxiety_gain_1",
        (0.0, 8.0),
        {"avoidance_gain_2": 2.5, "threshold_1": 1.2, "approach_baseline_1": 0.05},
    ),
    "pursuer-distancer": ("anxiety_gain_1", (0.0, 4.0), {}),  # two folds
    "strogatz-linear": ("a", (-1.0, 1.0), {}),  # Hopf at a = 0
    "rinaldi-linear": ("beta1", (0.0, 1.5), {}),  # no special point
    "laura-petrarch": ("beta2", (1.0, 8.0), {}),  # Hopf
    # EPSS = 1e-6 placed this Hopf point 1.3e-8 off (0.2810355116)
    "laura-petrarch:alpha3": ("alpha3", (0.05, 0.3), {}),
    "rinaldi-synergic": ("alpha1", (0.36, 0.5), {}),  # Hopf (ageing stabilises)
    "gone-with-the-wind": ("A_R", (1.0, 2.5), {}),  # fold: Rhett's change
    "liebovitch": ("c1", (0.0, 2.0), {}),  # pitchfork at c1 c2 = m1 m2
    "validating-couple": ("a1", (0.0, 1.5), {}),  # no special point
    # Hopf at zeta_x = 0.08 (with the default zeta_y = -0.2 the crossing at 0.2 is a
    # non-generic double Hopf, both pairs on the axis, which AUTO's test function misses)
    "coupled-oscillator": ("zeta_x", (-0.5, 0.5), {"zeta_y": -0.5}),
}
# AUTO's b-files print 11 significant digits; measured largest differences from
# dm.continuation: see the module docstring of dyadmodel.continuation._export
PARAMETER_TOLERANCE = 1e-8
STATE_TOLERANCE = 1e-8


def _newton(model, params, x, steps=20):
    """The equilibrium of the package's right-hand side next to ``x``."""
    x = np.array(x, dtype=float)
    for _ in range(steps):
        x = x - np.linalg.solve(model.jacobian(x, params), model.rhs(x, params))
    return x


def test_every_registered_model_has_a_case():
    assert {case.split(":")[0] for case in CASES} == set(dm.models.names())


@pytest.mark.slow
@pytest.mark.parametrize("case", list(CASES))
def test_auto_special_points_match_continuation(case, tmp_path, auto07p):
    name = case.split(":")[0]
    param, span, values = CASES[case]
    m = dm.models.get(name)
    p = m.params(**values)
    files = auto_files(m, p, param, span, directory=tmp_path)
    stem = name.replace("-", "_")
    run_auto(auto07p, tmp_path, f"{stem}.auto")
    # one b-file per run (a run from the span's end is skipped when its branch was
    # reached from the start); at least one per equilibrium at the start
    bfiles = [f for f in tmp_path.glob(f"b.{stem}_*") if re.fullmatch(rf"b\.{stem}_\d+", f.name)]
    assert len(bfiles) >= files[f"{stem}.auto"].split("ends = [")[0].count("{1:")
    points = []
    for bfile in sorted(bfiles):
        points += read_auto_points(bfile)
    lo, hi = sorted(span)
    found: list[tuple[str, float]] = []
    for ty, value, _ in points:
        kind = AUTO_KINDS.get(ty)
        if (
            kind
            and lo < value < hi
            and not any(k == kind and abs(v - value) < 1e-6 for k, v in found)
        ):
            found.append((kind, value))
    diagram = dm.continuation(m, p, param, span)
    expected = [(s.kind, s.value) for s in diagram.special_points]
    worst = 0.0
    for kind, value in found:  # every AUTO point is one of the package's ...
        gaps = [abs(value - v) for k, v in expected if k == kind]
        assert gaps, f"AUTO found a {kind} at {value!r}; dm.continuation: {expected}"
        worst = max(worst, min(gaps))
    for kind, value in expected:  # ... and AUTO reaches every one from the span's start
        assert any(k == kind and abs(v - value) < 1e-6 for k, v in found), (kind, value, found)
    assert worst < PARAMETER_TOLERANCE, (case, worst)
    # where the runs end at the span's end, AUTO's state is an equilibrium of the
    # package's right-hand side: Newton's method on model.rhs moves it by < 1e-8
    end = [x for ty, value, x in points if ty in (4, 9) and abs(value - span[1]) < 1e-9]
    assert end, f"no AUTO run reached {param} = {span[1]}"
    p_end = p.replace(**{param: span[1]})
    state_worst = max(np.abs(x - _newton(m, p_end, x)).max() for x in end)
    assert state_worst < STATE_TOLERANCE, (case, state_worst)
    print(f"AUTODIFF {case} points={len(found)} parameter={worst:.2e} state={state_worst:.2e}")
