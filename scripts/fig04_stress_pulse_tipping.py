"""Figure 4: a stress pulse tips the balanced couple into entrenchment, for good.

Paper section: "Stress triggers the dance; entrenchment has a tipping threshold"
(phenomena 2 and 3 of paper/paper.md, "Phenomena and model design").

The anxious–avoidant couple of ``pursuer-distancer-2d`` (its default parameters) starts
in its balanced state. A stress episode of 5 time units is applied at t = 10. The
smallest episode that tips the couple (its resilience, `dyadmodel.resilience`,
bisected to a relative 1e-6) is computed first; then two runs are drawn: a pulse 20%
below that threshold (left), after which the couple relaxes back to balance, and a
pulse 20% above it (right), after which both partners escalate into the entrenched
pursue–distance state and stay there long after the stress has ended. Top: partner 1's
pursuit and partner 2's distance (equal here: the default couple is
symmetric); bottom: the stress input, with the threshold dotted.
No random numbers are used.

Run: ``.venv/bin/python scripts/fig04_stress_pulse_tipping.py [outdir]`` (default
``figures/``).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from _common import save_figure
from plotly.subplots import make_subplots

import dyadmodel as dm
from dyadmodel.plot import theme, time_series

NAME = "fig04_stress_pulse_tipping"
MODEL = "pursuer-distancer-2d"
PRESET = "anxious-avoidant"
PULSE_START, PULSE_DURATION = 10.0, 5.0
FACTORS = (0.8, 1.2)  # pulse sizes relative to the resilience threshold
T_END = 80.0
N_SAMPLES = 1601
RTOL, ATOL = 1e-9, 1e-11
SEED = None  # deterministic: nothing is random
CAPTION = (
    "The anxious–avoidant couple, balanced at first, meets a stress episode of 5 time "
    "units at t = 10. Left: a pulse 20% below the couple's resilience threshold (the "
    "smallest pulse that tips it, dotted in the stress panel): pursuit and distance rise "
    "and fall back to balance. Right: a pulse 20% above it: pursuit and distance keep "
    "escalating after the stress has ended and the couple stays entrenched. The default "
    "couple is symmetric (equal gains), so pursuit (solid) and distance (dashed) coincide."
)


def main(outdir: str | Path = "figures") -> list[Path]:
    """Compute, draw and save figure 4; return the files written."""
    model = dm.models.get(MODEL)
    p = model.preset(PRESET)
    eqs = dm.equilibria(model, p)
    balanced = next(e for e in eqs if e.label == "balanced")
    entrenched = next(e for e in eqs if e.label == "entrenched")
    res = dm.resilience(model, p, pulse_duration=PULSE_DURATION)
    assert res.start.label == "balanced" and res.tipped_to.label == "entrenched", res
    threshold = res.size

    t_eval = np.linspace(0.0, T_END, N_SAMPLES)
    runs = {}
    for factor in FACTORS:
        run = dm.simulate(
            model,
            p,
            balanced.state,
            (0.0, T_END),
            stress=dm.stress.pulse(PULSE_START, PULSE_DURATION, factor * threshold),
            t_eval=t_eval,
            rtol=RTOL,
            atol=ATOL,
        )
        assert run.status == 0, run.message
        runs[factor] = run
    below, above = runs[FACTORS[0]], runs[FACTORS[1]]
    # The caption's claims, checked on every run: the smaller pulse relaxes back to
    # balance, the larger one ends entrenched, long after the stress is over.
    np.testing.assert_allclose(below.y[:, -1], balanced.state, atol=1e-4)
    np.testing.assert_allclose(above.y[:, -1], entrenched.state, atol=1e-4)
    after = t_eval >= PULSE_START + PULSE_DURATION
    assert np.all(below.inputs["stress"][after] == 0.0)
    assert np.all(above.inputs["stress"][after] == 0.0)
    assert above.y[0, -1] > 10 * below.y[0, -1]

    fig = make_subplots(
        rows=2,
        cols=2,
        shared_xaxes=True,
        shared_yaxes="rows",
        row_heights=[0.72, 0.28],
        vertical_spacing=0.07,
        horizontal_spacing=0.05,
        subplot_titles=[
            f"Pulse {FACTORS[0]:.1f} × threshold: back to balance",
            f"Pulse {FACTORS[1]:.1f} × threshold: entrenched for good",
        ],
    )
    for col, factor in enumerate(FACTORS, start=1):
        run = runs[factor]
        panel = time_series(run.t, run.y, model, stress=run.inputs["stress"])
        for tr in panel.data:
            row = 2 if tr.meta["role"] == "stress" else 1
            tr.update(xaxis=None, yaxis=None, showlegend=col == 1, legendgroup=tr.name)
            if tr.meta.get("state") == model.state_names[1]:
                # The default couple is symmetric: distance equals pursuit; dash it so
                # that both lines stay visible.
                tr.update(line_dash="dash", line_width=3.0)
            fig.add_trace(tr, row=row, col=col)
        fig.add_hline(
            y=threshold,
            line={"color": "#000000", "width": 1.5, "dash": "dot"},
            row=2,
            col=col,
        )
    fig.add_annotation(
        text=f"threshold {threshold:.4f}",
        x=T_END,
        y=threshold,
        xref="x4",
        yref="y4",
        xanchor="right",
        yanchor="bottom",
        showarrow=False,
        font={"size": 12},
    )
    fig.update_layout(template=theme.TEMPLATE)
    state_unit = model.states[0].unit
    fig.update_yaxes(title_text=state_unit, row=1, col=1)
    fig.update_yaxes(title_text="stress <i>s</i>", row=2, col=1, rangemode="tozero")
    for col in (1, 2):
        fig.update_xaxes(title_text="time <i>t</i> (model time units)", row=2, col=col)
    fig.update_annotations(font_size=15, selector={"text": f"Pulse {FACTORS[0]:.1f}*"})
    fig.update_layout(width=1100, height=560, margin_t=50)

    provenance = {
        "script": f"scripts/{Path(__file__).name}",
        "caption": CAPTION,
        "models": [MODEL],
        "presets": [PRESET],
        "parameters": {PRESET: p},
        "resilience": {
            "threshold": threshold,
            "bracket": res.bracket,
            "pulse_duration": PULSE_DURATION,
            "t_relax": res.t_relax,
        },
        "pulses": {
            str(f): {"start": PULSE_START, "duration": PULSE_DURATION, "size": f * threshold}
            for f in FACTORS
        },
        "start": balanced.state,
        "final_states": {str(f): runs[f].y[:, -1] for f in FACTORS},
        "methods": {
            "equilibria": "dyadmodel.equilibria (default options)",
            "resilience": "dyadmodel.resilience (scan + bisection, size_rtol 1e-6)",
            "trajectories": {
                "integrator": "dyadmodel.simulate (scipy solve_ivp, RK45, cut at pulse edges)",
                "rtol": RTOL,
                "atol": ATOL,
            },
        },
        "seed": SEED,
    }
    return save_figure(fig, outdir, NAME, provenance)


if __name__ == "__main__":
    for path in main(sys.argv[1] if len(sys.argv) > 1 else "figures"):
        print(path)
