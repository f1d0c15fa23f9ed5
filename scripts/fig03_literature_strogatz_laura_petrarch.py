"""Figure 3: two literature models in the same API: Strogatz's centre, Rinaldi's cycle.

Paper section: "Validation against published models".

Left: Strogatz's linear Romeo–Juliet model (1988; roles as in his textbook,
2015, §5.3) with a fickle Juliet (a = d = 0,
b = 1, c = −1; preset 'fickle-juliet'): the origin is a centre and every orbit is a
closed circle, "a never-ending cycle of love and hate". Middle and right: Rinaldi's
(1998) Laura–Petrarch model at its published parameters: the limit cycle found by
`dyadmodel.limit_cycle` (shooting with Floquet multipliers) in the (L, P) projection,
with the transient from indifference (0, 0, 0) that approaches it, and L and P over
three periods (the third state, Petrarch's inspiration Z, runs on a larger scale and
is left out). No random numbers are used.

Run: ``.venv/bin/python scripts/fig03_literature_strogatz_laura_petrarch.py [outdir]``
(default ``figures/``).
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import numpy as np
from _common import TRAJECTORY_SETTINGS, save_figure, trajectory

import dyadmodel as dm
from dyadmodel.analysis import LimitCycleOptions
from dyadmodel.plot import compare, phase_portrait, time_series
from dyadmodel.plot.theme import OKABE_ITO

NAME = "fig03_literature_strogatz_laura_petrarch"
STROGATZ = "strogatz-linear"
STROGATZ_PRESET = "fickle-juliet"
LAURA_PETRARCH = "laura-petrarch"
ORBIT_STARTS = ((0.5, 0.0), (1.0, 0.0), (1.5, 0.0))
LP_GUESS = (0.0, 0.0, 0.0)  # mutual indifference: where the affair starts
LP_TRANSIENT_END = 12.0
LP_PERIODS_SHOWN = 3
SEED = None  # deterministic: nothing is random


def main(outdir: str | Path = "figures") -> list[Path]:
    """Compute, draw and save figure 3; return the files written."""
    # -- Strogatz: a centre and its closed orbits (one period, 2 pi, each) ----------------
    sm = dm.models.get(STROGATZ)
    sp_ = sm.preset(STROGATZ_PRESET)
    s_eqs = dm.equilibria(sm, sp_)
    assert [e.kind for e in s_eqs] == ["centre"], s_eqs
    orbits = [
        ("closed orbits (one period, 2π)", trajectory(sm, sp_, x0, 2 * math.pi, n_points=400)[1])
        for x0 in ORBIT_STARTS
    ]
    strogatz = phase_portrait(
        sm,
        sp_,
        equilibria=s_eqs,
        trajectories=orbits,
        trajectory_colors=[OKABE_ITO["reddish_purple"]],
    )

    # -- Laura and Petrarch: the limit cycle, its approach, and its time course -------------
    lm = dm.models.get(LAURA_PETRARCH)
    lp = lm.params()
    cycle = dm.limit_cycle(lm, lp, LP_GUESS)
    assert cycle.converged and cycle.stable, cycle
    l_eqs = dm.equilibria(lm, lp)
    _, transient = trajectory(lm, lp, LP_GUESS, LP_TRANSIENT_END, n_points=800)
    lo = np.minimum(cycle.minimum, transient.min(axis=1))[:2]
    hi = np.maximum(cycle.maximum, transient.max(axis=1))[:2]
    margin = 0.08 * (hi - lo)
    lp_domain = np.column_stack([lo - margin, hi + margin])
    projection = phase_portrait(
        lm,
        lp,
        x="L",
        y="P",
        domain=lp_domain,
        field=None,
        nullclines=False,
        separatrices=False,
        equilibria=l_eqs,
        trajectories=[
            ("from indifference (0, 0, 0)", transient),
            (f"limit cycle, period {cycle.period:.3g}", cycle.state),
        ],
        trajectory_colors=[OKABE_ITO["black"], OKABE_ITO["bluish_green"]],
    )
    t, y = trajectory(lm, lp, cycle.state[:, 0], LP_PERIODS_SHOWN * cycle.period, n_points=600)
    series = time_series(t, y, lm, states=["L", "P"])

    fig = compare(
        [strogatz, projection, series],
        titles=[
            "Strogatz (2015, §5.3): fickle Juliet, a centre",
            "Rinaldi (1998): Laura–Petrarch limit cycle",
            "Laura and Petrarch on the cycle",
        ],
        width=1320,
        height=540,
        horizontal_spacing=0.07,
    )
    refs = [r.text for m in (sm, lm) for r in m.references]
    caption = (
        "Literature models in dyadmodel's API. Left: Strogatz's linear Romeo–Juliet model "
        "with a fickle Juliet (a = d = 0, b = 1, c = −1): the equilibrium is a centre and "
        "orbits are closed (three drawn for one period 2π). Middle: Rinaldi's Laura–Petrarch "
        f"model at the published parameters: a stable limit cycle of period {cycle.period:.4g} "
        "(nontrivial Floquet multipliers "
        + ", ".join(f"{abs(m):.3g}" for m in cycle.nontrivial_multipliers)
        + ") in the (L, P) projection, approached from indifference. Right: L and P over "
        f"{LP_PERIODS_SHOWN} periods. Sources: " + "; ".join(refs)
    )
    provenance = {
        "script": f"scripts/{Path(__file__).name}",
        "caption": caption,
        "references": [r.key for m in (sm, lm) for r in m.references],
        "models": [STROGATZ, LAURA_PETRARCH],
        "presets": {STROGATZ: STROGATZ_PRESET, LAURA_PETRARCH: "defaults (Rinaldi 1998)"},
        "parameters": {STROGATZ: sp_, LAURA_PETRARCH: lp},
        "inputs": {},
        "strogatz_orbit_starts": ORBIT_STARTS,
        "limit_cycle": {
            "guess": LP_GUESS,
            "period": cycle.period,
            "floquet_multipliers": cycle.floquet_multipliers,
            "residual": cycle.residual,
            "amplitude": cycle.amplitude,
        },
        "methods": {
            "equilibria": "dyadmodel.equilibria (default options: exact, certified)",
            "nullclines": "dyadmodel.nullclines (resolution 201)",
            "streamlines": "dyadmodel.analysis.flow.streamlines (density 16)",
            "limit_cycle": "dyadmodel.limit_cycle (single shooting, Floquet multipliers)",
            "trajectories": TRAJECTORY_SETTINGS,
        },
        "tolerances": {"limit_cycle": LimitCycleOptions()},
        "seed": SEED,
    }
    return save_figure(fig, outdir, NAME, provenance)


if __name__ == "__main__":
    for path in main(sys.argv[1] if len(sys.argv) > 1 else "figures"):
        print(path)
