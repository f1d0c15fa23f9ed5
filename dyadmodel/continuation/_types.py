"""Options and result objects of the continuation analyses (frozen, carrying the model
name and the parameters that made them)."""

from __future__ import annotations

import dataclasses
import math

import numpy as np

from dyadmodel.analysis.equilibria import EquilibriumOptions
from dyadmodel.errors import InvalidInputError
from dyadmodel.model import ParameterSet

__all__ = [
    "BifurcationDiagram",
    "Branch",
    "CodimTwoPoint",
    "ContinuationOptions",
    "SpecialPoint",
]

# How many eigenvalues cross the imaginary axis at each kind of special point (the
# invariant the tests check: n_unstable changes by exactly this across the point).
EXPECTED_CHANGE = {"fold": 1, "hopf": 2, "branch point": 1}

# The same points in the couple's vocabulary.
MEANING = {
    "fold": "tipping point: a stable and an unstable equilibrium meet and vanish (saddle-node)",
    "hopf": "onset of cycles: a steady state starts (or stops) to oscillate",
    "branch point": "symmetric split: new equilibria branch off (pitchfork/transcritical)",
}


def _frozen(a: object, dtype: type = float) -> np.ndarray:
    arr = np.array(a, dtype=dtype)
    arr.setflags(write=False)
    return arr


#: How `continuation` finds the equilibria at its seed values (``ContinuationOptions``).
SEED_SEARCHES = ("certified", "newton")


@dataclasses.dataclass(frozen=True)
class ContinuationOptions:
    """Options of `continuation` (and of the fold curves of `regime_map`).

    Printing an instance shows every default. Step sizes are in arclength of the
    curve in (state, parameter) space, so they mix state and parameter units; the
    flagship models have both of order 1.

    Attributes
    ----------
    ds : float
        First step (arclength) from each seed equilibrium.
    ds_min : float
        Smallest step; a branch whose corrector fails below it stops with status
        'step too small' (usually a singular point the step cannot pass).
    ds_max : float
        Largest step; smaller values resolve curved branches better and make missed
        pairs of special points in one step less likely.
    max_steps : int
        Steps per direction from each seed.
    newton_tol : float
        Corrector convergence: Newton step below ``newton_tol * (1 + |u|)``.
    max_newton_iter : int
        Corrector iterations before the step is halved.
    max_state_norm : float
        A branch whose state leaves this ball stops with status 'diverged'
        (e.g. the linear model's equilibrium going through infinity).
    seeds : int
        Parameter values in the span (equally spaced, ends included) at which all
        equilibria are computed with `dyadmodel.equilibria` to seed branches; a
        seed on an already traced branch is skipped, so disconnected branches
        (isolas, the far side of a pole) are found when they exist at a seed value.
    seed_search : {'certified', 'newton'}
        How the equilibria at the seed values are found. 'certified': the complete
        interval search of `dyadmodel.equilibria`, so every branch through a seed
        value is traced (where the search is complete; ``notes`` say where it is
        not). 'newton': Newton's method from 64 starts per state spread over the
        model's equilibrium box, faster where the certified search is expensive
        (the synergic couple in ``alpha1`` from 0.36 to 0.5: 0.13 s against 0.5 s
        CPU, warm) but proving nothing: branches
        that none of these starts reaches may be missing, and the diagram's ``notes``
        say so.
    locate_tol : float
        Arclength tolerance of the root-finding that locates special points; the
        parameter is then located to about this accuracy (or its square at folds).
    detect_folds, detect_hopf, detect_branch_points : bool
        Which special points to look for.
    equilibrium : EquilibriumOptions
        Options of the seed equilibrium searches (certification is off: the seeds
        are refined by the corrector anyway).
    max_seconds : float
        Time budget of the whole continuation. The seed searches share it (each also
        keeps its own ``equilibrium.max_seconds``); seeds left when it runs out are
        skipped and the diagram's ``notes`` say so. Tracing is bounded by ``max_steps``.

    Raises
    ------
    InvalidInputError
        For an argument with an invalid value (the message says which and why).

    Examples
    --------
    >>> import dyadmodel as dm
    >>> m = dm.models.get("pursuer-distancer-2d")
    >>> opts = dm.ContinuationOptions(ds_max=0.02, detect_hopf=False)
    >>> d = dm.continuation(m, m.params(avoidance_gain_2=2.0), "anxiety_gain_1", (0.5, 4),
    ...                     options=opts)
    >>> d.options.ds_max, [p.kind for p in d.special_points]
    (0.02, ['fold', 'fold'])
    """

    ds: float = 0.01  # first arclength step
    ds_min: float = 1e-8  # give up below this step
    ds_max: float = 0.05  # largest arclength step
    max_steps: int = 4000  # per direction from each seed
    newton_tol: float = 1e-10  # corrector step tolerance (relative to 1 + |u|)
    max_newton_iter: int = 8  # corrector iterations before halving the step
    max_state_norm: float = 1e3  # stop a branch going to infinity
    seeds: int = 5  # parameter values where equilibria seed branches
    seed_search: str = "certified"  # or "newton": fast, not proved complete
    locate_tol: float = 1e-12  # arclength tolerance of special-point location
    detect_folds: bool = True
    detect_hopf: bool = True
    detect_branch_points: bool = True
    equilibrium: EquilibriumOptions = EquilibriumOptions(certify=False)
    max_seconds: float = 300.0  # time budget of the whole continuation

    def __post_init__(self) -> None:
        names = ("ds", "ds_min", "ds_max", "newton_tol", "max_state_norm", "locate_tol")
        for name in (*names, "max_seconds"):
            v = getattr(self, name)
            if not (isinstance(v, int | float) and math.isfinite(v) and v > 0):
                raise InvalidInputError(
                    f"ContinuationOptions.{name} = {v!r}; expected a positive number"
                )
        if not self.ds_min <= self.ds <= self.ds_max:
            raise InvalidInputError(
                f"ContinuationOptions: need ds_min <= ds <= ds_max, got ds_min={self.ds_min:g}, "
                f"ds={self.ds:g}, ds_max={self.ds_max:g}"
            )
        if not isinstance(self.seed_search, str) or self.seed_search not in SEED_SEARCHES:
            raise InvalidInputError(
                f"ContinuationOptions.seed_search = {self.seed_search!r}; expected one of "
                f"{', '.join(repr(s) for s in SEED_SEARCHES)}"
            )
        for name, least in (("max_steps", 1), ("max_newton_iter", 1), ("seeds", 1)):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, int) or v < least:
                raise InvalidInputError(
                    f"ContinuationOptions.{name} = {v!r}; expected an integer >= {least}"
                )


@dataclasses.dataclass(frozen=True, eq=False)
class SpecialPoint:
    """A fold, Hopf point or branch point located on a branch.

    Attributes
    ----------
    kind : {'fold', 'hopf', 'branch point'}
    param : str
        The continuation parameter.
    value : float
        Its value at the point (located to about 1e-10).
    state : ndarray, shape (n_states,)
    eigenvalues : ndarray of complex
        At the point, sorted by decreasing real part: one is ~0 at a fold or branch
        point, a pair is ~±i omega at a Hopf point.
    n_unstable_before, n_unstable_after : int
        Unstable eigenvalues just before and just after the point along the branch
        (at a small arclength distance, where the crossing eigenvalue is ~1e-5).
    branch : int
        Index of the branch in `BifurcationDiagram.branches` (the first one, if the
        point lies on several).
    branches : tuple of int
        Every branch through the point (two at a pitchfork or transcritical point).
    refined : bool
        False when the location step failed and the point is interpolated.
    model_name : str
    params : ParameterSet
        The parameters at the point (the continuation parameter set to ``value``).
    first_lyapunov : float or None
        At a Hopf point, the first Lyapunov coefficient ``l1`` (normalised as in
        `dyadmodel.continuation.first_lyapunov`; nan when undetermined); None at the
        other kinds.
    criticality : str
        At a Hopf point: 'supercritical' (``l1 < 0``, a stable cycle is born),
        'subcritical' (``l1 > 0``), 'degenerate' (``l1 ~ 0``: a Bautin point is near) or
        'undetermined'; '' at the other kinds.

    Examples
    --------
    >>> import dyadmodel as dm
    >>> m = dm.models.get("pursuer-distancer-2d")
    >>> d = dm.continuation(m, m.params(avoidance_gain_2=2.0), "anxiety_gain_1", (0.5, 4))
    >>> fold = d.folds[0]
    >>> fold.kind, fold.param, round(fold.value, 4), fold.state.round(4).tolist()
    ('fold', 'anxiety_gain_1', 1.6004, [0.835, 0.9216])
    """

    kind: str
    param: str
    value: float
    state: np.ndarray
    eigenvalues: np.ndarray
    n_unstable_before: int
    n_unstable_after: int
    branch: int
    branches: tuple[int, ...]
    refined: bool
    model_name: str
    params: ParameterSet
    first_lyapunov: float | None = None
    criticality: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "state", _frozen(self.state))
        object.__setattr__(self, "eigenvalues", _frozen(self.eigenvalues, complex))

    @property
    def expected_change(self) -> int:
        """How many eigenvalues cross the imaginary axis at a point of this kind."""
        return EXPECTED_CHANGE[self.kind]

    @property
    def verified(self) -> bool:
        """True when n_unstable changes across the point by `expected_change`."""
        return abs(self.n_unstable_after - self.n_unstable_before) == self.expected_change

    @property
    def meaning(self) -> str:
        """The point in the couple's vocabulary (with the criticality at a Hopf point)."""
        if self.kind == "hopf" and self.criticality:
            from dyadmodel.continuation._lyapunov import CRITICALITY_MEANING

            why = CRITICALITY_MEANING[self.criticality]
            return f"{MEANING[self.kind]}; {self.criticality}: {why}"
        return MEANING[self.kind]

    @property
    def frequency(self) -> float:
        """Angular frequency omega of the critical pair at a Hopf point (nan otherwise)."""
        if self.kind != "hopf":
            return math.nan
        crit = self.eigenvalues[np.argmin(np.abs(self.eigenvalues.real))]
        return float(abs(crit.imag))

    def __repr__(self) -> str:
        st = ", ".join(f"{v:.6g}" for v in self.state)
        return (
            f"SpecialPoint({self.kind!r}, {self.param}={self.value:.10g}, state=[{st}], "
            f"n_unstable {self.n_unstable_before} -> {self.n_unstable_after})"
        )


@dataclasses.dataclass(frozen=True, eq=False)
class Branch:
    """One curve of equilibria traced through the parameter span.

    Points are ordered along the curve (not by parameter value: a branch that folds
    goes back and forth in the parameter).

    Attributes
    ----------
    param : str
    values : ndarray, shape (m,)
        The parameter at each point.
    states : ndarray, shape (m, n_states)
    eigenvalues : ndarray, shape (m, n_states), complex
        Sorted by decreasing real part at each point.
    n_unstable : ndarray of int, shape (m,)
        Unstable directions at each point (`dyadmodel.classify` tolerances).
    arclength : ndarray, shape (m,)
    status : str
        How the branch ended, at each end: 'completed' (it left the span or the
        parameter's bounds at both ends), 'closed' (a closed curve), or the first
        problem met: 'diverged', 'max steps', 'step too small'.
    message : str
        For a problem: what happened, where, and what to change.
    special_points : tuple of SpecialPoint
        Special points on this branch, in order along it.
    model_name : str
    params : ParameterSet
        The parameters the continuation started from.

    Examples
    --------
    >>> import dyadmodel as dm
    >>> m = dm.models.get("pursuer-distancer-2d")
    >>> d = dm.continuation(m, m.params(avoidance_gain_2=2.0), "anxiety_gain_1", (0.5, 4))
    >>> (branch,) = d.branches
    >>> branch.param, branch.status, branch.states.shape[1]
    ('anxiety_gain_1', 'completed', 2)
    """

    param: str
    values: np.ndarray
    states: np.ndarray
    eigenvalues: np.ndarray
    n_unstable: np.ndarray
    arclength: np.ndarray
    status: str
    message: str
    special_points: tuple[SpecialPoint, ...]
    model_name: str
    params: ParameterSet

    def __post_init__(self) -> None:
        object.__setattr__(self, "values", _frozen(self.values))
        object.__setattr__(self, "states", _frozen(self.states))
        object.__setattr__(self, "eigenvalues", _frozen(self.eigenvalues, complex))
        object.__setattr__(self, "n_unstable", _frozen(self.n_unstable, int))
        object.__setattr__(self, "arclength", _frozen(self.arclength))

    @property
    def stable(self) -> np.ndarray:
        """True where no eigenvalue has a positive real part (within tolerance)."""
        return self.n_unstable == 0

    def __len__(self) -> int:
        return len(self.values)

    def to_dataframe(self):
        """The branch's points in order along it, as a `pandas.DataFrame` (pandas
        imported here).

        Columns: the parameter (named after it), one per state, ``n_unstable``,
        ``stable``, ``arclength``, ``eigenvalue_1`` ... (complex).

        Returns
        -------
        pandas.DataFrame
            One row per point, with the columns above.

        Examples
        --------
        >>> import dyadmodel as dm
        >>> m = dm.models.get("pursuer-distancer-2d")
        >>> d = dm.continuation(m, m.params(avoidance_gain_2=2.0), "anxiety_gain_1", (0.5, 4))
        >>> list(d.branches[0].to_dataframe().columns[:4])
        ['anxiety_gain_1', 'pursuit_1', 'distance_2', 'n_unstable']
        """
        return _branches_frame((self,), self.params.model.state_names, with_branch=False)

    def __repr__(self) -> str:
        return (
            f"Branch({self.param} from {self.values[0]:.6g} to {self.values[-1]:.6g}, "
            f"{len(self)} points, status={self.status!r}, "
            f"{len(self.special_points)} special points)"
        )


@dataclasses.dataclass(frozen=True, eq=False)
class BifurcationDiagram:
    """Every equilibrium branch of a model over a parameter span, with special points.

    Attributes
    ----------
    param : str
    span : (float, float)
    branches : tuple of Branch
    special_points : tuple of SpecialPoint
        All special points, each once (a branch point shared by two branches is
        listed once), sorted by parameter value.
    notes : tuple of str
        Seeds that could not be used, branches that stopped early, and changes of
        stability between two steps that no test function explained.
    options : ContinuationOptions
    model_name : str
    params : ParameterSet
    inputs : tuple of (name, value)

    Examples
    --------
    >>> import dyadmodel as dm
    >>> m = dm.models.get("pursuer-distancer-2d")
    >>> d = dm.continuation(m, m.params(avoidance_gain_2=2.0), "anxiety_gain_1", (0.5, 4))
    >>> d.ok, len(d.branches), [p.kind for p in d.special_points]
    (True, 1, ['fold', 'fold'])
    """

    param: str
    span: tuple[float, float]
    branches: tuple[Branch, ...]
    special_points: tuple[SpecialPoint, ...]
    notes: tuple[str, ...]
    options: ContinuationOptions
    model_name: str
    params: ParameterSet
    inputs: tuple[tuple[str, float], ...] = ()

    def of_kind(self, kind: str) -> tuple[SpecialPoint, ...]:
        """The special points of one kind, in the order of ``special_points``.

        Parameters
        ----------
        kind : {'fold', 'hopf', 'branch point'}
            The kind wanted.

        Returns
        -------
        tuple of SpecialPoint
            Possibly empty.

        Raises
        ------
        InvalidInputError
            For any other kind.

        Examples
        --------
        >>> import dyadmodel as dm
        >>> m = dm.models.get("pursuer-distancer-2d")
        >>> d = dm.continuation(m, m.params(avoidance_gain_2=2.0), "anxiety_gain_1", (0.5, 4))
        >>> [round(p.value, 4) for p in d.of_kind("fold")], d.of_kind("hopf")
        ([1.6004, 3.3666], ())
        """
        if kind not in EXPECTED_CHANGE:
            raise InvalidInputError(
                f"kind = {kind!r}; expected one of {', '.join(EXPECTED_CHANGE)}"
            )
        return tuple(s for s in self.special_points if s.kind == kind)

    @property
    def folds(self) -> tuple[SpecialPoint, ...]:
        """The folds (``of_kind("fold")``)."""
        return self.of_kind("fold")

    @property
    def hopf_points(self) -> tuple[SpecialPoint, ...]:
        """The Hopf points (``of_kind("hopf")``)."""
        return self.of_kind("hopf")

    @property
    def branch_points(self) -> tuple[SpecialPoint, ...]:
        """The branch points (``of_kind("branch point")``)."""
        return self.of_kind("branch point")

    @property
    def ok(self) -> bool:
        """True when every branch ended normally ('completed' or 'closed')."""
        return all(b.status in ("completed", "closed") for b in self.branches)

    def to_dataframe(self):
        """Every branch's points, as one `pandas.DataFrame` (pandas imported here).

        Columns: ``branch`` (index into ``branches``), ``point`` (index along it), the
        parameter (named after it), one per state, ``n_unstable``, ``stable``,
        ``arclength``, ``eigenvalue_1`` ... (complex). The special points are in
        `special_points_dataframe`.

        Returns
        -------
        pandas.DataFrame
            One row per point of every branch, with the columns above.

        Examples
        --------
        >>> import dyadmodel as dm
        >>> m = dm.models.get("pursuer-distancer-2d")
        >>> d = dm.continuation(m, None, "anxiety_gain_1", (0.0, 4.0))
        >>> list(d.to_dataframe().columns[:5])
        ['branch', 'point', 'anxiety_gain_1', 'pursuit_1', 'distance_2']
        >>> d.special_points_dataframe()[["kind", "anxiety_gain_1"]].round(4).values.tolist()
        [['fold', 1.6004], ['fold', 3.3666]]
        """
        df = _branches_frame(self.branches, self.params.model.state_names, with_branch=True)
        df.attrs.update(span=tuple(self.span))
        return df

    def special_points_dataframe(self):
        """The special points, one row each, as a `pandas.DataFrame` (pandas imported
        here), sorted by parameter value as ``special_points``.

        Columns: ``kind``, the parameter (named after it), one per state,
        ``n_unstable_before``, ``n_unstable_after``, ``verified``, ``refined``,
        ``branch``, ``frequency``, ``first_lyapunov`` (Hopf points; NaN otherwise),
        ``criticality`` (Hopf points; '' otherwise), ``meaning``,
        ``eigenvalue_1`` ... (complex).

        Returns
        -------
        pandas.DataFrame
            One row per special point, with the columns above.

        Examples
        --------
        >>> import dyadmodel as dm
        >>> m = dm.models.get("pursuer-distancer-2d")
        >>> d = dm.continuation(m, m.params(avoidance_gain_2=2.0), "anxiety_gain_1", (0.5, 4))
        >>> frame = d.special_points_dataframe()
        >>> frame.shape[0], list(frame.columns[:2])
        (2, ['kind', 'anxiety_gain_1'])
        """
        from dyadmodel._display import eigenvalue_columns, optional_module, state_columns

        pd = optional_module("pandas", "special_points_dataframe()")
        names = self.params.model.state_names
        pts = self.special_points
        n = len(names)
        columns = {
            "kind": [s.kind for s in pts],
            self.param: np.array([s.value for s in pts], dtype=float),
            **state_columns(np.array([s.state for s in pts]).reshape(len(pts), n), names),
            "n_unstable_before": np.array([s.n_unstable_before for s in pts], dtype=int),
            "n_unstable_after": np.array([s.n_unstable_after for s in pts], dtype=int),
            "verified": np.array([s.verified for s in pts], dtype=bool),
            "refined": np.array([s.refined for s in pts], dtype=bool),
            "branch": np.array([s.branch for s in pts], dtype=int),
            "frequency": np.array([s.frequency for s in pts], dtype=float),
            "first_lyapunov": np.array(
                [math.nan if s.first_lyapunov is None else s.first_lyapunov for s in pts],
                dtype=float,
            ),
            "criticality": [s.criticality for s in pts],
            "meaning": [s.meaning for s in pts],
            **eigenvalue_columns(np.array([s.eigenvalues for s in pts]).reshape(len(pts), n)),
        }
        df = pd.DataFrame(columns)
        df.attrs.update(model=self.model_name, params=self.params.as_dict(), param=self.param)
        return df

    def _repr_html_(self) -> str:
        from dyadmodel._display import html_table

        names = self.params.model.state_names
        caption = (
            f"{self.model_name}: {self.param} in [{self.span[0]:g}, {self.span[1]:g}], "
            f"{len(self.branches)} branches, {len(self.special_points)} special points"
        )
        rows = [
            [s.kind, f"{s.value:.10g}", *(float(v) for v in s.state), s.verified]
            for s in self.special_points
        ]
        note = "; ".join(self.notes)
        return html_table(
            ["kind", self.param, *names, "verified"], rows, caption=caption, note=note
        )

    def table(self) -> str:
        """The special points as a plain-text table.

        Returns
        -------
        str
            A header, a rule and one line per special point: kind, parameter value, state,
            eigenvalues, the change of ``n_unstable`` and whether it was verified.

        Examples
        --------
        >>> import dyadmodel as dm
        >>> m = dm.models.get("pursuer-distancer-2d")
        >>> d = dm.continuation(m, m.params(avoidance_gain_2=2.0), "anxiety_gain_1", (0.5, 4))
        >>> print(d.table().splitlines()[0])
        kind  anxiety_gain_1  state                 eigenvalues     n_unstable  verified
        """
        head = ["kind", self.param, "state", "eigenvalues", "n_unstable", "verified"]
        rows = []
        for s in self.special_points:
            ev = ", ".join(
                f"{z.real:.4g}" if abs(z.imag) < 1e-12 else f"{z.real:.3g}{z.imag:+.4g}i"
                for z in s.eigenvalues
            )
            rows.append(
                [
                    f"{s.kind} ({s.criticality})" if s.criticality else s.kind,
                    f"{s.value:.10g}",
                    "(" + ", ".join(f"{v:.6g}" for v in s.state) + ")",
                    ev,
                    f"{s.n_unstable_before} -> {s.n_unstable_after}",
                    "yes" if s.verified else "NO",
                ]
            )
        if not rows:
            return f"no special points of {self.model_name} for {self.param} in {self.span}"
        widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
        lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in [head, *rows]]
        lines.insert(1, "  ".join("-" * w for w in widths))
        return "\n".join(lines)

    def __repr__(self) -> str:
        head = (
            f"BifurcationDiagram({self.model_name!r}, {self.param} in "
            f"[{self.span[0]:g}, {self.span[1]:g}], {len(self.branches)} branches, "
            f"{len(self.special_points)} special points)"
        )
        return head + "".join(f"\n  {s!r}" for s in self.special_points)


def _branches_frame(branches: tuple[Branch, ...], names: tuple[str, ...], *, with_branch: bool):
    from dyadmodel._display import eigenvalue_columns, optional_module, state_columns

    pd = optional_module("pandas", "to_dataframe()")
    n = len(names)
    frames = []
    for b, br in enumerate(branches):
        m = len(br)
        columns = {"branch": np.full(m, b), "point": np.arange(m)} if with_branch else {}
        columns.update(
            {
                br.param: br.values.copy(),
                **state_columns(br.states.reshape(m, n), names),
                "n_unstable": br.n_unstable.copy(),
                "stable": br.stable.copy(),
                "arclength": br.arclength.copy(),
                **eigenvalue_columns(br.eigenvalues.reshape(m, n)),
            }
        )
        frames.append(pd.DataFrame(columns))
    if frames:
        df = pd.concat(frames, ignore_index=True)
    else:
        df = pd.DataFrame(columns={"branch": [], "point": []} if with_branch else {})
    if branches:
        df.attrs.update(
            model=branches[0].model_name,
            params=branches[0].params.as_dict(),
            param=branches[0].param,
        )
    return df


# Shared by fold curves (_twoparam) and Hopf curves (_hopf): its one home, so that
# neither of those modules imports the other.
@dataclasses.dataclass(frozen=True, eq=False)
class CodimTwoPoint:
    """A cusp or Bogdanov-Takens point on a fold curve, or a Bogdanov-Takens or
    Bautin (generalized Hopf: first Lyapunov coefficient zero) point on a Hopf curve.

    Attributes
    ----------
    kind : {'cusp', 'bogdanov-takens', 'bautin'}
    x_param, y_param : str
    x_value, y_value : float
    state : ndarray
    eigenvalues : ndarray of complex
    model_name : str
    params : ParameterSet

    Examples
    --------
    >>> import dyadmodel as dm
    >>> m = dm.models.get("pursuer-distancer-2d")
    >>> r = dm.regime_map(m, None, ("anxiety_gain_1", (14, 20)), ("avoidance_gain_2", (0.15, 0.4)),
    ...                   3)
    >>> r.cusps[0]
    CodimTwoPoint('cusp', anxiety_gain_1=19.196886, avoidance_gain_2=0.2422463)
    """

    kind: str
    x_param: str
    y_param: str
    x_value: float
    y_value: float
    state: np.ndarray
    eigenvalues: np.ndarray
    model_name: str
    params: ParameterSet

    def __repr__(self) -> str:
        return (
            f"CodimTwoPoint({self.kind!r}, {self.x_param}={self.x_value:.8g}, "
            f"{self.y_param}={self.y_value:.8g})"
        )
