"""Figure 12: profile likelihoods of fitted couples, and a parameter no data can determine.

Paper section: "From data to dynamics: fitting couples" (issue 14 §3).

Top two rows: the first two synthetic couples of figure 11 (``pursuer-distancer-2d``,
same seed and generation: anxiety and avoidance gains drawn around the anxious–avoidant
defaults, 60 observations over 30 time units, measurement noise SD 0.05), each profiled
with ``dm.fit.profile_likelihood(model, dyad, free=(anxiety_gain_1, avoidance_gain_2))``:
for each gain fixed on a grid, every other unknown (initial states, the other gain, the
noise SDs) is re-estimated, and ``-2 log LR = 2 (nll - min nll)`` is drawn against the
gain. The 95% interval (Raue et al. 2009) is where the profile stays below chi2(1, 0.95)
= 3.84. Bottom row: a user model ``x' = a, y' = b - c d y`` observed on 30 points, in
which the data determine only the product ``c d``: the profiles of ``c`` and ``d`` are
flat (structurally non-identifiable) as long as the other factor can compensate within
its bounds (0 to 100 and 0.01 to 100).

Run: ``.venv/bin/python scripts/fig12_profile_likelihoods.py [outdir]`` (default
``figures/``).
"""

from __future__ import annotations

import sys
from pathlib import Path

import fig11_fitted_couples as fig11
import numpy as np
import pandas as pd
from _common import TRAJECTORY_SETTINGS, save_figure
from scipy import stats

import dyadmodel as dm
from dyadmodel.fit import PROFILE_THRESHOLD
from dyadmodel.plot import profile_likelihood

NAME = "fig12_profile_likelihoods"
MODEL = "pursuer-distancer-2d"
PRESET = "anxious-avoidant"
FREE = ("anxiety_gain_1", "avoidance_gain_2")
SEED = fig11.SEED  # couples 1 and 2 are figure 11's first two
N_COUPLES = 2
SIGMA = fig11.SIGMA
TIMES = fig11.TIMES
PRODUCT_SEED = 3
PRODUCT_SIGMA = 0.02
PRODUCT_TIMES = np.linspace(0.0, 4.0, 30)
PRODUCT_TRUTH = {"a": 0.5, "b": 0.0, "c d": 0.8}
PRODUCT_FREE = ("a", "c", "d")
PRODUCT_EQUATIONS = {"x": "a", "y": "b - c*d*y"}
PRODUCT_PARAMETERS = {
    "a": 0.0,
    "b": 0.0,
    "c": {"default": 0.0, "bounds": (0.0, 100.0)},
    "d": {"default": 1.0, "bounds": (0.01, 100.0)},
}
FLAT = 1e-6  # -2 log LR below this counts as flat
CAPTION = (
    "Profile likelihoods (−2 log-likelihood ratio, blue) with the χ²(1, 0.95) = 3.84 "
    "threshold (dashed) and the 95% profile-likelihood interval on it (black; an "
    "arrowhead marks an end never reached). Top two rows: two synthetic couples of the 2D "
    "pursuer–distancer model (figure 11's first two); both gains are identifiable, each "
    "interval contains the true value (cross) and is as wide as the Fisher (Wald) "
    "interval to within 5%. Bottom row (log axes): a model in which the data determine "
    "only the product c·d; the profiles of c and d are flat (structurally "
    "non-identifiable) wherever the other factor can compensate within its bounds; c's "
    "profile rises only where d would have to leave them."
)


def product_couple() -> dm.data.DyadicData:
    """One dyad of the product model: a straight line and an exponential decay, noisy."""
    rng = np.random.default_rng(PRODUCT_SEED)
    t = PRODUCT_TIMES
    clean = np.array([1.0 + PRODUCT_TRUTH["a"] * t, np.exp(-PRODUCT_TRUTH["c d"] * t)])
    values = clean + rng.normal(0.0, PRODUCT_SIGMA, clean.shape)
    frame = pd.concat(
        pd.DataFrame({"couple": 1, "person": k + 1, "t": t, "v": values[k]}) for k in range(2)
    )
    return dm.data.read_dyadic(frame, dyad="couple", person="person", time="t", value="v")


def main(outdir: str | Path = "figures") -> list[Path]:
    """Compute, draw and save figure 12; return the files written."""
    model = dm.models.get(MODEL)
    base = model.preset(PRESET)
    data, truths = fig11.couples(model, base, n=N_COUPLES)
    fits = dm.fit(model, data, method="ml", free=FREE, params=base).table
    profiles, labels = [], []
    for dyad in data.dyads:
        found = dm.fit.profile_likelihood(model, dyad, FREE, free=FREE, params=base)
        for name in FREE:
            profiles.append(found[name])
            labels.append(f"couple {dyad.id} · {name}")
    product_model = dm.Model.from_equations(
        PRODUCT_EQUATIONS, parameters=PRODUCT_PARAMETERS, name="line-and-product"
    )
    product = dm.fit.profile_likelihood(
        product_model, product_couple()[1], PRODUCT_FREE, free=PRODUCT_FREE, n_starts=2
    )

    # The caption's claims, checked on every run.
    assert 2 * PROFILE_THRESHOLD == stats.chi2.ppf(0.95, 1)
    z = stats.norm.ppf(0.975)
    wald_ratio = []
    for k, prof in enumerate(profiles):
        truth = truths[k // 2][prof.parameter]
        row = fits.loc[data.dyads[k // 2].id]
        assert prof.verdict == "identifiable", (labels[k], prof.verdict)
        assert prof.ci[0] < truth < prof.ci[1], (labels[k], prof.ci, truth)
        assert abs(prof.estimate - row[prof.parameter]) < 1e-4 * abs(truth), labels[k]
        wald = 2 * z * row[f"se_{prof.parameter}"]
        wald_ratio.append((prof.ci[1] - prof.ci[0]) / wald)
    assert all(0.95 <= r <= 1.05 for r in wald_ratio), wald_ratio
    a, c, d = (product[p] for p in PRODUCT_FREE)
    assert a.verdict == "identifiable" and a.ci[0] < a.estimate < a.ci[1] < a.ci[0] + 0.1
    assert c.verdict == d.verdict == "structurally non-identifiable"
    assert abs(c.estimate * d.estimate / PRODUCT_TRUTH["c d"] - 1) < 0.05
    # flat wherever the other factor can compensate: c d = 0.8 needs 0.008 <= c <= 80
    inner_c = (c.values >= 0.13) & (c.values <= 60)
    assert inner_c.sum() >= 10 and np.all(2 * np.abs(c.delta_nll[inner_c]) < FLAT)
    assert d.values.min() == 0.01 and d.values.max() == 100.0
    assert np.all(2 * np.abs(d.delta_nll) < FLAT)

    fig = profile_likelihood(
        [*profiles, c, d],
        labels=[*labels, "product model · c", "product model · d"],
        columns=2,
    )
    for k, prof in enumerate(profiles):
        fig.add_scatter(
            x=[truths[k // 2][prof.parameter]],
            y=[0.0],
            mode="markers",
            marker={"color": "#D55E00", "symbol": "x", "size": 10},
            name="true value",
            legendgroup="truth",
            showlegend=k == 0,
            meta={"role": "truth"},
            row=k // 2 + 1,
            col=k % 2 + 1,
        )
    fig.update_xaxes(type="log", dtick=1, row=3)
    fig.update_layout(width=1100, height=1050)

    provenance = {
        "script": f"scripts/{Path(__file__).name}",
        "caption": CAPTION,
        "models": [MODEL, {"line-and-product": PRODUCT_EQUATIONS}],
        "presets": [PRESET],
        "parameters": {PRESET: base, "line-and-product": PRODUCT_PARAMETERS},
        "data": {
            "couples": N_COUPLES,
            "times": [float(TIMES[0]), float(TIMES[-1]), TIMES.size],
            "noise_sd": SIGMA,
            "true": [[t[p] for p in FREE] for t in truths],
            "product_model": {
                "times": [float(PRODUCT_TIMES[0]), float(PRODUCT_TIMES[-1]), PRODUCT_TIMES.size],
                "noise_sd": PRODUCT_SIGMA,
                "true": PRODUCT_TRUTH,
                "seed": PRODUCT_SEED,
            },
        },
        "profiles": {
            label: {
                "estimate": p.estimate,
                "ci": list(p.ci),
                "verdict": p.verdict,
                "values": p.values.tolist(),
                "minus_2_log_lr": (2 * p.delta_nll).tolist(),
            }
            for label, p in zip(
                [*labels, "product model · a", "product model · c", "product model · d"],
                [*profiles, a, c, d],
            )
        },
        "profile_over_wald_width": wald_ratio,
        "methods": {
            "fit": "dyadmodel.fit method 'ml' (forward sensitivities, least_squares)",
            "profiles": "dyadmodel.fit.profile_likelihood (Raue et al. 2009)",
            "threshold": "chi2(1, 0.95) on -2 log LR",
            "trajectories": TRAJECTORY_SETTINGS,
        },
        "tolerances": {"flat_minus_2_log_lr": FLAT},
        "seed": SEED,
    }
    return save_figure(fig, outdir, NAME, provenance)


if __name__ == "__main__":
    for path in main(sys.argv[1] if len(sys.argv) > 1 else "figures"):
        print(path)
