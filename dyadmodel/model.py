"""The symbolic model layer: one `Model` object that every analysis accepts.

A `Model` is defined once, symbolically: named states (with meaning and a plotting /
search domain), named parameters (default, bounds, meaning, unit), optional
time-varying inputs (external stress ``s(t)``), and the right-hand side as sympy
expressions. Everything numeric is derived from that single definition, once, and
cached: the symbolic Jacobian, the equations as LaTeX, and compiled numpy functions for
the right-hand side and the Jacobian that accept one state or a batch of states.

Nothing here evaluates user text: models are written in Python with sympy symbols, and
parameter values are checked to be real numbers before they are used.
"""

from __future__ import annotations

import dataclasses
import difflib
import math
import numbers
from collections.abc import Callable, Iterator, Mapping, Sequence
from functools import cached_property
from typing import Any

import numpy as np
import sympy as sp

from dyadmodel.errors import InvalidInputError, InvalidTypeError, NotFoundError

__all__ = [
    "Input",
    "Model",
    "ModelDefinitionError",
    "Parameter",
    "ParameterError",
    "ParameterSet",
    "Preset",
    "Reference",
    "State",
    "hill",
    "hill_repressor",
    "symbols",
]


class ParameterError(InvalidInputError):
    """A parameter value or name that the model does not accept.

    The message names the parameter, the offending value and what was expected.

    Examples
    --------
    >>> import dyadmodel as dm
    >>> m = dm.models.get("strogatz-linear")
    >>> try:
    ...     m.params(a="x")
    ... except dm.ParameterError as err:
    ...     print(type(err).__name__, isinstance(err, ValueError))
    ParameterError True
    """


class ModelDefinitionError(InvalidInputError):
    """A model definition that is internally inconsistent (a programming error).

    Examples
    --------
    >>> from dyadmodel.model import ModelDefinitionError, hill, symbols
    >>> (z,) = symbols("z")
    >>> try:
    ...     hill(z, 1, 0)
    ... except ModelDefinitionError as err:
    ...     print(str(err)[:40])
    Hill exponent = 0 must be an integer in
    """


def symbols(names: str) -> tuple[sp.Symbol, ...]:
    """Real sympy symbols with the given space-separated names.

    Every symbol a model uses must be created this way (``real=True``), so that the
    model can match symbols to its states, parameters and inputs by name.

    Parameters
    ----------
    names : str
        Space-separated symbol names, e.g. ``"x y"``.

    Returns
    -------
    tuple of sympy.Symbol
        One real symbol per name, in order (a 1-tuple for one name).

    Examples
    --------
    >>> x, y = symbols("x y")
    >>> x.is_real
    True
    """
    out = sp.symbols(names, real=True, seq=True)
    return tuple(out)


def hill(z: sp.Expr, threshold: sp.Expr, exponent: int) -> sp.Expr:
    """Increasing Hill function ``z**n / (K**n + z**n)``, from 0 at z=0 to 1.

    The rational form keeps the equilibrium equations polynomial after clearing
    denominators, which is what lets `dyadmodel` find *all* equilibria exactly.
    ``exponent`` is a structural integer, not a parameter.

    Parameters
    ----------
    z : sympy.Expr
        The argument (usually a state symbol).
    threshold : sympy.Expr
        The half-saturation value ``K`` (usually a parameter symbol).
    exponent : int
        The Hill exponent ``n``, an integer in ``[1, 64]``.

    Returns
    -------
    sympy.Expr
        ``z**n / (K**n + z**n)``.

    Raises
    ------
    ModelDefinitionError
        When ``exponent`` is not an integer in ``[1, 64]``.

    Examples
    --------
    >>> from dyadmodel import hill, symbols
    >>> z, K = symbols("z K")
    >>> hill(z, K, 2)
    z**2/(K**2 + z**2)
    >>> hill(z, K, 2).subs({z: 1, K: 1})
    1/2
    """
    _check_exponent(exponent)
    return z**exponent / (threshold**exponent + z**exponent)


def hill_repressor(z: sp.Expr, threshold: sp.Expr, exponent: int) -> sp.Expr:
    """Decreasing Hill function ``K**n / (K**n + z**n) = 1 - hill(z)``, from 1 to 0.

    Parameters
    ----------
    z : sympy.Expr
        The argument (usually a state symbol).
    threshold : sympy.Expr
        The half-saturation value ``K`` (usually a parameter symbol).
    exponent : int
        The Hill exponent ``n``, an integer in ``[1, 64]``.

    Returns
    -------
    sympy.Expr
        ``K**n / (K**n + z**n)``.

    Raises
    ------
    ModelDefinitionError
        When ``exponent`` is not an integer in ``[1, 64]``.

    Examples
    --------
    >>> from dyadmodel import hill, hill_repressor, symbols
    >>> z, K = symbols("z K")
    >>> hill_repressor(z, K, 2)
    K**2/(K**2 + z**2)
    >>> (hill(z, K, 2) + hill_repressor(z, K, 2)).simplify()
    1
    """
    _check_exponent(exponent)
    return threshold**exponent / (threshold**exponent + z**exponent)


#: Hill exponents above this are refused (the equilibrium polynomials' degree grows with it).
MAX_HILL_EXPONENT = 64


def _check_exponent(exponent: int) -> None:
    if (
        isinstance(exponent, bool)
        or not isinstance(exponent, numbers.Integral)
        or not 1 <= exponent <= MAX_HILL_EXPONENT
    ):
        raise ModelDefinitionError(
            f"Hill exponent = {_short(exponent)} must be an integer in [1, "
            f"{MAX_HILL_EXPONENT}] (it is structural: equilibria stay polynomial only for "
            "integer exponents, and their degree grows with it)"
        )


def _short(value: object, limit: int = 60) -> str:
    """``repr(value)`` cut to ``limit`` characters (huge integers, long strings)."""
    try:
        text = repr(value)
    except ValueError:  # an integer beyond Python's str conversion limit
        return f"<{type(value).__name__} too large to print>"
    return text if len(text) <= limit else text[: limit - 3] + "..."


@dataclasses.dataclass(frozen=True)
class Reference:
    """A source a model (or a default value) comes from.

    Attributes
    ----------
    key : str
        BibTeX key, also used in ``paper/paper.bib``.
    text : str
        Human-readable citation.
    bibtex : str
        A complete BibTeX entry.
    doi : str or None
        The DOI, without the ``https://doi.org/`` prefix.

    Examples
    --------
    >>> import dyadmodel as dm
    >>> ref = dm.Reference("strogatz1988", "Strogatz, S. H. (1988). Love affairs and "
    ...                    "differential equations. Mathematics Magazine 61(1), 35.")
    >>> ref.key, ref.doi
    ('strogatz1988', None)
    """

    key: str
    text: str
    bibtex: str = ""
    doi: str | None = None


@dataclasses.dataclass(frozen=True)
class State:
    """A state variable.

    Attributes
    ----------
    name : str
        Identifier used in the API and as the sympy symbol name.
    meaning : str
        What the variable measures, in the couple's vocabulary.
    domain : (float, float)
        The **plotting range**: what phase portraits, nullclines and the explorer show
        by default. It is not a limit of the model: equilibria outside it are still
        found (and marked as outside it).
    unit : str
    latex : str or None
        LaTeX for equations (defaults to sympy's rendering of the name).
    validity : (float, float)
        The **domain of validity**: the values the state can meaningfully take (either
        end may be infinite). `dyadmodel.equilibria` searches all of it by default, so
        "complete" is a claim about this whole region. States of the flagship models
        are non-negative intensities, ``(0, inf)``; the default is the whole real line.

    Raises
    ------
    ModelDefinitionError
        When ``validity`` is not ``(low, high)`` with ``low < high`` or ``domain`` is not
        finite with ``low < high``.

    Examples
    --------
    >>> import dyadmodel as dm
    >>> s = dm.State("pursuit_1", "partner 1's pursuit", validity=(0.0, float("inf")))
    >>> s.domain, s.validity
    ((0.0, 5.0), (0.0, inf))
    """

    name: str
    meaning: str
    domain: tuple[float, float] = (0.0, 5.0)
    unit: str = "intensity (arbitrary units)"
    latex: str | None = None
    validity: tuple[float, float] = (-math.inf, math.inf)

    def __post_init__(self) -> None:
        lo, hi = (float(v) for v in self.validity)
        if math.isnan(lo) or math.isnan(hi) or not lo < hi:
            raise ModelDefinitionError(
                f"state {self.name!r}: validity = {self.validity!r}; expected (low, high) "
                "with low < high (ends may be infinite)"
            )
        d_lo, d_hi = (float(v) for v in self.domain)
        if not (math.isfinite(d_lo) and math.isfinite(d_hi) and d_lo < d_hi):
            raise ModelDefinitionError(
                f"state {self.name!r}: plotting range domain = {self.domain!r}; expected "
                "finite (low, high) with low < high"
            )
        object.__setattr__(self, "validity", (lo, hi))


@dataclasses.dataclass(frozen=True)
class Parameter:
    """A model parameter with its default, admissible range and meaning.

    Attributes
    ----------
    name : str
        Identifier used in the API and as the sympy symbol name.
    default : float
        The value `Model.params` uses when none is given.
    meaning : str
        What the parameter means, in the couple's vocabulary.
    bounds : (float, float)
        Admissible values; either end may be infinite.
    lower_inclusive : bool
        False for strictly positive quantities such as rates and thresholds.
    unit : str
        The unit, ``"1"`` for dimensionless.
    latex : str or None
        LaTeX for equations (defaults to sympy's rendering of the name).
    bound_reason : str
        Appended to the out-of-bounds error, e.g. "a gain, not a sign".

    Examples
    --------
    >>> import dyadmodel as dm
    >>> rate = dm.Parameter("decay", 1.0, "how fast upset fades", bounds=(0.0, float("inf")),
    ...                     lower_inclusive=False)
    >>> rate.interval_text(), rate.check(2)
    ('(0, inf)', 2.0)
    """

    name: str
    default: float
    meaning: str
    bounds: tuple[float, float] = (-math.inf, math.inf)
    lower_inclusive: bool = True
    unit: str = "1"
    latex: str | None = None
    bound_reason: str = ""

    def check(self, value: Any) -> float:
        """Return ``value`` as a float, or raise `ParameterError` naming what is wrong.

        Parameters
        ----------
        value : float
            A candidate value of this parameter.

        Returns
        -------
        float
            ``value`` as a float.

        Raises
        ------
        ParameterError
            When ``value`` is not a real number, is NaN or infinite, or is outside
            ``bounds`` (the message names the parameter, the value and the bound).

        Examples
        --------
        >>> import dyadmodel as dm
        >>> dm.Parameter("gain", 1.0, "a gain", bounds=(0.0, 5.0)).check(6.0)  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        dyadmodel.model.ParameterError: parameter 'gain' = 6 is above its upper bound 5; ...
        """
        lo, hi = self.bounds
        expected = f"a finite real number in {self.interval_text()}"
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise ParameterError(
                f"parameter {self.name!r} = {_short(value)} is a {type(value).__name__}; "
                f"expected {expected}"
            )
        try:
            v = float(value)
        except OverflowError:  # an integer beyond the float range
            v = math.inf if value > 0 else -math.inf
        if not math.isfinite(v):
            raise ParameterError(
                f"parameter {self.name!r} = {v} is not finite; expected {expected}"
            )
        reason = f" ({self.bound_reason})" if self.bound_reason else ""
        if v < lo or (v == lo and not self.lower_inclusive):
            word = "lower bound" if self.lower_inclusive else "strict lower bound"
            relation = "below" if v < lo else "at"
            raise ParameterError(
                f"parameter {self.name!r} = {v:g} is {relation} its {word} {lo:g}"
                f"{reason}; expected {expected}"
            )
        if v > hi:
            raise ParameterError(
                f"parameter {self.name!r} = {v:g} is above its upper bound {hi:g}"
                f"{reason}; expected {expected}"
            )
        return v

    def interval_text(self) -> str:
        """The admissible interval as text, e.g. ``"(0, inf)"`` (used in messages).

        Returns
        -------
        str
            ``[`` or ``(`` for a closed or open (or infinite) lower end, ``]`` or ``)``
            likewise for the upper end.

        Examples
        --------
        >>> Parameter("rate", 1.0, "a rate", bounds=(0.0, math.inf),
        ...           lower_inclusive=False).interval_text()
        '(0, inf)'
        """
        lo, hi = self.bounds
        left = "[" if self.lower_inclusive and math.isfinite(lo) else "("
        right = "]" if math.isfinite(hi) else ")"
        return f"{left}{_fmt_bound(lo)}, {_fmt_bound(hi)}{right}"


def _fmt_bound(v: float) -> str:
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return f"{v:g}"


@dataclasses.dataclass(frozen=True)
class Input:
    """A time-varying exogenous input, e.g. external stress ``s(t)``.

    Inputs are symbols in the right-hand side whose value is supplied at evaluation
    time (a number, an array, or by a scenario as a function of time). Like parameters,
    inputs have admissible values: every value supplied (a constant, each element of
    an array, every value a stress input takes over the time span) is checked with
    `check`.

    Attributes
    ----------
    name : str
        Identifier used in the API and as the sympy symbol name.
    meaning : str
        What the input is, in the couple's vocabulary.
    default : float
        The value used when none is supplied.
    unit : str
        The unit of the input.
    latex : str or None
        LaTeX for equations (defaults to sympy's rendering of the name).
    bounds : (float, float)
        Admissible values (inclusive; either end may be infinite). Default: any finite
        number.
    bound_reason : str
        Appended to the out-of-bounds error, e.g. why negative stress is refused.

    Examples
    --------
    >>> import dyadmodel as dm
    >>> stress = dm.Input("stress", "external stress", bounds=(0.0, float("inf")))
    >>> stress.default, stress.interval_text()
    (0.0, '[0, inf)')
    """

    name: str
    meaning: str
    default: float = 0.0
    unit: str = "intensity (arbitrary units)"
    latex: str | None = None
    bounds: tuple[float, float] = (-math.inf, math.inf)
    bound_reason: str = ""

    def interval_text(self) -> str:
        """The admissible interval as text, e.g. ``"[0, inf)"`` (used in messages).

        Returns
        -------
        str
            ``[``/``]`` at a finite end (inclusive), ``(``/``)`` at an infinite one.

        Examples
        --------
        >>> Input("stress", "external stress", bounds=(0.0, math.inf)).interval_text()
        '[0, inf)'
        """
        lo, hi = self.bounds
        left = "[" if math.isfinite(lo) else "("
        right = "]" if math.isfinite(hi) else ")"
        return f"{left}{_fmt_bound(lo)}, {_fmt_bound(hi)}{right}"

    def check(self, value: Any, where: str = "") -> float:
        """Return ``value`` as a float, or raise `InvalidInputError` naming the input,
        the value and the bound (``where`` adds context, e.g. "at t = 3").

        Parameters
        ----------
        value : float
            A candidate value of this input.
        where : str, optional
            Context added to the error message, e.g. ``"at t = 3"``.

        Returns
        -------
        float
            ``value`` as a float.

        Raises
        ------
        InvalidInputError
            When ``value`` is not a real number, is NaN or infinite, or is outside
            ``bounds``.

        Examples
        --------
        >>> Input("stress", "external stress", bounds=(0.0, math.inf)).check(0.5)
        0.5
        """
        at = f" {where}" if where else ""
        expected = f"a finite real number in {self.interval_text()}"
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise InvalidInputError(
                f"input {self.name!r}{at} = {_short(value)} is a {type(value).__name__}; "
                f"expected {expected}"
            )
        try:
            v = float(value)
        except OverflowError:
            v = math.inf if value > 0 else -math.inf
        if not math.isfinite(v):
            raise InvalidInputError(
                f"input {self.name!r}{at} = {v} is not finite; expected {expected}"
            )
        lo, hi = self.bounds
        if lo <= v <= hi:
            return v
        reason = f" ({self.bound_reason})" if self.bound_reason else ""
        which = f"lower bound {lo:g}" if v < lo else f"upper bound {hi:g}"
        relation = "below" if v < lo else "above"
        raise InvalidInputError(
            f"input {self.name!r}{at} = {v:g} is {relation} its {which}{reason}; "
            f"expected {expected}"
        )

    def check_array(self, value: np.ndarray, where: str = "") -> None:
        """`check` every element of a float array (the first bad one is reported).

        Parameters
        ----------
        value : numpy.ndarray
            Values of this input, any shape.
        where : str, optional
            Context added to the error message, e.g. ``"in the stress series"``.

        Raises
        ------
        InvalidInputError
            For the first element that is not finite or is outside ``bounds``.

        Examples
        --------
        >>> import numpy as np
        >>> stress = Input("stress", "external stress", bounds=(0.0, math.inf))
        >>> stress.check_array(np.array([0.0, 1.0, -1.0]))  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        dyadmodel.errors.InvalidInputError: input 'stress' at index 2 = -1 is below its ...
        """
        lo, hi = self.bounds
        with np.errstate(invalid="ignore"):
            bad = ~np.isfinite(value) | (value < lo) | (value > hi)
        if np.any(bad):
            k = int(np.argmax(bad.ravel()))
            index = f"at index {k}" if value.ndim else ""
            self.check(float(value.ravel()[k]), f"{index} {where}".strip())


@dataclasses.dataclass(frozen=True)
class Preset:
    """A named, documented parameter region of a model.

    Attributes
    ----------
    description : str
        What the region shows (which phenomenon, which couple) and why.
    values : mapping
        Parameter overrides relative to the model defaults.

    Examples
    --------
    >>> import dyadmodel as dm
    >>> m = dm.models.get("pursuer-distancer-2d")
    >>> name, preset = next(iter(m.presets.items()))
    >>> isinstance(preset, dm.Preset), m.preset(name) == m.params(preset.values)
    (True, True)
    """

    description: str
    values: Mapping[str, float]


class ParameterSet(Mapping[str, float]):
    """A validated, immutable set of parameter values for one model.

    Create it with `Model.params`; derive variants with `replace`, which validates
    again. It is a read-only mapping from parameter name to float, in the model's
    parameter order, hashable and comparable.

    Parameters
    ----------
    model : Model
        The model the values belong to.
    values : tuple of float
        Validated values in the model's parameter order (use `Model.params`, which
        validates, rather than this constructor).

    Examples
    --------
    >>> import dyadmodel as dm
    >>> m = dm.models.get("strogatz-linear")
    >>> p = m.params(a=0.0, b=1.0, c=-1.0, d=0.0)
    >>> p["b"], p.replace(b=2.0)["b"]
    (1.0, 2.0)
    """

    __slots__ = ("_model", "_values")

    def __init__(self, model: Model, values: tuple[float, ...]) -> None:
        self._model = model
        self._values = values

    @property
    def model(self) -> Model:
        """The model these values belong to."""
        return self._model

    @property
    def model_name(self) -> str:
        """The registry name of the model these values belong to."""
        return self._model.name

    def __getitem__(self, name: str) -> float:
        try:
            return self._values[self._model._param_index[name]]
        except KeyError:
            raise KeyError(self._model._unknown_parameter_message(name)) from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._model.parameter_names)

    def __len__(self) -> int:
        return len(self._values)

    def __hash__(self) -> int:
        return hash((self._model.name, self._values))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, ParameterSet):
            return self._model.name == other._model.name and self._values == other._values
        return NotImplemented

    def __repr__(self) -> str:
        body = ", ".join(f"{k}={v!r}" for k, v in zip(self._model.parameter_names, self._values))
        return f"ParameterSet({self._model.name!r}, {body})"

    def replace(self, **overrides: float) -> ParameterSet:
        """A copy with some values changed (validated like `Model.params`).

        Parameters
        ----------
        **overrides : float
            New values by parameter name.

        Returns
        -------
        ParameterSet
            The same model's parameters with ``overrides`` applied.

        Raises
        ------
        ParameterError
            For an unknown name or an inadmissible value.

        Examples
        --------
        >>> import dyadmodel as dm
        >>> p = dm.models.get("strogatz-linear").params(b=1.0)
        >>> p.replace(b=3.0)["b"], p["b"]
        (3.0, 1.0)
        """
        return self._model.params(dict(self), **overrides)

    def as_array(self) -> np.ndarray:
        """The values as a new float array in the model's parameter order.

        Returns
        -------
        numpy.ndarray
            Shape ``(n_parameters,)``.

        Examples
        --------
        >>> import dyadmodel as dm
        >>> dm.models.get("strogatz-linear").params(a=1, b=2, c=3, d=4).as_array()
        array([1., 2., 3., 4.])
        """
        return np.array(self._values, dtype=float)

    def as_dict(self) -> dict[str, float]:
        """The values as a new ``{name: value}`` dict in the model's parameter order.

        Returns
        -------
        dict
            Parameter name -> float.

        Examples
        --------
        >>> import dyadmodel as dm
        >>> dm.models.get("strogatz-linear").params(a=1, b=2, c=3, d=4).as_dict()
        {'a': 1.0, 'b': 2.0, 'c': 3.0, 'd': 4.0}
        """
        return dict(zip(self._model.parameter_names, self._values))


class Model:
    """A dynamical system ``x' = f(x; p, u)`` defined symbolically.

    Parameters
    ----------
    name : str
        Registry name, e.g. ``"pursuer-distancer-2d"``.
    title : str
        One-line human title.
    states : sequence of State
        The state variables, in the order of the state vector.
    parameters : sequence of Parameter
        The parameters, in the order of `ParameterSet` and ``as_array``.
    rhs : sequence of sympy expressions
        ``rhs[i]`` is the time derivative of ``states[i]``. Symbols must be created
        with `symbols` and be named after a state, a parameter or an input.
    inputs : sequence of Input, optional
        Time-varying exogenous inputs (default value used when none is supplied).
    description : str
        What the model is and what each term means (shown by ``help`` and the docs).
    references : sequence of Reference
        Sources of the equations and of the default values.
    structure : mapping, optional
        Structural (non-parameter) choices that made this model, e.g. the Hill exponent.
    partner_swap : mapping, optional
        For partner-symmetric models: the involution exchanging the partners, as
        ``{"states": {...}, "parameters": {...}}`` name maps (each name maps to its
        counterpart; self-maps may be omitted).
    presets : mapping, optional
        Named parameter regions, ``{name: Preset}``, each documenting which phenomenon
        it shows; `Model.preset` turns one into a validated `ParameterSet`.
    labeler : callable, optional
        ``labeler(state, params, stable, is_threshold) -> str`` names an equilibrium in the
        couple's vocabulary ('balanced', 'entrenched', ...); the rule is documented with
        the model. Models without one get an empty label.
    equilibrium_box : callable, optional
        ``equilibrium_box(params)`` returns a bounded state box proved (in the model's
        docs) to contain every equilibrium in the states' domain of validity. Models that
        need no exact algebra (non-rational right-hand sides) use it to make "complete"
        a claim about the whole domain of validity; without one, `dyadmodel.equilibria`
        tries to prove such a box itself (interval contraction) and otherwise states
        that its answer is complete in a finite box only.

    Raises
    ------
    ModelDefinitionError
        For an inconsistent definition: a name used twice, a right-hand side per state
        missing, an unknown symbol, a bad ``partner_swap`` or a preset whose values the
        parameters' bounds refuse.

    Notes
    -----
    Numeric functions are compiled with `sympy.lambdify` (numpy backend, common
    subexpression elimination) on first use and cached on the instance. They broadcast
    over batches: a state array of shape ``(n_states, N)`` gives a right-hand side of
    shape ``(n_states, N)`` and a Jacobian of shape ``(n_states, n_states, N)``; parameter
    and input values may be scalars or arrays that broadcast against ``N``.

    Examples
    --------
    >>> import dyadmodel as dm
    >>> x, y, a = dm.symbols("x y a")
    >>> m = dm.Model("rotation", "A rotation", [dm.State("x", "x"), dm.State("y", "y")],
    ...              [dm.Parameter("a", 1.0, "angular speed")], [-a * y, a * x])
    >>> m.rhs([1.0, 0.0]).tolist(), m.parameter_names
    ([0.0, 1.0], ('a',))
    """

    def __init__(
        self,
        name: str,
        title: str,
        states: Sequence[State],
        parameters: Sequence[Parameter],
        rhs: Sequence[sp.Expr],
        *,
        inputs: Sequence[Input] = (),
        description: str = "",
        references: Sequence[Reference] = (),
        structure: Mapping[str, Any] | None = None,
        partner_swap: Mapping[str, Mapping[str, str]] | None = None,
        presets: Mapping[str, Preset] | None = None,
        labeler: Callable[[np.ndarray, ParameterSet, bool | None, bool], str] | None = None,
        equilibrium_box: Callable[[ParameterSet], Sequence[tuple[float, float]]] | None = None,
    ) -> None:
        self.name = name
        self.title = title
        self.states = tuple(states)
        self.parameters = tuple(parameters)
        self.inputs = tuple(inputs)
        self.description = description
        self.references = tuple(references)
        self.structure = dict(structure or {})
        self._rhs = tuple(sp.sympify(e) for e in rhs)  # model-author expressions, not user text
        self._check_definition()
        self._param_index = {p.name: i for i, p in enumerate(self.parameters)}
        self.partner_swap = self._check_swap(partner_swap)
        self.presets = dict(presets or {})
        self.labeler = labeler
        self._equilibrium_box = equilibrium_box
        for key, preset in self.presets.items():
            try:
                self.params(preset.values)
            except ParameterError as err:
                raise ModelDefinitionError(f"model {self.name!r}: preset {key!r}: {err}") from None

    # -- definition checks ---------------------------------------------------------
    def _check_definition(self) -> None:
        names = [v.name for v in (*self.states, *self.parameters, *self.inputs)]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ModelDefinitionError(f"model {self.name!r}: names used twice: {dupes}")
        if len(self._rhs) != len(self.states):
            raise ModelDefinitionError(
                f"model {self.name!r}: {len(self._rhs)} right-hand sides for "
                f"{len(self.states)} states"
            )
        known = {s.name: s for s in self.all_symbols}
        for i, expr in enumerate(self._rhs):
            for sym in expr.free_symbols:
                if sym.name not in known or known[sym.name] != sym:
                    raise ModelDefinitionError(
                        f"model {self.name!r}: rhs of {self.states[i].name!r} uses symbol "
                        f"{sym!r} that is not a real-valued state, parameter or input; "
                        "create symbols with dyadmodel.model.symbols"
                    )
        for p in self.parameters:
            p.check(p.default)

    def _check_swap(self, swap: Mapping[str, Mapping[str, str]] | None) -> dict | None:
        if swap is None:
            return None
        out = {}
        for kind, names in (("states", self.state_names), ("parameters", self.parameter_names)):
            mapping = {n: n for n in names}
            mapping.update(swap.get(kind, {}))
            if sorted(mapping.values()) != sorted(names) or set(mapping) != set(names):
                raise ModelDefinitionError(
                    f"model {self.name!r}: partner_swap {kind} is not a permutation"
                )
            if any(mapping[mapping[n]] != n for n in names):
                raise ModelDefinitionError(
                    f"model {self.name!r}: partner_swap {kind} is not an involution"
                )
            out[kind] = mapping
        return out

    # -- names and symbols -----------------------------------------------------------
    @property
    def n_states(self) -> int:
        """The number of states (the dimension of the system)."""
        return len(self.states)

    @property
    def state_names(self) -> tuple[str, ...]:
        """The states' names, in the order of the state vector."""
        return tuple(s.name for s in self.states)

    @property
    def parameter_names(self) -> tuple[str, ...]:
        """The parameters' names, in the order of `ParameterSet`."""
        return tuple(p.name for p in self.parameters)

    @property
    def input_names(self) -> tuple[str, ...]:
        """The inputs' names (empty for a model without inputs)."""
        return tuple(u.name for u in self.inputs)

    @cached_property
    def state_symbols(self) -> tuple[sp.Symbol, ...]:
        return tuple(sp.Symbol(s.name, real=True) for s in self.states)

    @cached_property
    def parameter_symbols(self) -> tuple[sp.Symbol, ...]:
        return tuple(sp.Symbol(p.name, real=True) for p in self.parameters)

    @cached_property
    def input_symbols(self) -> tuple[sp.Symbol, ...]:
        return tuple(sp.Symbol(u.name, real=True) for u in self.inputs)

    @property
    def all_symbols(self) -> tuple[sp.Symbol, ...]:
        """The sympy symbols of the states, then the parameters, then the inputs."""
        return (*self.state_symbols, *self.parameter_symbols, *self.input_symbols)

    def parameter(self, name: str) -> Parameter:
        """The `Parameter` record called ``name``.

        Parameters
        ----------
        name : str
            A parameter name of this model.

        Returns
        -------
        Parameter
            Its default, bounds, meaning and unit.

        Raises
        ------
        InvalidTypeError
            When ``name`` is not a str.
        ParameterError
            When the model has no parameter of that name (the message lists them).

        Examples
        --------
        >>> import dyadmodel as dm
        >>> dm.models.get("strogatz-linear").parameter("a").default
        0.0
        """
        if not isinstance(name, str):
            raise InvalidTypeError(
                f"parameter name {_short(name)} is a {type(name).__name__}; expected a str, "
                f"one of: {', '.join(self.parameter_names)}"
            )
        try:
            return self.parameters[self._param_index[name]]
        except KeyError:
            raise ParameterError(self._unknown_parameter_message(name)) from None

    def state_index(self, name: str) -> int:
        """Position of the state called ``name`` in the state vector.

        Parameters
        ----------
        name : str
            A state name of this model.

        Returns
        -------
        int
            Its index, from 0.

        Raises
        ------
        NotFoundError
            When the model has no state of that name (the message lists them).

        Examples
        --------
        >>> import dyadmodel as dm
        >>> dm.models.get("strogatz-linear").state_index("J")
        1
        """
        try:
            return self.state_names.index(name)
        except ValueError:
            raise NotFoundError(
                f"unknown state {name!r} for model {self.name!r}; valid states: "
                f"{', '.join(self.state_names)}"
            ) from None

    @property
    def domain(self) -> tuple[tuple[float, float], ...]:
        """The plotting range of every state (what figures show by default)."""
        return tuple(s.domain for s in self.states)

    @property
    def validity(self) -> tuple[tuple[float, float], ...]:
        """The domain of validity of every state (ends may be infinite)."""
        return tuple(s.validity for s in self.states)

    def equilibrium_domain(self, params: ParameterSet) -> tuple[tuple[float, float], ...]:
        """A finite box for sampling around the equilibria: the model's proved
        `equilibrium_box` when it declares one, the plotting range otherwise.

        Parameters
        ----------
        params : ParameterSet
            The parameter values (the proved box may depend on them).

        Returns
        -------
        tuple of (float, float)
            ``(low, high)`` per state.

        Examples
        --------
        >>> import dyadmodel as dm
        >>> m = dm.models.get("strogatz-linear")
        >>> m.equilibrium_domain(m.params()) == m.domain
        True
        """
        box = self.equilibrium_box(params)
        return self.domain if box is None else box

    def equilibrium_box(self, params: ParameterSet) -> tuple[tuple[float, float], ...] | None:
        """A bounded box proved (in the model's docs) to hold every equilibrium in the
        domain of validity at these parameters, or None when the model declares none.

        Parameters
        ----------
        params : ParameterSet
            The parameter values (the box may depend on them).

        Returns
        -------
        tuple of (float, float) or None
            ``(low, high)`` per state, or None.

        Examples
        --------
        >>> import dyadmodel as dm
        >>> m = dm.models.get("strogatz-linear")
        >>> m.equilibrium_box(m.params()) is None
        True
        """
        if self._equilibrium_box is None:
            return None
        return tuple((float(lo), float(hi)) for lo, hi in self._equilibrium_box(params))

    # -- symbolic derivations ------------------------------------------------------
    @property
    def rhs_expr(self) -> tuple[sp.Expr, ...]:
        """The right-hand side as sympy expressions, one per state."""
        return self._rhs

    @cached_property
    def jacobian_expr(self) -> sp.Matrix:
        """Symbolic Jacobian ``d rhs_i / d x_j`` (n_states x n_states)."""
        return sp.Matrix(self._rhs).jacobian(sp.Matrix(self.state_symbols))

    @cached_property
    def parameter_jacobian_expr(self) -> sp.Matrix:
        """Symbolic ``d rhs_i / d p_k`` (n_states x n_parameters), for comparative statics."""
        return sp.Matrix(self._rhs).jacobian(sp.Matrix(self.parameter_symbols))

    @cached_property
    def is_rational(self) -> bool:
        """True when every rhs is a rational function of the states (polynomial
        equilibrium equations after clearing denominators)."""
        xs = self.state_symbols
        return all(_is_rational_in(e, xs) for e in self._rhs)

    def _latex_names(self) -> dict[sp.Symbol, str]:
        out = {}
        for sym, rec in zip(self.all_symbols, (*self.states, *self.parameters, *self.inputs)):
            if rec.latex:
                out[sym] = rec.latex
        return out

    def latex(self) -> str:
        """The equations as a LaTeX ``aligned`` block (one line per state).

        Returns
        -------
        str
            ``\\begin{aligned} ... \\end{aligned}``, states and parameters named by their
            ``latex`` fields.

        Examples
        --------
        >>> import dyadmodel as dm
        >>> print(dm.models.get("strogatz-linear").latex())
        \\begin{aligned}
        \\dot{R} &= a R + b J \\\\
        \\dot{J} &= c R + d J
        \\end{aligned}
        """
        names = self._latex_names()
        # print coefficients before states ("a R", not "R a"): sympy orders factors by
        # symbol name, so stand-ins named p..., u..., x... give parameters, inputs, states
        stand_in, shown = {}, {}
        for prefix, syms in (
            ("p", self.parameter_symbols),
            ("u", self.input_symbols),
            ("x", self.state_symbols),
        ):
            for i, sym in enumerate(syms):
                new = sp.Symbol(f"{prefix}{i:04d}", real=True)
                stand_in[sym] = new
                shown[new] = names.get(sym, sp.latex(sym))
        lines = []
        for sym, expr in zip(self.state_symbols, self._rhs):
            lhs = names.get(sym, sp.latex(sym))
            rhs = sp.latex(expr.xreplace(stand_in), symbol_names=shown)
            lines.append(f"\\dot{{{lhs}}} &= {rhs}")
        return "\\begin{aligned}\n" + " \\\\\n".join(lines) + "\n\\end{aligned}"

    # -- parameters ----------------------------------------------------------------
    def params(self, values: Mapping[str, Any] | None = None, /, **overrides: Any) -> ParameterSet:
        """A validated, immutable parameter set: defaults updated by ``values`` and
        ``overrides``.

        Parameters
        ----------
        values : mapping or ParameterSet, optional
            Parameter name -> value (positional only).
        **overrides : float
            Parameter name -> value; they take precedence over ``values``.

        Returns
        -------
        ParameterSet
            Every parameter of the model, defaults for those not given.

        Raises
        ------
        InvalidTypeError
            When ``values`` is not a mapping.
        ParameterError
            For an unknown name (the message lists the valid names), a value that is
            not a real number, NaN or infinite, or outside the parameter's bounds (the
            message names the parameter, the value and the bound).

        Examples
        --------
        >>> import dyadmodel as dm
        >>> m = dm.models.get("strogatz-linear")
        >>> m.params({"a": 1.0}, b=2.0)
        ParameterSet('strogatz-linear', a=1.0, b=2.0, c=-1.0, d=0.0)
        """
        if values is not None and not isinstance(values, Mapping):
            raise InvalidTypeError(
                f"parameter values {_short(values)} are a {type(values).__name__}; expected a "
                f"mapping of names to numbers (or a ParameterSet) for model {self.name!r}"
            )
        given = dict(values or {})
        given.update(overrides)
        for name in given:
            if not isinstance(name, str) or name not in self._param_index:
                raise ParameterError(self._unknown_parameter_message(name))
        out = tuple(
            p.check(given[p.name]) if p.name in given else float(p.default) for p in self.parameters
        )
        return ParameterSet(self, out)

    def preset(self, name: str, /, **overrides: Any) -> ParameterSet:
        """The named parameter region ``name`` (see ``presets``), with optional overrides.

        Parameters
        ----------
        name : str
            A key of ``presets`` (positional only).
        **overrides : float
            Parameter name -> value, applied on top of the preset.

        Returns
        -------
        ParameterSet
            The model's defaults updated by the preset's values and ``overrides``.

        Raises
        ------
        ParameterError
            For an unknown preset (the message lists the available ones) or an
            inadmissible override.

        Examples
        --------
        >>> import dyadmodel as dm
        >>> m = dm.models.get("pursuer-distancer-2d")
        >>> name = sorted(m.presets)[0]
        >>> m.preset(name) == m.params(m.presets[name].values)
        True
        """
        try:
            values = self.presets[name].values
        except (KeyError, TypeError):
            raise ParameterError(
                f"unknown preset {_short(name)} for model {self.name!r}; available: "
                f"{', '.join(self.presets) or '(none)'}"
            ) from None
        return self.params(values, **overrides)

    def _unknown_parameter_message(self, name: object) -> str:
        close = difflib.get_close_matches(_short(name), self.parameter_names, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        return (
            f"unknown parameter {_short(name)} for model {self.name!r}{hint}; valid names: "
            f"{', '.join(self.parameter_names)}"
        )

    def parameter_set(self, params: ParameterSet | Mapping[str, Any] | None) -> ParameterSet:
        """``params`` as a validated `ParameterSet` of this model (defaults for None).

        Parameters
        ----------
        params : ParameterSet, mapping or None
            A parameter set of this model, a mapping of overrides, or None.

        Returns
        -------
        ParameterSet
            ``params`` itself when it is one of this model's; validated otherwise.

        Raises
        ------
        ParameterError
            For a parameter set of another model, an unknown name or a bad value.

        Examples
        --------
        >>> import dyadmodel as dm
        >>> m = dm.models.get("strogatz-linear")
        >>> m.parameter_set(None) == m.params(), m.parameter_set({"a": 2.0})["a"]
        (True, 2.0)
        """
        if params is None:
            return self.params()
        if isinstance(params, ParameterSet):
            if params.model_name != self.name:
                raise ParameterError(
                    f"parameter set belongs to model {params.model_name!r}, not {self.name!r}"
                )
            return params
        return self.params(params)

    def constant_inputs(
        self, inputs: Mapping[str, Any] | float | None, purpose: str = "this analysis"
    ) -> dict[str, float]:
        """Input values as ``{name: float}``; arrays are refused (``purpose`` names why).

        Parameters
        ----------
        inputs : mapping, float or None
            Input name -> value; a bare number for a one-input model; None for the
            defaults.
        purpose : str, optional
            What needs constant inputs, named in the error message.

        Returns
        -------
        dict
            Input name -> float, every input of the model.

        Raises
        ------
        InvalidInputError
            When a value is an array, or is not admissible for its input.

        Examples
        --------
        >>> import dyadmodel as dm
        >>> m = dm.models.get("pursuer-distancer-2d")
        >>> m.constant_inputs(0.5)
        {'stress': 0.5}
        """
        out = {}
        for u, v in zip(self.inputs, self._input_vector(inputs)):
            if np.ndim(v) != 0:
                raise InvalidInputError(
                    f"input {u.name!r} must be a single number for {purpose} (got an array of "
                    f"shape {np.shape(v)})"
                )
            out[u.name] = float(v)
        return out

    def _param_vector(self, params: ParameterSet | Mapping[str, Any] | None) -> list[Any]:
        return list(self.parameter_set(params)._values)

    def _input_vector(self, inputs: Mapping[str, Any] | float | None) -> list[Any]:
        if inputs is None:
            return [u.default for u in self.inputs]
        if not isinstance(inputs, Mapping):
            if isinstance(inputs, str | bytes):
                raise InvalidTypeError(
                    f"inputs = {_short(inputs)} is a {type(inputs).__name__}; expected a number "
                    f"or a mapping {{name: value}} of the inputs {self.input_names}"
                )
            if len(self.inputs) != 1:
                raise InvalidInputError(
                    f"model {self.name!r} has inputs {self.input_names}; pass them as a mapping"
                )
            inputs = {self.inputs[0].name: inputs}
        unknown = [k for k in inputs if not isinstance(k, str) or k not in self.input_names]
        if unknown:
            raise NotFoundError(
                f"unknown input(s) {sorted(unknown, key=repr)} for model {self.name!r}; "
                f"valid inputs: {', '.join(self.input_names) or '(none)'}"
            )
        out = []
        for u in self.inputs:
            given = inputs.get(u.name, u.default)
            if np.ndim(given) == 0:
                scalar = given.item() if isinstance(given, np.generic | np.ndarray) else given
                out.append(u.check(scalar))
                continue
            try:
                value = np.asarray(given, dtype=float)
            except (TypeError, ValueError, OverflowError):
                raise InvalidInputError(
                    f"input {u.name!r} = {given!r:.60} is not an array of real numbers; "
                    f"expected finite numbers in {u.interval_text()}"
                ) from None
            u.check_array(value)
            out.append(value)
        return out

    # -- compiled numerics ---------------------------------------------------------
    @cached_property
    def _rhs_fn(self) -> Callable[..., list]:
        return sp.lambdify(self.all_symbols, list(self._rhs), modules="numpy", cse=True)

    @cached_property
    def _jac_fn(self) -> Callable[..., list]:
        return sp.lambdify(self.all_symbols, list(self.jacobian_expr), modules="numpy", cse=True)

    def _states(self, x: Any) -> tuple[np.ndarray, tuple[int, ...]]:
        try:
            arr = np.asarray(x, dtype=float)
        except (TypeError, ValueError, OverflowError):
            raise InvalidInputError(
                f"state {x!r:.200} is not an array of real numbers; expected shape "
                f"({self.n_states},) or ({self.n_states}, N) with states "
                f"{', '.join(self.state_names)}"
            ) from None
        if arr.ndim == 0 or arr.shape[0] != self.n_states:
            raise InvalidInputError(
                f"state array of shape {arr.shape} does not match model {self.name!r}: expected "
                f"shape ({self.n_states},) or ({self.n_states}, N) with states "
                f"{', '.join(self.state_names)}"
            )
        return arr, arr.shape[1:]

    def rhs(
        self,
        x: Any,
        params: ParameterSet | Mapping[str, Any] | None = None,
        inputs: Mapping[str, Any] | float | None = None,
    ) -> np.ndarray:
        """Evaluate the right-hand side at one state or a batch of states.

        Parameters
        ----------
        x : array_like, shape (n_states,) or (n_states, ...)
            One state, or a batch of states along the trailing axes.
        params : ParameterSet or mapping, optional
            Defaults when omitted.
        inputs : mapping or float, optional
            Values of the inputs (e.g. stress ``s``); a bare number is accepted for
            one-input models. Arrays broadcast against the batch shape.

        Returns
        -------
        numpy.ndarray
            The time derivatives, of the same shape as ``x``.

        Raises
        ------
        InvalidInputError
            For a state array of the wrong shape or an inadmissible input value.
        ParameterError
            For an unknown parameter name or an inadmissible value.

        Examples
        --------
        >>> import dyadmodel as dm
        >>> m = dm.models.get("strogatz-linear")
        >>> m.rhs([1.0, 2.0], m.params(a=0, b=1, c=-1, d=0)).tolist()
        [2.0, -1.0]
        >>> m.rhs([[1.0, 0.0], [2.0, 1.0]], m.params(a=0, b=1, c=-1, d=0)).shape
        (2, 2)
        """
        arr, batch = self._states(x)
        pv = self._param_vector(params)
        uv = self._input_vector(inputs)
        vals = self._rhs_fn(*arr, *pv, *uv)
        shape = np.broadcast_shapes(batch, *(np.shape(v) for v in (*vals, *uv)))
        return np.stack([np.broadcast_to(np.asarray(v, dtype=float), shape) for v in vals])

    def jacobian(
        self,
        x: Any,
        params: ParameterSet | Mapping[str, Any] | None = None,
        inputs: Mapping[str, Any] | float | None = None,
    ) -> np.ndarray:
        """Evaluate the state Jacobian; shape ``(n, n)`` or ``(n, n, ...)`` for a batch.

        Parameters
        ----------
        x : array_like, shape (n_states,) or (n_states, ...)
            One state, or a batch of states along the trailing axes.
        params : ParameterSet or mapping, optional
            Defaults when omitted.
        inputs : mapping or float, optional
            Values of the inputs, as for `rhs`.

        Returns
        -------
        numpy.ndarray
            ``J[i, j] = d rhs_i / d x_j``, shape ``(n_states, n_states, ...)``.

        Examples
        --------
        >>> import dyadmodel as dm
        >>> m = dm.models.get("strogatz-linear")
        >>> m.jacobian([0.0, 0.0], m.params(a=1, b=2, c=3, d=4)).tolist()
        [[1.0, 2.0], [3.0, 4.0]]
        """
        arr, batch = self._states(x)
        pv = self._param_vector(params)
        uv = self._input_vector(inputs)
        vals = self._jac_fn(*arr, *pv, *uv)
        shape = np.broadcast_shapes(batch, *(np.shape(v) for v in (*vals, *uv)))
        flat = np.stack([np.broadcast_to(np.asarray(v, dtype=float), shape) for v in vals])
        n = self.n_states
        return flat.reshape((n, n, *shape))

    def ode(
        self,
        params: ParameterSet | Mapping[str, Any] | None = None,
        inputs: Mapping[str, Any] | float | None = None,
    ) -> Callable[[float, np.ndarray], np.ndarray]:
        """``f(t, y)`` for `scipy.integrate.solve_ivp` with fixed parameters and inputs.

        Parameters
        ----------
        params : ParameterSet or mapping, optional
            Defaults when omitted.
        inputs : mapping or float, optional
            Constant values of the inputs.

        Returns
        -------
        callable
            ``f(t, y) -> ndarray`` of shape ``(n_states,)``.

        Examples
        --------
        >>> import dyadmodel as dm
        >>> from scipy.integrate import solve_ivp
        >>> m = dm.models.get("strogatz-linear")
        >>> sol = solve_ivp(m.ode(m.params(a=0, b=1, c=-1, d=0)), (0, 6.283185307), [1.0, 0.0],
        ...                 rtol=1e-10, atol=1e-12)
        >>> [round(float(v), 6) + 0.0 for v in sol.y[:, -1]]
        [1.0, 0.0]
        """
        pv = self._param_vector(params)
        uv = self._input_vector(inputs)
        fn = self._rhs_fn

        def f(t: float, y: np.ndarray) -> np.ndarray:
            return np.array(fn(*y, *pv, *uv), dtype=float)

        return f

    def ode_jacobian(
        self,
        params: ParameterSet | Mapping[str, Any] | None = None,
        inputs: Mapping[str, Any] | float | None = None,
    ) -> Callable[[float, np.ndarray], np.ndarray]:
        """``J(t, y)`` for the ``jac=`` argument of implicit `solve_ivp` methods.

        Parameters
        ----------
        params : ParameterSet or mapping, optional
            Defaults when omitted.
        inputs : mapping or float, optional
            Constant values of the inputs.

        Returns
        -------
        callable
            ``J(t, y) -> ndarray`` of shape ``(n_states, n_states)``.

        Examples
        --------
        >>> import dyadmodel as dm
        >>> m = dm.models.get("strogatz-linear")
        >>> m.ode_jacobian(m.params(a=1, b=2, c=3, d=4))(0.0, [5.0, 6.0]).tolist()
        [[1.0, 2.0], [3.0, 4.0]]
        """
        pv = self._param_vector(params)
        uv = self._input_vector(inputs)
        fn = self._jac_fn
        n = self.n_states

        def jac(t: float, y: np.ndarray) -> np.ndarray:
            return np.array(fn(*y, *pv, *uv), dtype=float).reshape(n, n)

        return jac

    # -- models as text ----------------------------------------------------------------
    @classmethod
    def from_equations(
        cls,
        equations: Mapping[str, str],
        parameters: Mapping[str, Any] | None = None,
        states: Mapping[str, Any] | Sequence[str] | None = None,
        inputs: Mapping[str, Any] | None = None,
        **metadata: Any,
    ) -> Model:
        """A model from equations typed as text, parsed safely (no ``eval``/``sympify``).

        Parameters
        ----------
        equations : mapping
            State name -> right-hand side, e.g. ``{"x": "-x + a*y**2/(K**2 + y**2)"}``.
            Allowed: numbers, declared names, ``+ - * / **``, unary minus, parentheses,
            ``exp log sqrt tanh sin cos abs`` and ``hill(z, K, n)`` /
            ``hill_repressor(z, K, n)`` with an integer ``n``. Anything else (attributes,
            calls of other names, the time ``t``, ``9**9**9``, text too long or nested
            too deeply, ...) raises `ModelDefinitionError` with a caret under the
            offending part (see `dyadmodel.models._text`).
        parameters : mapping, optional
            Name -> default value, or name -> ``{"default", "bounds", "lower_inclusive",
            "meaning", "unit", "latex", "bound_reason"}`` (only ``default`` required),
            or name -> `Parameter`. Bounds default to the whole real line.
        states : mapping or sequence, optional
            Default: the keys of ``equations``, in that order. Name -> ``{"meaning",
            "unit", "latex", "validity", "plot_range"}`` (all optional) or `State`.
            ``validity`` (the domain of validity) defaults to the whole real line;
            ``plot_range`` to the part of ``[-5, 5]`` inside the validity.
        inputs : mapping, optional
            Name -> default, or name -> ``{"default", "bounds", "meaning", "unit",
            "latex", "bound_reason"}``, or `Input`.
        **metadata
            ``name`` (default ``"custom"``), ``title``, ``description``, ``references``,
            ``presets`` (name -> `Preset` or ``{"description", "values"}``),
            ``partner_swap``, ``structure``, ``limits`` (a
            `dyadmodel.models._text.TextLimits`).

        Returns
        -------
        Model
            The model, its right-hand side built from the parsed equations.

        Examples
        --------
        >>> m = Model.from_equations(
        ...     {"x": "y", "y": "mu*(1 - x**2)*y - x"}, {"mu": 1.0}, name="van-der-pol"
        ... )
        >>> m.rhs_expr
        (y, mu*y*(1 - x**2) - x)
        >>> m.rhs([2.0, 0.0]).tolist()
        [0.0, -2.0]
        """
        from dyadmodel.models._text import equations_model

        return equations_model(equations, parameters, states, inputs, **metadata)

    def to_toml(self) -> str:
        """The model as a model file's text (``dyadmodel.models.load`` reads it back).

        Deterministic; reading it gives a structurally identical right-hand side. The
        ``labeler`` and ``equilibrium_box`` callables cannot be written and are dropped
        (see `dyadmodel.models._toml`).

        Returns
        -------
        str
            TOML text with ``[model]``, ``[states.*]``, ``[parameters.*]``... tables.

        Examples
        --------
        >>> import dyadmodel as dm
        >>> m = dm.models.get("strogatz-linear")
        >>> again = dm.models.loads(m.to_toml())
        >>> again.rhs_expr == m.rhs_expr, again.parameter_names
        (True, ('a', 'b', 'c', 'd'))
        """
        from dyadmodel.models._toml import model_to_toml

        return model_to_toml(self)

    # -- presentation ----------------------------------------------------------------
    def describe(self) -> str:
        """A plain-text summary: equations, states, parameters with defaults and bounds.

        Returns
        -------
        str
            Several lines: name and title, the equations, the states, inputs,
            parameters and references.

        Examples
        --------
        >>> import dyadmodel as dm
        >>> print(dm.models.get("strogatz-linear").describe().splitlines()[2])
          dR/dt = J*b + R*a
        """
        lines = [f"{self.name}: {self.title}", ""]
        for sym, expr in zip(self.state_symbols, self._rhs):
            lines.append(f"  d{sym}/dt = {sp.sstr(expr)}")
        lines.append("")
        lines.append("states:")
        for s in self.states:
            lines.append(f"  {s.name:<24} {s.meaning}")
        if self.inputs:
            lines.append("inputs:")
            for u in self.inputs:
                lines.append(f"  {u.name:<24} {u.meaning} (default {u.default:g})")
        lines.append("parameters:")
        for p in self.parameters:
            lines.append(f"  {p.name:<24} = {p.default:<8g} in {p.interval_text():<14} {p.meaning}")
        if self.references:
            lines.append("references:")
            for r in self.references:
                lines.append(f"  [{r.key}] {r.text}")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        """Notebook display: the equations as LaTeX (``$$...$$``, typeset by the
        notebook's MathJax/KaTeX), the states, the parameters with default, bounds and
        meaning, the inputs, and the sources (`references`)."""
        from html import escape as esc

        from dyadmodel._display import html_table

        parts = [f"<p><b>{esc(self.name)}</b>: {esc(self.title)}</p>"]
        parts.append(f"<p>$${esc(self.latex())}$$</p>")
        parts.append(
            html_table(
                ["state", "meaning", "unit", "plotting range", "domain of validity"],
                [
                    [
                        s.name,
                        s.meaning,
                        s.unit,
                        f"[{s.domain[0]:g}, {s.domain[1]:g}]",
                        ("(" if math.isinf(s.validity[0]) else "[")
                        + f"{_fmt_bound(s.validity[0])}, {_fmt_bound(s.validity[1])}"
                        + (")" if math.isinf(s.validity[1]) else "]"),
                    ]
                    for s in self.states
                ],
                max_rows=len(self.states),
            )
        )
        parts.append(
            html_table(
                ["parameter", "default", "bounds", "unit", "meaning"],
                [
                    [p.name, p.default, p.interval_text(), p.unit, p.meaning]
                    for p in self.parameters
                ],
                max_rows=len(self.parameters),
            )
        )
        if self.inputs:
            parts.append(
                html_table(
                    ["input", "default", "bounds", "meaning"],
                    [[u.name, u.default, u.interval_text(), u.meaning] for u in self.inputs],
                    max_rows=len(self.inputs),
                )
            )
        if self.references:
            items = "".join(
                f"<li>[{esc(r.key)}] {esc(r.text)}"
                + (f" doi:{esc(r.doi)}" if r.doi else "")
                + "</li>"
                for r in self.references
            )
            parts.append(f"<p>Sources:</p><ul>{items}</ul>")
        return "\n".join(parts)

    def __repr__(self) -> str:
        return (
            f"Model({self.name!r}, states={list(self.state_names)}, "
            f"parameters={len(self.parameters)}, inputs={list(self.input_names)})"
        )


def _is_rational_in(expr: sp.Expr, xs: Sequence[sp.Symbol]) -> bool:
    """True when ``expr`` is a rational function of ``xs`` (structural check, no expansion):
    every node that involves ``xs`` is a sum, a product or an integer power."""
    xs = set(xs)
    stack = [sp.sympify(expr)]
    while stack:
        e = stack.pop()
        if not (e.free_symbols & xs) or e.is_Symbol:
            continue
        if e.is_Add or e.is_Mul:
            stack.extend(e.args)
        elif e.is_Pow and e.exp.is_Integer:
            stack.append(e.base)
        else:
            return False
    return True
