"""Newton polishing of an equilibrium near a point (shared by trajectories and manifolds)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from scipy.optimize import root

__all__ = ["polish_equilibrium"]


def polish_equilibrium(
    fn: Callable[[float, np.ndarray], np.ndarray],
    jac_fn: Callable[[float, np.ndarray], np.ndarray],
    x: np.ndarray,
    scale: float,
) -> np.ndarray | None:
    """The equilibrium of ``fn`` found by Newton's method (hybrid Powell) from ``x``, or
    None when there is none within ``1e-3 * scale`` of ``x``.

    scipy reports ``success=False`` ("xtol is too small, no further improvement") when
    the start is already a root to rounding error; what decides here is the residual.
    """
    sol = root(
        lambda z: fn(0.0, z),
        x,
        jac=lambda z: jac_fn(0.0, z),
        method="hybr",
        options={"xtol": 1e-14},
    )
    z = np.asarray(sol.x, dtype=float)
    if not np.all(np.isfinite(z)):
        return None
    residual = float(np.max(np.abs(fn(0.0, z))))
    if not (sol.success or residual <= 1e-12 * max(1.0, float(np.max(np.abs(z))))):
        return None
    if np.linalg.norm(z - x) > 1e-3 * scale:
        return None
    return z
