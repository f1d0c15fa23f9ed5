"""Figure 2: nullclines, the saddle's manifolds, and what sustained stress does to them.

Paper section: "Stress triggers the dance; entrenchment has a tipping threshold"
(phenomena 2 and 3 of paper/paper.md, "Phenomena and model design").

Left: the anxious–avoidant couple of ``pursuer-distancer-2d`` without stress, in
detail: both nullclines, the three equilibria (hover for state, kind, label,
eigenvalues and whether it is certified), the stable manifold of the saddle (the
separatrix, bold: the tipping threshold) and its unstable manifold (dotted: the two
ways a couple leaves the threshold, to balance or to entrenchment). Right: the same
couple under a constant stress s = 0.05, beyond the fold where the balanced state and
the saddle meet and vanish (between s = 0.03 and s = 0.05; checked on every run): only
the entrenched state is left, and a couple starting in the unstressed balanced state
is driven into it. No random numbers are used.

Run: ``.venv/bin/python scripts/fig02_nullclines_and_separatrix.py [outdir]`` (default
``figures/``).
"""

from __future__ import annotations

import sys
from pathlib import Path

from _common import TRAJECTORY_SETTINGS, save_figure, trajectory

import dyadmodel as dm
from dyadmodel.analysis import ManifoldOptions
from dyadmodel.plot import compare, phase_portrait

NAME = "fig02_nullclines_and_separatrix"
MODEL = "pursuer-distancer-2d"
PRESET = "anxious-avoidant"
STRESS = 0.05
STRESS_CHECKS = (0.0, 0.03, STRESS)  # equilibria counted at these stresses
DOMAIN = ((0.0, 2.0), (0.0, 2.0))
T_END = 40.0
SEED = None  # deterministic: nothing is random
CAPTION = (
    "Left: the anxious–avoidant couple without stress. Nullclines (dashed) cross at a "
    "balanced state, a saddle and an entrenched state. The stable manifold of the saddle "
    "(bold) is the tipping threshold between the two basins; its unstable manifold "
    "(dotted) leads to either stable state. Right: under constant stress s = 0.05 the "
    "pursuit nullcline has moved past the fold (between s = 0.03 and 0.05) where the "
    "balanced state and the saddle merge and vanish; a couple starting from the "
    "unstressed balanced state is drawn into entrenchment."
)


def main(outdir: str | Path = "figures") -> list[Path]:
    """Compute, draw and save figure 2; return the files written."""
    model = dm.models.get(MODEL)
    p = model.preset(PRESET)
    counts = {s: len(dm.equilibria(model, p, inputs={"stress": s})) for s in STRESS_CHECKS}
    # The caption's claims, checked on every run: bistable up to 0.03, one state at 0.05.
    assert counts == {0.0: 3, 0.03: 3, STRESS: 1}, counts
    calm = dm.equilibria(model, p)
    balanced = next(e for e in calm if e.label == "balanced")
    stressed = dm.equilibria(model, p, inputs={"stress": STRESS})
    assert [e.label for e in stressed] == ["entrenched"], stressed

    left = phase_portrait(
        model,
        p,
        domain=DOMAIN,
        field="arrows",
        equilibria=calm,
        title="No stress: bistable",
    )
    _, tipped = trajectory(model, p, balanced.state, T_END, inputs={"stress": STRESS})
    right = phase_portrait(
        model,
        p,
        inputs={"stress": STRESS},
        domain=DOMAIN,
        field="arrows",
        equilibria=stressed,
        trajectories=[("from the unstressed balanced state", tipped)],
        title=f"Stress s = {STRESS}",
    )
    fig = compare(
        [left, right],
        titles=[
            "No stress: balanced and entrenched states, tipping threshold",
            f"Constant stress s = {STRESS}: only the entrenched state is left",
        ],
        shared_yaxes=True,
        width=1100,
        height=560,
    )
    provenance = {
        "script": f"scripts/{Path(__file__).name}",
        "caption": CAPTION,
        "models": [MODEL],
        "presets": [PRESET],
        "parameters": {PRESET: p},
        "inputs": {"left": {"stress": 0.0}, "right": {"stress": STRESS}},
        "equilibrium_counts_by_stress": {str(s): n for s, n in counts.items()},
        "domain": DOMAIN,
        "trajectory_start": balanced.state,
        "trajectory_end_time": T_END,
        "methods": {
            "equilibria": "dyadmodel.equilibria (default options: exact, certified)",
            "nullclines": "dyadmodel.nullclines (resolution 201)",
            "separatrices": "dyadmodel.separatrices",
            "vector_field": "dyadmodel.analysis.flow.vector_field (19 x 19 unit arrows)",
            "trajectories": TRAJECTORY_SETTINGS,
        },
        "tolerances": {"manifolds": ManifoldOptions()},
        "seed": SEED,
    }
    return save_figure(fig, outdir, NAME, provenance)


if __name__ == "__main__":
    for path in main(sys.argv[1] if len(sys.argv) > 1 else "figures"):
        print(path)
