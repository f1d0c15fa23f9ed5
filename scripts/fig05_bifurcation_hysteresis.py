"""Figure 5: bifurcation diagram in partner 1's attachment anxiety, with the hysteresis loop.

Paper section: "Hysteresis: why undoing the trigger does not undo the pattern"
(phenomenon 3 of paper/paper.md, "Phenomena and model design").

The equilibria of ``pursuer-distancer-2d`` (anxious–avoidant defaults, partner 2's
avoidance gain 2) as partner 1's anxiety gain runs from 0 to 4, traced by
pseudo-arclength continuation (`dyadmodel.continuation`): stable states solid,
unstable (the saddle, the tipping threshold) dashed, and the two folds (saddle-node
points, the tipping points) marked. Over it, a slow ramp of the anxiety gain
(`dyadmodel.hysteresis_sweep`, rate 0.001 per time unit) up from 0 to 4 and back:
the couple follows the balanced branch up past the lower fold and only jumps into
entrenchment at the upper fold; on the way down it stays entrenched until the lower
fold. Between the folds, where the couple ends up depends on where it came from.
No random numbers are used.

Run: ``.venv/bin/python scripts/fig05_bifurcation_hysteresis.py [outdir]`` (default
``figures/``).
"""

from __future__ import annotations

import sys
from pathlib import Path

from _common import save_figure

import dyadmodel as dm
from dyadmodel.continuation import ContinuationOptions
from dyadmodel.plot import bifurcation_diagram

NAME = "fig05_bifurcation_hysteresis"
MODEL = "pursuer-distancer-2d"
PRESET = "anxious-avoidant"
PARAM = "anxiety_gain_1"
SPAN = (0.0, 4.0)
STATE = "pursuit_1"
RATE = 1e-3  # parameter units per time unit
SAMPLES = 4001  # per ramp
SEED = None  # deterministic: nothing is random
CAPTION = (
    "Equilibria of partner 1's pursuit as partner 1's anxiety gain varies (anxious–"
    "avoidant couple). Solid: stable (balanced below, entrenched above); dashed: the "
    "unstable tipping threshold. Diamonds: the two folds (tipping points) at "
    "a₁ = {lo:.4f} and {hi:.4f}. Thin lines: a slow ramp of a₁ up and back down; the "
    "couple jumps to entrenchment at a₁ ≈ {up:.3f} on the way up but returns to balance "
    "only at a₁ ≈ {down:.3f} on the way down: a hysteresis loop."
)


def main(outdir: str | Path = "figures") -> list[Path]:
    """Compute, draw and save figure 5; return the files written."""
    model = dm.models.get(MODEL)
    p = model.preset(PRESET)
    options = ContinuationOptions()
    diagram = dm.continuation(model, p, PARAM, SPAN, options)
    sweep = dm.hysteresis_sweep(model, p, PARAM, SPAN, rate=RATE, samples=SAMPLES)

    # The caption's claims, checked on every run.
    assert diagram.ok, diagram.notes
    folds = diagram.folds
    assert len(folds) == 2 and all(f.verified for f in folds), diagram
    assert not diagram.hopf_points and not diagram.branch_points, diagram
    lo, hi = sorted(f.value for f in folds)
    assert 1.55 < lo < 1.65 and 3.3 < hi < 3.4, (lo, hi)
    (up,) = sweep.up.jumps
    (down,) = sweep.down.jumps
    # A slow ramp jumps just past each fold (delayed by about rate**(2/3) ~ 0.01-0.1).
    assert hi < up < hi + 0.15 and lo - 0.15 < down < lo, (up, down)

    fig = bifurcation_diagram(
        diagram,
        STATE,
        hysteresis=sweep,
        label_offsets=[(-90, 0), (0, -45)],  # lower fold: left of the down jump
        title="Hysteresis: tipping up at one fold, back down only at the other",
        width=900,
        height=560,
    )
    caption = CAPTION.format(lo=lo, hi=hi, up=up, down=down)
    provenance = {
        "script": f"scripts/{Path(__file__).name}",
        "caption": caption,
        "models": [MODEL],
        "presets": [PRESET],
        "parameters": {PRESET: p},
        "continuation": {"param": PARAM, "span": SPAN, "state": STATE},
        "folds": [{"value": f.value, "state": f.state} for f in folds],
        "sweep": {"rate": RATE, "samples": SAMPLES, "jump_up": up, "jump_down": down},
        "methods": {
            "continuation": "dyadmodel.continuation (pseudo-arclength, Keller 1977)",
            "hysteresis": "dyadmodel.hysteresis_sweep (LSODA, rtol 1e-8)",
        },
        "tolerances": {"continuation": options},
        "seed": SEED,
    }
    return save_figure(fig, outdir, NAME, provenance)


if __name__ == "__main__":
    for path in main(sys.argv[1] if len(sys.argv) > 1 else "figures"):
        print(path)
