"""Which stable equilibrium a batch of states settles on (deterministic continuation).

The basin of a state is decided by integrating it forward, all states of a batch at
once with a fixed-step classical Runge–Kutta scheme on numpy arrays (the model's
compiled right-hand side broadcasts over batches), until each one is close to one of
the model's stable equilibria. Used by the tipping statistics and the intervention
comparison when the model is not planar (for a planar bistable model the side of the
separatrix decides exactly; see `dyadmodel.simulate._separatrix`).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

import numpy as np

from dyadmodel.analysis import equilibria as _equilibria
from dyadmodel.errors import InvalidInputError
from dyadmodel.model import Model, ParameterSet

__all__ = ["DIVERGED", "UNDECIDED", "Attractors", "attractors"]

# the same codes as the basin maps (dyadmodel.simulate._basins)
DIVERGED = -1
UNDECIDED = -2


class Attractors:
    """The stable equilibria of a model at fixed parameters and inputs, and a batch
    classifier of states by the equilibrium they settle on.

    Attributes
    ----------
    states : ndarray, shape (k, n_states)
        The stable equilibria.
    labels : tuple of str
        Their labels ('balanced', 'entrenched (partner 1 pursues)', ...).
    radius : ndarray, shape (k,)
        A state within ``radius[j]`` of equilibrium ``j`` counts as settled there:
        5 % of the distance from ``j`` to the nearest other equilibrium (stable or
        not), so that the ball stays well inside the basin near the node.
    dt : float
        Runge–Kutta step: ``0.5 / max |eigenvalue|`` over all equilibria, at most 0.25
        (well inside the method's stability region near every equilibrium).
    """

    def __init__(self, model: Model, params: ParameterSet, inputs: dict[str, float]) -> None:
        eqs = _equilibria(model, params, inputs=inputs)
        stable = [e for e in eqs if e.stable]
        if not stable:
            raise InvalidInputError(
                f"model {model.name!r} at {params!r} has no stable equilibrium to settle on"
            )
        self.model = model
        self.params = params
        self.inputs = inputs
        self.states = np.array([e.state for e in stable], dtype=float)
        self.labels = tuple(e.label or f"equilibrium {k}" for k, e in enumerate(stable))
        others = np.array([e.state for e in eqs], dtype=float)
        radius = []
        for s in self.states:
            d = np.linalg.norm(others - s, axis=1)
            d = d[d > 1e-12]
            radius.append(0.05 * (d.min() if d.size else 1.0))
        self.radius = np.array(radius)
        lam = max(float(np.max(np.abs(e.eigenvalues))) for e in eqs)
        self.dt = min(0.25, 0.5 / lam) if lam > 0 else 0.25
        box = np.asarray(model.domain, dtype=float)
        self._bound = 1e3 * max(1.0, float(np.max(np.abs(box))))
        self._pv = params.as_array().tolist()
        self._uv = [inputs.get(u.name, u.default) for u in model.inputs]

    def index(self, label_prefix: str) -> int:
        """Position of the first stable equilibrium whose label starts with the prefix."""
        for k, lab in enumerate(self.labels):
            if lab.startswith(label_prefix):
                return k
        raise InvalidInputError(
            f"no stable equilibrium labelled {label_prefix!r} for model {self.model.name!r} "
            f"at these parameters; stable equilibria: {', '.join(self.labels)}"
        )

    def rhs(self, x: np.ndarray) -> np.ndarray:
        vals = self.model._rhs_fn(*x, *self._pv, *self._uv)
        return np.stack([np.broadcast_to(np.asarray(v, dtype=float), x.shape[1:]) for v in vals])

    def nearest(self, x: np.ndarray) -> np.ndarray:
        """Index of the stable equilibrium within its radius of each state, else `UNDECIDED`."""
        d = np.linalg.norm(x.T[:, None, :] - self.states[None, :, :], axis=2)  # (N, k)
        inside = d < self.radius[None, :]
        return np.where(inside.any(axis=1), np.argmax(inside, axis=1), UNDECIDED)

    def classify(self, x: Any, t_max: float = 2000.0) -> np.ndarray:
        """For each column of ``x`` (shape (n_states, N)): the index of the stable
        equilibrium it settles on within ``t_max``, `UNDECIDED` (-2) or `DIVERGED` (-1).
        """
        x = np.array(x, dtype=float).reshape(self.model.n_states, -1)
        out = self.nearest(x)
        live = np.flatnonzero(out == UNDECIDED)
        z = x[:, live]
        dt = self.dt
        steps = int(np.ceil(t_max / dt))
        with np.errstate(all="ignore"):
            for k in range(steps):
                if live.size == 0:
                    break
                k1 = self.rhs(z)
                k2 = self.rhs(z + 0.5 * dt * k1)
                k3 = self.rhs(z + 0.5 * dt * k2)
                k4 = self.rhs(z + dt * k3)
                z = z + dt / 6.0 * (k1 + 2 * k2 + 2 * k3 + k4)
                if k % 8 == 7 or k == steps - 1:
                    bad = ~np.all(np.isfinite(z), axis=0) | (
                        np.max(np.abs(z), axis=0) > self._bound
                    )
                    near = self.nearest(np.where(np.isfinite(z), z, 0.0))
                    near[bad] = DIVERGED
                    done = near != UNDECIDED
                    out[live[done]] = near[done]
                    live, z = live[~done], z[:, ~done]
        return out


@functools.lru_cache(maxsize=32)
def _cached(
    model: Model, params: ParameterSet, inputs: tuple[tuple[str, float], ...]
) -> Attractors:
    return Attractors(model, params, dict(inputs))


def attractors(
    model: Model, params: ParameterSet, inputs: Mapping[str, float] | float | None = None
) -> Attractors:
    """The (cached) `Attractors` of a model at constant inputs."""
    inp = model.constant_inputs(inputs, "settling")
    return _cached(model, params, tuple(sorted(inp.items())))
