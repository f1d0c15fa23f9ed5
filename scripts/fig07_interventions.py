"""Figure 7: interventions compared, from the entrenched default couple of the full model.

Paper section: "Getting unstuck: interventions as parameter changes" (phenomena 7
and 8 of paper/paper.md, "Phenomena and model design").

The full six-state ``pursuer-distancer`` model at its default couple
(``entrenched-bistable``) starts in its entrenched state (partner 1 pursues, partner 2
withdraws). Each panel shows both partners' approach over 100 time units under one
intervention applied from t = 0 (`dyadmodel.compare_interventions`, each alone):
partner 1 self-soothes (anxiety gain 2.3 -> 1.5), partner 2 becomes emotionally
available (avoidance gain 2.3 -> 1.5), both name the cycle (all gains x 0.8),
scheduled check-ins (partner 2's approach +0.5 for 1 time unit every 7), and
regulation skills (both recover twice as fast), next to no intervention. The panel
title says whether the couple gets back into the balanced basin of the original
couple (judged by settling without the intervention) and when. The first three
change the landscape and the couple returns to balance; check-ins of this size and
faster recovery alone do not (recovery is a pure time scale in this model). No random
numbers are used.

Run: ``.venv/bin/python scripts/fig07_interventions.py [outdir]`` (default ``figures/``).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from _common import save_figure
from plotly.subplots import make_subplots

import dyadmodel as dm
from dyadmodel.plot import theme, time_series
from dyadmodel.simulate import interventions as iv

NAME = "fig07_interventions"
MODEL = "pursuer-distancer"
PRESET = "entrenched-bistable"
T_MAX = 100.0
STATES = ("approach_1", "approach_2")
INTERVENTIONS = {
    "self-soothing (partner 1)": iv.self_soothing(1, to=1.5),
    "emotional availability (partner 2)": iv.emotional_availability(2, avoidance_gain=1.5),
    "naming the cycle (gains x 0.8)": iv.naming_the_cycle(0.8),
    "scheduled check-ins": iv.scheduled_checkins(7.0, 1.0, 0.5),
    "regulation skills (recovery x 2)": iv.regulation_skills(recovery_factor=2.0),
}
EXPECTED = {  # returns to the balanced basin?
    "self-soothing (partner 1)": True,
    "emotional availability (partner 2)": True,
    "naming the cycle (gains x 0.8)": True,
    "scheduled check-ins": False,
    "regulation skills (recovery x 2)": False,
}
RTOL, ATOL = 1e-8, 1e-10
SEED = None  # deterministic: nothing is random
CAPTION = (
    "Partner 1's approach (blue) and partner 2's approach (vermillion) in the full "
    "model, starting entrenched, under no intervention and under five interventions "
    "applied from t = 0. Self-soothing, emotional availability and naming the cycle "
    "bring the couple back into the balanced basin (times in the panel titles); "
    "check-ins of this size and faster recovery alone leave it entrenched."
)


def main(outdir: str | Path = "figures") -> list[Path]:
    """Compute, draw and save figure 7; return the files written."""
    model = dm.models.get(MODEL)
    p = model.preset(PRESET)
    comparison = dm.compare_interventions(
        model, p, INTERVENTIONS, t_max=T_MAX, combinations=False, rtol=RTOL, atol=ATOL
    )
    eqs = dm.equilibria(model, p)
    balanced = next(e for e in eqs if e.label == "balanced")
    entrenched = next(e for e in eqs if e.stable and e.label.startswith("entrenched"))
    baseline = dm.simulate(
        model,
        p,
        comparison.x0,
        (0.0, T_MAX),
        t_eval=comparison.outcomes[0].simulation.t,
        rtol=RTOL,
        atol=ATOL,
    )

    # The caption's claims, checked on every run.
    np.testing.assert_allclose(comparison.x0, entrenched.state, atol=1e-8)
    np.testing.assert_allclose(baseline.y[:, -1], entrenched.state, atol=1e-6)
    outcomes = {o.name: o for o in comparison.outcomes}
    assert list(outcomes) == list(INTERVENTIONS), list(outcomes)
    for name, expected in EXPECTED.items():
        o = outcomes[name]
        assert o.returns_to_balanced is expected, (name, o)
        if expected:
            assert 0 < o.recovery_time < T_MAX / 2, (name, o.recovery_time)
            assert o.final_basin == "balanced", (name, o.final_basin)
        else:
            assert o.final_basin.startswith("entrenched"), (name, o.final_basin)

    panels = [("no intervention", baseline, None)]
    panels += [(name, outcomes[name].simulation, outcomes[name]) for name in INTERVENTIONS]
    titles = []
    for name, _, o in panels:
        if o is None:
            verdict = "stays entrenched"
        elif o.returns_to_balanced:
            verdict = f"balanced basin at t = {o.recovery_time:.1f}"
        else:
            verdict = "stays entrenched"
        titles.append(f"{name}<br><span style='font-size:13px'>{verdict}</span>")
    fig = make_subplots(
        rows=2,
        cols=3,
        shared_xaxes=True,
        shared_yaxes=True,
        subplot_titles=titles,
        vertical_spacing=0.16,
        horizontal_spacing=0.04,
    )
    for k, (_, run, _) in enumerate(panels):
        row, col = divmod(k, 3)
        panel = time_series(run.t, run.y, model, states=STATES)
        for tr in panel.data:
            tr.update(showlegend=k == 0, legendgroup=tr.name)
            fig.add_trace(tr, row=row + 1, col=col + 1)
        for level, dash in ((balanced.state, "dot"),):
            for s in STATES:
                fig.add_hline(
                    y=float(level[model.state_index(s)]),
                    line={"color": "#777777", "width": 1, "dash": dash},
                    row=row + 1,
                    col=col + 1,
                )
    fig.update_layout(template=theme.TEMPLATE, width=1150, height=700, margin_t=70)
    fig.update_annotations(font_size=14)
    for r in (1, 2):
        fig.update_yaxes(title_text="approach (intensity, arbitrary units)", row=r, col=1)
    for c in (1, 2, 3):
        fig.update_xaxes(title_text="time <i>t</i> (model time units)", row=2, col=c)
    fig.add_annotation(
        text="dotted: the balanced state's approach levels",
        xref="paper",
        yref="paper",
        x=1.0,
        y=-0.13,
        xanchor="right",
        showarrow=False,
        font={"size": 12, "color": "#555555"},
    )

    provenance = {
        "script": f"scripts/{Path(__file__).name}",
        "caption": CAPTION,
        "models": [MODEL],
        "presets": [PRESET],
        "parameters": {PRESET: p},
        "interventions": {name: i.describe() for name, i in INTERVENTIONS.items()},
        "outcomes": {
            o.name: {
                "returns_to_balanced": o.returns_to_balanced,
                "recovery_time": o.recovery_time,
                "final_basin": o.final_basin,
            }
            for o in comparison.outcomes
        },
        "start": comparison.x0,
        "t_max": T_MAX,
        "methods": {
            "compare_interventions": "dyadmodel.compare_interventions (each alone)",
            "basin_test": comparison.basin_method,
            "trajectories": {"integrator": "dyadmodel.simulate (RK45)", "rtol": RTOL, "atol": ATOL},
        },
        "seed": SEED,
    }
    return save_figure(fig, outdir, NAME, provenance)


if __name__ == "__main__":
    for path in main(sys.argv[1] if len(sys.argv) > 1 else "figures"):
        print(path)
