"""Values inside the declared bounds always work (issue: claims under any input).

Every registered model, every parameter at each finite end of its bounds (a strict
lower bound 0 is taken as 1e-100, e.g. ``threshold_1 = 1e-100``): `dm.equilibria` and a
short `dm.continuation` either succeed or end with the package's own error or an honest
incomplete status, within their budgets; never a raw OverflowError, LinAlgError or
ZeroDivisionError (which `analyze`, `dm.continuation` and laura-petrarch's equilibria
raised before).
"""

from __future__ import annotations

import math

import pytest

import dyadmodel as dm

FAST = ["pursuer-distancer-2d", "strogatz-linear", "rinaldi-linear", "validating-couple"]
REST = [n for n in dm.models.names() if n not in FAST]


def edge_values(q: dm.Parameter) -> list[float]:
    lo, hi = q.bounds
    out = []
    if math.isfinite(lo):
        out.append(lo if q.lower_inclusive else (1e-100 if lo == 0 else lo + 1e-9 * abs(lo)))
    if math.isfinite(hi):
        out.append(hi)
    return out


def cases(names, per_model: int | None = None):
    """(model, parameter, value) at every finite bound; ``per_model`` keeps that many,
    evenly spaced (the slow models: a full scan, run by hand, took ~30 min)."""
    for name in names:
        m = dm.models.get(name)
        found = [(q.name, v) for q in m.parameters for v in edge_values(q)]
        if per_model is not None and len(found) > per_model:
            step = len(found) / per_model
            found = [found[int(k * step)] for k in range(per_model)]
        for param, v in found:
            yield pytest.param(name, param, v, id=f"{name}-{param}={v:g}")


def run_at_bound(name: str, param: str, value: float, seconds: float = 20.0) -> None:
    m = dm.models.get(name)
    p = m.params({param: value})
    eq_opts = dm.EquilibriumOptions(max_seconds=seconds, certify=False)
    try:
        eqs = dm.equilibria(m, p, options=eq_opts)
        assert eqs.completeness  # a statement, whatever it is
    except dm.DyadmodelError:
        pass
    hi = m.parameter(param).bounds[1]
    step = 0.05 * max(1.0, abs(value))
    span = (value, value + step) if value + step <= hi else (value - step, value)
    opts = dm.ContinuationOptions(seeds=2, max_seconds=1.5 * seconds, equilibrium=eq_opts)
    try:
        d = dm.continuation(m, p, param, span, opts)
        assert all(b.status for b in d.branches)
    except dm.DyadmodelError:
        pass


@pytest.mark.parametrize(("name", "param", "value"), list(cases(FAST)))
def test_fast_models_work_at_every_bound(name, param, value):
    run_at_bound(name, param, value)


@pytest.mark.slow
@pytest.mark.parametrize(("name", "param", "value"), list(cases(REST, per_model=6)))
def test_every_model_works_at_its_bounds(name, param, value):
    run_at_bound(name, param, value, seconds=6.0)
