"""Figure 10: basins of attraction of balance and entrenchment.

Paper section: "Stress triggers the dance; entrenchment has a tipping threshold"
(phenomena 2 and 3 of paper/paper.md, "Phenomena and model design": how far a couple
can be pushed and still come back).

Left: the anxious–avoidant couple of ``pursuer-distancer-2d``: every start of a
201 x 201 grid of (pursuit, distance) in [0, 2]^2 is integrated until it settles
(`dyadmodel.basins`) and coloured by the state it reaches. The balanced basin is the
small corner of low pursuit and low distance; its edge is the saddle's stable manifold
(the tipping threshold), which passes through the saddle at (0.5, 0.5). Right: the
same for the six-state ``pursuer-distancer`` model (default couple,
``entrenched-bistable``) in the plane of the two partners' approach, with the other
four states held at their balanced values: again a small balanced basin, bordered by
the basin of the entrenched state in which partner 1 pursues. No random numbers are
used.

Run: ``.venv/bin/python scripts/fig10_basins.py [outdir]`` (default ``figures/``).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from _common import save_figure

import dyadmodel as dm
from dyadmodel.plot import basin_map, compare
from dyadmodel.simulate import BasinOptions

NAME = "fig10_basins"
MODEL_2D, MODEL_FULL = "pursuer-distancer-2d", "pursuer-distancer"
PRESET_2D, PRESET_FULL = "anxious-avoidant", "entrenched-bistable"
BOX = (0.0, 2.0)  # both axes, both panels
RESOLUTION_2D, RESOLUTION_FULL = 201, 121
AXES_FULL = ("approach_1", "approach_2")
SEED = None  # deterministic: nothing is random
CAPTION = (
    "Basins of attraction. Left: reduced model, anxious–avoidant couple; starts in the "
    "light blue corner return to balance ({b2:.1%} of the square), all others end "
    "entrenched; the boundary is the tipping threshold through the saddle at "
    "(0.5, 0.5) (the one white cell: a start on the threshold, undecided). Right: "
    "full model, default couple, in the plane of both partners' "
    "approach (other states at their balanced values): {bf:.1%} of the square returns "
    "to balance, the rest ends with partner 1 pursuing."
)


def main(outdir: str | Path = "figures") -> list[Path]:
    """Compute, draw and save figure 10; return the files written."""
    options = BasinOptions()
    m2 = dm.models.get(MODEL_2D)
    p2 = m2.preset(PRESET_2D)
    g2 = np.linspace(*BOX, RESOLUTION_2D)
    bm2 = dm.basins(m2, p2, grid=(g2, g2), options=options)
    mf = dm.models.get(MODEL_FULL)
    pf = mf.preset(PRESET_FULL)
    gf = np.linspace(*BOX, RESOLUTION_FULL)
    bmf = dm.basins(mf, pf, grid=(gf, gf), x=AXES_FULL[0], y=AXES_FULL[1], options=options)

    # The caption's claims, checked on every run.
    assert bm2.names == ("balanced", "entrenched"), bm2.names
    assert bmf.names == ("balanced", "entrenched (partner 1 pursues)"), bmf.names
    for bm in (bm2, bmf):
        assert bm.fractions["diverged"] == 0.0 and bm.fractions["undecided"] < 1e-3
        assert 0.0 < bm.fractions["balanced"] < 0.5
    # Along the diagonal of the symmetric reduced model the basin changes at the saddle.
    diag = bm2.labels[np.arange(RESOLUTION_2D), np.arange(RESOLUTION_2D)]
    below, above = g2 < 0.5 - 1e-9, g2 > 0.5 + 1e-9
    assert np.all(diag[below] == bm2.label_of("balanced"))
    assert np.all(diag[above] == bm2.label_of("entrenched"))
    # The full model's slice goes through its balanced state.
    balanced_f = next(e for e in dm.equilibria(mf, pf) if e.label == "balanced")
    off = np.isfinite(bmf.slice_state)
    np.testing.assert_allclose(bmf.slice_state[off], balanced_f.state[off], atol=1e-8)

    left = basin_map(bm2, fractions_in_legend=False, title="Reduced model")
    right = basin_map(bmf, fractions_in_legend=False, title="Full model")
    fig = compare(
        [left, right],
        titles=[
            f"Reduced model: {bm2.fractions['balanced']:.0%} of the square returns to balance",
            f"Full model (other states at balance): {bmf.fractions['balanced']:.0%} returns",
        ],
        width=1150,
        height=600,
        horizontal_spacing=0.1,
    )
    fig.update_xaxes(showgrid=False)
    fig.update_yaxes(showgrid=False)

    provenance = {
        "script": f"scripts/{Path(__file__).name}",
        "caption": CAPTION.format(b2=bm2.fractions["balanced"], bf=bmf.fractions["balanced"]),
        "models": [MODEL_2D, MODEL_FULL],
        "presets": [PRESET_2D, PRESET_FULL],
        "parameters": {PRESET_2D: p2, PRESET_FULL: pf},
        "grids": {
            MODEL_2D: {"x": "pursuit_1", "y": "distance_2", "box": BOX, "n": RESOLUTION_2D},
            MODEL_FULL: {
                "x": AXES_FULL[0],
                "y": AXES_FULL[1],
                "box": BOX,
                "n": RESOLUTION_FULL,
                "slice_state": bmf.slice_state,
            },
        },
        "fractions": {MODEL_2D: dict(bm2.fractions), MODEL_FULL: dict(bmf.fractions)},
        "t_max": {MODEL_2D: bm2.t_max, MODEL_FULL: bmf.t_max},
        "methods": {"basins": "dyadmodel.basins (integrate each start, match attractors)"},
        "tolerances": {"basins": options},
        "seed": SEED,
    }
    return save_figure(fig, outdir, NAME, provenance)


if __name__ == "__main__":
    for path in main(sys.argv[1] if len(sys.argv) > 1 else "figures"):
        print(path)
