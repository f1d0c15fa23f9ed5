"""Figure 13: where pursue–withdraw cycles are born and how they die; the synergic
couple's two-parameter diagram.

Paper section: "Cycles: birth, folds and homoclinic ends" (issue 16 §6).

Left: the six-state ``pursuer-distancer`` model at its ``pursue-withdraw-cycles``
preset (a very anxious pursuer who exhausts), continued in partner 1's exhaustion (how
strongly her frustration suppresses her approach), ``exhaustion_1`` from 0.5 to 2: the
equilibria (`dyadmodel.continuation`, with the first Lyapunov coefficient of every
Hopf point) and the cycles born at the first Hopf point (`dyadmodel.continue_cycle`),
drawn as the maximum and minimum of partner 1's approach, solid where stable, dashed
where unstable, with their folds (LPC) and period doublings (only those the multipliers
confirm; the JSON lists every point the branch reported).

Right: the synergic couple (``rinaldi-synergic``; Gragnani, Rinaldi & Feichtinger
1997) in the plane of the two forgetting rates (alpha1, alpha2): the fold curves of
equilibria (`dyadmodel.continuation.fold_curve`), the Hopf curve with its
Bogdanov–Takens and Bautin points (`dyadmodel.hopf_curve`; solid where supercritical,
dotted where subcritical), and the curves of folds of cycles and of homoclinic ends
(`dyadmodel.continuation.cycle_curves`: the cycles continued in alpha1 from the Hopf
curve at 15 values of alpha2, with bisection where a curve begins or ends). Where the
cycles end on a saddle-node of equilibria (a saddle-node on the invariant cycle, SNIC)
the homoclinic curve lies on a fold curve; beyond the point where this turns into a
homoclinic orbit to a saddle, it runs to the Bogdanov–Takens point. No random numbers
are used; every computation has a budget far above what it needs, and the script
checks that none was hit.

Run: ``.venv/bin/python scripts/fig13_cycles.py [outdir]`` (default ``figures/``).
"""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import numpy as np
from _common import save_figure
from plotly.subplots import make_subplots

import dyadmodel as dm
from dyadmodel.continuation import (
    ContinuationOptions,
    CycleCurveOptions,
    CycleOptions,
    cycle_curves,
    fold_curve,
)
from dyadmodel.plot import bifurcation_diagram, theme

NAME = "fig13_cycles"
SEED = None  # deterministic: nothing is random
FLAGSHIP, PRESET = "pursuer-distancer", "pursue-withdraw-cycles"
FRUSTRATION, FRUSTRATION_SPAN = "exhaustion_1", (0.5, 2.0)
STATE = "approach_1"
SYNERGIC, X, Y = "rinaldi-synergic", "alpha1", "alpha2"
X_SPAN, Y_SPAN = (0.2, 0.45), (0.15, 0.5)
EQ_OPTIONS = ContinuationOptions(seeds=2, max_seconds=1800.0)
CYCLE_OPTIONS = CycleOptions(max_seconds=600.0)
CURVE_OPTIONS = CycleCurveOptions(
    n_steps=15, refine_ends=4, cycle=CycleOptions(ntst=40, max_points=300, max_seconds=600.0),
    max_seconds=3600.0,
)  # fmt: skip
CAPTION = (
    "Left: the six-state model's pursue–withdraw cycles as partner 1's exhaustion "
    "changes (maximum and minimum of her approach; black: equilibria, blue: cycles; "
    "solid stable, dashed unstable). The steady state loses stability at a subcritical "
    "Hopf point (exhaustion {hopf1:.4f}); the unstable cycles born there fold back at "
    "{lpc_low:.4f} into the stable relaxation cycle, so rest and cycling coexist in "
    "between. Right: the synergic couple's plane of forgetting rates: fold curves "
    "(black), Hopf curve (purple; dotted where subcritical), folds of cycles (blue "
    "dashed) and homoclinic ends (orange: saddle-node on the cycle; red dotted: "
    "homoclinic orbit to a saddle), around the Bogdanov–Takens point "
    "(α1 = {bt_x:.4f}, α2 = {bt_y:.4f})."
)


def flagship_panel():
    """The 6-state model in exhaustion_1: equilibria and the cycles from the first Hopf
    point."""
    model = dm.models.get(FLAGSHIP)
    p = model.preset(PRESET)
    d = dm.continuation(model, p, FRUSTRATION, FRUSTRATION_SPAN, EQ_OPTIONS)
    hopf = d.hopf_points[0]
    b = dm.continue_cycle(model, None, FRUSTRATION, FRUSTRATION_SPAN, start=hopf,
                          options=CYCLE_OPTIONS)  # fmt: skip
    assert b.status != "budget", b.end
    return model, p, d, b


def synergic_plane():
    """Fold, Hopf and cycle curves of the synergic couple in (alpha1, alpha2)."""
    model = dm.models.get(SYNERGIC)
    d = dm.continuation(model, None, X, X_SPAN, EQ_OPTIONS)
    (hopf,) = d.hopf_points
    hc = dm.hopf_curve(model, None, hopf, Y, Y_SPAN, EQ_OPTIONS, x_span=X_SPAN)
    folds = []
    for f in d.folds:
        c = fold_curve(model, f, Y, X_SPAN, Y_SPAN, EQ_OPTIONS)
        same = any(
            np.min(np.hypot(o.x_values - f.value, o.y_values - f.params[Y])) < 1e-6 for o in folds
        )
        if not same:
            folds.append(c)
    curves = cycle_curves(model, None, hc, Y, Y_SPAN, X_SPAN, CURVE_OPTIONS)
    for c in curves.values():
        assert c.completed, c.ends
    return model, d, hopf, hc, folds, curves


def confirmed(s) -> bool:
    """A cycle bifurcation drawn in the figure: located (``refined``) and, for a period
    doubling, with a multiplier within 1e-3 of -1, for a Neimark-Sacker point with a
    complex pair within 1e-3 of the unit circle (the test functions can also change
    sign where the multipliers are inaccurate, e.g. where the mesh stops resolving the
    orbit)."""
    if not s.refined:
        return False
    mu = np.asarray(s.multipliers)
    if s.kind == "PD":
        return bool(np.min(np.abs(mu + 1)) < 1e-3)
    if s.kind == "NS":
        pair = mu[np.abs(mu.imag) > 1e-6]
        return bool(pair.size and np.min(np.abs(np.abs(pair) - 1)) < 1e-3)
    return True


def _segments(mask: np.ndarray) -> list[slice]:
    """Maximal runs of True in ``mask``, each extended by one point so runs touch."""
    out, start = [], None
    for k, m in enumerate(mask):
        if m and start is None:
            start = k
        if not m and start is not None:
            out.append(slice(start, min(k + 1, len(mask))))
            start = None
    if start is not None:
        out.append(slice(start, len(mask)))
    return out


def main(outdir: str | Path = "figures") -> list[Path]:
    """Compute, draw and save figure 13; return the files written."""
    model, p, d, b = flagship_panel()
    smodel, _, shopf, hc, folds, curves = synergic_plane()
    lpc, hom = curves["LPC"], curves["homoclinic"]
    (bt,) = hc.bogdanov_takens

    # -- the claims of the caption and the paper, checked on every run -------------------
    hopf1 = d.hopf_points[0]
    assert hopf1.criticality == "subcritical" and hopf1.first_lyapunov > 0
    lpcs = b.of_kind("LPC")
    lpc_low = min(s.value for s in lpcs if s.refined)
    assert lpc_low < hopf1.value  # the unstable cycles fold back below the Hopf point
    assert shopf.criticality == "supercritical"  # Gragnani et al. (1997)
    kinds = np.array(hom.saddle_kinds)
    assert {"saddle", "saddle-node"} <= set(kinds)
    saddle = (kinds == "saddle") & hom.refined
    snic = (kinds == "saddle-node") & hom.refined
    # the saddle homoclinic curve nearest the BT point (branches from Hopf points closer
    # to it fail to start: their cycles are too small and too slow)
    dist = np.hypot(hom.x_values - bt.x_value, hom.y_values - bt.y_value)
    k_bt = int(np.argmin(np.where(saddle, dist, np.inf)))
    assert abs(hom.y_values[k_bt] - bt.y_value) < 0.005
    assert abs(hom.x_values[k_bt] - bt.x_value) < 1e-3
    # where the SNIC turns into a homoclinic orbit to a saddle (a saddle-node-loop point)
    k_snic = int(np.argmax(np.where(snic, hom.y_values, -np.inf)))
    beyond = saddle & (hom.y_values > hom.y_values[k_snic])
    gaps = np.where(beyond, np.abs(hom.x_values - hom.x_values[k_snic]), np.inf)
    k_loop = int(np.argmin(gaps))
    assert gaps[k_loop] < 2e-3
    snic_to_saddle = {
        "last_snic": [float(hom.x_values[k_snic]), float(hom.y_values[k_snic])],
        "first_saddle": [float(hom.x_values[k_loop]), float(hom.y_values[k_loop])],
    }
    turn = int(np.argmax(np.where(saddle, hom.y_values, -np.inf)))

    # -- drawing ---------------------------------------------------------------------------
    drawn = dataclasses.replace(b, special=tuple(s for s in b.special if confirmed(s)))
    left = bifurcation_diagram(d, STATE, cycles=[drawn], label_points=False)
    fig = make_subplots(
        rows=1,
        cols=2,
        horizontal_spacing=0.1,
        subplot_titles=(
            "Pursue–withdraw cycles vs partner 1's exhaustion",
            "Synergic couple: forgetting rates α1, α2",
        ),
    )
    for tr in left.data:
        fig.add_trace(tr, row=1, col=1)
    okabe = theme.OKABE_ITO
    for k, c in enumerate(folds):
        fig.add_scatter(
            x=c.x_values, y=c.y_values, mode="lines", line={"color": "#000000", "width": 2.4},
            name="fold of equilibria", legendgroup="fold", showlegend=k == 0,
            meta={"role": "fold-curve", "index": k}, row=1, col=2,
        )  # fmt: skip
    l1 = hc.first_lyapunov
    for sub in (False, True):
        for k, seg in enumerate(_segments((l1 > 0) == sub)):
            fig.add_scatter(
                x=hc.x_values[seg], y=hc.y_values[seg], mode="lines",
                line={"color": okabe["reddish_purple"], "width": 2.6,
                      "dash": "dot" if sub else "solid"},
                name=f"Hopf ({'subcritical' if sub else 'supercritical'})",
                legendgroup=f"hopf-{sub}", showlegend=k == 0,
                meta={"role": "hopf-curve", "subcritical": sub}, row=1, col=2,
            )  # fmt: skip
    for piece in range(lpc.n_pieces):
        x, y = lpc.piece(piece)
        fig.add_scatter(
            x=x, y=y, mode="lines+markers", marker={"size": 4},
            line={"color": okabe["blue"], "width": 2.2, "dash": "dash"},
            name="fold of cycles (LPC)", legendgroup="lpc", showlegend=piece == 0,
            meta={"role": "lpc-curve", "piece": piece}, row=1, col=2,
        )  # fmt: skip
    for kind, colour, dash, label in (
        ("saddle-node", okabe["orange"], "solid", "cycles end on a saddle-node (SNIC)"),
        ("saddle", okabe["vermillion"], "dot", "homoclinic orbit to a saddle"),
    ):
        shown = False
        for piece in range(hom.n_pieces):
            sel = (hom.pieces == piece) & (kinds == kind) & hom.refined
            if not sel.any():
                continue
            fig.add_scatter(
                x=hom.x_values[sel], y=hom.y_values[sel], mode="lines+markers",
                marker={"size": 5, "color": colour},
                line={"color": colour, "width": 2.6, "dash": dash},
                name=label, legendgroup=kind, showlegend=not shown,
                meta={"role": "homoclinic-curve", "kind": kind, "piece": piece},
                row=1, col=2,
            )  # fmt: skip
            shown = True
    codim2 = [(q, "diamond", "Bogdanov–Takens") for q in hc.bogdanov_takens]
    codim2 += [(q, "circle", "Bautin") for q in hc.bautin]
    codim2 += [(q, "star", "cusp") for c in folds for q in c.cusps]
    for k, (q, symbol, label) in enumerate(codim2):
        fig.add_scatter(
            x=[q.x_value], y=[q.y_value], mode="markers",
            marker={"symbol": symbol, "size": 12, "color": "#000000"},
            name=label, legendgroup=q.kind,
            showlegend=all(other[2] != label for other in codim2[:k]),
            meta={"role": q.kind}, row=1, col=2,
        )  # fmt: skip
    fig.add_scatter(
        x=[shopf.value], y=[shopf.params[Y]], mode="markers",
        marker={"symbol": "x", "size": 10, "color": okabe["reddish_purple"]},
        name="default couple (Hopf point in α1)", meta={"role": "default"}, row=1, col=2,
    )  # fmt: skip
    par = model.parameter(FRUSTRATION)
    fig.update_xaxes(title_text=theme.parameter_title(par), range=list(FRUSTRATION_SPAN),
                     row=1, col=1)  # fmt: skip
    fig.update_yaxes(title_text=theme.axis_title(model.states[model.state_index(STATE)]),
                     row=1, col=1)  # fmt: skip
    fig.update_xaxes(title_text="α1 (partner 1's forgetting rate)", range=list(X_SPAN),
                     row=1, col=2)  # fmt: skip
    fig.update_yaxes(title_text="α2 (partner 2's forgetting rate)", range=list(Y_SPAN),
                     row=1, col=2)  # fmt: skip
    fig.update_layout(width=1300, height=700, legend={"font": {"size": 11}, "tracegroupgap": 2})
    theme_title = CAPTION.split(".")[0]
    fig.update_layout(title={"text": "Cycles: birth, folds and homoclinic ends"},
                      meta={"kind": "figure 13", "caption_head": theme_title})  # fmt: skip

    caption = CAPTION.format(hopf1=hopf1.value, lpc_low=lpc_low, bt_x=bt.x_value, bt_y=bt.y_value)
    provenance = {
        "script": f"scripts/{Path(__file__).name}",
        "caption": caption,
        "models": [FLAGSHIP, SYNERGIC],
        "presets": [PRESET],
        "parameters": {PRESET: p, SYNERGIC: smodel.parameter_set(None)},
        "flagship": {
            "param": FRUSTRATION,
            "span": list(FRUSTRATION_SPAN),
            "special_points": [
                {
                    "kind": s.kind,
                    "value": s.value,
                    "first_lyapunov": s.first_lyapunov,
                    "criticality": s.criticality,
                }
                for s in d.special_points
            ],
            "cycles": {
                "from_hopf": hopf1.value,
                "points": len(b),
                "param_range": [float(b.param_values.min()), float(b.param_values.max())],
                "period_range": [float(b.periods.min()), float(b.periods.max())],
                "stable_range": [
                    float(b.param_values[b.stable].min()),
                    float(b.param_values[b.stable].max()),
                ]
                if b.stable.any()
                else None,
                "special": [
                    {"kind": s.kind, "value": s.value, "period": s.period, "refined": s.refined}
                    for s in b.special
                ],
                "end": b.end,
            },
        },
        "synergic": {
            "hopf_in_alpha1": {"value": shopf.value, "first_lyapunov": shopf.first_lyapunov},
            "codim_two": [{"kind": q.kind, X: q.x_value, Y: q.y_value} for q, _, _ in codim2],
            "fold_curves": len(folds),
            "lpc": {
                "pieces": [
                    {
                        "alpha2": [float(v) for v in lpc.piece(k)[1][[0, -1]]],
                        "alpha1": [float(v) for v in lpc.piece(k)[0][[0, -1]]],
                    }
                    for k in range(lpc.n_pieces)
                ],
                "ends": list(lpc.ends),
            },
            "homoclinic": {
                "points": len(hom),
                "unrefined_not_drawn": int((~hom.refined).sum()),
                "snic_to_saddle": snic_to_saddle,
                "nearest_to_bogdanov_takens": [
                    float(hom.x_values[k_bt]),
                    float(hom.y_values[k_bt]),
                ],
                "highest_alpha2": [float(hom.x_values[turn]), float(hom.y_values[turn])],
                "ends": list(hom.ends),
            },
            "continuations": len(hom.y_steps),
        },
        "methods": {
            "equilibria": "dyadmodel.continuation (pseudo-arclength), first Lyapunov "
            "coefficients from exact symbolic derivatives",
            "cycles": "dyadmodel.continue_cycle (orthogonal collocation, Gauss points, "
            "adaptive mesh; Floquet multipliers; LPC/PD/NS located by Brent)",
            "two_parameter": "fold_curve, hopf_curve (extended systems); cycle_curves "
            "(cycles continued from the Hopf curve at steps of alpha2, bisection at ends)",
            "options": {
                "equilibria": EQ_OPTIONS,
                "cycles": CYCLE_OPTIONS,
                "cycle_curves": CURVE_OPTIONS,
            },
        },
        "seed": SEED,
    }
    return save_figure(fig, outdir, NAME, provenance)


if __name__ == "__main__":
    for path in main(sys.argv[1] if len(sys.argv) > 1 else "figures"):
        print(path)
