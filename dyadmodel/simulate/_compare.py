"""Which interventions, alone and combined, bring an entrenched couple back to balance."""

from __future__ import annotations

import dataclasses
import itertools
import math
import numbers
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import numpy as np

from dyadmodel.errors import InvalidInputError, InvalidTypeError
from dyadmodel.model import Model, ParameterSet
from dyadmodel.simulate._separatrix import separatrix
from dyadmodel.simulate._settle import DIVERGED, UNDECIDED, attractors
from dyadmodel.simulate._simulate import Simulation, simulate
from dyadmodel.simulate.interventions import Intervention

__all__ = ["InterventionComparison", "InterventionOutcome", "compare_interventions"]


@dataclasses.dataclass(frozen=True, eq=False)
class InterventionOutcome:
    """What one intervention (or combination) did to the couple.

    Attributes
    ----------
    names : tuple of str
        The interventions applied together, in order.
    returns_to_balanced : bool or None
        The state at ``t_max`` lies in the *original* couple's balanced basin: if the
        intervention stopped then, the couple would stay balanced. None when the
        settling test was undecided.
    recovery_time : float or None
        The first time from which the state stays in the original couple's balanced
        basin until ``t_max`` (None when it does not end there); resolution
        ``t_max / (32 * (n_samples - 1))``.
    final_basin : str
        Label of the original couple's attractor whose basin holds the state at
        ``t_max`` ('balanced', 'entrenched (partner 1 pursues)', ...), 'undecided' or
        'diverged'.
    final_state : ndarray
    simulation : Simulation
        The run (for plotting).

    Examples
    --------
    >>> import dyadmodel as dm
    >>> from dyadmodel.simulate.interventions import self_soothing
    >>> m = dm.models.get("pursuer-distancer-2d")
    >>> p = m.params(anxiety_gain_1=2.0, avoidance_gain_2=2.0)
    >>> (row,) = dm.compare_interventions(m, p, [self_soothing(1, to=1.0)], t_max=50.0)
    >>> row.returns_to_balanced, row.final_basin, round(row.recovery_time, 1)
    (True, 'balanced', 5.2)
    """

    names: tuple[str, ...]
    returns_to_balanced: bool | None
    recovery_time: float | None
    final_basin: str
    final_state: np.ndarray
    simulation: Simulation

    @property
    def name(self) -> str:
        """The interventions' names joined by ``" + "``."""
        return " + ".join(self.names)

    def __repr__(self) -> str:
        rt = "-" if self.recovery_time is None else f"{self.recovery_time:.4g}"
        return (
            f"InterventionOutcome({self.name!r}, returns_to_balanced="
            f"{self.returns_to_balanced}, recovery_time={rt}, final_basin={self.final_basin!r})"
        )


@dataclasses.dataclass(frozen=True, eq=False)
class InterventionComparison(Sequence[InterventionOutcome]):
    """A table of intervention outcomes for one couple (a sequence of
    `InterventionOutcome`, singles first, then pairs, ...).

    Attributes
    ----------
    outcomes : tuple of InterventionOutcome
    x0 : ndarray
        The start (by default the entrenched equilibrium).
    t_max : float
    balanced_state : ndarray
        The original couple's balanced equilibrium.
    basin_method : str
        'separatrix' (planar bistable model) or 'settle' (deterministic continuation).
    model_name : str
    params : ParameterSet

    Examples
    --------
    >>> import dyadmodel as dm
    >>> from dyadmodel.simulate.interventions import self_soothing
    >>> m = dm.models.get("pursuer-distancer-2d")
    >>> p = m.params(anxiety_gain_1=2.0, avoidance_gain_2=2.0)
    >>> comparison = dm.compare_interventions(m, p, [self_soothing(1, to=1.0)], t_max=50.0)
    >>> [row.name for row in comparison]
    ['self-soothing (partner 1)']
    """

    outcomes: tuple[InterventionOutcome, ...]
    x0: np.ndarray
    t_max: float
    balanced_state: np.ndarray
    basin_method: str
    model_name: str
    params: ParameterSet

    def __getitem__(self, i):  # type: ignore[override]
        return self.outcomes[i]

    def __len__(self) -> int:
        return len(self.outcomes)

    def __iter__(self) -> Iterator[InterventionOutcome]:
        return iter(self.outcomes)

    def outcome(self, *names: str) -> InterventionOutcome:
        """The row of exactly these interventions (in any order).

        Parameters
        ----------
        *names : str
            Names of the interventions of the row.

        Returns
        -------
        InterventionOutcome
            The row.

        Raises
        ------
        KeyError
            When no row has exactly these interventions.

        Examples
        --------
        >>> import dyadmodel as dm
        >>> from dyadmodel.simulate.interventions import self_soothing
        >>> m = dm.models.get("pursuer-distancer-2d")
        >>> p = m.params(anxiety_gain_1=2.0, avoidance_gain_2=2.0)
        >>> comparison = dm.compare_interventions(m, p, [self_soothing(1, to=1.0)], t_max=50.0)
        >>> comparison.outcome("self-soothing (partner 1)").final_basin
        'balanced'
        """
        want = set(names)
        for o in self.outcomes:
            if set(o.names) == want:
                return o
        raise KeyError(f"no row for {sorted(want)}; rows: {[o.name for o in self.outcomes]}")

    def table(self) -> str:
        """A plain-text table.

        Returns
        -------
        str
            A header and one line per row: whether it returns to balanced, the recovery time
            and the final basin.

        Examples
        --------
        >>> import dyadmodel as dm
        >>> from dyadmodel.simulate.interventions import self_soothing
        >>> m = dm.models.get("pursuer-distancer-2d")
        >>> p = m.params(anxiety_gain_1=2.0, avoidance_gain_2=2.0)
        >>> print(dm.compare_interventions(m, p, [self_soothing(1, to=1.0)], t_max=50.0).table())
        intervention               balanced  recovery  final basin
        self-soothing (partner 1)       yes     5.188  balanced
        """
        width = max(12, *(len(o.name) for o in self.outcomes))
        lines = [f"{'intervention':<{width}}  {'balanced':>8}  {'recovery':>8}  final basin"]
        for o in self.outcomes:
            ok = {True: "yes", False: "no", None: "?"}[o.returns_to_balanced]
            rt = "-" if o.recovery_time is None else f"{o.recovery_time:.4g}"
            lines.append(f"{o.name:<{width}}  {ok:>8}  {rt:>8}  {o.final_basin}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return (
            f"InterventionComparison({self.model_name!r}, t_max={self.t_max:g}, "
            f"{self.basin_method})\n{self.table()}"
        )


def compare_interventions(
    model: Model,
    params: ParameterSet | Mapping[str, Any] | None,
    interventions: Sequence[Intervention] | Mapping[str, Intervention],
    x0: Any = None,
    t_max: float = 300.0,
    *,
    combinations: bool | int = True,
    n_samples: int = 201,
    rtol: float = 1e-8,
    atol: float = 1e-10,
) -> InterventionComparison:
    """Run each intervention, alone and combined, from an entrenched couple.

    Parameters
    ----------
    model : Model
        The model.
    params : ParameterSet or mapping or None
        The couple without intervention (it should be bistable: balanced and entrenched
        states both stable).
    interventions : sequence of Intervention, or mapping of name to Intervention
        Each applied from its own start time (``start = 0`` for the named constructors
        by default) to ``t_max``, or until its ``end``.
    x0 : array_like, optional
        Start; default: the stable equilibrium labelled 'entrenched...'.
    t_max : float
        Length of each run.
    combinations : bool or int
        True: every non-empty subset (``2**k - 1`` runs); False: each intervention
        alone; an int ``m``: subsets of at most ``m`` interventions.
    n_samples : int
        States sampled along each run for the basin test.
    rtol, atol : float
        Passed to `simulate`.

    Returns
    -------
    InterventionComparison
        The result; see `InterventionComparison` for its fields.

    Raises
    ------
    InvalidInputError
        For an argument with an invalid value (the message says which and why).
    InvalidTypeError
        For an argument of the wrong type.

    Notes
    -----
    "Back in the balanced basin" is judged for the *original* couple (without the
    intervention): a state counts when, if the intervention stopped there, the couple
    would settle on the balanced equilibrium. For a planar bistable model that is the
    side of the separatrix; otherwise each sampled state is continued deterministically
    until it is close to a stable equilibrium (see `dyadmodel.simulate._settle`). An
    intervention that only makes the couple faster (e.g. ``regulation_skills`` with a
    recovery factor alone) changes no basin and therefore shows as 'no'.

    Examples
    --------
    >>> import dyadmodel as dm
    >>> from dyadmodel.simulate import compare_interventions, interventions as iv
    >>> m = dm.models.get("pursuer-distancer-2d")
    >>> table = compare_interventions(
    ...     m, m.params(), [iv.self_soothing(1, to=1.2), iv.naming_the_cycle(0.95)],
    ...     t_max=60, combinations=False)
    >>> [(o.name, o.returns_to_balanced) for o in table]
    [('self-soothing (partner 1)', True), ('naming the cycle (x 0.95)', False)]
    """
    pset = model.parameter_set(params)
    named = _named(interventions)
    t_max = float(t_max)
    if not (math.isfinite(t_max) and t_max > 0):
        raise InvalidInputError(f"t_max = {t_max!r} must be a positive time")
    if isinstance(n_samples, bool) or not isinstance(n_samples, numbers.Integral) or n_samples < 2:
        raise InvalidInputError(f"n_samples = {n_samples!r} must be an integer >= 2")
    zero = dict.fromkeys(model.input_names, 0.0)
    att = attractors(model, pset, zero)
    i_bal = att.index("balanced")
    if x0 is None:
        start = att.states[att.index("entrenched")].copy()
    else:
        start = np.array(x0, dtype=float)
    method = "settle"
    sep = None
    if model.n_states == 2:
        try:
            sep = separatrix(model, pset, zero)
            method = "separatrix"
        except ValueError:
            sep = None

    def basin(states: np.ndarray) -> np.ndarray:
        if sep is not None:
            sd = np.asarray(sep.signed_distance(states), dtype=float)
            pos = att.index(sep.positive.label)
            neg = att.index(sep.negative.label)
            return np.where(sd > 0, pos, neg)
        return att.classify(states)

    def label(k: int) -> str:
        if k == UNDECIDED:
            return "undecided"
        if k == DIVERGED:
            return "diverged"
        return att.labels[k]

    if combinations is True:
        max_size = len(named)
    elif combinations is False:
        max_size = 1
    elif isinstance(combinations, numbers.Integral) and combinations >= 1:
        max_size = int(combinations)
    else:
        raise InvalidInputError(
            f"combinations = {combinations!r} must be True, False or an int >= 1"
        )
    t_eval = np.linspace(0.0, t_max, n_samples)
    outcomes = []
    for size in range(1, max_size + 1):
        for combo in itertools.combinations(named, size):
            ivs = [iv for _, iv in combo]
            run = simulate(
                model,
                pset,
                start,
                (0.0, t_max),
                interventions=ivs,
                t_eval=t_eval,
                rtol=rtol,
                atol=atol,
            )
            if not run.success or run.t.size != t_eval.size:
                outcomes.append(
                    InterventionOutcome(
                        names=tuple(n for n, _ in combo),
                        returns_to_balanced=None,
                        recovery_time=None,
                        final_basin="diverged" if "diverged" in run.message else "undecided",
                        final_state=run.y[:, -1],
                        simulation=run,
                    )
                )
                continue
            labels = basin(run.y)
            last = int(labels[-1])
            returns = None if last == UNDECIDED else last == i_bal
            recovery = None
            if returns:
                outside = np.flatnonzero(labels != i_bal)
                if outside.size == 0:
                    recovery = 0.0
                else:
                    j = int(outside[-1])
                    fine = np.linspace(run.t[j], run.t[j + 1], 33)
                    inner = basin(np.asarray(run.sol(fine), dtype=float))
                    bad = np.flatnonzero(inner != i_bal)
                    recovery = float(fine[bad[-1] + 1]) if bad.size else float(fine[0])
            outcomes.append(
                InterventionOutcome(
                    names=tuple(n for n, _ in combo),
                    returns_to_balanced=returns,
                    recovery_time=recovery,
                    final_basin=label(last),
                    final_state=run.y[:, -1],
                    simulation=run,
                )
            )
    start.setflags(write=False)
    bal = att.states[i_bal].copy()
    bal.setflags(write=False)
    return InterventionComparison(
        outcomes=tuple(outcomes),
        x0=start,
        t_max=t_max,
        balanced_state=bal,
        basin_method=method,
        model_name=model.name,
        params=pset,
    )


def _named(items: Any) -> list[tuple[str, Intervention]]:
    if isinstance(items, Mapping):
        pairs = list(items.items())
    elif isinstance(items, Intervention):
        pairs = [(items.name, items)]
    else:
        pairs = [(iv.name if isinstance(iv, Intervention) else "", iv) for iv in items]
    if not pairs:
        raise InvalidInputError("give at least one intervention to compare")
    names = [n for n, _ in pairs]
    for k, (n, iv) in enumerate(pairs):
        if not isinstance(iv, Intervention):
            raise InvalidTypeError(
                f"interventions[{k}] is a {type(iv).__name__}, not an Intervention"
            )
        if names.count(n) > 1:
            raise InvalidInputError(
                f"two interventions are named {n!r}; pass a mapping {{name: intervention}} "
                "to tell them apart"
            )
    return pairs
