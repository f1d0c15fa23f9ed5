"""Adult attachment: ECR-R scoring, the four styles, and the mapping onto model parameters.

Three layers, each usable on its own:

1. **Scoring** (`score_ecr_r`): the 36 item responses of the Experiences in Close
   Relationships-Revised questionnaire (Fraley, Waller & Brennan 2000) become two scores
   on the 1-7 scale, attachment *anxiety* and attachment *avoidance*. The item map is an
   explicit, versioned input (`ItemKey`); `ECR_R` is the published key.
2. **Styles** (`classify_style`, `AttachmentStyle`): the two dimensions split at
   documented, overridable cut-offs (`StyleCutoffs`) into the four quadrants of
   Bartholomew & Horowitz (1991): secure, anxious (preoccupied), avoidant (dismissing)
   and fearful. Each style has a prototypical score pair for figures and tables.
3. **Mapping** (`AttachmentMapping`, `couple_params`, `couple_params_from`): the two
   partners' scores become a validated `ParameterSet` of a pursuer-distancer model.
   The mapping is a MODELLING ASSUMPTION (phenomenon 9 of the paper: paper/paper.md,
   "Phenomena and model design"), not an empirical
   result: it is linear, transparent and every coefficient can be overridden.

Nothing here parses text: a response given as a string is rejected, never converted.

Examples
--------
>>> import dyadmodel as dm
>>> from dyadmodel.attachment import couple_params_from
>>> m = dm.models.get("pursuer-distancer-2d")
>>> p = couple_params_from(m, "anxious", "avoidant")
>>> p["anxiety_gain_1"], p["avoidance_gain_2"]
(2.3, 2.3)
"""

from __future__ import annotations

import dataclasses
import difflib
import enum
import math
import numbers
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Any

import numpy as np

from dyadmodel.errors import InvalidInputError
from dyadmodel.model import Model, ParameterError, ParameterSet, Reference

__all__ = [
    "DEFAULT_CUTOFFS",
    "DEFAULT_MAPPING",
    "ECR_R",
    "REFERENCES",
    "STYLE_PROTOTYPES",
    "AttachmentInputError",
    "AttachmentMapping",
    "AttachmentScores",
    "AttachmentStyle",
    "ItemKey",
    "StyleCutoffs",
    "classify_style",
    "couple_params",
    "couple_params_from",
    "score_ecr_r",
]


class AttachmentInputError(InvalidInputError):
    """Bad attachment input: a questionnaire response, a score, a style name or a key.

    The message names the offending item or argument, the value, and what was expected.

    Examples
    --------
    >>> from dyadmodel.attachment import AttachmentInputError, AttachmentStyle
    >>> try:
    ...     AttachmentStyle.from_name("clingy")
    ... except AttachmentInputError as err:
    ...     print(isinstance(err, ValueError))
    True
    """


# -- references ------------------------------------------------------------------------
FRALEY2000 = Reference(
    key="fraley2000item",
    text="Fraley, R. C., Waller, N. G., & Brennan, K. A. (2000). An item response "
    "theory analysis of self-report measures of adult attachment. Journal of "
    "Personality and Social Psychology, 78(2), 350-365.",
    bibtex="@article{fraley2000item,\n  author = {Fraley, R. Chris and Waller, Niels G. "
    "and Brennan, Kelly A.},\n  title = {An item response theory analysis of self-report "
    "measures of adult attachment},\n  journal = {Journal of Personality and Social "
    "Psychology},\n  volume = {78},\n  number = {2},\n  pages = {350--365},\n"
    "  year = {2000},\n  doi = {10.1037/0022-3514.78.2.350}\n}",
    doi="10.1037/0022-3514.78.2.350",
)
BARTHOLOMEW1991 = Reference(
    key="bartholomew1991attachment",
    text="Bartholomew, K., & Horowitz, L. M. (1991). Attachment styles among young "
    "adults: A test of a four-category model. Journal of Personality and Social "
    "Psychology, 61(2), 226-244.",
    bibtex="@article{bartholomew1991attachment,\n  author = {Bartholomew, Kim and "
    "Horowitz, Leonard M.},\n  title = {Attachment styles among young adults: A test of a "
    "four-category model},\n  journal = {Journal of Personality and Social Psychology},\n"
    "  volume = {61},\n  number = {2},\n  pages = {226--244},\n  year = {1991},\n"
    "  doi = {10.1037/0022-3514.61.2.226}\n}",
    doi="10.1037/0022-3514.61.2.226",
)
FRALEY2015 = Reference(
    key="fraley2015adult",
    text="Fraley, R. C., Hudson, N. W., Heffernan, M. E., & Segal, N. (2015). Are adult "
    "attachment styles categorical or dimensional? A taxometric analysis of general and "
    "relationship-specific attachment orientations. Journal of Personality and Social "
    "Psychology, 109(2), 354-368.",
    bibtex="@article{fraley2015adult,\n  author = {Fraley, R. Chris and Hudson, Nathan W. "
    "and Heffernan, Marie E. and Segal, Nitzan},\n  title = {Are adult attachment styles "
    "categorical or dimensional? {A} taxometric analysis of general and "
    "relationship-specific attachment orientations},\n  journal = {Journal of Personality "
    "and Social Psychology},\n  volume = {109},\n  number = {2},\n  pages = {354--368},\n"
    "  year = {2015},\n  doi = {10.1037/pspp0000027}\n}",
    doi="10.1037/pspp0000027",
)
REFERENCES: tuple[Reference, ...] = (FRALEY2000, BARTHOLOMEW1991, FRALEY2015)
"""Sources of the scoring key (Fraley et al. 2000), the four-quadrant styles
(Bartholomew & Horowitz 1991) and the caveat that attachment is dimensional
(Fraley et al. 2015)."""


# -- the item key ----------------------------------------------------------------------
def _is_int(value: Any) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool | np.bool_)


def _is_real(value: Any) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool | np.bool_)


def _to_float(value: numbers.Real) -> float:
    """``float(value)``, with integers too large for a float mapped to +-inf."""
    try:
        return float(value)
    except OverflowError:
        return math.inf if value > 0 else -math.inf


def _finite_real(value: Any) -> bool:
    return _is_real(value) and math.isfinite(_to_float(value))


@dataclasses.dataclass(frozen=True)
class ItemKey:
    """A versioned scoring key: which items make each dimension, which are reversed.

    Attributes
    ----------
    name : str
        Human-readable name of the instrument, used in error messages.
    version : str
        Version of this key (change it whenever the item map changes).
    anxiety_items, avoidance_items : tuple of int
        Item numbers (1-based) averaged into each dimension. Together they must be
        exactly the items ``1 .. n_items``, each in one dimension only.
    reversed_items : tuple of int
        Reverse-keyed items: a response ``x`` is scored ``lo + hi - x`` (``8 - x`` on
        the 1-7 scale) before averaging.
    scale : (int, int)
        Lowest and highest admissible response.
    source : str
        Where the key comes from.

    Raises
    ------
    AttachmentInputError
        (an `InvalidInputError`) for a bad value; the message names the item or
        argument, the value and what was expected.

    Examples
    --------
    >>> ECR_R.n_items, ECR_R.scale
    (36, (1, 7))
    >>> short = ItemKey("toy", "1", anxiety_items=(1, 2), avoidance_items=(3, 4),
    ...                 reversed_items=(2,))
    >>> short.n_items
    4
    """

    name: str
    version: str
    anxiety_items: tuple[int, ...]
    avoidance_items: tuple[int, ...]
    reversed_items: tuple[int, ...] = ()
    scale: tuple[int, int] = (1, 7)
    source: str = ""

    def __post_init__(self) -> None:
        for field in ("anxiety_items", "avoidance_items", "reversed_items"):
            raw = getattr(self, field)
            if isinstance(raw, str | bytes) or not isinstance(raw, Sequence | set | frozenset):
                raise AttachmentInputError(
                    f"key {self.name!r}: {field} = {raw!r} must be a sequence of item numbers"
                )
            items = tuple(raw)
            for item in items:
                if not _is_int(item) or item < 1:
                    raise AttachmentInputError(
                        f"key {self.name!r}: {field} contains {_show(item)}; expected positive "
                        "integer item numbers"
                    )
            if len(set(items)) != len(items):
                raise AttachmentInputError(f"key {self.name!r}: {field} lists an item twice")
            object.__setattr__(self, field, tuple(sorted(int(i) for i in items)))
        if not self.anxiety_items or not self.avoidance_items:
            raise AttachmentInputError(f"key {self.name!r}: each dimension needs at least one item")
        both = set(self.anxiety_items) & set(self.avoidance_items)
        if both:
            raise AttachmentInputError(
                f"key {self.name!r}: item(s) {_items_text(both)} are in both dimensions"
            )
        everything = set(self.anxiety_items) | set(self.avoidance_items)
        if everything != set(range(1, len(everything) + 1)):
            raise AttachmentInputError(
                f"key {self.name!r}: the items must be numbered 1 to {len(everything)} "
                f"without gaps; missing {_items_text(set(range(1, max(everything))) - everything)}"
            )
        stray = set(self.reversed_items) - everything
        if stray:
            raise AttachmentInputError(
                f"key {self.name!r}: reversed item(s) {_items_text(stray)} belong to no dimension"
            )
        scale = self.scale
        if (
            not isinstance(scale, tuple)
            or len(scale) != 2
            or not all(_is_int(s) for s in scale)
            or scale[0] >= scale[1]
        ):
            raise AttachmentInputError(
                f"key {self.name!r}: scale = {scale!r}; expected (lowest, highest) "
                "integer responses with lowest < highest"
            )
        object.__setattr__(self, "scale", (int(scale[0]), int(scale[1])))

    @property
    def n_items(self) -> int:
        """Number of items in the questionnaire."""
        return len(self.anxiety_items) + len(self.avoidance_items)

    @property
    def midpoint(self) -> float:
        """Middle of the response scale (4.0 for 1-7)."""
        return (self.scale[0] + self.scale[1]) / 2


ECR_R = ItemKey(
    name="ECR-R (Fraley et al. 2000)",
    version="1",
    anxiety_items=tuple(range(1, 19)),
    avoidance_items=tuple(range(19, 37)),
    reversed_items=(9, 11, 20, 22, 26, 27, 28, 29, 30, 31, 33, 34, 35, 36),
    scale=(1, 7),
    source=FRALEY2000.text,
)
"""The published ECR-R key: anxiety = mean of items 1-18 (items 9 and 11 reversed),
avoidance = mean of items 19-36 (items 20, 22, 26-31 and 33-36 reversed), responses
1-7, reversed = 8 - x. Cross-checked against several independent implementations that
cite the questionnaire as distributed by Fraley's lab; all agree on this key."""


def _show(value: Any) -> str:
    """``repr(value)``, shortened so that a pathological input cannot flood a message."""
    text = repr(value)
    return text if len(text) <= 40 else f"{text[:30]}...({len(text)} characters)"


def _items_text(items: Any) -> str:
    return ", ".join(str(i) for i in sorted(items))


# -- scoring ---------------------------------------------------------------------------
@dataclasses.dataclass(frozen=True)
class AttachmentScores:
    """One person's attachment scores and the key that produced them.

    Attributes
    ----------
    anxiety : float
        Mean (reverse-scored) response on the anxiety items, on the key's scale.
    avoidance : float
        Mean (reverse-scored) response on the avoidance items.
    key : ItemKey
        The scoring key used.

    Examples
    --------
    >>> from dyadmodel.attachment import AttachmentScores
    >>> AttachmentScores(anxiety=5.5, avoidance=2.0).style()
    <AttachmentStyle.ANXIOUS: 'anxious'>
    """

    anxiety: float
    avoidance: float
    key: ItemKey = ECR_R

    def style(self, cutoffs: StyleCutoffs | None = None) -> AttachmentStyle:
        """The attachment style of these scores (see `classify_style`).

        Parameters
        ----------
        cutoffs : StyleCutoffs, optional
            The cut-offs; the ECR-R midpoints (4.0) when omitted.

        Returns
        -------
        AttachmentStyle
            Secure, anxious, avoidant or fearful.

        Examples
        --------
        >>> from dyadmodel.attachment import AttachmentScores, StyleCutoffs
        >>> scores = AttachmentScores(anxiety=5.5, avoidance=2.0)
        >>> scores.style().value, scores.style(StyleCutoffs(anxiety=6.0)).value
        ('anxious', 'secure')
        """
        return classify_style(self.anxiety, self.avoidance, cutoffs)


def score_ecr_r(
    responses: Sequence[int] | Mapping[int, int] | np.ndarray, key: ItemKey = ECR_R
) -> AttachmentScores:
    """Score ECR-R item responses into attachment anxiety and avoidance.

    Parameters
    ----------
    responses : sequence of int, 1-D array, or mapping {item_number: response}
        A sequence lists the responses in item order (item 1 first). A mapping must have
        exactly one response for every item ``1 .. key.n_items``. Responses are integers
        on ``key.scale`` (1-7); floats with an integral value (``4.0``, as read from a
        spreadsheet) are accepted.
    key : ItemKey, optional
        The scoring key; the published ECR-R key by default.

    Returns
    -------
    AttachmentScores
        Anxiety and avoidance, each the mean of its items after reverse scoring.

    Raises
    ------
    AttachmentInputError
        One error for the first problem found, naming the item, the value and what
        was expected: wrong number of responses, a missing or unknown item, a response
        that is a string, a bool, NaN, infinite, not an integer or outside the scale.

    Notes
    -----
    Reverse-keyed items are scored ``lo + hi - x`` (``8 - x``). No imputation: every item
    must be answered. Item texts are not included in the package; see Fraley et al.
    (2000) for the questionnaire.

    Examples
    --------
    All 4 ("neutral/mixed") gives the scale midpoint on both dimensions:

    >>> score_ecr_r([4] * 36)  # doctest: +ELLIPSIS
    AttachmentScores(anxiety=4.0, avoidance=4.0, key=...)

    All 7: the two reversed anxiety items score 1, as do the twelve reversed avoidance
    items, so anxiety = (16*7 + 2*1)/18 and avoidance = (6*7 + 12*1)/18 = 3:

    >>> s = score_ecr_r([7] * 36)
    >>> round(s.anxiety, 4), s.avoidance
    (6.3333, 3.0)
    >>> score_ecr_r({i: 4 for i in range(1, 36)})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    dyadmodel.attachment.AttachmentInputError: missing response for item 36 of ECR-R ...
    """
    values = _responses_by_item(responses, key)
    lo, hi = key.scale
    reversed_items = set(key.reversed_items)

    def mean(items: tuple[int, ...]) -> float:
        # Integer sum then one division: exact inputs, one correctly rounded result, so a
        # mean of exactly the cut-off compares as exactly the cut-off.
        total = sum(lo + hi - values[i] if i in reversed_items else values[i] for i in items)
        return total / len(items)

    return AttachmentScores(mean(key.anxiety_items), mean(key.avoidance_items), key)


def _responses_by_item(responses: Any, key: ItemKey) -> dict[int, int]:
    n = key.n_items
    where = f"{key.name}"
    if isinstance(responses, str | bytes):
        raise AttachmentInputError(
            f"responses for {where} = {_show(responses)} is a {type(responses).__name__}; expected "
            f"a sequence of {n} integer responses or a mapping {{item_number: response}} "
            "(strings are never parsed)"
        )
    if isinstance(responses, Mapping):
        pairs = []
        for item, value in responses.items():
            if not _is_int(item):
                raise AttachmentInputError(
                    f"item number {_show(item)} ({type(item).__name__}) for {where} is not an "
                    f"integer; expected item numbers 1 to {n}"
                )
            if not 1 <= item <= n:
                raise AttachmentInputError(
                    f"item {item} is not an item of {where}; expected item numbers 1 to {n}"
                )
            pairs.append((int(item), value))
        pairs.sort(key=lambda pair: pair[0])
        missing = sorted(set(range(1, n + 1)) - {i for i, _ in pairs})
        if missing:
            listed = _items_text(missing[:10]) + (", ..." if len(missing) > 10 else "")
            plural = "s" if len(missing) > 1 else ""
            raise AttachmentInputError(
                f"missing response{plural} for item{plural} {listed} of {where}; expected "
                f"one response for each of items 1 to {n}"
            )
    elif isinstance(responses, Sequence | np.ndarray):
        if isinstance(responses, np.ndarray) and responses.ndim != 1:
            raise AttachmentInputError(
                f"responses for {where} is an array of shape {responses.shape}; expected a "
                f"1-D sequence of {n} responses"
            )
        if len(responses) != n:
            raise AttachmentInputError(
                f"expected {n} responses (items 1 to {n} of {where}, in item order), got "
                f"{len(responses)}"
            )
        pairs = list(enumerate(responses, start=1))
    else:
        raise AttachmentInputError(
            f"responses for {where} is a {type(responses).__name__}; expected a sequence of "
            f"{n} integer responses or a mapping {{item_number: response}}"
        )
    return {item: _check_response(item, value, key) for item, value in pairs}


def _check_response(item: int, value: Any, key: ItemKey) -> int:
    lo, hi = key.scale
    expected = f"expected an integer from {lo} to {hi}"
    head = f"{key.name} item {item}: response {_show(value)}"
    if isinstance(value, bool | np.bool_):
        raise AttachmentInputError(f"{head} is a bool; {expected}")
    if isinstance(value, str | bytes):
        raise AttachmentInputError(
            f"{head} is a {type(value).__name__}; {expected} (strings are never parsed)"
        )
    if _is_int(value):
        if not lo <= value <= hi:
            raise AttachmentInputError(f"{head} is outside the scale; {expected}")
        return int(value)
    if not isinstance(value, numbers.Real):
        raise AttachmentInputError(f"{head} is a {type(value).__name__}; {expected}")
    v = _to_float(value)
    if math.isnan(v):
        raise AttachmentInputError(f"{head} is NaN (a missing answer?); {expected}")
    if not math.isfinite(v):
        raise AttachmentInputError(f"{head} is not finite; {expected}")
    if not v.is_integer():
        raise AttachmentInputError(f"{head} is not an integer; {expected}")
    if not lo <= v <= hi:
        raise AttachmentInputError(f"{head} is outside the scale; {expected}")
    return int(v)


# -- styles ----------------------------------------------------------------------------
class AttachmentStyle(enum.StrEnum):
    """The four adult attachment styles (Bartholomew & Horowitz 1991 quadrants).

    ====================  ==========  ===========  =====================
    style                 anxiety     avoidance    Bartholomew's name
    ====================  ==========  ===========  =====================
    ``SECURE``            low         low          secure
    ``ANXIOUS``           high        low          preoccupied
    ``AVOIDANT``          low         high         dismissing
    ``FEARFUL``           high        high         fearful(-avoidant)
    ====================  ==========  ===========  =====================

    Examples
    --------
    >>> AttachmentStyle.from_name("preoccupied")
    <AttachmentStyle.ANXIOUS: 'anxious'>
    >>> AttachmentStyle.AVOIDANT.prototype
    (2.0, 6.0)
    """

    SECURE = "secure"
    ANXIOUS = "anxious"
    AVOIDANT = "avoidant"
    FEARFUL = "fearful"

    @property
    def prototype(self) -> tuple[float, float]:
        """Prototypical (anxiety, avoidance) scores; see `STYLE_PROTOTYPES`."""
        return STYLE_PROTOTYPES[self]

    @property
    def bartholomew_name(self) -> str:
        """The name in Bartholomew & Horowitz (1991)."""
        return _BARTHOLOMEW_NAMES[self]

    @classmethod
    def from_name(cls, name: Any) -> AttachmentStyle:
        """The style called ``name`` (exact lookup, case-insensitive; Bartholomew's
        names ``preoccupied``, ``dismissing``/``dismissive`` and ``fearful-avoidant``
        are accepted as aliases).

        Parameters
        ----------
        name : str
            A style name or alias, any case.

        Returns
        -------
        AttachmentStyle
            The style.

        Raises
        ------
        AttachmentInputError
            For anything that is not one of the names; the message lists them.

        Examples
        --------
        >>> from dyadmodel.attachment import AttachmentStyle
        >>> AttachmentStyle.from_name("Preoccupied")
        <AttachmentStyle.ANXIOUS: 'anxious'>
        """
        if isinstance(name, cls):
            return name
        valid = ", ".join(s.value for s in cls)
        if not isinstance(name, str):
            raise AttachmentInputError(
                f"attachment style {_show(name)} is a {type(name).__name__}; "
                f"expected one of {valid}"
            )
        found = _STYLE_ALIASES.get(name.strip().lower())
        if found is None:
            close = difflib.get_close_matches(name.strip().lower(), _STYLE_ALIASES, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise AttachmentInputError(
                f"unknown attachment style {_show(name)}{hint}; expected one of {valid} (or "
                "preoccupied, dismissing, fearful-avoidant)"
            )
        return found


_BARTHOLOMEW_NAMES = MappingProxyType(
    {
        AttachmentStyle.SECURE: "secure",
        AttachmentStyle.ANXIOUS: "preoccupied",
        AttachmentStyle.AVOIDANT: "dismissing",
        AttachmentStyle.FEARFUL: "fearful",
    }
)
_STYLE_ALIASES = {s.value: s for s in AttachmentStyle} | {
    "preoccupied": AttachmentStyle.ANXIOUS,
    "dismissing": AttachmentStyle.AVOIDANT,
    "dismissive": AttachmentStyle.AVOIDANT,
    "fearful-avoidant": AttachmentStyle.FEARFUL,
}

STYLE_PROTOTYPES: Mapping[AttachmentStyle, tuple[float, float]] = MappingProxyType(
    {
        AttachmentStyle.SECURE: (2.0, 2.0),
        AttachmentStyle.ANXIOUS: (6.0, 2.0),
        AttachmentStyle.AVOIDANT: (2.0, 6.0),
        AttachmentStyle.FEARFUL: (6.0, 6.0),
    }
)
"""Prototypical (anxiety, avoidance) scores per style, for figures and tables.

Each coordinate sits two scale points below or above the midpoint 4: clearly inside its
quadrant, away from the cut-offs, and short of the scale ends (1, 7) that few
respondents reach. They are illustrative choices, not population norms or cluster
centres."""


@dataclasses.dataclass(frozen=True)
class StyleCutoffs:
    """Cut-offs splitting each dimension into low and high.

    A score *at or above* its cut-off counts as high.

    Attributes
    ----------
    anxiety : float
        Cut-off on the anxiety score (default 4.0, the ECR-R midpoint).
    avoidance : float
        Cut-off on the avoidance score (default 4.0).

    Raises
    ------
    AttachmentInputError
        (an `InvalidInputError`) for a bad value; the message names the item or
        argument, the value and what was expected.

    Notes
    -----
    The default splits at the midpoint of the 1-7 scale, the "neutral/mixed" answer.
    This is a *convention*, not a normed cut-off: the four quadrants are those of
    Bartholomew & Horowitz (1991), and Fraley et al. (2000) publish no cut-offs for the
    ECR-R. Sample medians are a common alternative, which is why the cut-offs can be
    overridden. Fraley et al. (2015) find adult attachment dimensional rather than
    categorical, so the styles are labels for regions of a continuum: the model itself
    uses the continuous scores.

    Examples
    --------
    >>> from dyadmodel.attachment import StyleCutoffs, classify_style
    >>> classify_style(5.0, 5.0).value, classify_style(5.0, 5.0, StyleCutoffs(5.5, 5.5)).value
    ('fearful', 'secure')
    """

    anxiety: float = 4.0
    avoidance: float = 4.0

    def __post_init__(self) -> None:
        for name in ("anxiety", "avoidance"):
            value = getattr(self, name)
            if not _finite_real(value):
                raise AttachmentInputError(
                    f"{name} cut-off = {_show(value)}; expected a finite real number"
                )
            object.__setattr__(self, name, float(value))


DEFAULT_CUTOFFS = StyleCutoffs()


def classify_style(
    anxiety: float, avoidance: float, cutoffs: StyleCutoffs | None = None
) -> AttachmentStyle:
    """The attachment style of an (anxiety, avoidance) pair.

    Parameters
    ----------
    anxiety, avoidance : float
        Scores, e.g. from `score_ecr_r`.
    cutoffs : StyleCutoffs, optional
        Defaults to the scale midpoint 4.0 on both dimensions (`DEFAULT_CUTOFFS`). A
        score equal to its cut-off counts as **high**.

    Returns
    -------
    AttachmentStyle
        The result; see `AttachmentStyle` for its fields.

    Raises
    ------
    AttachmentInputError
        (an `InvalidInputError`) for a bad value; the message names the item or
        argument, the value and what was expected.

    Examples
    --------
    >>> classify_style(2.0, 2.0)
    <AttachmentStyle.SECURE: 'secure'>
    >>> classify_style(4.0, 3.9)       # exactly at the anxiety cut-off: high
    <AttachmentStyle.ANXIOUS: 'anxious'>
    >>> classify_style(4.5, 4.5, StyleCutoffs(anxiety=5.0, avoidance=5.0))
    <AttachmentStyle.SECURE: 'secure'>
    """
    c = DEFAULT_CUTOFFS if cutoffs is None else cutoffs
    if not isinstance(c, StyleCutoffs):
        raise AttachmentInputError(
            f"cutoffs = {c!r} is a {type(c).__name__}; expected StyleCutoffs(anxiety=..., "
            "avoidance=...)"
        )
    a = _check_score("anxiety", anxiety)
    v = _check_score("avoidance", avoidance)
    # A threshold comparison, not an equality test: a score exactly at the cut-off is high.
    high_anxiety = a >= c.anxiety
    high_avoidance = v >= c.avoidance
    if high_anxiety:
        return AttachmentStyle.FEARFUL if high_avoidance else AttachmentStyle.ANXIOUS
    return AttachmentStyle.AVOIDANT if high_avoidance else AttachmentStyle.SECURE


def _check_score(name: str, value: Any, scale: tuple[float, float] | None = None) -> float:
    """``value`` as a float, or one error naming ``name``, the value and the scale."""
    if scale is None:
        expected = "expected a finite real score"
    else:
        expected = f"expected a finite score from {scale[0]:g} to {scale[1]:g}"
    if not _is_real(value):
        raise AttachmentInputError(
            f"{name} = {_show(value)} is a {type(value).__name__}; {expected}"
        )
    if _is_int(value) and scale is not None and not scale[0] <= value <= scale[1]:
        # exact comparison first: an integer too large for a float is out of range, not inf
        raise AttachmentInputError(
            f"{name} = {_show(value)} is outside [{scale[0]:g}, {scale[1]:g}]; {expected}"
        )
    v = _to_float(value)
    if math.isnan(v):
        raise AttachmentInputError(f"{name} = {_show(value)} is NaN (a missing score?); {expected}")
    if not math.isfinite(v):
        raise AttachmentInputError(f"{name} = {_show(value)} is not finite; {expected}")
    if scale is not None and not scale[0] <= v <= scale[1]:
        raise AttachmentInputError(
            f"{name} = {_show(value)} is outside [{scale[0]:g}, {scale[1]:g}]; {expected}"
        )
    return v


def _check_coefficient(name: str, value: Any) -> float:
    if not _finite_real(value):
        raise AttachmentInputError(
            f"AttachmentMapping: {name} = {_show(value)}; expected a finite real number"
        )
    return _to_float(value)


# -- the mapping onto model parameters ---------------------------------------------------
@dataclasses.dataclass(frozen=True)
class AttachmentMapping:
    """How attachment scores set model parameters. A MODELLING ASSUMPTION.

    This is a hypothesis of the model, **not an empirical result**: no study has
    estimated these coefficients. It encodes the qualitative claim of attachment theory
    (Mikulincer & Shaver 2007) and of the clinical descriptions of the pattern that
    anxiety drives pursuit and avoidance drives distance (phenomenon 9 of the paper:
    paper/paper.md, "Phenomena and model design"),
    in the simplest transparent form, and every coefficient can be overridden.

    For partner ``i`` with scores on the scale ``[lo, hi]`` (ECR-R: 1-7)::

        anxiety_gain_i   = anxiety_gain_min   + (anxiety_gain_max   - anxiety_gain_min)
                                                * (anxiety_i   - lo) / (hi - lo)
        avoidance_gain_i = avoidance_gain_min + (avoidance_gain_max - avoidance_gain_min)
                                                * (avoidance_i - lo) / (hi - lo)
        openness_i       = openness_max * (hi - avoidance_i) / (hi - lo)   (only if set)

    Attributes
    ----------
    anxiety_gain_min : float
        ``anxiety_gain_i`` at the scale floor (anxiety 1). Default 0: someone with no
        attachment anxiety does not pursue harder when the partner withdraws.
    anxiety_gain_max : float
        ``anxiety_gain_i`` at the scale ceiling (anxiety 7). Default 2.76, i.e. 0.46 per
        scale point.
    avoidance_gain_min, avoidance_gain_max : float
        The same for ``avoidance_gain_i`` from avoidance. Defaults 0 and 2.76.
    openness_max : float or None
        ``openness_i`` at avoidance 1, falling linearly to 0 at avoidance 7 (the less
        avoidant, the more freely a partner approaches when not pursued). ``None`` (the
        default) leaves ``openness_i`` at the model's own default.
    scale : (float, float)
        The score scale ``(lo, hi)``; scores outside it are rejected.

    Raises
    ------
    AttachmentInputError
        (an `InvalidInputError`) for a bad value; the message names the item or
        argument, the value and what was expected.

    Notes
    -----
    *Calibration of the defaults.* With the ``pursuer-distancer-2d`` defaults (baselines
    0.1, thresholds 1, Hill exponent 2) and equal gains ``a1 = c2 = g``, the model has
    three equilibria (bistable) for ``1.787 < g < 2.604`` and one outside (below: only
    the balanced state; above: only the entrenched one); the 6-state
    ``pursuer-distancer`` default couple is bistable for ``1.99 < g < 2.82``. A slope of
    0.46 per scale point from 0 at the floor puts:

    - the secure prototype (score 2) at gain 0.46: one balanced, stable equilibrium;
    - the anxious/avoidant prototypes (score 6) at gain 2.3 (the full model's default
      couple), in the middle of both bistable ranges (+-10% stays inside them):
      balanced node, saddle and entrenched node;
    - the scale ceiling (7) at 2.76: in the 2D model only the entrenched state is left,
      the full model is still bistable; the midpoint (4) at 1.38: monostable, balanced.

    With equal scores, the 2D model is bistable when partner 1's anxiety and partner 2's
    avoidance both lie between about 4.89 and 6.66, and entrenched-only above; in the
    2D model the other two scores play no role. The calibration is tied to the models'
    current defaults: if those change, the counts must be re-checked
    (``tests/test_attachment.py`` does).

    Only parameters the model has are set: ``pursuer-distancer-2d`` has
    ``anxiety_gain_1`` and ``avoidance_gain_2`` only (partner 1's anxiety, partner 2's
    avoidance), so partner 1's avoidance and partner 2's anxiety are unused there.
    Baselines, thresholds and rates keep the model's values (override them in
    `couple_params`).

    Examples
    --------
    >>> m = AttachmentMapping()
    >>> m.anxiety_gain(1.0), m.anxiety_gain(6.0), m.anxiety_gain(7.0)
    (0.0, 2.3, 2.76)
    >>> AttachmentMapping(openness_max=0.6).openness(1.0)
    0.6
    """

    anxiety_gain_min: float = 0.0
    anxiety_gain_max: float = 2.76
    avoidance_gain_min: float = 0.0
    avoidance_gain_max: float = 2.76
    openness_max: float | None = None
    scale: tuple[float, float] = (1.0, 7.0)

    def __post_init__(self) -> None:
        for name in (
            "anxiety_gain_min",
            "anxiety_gain_max",
            "avoidance_gain_min",
            "avoidance_gain_max",
            "openness_max",
        ):
            value = getattr(self, name)
            if name == "openness_max" and value is None:
                continue
            object.__setattr__(self, name, _check_coefficient(name, value))
        for stem in ("anxiety_gain", "avoidance_gain"):
            lo, hi = getattr(self, f"{stem}_min"), getattr(self, f"{stem}_max")
            if lo > hi:
                raise AttachmentInputError(
                    f"AttachmentMapping: {stem}_min = {lo:g} exceeds {stem}_max = {hi:g}; "
                    f"the mapping must not let a higher score lower {stem}"
                )
        if self.openness_max is not None and self.openness_max < 0:
            raise AttachmentInputError(
                f"AttachmentMapping: openness_max = {self.openness_max:g} is negative; "
                "expected openness >= 0 (a gain, not a sign)"
            )
        scale = self.scale
        if (
            not isinstance(scale, tuple)
            or len(scale) != 2
            or not all(_finite_real(s) for s in scale)
            or not scale[0] < scale[1]
        ):
            raise AttachmentInputError(
                f"AttachmentMapping: scale = {scale!r}; expected (lowest, highest) finite "
                "scores with lowest < highest"
            )
        object.__setattr__(self, "scale", (float(scale[0]), float(scale[1])))

    def _fraction(self, name: str, score: Any) -> float:
        lo, hi = self.scale
        v = _check_score(name, score, self.scale)
        return (v - lo) / (hi - lo)

    def anxiety_gain(self, anxiety: float, *, name: str = "anxiety") -> float:
        """``anxiety_gain`` for an anxiety score.

        Parameters
        ----------
        anxiety : float
            An anxiety score on the mapping's ``scale``.
        name : str, optional
            How the score is named in an error message.

        Returns
        -------
        float
            The gain, linear in the score from ``anxiety_gain_min`` to ``anxiety_gain_max``.

        Raises
        ------
        AttachmentInputError
            For a score that is not a finite number on the scale.

        Examples
        --------
        >>> from dyadmodel.attachment import AttachmentMapping
        >>> AttachmentMapping().anxiety_gain(6)
        2.3
        """
        t = self._fraction(name, anxiety)
        return self.anxiety_gain_min + (self.anxiety_gain_max - self.anxiety_gain_min) * t

    def avoidance_gain(self, avoidance: float, *, name: str = "avoidance") -> float:
        """``avoidance_gain`` for an avoidance score.

        Parameters
        ----------
        avoidance : float
            An avoidance score on the mapping's ``scale``.
        name : str, optional
            How the score is named in an error message.

        Returns
        -------
        float
            The gain, linear in the score from ``avoidance_gain_min`` to ``avoidance_gain_max``.

        Raises
        ------
        AttachmentInputError
            For a score that is not a finite number on the scale.

        Examples
        --------
        >>> from dyadmodel.attachment import AttachmentMapping
        >>> round(AttachmentMapping().avoidance_gain(2), 12)
        0.46
        """
        t = self._fraction(name, avoidance)
        return self.avoidance_gain_min + (self.avoidance_gain_max - self.avoidance_gain_min) * t

    def openness(self, avoidance: float, *, name: str = "avoidance") -> float | None:
        """``openness`` for an avoidance score, or None when the mapping leaves it alone.

        Parameters
        ----------
        avoidance : float
            An avoidance score on the mapping's ``scale``.
        name : str, optional
            How the score is named in an error message.

        Returns
        -------
        float or None
            ``openness_max * (1 - t)`` for the score's position ``t`` on the scale; None
            without ``openness_max``.

        Raises
        ------
        AttachmentInputError
            For a score that is not a finite number on the scale.

        Examples
        --------
        >>> from dyadmodel.attachment import AttachmentMapping
        >>> AttachmentMapping().openness(3) is None
        True
        """
        t = self._fraction(name, avoidance)
        return None if self.openness_max is None else self.openness_max * (1.0 - t)

    def parameter_values(
        self, anxiety_1: float, avoidance_1: float, anxiety_2: float, avoidance_2: float
    ) -> dict[str, float]:
        """Every parameter value the mapping defines, whichever model will use them.

        Parameters
        ----------
        anxiety_1, avoidance_1 : float
            Partner 1's scores.
        anxiety_2, avoidance_2 : float
            Partner 2's scores.

        Returns
        -------
        dict
            Parameter name -> value: both partners' gains, and openness when mapped.

        Examples
        --------
        >>> AttachmentMapping().parameter_values(6, 2, 2, 6)  # doctest: +NORMALIZE_WHITESPACE
        {'anxiety_gain_1': 2.3, 'avoidance_gain_1': 0.46,
         'anxiety_gain_2': 0.46, 'avoidance_gain_2': 2.3}
        """
        out: dict[str, float] = {}
        scores = {1: (anxiety_1, avoidance_1), 2: (anxiety_2, avoidance_2)}
        for i, (anx, avo) in scores.items():
            out[f"anxiety_gain_{i}"] = self.anxiety_gain(anx, name=f"anxiety_{i}")
            out[f"avoidance_gain_{i}"] = self.avoidance_gain(avo, name=f"avoidance_{i}")
        for i, (_, avo) in scores.items():
            o = self.openness(avo, name=f"avoidance_{i}")
            if o is not None:
                out[f"openness_{i}"] = o
        return out

    def describe(self) -> str:
        """The mapping as plain-text equations (for tables and the paper).

        Returns
        -------
        str
            One line per mapped parameter.

        Examples
        --------
        >>> print(AttachmentMapping().describe())
        anxiety_gain_i = 0 + 0.4 * (anxiety_i - 1)
        avoidance_gain_i = 0 + 0.4 * (avoidance_i - 1)
        openness_i: model default
        """
        lo, hi = self.scale
        width = hi - lo
        lines = []
        for stem, score in (("anxiety_gain", "anxiety"), ("avoidance_gain", "avoidance")):
            g0, g1 = getattr(self, f"{stem}_min"), getattr(self, f"{stem}_max")
            lines.append(f"{stem}_i = {g0:g} + {(g1 - g0) / width:g} * ({score}_i - {lo:g})")
        if self.openness_max is None:
            lines.append("openness_i: model default")
        else:
            lines.append(f"openness_i = {self.openness_max / width:g} * ({hi:g} - avoidance_i)")
        return "\n".join(lines)


DEFAULT_MAPPING = AttachmentMapping()


def couple_params(
    model: Model,
    anxiety_1: float,
    avoidance_1: float,
    anxiety_2: float,
    avoidance_2: float,
    *,
    mapping: AttachmentMapping = DEFAULT_MAPPING,
    **overrides: float,
) -> ParameterSet:
    """A validated parameter set for a couple with the given attachment scores.

    Parameters
    ----------
    model : Model
        A model with (some of) the parameters ``anxiety_gain_i``, ``avoidance_gain_i``,
        ``openness_i`` (i = 1, 2): the pursuer-distancer models.
    anxiety_1, avoidance_1, anxiety_2, avoidance_2 : float
        The partners' scores on the mapping's scale (ECR-R: 1-7), finite.
    mapping : AttachmentMapping, optional
        The score-to-parameter hypothesis; `DEFAULT_MAPPING` by default.
    **overrides : float
        Further parameter values; they win over mapped values.

    Returns
    -------
    ParameterSet
        The model's defaults, updated by the mapped values of the parameters the model
        has, then by ``overrides``; validated by the model.

    Raises
    ------
    AttachmentInputError
        A score that is not a finite number on the scale, or a model with none of the
        mapped parameters.
    ParameterError
        A mapped value outside the model's bounds (the message names the score that
        produced it) or a bad override.

    Notes
    -----
    In ``pursuer-distancer-2d`` only ``anxiety_1`` and ``avoidance_2`` matter (partner 1
    pursues, partner 2 distances); ``avoidance_1`` and ``anxiety_2`` are validated but
    unused. The full ``pursuer-distancer`` model uses all four.

    Examples
    --------
    >>> import dyadmodel as dm
    >>> m = dm.models.get("pursuer-distancer-2d")
    >>> p = couple_params(m, 2, 2, 2, 2)
    >>> round(p["anxiety_gain_1"], 12), round(p["avoidance_gain_2"], 12)
    (0.4, 0.4)
    >>> couple_params(m, 2, 2, 2, 2, threshold_1=1.5)["threshold_1"]
    1.5
    >>> couple_params(m, 8, 2, 2, 2)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    dyadmodel.attachment.AttachmentInputError: anxiety_1 = 8 is outside [1, 7]; ...
    """
    if not isinstance(model, Model):
        raise AttachmentInputError(
            f"model = {_show(model)} is a {type(model).__name__}; expected a dyadmodel Model "
            "(e.g. dm.models.get('pursuer-distancer-2d'))"
        )
    if not isinstance(mapping, AttachmentMapping):
        raise AttachmentInputError(
            f"mapping = {_show(mapping)} is a {type(mapping).__name__}; "
            "expected an AttachmentMapping"
        )
    scores = {
        "anxiety_1": anxiety_1,
        "avoidance_1": avoidance_1,
        "anxiety_2": anxiety_2,
        "avoidance_2": avoidance_2,
    }
    values = mapping.parameter_values(anxiety_1, avoidance_1, anxiety_2, avoidance_2)
    names = set(model.parameter_names)
    used = {k: v for k, v in values.items() if k in names}
    if not used:
        raise AttachmentInputError(
            f"model {model.name!r} has none of the parameters the attachment mapping sets "
            f"({', '.join(values)}); use a pursuer-distancer model"
        )
    for name, value in used.items():
        try:
            model.parameter(name).check(value)
        except ParameterError as err:
            stem, i = name.rsplit("_", 1)
            source = "anxiety" if stem == "anxiety_gain" else "avoidance"
            coefficients = (
                ("openness_max",) if stem == "openness" else (f"{stem}_min", f"{stem}_max")
            )
            current = ", ".join(f"{c} = {getattr(mapping, c):g}" for c in coefficients)
            raise ParameterError(
                f"{err}; the value was mapped from {source}_{i} = {_show(scores[f'{source}_{i}'])} "
                f"by an AttachmentMapping with {current}: choose coefficients that keep "
                f"{stem}_{i} within the model's bounds"
            ) from None
    return model.params(used, **overrides)


def couple_params_from(
    model: Model,
    partner_1: AttachmentScores | AttachmentStyle | str | tuple[float, float],
    partner_2: AttachmentScores | AttachmentStyle | str | tuple[float, float],
    *,
    mapping: AttachmentMapping = DEFAULT_MAPPING,
    **overrides: float,
) -> ParameterSet:
    """`couple_params` from two scored questionnaires, two style names, or two pairs.

    Parameters
    ----------
    model : Model
        The model.
    partner_1, partner_2 : AttachmentScores, AttachmentStyle, str or (float, float)
        Scores from `score_ecr_r`; a style (or its name: ``"secure"``, ``"anxious"``,
        ``"avoidant"``, ``"fearful"`` and Bartholomew's aliases), which stands for its
        prototypical scores (`STYLE_PROTOTYPES`); or an ``(anxiety, avoidance)`` pair.
    mapping : AttachmentMapping, optional
        As in `couple_params`.
    **overrides : float
        As in `couple_params`.

    Returns
    -------
    ParameterSet
        The model's parameters for this couple.

    Raises
    ------
    AttachmentInputError
        (an `InvalidInputError`) for a bad value; the message names the item or
        argument, the value and what was expected.

    Examples
    --------
    >>> import dyadmodel as dm
    >>> m = dm.models.get("pursuer-distancer")
    >>> p = couple_params_from(m, score_ecr_r([4] * 36), "secure")
    >>> [round(p[k], 3) for k in ("anxiety_gain_1", "avoidance_gain_1",
    ...                           "anxiety_gain_2", "avoidance_gain_2")]
    [1.38, 1.38, 0.46, 0.46]
    """
    a1, v1 = _partner_scores("partner_1", partner_1)
    a2, v2 = _partner_scores("partner_2", partner_2)
    return couple_params(model, a1, v1, a2, v2, mapping=mapping, **overrides)


def _partner_scores(name: str, partner: Any) -> tuple[Any, Any]:
    if isinstance(partner, AttachmentScores):
        return partner.anxiety, partner.avoidance
    if isinstance(partner, AttachmentStyle | str):
        return AttachmentStyle.from_name(partner).prototype
    if isinstance(partner, tuple) and len(partner) == 2:
        return partner
    raise AttachmentInputError(
        f"{name} = {_show(partner)} is a {type(partner).__name__}; expected AttachmentScores "
        "(from score_ecr_r), a style name (secure, anxious, avoidant, fearful) or an "
        "(anxiety, avoidance) pair"
    )
