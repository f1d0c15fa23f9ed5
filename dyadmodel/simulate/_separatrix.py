"""Which side of the tipping threshold a state is on, for a planar bistable model.

In a planar model with two stable equilibria and one saddle between them, the saddle's
stable manifold (traced by `dyadmodel.separatrices`) is the boundary between the two
basins: the tipping threshold of phenomenon 3 (paper/paper.md, "Phenomena and model
design"). `Separatrix` turns the traced curve into a signed distance, positive on the
side of the entrenched equilibrium, so that "which basin" is a sign and "crossing the
threshold" is a zero of a continuous function, which solvers can locate.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

import numpy as np
from scipy.spatial import cKDTree

from dyadmodel.analysis import equilibria as _equilibria
from dyadmodel.analysis import separatrices as _separatrices
from dyadmodel.errors import InvalidInputError
from dyadmodel.model import Model, ParameterSet

__all__ = ["Separatrix", "separatrix"]


class Separatrix:
    """The stable manifold of the one saddle of a bistable planar model, as a polyline.

    Attributes
    ----------
    curve : ndarray, shape (2, k)
        The traced stable manifold through the saddle, ends on the domain boundary.
    saddle : ndarray, shape (2,)
    positive, negative : Equilibrium
        The stable equilibria on the positive side (the one labelled 'entrenched' if
        there is one) and on the negative side.
    """

    def __init__(self, model: Model, params: ParameterSet, inputs: dict[str, float]) -> None:
        if model.n_states != 2:
            raise InvalidInputError(
                f"the tipping threshold is traced as a curve only for planar models; model "
                f"{model.name!r} has {model.n_states} states (its threshold is a "
                f"{model.n_states - 1}-dimensional surface): decide basins by settling "
                "instead (dyadmodel.simulate.tipping_statistics does so)"
            )
        eqs = _equilibria(model, params, inputs=inputs)
        stable = [e for e in eqs if e.stable]
        saddles = [e for e in eqs if e.is_saddle]
        if len(stable) != 2 or len(saddles) != 1:
            kinds = ", ".join(f"{e.kind} at {np.round(e.state, 4).tolist()}" for e in eqs)
            raise InvalidInputError(
                f"model {model.name!r} at {params!r} has no single tipping threshold: it "
                f"needs two stable equilibria and one saddle, and has: {kinds or 'none'}"
            )
        (sm,) = _separatrices(model, params, saddles, inputs=inputs)
        curve = sm.curve("stable")
        if curve.shape[1] < 3:
            raise InvalidInputError(f"the stable manifold of the saddle was not traced: {sm.notes}")
        self.model_name = model.name
        self.params = params
        self.inputs = tuple(inputs.items())
        self.curve = curve
        self.saddle = np.asarray(saddles[0].state, dtype=float)
        self._a = curve[:, :-1].T.copy()  # (m, 2) segment starts
        self._d = np.diff(curve, axis=1).T.copy()  # (m, 2) segment vectors
        self._dd = np.einsum("ij,ij->i", self._d, self._d)
        self._dd[self._dd == 0] = 1.0
        self._tree = cKDTree(curve.T)
        self._sign = 1.0
        first, second = stable
        if second.label.startswith("entrenched") and not first.label.startswith("entrenched"):
            pos, neg = second, first
        elif first.label.startswith("entrenched"):
            pos, neg = first, second
        else:  # no couple vocabulary: the one farther from the origin is positive
            far = np.linalg.norm(second.state) >= np.linalg.norm(first.state)
            pos, neg = (second, first) if far else (first, second)
        s_pos = float(self.signed_distance(pos.state))
        s_neg = float(self.signed_distance(neg.state))
        if s_pos * s_neg >= 0:
            raise InvalidInputError(
                "the traced stable manifold does not separate the two stable equilibria "
                f"({pos.state.tolist()} and {neg.state.tolist()}); the basins are not "
                "bounded by one curve in the model's domain"
            )
        self._sign = 1.0 if s_pos > 0 else -1.0
        self.positive, self.negative = pos, neg
        self._sides: dict[tuple, Any] = {}

    def signed_distance(self, x: Any) -> Any:
        """Distance to the threshold curve, positive on the entrenched side.

        ``x`` of shape (2,) gives a float; (2, k) gives shape (k,). The nearest segment is
        sought among those next to the four nearest vertices (exact for a curve traced as
        finely as `dyadmodel.separatrices` does, compared with its curvature). Points
        beyond the ends of the traced curve (outside the domain) are measured to the end
        segments.
        """
        pts = np.asarray(x, dtype=float)
        single = pts.ndim == 1
        p = pts.reshape(2, -1).T  # (k, 2)
        m = self._a.shape[0]
        _, near_v = self._tree.query(p, k=min(4, m + 1))
        near_v = np.atleast_2d(near_v).reshape(p.shape[0], -1)
        cand = np.concatenate([near_v - 1, near_v], axis=1).clip(0, m - 1)  # (k, c)
        a = self._a[cand]  # (k, c, 2)
        d = self._d[cand]
        rel = p[:, None, :] - a
        s = np.clip(np.einsum("kci,kci->kc", rel, d) / self._dd[cand], 0.0, 1.0)
        off = rel - s[:, :, None] * d
        dist2 = np.einsum("kci,kci->kc", off, off)
        j = np.argmin(dist2, axis=1)
        rows = np.arange(p.shape[0])
        dj, rj = d[rows, j], rel[rows, j]
        cross = dj[:, 0] * rj[:, 1] - dj[:, 1] * rj[:, 0]
        out = self._sign * np.where(cross >= 0, 1.0, -1.0) * np.sqrt(dist2[rows, j])
        return float(out[0]) if single else out

    def side_function(self, domain: Any, resolution: int = 301) -> Any:
        """A fast approximation of `signed_distance` for many points at once: bilinear
        interpolation on a grid over ``domain`` (points outside are clamped to it).

        The zero level of the interpolant lies within about ``h**2`` times the curve's
        curvature of the true curve, ``h`` the grid spacing.
        """
        box = np.asarray(domain, dtype=float)
        key = (tuple(box.ravel().tolist()), int(resolution))
        if key in self._sides:
            return self._sides[key]
        xs = np.linspace(box[0, 0], box[0, 1], resolution)
        ys = np.linspace(box[1, 0], box[1, 1], resolution)
        gx, gy = np.meshgrid(xs, ys, indexing="ij")
        values = self.signed_distance(np.vstack([gx.ravel(), gy.ravel()])).reshape(gx.shape)
        hx, hy = xs[1] - xs[0], ys[1] - ys[0]
        n = resolution

        def side(points: np.ndarray) -> np.ndarray:
            u = np.clip((points[0] - xs[0]) / hx, 0.0, n - 1 - 1e-9)
            v = np.clip((points[1] - ys[0]) / hy, 0.0, n - 1 - 1e-9)
            i, j = u.astype(int), v.astype(int)
            fu, fv = u - i, v - j
            return (
                values[i, j] * (1 - fu) * (1 - fv)
                + values[i + 1, j] * fu * (1 - fv)
                + values[i, j + 1] * (1 - fu) * fv
                + values[i + 1, j + 1] * fu * fv
            )

        self._sides[key] = side
        return side


@functools.lru_cache(maxsize=32)
def _cached(
    model: Model, params: ParameterSet, inputs: tuple[tuple[str, float], ...]
) -> Separatrix:
    return Separatrix(model, params, dict(inputs))


def separatrix(
    model: Model, params: ParameterSet, inputs: Mapping[str, float] | float | None = None
) -> Separatrix:
    """The (cached) `Separatrix` of a planar bistable model at constant inputs."""
    inp = model.constant_inputs(inputs, "the tipping threshold")
    return _cached(model, params, tuple(sorted(inp.items())))
