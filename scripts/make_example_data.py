"""Write the synthetic example data set ``examples/couples_daily.csv`` (seeded, byte-stable).

Twelve couples, 60 days each, both partners rating ``closeness`` once a day: long
format, one row per person and day, with a distinguishing variable ``female`` (0/1), a
person-level covariate ``anxiety`` (constant per person), a couple-level covariate
``years`` (relationship length, equal for both partners) and a known daily input
``stress`` per person. The data are simulated, not collected: no licence question.

Each couple follows the registered ``coupled-oscillator`` model (daily time unit) with
its own parameters, drawn around a period of about 9 days with weak damping and weak
coupling; the exact solution of the linear model is sampled daily (matrix
exponential, no integrator tolerance involved), each person gets their own level and
linear trend, measurement noise (SD 0.3 on a scale whose swings are about ±4) and a
few missing days (3%). The true parameters are written next to the data
(``couples_daily_truth.csv``) so that estimates can be compared with them. Values are
written with 4 decimals, so the files' bytes depend only on the seed.

Run: ``.venv/bin/python scripts/make_example_data.py [outdir]`` (default ``examples/``).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.linalg import expm

import dyadmodel as dm

SEED = 20240514
N_COUPLES = 12
N_DAYS = 60
NOISE_SD = 0.3
MISSING_FRACTION = 0.03


def couple_parameters(rng: np.random.Generator) -> dict[str, float]:
    """Parameters of one couple, in the registered model's names."""
    period = rng.uniform(7.0, 11.0, size=2)
    eta = -((2 * np.pi / period) ** 2)
    return {
        "eta_x": eta[0],
        "zeta_x": rng.uniform(-0.08, -0.01),
        "eta_xy": rng.uniform(-0.05, 0.05),
        "zeta_xy": rng.uniform(-0.05, 0.05),
        "eta_y": eta[1],
        "zeta_y": rng.uniform(-0.08, -0.01),
        "eta_yx": rng.uniform(-0.05, 0.05),
        "zeta_yx": rng.uniform(-0.05, 0.05),
    }


def simulate_couple(params: dict[str, float], x0: np.ndarray) -> np.ndarray:
    """Daily states (x, vx, y, vy) of the linear model from ``x0``: exact solution."""
    model = dm.models.get("coupled-oscillator")
    A = model.jacobian(np.zeros(4), model.params(params))  # linear: rhs = A state
    step = expm(A)  # one day
    states = np.empty((N_DAYS, 4))
    states[0] = x0
    for k in range(1, N_DAYS):
        states[k] = step @ states[k - 1]
    return states


def build(rng: np.random.Generator) -> tuple[pd.DataFrame, pd.DataFrame]:
    rows, truth = [], []
    days = np.arange(N_DAYS)
    for couple in range(1, N_COUPLES + 1):
        params = couple_parameters(rng)
        x0 = np.array([rng.uniform(2, 4), 0.0, rng.uniform(-4, -2), 0.0])
        states = simulate_couple(params, x0)
        female_first = bool(rng.integers(0, 2))  # the woman has the lower person id
        years = round(float(rng.uniform(1, 25)), 1)
        for partner, column in ((0, 0), (1, 2)):  # partner 1 (x) is female = 0
            # person ids do not always sort like the distinguishing variable
            person = 100 * couple + (2 - partner if female_first else partner + 1)
            level, slope = rng.uniform(4.0, 6.0), rng.uniform(-0.02, 0.02)
            value = level + slope * days + states[:, column] + rng.normal(0, NOISE_SD, N_DAYS)
            value[rng.random(N_DAYS) < MISSING_FRACTION] = np.nan
            stress = np.clip(rng.normal(3.0, 1.0, N_DAYS), 0.0, 6.0)
            anxiety = round(float(rng.uniform(1, 7)), 2)
            for d in days:
                rows.append(
                    {
                        "couple": couple,
                        "person": person,
                        "day": int(d),
                        "closeness": value[d],
                        "stress": stress[d],
                        "female": partner,  # 0 = partner 1 of the model
                        "anxiety": anxiety,
                        "years": years,
                    }
                )
        truth.append({"couple": couple, **params})
    table = pd.DataFrame(rows).sort_values(["couple", "day", "person"], kind="stable")
    return table, pd.DataFrame(truth)


def main(outdir: Path) -> None:
    outdir.mkdir(parents=True, exist_ok=True)
    table, truth = build(np.random.default_rng(SEED))
    table.to_csv(outdir / "couples_daily.csv", index=False, float_format="%.4f")
    truth.to_csv(outdir / "couples_daily_truth.csv", index=False, float_format="%.6f")
    print(f"wrote {outdir / 'couples_daily.csv'} ({len(table)} rows) and the true parameters")


if __name__ == "__main__":
    main(
        Path(sys.argv[1])
        if len(sys.argv) > 1
        else Path(__file__).resolve().parent.parent / "examples"
    )
