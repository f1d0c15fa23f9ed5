"""Figure 1: balanced vs entrenched: a secure and an anxious–avoidant couple side by side.

Paper section: "Entrenchment is bistability" (headline figure; phenomena 3 and 9 of
paper/paper.md, "Phenomena and model design").

Phase portraits of the reduced pursuer–distancer model (``pursuer-distancer-2d``): on
the left the 'secure' preset (low anxiety and avoidance gains), whose one balanced
state attracts every start; on the right the 'anxious-avoidant' preset, where a
balanced and an entrenched state coexist and the stable manifold of the saddle (the
separatrix) is the tipping threshold between them. The same four starts are drawn in
both panels; on the right, starts on either side of the threshold end in different
states. No random numbers are used.

Run: ``.venv/bin/python scripts/fig01_balanced_vs_entrenched.py [outdir]`` (default
``figures/``).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from _common import TRAJECTORY_SETTINGS, save_figure, trajectory

import dyadmodel as dm
from dyadmodel.analysis import ManifoldOptions
from dyadmodel.plot import compare, phase_portrait

NAME = "fig01_balanced_vs_entrenched"
MODEL = "pursuer-distancer-2d"
PRESETS = ("secure", "anxious-avoidant")
DOMAIN = ((0.0, 2.5), (0.0, 2.5))
# Starts on the axes, in pairs straddling the tipping threshold of the anxious-avoidant
# couple (it meets the axes near 0.96): one partner starts calm, the other upset.
STARTS = ((0.8, 0.0), (1.15, 0.0), (0.0, 0.8), (0.0, 1.15))
T_END = 25.0
SEED = None  # deterministic: nothing is random
CAPTION = (
    "Phase portraits of the reduced pursuer–distancer model. Left: a secure couple "
    "(anxiety and avoidance gains 0.5) has one balanced state that attracts every start. "
    "Right: an anxious–avoidant couple (gains 2) has a balanced and an entrenched state; "
    "the bold curve, the stable manifold of the saddle, is the tipping threshold "
    "between their basins. Dashed: nullclines (where pursuit, or distance, does not "
    "change). The same four starts are drawn in both panels."
)


def main(outdir: str | Path = "figures") -> list[Path]:
    """Compute, draw and save figure 1; return the files written."""
    model = dm.models.get(MODEL)
    panels = []
    params = {}
    outcomes = {}
    for preset in PRESETS:
        p = model.preset(preset)
        params[preset] = p
        eqs = dm.equilibria(model, p)
        trajs = [trajectory(model, p, x0, T_END)[1] for x0 in STARTS]
        outcomes[preset] = [_destination(model, p, eqs, x0) for x0 in STARTS]
        panels.append(
            phase_portrait(
                model,
                p,
                domain=DOMAIN,
                field="streamlines",
                equilibria=eqs,
                trajectories=trajs,
                title=f"{preset.replace('-', '–')} couple",
            )
        )
    # The caption's claims, checked on every run.
    assert outcomes["secure"] == ["balanced"] * 4, outcomes
    assert outcomes["anxious-avoidant"] == ["balanced", "entrenched"] * 2, outcomes

    fig = compare(
        panels,
        titles=[
            "Secure couple: one balanced state",
            "Anxious–avoidant couple: balanced or entrenched",
        ],
        shared_yaxes=True,
        width=1100,
        height=560,
    )
    provenance = {
        "script": f"scripts/{Path(__file__).name}",
        "caption": CAPTION,
        "models": [MODEL],
        "presets": list(PRESETS),
        "parameters": params,
        "inputs": {"stress": 0.0},
        "domain": DOMAIN,
        "starts": STARTS,
        "trajectory_end_time": T_END,
        "trajectory_outcomes": outcomes,
        "methods": {
            "equilibria": "dyadmodel.equilibria (default options: exact, certified)",
            "nullclines": "dyadmodel.nullclines (resolution 201)",
            "separatrices": "dyadmodel.separatrices",
            "streamlines": "dyadmodel.analysis.flow.streamlines (density 16)",
            "trajectories": TRAJECTORY_SETTINGS,
        },
        "tolerances": {"manifolds": ManifoldOptions()},
        "seed": SEED,
    }
    return save_figure(fig, outdir, NAME, provenance)


def _destination(model: dm.Model, p: dm.ParameterSet, eqs: dm.EquilibriumSet, x0) -> str:
    """The label of the equilibrium the trajectory from ``x0`` settles on."""
    out = dm.classify_trajectory(model, p, x0, t_max=200.0)
    if out.kind != "equilibrium":
        return out.kind
    return next(e.label for e in eqs if np.allclose(e.state, out.equilibrium, atol=1e-6))


if __name__ == "__main__":
    for path in main(sys.argv[1] if len(sys.argv) > 1 else "figures"):
        print(path)
