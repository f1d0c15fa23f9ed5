"""Result objects of the analyses: frozen, carrying the model name and parameters."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Sequence

import numpy as np

from dyadmodel.model import ParameterSet

__all__ = ["Equilibrium", "EquilibriumSet"]


def _frozen_array(a: object, dtype: type = float) -> np.ndarray:
    arr = np.array(a, dtype=dtype)
    arr.setflags(write=False)
    return arr


@dataclasses.dataclass(frozen=True, eq=False)
class Equilibrium:
    """One equilibrium of a model at fixed parameters and inputs.

    Attributes
    ----------
    state : ndarray, shape (n_states,)
        Coordinates in the model's state order (read-only).
    eigenvalues : ndarray of complex, shape (n_states,)
        Eigenvalues of the Jacobian, sorted by decreasing real part.
    eigenvectors : ndarray of complex, shape (n_states, n_states)
        Columns are the eigenvectors matching ``eigenvalues``.
    kind : str
        'stable node', 'unstable node', 'saddle', 'stable focus', 'unstable focus',
        'centre', 'non-hyperbolic', ... (see `dyadmodel.analysis.classify`).
    stable : bool or None
        True when all eigenvalues have real part below ``-tol``; False when one is above
        ``tol``; None when the linearisation cannot decide (non-hyperbolic).
    label : str
        The same point in the couple's vocabulary ('balanced', 'entrenched', 'tipping
        threshold', ...); '' for models without a couple vocabulary.
    n_stable, n_unstable, n_neutral : int
        Numbers of eigenvalues with real part below -tol, above tol, within tol.
    residual : float
        max |rhs| at ``state``.
    enclosure : ndarray, shape (n_states, 2) or None
        A box proved to contain exactly this one equilibrium, when certified.
    model_name : str
    params : ParameterSet
    inputs : tuple of (name, value)
    """

    state: np.ndarray
    eigenvalues: np.ndarray
    eigenvectors: np.ndarray
    kind: str
    stable: bool | None
    label: str
    n_stable: int
    n_unstable: int
    n_neutral: int
    residual: float
    enclosure: np.ndarray | None
    model_name: str
    params: ParameterSet
    inputs: tuple[tuple[str, float], ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "state", _frozen_array(self.state))
        object.__setattr__(self, "eigenvalues", _frozen_array(self.eigenvalues, complex))
        object.__setattr__(self, "eigenvectors", _frozen_array(self.eigenvectors, complex))
        if self.enclosure is not None:
            object.__setattr__(self, "enclosure", _frozen_array(self.enclosure))

    @property
    def is_saddle(self) -> bool:
        return self.n_stable > 0 and self.n_unstable > 0

    def __repr__(self) -> str:
        st = ", ".join(f"{v:.6g}" for v in self.state)
        ev = ", ".join(_fmt_complex(v) for v in self.eigenvalues)
        lab = f", label={self.label!r}" if self.label else ""
        return f"Equilibrium(state=[{st}], kind={self.kind!r}{lab}, eigenvalues=[{ev}])"


def _fmt_complex(z: complex) -> str:
    if abs(z.imag) < 1e-12 * max(1.0, abs(z.real)):
        return f"{z.real:.6g}"
    return f"{z.real:.6g}{z.imag:+.6g}j"


@dataclasses.dataclass(frozen=True, eq=False)
class EquilibriumSet(Sequence[Equilibrium]):
    """All equilibria found in a domain, and how far that claim is proved.

    Behaves as a tuple of `Equilibrium`, sorted lexicographically by state.

    Attributes
    ----------
    complete : bool
        True when the method proves that no other equilibrium lies in ``domain``.
    method : str
        How the equilibria were obtained (e.g. 'resultant + exact real-root isolation').
    domain : ndarray, shape (n_states, 2)
    degenerate : str
        Non-empty when the equilibria are not isolated (e.g. a line of equilibria); the
        text says what was found.
    undecided : ndarray, shape (k, n_states, 2)
        Boxes where a certified search ran out of budget (empty when ``complete``).
    model_name : str
    params : ParameterSet
    """

    equilibria: tuple[Equilibrium, ...]
    complete: bool
    method: str
    domain: np.ndarray
    model_name: str
    params: ParameterSet
    degenerate: str = ""
    undecided: np.ndarray = dataclasses.field(default_factory=lambda: np.empty((0, 0, 2)))

    def __getitem__(self, i):  # type: ignore[override]
        return self.equilibria[i]

    def __len__(self) -> int:
        return len(self.equilibria)

    def __iter__(self) -> Iterator[Equilibrium]:
        return iter(self.equilibria)

    @property
    def stable(self) -> tuple[Equilibrium, ...]:
        return tuple(e for e in self.equilibria if e.stable)

    @property
    def saddles(self) -> tuple[Equilibrium, ...]:
        return tuple(e for e in self.equilibria if e.is_saddle)

    def __repr__(self) -> str:
        head = (
            f"EquilibriumSet({self.model_name!r}, {len(self)} equilibria, "
            f"complete={self.complete}, method={self.method!r}"
        )
        if self.degenerate:
            head += f", degenerate={self.degenerate!r}"
        body = "".join(f"\n  {e!r}" for e in self.equilibria)
        return head + ")" + body
