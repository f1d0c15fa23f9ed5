"""Comparative statics: how an equilibrium moves when a parameter changes.

At a hyperbolic equilibrium ``f(x*(p), p) = 0`` the implicit function theorem gives
``dx*/dp = -J^{-1} df/dp`` with ``J = df/dx``. The partial derivatives are the model's
symbolic ones (`Model.parameter_jacobian_expr`), evaluated at the equilibrium; for
models with at most three states the derivative is also returned as a sympy expression
in the states and parameters (Cramer's rule on the symbolic Jacobian).
"""

from __future__ import annotations

import dataclasses
import functools

import numpy as np
import sympy as sp
from sympy.matrices.utilities import dotprodsimp

from dyadmodel.analysis._checks import check_model, check_name, show
from dyadmodel.analysis._types import Equilibrium
from dyadmodel.errors import ComputationError, InvalidInputError, InvalidTypeError
from dyadmodel.model import Model, ParameterSet

__all__ = ["Sensitivity", "sensitivity"]


@dataclasses.dataclass(frozen=True, eq=False)
class Sensitivity:
    """Derivative of an equilibrium's coordinates with respect to one parameter.

    Attributes
    ----------
    parameter : str
    derivative : ndarray, shape (n_states,)
        ``d state_i / d parameter`` at the equilibrium, in state order.
    expression : sympy.Matrix or None
        The same derivative as a closed-form expression (models with <= 3 states).
    equilibrium : Equilibrium
    condition_number : float
        Of the Jacobian: large values mean the equilibrium is close to a fold, where the
        derivative blows up.

    Examples
    --------
    >>> import dyadmodel as dm
    >>> m = dm.models.get("strogatz-linear")
    >>> p = m.params(a=-1.0, b=0.0, c=0.0, d=-1.0)
    >>> s = dm.sensitivity(m, p, dm.equilibria(m, p)[0], "a")
    >>> s.parameter, s.derivative.tolist()
    ('a', [0.0, 0.0])
    """

    parameter: str
    derivative: np.ndarray
    expression: sp.Matrix | None
    equilibrium: Equilibrium
    condition_number: float

    def of(self, state: str) -> float:
        """The derivative of the named state.

        Parameters
        ----------
        state : str
            A state name of the model.

        Returns
        -------
        float
            ``d state / d parameter`` at the equilibrium.

        Examples
        --------
        >>> import dyadmodel as dm
        >>> m = dm.models.get("strogatz-linear")
        >>> p = m.params(a=-1.0, b=0.0, c=0.0, d=-1.0)
        >>> dm.sensitivity(m, p, dm.equilibria(m, p)[0], "a").of("R")
        0.0
        """
        names = self.equilibrium.params.model.state_names
        return float(self.derivative[names.index(state)])


@functools.lru_cache(maxsize=256)
def _closed_form(model: Model, k: int) -> sp.Matrix:
    """-J^{-1} df/dp_k by the adjugate (Cramer's rule): no simplification, so it is quick."""
    J = model.jacobian_expr
    with dotprodsimp(False):  # sympy would otherwise "simplify" by expanding: minutes
        adj = J.adjugate(method="berkowitz")
        det = J.det(method="berkowitz")
        return -(adj * model.parameter_jacobian_expr[:, k]) / det


def sensitivity(
    model: Model,
    params: ParameterSet,
    equilibrium: Equilibrium,
    parameter: str,
) -> Sensitivity:
    """Comparative statics ``d x*/d parameter`` at ``equilibrium`` (implicit function theorem).

    Parameters
    ----------
    model : Model
        The model the equilibrium was computed for.
    params : ParameterSet
        The parameters the equilibrium was computed at.
    equilibrium : Equilibrium
        From `dyadmodel.equilibria` with the same model and parameters.
    parameter : str
        Name of the parameter.

    Returns
    -------
    Sensitivity
        The derivative of every state (and its closed form for up to three states).

    Raises
    ------
    InvalidInputError
        If the equilibrium is non-hyperbolic with a zero eigenvalue (a fold: the
        derivative does not exist), or belongs to other parameters.
    ComputationError
        When ``d rhs/d state`` or ``d rhs/d parameter`` is not finite at the equilibrium
        (the derivative ``d state/d parameter`` does not exist there).
    InvalidTypeError
        For an argument of the wrong type.

    Examples
    --------
    >>> import dyadmodel as dm
    >>> m = dm.models.get("pursuer-distancer-2d")
    >>> p = m.params()
    >>> balanced = dm.equilibria(m, p)[0]
    >>> s = dm.sensitivity(m, p, balanced, "anxiety_gain_1")
    >>> bool(s.of("pursuit_1") > 0), bool(s.of("distance_2") > 0)
    (True, True)
    """
    check_model(model)
    model.parameter(check_name("parameter", parameter, model.parameter_names))
    if not isinstance(equilibrium, Equilibrium):
        raise InvalidTypeError(
            f"equilibrium = {show(equilibrium)} is a {type(equilibrium).__name__}; expected "
            "an Equilibrium from dyadmodel.equilibria(model, params)"
        )
    if equilibrium.model_name != model.name or equilibrium.params != params:
        raise InvalidInputError(
            "the equilibrium was computed for other parameters or another model; pass the "
            "same model and ParameterSet that produced it"
        )
    inputs = dict(equilibrium.inputs) or None
    x = np.asarray(equilibrium.state)
    J = model.jacobian(x, params, inputs)
    k = model.parameter_names.index(parameter)
    syms = model.all_symbols
    values = [*x, *params.values(), *(v for _, v in equilibrium.inputs)]
    if equilibrium.inputs == ():
        values += [u.default for u in model.inputs]
    env = dict(zip(syms, values))
    try:
        fp = np.array(
            [float(e.evalf(subs=env)) for e in model.parameter_jacobian_expr[:, k]], dtype=float
        )
    except (TypeError, ValueError, OverflowError):  # a complex or infinite derivative
        fp = np.full(model.n_states, np.nan)
    if not (np.all(np.isfinite(J)) and np.all(np.isfinite(fp))):
        raise ComputationError(
            f"d rhs/d state or d rhs/d {parameter} is not finite at {equilibrium!r}: the "
            "derivative d state/d parameter does not exist there"
        )
    cond = float(np.linalg.cond(J))
    if not np.isfinite(cond) or cond > 1e12:
        raise InvalidInputError(
            f"the Jacobian at {equilibrium!r} is singular (condition number {cond:.3g}): "
            f"the equilibrium is at a fold and d state/d {parameter} does not exist"
        )
    deriv = -np.linalg.solve(J, fp)
    expr = _closed_form(model, k) if model.n_states <= 3 else None
    return Sensitivity(parameter, deriv, expr, equilibrium, cond)
