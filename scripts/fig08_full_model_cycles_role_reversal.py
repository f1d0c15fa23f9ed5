"""Figure 8: pursue–withdraw cycles and role reversal in the full model.

Paper section: "Beyond two states: cycles, exhaustion and role reversal" (phenomena 5
and 6 of paper/paper.md, "Phenomena and model design").

Left (``pursue-withdraw-cycles`` preset of the six-state ``pursuer-distancer``
model: a very anxious pursuer who exhausts): the only equilibrium is unstable; from
just beside it the couple settles on a stable limit cycle (`dyadmodel.limit_cycle`,
period 86.8, Floquet-stable): pursuit escalates, frustration builds, pursuit collapses
into withdrawal, frustration fades and pursuit resumes. Right (``role-reversal``
preset): the couple starts balanced; a stress episode (0.3 for 5 time units from
t = 10) makes partner 1 pursue, her frustration builds, she withdraws, and partner 2
flips into pursuit, and the reversed roles persist long after the stress has ended.
Each panel shows partner 1's approach, partner 2's approach and partner 1's
frustration; the stress input is drawn below. No random numbers are used.

Run: ``.venv/bin/python scripts/fig08_full_model_cycles_role_reversal.py [outdir]``
(default ``figures/``).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from _common import save_figure
from plotly.subplots import make_subplots

import dyadmodel as dm
from dyadmodel.analysis.cycles import LimitCycleOptions
from dyadmodel.plot import theme, time_series

NAME = "fig08_full_model_cycles_role_reversal"
MODEL = "pursuer-distancer"
CYCLES, REVERSAL = "pursue-withdraw-cycles", "role-reversal"
STATES = ("approach_1", "approach_2", "frustration_1")
OFFSET = 0.05  # start of the cycling run: the unstable equilibrium + OFFSET in each state
PULSE = (10.0, 5.0, 0.3)  # start, duration, size of the role-reversal stress episode
T_END = {CYCLES: 400.0, REVERSAL: 300.0}
N_SAMPLES = 2001
RTOL, ATOL = 1e-9, 1e-11
SEED = None  # deterministic: nothing is random
CAPTION = (
    "Full pursuer–distancer model. Left: a very anxious pursuer who exhausts; the only "
    "equilibrium is unstable and the couple settles on a stable pursue–withdraw cycle "
    "of period {period:.1f}. Right: partner 2 carries hidden anxiety; a stress episode "
    "(bottom) makes partner 1 pursue until her frustration builds and she withdraws; "
    "partner 2 then pursues, and the reversed roles persist after the stress ends."
)


def main(outdir: str | Path = "figures") -> list[Path]:
    """Compute, draw and save figure 8; return the files written."""
    model = dm.models.get(MODEL)
    i_a1, i_a2 = model.state_index("approach_1"), model.state_index("approach_2")

    # -- pursue-withdraw cycles -------------------------------------------------------
    pc = model.preset(CYCLES)
    (unstable,) = dm.equilibria(model, pc)
    assert unstable.stable is False, unstable
    start_c = unstable.state + OFFSET
    cycle_options = LimitCycleOptions()
    cycle = dm.limit_cycle(model, pc, start_c, options=cycle_options)
    t_c = np.linspace(0.0, T_END[CYCLES], N_SAMPLES)
    run_c = dm.simulate(model, pc, start_c, (0.0, T_END[CYCLES]), t_eval=t_c, rtol=RTOL, atol=ATOL)
    assert run_c.status == 0, run_c.message
    # The caption's claims: a stable cycle of period 86.8 (the preset's documentation),
    # which the run from beside the equilibrium reaches.
    assert cycle.converged and cycle.stable, cycle
    assert abs(cycle.period - 86.8) < 0.1, cycle.period
    last = t_c >= T_END[CYCLES] - cycle.period
    assert abs(run_c.y[i_a1, last].max() - cycle.maximum[i_a1]) < 0.02
    assert abs(run_c.y[i_a1, last].min() - cycle.minimum[i_a1]) < 0.02

    # -- role reversal ----------------------------------------------------------------
    pr = model.preset(REVERSAL)
    eqs = dm.equilibria(model, pr)
    balanced = next(e for e in eqs if e.label == "balanced")
    reversed_ = next(e for e in eqs if e.label == "entrenched (partner 2 pursues)")
    t_r = np.linspace(0.0, T_END[REVERSAL], N_SAMPLES)
    run_r = dm.simulate(
        model,
        pr,
        balanced.state,
        (0.0, T_END[REVERSAL]),
        stress=dm.stress.pulse(*PULSE),
        t_eval=t_r,
        rtol=RTOL,
        atol=ATOL,
    )
    assert run_r.status == 0, run_r.message
    during = run_r.sol(PULSE[0] + PULSE[1])
    assert during[i_a1] > 1.0 > during[i_a2]  # partner 1 pursues under stress
    late = t_r >= 100.0
    assert np.all(run_r.y[i_a2, late] > 2 * run_r.y[i_a1, late])  # roles reversed
    np.testing.assert_allclose(run_r.y[:, -1], reversed_.state, atol=1e-2)

    # -- figure -----------------------------------------------------------------------
    fig = make_subplots(
        rows=2,
        cols=2,
        shared_xaxes="columns",
        shared_yaxes="rows",
        row_heights=[0.76, 0.24],
        vertical_spacing=0.07,
        horizontal_spacing=0.05,
        subplot_titles=[
            f"Pursue–withdraw cycles (period {cycle.period:.1f})",
            "Role reversal after a stress episode",
        ],
    )
    for col, run in ((1, run_c), (2, run_r)):
        panel = time_series(run.t, run.y, model, states=STATES, stress=run.inputs["stress"])
        for tr in panel.data:
            row = 2 if tr.meta["role"] == "stress" else 1
            tr.update(xaxis=None, yaxis=None, showlegend=col == 1, legendgroup=tr.name)
            fig.add_trace(tr, row=row, col=col)
    fig.update_layout(template=theme.TEMPLATE, width=1150, height=580, margin_t=50)
    fig.update_annotations(font_size=15)
    fig.update_yaxes(title_text="intensity (arbitrary units)", row=1, col=1)
    fig.update_yaxes(title_text="stress <i>s</i>", row=2, col=1, rangemode="tozero")
    fig.update_yaxes(rangemode="tozero", row=2, col=2)
    for col in (1, 2):
        fig.update_xaxes(title_text="time <i>t</i> (model time units)", row=2, col=col)

    provenance = {
        "script": f"scripts/{Path(__file__).name}",
        "caption": CAPTION.format(period=cycle.period),
        "models": [MODEL],
        "presets": [CYCLES, REVERSAL],
        "parameters": {CYCLES: pc, REVERSAL: pr},
        "cycles": {
            "start": start_c,
            "period": cycle.period,
            "floquet_multipliers": cycle.floquet_multipliers,
            "stable": cycle.stable,
        },
        "role_reversal": {
            "start": balanced.state,
            "pulse": {"start": PULSE[0], "duration": PULSE[1], "size": PULSE[2]},
            "reversed_state": reversed_.state,
            "final_state": run_r.y[:, -1],
        },
        "methods": {
            "equilibria": "dyadmodel.equilibria (default options)",
            "limit_cycle": "dyadmodel.limit_cycle (single shooting, Floquet multipliers)",
            "trajectories": {"integrator": "dyadmodel.simulate (RK45)", "rtol": RTOL, "atol": ATOL},
        },
        "tolerances": {"limit_cycle": cycle_options},
        "seed": SEED,
    }
    return save_figure(fig, outdir, NAME, provenance)


if __name__ == "__main__":
    for path in main(sys.argv[1] if len(sys.argv) > 1 else "figures"):
        print(path)
