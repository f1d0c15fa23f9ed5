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
        max ``|rhs|`` at ``state``.
    enclosure : ndarray, shape (n_states, 2) or None
        A box proved to contain exactly this one equilibrium, when certified.
    model_name : str
    params : ParameterSet
    inputs : tuple of (name, value)
    in_plot_range : bool
        False when the equilibrium lies outside the states' plotting range (it is
        reported all the same: the plotting range is not a limit of the model).

    Examples
    --------
    >>> import dyadmodel as dm
    >>> m = dm.models.get("pursuer-distancer-2d")
    >>> e = dm.equilibria(m, m.params(anxiety_gain_1=2.0, avoidance_gain_2=2.0))[1]
    >>> e.label, e.kind, e.is_saddle, e.certified
    ('tipping threshold', 'saddle', True, True)
    >>> e.state.round(4)
    array([0.5, 0.5])
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
    in_plot_range: bool = True

    def __post_init__(self) -> None:
        object.__setattr__(self, "state", _frozen_array(self.state))
        object.__setattr__(self, "eigenvalues", _frozen_array(self.eigenvalues, complex))
        object.__setattr__(self, "eigenvectors", _frozen_array(self.eigenvectors, complex))
        if self.enclosure is not None:
            object.__setattr__(self, "enclosure", _frozen_array(self.enclosure))

    @property
    def is_saddle(self) -> bool:
        """True when there are both stable and unstable directions."""
        return self.n_stable > 0 and self.n_unstable > 0

    @property
    def certified(self) -> bool:
        """True when a box proved to hold exactly this equilibrium is known (``enclosure``)."""
        return self.enclosure is not None

    def to_dataframe(self):
        """This equilibrium as a one-row `pandas.DataFrame` (columns as
        `EquilibriumSet.to_dataframe`).

        Returns
        -------
        pandas.DataFrame
            One row; columns as `EquilibriumSet.to_dataframe`.

        Examples
        --------
        >>> import dyadmodel as dm
        >>> m = dm.models.get("pursuer-distancer-2d")
        >>> row = dm.equilibria(m, m.params())[0].to_dataframe()
        >>> row.shape, list(row.columns[:3])
        ((1, 10), ['pursuit_1', 'distance_2', 'kind'])
        """
        return _equilibria_frame((self,), self.params.model.state_names)

    def _repr_html_(self) -> str:
        return _equilibria_html((self,), self.params.model.state_names, "Equilibrium")

    def __repr__(self) -> str:
        st = ", ".join(f"{v:.6g}" for v in self.state)
        ev = ", ".join(_fmt_complex(v) for v in self.eigenvalues)
        lab = f", label={self.label!r}" if self.label else ""
        out = "" if self.in_plot_range else ", outside the plotting range"
        return f"Equilibrium(state=[{st}], kind={self.kind!r}{lab}, eigenvalues=[{ev}]{out})"


def _interval_text(lo: float, hi: float) -> str:
    def end(v: float) -> str:
        return ("inf" if v > 0 else "-inf") if np.isinf(v) else f"{v:.6g}"

    left = "(" if np.isinf(lo) else "["
    right = ")" if np.isinf(hi) else "]"
    return f"{left}{end(lo)}, {end(hi)}{right}"


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
    equilibria : tuple of Equilibrium
        The equilibria, sorted lexicographically by state.
    complete : bool
        True when the method proves that no other equilibrium lies in ``domain``; read
        it together with ``scope`` (or read ``completeness``, which says both in words).
    method : str
        How the equilibria were obtained (e.g. 'resultant + exact real-root isolation').
    domain : ndarray, shape (n_states, 2)
        The region the claim is about (ends may be infinite).
    degenerate : str
        Non-empty when the equilibria are not isolated (e.g. a line of equilibria); the
        text says what was found.
    undecided : ndarray, shape (k, n_states, 2)
        Boxes where a certified search ran out of budget (empty when ``complete``).
    model_name : str
    params : ParameterSet
    scope : {'domain of validity', 'box'}
        'domain of validity' when ``domain`` is the states' whole domain of validity;
        'box' when only a finite box (given by the caller, or the fallback when no
        bounding box could be proved) was searched.
    state_names : tuple of str
    budget : str
        Which budget ran out, if one did ('' otherwise).

    Examples
    --------
    >>> import dyadmodel as dm
    >>> m = dm.models.get("pursuer-distancer-2d")
    >>> eqs = dm.equilibria(m, m.params(anxiety_gain_1=2.0, avoidance_gain_2=2.0))
    >>> len(eqs), eqs.complete, [e.label for e in eqs.stable]
    (3, True, ['balanced', 'entrenched'])
    """

    equilibria: tuple[Equilibrium, ...]
    complete: bool
    method: str
    domain: np.ndarray
    model_name: str
    params: ParameterSet
    degenerate: str = ""
    undecided: np.ndarray = dataclasses.field(default_factory=lambda: np.empty((0, 0, 2)))
    scope: str = "box"
    state_names: tuple[str, ...] = ()
    budget: str = ""

    @property
    def region_text(self) -> str:
        """The claim's region in words, e.g. 'x in [0, inf), y in [0, inf)'."""
        names = self.state_names or tuple(f"x{i}" for i in range(len(self.domain)))
        return ", ".join(
            f"{n} in {_interval_text(lo, hi)}" for n, (lo, hi) in zip(names, self.domain)
        )

    @property
    def completeness(self) -> str:
        """What is proved, and where, in words; never a bare 'complete'.

        One of 'complete in the domain of validity ...', 'complete in the box ... only',
        'not isolated: ...' or 'incomplete in ...: ...' (with the budget that ran out or
        the number of undecided boxes).
        """
        where = self.region_text
        if self.degenerate:
            return f"not isolated in {where}: {self.degenerate}"
        if self.complete:
            if self.scope == "domain of validity":
                return f"complete in the domain of validity {where}"
            return f"complete in the box {where} only"
        why = self.budget or f"{len(self.undecided)} undecided box(es)"
        if len(self.undecided) and self.budget:
            why += f"; {len(self.undecided)} undecided box(es) left"
        return f"incomplete in {where}: {why}"

    def __getitem__(self, i):  # type: ignore[override]
        return self.equilibria[i]

    def __len__(self) -> int:
        return len(self.equilibria)

    def __iter__(self) -> Iterator[Equilibrium]:
        return iter(self.equilibria)

    @property
    def stable(self) -> tuple[Equilibrium, ...]:
        """The stable equilibria (``stable`` True), in order."""
        return tuple(e for e in self.equilibria if e.stable)

    @property
    def saddles(self) -> tuple[Equilibrium, ...]:
        """The saddles (stable and unstable directions both present), in order."""
        return tuple(e for e in self.equilibria if e.is_saddle)

    def to_dataframe(self):
        """One row per equilibrium, as a `pandas.DataFrame` (pandas imported here).

        Columns: one per state (named after it), ``kind``, ``label``, ``stable`` (True,
        False or None), ``eigenvalue_1`` ... ``eigenvalue_n`` (complex, by decreasing
        real part), ``certified`` (an enclosing box was proved), ``in_plot_range``,
        ``residual``. ``attrs`` holds the model, the parameters and ``completeness``.

        Returns
        -------
        pandas.DataFrame
            One row per equilibrium, with the columns above.

        Examples
        --------
        >>> import dyadmodel as dm
        >>> m = dm.models.get("pursuer-distancer-2d")
        >>> df = dm.equilibria(m, m.preset("anxious-avoidant")).to_dataframe()
        >>> list(df.columns[:4]), len(df)
        (['pursuit_1', 'distance_2', 'kind', 'label'], 3)
        """
        df = _equilibria_frame(self.equilibria, self._state_names())
        df.attrs.update(completeness=self.completeness, method=self.method)
        return df

    def _state_names(self) -> tuple[str, ...]:
        return self.state_names or self.params.model.state_names

    def _repr_html_(self) -> str:
        head = f"{self.model_name}: {len(self)} equilibria, {self.completeness}"
        if self.degenerate:
            head += f" (degenerate: {self.degenerate})"
        return _equilibria_html(self.equilibria, self._state_names(), head)

    def __repr__(self) -> str:
        head = (
            f"EquilibriumSet({self.model_name!r}, {len(self)} equilibria, "
            f"{self.completeness}, method={self.method!r}"
        )
        if self.degenerate:
            head += f", degenerate={self.degenerate!r}"
        body = "".join(f"\n  {e!r}" for e in self.equilibria)
        return head + ")" + body


def _equilibria_frame(eqs: Sequence[Equilibrium], names: Sequence[str]):
    from dyadmodel._display import eigenvalue_columns, optional_module, state_columns

    pd = optional_module("pandas", "to_dataframe()")
    n = len(names)
    states = np.array([e.state for e in eqs], dtype=float).reshape(len(eqs), n)
    eigen = np.array([e.eigenvalues for e in eqs], dtype=complex).reshape(len(eqs), n)
    columns = {
        **state_columns(states, names),
        "kind": [e.kind for e in eqs],
        "label": [e.label for e in eqs],
        "stable": pd.Series([e.stable for e in eqs], dtype=object),
        **eigenvalue_columns(eigen),
        "certified": np.array([e.certified for e in eqs], dtype=bool),
        "in_plot_range": np.array([e.in_plot_range for e in eqs], dtype=bool),
        "residual": np.array([e.residual for e in eqs], dtype=float),
    }
    df = pd.DataFrame(columns)
    if eqs:
        df.attrs.update(model=eqs[0].model_name, params=eqs[0].params.as_dict())
        df.attrs["inputs"] = dict(eqs[0].inputs)
    return df


def _equilibria_html(eqs: Sequence[Equilibrium], names: Sequence[str], caption: str) -> str:
    from dyadmodel._display import html_table

    header = [*names, "kind", "label", "eigenvalues", "certified", "in plotting range"]
    rows = [
        [
            *(float(v) for v in e.state),
            e.kind,
            e.label,
            ", ".join(_fmt_complex(v) for v in e.eigenvalues),
            e.certified,
            e.in_plot_range,
        ]
        for e in eqs
    ]
    return html_table(header, rows, caption=caption)
