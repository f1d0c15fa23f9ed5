"""What a sweep varies: a grid of parameter values, or a seeded sample of a parameter box.

A design knows its dimensions and coordinates (what the result Dataset is labelled
with), how many points it has, and the parameter values at any block of them. Values are
computed from the design alone (no state, no randomness outside the seed), so any worker
on any machine can rebuild the points of the chunk it was given.
"""

from __future__ import annotations

import dataclasses
import math
import numbers
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Any

import numpy as np

__all__ = ["SAMPLE_METHODS", "Grid", "Sample"]

SAMPLE_METHODS = ("latin-hypercube", "sobol", "saltelli")
"""Sampling methods of `Sample`:

``latin-hypercube``
    scipy's `LatinHypercube` (McKay, Beckman & Conover 1979), one stratum per point
    along each axis.
``sobol``
    scipy's scrambled Sobol' sequence (Owen scrambling); ``n`` must be a power of two to
    keep its balance properties.
``saltelli``
    SALib's Sobol'-sequence cross-sampling for Sobol' sensitivity indices (Saltelli
    2002; Saltelli et al. 2010): ``n * (2 d + 2)`` points (``n * (d + 2)`` without
    second-order indices), in the order `dyadmodel.sweeps.sobol_indices` needs.
"""


def _finite(name: str, what: str, v: Any) -> float:
    if isinstance(v, bool) or not isinstance(v, numbers.Real):
        raise ValueError(f"{what} {name!r}: {v!r} is not a number")
    x = float(v)
    if not math.isfinite(x):
        raise ValueError(f"{what} {name!r}: {v!r} is not a finite number")
    return x


def _name(v: Any, what: str) -> str:
    if not isinstance(v, str) or not v:
        raise ValueError(f"{what}: {v!r} is not a parameter name")
    return v


@dataclasses.dataclass(frozen=True, eq=False)
class Grid:
    """Every combination of the given values (a full factorial grid).

    The result Dataset has one dimension per name, in the order given, with the values
    as coordinates.

    Parameters
    ----------
    values : mapping of str to array_like
        For each parameter (or input) the values it takes: finite, distinct, at least
        one.

    Examples
    --------
    >>> g = Grid({"anxiety_gain_1": [1.0, 2.0, 3.0], "avoidance_gain_2": [1.5, 2.5]})
    >>> g.shape, g.size
    ((3, 2), 6)
    >>> g.block((slice(0, 2), slice(0, 2)))["avoidance_gain_2"]
    array([1.5, 2.5, 1.5, 2.5])
    """

    values: Mapping[str, np.ndarray]

    def __init__(self, values: Mapping[str, Any]) -> None:
        if not isinstance(values, Mapping) or not values:
            raise ValueError(
                f"grid values = {values!r}; expected a mapping of parameter names to lists "
                "of values, e.g. {'anxiety_gain_1': [1.0, 2.0, 3.0]}"
            )
        out = {}
        for name, v in values.items():
            _name(name, "grid")
            arr = np.atleast_1d(np.asarray(v, dtype=object))
            if arr.ndim != 1 or arr.size == 0:
                raise ValueError(
                    f"grid {name!r}: expected a non-empty 1-D list of numbers, got shape "
                    f"{arr.shape}"
                )
            vals = np.array([_finite(name, "grid", x) for x in arr], dtype=float)
            if np.unique(vals).size != vals.size:
                raise ValueError(f"grid {name!r}: values repeat ({vals.tolist()}); give each once")
            vals.setflags(write=False)
            out[name] = vals
        object.__setattr__(self, "values", MappingProxyType(out))

    @property
    def names(self) -> tuple[str, ...]:
        """The swept names, in dimension order."""
        return tuple(self.values)

    @property
    def dims(self) -> tuple[str, ...]:
        """The store's dimensions: one per swept name."""
        return self.names

    @property
    def shape(self) -> tuple[int, ...]:
        """The number of values of each swept name."""
        return tuple(v.size for v in self.values.values())

    @property
    def size(self) -> int:
        """The number of grid points (the product of ``shape``)."""
        return math.prod(self.shape)

    def coords(self) -> dict[str, tuple[tuple[str, ...], np.ndarray]]:
        """The coordinates of the store: ``{name: ((name,), values)}``.

        Returns
        -------
        dict
            One entry per swept name, in xarray's ``(dims, values)`` form.

        Examples
        --------
        >>> Grid({"a": [0.0, 1.0]}).coords()
        {'a': (('a',), array([0., 1.]))}
        """
        return {k: ((k,), np.array(v)) for k, v in self.values.items()}

    def block(self, region: tuple[slice, ...]) -> dict[str, np.ndarray]:
        """Values at every point of a rectangular block of the grid, in C order.

        Parameters
        ----------
        region : tuple of slice
            One slice per dimension.

        Returns
        -------
        dict
            Name -> values at the block's points, each of shape ``(block size,)``.

        Examples
        --------
        >>> g = Grid({"a": [0.0, 1.0], "b": [5.0, 6.0, 7.0]})
        >>> g.block((slice(1, 2), slice(0, 2)))
        {'a': array([1., 1.]), 'b': array([5., 6.])}
        """
        axes = [v[s] for v, s in zip(self.values.values(), region)]
        mesh = np.meshgrid(*axes, indexing="ij")
        return {k: m.ravel() for k, m in zip(self.values, mesh)}

    def canonical(self) -> dict[str, Any]:
        """A JSON-able description that identifies the design (floats as hex, exact).

        Returns
        -------
        dict
            ``{"type": "grid", "values": {name: [hex floats]}}``.

        Examples
        --------
        >>> Grid({"a": [0.5]}).canonical()
        {'type': 'grid', 'values': {'a': ['0x1.0000000000000p-1']}}
        """
        return {"type": "grid", "values": {k: [x.hex() for x in v] for k, v in self.values.items()}}

    def __repr__(self) -> str:
        parts = ", ".join(
            f"{k}: {v.size} values in [{v.min():g}, {v.max():g}]" for k, v in self.values.items()
        )
        return f"Grid({parts})"


@dataclasses.dataclass(frozen=True, eq=False)
class Sample:
    """A seeded sample of a box of parameter values.

    The result Dataset has one dimension ``sample`` (0, 1, ...) and each parameter as a
    coordinate along it.

    Parameters
    ----------
    method : {'latin-hypercube', 'sobol', 'saltelli'}
        See `SAMPLE_METHODS`.
    bounds : mapping of str to (low, high)
        The box, uniform in each parameter, ``low < high``.
    n : int
        Points for 'latin-hypercube' and 'sobol' (a power of two); base points for
        'saltelli' (a power of two; the sample has ``n * (2 d + 2)`` points, or
        ``n * (d + 2)`` with ``second_order=False``).
    seed : int
        Seeds the scrambling: the same seed gives the same points on every machine.
    second_order : bool
        'saltelli' only: include the points for second-order indices.

    Examples
    --------
    >>> s = Sample("latin-hypercube", {"anxiety_gain_1": (1.0, 3.0)}, n=4, seed=1)
    >>> x = s.block((slice(0, 4),))["anxiety_gain_1"]
    >>> sorted(np.floor((x - 1.0) / 0.5).astype(int).tolist())  # one per stratum
    [0, 1, 2, 3]
    """

    method: str
    bounds: Mapping[str, tuple[float, float]]
    n: int
    seed: int
    second_order: bool = True

    def __post_init__(self) -> None:
        if self.method not in SAMPLE_METHODS:
            raise ValueError(
                f"sample method = {self.method!r}; expected one of "
                f"{', '.join(map(repr, SAMPLE_METHODS))}"
            )
        if not isinstance(self.bounds, Mapping) or not self.bounds:
            raise ValueError(
                f"sample bounds = {self.bounds!r}; expected a mapping of parameter names to "
                "(low, high), e.g. {'anxiety_gain_1': (0.5, 4.0)}"
            )
        out = {}
        for name, b in self.bounds.items():
            _name(name, "sample bounds")
            if (
                isinstance(b, str | bytes)
                or not isinstance(b, Sequence | np.ndarray)
                or len(b) != 2
            ):
                raise ValueError(f"sample bounds {name!r} = {b!r}; expected (low, high)")
            lo, hi = (_finite(name, "sample bounds", x) for x in b)
            if not lo < hi:
                raise ValueError(
                    f"sample bounds {name!r} = ({lo:g}, {hi:g}): an impossible range; "
                    "expected low < high"
                )
            out[name] = (lo, hi)
        object.__setattr__(self, "bounds", MappingProxyType(out))
        for key in ("n", "seed"):
            v = getattr(self, key)
            if isinstance(v, bool) or not isinstance(v, numbers.Integral) or v < (key == "n"):
                want = "a positive integer" if key == "n" else "a non-negative integer"
                raise ValueError(f"sample {key} = {v!r}; expected {want}")
            object.__setattr__(self, key, int(v))
        if self.method in ("sobol", "saltelli") and self.n & (self.n - 1):
            p2 = 1 << (self.n - 1).bit_length()
            raise ValueError(
                f"sample n = {self.n}: a Sobol' sequence keeps its balance properties only "
                f"for a power of two; use n = {p2 >> 1} or {p2}"
            )
        if not isinstance(self.second_order, bool):
            raise ValueError(f"second_order = {self.second_order!r}; expected True or False")
        object.__setattr__(self, "_cache", None)

    @property
    def names(self) -> tuple[str, ...]:
        """The sampled names, in the order of ``bounds``."""
        return tuple(self.bounds)

    @property
    def dims(self) -> tuple[str, ...]:
        """The store's one dimension, ``("sample",)``."""
        return ("sample",)

    @property
    def size(self) -> int:
        """The number of points (Saltelli's scheme multiplies ``n``)."""
        d = len(self.bounds)
        if self.method == "saltelli":
            return self.n * (2 * d + 2 if self.second_order and d > 1 else d + 2)
        return self.n

    @property
    def shape(self) -> tuple[int, ...]:
        """``(size,)``."""
        return (self.size,)

    def _matrix(self) -> np.ndarray:
        # the whole sample (size x d); small next to the work per point, built once
        if self._cache is not None:
            return self._cache
        d = len(self.bounds)
        lo = np.array([b[0] for b in self.bounds.values()])
        hi = np.array([b[1] for b in self.bounds.values()])
        if self.method == "saltelli":
            from SALib.sample import sobol as salib_sobol

            problem = {
                "num_vars": d,
                "names": list(self.names),
                "bounds": [[a, b] for a, b in zip(lo, hi)],
            }
            X = salib_sobol.sample(
                problem, self.n, calc_second_order=self.second_order and d > 1, seed=self.seed
            )
        else:
            from scipy.stats import qmc

            if self.method == "latin-hypercube":
                u = qmc.LatinHypercube(d, seed=np.random.default_rng(self.seed)).random(self.n)
            else:
                u = qmc.Sobol(d, scramble=True, seed=np.random.default_rng(self.seed)).random_base2(
                    int(math.log2(self.n))
                )
            X = lo + u * (hi - lo)
        X = np.ascontiguousarray(X, dtype=float)
        X.setflags(write=False)
        object.__setattr__(self, "_cache", X)
        return X

    def coords(self) -> dict[str, tuple[tuple[str, ...], np.ndarray]]:
        """The coordinates of the store: ``sample`` and each name's value per point.

        Returns
        -------
        dict
            Name -> ``(("sample",), values)``, in xarray's form.

        Examples
        --------
        >>> s = Sample("latin-hypercube", {"a": (0.0, 1.0)}, n=4, seed=1)
        >>> sorted(s.coords())
        ['a', 'sample']
        """
        X = self._matrix()
        out: dict[str, tuple[tuple[str, ...], np.ndarray]] = {
            "sample": (("sample",), np.arange(self.size))
        }
        for j, k in enumerate(self.names):
            out[k] = (("sample",), X[:, j].copy())
        return out

    def block(self, region: tuple[slice, ...]) -> dict[str, np.ndarray]:
        """Values at the sample points ``region[0]``.

        Parameters
        ----------
        region : tuple of slice
            One slice, of sample indices.

        Returns
        -------
        dict
            Name -> values at those points.

        Examples
        --------
        >>> s = Sample("latin-hypercube", {"a": (0.0, 1.0)}, n=4, seed=1)
        >>> s.block((slice(0, 2),))["a"].shape
        (2,)
        """
        X = self._matrix()[region[0]]
        return {k: X[:, j].copy() for j, k in enumerate(self.names)}

    def canonical(self) -> dict[str, Any]:
        """A JSON-able description that identifies the design (floats as hex, exact).

        Returns
        -------
        dict
            The method, bounds, ``n``, seed and ``second_order``.

        Examples
        --------
        >>> Sample("sobol", {"a": (0.0, 1.0)}, n=4, seed=1).canonical()["type"]
        'sobol'
        """
        return {
            "type": self.method,
            "bounds": {k: [lo.hex(), hi.hex()] for k, (lo, hi) in self.bounds.items()},
            "n": self.n,
            "seed": self.seed,
            "second_order": self.second_order,
        }

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_cache"] = None  # rebuilt on the worker (cheap), not shipped
        state["bounds"] = dict(self.bounds)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        state["bounds"] = MappingProxyType(state["bounds"])
        self.__dict__.update(state)

    def __repr__(self) -> str:
        box = ", ".join(f"{k} in [{lo:g}, {hi:g}]" for k, (lo, hi) in self.bounds.items())
        return f"Sample({self.method!r}, {self.size} points, {box}, seed={self.seed})"


def _grid_getstate(self: Grid) -> dict[str, Any]:
    return {"values": dict(self.values)}


def _grid_setstate(self: Grid, state: dict[str, Any]) -> None:
    object.__setattr__(self, "values", MappingProxyType(state["values"]))


Grid.__getstate__ = _grid_getstate  # type: ignore[method-assign]
Grid.__setstate__ = _grid_setstate  # type: ignore[method-assign]
