"""Figure 6: regimes over attachment anxiety x avoidance, and the 16 attachment pairings.

Paper section: "Who gets stuck: attachment anxiety, avoidance and the regime map"
(phenomena 3 and 9 of paper/paper.md, "Phenomena and model design").

Left: the regime of ``pursuer-distancer-2d`` (other parameters at the anxious–avoidant
defaults) over partner 1's anxiety gain and partner 2's avoidance gain, each from 0 to
4, classified on a 21 x 21 grid from the equilibria (`dyadmodel.regime_map`), with
the two fold curves traced by two-parameter continuation drawn in black: they are the
exact boundaries of the bistable wedge where balance and entrenchment coexist. Right:
the regime of each pairing of attachment styles (partner 1 rows, partner 2 columns;
prototypical scores mapped to gains by `dyadmodel.attachment`), from
`dyadmodel.continuation.attachment_regime_table`. No random numbers are used.

Run: ``.venv/bin/python scripts/fig06_regime_map_attachment.py [outdir]`` (default
``figures/``).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from _common import save_figure

import dyadmodel as dm
from dyadmodel.attachment import DEFAULT_MAPPING
from dyadmodel.continuation import ContinuationOptions, attachment_regime_table
from dyadmodel.plot import attachment_regimes, compare, regime_map

NAME = "fig06_regime_map_attachment"
MODEL = "pursuer-distancer-2d"
PRESET = "anxious-avoidant"
X = ("anxiety_gain_1", (0.0, 4.0))
Y = ("avoidance_gain_2", (0.0, 4.0))
RESOLUTION = 21
SEED = None  # deterministic: nothing is random
CAPTION = (
    "Left: regimes of the reduced pursuer–distancer model over partner 1's anxiety gain "
    "and partner 2's avoidance gain (21 x 21 grid); black: the fold curves (tipping "
    "boundaries) traced by continuation, which bound the bistable wedge where balance "
    "and entrenchment coexist (grey cells: a second stable state that is one-sided, "
    "high pursuit or high distance only, rather than entrenched). Right: the regime "
    "of each pairing of prototypical "
    "attachment styles; only an anxious or fearful partner 1 with an avoidant or "
    "fearful partner 2 can become entrenched."
)


def _crossing(curve, y_value: float) -> float:
    """The x value where a fold curve crosses the horizontal line y = y_value."""
    x, y = np.asarray(curve.x_values), np.asarray(curve.y_values)
    k = np.flatnonzero(np.diff(np.sign(y - y_value)) != 0)[0]
    return float(x[k] + (y_value - y[k]) * (x[k + 1] - x[k]) / (y[k + 1] - y[k]))


def main(outdir: str | Path = "figures") -> list[Path]:
    """Compute, draw and save figure 6; return the files written."""
    model = dm.models.get(MODEL)
    p = model.preset(PRESET)
    options = ContinuationOptions()
    result = dm.regime_map(model, p, X, Y, RESOLUTION, options)
    table = attachment_regime_table(model)

    # The caption's claims, checked on every run.
    assert len(result.fold_curves) == 2, result
    ix = int(np.argmin(np.abs(result.x_values - p[X[0]])))
    iy = int(np.argmin(np.abs(result.y_values - p[Y[0]])))
    assert result.regimes[iy, ix] == "bistable"  # the default couple
    assert result.regimes[0, -1] == "balanced only"  # no avoidance: no entrenchment
    # Along y = default avoidance gain the fold curves cross at the one-parameter folds.
    folds = sorted(f.value for f in dm.continuation(model, p, X[0], X[1], options).folds)
    crossings = sorted(_crossing(c, p[Y[0]]) for c in result.fold_curves)
    np.testing.assert_allclose(crossings, folds, atol=1e-3)
    regimes = {(r.style_1, r.style_2): r.regime for r in table}
    assert len(regimes) == 16
    bistable = sorted(k for k, v in regimes.items() if v == "bistable")
    assert bistable == [
        ("anxious", "avoidant"),
        ("anxious", "fearful"),
        ("fearful", "avoidant"),
        ("fearful", "fearful"),
    ], bistable
    assert all(v == "balanced only" for k, v in regimes.items() if k not in bistable)

    left = regime_map(result, title="Regimes")
    right = attachment_regimes(table, title="Attachment pairings")
    fig = compare(
        [left, right],
        titles=[
            "Regimes over anxiety × avoidance, with fold curves",
            "Attachment-style pairings (prototypical scores)",
        ],
        width=1200,
        height=620,
        horizontal_spacing=0.13,
    )
    fig.update_yaxes(autorange="reversed", row=1, col=2)  # partner 1 'secure' on top
    fig.update_xaxes(showgrid=False)
    fig.update_yaxes(showgrid=False)

    provenance = {
        "script": f"scripts/{Path(__file__).name}",
        "caption": CAPTION,
        "models": [MODEL],
        "presets": [PRESET],
        "parameters": {PRESET: p},
        "regime_map": {
            "x": X,
            "y": Y,
            "resolution": RESOLUTION,
            "regime_counts": result.regime_counts(),
            "fold_crossings_at_default_avoidance": crossings,
            "notes": list(result.notes),
        },
        "attachment_regimes": [
            {"style_1": r.style_1, "style_2": r.style_2, "regime": r.regime} for r in table
        ],
        "attachment_mapping": repr(DEFAULT_MAPPING),
        "methods": {
            "regime_map": "dyadmodel.regime_map (equilibria per grid point, uncertified)",
            "fold_curves": "two-parameter continuation of folds (dyadmodel.continuation)",
            "attachment": "dyadmodel.continuation.attachment_regime_table",
        },
        "tolerances": {"continuation": options},
        "seed": SEED,
    }
    return save_figure(fig, outdir, NAME, provenance)


if __name__ == "__main__":
    for path in main(sys.argv[1] if len(sys.argv) > 1 else "figures"):
        print(path)
