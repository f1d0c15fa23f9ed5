"""Published couple models, in the same API as the flagship models.

They serve two purposes: they let users compare the pursuer–distancer models with the
classics of the field, and they validate the machinery (equilibria, stability,
continuation, limit cycles) against results published in closed form or as figures.

``strogatz-linear``
    Romeo and Juliet (*Nonlinear Dynamics and Chaos* §5.3; preset: Strogatz 1988).
``rinaldi-linear``
    Linear couples: oblivion, return and instinct (Rinaldi 1998, Appl. Math. Comput.).
``laura-petrarch``
    The poet's emotional cycle, of period about 3.8 years within a story of about 20
    years (Rinaldi 1998, SIAM J. Appl. Math.).
``rinaldi-synergic``
    Insecure and synergic individuals (Gragnani, Rinaldi & Feichtinger 1997; Rinaldi et
    al. 2016, *Modeling Love Dynamics*).
``gone-with-the-wind``
    Scarlett and Rhett (Rinaldi, Della Rossa & Landi 2013).
``liebovitch``
    Two-actor cooperation–competition conflict (Liebovitch et al. 2008).
``validating-couple``
    A continuous, linear Gottman-style couple (Tung 2007, after Gottman et al. 2002).
``coupled-oscillator``
    Coupled damped linear oscillators fitted to dyadic affect data (Boker & Laurenceau
    2006; Butner, Diamond & Hicks 2007; Helm, Sbarra & Ferrer 2012).

Default parameter values are the published ones wherever the source gives numbers; each
model's docstring says where every default comes from, and which values are only
illustrative because the source states its results qualitatively; its "Source check"
paragraph says which statements were verified against which source text.
"""

from __future__ import annotations

import math

import sympy as sp
from mpmath import iv

from dyadmodel.model import Model, Parameter, Preset, Reference, State, symbols
from dyadmodel.models import register

__all__ = [
    "coupled_oscillator",
    "gone_with_the_wind",
    "laura_petrarch",
    "liebovitch",
    "rinaldi_linear",
    "rinaldi_synergic",
    "strogatz_linear",
    "validating_couple",
]

INF = math.inf

# -- references -----------------------------------------------------------------------

STROGATZ_1988 = Reference(
    key="strogatz1988love",
    text="Strogatz, S. H. (1988). Love affairs and differential equations. Mathematics "
    "Magazine, 61(1), 35.",
    bibtex="@article{strogatz1988love,\n  author = {Strogatz, Steven H.},\n"
    "  title = {Love Affairs and Differential Equations},\n"
    "  journal = {Mathematics Magazine},\n  volume = {61},\n  number = {1},\n"
    "  pages = {35},\n  year = {1988},\n  doi = {10.1080/0025570X.1988.11977342}\n}",
    doi="10.1080/0025570X.1988.11977342",
)
STROGATZ_BOOK = Reference(
    key="strogatz2015nonlinear",
    text="Strogatz, S. H. (2015). Nonlinear Dynamics and Chaos: With Applications to "
    "Physics, Biology, Chemistry, and Engineering (2nd ed.), section 5.3 'Love affairs'. "
    "Westview Press.",
    bibtex="@book{strogatz2015nonlinear,\n  author = {Strogatz, Steven H.},\n"
    "  title = {Nonlinear Dynamics and Chaos: With Applications to Physics, Biology, "
    "Chemistry, and Engineering},\n  edition = {2},\n  publisher = {Westview Press},\n"
    "  address = {Boulder, CO},\n  year = {2015},\n  isbn = {978-0-8133-4910-7},\n"
    "  note = {Section 5.3, Love affairs}\n}",
)
RINALDI_LINEAR = Reference(
    key="rinaldi1998linear",
    text="Rinaldi, S. (1998). Love dynamics: the case of linear couples. Applied "
    "Mathematics and Computation, 95(2-3), 181-192.",
    bibtex="@article{rinaldi1998linear,\n  author = {Rinaldi, Sergio},\n"
    "  title = {Love dynamics: The case of linear couples},\n"
    "  journal = {Applied Mathematics and Computation},\n  volume = {95},\n"
    "  number = {2--3},\n  pages = {181--192},\n  year = {1998}\n}",
)
RINALDI_PETRARCH = Reference(
    key="rinaldi1998laura",
    text="Rinaldi, S. (1998). Laura and Petrarch: an intriguing case of cyclical love "
    "dynamics. SIAM Journal on Applied Mathematics, 58(4), 1205-1221.",
    bibtex="@article{rinaldi1998laura,\n  author = {Rinaldi, Sergio},\n"
    "  title = {Laura and {Petrarch}: An Intriguing Case of Cyclical Love Dynamics},\n"
    "  journal = {SIAM Journal on Applied Mathematics},\n  volume = {58},\n"
    "  number = {4},\n  pages = {1205--1221},\n  year = {1998},\n"
    "  doi = {10.1137/S003613999630592X}\n}",
    doi="10.1137/S003613999630592X",
)
GRAGNANI_1997 = Reference(
    key="gragnani1997cyclic",
    text="Gragnani, A., Rinaldi, S., & Feichtinger, G. (1997). Cyclic dynamics in romantic "
    "relationships. International Journal of Bifurcation and Chaos, 7(11), 2611-2619.",
    bibtex="@article{gragnani1997cyclic,\n"
    "  author = {Gragnani, Alessandra and Rinaldi, Sergio and Feichtinger, Gustav},\n"
    "  title = {Cyclic dynamics in romantic relationships},\n"
    "  journal = {International Journal of Bifurcation and Chaos},\n  volume = {7},\n"
    "  number = {11},\n  pages = {2611--2619},\n  year = {1997}\n}",
)
RINALDI_BOOK = Reference(
    key="rinaldi2016modeling",
    text="Rinaldi, S., Della Rossa, F., Dercole, F., Gragnani, A., & Landi, P. (2016). "
    "Modeling Love Dynamics. World Scientific Series on Nonlinear Science, Series A, "
    "vol. 89. World Scientific.",
    bibtex="@book{rinaldi2016modeling,\n  author = {Rinaldi, Sergio and Della Rossa, Fabio "
    "and Dercole, Fabio and Gragnani, Alessandra and Landi, Pietro},\n"
    "  title = {Modeling Love Dynamics},\n"
    "  series = {World Scientific Series on Nonlinear Science, Series A},\n"
    "  volume = {89},\n  publisher = {World Scientific},\n  address = {Singapore},\n"
    "  year = {2016},\n  doi = {10.1142/9656}\n}",
    doi="10.1142/9656",
)
GONE_WITH_THE_WIND = Reference(
    key="rinaldi2013gone",
    text="Rinaldi, S., Della Rossa, F., & Landi, P. (2013). A mathematical model of "
    "'Gone with the Wind'. Physica A: Statistical Mechanics and its Applications, "
    "392(15), 3231-3239. Also IIASA Interim Report IR-13-061.",
    bibtex="@article{rinaldi2013gone,\n"
    "  author = {Rinaldi, Sergio and Della Rossa, Fabio and Landi, Pietro},\n"
    "  title = {A mathematical model of ``{Gone} with the {Wind}''},\n"
    "  journal = {Physica A: Statistical Mechanics and its Applications},\n"
    "  volume = {392},\n  number = {15},\n  pages = {3231--3239},\n  year = {2013}\n}",
)
LIEBOVITCH_2008 = Reference(
    key="liebovitch2008dynamics",
    text="Liebovitch, L. S., Naudot, V., Vallacher, R., Nowak, A., Bui-Wrzosinska, L., & "
    "Coleman, P. T. (2008). Dynamics of two-actor cooperation-competition conflict "
    "models. Physica A: Statistical Mechanics and its Applications, 387(25), 6360-6378.",
    bibtex="@article{liebovitch2008dynamics,\n  author = {Liebovitch, Larry S. and Naudot, "
    "Vincent and Vallacher, Robin and Nowak, Andrzej and Bui-Wrzosinska, Lan and "
    "Coleman, Peter T.},\n"
    "  title = {Dynamics of two-actor cooperation--competition conflict models},\n"
    "  journal = {Physica A: Statistical Mechanics and its Applications},\n"
    "  volume = {387},\n  number = {25},\n  pages = {6360--6378},\n  year = {2008}\n}",
)
TUNG_2007 = Reference(
    key="tung2007topics",
    text="Tung, K. K. (2007). Topics in Mathematical Modeling, ch. 10. Princeton University Press.",
    bibtex="@book{tung2007topics,\n  author = {Tung, K. K.},\n"
    "  title = {Topics in Mathematical Modeling},\n"
    "  publisher = {Princeton University Press},\n  address = {Princeton, NJ},\n"
    "  year = {2007},\n  note = {Chapter 10}\n}",
)
GOTTMAN_2002 = Reference(
    key="gottman2002mathematics",
    text="Gottman, J. M., Murray, J. D., Swanson, C. C., Tyson, R., & Swanson, K. R. "
    "(2002). The Mathematics of Marriage: Dynamic Nonlinear Models. MIT Press.",
    bibtex="@book{gottman2002mathematics,\n  author = {Gottman, John M. and Murray, James D. "
    "and Swanson, Catherine C. and Tyson, Rebecca and Swanson, Kristin R.},\n"
    "  title = {The Mathematics of Marriage: Dynamic Nonlinear Models},\n"
    "  publisher = {MIT Press},\n  address = {Cambridge, MA},\n  year = {2002},\n"
    "  isbn = {978-0-262-07226-7}\n}",
)
BOKER_2006 = Reference(
    key="boker2006dynamical",
    text="Boker, S. M., & Laurenceau, J.-P. (2006). Dynamical systems modeling: an "
    "application to the regulation of intimacy and disclosure in marriage. In T. A. "
    "Walls & J. L. Schafer (Eds.), Models for Intensive Longitudinal Data (pp. 195-218). "
    "Oxford University Press.",
    bibtex="@incollection{boker2006dynamical,\n"
    "  author = {Boker, Steven M. and Laurenceau, Jean-Philippe},\n"
    "  title = {Dynamical systems modeling: An application to the regulation of intimacy "
    "and disclosure in marriage},\n"
    "  booktitle = {Models for Intensive Longitudinal Data},\n"
    "  editor = {Walls, Theodore A. and Schafer, Joseph L.},\n"
    "  publisher = {Oxford University Press},\n  pages = {195--218},\n  year = {2006}\n}",
)
BUTNER_2007 = Reference(
    key="butner2007attachment",
    text="Butner, J., Diamond, L. M., & Hicks, A. M. (2007). Attachment style and two "
    "forms of affect coregulation between romantic partners. Personal Relationships, "
    "14(3), 431-455.",
    bibtex="@article{butner2007attachment,\n"
    "  author = {Butner, Jonathan and Diamond, Lisa M. and Hicks, Angela M.},\n"
    "  title = {Attachment style and two forms of affect coregulation between romantic "
    "partners},\n  journal = {Personal Relationships},\n  volume = {14},\n"
    "  number = {3},\n  pages = {431--455},\n  year = {2007}\n}",
)
HELM_2012 = Reference(
    key="helm2012assessing",
    text="Helm, J. L., Sbarra, D., & Ferrer, E. (2012). Assessing cross-partner "
    "associations in physiological responses via coupled oscillator models. Emotion, "
    "12(4), 748-762.",
    bibtex="@article{helm2012assessing,\n"
    "  author = {Helm, Jonathan L. and Sbarra, David and Ferrer, Emilio},\n"
    "  title = {Assessing cross-partner associations in physiological responses via "
    "coupled oscillator models},\n  journal = {Emotion},\n  volume = {12},\n"
    "  number = {4},\n  pages = {748--762},\n  year = {2012}\n}",
)

# -- parameter helpers ----------------------------------------------------------------


def _real(name: str, default: float, meaning: str, latex: str, unit: str = "1") -> Parameter:
    """A coefficient whose sign is part of the modelling (any real value is admissible)."""
    return Parameter(name, default, meaning, latex=latex, unit=unit)


def _rate(name: str, default: float, meaning: str, latex: str, unit: str = "1/time") -> Parameter:
    return Parameter(
        name,
        default,
        meaning,
        bounds=(0.0, INF),
        lower_inclusive=False,
        unit=unit,
        latex=latex,
        bound_reason="a forgetting or relaxation rate must be positive",
    )


def _gain(name: str, default: float, meaning: str, latex: str, unit: str = "1/time") -> Parameter:
    return Parameter(
        name,
        default,
        meaning,
        bounds=(0.0, INF),
        unit=unit,
        latex=latex,
        bound_reason="a reactiveness is a strength, not a sign",
    )


def _positive(name: str, default: float, meaning: str, latex: str, reason: str) -> Parameter:
    return Parameter(
        name,
        default,
        meaning,
        bounds=(0.0, INF),
        lower_inclusive=False,
        latex=latex,
        bound_reason=reason,
    )


def _appeal(name: str, default: float, meaning: str, latex: str) -> Parameter:
    return _real(name, default, meaning + " (negative = repulsive)", latex)


def _swap_indices(names: list[str]) -> dict[str, str]:
    """``{"alpha1": "alpha2", "alpha2": "alpha1", ...}`` for names ending in 1 or 2."""
    out = {}
    for n in names:
        if n[-1] in "12":
            out[n] = n[:-1] + ("2" if n[-1] == "1" else "1")
    return out


# -- Strogatz -------------------------------------------------------------------------


@register("strogatz-linear")
def strogatz_linear() -> Model:
    r"""Romeo and Juliet: Strogatz's linear model of a love affair.

    .. math::

        \dot R = a R + b J, \qquad \dot J = c R + d J

    States:

    - ``R``: Romeo's love for Juliet (negative = hate).
    - ``J``: Juliet's love for Romeo (negative = hate).

    Model parameters:

    - ``a``: how Romeo's feelings feed on themselves (a > 0 "eager", a < 0 "cautious",
      a = 0 "out of touch with his own feelings").
    - ``b``: how Romeo responds to Juliet's feelings (b > 0 he warms to her love).
    - ``c``: how Juliet responds to Romeo's feelings (c < 0: the "fickle lover" who backs
      off when loved).
    - ``d``: how Juliet's feelings feed on themselves.

    Defaults: ``a = d = 0, b = 1, c = -1``: the textbook's story (*Nonlinear Dynamics
    and Chaos* §5.3), in which Juliet is the fickle lover (``J̇ = cR``, c < 0: the more
    Romeo loves her, the more she wants to run away) and Romeo echoes her (``Ṙ = bJ``).
    The 1988 paper tells it the other way round: Romeo is fickle and Juliet echoes him
    (preset ``fickle-romeo-1988``, ``b = -1, c = 1``). Either way the origin is a centre:
    a never-ending cycle of love and hate with period ``2π/sqrt(-bc)``, in which "they
    manage to achieve simultaneous love one quarter of the time" (Strogatz 1988).

    Presets give Strogatz's classic pairings (§5.3 and its exercises): identical
    cautious lovers (``a = d < 0 < b = c``) fizzle out to mutual indifference when caution
    dominates (a² > b²) and end in a love fest or a war when responsiveness dominates;
    two lovers out of touch with their own feelings who both respond positively
    (``a = d = 0 < b, c``) also end in a love fest or a war.

    Examples
    --------
    >>> import numpy as np, dyadmodel as dm
    >>> m = dm.models.get("strogatz-linear")
    >>> np.linalg.eigvals(m.jacobian([0.0, 0.0]))  # a centre: never-ending cycle
    array([0.+1.j, 0.-1.j])

    Notes
    -----
    The model is linear, so every trajectory either cycles, decays to indifference or
    diverges; it has no saturation. It is symmetric under exchanging Romeo and Juliet
    together with ``a <-> d`` and ``b <-> c``.

    Source check: the roles were checked against the texts of both sources as quoted
    publicly: the 1988 paper ("Romeo is a fickle lover ... She, on the other hand, tends
    to echo him", and the quarter of the time) and §5.3 of the book ("Juliet is a fickle
    lover ... Romeo, on the other hand, tends to echo her"). The equations ``aR + bJ``,
    ``cR + dJ`` and the pairings of the presets are the book's. The magnitudes
    (``|b| = |c| = 1``, the presets' numbers) are illustrative: both sources argue with
    signs only.

    References
    ----------
    Strogatz, *Nonlinear Dynamics and Chaos*, §5.3 (equations, default roles, presets);
    Strogatz (1988), Mathematics Magazine 61:35 (preset ``fickle-romeo-1988``).
    """
    R, J = symbols("R J")
    a, b, c, d = symbols("a b c d")
    rhs = [a * R + b * J, c * R + d * J]
    states = [
        State(
            "R",
            "Romeo's love for Juliet (negative = hate)",
            domain=(-2.0, 2.0),
            unit="feeling (arbitrary units)",
        ),
        State(
            "J",
            "Juliet's love for Romeo (negative = hate)",
            domain=(-2.0, 2.0),
            unit="feeling (arbitrary units)",
        ),
    ]
    parameters = [
        _real(
            "a",
            0.0,
            "how Romeo's feelings feed on themselves (a > 0 eager, a < 0 "
            "cautious, a = 0 out of touch with his own feelings)",
            "a",
            "1/time",
        ),
        _real(
            "b",
            1.0,
            "how Romeo responds to Juliet's feelings (b > 0: her love warms him)",
            "b",
            "1/time",
        ),
        _real(
            "c",
            -1.0,
            "how Juliet responds to Romeo's feelings (c < 0: the fickle lover "
            "who backs off when loved)",
            "c",
            "1/time",
        ),
        _real("d", 0.0, "how Juliet's feelings feed on themselves", "d", "1/time"),
    ]
    presets = {
        "fickle-juliet": Preset(
            "Strogatz, Nonlinear Dynamics and Chaos, section 5.3: Romeo echoes Juliet, "
            "Juliet is a fickle lover. A centre: a never-ending cycle of love and hate, "
            "simultaneous love a quarter of the time.",
            {"a": 0.0, "b": 1.0, "c": -1.0, "d": 0.0},
        ),
        "fickle-romeo-1988": Preset(
            "Strogatz (1988): Romeo is the fickle lover (the more Juliet loves him, the "
            "more he dislikes her) and Juliet echoes him. A centre: a never-ending cycle "
            "of love and hate, simultaneous love a quarter of the time.",
            {"a": 0.0, "b": -1.0, "c": 1.0, "d": 0.0},
        ),
        "cautious-lovers-apathy": Preset(
            "Identical cautious lovers (a = d < 0 < b = c) whose caution exceeds their "
            "responsiveness (a^2 > b^2): a stable node; the relationship fizzles out to "
            "mutual indifference (Strogatz, section 5.3).",
            {"a": -2.0, "b": 1.0, "c": 1.0, "d": -2.0},
        ),
        "cautious-lovers-love-fest-or-war": Preset(
            "Identical cautious lovers who are more responsive than cautious (a^2 < b^2): "
            "a saddle; depending on the first feelings the affair becomes a love fest or a "
            "war, with feelings becoming mutual (R = J) (Strogatz, section 5.3).",
            {"a": -1.0, "b": 2.0, "c": 2.0, "d": -1.0},
        ),
        "out-of-touch-love-fest-or-war": Preset(
            "Both out of touch with their own feelings (a = d = 0) and both warmed by the "
            "other's love (b, c > 0): a saddle, love fest or war (Strogatz, exercises of "
            "section 5.3).",
            {"a": 0.0, "b": 1.0, "c": 1.0, "d": 0.0},
        ),
    }
    return Model(
        "strogatz-linear",
        "Romeo and Juliet: Strogatz's linear love affair",
        states,
        parameters,
        rhs,
        description=strogatz_linear.__doc__ or "",
        references=[STROGATZ_1988, STROGATZ_BOOK],
        presets=presets,
        partner_swap={
            "states": {"R": "J", "J": "R"},
            "parameters": {"a": "d", "d": "a", "b": "c", "c": "b"},
        },
    )


# -- Rinaldi: linear couples ------------------------------------------------------------


@register("rinaldi-linear")
def rinaldi_linear() -> Model:
    r"""Rinaldi's linear couple: oblivion, return (being loved) and instinct (appeal).

    .. math::

        \dot x_1 = -\alpha_1 x_1 + \beta_1 x_2 + \gamma_1 A_2, \qquad
        \dot x_2 = -\alpha_2 x_2 + \beta_2 x_1 + \gamma_2 A_1

    States:

    - ``x1``, ``x2``: partner i's love for the partner (negative = antagonism).

    Model parameters:

    - ``alpha1``, ``alpha2``: forgetting (oblivion) rates: how fast feelings fade without
      stimulus.
    - ``beta1``, ``beta2``: reactiveness to the partner's love ("the pleasure of being loved");
      non-negative for Rinaldi's secure individuals, negative allowed for
      antagonistic reactions.
    - ``gamma1``, ``gamma2``: reactiveness to the partner's appeal (instinct).
    - ``A1``, ``A2``: appeal of partner i as perceived by the other (negative = repulsive).

    The equilibrium is

    .. math::

        x_1^* = \frac{\alpha_2\gamma_1 A_2 + \beta_1\gamma_2 A_1}{\alpha_1\alpha_2 -
        \beta_1\beta_2}, \qquad
        x_2^* = \frac{\alpha_1\gamma_2 A_1 + \beta_2\gamma_1 A_2}{\alpha_1\alpha_2 -
        \beta_1\beta_2},

    stable if and only if ``alpha1 alpha2 > beta1 beta2`` (the trace ``-(alpha1 +
    alpha2)`` is always negative). With non-negative reactiveness and appeals the model
    is a positive linear system (Rinaldi 1998): from indifference both feelings grow
    monotonically to ``x*``, never oscillate, and grow with either appeal ("appeal
    creates order in the community").

    Defaults: ``alpha1 = alpha2 = 1, beta1 = beta2 = 0.5, gamma1 = gamma2 = 1,
    A1 = A2 = 1`` (a stable secure couple, ``x* = (2, 2)``). They are illustrative: the
    paper's results, reproduced by the tests, hold for general parameters.

    Source check: the paper's text could not be read for this module; the equations
    (oblivion, return and instinct processes, linear) follow its title and the closely
    related Rinaldi & Gragnani (1998, Nonlinear Dyn. Psychol. Life Sci. 2:283, abstract
    read: secure individuals, "appeal creates order in a community"). The stability
    condition and the positive-system results are derived from the equations and checked
    by the tests, not copied from the paper; every default is illustrative.

    Examples
    --------
    >>> import numpy as np, dyadmodel as dm
    >>> m = dm.models.get("rinaldi-linear")
    >>> m.rhs([2.0, 2.0]).round(12) + 0.0  # the default equilibrium
    array([0., 0.])

    References
    ----------
    Rinaldi (1998), Appl. Math. Comput. 95:181-192.
    """
    x1, x2 = symbols("x1 x2")
    a1, a2, b1, b2, g1, g2, A1, A2 = symbols("alpha1 alpha2 beta1 beta2 gamma1 gamma2 A1 A2")
    rhs = [-a1 * x1 + b1 * x2 + g1 * A2, -a2 * x2 + b2 * x1 + g2 * A1]
    unit = "feeling (arbitrary units)"
    states = [
        State(
            "x1",
            "partner 1's love for partner 2 (negative = antagonism)",
            domain=(-3.0, 4.0),
            unit=unit,
            latex="x_1",
        ),
        State(
            "x2",
            "partner 2's love for partner 1 (negative = antagonism)",
            domain=(-3.0, 4.0),
            unit=unit,
            latex="x_2",
        ),
    ]
    partners = ((1, 2), (2, 1))
    parameters = [
        *(
            _rate(
                f"alpha{i}",
                1.0,
                f"partner {i}'s forgetting rate: how fast partner {i}'s "
                "feelings fade without stimulus (oblivion)",
                f"\\alpha_{i}",
            )
            for i, _ in partners
        ),
        *(
            _real(
                f"beta{i}",
                0.5,
                f"partner {i}'s reactiveness to partner {j}'s love (the "
                "pleasure of being loved; > 0 for secure individuals)",
                f"\\beta_{i}",
                "1/time",
            )
            for i, j in partners
        ),
        *(
            _gain(
                f"gamma{i}",
                1.0,
                f"partner {i}'s reactiveness to partner {j}'s appeal (instinct)",
                f"\\gamma_{i}",
            )
            for i, j in partners
        ),
        *(
            _appeal(f"A{i}", 1.0, f"partner {i}'s appeal as perceived by partner {j}", f"A_{i}")
            for i, j in partners
        ),
    ]
    presets = {
        "secure-couple": Preset(
            "Two secure individuals (beta > 0) whose forgetting outweighs their mutual "
            "reactiveness (alpha1 alpha2 > beta1 beta2): one stable node with positive "
            "feelings, reached monotonically from indifference (Rinaldi 1998).",
            {"beta1": 0.5, "beta2": 0.5},
        ),
        "over-reactive": Preset(
            "Mutual reactiveness exceeds forgetting (alpha1 alpha2 < beta1 beta2): the "
            "equilibrium is a saddle and feelings diverge, the linear model's limit that "
            "motivates saturating reaction functions.",
            {"beta1": 1.5, "beta2": 1.5},
        ),
        "antagonistic-partner": Preset(
            "Partner 2 reacts negatively to being loved (beta2 < 0): the equilibrium is a "
            "stable focus and feelings oscillate while they settle.",
            {"beta1": 1.0, "beta2": -1.0},
        ),
    }
    names = [p.name for p in parameters]
    return Model(
        "rinaldi-linear",
        "Rinaldi's linear couple (oblivion, return and instinct)",
        states,
        parameters,
        rhs,
        description=rinaldi_linear.__doc__ or "",
        references=[RINALDI_LINEAR],
        presets=presets,
        partner_swap={"states": {"x1": "x2", "x2": "x1"}, "parameters": _swap_indices(names)},
    )


# -- Rinaldi: Laura and Petrarch --------------------------------------------------------


@register("laura-petrarch")
def laura_petrarch() -> Model:
    r"""Laura and Petrarch: love, antagonism and poetic inspiration (Rinaldi 1998).

    .. math::

        \dot L &= -\alpha_1 L + \beta_1\Big(P\big(1 - (P/\gamma)^2\big) + A_P\Big) \\
        \dot P &= -\alpha_2 P + \beta_2\Big(L + \frac{A_L}{1 + \delta Z}\Big) \\
        \dot Z &= -\alpha_3 Z + \beta_3 P

    States (time in years):

    - ``L``: Laura's love for Petrarch (negative = antagonism, coldness).
    - ``P``: Petrarch's love for Laura, from ecstasy (positive) to despair (negative).
    - ``Z``: Petrarch's poetic inspiration, a slow variable fed by his love.

    Model parameters:

    - ``alpha1``, ``alpha2``, ``alpha3``: forgetting rates of Laura's love, Petrarch's love and his
      inspiration (1/year; the inspiration is slow).
    - ``beta1``: Laura's reactiveness: to Petrarch's love, through ``P(1 - (P/gamma)^2)``
      (she welcomes moderate love but is annoyed by excessive passion), and to his
      appeal ``A_P``.
    - ``beta2``: Petrarch's reactiveness to Laura's love and to her appeal.
    - ``beta3``: how strongly Petrarch's love feeds his inspiration.
    - ``gamma``: the level of Petrarch's love above which Laura's reaction turns negative.
    - ``delta``: how much inspiration dims Laura's appeal for the poet (inspired, he is
      absorbed in his poetry).
    - ``A_L``: Laura's appeal to Petrarch (she is very beautiful: positive).
    - ``A_P``: Petrarch's appeal to Laura (a married lady: negative, she is cold to him).

    Defaults are Rinaldi's (1998) calibration: ``alpha1 = 3.6, alpha2 = 1.2,
    alpha3 = 0.12, beta1 = 1.2, beta2 = 6, beta3 = 12, gamma = 1, delta = 1, A_L = 2,
    A_P = -1``. From the state of indifference (0, 0, 0) they give a globally attracting
    slow–fast limit cycle of period about 3.8 years, in which Petrarch's love swings
    between ecstasy and despair and his inspiration lags his love; this is the emotional
    cycle that F. J. Jones (1995) found in the poems. About 20 years (1328-1350, the
    poems Jones dated) is the span of the story, over which the cycle repeats about
    five times; it is not the period.

    Examples
    --------
    >>> import dyadmodel as dm
    >>> m = dm.models.get("laura-petrarch")
    >>> m.rhs([0.0, 0.0, 0.0]).round(6) + 0.0  # from indifference Petrarch falls in love
    array([-1.2, 12. ,  0. ])

    Notes
    -----
    The model is not partner-symmetric (Z belongs to Petrarch only).

    Source check: the SIAM paper's text could not be read for this module. Verified
    against Breitenecker et al. (2008, J. Comput. Inf. Technol. 16:255), who re-implement
    Rinaldi's model: two coupled equations for Laura's and Petrarch's love driving an
    inspiration variable, and Jones's cycle in the poems of 1328-1350. The default values
    are those of public re-implementations of the paper, not compared with the paper
    itself; the period (3.8 years) and the phase order are computed from them and checked
    in ``tests/models/test_literature.py``.

    References
    ----------
    Rinaldi (1998), SIAM J. Appl. Math. 58(4):1205-1221.
    """
    L, P, Z = symbols("L P Z")
    a1, a2, a3, b1, b2, b3, gam, dlt, AL, AP = symbols(
        "alpha1 alpha2 alpha3 beta1 beta2 beta3 gamma delta A_L A_P"
    )
    rhs = [
        -a1 * L + b1 * (P * (1 - (P / gam) ** 2) + AP),
        -a2 * P + b2 * (L + AL / (1 + dlt * Z)),
        -a3 * Z + b3 * P,
    ]
    unit = "feeling (arbitrary units)"
    states = [
        State(
            "L",
            "Laura's love for Petrarch (negative = antagonism, coldness)",
            domain=(-1.0, 1.0),
            unit=unit,
        ),
        State(
            "P",
            "Petrarch's love for Laura, from ecstasy (positive) to despair (negative)",
            domain=(-1.5, 1.5),
            unit=unit,
        ),
        State(
            "Z",
            "Petrarch's poetic inspiration (slow, fed by his love)",
            domain=(0.0, 12.0),
            unit="inspiration (arbitrary units)",
            # inspiration is a non-negative quantity in Rinaldi (1998); below -1/delta
            # the term A_L / (1 + delta Z) would change sign through a pole
            validity=(0.0, INF),
        ),
    ]
    year = "1/year"
    parameters = [
        _rate("alpha1", 3.6, "forgetting rate of Laura's love", "\\alpha_1", year),
        _rate("alpha2", 1.2, "forgetting rate of Petrarch's love", "\\alpha_2", year),
        _rate(
            "alpha3", 0.12, "forgetting rate of Petrarch's inspiration (slow)", "\\alpha_3", year
        ),
        _gain("beta1", 1.2, "Laura's reactiveness to Petrarch's love and appeal", "\\beta_1", year),
        _gain("beta2", 6.0, "Petrarch's reactiveness to Laura's love and appeal", "\\beta_2", year),
        _gain(
            "beta3", 12.0, "how strongly Petrarch's love feeds his inspiration", "\\beta_3", year
        ),
        _positive(
            "gamma",
            1.0,
            "level of Petrarch's love above which Laura's reaction to it "
            "turns negative (she is annoyed by excessive passion)",
            "\\gamma",
            "a love level that divides P must be positive",
        ),
        Parameter(
            "delta",
            1.0,
            "how much Petrarch's inspiration dims Laura's appeal for him",
            bounds=(0.0, INF),
            latex="\\delta",
            bound_reason="a dimming strength is not a sign",
        ),
        _appeal("A_L", 2.0, "Laura's appeal to Petrarch", "A_L"),
        _appeal("A_P", -1.0, "Petrarch's appeal to Laura", "A_P"),
    ]
    return Model(
        "laura-petrarch",
        "Laura and Petrarch: cyclical love and poetic inspiration",
        states,
        parameters,
        rhs,
        description=laura_petrarch.__doc__ or "",
        references=[RINALDI_PETRARCH, RINALDI_BOOK],
    )


# -- Rinaldi: insecure and synergic individuals -----------------------------------------


def _synergic_parameter(stem: str, i: int, defaults: dict[str, float]) -> Parameter:
    """Parameter ``{stem}{i}`` of ``rinaldi-synergic`` (partner i, partner j = 3 - i)."""
    j = 3 - i
    name, default = f"{stem}{i}", defaults[f"{stem}{i}"]
    if stem == "alpha":
        return _rate(name, default, f"partner {i}'s forgetting rate (oblivion)", f"\\alpha_{i}")
    if stem == "beta":
        return _gain(
            name, default, f"partner {i}'s reactiveness to partner {j}'s love", f"\\beta_{i}"
        )
    if stem == "gamma":
        return _gain(
            name, default, f"partner {i}'s reactiveness to partner {j}'s appeal", f"\\gamma_{i}"
        )
    if stem == "bA":
        return Parameter(
            name,
            default,
            f"partner {i}'s synergism: how much their own love inflates the appeal they "
            "perceive (> 0 synergic, 0 unbiased, < 0 platonic)",
            bounds=(-1.0, INF),
            latex=f"b_{{A{i}}}",
            bound_reason="below -1 the bias would flip the sign of the perceived appeal",
        )
    if stem == "A":
        return _appeal(name, default, f"partner {i}'s appeal", f"A_{i}")
    if stem == "k":
        return _positive(
            name,
            default,
            f"partner {i}'s insecurity: the reaction to partner {j}'s love peaks at "
            f"x{j} = n{i}^(-1/n{i})/k{i} and fades beyond (small = secure)",
            f"k_{i}",
            "an insecurity scale must be positive",
        )
    if stem == "n":
        return _positive(
            name,
            default,
            f"how sharply partner {i}'s insecurity sets in",
            f"n_{i}",
            "an exponent of the reaction function must be positive",
        )
    if stem == "m":
        return _positive(
            name,
            default,
            f"steepness of partner {i}'s synergism switch",
            f"m_{i}",
            "an exponent of the synergism function must be positive",
        )
    if stem == "sigma":
        return _positive(
            name,
            default,
            f"partner {i}'s own love at which synergism is half active",
            f"\\sigma_{i}",
            "a threshold must be positive",
        )
    raise ValueError(f"unknown parameter stem {stem!r}")


@register("rinaldi-synergic")
def rinaldi_synergic() -> Model:
    r"""Insecure and synergic individuals: the minimal ingredients of cyclic love.

    For partner i with partner j (i, j = 1, 2, i != j):

    .. math::

        \dot x_i = -\alpha_i x_i + \beta_i k_i x_j e^{-(k_i x_j)^{n_i}}
                   + \Big(1 + b_{Ai}\frac{x_i^{2m_i}}{x_i^{2m_i} + \sigma_i^{2m_i}}\Big)
                     \gamma_i A_j

    States:

    - ``x1``, ``x2``: partner i's love for the partner.

    Model parameters (``i`` = 1, 2; e.g. ``alpha1``, ``alpha2``):

    - ``alpha<i>``: forgetting rate (oblivion).
    - ``beta<i>``: reactiveness to the partner's love.
    - ``k<i>``: insecurity: the reaction ``beta_i k_i x_j exp(-(k_i x_j)^n_i)`` grows with
      the partner's love ``x_j`` only up to ``x_j = n_i^(-1/n_i) / k_i`` and then fades:
      an insecure individual is frightened by too much love. Small ``k_i`` = secure
      (nearly linear reaction over the relevant range).
    - ``n<i>``: how sharply insecurity sets in.
    - ``gamma<i>``: reactiveness to the partner's appeal.
    - ``bA<i>``: synergism (bias): how much partner i's own love inflates the appeal they
      perceive (> 0 synergic, 0 unbiased, < 0 platonic).
    - ``sigma<i>``: the own-love level at which synergism is half active.
    - ``m<i>``: steepness of the synergism switch.
    - ``A<i>``: partner i's appeal.

    Gragnani, Rinaldi & Feichtinger (1997) show that couples of secure individuals, and
    couples of non-synergic individuals, only have stationary behaviour, while "couples
    composed of a secure and synergic individual and a non-secure and non-synergic
    individual can experience cyclic dynamics": the coexistence of insecurity and
    synergism in the couple is the minimal ingredient of cyclic love (supercritical Hopf,
    fold and homoclinic bifurcations around a Bogdanov–Takens point), and ageing
    (higher forgetting) stabilises it. Preset ``minimal-cycling-couple`` is that couple:
    partner 1 secure (small ``k1``) and synergic (``bA1 = 3.5``), partner 2 insecure
    (``k2 = 1.5, n2 = 4``) and non-synergic (``bA2 = 0``); its equilibrium is an
    unstable focus surrounded by a limit cycle (``bA1 = 3.5`` chosen here: with the
    default ``bA1 = 2.9`` and ``bA2 = 0`` the focus is weakly stable).

    Defaults (``alpha1 = 0.36, alpha2 = 0.2, beta1 = 0.75, beta2 = 10.66,
    gamma1 = gamma2 = 1, bA1 = 2.9, bA2 = 1, A1 = A2 = 0.1, k1 = 0.08, k2 = 1.5, n1 = 1,
    n2 = 4, m1 = m2 = 4, sigma1 = sigma2 = 1``) are the values used for this model in
    Rinaldi et al. (2016), as reproduced in a public re-implementation of the book's
    chapters (the book itself could not be consulted while writing this module):
    partner 1 is secure (small k1) and strongly synergic, partner 2 insecure (large k2,
    n2). The unique equilibrium is an unstable focus and from indifference the couple
    settles on a limit cycle of period about 19 time units.

    Examples
    --------
    >>> import dyadmodel as dm
    >>> m = dm.models.get("rinaldi-synergic")
    >>> m.rhs([0.0, 0.0]).round(12) + 0.0  # from indifference, appeal alone kindles love
    array([0.1, 0.1])

    Notes
    -----
    For non-integer ``n_i`` or ``m_i`` the right-hand side is real only for ``x_i >= 0``
    (NaN below); the non-negative quadrant is invariant when the appeals are
    non-negative, and with positive appeals there is no equilibrium on its edges. The
    state domain starts just inside the axes, at ``x_i = 0.01``, because the symbolic
    Jacobian of the synergism term contains ``x_i^(2 m_i) / x_i``, which evaluates to
    NaN exactly on the axis (a removable 0/0). The right-hand side itself is fine at
    ``x_i = 0``, so trajectories may start from indifference.

    Source check: Gragnani et al. (1997) were checked in their abstract only (the four
    classes of individuals, the minimal cycling couple, the bifurcations, ageing). The
    reaction function ``beta_i k_i x_j exp(-(k_i x_j)^n_i)``, the synergism function
    with ``sigma_i``, ``m_i`` and every default value are those of Rinaldi et al. (2016)
    as reproduced in a public re-implementation of the book; neither the book nor the
    1997 paper's equations could be read for this module, so the 1997 paper's own
    reaction functions may differ in form. ``bA1 = 3.5`` of the minimal couple is this
    module's choice.

    References
    ----------
    Gragnani, Rinaldi & Feichtinger (1997), Int. J. Bifurcation and Chaos 7:2611;
    Rinaldi, Della Rossa, Dercole, Gragnani & Landi (2016), *Modeling Love Dynamics*.
    """
    x = dict(zip((1, 2), symbols("x1 x2"), strict=True))
    stems = ("alpha", "beta", "gamma", "bA", "A", "k", "n", "m", "sigma")
    s = {(stem, i): symbols(f"{stem}{i}")[0] for stem in stems for i in (1, 2)}

    def partner(i: int) -> sp.Expr:
        j = 3 - i
        kx = s["k", i] * x[j]
        reaction = s["beta", i] * kx * sp.exp(-(kx ** s["n", i]))
        xi2m = x[i] ** (2 * s["m", i])
        synergism = xi2m / (xi2m + s["sigma", i] ** (2 * s["m", i]))
        return (
            -s["alpha", i] * x[i]
            + reaction
            + (1 + s["bA", i] * synergism) * s["gamma", i] * s["A", j]
        )

    rhs = [partner(1), partner(2)]
    unit = "feeling (arbitrary units)"
    # Just inside the axes: the compiled Jacobian is 0/0 on them (see Notes).
    edge = 0.01
    states = [
        State(
            "x1",
            "partner 1's love for partner 2",
            domain=(edge, 2.0),
            unit=unit,
            latex="x_1",
            validity=(0.0, INF),
        ),
        State(
            "x2",
            "partner 2's love for partner 1",
            domain=(edge, 14.0),
            unit=unit,
            latex="x_2",
            validity=(0.0, INF),
        ),
    ]
    defaults = {
        "alpha1": 0.36,
        "alpha2": 0.2,
        "beta1": 0.75,
        "beta2": 10.66,
        "gamma1": 1.0,
        "gamma2": 1.0,
        "bA1": 2.9,
        "bA2": 1.0,
        "A1": 0.1,
        "A2": 0.1,
        "k1": 0.08,
        "k2": 1.5,
        "n1": 1.0,
        "n2": 4.0,
        "m1": 4.0,
        "m2": 4.0,
        "sigma1": 1.0,
        "sigma2": 1.0,
    }
    parameters = [_synergic_parameter(stem, i, defaults) for stem in stems for i in (1, 2)]
    presets = {
        "cyclic": Preset(
            "The book's insecure-and-synergic couple: partner 1 secure and strongly "
            "synergic, partner 2 insecure. Unstable focus surrounded by a stable limit "
            "cycle: feelings rise and fall forever.",
            {"alpha1": 0.36, "alpha2": 0.2, "bA1": 2.9, "bA2": 1.0},
        ),
        "aged": Preset(
            "The same couple with 20% faster forgetting in both partners: the cycle is gone "
            "and feelings settle on a stable focus ('ageing has a stabilizing effect', "
            "Gragnani et al. 1997).",
            {"alpha1": 0.432, "alpha2": 0.24},
        ),
        "non-synergic": Preset(
            "Without synergism (bA1 = bA2 = 0) the divergence is -(alpha1 + alpha2) < 0, "
            "so no cycle can exist: stationary behaviour only (Gragnani et al. 1997).",
            {"bA1": 0.0, "bA2": 0.0},
        ),
        "minimal-cycling-couple": Preset(
            "Gragnani et al. (1997)'s minimal cycling couple: a secure and synergic "
            "individual (partner 1: small k1, bA1 = 3.5) and a non-secure and "
            "non-synergic one (partner 2: k2 = 1.5, n2 = 4, bA2 = 0). Unstable focus "
            "surrounded by a limit cycle.",
            {"bA1": 3.5, "bA2": 0.0},
        ),
    }
    return Model(
        "rinaldi-synergic",
        "Insecure and synergic individuals (cyclic romantic relationships)",
        states,
        parameters,
        rhs,
        description=rinaldi_synergic.__doc__ or "",
        references=[GRAGNANI_1997, RINALDI_BOOK],
        presets=presets,
        partner_swap={
            "states": {"x1": "x2", "x2": "x1"},
            "parameters": _swap_indices([p.name for p in parameters]),
        },
        equilibrium_box=_synergic_box,
    )


def _synergic_box(p) -> list[tuple[float, float]]:
    """Every equilibrium with x_i >= 0 has ``alpha_i x_i = gamma_i A_j (1 + bA_i S) +
    beta_i R`` with the synergism S in [0, 1] and the reaction R = z exp(-z^n_i),
    z = k_i x_j >= 0, in [0, n_i^(-1/n_i) e^(-1/n_i)] (its maximum over z >= 0); evaluated
    in outward-rounded interval arithmetic, intersected with x_i >= 0."""
    box = []
    for i, j in ((1, 2), (2, 1)):
        n = iv.mpf(p[f"n{i}"])
        reaction = iv.mpf([0, 1]) * iv.exp(-iv.log(n) / n - 1 / n)
        appeal = p[f"gamma{i}"] * iv.mpf(p[f"A{j}"]) * (1 + p[f"bA{i}"] * iv.mpf([0, 1]))
        x = (appeal + p[f"beta{i}"] * reaction) / p[f"alpha{i}"]
        box.append((max(0.0, _down(x.a)), _up(x.b)))
    return box


# -- Rinaldi: Gone with the Wind ---------------------------------------------------------


@register("gone-with-the-wind")
def gone_with_the_wind() -> Model:
    r"""Scarlett and Rhett in "Gone with the Wind": two insecure individuals.

    .. math::

        \dot R = -R + A_S + k S e^{-S}, \qquad \dot S = -S + A_R + k R e^{-R}

    States (time in units of the forgetting time):

    - ``R``: Rhett's love for Scarlett.
    - ``S``: Scarlett's love for Rhett.

    Model parameters:

    - ``A_S``: Scarlett's appeal to Rhett.
    - ``A_R``: Rhett's appeal to Scarlett.
    - ``k``: reactiveness to the partner's love. Both are insecure: the reaction ``k x e^{-x}``
      is strong for small involvement of the partner and fades when the partner's love
      exceeds 1 ("they respond very strongly to small involvements of the partner but
      then attenuate their reaction when the pressure becomes too high").

    Defaults ``k = 15, A_S = 1.2, A_R = 1`` describe the first part of the story: three
    equilibria (two stable nodes separated by a saddle), and from indifference the
    couple goes to the one where Rhett is deeply in love (R ≈ 6.68) and Scarlett is not
    (S ≈ 1.13). Raising Rhett's appeal to ``A_R = 2`` (preset ``rhett-quits``) leaves a
    single equilibrium, where Scarlett is in love (S ≈ 7.35) and Rhett, insecure,
    no longer cares (R ≈ 1.27): "Frankly, my dear, I don't give a damn". Preset
    ``identical`` (``A_S = A_R = 1``) has three equilibria placed symmetrically about
    the diagonal.

    Examples
    --------
    >>> import dyadmodel as dm
    >>> m = dm.models.get("gone-with-the-wind")
    >>> m.rhs([0.0, 0.0]).round(12) + 0.0
    array([1.2, 1. ])

    Notes
    -----
    The paper (Rinaldi, Della Rossa & Landi 2013) writes, with 1 = Scarlett and
    2 = Rhett, ``x_i' = -alpha_i x_i + rho_i A_j + k_i x_j exp(-x_j/beta_i)`` with
    ``alpha_i = beta_i = rho_i = 1``, ``k_i = 15``, ``A_1 = 1.2`` (Scarlett's appeal),
    ``A_2 = 1`` (Rhett's appeal), ``A_2 = 2`` after Rhett changes, starting from
    indifference (the origin). This model is that one with ``R = x_2``, ``S = x_1``,
    ``A_S = A_1``, ``A_R = A_2`` and ``alpha_i = beta_i = rho_i = 1`` fixed (not exposed
    as parameters).

    Source check: equations, roles (1 = Scarlett, 2 = Rhett), ``k = 15``, the appeals
    1.2, 1 and 2 and the start at the origin were checked against the paper (Physica A
    392:3231; IIASA Interim Report IR-13-061), whose summary also describes both as
    insecure individuals who "respond very strongly to small involvements of the
    partner". Preset ``identical`` (``A_S = A_R = 1``) is this module's illustration.

    The paper's state space is the non-negative quadrant, which is invariant for
    non-negative appeals (``Ṙ >= A_S`` on ``R = 0``), and the state domain is that
    quadrant. Below it the reaction ``k x e^{-x}`` to hostility grows exponentially, and
    the model has one more equilibrium, a saddle just below the origin (about
    (-0.07, -0.08) for the defaults), outside the domain.

    References
    ----------
    Rinaldi, Della Rossa & Landi (2013), A mathematical model of "Gone with the Wind",
    Physica A 392:3231-3239.
    """
    R, S = symbols("R S")
    AS, AR, k = symbols("A_S A_R k")
    rhs = [-R + AS + k * S * sp.exp(-S), -S + AR + k * R * sp.exp(-R)]
    unit = "feeling (arbitrary units)"
    states = [
        State("R", "Rhett's love for Scarlett", domain=(0.0, 9.0), unit=unit, validity=(0.0, INF)),
        State("S", "Scarlett's love for Rhett", domain=(0.0, 9.0), unit=unit, validity=(0.0, INF)),
    ]
    parameters = [
        _appeal("A_S", 1.2, "Scarlett's appeal to Rhett", "A_S"),
        _appeal("A_R", 1.0, "Rhett's appeal to Scarlett", "A_R"),
        _gain(
            "k",
            15.0,
            "reactiveness to the partner's love (the reaction k x e^-x of these "
            "insecure individuals peaks when the partner's love is 1)",
            "k",
        ),
    ]
    presets = {
        "first-part": Preset(
            "The first part of the story: Scarlett slightly more appealing than Rhett. "
            "Bistable (two stable nodes and a saddle); from indifference Rhett falls deeply "
            "in love while Scarlett stays lukewarm.",
            {"A_S": 1.2, "A_R": 1.0, "k": 15.0},
        ),
        "rhett-quits": Preset(
            "The end of the story: Rhett's appeal to Scarlett has grown (A_R = 2). A single "
            "equilibrium: Scarlett deeply in love, Rhett, insecure, no longer cares.",
            {"A_S": 1.2, "A_R": 2.0, "k": 15.0},
        ),
        "identical": Preset(
            "Two identical insecure individuals (A_S = A_R = 1): three equilibria, "
            "symmetric about the diagonal, whose middle one is a saddle.",
            {"A_S": 1.0, "A_R": 1.0, "k": 15.0},
        ),
    }
    return Model(
        "gone-with-the-wind",
        'Scarlett and Rhett in "Gone with the Wind" (insecure individuals)',
        states,
        parameters,
        rhs,
        description=gone_with_the_wind.__doc__ or "",
        references=[GONE_WITH_THE_WIND, RINALDI_BOOK],
        presets=presets,
        partner_swap={
            "states": {"R": "S", "S": "R"},
            "parameters": {"A_S": "A_R", "A_R": "A_S"},
        },
        equilibrium_box=_gone_with_the_wind_box,
    )


def _down(v) -> float:
    """A float at or below the interval end ``v`` (float() rounds to nearest)."""
    return math.nextafter(float(v), -math.inf)


def _up(v) -> float:
    return math.nextafter(float(v), math.inf)


def _gone_with_the_wind_box(p) -> list[tuple[float, float]]:
    """Every equilibrium with R, S >= 0 has R = A_S + k S e^-S and S = A_R + k R e^-R, and
    x e^-x lies in [0, 1/e] for x >= 0 (outward-rounded intervals, intersected with >= 0)."""
    reaction = p["k"] * iv.mpf([0, 1]) * iv.exp(iv.mpf(-1))
    box = []
    for appeal in (p["A_S"], p["A_R"]):
        x = appeal + reaction
        box.append((max(0.0, _down(x.a)), _up(x.b)))
    return box


# -- Liebovitch: cooperation and competition ---------------------------------------------


@register("liebovitch")
def liebovitch() -> Model:
    r"""Two actors in cooperation or competition (Liebovitch et al. 2008).

    .. math::

        \dot x = -m_1 x + b_1 + c_1 \tanh y, \qquad \dot y = -m_2 y + b_2 + c_2 \tanh x

    States:

    - ``x``, ``y``: the state (feeling, attitude) of actor 1 and actor 2; positive = favourable.

    Model parameters:

    - ``m1``, ``m2``: how fast each actor returns to their own state in isolation (the inverse
      of the actor's inertia).
    - ``b1``, ``b2``: each actor's own drive; alone, actor i settles at ``b_i / m_i``.
    - ``c1``, ``c2``: influence of the other's state, saturating (tanh). Both positive:
      cooperation (positive feedback); both negative: competition; opposite signs:
      mixed feedback (one actor is drawn by the other, the other repelled).

    Published results reproduced by the tests: the divergence is ``-(m1 + m2) < 0``, so
    there are no limit cycles (Bendixson); with ``b1 = b2 = 0`` the origin is stable iff
    ``c1 c2 < m1 m2`` and loses stability in a supercritical pitchfork at
    ``c1 c2 = m1 m2``, creating two stable equilibria of equal signs (cooperation: both
    favourable or both hostile) or opposite signs (competition: one wins); mixed
    feedback gives a unique stable equilibrium, approached in damped oscillations when
    the feedback is strong. The pitchfork and the absence of cycles are also proved for
    a generalisation of the model by Jacobo-Villegas, Nava-Sedeño & Obregón-Quintana
    (2025, arXiv:2510.17993).

    Defaults ``m1 = m2 = 1, b1 = b2 = 0, c1 = c2 = 2`` (cooperation beyond the
    pitchfork) are illustrative: the paper maps the regimes for general parameters.

    Source check: the paper's text could not be read for this module; the equations and
    the regimes above are those of the paper as summarised by Jacobo-Villegas et al.
    (2025), and the pitchfork, the Bendixson argument and the mixed-feedback result are
    derived from the equations and checked by the tests. Every default is illustrative.

    Examples
    --------
    >>> import numpy as np, dyadmodel as dm
    >>> m = dm.models.get("liebovitch")
    >>> np.linalg.eigvals(m.jacobian([0.0, 0.0], m.preset("mixed"))).round(12)
    array([-1.+2.j, -1.-2.j])

    References
    ----------
    Liebovitch, Naudot, Vallacher, Nowak, Bui-Wrzosinska & Coleman (2008), Physica A
    387:6360-6378.
    """
    x, y = symbols("x y")
    m1, m2, b1, b2, c1, c2 = symbols("m1 m2 b1 b2 c1 c2")
    rhs = [-m1 * x + b1 + c1 * sp.tanh(y), -m2 * y + b2 + c2 * sp.tanh(x)]
    unit = "state (arbitrary units; positive = favourable)"
    states = [
        State(
            "x",
            "actor 1's state (feeling, attitude towards the other)",
            domain=(-3.0, 3.0),
            unit=unit,
        ),
        State(
            "y",
            "actor 2's state (feeling, attitude towards the other)",
            domain=(-3.0, 3.0),
            unit=unit,
        ),
    ]
    parameters = [
        *(
            _rate(
                f"m{i}",
                1.0,
                f"how fast actor {i} returns to their own state (inverse of the actor's inertia)",
                f"m_{i}",
            )
            for i in (1, 2)
        ),
        *(
            _real(
                f"b{i}",
                0.0,
                f"actor {i}'s own drive; alone, actor {i} settles at b{i}/m{i}",
                f"b_{i}",
                "1/time",
            )
            for i in (1, 2)
        ),
        *(
            _real(
                f"c{i}",
                2.0,
                f"influence of actor {3 - i}'s state on actor {i} (> 0 cooperation, "
                "< 0 competition)",
                f"c_{i}",
                "1/time",
            )
            for i in (1, 2)
        ),
    ]
    presets = {
        "cooperation": Preset(
            "Positive feedback beyond the pitchfork (c1 c2 > m1 m2): two stable outcomes, "
            "both actors favourable or both hostile, separated by a saddle at the origin.",
            {"b1": 0.0, "b2": 0.0, "c1": 2.0, "c2": 2.0},
        ),
        "competition": Preset(
            "Negative feedback beyond the pitchfork: two stable outcomes of opposite signs "
            "(one actor wins, the other loses).",
            {"b1": 0.0, "b2": 0.0, "c1": -2.0, "c2": -2.0},
        ),
        "mixed": Preset(
            "Mixed feedback (c1 > 0 > c2): a unique stable equilibrium approached in damped "
            "oscillations.",
            {"b1": 0.0, "b2": 0.0, "c1": 2.0, "c2": -2.0},
        ),
        "weak-influence": Preset(
            "Weak mutual influence (c1 c2 < m1 m2): the origin is the only equilibrium and "
            "it is stable.",
            {"b1": 0.0, "b2": 0.0, "c1": 0.5, "c2": 0.5},
        ),
    }
    return Model(
        "liebovitch",
        "Two-actor cooperation-competition conflict (Liebovitch et al. 2008)",
        states,
        parameters,
        rhs,
        description=liebovitch.__doc__ or "",
        references=[LIEBOVITCH_2008],
        presets=presets,
        partner_swap={
            "states": {"x": "y", "y": "x"},
            "parameters": _swap_indices([p.name for p in parameters]),
        },
    )


# -- Gottman-style validating couple -----------------------------------------------------


@register("validating-couple")
def validating_couple() -> Model:
    r"""A continuous, linear Gottman-style couple: set points, inertia and influence.

    .. math::

        \dot x = r_1 (x_0 - x) + a_1 y, \qquad \dot y = r_2 (y_0 - y) + a_2 x

    States:

    - ``x``: partner 1's emotional state (positivity of behaviour; negative = negativity).
    - ``y``: partner 2's emotional state.

    Model parameters:

    - ``r1``, ``r2``: rates of return to the uninfluenced set point (the inverse of emotional
      inertia).
    - ``x0``, ``y0``: uninfluenced set points: where each partner would settle alone.
    - ``a1``, ``a2``: slopes of the influence functions. For a validating couple the influence is
      linear: each partner's positivity pulls the other up, negativity pulls down.

    The influenced steady state is

    .. math::

        x^* = \frac{r_1 r_2 x_0 + r_2 a_1 y_0}{r_1 r_2 - a_1 a_2}, \qquad
        y^* = \frac{r_1 r_2 y_0 + r_1 a_2 x_0}{r_1 r_2 - a_1 a_2},

    stable if and only if ``r1 r2 > a1 a2`` (the trace ``-(r1 + r2)`` is negative):
    mutual influence must not outweigh the pull of each partner's own set point.

    Defaults ``r1 = r2 = 1, x0 = y0 = 0.5, a1 = a2 = 0.5`` are illustrative (influenced
    steady state (1, 1), above the uninfluenced set points: validation lifts both).

    Examples
    --------
    >>> import dyadmodel as dm
    >>> m = dm.models.get("validating-couple")
    >>> m.rhs([1.0, 1.0]).round(12) + 0.0
    array([0., 0.])

    Notes
    -----
    Gottman et al. (2002) fit difference equations to coded conversations,
    ``W_{t+1} = I_HW(H_t) + r_1 W_t + a``: there ``r_i`` is emotional *inertia* (how
    much of a partner's state carries over to the next turn), and the uninfluenced set
    point is ``a / (1 - r_1)``. This model's ``r_i`` is a rate of return, the
    continuous-time counterpart of ``1 - r_i`` in their notation. Their influence
    functions are piecewise: bilinear (two linear pieces meeting at zero) or the
    *ojive*, which is piecewise constant (a fixed push once the partner's state passes
    a positive or a negative threshold, none in between). This is the continuous-time,
    linear-influence version used for teaching (Tung 2007).

    Source check: inertia, set points and influence functions as the model's
    ingredients were checked against the abstracts of Cook et al. (1995, J. Fam.
    Psychol. 9:110) and Gottman, Swanson & Murray (1999, J. Fam. Psychol. 13:3) and the
    book's description; the difference-equation form and the ojive's piecewise-constant
    shape are stated from the book, whose full text could not be read for this module.
    The linear continuous model follows Tung (2007), not read here either; every default
    is illustrative.

    References
    ----------
    Tung (2007), *Topics in Mathematical Modeling*, ch. 10; Gottman, Murray, Swanson,
    Tyson & Swanson (2002), *The Mathematics of Marriage*.
    """
    x, y = symbols("x y")
    r1, r2, x0, y0, a1, a2 = symbols("r1 r2 x0 y0 a1 a2")
    rhs = [r1 * (x0 - x) + a1 * y, r2 * (y0 - y) + a2 * x]
    unit = "emotional state (arbitrary units; positive = positivity)"
    states = [
        State(
            "x",
            "partner 1's emotional state (positivity; negative = negativity)",
            domain=(-2.0, 3.0),
            unit=unit,
        ),
        State(
            "y",
            "partner 2's emotional state (positivity; negative = negativity)",
            domain=(-2.0, 3.0),
            unit=unit,
        ),
    ]
    parameters = [
        _rate(
            "r1",
            1.0,
            "partner 1's rate of return to their set point (inverse emotional inertia)",
            "r_1",
        ),
        _rate(
            "r2",
            1.0,
            "partner 2's rate of return to their set point (inverse emotional inertia)",
            "r_2",
        ),
        _real("x0", 0.5, "partner 1's uninfluenced set point (where they settle alone)", "x_0"),
        _real("y0", 0.5, "partner 2's uninfluenced set point (where they settle alone)", "y_0"),
        _real("a1", 0.5, "slope of partner 2's influence on partner 1", "a_1", "1/time"),
        _real("a2", 0.5, "slope of partner 1's influence on partner 2", "a_2", "1/time"),
    ]
    presets = {
        "validating": Preset(
            "Moderate mutual validation (r1 r2 > a1 a2): a stable influenced steady state "
            "above both partners' set points.",
            {"a1": 0.5, "a2": 0.5},
        ),
        "runaway-influence": Preset(
            "Mutual influence stronger than the pull of the set points (r1 r2 < a1 a2): the "
            "steady state is a saddle and feelings run away to ecstasy or misery.",
            {"a1": 1.5, "a2": 1.5},
        ),
    }
    return Model(
        "validating-couple",
        "A continuous Gottman-style validating couple (linear influence)",
        states,
        parameters,
        rhs,
        description=validating_couple.__doc__ or "",
        references=[TUNG_2007, GOTTMAN_2002],
        presets=presets,
        partner_swap={
            "states": {"x": "y", "y": "x"},
            "parameters": {"r1": "r2", "r2": "r1", "x0": "y0", "y0": "x0", "a1": "a2", "a2": "a1"},
        },
    )


# -- coupled oscillators -----------------------------------------------------------------


@register("coupled-oscillator")
def coupled_oscillator() -> Model:
    r"""Coupled damped oscillators: the dyadic model fitted to affect and physiology data.

    .. math::

        \ddot x &= \eta_x x + \zeta_x \dot x + \eta_{xy} y + \zeta_{xy} \dot y \\
        \ddot y &= \eta_y y + \zeta_y \dot y + \eta_{yx} x + \zeta_{yx} \dot x

    written in first-order form with ``vx = ẋ`` and ``vy = ẏ``.

    States:

    - ``x``, ``y``: each partner's deviation from their own equilibrium (affect, intimacy,
      physiological arousal).
    - ``vx``, ``vy``: the rates of change of x and y.

    Model parameters:

    - ``eta_x``, ``eta_y``: frequency parameters: for ``eta < 0`` and no damping a partner
      oscillates with angular frequency ``sqrt(-eta)`` (period ``2 pi/sqrt(-eta)``).
    - ``zeta_x``, ``zeta_y``: damping: ``zeta < 0`` makes deviations die out at rate
      ``-zeta/2`` (regulation); ``zeta > 0`` amplifies them.
    - ``eta_xy``, ``eta_yx``: coupling to the partner's level (partner y's state pulls x).
    - ``zeta_xy``, ``zeta_yx``: coupling to the partner's rate of change (coregulation when
      negative, co-dysregulation when positive, in the terms of Butler & Randall 2013).

    Without coupling each partner is a damped oscillator with eigenvalues
    ``zeta/2 ± i sqrt(-eta - zeta^2/4)``. With symmetric partners and coupling the
    modes split into an in-phase mode (``eta + eta_c``, ``zeta + zeta_c``) and an
    anti-phase mode (``eta - eta_c``, ``zeta - zeta_c``).

    Defaults ``eta_x = eta_y = -1, zeta_x = zeta_y = -0.2, eta_xy = eta_yx = 0.2,
    zeta_xy = zeta_yx = 0`` are illustrative: the cited papers estimate the parameters
    per couple from data, and their estimates depend on the time unit and measure.

    Source check: none of the three papers' texts could be read for this module; the
    second-order form with frequency, damping and cross-partner level and rate couplings
    is the one their titles and public summaries describe. The eigenvalue statements
    above are derived from the equations and checked by the tests; every default is
    illustrative.

    Examples
    --------
    >>> import numpy as np, dyadmodel as dm
    >>> m = dm.models.get("coupled-oscillator")
    >>> p = m.preset("uncoupled", zeta_x=0.0, zeta_y=0.0)
    >>> np.sort_complex(np.linalg.eigvals(m.jacobian(np.zeros(4), p))).round(12)
    array([0.-1.j, 0.-1.j, 0.+1.j, 0.+1.j])

    References
    ----------
    Boker & Laurenceau (2006); Butner, Diamond & Hicks (2007), Personal Relationships
    14:431-455; Helm, Sbarra & Ferrer (2012), Emotion 12:748-762.
    """
    x, vx, y, vy = symbols("x vx y vy")
    ex, zx, exy, zxy, ey, zy, eyx, zyx = symbols(
        "eta_x zeta_x eta_xy zeta_xy eta_y zeta_y eta_yx zeta_yx"
    )
    rhs = [
        vx,
        ex * x + zx * vx + exy * y + zxy * vy,
        vy,
        ey * y + zy * vy + eyx * x + zyx * vx,
    ]
    unit = "deviation from equilibrium (arbitrary units)"
    rate_unit = "deviation per time"
    states = [
        State(
            "x",
            "partner 1's deviation from their equilibrium (affect, intimacy, arousal)",
            domain=(-1.5, 1.5),
            unit=unit,
        ),
        State(
            "vx",
            "rate of change of partner 1's deviation",
            domain=(-1.5, 1.5),
            unit=rate_unit,
            latex="v_x",
        ),
        State(
            "y",
            "partner 2's deviation from their equilibrium (affect, intimacy, arousal)",
            domain=(-1.5, 1.5),
            unit=unit,
        ),
        State(
            "vy",
            "rate of change of partner 2's deviation",
            domain=(-1.5, 1.5),
            unit=rate_unit,
            latex="v_y",
        ),
    ]
    freq, damp = "1/time^2", "1/time"
    parameters = [
        _real(
            "eta_x",
            -1.0,
            "partner 1's frequency parameter (eta < 0: oscillation with "
            "angular frequency sqrt(-eta))",
            "\\eta_x",
            freq,
        ),
        _real(
            "zeta_x",
            -0.2,
            "partner 1's damping (< 0: deviations die out, regulation)",
            "\\zeta_x",
            damp,
        ),
        _real("eta_xy", 0.2, "pull of partner 2's level on partner 1", "\\eta_{xy}", freq),
        _real(
            "zeta_xy",
            0.0,
            "coupling of partner 1 to partner 2's rate of change (< 0 "
            "coregulation, > 0 co-dysregulation)",
            "\\zeta_{xy}",
            damp,
        ),
        _real(
            "eta_y",
            -1.0,
            "partner 2's frequency parameter (eta < 0: oscillation with "
            "angular frequency sqrt(-eta))",
            "\\eta_y",
            freq,
        ),
        _real(
            "zeta_y",
            -0.2,
            "partner 2's damping (< 0: deviations die out, regulation)",
            "\\zeta_y",
            damp,
        ),
        _real("eta_yx", 0.2, "pull of partner 1's level on partner 2", "\\eta_{yx}", freq),
        _real(
            "zeta_yx",
            0.0,
            "coupling of partner 2 to partner 1's rate of change (< 0 "
            "coregulation, > 0 co-dysregulation)",
            "\\zeta_{yx}",
            damp,
        ),
    ]
    presets = {
        "uncoupled": Preset(
            "No cross-partner coupling: two independent damped oscillators.",
            {"eta_xy": 0.0, "eta_yx": 0.0, "zeta_xy": 0.0, "zeta_yx": 0.0},
        ),
        "coregulation": Preset(
            "Each partner's change damps the other's (zeta_xy = zeta_yx < 0): shared "
            "(in-phase) deviations die out faster than alone, opposite (anti-phase) ones "
            "more slowly; the couple stays stable.",
            {"eta_xy": 0.0, "eta_yx": 0.0, "zeta_xy": -0.1, "zeta_yx": -0.1},
        ),
        "co-dysregulation": Preset(
            "Each partner's change amplifies the other's (zeta_xy = zeta_yx > 0, larger "
            "than the own damping): the in-phase mode grows, shared upset escalates.",
            {"eta_xy": 0.0, "eta_yx": 0.0, "zeta_xy": 0.3, "zeta_yx": 0.3},
        ),
    }
    return Model(
        "coupled-oscillator",
        "Coupled damped oscillators (dyadic coregulation)",
        states,
        parameters,
        rhs,
        description=coupled_oscillator.__doc__ or "",
        references=[BOKER_2006, BUTNER_2007, HELM_2012],
        presets=presets,
        partner_swap={
            "states": {"x": "y", "y": "x", "vx": "vy", "vy": "vx"},
            "parameters": {
                "eta_x": "eta_y",
                "eta_y": "eta_x",
                "zeta_x": "zeta_y",
                "zeta_y": "zeta_x",
                "eta_xy": "eta_yx",
                "eta_yx": "eta_xy",
                "zeta_xy": "zeta_yx",
                "zeta_yx": "zeta_xy",
            },
        },
    )
